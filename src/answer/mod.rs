//! Answering: link, retrieve, score every candidate with the trained model, and explain the top
//! answers with the triple paths that lead to them from the topic entity.

mod evidence;

use oxigraph::model::NamedNode;
use tch::{nn, Device};

pub use evidence::{EvidenceIndex, EvidenceTriple};

use crate::error::{Error, Result};
use crate::link::Link;
use crate::pipeline::{Pipeline, Retrieval};
use crate::retrieve::Subgraph;
use crate::score::{
    read_bert_config, read_tokenizer, score_samples, AnswerModel, Checkpoint, CheckpointMeta,
    RelationVocab, Sample, BERT_CONFIG_FILE, TOKENIZER_FILE,
};
use crate::store::Graph;
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

/// How many answers to give, and whether to explain them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AskOptions {
    /// At most this many answers.
    pub top_k: usize,
    /// Read the evidence paths of each answer (off: `evidence` is empty).
    pub evidence: bool,
}

impl AskOptions {
    /// At most `top_k` answers, with evidence.
    pub fn top(top_k: usize) -> Self {
        Self {
            top_k,
            evidence: true,
        }
    }
}

/// The trained model without its pipeline: what a model thread owns. It is `Send` but not
/// `Sync` (libtorch tensors), so one thread scores for everyone.
pub struct Scorer {
    model: AnswerModel,
    meta: CheckpointMeta,
    device: Device,
    _vs: nn::VarStore,
}

impl std::fmt::Debug for Scorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scorer")
            .field("meta", &self.meta)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl Scorer {
    /// The checkpoint's metadata.
    pub fn meta(&self) -> &CheckpointMeta {
        &self.meta
    }

    /// The model.
    pub fn model(&self) -> &AnswerModel {
        &self.model
    }

    /// The device the model runs on.
    pub fn device(&self) -> Device {
        self.device
    }

    /// Scores `samples` in batches of at most `batch_size`: per sample, every node's probability.
    pub fn score(&self, samples: &[&Sample], batch_size: usize) -> Result<Vec<Vec<f64>>> {
        score_samples(&self.model, samples, batch_size, self.device)
    }
}

/// The model's input for `question`, given what the pipeline retrieved for it.
pub fn question_sample(question: &str, retrieval: &Retrieval, vocab: &RelationVocab) -> Sample {
    Sample::new(
        model_text(question, &retrieval.links),
        &retrieval.subgraph,
        vocab,
        Vec::new(),
    )
}

/// The answer to `question` from its retrieval and the scores of the subgraph's nodes: the best
/// candidates above `threshold`, labelled (and explained) from `graph`.
pub fn answer_from_scores(
    graph: &Graph,
    question: &str,
    retrieval: Retrieval,
    scores: &[f64],
    threshold: f64,
    options: AskOptions,
) -> Result<Answer> {
    let subgraph = &retrieval.subgraph;
    let mut ranked: Vec<(u32, f64)> = subgraph
        .candidates()
        .map(|id| (id, scores.get(id as usize).copied().unwrap_or(0.0)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(options.top_k);
    let no_answer = ranked.first().is_none_or(|&(_, s)| s < threshold);
    let answers = if no_answer {
        Vec::new()
    } else {
        explain(graph, subgraph, &ranked, options.evidence)?
    };
    Ok(Answer {
        question: question.to_owned(),
        answers,
        linked: retrieval.links,
        no_answer,
        threshold,
    })
}

/// A trained model over a graph, ready to answer.
pub struct Answerer {
    pipeline: Pipeline,
    scorer: Scorer,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answerer")
            .field("meta", &self.scorer.meta)
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
            scorer: Scorer {
                model,
                meta,
                device,
                _vs: vs,
            },
        })
    }

    /// The checkpoint's metadata.
    pub fn meta(&self) -> &CheckpointMeta {
        &self.scorer.meta
    }

    /// The pipeline (with the checkpoint's linking prior).
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The model.
    pub fn model(&self) -> &AnswerModel {
        &self.scorer.model
    }

    /// The device the model runs on.
    pub fn device(&self) -> Device {
        self.scorer.device
    }

    /// The pipeline and the model apart, so that the model can live on a thread of its own.
    pub fn into_parts(self) -> (Pipeline, Scorer) {
        (self.pipeline, self.scorer)
    }

    /// Answers `question` with at most `top_k` answers.
    pub fn ask(&self, question: &str, top_k: usize) -> Result<Answer> {
        let mut answers = self.ask_batch(&[question], AskOptions::top(top_k))?;
        Ok(answers.remove(0))
    }

    /// Answers several questions, scoring them together in one batch.
    pub fn ask_batch(&self, questions: &[&str], options: AskOptions) -> Result<Vec<Answer>> {
        let retrievals = questions
            .iter()
            .map(|q| self.pipeline.retrieve(q))
            .collect::<Result<Vec<_>>>()?;
        let vocab = self.scorer.model.vocab();
        let samples: Vec<Sample> = questions
            .iter()
            .zip(&retrievals)
            .map(|(q, r)| question_sample(q, r, vocab))
            .collect();
        let sample_refs: Vec<&Sample> = samples.iter().collect();
        let scores = self.scorer.score(&sample_refs, sample_refs.len())?;
        let graph = self.pipeline.retriever().graph();
        questions
            .iter()
            .zip(retrievals)
            .zip(scores)
            .map(|((q, retrieval), scores)| {
                answer_from_scores(
                    graph,
                    q,
                    retrieval,
                    &scores,
                    self.scorer.meta.threshold,
                    options,
                )
            })
            .collect()
    }
}

/// The ranked answers with their labels and (with `evidence`) evidence paths; labels are read for
/// just the answers and the nodes and relations on those paths.
fn explain(
    graph: &Graph,
    subgraph: &Subgraph,
    ranked: &[(u32, f64)],
    evidence: bool,
) -> Result<Vec<ScoredAnswer>> {
    let index = EvidenceIndex::new(subgraph);
    let paths: Vec<Vec<Vec<usize>>> = ranked
        .iter()
        .map(|&(id, _)| {
            if evidence {
                index.edge_paths(id, EVIDENCE_PATHS)
            } else {
                Vec::new()
            }
        })
        .collect();
    let mut terms: Vec<NamedNode> = ranked
        .iter()
        .map(|&(id, _)| subgraph.iri(id).clone())
        .collect();
    for &edge in paths.iter().flatten().flatten() {
        terms.extend(index.terms(edge).into_iter().cloned());
    }
    terms.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    terms.dedup();
    let labels = graph.preferred_labels(&terms)?;
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
                .map(|path| path.iter().map(|&e| index.triple(e, &label)).collect())
                .collect(),
        })
        .collect())
}
