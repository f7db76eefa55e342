//! The answering service: prepare (link, retrieve, sample), score (a batch scorer, wherever the
//! model lives), finish (threshold, top k, evidence). `kgqa ask`, `kgqa eval`, `kgqa bench` and
//! `kgqa serve` all answer through it, so they give the same answers.

use super::finish::{finish, Answer, AskOptions};
use super::prepare::{prepare_question, PreparedQuestion};
use super::scoring::BatchScorer;
use crate::error::{Error, Result};
use crate::pipeline::{Pipeline, Retrieval};
use crate::score::{RelationTexts, Sample};

/// Everything answering needs besides the model's weights: the pipeline over the graph, the texts
/// of the graph's relations (to build samples) and the model's calibrated answer threshold.
#[derive(Clone)]
pub struct AnswerService {
    pipeline: Pipeline,
    relations: RelationTexts,
    threshold: f64,
}

impl std::fmt::Debug for AnswerService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerService")
            .field("relations", &self.relations.len())
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}

impl AnswerService {
    /// A service over `pipeline`, whose graph's relations the model reads from `relations`,
    /// answering above `threshold`.
    pub fn new(pipeline: Pipeline, relations: RelationTexts, threshold: f64) -> Self {
        Self {
            pipeline,
            relations,
            threshold,
        }
    }

    /// A service over `pipeline` with the texts of its graph's relations.
    pub fn over_graph(pipeline: Pipeline, threshold: f64) -> Result<Self> {
        let relations = RelationTexts::from_graph(pipeline.retriever().graph())?;
        Ok(Self::new(pipeline, relations, threshold))
    }

    /// The pipeline.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The texts of the graph's relations.
    pub fn relations(&self) -> &RelationTexts {
        &self.relations
    }

    /// The answer threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Answers when the best candidate scores at least `threshold` instead of the calibrated one.
    pub fn set_threshold(&mut self, threshold: f64) {
        self.threshold = threshold;
    }

    /// Brings the linker's label index and the relation texts up to date for `nodes`, after a
    /// graph update touched them.
    pub fn refresh_labels(&mut self, nodes: &[oxigraph::model::NamedNode]) -> Result<()> {
        self.pipeline.refresh_labels(nodes)?;
        self.relations
            .refresh(self.pipeline.retriever().graph(), nodes)
    }

    /// Stage 1: links and retrieves `question`, and builds the model's input.
    pub fn prepare(&self, question: &str) -> Result<PreparedQuestion> {
        prepare_question(&self.pipeline, &self.relations, question)
    }

    /// Stage 3: the answer to `question` from its retrieval and its nodes' `scores`.
    pub fn finish(
        &self,
        question: &str,
        retrieval: Retrieval,
        scores: &[f64],
        options: AskOptions,
    ) -> Result<Answer> {
        finish(
            self.pipeline.retriever().graph(),
            question,
            retrieval,
            scores,
            self.threshold,
            options,
        )
    }

    /// All three stages for `questions`, scored together as one batch by `scorer`.
    pub fn ask_with(
        &self,
        scorer: &mut dyn BatchScorer,
        questions: &[&str],
        options: AskOptions,
    ) -> Result<Vec<Answer>> {
        let prepared = questions
            .iter()
            .map(|q| self.prepare(q))
            .collect::<Result<Vec<_>>>()?;
        let samples: Vec<&Sample> = prepared.iter().map(|p| &p.sample).collect();
        let scores = scorer.score(&samples, samples.len().max(1))?;
        if scores.len() != prepared.len() {
            return Err(Error::internal(
                "scoring",
                format!("{} scores for {} questions", scores.len(), prepared.len()),
            ));
        }
        prepared
            .into_iter()
            .zip(scores)
            .map(|(p, scores)| self.finish(&p.question, p.retrieval, &scores, options))
            .collect()
    }
}
