//! The label index: every node's labels, keyed by their normalized text.

use std::collections::{HashMap, HashSet};

use oxigraph::model::NamedNode;

use crate::error::Result;
use crate::store::{Graph, LabelRow};
use crate::text;

/// A node's position in the index.
pub type NodeId = u32;

/// One label of a node under a normalized key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelEntry {
    /// The labelled node.
    pub node: NodeId,
    /// The label as written in the graph.
    pub label: String,
    /// True for an alternative label (`skos:altLabel`).
    pub alternative: bool,
}

/// Labels of every node in a graph, looked up by normalized text or by exact label.
#[derive(Debug, Default, Clone)]
pub struct LabelIndex {
    nodes: Vec<NamedNode>,
    preferred: Vec<Option<String>>,
    /// Where each node is indexed, so that replacing its labels touches only its own entries.
    indexed: Vec<Indexed>,
    ids: HashMap<NamedNode, NodeId>,
    by_key: HashMap<String, Vec<LabelEntry>>,
    by_exact: HashMap<String, Vec<NodeId>>,
    max_tokens: usize,
}

/// The keys of `by_key` and `by_exact` under which one node has entries.
#[derive(Debug, Default, Clone)]
struct Indexed {
    keys: Vec<String>,
    exact: Vec<String>,
}

impl LabelIndex {
    /// Reads every label of `graph` (one SPARQL query) and indexes it.
    pub fn build(graph: &Graph) -> Result<Self> {
        Ok(Self::from_rows(graph.labels()?))
    }

    /// Indexes the given labels.
    pub fn from_rows(rows: impl IntoIterator<Item = LabelRow>) -> Self {
        let mut index = Self::default();
        for row in rows {
            index.insert(row);
        }
        for entries in index.by_key.values_mut() {
            sort_entries(entries);
        }
        index
    }

    /// Replaces everything indexed about `nodes` by `rows`, their current labels (after a graph
    /// update). Nodes keep their ids; a node left without labels is no longer found by any key.
    /// The work is proportional to the labels of `nodes` and `rows`, not to the index.
    pub fn replace(&mut self, nodes: &[NamedNode], rows: impl IntoIterator<Item = LabelRow>) {
        for node in nodes.iter().filter_map(|n| self.id(n)).collect::<Vec<_>>() {
            self.forget(node);
        }
        let keys: HashSet<String> = rows
            .into_iter()
            .filter_map(|row| self.insert(row))
            .collect();
        for key in keys {
            if let Some(entries) = self.by_key.get_mut(&key) {
                sort_entries(entries);
            }
        }
    }

    /// Removes every entry of `node`, through the keys it is indexed under.
    fn forget(&mut self, node: NodeId) {
        let Indexed { keys, exact } = std::mem::take(&mut self.indexed[node as usize]);
        for key in keys {
            if let Some(entries) = self.by_key.get_mut(&key) {
                entries.retain(|e| e.node != node);
                if entries.is_empty() {
                    self.by_key.remove(&key);
                }
            }
        }
        for label in exact {
            if let Some(ids) = self.by_exact.get_mut(&label) {
                ids.retain(|&n| n != node);
                if ids.is_empty() {
                    self.by_exact.remove(&label);
                }
            }
        }
        self.preferred[node as usize] = None;
    }

    /// Indexes one label; returns its key, or `None` when it normalizes to nothing.
    fn insert(&mut self, row: LabelRow) -> Option<String> {
        let key = text::normalize(&row.label);
        if key.is_empty() {
            return None;
        }
        let node = self.intern(row.node);
        let indexed = &mut self.indexed[node as usize];
        if !row.alternative {
            let preferred = &mut self.preferred[node as usize];
            if preferred.is_none() {
                *preferred = Some(row.label.clone());
            }
            let ids = self.by_exact.entry(row.label.clone()).or_default();
            if !ids.contains(&node) {
                ids.push(node);
                indexed.exact.push(row.label.clone());
            }
        }
        if !indexed.keys.contains(&key) {
            indexed.keys.push(key.clone());
        }
        self.max_tokens = self.max_tokens.max(key.split(' ').count());
        self.by_key
            .entry(key.clone())
            .or_default()
            .push(LabelEntry {
                node,
                label: row.label,
                alternative: row.alternative,
            });
        Some(key)
    }

    fn intern(&mut self, iri: NamedNode) -> NodeId {
        if let Some(&id) = self.ids.get(&iri) {
            return id;
        }
        let id = NodeId::try_from(self.nodes.len()).expect("fewer than 2^32 labelled nodes");
        self.nodes.push(iri.clone());
        self.preferred.push(None);
        self.indexed.push(Indexed::default());
        self.ids.insert(iri, id);
        id
    }

    /// The labels whose normalized text is `key`.
    pub fn lookup(&self, key: &str) -> &[LabelEntry] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// The nodes whose preferred label is exactly `label`; failing that, whose normalized label matches.
    pub fn resolve_name(&self, label: &str) -> Vec<NodeId> {
        match self.by_exact.get(label) {
            Some(nodes) => nodes.clone(),
            None => self
                .lookup(&text::normalize(label))
                .iter()
                .filter(|e| !e.alternative)
                .map(|e| e.node)
                .collect(),
        }
    }

    /// The id of `iri`, if it has a label.
    pub fn id(&self, iri: &NamedNode) -> Option<NodeId> {
        self.ids.get(iri).copied()
    }

    /// The IRI of `node`.
    pub fn iri(&self, node: NodeId) -> &NamedNode {
        &self.nodes[node as usize]
    }

    /// The preferred label of `node`, or its IRI when it has none.
    pub fn display(&self, node: NodeId) -> &str {
        self.preferred[node as usize]
            .as_deref()
            .unwrap_or_else(|| self.nodes[node as usize].as_str())
    }

    /// All normalized keys under which `node` is labelled.
    pub fn keys_of(&self, node: NodeId) -> impl Iterator<Item = &str> {
        self.indexed[node as usize].keys.iter().map(String::as_str)
    }

    /// The longest label, in tokens.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// How many labelled nodes there are (counting nodes whose labels an update removed).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no node has a label.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Preferred labels first, then by node; one entry per node.
fn sort_entries(entries: &mut Vec<LabelEntry>) {
    entries.sort_by_key(|e| (e.alternative, e.node));
    entries.dedup_by(|a, b| a.node == b.node);
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn row(iri: &str, label: &str, alternative: bool) -> LabelRow {
        LabelRow {
            node: NamedNode::new(iri).unwrap(),
            label: label.into(),
            alternative,
        }
    }

    #[test]
    fn indexes_normalized_and_exact_labels() {
        let index = LabelIndex::from_rows([
            row("http://x/comedy-genre", "Comedy", false),
            row("http://x/comedy-tag", "comedy", false),
            row("http://x/amelie", "Amélie", false),
            row(
                "http://x/amelie",
                "Le Fabuleux Destin d'Amélie Poulain",
                true,
            ),
        ]);
        assert_eq!(index.lookup("comedy").len(), 2);
        assert_eq!(index.resolve_name("comedy").len(), 1);
        assert_eq!(index.lookup("amelie").len(), 1);
        assert_eq!(index.lookup("le fabuleux destin d amelie poulain").len(), 1);
        assert_eq!(index.max_tokens(), 6);
        let amelie = index.lookup("amelie")[0].node;
        assert_eq!(index.display(amelie), "Amélie");
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn replacing_a_nodes_labels_keeps_the_others() {
        let mut index = LabelIndex::from_rows([
            row("http://x/a", "Alpha", false),
            row("http://x/a", "First", true),
            row("http://x/b", "Alpha", false),
        ]);
        let a = NamedNode::new("http://x/a").unwrap();
        let c = NamedNode::new("http://x/c").unwrap();
        index.replace(
            &[a.clone(), c.clone()],
            [
                row("http://x/a", "Aleph", false),
                row("http://x/c", "Gamma Ray", false),
            ],
        );
        assert!(index.lookup("first").is_empty());
        assert_eq!(index.lookup("alpha").len(), 1);
        assert_eq!(index.display(index.id(&a).unwrap()), "Aleph");
        assert_eq!(
            index.resolve_name("Alpha"),
            [index.id(&NamedNode::new("http://x/b").unwrap()).unwrap()]
        );
        assert_eq!(index.lookup("gamma ray")[0].node, index.id(&c).unwrap());
        assert_eq!(index.max_tokens(), 2);
        // Removing every label of a node: no key finds it.
        index.replace(std::slice::from_ref(&a), []);
        assert!(index.lookup("aleph").is_empty());
        assert!(index.resolve_name("Aleph").is_empty());
        assert_eq!(index.keys_of(index.id(&a).unwrap()).count(), 0);
    }

    #[test]
    fn two_preferred_labels_with_one_key_are_both_forgotten() {
        let mut index = LabelIndex::from_rows([
            row("http://x/a", "Alpha", false),
            row("http://x/a", "ALPHA", false),
            row("http://x/a", "First", true),
        ]);
        let a = NamedNode::new("http://x/a").unwrap();
        let id = index.id(&a).unwrap();
        let mut keys: Vec<&str> = index.keys_of(id).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["alpha", "first"]);
        assert_eq!(index.resolve_name("ALPHA"), [id]);
        index.replace(
            std::slice::from_ref(&a),
            [row("http://x/a", "Aleph", false)],
        );
        assert!(index.resolve_name("ALPHA").is_empty());
        assert!(index.resolve_name("Alpha").is_empty());
        assert_eq!(index.keys_of(id).collect::<Vec<_>>(), ["aleph"]);
    }

    /// The cost of replacing one node's labels, 200 times, in an index that also holds `others`
    /// labelled nodes (the best of 5 runs).
    fn replace_cost(others: usize) -> std::time::Duration {
        let mut rows: Vec<LabelRow> = (0..others)
            .map(|i| row(&format!("http://x/n{i}"), &format!("Node {i}"), false))
            .collect();
        rows.push(row("http://x/a", "Alpha", false));
        let mut index = LabelIndex::from_rows(rows);
        let a = [NamedNode::new("http://x/a").unwrap()];
        (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                for i in 0..200 {
                    let label = if i % 2 == 0 { "Aleph" } else { "Alpha" };
                    index.replace(&a, [row("http://x/a", label, false)]);
                }
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    #[test]
    fn replacing_a_nodes_labels_does_not_walk_the_whole_index() {
        // A complexity check, not a speed target: a walk over 100,000 nodes per replacement
        // makes the large index hundreds of times slower; a lookup of the node's own keys does not.
        let small = replace_cost(10);
        let large = replace_cost(100_000);
        assert!(
            large < small * 20 + std::time::Duration::from_millis(5),
            "200 replacements: {large:?} in a large index, {small:?} in a small one"
        );
    }
}
