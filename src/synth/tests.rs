//! Synthesis on a small film graph, checked against its triples walked in plain Rust.

use std::collections::BTreeSet;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};

use super::*;
use crate::store::{ingest, IngestOptions};

const FIXTURE: &str = include_str!("../../tests/fixtures/synth_movies.ttl");

fn fixture_graph() -> Graph {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("movies.ttl");
    std::fs::write(&path, FIXTURE).unwrap();
    let graph = Graph::in_memory().unwrap();
    ingest(&graph, &path, &IngestOptions::default(), &|_| {}).unwrap();
    graph
}

fn config(questions: usize, seed: u64) -> SynthConfig {
    SynthConfig {
        questions,
        seed,
        max_answers: 3,
        conjunctive: 0.3,
        ..SynthConfig::default()
    }
}

/// The fixture's edges between IRIs, parsed from the Turtle text: no store, no SPARQL.
struct Triples(Vec<(String, String, String)>);

impl Triples {
    fn parse() -> Self {
        let edges = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(FIXTURE.as_bytes())
            .filter_map(|quad| {
                let quad = quad.unwrap();
                match (quad.subject, quad.object) {
                    (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) => Some((
                        s.into_string(),
                        quad.predicate.into_string(),
                        o.into_string(),
                    )),
                    _ => None,
                }
            })
            .collect();
        Self(edges)
    }

    /// Every node the path of `constraint` reaches from its topic, never passing through the topic
    /// again.
    fn reach(&self, constraint: &Constraint) -> BTreeSet<String> {
        let mut frontier = BTreeSet::from([constraint.topic.as_str().to_owned()]);
        for step in &constraint.path.steps {
            let relation = step.relation.as_str();
            frontier = self
                .0
                .iter()
                .filter(|(_, p, _)| p == relation)
                .filter_map(|(s, _, o)| match step.forward {
                    true if frontier.contains(s) => Some(o.clone()),
                    false if frontier.contains(o) => Some(s.clone()),
                    _ => None,
                })
                .filter(|node| node != constraint.topic.as_str())
                .collect();
        }
        frontier
    }
}

#[test]
fn every_answer_set_is_its_paths_walked_over_the_triples() {
    let graph = fixture_graph();
    let synthesis = synthesise(&graph, &config(120, 3), &|_| {}).unwrap();
    let triples = Triples::parse();
    let report = &synthesis.report;
    assert!(report.questions >= 100, "{report:?}");
    assert!(report.conjunctive >= 20, "{report:?}");
    assert_eq!(report.by_hop.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        report.skipped.contains_key(&Skip::TooManyAnswers),
        "{report:?}"
    );
    for q in &synthesis.questions {
        let topics: BTreeSet<String> = q.topics().map(|t| t.as_str().to_owned()).collect();
        let mut expected: Option<BTreeSet<String>> = None;
        for constraint in &q.constraints {
            let mut reached = triples.reach(constraint);
            reached.retain(|node| !topics.contains(node));
            if let Some(previous) = &expected {
                // Each constraint of a two-constraint question removes answers of the other.
                assert!(
                    reached.len() > previous.intersection(&reached).count(),
                    "{q:?}"
                );
                assert!(
                    previous.len() > previous.intersection(&reached).count(),
                    "{q:?}"
                );
            }
            expected = Some(match expected {
                None => reached,
                Some(previous) => previous.intersection(&reached).cloned().collect(),
            });
        }
        let answers: BTreeSet<String> = q.answers.iter().map(|a| a.as_str().to_owned()).collect();
        assert_eq!(Some(&answers), expected.as_ref(), "{}", q.text);
        assert!(!answers.is_empty() && answers.len() <= 3, "{q:?}");
        assert_eq!(answers.len(), q.answers.len(), "no answer twice: {q:?}");
        let longest = q.constraints.iter().map(|c| c.path.hops()).max();
        assert_eq!(longest, Some(usize::from(q.hops)));
    }
}

#[test]
fn a_seed_reproduces_the_file_byte_for_byte() {
    let graph = fixture_graph();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, seed: u64| {
        let path = dir.path().join(name);
        let synthesis = synthesise(&graph, &config(60, seed), &|_| {}).unwrap();
        write_tsv(&path, &synthesis.questions).unwrap();
        std::fs::read(&path).unwrap()
    };
    let first = write("a.tsv", 11);
    assert_eq!(first, write("b.tsv", 11));
    // The same seed on a fresh copy of the graph, too.
    let copy = graph.to_memory().unwrap();
    let again = synthesise(&copy, &config(60, 11), &|_| {}).unwrap();
    let lines: Vec<String> = again.questions.iter().map(tsv_line).collect();
    let text = String::from_utf8(first.clone()).unwrap();
    assert_eq!(text.lines().skip(1).collect::<Vec<_>>(), lines);
    assert_ne!(first, write("c.tsv", 12));
    assert!(!dir.path().join("a.tsv.partial").exists());
}

#[test]
fn relations_without_labels_still_read_as_words() {
    let graph = fixture_graph();
    assert!(graph
        .relation_texts()
        .unwrap()
        .iter()
        .all(|r| r.label.is_none()));
    let lexicon = Lexicon::read(&graph).unwrap();
    let synthesis = synthesise(&graph, &config(120, 5), &|_| {}).unwrap();
    for q in &synthesis.questions {
        for bad in [
            "http",
            "://",
            "_",
            "#",
            "directedBy",
            "hasGenre",
            "releaseYear",
        ] {
            assert!(!q.text.contains(bad), "{bad} in {}", q.text);
        }
        let words: Vec<&str> = q.text.trim_end_matches('?').split(' ').collect();
        for constraint in &q.constraints {
            let forms = lexicon.forms(&constraint.topic).unwrap();
            let named = forms.preferred.iter().chain(&forms.alternative);
            assert!(named.clone().any(|f| q.text.contains(f.as_str())), "{q:?}");
            for step in &constraint.path.steps {
                // A relation's word, or a form of it (`release` → `released`, `actors` →
                // `acted`, `written` → `wrote`).
                let text = crate::text::relation_text(step.relation.as_str(), None);
                let kin = |a: &str, b: &str| {
                    let forms = super::morph::participle_base(a)
                        .map(|base| vec![super::morph::past_tense(&base), base])
                        .unwrap_or_default();
                    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
                    prefix >= 3.min(a.len()) || forms.iter().any(|f| f == b)
                };
                assert!(
                    text.split(' ').any(|w| words.iter().any(|q| kin(w, q))),
                    "{text}: {q:?}"
                );
            }
        }
    }
}

#[test]
fn shared_labels_and_classes_never_name_a_topic() {
    let lexicon = Lexicon::read(&fixture_graph()).unwrap();
    let node = |iri: &str| NamedNode::new(iri).unwrap();
    let mi = lexicon
        .forms(&node("http://example.org/movies/mi"))
        .unwrap();
    assert_eq!(mi.preferred, ["Mission: Impossible"]);
    assert!(mi.alternative.is_empty(), "MI names two films: {mi:?}");
    let pacino = lexicon
        .forms(&node("http://example.org/movies/pacino"))
        .unwrap();
    assert_eq!(pacino.alternative, ["Pacino"]);
    let class = node("http://example.org/movies/vocab#Film");
    assert!(lexicon.forms(&class).is_none());
    assert!(!lexicon.topics().contains(&class));
}

#[test]
fn two_constraint_questions_name_both_topics_in_one_field() {
    let graph = fixture_graph();
    let synthesis = synthesise(&graph, &config(60, 9), &|_| {}).unwrap();
    let conjunctive: Vec<&SynthQuestion> = synthesis
        .questions
        .iter()
        .filter(|q| q.constraints.len() == 2)
        .collect();
    assert!(!conjunctive.is_empty());
    for q in conjunctive {
        let fields: Vec<String> = tsv_line(q).split('\t').map(str::to_owned).collect();
        let topics: Vec<&str> = q.topics().map(|t| t.as_str()).collect();
        assert_eq!(fields[1], topics.join("|"));
        assert!(q.qtype.contains('&'), "{}", q.qtype);
        assert_eq!(q.constraints[1].path.hops(), 1);
        assert!(q.text.contains(" and "), "{}", q.text);
    }
}

#[test]
fn one_constraint_files_read_back_as_kgqa_questions() {
    let graph = fixture_graph();
    let settings = SynthConfig {
        conjunctive: 0.0,
        ..config(40, 4)
    };
    let synthesis = synthesise(&graph, &settings, &|_| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.tsv");
    write_tsv(&path, &synthesis.questions).unwrap();
    let (format, read) = crate::question::read_questions(&path).unwrap();
    assert_eq!(format, crate::question::QuestionFormat::Kgqa);
    assert_eq!(read.len(), synthesis.questions.len());
    for (i, (written, read)) in synthesis.questions.iter().zip(&read).enumerate() {
        assert_eq!(read.answers.len(), written.answers.len());
        assert_eq!(read.hops, Some(written.hops));
        assert_eq!(read.qtype.as_deref(), Some(written.qtype.as_str()));
        // What training takes without a file is what the file reads back (line aside).
        let direct = written.to_question(i as u64 + 1);
        let mut answers = read.answers.clone();
        answers.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        assert_eq!((&direct.text, &direct.topics), (&read.text, &read.topics));
        assert_eq!(
            (direct.answers, direct.hops, &direct.qtype),
            (answers, read.hops, &read.qtype)
        );
    }
}

#[test]
fn settings_are_checked_before_any_work() {
    let bad = [
        SynthConfig {
            hops: vec![4],
            ..SynthConfig::default()
        },
        SynthConfig {
            hops: vec![],
            ..SynthConfig::default()
        },
        SynthConfig {
            conjunctive: 1.5,
            ..SynthConfig::default()
        },
        SynthConfig {
            conjunctive: 0.5,
            hops: vec![3],
            ..SynthConfig::default()
        },
        SynthConfig {
            questions: 0,
            ..SynthConfig::default()
        },
        SynthConfig {
            max_answers: 0,
            ..SynthConfig::default()
        },
    ];
    for config in bad {
        assert!(config.validate().is_err(), "{config:?}");
    }
    assert!(SynthConfig::default().validate().is_ok());
    let empty = Graph::in_memory().unwrap();
    let error = synthesise(&empty, &SynthConfig::default(), &|_| {}).unwrap_err();
    assert!(
        matches!(error, crate::Error::Synth(SynthError::NoTopics)),
        "{error}"
    );
}

#[test]
fn conjunctive_slots_are_spread_evenly() {
    let count = |n: usize, f: f64| (0..n).filter(|&s| is_conjunctive(s, f)).count();
    assert_eq!(count(100, 0.0), 0);
    assert_eq!(count(100, 0.25), 25);
    assert_eq!(count(100, 1.0), 100);
    assert_eq!(count(10, 0.3), 3);
}
