//! Two-constraint questions: the answers of a path from one topic, narrowed by one hop from a
//! second topic (`what is directed by X and has Y among its starred actors`). The second topic is
//! a neighbour of one of the first path's answers; the intersection is computed by the graph
//! (`reached_from.rq`, `reached_from_inverse.rq`).

use oxigraph::model::NamedNode;
use rand::rngs::StdRng;
use rand::Rng;

use super::answers::{Judged, Skip};
use super::lexicon::Lexicon;
use super::path::{Constraint, RelationPath, Step};
use crate::error::Result;
use crate::store::Graph;

/// A second constraint and the answers both constraints share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrowed {
    /// The one-hop constraint from the second topic.
    pub second: Constraint,
    /// The answers of both constraints, sorted by IRI, neither topic included.
    pub answers: Vec<NamedNode>,
}

/// Draws a one-hop second constraint for `first`, whose answers are `first_answers`, such that
/// each constraint removes answers of the other; or says why none was found.
pub fn narrow(
    graph: &Graph,
    lexicon: &Lexicon,
    first: &Constraint,
    first_answers: &[NamedNode],
    rng: &mut StdRng,
) -> Result<Judged<Narrowed>> {
    if first_answers.len() < 2 {
        return Ok(Err(Skip::Unconstraining));
    }
    let answer = &first_answers[rng.gen_range(0..first_answers.len())];
    let candidates = second_topics(graph, lexicon, first, first_answers, answer)?;
    if candidates.is_empty() {
        return Ok(Err(Skip::Unconstraining));
    }
    let (topic, step) = candidates[rng.gen_range(0..candidates.len())].clone();
    let topics = [&first.topic, &topic];
    let mut answers = graph.reached_from(first_answers, &topic, &step.relation, step.forward)?;
    answers.retain(|node| !topics.contains(&node));
    let mut own = graph.follow(std::slice::from_ref(&topic), &step.relation, step.forward)?;
    own.retain(|node| !topics.contains(&node));
    if answers.is_empty() || answers.len() >= first_answers.len() || answers.len() >= own.len() {
        return Ok(Err(Skip::Unconstraining));
    }
    Ok(Ok(Narrowed {
        second: Constraint {
            topic,
            path: RelationPath { steps: vec![step] },
        },
        answers,
    }))
}

/// The nameable neighbours of `answer` other than the first topic and the first answers, each
/// with the step that leads from it to `answer`, sorted.
fn second_topics(
    graph: &Graph,
    lexicon: &Lexicon,
    first: &Constraint,
    first_answers: &[NamedNode],
    answer: &NamedNode,
) -> Result<Vec<(NamedNode, Step)>> {
    let mut candidates: Vec<(NamedNode, Step)> = graph
        .neighbors(std::slice::from_ref(answer))?
        .into_iter()
        .map(|(_, edge)| {
            let step = Step {
                relation: edge.relation,
                forward: !edge.outgoing,
            };
            (edge.other, step)
        })
        .filter(|(other, _)| {
            *other != first.topic
                && lexicon.forms(other).is_some()
                && first_answers
                    .binary_search_by(|a| a.as_str().cmp(other.as_str()))
                    .is_err()
        })
        .collect();
    candidates.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
    candidates.dedup();
    Ok(candidates)
}
