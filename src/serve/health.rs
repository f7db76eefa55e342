//! `GET /healthz` (the process answers), `GET /readyz` (store and model loaded: 503 until then
//! and once shutdown began) and `GET /v1/info` (model, graph size, version, limits).

use std::path::Path;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::state::SharedState;

/// `GET /healthz`: 200 while the process serves requests.
pub async fn get_healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: 200 once questions can be answered, else 503 in the error envelope.
pub async fn get_readyz(State(state): State<SharedState>) -> Result<Json<Value>, ApiError> {
    state.readiness()?;
    Ok(Json(json!({ "status": "ready" })))
}

/// `GET /v1/info`: what is served, and the limits a client must respect.
pub async fn get_info(State(state): State<SharedState>) -> Result<Json<Value>, ApiError> {
    let ready = state.ready()?;
    let graph = {
        let service = ready.graph.snapshot().await;
        let pipeline = service.pipeline();
        let graph = pipeline.retriever().graph();
        json!({
            // A name, not a path: the server's filesystem layout is nobody's business.
            "store": graph.location().map(file_name),
            "in_memory": graph.location().is_none() && graph.remote_client().is_none(),
            "triples": ready.graph.triples(),
            "labelled_nodes": pipeline.linker().index().len(),
        })
    };
    let config = state.config();
    Ok(Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "model": ready.model,
        "graph": graph,
        "limits": {
            "max_body_bytes": config.max_body_bytes,
            "max_question_chars": config.max_question_chars,
            "max_batch": config.max_batch,
            "max_top_k": config.max_top_k,
            "top_k": config.top_k,
            "queue_capacity": config.queue_capacity,
            "model_batch": config.model_batch,
            "model_threads": config.model_threads,
            "deadline_ms": config.deadline_ms,
            "feedback_max_bytes": config.feedback_max_bytes,
            "header_timeout_ms": config.header_timeout_ms,
            "body_timeout_ms": config.body_timeout_ms,
            "max_connections": config.max_connections,
            "shutdown_grace_ms": config.shutdown_grace_ms,
        },
        "writes_enabled": config.token.is_some(),
    })))
}

/// The last component of `path` (`models/metaqa` → `metaqa`), as `/v1/info` names things.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// `GET /metrics`: Prometheus text format.
pub async fn get_metrics(
    State(state): State<SharedState>,
) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    let text = state.metrics().render(&state.gauges());
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
}
