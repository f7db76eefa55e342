//! `kgqa eval`: answer-ranking metrics of a trained model over a question file.

use std::collections::BTreeMap;

use super::metrics::{summarize, QuestionOutcome, RankingMetrics};
use super::{hop_key, ratio, round4};
use crate::train::Prepared;

/// Metrics of one group of questions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupReport {
    /// Fraction whose top link is the gold topic entity.
    pub linking_accuracy: f64,
    /// Hits@1, Hits@5, MRR, AUC (macro and micro), coverage, candidate count.
    #[serde(flatten)]
    pub ranking: RankingMetrics,
}

/// The whole report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerReport {
    /// All questions.
    #[serde(flatten)]
    pub overall: GroupReport,
    /// Questions answered per second, end to end (linking, retrieval and scoring).
    pub questions_per_s: f64,
    /// Per hop count, when the file gives it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_hop: BTreeMap<String, GroupReport>,
    /// Per question type, when the file gives it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_type: BTreeMap<String, GroupReport>,
}

/// Summarizes scored questions; `seconds` is the end-to-end time they took.
pub fn answer_report(
    prepared: &[Prepared],
    outcomes: &[QuestionOutcome],
    seconds: f64,
) -> AnswerReport {
    let group = |keep: &dyn Fn(&Prepared) -> bool| {
        let (selected, linked): (Vec<QuestionOutcome>, usize) = prepared
            .iter()
            .zip(outcomes)
            .filter(|(p, _)| keep(p))
            .fold((Vec::new(), 0), |(mut v, linked), (p, o)| {
                v.push(o.clone());
                (v, linked + usize::from(p.linked))
            });
        GroupReport {
            linking_accuracy: round4(ratio(linked, selected.len())),
            ranking: rounded(summarize(&selected)),
        }
    };
    let keys = |key: &dyn Fn(&Prepared) -> Option<String>| {
        let mut keys: Vec<String> = prepared.iter().filter_map(key).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    };
    let by_hop = keys(&|p| p.question.hops.map(|_| hop_key(&p.question)))
        .into_iter()
        .map(|k| {
            let report = group(&|p| hop_key(&p.question) == k);
            (k, report)
        })
        .collect();
    let by_type = keys(&|p| p.question.qtype.clone())
        .into_iter()
        .map(|k| {
            let report = group(&|p| p.question.qtype.as_deref() == Some(k.as_str()));
            (k, report)
        })
        .collect();
    AnswerReport {
        overall: group(&|_| true),
        questions_per_s: round4(prepared.len() as f64 / seconds.max(1e-9)),
        by_hop,
        by_type,
    }
}

fn rounded(mut m: RankingMetrics) -> RankingMetrics {
    m.hits_at_1 = round4(m.hits_at_1);
    m.hits_at_5 = round4(m.hits_at_5);
    m.mrr = round4(m.mrr);
    m.auc_macro = m.auc_macro.map(round4);
    m.auc_micro = m.auc_micro.map(round4);
    m.candidates_mean = round4(m.candidates_mean);
    m.coverage = round4(m.coverage);
    m
}
