//! A question's gold annotations resolved against the graph: the one place where a question
//! file's topic and answers become graph nodes, and then subgraph ids of a retrieval.

use crate::link::{Link, Linker, NodeId};
use crate::question::Question;
use crate::retrieve::Subgraph;

/// The nodes a question's gold topics and answers name (none where the file gives none or the
/// graph has no such label).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gold {
    /// Per gold topic entity (one per constraint), the nodes it names: one, or several for a
    /// name several nodes share; empty for a name the graph lacks.
    pub topics: Vec<Vec<NodeId>>,
    /// The nodes the gold answers name.
    pub answers: Vec<NodeId>,
}

impl Gold {
    /// Resolves `question`'s annotations through `linker`'s label index.
    pub fn resolve(linker: &Linker, question: &Question) -> Self {
        Self {
            topics: question.topics.iter().map(|t| linker.resolve(t)).collect(),
            answers: question
                .answers
                .iter()
                .flat_map(|a| linker.resolve(a))
                .collect(),
        }
    }

    /// Whether the best link names a gold topic entity.
    pub fn top_link_is_topic(&self, links: &[Link]) -> bool {
        links.first().is_some_and(|l| self.names_topic(l.node_id()))
    }

    /// Whether `node` is one that a gold topic names.
    pub fn names_topic(&self, node: NodeId) -> bool {
        self.topics.iter().any(|nodes| nodes.contains(&node))
    }

    /// Whether some gold topic names a node of the graph.
    pub fn is_resolved(&self) -> bool {
        self.topics.iter().any(|nodes| !nodes.is_empty())
    }

    /// How many gold topics are among `found` (the topic entities linking chose).
    pub fn topics_found(&self, found: &[NodeId]) -> usize {
        self.topics
            .iter()
            .filter(|nodes| nodes.iter().any(|n| found.contains(n)))
            .count()
    }

    /// The subgraph ids of the gold answers `subgraph` holds, candidates or not.
    pub fn answer_ids(&self, linker: &Linker, subgraph: &Subgraph) -> Vec<u32> {
        self.answers
            .iter()
            .filter_map(|&n| subgraph.id(linker.index().iri(n)))
            .collect()
    }

    /// The subgraph ids of the gold answers that are candidate answers of `subgraph`, sorted,
    /// each once.
    pub fn candidate_ids(&self, linker: &Linker, subgraph: &Subgraph) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .answer_ids(linker, subgraph)
            .into_iter()
            .filter(|&id| subgraph.is_candidate(id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}
