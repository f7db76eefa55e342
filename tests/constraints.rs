//! Questions with two constraints: on a graph where the union and the intersection of what two
//! topics reach differ, a model trained on such questions ranks the intersection first, and its
//! evidence shows one path from each topic.

mod common;

use kgqa::answer::{prepare, Answerer};
use kgqa::config::{Settings, TrainConfig};
use kgqa::pipeline::Pipeline;
use kgqa::question::{GoldEntity, Question};
use kgqa::score::RelationTexts;
use kgqa::store::Graph;
use kgqa::train::train;
use oxigraph::model::NamedNode;
use tch::Device;

const NS: &str = "http://example.org/football/";
const CLUBS: [(&str, &[&str]); 2] = [
    ("ajax", &["p1", "p2", "p3", "p4"]),
    ("porto", &["p5", "p6", "p7", "p8"]),
];
const COUNTRIES: [(&str, &[&str]); 3] = [
    ("spain", &["p1", "p5"]),
    ("brazil", &["p2", "p6", "p7"]),
    ("netherlands", &["p3", "p4", "p8"]),
];
const TWO: [&str; 3] = [
    "which player of {club} is from {country}",
    "who plays for {club} and comes from {country}",
    "name the players at {club} from {country}",
];

fn iri(name: &str) -> GoldEntity {
    GoldEntity::Iri(NamedNode::new(format!("{NS}{name}")).unwrap())
}

fn label(name: &str) -> &'static str {
    match name {
        "ajax" => "Ajax",
        "porto" => "Porto",
        "spain" => "Spain",
        "brazil" => "Brazil",
        _ => "Netherlands",
    }
}

/// Every (club, country) question of `templates`, its answers the players of both; and the
/// one-constraint questions about clubs and countries alone.
fn questions(templates: &[&str]) -> Vec<Question> {
    let mut questions = Vec::new();
    for (club, members) in CLUBS {
        for (country, natives) in COUNTRIES {
            for template in templates {
                let text = template
                    .replace("{club}", label(club))
                    .replace("{country}", label(country));
                questions.push(Question {
                    topics: vec![iri(club), iri(country)],
                    answers: members
                        .iter()
                        .filter(|p| natives.contains(p))
                        .map(|p| iri(p))
                        .collect(),
                    ..Question::plain(text)
                });
            }
        }
        questions.push(Question {
            topics: vec![iri(club)],
            answers: members.iter().map(|p| iri(p)).collect(),
            ..Question::plain(format!("who plays for {}", label(club)))
        });
    }
    for (country, natives) in COUNTRIES {
        questions.push(Question {
            topics: vec![iri(country)],
            answers: natives.iter().map(|p| iri(p)).collect(),
            ..Question::plain(format!("which players are from {}", label(country)))
        });
    }
    questions
}

#[test]
fn a_model_trained_on_two_constraints_ranks_the_intersection_first() {
    let graph = Graph::in_memory().unwrap();
    common::load(&graph, &common::fixture("football.ttl"));
    let train_questions = questions(&TWO[..2]);
    let pipeline =
        Pipeline::from_settings(&Settings::defaults(), graph.clone(), &train_questions).unwrap();
    let relations = RelationTexts::from_graph(&graph).unwrap();
    let train_set = prepare(&pipeline, &relations, &train_questions, 2, &|| {}).unwrap();
    let valid_set = prepare(&pipeline, &relations, &questions(&TWO[2..]), 2, &|| {}).unwrap();
    for prepared in &train_set {
        assert_eq!(
            prepared.sample.constraints.len(),
            prepared.question.topics.len(),
            "every constraint linked: {}",
            prepared.question.text
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let setup = common::train_setup(
        TrainConfig {
            epochs: 12,
            batch_size: 8,
            patience: 12,
            seed: 3,
            ..TrainConfig::default()
        },
        &pipeline,
        &graph,
        dir.path(),
    );
    train(&setup, &train_set, &valid_set, &|_, _, _| {}, &|_| {}).unwrap();

    let mut answerer = Answerer::load(pipeline, &setup.checkpoint, Device::Cpu).unwrap();
    for (club, members) in CLUBS {
        for (country, natives) in COUNTRIES {
            // A phrasing not trained on.
            let question = TWO[2]
                .replace("{club}", label(club))
                .replace("{country}", label(country));
            let both: Vec<String> = members
                .iter()
                .filter(|p| natives.contains(p))
                .map(|p| format!("{NS}{p}"))
                .collect();
            let answer = answerer.ask(&question, both.len()).unwrap();
            let top: Vec<&str> = answer.answers.iter().map(|a| a.iri.as_str()).collect();
            let mut sorted = top.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, both, "{question}: {answer:?}");
            // One path from each topic.
            let evidence = &answer.answers[0].evidence;
            assert_eq!(evidence.len(), 2, "{question}: {evidence:?}");
            let starts: Vec<&str> = evidence.iter().map(|p| p[0].object_iri.as_str()).collect();
            assert!(
                starts.contains(&format!("{NS}{club}").as_str()),
                "{evidence:?}"
            );
            assert!(
                starts.contains(&format!("{NS}{country}").as_str()),
                "{evidence:?}"
            );
        }
    }
}
