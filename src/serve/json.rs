//! Strict JSON request bodies: declared as JSON, within the size limit, arrived within the body
//! timeout, no unknown fields, no wrong types, each failure with its own status in the error
//! envelope; and the checks every text field of a request passes.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::error::{ApiError, ErrorType};
use super::state::SharedState;

/// A JSON body deserialized into `T` (whose type should deny unknown fields). Rejections: 415
/// when not declared as JSON, 413 when too large, 408 when it does not arrive within
/// `body_timeout_ms`, 400 when not JSON, 422 when not a valid `T`.
#[derive(Debug, Clone)]
pub struct StrictJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<SharedState> for StrictJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &SharedState) -> Result<Self, Self::Rejection> {
        if !declares_json(request.headers()) {
            return Err(ApiError::new(
                ErrorType::UnsupportedMediaType,
                "the body must be JSON, sent with `Content-Type: application/json`",
            ));
        }
        let config = state.config();
        let body = tokio::time::timeout(config.body_timeout(), Bytes::from_request(request, state))
            .await
            .map_err(|_| {
                ApiError::new(
                    ErrorType::RequestTimeout,
                    format!(
                        "the request body did not arrive within {} ms (body_timeout_ms in /v1/info)",
                        config.body_timeout_ms
                    ),
                )
            })?;
        let bytes = body
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        ErrorType::PayloadTooLarge,
                        "the request body is larger than the server accepts (max_body_bytes in /v1/info)",
                    )
                } else {
                    ApiError::new(ErrorType::MalformedJson, rejection.body_text())
                }
            })?;
        parse(&bytes).map(StrictJson)
    }
}

/// Parses `bytes` as a `T`: 400 for text that is not JSON, 422 for JSON that is not a `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        Category::Data => ApiError::validation(e.to_string()),
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::new(ErrorType::MalformedJson, format!("not valid JSON: {e}"))
        }
    })
}

/// Checks a text field of a request: not blank, at most `max_chars` characters, and no control
/// characters other than tabs and line breaks.
pub fn check_text(field: &str, value: &str, max_chars: usize) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::validation(format!("{field}: must not be empty")));
    }
    let chars = value.chars().count();
    if chars > max_chars {
        return Err(ApiError::validation(format!(
            "{field}: {chars} characters, more than the {max_chars} accepted"
        )));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::validation(format!(
            "{field}: contains the control character U+{:04X}",
            u32::from(c)
        )));
    }
    Ok(())
}

fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Ask {
        question: String,
        top_k: Option<usize>,
    }

    fn kind(bytes: &str) -> ErrorType {
        parse::<Ask>(bytes.as_bytes()).unwrap_err().kind
    }

    #[test]
    fn syntax_errors_are_400_and_shape_errors_are_422() {
        assert!(parse::<Ask>(br#"{"question": "q", "top_k": 3}"#).is_ok());
        assert_eq!(kind(r#"{"question": "q""#), ErrorType::MalformedJson);
        assert_eq!(kind(""), ErrorType::MalformedJson);
        assert_eq!(
            kind(r#"{"question": "q"} trailing"#),
            ErrorType::MalformedJson
        );
        assert_eq!(
            kind(r#"{"question": "q", "extra": 1}"#),
            ErrorType::Validation
        );
        assert_eq!(kind(r#"{"question": 3}"#), ErrorType::Validation);
        assert_eq!(
            kind(r#"{"question": "q", "top_k": -1}"#),
            ErrorType::Validation
        );
        assert_eq!(kind(r#"{"top_k": 1}"#), ErrorType::Validation);
        assert_eq!(kind(r#"["q"]"#), ErrorType::Validation);
    }

    #[test]
    fn text_fields_are_non_blank_bounded_and_printable() {
        assert!(check_text("q", "who directed Heat?\n", 20).is_ok());
        for bad in ["", "  \n", "a\u{0}b", "\u{1b}[31mred", &"x".repeat(21)] {
            let error = check_text("q", bad, 20).unwrap_err();
            assert_eq!(error.kind, ErrorType::Validation, "{bad:?}");
            assert!(error.message.starts_with("q: "), "{}", error.message);
        }
        // Characters, not bytes.
        assert!(check_text("q", &"é".repeat(20), 20).is_ok());
    }

    #[test]
    fn content_type_must_say_json() {
        let mut headers = HeaderMap::new();
        assert!(!declares_json(&headers));
        for (value, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/problem+json", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("+json", false),
        ] {
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            assert_eq!(declares_json(&headers), json, "{value}");
        }
    }
}
