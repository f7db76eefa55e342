//! How a relation's text reads in English: `has genre`, `fixes error`, `directed by`,
//! `part of family`, `in language` or a noun (`release year`). A heuristic over the words alone;
//! a text that fits no other shape reads as a noun.

use super::morph::{doer, participle_base, past_tense};
use crate::text::{is_preposition, verb_base};

/// The reading of a relation text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
    /// `has genre`: the object is the subject's genre.
    Have { noun: String },
    /// `fixes error`, `plays in club`, `can report error`, `indicates`.
    Verb(Verb),
    /// `directed by`, `part of`, `compatible with`: a participle or adjective and a preposition.
    /// `agent` is the verb of `… by` texts (`directed by`, `written by`).
    Passive { head: String, agent: Option<Agent> },
    /// `part of family`, `shipped with firmware`: a head ending in a preposition, then its object.
    HeadObject { head: String, object: String },
    /// `in language`: a preposition, then a noun.
    Prep { prep: String, noun: String },
    /// `release year`, `starred actors`, `spouse`.
    Noun { noun: String },
}

/// The verb of a `… by` relation, in the forms phrasing needs: `direct`, `directed`,
/// `director`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Agent {
    pub(super) base: String,
    pub(super) past: String,
    pub(super) doer: String,
}

impl Agent {
    /// The agent of a `{participle} by` text, if the participle reads as one.
    fn of_participle(word: &str) -> Option<Self> {
        let base = participle_base(word)?;
        Some(Self {
            past: past_tense(&base),
            doer: doer(&base),
            base,
        })
    }
}

/// A verb phrase: an optional modal, the verb, an optional particle and an optional object noun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Verb {
    pub(super) modal: Option<String>,
    pub(super) third: String,
    pub(super) base: String,
    pub(super) particle: Option<String>,
    pub(super) object: Option<String>,
}

impl Verb {
    /// The verb agreeing with a subject (`fixes` / `fix`, `can report`).
    pub(super) fn finite(&self, plural: bool) -> String {
        match &self.modal {
            Some(modal) => format!("{modal} {}", self.base),
            None if plural => self.base.clone(),
            None => self.third.clone(),
        }
    }

    /// The auxiliary of a question about a singular or `plural` subject (`does` / `do`, or the
    /// modal).
    pub(super) fn aux(&self, plural: bool) -> String {
        match &self.modal {
            Some(modal) => modal.clone(),
            None if plural => "do".to_owned(),
            None => "does".to_owned(),
        }
    }

    /// The particle, with a leading space (or nothing).
    pub(super) fn particle(&self) -> String {
        self.particle
            .as_ref()
            .map_or_else(String::new, |p| format!(" {p}"))
    }

    /// Particle and object after the verb, with a leading space: ` in club`, ` error`.
    pub(super) fn tail(&self) -> String {
        let object = self
            .object
            .as_ref()
            .map_or_else(String::new, |o| format!(" {o}"));
        format!("{}{object}", self.particle())
    }
}

const MODALS: [&str; 7] = ["can", "could", "may", "might", "must", "should", "will"];
const COPULAS: [&str; 4] = ["is", "are", "was", "were"];
/// Words before an inner preposition that make `X of Y` a head and its object (`part of family`)
/// rather than a noun (`place of birth`), besides participles.
const HEADS: [&str; 9] = [
    "part",
    "member",
    "instance",
    "subclass",
    "compatible",
    "related",
    "similar",
    "born",
    "kind",
];

/// Reads a relation text (as [`crate::text::relation_text`] gives it); a leading copula (`is
/// part of`) is dropped.
pub(super) fn read(text: &str) -> Shape {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1 && COPULAS.contains(&words[0]) {
        words.remove(0);
    }
    if words.is_empty() {
        words = vec!["related", "to"];
    }
    shape(&words)
}

fn shape(words: &[&str]) -> Shape {
    let n = words.len();
    let join = |from: usize, to: usize| words[from..to].join(" ");
    let (first, last) = (words[0], words[n - 1]);
    if n > 1 && matches!(first, "has" | "have") {
        return Shape::Have { noun: join(1, n) };
    }
    if n > 1 && MODALS.contains(&first) {
        let base = words[1].to_owned();
        return Shape::Verb(verb(
            Some(first.to_owned()),
            base.clone(),
            base,
            &words[2..],
        ));
    }
    if n > 1 && is_preposition(first) {
        return Shape::Prep {
            prep: first.to_owned(),
            noun: join(1, n),
        };
    }
    if let Some(base) = verb_base(first, n == 1) {
        return Shape::Verb(verb(None, first.to_owned(), base, &words[1..]));
    }
    if n > 1 && is_preposition(last) {
        let agent = (n == 2 && last == "by")
            .then(|| Agent::of_participle(first))
            .flatten();
        return Shape::Passive {
            head: words.join(" "),
            agent,
        };
    }
    let inner = (1..n.saturating_sub(1)).find(|&i| is_preposition(words[i]));
    if let Some(i) = inner.filter(|&i| is_head(words[i - 1])) {
        return Shape::HeadObject {
            head: join(0, i + 1),
            object: join(i + 1, n),
        };
    }
    Shape::Noun {
        noun: words.join(" "),
    }
}

fn verb(modal: Option<String>, third: String, base: String, rest: &[&str]) -> Verb {
    let (particle, object) = match rest.split_first() {
        Some((first, object)) if is_preposition(first) => (Some((*first).to_owned()), object),
        _ => (None, rest),
    };
    Verb {
        modal,
        third,
        base,
        particle,
        object: (!object.is_empty()).then(|| object.join(" ")),
    }
}

fn is_head(word: &str) -> bool {
    HEADS.contains(&word) || word.ends_with("ed") || word.ends_with("en")
}
