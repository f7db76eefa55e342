//! `kgqa synth`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use kgqa::synth::{synthesise, write_tsv, SynthConfig, SynthReport};

use super::{output, Context};

/// Arguments of `kgqa synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// The question file to write (kgqa's TSV: question, topic, answers, hops, type)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// How many questions to write [default: 1000]
    #[arg(long, value_name = "N")]
    pub questions: Option<usize>,
    /// Path lengths to ask about, in equal shares [default: 1,2,3]
    #[arg(long, value_delimiter = ',', num_args = 1.., value_name = "1,2,3")]
    pub hops: Option<Vec<u8>>,
    /// Seed of every random draw (the same seed writes the same file) [default: 42]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Skip questions with more answers than this [default: 50]
    #[arg(long, value_name = "N")]
    pub max_answers: Option<usize>,
    /// Skip paths through more nodes than this at one hop before the last [default: 1000]
    #[arg(long, value_name = "N")]
    pub max_intermediate: Option<usize>,
    /// Fraction of two-constraint questions (1-hop and 1-hop, 2-hop and 1-hop; topics `iri1|iri2`)
    /// [default: 0]
    #[arg(long, value_name = "FRACTION")]
    pub conjunctive: Option<f64>,
    /// How often a topic is named by a skos:altLabel instead of its rdfs:label [default: 0.3]
    #[arg(long, value_name = "FRACTION")]
    pub alternative_labels: Option<f64>,
}

impl SynthArgs {
    /// The synthesis settings: the defaults, overridden by these flags.
    /// Topics are answers too where the configuration says so (`[retrieve] topic_answers`).
    pub fn config(&self, topic_answers: bool) -> SynthConfig {
        let base = SynthConfig::default();
        SynthConfig {
            questions: self.questions.unwrap_or(base.questions),
            hops: self.hops.clone().unwrap_or(base.hops),
            seed: self.seed.unwrap_or(base.seed),
            max_answers: self.max_answers.unwrap_or(base.max_answers),
            max_intermediate: self.max_intermediate.unwrap_or(base.max_intermediate),
            conjunctive: self.conjunctive.unwrap_or(base.conjunctive),
            alternative_labels: self.alternative_labels.unwrap_or(base.alternative_labels),
            attempts: base.attempts,
            topic_answers,
        }
    }
}

#[derive(serde::Serialize)]
struct Summary<'a> {
    out: String,
    #[serde(flatten)]
    report: &'a SynthReport,
}

/// Runs `kgqa synth`.
pub fn run(context: &Context, args: SynthArgs) -> anyhow::Result<()> {
    let config = args.config(context.settings.retrieve.topic_answers);
    config.validate().context("invalid synth settings")?;
    let graph = context.open_graph(true)?;
    let bar = output::progress(config.questions as u64, "synth", false);
    let synthesis = synthesise(&graph, &config, &|done| bar.set_position(done));
    bar.finish_and_clear();
    let synthesis = synthesis.context("cannot synthesise questions")?;
    write_tsv(&args.out, &synthesis.questions)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let report = &synthesis.report;
    if report.questions < report.requested {
        tracing::warn!(
            written = report.questions,
            requested = report.requested,
            "the graph gave fewer distinct questions than asked for"
        );
    }
    let summary = Summary {
        out: args.out.display().to_string(),
        report,
    };
    output::emit(context.json, &summary, || describe(&summary))
}

fn describe(summary: &Summary<'_>) -> String {
    let report = summary.report;
    let hops: Vec<String> = report
        .by_hop
        .iter()
        .map(|(hop, n)| format!("{hop}-hop {n}"))
        .collect();
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|(why, n)| format!("{} {n}", why.name()))
        .collect();
    let mut text = format!(
        "{}: {} questions ({}; {} two-constraint) of {} types, from {} topics and {} relations, in {:.1} s (seed {})\n  {} draws, skipped: {}",
        summary.out,
        report.questions,
        hops.join(", "),
        report.conjunctive,
        report.by_type.len(),
        report.topics,
        report.relations,
        report.seconds,
        report.seed,
        report.attempts,
        if skipped.is_empty() { "none".to_owned() } else { skipped.join(", ") },
    );
    let mut types: Vec<(&String, &usize)> = report.by_type.iter().collect();
    types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (qtype, n) in types.iter().take(10) {
        text.push_str(&format!("\n  {n:>6}  {qtype}"));
    }
    if types.len() > 10 {
        text.push_str(&format!(
            "\n  … and {} more types (--json lists all)",
            types.len() - 10
        ));
    }
    text
}
