//! `kgqa link --split`: how often the gold topic entity is the top-ranked link, and how many of
//! the gold topics (one per constraint) the chosen topic entities find.

use std::collections::BTreeMap;
use std::time::Instant;

use super::group::{breakdown, hop_key};
use super::{ratio, round4};
use crate::error::Result;
use crate::link::{topics, Linker};
use crate::pipeline::Gold;
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
    /// Gold topics over all questions (a question with two constraints has two).
    pub gold_topics: usize,
    /// Gold topics among the topic entities linking chose.
    pub topics_found: usize,
    /// `topics_found / gold_topics`.
    pub topic_recall: f64,
    /// Fraction of questions whose every gold topic was found.
    pub all_topics_found: f64,
    /// Constraints chosen that name no gold topic, over all questions.
    pub extra_topics: usize,
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
    let outcomes = questions
        .iter()
        .map(|q| Ok((q, link_one(linker, q, strip_brackets)?)))
        .collect::<Result<Vec<_>>>()?;
    let tally = |members: &[&(&Question, Outcome)]| {
        let mut tally = Tally::default();
        for (_, outcome) in members {
            tally.add(*outcome);
        }
        tally.report()
    };
    let mut report = tally(&outcomes.iter().collect::<Vec<_>>());
    report.by_hop = breakdown(&outcomes, |(q, _)| hop_key(q))
        .into_iter()
        .map(|(k, members)| (k, tally(&members)))
        .collect();
    Ok(report)
}

#[derive(Debug, Clone, Copy)]
struct Outcome {
    correct: bool,
    unresolved: bool,
    unlinked: bool,
    gold_topics: usize,
    topics_found: usize,
    extra_topics: usize,
    seconds: f64,
}

fn link_one(linker: &Linker, question: &Question, strip_brackets: bool) -> Result<Outcome> {
    let text = if strip_brackets {
        question.without_brackets()
    } else {
        question.text.clone()
    };
    let gold = Gold::resolve(linker, question);
    let started = Instant::now();
    let links = linker.link(&text)?;
    let seconds = started.elapsed().as_secs_f64();
    let chosen = topics(&links);
    let index = linker.index();
    let found: Vec<_> = chosen
        .entities()
        .iter()
        .filter_map(|iri| index.id(iri))
        .collect();
    let extra_topics = chosen
        .constraints()
        .iter()
        .filter(|nodes| {
            !nodes
                .iter()
                .any(|iri| index.id(iri).is_some_and(|id| gold.names_topic(id)))
        })
        .count();
    if extra_topics > 0 {
        tracing::debug!(question = %text, topics = ?chosen.constraints(), "a constraint not among the gold topics");
    }
    Ok(Outcome {
        correct: gold.top_link_is_topic(&links),
        unresolved: !gold.is_resolved(),
        unlinked: links.is_empty(),
        gold_topics: gold.topics.len(),
        topics_found: gold.topics_found(&found),
        extra_topics,
        seconds,
    })
}

#[derive(Debug, Default)]
struct Tally {
    questions: usize,
    correct: usize,
    unresolved: usize,
    unlinked: usize,
    gold_topics: usize,
    topics_found: usize,
    all_found: usize,
    extra_topics: usize,
    seconds: f64,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.questions += 1;
        self.correct += usize::from(outcome.correct);
        self.unresolved += usize::from(outcome.unresolved);
        self.unlinked += usize::from(outcome.unlinked);
        self.gold_topics += outcome.gold_topics;
        self.topics_found += outcome.topics_found;
        self.all_found += usize::from(outcome.topics_found == outcome.gold_topics);
        self.extra_topics += outcome.extra_topics;
        self.seconds += outcome.seconds;
    }

    fn report(&self) -> LinkReport {
        LinkReport {
            questions: self.questions,
            accuracy: round4(ratio(self.correct, self.questions)),
            unresolved: self.unresolved,
            unlinked: self.unlinked,
            gold_topics: self.gold_topics,
            topics_found: self.topics_found,
            topic_recall: round4(ratio(self.topics_found, self.gold_topics)),
            all_topics_found: round4(ratio(self.all_found, self.questions)),
            extra_topics: self.extra_topics,
            per_question_ms: round4(1000.0 * self.seconds / self.questions.max(1) as f64),
            by_hop: BTreeMap::new(),
        }
    }
}
