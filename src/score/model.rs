//! The joint model: BERT question encoder + question-conditioned GCN + classifier head.

use std::collections::HashMap;
use std::sync::Mutex;

use rust_bert::bert::BertConfig;
use tch::nn::{self, Module};
use tch::{Device, Kind, Reduction, Tensor};
use tokenizers::Tokenizer;

use super::encoder::QuestionEncoder;
use super::gcn::{Gcn, GcnConfig};
use super::sample::Batch;
use super::threads::IntraOpThreads;

/// Relation texts encoded at once, at most.
const RELATION_CHUNK: usize = 64;

/// The model's shape, saved with every checkpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// The graph network.
    pub gcn: GcnConfig,
    /// Score with the graph network (off: from the question and each candidate's distance only).
    pub use_gcn: bool,
    /// Hidden size of the classifier head.
    pub head_hidden: i64,
    /// Longest question, in word pieces.
    pub max_tokens: usize,
    /// Largest retrieval depth the distance features cover.
    pub max_distance: i64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            gcn: GcnConfig::default(),
            use_gcn: true,
            head_hidden: 64,
            max_tokens: 64,
            max_distance: 6,
        }
    }
}

/// BERT, GCN and head in one variable store. BERT's variables live under `bert`, in optimizer
/// group 0; everything else in group 1, so that the two can have their own learning rates.
///
/// The model has no relation vocabulary: the GCN reads relations from their texts, which the same
/// BERT encodes without gradients, each text once and then from a cache. Training changes BERT,
/// so the training loop empties the cache every few steps and before validating
/// ([`AnswerModel::forget_relations`]).
pub struct AnswerModel {
    encoder: QuestionEncoder,
    gcn: Gcn,
    distance: nn::Embedding,
    question_gate: nn::Linear,
    head: nn::Sequential,
    config: ModelConfig,
    relation_cache: Mutex<HashMap<String, Tensor>>,
}

impl std::fmt::Debug for AnswerModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerModel")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A batch's questions and relation texts, encoded.
#[derive(Debug)]
pub struct Encoded {
    /// One vector per question: `[questions, hidden]`.
    pub questions: Tensor,
    /// One vector per relation text of the batch: `[texts, hidden]`.
    pub relations: Tensor,
}

/// The prefix of BERT's variables.
pub const BERT_PREFIX: &str = "bert";

impl AnswerModel {
    /// A model with fresh weights in `vs`.
    pub fn new(
        vs: &nn::VarStore,
        bert: &BertConfig,
        tokenizer: Tokenizer,
        config: ModelConfig,
    ) -> Self {
        let root = vs.root();
        let encoder = QuestionEncoder::new(&root / BERT_PREFIX, bert, tokenizer, config.max_tokens);
        let graph = root.set_group(1);
        let q = encoder.hidden_size();
        let gcn = Gcn::new(&graph / "gcn", &config.gcn, q);
        let distance_size = config.max_distance + 1;
        let features = if config.use_gcn {
            gcn.output_size() + distance_size
        } else {
            distance_size
        };
        let head_path = &graph / "head";
        let head = nn::seq()
            .add(nn::linear(
                &head_path / "0",
                2 * features,
                config.head_hidden,
                Default::default(),
            ))
            .add_fn(|x| x.relu())
            .add(nn::linear(
                &head_path / "1",
                config.head_hidden,
                1,
                Default::default(),
            ));
        Self {
            distance: nn::embedding(
                &graph / "distance",
                distance_size,
                distance_size,
                Default::default(),
            ),
            question_gate: nn::linear(&graph / "question_gate", q, features, Default::default()),
            encoder,
            gcn,
            head,
            config,
            relation_cache: Mutex::new(HashMap::new()),
        }
    }

    /// The model's configuration.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The question encoder, to pack its weights for answering.
    pub(crate) fn encoder_mut(&mut self) -> &mut QuestionEncoder {
        &mut self.encoder
    }

    /// The encoder's tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        self.encoder.tokenizer()
    }

    /// Encodes the batch's questions (with gradients and dropout when `train`) and its relation
    /// texts (from the cache).
    pub fn encode(&self, batch: &Batch, device: Device, train: bool) -> crate::Result<Encoded> {
        Ok(Encoded {
            questions: self.encoder.encode(&batch.texts, device, train)?,
            relations: self.encode_relations(&batch.relation_texts, device)?,
        })
    }

    /// The batch's encodings, its questions' given as `questions` (encoded beforehand by
    /// [`AnswerModel::encode_questions`]), its relation texts from the cache.
    pub fn encode_with_questions(
        &self,
        batch: &Batch,
        questions: &Tensor,
        device: Device,
    ) -> crate::Result<Encoded> {
        Ok(Encoded {
            questions: questions.to_device(device),
            relations: self.encode_relations(&batch.relation_texts, device)?,
        })
    }

    /// Encodes question `texts` alone, in inference mode: `[texts, hidden]`.
    pub fn encode_questions(&self, texts: &[String], device: Device) -> crate::Result<Tensor> {
        let _threads = IntraOpThreads::for_batch(texts.len());
        tch::no_grad(|| self.encoder.encode(texts, device, false))
    }

    /// Empties the cache of relation encodings (after BERT's weights changed).
    pub fn forget_relations(&self) {
        self.relation_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The vectors of relation `texts`, `[texts, hidden]`, without gradients, each text encoded
    /// once until [`AnswerModel::forget_relations`].
    fn encode_relations(&self, texts: &[String], device: Device) -> crate::Result<Tensor> {
        if texts.is_empty() {
            return self.encode_texts(texts, device);
        }
        tch::no_grad(|| {
            let mut cache = self
                .relation_cache
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let missing: Vec<String> = texts
                .iter()
                .filter(|t| !cache.contains_key(*t))
                .cloned()
                .collect();
            if !missing.is_empty() {
                let encoded = self.encode_texts(&missing, device)?;
                for (i, text) in missing.into_iter().enumerate() {
                    cache.insert(text, encoded.get(i as i64));
                }
            }
            let rows: Vec<Tensor> = texts.iter().map(|t| cache[t].shallow_clone()).collect();
            Ok(Tensor::stack(&rows, 0))
        })
    }

    /// `texts` through the encoder in inference mode, in chunks: `[texts, hidden]`.
    fn encode_texts(&self, texts: &[String], device: Device) -> crate::Result<Tensor> {
        if texts.is_empty() {
            let hidden = self.encoder.hidden_size();
            return Ok(Tensor::zeros([0, hidden], (Kind::Float, device)));
        }
        let chunks = texts
            .chunks(RELATION_CHUNK)
            .map(|chunk| self.encoder.encode(chunk, device, false))
            .collect::<crate::Result<Vec<Tensor>>>()?;
        Ok(Tensor::cat(&chunks, 0))
    }

    /// One logit per node of the batch: `[nodes]`.
    pub fn forward(&self, batch: &Batch, encoded: &Encoded, train: bool) -> Tensor {
        let features = self.node_features(batch, encoded, train);
        self.head_logits(batch, encoded, &features)
    }

    /// What the head reads of each node: the graph network's features and the node's distance
    /// from the topics, `[nodes, features]`.
    pub fn node_features(&self, batch: &Batch, encoded: &Encoded, train: bool) -> Tensor {
        let distance = self
            .distance
            .forward(&batch.distances.clamp_max(self.config.max_distance));
        if !self.config.use_gcn {
            return distance;
        }
        let nodes = self
            .gcn
            .forward(&batch.graph, &encoded.questions, &encoded.relations, train);
        Tensor::cat(&[nodes, distance], 1)
    }

    /// The head's logit per node from its `features`, each gated by its question: `[nodes]`.
    pub fn head_logits(&self, batch: &Batch, encoded: &Encoded, features: &Tensor) -> Tensor {
        let gate = self
            .question_gate
            .forward(&encoded.questions)
            .index_select(0, &batch.graph.node_question);
        let interaction = features * gate;
        self.head
            .forward(&Tensor::cat(&[features, &interaction], 1))
            .squeeze_dim(1)
    }

    /// Encodes and scores: per node, the probability of being an answer.
    pub fn probabilities(&self, batch: &Batch, device: Device) -> crate::Result<Tensor> {
        tch::no_grad(|| {
            let encoded = self.encode(batch, device, false)?;
            Ok(self.forward(batch, &encoded, false).sigmoid())
        })
    }
}

/// The training loss over the candidates of a batch: binary cross-entropy, each question weighing
/// the same whatever its number of candidates, plus a listwise term, the negative log of the
/// softmax mass the question's candidates put on its gold answers.
pub fn loss(logits: &Tensor, batch: &Batch) -> Tensor {
    let questions = batch.offsets.len() as i64;
    let node_question = &batch.graph.node_question;
    let device = logits.device();
    let per_question = |values: &Tensor| {
        Tensor::zeros([questions], (Kind::Float, device)).index_add(0, node_question, values)
    };
    let counts = per_question(&batch.candidates).clamp_min(1.0);
    let weights = &batch.candidates / counts.index_select(0, node_question) / questions as f64;
    let pointwise = logits.binary_cross_entropy_with_logits::<&Tensor>(
        &batch.labels,
        Some(&weights),
        None,
        Reduction::Sum,
    );
    let masked = logits.masked_fill(&batch.candidates.eq(0.0), -1e4);
    // Per-question maximum, subtracted for a stable softmax (a constant: no gradient needed).
    let max = Tensor::full([questions], -1e4, (Kind::Float, device)).index_reduce(
        0,
        node_question,
        &masked.detach(),
        "amax",
        true,
    );
    let exp = (masked - max.index_select(0, node_question)).exp() * &batch.candidates;
    let positive_mass = per_question(&(&exp * &batch.labels));
    let total_mass = per_question(&exp).clamp_min(1e-12);
    let has_positive = per_question(&batch.labels).gt(0.0).to_kind(Kind::Float);
    let listwise = -((positive_mass / total_mass).clamp_min(1e-12).log() * &has_positive)
        .sum(Kind::Float)
        / has_positive.sum(Kind::Float).clamp_min(1.0);
    pointwise + listwise
}
