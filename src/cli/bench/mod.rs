//! `kgqa bench`: benchmarks that measure and print their numbers.

mod answer;

pub use answer::AnswerBench;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use kgqa::store::{ingest, Graph, IngestOptions};
use rand::{Rng, SeedableRng};

use super::{output, Context};

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Ingest speed and peak memory: a given file, or a synthetic graph of --triples triples
    Ingest(IngestBench),
    /// Answering speed of a trained model: warm `ask` latency, inference questions/s, peak memory
    Answer(AnswerBench),
}

/// Arguments of `kgqa bench ingest`.
#[derive(Debug, Args)]
pub struct IngestBench {
    /// Graph file to ingest [default: a synthetic graph]
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Size of the synthetic graph, in triples
    #[arg(long, default_value_t = 1_000_000)]
    pub triples: u64,
    /// Ingest into an in-memory store instead of a fresh on-disk one
    #[arg(long)]
    pub memory: bool,
    /// Seed of the synthetic graph
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

#[derive(serde::Serialize)]
struct IngestFigures {
    file: String,
    store: &'static str,
    triples: u64,
    seconds: f64,
    triples_per_second: f64,
    peak_rss_mb: f64,
    generate_seconds: Option<f64>,
}

/// Runs a benchmark.
pub fn run(context: &Context, command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Ingest(args) => bench_ingest(context, args),
        BenchCommand::Answer(args) => answer::run(context, args),
    }
}

fn bench_ingest(context: &Context, args: IngestBench) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir().context("cannot create a scratch directory")?;
    let (file, generate_seconds) = match &args.file {
        Some(file) => (file.clone(), None),
        None => {
            let path = scratch.path().join("synthetic.nt");
            let started = std::time::Instant::now();
            write_synthetic(&path, args.triples, args.seed)?;
            (path, Some(started.elapsed().as_secs_f64()))
        }
    };
    let graph = if args.memory {
        Graph::in_memory()?
    } else {
        Graph::open(&scratch.path().join("store"))?
    };
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let bar = output::progress(size, "ingest", true);
    let report = ingest(&graph, &file, &IngestOptions::default(), &|b| {
        bar.set_position(b)
    })?;
    bar.finish_and_clear();
    let figures = IngestFigures {
        file: file.display().to_string(),
        store: if args.memory { "memory" } else { "rocksdb" },
        triples: report.triples,
        seconds: report.seconds,
        triples_per_second: report.triples as f64 / report.seconds.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        generate_seconds,
    };
    output::emit(context.json, &figures, || {
        format!(
            "ingest {} into {}: {} triples in {:.2} s = {:.0} triples/s, peak RSS {:.0} MB",
            figures.file,
            figures.store,
            figures.triples,
            figures.seconds,
            figures.triples_per_second,
            figures.peak_rss_mb
        )
    })
}

/// Writes `triples` random edges between `triples / 8` entities over 24 relations, with a skewed
/// (roughly power-law) choice of objects so that some nodes are hubs, as in real graphs.
fn write_synthetic(path: &Path, triples: u64, seed: u64) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let entities = (triples / 8).max(2);
    for _ in 0..triples {
        let subject = rng.gen_range(0..entities);
        let relation = rng.gen_range(0..24u32);
        // Squaring a uniform draw skews objects towards low ids: a few hubs, many leaves.
        let skew: f64 = rng.gen::<f64>();
        let object = ((skew * skew) * entities as f64) as u64;
        writeln!(
            out,
            "<http://example.org/synthetic/e{subject}> <http://example.org/synthetic/r{relation}> <http://example.org/synthetic/e{object}> ."
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The process's peak resident memory so far, in MB (Linux; 0 elsewhere).
pub(super) fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
