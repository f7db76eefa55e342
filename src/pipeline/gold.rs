//! A question's gold annotations resolved against the graph: the one place where a question
//! file's topic and answers become graph nodes, and then subgraph ids of a retrieval.

use crate::link::{Link, Linker, NodeId};
use crate::question::Question;
use crate::retrieve::Subgraph;

/// The nodes a question's gold topic and answers name (none where the file gives none or the
/// graph has no such label).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gold {
    /// The nodes the gold topic entity names.
    pub topics: Vec<NodeId>,
    /// The nodes the gold answers name.
    pub answers: Vec<NodeId>,
}

impl Gold {
    /// Resolves `question`'s annotations through `linker`'s label index.
    pub fn resolve(linker: &Linker, question: &Question) -> Self {
        Self {
            topics: question
                .topic
                .as_ref()
                .map(|t| linker.resolve(t))
                .unwrap_or_default(),
            answers: question
                .answers
                .iter()
                .flat_map(|a| linker.resolve(a))
                .collect(),
        }
    }

    /// Whether the best link names a gold topic entity.
    pub fn top_link_is_topic(&self, links: &[Link]) -> bool {
        links
            .first()
            .is_some_and(|l| self.topics.contains(&l.node_id()))
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
