//! The remote backend: a graph kept by a SPARQL 1.1 endpoint (Virtuoso, QLever, GraphDB, Fuseki,
//! Neptune…) and read over HTTP with the same `queries/*.rq` as the embedded store.
//!
//! Queries are the parsed, already bound algebra printed back as SPARQL text (the bound nodes are
//! written as IRIs by the serializer) and POSTed as an HTML form, per the SPARQL 1.1 Protocol, with
//! the configured graph as `default-graph-uri`; results are read as SPARQL JSON or XML.
//! Ingest (parse first, then batches into a staging graph published in one update) is described
//! in `src/store/remote/ingest.rs`.

mod client;
mod config;
mod error;
mod ingest;

pub use client::SparqlClient;
pub use config::{
    is_endpoint, redact, RemoteConfig, ResultsFormat, Secret, DEFAULT_GRAPH,
    DEFAULT_GRAPH_STORE_BATCH, DEFAULT_UPDATE_BATCH,
};
pub use error::RemoteError;
pub(crate) use ingest::ingest;
