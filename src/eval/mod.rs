//! Evaluation over question files: linking accuracy, retrieval coverage and answer ranking,
//! overall and per group.

mod answers;
mod group;
mod link;
pub mod metrics;
mod predictions;
mod retrieve;
pub mod roc_plot;
mod stats;

pub use answers::{answer_report, AnswerReport, GroupReport};
pub use group::{breakdown, constraints_key, hop_key, type_key, UNKNOWN};
pub use link::{evaluate_linking, LinkReport};
pub use predictions::{predictions, PredictedAnswer, Prediction};
pub use retrieve::{evaluate_retrieval, DepthReport, RetrieveReport};
pub use stats::{mean, quantile, ratio, round4};
