//! Bearer tokens for the write and admin endpoints. Without a configured token those endpoints
//! are disabled (403); with one, a request must carry `Authorization: Bearer <token>` (else 401).
//! The scheme is matched case-insensitively (`bearer <token>` is accepted too: RFC 9110 makes
//! auth schemes case-insensitive). The token is compared in constant time and never logged.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use super::error::{ApiError, ErrorType};
use super::state::SharedState;
use crate::config::Secret;

/// Proof that a request carries the configured token: the first extractor of every write and
/// admin handler, so an unauthorized request is refused before its body is read.
#[derive(Debug, Clone, Copy)]
pub struct Authorized;

impl FromRequestParts<SharedState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        check(state.config().token.as_ref(), &parts.headers)
    }
}

/// Checks `headers` against `token`.
pub fn check(token: Option<&Secret>, headers: &HeaderMap) -> Result<Authorized, ApiError> {
    let Some(token) = token else {
        return Err(ApiError::new(
            ErrorType::Disabled,
            "this endpoint is disabled: start the server with a token (--token, KGQA_TOKEN or token_file)",
        ));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    match presented {
        None => Err(ApiError::new(
            ErrorType::Unauthorized,
            "this endpoint needs `Authorization: Bearer <token>`",
        )),
        Some(candidate) if token.matches(candidate) => Ok(Authorized),
        Some(_) => Err(ApiError::new(
            ErrorType::Unauthorized,
            "the token is not valid",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, authorization.parse().unwrap());
        headers
    }

    #[test]
    fn disabled_without_a_token_unauthorized_without_the_right_one() {
        let token = Secret::new("0123456789abcdef");
        let kind = |token: Option<&Secret>, h: &HeaderMap| check(token, h).unwrap_err().kind;
        assert_eq!(
            kind(None, &headers("Bearer 0123456789abcdef")),
            ErrorType::Disabled
        );
        assert_eq!(
            kind(Some(&token), &HeaderMap::new()),
            ErrorType::Unauthorized
        );
        assert_eq!(
            kind(Some(&token), &headers("Bearer nope")),
            ErrorType::Unauthorized
        );
        assert_eq!(
            kind(Some(&token), &headers("Basic 0123456789abcdef")),
            ErrorType::Unauthorized
        );
        assert!(check(Some(&token), &headers("Bearer 0123456789abcdef")).is_ok());
        assert!(check(Some(&token), &headers("bearer 0123456789abcdef")).is_ok());
        let message = check(Some(&token), &headers("Bearer 0123456789abcdeX"))
            .unwrap_err()
            .message;
        assert!(!message.contains("0123456789"), "{message}");
    }
}
