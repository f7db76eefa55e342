//! `kgqa ingest`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use kgqa::config::StoreLocation;
use kgqa::store::{
    ingest_files, Graph, GraphFormat, IngestOptions, IngestReport, Minter, DEFAULT_BASE,
};

use super::{output, Context};

/// Arguments of `kgqa ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Graph files to load, in order, as one atomic load: all of them or, on error, none
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
    let started = std::time::Instant::now();
    let files = load(&graph, &args.files, &options).context(failure(context, &args.files))?;
    let triples: u64 = files.iter().map(|f| f.report.triples).sum();
    let seconds = started.elapsed().as_secs_f64();
    let summary = Summary {
        store: store.to_string(),
        triples,
        skipped: files.iter().map(|f| f.report.skipped).sum(),
        seconds,
        triples_per_second: triples as f64 / seconds.max(1e-9),
        store_triples: graph.triple_count()?,
        files,
    };
    output::emit(context.json, &summary, || text(&summary))
}

/// Loads `files` into `graph` as one load, with a progress bar over all of them.
fn load(
    graph: &Graph,
    files: &[PathBuf],
    options: &IngestOptions,
) -> kgqa::Result<Vec<FileReport>> {
    let size: u64 = files
        .iter()
        .map(|file| std::fs::metadata(file).map_or(0, |m| m.len()))
        .sum();
    let label = match files {
        [file] => file.display().to_string(),
        files => format!("{} files", files.len()),
    };
    let bar = output::progress(size, &label, true);
    let reports = ingest_files(graph, files, options, &|bytes| bar.set_position(bytes));
    bar.finish_and_clear();
    let files: Vec<FileReport> = files
        .iter()
        .zip(reports?)
        .map(|(file, report)| FileReport {
            file: file.display().to_string(),
            report,
        })
        .collect();
    for f in files.iter().filter(|f| f.report.skipped > 0) {
        tracing::warn!(file = %f.file, skipped = f.report.skipped, "skipped malformed lines");
    }
    Ok(files)
}

/// What a failed ingest of `files` wrote: nothing, unless a remote endpoint is written
/// non-atomically.
fn failure(context: &Context, files: &[PathBuf]) -> String {
    let (store, remote) = (&context.settings.store, &context.settings.remote);
    match store {
        StoreLocation::Endpoint(_) if !remote.atomic => format!(
            "ingest into {store} failed; the batches written before the failure stay in <{}> \
             ([remote] atomic = false)",
            remote.graph
        ),
        _ if files.len() > 1 => format!(
            "nothing was written to {store} (the {} files are loaded together, all or none)",
            files.len()
        ),
        _ => format!("nothing was written to {store}"),
    }
}

fn text(summary: &Summary) -> String {
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
}
