//! Strict JSON request bodies: declared as JSON, within the size limit, arrived within the body
//! timeout, no unknown fields, no wrong types, each failure with its own status in the error
//! envelope; and the checks every text field of a request passes.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use unicode_categories::UnicodeCategories as _;

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

/// Checks a text field of a request: not blank, at most `max_chars` characters, and only
/// characters that [`check_chars`] accepts.
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
    check_chars(field, value)
}

/// Checks that `value` holds no control characters other than tabs and line breaks, no
/// invisible format characters (bidirectional overrides, zero-width spaces, byte-order marks…)
/// and no Unicode line or paragraph separators: text a reader of the logs, the feedback file or
/// an answer would not see as it is. The zero-width joiners that some scripts and emoji need
/// (U+200C, U+200D) are accepted.
pub fn check_chars(field: &str, value: &str) -> Result<(), ApiError> {
    match value.chars().find_map(|c| hidden(c).map(|what| (c, what))) {
        Some((c, what)) => Err(ApiError::validation(format!(
            "{field}: contains the {what} U+{:04X}",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

/// What kind of unseen character `c` is, if it is one a text field must not hold.
fn hidden(c: char) -> Option<&'static str> {
    if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
        Some("control character")
    } else if c.is_other_format() && !matches!(c, '\u{200C}' | '\u{200D}') {
        Some("invisible format character")
    } else if c.is_separator_line() || c.is_separator_paragraph() {
        Some("line separator")
    } else {
        None
    }
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
    fn invisible_characters_are_refused_joiners_are_not() {
        for (bad, what) in [
            (
                "who directed \u{202E}taeH",
                "invisible format character U+202E",
            ),
            (
                "who\u{200B}directed Heat",
                "invisible format character U+200B",
            ),
            ("who directed\u{2028}Heat", "line separator U+2028"),
            ("who directed\u{2029}Heat", "line separator U+2029"),
            (
                "\u{FEFF}who directed Heat",
                "invisible format character U+FEFF",
            ),
            (
                "who directed \u{2066}Heat\u{2069}",
                "invisible format character U+2066",
            ),
            (
                "who directed\u{AD}Heat",
                "invisible format character U+00AD",
            ),
            ("who directed\u{85}Heat", "control character U+0085"),
        ] {
            let error = check_text("question", bad, 100).unwrap_err();
            assert_eq!(error.kind, ErrorType::Validation, "{bad:?}");
            assert_eq!(error.message, format!("question: contains the {what}"));
        }
        // Persian needs the zero-width non-joiner, emoji sequences the joiner.
        assert!(check_text(
            "question",
            "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}",
            100
        )
        .is_ok());
        assert!(check_text(
            "question",
            "\u{1F469}\u{200D}\u{1F52C} who directed Heat",
            100
        )
        .is_ok());
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
