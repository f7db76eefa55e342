//! The questions a model trains on: labelled ones, ones synthesised from the graph, or both mixed.
//!
//! Synthesised questions (`kgqa train --synthetic N`) come from [`crate::synth`]; without `--dev`,
//! the last share of them is held out for validation (their slots cycle through the hop counts,
//! so the held-out part has the same mix of hops). Mixed with a few labelled questions, those are
//! repeated until they make a set share of every epoch, so that a few dozen examples still count
//! beside thousands of synthesised ones. What was mixed is saved with the model.

use crate::question::Question;
use crate::store::Graph;
use crate::synth::{synthesise, SynthConfig, SynthReport};

use crate::error::Result;

/// Where the validation questions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationSource {
    /// The `--dev` files.
    Dev,
    /// Synthesised questions held out from training.
    Synthetic,
}

/// What a model was trained on, saved with it (the `data` of its `config.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainingData {
    /// Distinct labelled training questions.
    pub labelled: usize,
    /// How many times each labelled question is seen per epoch.
    pub labelled_repeats: usize,
    /// Synthesised training questions.
    pub synthetic: usize,
    /// Where validation questions came from.
    pub validation: ValidationSource,
    /// Validation questions.
    pub valid_questions: usize,
    /// How the questions were synthesised, when they were.
    pub synthesis: Option<SynthConfig>,
    /// The checkpoint training started from (`--init`), when one was given.
    pub init: Option<String>,
}

/// Synthesised questions, split into training and validation ones.
#[derive(Debug, Clone)]
pub struct SyntheticQuestions {
    /// For training.
    pub train: Vec<Question>,
    /// Held out for validation (empty when `hold_out` is 0).
    pub valid: Vec<Question>,
    /// What the synthesis did.
    pub report: SynthReport,
}

/// Synthesises questions from `graph` and holds out the last `hold_out` share of them for
/// validation; `progress` gets the number of questions drawn so far.
pub fn synthetic_questions(
    graph: &Graph,
    config: &SynthConfig,
    hold_out: f64,
    progress: &dyn Fn(u64),
) -> Result<SyntheticQuestions> {
    let synthesis = synthesise(graph, config, progress)?;
    let mut train: Vec<Question> = synthesis
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| q.to_question(i as u64 + 1))
        .collect();
    let valid = train.split_off(train.len() - held_out(train.len(), hold_out));
    Ok(SyntheticQuestions {
        train,
        valid,
        report: synthesis.report,
    })
}

/// How many of `total` questions a `share` holds out: at least one when the share is positive
/// and there are two questions or more, and never all of them.
fn held_out(total: usize, share: f64) -> usize {
    if share <= 0.0 || total < 2 {
        return 0;
    }
    ((total as f64 * share).round() as usize).clamp(1, total - 1)
}

/// How many times each of `labelled` questions is repeated beside `synthetic` ones so that they
/// make at least `share` of an epoch: once when either set is empty.
pub fn labelled_repeats(labelled: usize, synthetic: usize, share: f64) -> usize {
    if labelled == 0 || synthetic == 0 || share <= 0.0 {
        return 1;
    }
    let wanted = share / (1.0 - share) * synthetic as f64;
    ((wanted / labelled as f64).ceil() as usize).max(1)
}

/// The training set: `labelled` repeated `repeats` times, then `synthetic` (training shuffles).
pub fn mix<T: Clone>(labelled: &[T], repeats: usize, synthetic: Vec<T>) -> Vec<T> {
    let mut mixed = Vec::with_capacity(labelled.len() * repeats + synthetic.len());
    for _ in 0..repeats {
        mixed.extend_from_slice(labelled);
    }
    mixed.extend(synthetic);
    mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_labelled_questions_are_repeated_to_their_share() {
        assert_eq!(labelled_repeats(300, 27_000, 0.3), 39);
        let repeats = labelled_repeats(50, 9_000, 0.3);
        let share = (50 * repeats) as f64 / (50 * repeats + 9_000) as f64;
        assert!((0.3..0.31).contains(&share), "share {share}");
        // Many labelled questions are not repeated, and neither is anything unmixed.
        assert_eq!(labelled_repeats(20_000, 1_000, 0.3), 1);
        assert_eq!(labelled_repeats(0, 1_000, 0.3), 1);
        assert_eq!(labelled_repeats(100, 0, 0.3), 1);
        assert_eq!(labelled_repeats(100, 1_000, 0.0), 1);
    }

    #[test]
    fn the_mix_holds_every_question_its_number_of_times() {
        let mixed = mix(&["a", "b"], 3, vec!["s1", "s2"]);
        assert_eq!(mixed.len(), 8);
        assert_eq!(mixed.iter().filter(|q| **q == "a").count(), 3);
        assert_eq!(&mixed[6..], &["s1", "s2"]);
    }

    #[test]
    fn validation_holds_out_a_share_but_never_everything() {
        assert_eq!(held_out(1_000, 0.1), 100);
        assert_eq!(held_out(5, 0.1), 1);
        assert_eq!(held_out(2, 0.49), 1);
        assert_eq!(held_out(1, 0.1), 0);
        assert_eq!(held_out(1_000, 0.0), 0);
    }
}
