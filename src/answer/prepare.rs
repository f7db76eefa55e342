//! The first stage of answering: link the question, retrieve the subgraph around its topic
//! entities, and turn both into the model's input.

use crate::error::Result;
use crate::link::Link;
use crate::pipeline::{Pipeline, Retrieval};
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
}

/// Links and retrieves `question`, and builds its sample, the relations known by `relations`.
pub fn prepare_question(
    pipeline: &Pipeline,
    relations: &RelationTexts,
    question: &str,
) -> Result<PreparedQuestion> {
    let retrieval = pipeline.retrieve(question)?;
    Ok(PreparedQuestion {
        question: question.to_owned(),
        sample: sample(question, &retrieval, relations, Vec::new()),
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
        model_text(question, &retrieval.links),
        &retrieval.subgraph,
        relations,
        positives,
    )
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
