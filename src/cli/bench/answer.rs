//! `kgqa bench answer`: how fast a trained model answers, beside how fast its encoder alone runs
//! on the same questions (the limit beside the result), with the time of every stage.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use kgqa::answer::{Answerer, AskOptions, AskTimes};
use kgqa::eval::{mean, quantile};
use kgqa::score::{Sample, ScoringTimes};

use super::super::{output, Context};
use super::peak_rss_mb;

/// Arguments of `kgqa bench answer`.
#[derive(Debug, Args)]
pub struct AnswerBench {
    /// Questions to ask (FILE or FILE@part)
    #[arg(long, value_name = "FILE[@PART]")]
    pub split: kgqa::question::QuestionSource,
    /// How many of them
    #[arg(long, default_value_t = 200)]
    pub questions: usize,
    /// The checkpoint [default: models/default]
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Batch size of the batched measurements (the `_b32` figures)
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Where to run the model [default: `device` in the config, else auto]
    #[arg(long, value_enum)]
    pub device: Option<kgqa::score::DeviceChoice>,
}

/// Milliseconds per question spent in each stage.
#[derive(Debug, Default, serde::Serialize)]
struct StageMs {
    link: f64,
    /// In `ask`, beside the question encoder.
    retrieve: f64,
    /// Building the model's input from the retrieval (in `ask`, beside the question encoder).
    sample: f64,
    tensors: f64,
    encoder: f64,
    /// In `ask`, waiting for retrieval after the question encoder finished.
    wait: f64,
    gcn: f64,
    head: f64,
    /// Ranking, labels and evidence paths.
    evidence: f64,
}

#[derive(Debug, serde::Serialize)]
struct AnswerFigures {
    questions: usize,
    batch_size: usize,
    subgraph_nodes_mean: f64,
    subgraph_edges_mean: f64,
    encoder_qps_b1: f64,
    encoder_qps_b32: f64,
    scoring_qps_b1: f64,
    scoring_qps_b32: f64,
    scoring_vs_encoder_b32: f64,
    ask_ms_p50: f64,
    ask_ms_p95: f64,
    ask_ms_p99: f64,
    ask_questions_per_s: f64,
    /// Per question, in warm `ask` (one question at a time).
    ask_stages_ms: StageMs,
    /// Per question, in batched scoring.
    scoring_stages_ms_b32: StageMs,
    peak_rss_mb: f64,
}

/// Runs the benchmark and prints its figures.
pub fn run(context: &Context, args: AnswerBench) -> anyhow::Result<()> {
    let mut questions = context.questions(&args.split)?;
    questions.truncate(args.questions);
    anyhow::ensure!(!questions.is_empty(), "{}: no questions", args.split);
    let texts: Vec<&str> = questions.iter().map(|q| q.text.as_str()).collect();
    let answerer = context.answerer(context.settings.in_memory)?;
    // Warm up: the first question fills caches (relation texts, libtorch's kernels).
    time_asks(&answerer, &texts[..1])?;
    let (latencies, ask_stages) = time_asks(&answerer, &texts)?;
    let ask_seconds: f64 = latencies.iter().sum::<f64>() / 1000.0;

    let prepared = output::prepare_served(answerer.service(), &questions)?;
    let samples: Vec<&Sample> = prepared.iter().map(|p| &p.sample).collect();
    let model_texts: Vec<String> = samples.iter().map(|s| s.text.clone()).collect();
    let scorer = answerer.scorer();
    let per_second = |seconds: f64| samples.len() as f64 / seconds.max(1e-9);
    let encoder = |batch: usize| -> anyhow::Result<f64> {
        let started = Instant::now();
        scorer.encode_only(&model_texts, batch)?;
        Ok(per_second(started.elapsed().as_secs_f64()))
    };
    let scoring = |batch: usize| -> anyhow::Result<(f64, ScoringTimes)> {
        let mut times = ScoringTimes::default();
        scorer.score_timed(&samples, batch, &mut times)?;
        Ok((per_second(times.total().as_secs_f64()), times))
    };
    let encoder_qps_b1 = encoder(1)?;
    let encoder_qps_b32 = encoder(args.batch_size)?;
    let (scoring_qps_b1, _) = scoring(1)?;
    let (scoring_qps_b32, batched) = scoring(args.batch_size)?;
    let n = samples.len() as f64;
    let figures = AnswerFigures {
        questions: samples.len(),
        batch_size: args.batch_size,
        subgraph_nodes_mean: mean(&samples.iter().map(|s| s.nodes() as f64).collect::<Vec<_>>()),
        subgraph_edges_mean: mean(
            &samples
                .iter()
                .map(|s| s.edges.len() as f64)
                .collect::<Vec<_>>(),
        ),
        encoder_qps_b1,
        encoder_qps_b32,
        scoring_qps_b1,
        scoring_qps_b32,
        scoring_vs_encoder_b32: scoring_qps_b32 / encoder_qps_b32.max(1e-9),
        ask_ms_p50: quantile(&latencies, 0.5),
        ask_ms_p95: quantile(&latencies, 0.95),
        ask_ms_p99: quantile(&latencies, 0.99),
        ask_questions_per_s: texts.len() as f64 / ask_seconds.max(1e-9),
        ask_stages_ms: ask_stages,
        scoring_stages_ms_b32: StageMs {
            tensors: ms(batched.tensors) / n,
            encoder: ms(batched.encoder) / n,
            gcn: ms(batched.gcn) / n,
            head: ms(batched.head) / n,
            ..StageMs::default()
        },
        peak_rss_mb: peak_rss_mb(),
    };
    output::emit(context.json, &figures, || summary(&figures))
}

/// Asks every question alone, end to end as `kgqa ask` does (link; retrieve beside the question
/// encoder; score; evidence): each one's latency in ms, and the mean time per stage.
fn time_asks(answerer: &Answerer, texts: &[&str]) -> anyhow::Result<(Vec<f64>, StageMs)> {
    let mut times = AskTimes::default();
    let mut latencies = Vec::with_capacity(texts.len());
    for text in texts {
        let started = Instant::now();
        answerer.ask_timed(&[text], AskOptions::top(5), &mut times)?;
        latencies.push(ms(started.elapsed()));
    }
    let n = texts.len() as f64;
    let stages = StageMs {
        link: ms(times.link) / n,
        retrieve: ms(times.retrieve) / n,
        sample: ms(times.sample) / n,
        tensors: ms(times.scoring.tensors) / n,
        encoder: ms(times.encoder + times.scoring.encoder) / n,
        wait: ms(times.wait) / n,
        gcn: ms(times.scoring.gcn) / n,
        head: ms(times.scoring.head) / n,
        evidence: ms(times.finish) / n,
    };
    Ok((latencies, stages))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn summary(f: &AnswerFigures) -> String {
    let stages = |s: &StageMs| {
        format!(
            "link {:.2}, retrieve {:.2}, sample {:.2}, tensors {:.2}, encoder {:.2}, wait {:.2}, gcn {:.2}, head {:.2}, evidence {:.2}",
            s.link, s.retrieve, s.sample, s.tensors, s.encoder, s.wait, s.gcn, s.head, s.evidence
        )
    };
    format!(
        "{} questions ({:.0} nodes, {:.0} edges per subgraph)\n\
         encoder alone: {:.1} questions/s at batch 1, {:.1} at batch {}\n\
         scoring:       {:.1} questions/s at batch 1, {:.1} at batch {} ({:.2} of the encoder's)\n\
         ask:           p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms ({:.1} questions/s)\n\
         ms per question in ask: {}\n\
         ms per question in batched scoring: {}\n\
         peak RSS {:.0} MB",
        f.questions,
        f.subgraph_nodes_mean,
        f.subgraph_edges_mean,
        f.encoder_qps_b1,
        f.encoder_qps_b32,
        f.batch_size,
        f.scoring_qps_b1,
        f.scoring_qps_b32,
        f.batch_size,
        f.scoring_vs_encoder_b32,
        f.ask_ms_p50,
        f.ask_ms_p95,
        f.ask_ms_p99,
        f.ask_questions_per_s,
        stages(&f.ask_stages_ms),
        stages(&f.scoring_stages_ms_b32),
        f.peak_rss_mb
    )
}
