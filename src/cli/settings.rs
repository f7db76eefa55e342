//! The one place where the command line meets the configuration file: the global flags and the
//! chosen command's flags (each also read from its `KGQA_*` variable by clap) applied over the
//! file's settings, then validated, before any command starts. Flag > environment > file > default.

use anyhow::Context as _;
use kgqa::config::{Config, Secret, Settings, StoreLocation};

use super::args::LinkArgs;
use super::bench::BenchCommand;
use super::eval::EvalArgs;
use super::remote::RemoteArgs;
use super::retrieve::RetrieveArgs;
use super::serve::ServeArgs;
use super::train::TrainArgs;
use super::{Cli, Command};

/// The settings of this command line.
pub fn resolve(cli: &Cli) -> anyhow::Result<Settings> {
    let file = Config::load(cli.config.as_deref())?;
    Settings::resolve(file, |settings| apply(cli, settings)).context("invalid settings")
}

fn apply(cli: &Cli, settings: &mut Settings) {
    if let Some(store) = &cli.store {
        settings.store = StoreLocation::from_flag(store);
    }
    settings.in_memory = cli.in_memory;
    remote(&cli.remote, settings);
    match &cli.command {
        Command::Link(args) => link(args, settings),
        Command::Retrieve(args) => {
            link(&args.link, settings);
            retrieve(args, settings);
        }
        Command::Train(args) => train(args, settings),
        Command::Eval(args) => eval(args, settings),
        Command::Ask(args) => model(args.model.as_ref(), args.device, settings),
        Command::Serve(args) => serve(args, settings),
        Command::Bench(BenchCommand::Answer(args)) => {
            model(args.model.as_ref(), args.device, settings);
        }
        Command::Ingest(_)
        | Command::Info
        | Command::Synth(_)
        | Command::Bench(BenchCommand::Ingest(_)) => {}
    }
}

fn model(
    dir: Option<&std::path::PathBuf>,
    device: Option<kgqa::score::DeviceChoice>,
    settings: &mut Settings,
) {
    if let Some(dir) = dir {
        settings.model_dir.clone_from(dir);
    }
    if let Some(device) = device {
        settings.device = device;
    }
}

fn link(args: &LinkArgs, settings: &mut Settings) {
    settings.link.brackets &= !args.no_brackets;
    if let Some(max) = args.max_links {
        settings.link.max_links = max;
    }
    if !args.examples.is_empty() {
        settings.examples.clone_from(&args.examples);
    }
}

fn retrieve(args: &RetrieveArgs, settings: &mut Settings) {
    let config = &mut settings.retrieve;
    config.hops = args.hops.unwrap_or(config.hops);
    config.degree_cap = args.degree_cap.unwrap_or(config.degree_cap);
    config.max_nodes = args.max_nodes.unwrap_or(config.max_nodes);
    config.topic_answers |= args.topic_answers;
}

fn train(args: &TrainArgs, settings: &mut Settings) {
    model(args.out.as_ref(), args.device, settings);
    if let Some(dir) = &args.pretrained {
        settings.pretrained.clone_from(dir);
    }
    let train = &mut settings.train;
    train.epochs = args.epochs.unwrap_or(train.epochs);
    train.batch_size = args.batch_size.unwrap_or(train.batch_size);
    train.seed = args.seed.unwrap_or(train.seed);
    train.freeze_bert |= args.freeze_bert;
    let model = &mut settings.model;
    model.use_gcn &= !args.no_gcn;
    model.gcn.question_conditioning &= !args.unconditioned_gcn;
    if args.plain_gcn {
        model.gcn.relation_types = false;
        model.gcn.question_conditioning = false;
    }
}

fn eval(args: &EvalArgs, settings: &mut Settings) {
    model(args.model.as_ref(), args.device, settings);
    settings.eval.batch_size = args.batch_size.unwrap_or(settings.eval.batch_size);
}

fn serve(args: &ServeArgs, settings: &mut Settings) {
    model(args.model.as_ref(), args.device, settings);
    let config = &mut settings.serve;
    config.bind = args.bind.unwrap_or(config.bind);
    config.max_body_bytes = args.max_body_bytes.unwrap_or(config.max_body_bytes);
    config.max_question_chars = args.max_question_chars.unwrap_or(config.max_question_chars);
    config.max_batch = args.max_batch.unwrap_or(config.max_batch);
    config.max_top_k = args.max_top_k.unwrap_or(config.max_top_k);
    config.queue_capacity = args.queue_capacity.unwrap_or(config.queue_capacity);
    config.model_batch = args.model_batch.unwrap_or(config.model_batch);
    config.model_threads = args.model_threads.unwrap_or(config.model_threads);
    config.deadline_ms = args.deadline_ms.unwrap_or(config.deadline_ms);
    config.max_blocking = args.max_blocking.unwrap_or(config.max_blocking);
    config.feedback_max_bytes = args.feedback_max_bytes.unwrap_or(config.feedback_max_bytes);
    config.header_timeout_ms = args.header_timeout_ms.unwrap_or(config.header_timeout_ms);
    config.body_timeout_ms = args.body_timeout_ms.unwrap_or(config.body_timeout_ms);
    config.max_connections = args.max_connections.unwrap_or(config.max_connections);
    config.shutdown_grace_ms = args.shutdown_grace_ms.unwrap_or(config.shutdown_grace_ms);
    if let Some(feedback) = &args.feedback {
        config.feedback.clone_from(feedback);
    }
    if let Some(token_file) = &args.token_file {
        config.token = None;
        config.token_file = Some(token_file.clone());
    }
    if let Some(token) = &args.token {
        config.token = Some(Secret::new(token.as_str()));
    }
}

fn remote(args: &RemoteArgs, settings: &mut Settings) {
    let config = &mut settings.remote;
    if let Some(graph) = &args.remote_graph {
        config.graph.clone_from(graph);
    }
    if let Some(url) = &args.remote_update {
        config.update_endpoint = Some(url.clone());
    }
    if let Some(url) = &args.remote_graph_store {
        config.graph_store_endpoint = Some(url.clone());
    }
    config.timeout = args.remote_timeout.unwrap_or(config.timeout);
    config.retries = args.remote_retries.unwrap_or(config.retries);
    if let Some(size) = args.remote_batch_size {
        config.batch_size = Some(size);
    }
    if let Some(bytes) = args.remote_max_response_bytes {
        config.max_response_bytes = bytes;
    }
    if let Some(user) = &args.remote_user {
        config.user = Some(user.clone());
    }
    // Never a flag: command lines show up in process listings.
    if let Ok(password) = std::env::var("KGQA_REMOTE_PASSWORD") {
        config.password = Some(password.into());
    }
}
