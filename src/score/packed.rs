//! The question encoder's fast path for small batches on the CPU: the same BERT, in inference
//! only, its linear layers' weights packed as fp16 for fbgemm.
//!
//! At batch 1 a question is about 10 to 20 word pieces, so each linear layer multiplies a handful
//! of rows by a 384 × 1536 weight matrix: the time goes to reading the weights, not to arithmetic.
//! fbgemm's fp16-weight kernel reads half the bytes and computes in fp32: a 12-token MiniLM-L6
//! forward pass takes 3.6 ms instead of 8.5 ms on one thread, 4.5 instead of 6.9 on two
//! (`.ci/bench-packed`). With many rows the fp32 kernel, which uses every core, is faster again,
//! so [`QuestionEncoder`](super::encoder::QuestionEncoder) takes this path only up to
//! [`PACKED_MAX_ROWS`] word pieces per batch. The fp16 rounding of the weights moves the question
//! vectors by about 1e-4 relative; answers do not change (measured on MetaQA).

use rust_bert::bert::BertConfig;
use rust_bert::Activation;
use tch::{nn, Device, Kind, Tensor};

use crate::error::{Error, Result};

/// Word pieces per batch (questions × longest question) up to which the packed path runs.
pub const PACKED_MAX_ROWS: i64 = 64;

/// BERT's layer norm epsilon (rust-bert's, and the pretrained model's).
const LAYER_NORM_EPS: f64 = 1e-12;

/// A linear layer with its weight packed for fbgemm's fp16 kernel.
struct PackedLinear {
    weight: Tensor,
    bias: Tensor,
}

impl PackedLinear {
    /// Packs `weight` `[out, in]` (several stacked along `out` for a fused layer).
    fn new(weight: &Tensor, bias: Tensor) -> Self {
        Self {
            weight: weight.contiguous().fbgemm_pack_gemm_matrix_fp16(),
            bias,
        }
    }

    fn forward(&self, x: &Tensor) -> Tensor {
        x.fbgemm_linear_fp16_weight_fp32_activation(&self.weight, &self.bias)
    }
}

/// A layer norm's weights.
struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    fn forward(&self, x: &Tensor) -> Tensor {
        let size = self.weight.size();
        x.layer_norm(
            size.as_slice(),
            Some(&self.weight),
            Some(&self.bias),
            LAYER_NORM_EPS,
            false,
        )
    }
}

/// One transformer layer.
struct Layer {
    /// Query, key and value in one matrix.
    qkv: PackedLinear,
    attention_output: PackedLinear,
    attention_norm: Norm,
    intermediate: PackedLinear,
    output: PackedLinear,
    output_norm: Norm,
}

/// A BERT encoder's weights packed for inference on the CPU.
pub struct PackedBert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: i64,
    hidden: i64,
}

impl std::fmt::Debug for PackedBert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackedBert")
            .field("layers", &self.layers.len())
            .field("hidden", &self.hidden)
            .finish_non_exhaustive()
    }
}

impl PackedBert {
    /// Packs the BERT whose variables are under `prefix` in `vars`, as rust-bert names them.
    /// `None` when the path does not apply: off the CPU (fbgemm is a CPU library), or for an
    /// activation other than BERT's exact GELU.
    pub fn pack(vars: &nn::VarStore, prefix: &str, config: &BertConfig) -> Result<Option<Self>> {
        if vars.device() != Device::Cpu || !matches!(config.hidden_act, Activation::gelu) {
            return Ok(None);
        }
        let variables = vars.variables();
        let get = |name: &str| -> Result<Tensor> {
            variables
                .get(&format!("{prefix}.{name}"))
                .map(|v| v.detach())
                .ok_or_else(|| Error::internal("packing the encoder", format!("no `{name}`")))
        };
        let norm = |path: &str| -> Result<Norm> {
            Ok(Norm {
                weight: get(&format!("{path}.weight"))?,
                bias: get(&format!("{path}.bias"))?,
            })
        };
        let linear = |path: &str| -> Result<PackedLinear> {
            Ok(PackedLinear::new(
                &get(&format!("{path}.weight"))?,
                get(&format!("{path}.bias"))?,
            ))
        };
        let layers = (0..config.num_hidden_layers)
            .map(|l| -> Result<Layer> {
                let p = format!("encoder.layer.{l}");
                let part =
                    |kind: &str, name: &str| get(&format!("{p}.attention.self.{name}.{kind}"));
                let weights = ["query", "key", "value"]
                    .map(|name| part("weight", name))
                    .into_iter()
                    .collect::<Result<Vec<_>>>()?;
                let biases = ["query", "key", "value"]
                    .map(|name| part("bias", name))
                    .into_iter()
                    .collect::<Result<Vec<_>>>()?;
                Ok(Layer {
                    qkv: PackedLinear::new(&Tensor::cat(&weights, 0), Tensor::cat(&biases, 0)),
                    attention_output: linear(&format!("{p}.attention.output.dense"))?,
                    attention_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                    intermediate: linear(&format!("{p}.intermediate.dense"))?,
                    output: linear(&format!("{p}.output.dense"))?,
                    output_norm: norm(&format!("{p}.output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Self {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?.get(0),
            embedding_norm: norm("embeddings.LayerNorm")?,
            layers,
            heads: config.num_attention_heads,
            hidden: config.hidden_size,
        }))
    }

    /// The final hidden states `[batch, tokens, hidden]` of token `ids` `[batch, tokens]` with
    /// attention `mask` (1 for a token, 0 for padding), as rust-bert's `BertModel` computes them
    /// in inference.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Tensor {
        tch::no_grad(|| {
            let (batch, tokens) = ids.size2().unwrap_or((1, 1));
            let embedded = self
                .word
                .index_select(0, &ids.view([-1]))
                .view([batch, tokens, -1])
                + self.position.narrow(0, 0, tokens)
                + &self.token_type;
            // Added to the attention scores: 0 for tokens, -10000 for padding (as rust-bert).
            let blocked = (mask.to_kind(Kind::Float) - 1.0) * 10000.0;
            let blocked = blocked.view([batch, 1, 1, tokens]);
            let mut x = self.embedding_norm.forward(&embedded);
            for layer in &self.layers {
                x = self.layer(layer, &x, &blocked, batch, tokens);
            }
            x
        })
    }

    fn layer(
        &self,
        layer: &Layer,
        x: &Tensor,
        blocked: &Tensor,
        batch: i64,
        tokens: i64,
    ) -> Tensor {
        let head_size = self.hidden / self.heads;
        // [3, batch, heads, tokens, head_size]
        let qkv = layer
            .qkv
            .forward(x)
            .view([batch, tokens, 3, self.heads, head_size])
            .permute([2, 0, 3, 1, 4]);
        let context = Tensor::scaled_dot_product_attention(
            &qkv.get(0),
            &qkv.get(1),
            &qkv.get(2),
            Some(blocked),
            0.0,
            false,
            1.0 / (head_size as f64).sqrt(),
        )
        .transpose(1, 2)
        .reshape([batch, tokens, self.hidden]);
        let attended = layer
            .attention_norm
            .forward(&(layer.attention_output.forward(&context) + x));
        let intermediate = layer.intermediate.forward(&attended).gelu("none");
        layer
            .output_norm
            .forward(&(layer.output.forward(&intermediate) + attended))
    }
}
