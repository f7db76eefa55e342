//! Answer-ranking metrics for `kgqa eval`: Hits@k, mean reciprocal rank and ROC AUC.
//!
//! Each question yields a list of [`ScoredCandidate`]s (predicted probability and gold label).
//! Conventions shared by every metric here:
//!
//! - **Ties** are broken neither optimistically nor pessimistically: rank-based metrics (Hits@k,
//!   reciprocal rank) report their *expected* value when the candidates of a tied score are put
//!   in a uniformly random order, and ROC AUC counts a tied positive/negative pair as 1/2.
//! - **NaN scores** rank lowest, tied with `-inf` and with each other.
//! - **Misses**: a question without a positive candidate (its gold answers were not retrieved,
//!   or it has none) scores 0 on Hits@k and reciprocal rank; it has no ROC AUC of its own.
//! - Nothing here panics or returns NaN; empty input gives zeros or `None`.

pub use crate::score::{QuestionOutcome, ScoredCandidate};

/// Ranking figures over a set of questions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RankingMetrics {
    /// Questions evaluated.
    pub questions: usize,
    /// Mean expected Hits@1 over all questions (questions without a positive candidate count 0).
    pub hits_at_1: f64,
    /// Mean expected Hits@5 over all questions (questions without a positive candidate count 0).
    pub hits_at_5: f64,
    /// Mean expected reciprocal rank over all questions (questions without a positive count 0).
    pub mrr: f64,
    /// Mean per-question ROC AUC over the questions with both a positive and a negative
    /// candidate; `None` when there is no such question.
    pub auc_macro: Option<f64>,
    /// Number of questions averaged in `auc_macro`.
    pub auc_questions: usize,
    /// ROC AUC pooled over all (question, candidate) pairs; `None` without both labels.
    pub auc_micro: Option<f64>,
    /// Mean number of candidates per question.
    pub candidates_mean: f64,
    /// Fraction of questions with at least one positive candidate.
    pub coverage: f64,
}

/// Expected Hits@k of one question: the probability that a positive candidate is among the `k`
/// best-scored, with ties broken uniformly at random.
///
/// If the top score is shared by 3 candidates of which 1 is positive, Hits@1 is 1/3.
/// A question without a positive candidate, or `k == 0`, scores 0.
pub fn hits_at_k(outcome: &QuestionOutcome, k: usize) -> f64 {
    let mut above = 0;
    for group in tie_groups(&outcome.candidates) {
        if above >= k {
            break;
        }
        if group.positives > 0 {
            let slots = (k - above).min(group.size);
            return probability_any_positive(group, slots);
        }
        above += group.size;
    }
    0.0
}

/// Expected reciprocal rank of the best-ranked positive candidate of one question, with ties
/// broken uniformly at random; 0 when no candidate is positive (a miss).
///
/// When the first tied group holding a positive occupies ranks `a+1 ..= a+g` and holds `p`
/// positives, the first positive lies at rank `a + J`, where `P(J = j)` is the chance that the
/// `j-1` first places of a random order of the group are negatives and place `j` is positive;
/// the result is the exact sum of `P(J = j) / (a + j)`.
pub fn reciprocal_rank(outcome: &QuestionOutcome) -> f64 {
    let mut above = 0;
    for group in tie_groups(&outcome.candidates) {
        if group.positives > 0 {
            return expected_reciprocal_rank(group, above);
        }
        above += group.size;
    }
    0.0
}

/// ROC AUC of scored candidates: the Mann-Whitney probability that a random positive scores
/// above a random negative, counting ties as 1/2. `None` without a positive or a negative.
///
/// Computed in O(n log n) from the rank sum of the positives, with average ranks for ties.
pub fn roc_auc(pairs: &[ScoredCandidate]) -> Option<f64> {
    let positives = pairs.iter().filter(|c| c.positive).count();
    let negatives = pairs.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let n = pairs.len() as f64;
    let mut placed = 0usize;
    let mut positive_rank_sum = 0.0;
    for group in tie_groups(pairs) {
        // Groups come best first; ascending ranks of this group are n-placed-size+1 ..= n-placed.
        let average_rank = n - placed as f64 - (group.size as f64 - 1.0) / 2.0;
        positive_rank_sum += group.positives as f64 * average_rank;
        placed += group.size;
    }
    let (p, q) = (positives as f64, negatives as f64);
    let u = positive_rank_sum - p * (p + 1.0) / 2.0;
    Some((u / (p * q)).clamp(0.0, 1.0))
}

/// ROC curve points (false positive rate, true positive rate) from (0, 0) to (1, 1), one per
/// distinct score threshold, best scores first; a tied group moves diagonally.
///
/// Empty when there is no positive or no negative (the curve is undefined).
pub fn roc_curve(pairs: &[ScoredCandidate]) -> Vec<(f64, f64)> {
    let positives = pairs.iter().filter(|c| c.positive).count();
    let negatives = pairs.len() - positives;
    if positives == 0 || negatives == 0 {
        return Vec::new();
    }
    let mut points = vec![(0.0, 0.0)];
    let (mut true_positives, mut false_positives) = (0, 0);
    for group in tie_groups(pairs) {
        true_positives += group.positives;
        false_positives += group.size - group.positives;
        points.push((
            false_positives as f64 / negatives as f64,
            true_positives as f64 / positives as f64,
        ));
    }
    points
}

/// Ranking figures over `outcomes`; see [`RankingMetrics`] for what each one averages over.
pub fn summarize(outcomes: &[QuestionOutcome]) -> RankingMetrics {
    let mut accumulator = RankingAccumulator::default();
    for outcome in outcomes {
        accumulator.add(outcome);
    }
    accumulator.finish()
}

/// Collects questions one at a time into [`RankingMetrics`], e.g. one per group for per-hop
/// breakdowns. Keeps every candidate for the pooled (micro) AUC.
#[derive(Debug, Clone, Default)]
pub struct RankingAccumulator {
    questions: usize,
    hits_at_1: f64,
    hits_at_5: f64,
    reciprocal_ranks: f64,
    auc_sum: f64,
    auc_questions: usize,
    candidates: usize,
    covered: usize,
    pooled: Vec<ScoredCandidate>,
}

impl RankingAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one question.
    pub fn add(&mut self, outcome: &QuestionOutcome) {
        self.questions += 1;
        self.hits_at_1 += hits_at_k(outcome, 1);
        self.hits_at_5 += hits_at_k(outcome, 5);
        self.reciprocal_ranks += reciprocal_rank(outcome);
        if let Some(auc) = roc_auc(&outcome.candidates) {
            self.auc_sum += auc;
            self.auc_questions += 1;
        }
        self.candidates += outcome.candidates.len();
        self.covered += usize::from(outcome.has_positive());
        self.pooled.extend_from_slice(&outcome.candidates);
    }

    /// The figures over the questions added so far.
    pub fn finish(&self) -> RankingMetrics {
        RankingMetrics {
            questions: self.questions,
            hits_at_1: mean_of(self.hits_at_1, self.questions),
            hits_at_5: mean_of(self.hits_at_5, self.questions),
            mrr: mean_of(self.reciprocal_ranks, self.questions),
            auc_macro: (self.auc_questions > 0).then(|| self.auc_sum / self.auc_questions as f64),
            auc_questions: self.auc_questions,
            auc_micro: roc_auc(&self.pooled),
            candidates_mean: mean_of(self.candidates as f64, self.questions),
            coverage: mean_of(self.covered as f64, self.questions),
        }
    }
}

/// `sum / count`, or 0 when `count` is 0.
fn mean_of(sum: f64, count: usize) -> f64 {
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// A run of candidates sharing one score, in a best-first ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TieGroup {
    /// The shared ranking score.
    score: f64,
    /// Candidates in the group.
    size: usize,
    /// Positive candidates in the group.
    positives: usize,
}

/// The score used for ranking: NaN becomes `-inf`, so it ranks last.
fn ranking_score(score: f64) -> f64 {
    if score.is_nan() {
        f64::NEG_INFINITY
    } else {
        score
    }
}

/// Groups candidates by equal ranking score, best score first.
fn tie_groups(candidates: &[ScoredCandidate]) -> Vec<TieGroup> {
    let mut ranked: Vec<(f64, bool)> = candidates
        .iter()
        .map(|c| (ranking_score(c.score), c.positive))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut groups: Vec<TieGroup> = Vec::new();
    for (score, positive) in ranked {
        let positive = usize::from(positive);
        match groups.last_mut() {
            // `==` rather than `total_cmp`, so that -0.0 and 0.0 tie.
            Some(group) if group.score == score => {
                group.size += 1;
                group.positives += positive;
            }
            _ => groups.push(TieGroup {
                score,
                size: 1,
                positives: positive,
            }),
        }
    }
    groups
}

/// Probability that `slots` candidates drawn at random from `group` include a positive:
/// 1 - C(g - p, s) / C(g, s).
fn probability_any_positive(group: TieGroup, slots: usize) -> f64 {
    let negatives = group.size - group.positives;
    let mut all_negative = 1.0;
    for i in 0..slots {
        if i >= negatives {
            return 1.0;
        }
        all_negative *= (negatives - i) as f64 / (group.size - i) as f64;
    }
    1.0 - all_negative
}

/// Expected 1/rank of the first positive of `group` in a random order, the group following
/// `above` better-ranked candidates.
fn expected_reciprocal_rank(group: TieGroup, above: usize) -> f64 {
    let (size, positives) = (group.size, group.positives);
    if positives == 0 {
        return 0.0;
    }
    // `first_j_negative` = P(the first j-1 places of the group are all negative).
    let mut first_j_negative = 1.0;
    let mut expected = 0.0;
    for j in 1..=size - positives + 1 {
        let remaining = (size - j + 1) as f64;
        let first_positive_here = first_j_negative * positives as f64 / remaining;
        expected += first_positive_here / (above + j) as f64;
        first_j_negative *= (remaining - positives as f64) / remaining;
    }
    expected
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < EPS,
            "expected {expected}, got {actual}"
        );
    }

    fn candidates(scores: &[f64], labels: &[u8]) -> Vec<ScoredCandidate> {
        scores
            .iter()
            .zip(labels)
            .map(|(&score, &label)| ScoredCandidate::new(score, label == 1))
            .collect()
    }

    fn outcome(scores: &[f64], labels: &[u8]) -> QuestionOutcome {
        let candidates = candidates(scores, labels);
        let gold_answers = candidates.iter().filter(|c| c.positive).count();
        QuestionOutcome {
            candidates,
            gold_answers,
        }
    }

    /// AUC by counting every (positive, negative) pair, ties 1/2: the O(n²) definition.
    fn pairwise_auc(pairs: &[ScoredCandidate]) -> Option<f64> {
        let (mut wins, mut total) = (0.0, 0.0);
        for p in pairs.iter().filter(|c| c.positive) {
            for n in pairs.iter().filter(|c| !c.positive) {
                let (ps, ns) = (ranking_score(p.score), ranking_score(n.score));
                total += 1.0;
                wins += if ps > ns {
                    1.0
                } else if ps == ns {
                    0.5
                } else {
                    0.0
                };
            }
        }
        (total > 0.0).then(|| wins / total)
    }

    /// Expected Hits@k and reciprocal rank by averaging over every order of the candidates,
    /// each ranked by a stable sort on score (so ties keep that random order).
    fn brute_force_ranking(outcome: &QuestionOutcome, k: usize) -> (f64, f64) {
        let mut orders = Vec::new();
        permutations(outcome.candidates.clone(), 0, &mut orders);
        let (mut hits, mut rr) = (0.0, 0.0);
        for mut order in orders.iter().cloned() {
            order.sort_by(|a, b| ranking_score(b.score).total_cmp(&ranking_score(a.score)));
            if let Some(first) = order.iter().position(|c| c.positive) {
                rr += 1.0 / (first + 1) as f64;
                hits += if first < k { 1.0 } else { 0.0 };
            }
        }
        let count = orders.len() as f64;
        (hits / count, rr / count)
    }

    fn permutations(
        mut items: Vec<ScoredCandidate>,
        start: usize,
        out: &mut Vec<Vec<ScoredCandidate>>,
    ) {
        if start + 1 >= items.len() {
            out.push(items);
            return;
        }
        for i in start..items.len() {
            items.swap(start, i);
            permutations(items.clone(), start + 1, out);
            items.swap(start, i);
        }
    }

    /// Area under a curve by the trapezoid rule.
    fn trapezoid_area(points: &[(f64, f64)]) -> f64 {
        points
            .windows(2)
            .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
            .sum()
    }

    /// Deterministic pseudo-random scores on a coarse grid (so there are ties) and labels.
    fn pseudo_random(seed: u64, n: usize) -> Vec<ScoredCandidate> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let score = ((state >> 33) % 7) as f64 / 7.0;
                let positive = (state >> 20) % 3 == 0;
                ScoredCandidate::new(score, positive)
            })
            .collect()
    }

    #[test]
    fn perfect_ranking() {
        let q = outcome(&[0.9, 0.8, 0.3, 0.1], &[1, 1, 0, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(1.0));
        assert_eq!(hits_at_k(&q, 1), 1.0);
        assert_eq!(hits_at_k(&q, 5), 1.0);
        assert_eq!(reciprocal_rank(&q), 1.0);
    }

    #[test]
    fn reversed_ranking() {
        let q = outcome(&[0.1, 0.3, 0.8, 0.9], &[1, 1, 0, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(0.0));
        assert_eq!(hits_at_k(&q, 1), 0.0);
        assert_eq!(hits_at_k(&q, 2), 0.0);
        assert_eq!(hits_at_k(&q, 3), 1.0);
        // Best positive at rank 3.
        assert_close(reciprocal_rank(&q), 1.0 / 3.0);
    }

    #[test]
    fn all_tied_one_positive_of_three() {
        let q = outcome(&[0.5, 0.5, 0.5], &[0, 1, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(0.5));
        // Hits@1 = positives / n = 1/3.
        assert_close(hits_at_k(&q, 1), 1.0 / 3.0);
        // Hits@2 = 1 - P(both drawn are negative) = 1 - (2/3)(1/2) = 2/3.
        assert_close(hits_at_k(&q, 2), 2.0 / 3.0);
        assert_eq!(hits_at_k(&q, 3), 1.0);
        // The positive is equally likely at rank 1, 2 or 3:
        // E[1/rank] = (1 + 1/2 + 1/3) / 3 = (11/6) / 3 = 11/18.
        assert_close(reciprocal_rank(&q), (1.0 + 1.0 / 2.0 + 1.0 / 3.0) / 3.0);
        assert_close(reciprocal_rank(&q), 11.0 / 18.0);
    }

    #[test]
    fn all_tied_two_positives_of_four() {
        let q = outcome(&[0.2; 4], &[1, 0, 1, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(0.5));
        assert_close(hits_at_k(&q, 1), 2.0 / 4.0);
        // Hits@2 = 1 - C(2,2)/C(4,2) = 1 - 1/6.
        assert_close(hits_at_k(&q, 2), 5.0 / 6.0);
        // First positive at place J: P(J=1) = 2/4, P(J=2) = (2/4)(2/3) = 1/3,
        // P(J=3) = (2/4)(1/3)(2/2) = 1/6; E[1/J] = 1/2 + 1/6 + 1/18 = 13/18.
        assert_close(reciprocal_rank(&q), 13.0 / 18.0);
        assert_eq!(roc_curve(&q.candidates), vec![(0.0, 0.0), (1.0, 1.0)]);
    }

    #[test]
    fn tied_group_below_a_negative() {
        // Ranks: negative 0.9 at 1, then {positive, negative} tied at ranks 2..3.
        let q = outcome(&[0.5, 0.9, 0.5], &[1, 0, 0]);
        assert_eq!(hits_at_k(&q, 1), 0.0);
        assert_close(hits_at_k(&q, 2), 0.5);
        assert_eq!(hits_at_k(&q, 3), 1.0);
        // E[1/rank] = (1/2)(1/2) + (1/2)(1/3) = 5/12.
        assert_close(reciprocal_rank(&q), 5.0 / 12.0);
        // Pairs: (0.5+, 0.9-) = 0, (0.5+, 0.5-) = 1/2.
        assert_eq!(roc_auc(&q.candidates), Some(0.25));
    }

    #[test]
    fn textbook_auc_example() {
        let pairs = candidates(
            &[0.9, 0.8, 0.7, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.505],
            &[1, 1, 0, 1, 1, 1, 0, 0, 1, 0],
        );
        // 6 positives, 4 negatives (0.7, 0.53, 0.52, 0.505); negatives below each positive:
        // 0.9 → 4, 0.8 → 4, 0.6 → 3, 0.55 → 3, 0.54 → 3, 0.51 → 1; 18 of 24 pairs = 0.75.
        assert_eq!(roc_auc(&pairs), Some(0.75));
        let curve = roc_curve(&pairs);
        let expected = [
            (0.0, 0.0),
            (0.0, 1.0 / 6.0),
            (0.0, 2.0 / 6.0),
            (0.25, 2.0 / 6.0),
            (0.25, 3.0 / 6.0),
            (0.25, 4.0 / 6.0),
            (0.25, 5.0 / 6.0),
            (0.5, 5.0 / 6.0),
            (0.75, 5.0 / 6.0),
            (0.75, 1.0),
            (1.0, 1.0),
        ];
        assert_eq!(curve.len(), expected.len());
        for (point, want) in curve.iter().zip(expected) {
            assert_close(point.0, want.0);
            assert_close(point.1, want.1);
        }
        assert_close(trapezoid_area(&curve), 0.75);
    }

    #[test]
    fn auc_matches_pair_counting_and_curve_area() {
        for seed in 0..50 {
            let pairs = pseudo_random(seed, 1 + (seed as usize * 7) % 40);
            let auc = roc_auc(&pairs);
            let pairwise = pairwise_auc(&pairs);
            assert_eq!(auc.is_some(), pairwise.is_some(), "seed {seed}");
            if let (Some(auc), Some(pairwise)) = (auc, pairwise) {
                assert_close(auc, pairwise);
                assert_close(trapezoid_area(&roc_curve(&pairs)), auc);
            }
        }
    }

    #[test]
    fn expected_ranks_match_enumerating_all_orders() {
        let cases = [
            outcome(&[0.5, 0.5, 0.5, 0.5, 0.5], &[0, 1, 0, 1, 0]),
            outcome(&[0.9, 0.7, 0.7, 0.7, 0.7, 0.1], &[0, 0, 1, 0, 0, 1]),
            outcome(&[0.9, 0.9, 0.4, 0.4, 0.4, 0.4], &[0, 0, 1, 1, 0, 0]),
            outcome(&[0.3, 0.3, 0.3, 0.2, 0.2, f64::NAN], &[0, 0, 0, 0, 1, 1]),
            outcome(&[0.8, 0.6, 0.6, 0.6], &[1, 1, 1, 0]),
        ];
        for q in &cases {
            for k in 0..=7 {
                let (hits, rr) = brute_force_ranking(q, k);
                assert_close(hits_at_k(q, k), hits);
                assert_close(reciprocal_rank(q), rr);
            }
        }
    }

    #[test]
    fn question_without_positive_is_a_miss() {
        let miss = QuestionOutcome {
            candidates: candidates(&[0.9, 0.2], &[0, 0]),
            gold_answers: 1,
        };
        assert!(miss.misses_gold_answers());
        assert!(!miss.has_positive());
        assert_eq!(hits_at_k(&miss, 1), 0.0);
        assert_eq!(hits_at_k(&miss, 5), 0.0);
        assert_eq!(reciprocal_rank(&miss), 0.0);
        assert_eq!(roc_auc(&miss.candidates), None);
        assert!(roc_curve(&miss.candidates).is_empty());

        let hit = outcome(&[0.6, 0.1], &[1, 0]);
        let metrics = summarize(&[hit, miss]);
        assert_eq!(metrics.questions, 2);
        assert_eq!(metrics.hits_at_1, 0.5);
        assert_eq!(metrics.mrr, 0.5);
        assert_eq!(metrics.coverage, 0.5);
        // Macro: only the first question. Micro: positive 0.6 beats 0.1 and 0.2, loses to 0.9.
        assert_eq!(metrics.auc_macro, Some(1.0));
        assert_eq!(metrics.auc_questions, 1);
        assert_eq!(metrics.auc_micro, Some(2.0 / 3.0));
    }

    #[test]
    fn question_without_candidates() {
        let empty = QuestionOutcome {
            candidates: Vec::new(),
            gold_answers: 2,
        };
        assert!(empty.misses_gold_answers());
        assert_eq!(hits_at_k(&empty, 1), 0.0);
        assert_eq!(reciprocal_rank(&empty), 0.0);
        assert_eq!(roc_auc(&empty.candidates), None);
        assert!(roc_curve(&empty.candidates).is_empty());

        let metrics = summarize(&[empty, outcome(&[0.7, 0.4, 0.2], &[1, 0, 0])]);
        assert_eq!(metrics.questions, 2);
        assert_eq!(metrics.hits_at_1, 0.5);
        assert_eq!(metrics.candidates_mean, 1.5);
        assert_eq!(metrics.coverage, 0.5);
        assert_eq!(metrics.auc_questions, 1);
    }

    #[test]
    fn micro_and_macro_auc_differ() {
        // Each question ranks perfectly (AUC 1), but their scales differ.
        let q1 = outcome(&[0.9, 0.8], &[1, 0]);
        let q2 = outcome(&[0.3, 0.2], &[1, 0]);
        let metrics = summarize(&[q1.clone(), q2.clone()]);
        assert_eq!(metrics.auc_macro, Some(1.0));
        assert_eq!(metrics.auc_questions, 2);
        // Pooled positives {0.9, 0.3} vs negatives {0.8, 0.2}: 0.9>0.8, 0.9>0.2, 0.3<0.8,
        // 0.3>0.2 → 3 of 4 pairs.
        assert_eq!(metrics.auc_micro, Some(0.75));

        // A question with only a negative (0.95) joins the pooled pairs but not the macro mean:
        // 0.9 beats 0.8, 0.2; 0.3 beats 0.2 → 3 of 6 pairs.
        let q3 = QuestionOutcome {
            candidates: candidates(&[0.95], &[0]),
            gold_answers: 0,
        };
        let metrics = summarize(&[q1, q2, q3]);
        assert_eq!(metrics.auc_macro, Some(1.0));
        assert_eq!(metrics.auc_questions, 2);
        assert_eq!(metrics.auc_micro, Some(0.5));
    }

    #[test]
    fn hits_at_5_with_fewer_than_5_candidates() {
        let q = outcome(&[0.9, 0.5, 0.1], &[0, 0, 1]);
        assert_eq!(hits_at_k(&q, 1), 0.0);
        assert_eq!(hits_at_k(&q, 5), 1.0);
        assert_eq!(hits_at_k(&q, 0), 0.0);
        assert_close(reciprocal_rank(&q), 1.0 / 3.0);
    }

    #[test]
    fn nan_scores_rank_lowest() {
        let q = outcome(&[f64::NAN, 0.1], &[1, 0]);
        assert_eq!(hits_at_k(&q, 1), 0.0);
        assert_eq!(reciprocal_rank(&q), 0.5);
        assert_eq!(roc_auc(&q.candidates), Some(0.0));

        // Two NaNs tie with each other (ranks 2..3) below 0.2.
        let q = outcome(&[f64::NAN, 0.2, -f64::NAN], &[1, 0, 0]);
        assert_close(reciprocal_rank(&q), 5.0 / 12.0);
        assert_eq!(roc_auc(&q.candidates), Some(0.25));

        // NaN ties with -inf.
        let q = outcome(&[f64::NAN, f64::NEG_INFINITY], &[1, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(0.5));

        let metrics = summarize(&[outcome(&[f64::NAN, f64::NAN], &[1, 0])]);
        assert_eq!(metrics.hits_at_1, 0.5);
        assert_eq!(metrics.auc_macro, Some(0.5));
        let json = serde_json::to_string(&metrics).unwrap_or_default();
        assert!(!json.contains("NaN") && !json.contains("null"), "{json}");
    }

    #[test]
    fn negative_and_positive_zero_tie() {
        let q = outcome(&[0.0, -0.0], &[1, 0]);
        assert_eq!(roc_auc(&q.candidates), Some(0.5));
        assert_close(hits_at_k(&q, 1), 0.5);
    }

    #[test]
    fn empty_input_gives_zeros() {
        let metrics = summarize(&[]);
        assert_eq!(metrics, RankingMetrics::default());
        assert_eq!(metrics.auc_macro, None);
        assert_eq!(metrics.auc_micro, None);
        assert_eq!(roc_auc(&[]), None);
        let json = serde_json::to_value(&metrics).unwrap_or_default();
        assert_eq!(json["auc_macro"], serde_json::Value::Null);
        assert_eq!(json["questions"], 0);
        assert_eq!(json["mrr"], 0.0);
    }

    #[test]
    fn summary_over_several_questions() {
        let outcomes = [
            // Hit at rank 1; AUC 1.
            outcome(&[0.9, 0.4, 0.3], &[1, 0, 0]),
            // Best positive at rank 2; AUC: 0.6 beats 0.2, loses to 0.8 → 1/2.
            outcome(&[0.8, 0.6, 0.2], &[0, 1, 0]),
            // Only positives: Hits 1, RR 1, no AUC of its own.
            outcome(&[0.7], &[1]),
            // Retrieval missed the gold answer.
            QuestionOutcome {
                candidates: candidates(&[0.5, 0.1], &[0, 0]),
                gold_answers: 1,
            },
        ];
        let metrics = summarize(&outcomes);
        assert_eq!(metrics.questions, 4);
        assert_eq!(metrics.hits_at_1, 2.0 / 4.0);
        assert_eq!(metrics.hits_at_5, 3.0 / 4.0);
        assert_close(metrics.mrr, (1.0 + 0.5 + 1.0 + 0.0) / 4.0);
        assert_eq!(metrics.auc_macro, Some(0.75));
        assert_eq!(metrics.auc_questions, 2);
        assert_eq!(metrics.candidates_mean, 9.0 / 4.0);
        assert_eq!(metrics.coverage, 3.0 / 4.0);
        let pooled: Vec<ScoredCandidate> = outcomes
            .iter()
            .flat_map(|q| q.candidates.iter().copied())
            .collect();
        assert_eq!(metrics.auc_micro, pairwise_auc(&pooled));

        // The accumulator gives the same figures, and per-group summaries are just subsets.
        let mut accumulator = RankingAccumulator::new();
        outcomes.iter().for_each(|q| accumulator.add(q));
        assert_eq!(accumulator.finish(), metrics);
        let first_two = summarize(&outcomes[..2]);
        assert_eq!(first_two.hits_at_1, 0.5);
        assert_eq!(first_two.coverage, 1.0);
    }
}
