//! Questions in words: a constraint's path composed from its relations' phrases, inside out
//! (`what is the release year of things directed by Michael Mann`), the topic named by one of its
//! labels or alternative labels.

use oxigraph::model::NamedNode;
use rand::rngs::StdRng;
use rand::Rng;

use super::lexicon::Lexicon;
use super::path::{Constraint, Step};
use super::phrase::Np;

/// What a constraint is said as.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// `what is directed by X`.
    Question,
    /// `is directed by X`, said of one answer.
    Predicate,
}

/// Puts constraints into words.
#[derive(Debug, Clone, Copy)]
pub struct Verbaliser<'a> {
    lexicon: &'a Lexicon,
    alternative_labels: f64,
}

impl<'a> Verbaliser<'a> {
    /// Names topics by an alternative label with probability `alternative_labels` (when they have
    /// one).
    pub fn new(lexicon: &'a Lexicon, alternative_labels: f64) -> Self {
        Self {
            lexicon,
            alternative_labels,
        }
    }

    /// A question asking for the answers of `constraint`.
    pub fn question(&self, constraint: &Constraint, rng: &mut StdRng) -> String {
        let text = self.say(constraint, Form::Question, rng);
        finish(text, rng)
    }

    /// A question asking for what both constraints reach.
    pub fn conjunction(&self, first: &Constraint, second: &Constraint, rng: &mut StdRng) -> String {
        let one = self.say(first, Form::Predicate, rng);
        let two = self.say(second, Form::Predicate, rng);
        let options = vec![
            format!("what {one} and {two}"),
            format!("which one {one} and {two}"),
            format!("tell me what {one} and {two}"),
        ];
        finish(pick(options, rng), rng)
    }

    /// `constraint` as a question asking for its answers, or as a predicate of one answer.
    fn say(&self, constraint: &Constraint, form: Form, rng: &mut StdRng) -> String {
        let topic = self.name(&constraint.topic, rng);
        let steps = &constraint.path.steps;
        let Some((before, last, ending)) = split_ending(steps) else {
            return format!("what is {}", topic.text);
        };
        let e = self.describe(before, topic, rng);
        let phrase = self.lexicon.phrase(&last.relation);
        let options = match (form, ending) {
            (Form::Question, Ending::Shared) => phrase.same_questions(&e),
            (Form::Question, Ending::Together) => phrase.together_questions(&e),
            (Form::Question, Ending::Step) => phrase.questions(last.forward, &e),
            (Form::Predicate, Ending::Shared) => phrase.same_predicates(&e),
            (Form::Predicate, Ending::Together) => phrase.together_predicates(&e),
            (Form::Predicate, Ending::Step) => phrase.predicates(last.forward, &e),
        };
        pick(options, rng)
    }

    /// A noun phrase naming the nodes `steps` reach from `topic`.
    fn describe(&self, steps: &[Step], topic: Np, rng: &mut StdRng) -> Np {
        let Some((before, last, ending)) = split_ending(steps) else {
            return topic;
        };
        let e = self.describe(before, topic, rng);
        let phrase = self.lexicon.phrase(&last.relation);
        let options = match ending {
            Ending::Shared => phrase.same_nouns(&e),
            Ending::Together => phrase.together_nouns(&e),
            Ending::Step => phrase.nouns(last.forward, &e),
        };
        pick(options, rng)
    }

    /// One of the topic's labels: an alternative label with probability `alternative_labels`.
    fn name(&self, topic: &NamedNode, rng: &mut StdRng) -> Np {
        let Some(forms) = self.lexicon.forms(topic) else {
            return Np::name(crate::text::local_name(topic.as_str()));
        };
        let alternative = forms.preferred.is_empty()
            || (!forms.alternative.is_empty() && rng.gen_bool(self.alternative_labels));
        let list = if alternative {
            &forms.alternative
        } else {
            &forms.preferred
        };
        Np::name(list[rng.gen_range(0..list.len())].clone())
    }
}

/// How a path ends: in one step worded alone, or in a pair of steps along one relation worded
/// together.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// One step.
    Step,
    /// Forwards then backwards: the nodes sharing a neighbour with the start.
    Shared,
    /// Backwards then forwards: the nodes occurring together with the start.
    Together,
}

/// The steps before the path's ending, the ending's last step, and the kind of ending; `None`
/// for an empty path.
fn split_ending(steps: &[Step]) -> Option<(&[Step], &Step, Ending)> {
    match steps {
        [before @ .., previous, last] if last.shares_after(previous) => {
            Some((before, last, Ending::Shared))
        }
        [before @ .., previous, last] if last.joins_after(previous) => {
            Some((before, last, Ending::Together))
        }
        [before @ .., last] => Some((before, last, Ending::Step)),
        [] => None,
    }
}

fn pick<T>(mut options: Vec<T>, rng: &mut StdRng) -> T {
    let index = rng.gen_range(0..options.len());
    options.swap_remove(index)
}

/// Ends a question with `?` one time in four.
fn finish(mut text: String, rng: &mut StdRng) -> String {
    if rng.gen_ratio(1, 4) {
        text.push('?');
    }
    text
}
