//! Answering: link, retrieve, score every candidate with the trained model, and explain the top
//! answers with the triple paths that lead to them from the topic entity.

mod evidence;

use oxigraph::model::NamedNode;
use tch::{nn, Device};

pub use evidence::{EvidenceIndex, EvidenceTriple};

use crate::error::{Error, Result};
use crate::link::Link;
use crate::pipeline::Pipeline;
use crate::retrieve::Subgraph;
use crate::score::{
    read_bert_config, read_tokenizer, score_samples, AnswerModel, Checkpoint, CheckpointMeta,
    Sample, BERT_CONFIG_FILE, TOKENIZER_FILE,
};
use crate::train::{load_weights, model_text};

/// Evidence paths shown per answer, at most.
const EVIDENCE_PATHS: usize = 3;

/// One answer with its evidence.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScoredAnswer {
    /// The answer node's label.
    pub label: String,
    /// The answer node.
    #[serde(serialize_with = "crate::store::serialize_iri")]
    pub iri: NamedNode,
    /// The model's probability that it answers the question.
    pub score: f64,
    /// Paths of triples from a topic entity to the answer (shortest first, at most three).
    pub evidence: Vec<Vec<EvidenceTriple>>,
}

/// The answer to a question.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Answer {
    /// The question.
    pub question: String,
    /// The best answers, best first (empty when `no_answer`).
    pub answers: Vec<ScoredAnswer>,
    /// The linked mentions.
    pub linked: Vec<Link>,
    /// True when nothing scored above the calibrated threshold: the model does not know.
    pub no_answer: bool,
    /// The threshold in use.
    pub threshold: f64,
}

/// A trained model over a graph, ready to answer.
pub struct Answerer {
    pipeline: Pipeline,
    model: AnswerModel,
    meta: CheckpointMeta,
    device: Device,
    _vs: nn::VarStore,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answerer")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl Answerer {
    /// Loads the checkpoint and checks that it fits the pipeline's graph.
    pub fn load(pipeline: Pipeline, checkpoint: &Checkpoint, device: Device) -> Result<Self> {
        let (meta, vocab, prior) = checkpoint.read_meta()?;
        let graph_relations = pipeline.retriever().graph().relations()?;
        let known = graph_relations
            .iter()
            .filter(|r| vocab.relations().iter().any(|v| v == r.as_str()))
            .count();
        if !vocab.is_empty() && known == 0 {
            return Err(Error::invalid(
                "--model",
                format!(
                    "{} was trained on a graph with relations like <{}>, none of which this graph has: \
                     train a model on this graph, or point --store at the graph the model was trained on",
                    checkpoint.dir().display(),
                    vocab.relations()[0]
                ),
            ));
        }
        let bert = read_bert_config(&checkpoint.file(BERT_CONFIG_FILE))?;
        let tokenizer = read_tokenizer(&checkpoint.file(TOKENIZER_FILE))?;
        let mut vs = nn::VarStore::new(device);
        let model = AnswerModel::new(&vs, &bert, tokenizer, meta.model.clone(), vocab);
        load_weights(&mut vs, checkpoint)?;
        let pipeline = pipeline.with_link_prior(prior);
        Ok(Self {
            pipeline,
            model,
            meta,
            device,
            _vs: vs,
        })
    }

    /// The checkpoint's metadata.
    pub fn meta(&self) -> &CheckpointMeta {
        &self.meta
    }

    /// The pipeline (with the checkpoint's linking prior).
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The model.
    pub fn model(&self) -> &AnswerModel {
        &self.model
    }

    /// The device the model runs on.
    pub fn device(&self) -> Device {
        self.device
    }

    /// Answers `question` with at most `top_k` answers.
    pub fn ask(&self, question: &str, top_k: usize) -> Result<Answer> {
        let retrieval = self.pipeline.retrieve(question)?;
        let subgraph = &retrieval.subgraph;
        let sample = Sample::new(
            model_text(question, &retrieval.links),
            subgraph,
            self.model.vocab(),
            Vec::new(),
        );
        let scores = score_samples(&self.model, &[&sample], 1, self.device)?
            .pop()
            .unwrap_or_default();
        let mut ranked: Vec<(u32, f64)> = subgraph
            .candidates()
            .map(|id| (id, scores[id as usize]))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(top_k);
        let threshold = self.meta.threshold;
        let no_answer = ranked.first().is_none_or(|&(_, s)| s < threshold);
        let answers = if no_answer {
            Vec::new()
        } else {
            self.explain(subgraph, &ranked)?
        };
        Ok(Answer {
            question: question.to_owned(),
            answers,
            linked: retrieval.links,
            no_answer,
            threshold,
        })
    }

    /// The ranked answers with their labels and evidence paths; labels are read for just the
    /// answers and the nodes and relations on those paths.
    fn explain(&self, subgraph: &Subgraph, ranked: &[(u32, f64)]) -> Result<Vec<ScoredAnswer>> {
        let evidence = EvidenceIndex::new(subgraph);
        let paths: Vec<Vec<Vec<usize>>> = ranked
            .iter()
            .map(|&(id, _)| evidence.edge_paths(id, EVIDENCE_PATHS))
            .collect();
        let mut terms: Vec<NamedNode> = ranked
            .iter()
            .map(|&(id, _)| subgraph.iri(id).clone())
            .collect();
        for &edge in paths.iter().flatten().flatten() {
            terms.extend(evidence.terms(edge).into_iter().cloned());
        }
        terms.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        terms.dedup();
        let labels = self.pipeline.retriever().graph().preferred_labels(&terms)?;
        let label = |iri: &NamedNode| {
            labels
                .get(iri)
                .cloned()
                .unwrap_or_else(|| iri.as_str().to_owned())
        };
        Ok(ranked
            .iter()
            .zip(paths)
            .map(|(&(id, score), paths)| ScoredAnswer {
                label: label(subgraph.iri(id)),
                iri: subgraph.iri(id).clone(),
                score,
                evidence: paths
                    .iter()
                    .map(|path| path.iter().map(|&e| evidence.triple(e, &label)).collect())
                    .collect(),
            })
            .collect())
    }
}
