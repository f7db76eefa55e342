//! Helpers for unit tests.

use crate::store::{ingest, Graph, IngestOptions};

/// An in-memory graph holding `turtle` (prefixes `ex:`, `rdfs:` and `skos:` are declared).
pub(crate) fn graph(turtle: &str) -> Graph {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("graph.ttl");
    let text = format!(
        "@prefix ex: <http://ex.org/> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n{turtle}"
    );
    std::fs::write(&path, text).expect("write graph");
    let graph = Graph::in_memory().expect("in-memory store");
    ingest(&graph, &path, &IngestOptions::default(), &|_| {}).expect("ingest");
    graph
}
