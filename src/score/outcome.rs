//! What scoring a question with known answers gives: every candidate's probability beside its gold
//! label. Training validates on these, evaluation reports them, the answer threshold is calibrated
//! from them.

use super::sample::Sample;

/// One candidate answer of a question: its predicted probability and whether it is a gold answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredCandidate {
    /// Predicted probability of being a correct answer (higher ranks first; NaN ranks last).
    pub score: f64,
    /// Whether the candidate is a gold answer.
    pub positive: bool,
}

impl ScoredCandidate {
    /// A candidate with `score` and gold label `positive`.
    pub fn new(score: f64, positive: bool) -> Self {
        Self { score, positive }
    }
}

/// The scored candidates of one question, with how many gold answers the graph resolves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionOutcome {
    /// The retrieved candidate answers, in any order.
    pub candidates: Vec<ScoredCandidate>,
    /// Number of gold answers resolvable in the graph, whether retrieved or not.
    pub gold_answers: usize,
}

impl QuestionOutcome {
    /// The candidates of `sample` scored with `scores` (one per node), `gold` gold answers
    /// resolvable in the graph.
    pub fn new(sample: &Sample, scores: &[f64], gold: usize) -> Self {
        let candidates = scores
            .iter()
            .enumerate()
            .filter(|&(i, _)| sample.is_candidate(i))
            .map(|(i, &score)| ScoredCandidate::new(score, sample.positives.contains(&(i as u32))))
            .collect();
        Self {
            candidates,
            gold_answers: gold,
        }
    }

    /// Number of positive (gold) candidates.
    pub fn positives(&self) -> usize {
        self.candidates.iter().filter(|c| c.positive).count()
    }

    /// Whether at least one gold answer is among the candidates.
    pub fn has_positive(&self) -> bool {
        self.candidates.iter().any(|c| c.positive)
    }

    /// Whether some gold answers are missing from the candidates (retrieval missed them).
    pub fn misses_gold_answers(&self) -> bool {
        self.positives() < self.gold_answers
    }
}
