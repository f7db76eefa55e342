//! Training and scoring samples: a question's text and its retrieved subgraph, in model indices.

use std::collections::HashMap;

use oxigraph::model::NamedNode;
use tch::{Device, Kind, Tensor};

use super::gcn::GraphTensors;
use crate::error::Result;
use crate::retrieve::Subgraph;
use crate::store::Graph;

/// The relations a model knows, by index; relations it has not seen share one extra index.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RelationVocab {
    relations: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

impl RelationVocab {
    /// A vocabulary of `relations` (IRIs), in order.
    pub fn new(relations: Vec<String>) -> Self {
        let index = relations
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), i as u32))
            .collect();
        Self { relations, index }
    }

    /// A vocabulary of every relation `graph` uses, in the store's order.
    pub fn from_graph(graph: &Graph) -> Result<Self> {
        let relations = graph.relations()?;
        Ok(Self::new(
            relations.iter().map(|r| r.as_str().to_owned()).collect(),
        ))
    }

    /// Rebuilds the lookup table after deserializing.
    pub fn reindex(self) -> Self {
        Self::new(self.relations)
    }

    /// The index of `relation`, or the shared unknown index.
    pub fn get(&self, relation: &NamedNode) -> u32 {
        self.index
            .get(relation.as_str())
            .copied()
            .unwrap_or(self.relations.len() as u32)
    }

    /// Known relations.
    pub fn len(&self) -> usize {
        self.relations.len()
    }

    /// Whether no relation is known.
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty()
    }

    /// Edge types the network needs: each relation and its inverse, plus unknown both ways.
    pub fn edge_types(&self) -> i64 {
        2 * (self.relations.len() as i64 + 1)
    }

    /// The relation IRIs, in index order.
    pub fn relations(&self) -> &[String] {
        &self.relations
    }
}

/// One question ready for the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The text the encoder reads.
    pub text: String,
    /// Hops from the nearest topic entity, per node (0 for topic entities).
    pub distances: Vec<u8>,
    /// Edges `(source, relation index, target)`.
    pub edges: Vec<(u32, u32, u32)>,
    /// Gold answers among the nodes (empty when unknown).
    pub positives: Vec<u32>,
    /// Whether topic entities are candidate answers too.
    pub topic_answers: bool,
}

impl Sample {
    /// A sample from a subgraph; `positives` are node ids of the subgraph.
    pub fn new(
        text: String,
        subgraph: &Subgraph,
        vocab: &RelationVocab,
        positives: Vec<u32>,
    ) -> Self {
        let relations: Vec<u32> = subgraph.relations().iter().map(|r| vocab.get(r)).collect();
        Self {
            text,
            distances: subgraph.distances().to_vec(),
            edges: subgraph
                .edges()
                .iter()
                .map(|e| (e.source, relations[e.relation as usize], e.target))
                .collect(),
            positives,
            topic_answers: subgraph.topic_answers(),
        }
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

/// Several samples as one disjoint graph.
#[derive(Debug)]
pub struct Batch {
    /// The graph tensors.
    pub graph: GraphTensors,
    /// Texts, one per question.
    pub texts: Vec<String>,
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

impl Batch {
    /// Packs `samples` for a network with `vocab`'s edge types, on `device`.
    pub fn new(samples: &[&Sample], vocab: &RelationVocab, device: Device) -> Self {
        let inverse = vocab.len() as i64 + 1;
        let total: usize = samples.iter().map(|s| s.nodes()).sum();
        let mut node_question = Vec::with_capacity(total);
        let mut distances = Vec::with_capacity(total);
        let mut labels = vec![0f32; total];
        let mut candidates = Vec::with_capacity(total);
        let (mut sources, mut targets, mut types, mut edge_question) =
            (vec![], vec![], vec![], vec![]);
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
            for &(s, r, t) in &sample.edges {
                let (s, r, t) = (offset + i64::from(s), i64::from(r), offset + i64::from(t));
                sources.extend([s, t]);
                targets.extend([t, s]);
                types.extend([r, r + inverse]);
                edge_question.extend([q as i64, q as i64]);
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
                edge_type: tensor(&types),
                edge_question: tensor(&edge_question),
                in_degree,
                topic: topic.shallow_clone(),
            },
            texts: samples.iter().map(|s| s.text.clone()).collect(),
            candidates: Tensor::from_slice(&candidates).to(device),
            distances,
            labels: Tensor::from_slice(&labels).to(device),
            offsets,
        }
    }
}
