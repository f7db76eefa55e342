//! Training and scoring samples: a question's text and its retrieved subgraph, its relations
//! known by their texts; and batches of samples as one disjoint graph.

use std::borrow::Cow;
use std::collections::HashMap;

use tch::{Device, Kind, Tensor};

use super::gcn::GraphTensors;
use super::relations::{DirectedTexts, RelationTexts};
use crate::link::Topics;
use crate::retrieve::Subgraph;

/// One question ready for the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The text the encoder reads.
    pub text: String,
    /// Hops from the nearest topic entity, per node (0 for topic entities).
    pub distances: Vec<u8>,
    /// Edges `(source, relation, target)`, the relation an index into `relations`.
    pub edges: Vec<(u32, u32, u32)>,
    /// The texts of the subgraph's relations.
    pub relations: Vec<DirectedTexts>,
    /// Gold answers among the nodes (empty when unknown).
    pub positives: Vec<u32>,
    /// Whether topic entities are candidate answers too.
    pub topic_answers: bool,
    /// Per constraint of the question, the node ids of its topic entities (empty: every topic
    /// entity, distance 0, stands for one constraint).
    pub constraints: Vec<Vec<u32>>,
}

impl Sample {
    /// A sample from a subgraph retrieved around `topics`, its relations read from `texts`;
    /// `positives` are node ids of the subgraph.
    pub fn new(
        text: String,
        subgraph: &Subgraph,
        topics: &Topics,
        texts: &RelationTexts,
        positives: Vec<u32>,
    ) -> Self {
        Self {
            text,
            distances: subgraph.distances().to_vec(),
            edges: subgraph
                .edges()
                .iter()
                .map(|e| (e.source, e.relation, e.target))
                .collect(),
            relations: subgraph.relations().iter().map(|r| texts.get(r)).collect(),
            positives,
            topic_answers: subgraph.topic_answers(),
            constraints: subgraph.constraint_ids(topics),
        }
    }

    /// Constraints: at least one, each its topic nodes.
    fn constraint_nodes(&self) -> Cow<'_, [Vec<u32>]> {
        if !self.constraints.is_empty() {
            return Cow::Borrowed(&self.constraints);
        }
        let topics = (0..self.nodes() as u32).filter(|&n| self.distances[n as usize] == 0);
        Cow::Owned(vec![topics.collect()])
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.distances.len()
    }

    /// Whether node `node` is a candidate answer (see [`Subgraph::is_candidate`]).
    pub fn is_candidate(&self, node: usize) -> bool {
        self.topic_answers || self.distances[node] > 0
    }
}

/// Several samples as one disjoint graph. Each question's edge types are its own subgraph's
/// relations in both directions (its *slots*), known by their texts; a text shared by several
/// questions is encoded once.
#[derive(Debug)]
pub struct Batch {
    /// The graph tensors.
    pub graph: GraphTensors,
    /// Texts, one per question.
    pub texts: Vec<String>,
    /// The distinct relation texts of the batch (both directions), which `graph.slot_text`
    /// indexes.
    pub relation_texts: Vec<String>,
    /// Node distances, `[nodes]` int64.
    pub distances: Tensor,
    /// 1 for candidate answers (non-topic nodes, unless topic entities can be answers): `[nodes]`
    /// float.
    pub candidates: Tensor,
    /// 1 for gold answers: `[nodes]` float.
    pub labels: Tensor,
    /// Where each question's nodes start in the batch.
    pub offsets: Vec<usize>,
}

/// The slots (question, relation, direction) of a batch and the distinct texts they read.
#[derive(Default)]
struct Slots {
    question: Vec<i64>,
    text: Vec<i64>,
    direction: Vec<i64>,
    texts: Vec<String>,
    text_index: HashMap<std::sync::Arc<str>, i64>,
}

impl Slots {
    /// Adds the two slots (forwards, backwards) of each of `relations` for question `q`; returns
    /// the index of the first.
    fn add(&mut self, q: i64, relations: &[DirectedTexts]) -> i64 {
        let first = self.question.len() as i64;
        for relation in relations {
            for direction in 0..2 {
                let text = relation.direction(direction);
                let next = self.texts.len() as i64;
                let index = *self.text_index.entry(text.clone()).or_insert(next);
                if index == next {
                    self.texts.push(text.to_string());
                }
                self.question.push(q);
                self.text.push(index);
                self.direction.push(direction as i64);
            }
        }
        first
    }
}

impl Batch {
    /// Packs `samples` on `device`.
    pub fn new(samples: &[&Sample], device: Device) -> Self {
        let total: usize = samples.iter().map(|s| s.nodes()).sum();
        let edges: usize = samples.iter().map(|s| 2 * s.edges.len()).sum();
        let mut node_question = Vec::with_capacity(total);
        let mut distances = Vec::with_capacity(total);
        let mut labels = vec![0f32; total];
        let mut candidates = Vec::with_capacity(total);
        let (mut sources, mut targets, mut edge_slot) = (
            Vec::with_capacity(edges),
            Vec::with_capacity(edges),
            Vec::with_capacity(edges),
        );
        let mut slots = Slots::default();
        let channels = samples
            .iter()
            .map(|s| s.constraints.len().max(1))
            .max()
            .unwrap_or(1);
        let mut reach_start = vec![0f32; total * channels];
        let mut offsets = Vec::with_capacity(samples.len());
        let mut offset = 0i64;
        for (q, sample) in samples.iter().enumerate() {
            offsets.push(offset as usize);
            node_question.extend(std::iter::repeat_n(q as i64, sample.nodes()));
            distances.extend(sample.distances.iter().map(|&d| i64::from(d)));
            candidates
                .extend((0..sample.nodes()).map(|n| f32::from(u8::from(sample.is_candidate(n)))));
            for &p in &sample.positives {
                labels[offset as usize + p as usize] = 1.0;
            }
            // A question with fewer constraints than the batch's most repeats its first: the
            // intersection over channels is then that of its own constraints.
            let constraints = sample.constraint_nodes();
            for channel in 0..channels {
                let nodes = constraints.get(channel).unwrap_or(&constraints[0]);
                for &n in nodes {
                    reach_start[(offset as usize + n as usize) * channels + channel] = 1.0;
                }
            }
            let first_slot = slots.add(q as i64, &sample.relations);
            for &(s, r, t) in &sample.edges {
                let (s, t) = (offset + i64::from(s), offset + i64::from(t));
                let forward = first_slot + 2 * i64::from(r);
                sources.extend([s, t]);
                targets.extend([t, s]);
                edge_slot.extend([forward, forward + 1]);
            }
            offset += sample.nodes() as i64;
        }
        let tensor = |v: &[i64]| Tensor::from_slice(v).to(device);
        let edge_target = tensor(&targets);
        let in_degree = Tensor::zeros([total as i64], (Kind::Float, device))
            .index_add(
                0,
                &edge_target,
                &Tensor::ones([targets.len() as i64], (Kind::Float, device)),
            )
            .clamp_min(1.0)
            .unsqueeze(1);
        let distances = tensor(&distances);
        let topic = distances.eq(0).to_kind(Kind::Float);
        Self {
            graph: GraphTensors {
                node_question: tensor(&node_question),
                edge_source: tensor(&sources),
                edge_target,
                edge_slot: tensor(&edge_slot),
                slot_question: tensor(&slots.question),
                slot_text: tensor(&slots.text),
                slot_direction: tensor(&slots.direction),
                questions: samples.len() as i64,
                in_degree,
                topic: topic.shallow_clone(),
                reach_start: Tensor::from_slice(&reach_start)
                    .view([total as i64, channels as i64])
                    .to(device),
            },
            texts: samples.iter().map(|s| s.text.clone()).collect(),
            relation_texts: slots.texts,
            candidates: Tensor::from_slice(&candidates).to(device),
            distances,
            labels: Tensor::from_slice(&labels).to(device),
            offsets,
        }
    }
}
