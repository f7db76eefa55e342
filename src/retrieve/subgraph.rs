//! The subgraph retrieved around a question's topic entities.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use crate::link::Topics;

/// Index of a node within one [`Subgraph`].
pub type LocalId = u32;

/// A directed, typed edge of a subgraph: `source --relation--> target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SubgraphEdge {
    /// The subject node.
    pub source: LocalId,
    /// Index into [`Subgraph::relations`].
    pub relation: u32,
    /// The object node.
    pub target: LocalId,
}

/// Nodes, typed directed edges, and the distance of every node from the nearest topic entity.
#[derive(Debug, Clone, Default)]
pub struct Subgraph {
    nodes: Vec<NamedNode>,
    distances: Vec<u8>,
    ids: HashMap<NamedNode, LocalId>,
    relations: Vec<NamedNode>,
    relation_ids: HashMap<NamedNode, u32>,
    edges: Vec<SubgraphEdge>,
    hubs: Vec<LocalId>,
    truncated: bool,
    topic_answers: bool,
}

impl Subgraph {
    /// An empty subgraph whose topic entities are candidate answers too when `topic_answers`.
    pub(crate) fn with_topic_answers(topic_answers: bool) -> Self {
        Self {
            topic_answers,
            ..Self::default()
        }
    }

    /// Adds `node` at `distance` unless present; returns its id and whether it is new.
    pub(crate) fn add_node(&mut self, node: &NamedNode, distance: u8) -> (LocalId, bool) {
        if let Some(&id) = self.ids.get(node) {
            return (id, false);
        }
        let id = LocalId::try_from(self.nodes.len()).expect("subgraph under 2^32 nodes");
        self.nodes.push(node.clone());
        self.distances.push(distance);
        self.ids.insert(node.clone(), id);
        (id, true)
    }

    /// Adds the edge `source --relation--> target`.
    pub(crate) fn add_edge(&mut self, source: LocalId, relation: &NamedNode, target: LocalId) {
        let relation = match self.relation_ids.get(relation) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.relations.len()).expect("under 2^32 relations");
                self.relations.push(relation.clone());
                self.relation_ids.insert(relation.clone(), id);
                id
            }
        };
        self.edges.push(SubgraphEdge {
            source,
            relation,
            target,
        });
    }

    /// Marks `node` as a hub whose edges were not followed.
    pub(crate) fn mark_hub(&mut self, node: LocalId) {
        self.hubs.push(node);
    }

    /// Marks the subgraph as cut short by the node limit.
    pub(crate) fn mark_truncated(&mut self) {
        self.truncated = true;
    }

    /// Removes duplicate edges (an edge is seen from both of its ends).
    pub(crate) fn dedup_edges(&mut self) {
        self.edges
            .sort_unstable_by_key(|e| (e.source, e.relation, e.target));
        self.edges.dedup();
    }

    /// All nodes; a node's [`LocalId`] is its position.
    pub fn nodes(&self) -> &[NamedNode] {
        &self.nodes
    }

    /// Hops from the nearest topic entity, per node.
    pub fn distances(&self) -> &[u8] {
        &self.distances
    }

    /// The relations the edges use.
    pub fn relations(&self) -> &[NamedNode] {
        &self.relations
    }

    /// The edges.
    pub fn edges(&self) -> &[SubgraphEdge] {
        &self.edges
    }

    /// The IRI of `node`.
    pub fn iri(&self, node: LocalId) -> &NamedNode {
        &self.nodes[node as usize]
    }

    /// The id of `node`, if it is in the subgraph.
    pub fn id(&self, node: &NamedNode) -> Option<LocalId> {
        self.ids.get(node).copied()
    }

    /// Per constraint of `topics`, the ids of its entities in the subgraph; constraints with none
    /// here are left out.
    pub fn constraint_ids(&self, topics: &Topics) -> Vec<Vec<LocalId>> {
        topics
            .constraints()
            .iter()
            .map(|nodes| nodes.iter().filter_map(|n| self.id(n)).collect())
            .filter(|ids: &Vec<LocalId>| !ids.is_empty())
            .collect()
    }

    /// The topic entities (distance 0).
    pub fn topics(&self) -> impl Iterator<Item = LocalId> + '_ {
        self.ids_where(|d| d == 0)
    }

    /// Whether topic entities are candidate answers too (`[retrieve] topic_answers`).
    pub fn topic_answers(&self) -> bool {
        self.topic_answers
    }

    /// Whether `node` is a candidate answer: any node but a topic entity, unless topic entities
    /// can be answers.
    pub fn is_candidate(&self, node: LocalId) -> bool {
        self.topic_answers || self.distances[node as usize] > 0
    }

    /// Candidate answers: every node that is not a topic entity, unless topic entities can be
    /// answers.
    pub fn candidates(&self) -> impl Iterator<Item = LocalId> + '_ {
        self.candidates_within(u8::MAX)
    }

    /// Candidate answers within `hops` of a topic entity.
    pub fn candidates_within(&self, hops: u8) -> impl Iterator<Item = LocalId> + '_ {
        let topics = self.topic_answers;
        self.ids_where(move |d| (topics || d > 0) && d <= hops)
    }

    fn ids_where<'a>(
        &'a self,
        keep: impl Fn(u8) -> bool + 'a,
    ) -> impl Iterator<Item = LocalId> + 'a {
        self.distances
            .iter()
            .enumerate()
            .filter(move |(_, &d)| keep(d))
            .map(|(i, _)| i as LocalId)
    }

    /// Nodes whose edges were not followed because their degree is over the cap.
    pub fn hubs(&self) -> &[LocalId] {
        &self.hubs
    }

    /// Whether expansion stopped at the node limit.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}
