//! `kgqa serve`: the question-answering pipeline as an HTTP service (axum on tokio).
//!
//! ```text
//! connection ─▶ connections (cap, header timeout, shutdown deadline)
//! request ─▶ routes (request id, log, metrics, body limit) ─▶ auth (writes) ─▶ json (strict, timed)
//!   /v1/ask ─▶ admission (bounded, else 429) ─▶ link + retrieve (blocking pool)
//!           ─▶ worker (model thread, micro-batches) ─▶ rank, labels, evidence (blocking pool)
//!   /v1/graph/triples ─▶ graph (one transaction, label index refreshed; next question sees it)
//!   /v1/feedback ─▶ feedback (JSON Lines, synced)
//! ```
//!
//! Every error is the envelope of [`ApiError`]; every endpoint is in [`ROUTES`] and the
//! OpenAPI document [`OPENAPI`].

mod ask;
mod auth;
mod blocking;
mod connections;
mod error;
mod feedback;
mod graph;
mod health;
mod json;
mod metrics;
mod openapi;
mod routes;
mod server;
mod state;
mod worker;

pub use crate::answer::BatchScorer;
pub use crate::config::{Secret, ServeConfig, MIN_TOKEN_CHARS};
pub use ask::{AskRequest, AskResponse, BatchRequest, BatchResponse, Timing};
pub use error::{ApiError, ErrorType};
pub use feedback::{FeedbackRecord, FeedbackRequest};
pub use graph::{TriplesRequest, TriplesResponse};
pub use openapi::OPENAPI;
pub use routes::{router, RequestId, REQUEST_ID_HEADER, ROUTES};
pub use server::{shutdown_signal, Server};
pub use state::{AppState, Backend, SharedState};
pub use worker::Scored;
