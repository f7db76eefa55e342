//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong inside kgqa. The binary adds context with `anyhow`; the library
/// reports precisely what failed and where (file, line, field).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error (in the message, so not repeated as a source).
        cause: std::io::Error,
    },
    /// A line of an input file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file holding the bad line.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// The format of an input file is neither given nor recognisable from its name.
    #[error("{}: unknown format (use --format with one of: {known})", path.display())]
    UnknownFormat {
        /// The file whose format is unknown.
        path: PathBuf,
        /// The formats that are understood.
        known: &'static str,
    },
    /// A file holds nothing to work on.
    #[error("{}: {what}", path.display())]
    Empty {
        /// The empty file.
        path: PathBuf,
        /// What was expected in it.
        what: &'static str,
    },
    /// The RDF store failed.
    #[error("store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A SPARQL query failed to evaluate.
    #[error("SPARQL query `{query}` failed: {cause}")]
    Query {
        /// The name of the query (its file in `queries/`).
        query: &'static str,
        /// The evaluation error (in the message, so not repeated as a source).
        cause: oxigraph::sparql::QueryEvaluationError,
    },
    /// A SPARQL query failed on a remote endpoint.
    #[error("SPARQL query `{query}` failed: {cause}")]
    RemoteQuery {
        /// The name of the query (its file in `queries/`).
        query: &'static str,
        /// What went wrong (in the message, so not repeated as a source).
        cause: crate::store::RemoteError,
    },
    /// A remote SPARQL endpoint failed.
    #[error(transparent)]
    Remote(#[from] crate::store::RemoteError),
    /// A query in `queries/` does not parse (a bug in the shipped queries).
    #[error("queries/{query}.rq: {cause}")]
    QuerySyntax {
        /// The name of the query.
        query: &'static str,
        /// The parse error (in the message, so not repeated as a source).
        cause: oxigraph::sparql::SparqlSyntaxError,
    },
    /// The configuration is invalid.
    #[error("config {}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The server cannot listen on its address, or its listener failed.
    #[error("cannot listen on {addr}: {cause}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The I/O error (in the message, so not repeated as a source).
        cause: std::io::Error,
    },
    /// Loading what a server serves (store, model) failed; the cause says what.
    #[error(transparent)]
    Load(Box<dyn std::error::Error + Send + Sync>),
    /// Questions cannot be synthesised from the graph as asked.
    #[error(transparent)]
    Synth(#[from] crate::synth::SynthError),
    /// An argument or request value is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The argument or field that is invalid.
        field: String,
        /// Why it is invalid.
        message: String,
    },
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            cause: source,
        }
    }

    /// A malformed line `line` (1-based) of `path`.
    pub fn syntax(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        Self::Syntax {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// An invalid value for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
