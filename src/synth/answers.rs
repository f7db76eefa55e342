//! The answers of a constraint: its path followed hop by hop from the topic through the graph
//! (`follow.rq`, `follow_inverse.rq`), every node reached at the last hop, the topic excluded.

use oxigraph::model::NamedNode;

use super::path::Constraint;
use crate::error::Result;
use crate::store::Graph;

/// Why a sampled question was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Skip {
    /// The walk reached a node without edges before the path was long enough.
    NoPath,
    /// The same topics and path were already asked about.
    Duplicate,
    /// The path reaches nothing.
    Empty,
    /// The path reaches only the topic itself.
    OnlyTopic,
    /// More answers than `max_answers`.
    TooManyAnswers,
    /// More than `max_intermediate` nodes at some hop before the last.
    TooWide,
    /// A second constraint that removes no answer of the first, or keeps all of its own.
    Unconstraining,
}

impl Skip {
    /// The reason's name in reports (`too_many_answers`).
    pub fn name(self) -> &'static str {
        match self {
            Skip::NoPath => "no_path",
            Skip::Duplicate => "duplicate",
            Skip::Empty => "empty",
            Skip::OnlyTopic => "only_topic",
            Skip::TooManyAnswers => "too_many_answers",
            Skip::TooWide => "too_wide",
            Skip::Unconstraining => "unconstraining",
        }
    }
}

impl serde::Serialize for Skip {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A kept value, or why it was skipped.
pub type Judged<T> = std::result::Result<T, Skip>;

/// How many answers a question may have, and how many nodes a path may pass through at one hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Questions with more answers are skipped.
    pub max_answers: usize,
    /// Paths with more nodes than this at a hop before the last are skipped.
    pub max_intermediate: usize,
}

/// Every node `constraint`'s path reaches from its topic, sorted by IRI, the topic excluded; or
/// why the question is skipped under `limits`.
pub fn evaluate(
    graph: &Graph,
    constraint: &Constraint,
    limits: Limits,
) -> Result<Judged<Vec<NamedNode>>> {
    let mut frontier = vec![constraint.topic.clone()];
    let hops = constraint.path.steps.len();
    for (hop, step) in constraint.path.steps.iter().enumerate() {
        frontier = graph.follow(&frontier, &step.relation, step.forward)?;
        if frontier.is_empty() {
            return Ok(Err(Skip::Empty));
        }
        if hop + 1 < hops && frontier.len() > limits.max_intermediate {
            return Ok(Err(Skip::TooWide));
        }
    }
    frontier.retain(|node| *node != constraint.topic);
    Ok(if frontier.is_empty() {
        Err(Skip::OnlyTopic)
    } else if frontier.len() > limits.max_answers {
        Err(Skip::TooManyAnswers)
    } else {
        Ok(frontier)
    })
}
