//! Phrasings a relation's words imply beyond their shape: who did it and when. `directed by`
//! also reads `who directed X` and `what did X direct`; a noun naming doers (`starred actors`)
//! also reads `who acted in X` and `what did X star in`; a noun naming a time (`release year`)
//! also reads `when was X released`. People ask in these words far more often than in the
//! relation's own.

use super::morph::{doer_verb, head_word, participle, participle_base, past_tense, singular};
use super::phrase::Np;
use super::shape::Agent;

/// What a relation's noun (`starred actors`, `release year`) says beyond being a noun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NounSense {
    /// The nouns are doers: the verbs they did, the head's own first (`acted`, `starred`), in
    /// base form and past tense.
    Doers { verbs: Vec<(String, String)> },
    /// The noun is a time: the participle of its event (`released`).
    Time { done: String },
    /// The nouns say what the subject is about (`tags`, `keywords`, `topics`).
    Description,
}

/// Nouns whose values say what their subject is about.
const DESCRIPTIONS: &[&str] = &["tag", "keyword", "topic", "subject", "theme"];

/// Reads a relation noun's sense, if it has one beyond being a noun.
pub(super) fn noun_sense(noun: &str) -> Option<NounSense> {
    let words: Vec<&str> = noun.split_whitespace().collect();
    let (&head, modifiers) = words.split_last()?;
    if let Some(verb) = doer_verb(head) {
        let mut verbs = vec![(past_tense(&verb), verb)];
        if let [modifier] = modifiers {
            if let Some(base) = participle_base(modifier) {
                verbs.push((past_tense(&base), base));
            }
        }
        return Some(NounSense::Doers { verbs });
    }
    if DESCRIPTIONS.contains(&singular(head).as_str()) {
        return Some(NounSense::Description);
    }
    match (modifiers, head) {
        ([event], "year" | "date" | "time" | "day") if !event.ends_with("th") => {
            let base = event.strip_suffix("ing").map_or(*event, |s| s);
            Some(NounSense::Time {
                done: participle(base),
            })
        }
        _ => None,
    }
}

/// Extra questions asking for the nodes one step forward from `e` along a noun relation.
pub(super) fn noun_forward_questions(noun: &str, e: &Np) -> Vec<String> {
    let x = &e.text;
    let (be, was) = if plural(noun) {
        ("are", "were")
    } else {
        ("is", "was")
    };
    let mut questions = vec![format!("what {was} the {noun} of {x}")];
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => {
            questions.push(format!("who {be} the {noun} of {x}"));
            questions.push(format!("who {was} the {noun} of {x}"));
            questions.push(format!("the {noun} of {x} {was} who"));
            for (past, _) in &verbs {
                questions.push(format!("who {past} in {x}"));
            }
        }
        Some(NounSense::Time { done }) => {
            let head = head_word(noun);
            let was = if e.plural { "were" } else { "was" };
            questions.push(format!("when {was} {x} {done}"));
            questions.push(format!("what {head} {was} {x} {done}"));
        }
        Some(NounSense::Description) => {
            questions.push(format!("what {} {x} about", e.be()));
            questions.push(format!("what words describe {x}"));
            questions.push(format!("which {noun} describe {x}"));
            questions.push(format!("describe {x} in a few words"));
        }
        None if !plural(noun) => questions.push(format!("what {noun} {} {x}", e.be())),
        None => {}
    }
    questions
}

/// Extra noun phrases naming the nodes one step forward from `e` along a noun relation.
pub(super) fn noun_forward_nouns(noun: &str, e: &Np) -> Vec<Np> {
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => verbs
            .iter()
            .map(|(past, _)| Np::described(format!("the ones who {past} in {}", e.text), true))
            .collect(),
        _ => Vec::new(),
    }
}

/// Extra predicates saying of a node that it is one step forward from `e` along a noun relation.
pub(super) fn noun_forward_predicates(noun: &str, e: &Np) -> Vec<String> {
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => verbs
            .iter()
            .map(|(past, _)| format!("{past} in {}", e.text))
            .collect(),
        _ => Vec::new(),
    }
}

/// Extra questions asking for the nodes one step backward from `e` along a noun relation (`what
/// did X act in`, `what was released in 1999`).
pub(super) fn noun_inverse_questions(noun: &str, e: &Np) -> Vec<String> {
    let x = &e.text;
    let does = if e.plural { "do" } else { "does" };
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => {
            let one = singular(head_word(noun));
            let mut questions = vec![format!("what was {x} {} {one} in", article(&one))];
            for (past, base) in &verbs {
                questions.push(format!("what did {x} {base} in"));
                questions.push(format!("which things did {x} {base} in"));
                questions.push(format!("what {does} {x} {base} in"));
                questions.push(format!("{x} {past} in what"));
            }
            questions
        }
        Some(NounSense::Time { done }) => vec![
            format!("what was {done} in {x}"),
            format!("which things were {done} in {x}"),
        ],
        Some(NounSense::Description) => vec![
            format!("what is about {x}"),
            format!("which things are about {x}"),
            format!("what can be described by {x}"),
            format!("which things can be described as {x}"),
        ],
        None => Vec::new(),
    }
}

/// Extra noun phrases naming the nodes one step backward from `e` along a noun relation.
pub(super) fn noun_inverse_nouns(noun: &str, e: &Np) -> Vec<Np> {
    let x = &e.text;
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => verbs
            .iter()
            .map(|(past, _)| Np::described(format!("things {x} {past} in"), true))
            .collect(),
        Some(NounSense::Time { done }) => {
            vec![Np::described(format!("things {done} in {x}"), true)]
        }
        Some(NounSense::Description) => vec![
            Np::described(format!("things about {x}"), true),
            Np::described(format!("things described by {x}"), true),
        ],
        None => Vec::new(),
    }
}

/// Extra predicates saying of a node that it is one step backward from `e` along a noun relation.
pub(super) fn noun_inverse_predicates(noun: &str, e: &Np) -> Vec<String> {
    match noun_sense(noun) {
        Some(NounSense::Time { done }) => vec![format!("was {done} in {}", e.text)],
        Some(NounSense::Description) => vec![format!("is about {}", e.text)],
        _ => Vec::new(),
    }
}

/// Extra questions asking for the agent of `e` (`who directed X`); `head` is the relation's text
/// (`directed by`).
pub(super) fn agent_forward_questions(agent: &Agent, head: &str, e: &Np) -> Vec<String> {
    let (x, past, doer) = (&e.text, &agent.past, &agent.doer);
    let was = if e.plural { "were" } else { "was" };
    vec![
        format!("who {past} {x}"),
        format!("who is the {doer} of {x}"),
        format!("who was the {doer} of {x}"),
        format!("who's the {doer} of {x}"),
        format!("the {doer} of {x} was who"),
        format!("the {doer} of {x} is who"),
        format!("the {doer} of {x} was"),
        format!("{x} {was} {head} who"),
    ]
}

/// Extra noun phrases naming the agent of `e`.
pub(super) fn agent_forward_nouns(agent: &Agent, e: &Np) -> Vec<Np> {
    vec![Np::described(
        format!("the {} of {}", agent.doer, e.text),
        false,
    )]
}

/// Extra predicates saying of a node that it is the agent of `e`.
pub(super) fn agent_forward_predicates(agent: &Agent, e: &Np) -> Vec<String> {
    vec![format!("is the {} of {}", agent.doer, e.text)]
}

/// Extra questions asking for what the agent `e` did (`what did X direct`).
pub(super) fn agent_inverse_questions(agent: &Agent, head: &str, e: &Np) -> Vec<String> {
    let (x, base, past, doer) = (&e.text, &agent.base, &agent.past, &agent.doer);
    let (did, was) = ("did", if e.plural { "were" } else { "was" });
    vec![
        format!("what {did} {x} {base}"),
        format!("which things {did} {x} {base}"),
        format!("what {was} {x} the {doer} of"),
        format!("what was {head} {x}"),
        format!("{x} {past} what"),
    ]
}

/// Extra noun phrases naming what the agent `e` did (`things X directed`).
pub(super) fn agent_inverse_nouns(agent: &Agent, e: &Np) -> Vec<Np> {
    vec![Np::described(
        format!("things {} {}", e.text, agent.past),
        true,
    )]
}

/// Extra predicates saying of a node that the agent `e` did it.
pub(super) fn agent_inverse_predicates(head: &str, e: &Np) -> Vec<String> {
    vec![format!("was {head} {}", e.text)]
}

fn plural(noun: &str) -> bool {
    let last = head_word(noun);
    singular(last) != last
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doers_time_nouns_and_plain_nouns() {
        assert_eq!(
            noun_sense("starred actors"),
            Some(NounSense::Doers {
                verbs: vec![
                    ("acted".into(), "act".into()),
                    ("starred".into(), "star".into())
                ]
            })
        );
        assert_eq!(
            noun_sense("release year"),
            Some(NounSense::Time {
                done: "released".into()
            })
        );
        assert_eq!(noun_sense("genre"), None);
        assert_eq!(noun_sense("place of birth"), None);
    }

    #[test]
    fn questions_in_the_words_people_use() {
        let heat = Np::name("Heat");
        let forward = noun_forward_questions("starred actors", &heat);
        assert!(
            forward.contains(&"who acted in Heat".to_owned()),
            "{forward:?}"
        );
        assert!(forward.contains(&"who starred in Heat".to_owned()));
        let pacino = Np::name("Al Pacino");
        let inverse = noun_inverse_questions("starred actors", &pacino);
        assert!(inverse.contains(&"what did Al Pacino star in".to_owned()));
        assert!(inverse.contains(&"what was Al Pacino an actor in".to_owned()));
        let genre = noun_forward_questions("genre", &heat);
        assert!(
            genre.contains(&"what genre is Heat".to_owned()),
            "{genre:?}"
        );
        let tags = noun_forward_questions("tags", &heat);
        assert!(tags.contains(&"what is Heat about".to_owned()), "{tags:?}");
        let about = noun_inverse_questions("tags", &Np::name("heist"));
        assert!(about.contains(&"which things are about heist".to_owned()));
        let when = noun_forward_questions("release year", &heat);
        assert!(
            when.contains(&"when was Heat released".to_owned()),
            "{when:?}"
        );
        let agent = Agent {
            base: "write".into(),
            past: "wrote".into(),
            doer: "writer".into(),
        };
        let mann = Np::name("Mann");
        assert!(agent_inverse_questions(&agent, "written by", &mann)
            .contains(&"what did Mann write".to_owned()));
        assert_eq!(
            agent_forward_questions(&agent, "written by", &heat)[1],
            "who is the writer of Heat"
        );
    }
}
