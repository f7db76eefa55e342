//! A tiny random-weight model configuration (2-layer BERT of width 32 over the real vocabulary), for
//! fast tests of shapes, gradients and the service: not for accuracy.

use rust_bert::bert::BertConfig;
use rust_bert::Activation;

use super::{GcnConfig, ModelConfig};

/// A 2-layer, 2-head BERT of width 32 with BERT's vocabulary size, without dropout.
pub fn tiny_bert_config() -> BertConfig {
    BertConfig {
        hidden_act: Activation::gelu,
        attention_probs_dropout_prob: 0.0,
        hidden_dropout_prob: 0.0,
        hidden_size: 32,
        initializer_range: 0.02,
        intermediate_size: 64,
        max_position_embeddings: 64,
        num_attention_heads: 2,
        num_hidden_layers: 2,
        type_vocab_size: 2,
        vocab_size: 30522,
        output_attentions: None,
        output_hidden_states: None,
        is_decoder: None,
        id2label: None,
        label2id: None,
    }
}

/// Graph and head layers to match [`tiny_bert_config`]: width 16 and 8, without dropout.
pub fn tiny_model_config() -> ModelConfig {
    ModelConfig {
        gcn: GcnConfig {
            hidden: 16,
            dropout: 0.0,
            ..GcnConfig::default()
        },
        head_hidden: 8,
        ..ModelConfig::default()
    }
}
