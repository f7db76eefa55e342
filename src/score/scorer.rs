//! A model with its weights on a device: built fresh (its encoder then loaded from the pretrained
//! one, for training), or (through
//! [`Checkpoint::load`](super::Checkpoint::load)) from a checkpoint; it scores prepared samples.

use rust_bert::bert::BertConfig;
use tch::{nn, Device, Tensor};
use tokenizers::Tokenizer;

use super::encoder::load_pretrained;
use super::infer::{score_encoded_timed, score_samples, score_samples_timed, ScoringTimes};
use super::model::{AnswerModel, ModelConfig, BERT_PREFIX};
use super::packed::PackedBert;
use super::pretrained::Pretrained;
use super::sample::Sample;
use crate::error::Result;

/// The answer model, its variables and its device. It is `Send` but not `Sync` (libtorch
/// tensors): one thread scores with it.
pub struct Scorer {
    model: AnswerModel,
    vars: nn::VarStore,
    bert: BertConfig,
    device: Device,
}

impl std::fmt::Debug for Scorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scorer")
            .field("model", &self.model)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl Scorer {
    /// A model with fresh (random) weights on `device`.
    pub fn new(
        bert: BertConfig,
        tokenizer: Tokenizer,
        config: ModelConfig,
        device: Device,
    ) -> Self {
        let vars = nn::VarStore::new(device);
        let model = AnswerModel::new(&vars, &bert, tokenizer, config);
        Self {
            model,
            vars,
            bert,
            device,
        }
    }

    /// Copies `pretrained`'s weights into the encoder (the graph layers keep theirs).
    pub fn load_encoder(&self, pretrained: &Pretrained) -> Result<()> {
        load_pretrained(&self.vars, BERT_PREFIX, &pretrained.weights()).map(drop)
    }

    /// The network.
    pub fn model(&self) -> &AnswerModel {
        &self.model
    }

    /// Its variables (for the optimizer).
    pub fn vars(&self) -> &nn::VarStore {
        &self.vars
    }

    /// Its variables, to load weights into.
    pub fn vars_mut(&mut self) -> &mut nn::VarStore {
        &mut self.vars
    }

    /// The encoder's BERT configuration.
    pub fn bert_config(&self) -> &BertConfig {
        &self.bert
    }

    /// The device the model runs on.
    pub fn device(&self) -> Device {
        self.device
    }

    /// Readies the model for answering, not training: on the CPU, small batches of questions
    /// then run through the encoder's weights packed as fp16 ([`PackedBert`]). Call it after the
    /// weights are final (the packed copy does not follow training).
    pub fn pack_for_answering(&mut self) -> Result<()> {
        let packed = PackedBert::pack(&self.vars, BERT_PREFIX, &self.bert)?;
        self.model.encoder_mut().pack(packed);
        Ok(())
    }

    /// Keeps BERT's weights fixed: only the graph network and head train.
    pub fn freeze_bert(&mut self) {
        for (name, variable) in self.vars.variables() {
            if name.starts_with(BERT_PREFIX) {
                let _ = variable.set_requires_grad(false);
            }
        }
    }

    /// Scores `samples` in batches of at most `batch_size`: per sample, every node's probability.
    pub fn score(&self, samples: &[&Sample], batch_size: usize) -> Result<Vec<Vec<f64>>> {
        score_samples(&self.model, samples, batch_size, self.device)
    }

    /// [`Scorer::score`], adding the time of each stage to `times`.
    pub fn score_timed(
        &self,
        samples: &[&Sample],
        batch_size: usize,
        times: &mut ScoringTimes,
    ) -> Result<Vec<Vec<f64>>> {
        score_samples_timed(&self.model, samples, batch_size, self.device, times)
    }

    /// Encodes question `texts` (the samples' model texts) as one batch, for
    /// [`Scorer::score_encoded_timed`]: `[texts, hidden]`.
    pub fn encode_questions(&self, texts: &[String]) -> Result<Tensor> {
        self.model.encode_questions(texts, self.device)
    }

    /// Scores `samples` as one batch whose questions [`Scorer::encode_questions`] encoded, adding
    /// the time of each stage to `times`.
    pub fn score_encoded_timed(
        &self,
        samples: &[&Sample],
        questions: &Tensor,
        times: &mut ScoringTimes,
    ) -> Result<Vec<Vec<f64>>> {
        score_encoded_timed(&self.model, samples, questions, self.device, times)
    }

    /// Runs the question encoder alone over `texts`, in batches of at most `batch_size`: the
    /// bound on how fast scoring can be.
    pub fn encode_only(&self, texts: &[String], batch_size: usize) -> Result<()> {
        for chunk in texts.chunks(batch_size.max(1)) {
            let encoded = self.model.encode_questions(chunk, self.device)?;
            // Waits for the device (a no-op on the CPU), so that the time is the encoder's.
            let _ = encoded.sum(tch::Kind::Float).double_value(&[]);
        }
        Ok(())
    }
}
