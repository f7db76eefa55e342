//! The first stage of answering: link the question, retrieve the subgraph around its topic
//! entities, and turn both into the model's input.

use crate::error::Result;
use std::ops::Range;
use std::time::{Duration, Instant};

use crate::link::Topics;
use crate::pipeline::{Linked, Pipeline, Retrieval};
use crate::question::strip_brackets;
use crate::score::{RelationTexts, Sample};

/// What stands for the topic entity's mention in the text the encoder reads: the question's
/// wording matters, not which entity it is about.
pub const MENTION_MASK: &str = "[MASK]";

/// A question ready to be scored: what the pipeline found for it, and the model's input.
#[derive(Debug, Clone)]
pub struct PreparedQuestion {
    /// The question as asked.
    pub question: String,
    /// Its links and subgraph.
    pub retrieval: Retrieval,
    /// The model's input.
    pub sample: Sample,
    /// Time spent building it (after retrieval).
    pub sample_time: Duration,
}

/// Links and retrieves `question`, and builds its sample, the relations known by `relations`.
pub fn prepare_question(
    pipeline: &Pipeline,
    relations: &RelationTexts,
    question: &str,
) -> Result<PreparedQuestion> {
    prepare_linked(pipeline, relations, question, pipeline.link(question)?)
}

/// Retrieves a `linked` question's subgraph and builds its sample.
pub fn prepare_linked(
    pipeline: &Pipeline,
    relations: &RelationTexts,
    question: &str,
    linked: Linked,
) -> Result<PreparedQuestion> {
    let retrieval = pipeline.retrieve_linked(linked)?;
    let started = Instant::now();
    let sample = sample(question, &retrieval, relations, Vec::new());
    Ok(PreparedQuestion {
        question: question.to_owned(),
        sample,
        sample_time: started.elapsed(),
        retrieval,
    })
}

/// The model's input for `question` given its retrieval, with `positives` (subgraph ids of gold
/// answers) marked for training.
pub(crate) fn sample(
    question: &str,
    retrieval: &Retrieval,
    relations: &RelationTexts,
    positives: Vec<u32>,
) -> Sample {
    Sample::new(
        model_text(question, &retrieval.topics),
        &retrieval.subgraph,
        &retrieval.topics,
        relations,
        positives,
    )
}

/// The encoder's text: the question without markup, the mention of each of its constraints
/// replaced by [`MENTION_MASK`].
pub fn model_text(question: &str, topics: &Topics) -> String {
    let mut spans: Vec<&Range<usize>> =
        topics.mentions().iter().filter(|s| !s.is_empty()).collect();
    spans.sort_by_key(|s| s.start);
    let mut text = String::with_capacity(question.len());
    let mut next = 0;
    for span in spans {
        if span.start < next {
            continue;
        }
        text.push_str(&strip_brackets(&question[next..span.start]));
        text.push_str(MENTION_MASK);
        next = span.end;
    }
    text.push_str(&strip_brackets(&question[next..]));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::topics;

    #[test]
    fn masks_every_constraint_mention_and_drops_markup() {
        let graph = crate::testing::graph(
            r#"ex:heat rdfs:label "Heat" . ex:pacino rdfs:label "Al Pacino" ."#,
        );
        let linker = crate::link::Linker::new(graph, Default::default()).unwrap();
        let masked =
            |question: &str| model_text(question, &topics(&linker.link(question).unwrap()));
        assert_eq!(
            masked("who directed [Heat] in 1995"),
            "who directed [MASK] in 1995"
        );
        assert_eq!(masked("who directed heat?"), "who directed [MASK]?");
        assert_eq!(
            masked("who directed [Heat] with [Al Pacino]"),
            "who directed [MASK] with [MASK]"
        );
        assert_eq!(masked("no [entity] here"), "no entity here");
    }
}
