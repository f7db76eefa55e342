//! `kgqa retrieve --split`: whether the gold answers are among the retrieved candidates, how many
//! candidates there are, and how long retrieval takes.

use std::collections::BTreeMap;

use super::group::{breakdown, hop_key};
use super::{mean, quantile, ratio, round4};
use crate::error::Result;
use crate::pipeline::{Gold, Pipeline};
use crate::question::Question;

/// Retrieval figures over a set of questions, at the configured depth.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RetrieveReport {
    /// Questions evaluated.
    pub questions: usize,
    /// Fraction whose top link is the gold topic entity.
    pub linking_accuracy: f64,
    /// Fraction with at least one gold answer among the candidates.
    pub coverage: f64,
    /// Mean number of candidate answers.
    pub candidates_mean: f64,
    /// Median number of candidate answers.
    pub candidates_median: f64,
    /// 95th percentile of the number of candidate answers.
    pub candidates_p95: f64,
    /// Median retrieval time (after linking), in milliseconds.
    pub latency_ms_p50: f64,
    /// 95th percentile of the retrieval time, in milliseconds.
    pub latency_ms_p95: f64,
    /// Mean linking time, in milliseconds.
    pub link_ms_mean: f64,
    /// Questions whose subgraph hit the node limit.
    pub truncated: usize,
    /// The same figures had retrieval stopped after 1, 2, … hops.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_depth: Vec<DepthReport>,
    /// The same figures per hop count of the questions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_hop: BTreeMap<String, RetrieveReport>,
}

/// Coverage and candidate counts had retrieval stopped after `hops` hops.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DepthReport {
    /// Retrieval depth.
    pub hops: u8,
    /// Fraction with a gold answer within `hops` hops.
    pub coverage: f64,
    /// Mean number of candidates within `hops` hops.
    pub candidates_mean: f64,
    /// Median number of candidates within `hops` hops.
    pub candidates_median: f64,
    /// 95th percentile of the number of candidates within `hops` hops.
    pub candidates_p95: f64,
}

/// What retrieval gave for one question.
#[derive(Debug, Clone)]
struct Measured {
    hop_key: Option<String>,
    linked: bool,
    /// Distance of the nearest gold answer among the candidates, if any.
    answer_distance: Option<u8>,
    /// Candidates within 1, 2, … hops.
    candidates_by_depth: Vec<usize>,
    retrieve_ms: f64,
    link_ms: f64,
    truncated: bool,
}

/// Runs the pipeline on every question (`strip_brackets` removes MetaQA's markup first).
pub fn evaluate_retrieval(
    pipeline: &Pipeline,
    questions: &[Question],
    strip_brackets: bool,
    progress: &dyn Fn(),
) -> Result<RetrieveReport> {
    let depth = pipeline.retriever().config().hops;
    let mut measured = Vec::with_capacity(questions.len());
    for question in questions {
        measured.push(measure(pipeline, question, strip_brackets, depth)?);
        progress();
    }
    let mut report = summarize(&measured.iter().collect::<Vec<_>>(), depth);
    report.by_hop = breakdown(&measured, |m| m.hop_key.clone())
        .into_iter()
        .map(|(k, members)| (k, summarize(&members, depth)))
        .collect();
    Ok(report)
}

fn measure(
    pipeline: &Pipeline,
    question: &Question,
    strip_brackets: bool,
    depth: u8,
) -> Result<Measured> {
    let text = if strip_brackets {
        question.without_brackets()
    } else {
        question.text.clone()
    };
    let retrieval = pipeline.retrieve(&text)?;
    let linker = pipeline.linker();
    let gold = Gold::resolve(linker, question);
    let subgraph = &retrieval.subgraph;
    let answer_distance = gold
        .candidate_ids(linker, subgraph)
        .into_iter()
        .map(|id| subgraph.distances()[id as usize])
        .min();
    let candidates_by_depth = (1..=depth)
        .map(|hops| subgraph.candidates_within(hops).count())
        .collect();
    Ok(Measured {
        hop_key: hop_key(question),
        linked: gold.top_link_is_topic(&retrieval.links),
        answer_distance,
        candidates_by_depth,
        retrieve_ms: retrieval.retrieve_time.as_secs_f64() * 1000.0,
        link_ms: retrieval.link_time.as_secs_f64() * 1000.0,
        truncated: subgraph.truncated(),
    })
}

fn summarize(measured: &[&Measured], depth: u8) -> RetrieveReport {
    let n = measured.len();
    let at = |d: u8| depth_report(measured, d);
    let full = at(depth);
    let latencies: Vec<f64> = measured.iter().map(|m| m.retrieve_ms).collect();
    let link_ms: Vec<f64> = measured.iter().map(|m| m.link_ms).collect();
    RetrieveReport {
        questions: n,
        linking_accuracy: round4(ratio(measured.iter().filter(|m| m.linked).count(), n)),
        coverage: full.coverage,
        candidates_mean: full.candidates_mean,
        candidates_median: full.candidates_median,
        candidates_p95: full.candidates_p95,
        latency_ms_p50: round4(quantile(&latencies, 0.5)),
        latency_ms_p95: round4(quantile(&latencies, 0.95)),
        link_ms_mean: round4(mean(&link_ms)),
        truncated: measured.iter().filter(|m| m.truncated).count(),
        by_depth: (1..=depth).map(at).collect(),
        by_hop: BTreeMap::new(),
    }
}

fn depth_report(measured: &[&Measured], hops: u8) -> DepthReport {
    let covered = measured
        .iter()
        .filter(|m| m.answer_distance.is_some_and(|d| d <= hops))
        .count();
    let counts: Vec<f64> = measured
        .iter()
        .map(|m| m.candidates_by_depth[usize::from(hops) - 1] as f64)
        .collect();
    DepthReport {
        hops,
        coverage: round4(ratio(covered, measured.len())),
        candidates_mean: round4(mean(&counts)),
        candidates_median: quantile(&counts, 0.5),
        candidates_p95: quantile(&counts, 0.95),
    }
}
