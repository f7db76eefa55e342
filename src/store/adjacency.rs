//! Node edges remembered between queries. Retrieval reads the edges of every frontier node, and an
//! on-disk store looks up the string of every term of every row in RocksDB: on MetaQA that made
//! 3-hop retrieval 10 ms a question, most of what serving a question costs besides the model. A
//! node's edges change only when the graph does, so an embedded graph remembers them, within a
//! bound, and forgets a node's edges when an update touches the node (all of them after an
//! ingest), as it does its degree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use oxigraph::model::NamedNode;

use super::Edge;

/// Edges remembered when nothing else is said: about 200 MB at most.
pub(crate) const DEFAULT_CAPACITY: usize = 1_000_000;

/// The edges of the nodes read so far, shared by the clones of one graph, about `capacity` edges
/// at most. Two generations: a lookup reads the young one, then the old one (moving what it finds
/// to the young one); when the young one holds half the capacity, it becomes the old one and the
/// old one is dropped. Nodes read within a generation stay; the others go.
#[derive(Debug, Clone)]
pub(crate) struct AdjacencyCache {
    generations: Arc<Mutex<Generations>>,
    capacity: usize,
}

#[derive(Debug, Default)]
struct Generations {
    young: HashMap<NamedNode, Arc<[Edge]>>,
    old: HashMap<NamedNode, Arc<[Edge]>>,
    /// Edges held by `young` (a node without edges counts one).
    young_edges: usize,
}

impl Default for AdjacencyCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl AdjacencyCache {
    /// A cache of about `capacity` edges (0: remembers nothing).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            generations: Arc::default(),
            capacity,
        }
    }

    /// The remembered edges of `nodes`, in their order (`None` where not remembered).
    pub fn lookup(&self, nodes: &[NamedNode]) -> Vec<Option<Arc<[Edge]>>> {
        if self.capacity == 0 {
            return vec![None; nodes.len()];
        }
        let mut generations = self.lock();
        nodes
            .iter()
            .map(|node| {
                if let Some(edges) = generations.young.get(node) {
                    return Some(edges.clone());
                }
                let edges = generations.old.remove(node)?;
                generations.insert(node.clone(), edges.clone(), self.capacity);
                Some(edges)
            })
            .collect()
    }

    /// Remembers the edges just read of each node of `read`.
    pub fn remember(&self, read: &[(NamedNode, Arc<[Edge]>)]) {
        if self.capacity == 0 || read.is_empty() {
            return;
        }
        let mut generations = self.lock();
        for (node, edges) in read {
            generations.insert(node.clone(), edges.clone(), self.capacity);
        }
    }

    /// Forgets the edges of `nodes` (an update added or removed some of them).
    pub fn forget<'a>(&self, nodes: impl IntoIterator<Item = &'a NamedNode>) {
        let mut generations = self.lock();
        for node in nodes {
            if let Some(edges) = generations.young.remove(node) {
                generations.young_edges -= edges.len().max(1);
            }
            generations.old.remove(node);
        }
    }

    /// Forgets every node's edges (after an ingest).
    pub fn clear(&self) {
        *self.lock() = Generations::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.generations.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Generations {
    fn insert(&mut self, node: NamedNode, edges: Arc<[Edge]>, capacity: usize) {
        let size = edges.len().max(1);
        if let Some(previous) = self.young.insert(node, edges) {
            self.young_edges -= previous.len().max(1);
        }
        self.young_edges += size;
        if self.young_edges >= capacity.div_ceil(2) {
            self.old = std::mem::take(&mut self.young);
            self.young_edges = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> NamedNode {
        NamedNode::new(format!("http://ex.org/{name}")).unwrap()
    }

    fn edges(n: usize) -> Arc<[Edge]> {
        (0..n)
            .map(|i| Edge {
                relation: node("r"),
                other: node(&i.to_string()),
                outgoing: true,
            })
            .collect()
    }

    #[test]
    fn remembers_edges_none_included_until_forgotten() {
        let cache = AdjacencyCache::with_capacity(100);
        let (a, b, c) = (node("a"), node("b"), node("c"));
        cache.remember(&[(a.clone(), edges(2)), (b.clone(), edges(0))]);
        let found = cache.clone().lookup(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(found[0].as_deref(), Some(&edges(2)[..]));
        assert_eq!(found[1].as_deref(), Some(&[][..]));
        assert!(found[2].is_none());
        cache.forget([&a]);
        assert!(cache.lookup(std::slice::from_ref(&a))[0].is_none());
        cache.clear();
        assert!(cache.lookup(&[b])[0].is_none());
    }

    #[test]
    fn stays_within_its_capacity_and_keeps_what_is_read() {
        let cache = AdjacencyCache::with_capacity(20);
        let kept = node("kept");
        cache.remember(&[(kept.clone(), edges(3))]);
        for i in 0..100 {
            cache.remember(&[(node(&format!("n{i}")), edges(3))]);
            // Read in every generation: never dropped.
            assert!(cache.lookup(std::slice::from_ref(&kept))[0].is_some());
            let generations = cache.lock();
            let held: usize = generations
                .young
                .values()
                .chain(generations.old.values())
                .map(|e| e.len())
                .sum();
            assert!(held <= 20 + 2 * 3, "{held} edges held");
        }
        assert!(
            cache.lookup(&[node("n0")])[0].is_none(),
            "not read: dropped"
        );
        let off = AdjacencyCache::with_capacity(0);
        off.remember(&[(kept.clone(), edges(1))]);
        assert!(off.lookup(&[kept])[0].is_none());
    }
}
