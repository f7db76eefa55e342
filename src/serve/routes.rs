//! The router: every endpoint, and what wraps them all: a request id, a structured log line and
//! metrics per request, the body-size limit, panics turned into the error envelope, and JSON
//! errors for unknown paths and methods.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tracing::Instrument;

use super::ask::{post_ask, post_batch};
use super::error::{ApiError, ErrorType};
use super::feedback::post_feedback;
use super::graph::post_triples;
use super::health::{get_healthz, get_info, get_metrics, get_readyz};
use super::openapi::get_openapi;
use super::state::SharedState;

/// Every endpoint as (method, path); the OpenAPI document describes exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/v1/info"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("POST", "/v1/ask"),
    ("POST", "/v1/ask/batch"),
    ("POST", "/v1/feedback"),
    ("POST", "/v1/graph/triples"),
];

/// The header carrying the request id, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of a request: the client's `x-request-id` when it is a short token, else a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The service: every route of [`ROUTES`] with its handler, over `state`.
pub fn router(state: SharedState) -> Router {
    let max_body = state.config().max_body_bytes;
    Router::new()
        .route("/healthz", get(get_healthz))
        .route("/readyz", get(get_readyz))
        .route("/v1/info", get(get_info))
        .route("/metrics", get(get_metrics))
        .route("/openapi.json", get(get_openapi))
        .route("/v1/ask", post(post_ask))
        .route("/v1/ask/batch", post(post_batch))
        .route("/v1/feedback", post(post_feedback))
        .route("/v1/graph/triples", post(post_triples))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send + 'static>| {
                ApiError::internal(&"a handler panicked").into_response()
            },
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::new(
        ErrorType::NotFound,
        "no such endpoint (GET /openapi.json lists them)",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorType::MethodNotAllowed,
        "this endpoint does not take this method (GET /openapi.json lists them)",
    )
}

/// Gives the request an id, logs it when done (id, method, route template, status, time; never
/// headers or bodies), and counts it.
async fn observe(State(state): State<SharedState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_id(v))
        .map_or_else(new_id, str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().clone();
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status();
    state
        .metrics()
        .record_request(&route, method.as_str(), status.as_u16(), elapsed);
    span.in_scope(|| {
        let ms = elapsed.as_secs_f64() * 1e3;
        if status.is_server_error() {
            tracing::warn!(status = status.as_u16(), ms, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

fn acceptable_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A new id: a random prefix for this process and a counter.
fn new_id() -> String {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = PREFIX.get_or_init(rand::random::<u32>);
    format!(
        "{prefix:08x}-{:06}",
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_short_tokens() {
        assert!(acceptable_id("abc-123_x.y"));
        assert!(!acceptable_id(""));
        assert!(!acceptable_id("has space"));
        assert!(!acceptable_id("tok\u{e9}n"));
        assert!(!acceptable_id(&"a".repeat(65)));
        assert_ne!(new_id(), new_id());
        assert!(acceptable_id(&new_id()));
    }
}
