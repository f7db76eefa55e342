//! A trained model over a graph, ready to answer on the caller's thread: the answering service
//! with the model that scores for it.

use tch::Device;

use super::finish::{Answer, AskOptions};
use super::service::{AnswerService, AskTimes};
use crate::config::Settings;
use crate::error::Result;
use crate::pipeline::Pipeline;
use crate::score::{Checkpoint, CheckpointMeta, Loaded, Scorer};

/// The answering service and its model.
pub struct Answerer {
    service: AnswerService,
    scorer: Scorer,
    meta: CheckpointMeta,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answerer")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl Answerer {
    /// The model of `settings` (its `model_dir`, on its device) over the store of `settings`
    /// (read from a memory copy when `in_memory`, as evaluations do).
    pub fn from_settings(settings: &Settings, in_memory: bool) -> Result<Self> {
        let graph = settings.open_graph(in_memory)?;
        let pipeline = Pipeline::from_settings(settings, graph, &[])?;
        Self::load(
            pipeline,
            &Checkpoint::at(&settings.model_dir),
            settings.device.device()?,
        )
    }

    /// Loads the checkpoint onto `device` to answer over the pipeline's graph (any graph: the
    /// model reads its relations from their texts); the pipeline's linker takes the checkpoint's
    /// prior.
    pub fn load(pipeline: Pipeline, checkpoint: &Checkpoint, device: Device) -> Result<Self> {
        let Loaded {
            mut scorer,
            meta,
            prior,
        } = checkpoint.load(device)?;
        scorer.pack_for_answering()?;
        let service = AnswerService::over_graph(pipeline.with_link_prior(prior), meta.threshold)?;
        Ok(Self {
            service,
            scorer,
            meta,
        })
    }

    /// The checkpoint's metadata.
    pub fn meta(&self) -> &CheckpointMeta {
        &self.meta
    }

    /// The answering service (pipeline with the checkpoint's linking prior, relation texts, threshold).
    pub fn service(&self) -> &AnswerService {
        &self.service
    }

    /// The model.
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    /// The service and the model apart, so that the model can live on a thread of its own.
    pub fn into_parts(self) -> (AnswerService, Scorer, CheckpointMeta) {
        (self.service, self.scorer, self.meta)
    }

    /// Answers when the best candidate scores at least `threshold` instead of the checkpoint's
    /// calibrated threshold (0 always gives the best guesses).
    pub fn set_threshold(&mut self, threshold: f64) {
        self.service.set_threshold(threshold);
    }

    /// Answers `question` with at most `top_k` answers.
    pub fn ask(&mut self, question: &str, top_k: usize) -> Result<Answer> {
        let mut answers = self.ask_batch(&[question], AskOptions::top(top_k))?;
        Ok(answers.remove(0))
    }

    /// Answers several questions, scoring them together in one batch (their subgraphs retrieved
    /// while the model encodes them).
    pub fn ask_batch(&mut self, questions: &[&str], options: AskOptions) -> Result<Vec<Answer>> {
        self.ask_timed(questions, options, &mut AskTimes::default())
    }

    /// [`Answerer::ask_batch`], adding the time of each stage to `times`.
    pub fn ask_timed(
        &self,
        questions: &[&str],
        options: AskOptions,
        times: &mut AskTimes,
    ) -> Result<Vec<Answer>> {
        self.service
            .ask_overlapped(&self.scorer, questions, options, times)
    }
}
