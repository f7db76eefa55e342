//! The graph convolutional network over a batch of retrieved subgraphs.
//!
//! Every triple `s --r--> o` gives two edges: `s → o` of type `r` and `o → s` of type `r⁻¹`, so the
//! network knows relation and direction. A relation is known by its text, never by an index: the
//! key of edge type `(r, d)` at layer `l` is `K_l e(r, d) + D_l[d]`, where `e(r, d)` is the encoder's
//! vector of the relation's text in direction `d` (`directed by`, `directed`), so a relation never
//! seen in training is followed from its text alone. At each layer the question chooses which edge
//! types to follow: the gates of layer `l` are a softmax of `Q_l q · key` over the question's own
//! edge types and a learned "none" key, so each step of message passing attends to the relation
//! (and direction) the question asks for at that step, and a question's gates do not depend on
//! the other questions of its batch. Two channels run through the gates:
//! - a vector state per node, updated from the gate-weighted mean of its neighbours' states;
//! - reachability scores per node, the gated sum of its neighbours' scores, clipped to 1: one
//!   channel per constraint of the question, starting at 1 on that constraint's topic entities.
//!   After `l` layers a channel says how well a node is reached by the relation path the question
//!   asks for, `l` hops long, from that topic.
//!
//! The classifier sees the final vector state; the best reachability over channels after each
//! layer (the union), and a mixture of those weighted by the question (how many hops it asks
//! for); and the intersection, the least over channels of a channel's best reachability at any
//! depth ("reached from each of these topics"): all raw and on a log scale. A one-constraint
//! question's channels are one, so its union and intersection come from the same channel.
//!
//! Ablations: without question conditioning the query is one learned vector shared by all
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
    /// Size of the queries and keys that gate the edge types.
    pub gate_size: i64,
}

impl Default for GcnConfig {
    fn default() -> Self {
        Self {
            layers: 3,
            hidden: 64,
            question_conditioning: true,
            relation_types: true,
            dropout: 0.1,
            gate_size: 64,
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
    /// Slot (edge type of one question) of each directed edge: `[edges]`.
    pub edge_slot: Tensor,
    /// Question of each slot: `[slots]`.
    pub slot_question: Tensor,
    /// Relation text of each slot, a row of the batch's relation encodings: `[slots]`.
    pub slot_text: Tensor,
    /// Direction of each slot, 0 forwards and 1 backwards: `[slots]`.
    pub slot_direction: Tensor,
    /// Questions in the batch.
    pub questions: i64,
    /// Incoming edges per node, at least 1: `[nodes, 1]` float.
    pub in_degree: Tensor,
    /// Where each reachability channel starts: 1 on the topic entities of one constraint of the
    /// node's question, `[nodes, channels]` float (channel 0 the best-linked constraint).
    pub reach_start: Tensor,
}

struct Layer {
    /// Question → query of the edge-type gates.
    query: nn::Linear,
    /// Relation text encoding → key.
    key: nn::Linear,
    /// Added to the key, per direction.
    direction: nn::Embedding,
    /// The key of following no edge.
    none: Tensor,
    message: nn::Linear,
    update: nn::Linear,
    norm: nn::LayerNorm,
}

/// The graph network.
pub struct Gcn {
    config: GcnConfig,
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
    /// A network for questions (and relation texts) encoded in vectors of `question_size`.
    pub fn new(path: nn::Path<'_>, config: &GcnConfig, question_size: i64) -> Self {
        let (hidden, gate) = (config.hidden, config.gate_size);
        let layers = (0..config.layers)
            .map(|l| {
                let p = &path / format!("layer{l}");
                Layer {
                    query: nn::linear(&p / "query", question_size, gate, Default::default()),
                    key: nn::linear(&p / "key", question_size, gate, Default::default()),
                    direction: nn::embedding(&p / "direction", 2, gate, Default::default()),
                    none: p.zeros("none", &[gate]),
                    message: nn::linear(&p / "message", hidden, hidden, Default::default()),
                    update: nn::linear(&p / "update", hidden, hidden, Default::default()),
                    norm: nn::layer_norm(&p / "norm", vec![hidden], Default::default()),
                }
            })
            .collect();
        Self {
            config: config.clone(),
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
        self.config.hidden + 2 * (self.config.layers + 2)
    }

    /// Node features `[nodes, output_size]` for questions encoded as `questions` `[batch, size]`
    /// and the batch's relation texts as `relations` `[texts, size]`.
    pub fn forward(
        &self,
        graph: &GraphTensors,
        questions: &Tensor,
        relations: &Tensor,
        train: bool,
    ) -> Tensor {
        let mut state = self.initial.forward(&graph.topic.to_kind(Kind::Int64));
        // [nodes, channels]: one reachability per constraint.
        let mut reach = graph.reach_start.shallow_clone();
        let mut reaches = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            let gate = self.gates(layer, graph, questions, relations);
            let messages = layer
                .message
                .forward(&state)
                .index_select(0, &graph.edge_source);
            let gathered = match &gate {
                Some(gate) => {
                    let mass = graph
                        .topic
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
                passed *= gate.unsqueeze(1);
            }
            reach = reach
                .zeros_like()
                .index_add(0, &graph.edge_target, &passed)
                .clamp_max(1.0);
            reaches.push(reach.shallow_clone());
        }
        // [nodes, layers, channels]
        let channels = Tensor::stack(&reaches, 1);
        let reaches = channels.amax(2i64, false);
        let intersection = channels.amax(1i64, false).amin(1i64, true);
        let hop_weights = self
            .hops
            .forward(questions)
            .softmax(-1, Kind::Float)
            .index_select(0, &graph.node_question);
        let mixed = (&reaches * hop_weights).sum_dim_intlist(1, true, Kind::Float);
        // Reachability also on a log scale, where a path the gates half-follow is still far from
        // one they reject: early in training every gate is small and raw scores all near zero.
        let log_reach = (Tensor::cat(&[&reaches, &mixed, &intersection], 1) + REACH_FLOOR).log()
            / -REACH_FLOOR.ln();
        Tensor::cat(&[state, reaches, mixed, intersection, log_reach], 1)
    }

    /// The gate of every edge for this layer, `[edges]` in (0, 1): per question, a softmax over
    /// its slots and "none" of the query · key products; `None` when edges are untyped (every
    /// gate 1).
    fn gates(
        &self,
        layer: &Layer,
        graph: &GraphTensors,
        questions: &Tensor,
        relations: &Tensor,
    ) -> Option<Tensor> {
        if !self.config.relation_types {
            return None;
        }
        let scale = (self.config.gate_size as f64).sqrt();
        let query = if self.config.question_conditioning {
            layer.query.forward(questions)
        } else {
            // One learned query, shared by every question.
            let bias = layer.query.bs.as_ref()?;
            bias.unsqueeze(0)
                .expand([graph.questions, self.config.gate_size], false)
        };
        let keys = layer
            .key
            .forward(relations)
            .index_select(0, &graph.slot_text)
            + layer.direction.forward(&graph.slot_direction);
        let logits = (query.index_select(0, &graph.slot_question) * keys).sum_dim_intlist(
            1,
            false,
            Kind::Float,
        ) / scale;
        let none = query.matmul(&layer.none) / scale;
        // Per-question maximum, subtracted for a stable softmax (a constant: no gradient needed).
        let max =
            none.detach()
                .index_reduce(0, &graph.slot_question, &logits.detach(), "amax", true);
        let exp = (logits - max.index_select(0, &graph.slot_question)).exp();
        let total = (none - &max).exp().index_add(0, &graph.slot_question, &exp);
        let gate = exp / total.index_select(0, &graph.slot_question);
        Some(gate.index_select(0, &graph.edge_slot))
    }
}
