//! The answering service: prepare (link, retrieve, sample), score (a batch scorer, wherever the
//! model lives), finish (threshold, top k, evidence). `kgqa ask`, `kgqa eval`, `kgqa bench` and
//! `kgqa serve` all answer through it, so they give the same answers.

use std::time::{Duration, Instant};

use super::finish::{finish, Answer, AskOptions};
use super::prepare::{model_text, prepare_linked, prepare_question, PreparedQuestion};
use crate::error::{Error, Result};
use crate::pipeline::{Pipeline, Retrieval};
use crate::score::{RelationTexts, Sample, Scorer, ScoringTimes};

/// Where the time of [`AnswerService::ask_overlapped`] went, summed over questions. Retrieval and
/// sample building run on a second thread while the question encoder runs, so the stages add up
/// to more than the wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AskTimes {
    /// Linking.
    pub link: Duration,
    /// Retrieving subgraphs (beside the encoder).
    pub retrieve: Duration,
    /// Building samples from them (beside the encoder).
    pub sample: Duration,
    /// The question encoder.
    pub encoder: Duration,
    /// Waiting for retrieval after the encoder finished.
    pub wait: Duration,
    /// Scoring after both: tensors, relation texts, graph network, head.
    pub scoring: ScoringTimes,
    /// Ranking, labels and evidence.
    pub finish: Duration,
}

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

    /// All three stages for `questions`, scored together as one batch by the model in `scorer`,
    /// the questions' subgraphs retrieved on a second thread while the model encodes them (the
    /// encoder reads only the linked text); adds the time of each stage to `times`. A single
    /// question is scored on one thread ([`crate::score::ONE_QUESTION_THREADS`]), so retrieval
    /// has the other core.
    pub fn ask_overlapped(
        &self,
        scorer: &Scorer,
        questions: &[&str],
        options: AskOptions,
        times: &mut AskTimes,
    ) -> Result<Vec<Answer>> {
        if questions.is_empty() {
            // The encoder cannot take an empty batch; no question, no answer.
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let linked = questions
            .iter()
            .map(|q| self.pipeline.link(q))
            .collect::<Result<Vec<_>>>()?;
        times.link += started.elapsed();
        let texts: Vec<String> = questions
            .iter()
            .zip(&linked)
            .map(|(q, l)| model_text(q, &l.topics))
            .collect();
        let (prepared, encoded) = std::thread::scope(|scope| {
            let retrieving = scope.spawn(|| {
                questions
                    .iter()
                    .zip(linked)
                    .map(|(q, l)| prepare_linked(&self.pipeline, &self.relations, q, l))
                    .collect::<Result<Vec<_>>>()
            });
            let started = Instant::now();
            let encoded = scorer.encode_questions(&texts);
            let encoded_at = Instant::now();
            times.encoder += encoded_at - started;
            let prepared = retrieving.join().unwrap_or_else(|_| {
                Err(Error::internal(
                    "retrieving",
                    "the retrieval thread panicked",
                ))
            });
            times.wait += encoded_at.elapsed();
            (prepared, encoded)
        });
        let prepared = prepared?;
        for p in &prepared {
            times.retrieve += p.retrieval.retrieve_time;
            times.sample += p.sample_time;
        }
        let samples: Vec<&Sample> = prepared.iter().map(|p| &p.sample).collect();
        let scores = scorer.score_encoded_timed(&samples, &encoded?, &mut times.scoring)?;
        let started = Instant::now();
        let answers = prepared
            .into_iter()
            .zip(scores)
            .map(|(p, scores)| self.finish(&p.question, p.retrieval, &scores, options))
            .collect();
        times.finish += started.elapsed();
        answers
    }
}
