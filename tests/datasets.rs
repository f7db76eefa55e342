//! Linking and retrieval on the real benchmarks in `../shared/datasets/` (skipped when absent).
//! These run on samples of each split to keep the suite fast; `kgqa link/retrieve --split` gives the
//! full figures.

mod common;

use kgqa::config::Settings;
use kgqa::eval::{evaluate_linking, evaluate_retrieval};
use kgqa::pipeline::Pipeline;
use kgqa::question::{read_questions, Part, Question, QuestionSource, SplitSpec};
use kgqa::store::{ingest, Graph, IngestOptions};

/// Every `step`-th question, for a sample spread over the whole file.
fn sample(questions: Vec<Question>, step: usize) -> Vec<Question> {
    questions.into_iter().step_by(step).collect()
}

fn graph(kb: &std::path::Path) -> Graph {
    let graph = Graph::in_memory().unwrap();
    ingest(&graph, kb, &IngestOptions::default(), &|_| {}).unwrap();
    graph
}

fn metaqa_pipeline(graph: &Graph, root: &std::path::Path) -> Pipeline {
    let mut examples = Vec::new();
    for hop in 1..=3 {
        let (_, questions) =
            read_questions(&root.join(format!("{hop}-hop/vanilla/qa_dev.txt"))).unwrap();
        examples.extend(questions);
    }
    let pipeline =
        Pipeline::from_settings(&Settings::defaults(), graph.clone(), &examples).unwrap();
    assert!(pipeline.linker().prior().examples() > 35_000);
    pipeline
}

#[test]
fn metaqa_free_text_linking_and_retrieval() {
    let Some(root) = common::dataset("metaqa", "metaqa_free_text_linking_and_retrieval") else {
        return;
    };
    let graph = graph(&root.join("kb.txt"));
    let pipeline = metaqa_pipeline(&graph, &root);
    let linker = pipeline.linker();
    for hop in 1..=3 {
        let (_, questions) =
            read_questions(&root.join(format!("{hop}-hop/vanilla/qa_test.txt"))).unwrap();
        let questions = sample(questions, 20);
        let linking = evaluate_linking(linker, &questions, true).unwrap();
        assert!(
            linking.accuracy >= 0.99,
            "{hop}-hop free-text linking accuracy {} on {} questions",
            linking.accuracy,
            linking.questions
        );
        let retrieval =
            evaluate_retrieval(&pipeline, &sample(questions, 5), false, &|| {}).unwrap();
        assert!(
            retrieval.coverage >= 0.99,
            "{hop}-hop coverage {} on {} questions",
            retrieval.coverage,
            retrieval.questions
        );
    }
}

#[test]
fn pathquestion_free_text_linking() {
    let Some(root) = common::dataset("pathquestion", "pathquestion_free_text_linking") else {
        return;
    };
    for (questions, kb) in [
        ("PQ-2H.txt", "2H-kb.txt"),
        ("PQ-3H.txt", "3H-kb.txt"),
        ("PQL-2H.txt", "PQL2-KB.txt"),
        ("PQL-3H.txt", "PQL3-KB.txt"),
    ] {
        let graph = graph(&root.join(kb));
        let source = |part| QuestionSource {
            path: root.join(questions),
            part: Some(part),
        };
        let split = SplitSpec::default();
        let examples = source(Part::Train).read(&split).unwrap();
        let pipeline = Pipeline::from_settings(&Settings::defaults(), graph, &examples).unwrap();
        let test = source(Part::Test).read(&split).unwrap();
        let report = evaluate_linking(pipeline.linker(), &test, false).unwrap();
        assert!(
            report.accuracy >= 0.99,
            "{questions}: linking accuracy {} on {} questions",
            report.accuracy,
            report.questions
        );
    }
}
