//! A blocking SPARQL 1.1 Protocol client: queries, updates and Graph Store Protocol posts, with
//! timeouts, bounded retries and errors that say whether the endpoint is down, slow or broken.

use std::io::Read;
use std::thread;
use std::time::{Duration, Instant};

use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::QuerySolution;
use spargebra::Query;

use super::config::{redact, RemoteConfig};
use super::error::{excerpt, RemoteError};
use crate::store::percent_encode_into;
use crate::store::{Result, StoreError};

/// Characters of a response shown in an error.
const EXCERPT: usize = 200;
/// Bytes of an error response read for its excerpt (the rest is not read).
const ERROR_BODY_BYTES: u64 = 64 * 1024;

/// A remote SPARQL endpoint. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct SparqlClient {
    agent: ureq::Agent,
    query_url: String,
    update_url: String,
    graph_store_url: Option<String>,
    authorization: Option<String>,
    config: RemoteConfig,
}

/// What a request sends.
enum Body<'a> {
    /// An HTML form (the SPARQL 1.1 Protocol's most widely supported encoding).
    Form(&'a [(&'a str, &'a str)]),
    /// Raw bytes of a media type.
    Bytes(&'static str, &'a [u8]),
}

/// A successful answer.
struct Reply {
    content_type: String,
    max_rows: Option<String>,
    sql_state: Option<String>,
    body: Vec<u8>,
}

/// Why one attempt failed.
enum Failure {
    /// No connection (refused, reset, unknown host): retried.
    Connect(String),
    /// The per-request deadline passed: not retried.
    Timeout,
    /// An HTTP error status: 5xx is retried.
    Status(u16, String),
    /// The answer was larger than this limit (`max_response_bytes`): not retried.
    TooLarge(u64),
}

impl SparqlClient {
    /// A client for the query endpoint `endpoint` (credentials in the URL are allowed and never
    /// shown). Nothing is sent until the first request.
    pub fn new(endpoint: &str, config: &RemoteConfig) -> Result<Self> {
        config.validate()?;
        if !super::config::is_endpoint(endpoint) {
            return Err(StoreError::invalid(
                "--store",
                format!("`{}` is not an http:// or https:// URL", redact(endpoint)),
            ));
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout())
            .user_agent(concat!("kgqa/", env!("CARGO_PKG_VERSION")))
            .build();
        let authorization = config.user.as_ref().map(|user| {
            use base64::Engine as _;
            let password = config.password.as_ref().map_or("", |p| p.expose());
            let pair = format!("{user}:{password}");
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        Ok(Self {
            agent,
            query_url: endpoint.to_owned(),
            update_url: config
                .update_endpoint
                .clone()
                .unwrap_or_else(|| endpoint.to_owned()),
            graph_store_url: config.graph_store_endpoint.clone(),
            authorization,
            config: config.clone(),
        })
    }

    /// The query endpoint, without credentials.
    pub fn endpoint(&self) -> String {
        redact(&self.query_url)
    }

    /// The settings in use.
    pub fn config(&self) -> &RemoteConfig {
        &self.config
    }

    /// The Graph Store Protocol endpoint, when one is configured.
    pub fn graph_store_endpoint(&self) -> Option<&str> {
        self.graph_store_url.as_deref()
    }

    /// Runs a query and reads its solutions (an `ASK` query gives none).
    pub fn select(&self, query: &Query) -> Result<Vec<QuerySolution>, RemoteError> {
        let started = Instant::now();
        let text = query.to_string();
        let mut form: Vec<(&str, &str)> = vec![("query", &text)];
        if !self.config.graph.is_empty() {
            form.push(("default-graph-uri", &self.config.graph));
        }
        let reply = self.send(
            &self.query_url,
            Body::Form(&form),
            self.config.query_timeout(),
            "timeout",
        )?;
        let solutions = self.solutions(reply)?;
        tracing::trace!(
            ms = started.elapsed().as_secs_f64() * 1000.0,
            rows = solutions.len(),
            query = %text,
            "remote query"
        );
        Ok(solutions)
    }

    /// Runs an update on the update endpoint. The text must be built from serialized terms
    /// (parsed algebra, or terms printed by oxigraph), never from input text.
    pub(crate) fn update_text(&self, update: &str) -> Result<(), RemoteError> {
        self.send(
            &self.update_url,
            Body::Form(&[("update", update)]),
            self.config.write_timeout(),
            "update_timeout",
        )?;
        Ok(())
    }

    /// Adds N-Triples to `graph` through the Graph Store Protocol endpoint `store`
    /// (`POST store?graph=IRI`).
    pub fn post_ntriples(
        &self,
        store: &str,
        graph: &NamedNode,
        ntriples: &[u8],
    ) -> Result<(), RemoteError> {
        let mut url = format!(
            "{store}{}graph=",
            if store.contains('?') { '&' } else { '?' }
        );
        percent_encode_into(graph.as_str(), &mut url);
        self.send(
            &url,
            Body::Bytes("application/n-triples", ntriples),
            self.config.write_timeout(),
            "update_timeout",
        )?;
        Ok(())
    }

    /// Sends a request, retrying connection errors and 5xx answers with exponential backoff.
    fn send(
        &self,
        url: &str,
        body: Body<'_>,
        timeout: Duration,
        timeout_key: &'static str,
    ) -> Result<Reply, RemoteError> {
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let failure = match self.attempt(url, &body, timeout) {
                Ok(reply) => return Ok(reply),
                Err(failure) => failure,
            };
            let retry = match &failure {
                Failure::Connect(_) => true,
                Failure::Status(status, _) => *status >= 500,
                Failure::Timeout | Failure::TooLarge(_) => false,
            };
            if !retry || attempts > self.config.retries {
                return Err(error(url, failure, attempts, started, timeout, timeout_key));
            }
            let wait = self.config.backoff(attempts);
            tracing::debug!(
                endpoint = %redact(url),
                attempt = attempts,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            thread::sleep(wait);
        }
    }

    fn attempt(&self, url: &str, body: &Body<'_>, timeout: Duration) -> Result<Reply, Failure> {
        // Writes answer with whatever the server likes (Virtuoso's Graph Store answers 406 to a
        // POST into an existing graph when only SPARQL results are acceptable).
        let accept = match body {
            Body::Form(form) if form.first().is_some_and(|(key, _)| *key == "query") => {
                self.config.results.accept()
            }
            _ => "*/*",
        };
        let mut request = self.agent.post(url).timeout(timeout).set("Accept", accept);
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        let response = match body {
            Body::Form(form) => request.send_form(form),
            Body::Bytes(media_type, bytes) => request
                .set("Content-Type", &format!("{media_type}; charset=utf-8"))
                .send_bytes(bytes),
        };
        let response = match response {
            Ok(response) => response,
            Err(ureq::Error::Status(status, response)) => {
                let text = read_body(response.into_reader(), ERROR_BODY_BYTES)
                    .map_or_else(|_| Vec::new(), |(body, _)| body);
                return Err(Failure::Status(
                    status,
                    excerpt(&String::from_utf8_lossy(&text), EXCERPT),
                ));
            }
            Err(ureq::Error::Transport(transport)) => return Err(transport_failure(&transport)),
        };
        let content_type = response.content_type().to_owned();
        let max_rows = response.header("X-SPARQL-MaxRows").map(str::to_owned);
        let sql_state = response.header("X-SQL-State").map(str::to_owned);
        let limit = self.config.max_response_bytes;
        let (body, cut) = read_body(response.into_reader(), limit).map_err(|e| io_failure(&e))?;
        if cut {
            return Err(Failure::TooLarge(limit));
        }
        Ok(Reply {
            content_type,
            max_rows,
            sql_state,
            body,
        })
    }

    fn solutions(&self, reply: Reply) -> Result<Vec<QuerySolution>, RemoteError> {
        let malformed = |cause: String| RemoteError::Malformed {
            endpoint: self.endpoint(),
            cause,
            snippet: excerpt(&String::from_utf8_lossy(&reply.body), EXCERPT),
        };
        // Virtuoso cuts results at its ResultSetMaxRows and says so only in a header; an
        // "anytime" query stopped at its time limit is flagged the same way.
        if let Some(rows) = &reply.max_rows {
            return Err(RemoteError::Incomplete {
                endpoint: self.endpoint(),
                reason: format!(
                    "the server cut the results at {rows} rows: raise its row limit (Virtuoso: \
                     ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
                ),
            });
        }
        if let Some(state) = reply.sql_state.as_deref().filter(|s| *s != "00000") {
            return Err(RemoteError::Incomplete {
                endpoint: self.endpoint(),
                reason: format!(
                    "the server stopped the query early (SQL state {state}): raise its query time \
                     limit (Virtuoso: MaxQueryExecutionTime)"
                ),
            });
        }
        let format = if reply.content_type.is_empty() {
            QueryResultsFormat::Json
        } else {
            match QueryResultsFormat::from_media_type(&reply.content_type) {
                // Not TSV: Virtuoso's "TSV" is CSV-like and cannot tell an IRI from a string.
                Some(format @ (QueryResultsFormat::Json | QueryResultsFormat::Xml)) => format,
                _ => {
                    return Err(malformed(format!(
                        "content type `{}` is not SPARQL results",
                        reply.content_type
                    )))
                }
            }
        };
        let parsed = QueryResultsParser::from_format(format)
            .for_slice(&reply.body)
            .map_err(|e| malformed(e.to_string()))?;
        match parsed {
            SliceQueryResultsParserOutput::Solutions(solutions) => solutions
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| malformed(e.to_string())),
            SliceQueryResultsParserOutput::Boolean(_) => Ok(Vec::new()),
        }
    }
}

/// The error for a request to `url` that failed for good.
fn error(
    url: &str,
    failure: Failure,
    attempts: u32,
    started: Instant,
    limit: Duration,
    key: &'static str,
) -> RemoteError {
    let endpoint = redact(url);
    match failure {
        Failure::Connect(cause) => RemoteError::Unreachable {
            endpoint,
            cause,
            attempts,
            elapsed: started.elapsed(),
        },
        Failure::Timeout => RemoteError::Timeout {
            endpoint,
            limit,
            key,
        },
        Failure::Status(status, excerpt) => RemoteError::Http {
            endpoint,
            status,
            excerpt,
            attempts,
        },
        Failure::TooLarge(limit) => RemoteError::TooLarge { endpoint, limit },
    }
}

/// At most `limit` bytes of a body, and whether there was more (which is then not read).
fn read_body(reader: impl Read, limit: u64) -> std::io::Result<(Vec<u8>, bool)> {
    let mut body = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut body)?;
    let cut = body.len() as u64 > limit;
    body.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((body, cut))
}

fn transport_failure(transport: &ureq::Transport) -> Failure {
    use std::error::Error as _;
    let io = transport
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>());
    if let Some(io) = io {
        if matches!(
            io.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        ) && transport.kind() != ureq::ErrorKind::ConnectionFailed
        {
            return Failure::Timeout;
        }
        return Failure::Connect(format!("{}: {io}", describe_kind(transport.kind())));
    }
    let message = transport.message().unwrap_or("no details");
    Failure::Connect(format!("{}: {message}", describe_kind(transport.kind())))
}

fn io_failure(error: &std::io::Error) -> Failure {
    match error.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::Timeout,
        _ => Failure::Connect(format!("reading the answer failed: {error}")),
    }
}

fn describe_kind(kind: ureq::ErrorKind) -> &'static str {
    match kind {
        ureq::ErrorKind::ConnectionFailed => "connection failed",
        ureq::ErrorKind::Dns => "host not found",
        ureq::ErrorKind::Io => "connection broken",
        ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => "not an HTTP answer",
        ureq::ErrorKind::TooManyRedirects => "too many redirects",
        _ => "request failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_http_endpoints() {
        let err = SparqlClient::new("ftp://x/sparql", &RemoteConfig::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("not an http"), "{err}");
    }
}
