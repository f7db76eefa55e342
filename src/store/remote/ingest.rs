//! `kgqa ingest` into a remote endpoint.
//!
//! 1. The whole input (every file of one ingest) is read first, with the same readers as the
//!    embedded store, into one temporary N-Triples file written by oxigraph's serializer: a
//!    malformed line in any file fails with its file and line before anything is sent, and memory
//!    stays bounded whatever the input's size.
//! 2. The triples go out in batches of `batch_size`: as N-Triples `POST`ed to the SPARQL 1.1 Graph
//!    Store Protocol endpoint when `graph_store_endpoint` is configured (the engine's bulk path
//!    over HTTP), otherwise as SPARQL 1.1 `INSERT DATA` updates. Either way the text holds only
//!    terms printed by oxigraph's N-Triples formatter, never input text.
//! 3. With `atomic = true` (the default) the batches go into a fresh staging graph
//!    `urn:kgqa:staging:<random>`, which kgqa never reads, and one last update request publishes
//!    it: `ADD SILENT <staging> TO <graph> ; DROP SILENT GRAPH <staging>`. If a batch fails, the
//!    staging graph is dropped and `graph` is untouched. The publish is a single request, so
//!    `graph` goes from before to after in one step wherever the endpoint applies an update request
//!    as one transaction (SPARQL 1.1 Update asks implementations to; kgqa cannot check it). It is
//!    also idempotent: when its reply is lost and the request is retried, the first attempt already
//!    moved the triples and dropped the staging graph, and the retry (`SILENT`) adds nothing and
//!    succeeds, instead of failing on a graph that no longer exists. If the publish times out, its
//!    outcome is unknown and the error says so. A process killed mid-way
//!    leaves its staging graph behind: it is never read, and `DROP GRAPH` removes it.
//!    With `atomic = false` every batch is visible as soon as it is written and a failure leaves
//!    the batches already written in place.
//!
//! Blank nodes keep their identity within one request only (SPARQL scopes blank node labels to a
//! request); kgqa's queries never follow blank nodes, so its results do not depend on it.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, SeekFrom};
use std::path::Path;
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{NamedNode, Quad};

use super::client::SparqlClient;
use super::config::{DEFAULT_GRAPH_STORE_BATCH, DEFAULT_UPDATE_BATCH};
use super::error::RemoteError;
use crate::store::{read_files, IngestOptions, IngestReport, Progress, RemoteIngest};
use crate::store::{FileError, Result, StoreError};

/// How batches are written.
#[derive(Clone, Copy)]
enum Method<'a> {
    /// `POST` of N-Triples to this Graph Store Protocol endpoint.
    GraphStore(&'a str),
    /// `INSERT DATA` on the update endpoint.
    Update,
}

impl Method<'_> {
    fn name(self) -> &'static str {
        match self {
            Method::GraphStore(_) => "graph-store",
            Method::Update => "update",
        }
    }

    fn default_batch(self) -> usize {
        match self {
            Method::GraphStore(_) => DEFAULT_GRAPH_STORE_BATCH,
            Method::Update => DEFAULT_UPDATE_BATCH,
        }
    }
}

/// Loads the files of `paths` into the configured graph of `client`'s endpoint, as one load
/// (see the module documentation for what is guaranteed when something fails).
pub(crate) fn ingest<P: AsRef<Path>>(
    client: &SparqlClient,
    paths: &[P],
    options: &IngestOptions,
    progress: Progress<'_>,
) -> Result<Vec<IngestReport>> {
    let config = client.config();
    if config.graph.is_empty() {
        return Err(StoreError::invalid(
            "[remote] graph",
            "ingest into a remote endpoint needs a named graph to write to",
        ));
    }
    let graph = NamedNode::new_unchecked(config.graph.clone());
    let started = Instant::now();
    let (spool, mut reports) = spool(paths, options, progress)?;
    let triples: u64 = reports.iter().map(|r| r.triples).sum();
    let parse_seconds = started.elapsed().as_secs_f64();

    let method = match client.graph_store_endpoint() {
        Some(store) => Method::GraphStore(store),
        None => Method::Update,
    };
    let batch_size = config.batch_size.unwrap_or(method.default_batch());
    let target = if config.atomic {
        NamedNode::new_unchecked(format!("urn:kgqa:staging:{:016x}", rand::random::<u64>()))
    } else {
        graph.clone()
    };
    tracing::info!(
        endpoint = %client.endpoint(),
        triples,
        method = method.name(),
        batch_size,
        staging = config.atomic.then_some(target.as_str()),
        "sending"
    );
    let sending = Instant::now();
    let mut requests = match send_batches(client, method, &target, spool, batch_size) {
        Ok(requests) => requests,
        Err(error) => {
            if config.atomic {
                discard(client, &target);
            }
            return Err(error);
        }
    };
    let send_seconds = sending.elapsed().as_secs_f64();
    let publishing = Instant::now();
    if config.atomic {
        publish(client, &target, &graph)?;
        requests += 1;
    }
    let remote = RemoteIngest {
        method: method.name(),
        batch_size,
        requests,
        atomic: config.atomic,
        parse_seconds,
        send_seconds,
        publish_seconds: if config.atomic {
            publishing.elapsed().as_secs_f64()
        } else {
            0.0
        },
    };
    for report in &mut reports {
        report.remote = Some(remote.clone());
    }
    Ok(reports)
}

/// Reads every quad of every file into one temporary N-Triples file, rewound for reading, and
/// reports on each file.
fn spool<P: AsRef<Path>>(
    paths: &[P],
    options: &IngestOptions,
    progress: Progress<'_>,
) -> Result<(File, Vec<IngestReport>)> {
    let dir = std::env::temp_dir();
    let io = |e| FileError::io(&dir, e);
    let mut file = tempfile::tempfile().map_err(io)?;
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(
        BufWriter::with_capacity(1 << 20, file.try_clone().map_err(io)?),
    );
    let mut reports = Vec::with_capacity(paths.len());
    read_files(paths, options, progress, |quads| {
        let started = Instant::now();
        for quad in &mut *quads {
            writer.serialize_triple(quad?.as_ref()).map_err(io)?;
        }
        quads.check_not_empty()?;
        reports.push(quads.report(started, None));
        Ok(())
    })?;
    writer
        .finish()
        .map_err(io)?
        .into_inner()
        .map_err(|e| io(e.into_error()))?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok((file, reports))
}

/// One request's worth of triples, as N-Triples lines.
#[derive(Default)]
struct Batch {
    lines: String,
    triples: usize,
    blank_nodes: bool,
}

impl Batch {
    fn push(&mut self, quad: &Quad) {
        // Terms print as N-Triples (oxigraph's formatter), so no input text reaches the request.
        let _ = writeln!(
            self.lines,
            "{} {} {} .",
            quad.subject, quad.predicate, quad.object
        );
        self.triples += 1;
        self.blank_nodes |= quad.subject.is_blank_node() || quad.object.is_blank_node();
    }

    fn send(&mut self, client: &SparqlClient, method: Method<'_>, graph: &NamedNode) -> Result<()> {
        match method {
            Method::GraphStore(store) => {
                client.post_ntriples(store, graph, self.lines.as_bytes())?;
            }
            // Virtuoso refuses blank nodes in INSERT DATA; INSERT … WHERE {} means the same.
            Method::Update if self.blank_nodes => client.update_text(&format!(
                "INSERT {{ GRAPH {graph} {{\n{}}} }} WHERE {{ }}",
                self.lines
            ))?,
            Method::Update => client.update_text(&format!(
                "INSERT DATA {{ GRAPH {graph} {{\n{}}} }}",
                self.lines
            ))?,
        }
        *self = Self::default();
        Ok(())
    }
}

fn send_batches(
    client: &SparqlClient,
    method: Method<'_>,
    graph: &NamedNode,
    spool: File,
    batch_size: usize,
) -> Result<u64> {
    let parser = RdfParser::from_format(RdfFormat::NTriples)
        .for_reader(BufReader::with_capacity(1 << 20, spool));
    let mut batch = Batch::default();
    let mut requests = 0;
    let spool_error = |e: oxigraph::io::RdfParseError| {
        StoreError::invalid(
            "ingest",
            format!("the temporary N-Triples file is unreadable: {e}"),
        )
    };
    for quad in parser {
        batch.push(&quad.map_err(spool_error)?);
        if batch.triples == batch_size {
            batch.send(client, method, graph)?;
            requests += 1;
            tracing::debug!(requests, "batch written");
        }
    }
    if batch.triples > 0 {
        batch.send(client, method, graph)?;
        requests += 1;
    }
    Ok(requests)
}

/// Adds the staging graph to the graph kgqa reads and drops it, in one update request.
fn publish(client: &SparqlClient, staging: &NamedNode, graph: &NamedNode) -> Result<()> {
    match client.update_text(&publish_update(staging, graph)) {
        Ok(()) => Ok(()),
        Err(error @ RemoteError::Timeout { .. }) => {
            tracing::error!(
                staging = staging.as_str(),
                "the publish request timed out: the endpoint may still apply it"
            );
            Err(StoreError::invalid(
                "ingest",
                format!(
                    "publishing {staging} into {graph} did not finish in time, so whether {graph} \
                     changed is unknown ({error}); check it, then drop {staging}"
                ),
            ))
        }
        Err(error) => {
            discard(client, staging);
            Err(error.into())
        }
    }
}

/// The publish request: idempotent, so that a retry after a lost reply succeeds.
fn publish_update(staging: &NamedNode, graph: &NamedNode) -> String {
    format!("ADD SILENT {staging} TO {graph} ;\nDROP SILENT GRAPH {staging}")
}

/// Drops a staging graph after a failure, best effort (the failure is what gets reported).
fn discard(client: &SparqlClient, staging: &NamedNode) {
    match client.update_text(&format!("DROP SILENT GRAPH {staging}")) {
        Ok(()) => tracing::debug!(staging = staging.as_str(), "staging graph dropped"),
        Err(error) => tracing::warn!(
            staging = staging.as_str(),
            %error,
            "could not drop the staging graph; it is never read, drop it by hand"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal};

    #[test]
    fn batches_are_valid_sparql_updates() {
        let mut batch = Batch::default();
        let node = NamedNode::new("http://ex.org/a").unwrap();
        let tricky = Literal::new_simple_literal("x\" } ; DROP ALL ; INSERT DATA { \"\n");
        batch.push(&Quad::new(
            node.clone(),
            node.clone(),
            tricky,
            oxigraph::model::GraphName::DefaultGraph,
        ));
        let graph = NamedNode::new("urn:g").unwrap();
        let text = format!("INSERT DATA {{ GRAPH {graph} {{\n{}}} }}", batch.lines);
        let parsed = spargebra::SparqlParser::new().parse_update(&text).unwrap();
        assert_eq!(parsed.operations.len(), 1, "{text}");
        batch.push(&Quad::new(
            BlankNode::default(),
            node.clone(),
            node,
            oxigraph::model::GraphName::DefaultGraph,
        ));
        assert!(batch.blank_nodes);
        let staging = NamedNode::new("urn:kgqa:staging:1").unwrap();
        spargebra::SparqlParser::new()
            .parse_update(&publish_update(&staging, &graph))
            .unwrap();
    }
}
