//! The answers of a constraint: its path followed hop by hop from the topic through the graph
//! (`follow.rq`, `follow_inverse.rq`), every node reached at the last hop. The path never passes
//! back through its topic: "the years of the films by the director of X" means the director's
//! other films, so X's own year is an answer only when another of those films has it too (the
//! reading of benchmarks such as MetaQA, where every such answer set leaves the topic out). Where
//! a topic can be its own question's answer (`[retrieve] topic_answers`: PathQuestion's "the child
//! of X's parent" is X), paths are followed literally instead.

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
    /// The path leads only back to the topic itself.
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
    /// Whether paths may pass back through their topic and the topic be an answer.
    pub topic_answers: bool,
}

/// Every node `constraint`'s path reaches from its topic without passing through the topic again,
/// sorted by IRI, the topic excluded (unless `limits.topic_answers`: every node the path reaches);
/// or why the question is skipped under `limits`.
pub fn evaluate(
    graph: &Graph,
    constraint: &Constraint,
    limits: Limits,
) -> Result<Judged<Vec<NamedNode>>> {
    let mut frontier = vec![constraint.topic.clone()];
    let hops = constraint.path.steps.len();
    for (hop, step) in constraint.path.steps.iter().enumerate() {
        frontier = graph.follow(&frontier, &step.relation, step.forward)?;
        let reached_anything = !frontier.is_empty();
        if !limits.topic_answers {
            frontier.retain(|node| *node != constraint.topic);
        }
        if frontier.is_empty() {
            return Ok(Err(if reached_anything {
                Skip::OnlyTopic
            } else {
                Skip::Empty
            }));
        }
        if hop + 1 < hops && frontier.len() > limits.max_intermediate {
            return Ok(Err(Skip::TooWide));
        }
    }
    Ok(if frontier.len() > limits.max_answers {
        Err(Skip::TooManyAnswers)
    } else {
        Ok(frontier)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::path::{RelationPath, Step};

    const FILMS: &str = "
        ex:heat ex:directed_by ex:mann ; ex:release_year ex:y1995 .
        ex:thief ex:directed_by ex:mann ; ex:release_year ex:y1981 .
        ex:alone ex:directed_by ex:solo ; ex:release_year ex:y2000 .
    ";

    fn graph() -> Graph {
        crate::testing::graph(FILMS)
    }

    fn years_of_films_by_the_director_of(film: &str) -> Constraint {
        let step = |relation: &str, forward| Step {
            relation: NamedNode::new(format!("http://ex.org/{relation}")).unwrap(),
            forward,
        };
        Constraint {
            topic: NamedNode::new(format!("http://ex.org/{film}")).unwrap(),
            path: RelationPath {
                steps: vec![
                    step("directed_by", true),
                    step("directed_by", false),
                    step("release_year", true),
                ],
            },
        }
    }

    const LIMITS: Limits = Limits {
        max_answers: 10,
        max_intermediate: 10,
        topic_answers: false,
    };

    #[test]
    fn a_path_never_passes_back_through_its_topic() {
        let graph = graph();
        let answers = evaluate(&graph, &years_of_films_by_the_director_of("heat"), LIMITS);
        let answers = answers.unwrap().unwrap();
        // Heat's own year is reached only through Heat itself: not an answer.
        assert_eq!(answers, [NamedNode::new("http://ex.org/y1981").unwrap()]);
    }

    #[test]
    fn where_topics_can_be_answers_a_path_is_followed_literally() {
        let graph = graph();
        let literal = Limits {
            topic_answers: true,
            ..LIMITS
        };
        let answers = evaluate(&graph, &years_of_films_by_the_director_of("heat"), literal);
        let answers = answers.unwrap().unwrap();
        let years: Vec<&str> = answers.iter().map(|n| n.as_str()).collect();
        assert_eq!(years, ["http://ex.org/y1981", "http://ex.org/y1995"]);
    }

    #[test]
    fn a_path_that_only_comes_back_to_its_topic_is_skipped() {
        let graph = graph();
        let answers = evaluate(&graph, &years_of_films_by_the_director_of("alone"), LIMITS);
        assert_eq!(answers.unwrap(), Err(Skip::OnlyTopic));
    }
}
