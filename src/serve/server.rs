//! Binding, loading while already answering `/healthz` and `/readyz`, and graceful shutdown:
//! on the shutdown signal, `/readyz` turns 503, the listener closes, in-flight requests finish,
//! then the model thread drains and stops; whatever still runs at the grace deadline is abandoned.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use super::connections::{self, ConnectionLimits, Stopped};
use super::routes::router;
use super::state::{AppState, Backend, SharedState};
use crate::config::ServeConfig;
use crate::error::{Error, Result};

/// A server bound to its address, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: SharedState,
}

impl Server {
    /// Checks `config` and binds its address (port 0 picks a free port).
    pub async fn bind(config: ServeConfig) -> Result<Self> {
        config.validate()?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|cause| Error::Bind {
                addr: config.bind,
                cause,
            })?;
        Ok(Self {
            listener,
            state: Arc::new(AppState::new(config)),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        let addr = self.state.config().bind;
        self.listener
            .local_addr()
            .map_err(|cause| Error::Bind { addr, cause })
    }

    /// The shared state (for tests and embedding).
    pub fn state(&self) -> &SharedState {
        &self.state
    }

    /// Serves until `shutdown` completes. `load` runs on a blocking thread meanwhile (the store
    /// and model: `/readyz` says 503 until it is done); if it fails, the server stops and the
    /// error is returned. In-flight requests finish before this returns, unless they are still
    /// running when `shutdown_grace_ms` have passed: then they are abandoned.
    pub async fn run<L, S>(self, load: L, shutdown: S) -> Result<()>
    where
        L: FnOnce() -> Result<Backend> + Send + 'static,
        S: Future<Output = ()> + Send + 'static,
    {
        let Self { listener, state } = self;
        // Set by the shutdown signal, or by a failed load.
        let stop = Arc::new(tokio::sync::watch::channel(false).0);
        let signal = stop_signal(state.clone(), stop.clone(), shutdown);
        let serving = tokio::spawn(connections::serve(
            listener,
            router(state.clone()),
            ConnectionLimits::of(state.config()),
            state.metrics().clone(),
            signal,
        ));
        let loading = tokio::task::spawn_blocking(load);
        let mut model_thread = None;
        let mut failure = None;
        let mut stopping = stop.subscribe();
        tokio::select! {
            loaded = loading => {
                let loaded = loaded.map_err(|e| Error::internal("loading the backend", e)).and_then(|b| b);
                match loaded.and_then(|backend| state.load(backend)) {
                    Ok(handle) => {
                        tracing::info!("ready");
                        model_thread = Some(handle);
                    }
                    Err(error) => {
                        failure = Some(error);
                        stop.send_replace(true);
                    }
                }
            }
            _ = stopping.wait_for(|s| *s) => {}
        }
        let stopped = serving.await.map_err(|e| Error::internal("serving", e))?;
        // Once the backend is dropped the model thread drains its queue and ends.
        drop(state.take_ready());
        if let Some(handle) = model_thread {
            join_model_thread(handle, stopped).await;
        }
        tracing::info!("stopped");
        failure.map_or(Ok(()), Err)
    }
}

/// Completes when `shutdown` does or `stop` is set, after marking the state as shutting down.
async fn stop_signal(
    state: SharedState,
    stop: Arc<tokio::sync::watch::Sender<bool>>,
    shutdown: impl Future<Output = ()>,
) {
    let mut stopped = stop.subscribe();
    tokio::select! {
        () = shutdown => {}
        _ = stopped.wait_for(|s| *s) => {}
    }
    state.begin_shutdown();
    stop.send_replace(true);
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Waits for the model thread until the grace deadline. Work abandoned at the deadline may still
/// hold the model queue, so the thread is then left to end with the process.
async fn join_model_thread(handle: std::thread::JoinHandle<()>, stopped: Stopped) {
    if stopped.abandoned > 0 {
        return;
    }
    let joined = tokio::task::spawn_blocking(move || handle.join());
    if tokio::time::timeout_at(stopped.deadline, joined)
        .await
        .is_err()
    {
        tracing::warn!("the shutdown grace period is over: not waiting for the model thread");
    }
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("interrupted"),
        () = terminate => tracing::info!("terminated (SIGTERM)"),
    }
}
