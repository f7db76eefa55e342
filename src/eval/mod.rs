//! Evaluation over question files: linking accuracy and retrieval coverage, overall and per group.

mod answers;
mod link;
pub mod metrics;
mod retrieve;
pub mod roc_plot;
mod stats;

pub use answers::{answer_report, AnswerReport, GroupReport};
pub use link::{evaluate_linking, LinkReport};
pub use retrieve::{evaluate_retrieval, DepthReport, RetrieveReport};
pub use stats::{mean, quantile, ratio, round4};

/// The key questions are grouped by for per-hop figures: their hop count, or `unknown`.
pub(crate) fn hop_key(question: &crate::question::Question) -> String {
    question
        .hops
        .map_or_else(|| "unknown".to_owned(), |h| h.to_string())
}
