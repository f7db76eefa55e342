//! Command-line arguments and the dispatch to each subcommand.

mod args;
mod ask;
mod bench;
mod context;
mod eval;
mod ingest;
mod link;
mod output;
mod remote;
mod retrieve;
mod serve;
mod settings;
mod synth;
mod train;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use context::Context;

/// Question answering over knowledge graphs.
///
/// Results go to stdout (human-readable, or JSON with --json); logs and progress go to stderr.
#[derive(Debug, Parser)]
#[command(name = "kgqa", version, about, max_term_width = 100)]
pub struct Cli {
    /// Configuration file [default: ./kgqa.toml when present]
    #[arg(long, global = true, env = "KGQA_CONFIG")]
    pub config: Option<PathBuf>,
    /// The store: an on-disk directory, or a SPARQL 1.1 endpoint URL (http(s)://host/sparql)
    /// [default: from the config, else .kgqa/store]
    #[arg(long, global = true, env = "KGQA_STORE", value_name = "PATH|URL")]
    pub store: Option<PathBuf>,
    /// Read from an in-memory copy of the store (faster for evaluations and training)
    #[arg(long, global = true, env = "KGQA_IN_MEMORY")]
    pub in_memory: bool,
    /// Print machine-readable JSON on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// More logging on stderr (-v: debug, -vv: trace); KGQA_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(flatten)]
    pub remote: remote::RemoteArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load graph files (N-Triples, Turtle, MetaQA or TSV triple tables) into the store
    Ingest(ingest::IngestArgs),
    /// Find the entity mentions of a question and the graph nodes they name
    Link(args::LinkArgs),
    /// Retrieve the subgraph around a question's entities, with its candidate answers
    Retrieve(retrieve::RetrieveArgs),
    /// Train the answer scorer (BERT + GCN) on questions with known answers
    Train(train::TrainArgs),
    /// Evaluate a trained model on a question file: Hits@k, MRR, AUC
    Eval(eval::EvalArgs),
    /// Answer a question, with the evidence for each answer
    Ask(ask::AskArgs),
    /// Serve questions over HTTP (loopback by default): /v1/ask, /v1/ask/batch, /v1/feedback,
    /// graph updates, health, metrics and an OpenAPI document
    Serve(serve::ServeArgs),
    /// Write questions synthesised from the graph (all answers of sampled relation paths)
    Synth(synth::SynthArgs),
    /// Show what the store holds
    Info,
    /// Measure speeds and print the numbers
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// Runs the parsed command, with its settings resolved first.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let context = Context {
        settings: settings::resolve(&cli)?,
        json: cli.json,
    };
    match cli.command {
        Command::Ingest(args) => ingest::run(&context, args),
        Command::Link(args) => link::run(&context, args),
        Command::Retrieve(args) => retrieve::run(&context, args),
        Command::Train(args) => train::run(&context, args),
        Command::Eval(args) => eval::run(&context, args),
        Command::Ask(args) => ask::run(&context, args),
        Command::Serve(args) => serve::run(&context, args),
        Command::Synth(args) => synth::run(&context, args),
        Command::Info => context::info(&context),
        Command::Bench(command) => bench::run(&context, command),
    }
}

/// Logs to stderr; `KGQA_LOG` (an env-filter directive) overrides the verbosity flags, and
/// `KGQA_LOG_FORMAT=json` writes one JSON object per line (for log collectors).
pub fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    let default = match verbose {
        0 => "kgqa=info",
        1 => "kgqa=debug",
        _ => "kgqa=trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("KGQA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal());
    if std::env::var("KGQA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}
