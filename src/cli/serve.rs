//! `kgqa serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use kgqa::score::DeviceChoice;
use kgqa::serve::{shutdown_signal, Backend, Secret, ServeConfig, Server};

use super::{output, Context};

/// Arguments of `kgqa serve`. Each overrides its `KGQA_*` variable, which overrides `[serve]` in
/// the configuration file.
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
    /// Where to run the model
    #[arg(long, value_enum, default_value_t = DeviceChoice::Auto)]
    pub device: DeviceChoice,
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
    /// Largest top_k a request may ask for; beyond, 422 [default: 100]
    #[arg(long, env = "KGQA_MAX_TOP_K")]
    pub max_top_k: Option<usize>,
    /// Per-request deadline in milliseconds; beyond, 504 [default: 10000]
    #[arg(long, env = "KGQA_DEADLINE_MS")]
    pub deadline_ms: Option<u64>,
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

impl ServeArgs {
    /// The `[serve]` settings with these flags applied; the token read from its file if need be.
    pub fn resolve(&self, context: &Context) -> anyhow::Result<ServeConfig> {
        let file = &context.config;
        let mut config = file.serve.clone();
        config.feedback = file.resolve(&config.feedback);
        config.token_file = config.token_file.as_deref().map(|p| file.resolve(p));
        self.apply_limits(&mut config);
        if let Some(feedback) = &self.feedback {
            config.feedback = feedback.clone();
        }
        if let Some(token_file) = &self.token_file {
            config.token = None;
            config.token_file = Some(token_file.clone());
        }
        if let Some(token) = &self.token {
            config.token = Some(Secret::new(token.as_str()));
        }
        config
            .read_token_file(|p| p.to_path_buf())
            .context("cannot read the token file")?;
        config.validate().context("invalid serve settings")?;
        Ok(config)
    }

    /// Overrides the address and every limit that a flag (or its variable) gives.
    fn apply_limits(&self, config: &mut ServeConfig) {
        set(&mut config.bind, self.bind);
        set(&mut config.max_body_bytes, self.max_body_bytes);
        set(&mut config.max_question_chars, self.max_question_chars);
        set(&mut config.max_batch, self.max_batch);
        set(&mut config.max_top_k, self.max_top_k);
        set(&mut config.queue_capacity, self.queue_capacity);
        set(&mut config.model_batch, self.model_batch);
        set(&mut config.deadline_ms, self.deadline_ms);
        set(&mut config.feedback_max_bytes, self.feedback_max_bytes);
        set(&mut config.header_timeout_ms, self.header_timeout_ms);
        set(&mut config.body_timeout_ms, self.body_timeout_ms);
        set(&mut config.max_connections, self.max_connections);
        set(&mut config.shutdown_grace_ms, self.shutdown_grace_ms);
    }
}

/// Replaces `field` by `flag` when the flag is given.
fn set<T>(field: &mut T, flag: Option<T>) {
    if let Some(value) = flag {
        *field = value;
    }
}

/// Runs `kgqa serve` until SIGTERM or Ctrl-C.
pub fn run(context: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let config = args.resolve(context)?;
    let model_dir = context.config.model_path(args.model.as_deref());
    let loader = {
        let (context, device, model_dir) = (context.clone(), args.device, model_dir.clone());
        move || -> kgqa::Result<Backend> {
            let load = || -> anyhow::Result<Backend> {
                let answerer = context.answerer(Some(model_dir.as_path()), device, false)?;
                let backend = Backend::new(answerer, &model_dir);
                // Serving from a memory copy: updates are also written to the store on disk.
                Ok(if context.in_memory {
                    backend.with_store(context.open_store()?)
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
