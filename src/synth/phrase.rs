//! How one relation, followed one way, is put into words: the shape of its text (`has genre`,
//! `directed by`, `fixes error`, `in language`, `release year`, …) and the phrasings built on it.
//!
//! Every phrasing is about the nodes one step away from a noun phrase `e`: a question asking for
//! them, a noun phrase naming them (so that paths nest), and a predicate saying of one of them
//! that it is such a node (so that constraints combine). The shapes are a heuristic reading of
//! English relation names; a text that fits none is read as a noun (`the {text} of {e}`).

use super::derived;
use super::morph::{head_word, singular};
use super::shape::{self, Shape};
use super::shared;

/// A noun phrase naming some nodes, with what agreement needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Np {
    /// The words.
    pub text: String,
    /// Whether it takes a plural verb (`things directed by X are …`).
    pub plural: bool,
    /// Whether it is an entity's name rather than a description (possessives need one).
    pub name: bool,
}

impl Np {
    /// An entity's name.
    pub fn name(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            plural: false,
            name: true,
        }
    }

    pub(super) fn described(text: String, plural: bool) -> Self {
        Self {
            text,
            plural,
            name: false,
        }
    }

    pub(super) fn be(&self) -> &'static str {
        if self.plural {
            "are"
        } else {
            "is"
        }
    }

    fn does(&self) -> &'static str {
        if self.plural {
            "do"
        } else {
            "does"
        }
    }
}

/// How a relation's text is put into words, both ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    shape: Shape,
}

impl Phrase {
    /// Reads a relation text (as [`crate::text::relation_text`] gives it).
    pub fn new(text: &str) -> Self {
        Self {
            shape: shape::read(text),
        }
    }

    /// The singular noun for what sits at the object end of this relation (`directed by` →
    /// `director`, `starred actors` → `actor`, `has genre` → `genre`, `in language` →
    /// `language`, `part of family` → `family`): how a topic reached backwards along it can be
    /// introduced (`the director X`). `None` for verbs, whose objects have no noun of their own.
    pub fn object_role(&self) -> Option<String> {
        match &self.shape {
            Shape::Passive { agent: Some(a), .. } => Some(a.doer.clone()),
            Shape::Have { noun } | Shape::Noun { noun } | Shape::Prep { noun, .. } => {
                Some(singular(head_word(noun)))
            }
            Shape::HeadObject { object, .. } => Some(singular(head_word(object))),
            Shape::Passive { agent: None, .. } | Shape::Verb(_) => None,
        }
    }

    /// Questions asking for the nodes one step from `e` (`forward`: `e relation ?x`).
    pub fn questions(&self, forward: bool, e: &Np) -> Vec<String> {
        let mut questions = if forward {
            self.forward_questions(e)
        } else {
            self.inverse_questions(e)
        };
        questions.extend(match (&self.shape, forward) {
            (Shape::Have { noun } | Shape::Noun { noun }, true) => {
                derived::noun_forward_questions(noun, e)
            }
            (Shape::Have { noun } | Shape::Noun { noun }, false) => {
                derived::noun_inverse_questions(noun, e)
            }
            (
                Shape::Passive {
                    agent: Some(a),
                    head,
                },
                true,
            ) => derived::agent_forward_questions(a, head, e),
            (
                Shape::Passive {
                    agent: Some(a),
                    head,
                },
                false,
            ) => derived::agent_inverse_questions(a, head, e),
            _ => Vec::new(),
        });
        questions
    }

    /// Noun phrases naming the nodes one step from `e`.
    pub fn nouns(&self, forward: bool, e: &Np) -> Vec<Np> {
        let mut nouns = if forward {
            self.forward_nouns(e)
        } else {
            self.inverse_nouns(e)
        };
        nouns.extend(match (&self.shape, forward) {
            (Shape::Have { noun } | Shape::Noun { noun }, true) => {
                derived::noun_forward_nouns(noun, e)
            }
            (Shape::Have { noun } | Shape::Noun { noun }, false) => {
                derived::noun_inverse_nouns(noun, e)
            }
            (Shape::Passive { agent: Some(a), .. }, true) => derived::agent_forward_nouns(a, e),
            (Shape::Passive { agent: Some(a), .. }, false) => derived::agent_inverse_nouns(a, e),
            _ => Vec::new(),
        });
        nouns.extend(match (&self.shape, forward) {
            (Shape::Have { noun } | Shape::Noun { noun }, true) => {
                shared::noun_forward_attributive(noun, e)
            }
            (Shape::Have { noun } | Shape::Noun { noun }, false) => {
                shared::noun_inverse_attributive(noun, e)
            }
            (Shape::Passive { agent: Some(a), .. }, true) => {
                shared::agent_forward_attributive(a, e)
            }
            (
                Shape::Passive {
                    agent: Some(_),
                    head,
                },
                false,
            ) => shared::agent_inverse_attributive(head, e),
            _ => Vec::new(),
        });
        nouns
    }

    /// Predicates saying of one node that it is one step from `e` (`is directed by X`).
    pub fn predicates(&self, forward: bool, e: &Np) -> Vec<String> {
        let mut predicates = if forward {
            self.forward_predicates(e)
        } else {
            self.inverse_predicates(e)
        };
        predicates.extend(match (&self.shape, forward) {
            (Shape::Have { noun } | Shape::Noun { noun }, true) => {
                derived::noun_forward_predicates(noun, e)
            }
            (Shape::Have { noun } | Shape::Noun { noun }, false) => {
                derived::noun_inverse_predicates(noun, e)
            }
            (Shape::Passive { agent: Some(a), .. }, true) => {
                derived::agent_forward_predicates(a, e)
            }
            (
                Shape::Passive {
                    agent: Some(_),
                    head,
                },
                false,
            ) => derived::agent_inverse_predicates(head, e),
            _ => Vec::new(),
        });
        predicates
    }

    /// Questions asking for the nodes that share a node along this relation with `e` (the
    /// relation followed forwards, then backwards): `what else has the same genre as X`.
    pub fn same_questions(&self, e: &Np) -> Vec<String> {
        let p = self.same_predicate(e, false);
        let mut questions = vec![
            format!("what else {p}"),
            format!("which other things {}", self.same_predicate(e, true)),
        ];
        questions.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => shared::noun_same_questions(noun, e),
            Shape::Passive {
                agent: Some(a),
                head,
            } => shared::agent_same_questions(a, head, e),
            _ => Vec::new(),
        });
        questions
    }

    /// Noun phrases naming the nodes that share a node along this relation with `e`.
    pub fn same_nouns(&self, e: &Np) -> Vec<Np> {
        let p = self.same_predicate(e, true);
        let mut nouns = vec![Np::described(format!("things that {p}"), true)];
        nouns.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => shared::noun_same_nouns(noun, e),
            Shape::Passive {
                agent: Some(a),
                head,
            } => shared::agent_same_nouns(a, head, e),
            _ => Vec::new(),
        });
        nouns
    }

    /// Predicates saying of one node that it shares a node along this relation with `e`.
    pub fn same_predicates(&self, e: &Np) -> Vec<String> {
        let mut predicates = vec![self.same_predicate(e, false)];
        predicates.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => shared::noun_same_predicates(noun, e),
            Shape::Passive {
                agent: Some(a),
                head,
            } => shared::agent_same_predicates(a, head, e),
            _ => Vec::new(),
        });
        predicates
    }

    /// [`Phrase::together_questions`] from the shape of the text alone.
    fn plain_together_questions(&self, e: &Np) -> Vec<String> {
        let x = &e.text;
        match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => vec![
                format!("what else {}", together_noun(noun, x)),
                format!("which other {noun} do things with {noun} {x} have"),
            ],
            Shape::Verb(verb) => {
                let (fin, tail, particle) = (verb.finite(true), verb.tail(), verb.particle());
                let aux = verb.modal.as_deref().unwrap_or("do");
                let base = &verb.base;
                match &verb.object {
                    Some(object) => vec![format!(
                        "what other {object} {aux} things that {fin}{tail} {x} {base}{particle}"
                    )],
                    None => vec![format!(
                        "what else {aux} things that {fin}{particle} {x} {base}{particle}"
                    )],
                }
            }
            Shape::Passive { head, .. } => {
                vec![format!("what else are things {head} {x} also {head}")]
            }
            Shape::HeadObject { head, object } => vec![format!(
                "what other {object} are things {head} the {object} {x} also {head}"
            )],
        }
    }

    /// [`Phrase::together_nouns`] from the shape of the text alone.
    fn plain_together_nouns(&self, e: &Np) -> Vec<Np> {
        let x = &e.text;
        let text = match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => {
                format!(
                    "the other {noun} of things with {x} {} their {noun}",
                    among(noun)
                )
            }
            Shape::Verb(verb) => {
                let (fin, tail, particle) = (verb.finite(true), verb.tail(), verb.particle());
                match &verb.object {
                    Some(object) => {
                        format!("the other {object} things that {fin}{tail} {x} {fin}{particle}")
                    }
                    None => {
                        format!("whatever else things that {fin}{particle} {x} {fin}{particle}")
                    }
                }
            }
            Shape::Passive { head, .. } => format!("whatever else things {head} {x} are {head}"),
            Shape::HeadObject { head, object } => {
                format!("the other {object} things {head} the {object} {x} are {head}")
            }
        };
        vec![Np::described(text, true)]
    }

    /// [`Phrase::together_predicates`] from the shape of the text alone.
    fn plain_together_predicates(&self, e: &Np) -> Vec<String> {
        let x = &e.text;
        match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => {
                vec![together_noun(noun, x)]
            }
            Shape::Verb(verb) => {
                let (fin, tail, particle) = (verb.finite(true), verb.tail(), verb.particle());
                vec![format!(
                    "is what else things that {fin}{tail} {x} {fin}{particle}"
                )]
            }
            Shape::Passive { head, .. } => {
                vec![format!("is what else things {head} {x} are {head}")]
            }
            Shape::HeadObject { head, object } => vec![format!(
                "is another {object} things {head} the {object} {x} are {head}"
            )],
        }
    }

    /// Questions asking for the nodes that occur together with `e` along this relation (the
    /// relation followed backwards, then forwards): `what else is among the starred actors
    /// together with X`, `who acted together with X`.
    pub fn together_questions(&self, e: &Np) -> Vec<String> {
        let mut questions = self.plain_together_questions(e);
        questions.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => shared::noun_together_questions(noun, e),
            Shape::Passive { agent: Some(a), .. } => shared::agent_together_questions(a, e),
            _ => Vec::new(),
        });
        questions
    }

    /// Noun phrases naming the nodes that occur together with `e` along this relation.
    pub fn together_nouns(&self, e: &Np) -> Vec<Np> {
        let mut nouns = self.plain_together_nouns(e);
        nouns.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => shared::noun_together_nouns(noun, e),
            Shape::Passive { agent: Some(a), .. } => shared::agent_together_nouns(a, e),
            _ => Vec::new(),
        });
        nouns
    }

    /// Predicates saying of one node that it occurs together with `e` along this relation.
    pub fn together_predicates(&self, e: &Np) -> Vec<String> {
        let mut predicates = self.plain_together_predicates(e);
        predicates.extend(match &self.shape {
            Shape::Have { noun } | Shape::Noun { noun } => {
                shared::noun_together_predicates(noun, e)
            }
            Shape::Passive { agent: Some(a), .. } => shared::agent_together_predicates(a, e),
            _ => Vec::new(),
        });
        predicates
    }

    fn same_predicate(&self, e: &Np, plural: bool) -> String {
        let be = if plural { "are" } else { "is" };
        let have = if plural { "have" } else { "has" };
        let share = if plural { "share" } else { "shares" };
        let e = &e.text;
        match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun }
                if is_plural(noun) =>
            {
                format!("{share} {noun} with {e}")
            }
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => {
                format!("{have} the same {noun} as {e}")
            }
            Shape::Verb(verb) => {
                let object = verb.object.as_deref().unwrap_or("thing");
                let particle = verb.particle();
                format!("{}{particle} the same {object} as {e}", verb.finite(plural))
            }
            Shape::Passive { head, .. } => format!("{be} {head} the same one as {e}"),
            Shape::HeadObject { head, object } => {
                format!("{be} {head} the same {object} as {e}")
            }
        }
    }

    fn forward_questions(&self, e: &Np) -> Vec<String> {
        let (be, x) = (e.be(), &e.text);
        match &self.shape {
            Shape::Have { noun } => {
                let mut questions = vec![
                    format!("what {noun} {} {x} have", e.does()),
                    format!("which {noun} {} {x} have", e.does()),
                    format!("what {} the {noun} of {x}", be_for(noun)),
                ];
                if e.name {
                    questions.push(format!("what {} {} {noun}", be_for(noun), possessive(x)));
                }
                questions
            }
            Shape::Verb(verb) => {
                let (aux, base, particle) = (verb.aux(e.plural), &verb.base, verb.particle());
                let finite = verb.finite(e.plural);
                match &verb.object {
                    Some(object) => vec![
                        format!("what {object} {aux} {x} {base}{particle}"),
                        format!("which {object} {aux} {x} {base}{particle}"),
                        format!("tell me which {object} {x} {finite}{particle}"),
                    ],
                    None => vec![
                        format!("what {aux} {x} {base}{particle}"),
                        format!("tell me what {x} {finite}{particle}"),
                    ],
                }
            }
            Shape::Passive { head, agent } => {
                let mut questions = vec![
                    format!("what {be} {x} {head}"),
                    format!("tell me what {x} {be} {head}"),
                ];
                if let Some(agent) = agent {
                    questions.push(format!("who or what {} {x}", agent.past));
                }
                questions
            }
            Shape::HeadObject { head, object } => vec![
                format!("which {object} {be} {x} {head}"),
                format!("what {object} {be} {x} {head}"),
                format!("tell me the {object} {x} {be} {head}"),
            ],
            Shape::Prep { prep, noun } => vec![
                format!("what {noun} {be} {x} {prep}"),
                format!("which {noun} {be} {x} {prep}"),
                format!("what {} the {noun} of {x}", be_for(noun)),
            ],
            Shape::Noun { noun } => {
                let mut questions = vec![
                    format!("what {} the {noun} of {x}", be_for(noun)),
                    format!("name the {noun} of {x}"),
                    format!("which {noun} {} {x} have", e.does()),
                ];
                if e.name {
                    questions.push(format!("what {} {} {noun}", be_for(noun), possessive(x)));
                }
                questions
            }
        }
    }

    fn forward_nouns(&self, e: &Np) -> Vec<Np> {
        let (be, x) = (e.be(), &e.text);
        match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => {
                let mut nouns = vec![Np::described(format!("the {noun} of {x}"), is_plural(noun))];
                if e.name {
                    nouns.push(Np::described(
                        format!("{} {noun}", possessive(x)),
                        is_plural(noun),
                    ));
                }
                nouns
            }
            Shape::Verb(verb) => {
                let (finite, particle) = (verb.finite(e.plural), verb.particle());
                match &verb.object {
                    Some(object) => vec![Np::described(
                        format!("the {object} {x} {finite}{particle}"),
                        is_plural(object),
                    )],
                    None => vec![Np::described(format!("what {x} {finite}{particle}"), false)],
                }
            }
            Shape::Passive { head, agent } => match agent {
                Some(agent) => vec![
                    Np::described(format!("whoever {} {x}", agent.past), false),
                    Np::described(format!("the one that {} {x}", agent.past), false),
                ],
                None => vec![
                    Np::described(format!("whatever {x} {be} {head}"), false),
                    Np::described(format!("the one {x} {be} {head}"), false),
                ],
            },
            Shape::HeadObject { head, object } => vec![Np::described(
                format!("the {object} {x} {be} {head}"),
                is_plural(object),
            )],
        }
    }

    fn forward_predicates(&self, e: &Np) -> Vec<String> {
        let (be, x) = (e.be(), &e.text);
        match &self.shape {
            Shape::Have { noun } | Shape::Prep { noun, .. } | Shape::Noun { noun } => {
                vec![one_of(noun, x)]
            }
            Shape::Verb(verb) => {
                let (finite, particle) = (verb.finite(e.plural), verb.particle());
                vec![format!("is what {x} {finite}{particle}")]
            }
            Shape::Passive { head, agent } => match agent {
                Some(agent) => vec![format!("{} {x}", agent.past)],
                None => vec![format!("is what {x} {be} {head}")],
            },
            Shape::HeadObject { head, object } => {
                vec![format!("is the {object} {x} {be} {head}")]
            }
        }
    }

    fn inverse_questions(&self, e: &Np) -> Vec<String> {
        let x = &e.text;
        match &self.shape {
            Shape::Have { noun } => vec![
                format!("what has {noun} {x}"),
                format!("what has {x} {} its {noun}", among(noun)),
                format!("which things have {noun} {x}"),
            ],
            Shape::Verb(verb) => {
                let tail = verb.tail();
                vec![
                    format!("what {}{tail} {x}", verb.finite(false)),
                    format!("which things {}{tail} {x}", verb.finite(true)),
                ]
            }
            Shape::Passive { head, .. } => vec![
                format!("what is {head} {x}"),
                format!("which things are {head} {x}"),
            ],
            Shape::HeadObject { head, object } => vec![
                format!("what is {head} the {object} {x}"),
                format!("which things are {head} the {object} {x}"),
            ],
            Shape::Prep { prep, noun } => vec![
                format!("what is {prep} {x}"),
                format!("what has {x} as its {noun}"),
                format!("which things are {prep} the {noun} {x}"),
            ],
            Shape::Noun { noun } => vec![
                format!("what has {x} {} its {noun}", among(noun)),
                format!("whose {noun} {} {x}", include(noun)),
                format!("which things have {x} {} their {noun}", among(noun)),
            ],
        }
    }

    fn inverse_nouns(&self, e: &Np) -> Vec<Np> {
        let x = &e.text;
        let things = |text: String| Np::described(text, true);
        match &self.shape {
            Shape::Have { noun } => vec![things(format!("things with {noun} {x}"))],
            Shape::Verb(verb) => vec![things(format!(
                "things that {}{} {x}",
                verb.finite(true),
                verb.tail()
            ))],
            Shape::Passive { head, .. } => vec![things(format!("things {head} {x}"))],
            Shape::HeadObject { head, object } => {
                vec![things(format!("things {head} the {object} {x}"))]
            }
            Shape::Prep { prep, noun } => vec![
                things(format!("things {prep} {x}")),
                things(format!("things with {x} as their {noun}")),
            ],
            Shape::Noun { noun } => vec![
                things(format!("things whose {noun} {} {x}", include(noun))),
                things(format!("things with {x} {} their {noun}", among(noun))),
            ],
        }
    }

    fn inverse_predicates(&self, e: &Np) -> Vec<String> {
        let x = &e.text;
        match &self.shape {
            Shape::Have { noun } => vec![
                format!("has {noun} {x}"),
                format!("has {x} {} its {noun}", among(noun)),
            ],
            Shape::Verb(verb) => vec![format!("{}{} {x}", verb.finite(false), verb.tail())],
            Shape::Passive { head, .. } => vec![format!("is {head} {x}")],
            Shape::HeadObject { head, object } => vec![format!("is {head} the {object} {x}")],
            Shape::Prep { prep, noun } => {
                vec![format!("is {prep} {x}"), format!("has {x} as its {noun}")]
            }
            Shape::Noun { noun } => vec![format!("has {x} {} its {noun}", among(noun))],
        }
    }
}

/// Whether a noun phrase reads as plural (its last word ends in `s`, but not `ss`, `us`, `is`).
fn is_plural(noun: &str) -> bool {
    let last = head_word(noun);
    last.len() > 2 && last.ends_with('s') && !["ss", "us", "is"].iter().any(|e| last.ends_with(e))
}

fn be_for(noun: &str) -> &'static str {
    if is_plural(noun) {
        "are"
    } else {
        "is"
    }
}

fn among(noun: &str) -> &'static str {
    if is_plural(noun) {
        "among"
    } else {
        "as"
    }
}

fn include(noun: &str) -> &'static str {
    if is_plural(noun) {
        "include"
    } else {
        "is"
    }
}

/// `Heat's`, `The Out-of-Towners'`.
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `is among the starred actors together with X`, `is a genre of the same things as X`.
fn together_noun(noun: &str, x: &str) -> String {
    if is_plural(noun) {
        format!("is among the {noun} together with {x}")
    } else {
        one_of(noun, &format!("the same things as {x}"))
    }
}

/// `is a genre of X`, `is an imdb rating of X`, `is among the starred actors of X`.
fn one_of(noun: &str, x: &str) -> String {
    if is_plural(noun) {
        return format!("is among the {noun} of {x}");
    }
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("is {article} {noun} of {x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_question(text: &str, forward: bool) -> String {
        Phrase::new(text)
            .questions(forward, &Np::name("X"))
            .remove(0)
    }

    #[test]
    fn reads_each_shape_of_relation_text() {
        for (text, forward, question) in [
            ("has genre", true, "what genre does X have"),
            ("has genre", false, "what has genre X"),
            ("directed by", true, "what is X directed by"),
            ("directed by", false, "what is directed by X"),
            ("fixes error", true, "what error does X fix"),
            ("fixes error", false, "what fixes error X"),
            ("plays in club", true, "what club does X play in"),
            ("can report error", true, "what error can X report"),
            ("can report error", false, "what can report error X"),
            ("indicates", true, "what does X indicate"),
            ("part of family", true, "which family is X part of"),
            ("part of family", false, "what is part of the family X"),
            ("in language", true, "what language is X in"),
            ("in language", false, "what is in X"),
            ("release year", true, "what is the release year of X"),
            ("release year", false, "what has X as its release year"),
            ("starred actors", true, "what are the starred actors of X"),
            (
                "starred actors",
                false,
                "what has X among its starred actors",
            ),
            ("place of birth", true, "what is the place of birth of X"),
            ("is part of", true, "what is X part of"),
            ("belongs to", true, "what does X belong to"),
            ("compatible with", false, "what is compatible with X"),
        ] {
            assert_eq!(first_question(text, forward), question, "{text} {forward}");
        }
    }

    #[test]
    fn the_role_of_what_a_relation_points_at() {
        for (text, role) in [
            ("directed by", Some("director")),
            ("starred actors", Some("actor")),
            ("has tags", Some("tag")),
            ("release year", Some("year")),
            ("in language", Some("language")),
            ("part of family", Some("family")),
            ("fixes error", None),
        ] {
            let found = Phrase::new(text).object_role();
            assert_eq!(found.as_deref(), role, "{text}");
        }
    }

    #[test]
    fn descriptions_agree_with_their_number() {
        let things = Phrase::new("directed by").nouns(false, &Np::name("Mann"));
        assert_eq!(things[0].text, "things directed by Mann");
        assert!(things[0].plural);
        let question = Phrase::new("in language").questions(true, &things[0]);
        assert_eq!(question[0], "what language are things directed by Mann in");
        let verb = Phrase::new("fixes error").questions(true, &things[0]);
        assert_eq!(verb[0], "what error do things directed by Mann fix");
        let agent = Phrase::new("directed by").nouns(true, &Np::name("Heat"));
        assert_eq!(agent[0].text, "whoever directed Heat");
    }

    #[test]
    fn possessives_only_of_names() {
        let name = Phrase::new("release year").questions(true, &Np::name("Heat"));
        assert!(name.contains(&"what is Heat's release year".to_owned()));
        let plural = Phrase::new("has genre").questions(true, &Np::name("The Towners"));
        assert!(
            plural.contains(&"what is The Towners' genre".to_owned()),
            "{plural:?}"
        );
        let described = Np::described("whoever directed Heat".into(), false);
        let nested = Phrase::new("release year").questions(true, &described);
        assert!(nested.iter().all(|q| !q.contains("'s")), "{nested:?}");
    }

    #[test]
    fn shared_neighbours_and_predicates() {
        let heat = Np::name("Heat");
        assert_eq!(
            Phrase::new("directed by").same_questions(&heat)[0],
            "what else is directed by the same one as Heat"
        );
        assert_eq!(
            Phrase::new("has genre").same_questions(&heat)[0],
            "what else has the same genre as Heat"
        );
        assert_eq!(
            Phrase::new("starred actors").same_questions(&heat)[0],
            "what else shares starred actors with Heat"
        );
        let pacino = Np::name("Al Pacino");
        assert_eq!(
            Phrase::new("starred actors").together_questions(&pacino)[0],
            "what else is among the starred actors together with Al Pacino"
        );
        assert_eq!(
            Phrase::new("has genre").together_questions(&Np::name("Crime"))[1],
            "which other genre do things with genre Crime have"
        );
        assert_eq!(
            Phrase::new("recommends fix").together_questions(&Np::name("F"))[0],
            "what other fix do things that recommend fix F recommend"
        );
        assert_eq!(
            Phrase::new("directed by").together_questions(&Np::name("Mann"))[0],
            "what else are things directed by Mann also directed by"
        );
        assert_eq!(
            Phrase::new("has imdb rating").predicates(true, &heat)[0],
            "is an imdb rating of Heat"
        );
        assert_eq!(
            Phrase::new("directed by").predicates(true, &heat)[0],
            "directed Heat"
        );
    }
}
