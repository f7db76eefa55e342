//! The `kgqa` binary end to end: ingest, link, retrieve, and what bad input does.

mod common;

use common::{fixture, json, kgqa, run};

fn triples(dir: &std::path::Path) -> u64 {
    json(kgqa(dir).arg("info"))["triples"].as_u64().unwrap()
}

#[test]
fn ingest_reports_counts_and_reopening_does_not_reingest() {
    let dir = tempfile::tempdir().unwrap();
    let report = json(kgqa(dir.path()).arg("ingest").arg(fixture("movies_kb.txt")));
    // 19 edges + labels for 18 entities and 6 relations + 6 relation types.
    assert_eq!(report["triples"], 19 + 18 + 6 + 6);
    assert!(report["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(triples(dir.path()), 49);
    // --if-empty leaves a loaded store alone; reopening keeps the data.
    let (ok, _, _) = run(kgqa(dir.path())
        .args(["ingest", "--if-empty"])
        .arg(fixture("tiny.ttl")));
    assert!(ok);
    assert_eq!(triples(dir.path()), 49);
}

#[test]
fn link_and_retrieve_a_question() {
    let dir = tempfile::tempdir().unwrap();
    json(kgqa(dir.path()).arg("ingest").arg(fixture("movies_kb.txt")));
    let linked = json(kgqa(dir.path()).args(["link", "what films did al pacino star in"]));
    assert_eq!(linked["links"][0]["label"], "Al Pacino");
    let retrieved = json(kgqa(dir.path()).args(["retrieve", "who directed [Heat]", "--hops", "1"]));
    let labels: Vec<&str> = retrieved["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Michael Mann"), "{labels:?}");
    assert!(!labels.contains(&"Tom Cruise"), "1 hop only: {labels:?}");
    assert!(retrieved["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["relation"]
            .as_str()
            .unwrap()
            .ends_with("relation/directed_by")));
    let (ok, text, _) = run(kgqa(dir.path()).args(["retrieve", "who directed Heat"]));
    assert!(ok);
    assert!(text.contains("topic: Heat"), "{text}");
}

#[test]
fn evaluates_a_split() {
    let dir = tempfile::tempdir().unwrap();
    json(kgqa(dir.path()).arg("ingest").arg(fixture("movies_kb.txt")));
    let questions = fixture("movies_questions.txt");
    let report = json(
        kgqa(dir.path())
            .arg("link")
            .arg("--split")
            .arg(&questions)
            .arg("--no-brackets"),
    );
    assert_eq!(report["questions"], 6);
    assert!(
        report["accuracy"].as_f64().unwrap() >= 5.0 / 6.0,
        "{report}"
    );
    let report = json(
        kgqa(dir.path())
            .arg("retrieve")
            .arg("--split")
            .arg(&questions),
    );
    assert_eq!(report["coverage"], 1.0, "{report}");
    for key in [
        "candidates_mean",
        "candidates_p95",
        "latency_ms_p50",
        "latency_ms_p95",
    ] {
        assert!(report[key].is_number(), "{key} in {report}");
    }
    assert_eq!(report["by_depth"].as_array().unwrap().len(), 3);
}

/// `kgqa eval --predictions`: one JSON line per question, its gold answers beside its best-scored
/// candidates, named by IRI and label, best first, consistent with the question's Hits@1.
#[test]
fn eval_writes_each_questions_best_candidates() {
    let dir = tempfile::tempdir().unwrap();
    {
        let graph = kgqa::store::Graph::open(&dir.path().join("store")).unwrap();
        common::load(&graph, &fixture("movies_kb.txt"));
        common::tiny_checkpoint(&dir.path().join("model"), &graph, 0.0);
    }
    let predictions = dir.path().join("predictions.jsonl");
    let report = json(
        kgqa(dir.path())
            .args(["eval", "--model", "model", "--split"])
            .arg(fixture("movies_questions.txt"))
            .arg("--predictions")
            .arg(&predictions),
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&predictions)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["question"], "who directed [Heat]");
    assert_eq!(lines[0]["answers"], serde_json::json!(["Michael Mann"]));
    let mut hits = 0.0;
    for line in &lines {
        let best = line["best"].as_array().unwrap();
        assert!(!best.is_empty() && best.len() <= 5, "{line}");
        let scores: Vec<f64> = best.iter().map(|b| b["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "best first: {line}"
        );
        assert!(best
            .iter()
            .all(|b| b["node"].as_str().unwrap().starts_with("http")));
        assert!(best.iter().all(|b| b["label"].is_string()), "{line}");
        if scores.len() < 2 || scores[0] > scores[1] {
            let top_is_gold = best[0]["gold"].as_bool().unwrap();
            assert_eq!(
                line["hits_at_1"].as_f64().unwrap(),
                f64::from(u8::from(top_is_gold))
            );
        }
        hits += line["hits_at_1"].as_f64().unwrap();
    }
    let overall = report["hits_at_1"].as_f64().unwrap();
    assert!(
        (hits / 6.0 - overall).abs() < 1e-3,
        "{hits} / 6 against {overall}"
    );
}

#[test]
fn malformed_input_fails_with_its_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    json(kgqa(dir.path()).arg("ingest").arg(fixture("tiny.ttl")));
    let before = triples(dir.path());
    for (file, expected) in [
        ("malformed.nt", "malformed.nt:3"),
        ("malformed.ttl", "malformed.ttl:3"),
        ("malformed_kb.txt", "malformed_kb.txt:2: expected 3 fields"),
        ("latin1_kb.txt", "latin1_kb.txt:2: not valid UTF-8"),
        ("empty.nt", "empty.nt: no triples"),
    ] {
        let (ok, _, stderr) = run(kgqa(dir.path()).arg("ingest").arg(fixture(file)));
        assert!(!ok, "{file} should fail");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(stderr.contains("nothing was written"), "{file}: {stderr}");
        assert_eq!(triples(dir.path()), before, "{file} changed the store");
    }
}

#[test]
fn several_files_are_one_load_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    json(kgqa(dir.path()).arg("ingest").arg(fixture("tiny.ttl")));
    let before = triples(dir.path());
    // A good file before a bad one: the good one is not committed either.
    for bad in [
        "malformed.nt",
        "malformed.ttl",
        "empty.nt",
        "no-such-file.nt",
    ] {
        let (ok, stdout, stderr) = run(kgqa(dir.path())
            .args(["ingest", "--json"])
            .arg(fixture("movies_kb.txt"))
            .arg(fixture(bad)));
        assert!(!ok, "{bad} should fail");
        assert!(stdout.is_empty(), "{bad}: {stdout}");
        assert!(stderr.contains(bad), "{bad}: {stderr}");
        assert!(
            stderr.contains("nothing was written") && stderr.contains("2 files"),
            "{bad}: {stderr}"
        );
        assert_eq!(
            triples(dir.path()),
            before,
            "{bad}: movies_kb.txt was committed"
        );
    }
    // Good files: one report each, and all of them in the store.
    let report = json(
        kgqa(dir.path())
            .arg("ingest")
            .arg(fixture("movies_kb.txt"))
            .arg(fixture("malformed.nt"))
            .arg("--lenient"),
    );
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{report}");
    assert!(files[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("movies_kb.txt"));
    assert_eq!(files[0]["triples"], 49);
    assert_eq!(files[1]["triples"], 3);
    assert_eq!(files[1]["skipped"], 1);
    assert_eq!(report["triples"], 52);
    assert_eq!(triples(dir.path()), before + 52);
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let with_bom = |name: &str, from: &str| {
        let path = dir.path().join(name);
        let text = std::fs::read(fixture(from)).unwrap();
        std::fs::write(&path, [b"\xEF\xBB\xBF".as_slice(), &text].concat()).unwrap();
        path
    };
    let turtle = with_bom("bom.ttl", "tiny.ttl");
    let table = with_bom("bom_kb.txt", "movies_kb.txt");
    let report = json(kgqa(dir.path()).arg("ingest").arg(&turtle).arg(&table));
    assert_eq!(report["files"][1]["triples"], 49, "{report}");
    // The first name of the table is `Heat`, not `\u{feff}Heat`.
    let linked = json(kgqa(dir.path()).args(["link", "who directed Heat"]));
    assert_eq!(linked["links"][0]["label"], "Heat", "{linked}");
}

#[test]
fn lenient_ingest_skips_and_counts_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let report = json(
        kgqa(dir.path())
            .args(["ingest", "--lenient"])
            .arg(fixture("malformed_kb.txt")),
    );
    assert_eq!(report["skipped"], 1);
    let report = json(
        kgqa(dir.path())
            .args(["ingest", "--lenient"])
            .arg(fixture("malformed.nt")),
    );
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["triples"], 3);
}

#[test]
fn unknown_format_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("graph.csv");
    std::fs::write(&csv, "a,b,c\n").unwrap();
    let (ok, _, stderr) = run(kgqa(dir.path()).arg("ingest").arg(&csv));
    assert!(!ok);
    assert!(stderr.contains("graph.csv: unknown format"), "{stderr}");
    let (ok, _, stderr) = run(kgqa(dir.path())
        .args(["ingest", "--format", "xml"])
        .arg(&csv));
    assert!(!ok);
    assert!(stderr.contains("unknown format `xml`"), "{stderr}");
    let (ok, _, stderr) = run(kgqa(dir.path()).args(["ingest", "no/such/file.nt"]));
    assert!(!ok);
    assert!(stderr.contains("no/such/file.nt"), "{stderr}");
}

#[test]
fn an_empty_store_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run(kgqa(dir.path()).args(["link", "who directed Heat"]));
    assert!(!ok);
    assert!(
        stderr.contains("is empty: load a graph with `kgqa ingest FILE` first"),
        "{stderr}"
    );
}

#[test]
fn sparql_in_a_question_is_just_text() {
    let dir = tempfile::tempdir().unwrap();
    json(kgqa(dir.path()).arg("ingest").arg(fixture("movies_kb.txt")));
    let before = triples(dir.path());
    let question = "who directed Heat\" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o";
    let retrieved = json(kgqa(dir.path()).args(["retrieve", question]));
    assert_eq!(
        retrieved["topics"][0][0].as_str().unwrap(),
        "http://example.org/kgqa/entity/Heat"
    );
    assert_eq!(triples(dir.path()), before);
}

#[test]
fn bad_config_is_reported_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kgqa.toml"),
        "[retrieve]\nhops = \"three\"\n",
    )
    .unwrap();
    let (ok, _, stderr) = run(kgqa(dir.path()).arg("info"));
    assert!(!ok);
    assert!(
        stderr.contains("kgqa.toml") && stderr.contains("hops"),
        "{stderr}"
    );
}
