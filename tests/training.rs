//! A short training run with the real pretrained weights on the embedded corpus must beat a
//! trivial baseline by a clear margin, and its checkpoint must answer questions.

mod common;

use kgqa::answer::{outcomes, prepare, Answerer};
use kgqa::config::{Settings, TrainConfig};
use kgqa::eval::metrics::summarize;
use kgqa::pipeline::Pipeline;
use kgqa::question::read_questions;
use kgqa::score::{Checkpoint, ModelConfig, Pretrained, RelationTexts};
use kgqa::store::Graph;
use kgqa::train::{train, TrainSetup};
use tch::Device;

#[test]
fn short_training_beats_the_baseline_and_answers() {
    let pretrained = common::project_file("models/all-minilm-l6-v2");
    assert!(
        pretrained.join("model.safetensors").is_file(),
        "pretrained weights missing: run .ci/setup"
    );
    let graph = Graph::in_memory().unwrap();
    common::load(&graph, &common::project_file("corpora/support/graph.ttl"));
    let (_, mut train_questions) =
        read_questions(&common::project_file("corpora/support/questions/train.tsv")).unwrap();
    train_questions.truncate(800);
    let (_, mut valid_questions) =
        read_questions(&common::project_file("corpora/support/questions/dev.tsv")).unwrap();
    valid_questions.truncate(160);

    let pipeline =
        Pipeline::from_settings(&Settings::defaults(), graph.clone(), &train_questions).unwrap();
    let relations = RelationTexts::from_graph(&graph).unwrap();
    let train_set = prepare(&pipeline, &relations, &train_questions, 2, &|| {}).unwrap();
    let valid_set = prepare(&pipeline, &relations, &valid_questions, 2, &|| {}).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let setup = TrainSetup {
        config: TrainConfig {
            epochs: 3,
            seed: 7,
            ..TrainConfig::default()
        },
        model: ModelConfig::default(),
        prior: pipeline.linker().prior().clone(),
        pretrained: Pretrained::at(&pretrained),
        checkpoint: Checkpoint::at(dir.path().join("model")),
        resume: false,
        device: Device::Cpu,
        graph_triples: graph.triple_count().unwrap(),
    };
    let reports = train(&setup, &train_set, &valid_set, &|_, _, _| {}, &|_| {}).unwrap();
    let best = reports
        .iter()
        .map(|r| r.validation.hits_at_1)
        .fold(0.0, f64::max);

    // The trivial baseline: candidates in random order, whose expected Hits@1 is the share of
    // gold answers among them.
    let mut answerer = Answerer::load(pipeline, &setup.checkpoint, Device::Cpu).unwrap();
    let scored = outcomes(answerer.scorer(), &valid_set, 32).unwrap();
    let baseline: f64 = scored
        .iter()
        .map(|o| o.positives() as f64 / o.candidates.len().max(1) as f64)
        .sum::<f64>()
        / scored.len() as f64;
    let metrics = summarize(&scored);
    eprintln!(
        "validation Hits@1 {best:.3} (random baseline {baseline:.3}), AUC macro {:?}",
        metrics.auc_macro
    );
    assert!(
        (metrics.hits_at_1 - best).abs() < 1e-9,
        "the checkpoint is the best epoch"
    );
    assert!(
        best > 0.4 && best > baseline + 0.3,
        "validation Hits@1 {best:.3} vs random baseline {baseline:.3}"
    );
    assert!(metrics.auc_macro.unwrap() > 0.9, "{metrics:?}");

    let answer = answerer.ask(&valid_questions[0].text, 3).unwrap();
    assert!(!answer.linked.is_empty());
    assert!(answer.no_answer || !answer.answers[0].evidence.is_empty());
}
