//! `kgqa retrieve`.

use clap::Args;
use kgqa::eval::{evaluate_retrieval, RetrieveReport};
use kgqa::link::{LabelIndex, Link};
use kgqa::pipeline::Retrieval;
use oxigraph::model::NamedNode;

use super::args::LinkArgs;
use super::{output, Context};

/// Arguments of `kgqa retrieve`.
#[derive(Debug, Args)]
pub struct RetrieveArgs {
    #[command(flatten)]
    pub link: LinkArgs,
    /// Hops to expand from the topic entities
    #[arg(long)]
    pub hops: Option<u8>,
    /// Do not expand nodes (other than topic entities) with more edges than this
    #[arg(long)]
    pub degree_cap: Option<u64>,
    /// Stop expanding at this many nodes
    #[arg(long)]
    pub max_nodes: Option<usize>,
    /// Count topic entities as candidate answers too
    #[arg(long)]
    pub topic_answers: bool,
    /// Candidates to list in text output
    #[arg(long, default_value_t = 20)]
    pub show: usize,
}

#[derive(serde::Serialize)]
struct NodeOut<'a> {
    iri: &'a str,
    label: &'a str,
    distance: u8,
}

#[derive(serde::Serialize)]
struct EdgeOut<'a> {
    source: &'a str,
    relation: &'a str,
    target: &'a str,
}

#[derive(serde::Serialize)]
struct Retrieved<'a> {
    question: &'a str,
    links: &'a [Link],
    /// Per constraint, its topic entities.
    topics: Vec<Vec<&'a str>>,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    candidates: usize,
    hubs: Vec<&'a str>,
    truncated: bool,
    link_ms: f64,
    retrieve_ms: f64,
}

/// Runs `kgqa retrieve`.
pub fn run(context: &Context, args: RetrieveArgs) -> anyhow::Result<()> {
    let pipeline = context.pipeline()?;
    if let Some(source) = &args.link.split {
        let questions = context.questions(source)?;
        let bar = output::progress(questions.len() as u64, "retrieve", false);
        let report =
            evaluate_retrieval(&pipeline, &questions, args.link.no_brackets, &|| bar.inc(1))?;
        bar.finish_and_clear();
        return output::emit(context.json, &report, || describe_report(&report));
    }
    let question = args.link.question.as_deref().unwrap_or_default();
    let retrieval = pipeline.retrieve(question)?;
    let index = pipeline.linker().index();
    let subgraph = &retrieval.subgraph;
    let out = Retrieved {
        question,
        links: &retrieval.links,
        topics: retrieval
            .topics
            .constraints()
            .iter()
            .map(|nodes| nodes.iter().map(|t| t.as_str()).collect())
            .collect(),
        nodes: subgraph
            .nodes()
            .iter()
            .zip(subgraph.distances())
            .map(|(n, &distance)| NodeOut {
                iri: n.as_str(),
                label: node_label(index, n),
                distance,
            })
            .collect(),
        edges: subgraph
            .edges()
            .iter()
            .map(|e| EdgeOut {
                source: subgraph.nodes()[e.source as usize].as_str(),
                relation: subgraph.relations()[e.relation as usize].as_str(),
                target: subgraph.nodes()[e.target as usize].as_str(),
            })
            .collect(),
        candidates: subgraph.candidates().count(),
        hubs: subgraph
            .hubs()
            .iter()
            .map(|&h| subgraph.nodes()[h as usize].as_str())
            .collect(),
        truncated: subgraph.truncated(),
        link_ms: retrieval.link_time.as_secs_f64() * 1000.0,
        retrieve_ms: retrieval.retrieve_time.as_secs_f64() * 1000.0,
    };
    output::emit(context.json, &out, || describe(&out, &retrieval, args.show))
}

fn node_label<'a>(index: &'a LabelIndex, iri: &'a NamedNode) -> &'a str {
    index.id(iri).map_or(iri.as_str(), |id| index.display(id))
}

fn describe(out: &Retrieved<'_>, retrieval: &Retrieval, show: usize) -> String {
    if retrieval.topics.is_empty() {
        return "no entity found in the question, so nothing to retrieve".to_owned();
    }
    let topics: Vec<&str> = out
        .nodes
        .iter()
        .filter(|n| n.distance == 0)
        .map(|n| n.label)
        .collect();
    let mut text = format!(
        "topic: {}\nsubgraph: {} nodes, {} edges, {} candidate answers ({} hubs not expanded{}) in {:.1} ms",
        topics.join(", "),
        out.nodes.len(),
        out.edges.len(),
        out.candidates,
        out.hubs.len(),
        if out.truncated { ", truncated" } else { "" },
        out.retrieve_ms
    );
    let mut candidates: Vec<&NodeOut<'_>> = out.nodes.iter().filter(|n| n.distance > 0).collect();
    candidates.sort_by_key(|n| n.distance);
    for node in candidates.iter().take(show) {
        text.push_str(&format!(
            "\n  {} hop{}  {}",
            node.distance,
            if node.distance == 1 { " " } else { "s" },
            node.label
        ));
    }
    if candidates.len() > show {
        text.push_str(&format!(
            "\n  … and {} more (--json lists all)",
            candidates.len() - show
        ));
    }
    text
}

fn describe_report(report: &RetrieveReport) -> String {
    let mut text = format!(
        "{} questions: linking accuracy {:.4}, coverage {:.4}, candidates mean {:.1} / median {} / p95 {}, \
         latency p50 {:.2} ms / p95 {:.2} ms",
        report.questions,
        report.linking_accuracy,
        report.coverage,
        report.candidates_mean,
        report.candidates_median,
        report.candidates_p95,
        report.latency_ms_p50,
        report.latency_ms_p95
    );
    for d in &report.by_depth {
        text.push_str(&format!(
            "\n  within {} hop{}: coverage {:.4}, candidates mean {:.1} / median {} / p95 {}",
            d.hops,
            if d.hops == 1 { "" } else { "s" },
            d.coverage,
            d.candidates_mean,
            d.candidates_median,
            d.candidates_p95
        ));
    }
    for (hop, r) in &report.by_hop {
        text.push_str(&format!(
            "\n  {hop}-hop questions ({}): coverage {:.4}, candidates median {}",
            r.questions, r.coverage, r.candidates_median
        ));
    }
    text
}
