//! `kgqa train`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use kgqa::pipeline::Pipeline;
use kgqa::question::QuestionSource;
use kgqa::score::{Checkpoint, DeviceChoice, Pretrained, RelationTexts};
use kgqa::train::{train, EpochReport, TrainSetup};

use super::{output, Context};

/// Arguments of `kgqa train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training questions (FILE or FILE@train|valid|test)
    #[arg(long, required = true, num_args = 1.., value_name = "FILE[@PART]")]
    pub train: Vec<QuestionSource>,
    /// Validation questions, for early stopping and the answer threshold
    #[arg(long, required = true, num_args = 1.., value_name = "FILE[@PART]")]
    pub dev: Vec<QuestionSource>,
    /// The checkpoint directory [default: models/default]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue from the checkpoint in --out
    #[arg(long)]
    pub resume: bool,
    /// Where to train [default: `device` in the config, else auto]
    #[arg(long, value_enum)]
    pub device: Option<DeviceChoice>,
    /// Passes over the training questions, at most
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Questions per step
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Seed of initialisation and shuffling
    #[arg(long)]
    pub seed: Option<u64>,
    /// Keep BERT frozen (ablation)
    #[arg(long)]
    pub freeze_bert: bool,
    /// Score without the graph network (ablation)
    #[arg(long)]
    pub no_gcn: bool,
    /// GCN whose relation gates ignore the question: one learned preference over relations (ablation)
    #[arg(long)]
    pub unconditioned_gcn: bool,
    /// GCN without relation types and question conditioning (ablation)
    #[arg(long)]
    pub plain_gcn: bool,
    /// The pretrained encoder [default: models/all-minilm-l6-v2]
    #[arg(long)]
    pub pretrained: Option<PathBuf>,
    /// Use at most this many training questions (for quick runs)
    #[arg(long)]
    pub max_questions: Option<usize>,
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    out: String,
    train_questions: usize,
    valid_questions: usize,
    train_coverage: f64,
    prepare_seconds: f64,
    train_seconds: f64,
    epochs: &'a [EpochReport],
}

/// Runs `kgqa train`.
pub fn run(context: &Context, args: TrainArgs) -> anyhow::Result<()> {
    let settings = &context.settings;
    let pretrained = Pretrained::at(&settings.pretrained);
    pretrained.check()?;
    let mut train_questions = context.all_questions(&args.train)?;
    if let Some(max) = args.max_questions {
        train_questions.truncate(max);
    }
    let valid_questions = context.all_questions(&args.dev)?;

    let graph = context.open_graph(true)?;
    let pipeline = Pipeline::from_settings(settings, graph.clone(), &train_questions)?;
    tracing::info!(
        examples = pipeline.linker().prior().examples(),
        "linker learned from the training questions"
    );
    let relations = RelationTexts::from_graph(&graph)?;

    let started = Instant::now();
    let train_set =
        output::prepare_labelled(&pipeline, &relations, &train_questions, "retrieve train")?;
    let valid_set =
        output::prepare_labelled(&pipeline, &relations, &valid_questions, "retrieve dev")?;
    let prepare_seconds = started.elapsed().as_secs_f64();
    let covered = train_set
        .iter()
        .filter(|p| !p.sample.positives.is_empty())
        .count();

    let out = settings.model_dir.clone();
    let setup = TrainSetup {
        config: settings.train.clone(),
        model: settings.model.clone(),
        prior: pipeline.linker().prior().clone(),
        pretrained,
        checkpoint: Checkpoint::at(&out),
        resume: args.resume,
        device: settings.device.device()?,
        graph_triples: graph.triple_count()?,
    };
    tracing::info!(device = ?setup.device, train = train_set.len(), valid = valid_set.len(), "training");
    let started = Instant::now();
    let bar = output::progress(0, "epoch 1", false);
    let reports = train(
        &setup,
        &train_set,
        &valid_set,
        &|step, steps, loss| {
            bar.set_length(steps as u64);
            bar.set_position(step as u64);
            bar.set_message(format!("loss {loss:.4}"));
        },
        &|report| {
            let line = format!(
                "epoch {}: loss {:.4}, validation Hits@1 {:.4}, MRR {:.4}, AUC {:.4}, {:.1} questions/s{}",
                report.epoch,
                report.loss,
                report.validation.hits_at_1,
                report.validation.mrr,
                report.validation.auc_macro.unwrap_or(f64::NAN),
                report.questions_per_s,
                if report.saved { ", saved" } else { "" }
            );
            // A hidden bar (stderr not a terminal) prints nothing: log the epoch instead.
            if bar.is_hidden() {
                tracing::info!("{line}");
            } else {
                bar.println(line);
            }
            bar.reset();
        },
    )
    .with_context(|| format!("training into {} failed", out.display()))?;
    bar.finish_and_clear();
    let summary = Summary {
        out: out.display().to_string(),
        train_questions: train_set.len(),
        valid_questions: valid_set.len(),
        train_coverage: covered as f64 / train_set.len().max(1) as f64,
        prepare_seconds,
        train_seconds: started.elapsed().as_secs_f64(),
        epochs: &reports,
    };
    output::emit(context.json, &summary, || {
        let best = reports.iter().rev().find(|r| r.saved).map_or(
            String::from("no epoch was saved"),
            |r| {
                format!(
                    "best epoch {} (validation Hits@1 {:.4})",
                    r.epoch, r.validation.hits_at_1
                )
            },
        );
        format!(
            "trained on {} questions ({} validation) in {:.0} s (+{:.0} s retrieval): {best}; model in {}",
            summary.train_questions, summary.valid_questions, summary.train_seconds, summary.prepare_seconds, summary.out
        )
    })
}
