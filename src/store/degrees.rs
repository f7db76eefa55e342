//! Node degrees remembered between queries. Retrieval asks for the degree of every frontier node
//! to keep hubs (a genre, a year) from being expanded, and counting a hub's edges means reading
//! all of them: on MetaQA that was seven times the cost of reading the neighbours themselves.
//! A node's degree changes only when the graph does, so an embedded graph remembers it, and
//! forgets it when an update or an ingest touches the node.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use oxigraph::model::NamedNode;

/// The degrees known so far, shared by the clones of one graph.
#[derive(Debug, Clone, Default)]
pub(crate) struct DegreeCache {
    known: Arc<RwLock<HashMap<NamedNode, u64>>>,
}

impl DegreeCache {
    /// The known degrees among `nodes`, and the nodes whose degree is not known.
    pub fn lookup(&self, nodes: &[NamedNode]) -> (HashMap<NamedNode, u64>, Vec<NamedNode>) {
        let known = self.known.read().unwrap_or_else(|e| e.into_inner());
        let mut found = HashMap::with_capacity(nodes.len());
        let mut missing = Vec::new();
        for node in nodes {
            match known.get(node) {
                Some(&degree) => {
                    found.insert(node.clone(), degree);
                }
                None => missing.push(node.clone()),
            }
        }
        (found, missing)
    }

    /// Remembers the degrees of `nodes` just counted: `counted`, where a node absent has none.
    pub fn remember(&self, nodes: &[NamedNode], counted: &HashMap<NamedNode, u64>) {
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        for node in nodes {
            known.insert(node.clone(), counted.get(node).copied().unwrap_or(0));
        }
    }

    /// Forgets the degrees of `nodes` (an update added or removed some of their edges).
    pub fn forget<'a>(&self, nodes: impl IntoIterator<Item = &'a NamedNode>) {
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        for node in nodes {
            known.remove(node);
        }
    }

    /// Forgets every degree (after an ingest).
    pub fn clear(&self) {
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> NamedNode {
        NamedNode::new(format!("http://ex.org/{name}")).unwrap()
    }

    #[test]
    fn remembers_counted_degrees_zero_included_until_forgotten() {
        let cache = DegreeCache::default();
        let (a, b) = (node("a"), node("b"));
        let counted = HashMap::from([(a.clone(), 3)]);
        cache.remember(&[a.clone(), b.clone()], &counted);
        let (found, missing) = cache.clone().lookup(&[a.clone(), b.clone(), node("c")]);
        assert_eq!(found, HashMap::from([(a.clone(), 3), (b.clone(), 0)]));
        assert_eq!(missing, [node("c")]);
        cache.forget([&a]);
        assert_eq!(cache.lookup(&[a.clone(), b.clone()]).1, [a]);
        cache.clear();
        assert_eq!(cache.lookup(std::slice::from_ref(&b)).1, [b]);
    }
}
