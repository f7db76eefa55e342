//! The store's error type: what can go wrong reading, loading and querying a graph.

use std::path::PathBuf;

use super::remote::RemoteError;

/// A file that cannot be read, or whose content is malformed or empty: for graph files (the
/// store's) and question, configuration and checkpoint files alike (the crate's).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error (in the message, so not repeated as a source).
        cause: std::io::Error,
    },
    /// A line of a file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file holding the bad line.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A file holds nothing to work on.
    #[error("{}: {what}", path.display())]
    Empty {
        /// The empty file.
        path: PathBuf,
        /// What was expected in it.
        what: &'static str,
    },
}

impl FileError {
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
}

/// A failure of the store: a graph file that cannot be read or parsed, the RDF store itself, or a
/// SPARQL query (embedded or remote). The crate's [`Error`](crate::Error) wraps it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A graph file could not be read, or is malformed or empty.
    #[error(transparent)]
    File(#[from] FileError),
    /// The format of a graph file is neither given nor recognisable from its name.
    #[error("{}: unknown format (use --format with one of: {known})", path.display())]
    UnknownFormat {
        /// The file whose format is unknown.
        path: PathBuf,
        /// The formats that are understood.
        known: &'static str,
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
        cause: RemoteError,
    },
    /// A remote SPARQL endpoint failed.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// A query in `queries/` does not parse (a bug in the shipped queries).
    #[error("queries/{query}.rq: {cause}")]
    QuerySyntax {
        /// The name of the query.
        query: &'static str,
        /// The parse error (in the message, so not repeated as a source).
        cause: oxigraph::sparql::SparqlSyntaxError,
    },
    /// A value given to the store (an update, a setting, a node list) is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The argument or field that is invalid.
        field: String,
        /// Why it is invalid.
        message: String,
    },
}

impl StoreError {
    /// An invalid value for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Whether the caller's input is at fault (a malformed update or value), not the store.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::Invalid { .. })
    }
}

/// Result with the store's [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
