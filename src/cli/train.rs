//! `kgqa train`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use kgqa::pipeline::Pipeline;
use kgqa::question::Question;
use kgqa::question::QuestionSource;
use kgqa::score::{Checkpoint, DeviceChoice, Pretrained, RelationTexts};
use kgqa::store::Graph;
use kgqa::synth::{SynthConfig, SynthReport};
use kgqa::train::data::{labelled_repeats, mix, synthetic_questions};
use kgqa::train::{train, EpochReport, TrainSetup, TrainingData, ValidationSource};

use super::{output, Context};

/// Arguments of `kgqa train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled training questions (FILE or FILE@train|valid|test)
    #[arg(long, num_args = 1.., value_name = "FILE[@PART]", required_unless_present = "synthetic")]
    pub train: Vec<QuestionSource>,
    /// Validation questions, for early stopping and the answer threshold [default with
    /// --synthetic: a held-out share of the synthesised questions]
    #[arg(long, num_args = 1.., value_name = "FILE[@PART]", required_unless_present = "synthetic")]
    pub dev: Vec<QuestionSource>,
    /// Also train on N questions synthesised from the graph (as `kgqa synth` writes them); alone,
    /// trains with no labelled question at all
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Path lengths of the synthesised questions [default: 1,2,3]
    #[arg(long, value_delimiter = ',', num_args = 1.., value_name = "1,2,3", requires = "synthetic")]
    pub synthetic_hops: Option<Vec<u8>>,
    /// Seed of the synthesis [default: the training seed]
    #[arg(long, requires = "synthetic")]
    pub synthetic_seed: Option<u64>,
    /// Fraction of the synthesised questions with two constraints [default: 0]
    #[arg(long, value_name = "FRACTION", requires = "synthetic")]
    pub synthetic_conjunctive: Option<f64>,
    /// The checkpoint directory [default: models/default]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue from the checkpoint in --out
    #[arg(long, conflicts_with = "init")]
    pub resume: bool,
    /// Start from the checkpoint in DIR (trained on any graph): its weights and shape, fine-tuned
    /// on these questions
    #[arg(long, value_name = "DIR")]
    pub init: Option<PathBuf>,
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
    data: &'a TrainingData,
    #[serde(skip_serializing_if = "Option::is_none")]
    synthesis: Option<&'a SynthReport>,
    prepare_seconds: f64,
    train_seconds: f64,
    epochs: &'a [EpochReport],
}

/// The labelled and synthesised questions of one training run, before retrieval.
struct Questions {
    labelled: Vec<Question>,
    synthetic: Vec<Question>,
    valid: Vec<Question>,
    validation: ValidationSource,
    synthesis: Option<(SynthConfig, SynthReport)>,
}

impl Questions {
    /// The questions the linker's prior learns from: every training question, labelled or not.
    fn examples(&self) -> Vec<Question> {
        self.labelled
            .iter()
            .chain(&self.synthetic)
            .cloned()
            .collect()
    }
}

/// Reads the labelled questions and synthesises the rest, as the flags say.
fn gather(context: &Context, args: &TrainArgs, graph: &Graph) -> anyhow::Result<Questions> {
    let mut labelled = context.all_questions(&args.train)?;
    if let Some(max) = args.max_questions {
        labelled.truncate(max);
    }
    let dev = context.all_questions(&args.dev)?;
    let Some(n) = args.synthetic else {
        return Ok(Questions {
            labelled,
            synthetic: Vec::new(),
            valid: dev,
            validation: ValidationSource::Dev,
            synthesis: None,
        });
    };
    let config = synth_config(context, args, n);
    config.validate().context("invalid --synthetic settings")?;
    let hold_out = if dev.is_empty() {
        context.settings.train.synthetic_valid
    } else {
        0.0
    };
    let bar = output::progress(n as u64, "synthesise", false);
    let synthetic = synthetic_questions(graph, &config, hold_out, &|done| bar.set_position(done));
    bar.finish_and_clear();
    let synthetic = synthetic.context("cannot synthesise training questions")?;
    tracing::info!(
        train = synthetic.train.len(),
        valid = synthetic.valid.len(),
        seconds = synthetic.report.seconds,
        "synthesised questions from the graph"
    );
    let (valid, validation) = if dev.is_empty() {
        (synthetic.valid, ValidationSource::Synthetic)
    } else {
        (dev, ValidationSource::Dev)
    };
    Ok(Questions {
        labelled,
        synthetic: synthetic.train,
        valid,
        validation,
        synthesis: Some((config, synthetic.report)),
    })
}

/// The synthesis settings of `--synthetic N`: `kgqa synth`'s defaults (one-constraint questions
/// unless `--synthetic-conjunctive`), seeded by `--synthetic-seed` or else the training seed,
/// topics answers too where `[retrieve] topic_answers` says so.
fn synth_config(context: &Context, args: &TrainArgs, questions: usize) -> SynthConfig {
    let base = SynthConfig::default();
    SynthConfig {
        questions,
        hops: args.synthetic_hops.clone().unwrap_or(base.hops.clone()),
        seed: args.synthetic_seed.unwrap_or(context.settings.train.seed),
        conjunctive: args.synthetic_conjunctive.unwrap_or(0.0),
        topic_answers: context.settings.retrieve.topic_answers,
        ..base
    }
}

/// Runs `kgqa train`.
pub fn run(context: &Context, args: TrainArgs) -> anyhow::Result<()> {
    let settings = &context.settings;
    let pretrained = Pretrained::at(&settings.pretrained);
    if args.init.is_none() {
        pretrained.check()?;
    }
    let init = args.init.as_ref().map(Checkpoint::at);
    if init.is_some() && (args.no_gcn || args.plain_gcn || args.unconditioned_gcn) {
        anyhow::bail!(
            "--init takes the model's shape from its checkpoint: drop --no-gcn, --plain-gcn and \
             --unconditioned-gcn"
        );
    }
    if let Some(init) = &init {
        init.read_meta().context("cannot start from --init")?;
    }
    let graph = context.open_graph(true)?;
    let questions = gather(context, &args, &graph)?;
    if questions.labelled.is_empty() && questions.synthetic.is_empty() {
        anyhow::bail!("no training questions: give --train FILE… or --synthetic N, or both");
    }
    if questions.valid.is_empty() {
        anyhow::bail!("no validation questions: give --dev FILE… (or --synthetic N without --dev)");
    }

    let pipeline = Pipeline::from_settings(settings, graph.clone(), &questions.examples())?;
    tracing::info!(
        examples = pipeline.linker().prior().examples(),
        "linker learned from the training questions"
    );
    let relations = RelationTexts::from_graph(&graph)?;

    let started = Instant::now();
    let labelled =
        output::prepare_labelled(&pipeline, &relations, &questions.labelled, "retrieve train")?;
    let synthetic = output::prepare_labelled(
        &pipeline,
        &relations,
        &questions.synthetic,
        "retrieve synthetic",
    )?;
    let valid_set =
        output::prepare_labelled(&pipeline, &relations, &questions.valid, "retrieve dev")?;
    let prepare_seconds = started.elapsed().as_secs_f64();
    let repeats = labelled_repeats(
        labelled.len(),
        synthetic.len(),
        settings.train.labelled_share,
    );
    let data = TrainingData {
        labelled: labelled.len(),
        labelled_repeats: repeats,
        synthetic: synthetic.len(),
        validation: questions.validation,
        valid_questions: valid_set.len(),
        synthesis: questions
            .synthesis
            .as_ref()
            .map(|(config, _)| config.clone()),
        init: args.init.as_ref().map(|dir| dir.display().to_string()),
    };
    let train_set = mix(&labelled, repeats, synthetic);
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
        init,
        data: Some(data.clone()),
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
        data: &data,
        synthesis: questions.synthesis.as_ref().map(|(_, report)| report),
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
        let data = summary.data;
        let source = match (data.labelled, data.synthetic) {
            (0, synthetic) => format!("{synthetic} synthesised"),
            (labelled, 0) => format!("{labelled} labelled"),
            (labelled, synthetic) => format!(
                "{labelled} labelled (each seen {}×) and {synthetic} synthesised",
                data.labelled_repeats
            ),
        };
        let validation = match data.validation {
            ValidationSource::Dev => "--dev",
            ValidationSource::Synthetic => "held-out synthesised",
        };
        format!(
            "trained on {source} questions ({} {validation} for validation) in {:.0} s (+{:.0} s retrieval): {best}; model in {}",
            summary.valid_questions, summary.train_seconds, summary.prepare_seconds, summary.out
        )
    })
}
