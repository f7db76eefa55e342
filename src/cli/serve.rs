//! `kgqa serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use kgqa::score::DeviceChoice;
use kgqa::serve::{shutdown_signal, Backend, Server};

use super::{output, Context};

/// Arguments of `kgqa serve`. Each overrides its `KGQA_*` variable, which overrides `[serve]` in
/// the configuration file (applied in `cli/settings.rs`).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "KGQA_BIND", value_name = "ADDR:PORT")]
    pub bind: Option<SocketAddr>,
    /// Bearer token of the write endpoints, at least 16 characters (without one they are disabled)
    #[arg(long, env = "KGQA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A file whose first line is the token
    #[arg(long, env = "KGQA_TOKEN_FILE", value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The checkpoint [default: models/default]
    #[arg(long, env = "KGQA_MODEL")]
    pub model: Option<PathBuf>,
    /// Where to run the model [default: `device` in the config, else auto]
    #[arg(long, value_enum)]
    pub device: Option<DeviceChoice>,
    /// Largest request body, in bytes [default: 65536]
    #[arg(long, env = "KGQA_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Longest question, in characters [default: 500]
    #[arg(long, env = "KGQA_MAX_QUESTION_CHARS")]
    pub max_question_chars: Option<usize>,
    /// Most questions in one /v1/ask/batch request [default: 32]
    #[arg(long, env = "KGQA_MAX_BATCH")]
    pub max_batch: Option<usize>,
    /// Questions admitted at once; beyond, 429 [default: 64]
    #[arg(long, env = "KGQA_QUEUE_CAPACITY")]
    pub queue_capacity: Option<usize>,
    /// Most questions per micro-batch of the model [default: 16]
    #[arg(long, env = "KGQA_MODEL_BATCH")]
    pub model_batch: Option<usize>,
    /// Threads libtorch uses on the model thread, 0 for one per core [default: 0]
    #[arg(long, env = "KGQA_MODEL_THREADS")]
    pub model_threads: Option<usize>,
    /// Largest top_k a request may ask for; beyond, 422 [default: 100]
    #[arg(long, env = "KGQA_MAX_TOP_K")]
    pub max_top_k: Option<usize>,
    /// Per-request deadline in milliseconds; beyond, 504 [default: 10000]
    #[arg(long, env = "KGQA_DEADLINE_MS")]
    pub deadline_ms: Option<u64>,
    /// Most pieces of blocking work (linking, retrieval, evidence) at once [default: one per core]
    #[arg(long, env = "KGQA_MAX_BLOCKING")]
    pub max_blocking: Option<usize>,
    /// The feedback file (JSON Lines) [default: .kgqa/feedback.jsonl]
    #[arg(long, env = "KGQA_FEEDBACK", value_name = "FILE")]
    pub feedback: Option<PathBuf>,
    /// Size at which the feedback file stops growing, in bytes; beyond, 507 [default: 268435456]
    #[arg(long, env = "KGQA_FEEDBACK_MAX_BYTES")]
    pub feedback_max_bytes: Option<u64>,
    /// Milliseconds to send a request's headers, and to stay idle between requests; beyond, the
    /// connection is closed [default: 10000]
    #[arg(long, env = "KGQA_HEADER_TIMEOUT_MS")]
    pub header_timeout_ms: Option<u64>,
    /// Milliseconds to send a request's body once its headers are in; beyond, 408 [default: 10000]
    #[arg(long, env = "KGQA_BODY_TIMEOUT_MS")]
    pub body_timeout_ms: Option<u64>,
    /// Connections open at once; beyond, a new one gets 429 and is closed [default: 256]
    #[arg(long, env = "KGQA_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Milliseconds shutdown waits for in-flight requests before abandoning them [default: 15000]
    #[arg(long, env = "KGQA_SHUTDOWN_GRACE_MS")]
    pub shutdown_grace_ms: Option<u64>,
}

/// Runs `kgqa serve` until SIGTERM or Ctrl-C.
pub fn run(context: &Context, _args: ServeArgs) -> anyhow::Result<()> {
    let config = context
        .settings
        .serve_with_token()
        .context("invalid serve settings")?;
    let model_dir = context.settings.model_dir.clone();
    let loader = {
        let context = context.clone();
        move || -> kgqa::Result<Backend> {
            let load = || -> anyhow::Result<Backend> {
                let backend = Backend::new(context.answerer(false)?, &context.settings.model_dir);
                // Serving from a memory copy: updates are also written to the store on disk.
                Ok(if context.settings.in_memory {
                    backend.with_store(context.settings.open_store()?)
                } else {
                    backend
                })
            };
            load().map_err(|e| kgqa::Error::Load(e.into()))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("kgqa-serve")
        .build()
        .context("cannot start the async runtime")?;
    let writes = config.token.is_some();
    let result = runtime.block_on(async {
        let server = Server::bind(config).await?;
        let addr = server.local_addr()?;
        let report = serde_json::json!({ "listening": format!("http://{addr}") });
        output::emit(context.json, &report, || format!("listening on http://{addr}"))?;
        tracing::info!(%addr, writes, model = %model_dir.display(), "serving; loading the store and the model");
        server.run(loader, shutdown_signal()).await?;
        anyhow::Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
