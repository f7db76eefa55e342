//! Questions synthesised from the graph alone (`kgqa synth`), for training without labelled data.
//!
//! A topic entity is drawn, then a relation path of 1 to 3 hops walked from it ([`sample`]); the
//! path is followed through the graph by SPARQL to take all of its answers ([`answers`]); the
//! question is worded from the relations' texts and the topic's labels ([`verbalise`]); and the
//! questions are written as kgqa's TSV ([`write`]). A fraction can be two-constraint questions
//! ([`conjunctive`]). Everything is drawn from one seeded generator over sorted graph reads, so
//! a seed gives the same file every time.

pub mod answers;
pub mod conjunctive;
mod derived;
mod error;
pub mod lexicon;
mod morph;
pub mod path;
pub mod phrase;
pub mod sample;
mod shape;
mod shared;
pub mod verbalise;
pub mod write;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use oxigraph::model::NamedNode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub use answers::{Limits, Skip};
pub use error::SynthError;
pub use lexicon::Lexicon;
pub use path::{Constraint, RelationPath, Step};
pub use write::{tsv_line, write_tsv};

use crate::error::Result;
use crate::question::{GoldEntity, Question};
use crate::store::Graph;
use answers::Judged;
use verbalise::Verbaliser;

/// What to synthesise.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SynthConfig {
    /// How many questions to write.
    pub questions: usize,
    /// The path lengths asked about, in equal shares (each 1, 2 or 3).
    pub hops: Vec<u8>,
    /// The seed of every random draw.
    pub seed: u64,
    /// Questions with more answers are skipped.
    pub max_answers: usize,
    /// Paths with more nodes than this at a hop before the last are skipped.
    pub max_intermediate: usize,
    /// The fraction of two-constraint questions (1-hop ∧ 1-hop and 2-hop ∧ 1-hop).
    pub conjunctive: f64,
    /// How often a topic is named by one of its `skos:altLabel`s rather than its `rdfs:label`.
    pub alternative_labels: f64,
    /// Draws tried per question before giving up on it.
    pub attempts: usize,
    /// Whether a topic can be its own question's answer, paths then followed literally, back
    /// through the topic too (as `[retrieve] topic_answers`; PathQuestion).
    pub topic_answers: bool,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            questions: 1000,
            hops: vec![1, 2, 3],
            seed: 42,
            max_answers: 50,
            max_intermediate: 1000,
            conjunctive: 0.0,
            alternative_labels: 0.3,
            attempts: 100,
            topic_answers: false,
        }
    }
}

impl SynthConfig {
    /// Checks every setting.
    pub fn validate(&self) -> Result<(), SynthError> {
        if self.questions == 0 {
            return Err(SynthError::NoQuestions);
        }
        if self.hops.is_empty() || self.hops.iter().any(|h| !(1..=3).contains(h)) {
            return Err(SynthError::Hops(self.hops.clone()));
        }
        for (name, value) in [
            ("conjunctive", self.conjunctive),
            ("alternative_labels", self.alternative_labels),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(SynthError::Fraction { name, value });
            }
        }
        for (name, value) in [
            ("max_answers", self.max_answers),
            ("max_intermediate", self.max_intermediate),
            ("attempts", self.attempts),
        ] {
            if value == 0 {
                return Err(SynthError::ZeroLimit(name));
            }
        }
        if self.conjunctive > 0.0 && self.conjunctive_hops().is_empty() {
            return Err(SynthError::ConjunctiveHops(self.hops.clone()));
        }
        Ok(())
    }

    fn limits(&self) -> Limits {
        Limits {
            max_answers: self.max_answers,
            max_intermediate: self.max_intermediate,
            topic_answers: self.topic_answers,
        }
    }

    /// The first path's lengths of two-constraint questions: those of `hops` that are 1 or 2.
    fn conjunctive_hops(&self) -> Vec<u8> {
        let mut hops: Vec<u8> = self.hops.iter().copied().filter(|h| *h <= 2).collect();
        hops.sort_unstable();
        hops.dedup();
        hops
    }
}

/// One synthesised question.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthQuestion {
    /// The question.
    pub text: String,
    /// Its constraints: one, or two for a two-constraint question (the second is one hop).
    pub constraints: Vec<Constraint>,
    /// Every answer, sorted by IRI: all the constraints reach them, and none is a topic.
    pub answers: Vec<NamedNode>,
    /// The length of the longest constraint's path.
    pub hops: u8,
    /// The question type: the path's name, or the constraints' names joined by `&`.
    pub qtype: String,
}

impl SynthQuestion {
    /// The topic entities, one per constraint.
    pub fn topics(&self) -> impl Iterator<Item = &NamedNode> {
        self.constraints.iter().map(|c| &c.topic)
    }

    /// The question with its gold annotations, as training reads it (`line` is its 1-based
    /// position among the synthesised questions).
    pub fn to_question(&self, line: u64) -> Question {
        Question {
            text: self.text.clone(),
            topics: self.topics().cloned().map(GoldEntity::Iri).collect(),
            answers: self.answers.iter().cloned().map(GoldEntity::Iri).collect(),
            hops: Some(self.hops),
            qtype: Some(self.qtype.clone()),
            line,
        }
    }
}

/// What a synthesis did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SynthReport {
    /// Questions asked for.
    pub requested: usize,
    /// Questions written.
    pub questions: usize,
    /// Questions by path length.
    pub by_hop: BTreeMap<u8, usize>,
    /// Questions by type (relation path).
    pub by_type: BTreeMap<String, usize>,
    /// Two-constraint questions among them.
    pub conjunctive: usize,
    /// Draws made.
    pub attempts: u64,
    /// Draws not kept, by reason.
    pub skipped: BTreeMap<Skip, u64>,
    /// Entities that could be topics.
    pub topics: usize,
    /// Relations in the graph.
    pub relations: usize,
    /// The seed.
    pub seed: u64,
    /// Wall-clock time.
    pub seconds: f64,
}

/// The questions and the report of a synthesis.
#[derive(Debug, Clone)]
pub struct Synthesis {
    /// The questions, in the order drawn.
    pub questions: Vec<SynthQuestion>,
    /// What was done.
    pub report: SynthReport,
}

/// Synthesises `config.questions` questions from `graph`, calling `progress` with the number of
/// questions drawn so far. Fewer are returned when some could not be drawn in `config.attempts`
/// tries each (a small graph runs out of distinct questions); the report says why draws failed.
pub fn synthesise(
    graph: &Graph,
    config: &SynthConfig,
    progress: &dyn Fn(u64),
) -> Result<Synthesis> {
    config.validate()?;
    let started = Instant::now();
    let lexicon = Lexicon::read(graph)?;
    if lexicon.topics().is_empty() {
        return Err(SynthError::NoTopics.into());
    }
    let mut run = Run {
        graph,
        config,
        lexicon: &lexicon,
        verbaliser: Verbaliser::new(&lexicon, config.alternative_labels),
        rng: StdRng::seed_from_u64(config.seed),
        seen: HashSet::new(),
        attempts: 0,
        skipped: BTreeMap::new(),
    };
    let mut questions = Vec::with_capacity(config.questions);
    for slot in 0..config.questions {
        if let Some(question) = run.fill(slot)? {
            questions.push(question);
        }
        progress(slot as u64 + 1);
    }
    let report = run.report(&questions, started.elapsed().as_secs_f64());
    Ok(Synthesis { questions, report })
}

/// The state of one synthesis.
struct Run<'a> {
    graph: &'a Graph,
    config: &'a SynthConfig,
    lexicon: &'a Lexicon,
    verbaliser: Verbaliser<'a>,
    rng: StdRng,
    seen: HashSet<(Vec<NamedNode>, String)>,
    attempts: u64,
    skipped: BTreeMap<Skip, u64>,
}

impl Run<'_> {
    /// Draws the question of `slot` (its kind and hops are fixed by the slot), or `None` when
    /// every attempt was skipped.
    fn fill(&mut self, slot: usize) -> Result<Option<SynthQuestion>> {
        let conjunctive = is_conjunctive(slot, self.config.conjunctive);
        let hops = if conjunctive {
            let hops = self.config.conjunctive_hops();
            hops[conjunctive_index(slot, self.config.conjunctive) % hops.len()]
        } else {
            self.config.hops[slot % self.config.hops.len()]
        };
        for _ in 0..self.config.attempts {
            self.attempts += 1;
            let drawn = if conjunctive {
                self.draw_conjunctive(hops)?
            } else {
                self.draw_single(hops)?
            };
            match drawn {
                Ok(question) => return Ok(Some(question)),
                Err(skip) => *self.skipped.entry(skip).or_default() += 1,
            }
        }
        Ok(None)
    }

    fn draw_single(&mut self, hops: u8) -> Result<Judged<SynthQuestion>> {
        let first = match self.draw_constraint(hops)? {
            Ok(constraint) => constraint,
            Err(skip) => return Ok(Err(skip)),
        };
        let qtype = first.path.name();
        if !self.seen.insert((vec![first.topic.clone()], qtype.clone())) {
            return Ok(Err(Skip::Duplicate));
        }
        let answers = match answers::evaluate(self.graph, &first, self.config.limits())? {
            Ok(answers) => answers,
            Err(skip) => return Ok(Err(skip)),
        };
        let text = self.verbaliser.question(&first, &mut self.rng);
        Ok(Ok(SynthQuestion {
            text,
            constraints: vec![first],
            answers,
            hops,
            qtype,
        }))
    }

    fn draw_conjunctive(&mut self, hops: u8) -> Result<Judged<SynthQuestion>> {
        let first = match self.draw_constraint(hops)? {
            Ok(constraint) => constraint,
            Err(skip) => return Ok(Err(skip)),
        };
        // The first path alone may have more answers than a question may: the second narrows them.
        let wide = Limits {
            max_answers: self.config.max_intermediate,
            ..self.config.limits()
        };
        let first_answers = match answers::evaluate(self.graph, &first, wide)? {
            Ok(answers) => answers,
            Err(skip) => return Ok(Err(skip)),
        };
        let narrowed = conjunctive::narrow(
            self.graph,
            self.lexicon,
            &first,
            &first_answers,
            &mut self.rng,
        )?;
        let narrowed = match narrowed {
            Ok(narrowed) => narrowed,
            Err(skip) => return Ok(Err(skip)),
        };
        if narrowed.answers.len() > self.config.max_answers {
            return Ok(Err(Skip::TooManyAnswers));
        }
        let qtype = format!("{}&{}", first.path.name(), narrowed.second.path.name());
        let topics = vec![first.topic.clone(), narrowed.second.topic.clone()];
        if !self.seen.insert((topics, qtype.clone())) {
            return Ok(Err(Skip::Duplicate));
        }
        let text = self
            .verbaliser
            .conjunction(&first, &narrowed.second, &mut self.rng);
        Ok(Ok(SynthQuestion {
            text,
            constraints: vec![first, narrowed.second],
            answers: narrowed.answers,
            hops,
            qtype,
        }))
    }

    /// A topic and a path of `hops` steps walked from it.
    fn draw_constraint(&mut self, hops: u8) -> Result<Judged<Constraint>> {
        let topics = self.lexicon.topics();
        let topic = topics[self.rng.gen_range(0..topics.len())].clone();
        let path = sample::walk(self.graph, &topic, usize::from(hops), &mut self.rng)?;
        Ok(path
            .map(|path| Constraint { topic, path })
            .ok_or(Skip::NoPath))
    }

    fn report(&self, questions: &[SynthQuestion], seconds: f64) -> SynthReport {
        let mut by_hop = BTreeMap::new();
        let mut by_type = BTreeMap::new();
        for question in questions {
            *by_hop.entry(question.hops).or_default() += 1;
            *by_type.entry(question.qtype.clone()).or_default() += 1;
        }
        SynthReport {
            requested: self.config.questions,
            questions: questions.len(),
            by_hop,
            by_type,
            conjunctive: questions.iter().filter(|q| q.constraints.len() > 1).count(),
            attempts: self.attempts,
            skipped: self.skipped.clone(),
            topics: self.lexicon.topics().len(),
            relations: self.lexicon.relations(),
            seed: self.config.seed,
            seconds,
        }
    }
}

/// Whether question `slot` is a two-constraint one: slots are spread evenly so that any prefix
/// holds about `fraction` of them.
fn is_conjunctive(slot: usize, fraction: f64) -> bool {
    conjunctive_index(slot + 1, fraction) > conjunctive_index(slot, fraction)
}

/// How many two-constraint slots come before `slot`.
fn conjunctive_index(slot: usize, fraction: f64) -> usize {
    (slot as f64 * fraction).floor() as usize
}
