//! The one error envelope of every failed request: `{"error": {"type": ..., "message": ...}}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The stable kinds of error a client can branch on (the envelope's `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorType {
    /// 400: the body is not JSON.
    MalformedJson,
    /// 401: a bearer token is missing or wrong.
    Unauthorized,
    /// 403: the endpoint is disabled (no token was configured at start).
    Disabled,
    /// 404: no such endpoint.
    NotFound,
    /// 405: the endpoint exists for another method.
    MethodNotAllowed,
    /// 408: the request's body did not arrive in time (`body_timeout_ms`).
    RequestTimeout,
    /// 413: the body, or the batch, is too large.
    PayloadTooLarge,
    /// 415: the body is not declared as `application/json`.
    UnsupportedMediaType,
    /// 422: the JSON is well formed but invalid (unknown field, wrong type, bad value).
    Validation,
    /// 429: the queue is full; retry later.
    Overloaded,
    /// 500: a bug or an unexpected failure.
    Internal,
    /// 503: the store or the model is not loaded yet, or the server is shutting down.
    NotReady,
    /// 504: the request did not finish within its deadline.
    Timeout,
    /// 507: the feedback file reached its size limit.
    InsufficientStorage,
}

impl ErrorType {
    /// The HTTP status of this kind of error.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorType::MalformedJson => StatusCode::BAD_REQUEST,
            ErrorType::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorType::Disabled => StatusCode::FORBIDDEN,
            ErrorType::NotFound => StatusCode::NOT_FOUND,
            ErrorType::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorType::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorType::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorType::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorType::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorType::Overloaded => StatusCode::TOO_MANY_REQUESTS,
            ErrorType::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorType::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ErrorType::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorType::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
        }
    }
}

/// A failed request, rendered as the error envelope with the status of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of error.
    pub kind: ErrorType,
    /// A message for the developer calling the API.
    pub message: String,
}

impl ApiError {
    /// An error of `kind`.
    pub fn new(kind: ErrorType, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// 422 with `message`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Validation, message)
    }

    /// 500: the details go to the log, the client gets a generic message.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::new(ErrorType::Internal, "internal error (see the server log)")
    }

    /// 503 while loading.
    pub fn not_ready() -> Self {
        Self::new(
            ErrorType::NotReady,
            "the store and the model are not loaded yet (see /readyz)",
        )
    }

    /// 429.
    pub fn overloaded() -> Self {
        Self::new(
            ErrorType::Overloaded,
            "too many questions are waiting; retry later",
        )
    }

    /// 504.
    pub fn timeout(deadline_ms: u64) -> Self {
        Self::new(
            ErrorType::Timeout,
            format!("the request did not finish within its {deadline_ms} ms deadline"),
        )
    }

    /// The envelope's JSON.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": { "type": self.kind, "message": self.message } })
    }
}

/// Library errors about a request's values are the client's (422); every other one, the model's
/// and the store's among them, is ours (500, details in the log only).
impl From<crate::Error> for ApiError {
    fn from(error: crate::Error) -> Self {
        if error.is_invalid_input() {
            Self::validation(error.to_string())
        } else {
            Self::internal(&error)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.kind.status(), axum::Json(self.body())).into_response();
        if self.kind == ErrorType::Unauthorized {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.kind == ErrorType::RequestTimeout {
            // The rest of the body may still arrive: this connection cannot carry another request.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if self.kind == ErrorType::Overloaded {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_has_a_stable_type_and_the_types_status() {
        let error = ApiError::overloaded();
        assert_eq!(error.body()["error"]["type"], "overloaded");
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        let unauthorized = ApiError::new(ErrorType::Unauthorized, "no").into_response();
        assert_eq!(unauthorized.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }

    #[test]
    fn invalid_values_are_the_clients_fault_other_errors_are_ours() {
        let invalid: ApiError = crate::Error::invalid("add", "bad").into();
        assert_eq!(invalid.kind, ErrorType::Validation);
        let update: ApiError =
            crate::Error::from(crate::store::StoreError::invalid("add", "bad")).into();
        assert_eq!(update.kind, ErrorType::Validation);
        let model: ApiError = crate::Error::internal("encoding questions", "tensor shape").into();
        assert_eq!(model.kind, ErrorType::Internal);
        assert!(
            !model.message.contains("tensor"),
            "internal details stay in the log"
        );
        let io: ApiError = crate::Error::io("/x", std::io::Error::other("disk")).into();
        assert_eq!(io.kind, ErrorType::Internal);
        assert!(
            !io.message.contains("/x"),
            "internal details stay in the log"
        );
    }
}
