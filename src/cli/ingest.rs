//! `kgqa ingest`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use kgqa::config::StoreLocation;
use kgqa::store::{ingest, GraphFormat, IngestOptions, IngestReport, Minter, DEFAULT_BASE};

use super::{output, Context};

/// Arguments of `kgqa ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Graph files to load, in order; each is loaded atomically
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Format of the files: ntriples, turtle, metaqa, tsv [default: from the extension]
    #[arg(long)]
    pub format: Option<GraphFormat>,
    /// Skip malformed lines and report how many, instead of failing
    #[arg(long)]
    pub lenient: bool,
    /// Namespace of the IRIs minted for the names in triple tables
    #[arg(long, default_value = DEFAULT_BASE)]
    pub base: String,
    /// Do nothing if the store already holds triples
    #[arg(long)]
    pub if_empty: bool,
}

#[derive(serde::Serialize)]
struct FileReport {
    file: String,
    #[serde(flatten)]
    report: IngestReport,
}

#[derive(serde::Serialize)]
struct Summary {
    store: String,
    triples: u64,
    skipped: u64,
    seconds: f64,
    triples_per_second: f64,
    store_triples: u64,
    files: Vec<FileReport>,
}

/// Runs `kgqa ingest`.
pub fn run(context: &Context, args: IngestArgs) -> anyhow::Result<()> {
    oxigraph::model::NamedNode::new(format!("{}entity/x", args.base))
        .with_context(|| format!("--base `{}` is not a valid IRI prefix", args.base))?;
    let store = &context.settings.store;
    let graph = context
        .settings
        .open_store()
        .with_context(|| format!("cannot open the store at {store}"))?;
    if args.if_empty && graph.triple_count()? > 0 {
        tracing::info!(store = %store, "store already holds a graph; nothing to do");
        return Ok(());
    }
    let options = IngestOptions {
        format: args.format,
        lenient: args.lenient,
        minter: Minter::new(&args.base),
    };
    let remote = &context.settings.remote;
    let failed = match store {
        StoreLocation::Endpoint(_) if !remote.atomic => format!(
            "ingest into {store} failed; the batches written before the failure stay in <{}> \
             ([remote] atomic = false)",
            remote.graph
        ),
        _ => format!("nothing was written to {store}"),
    };
    let mut files = Vec::new();
    for file in &args.files {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let bar = output::progress(size, &file.display().to_string(), true);
        let report = ingest(&graph, file, &options, &|bytes| bar.set_position(bytes))
            .context(failed.clone());
        bar.finish_and_clear();
        let report = report?;
        if report.skipped > 0 {
            tracing::warn!(file = %file.display(), skipped = report.skipped, "skipped malformed lines");
        }
        files.push(FileReport {
            file: file.display().to_string(),
            report,
        });
    }
    let triples: u64 = files.iter().map(|f| f.report.triples).sum();
    let seconds: f64 = files.iter().map(|f| f.report.seconds).sum();
    let summary = Summary {
        store: store.to_string(),
        triples,
        skipped: files.iter().map(|f| f.report.skipped).sum(),
        seconds,
        triples_per_second: triples as f64 / seconds.max(1e-9),
        store_triples: graph.triple_count()?,
        files,
    };
    output::emit(context.json, &summary, || {
        let mut text = String::new();
        for f in &summary.files {
            text.push_str(&format!(
                "{}: {} triples ({}) in {:.2} s{}\n",
                f.file,
                f.report.triples,
                f.report.format,
                f.report.seconds,
                if f.report.skipped > 0 {
                    format!(", {} malformed lines skipped", f.report.skipped)
                } else {
                    String::new()
                }
            ));
        }
        text.push_str(&format!(
            "{} now holds {} triples ({:.0} triples/s)",
            summary.store, summary.store_triples, summary.triples_per_second
        ));
        text
    })
}
