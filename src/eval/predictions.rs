//! Per-question predictions (`kgqa eval --predictions`): each question with its gold answers and
//! its best-scored candidates, so that one can read which questions a model gets wrong, and how.

use std::collections::HashMap;

use super::metrics::{hits_at_k, reciprocal_rank, QuestionOutcome};
use crate::answer::Prepared;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;

/// A candidate answer as the model ranks it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PredictedAnswer {
    /// The node's IRI.
    pub node: String,
    /// Its preferred label, when the graph has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The model's probability that it is an answer.
    pub score: f64,
    /// Whether it is a gold answer.
    pub gold: bool,
}

/// One question of the predictions file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Prediction {
    /// 1-based line of the question in its file.
    pub line: u64,
    /// The question, as evaluated.
    pub question: String,
    /// Its type, when the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qtype: Option<String>,
    /// The gold topic entities and answers, as the file names them.
    pub topics: Vec<String>,
    /// The gold answers, as the file names them.
    pub answers: Vec<String>,
    /// Whether the top link is the gold topic entity.
    pub linked: bool,
    /// Expected Hits@1 (ties broken at random).
    pub hits_at_1: f64,
    /// Expected reciprocal rank of the best gold answer (0 when none was retrieved).
    pub reciprocal_rank: f64,
    /// The best-scored candidates, best first.
    pub best: Vec<PredictedAnswer>,
}

/// The predictions of the `prepared` questions from their nodes' `scores` and the `outcomes`
/// made of them, with the `top` best-scored candidates each. Candidates are named by linking and
/// retrieving each question again, which gives the subgraph it was scored on.
pub fn predictions(
    pipeline: &Pipeline,
    prepared: &[Prepared],
    scores: &[Vec<f64>],
    outcomes: &[QuestionOutcome],
    top: usize,
) -> Result<Vec<Prediction>> {
    prepared
        .iter()
        .zip(scores)
        .zip(outcomes)
        .map(|((p, scores), outcome)| predict(pipeline, p, scores, outcome, top))
        .collect()
}

fn predict(
    pipeline: &Pipeline,
    prepared: &Prepared,
    scores: &[f64],
    outcome: &QuestionOutcome,
    top: usize,
) -> Result<Prediction> {
    let question = &prepared.question;
    let retrieval = pipeline.retrieve(&question.text)?;
    let nodes = retrieval.subgraph.nodes();
    if nodes.len() != prepared.sample.nodes() || scores.len() != nodes.len() {
        return Err(Error::internal(
            "naming predictions",
            format!(
                "line {}: the subgraph has {} nodes now, {} when scored",
                question.line,
                nodes.len(),
                prepared.sample.nodes()
            ),
        ));
    }
    let best = best_candidates(prepared, scores, top);
    let iris: Vec<_> = best.iter().map(|&n| nodes[n].clone()).collect();
    let labels: HashMap<_, _> = pipeline.retriever().graph().preferred_labels(&iris)?;
    let names = |entities: &[crate::question::GoldEntity]| {
        entities.iter().map(|e| e.as_str().to_owned()).collect()
    };
    Ok(Prediction {
        line: question.line,
        question: question.text.clone(),
        qtype: question.qtype.clone(),
        topics: names(&question.topics),
        answers: names(&question.answers),
        linked: prepared.linked,
        hits_at_1: hits_at_k(outcome, 1),
        reciprocal_rank: reciprocal_rank(outcome),
        best: best
            .iter()
            .zip(&iris)
            .map(|(&n, iri)| PredictedAnswer {
                node: iri.as_str().to_owned(),
                label: labels.get(iri).cloned(),
                score: scores[n],
                gold: prepared.sample.positives.contains(&(n as u32)),
            })
            .collect(),
    })
}

/// The `top` candidate nodes of `prepared` by score, best first (NaN last, ties by node order).
fn best_candidates(prepared: &Prepared, scores: &[f64], top: usize) -> Vec<usize> {
    let mut candidates: Vec<usize> = (0..scores.len())
        .filter(|&n| prepared.sample.is_candidate(n))
        .collect();
    let key = |n: usize| {
        if scores[n].is_nan() {
            f64::NEG_INFINITY
        } else {
            scores[n]
        }
    };
    candidates.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    candidates.truncate(top);
    candidates
}
