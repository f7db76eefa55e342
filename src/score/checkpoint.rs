//! Checkpoints: one directory holding the weights, the resolved configuration, the linker's
//! learned prior, the seed and the validation metrics. No relation vocabulary: the model reads
//! relations from their texts, so a checkpoint answers over any graph.
//!
//! ```text
//! models/<name>/
//!   model.safetensors   weights (BERT under `bert.`, graph network and head beside it)
//!   config.json         CheckpointMeta: model and training configuration, seed, threshold, metrics…
//!   link_prior.json     what the linker learned from the training questions
//!   bert_config.json    the encoder's shape, and tokenizer.json its tokenizer
//! ```
//!
//! [`Checkpoint::save`] writes a [`Scorer`] with its metadata; [`Checkpoint::load`] reads one back
//! for a device. Every file is written then renamed, so an interrupted save leaves the previous
//! checkpoint readable.

use std::path::{Path, PathBuf};

use tch::Device;

use super::encoder::{read_bert_config, read_tokenizer};
use super::model::ModelConfig;
use super::scorer::Scorer;
use crate::error::{Error, Result};
use crate::link::LinkPrior;

const WEIGHTS_FILE: &str = "model.safetensors";
const META_FILE: &str = "config.json";
/// The relation vocabulary that checkpoints of earlier kgqa versions held (their weights no
/// longer fit: those models knew relations by index).
const LEGACY_RELATIONS_FILE: &str = "relations.json";
const PRIOR_FILE: &str = "link_prior.json";
const BERT_CONFIG_FILE: &str = "bert_config.json";
const TOKENIZER_FILE: &str = "tokenizer.json";

/// The layout of the weights this version writes and reads: 2 since the graph network's
/// intersection features (questions with several constraints). Checkpoints without the field
/// are older.
pub const MODEL_FORMAT: u32 = 2;

/// Everything about a checkpoint except its weights.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointMeta {
    /// The kgqa version that wrote it.
    pub kgqa_version: String,
    /// The layout of its weights ([`MODEL_FORMAT`] when written by this version).
    #[serde(default)]
    pub format: u32,
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
    /// What it was trained on: labelled and synthesised questions, their mix, where validation
    /// questions came from, the checkpoint it started from (null for older checkpoints).
    #[serde(default)]
    pub data: serde_json::Value,
}

/// A checkpoint, loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The model with its weights.
    pub scorer: Scorer,
    /// Its metadata (configuration, threshold, validation figures).
    pub meta: CheckpointMeta,
    /// What the linker learned from the training questions.
    pub prior: LinkPrior,
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

    /// Whether a complete checkpoint is there.
    pub fn exists(&self) -> bool {
        [
            WEIGHTS_FILE,
            META_FILE,
            PRIOR_FILE,
            BERT_CONFIG_FILE,
            TOKENIZER_FILE,
        ]
        .iter()
        .all(|f| self.dir.join(f).is_file())
    }

    /// Loads the model onto `device`, with its metadata and the linker's prior.
    pub fn load(&self, device: Device) -> Result<Loaded> {
        let (meta, prior) = self.read_meta()?;
        let bert = read_bert_config(&self.dir.join(BERT_CONFIG_FILE))?;
        let tokenizer = read_tokenizer(&self.dir.join(TOKENIZER_FILE))?;
        let mut scorer = Scorer::new(bert, tokenizer, meta.model.clone(), device);
        self.load_weights(&mut scorer)?;
        Ok(Loaded {
            scorer,
            meta,
            prior,
        })
    }

    /// Loads the checkpoint's weights into `scorer` (to resume training), with an error that
    /// says what does not fit.
    pub fn load_weights(&self, scorer: &mut Scorer) -> Result<()> {
        scorer
            .vars_mut()
            .load(self.dir.join(WEIGHTS_FILE))
            .map_err(|e| {
                let why = if self.dir.join(LEGACY_RELATIONS_FILE).is_file() {
                    "it was trained by an older kgqa, whose model had a fixed relation \
                     vocabulary: train it again"
                        .to_owned()
                } else {
                    format!("they do not fit this model configuration: {e}")
                };
                Error::invalid(
                    "--model",
                    format!("cannot load the weights in {}: {why}", self.dir.display()),
                )
            })
    }

    /// Writes `scorer` (weights, encoder configuration and tokenizer) with its metadata and the
    /// linker's prior.
    pub fn save(&self, scorer: &Scorer, meta: &CheckpointMeta, prior: &LinkPrior) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        self.write_json(BERT_CONFIG_FILE, scorer.bert_config())?;
        let tokenizer = self.dir.join(TOKENIZER_FILE);
        self.write_renamed(&tokenizer, |partial| {
            scorer
                .model()
                .tokenizer()
                .save(partial, false)
                .map_err(|e| Error::internal("saving the tokenizer", e))
        })?;
        self.write_json(META_FILE, meta)?;
        self.write_json(PRIOR_FILE, prior)?;
        let weights = self.dir.join(WEIGHTS_FILE);
        self.write_renamed(&weights, |partial| {
            scorer
                .vars()
                .save(partial)
                .map_err(|e| Error::internal("saving the weights", e))
        })?;
        // An earlier version's vocabulary would make a later load failure blame the version.
        let legacy = self.dir.join(LEGACY_RELATIONS_FILE);
        match std::fs::remove_file(&legacy) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&legacy, e)),
            _ => Ok(()),
        }
    }

    /// Reads everything but the weights.
    pub fn read_meta(&self) -> Result<(CheckpointMeta, LinkPrior)> {
        if !self.exists() {
            return Err(Error::invalid(
                "--model",
                format!(
                    "{} holds no complete checkpoint (train one with `kgqa train`)",
                    self.dir.display()
                ),
            ));
        }
        let meta: CheckpointMeta = self.read_json(META_FILE)?;
        if meta.format != MODEL_FORMAT {
            return Err(Error::invalid(
                "--model",
                format!(
                    "{} was trained by kgqa {}, whose model does not fit this version's (weights \
                     format {}, this version reads {MODEL_FORMAT}): train it again",
                    self.dir.display(),
                    meta.kgqa_version,
                    meta.format
                ),
            ));
        }
        Ok((meta, self.read_json(PRIOR_FILE)?))
    }

    /// Writes `path` through `write` into a partial file beside it (`x.partial.ext`: tch picks
    /// the weights' format from the extension), then renames it into place.
    fn write_renamed(&self, path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let extension = path.extension().unwrap_or_default().to_string_lossy();
        let partial = path.with_extension(format!("partial.{extension}"));
        write(&partial)?;
        std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))
    }

    fn write_json<T: serde::Serialize>(&self, name: &str, value: &T) -> Result<()> {
        let text =
            serde_json::to_string_pretty(value).map_err(|e| Error::invalid(name, e.to_string()))?;
        self.write_renamed(&self.dir.join(name), |partial| {
            std::fs::write(partial, text).map_err(|e| Error::io(partial, e))
        })
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
