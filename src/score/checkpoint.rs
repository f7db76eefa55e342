//! Checkpoints: one directory holding the weights, the resolved configuration, the relation
//! vocabulary, the linker's learned prior, the seed and the validation metrics.
//!
//! ```text
//! models/<name>/
//!   model.safetensors   weights (BERT under `bert.`, graph network and head beside it)
//!   config.json         CheckpointMeta: model and training configuration, seed, threshold, metrics…
//!   relations.json      the relation vocabulary, in index order
//!   link_prior.json     what the linker learned from the training questions
//!   bert_config.json    the encoder's shape, and tokenizer.json its tokenizer
//! ```

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::link::LinkPrior;

use super::model::ModelConfig;
use super::sample::RelationVocab;

/// The weights file of a checkpoint.
pub const WEIGHTS_FILE: &str = "model.safetensors";
const META_FILE: &str = "config.json";
const RELATIONS_FILE: &str = "relations.json";
const PRIOR_FILE: &str = "link_prior.json";
/// The encoder's BERT configuration, copied from the pretrained model.
pub const BERT_CONFIG_FILE: &str = "bert_config.json";
/// The encoder's tokenizer, copied from the pretrained model.
pub const TOKENIZER_FILE: &str = "tokenizer.json";

/// Everything about a checkpoint except its weights.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointMeta {
    /// The kgqa version that wrote it.
    pub kgqa_version: String,
    /// The model's shape.
    pub model: ModelConfig,
    /// The resolved training configuration (flags, file and defaults merged).
    pub train: serde_json::Value,
    /// The seed of training.
    pub seed: u64,
    /// Epochs trained so far.
    pub epochs: usize,
    /// Answers scoring below this are not given (calibrated on the validation split).
    pub threshold: f64,
    /// Validation metrics of these weights.
    pub validation: serde_json::Value,
    /// Triples in the graph it was trained on.
    pub graph_triples: u64,
}

/// A checkpoint directory.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    dir: PathBuf,
}

impl Checkpoint {
    /// The checkpoint in `dir` (which may not exist yet).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The weights file.
    pub fn weights(&self) -> PathBuf {
        self.dir.join(WEIGHTS_FILE)
    }

    /// Whether a complete checkpoint is there.
    pub fn exists(&self) -> bool {
        [
            WEIGHTS_FILE,
            META_FILE,
            RELATIONS_FILE,
            PRIOR_FILE,
            BERT_CONFIG_FILE,
            TOKENIZER_FILE,
        ]
        .iter()
        .all(|f| self.dir.join(f).is_file())
    }

    /// Copies the encoder's configuration and tokenizer from a pretrained model directory.
    pub fn copy_encoder_files(&self, pretrained: &Path) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        for (from, to) in [
            ("config.json", BERT_CONFIG_FILE),
            ("tokenizer.json", TOKENIZER_FILE),
        ] {
            let source = pretrained.join(from);
            std::fs::copy(&source, self.dir.join(to)).map_err(|e| Error::io(&source, e))?;
        }
        Ok(())
    }

    /// A file of the checkpoint.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes everything but the weights (written by the caller's variable store to [`Self::weights`]).
    pub fn write_meta(
        &self,
        meta: &CheckpointMeta,
        vocab: &RelationVocab,
        prior: &LinkPrior,
    ) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        self.write_json(META_FILE, meta)?;
        self.write_json(RELATIONS_FILE, vocab)?;
        self.write_json(PRIOR_FILE, prior)
    }

    /// Reads everything but the weights.
    pub fn read_meta(&self) -> Result<(CheckpointMeta, RelationVocab, LinkPrior)> {
        if !self.exists() {
            return Err(Error::invalid(
                "--model",
                format!(
                    "{} holds no complete checkpoint (train one with `kgqa train`)",
                    self.dir.display()
                ),
            ));
        }
        let vocab: RelationVocab = self.read_json(RELATIONS_FILE)?;
        Ok((
            self.read_json(META_FILE)?,
            vocab.reindex(),
            self.read_json(PRIOR_FILE)?,
        ))
    }

    fn write_json<T: serde::Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let path = self.dir.join(name);
        let text =
            serde_json::to_string_pretty(value).map_err(|e| Error::invalid(name, e.to_string()))?;
        // Write then rename, so an interrupted save never leaves a half-written file.
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text).map_err(|e| Error::io(&partial, e))?;
        std::fs::rename(&partial, &path).map_err(|e| Error::io(&path, e))
    }

    fn read_json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T> {
        let path = self.dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Config {
            path,
            message: format!("not a kgqa checkpoint file: {e}"),
        })
    }
}
