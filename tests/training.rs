//! A short training run with the real pretrained weights on the embedded corpus must beat a
//! trivial baseline by a clear margin, and its checkpoint must answer questions.

mod common;

use kgqa::answer::{outcomes, prepare, Answerer};
use kgqa::config::{Settings, TrainConfig};
use kgqa::eval::metrics::summarize;
use kgqa::pipeline::Pipeline;
use kgqa::question::read_questions;
use kgqa::score::RelationTexts;
use kgqa::store::Graph;
use kgqa::train::train;
use tch::Device;

#[test]
fn short_training_beats_the_baseline_and_answers() {
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
    let setup = common::train_setup(
        TrainConfig {
            epochs: 3,
            seed: 7,
            ..TrainConfig::default()
        },
        &pipeline,
        &graph,
        dir.path(),
    );
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

/// `kgqa train --synthetic`: a model made from the embedded corpus's graph alone (no labelled
/// question anywhere: validation is held out from the synthesised questions) answers the corpus's
/// labelled test questions far above chance; `--init` then fine-tunes it on a few labelled ones.
#[test]
fn trains_from_the_graph_alone_then_fine_tunes_from_its_checkpoint() {
    let pretrained = common::project_file("models/all-minilm-l6-v2");
    let dir = tempfile::tempdir().unwrap();
    let kgqa = || common::kgqa(dir.path());
    common::json(
        kgqa()
            .arg("ingest")
            .arg(common::project_file("corpora/support/graph.ttl")),
    );
    let zero = dir.path().join("zero");
    let report = common::json(
        kgqa()
            .args(["train", "--synthetic", "600", "--epochs", "2", "--out"])
            .arg(&zero)
            .arg("--pretrained")
            .arg(&pretrained),
    );
    let data = &report["data"];
    assert_eq!(
        (data["labelled"].as_u64(), data["validation"].as_str()),
        (Some(0), Some("synthetic"))
    );
    let synthetic = data["synthetic"].as_u64().unwrap();
    let valid = data["valid_questions"].as_u64().unwrap();
    assert!(synthetic >= 450 && valid >= 50, "{report}");
    assert_eq!(
        report["synthesis"]["questions"].as_u64(),
        Some(synthetic + valid)
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(zero.join("config.json")).unwrap()).unwrap();
    assert_eq!(&saved["data"], data, "the mix is saved with the model");

    let test = common::project_file("corpora/support/questions/test.tsv");
    let eval = |model: &std::path::Path| {
        common::json(
            kgqa()
                .args(["eval", "--split"])
                .arg(&test)
                .arg("--model")
                .arg(model),
        )
    };
    let zero_shot = eval(&zero);
    eprintln!(
        "zero-shot on the corpus test questions: Hits@1 {}, by hop {}",
        zero_shot["hits_at_1"], zero_shot["by_hop"]
    );
    let hits = zero_shot["hits_at_1"].as_f64().unwrap();
    assert!(hits > ZERO_SHOT_HITS_AT_1, "zero-shot Hits@1 {hits}");

    let few = dir.path().join("few");
    let labelled = common::project_file("corpora/support/questions/train.tsv");
    let report = common::json(
        kgqa()
            .args(["train", "--train"])
            .arg(&labelled)
            .args([
                "--max-questions",
                "20",
                "--synthetic",
                "200",
                "--epochs",
                "1",
            ])
            .arg("--init")
            .arg(&zero)
            .arg("--out")
            .arg(&few)
            .arg("--pretrained")
            .arg(&pretrained),
    );
    let data = &report["data"];
    assert_eq!(data["labelled"].as_u64(), Some(20), "{report}");
    assert!(data["labelled_repeats"].as_u64().unwrap() > 1, "{report}");
    assert_eq!(data["init"].as_str(), Some(zero.to_str().unwrap()));
    let few_shot = eval(&few);
    eprintln!(
        "after --init with 20 labelled questions: Hits@1 {}, by hop {}",
        few_shot["hits_at_1"], few_shot["by_hop"]
    );
    assert!(few_shot["hits_at_1"].as_f64().unwrap() > ZERO_SHOT_HITS_AT_1);
}

/// Well below what the zero-shot corpus model of the test above reaches (Hits@1 0.184 measured: a
/// model this small, 600 synthesised questions for 2 epochs, gets mostly the 1-hop questions
/// right), far above chance (the share of gold answers among some 200 candidates per question).
const ZERO_SHOT_HITS_AT_1: f64 = 0.1;
