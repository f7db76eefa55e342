//! `[serve]`: the address, limits, token and feedback file of `kgqa serve`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

/// The shortest bearer token accepted: a short token is a guessable one.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Settings of the HTTP service. Flags (and their `KGQA_*` variables) override these.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Address and port to listen on (loopback by default).
    pub bind: SocketAddr,
    /// Bearer token of the write and admin endpoints; without one they are disabled. Prefer
    /// `KGQA_TOKEN` or `token_file` to writing it here.
    pub token: Option<Secret>,
    /// A file holding the token (its first line), read at start.
    pub token_file: Option<PathBuf>,
    /// Largest request body, in bytes (413 beyond).
    pub max_body_bytes: usize,
    /// Longest question, in characters (422 beyond).
    pub max_question_chars: usize,
    /// Most questions in one `/v1/ask/batch` request (413 beyond).
    pub max_batch: usize,
    /// Largest `top_k` a request may ask for.
    pub max_top_k: usize,
    /// Answers per question when a request does not say.
    pub top_k: usize,
    /// Questions admitted at once, waiting or being answered; beyond, requests get 429 at once.
    pub queue_capacity: usize,
    /// Most questions the model scores in one micro-batch.
    pub model_batch: usize,
    /// Threads libtorch uses on the model thread (0: one per core). Linking, retrieval and
    /// evidence run on the blocking pool beside it, so on few cores fewer model threads can
    /// answer more.
    pub model_threads: usize,
    /// Per-request deadline in milliseconds (504 beyond).
    pub deadline_ms: u64,
    /// Most pieces of blocking work (linking, retrieval, evidence) running at once, by default one
    /// per core (more only contend with the model thread); more wait for a slot, and those of
    /// requests abandoned meanwhile are skipped.
    pub max_blocking: usize,
    /// The feedback file (JSON Lines, appended and synced).
    pub feedback: PathBuf,
    /// The feedback file stops growing at this size (507 beyond).
    pub feedback_max_bytes: u64,
    /// Milliseconds a client has to send a request's headers, and the longest a kept-alive
    /// connection may stay idle; beyond, the connection is closed.
    pub header_timeout_ms: u64,
    /// Milliseconds a client has to send a request's body once its headers are in (408 beyond).
    pub body_timeout_ms: u64,
    /// Connections open at once; beyond, a new connection gets 429 and is closed.
    pub max_connections: usize,
    /// Milliseconds that shutdown waits for in-flight requests before abandoning them and exiting.
    pub shutdown_grace_ms: u64,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            token_file: None,
            max_body_bytes: 64 * 1024,
            max_question_chars: 500,
            max_batch: 32,
            max_top_k: 100,
            top_k: 5,
            queue_capacity: 64,
            model_batch: 16,
            model_threads: 0,
            deadline_ms: 10_000,
            max_blocking: std::thread::available_parallelism().map_or(2, |n| n.get()),
            feedback: PathBuf::from(".kgqa/feedback.jsonl"),
            feedback_max_bytes: 256 * 1024 * 1024,
            header_timeout_ms: 10_000,
            body_timeout_ms: 10_000,
            max_connections: 256,
            shutdown_grace_ms: 15_000,
        }
    }
}

impl ServeConfig {
    /// Checks the limits and the token.
    pub fn validate(&self) -> Result<()> {
        let positive = [
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_question_chars", self.max_question_chars as u64),
            ("max_batch", self.max_batch as u64),
            ("max_top_k", self.max_top_k as u64),
            ("top_k", self.top_k as u64),
            ("queue_capacity", self.queue_capacity as u64),
            ("model_batch", self.model_batch as u64),
            ("deadline_ms", self.deadline_ms),
            ("max_blocking", self.max_blocking as u64),
            ("feedback_max_bytes", self.feedback_max_bytes),
            ("header_timeout_ms", self.header_timeout_ms),
            ("body_timeout_ms", self.body_timeout_ms),
            ("max_connections", self.max_connections as u64),
            ("shutdown_grace_ms", self.shutdown_grace_ms),
        ];
        for (field, value) in positive {
            if value == 0 {
                return Err(Error::invalid(field, "must be positive"));
            }
        }
        if self.top_k > self.max_top_k {
            return Err(Error::invalid("top_k", "must not exceed max_top_k"));
        }
        if self.max_batch > self.queue_capacity {
            return Err(Error::invalid(
                "max_batch",
                "must not exceed queue_capacity (a batch could never be admitted)",
            ));
        }
        if let Some(token) = &self.token {
            token.validate()?;
        }
        Ok(())
    }

    /// Reads `token_file` (resolved against `base`) into `token` when no token is set.
    pub fn read_token_file(&mut self, base: impl Fn(&Path) -> PathBuf) -> Result<()> {
        let Some(file) = &self.token_file else {
            return Ok(());
        };
        if self.token.is_some() {
            return Ok(());
        }
        let path = base(file);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let token = text.lines().next().unwrap_or("").trim();
        self.token = Some(Secret::new(token));
        Ok(())
    }

    /// The per-request deadline.
    pub fn deadline(&self) -> Duration {
        Duration::from_millis(self.deadline_ms)
    }

    /// How long a client may take to send a request's headers (or stay idle between requests).
    pub fn header_timeout(&self) -> Duration {
        Duration::from_millis(self.header_timeout_ms)
    }

    /// How long a client may take to send a request's body.
    pub fn body_timeout(&self) -> Duration {
        Duration::from_millis(self.body_timeout_ms)
    }

    /// How long shutdown waits for in-flight requests.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_millis(self.shutdown_grace_ms)
    }
}

/// A bearer token: never printed, logged or serialized in clear.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// Whether `candidate` is this token, compared in constant time.
    pub fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        let differences = a
            .iter()
            .zip(b)
            .fold(a.len() ^ b.len(), |acc, (x, y)| acc | usize::from(x ^ y));
        differences == 0
    }

    fn validate(&self) -> Result<()> {
        let chars = self.0.chars().count();
        if chars < MIN_TOKEN_CHARS {
            return Err(Error::invalid(
                "token",
                format!("must have at least {MIN_TOKEN_CHARS} characters"),
            ));
        }
        if self.0.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid(
                "token",
                "must not contain spaces or control characters",
            ));
        }
        Ok(())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_safe_and_valid() {
        let config = ServeConfig::default();
        assert!(config.bind.ip().is_loopback());
        assert!(config.token.is_none());
        config.validate().unwrap();
    }

    #[test]
    fn rejects_zero_limits_short_tokens_and_unknown_keys() {
        let zero = ServeConfig {
            queue_capacity: 0,
            ..ServeConfig::default()
        };
        assert!(zero
            .validate()
            .unwrap_err()
            .to_string()
            .contains("queue_capacity"));
        let short = ServeConfig {
            token: Some(Secret::new("short")),
            ..ServeConfig::default()
        };
        assert!(short.validate().unwrap_err().to_string().contains("token"));
        let err = toml::from_str::<ServeConfig>("bnid = \"127.0.0.1:1\"").unwrap_err();
        assert!(err.to_string().contains("bnid"), "{err}");
    }

    #[test]
    fn the_token_never_shows() {
        let config = ServeConfig {
            token: Some(Secret::new("s3cret-s3cret-s3cret")),
            ..ServeConfig::default()
        };
        assert!(!format!("{config:?}").contains("s3cret"));
        assert!(!serde_json::to_string(&config).unwrap().contains("s3cret"));
        let token = config.token.unwrap();
        assert!(token.matches("s3cret-s3cret-s3cret"));
        assert!(!token.matches("s3cret-s3cret-s3cre"));
        assert!(!token.matches("s3cret-s3cret-s3cret!"));
        assert!(!token.matches(""));
    }

    #[test]
    fn reads_the_token_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("token"), "from-a-file-0123456789\n").unwrap();
        let mut config = ServeConfig {
            token_file: Some(PathBuf::from("token")),
            ..ServeConfig::default()
        };
        config.read_token_file(|p| dir.path().join(p)).unwrap();
        assert!(config.token.unwrap().matches("from-a-file-0123456789"));
    }
}
