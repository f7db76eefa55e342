//! The question encoder: a BERT model from rust-bert with its WordPiece tokenizer, mean-pooled.

use std::path::Path;

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use super::packed::{PackedBert, PACKED_MAX_ROWS};
use crate::error::{Error, Result};

/// Encodes questions into one vector each.
pub struct QuestionEncoder {
    bert: BertModel<BertEmbeddings>,
    tokenizer: Tokenizer,
    pad_id: i64,
    max_tokens: usize,
    hidden: i64,
    /// The same weights packed for small batches in inference, once [`QuestionEncoder::pack`]ed.
    packed: Option<PackedBert>,
}

impl std::fmt::Debug for QuestionEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuestionEncoder")
            .field("hidden", &self.hidden)
            .field("max_tokens", &self.max_tokens)
            .finish_non_exhaustive()
    }
}

impl QuestionEncoder {
    /// A BERT encoder with fresh (random) weights under `path`. Whatever padding `tokenizer`
    /// comes with is turned off (the tokenizer.json of sentence-transformers pads every text to
    /// 128 tokens): [`QuestionEncoder::tokenize`] pads each batch to its own longest text.
    pub fn new(
        path: nn::Path<'_>,
        config: &BertConfig,
        mut tokenizer: Tokenizer,
        max_tokens: usize,
    ) -> Self {
        tokenizer.with_padding(None);
        let pad_id = tokenizer.token_to_id("[PAD]").map_or(0, i64::from);
        Self {
            bert: BertModel::new_with_optional_pooler(path, config, false),
            tokenizer,
            pad_id,
            max_tokens,
            hidden: config.hidden_size,
            packed: None,
        }
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The size of a question vector.
    pub fn hidden_size(&self) -> i64 {
        self.hidden
    }

    /// Token ids and attention mask for `texts`, padded to the longest (at most `max_tokens`).
    pub fn tokenize(&self, texts: &[String], device: Device) -> Result<(Tensor, Tensor)> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| Error::internal("tokenizing questions", e))?;
        let longest = encodings
            .iter()
            .map(|e| e.get_ids().len().min(self.max_tokens))
            .max()
            .unwrap_or(1)
            .max(1);
        let mut ids = Vec::with_capacity(texts.len() * longest);
        for encoding in &encodings {
            let tokens = encoding.get_ids();
            let kept = tokens.len().min(longest);
            ids.extend(tokens[..kept].iter().map(|&t| i64::from(t)));
            if kept < tokens.len() {
                // Keep the final [SEP] when truncating.
                if let (Some(last), Some(&sep)) = (ids.last_mut(), tokens.last()) {
                    *last = i64::from(sep);
                }
            }
            ids.extend(std::iter::repeat_n(self.pad_id, longest - kept));
        }
        let ids = Tensor::from_slice(&ids)
            .view([texts.len() as i64, longest as i64])
            .to(device);
        let mask = ids.ne(self.pad_id).to_kind(Kind::Int64);
        Ok((ids, mask))
    }

    /// Uses `packed` weights for small batches in inference from now on (`None`: never). The
    /// packed copy does not follow later changes of the weights: for a model that answers, not
    /// one that trains.
    pub fn pack(&mut self, packed: Option<PackedBert>) {
        self.packed = packed;
    }

    /// Mean-pooled final hidden states, one row per text: `[texts, hidden]`.
    pub fn encode(&self, texts: &[String], device: Device, train: bool) -> Result<Tensor> {
        let (ids, mask) = self.tokenize(texts, device)?;
        let hidden = match &self.packed {
            Some(packed) if !train && ids.numel() as i64 <= PACKED_MAX_ROWS => {
                packed.forward(&ids, &mask)
            }
            _ => {
                self.bert
                    .forward_t(Some(&ids), Some(&mask), None, None, None, None, None, train)
                    .map_err(|e| Error::internal("encoding questions", e))?
                    .hidden_state
            }
        };
        let mask = mask.to_kind(Kind::Float).unsqueeze(-1);
        let summed = (hidden * &mask).sum_dim_intlist(1, false, Kind::Float);
        let counts = mask.sum_dim_intlist(1, false, Kind::Float).clamp_min(1.0);
        Ok(summed / counts)
    }
}

/// Reads a BERT `config.json`.
pub fn read_bert_config(path: &Path) -> Result<BertConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads a `tokenizer.json`.
pub fn read_tokenizer(path: &Path) -> Result<Tokenizer> {
    Tokenizer::from_file(path).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: format!("not a tokenizer: {e}"),
    })
}

/// Copies pretrained weights (safetensors, keys without prefix) into the variables under `prefix`.
/// Returns how many tensors were copied; fails if a BERT variable has no pretrained value.
pub fn load_pretrained(vs: &nn::VarStore, prefix: &str, weights: &Path) -> Result<usize> {
    let tensors = Tensor::read_safetensors(weights)
        .map_err(|e| Error::invalid(weights.display().to_string(), e.to_string()))?;
    let tensors: std::collections::HashMap<String, Tensor> = tensors.into_iter().collect();
    let mut variables = vs.variables();
    let mut copied = 0;
    tch::no_grad(|| -> Result<()> {
        for (name, variable) in variables.iter_mut() {
            let Some(key) = name.strip_prefix(prefix).and_then(|k| k.strip_prefix('.')) else {
                continue;
            };
            let source = tensors.get(key).ok_or_else(|| {
                Error::invalid(
                    weights.display().to_string(),
                    format!("no pretrained tensor `{key}`"),
                )
            })?;
            if source.size() != variable.size() {
                return Err(Error::invalid(
                    weights.display().to_string(),
                    format!(
                        "`{key}` has shape {:?}, the model expects {:?}",
                        source.size(),
                        variable.size()
                    ),
                ));
            }
            variable.copy_(source);
            copied += 1;
        }
        Ok(())
    })?;
    Ok(copied)
}
