//! Answering, in three stages: **prepare** (link, retrieve, build the model's input), **score**
//! (a batch scorer, on whichever thread owns the model), **finish** (threshold, top k, labels and
//! the triple paths that explain each answer). [`AnswerService`] runs them for every front end.
//!
//! Questions with known answers are prepared with their gold answers marked ([`Prepared`]) and
//! scored into outcomes, for training and evaluation.

mod answerer;
mod evidence;
mod finish;
mod labelled;
mod prepare;
mod scoring;
mod service;
mod threshold;

pub use answerer::Answerer;
pub use evidence::{EvidenceIndex, EvidenceTriple};
pub use finish::{finish, Answer, AskOptions, ScoredAnswer};
pub use labelled::{node_scores, outcomes, outcomes_from, prepare, prepare_one, Prepared};
pub use prepare::{model_text, prepare_linked, prepare_question, PreparedQuestion, MENTION_MASK};
pub use scoring::BatchScorer;
pub use service::{AnswerService, AskTimes};
pub use threshold::calibrate_threshold;
