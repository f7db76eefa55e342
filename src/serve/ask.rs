//! `POST /v1/ask` and `POST /v1/ask/batch`: the answering service's stages, as `kgqa ask` runs
//! them, spread over threads: prepare (link, retrieve) on the blocking pool, score on the model
//! thread (micro-batched with other requests), finish (rank, label, explain) on the blocking pool;
//! all on one snapshot of the graph, within the request's deadline, after admission by the
//! bounded queue.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::Json;

use super::blocking::Request;
use super::error::{ApiError, ErrorType};
use super::json::{check_text, StrictJson};
use super::state::{Ready, SharedState};
use crate::answer::{Answer, AskOptions, PreparedQuestion};

/// The body of `POST /v1/ask`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    /// The question, in free text (MetaQA-style `[mentions]` are understood).
    pub question: String,
    /// At most this many answers (default: `top_k` of the configuration).
    #[serde(default)]
    pub top_k: Option<usize>,
    /// Include the evidence paths of each answer (default: true).
    #[serde(default)]
    pub include_evidence: Option<bool>,
}

/// The body of `POST /v1/ask/batch`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The questions (at most `max_batch`).
    pub questions: Vec<String>,
    /// At most this many answers per question.
    #[serde(default)]
    pub top_k: Option<usize>,
    /// Include the evidence paths of each answer (default: true).
    #[serde(default)]
    pub include_evidence: Option<bool>,
}

/// Where a question's time went, in milliseconds.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timing {
    /// From admission to the reply.
    pub total: f64,
    /// Entity linking.
    pub link: f64,
    /// Subgraph retrieval.
    pub retrieve: f64,
    /// Waiting for the model thread.
    pub queue: f64,
    /// Scoring the micro-batch that held the question.
    pub score: f64,
    /// Ranking, labels and evidence paths.
    pub explain: f64,
    /// Questions in that micro-batch.
    pub batch: usize,
}

/// The reply of `POST /v1/ask`: the answer and where the time went.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AskResponse {
    /// The answer.
    #[serde(flatten)]
    pub answer: Answer,
    /// Timing.
    pub timing_ms: Timing,
}

/// The reply of `POST /v1/ask/batch`: one result per question, in order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BatchResponse {
    /// The answers.
    pub results: Vec<AskResponse>,
    /// From admission to the reply, in milliseconds.
    pub timing_ms: f64,
}

/// `POST /v1/ask`.
pub async fn post_ask(
    State(state): State<SharedState>,
    StrictJson(request): StrictJson<AskRequest>,
) -> Result<Json<AskResponse>, ApiError> {
    let options = options(&state, request.top_k, request.include_evidence)?;
    check_text(
        "question",
        &request.question,
        state.config().max_question_chars,
    )?;
    let ready = state.ready()?;
    let _permit = state.admit(1)?;
    let started = Instant::now();
    let mut results = within_deadline(
        &state,
        answer(&state, ready, vec![request.question], options),
    )
    .await?;
    let mut response = results.remove(0);
    response.timing_ms.total = ms(started.elapsed());
    Ok(Json(response))
}

/// `POST /v1/ask/batch`: 413 beyond `max_batch` questions.
pub async fn post_batch(
    State(state): State<SharedState>,
    StrictJson(request): StrictJson<BatchRequest>,
) -> Result<Json<BatchResponse>, ApiError> {
    let config = state.config();
    let options = options(&state, request.top_k, request.include_evidence)?;
    if request.questions.is_empty() {
        return Err(ApiError::validation("questions: must not be empty"));
    }
    if request.questions.len() > config.max_batch {
        return Err(ApiError::new(
            ErrorType::PayloadTooLarge,
            format!(
                "questions: {} questions, more than the {} a batch may hold",
                request.questions.len(),
                config.max_batch
            ),
        ));
    }
    for (i, question) in request.questions.iter().enumerate() {
        check_text(
            &format!("questions[{i}]"),
            question,
            config.max_question_chars,
        )?;
    }
    let ready = state.ready()?;
    let _permit = state.admit(request.questions.len())?;
    let started = Instant::now();
    let mut results =
        within_deadline(&state, answer(&state, ready, request.questions, options)).await?;
    let total = ms(started.elapsed());
    for result in &mut results {
        result.timing_ms.total = total;
    }
    Ok(Json(BatchResponse {
        results,
        timing_ms: total,
    }))
}

fn options(
    state: &SharedState,
    top_k: Option<usize>,
    evidence: Option<bool>,
) -> Result<AskOptions, ApiError> {
    let config = state.config();
    let top_k = top_k.unwrap_or(config.top_k);
    if top_k == 0 || top_k > config.max_top_k {
        return Err(ApiError::validation(format!(
            "top_k: must be between 1 and {}",
            config.max_top_k
        )));
    }
    Ok(AskOptions {
        top_k,
        evidence: evidence.unwrap_or(true),
    })
}

async fn within_deadline<T>(
    state: &SharedState,
    work: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    tokio::time::timeout(state.config().deadline(), work)
        .await
        .map_err(|_| ApiError::timeout(state.config().deadline_ms))?
}

/// Answers `questions` on one snapshot of the graph: each prepared on its own blocking task, all
/// scored as one job of the model thread, then each finished on its own blocking task.
async fn answer(
    state: &SharedState,
    ready: Arc<Ready>,
    questions: Vec<String>,
    options: AskOptions,
) -> Result<Vec<AskResponse>, ApiError> {
    // Dropped with this future (deadline, client gone): blocking work not started is skipped.
    let request = Request::default();
    let slots = state.blocking();
    let service = Arc::new(ready.graph.snapshot().await);
    let counted = ready.queue.preparing(questions.len());
    let mut preparing = Vec::with_capacity(questions.len());
    for question in questions {
        let service = service.clone();
        preparing.push(
            slots
                .spawn(&request, move || service.prepare(&question))
                .await?,
        );
    }
    let mut pending = Vec::with_capacity(preparing.len());
    let mut samples = Vec::with_capacity(preparing.len());
    for task in preparing {
        let PreparedQuestion {
            question,
            retrieval,
            sample,
            ..
        } = task.result().await?;
        pending.push((question, retrieval));
        samples.push(sample);
    }
    let submitted = ready.queue.submit(samples);
    // Only now: the model thread, seeing nothing being prepared, finds the job already queued.
    drop(counted);
    let scored = submitted?
        .await
        .map_err(|_| ApiError::internal(&"the model thread stopped"))??;
    let mut finishing = Vec::with_capacity(pending.len());
    for ((question, retrieval), scores) in pending.into_iter().zip(scored.scores) {
        let service = service.clone();
        let finish = move || {
            let started = Instant::now();
            let timing = Timing {
                link: ms(retrieval.link_time),
                retrieve: ms(retrieval.retrieve_time),
                ..Timing::default()
            };
            let answer = service.finish(&question, retrieval, &scores, options)?;
            Ok((
                answer,
                Timing {
                    explain: ms(started.elapsed()),
                    ..timing
                },
            ))
        };
        finishing.push(slots.spawn(&request, finish).await?);
    }
    let mut responses = Vec::with_capacity(finishing.len());
    for task in finishing {
        let (answer, timing) = task.result().await?;
        responses.push(AskResponse {
            answer,
            timing_ms: Timing {
                queue: ms(scored.queued),
                score: ms(scored.scoring),
                batch: scored.batch,
                ..timing
            },
        });
    }
    Ok(responses)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
