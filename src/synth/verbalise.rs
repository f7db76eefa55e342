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
        let (text, topic) = self.say(constraint, Form::Question, rng);
        let text = vary_things(&text, &[&topic], rng);
        finish(text, rng)
    }

    /// A question asking for what both constraints reach.
    pub fn conjunction(&self, first: &Constraint, second: &Constraint, rng: &mut StdRng) -> String {
        let (one, first_topic) = self.say(first, Form::Predicate, rng);
        let (two, second_topic) = self.say(second, Form::Predicate, rng);
        let options = vec![
            format!("what {one} and {two}"),
            format!("which one {one} and {two}"),
            format!("tell me what {one} and {two}"),
        ];
        let text = vary_things(&pick(options, rng), &[&first_topic, &second_topic], rng);
        finish(text, rng)
    }

    /// `constraint` as a question asking for its answers, or as a predicate of one answer; and
    /// the name it gives the topic.
    fn say(&self, constraint: &Constraint, form: Form, rng: &mut StdRng) -> (String, String) {
        let topic = self.name(&constraint.topic, rng);
        let name = topic.text.clone();
        let steps = &constraint.path.steps;
        let topic = self.introduce(topic, steps.first(), rng);
        let Some((before, last, ending)) = split_ending(steps) else {
            return (format!("what is {name}"), name);
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
        (pick(options, rng), name)
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

    /// `topic` introduced by the role it plays in the path's `first` step one time in
    /// [`ROLE_ONE_IN`] (`the director Michael Mann`, `the genre Drama`), when the path leaves it
    /// backwards along a relation whose object has a noun.
    fn introduce(&self, topic: Np, first: Option<&Step>, rng: &mut StdRng) -> Np {
        let Some(step) = first.filter(|s| !s.forward) else {
            return topic;
        };
        let Some(role) = self.lexicon.phrase(&step.relation).object_role() else {
            return topic;
        };
        if !rng.gen_ratio(1, ROLE_ONE_IN) {
            return topic;
        }
        Np::name(format!("the {role} {}", topic.text))
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

/// One question in this many introduces its topic by its role (`the actor X`), as people often
/// do.
const ROLE_ONE_IN: u32 = 4;

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

/// The plural nouns a question may say for what it asks about, the first as often as all the
/// others: without classes in the graph there is no better word than `things`, and a model that
/// only ever read `things` there takes any other noun (`which films did X star in`) for a sign of
/// another question.
const THINGS: &[&str] = &[
    "things", "ones", "items", "entries", "works", "titles", "entities", "records",
];

/// `text` with the word `things` said as a noun drawn from [`THINGS`], one per question, outside
/// the topics' `names` (a label may hold the word).
fn vary_things(text: &str, names: &[&str], rng: &mut StdRng) -> String {
    if rng.gen_bool(0.5) {
        return text.to_owned();
    }
    let noun = THINGS[rng.gen_range(1..THINGS.len())];
    let mut pieces = vec![text.to_owned()];
    for name in names.iter().filter(|n| !n.is_empty()) {
        pieces = pieces
            .iter()
            .flat_map(|piece| split_keeping(piece, name))
            .collect();
    }
    pieces
        .into_iter()
        .map(|piece| {
            if names.contains(&piece.as_str()) {
                piece
            } else {
                replace_word(&piece, THINGS[0], noun)
            }
        })
        .collect()
}

/// `text` cut around each occurrence of `name`, the occurrences kept as pieces of their own.
fn split_keeping(text: &str, name: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        pieces.push(rest[..at].to_owned());
        pieces.push(name.to_owned());
        rest = &rest[at + name.len()..];
    }
    pieces.push(rest.to_owned());
    pieces
}

/// `text` with every whole word `word` replaced by `by`.
fn replace_word(text: &str, word: &str, by: &str) -> String {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_word) || after.is_some_and(is_word) {
            out.push_str(word);
        } else {
            out.push_str(by);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// Ends a question with `?` one time in four.
fn finish(mut text: String, rng: &mut StdRng) -> String {
    if rng.gen_ratio(1, 4) {
        text.push('?');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn things_are_said_in_other_words_but_never_inside_a_topic_name() {
        let text = "which things are written by All the Things You Are";
        let mut seen = std::collections::BTreeSet::new();
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let varied = vary_things(text, &["All the Things You Are"], &mut rng);
            assert!(
                varied.ends_with("written by All the Things You Are"),
                "{varied}"
            );
            seen.insert(varied.split(' ').nth(1).unwrap_or_default().to_owned());
        }
        assert_eq!(seen.len(), THINGS.len(), "{seen:?}");
        let lower = vary_things("what things did things x write", &["things x"], &mut rng);
        assert!(lower.ends_with("did things x write"), "{lower}");
        assert_eq!(
            replace_word("somethings things", "things", "items"),
            "somethings items"
        );
    }
}
