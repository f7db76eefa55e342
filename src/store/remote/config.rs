//! `[remote]` in `kgqa.toml`: how kgqa talks to a remote SPARQL endpoint.

use std::fmt;
use std::time::Duration;

use crate::store::{Result, StoreError};

/// The named graph kgqa reads and writes on a remote endpoint, unless configured otherwise.
pub const DEFAULT_GRAPH: &str = "urn:kgqa:graph";

/// Triples per `INSERT DATA` request when no batch size is configured. Virtuoso 7.2's SPARQL
/// compiler refuses an `INSERT DATA` of about 1,500 short triples ("generated SQL text has
/// exceeded 10000 lines"); 1,000 passes there and everywhere else.
pub const DEFAULT_UPDATE_BATCH: usize = 1_000;

/// Triples per Graph Store Protocol `POST` when no batch size is configured.
pub const DEFAULT_GRAPH_STORE_BATCH: usize = 50_000;

/// A SPARQL results format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultsFormat {
    /// `application/sparql-results+json`.
    Json,
    /// `application/sparql-results+xml` (Virtuoso writes it with less than half the CPU of JSON).
    Xml,
}

impl ResultsFormat {
    /// The `Accept` header asking for this format first.
    pub(crate) fn accept(self) -> &'static str {
        match self {
            ResultsFormat::Json => {
                "application/sparql-results+json, application/sparql-results+xml;q=0.9"
            }
            ResultsFormat::Xml => {
                "application/sparql-results+xml, application/sparql-results+json;q=0.9"
            }
        }
    }
}

/// Settings of the remote backend (used when the store is an `http(s)://` URL).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RemoteConfig {
    /// The named graph kgqa reads (sent as `default-graph-uri`) and ingests into. An empty string
    /// reads the endpoint's own default dataset, and then ingest is refused.
    pub graph: String,
    /// The SPARQL 1.1 Update endpoint [default: the query endpoint].
    pub update_endpoint: Option<String>,
    /// A SPARQL 1.1 Graph Store HTTP Protocol endpoint (Virtuoso: `…/sparql-graph-crud`). When set,
    /// ingest posts N-Triples there, the engine's bulk path over HTTP, instead of `INSERT DATA`.
    pub graph_store_endpoint: Option<String>,
    /// Seconds to wait for a connection.
    pub connect_timeout: f64,
    /// Seconds a query may take, answer included.
    pub timeout: f64,
    /// Seconds a write (one batch, or the final publish) may take.
    pub update_timeout: f64,
    /// Retries after a connection error or an HTTP 5xx answer (timeouts are not retried).
    pub retries: u32,
    /// Seconds before the first retry; each further retry waits twice as long (at most 10 s).
    pub backoff: f64,
    /// Triples per write request [default: 1,000 for `INSERT DATA`, 50,000 for the Graph Store
    /// Protocol].
    pub batch_size: Option<usize>,
    /// At most this many nodes are bound in one query's `VALUES` block.
    pub nodes_per_query: usize,
    /// Largest answer read from the endpoint, in bytes; a larger one is an error, not a memory
    /// blow-up.
    pub max_response_bytes: u64,
    /// The results format asked for first (the other is accepted too).
    pub results: ResultsFormat,
    /// Ingest into a staging graph first and publish it into `graph` with one update at the end,
    /// so that a failed ingest leaves `graph` untouched. `false` writes batches straight into it.
    pub atomic: bool,
    /// User for HTTP Basic authentication (or `KGQA_REMOTE_USER`).
    pub user: Option<String>,
    /// Password for HTTP Basic authentication; prefer `KGQA_REMOTE_PASSWORD`. Never written out.
    #[serde(skip_serializing)]
    pub password: Option<Secret>,
}

impl Default for RemoteConfig {
    fn default() -> Self {
        Self {
            graph: DEFAULT_GRAPH.to_owned(),
            update_endpoint: None,
            graph_store_endpoint: None,
            connect_timeout: 5.0,
            timeout: 60.0,
            update_timeout: 600.0,
            retries: 3,
            backoff: 0.25,
            batch_size: None,
            nodes_per_query: super::super::MAX_BOUND_NODES,
            max_response_bytes: 256 * 1024 * 1024,
            results: ResultsFormat::Json,
            atomic: true,
            user: None,
            password: None,
        }
    }
}

/// A password: read from the configuration, never written out or shown in debug output.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(hidden)")
    }
}

impl RemoteConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<()> {
        for (key, seconds) in [
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("update_timeout", self.update_timeout),
        ] {
            if !(seconds.is_finite() && seconds > 0.0) {
                return Err(StoreError::invalid(
                    key,
                    "must be a positive number of seconds",
                ));
            }
        }
        if !(self.backoff.is_finite() && self.backoff >= 0.0) {
            return Err(StoreError::invalid(
                "backoff",
                "must be zero or more seconds",
            ));
        }
        if self.batch_size == Some(0) {
            return Err(StoreError::invalid("batch_size", "must be positive"));
        }
        if self.nodes_per_query == 0 {
            return Err(StoreError::invalid("nodes_per_query", "must be positive"));
        }
        if self.max_response_bytes == 0 {
            return Err(StoreError::invalid(
                "max_response_bytes",
                "must be positive",
            ));
        }
        if !self.graph.is_empty() {
            oxigraph::model::NamedNode::new(&self.graph)
                .map_err(|e| StoreError::invalid("graph", format!("not an IRI ({e})")))?;
        }
        for (key, url) in [
            ("update_endpoint", &self.update_endpoint),
            ("graph_store_endpoint", &self.graph_store_endpoint),
        ] {
            if let Some(url) = url {
                if !is_endpoint(url) {
                    return Err(StoreError::invalid(
                        key,
                        "must be an http:// or https:// URL",
                    ));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.connect_timeout)
    }

    pub(crate) fn query_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout)
    }

    pub(crate) fn write_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.update_timeout)
    }

    /// The wait before retry `retry` (1-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2f64.powi(retry.saturating_sub(1).min(16) as i32);
        Duration::from_secs_f64((self.backoff * factor).min(10.0))
    }
}

/// Whether `location` names a remote endpoint (an `http://` or `https://` URL).
pub fn is_endpoint(location: &str) -> bool {
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `url` without the credentials it may carry (`https://user:secret@host/` → `https://host/`).
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_and_redacts_endpoints() {
        assert!(is_endpoint("http://localhost:8890/sparql"));
        assert!(is_endpoint("HTTPS://example.org/sparql"));
        assert!(!is_endpoint(".kgqa/store"));
        assert!(!is_endpoint("http"));
        assert_eq!(
            redact("https://me:s3cret@example.org/sparql?x=1"),
            "https://example.org/sparql?x=1"
        );
        assert_eq!(redact("http://h/sparql?a=b@c"), "http://h/sparql?a=b@c");
    }

    #[test]
    fn validates_and_hides_the_password() {
        let config = RemoteConfig {
            password: Some(String::from("s3cret").into()),
            ..RemoteConfig::default()
        };
        config.validate().unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
        assert!(!toml::to_string(&config).unwrap().contains("s3cret"));
        let bad = RemoteConfig {
            timeout: 0.0,
            ..RemoteConfig::default()
        };
        assert!(bad.validate().unwrap_err().to_string().contains("timeout"));
        let bad = RemoteConfig {
            graph: "not an iri".into(),
            ..RemoteConfig::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let config = RemoteConfig::default();
        assert_eq!(config.backoff(1), Duration::from_millis(250));
        assert_eq!(config.backoff(3), Duration::from_secs(1));
        assert_eq!(config.backoff(30), Duration::from_secs(10));
    }
}
