//! Questions with known answers, for training and evaluation: prepared like any question, with
//! their gold answers marked, and scored into per-question outcomes.

use std::sync::Mutex;

use super::prepare::sample;
use crate::error::Result;
use crate::pipeline::{Gold, Pipeline};
use crate::question::Question;
use crate::score::{QuestionOutcome, RelationTexts, Sample, Scorer};

/// A question with its sample and what evaluation needs to know about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The question.
    pub question: Question,
    /// The model's input, gold answers marked.
    pub sample: Sample,
    /// Gold answers that are nodes of the graph.
    pub gold: usize,
    /// Whether the top link is the gold topic entity.
    pub linked: bool,
    /// Whether a gold answer is one of the question's own topic entities.
    pub answers_topic: bool,
}

/// Prepares one question with known answers.
pub fn prepare_one(
    pipeline: &Pipeline,
    relations: &RelationTexts,
    question: &Question,
) -> Result<Prepared> {
    let retrieval = pipeline.retrieve(&question.text)?;
    let linker = pipeline.linker();
    let subgraph = &retrieval.subgraph;
    let gold = Gold::resolve(linker, question);
    let answers_topic = gold
        .answer_ids(linker, subgraph)
        .iter()
        .any(|&id| subgraph.distances()[id as usize] == 0);
    let positives = gold.candidate_ids(linker, subgraph);
    Ok(Prepared {
        question: question.clone(),
        sample: sample(&question.text, &retrieval, relations, positives),
        gold: gold.answers.len(),
        linked: gold.top_link_is_topic(&retrieval.links),
        answers_topic,
    })
}

/// Prepares every question on `threads` threads, calling `progress` after each.
pub fn prepare(
    pipeline: &Pipeline,
    relations: &RelationTexts,
    questions: &[Question],
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Prepared>> {
    let chunk = questions.len().div_ceil(threads.max(1)).max(1);
    let results: Mutex<Vec<(usize, Result<Vec<Prepared>>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for (i, part) in questions.chunks(chunk).enumerate() {
            let results = &results;
            scope.spawn(move || {
                let prepared = part
                    .iter()
                    .map(|q| {
                        let p = prepare_one(pipeline, relations, q);
                        progress();
                        p
                    })
                    .collect::<Result<Vec<_>>>();
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, prepared));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    let mut prepared = Vec::with_capacity(questions.len());
    for (_, part) in results {
        prepared.extend(part?);
    }
    Ok(prepared)
}

/// Scores `prepared` in batches of `batch_size` and turns the scores into per-question outcomes.
pub fn outcomes(
    scorer: &Scorer,
    prepared: &[Prepared],
    batch_size: usize,
) -> Result<Vec<QuestionOutcome>> {
    Ok(outcomes_from(
        prepared,
        &node_scores(scorer, prepared, batch_size)?,
    ))
}

/// Every node's probability of being an answer, per question of `prepared`, scored in batches of
/// `batch_size`.
pub fn node_scores(
    scorer: &Scorer,
    prepared: &[Prepared],
    batch_size: usize,
) -> Result<Vec<Vec<f64>>> {
    let samples: Vec<&Sample> = prepared.iter().map(|p| &p.sample).collect();
    scorer.score(&samples, batch_size)
}

/// The outcomes of `prepared` questions whose nodes scored `scores`.
pub fn outcomes_from(prepared: &[Prepared], scores: &[Vec<f64>]) -> Vec<QuestionOutcome> {
    prepared
        .iter()
        .zip(scores)
        .map(|(p, scores)| QuestionOutcome::new(&p.sample, scores, p.gold))
        .collect()
}
