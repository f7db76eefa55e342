//! The answer threshold: below it, the service says "I don't know" rather than guess.

use crate::score::QuestionOutcome;

/// The answer threshold that maximizes (questions answered right) − (questions answered wrong)
/// on validation outcomes: below it, saying "I don't know" beats guessing.
pub fn calibrate_threshold(outcomes: &[QuestionOutcome]) -> f64 {
    let mut tops: Vec<(f64, bool)> = outcomes
        .iter()
        .filter_map(|o| {
            o.candidates
                .iter()
                .max_by(|a, b| a.score.total_cmp(&b.score))
                .map(|c| (c.score, c.positive))
        })
        .collect();
    tops.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut best, mut best_threshold, mut net) = (0i64, 0.5, 0i64);
    for (score, right) in tops {
        net += if right { 1 } else { -1 };
        if net > best {
            best = net;
            best_threshold = score;
        }
    }
    best_threshold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::ScoredCandidate;

    fn outcome(score: f64, positive: bool) -> QuestionOutcome {
        QuestionOutcome {
            candidates: vec![ScoredCandidate::new(score, positive)],
            gold_answers: 1,
        }
    }

    #[test]
    fn threshold_separates_right_from_wrong_tops() {
        let outcomes = [
            outcome(0.9, true),
            outcome(0.8, true),
            outcome(0.3, false),
            outcome(0.2, false),
        ];
        assert_eq!(calibrate_threshold(&outcomes), 0.8);
        assert_eq!(calibrate_threshold(&[]), 0.5);
    }
}
