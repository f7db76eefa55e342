//! Shared helpers of the integration tests.
#![allow(dead_code)]

pub mod fake_http;
pub mod virtuoso;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture file of `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A file of the project (e.g. the embedded corpus).
pub fn project_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The shared benchmark datasets, or `None` (with a message saying what is skipped) when absent.
pub fn dataset(relative: &str, test: &str) -> Option<PathBuf> {
    let root = std::env::var_os("KGQA_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"));
    let path = root.join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED {test}: {} is missing (set KGQA_DATASETS to the datasets directory)",
            path.display()
        );
        None
    }
}

/// The `kgqa` binary, run in `dir` with no configuration file and the store `dir/store`.
pub fn kgqa(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kgqa"));
    command
        .current_dir(dir)
        .env_remove("KGQA_CONFIG")
        .env("KGQA_STORE", dir.join("store"))
        .env("KGQA_LOG", "warn");
    command
}

/// Runs and returns (success, stdout, stderr).
pub fn run(command: &mut Command) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("kgqa runs");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Ingests `file` into `graph` with the default options, expecting success.
pub fn load(graph: &kgqa::store::Graph, file: &Path) {
    kgqa::store::ingest(graph, file, &Default::default(), &|_| {})
        .unwrap_or_else(|e| panic!("cannot ingest {}: {e}", file.display()));
}

/// Runs, expects success, and parses stdout as JSON.
pub fn json(command: &mut Command) -> serde_json::Value {
    let (ok, stdout, stderr) = run(command.arg("--json"));
    assert!(ok, "kgqa failed: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// A training run of the real pretrained encoder on `graph` with `config`, its prior `pipeline`'s,
/// its checkpoint written to `dir/model`, on the CPU.
pub fn train_setup(
    config: kgqa::config::TrainConfig,
    pipeline: &kgqa::pipeline::Pipeline,
    graph: &kgqa::store::Graph,
    dir: &Path,
) -> kgqa::train::TrainSetup {
    let pretrained = project_file("models/all-minilm-l6-v2");
    assert!(
        pretrained.join("model.safetensors").is_file(),
        "pretrained weights missing: run .ci/setup"
    );
    kgqa::train::TrainSetup {
        config,
        model: kgqa::score::ModelConfig::default(),
        prior: pipeline.linker().prior().clone(),
        pretrained: kgqa::score::Pretrained::at(&pretrained),
        checkpoint: kgqa::score::Checkpoint::at(dir.join("model")),
        resume: false,
        init: None,
        data: None,
        device: tch::Device::Cpu,
        graph_triples: graph.triple_count().unwrap(),
    }
}

/// Writes a checkpoint of a tiny random-weight model (2-layer BERT of width 32, the real
/// tokenizer) for `graph`'s relations into `dir`: for tests of the service, not of accuracy.
/// `threshold` is its answer threshold (0 answers everything).
pub fn tiny_checkpoint(
    dir: &Path,
    graph: &kgqa::store::Graph,
    threshold: f64,
) -> kgqa::score::Checkpoint {
    use kgqa::score::{Checkpoint, CheckpointMeta, Scorer};
    let tokenizer_file = project_file("models/all-minilm-l6-v2/tokenizer.json");
    let tokenizer = kgqa::score::read_tokenizer(&tokenizer_file)
        .unwrap_or_else(|e| panic!("{e} (run .ci/setup to fetch the tokenizer)"));
    let model = kgqa::score::tiny_model_config();
    tch::manual_seed(1);
    let scorer = Scorer::new(
        kgqa::score::tiny_bert_config(),
        tokenizer,
        model.clone(),
        tch::Device::Cpu,
    );
    let meta = CheckpointMeta {
        kgqa_version: env!("CARGO_PKG_VERSION").to_owned(),
        format: kgqa::score::MODEL_FORMAT,
        model,
        train: serde_json::json!({}),
        seed: 1,
        epochs: 0,
        threshold,
        validation: serde_json::json!({}),
        graph_triples: graph.triple_count().unwrap(),
        data: serde_json::Value::Null,
    };
    let checkpoint = Checkpoint::at(dir);
    checkpoint
        .save(&scorer, &meta, &kgqa::link::LinkPrior::new())
        .unwrap();
    checkpoint
}
