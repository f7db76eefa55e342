//! kgqa: question answering over knowledge graphs.
//!
//! The data flows question → [`link`] → [`retrieve`] → [`score`] → [`answer`], over a graph held
//! in the [`store`] and read only through the SPARQL queries in `queries/`. [`config`] resolves
//! the settings once; [`pipeline`] links and retrieves; [`answer`] is the one answering service
//! that the CLI and [`serve`] (HTTP) both use; [`train`] and [`eval`] sit above it. [`synth`]
//! writes questions made from the graph alone, for training without labelled ones.

pub mod answer;
pub mod config;
pub mod error;
pub mod eval;
pub mod link;
pub mod pipeline;
pub mod question;
pub mod retrieve;
pub mod score;
pub mod serve;
pub mod store;
pub mod synth;
pub mod text;
pub mod train;

#[cfg(test)]
mod testing;

pub use error::{Error, Result};
