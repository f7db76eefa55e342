//! Flags (and `KGQA_REMOTE_*` environment variables) of the remote SPARQL backend, which override
//! `[remote]` in the configuration file.

use clap::Args;

/// Settings of a remote SPARQL endpoint (used when --store is an http(s):// URL).
#[derive(Debug, Args)]
#[command(next_help_heading = "Remote SPARQL endpoint (when --store is an http(s):// URL)")]
pub struct RemoteArgs {
    /// Named graph to read and ingest into ("" for the endpoint's default dataset, read-only)
    /// [default: urn:kgqa:graph]
    #[arg(long, global = true, env = "KGQA_REMOTE_GRAPH", value_name = "IRI")]
    pub remote_graph: Option<String>,
    /// SPARQL Update endpoint [default: the query endpoint]
    #[arg(long, global = true, env = "KGQA_REMOTE_UPDATE", value_name = "URL")]
    pub remote_update: Option<String>,
    /// SPARQL Graph Store Protocol endpoint: ingest POSTs N-Triples there instead of INSERT DATA
    #[arg(
        long,
        global = true,
        env = "KGQA_REMOTE_GRAPH_STORE",
        value_name = "URL"
    )]
    pub remote_graph_store: Option<String>,
    /// Seconds a query may take [default: 60]
    #[arg(
        long,
        global = true,
        env = "KGQA_REMOTE_TIMEOUT",
        value_name = "SECONDS"
    )]
    pub remote_timeout: Option<f64>,
    /// Retries after connection errors and HTTP 5xx answers [default: 3]
    #[arg(long, global = true, env = "KGQA_REMOTE_RETRIES", value_name = "N")]
    pub remote_retries: Option<u32>,
    /// Triples per write request [default: 1000 for INSERT DATA, 50000 for the Graph Store Protocol]
    #[arg(
        long,
        global = true,
        env = "KGQA_REMOTE_BATCH_SIZE",
        value_name = "TRIPLES"
    )]
    pub remote_batch_size: Option<usize>,
    /// Largest answer read from the endpoint, in bytes [default: 268435456]
    #[arg(
        long,
        global = true,
        env = "KGQA_REMOTE_MAX_RESPONSE_BYTES",
        value_name = "BYTES"
    )]
    pub remote_max_response_bytes: Option<u64>,
    /// User for HTTP Basic authentication (the password comes from KGQA_REMOTE_PASSWORD)
    #[arg(long, global = true, env = "KGQA_REMOTE_USER", value_name = "USER")]
    pub remote_user: Option<String>,
}
