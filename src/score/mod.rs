//! Scoring candidate answers: a BERT encoder fine-tuned jointly with a graph convolutional network
//! over the retrieved subgraph (tch on libtorch; CUDA when available).
//!
//! This module owns the model's lifecycle: a [`Scorer`] is built fresh, from the [`Pretrained`]
//! encoder, or loaded from a [`Checkpoint`], which is also where it is saved.

mod checkpoint;
mod encoder;
mod gcn;
mod infer;
mod model;
mod outcome;
mod packed;
mod pretrained;
mod relations;
mod sample;
mod scorer;
mod threads;
mod tiny;

pub use checkpoint::{Checkpoint, CheckpointMeta, Loaded, MODEL_FORMAT};
pub use encoder::{read_bert_config, read_tokenizer, QuestionEncoder};
pub use gcn::{Gcn, GcnConfig, GraphTensors};
pub use infer::ScoringTimes;
pub use model::{loss, AnswerModel, Encoded, ModelConfig, BERT_PREFIX};
pub use outcome::{QuestionOutcome, ScoredCandidate};
pub use packed::{PackedBert, PACKED_MAX_ROWS};
pub use pretrained::Pretrained;
pub use relations::{DirectedTexts, RelationTexts};
pub use sample::{Batch, Sample};
pub use scorer::Scorer;
pub use threads::{IntraOpThreads, ONE_QUESTION_THREADS};
#[doc(hidden)]
pub use tiny::{tiny_bert_config, tiny_model_config};

use crate::error::{Error, Result};

/// Where the model runs.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum DeviceChoice {
    /// CUDA when libtorch sees a GPU, else CPU.
    #[default]
    Auto,
    /// The CPU.
    Cpu,
    /// The first GPU (an error when there is none).
    Cuda,
}

impl DeviceChoice {
    /// The tch device.
    pub fn device(self) -> Result<tch::Device> {
        match self {
            DeviceChoice::Auto => Ok(tch::Device::cuda_if_available()),
            DeviceChoice::Cpu => Ok(tch::Device::Cpu),
            DeviceChoice::Cuda if tch::Cuda::is_available() => Ok(tch::Device::Cuda(0)),
            DeviceChoice::Cuda => Err(Error::invalid(
                "--device",
                "cuda was asked for, but libtorch sees no GPU",
            )),
        }
    }
}

#[cfg(test)]
mod tests;
