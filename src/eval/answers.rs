//! `kgqa eval`: answer-ranking metrics of a trained model over a question file.

use std::collections::BTreeMap;

use super::group::{breakdown, constraints_key, hop_key, type_key};
use super::metrics::{summarize, QuestionOutcome, RankingMetrics};
use super::{ratio, round4};
use crate::answer::Prepared;

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
    /// Per number of constraints (gold topics), when the file has questions with several.
    #[serde(skip_serializing_if = "one_group")]
    pub by_constraints: BTreeMap<String, GroupReport>,
}

fn one_group(groups: &BTreeMap<String, GroupReport>) -> bool {
    groups.len() < 2
}

/// Summarizes scored questions; `seconds` is the end-to-end time they took.
pub fn answer_report(
    prepared: &[Prepared],
    outcomes: &[QuestionOutcome],
    seconds: f64,
) -> AnswerReport {
    let pairs: Vec<(&Prepared, &QuestionOutcome)> = prepared.iter().zip(outcomes).collect();
    let group = |members: &[&(&Prepared, &QuestionOutcome)]| {
        let selected: Vec<QuestionOutcome> = members.iter().map(|(_, o)| (*o).clone()).collect();
        let linked = members.iter().filter(|(p, _)| p.linked).count();
        GroupReport {
            linking_accuracy: round4(ratio(linked, selected.len())),
            ranking: rounded(summarize(&selected)),
        }
    };
    let by = |key: fn(&crate::question::Question) -> Option<String>| {
        breakdown(&pairs, |(p, _)| key(&p.question))
            .into_iter()
            .map(|(k, members)| (k, group(&members)))
            .collect::<BTreeMap<_, _>>()
    };
    let all: Vec<&(&Prepared, &QuestionOutcome)> = pairs.iter().collect();
    AnswerReport {
        overall: group(&all),
        questions_per_s: round4(prepared.len() as f64 / seconds.max(1e-9)),
        by_hop: by(hop_key),
        by_type: by(type_key),
        by_constraints: by(constraints_key),
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
