//! `kgqa synth` end to end: the binary writes kgqa's TSV from a store, reproducibly, and the
//! other commands read it.

mod common;

use common::{fixture, json, kgqa, project_file, run};

fn synth(dir: &std::path::Path, out: &str, extra: &[&str]) -> serde_json::Value {
    json(
        kgqa(dir)
            .args(["synth", "--out", out, "--questions", "40", "--seed", "5"])
            .args(extra),
    )
}

#[test]
fn writes_reproducible_questions_that_link_and_retrieve() {
    let dir = tempfile::tempdir().unwrap();
    json(
        kgqa(dir.path())
            .arg("ingest")
            .arg(fixture("synth_movies.ttl")),
    );
    let report = synth(dir.path(), "a.tsv", &["--max-answers", "5"]);
    assert_eq!(report["requested"], 40);
    let written = report["questions"].as_u64().unwrap();
    assert!(written >= 35, "{report}");
    let by_hop: u64 = ["1", "2", "3"]
        .iter()
        .map(|h| report["by_hop"][h].as_u64().unwrap())
        .sum();
    assert_eq!(by_hop, written);
    let by_type: u64 = report["by_type"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_type, written);
    assert!(report["by_type"]["^directedBy"].is_u64() || report["by_type"]["directedBy"].is_u64());
    let text = std::fs::read_to_string(dir.path().join("a.tsv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("question\ttopic\tanswers\thops\ttype"));
    assert_eq!(lines.clone().count() as u64, written);
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 5, "{line}");
        assert!(
            fields[1].starts_with("http://example.org/movies/"),
            "{line}"
        );
        assert!(fields[2].split('|').count() <= 5, "{line}");
    }
    // The same seed writes the same bytes.
    synth(dir.path(), "b.tsv", &["--max-answers", "5"]);
    assert_eq!(
        text,
        std::fs::read_to_string(dir.path().join("b.tsv")).unwrap()
    );
    // The other commands read the file as a question file.
    let linked = json(kgqa(dir.path()).args(["link", "--split", "a.tsv"]));
    assert_eq!(linked["questions"].as_u64(), Some(written));
    assert!(linked["accuracy"].as_f64().unwrap() > 0.9, "{linked}");
    let retrieved = json(kgqa(dir.path()).args(["retrieve", "--split", "a.tsv"]));
    assert!(retrieved["coverage"].as_f64().unwrap() > 0.9, "{retrieved}");
}

#[test]
fn two_constraint_questions_and_bad_flags() {
    let dir = tempfile::tempdir().unwrap();
    json(
        kgqa(dir.path())
            .arg("ingest")
            .arg(project_file("corpora/support/graph.ttl")),
    );
    let report = synth(
        dir.path(),
        "c.tsv",
        &["--conjunctive", "0.5", "--hops", "1,2"],
    );
    assert!(report["conjunctive"].as_u64().unwrap() >= 15, "{report}");
    let text = std::fs::read_to_string(dir.path().join("c.tsv")).unwrap();
    let two_topics = text
        .lines()
        .skip(1)
        .filter(|line| line.split('\t').nth(1).unwrap().contains('|'))
        .count();
    assert_eq!(two_topics as u64, report["conjunctive"].as_u64().unwrap());
    for (flags, message) in [
        (&["--hops", "4"][..], "hops must be"),
        (
            &["--conjunctive", "2"][..],
            "conjunctive must be between 0 and 1",
        ),
        (
            &["--conjunctive", "0.5", "--hops", "3"][..],
            "hops must include 1 or 2",
        ),
    ] {
        let (ok, _, stderr) = run(kgqa(dir.path())
            .args(["synth", "--out", "bad.tsv"])
            .args(flags));
        assert!(!ok, "{flags:?}");
        assert!(stderr.contains(message), "{flags:?}: {stderr}");
        assert!(!dir.path().join("bad.tsv").exists());
    }
    let empty = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run(kgqa(empty.path()).args(["synth", "--out", "x.tsv"]));
    assert!(!ok);
    assert!(stderr.contains("is empty"), "{stderr}");
}
