//! Two steps along one relation in the words people use, where the relation's text implies doers
//! or a time (see [`super::derived`]): what shares a node with `e` (`which things have the same
//! director as X`, `the actors of X also acted in what`, `what else was released in the same year
//! as X`) and what occurs together with `e` (`who acted together with X`). Also the attributive
//! names people give one step (`the X director`, `X actors`, `things starred by X`).

use super::derived::{noun_sense, NounSense};
use super::morph::{head_word, singular};
use super::phrase::Np;
use super::shape::Agent;

/// The head of a relation noun in the singular and the plural (`starred actors` → `actor`,
/// `actors`).
fn head_forms(noun: &str) -> (String, String) {
    let head = head_word(noun);
    let one = singular(head);
    let many = if one == head {
        format!("{head}s")
    } else {
        head.to_owned()
    };
    (one, many)
}

/// Questions asking for what shares a node with `e` along a noun relation.
pub(super) fn noun_same_questions(noun: &str, e: &Np) -> Vec<String> {
    let x = &e.text;
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => {
            let (one, many) = head_forms(noun);
            let mut questions = vec![
                format!("which things have the same {one} as {x}"),
                format!("what has the same {one} as {x}"),
                format!("which things share {many} with {x}"),
                format!("what shares {many} with {x}"),
            ];
            for (past, base) in &verbs {
                questions.push(format!("the {many} of {x} also {past} in what"));
                questions.push(format!("what else did the {many} of {x} {base} in"));
                questions.push(format!("which things did the {one} of {x} also {base} in"));
            }
            questions
        }
        Some(NounSense::Time { done }) => {
            let head = head_word(noun);
            vec![
                format!("what else was {done} in the same {head} as {x}"),
                format!("which things were {done} in the same {head} as {x}"),
            ]
        }
        Some(NounSense::Description) | None => Vec::new(),
    }
}

/// Noun phrases naming what shares a node with `e` along a noun relation.
pub(super) fn noun_same_nouns(noun: &str, e: &Np) -> Vec<Np> {
    let x = &e.text;
    let things = |text: String| Np::described(text, true);
    match noun_sense(noun) {
        Some(NounSense::Doers { verbs }) => {
            let (one, many) = head_forms(noun);
            let mut nouns = vec![
                things(format!("things that share {many} with {x}")),
                things(format!("things with the same {one} as {x}")),
            ];
            for (past, _) in &verbs {
                nouns.push(things(format!("things the {many} of {x} also {past} in")));
                nouns.push(things(format!("things whose {many} also {past} in {x}")));
                nouns.push(things(format!("things {past} by the {many} of {x}")));
            }
            nouns
        }
        Some(NounSense::Time { done }) => {
            let head = head_word(noun);
            vec![things(format!("things {done} in the same {head} as {x}"))]
        }
        Some(NounSense::Description) | None => Vec::new(),
    }
}

/// Predicates saying of a node that it shares a node with `e` along a noun relation.
pub(super) fn noun_same_predicates(noun: &str, e: &Np) -> Vec<String> {
    let x = &e.text;
    match noun_sense(noun) {
        Some(NounSense::Doers { .. }) => {
            let (one, many) = head_forms(noun);
            vec![
                format!("has the same {one} as {x}"),
                format!("shares {many} with {x}"),
            ]
        }
        Some(NounSense::Time { done }) => {
            let head = head_word(noun);
            vec![format!("was {done} in the same {head} as {x}")]
        }
        Some(NounSense::Description) | None => Vec::new(),
    }
}

/// Questions asking for the doers who occur together with the doer `e` (`who acted together
/// with X`).
pub(super) fn noun_together_questions(noun: &str, e: &Np) -> Vec<String> {
    let x = &e.text;
    let Some(NounSense::Doers { verbs }) = noun_sense(noun) else {
        return Vec::new();
    };
    let mut questions = Vec::new();
    for (past, _) in &verbs {
        questions.push(format!("who {past} together with {x}"));
        questions.push(format!("who {past} with {x}"));
        questions.push(format!("who {past} in the same things as {x}"));
        questions.push(format!("who else {past} in things {x} {past} in"));
    }
    questions
}

/// Noun phrases naming the doers who occur together with the doer `e`.
pub(super) fn noun_together_nouns(noun: &str, e: &Np) -> Vec<Np> {
    let Some(NounSense::Doers { verbs }) = noun_sense(noun) else {
        return Vec::new();
    };
    verbs
        .iter()
        .map(|(past, _)| Np::described(format!("the ones who {past} with {}", e.text), true))
        .collect()
}

/// Predicates saying of a doer that they occur together with the doer `e`.
pub(super) fn noun_together_predicates(noun: &str, e: &Np) -> Vec<String> {
    let Some(NounSense::Doers { verbs }) = noun_sense(noun) else {
        return Vec::new();
    };
    verbs
        .iter()
        .map(|(past, _)| format!("{past} together with {}", e.text))
        .collect()
}

/// Questions asking for what shares its agent with `e` (`which things have the same director as
/// X`, `what else did the director of X direct`).
pub(super) fn agent_same_questions(agent: &Agent, head: &str, e: &Np) -> Vec<String> {
    let (x, base, past, doer) = (&e.text, &agent.base, &agent.past, &agent.doer);
    vec![
        format!("which things have the same {doer} as {x}"),
        format!("what has the same {doer} as {x}"),
        format!("what else did the {doer} of {x} {base}"),
        format!("the {doer} of {x} also {past} what"),
        format!("which things are {head} the {doer} of {x}"),
        format!("which things share {doer}s with {x}"),
    ]
}

/// Noun phrases naming what shares its agent with `e`.
pub(super) fn agent_same_nouns(agent: &Agent, head: &str, e: &Np) -> Vec<Np> {
    let (x, past, doer) = (&e.text, &agent.past, &agent.doer);
    [
        format!("things {head} the {doer} of {x}"),
        format!("things with the same {doer} as {x}"),
        format!("things that share {doer}s with {x}"),
        format!("things whose {doer}s also {past} {x}"),
        format!("things the {doer} of {x} also {past}"),
    ]
    .into_iter()
    .map(|text| Np::described(text, true))
    .collect()
}

/// Predicates saying of a node that it shares its agent with `e`.
pub(super) fn agent_same_predicates(agent: &Agent, head: &str, e: &Np) -> Vec<String> {
    let (x, doer) = (&e.text, &agent.doer);
    vec![
        format!("has the same {doer} as {x}"),
        format!("was {head} the {doer} of {x}"),
    ]
}

/// Questions asking for the other agents of what the agent `e` did (`who else wrote what X
/// wrote`).
pub(super) fn agent_together_questions(agent: &Agent, e: &Np) -> Vec<String> {
    let (x, past, doer) = (&e.text, &agent.past, &agent.doer);
    vec![
        format!("who else {past} what {x} {past}"),
        format!("who are the other {doer}s of things {x} {past}"),
    ]
}

/// Noun phrases naming the other agents of what the agent `e` did.
pub(super) fn agent_together_nouns(agent: &Agent, e: &Np) -> Vec<Np> {
    vec![Np::described(
        format!(
            "the other {}s of things {} {}",
            agent.doer, e.text, agent.past
        ),
        true,
    )]
}

/// Predicates saying of a node that it is another agent of what the agent `e` did.
pub(super) fn agent_together_predicates(agent: &Agent, e: &Np) -> Vec<String> {
    vec![format!(
        "also {} what {} {}",
        agent.past, e.text, agent.past
    )]
}

/// Attributive names of the doers of `e`, a name (`Heat actors`).
pub(super) fn noun_forward_attributive(noun: &str, e: &Np) -> Vec<Np> {
    match noun_sense(noun) {
        Some(NounSense::Doers { .. }) if e.name => {
            let (_, many) = head_forms(noun);
            vec![Np::described(format!("{} {many}", e.text), true)]
        }
        _ => Vec::new(),
    }
}

/// Names of what the doer `e` did, with the verb as a participle (`things starred by X`).
pub(super) fn noun_inverse_attributive(noun: &str, e: &Np) -> Vec<Np> {
    let Some(NounSense::Doers { verbs }) = noun_sense(noun) else {
        return Vec::new();
    };
    verbs
        .iter()
        .map(|(past, _)| Np::described(format!("things {past} by {}", e.text), true))
        .collect()
}

/// The attributive name of the agent of `e`, a name (`the Heat director`).
pub(super) fn agent_forward_attributive(agent: &Agent, e: &Np) -> Vec<Np> {
    if !e.name {
        return Vec::new();
    }
    vec![Np::described(
        format!("the {} {}", e.text, agent.doer),
        false,
    )]
}

/// The attributive name of what the agent `e` did (`Mann directed things`).
pub(super) fn agent_inverse_attributive(head: &str, e: &Np) -> Vec<Np> {
    let participle = head.strip_suffix(" by").unwrap_or(head);
    vec![Np::described(
        format!("{} {participle} things", e.text),
        true,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn director() -> Agent {
        Agent {
            base: "direct".into(),
            past: "directed".into(),
            doer: "director".into(),
        }
    }

    #[test]
    fn sharing_a_doer_or_an_agent_in_the_words_people_use() {
        let heat = Np::name("Heat");
        let same = noun_same_questions("starred actors", &heat);
        assert!(same.contains(&"which things have the same actor as Heat".to_owned()));
        assert!(same.contains(&"the actors of Heat also acted in what".to_owned()));
        let directed = agent_same_questions(&director(), "directed by", &heat);
        assert!(directed.contains(&"what else did the director of Heat direct".to_owned()));
        let nouns = agent_same_nouns(&director(), "directed by", &heat);
        assert!(nouns
            .iter()
            .any(|n| n.text == "things whose directors also directed Heat" && n.plural));
        let year = noun_same_questions("release year", &heat);
        assert_eq!(year[0], "what else was released in the same year as Heat");
        assert!(noun_same_questions("genre", &heat).is_empty());
    }

    #[test]
    fn together_and_attributive_names() {
        let pacino = Np::name("Al Pacino");
        let together = noun_together_questions("starred actors", &pacino);
        assert!(together.contains(&"who acted together with Al Pacino".to_owned()));
        assert!(noun_together_questions("release year", &pacino).is_empty());
        let heat = Np::name("Heat");
        assert_eq!(
            agent_forward_attributive(&director(), &heat)[0].text,
            "the Heat director"
        );
        assert_eq!(
            noun_forward_attributive("starred actors", &heat)[0].text,
            "Heat actors"
        );
        let described = Np::described("things Mann wrote".into(), true);
        assert!(noun_forward_attributive("starred actors", &described).is_empty());
        assert_eq!(
            noun_inverse_attributive("starred actors", &pacino)[0].text,
            "things acted by Al Pacino"
        );
        assert_eq!(
            agent_inverse_attributive("written by", &pacino)[0].text,
            "Al Pacino written things"
        );
    }
}
