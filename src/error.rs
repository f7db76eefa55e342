//! The library's error type.

use std::path::PathBuf;

use crate::store::{FileError, StoreError};

/// Everything that can go wrong inside kgqa. The binary adds context with `anyhow`; the library
/// reports precisely what failed and where (file, line, field).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read, or is malformed or empty.
    #[error(transparent)]
    File(#[from] FileError),
    /// The store failed: a graph file, the RDF store, or a SPARQL query.
    #[error(transparent)]
    Store(#[from] StoreError),
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
    /// An internal failure (the model's tensors or tokenizer, a worker thread): a fault of the
    /// server, never of the caller's input.
    #[error("internal error {what}: {message}")]
    Internal {
        /// What was being done.
        what: &'static str,
        /// What went wrong.
        message: String,
    },
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
        FileError::io(path, source).into()
    }

    /// A malformed line `line` (1-based) of `path`.
    pub fn syntax(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        FileError::syntax(path, line, message).into()
    }

    /// An invalid value for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal failure while `what` (e.g. "encoding questions").
    pub fn internal(what: &'static str, message: impl std::fmt::Display) -> Self {
        Self::Internal {
            what,
            message: message.to_string(),
        }
    }

    /// Whether the caller's input is at fault (an invalid argument, request value or update),
    /// rather than the server.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Self::Invalid { .. } => true,
            Self::Store(store) => store.is_invalid_input(),
            _ => false,
        }
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
