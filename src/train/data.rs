//! Turning questions into model samples: link, retrieve, and mark the gold answers.

use std::sync::Mutex;

use crate::error::Result;
use crate::link::Link;
use crate::pipeline::{Pipeline, Retrieval};
use crate::question::{strip_brackets, Question};
use crate::score::{RelationVocab, Sample};

/// What stands for the topic entity's mention in the text the encoder reads: the question's
/// wording matters, not which entity it is about.
pub const MENTION_MASK: &str = "[MASK]";

/// A question with its sample and what evaluation needs to know about it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The question.
    pub question: Question,
    /// The model's input.
    pub sample: Sample,
    /// Gold answers that are nodes of the graph.
    pub gold: usize,
    /// Whether the top link is the gold topic entity.
    pub linked: bool,
    /// Whether a gold answer is one of the question's own topic entities.
    pub answers_topic: bool,
}

/// The encoder's text: the question without markup, its top mention replaced by [`MENTION_MASK`].
pub fn model_text(question: &str, links: &[Link]) -> String {
    match links.first() {
        Some(top) => format!(
            "{}{MENTION_MASK}{}",
            strip_brackets(&question[..top.span.start]),
            strip_brackets(&question[top.span.end..])
        ),
        None => strip_brackets(question),
    }
}

/// Prepares one question from its retrieval.
pub fn prepare_one(
    pipeline: &Pipeline,
    vocab: &RelationVocab,
    question: &Question,
) -> Result<Prepared> {
    let retrieval = pipeline.retrieve(&question.text)?;
    Ok(from_retrieval(pipeline, vocab, question, &retrieval))
}

fn from_retrieval(
    pipeline: &Pipeline,
    vocab: &RelationVocab,
    question: &Question,
    retrieval: &Retrieval,
) -> Prepared {
    let linker = pipeline.linker();
    let subgraph = &retrieval.subgraph;
    let gold_nodes: Vec<_> = question
        .answers
        .iter()
        .flat_map(|a| linker.resolve(a))
        .collect();
    let gold_ids: Vec<u32> = gold_nodes
        .iter()
        .filter_map(|&n| subgraph.id(linker.index().iri(n)))
        .collect();
    let answers_topic = gold_ids
        .iter()
        .any(|&id| subgraph.distances()[id as usize] == 0);
    let mut positives: Vec<u32> = gold_ids
        .into_iter()
        .filter(|&id| subgraph.is_candidate(id))
        .collect();
    positives.sort_unstable();
    positives.dedup();
    let topic = question
        .topic
        .as_ref()
        .map(|t| linker.resolve(t))
        .unwrap_or_default();
    Prepared {
        question: question.clone(),
        sample: Sample::new(
            model_text(&question.text, &retrieval.links),
            subgraph,
            vocab,
            positives,
        ),
        gold: gold_nodes.len(),
        linked: retrieval
            .links
            .first()
            .is_some_and(|l| topic.contains(&l.node_id())),
        answers_topic,
    }
}

/// Prepares every question on `threads` threads, calling `progress` after each.
pub fn prepare(
    pipeline: &Pipeline,
    vocab: &RelationVocab,
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
                        let p = prepare_one(pipeline, vocab, q);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_top_mention_and_drops_markup() {
        let graph = crate::testing::graph(r#"ex:heat rdfs:label "Heat" ."#);
        let linker = crate::link::Linker::new(graph, Default::default()).unwrap();
        let links = linker.link("who directed [Heat] in 1995").unwrap();
        assert_eq!(
            model_text("who directed [Heat] in 1995", &links),
            "who directed [MASK] in 1995"
        );
        let links = linker.link("who directed heat?").unwrap();
        assert_eq!(
            model_text("who directed heat?", &links),
            "who directed [MASK]?"
        );
        assert_eq!(model_text("no [entity] here", &[]), "no entity here");
    }
}
