//! `kgqa link --split`: how often the gold topic entity is the top-ranked link.

use std::collections::BTreeMap;
use std::time::Instant;

use super::{hop_key, ratio, round4};
use crate::error::Result;
use crate::link::Linker;
use crate::question::Question;

/// Linking figures over a set of questions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LinkReport {
    /// Questions evaluated.
    pub questions: usize,
    /// Fraction whose gold topic entity is the top-ranked link.
    pub accuracy: f64,
    /// Questions whose gold topic is not a labelled node of the graph (counted as wrong).
    pub unresolved: usize,
    /// Questions with no link at all (counted as wrong).
    pub unlinked: usize,
    /// Mean linking time per question, in milliseconds.
    pub per_question_ms: f64,
    /// The same, per hop count of the questions.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_hop: BTreeMap<String, LinkReport>,
}

/// Links every question (with its brackets removed when `strip_brackets`) and compares the top link
/// with the gold topic entity.
pub fn evaluate_linking(
    linker: &Linker,
    questions: &[Question],
    strip_brackets: bool,
) -> Result<LinkReport> {
    let mut overall = Tally::default();
    let mut by_hop: BTreeMap<String, Tally> = BTreeMap::new();
    for question in questions {
        let outcome = link_one(linker, question, strip_brackets)?;
        overall.add(outcome);
        by_hop.entry(hop_key(question)).or_default().add(outcome);
    }
    let mut report = overall.report();
    if by_hop.len() > 1 || by_hop.keys().any(|k| k != "unknown") {
        report.by_hop = by_hop.into_iter().map(|(k, t)| (k, t.report())).collect();
    }
    Ok(report)
}

#[derive(Debug, Clone, Copy)]
struct Outcome {
    correct: bool,
    unresolved: bool,
    unlinked: bool,
    seconds: f64,
}

fn link_one(linker: &Linker, question: &Question, strip_brackets: bool) -> Result<Outcome> {
    let text = if strip_brackets {
        question.without_brackets()
    } else {
        question.text.clone()
    };
    let gold = question
        .topic
        .as_ref()
        .map(|t| linker.resolve(t))
        .unwrap_or_default();
    let started = Instant::now();
    let links = linker.link(&text)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(Outcome {
        correct: links.first().is_some_and(|l| gold.contains(&l.node_id())),
        unresolved: gold.is_empty(),
        unlinked: links.is_empty(),
        seconds,
    })
}

#[derive(Debug, Default)]
struct Tally {
    questions: usize,
    correct: usize,
    unresolved: usize,
    unlinked: usize,
    seconds: f64,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.questions += 1;
        self.correct += usize::from(outcome.correct);
        self.unresolved += usize::from(outcome.unresolved);
        self.unlinked += usize::from(outcome.unlinked);
        self.seconds += outcome.seconds;
    }

    fn report(&self) -> LinkReport {
        LinkReport {
            questions: self.questions,
            accuracy: round4(ratio(self.correct, self.questions)),
            unresolved: self.unresolved,
            unlinked: self.unlinked,
            per_question_ms: round4(1000.0 * self.seconds / self.questions.max(1) as f64),
            by_hop: BTreeMap::new(),
        }
    }
}
