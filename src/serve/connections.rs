//! The accept loop: every connection is served by hyper (HTTP/1.1) with a header read timeout,
//! which also closes kept-alive connections left idle that long; at most `max_connections` are
//! open at once, and a connection beyond gets the `overloaded` envelope and is closed at once. On
//! shutdown the listener closes, open connections finish the request they are in, and those still
//! open at the grace deadline are dropped, so a client that never finishes sending cannot keep
//! the process alive.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::error::{ApiError, ErrorType};
use super::metrics::Metrics;
use crate::config::ServeConfig;

/// Refused connections being told so at once; beyond, a refused connection is closed unanswered.
const REFUSALS_AT_ONCE: usize = 32;
/// How long a refused connection is kept to deliver its 429.
const REFUSAL_LINGER: Duration = Duration::from_millis(500);

/// The limits of the accept loop, from the `[serve]` settings.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time to send a request's headers, or to stay idle between requests.
    pub header_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Time in-flight requests get once shutdown begins.
    pub grace: Duration,
}

impl ConnectionLimits {
    /// The limits `config` sets.
    pub fn of(config: &ServeConfig) -> Self {
        Self {
            header_timeout: config.header_timeout(),
            max_connections: config.max_connections,
            grace: config.shutdown_grace(),
        }
    }
}

/// How serving ended.
#[derive(Debug, Clone, Copy)]
pub struct Stopped {
    /// When the grace period that began with the shutdown signal ends.
    pub deadline: Instant,
    /// Connections still open at the deadline, and dropped.
    pub abandoned: usize,
}

/// Serves `app` on `listener` until `shutdown` completes, then drains the open connections
/// within the grace period.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) -> Stopped {
    let (stop, stopping) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    accept_failed(&error).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                let connection = Connection::new(slot, metrics.clone());
                connections.spawn(connection.serve(
                    stream,
                    app.clone(),
                    limits.header_timeout,
                    stopping.clone(),
                ));
            }
            Err(_) => refuse(stream, &refusals, &metrics),
        }
    }
    drop(listener);
    let deadline = Instant::now() + limits.grace;
    stop.send_replace(true);
    let abandoned = drain(connections, deadline).await;
    Stopped {
        deadline,
        abandoned,
    }
}

/// One open connection: holds its slot, and counts itself in the metrics while it lives.
struct Connection {
    _slot: OwnedSemaphorePermit,
    metrics: Arc<Metrics>,
}

impl Connection {
    fn new(slot: OwnedSemaphorePermit, metrics: Arc<Metrics>) -> Self {
        metrics.connection_opened();
        Self {
            _slot: slot,
            metrics,
        }
    }

    async fn serve(
        self,
        stream: TcpStream,
        app: Router,
        header_timeout: Duration,
        mut stopping: watch::Receiver<bool>,
    ) {
        let _ = stream.set_nodelay(true);
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
        tokio::pin!(connection);
        let stop = async {
            let _ = stopping.wait_for(|stop| *stop).await;
        };
        let result = tokio::select! {
            result = connection.as_mut() => result,
            () = stop => {
                // Finish the request under way (if any), then close.
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Err(error) = result {
            tracing::debug!(%error, "connection ended");
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.metrics.connection_closed();
    }
}

/// Waits for every connection until `deadline`, then drops those still open; returns how many.
async fn drain(mut connections: JoinSet<()>, deadline: Instant) -> usize {
    let finished = tokio::time::timeout_at(deadline, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_ok() {
        return 0;
    }
    let abandoned = connections.len();
    tracing::warn!(
        connections = abandoned,
        "the shutdown grace period is over: abandoning the requests still in flight"
    );
    connections.abort_all();
    abandoned
}

/// Tells a connection beyond `max_connections` so (429, in the error envelope) and closes it,
/// without waiting on the client for more than [`REFUSAL_LINGER`].
fn refuse(stream: TcpStream, refusals: &Arc<Semaphore>, metrics: &Metrics) {
    metrics.record_refused_connection();
    tracing::warn!("max_connections are open: refusing a connection");
    let Ok(permit) = refusals.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let _permit = permit;
        let _ = tokio::time::timeout(REFUSAL_LINGER, answer_and_close(stream)).await;
    });
}

async fn answer_and_close(mut stream: TcpStream) -> std::io::Result<()> {
    stream.write_all(&refusal()).await?;
    stream.shutdown().await?;
    // Reading what the client sent lets the close be a clean one rather than a reset, which
    // could discard the 429 before the client reads it.
    let mut sink = [0; 4096];
    while stream.read(&mut sink).await? > 0 {}
    Ok(())
}

/// The raw HTTP/1.1 response refusing a connection.
fn refusal() -> Vec<u8> {
    let error = ApiError::new(
        ErrorType::Overloaded,
        "too many open connections (max_connections in /v1/info); retry later",
    );
    let body = error.body().to_string();
    let status = error.kind.status();
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// Waits after a failed accept: at once for a connection that failed before it was accepted,
/// a while for anything else (out of file descriptors, say), rather than spinning.
async fn accept_failed(error: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "cannot accept a connection; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_a_complete_http_response_with_the_envelope() {
        let text = String::from_utf8(refusal()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with("HTTP/1.1 429 Too Many Requests\r\n"),
            "{head}"
        );
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let envelope: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(envelope["error"]["type"], "overloaded");
    }
}
