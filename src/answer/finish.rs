//! The last stage of answering: rank the candidates by score, apply the threshold, keep the
//! top k, and read their labels and evidence paths from the graph.

use oxigraph::model::NamedNode;

use super::evidence::{EvidenceIndex, EvidenceTriple};
use crate::error::Result;
use crate::link::Link;
use crate::pipeline::Retrieval;
use crate::retrieve::Subgraph;
use crate::store::Graph;

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
    /// Paths of triples from a topic entity to the answer (shortest first, at most three); for a
    /// question with several constraints, one path from each constraint's topics.
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

/// The last stage of answering: the answer to `question` from its retrieval and the scores of
/// the subgraph's nodes: the best candidates above `threshold`, labelled (and explained) from
/// `graph`.
pub fn finish(
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
        let constraints = subgraph.constraint_ids(&retrieval.topics);
        explain(graph, subgraph, &constraints, &ranked, options.evidence)?
    };
    Ok(Answer {
        question: question.to_owned(),
        answers,
        linked: retrieval.links,
        no_answer,
        threshold,
    })
}

/// The ranked answers with their labels and (with `evidence`) evidence paths; labels are read for
/// just the answers and the nodes and relations on those paths.
fn explain(
    graph: &Graph,
    subgraph: &Subgraph,
    constraints: &[Vec<u32>],
    ranked: &[(u32, f64)],
    evidence: bool,
) -> Result<Vec<ScoredAnswer>> {
    let index = EvidenceIndex::new(subgraph);
    let paths: Vec<Vec<Vec<usize>>> = ranked
        .iter()
        .map(|&(id, _)| {
            if evidence {
                index.constraint_paths(id, constraints, EVIDENCE_PATHS)
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
