//! The middle stage of answering: scoring prepared samples in batches, on whichever thread owns
//! the model (the caller's for the CLI, the model thread for the HTTP service).

use crate::error::Result;
use crate::score::{Sample, Scorer};

/// What scores samples in batches: the trained model, or a stand-in in tests.
pub trait BatchScorer: Send {
    /// Scores `samples` in batches of at most `batch_size`: per sample, every node's probability.
    fn score(&mut self, samples: &[&Sample], batch_size: usize) -> Result<Vec<Vec<f64>>>;
}

impl BatchScorer for Scorer {
    fn score(&mut self, samples: &[&Sample], batch_size: usize) -> Result<Vec<Vec<f64>>> {
        Scorer::score(self, samples, batch_size)
    }
}
