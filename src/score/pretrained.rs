//! A pretrained encoder directory (as `.ci/setup` installs it): BERT's configuration, its
//! tokenizer and its weights (safetensors, keys without prefix).

use std::path::{Path, PathBuf};

use rust_bert::bert::BertConfig;
use tokenizers::Tokenizer;

use super::encoder::{read_bert_config, read_tokenizer};
use crate::error::{Error, Result};

/// The pretrained encoder in a directory.
#[derive(Debug, Clone)]
pub struct Pretrained {
    dir: PathBuf,
}

impl Pretrained {
    /// BERT's configuration in the directory.
    pub const CONFIG_FILE: &'static str = "config.json";
    /// The tokenizer in the directory.
    pub const TOKENIZER_FILE: &'static str = "tokenizer.json";
    /// The weights in the directory.
    pub const WEIGHTS_FILE: &'static str = "model.safetensors";

    /// The pretrained encoder in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Fails, naming the missing file, unless configuration, tokenizer and weights are all there.
    pub fn check(&self) -> Result<()> {
        for file in [Self::CONFIG_FILE, Self::TOKENIZER_FILE, Self::WEIGHTS_FILE] {
            if !self.dir.join(file).is_file() {
                return Err(Error::invalid(
                    "--pretrained",
                    format!(
                        "the pretrained encoder has no {file} in {} (run .ci/setup, or pass --pretrained DIR)",
                        self.dir.display()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// BERT's configuration.
    pub fn bert_config(&self) -> Result<BertConfig> {
        read_bert_config(&self.dir.join(Self::CONFIG_FILE))
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> Result<Tokenizer> {
        read_tokenizer(&self.dir.join(Self::TOKENIZER_FILE))
    }

    /// The weights file.
    pub fn weights(&self) -> PathBuf {
        self.dir.join(Self::WEIGHTS_FILE)
    }
}
