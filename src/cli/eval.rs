//! `kgqa eval`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use kgqa::answer::{node_scores, outcomes_from, Prepared};
use kgqa::eval::metrics::{roc_auc, roc_curve, QuestionOutcome, ScoredCandidate};
use kgqa::eval::roc_plot::roc_svg;
use kgqa::eval::{answer_report, breakdown, hop_key, predictions, AnswerReport, Prediction};
use kgqa::question::QuestionSource;
use kgqa::score::DeviceChoice;

use super::{output, Context};

/// Arguments of `kgqa eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Questions to evaluate on (FILE or FILE@train|valid|test)
    #[arg(long, value_name = "FILE[@PART]")]
    pub split: QuestionSource,
    /// The checkpoint [default: models/default]
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Remove [bracket] markup: link from free text
    #[arg(long)]
    pub no_brackets: bool,
    /// Write the ROC curves (overall and per hop) as an SVG image
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Write the JSON metrics to this file as well
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Write each question's gold answers and best-scored candidates to this file (JSON Lines)
    #[arg(long, value_name = "FILE.jsonl")]
    pub predictions: Option<PathBuf>,
    /// Where to run the model [default: `device` in the config, else auto]
    #[arg(long, value_enum)]
    pub device: Option<DeviceChoice>,
    /// Questions scored per batch [default: `[eval] batch_size` in the config, else 32]
    #[arg(long)]
    pub batch_size: Option<usize>,
}

/// Runs `kgqa eval`.
pub fn run(context: &Context, args: EvalArgs) -> anyhow::Result<()> {
    let mut questions = context.questions(&args.split)?;
    if args.no_brackets {
        for q in &mut questions {
            q.text = q.without_brackets();
        }
    }
    let answerer = context.answerer(true)?;
    let started = Instant::now();
    let prepared = output::prepare_served(answerer.service(), &questions)?;
    let scores = node_scores(
        answerer.scorer(),
        &prepared,
        context.settings.eval.batch_size,
    )?;
    let scored = outcomes_from(&prepared, &scores);
    let report = answer_report(&prepared, &scored, started.elapsed().as_secs_f64());
    if let Some(path) = &args.predictions {
        let pipeline = answerer.service().pipeline();
        let predictions = predictions(pipeline, &prepared, &scores, &scored, PREDICTED)?;
        write_predictions(path, &predictions)?;
    }
    if let Some(path) = &args.plot {
        std::fs::write(path, plot(&prepared, &scored, &args.split))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.output {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    output::emit(context.json, &report, || describe(&args.split, &report))
}

/// Candidates per question in the predictions file.
const PREDICTED: usize = 5;

fn write_predictions(path: &std::path::Path, predictions: &[Prediction]) -> anyhow::Result<()> {
    let mut text = String::new();
    for prediction in predictions {
        text.push_str(&serde_json::to_string(prediction)?);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn plot(prepared: &[Prepared], scored: &[QuestionOutcome], source: &QuestionSource) -> String {
    let curve = |members: &[&(&Prepared, &QuestionOutcome)], name: String| {
        let pairs: Vec<ScoredCandidate> = members
            .iter()
            .flat_map(|(_, o)| o.candidates.iter().copied())
            .collect();
        let auc = roc_auc(&pairs).map_or("n/a".to_owned(), |a| format!("{a:.4}"));
        (format!("{name} (AUC {auc})"), roc_curve(&pairs))
    };
    let pairs: Vec<(&Prepared, &QuestionOutcome)> = prepared.iter().zip(scored).collect();
    let mut curves = vec![curve(&pairs.iter().collect::<Vec<_>>(), "all".to_owned())];
    for (hop, members) in breakdown(&pairs, |(p, _)| hop_key(&p.question)) {
        curves.push(curve(&members, format!("{hop}-hop")));
    }
    let name = source
        .path
        .file_name()
        .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned());
    roc_svg(&curves, &format!("ROC over all candidates: {name}"))
}

fn describe(source: &QuestionSource, report: &AnswerReport) -> String {
    let line = |name: &str, g: &kgqa::eval::GroupReport| {
        format!(
            "{name:<12} {:>6}  Hits@1 {:.4}  Hits@5 {:.4}  MRR {:.4}  AUC macro {}  micro {}  coverage {:.4}  linking {:.4}",
            g.ranking.questions,
            g.ranking.hits_at_1,
            g.ranking.hits_at_5,
            g.ranking.mrr,
            g.ranking.auc_macro.map_or("n/a".into(), |a| format!("{a:.4}")),
            g.ranking.auc_micro.map_or("n/a".into(), |a| format!("{a:.4}")),
            g.ranking.coverage,
            g.linking_accuracy
        )
    };
    let mut text = format!(
        "{source}: {:.1} questions/s\n{}",
        report.questions_per_s,
        line("all", &report.overall)
    );
    for (hop, g) in &report.by_hop {
        text.push('\n');
        text.push_str(&line(&format!("{hop}-hop"), g));
    }
    if report.by_constraints.len() > 1 {
        for (n, g) in &report.by_constraints {
            text.push('\n');
            let name = if n == "1" {
                "1 topic".to_owned()
            } else {
                format!("{n} topics")
            };
            text.push_str(&line(&name, g));
        }
    }
    for (qtype, g) in &report.by_type {
        text.push('\n');
        text.push_str(&line(qtype, g));
    }
    text
}
