//! What can go wrong when talking to a remote SPARQL endpoint.

use std::time::Duration;

/// A failed exchange with a remote SPARQL endpoint. Every variant names the endpoint (without
/// credentials) and says what happened, so that "down", "slow" and "broken" read differently.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// No connection could be made (refused, reset, unknown host), even after retries.
    #[error("{endpoint} is unreachable ({cause}; {attempts} attempts over {:.1} s)", elapsed.as_secs_f64())]
    Unreachable {
        /// The endpoint.
        endpoint: String,
        /// The last connection error.
        cause: String,
        /// How many attempts were made.
        attempts: u32,
        /// Time spent, retries and backoff included.
        elapsed: Duration,
    },
    /// The endpoint did not answer in time.
    #[error("{endpoint} did not answer within {:.1} s (raise [remote] {key} for slower queries)", limit.as_secs_f64())]
    Timeout {
        /// The endpoint.
        endpoint: String,
        /// The limit that was reached.
        limit: Duration,
        /// The configuration key that sets the limit.
        key: &'static str,
    },
    /// The endpoint answered with an HTTP error status.
    #[error("{endpoint} answered HTTP {status}{}: {excerpt}", retried_note(*attempts))]
    Http {
        /// The endpoint.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// The start of the response body.
        excerpt: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The endpoint answered, but not with SPARQL results kgqa can read.
    #[error("{endpoint} returned malformed results ({cause}); the response began: {snippet}")]
    Malformed {
        /// The endpoint.
        endpoint: String,
        /// The parse error.
        cause: String,
        /// The start of the response.
        snippet: String,
    },
    /// The endpoint's answer was larger than kgqa reads.
    #[error("{endpoint} answered with more than {limit} bytes (raise [remote] max_response_bytes if that is expected)")]
    TooLarge {
        /// The endpoint.
        endpoint: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The endpoint returned only part of the results (a server-side row limit or time limit).
    #[error("{endpoint} returned incomplete results: {reason}")]
    Incomplete {
        /// The endpoint.
        endpoint: String,
        /// What the server said, and what to change.
        reason: String,
    },
}

fn retried_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" ({attempts} attempts)")
    } else {
        String::new()
    }
}

/// At most `max` characters of `text`, on one line, marked when cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut cut: String = flat.chars().take(max).collect();
    if flat.chars().count() > max {
        cut.push('…');
    }
    if cut.is_empty() {
        "(empty)".to_owned()
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_single_lines() {
        assert_eq!(excerpt("  a\nb\tc  ", 10), "a b c");
        assert_eq!(excerpt(&"x".repeat(50), 5), "xxxxx…");
        assert_eq!(excerpt("", 5), "(empty)");
    }
}
