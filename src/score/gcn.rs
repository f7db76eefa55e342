//! The graph convolutional network over a batch of retrieved subgraphs.
//!
//! Every triple `s --r--> o` gives two edges: `s → o` of type `r` and `o → s` of type `r⁻¹`, so the
//! network knows relation and direction. At each layer the question chooses which edge types to
//! follow: the gates of layer `l` are `softmax(W_l q)` over the edge types, one table per question,
//! so each step of message passing attends to the relation (and direction) the question asks for
//! at that step. Two channels run through the gates:
//! - a vector state per node, updated from the gate-weighted mean of its neighbours' states;
//! - a reachability score per node, the gated sum of its neighbours' scores, clipped to 1, which
//!   starts at 1 on topic entities: after `l` layers it says how well a node is reached by the
//!   relation path the question asks for, `l` hops long.
//!
//! The classifier sees the final vector state, the reachability after each layer, and a mixture of
//! those weighted by the question (how many hops it asks for), raw and on a log scale.
//!
//! Ablations: without question conditioning the gate table is one learned softmax shared by all
//! questions; without relation types every edge has gate 1 (a plain unlabelled GCN).

use tch::nn::{self, Module};
use tch::{Kind, Tensor};

/// Smallest reachability the log-scale features tell apart from zero.
const REACH_FLOOR: f64 = 1e-6;

/// Shape and ablation switches of the graph network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GcnConfig {
    /// Layers (hops of message passing).
    pub layers: i64,
    /// Size of node states.
    pub hidden: i64,
    /// Edge gates depend on the question (off: a learned constant per edge type).
    pub question_conditioning: bool,
    /// Edges carry their relation and direction (off: one edge type for all).
    pub relation_types: bool,
    /// Dropout on node states.
    pub dropout: f64,
}

impl Default for GcnConfig {
    fn default() -> Self {
        Self {
            layers: 3,
            hidden: 64,
            question_conditioning: true,
            relation_types: true,
            dropout: 0.1,
        }
    }
}

/// A batch of subgraphs as tensors.
#[derive(Debug)]
pub struct GraphTensors {
    /// Question of each node: `[nodes]`.
    pub node_question: Tensor,
    /// 1 for topic entities, else 0: `[nodes]` float.
    pub topic: Tensor,
    /// Source of each directed edge: `[edges]`.
    pub edge_source: Tensor,
    /// Target of each directed edge: `[edges]`.
    pub edge_target: Tensor,
    /// Type of each directed edge (relation, or relation + relations for inverse): `[edges]`.
    pub edge_type: Tensor,
    /// Question of each edge: `[edges]`.
    pub edge_question: Tensor,
    /// Incoming edges per node, at least 1: `[nodes, 1]` float.
    pub in_degree: Tensor,
}

struct Layer {
    /// Question → logits over edge types.
    edge_types: nn::Linear,
    message: nn::Linear,
    update: nn::Linear,
    norm: nn::LayerNorm,
}

/// The graph network.
pub struct Gcn {
    config: GcnConfig,
    edge_types: i64,
    initial: nn::Embedding,
    layers: Vec<Layer>,
    hops: nn::Linear,
}

impl std::fmt::Debug for Gcn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gcn")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Gcn {
    /// A network for questions of size `question_size` over `edge_types` edge types.
    pub fn new(
        path: nn::Path<'_>,
        config: &GcnConfig,
        question_size: i64,
        edge_types: i64,
    ) -> Self {
        let hidden = config.hidden;
        let layers = (0..config.layers)
            .map(|l| {
                let p = &path / format!("layer{l}");
                Layer {
                    edge_types: nn::linear(
                        &p / "edge_types",
                        question_size,
                        edge_types,
                        Default::default(),
                    ),
                    message: nn::linear(&p / "message", hidden, hidden, Default::default()),
                    update: nn::linear(&p / "update", hidden, hidden, Default::default()),
                    norm: nn::layer_norm(&p / "norm", vec![hidden], Default::default()),
                }
            })
            .collect();
        Self {
            config: config.clone(),
            edge_types,
            initial: nn::embedding(&path / "initial", 2, hidden, Default::default()),
            layers,
            hops: nn::linear(
                &path / "hops",
                question_size,
                config.layers,
                Default::default(),
            ),
        }
    }

    /// Size of the features [`Gcn::forward`] returns per node.
    pub fn output_size(&self) -> i64 {
        self.config.hidden + 2 * (self.config.layers + 1)
    }

    /// Node features `[nodes, output_size]` for questions encoded as `questions` `[batch, size]`.
    pub fn forward(&self, graph: &GraphTensors, questions: &Tensor, train: bool) -> Tensor {
        let mut state = self.initial.forward(&graph.topic.to_kind(Kind::Int64));
        let mut reach = graph.topic.shallow_clone();
        let mut reaches = Vec::with_capacity(self.layers.len());
        let slots = &graph.edge_question * self.edge_types + &graph.edge_type;
        for layer in &self.layers {
            let gate = self.gates(layer, &slots, questions);
            let messages = layer
                .message
                .forward(&state)
                .index_select(0, &graph.edge_source);
            let gathered = match &gate {
                Some(gate) => {
                    let mass = reach
                        .zeros_like()
                        .index_add(0, &graph.edge_target, gate)
                        .clamp_min(1.0)
                        .unsqueeze(1);
                    state.zeros_like().index_add(
                        0,
                        &graph.edge_target,
                        &(messages * gate.unsqueeze(1)),
                    ) / mass
                }
                None => {
                    state
                        .zeros_like()
                        .index_add(0, &graph.edge_target, &messages)
                        / &graph.in_degree
                }
            };
            let updated = (gathered + layer.update.forward(&state))
                .relu()
                .dropout(self.config.dropout, train);
            state = layer.norm.forward(&(state + updated));
            let mut passed = reach.index_select(0, &graph.edge_source);
            if let Some(gate) = &gate {
                passed *= gate;
            }
            reach = reach
                .zeros_like()
                .index_add(0, &graph.edge_target, &passed)
                .clamp_max(1.0);
            reaches.push(reach.shallow_clone());
        }
        let reaches = Tensor::stack(&reaches, 1);
        let hop_weights = self
            .hops
            .forward(questions)
            .softmax(-1, Kind::Float)
            .index_select(0, &graph.node_question);
        let mixed = (&reaches * hop_weights).sum_dim_intlist(1, true, Kind::Float);
        // Reachability also on a log scale, where a path the gates half-follow is still far from
        // one they reject: early in training every gate is small and raw scores all near zero.
        let log_reach =
            (Tensor::cat(&[&reaches, &mixed], 1) + REACH_FLOOR).log() / -REACH_FLOOR.ln();
        Tensor::cat(&[state, reaches, mixed, log_reach], 1)
    }

    /// The gate of every edge for this layer, `[edges]` in (0, 1), looked up in a per-question
    /// softmax over edge types at `slots` (`question × edge types + type`); `None` when edges
    /// are untyped (every gate 1).
    fn gates(&self, layer: &Layer, slots: &Tensor, questions: &Tensor) -> Option<Tensor> {
        if !self.config.relation_types {
            return None;
        }
        let logits = if self.config.question_conditioning {
            layer.edge_types.forward(questions)
        } else {
            // One learned preference over edge types, shared by every question.
            let bias = layer.edge_types.bs.as_ref()?;
            bias.unsqueeze(0)
                .expand([questions.size()[0], self.edge_types], false)
        };
        Some(
            logits
                .softmax(-1, Kind::Float)
                .reshape([-1])
                .index_select(0, slots),
        )
    }
}
