//! The remote SPARQL backend. Against a real Virtuoso server (installed and started on loopback by
//! the test; skipped with a message only where that is impossible): ingest the embedded corpus,
//! then labels, edges, degrees, linking, retrieval, synthesised questions (and answers, given a
//! model) must equal the embedded store's. Against tiny fake servers: an endpoint that is down,
//! slow, broken or truncating fails quickly with an error that says so.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::fake_http::{FakeServer, Reply};
use common::virtuoso::Virtuoso;
use common::{fixture, json, kgqa, project_file, run};
use kgqa::config::Settings;
use kgqa::link::Link;
use kgqa::pipeline::Pipeline;
use kgqa::question::read_questions;
use kgqa::retrieve::Subgraph;
use kgqa::store::{ingest, Graph, IngestOptions, RemoteConfig, RemoteError, StoreError};
use oxigraph::model::NamedNode;

const CORPUS_GRAPH: &str = "urn:kgqa:test:corpus";

fn remote_config(graph: &str) -> RemoteConfig {
    RemoteConfig {
        graph: graph.to_owned(),
        ..RemoteConfig::default()
    }
}

fn embedded(file: &std::path::Path) -> Graph {
    let graph = Graph::in_memory().unwrap();
    ingest(&graph, file, &IngestOptions::default(), &|_| {}).unwrap();
    graph
}

#[test]
fn virtuoso_serves_the_same_graph_as_the_embedded_store() {
    let virtuoso = match Virtuoso::start() {
        Ok(virtuoso) => virtuoso,
        Err(reason) => {
            eprintln!("SKIPPED virtuoso_serves_the_same_graph_as_the_embedded_store: {reason}");
            return;
        }
    };
    let corpus = project_file("corpora/support/graph.ttl");
    let local = embedded(&corpus);
    let remote = Graph::remote(&virtuoso.endpoint(), &remote_config(CORPUS_GRAPH)).unwrap();
    let timed = |name: &str, check: &dyn Fn()| {
        let started = Instant::now();
        check();
        eprintln!("{name}: {:.1} s", started.elapsed().as_secs_f64());
    };
    timed("ingest", &|| {
        cli_ingest_and_its_guarantees(&virtuoso, &local)
    });
    timed("reads", &|| same_store_reads(&local, &remote));
    timed("links and subgraphs", &|| {
        same_links_and_subgraphs(&local, &remote)
    });
    timed("terms", &|| same_terms_round_trip(&virtuoso));
    timed("synthesised questions", &|| same_synthesis(&local, &remote));
    timed("answers", &|| same_answers_given_a_model(&local, &remote));
}

/// `kgqa ingest` into Virtuoso: both write paths, `--if-empty`, and bad input that sends nothing.
fn cli_ingest_and_its_guarantees(virtuoso: &Virtuoso, local: &Graph) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = project_file("corpora/support/graph.ttl");
    let remote_cli = |graph: &str, graph_store: bool| {
        let mut command = kgqa(dir.path());
        command
            .env("KGQA_STORE", virtuoso.endpoint())
            .env("KGQA_REMOTE_GRAPH", graph);
        if graph_store {
            command.env("KGQA_REMOTE_GRAPH_STORE", virtuoso.graph_store());
        }
        command
    };
    let expected = local.triple_count().unwrap();
    // The Graph Store Protocol (bulk) path, into the graph the comparisons read.
    let report = json(remote_cli(CORPUS_GRAPH, true).arg("ingest").arg(&corpus));
    assert_eq!(report["store_triples"], expected, "{report}");
    assert_eq!(report["files"][0]["remote"]["method"], "graph-store");
    assert_eq!(report["files"][0]["remote"]["atomic"], true);
    // The SPARQL UPDATE path, in batches of 1,000 triples, plus the publish request.
    let graph = "urn:kgqa:test:update";
    let report = json(remote_cli(graph, false).arg("ingest").arg(&corpus));
    assert_eq!(report["store_triples"], expected, "{report}");
    let sent = &report["files"][0]["remote"];
    assert_eq!(sent["method"], "update");
    assert_eq!(sent["requests"], expected.div_ceil(1000) + 1, "{report}");
    // --if-empty leaves a loaded graph alone.
    let (ok, _, stderr) = run(remote_cli(graph, false)
        .args(["ingest", "--if-empty"])
        .arg(fixture("tiny.ttl")));
    assert!(ok, "{stderr}");
    let info = json(remote_cli(graph, false).arg("info"));
    assert_eq!(info["triples"], expected);
    assert_eq!(info["store"], virtuoso.endpoint());
    // Bad input fails with its line before anything is sent.
    for (file, expected_error) in [
        ("malformed.nt", "malformed.nt:3"),
        ("malformed_kb.txt", "malformed_kb.txt:2: expected 3 fields"),
    ] {
        let (ok, _, stderr) = run(remote_cli(graph, false).arg("ingest").arg(fixture(file)));
        assert!(!ok, "{file} should fail");
        assert!(stderr.contains(expected_error), "{file}: {stderr}");
        assert!(stderr.contains("nothing was written"), "{file}: {stderr}");
    }
    let info = json(remote_cli(graph, false).arg("info"));
    assert_eq!(info["triples"], expected, "bad input changed the graph");
    // No staging graph is left behind.
    let staging = ureq::post(&virtuoso.endpoint())
        .set("Accept", "application/sparql-results+json")
        .send_form(&[(
            "query",
            "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"urn:kgqa:staging:\")) }",
        )])
        .unwrap()
        .into_string()
        .unwrap();
    assert!(staging.contains("false"), "{staging}");
}

/// Every read kgqa makes gives the same answer on both backends.
fn same_store_reads(local: &Graph, remote: &Graph) {
    assert_eq!(
        remote.triple_count().unwrap(),
        local.triple_count().unwrap()
    );
    let labels = |graph: &Graph| -> BTreeSet<(String, String, bool)> {
        graph
            .labels()
            .unwrap()
            .into_iter()
            .map(|l| (l.node.as_str().to_owned(), l.label, l.alternative))
            .collect()
    };
    let local_labels = labels(local);
    assert!(local_labels.len() > 1000, "{}", local_labels.len());
    assert_eq!(labels(remote), local_labels);
    assert_eq!(remote.relations().unwrap(), local.relations().unwrap());

    // Every labelled node: more than 512 of them, so VALUES blocks are split as they would be.
    let nodes: Vec<NamedNode> = local_labels
        .iter()
        .map(|(node, _, _)| NamedNode::new(node.as_str()).unwrap())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(nodes.len() > 512);
    let edges = |graph: &Graph| -> BTreeSet<(String, String, String, bool)> {
        graph
            .neighbors(&nodes)
            .unwrap()
            .into_iter()
            .map(|(node, e)| {
                (
                    node.as_str().to_owned(),
                    e.relation.as_str().to_owned(),
                    e.other.as_str().to_owned(),
                    e.outgoing,
                )
            })
            .collect()
    };
    let local_edges = edges(local);
    assert!(local_edges.iter().any(|e| e.3) && local_edges.iter().any(|e| !e.3));
    assert_eq!(edges(remote), local_edges);
    assert_eq!(
        remote.degrees(&nodes).unwrap(),
        local.degrees(&nodes).unwrap()
    );
    assert_eq!(
        remote.preferred_labels(&nodes).unwrap(),
        local.preferred_labels(&nodes).unwrap()
    );
}

/// `kgqa synth` writes the same questions from both backends: relation texts, paths followed
/// hop by hop over frontiers of more than 512 nodes, and two-constraint intersections.
fn same_synthesis(local: &Graph, remote: &Graph) {
    let texts = remote.relation_texts().unwrap();
    assert_eq!(texts, local.relation_texts().unwrap());
    assert!(texts.iter().all(|t| t.label.is_some()), "{texts:?}");
    let nodes: Vec<NamedNode> = local
        .labels()
        .unwrap()
        .into_iter()
        .map(|l| l.node)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let relation = NamedNode::new("http://example.org/support/vocab/reportsError").unwrap();
    for forward in [true, false] {
        let reached = local.follow(&nodes, &relation, forward).unwrap();
        assert!(!reached.is_empty());
        assert_eq!(remote.follow(&nodes, &relation, forward).unwrap(), reached);
    }
    let config = kgqa::synth::SynthConfig {
        questions: 150,
        conjunctive: 0.3,
        seed: 3,
        ..Default::default()
    };
    let lines = |graph: &Graph| -> Vec<String> {
        let synthesis = kgqa::synth::synthesise(graph, &config, &|_| {}).unwrap();
        synthesis
            .questions
            .iter()
            .map(kgqa::synth::tsv_line)
            .collect()
    };
    let expected = lines(local);
    assert!(expected.len() > 140, "{}", expected.len());
    assert_eq!(lines(remote), expected);
}

/// Linking and retrieval of the corpus test questions (a sample) are the same on both backends.
fn same_links_and_subgraphs(local: &Graph, remote: &Graph) {
    let (_, examples) =
        read_questions(&project_file("corpora/support/questions/train.tsv")).unwrap();
    let (_, questions) =
        read_questions(&project_file("corpora/support/questions/test.tsv")).unwrap();
    let pipeline = |graph: &Graph| {
        Pipeline::from_settings(&Settings::defaults(), graph.clone(), &examples).unwrap()
    };
    let (local, remote) = (pipeline(local), pipeline(remote));
    let mut compared = 0;
    for question in questions.iter().step_by(4) {
        let a = local.retrieve(&question.text).unwrap();
        let b = remote.retrieve(&question.text).unwrap();
        assert_eq!(links(&b.links), links(&a.links), "{}", question.text);
        assert_eq!(shape(&b.subgraph), shape(&a.subgraph), "{}", question.text);
        compared += usize::from(!a.subgraph.edges().is_empty());
    }
    assert!(
        compared >= 90,
        "only {compared} non-empty subgraphs compared"
    );
}

type LinkKey = (String, (usize, usize), String, String, String, u64);

fn links(links: &[Link]) -> BTreeSet<LinkKey> {
    links
        .iter()
        .map(|l| {
            (
                l.mention.clone(),
                (l.span.start, l.span.end),
                l.iri.as_str().to_owned(),
                l.label.clone(),
                l.matched.clone(),
                (l.score * 1e9).round() as u64,
            )
        })
        .collect()
}

type Shape = (
    BTreeSet<(String, u8)>,
    BTreeSet<(String, String, String)>,
    BTreeSet<String>,
    bool,
);

/// A subgraph without its local ids (which follow the order rows arrive in).
fn shape(subgraph: &Subgraph) -> Shape {
    let name = |id: u32| subgraph.nodes()[id as usize].as_str().to_owned();
    (
        subgraph
            .nodes()
            .iter()
            .zip(subgraph.distances())
            .map(|(n, &d)| (n.as_str().to_owned(), d))
            .collect(),
        subgraph
            .edges()
            .iter()
            .map(|e| {
                (
                    name(e.source),
                    subgraph.relations()[e.relation as usize]
                        .as_str()
                        .to_owned(),
                    name(e.target),
                )
            })
            .collect(),
        subgraph.hubs().iter().map(|&h| name(h)).collect(),
        subgraph.truncated(),
    )
}

/// Literals with languages, datatypes, escapes and non-ASCII text, blank nodes and minted IRIs
/// come back from Virtuoso as they went in, through both write paths.
fn same_terms_round_trip(virtuoso: &Virtuoso) {
    for (file, graph_store) in [
        ("remote_terms.ttl", false),
        ("remote_terms.ttl", true),
        ("movies_kb.txt", false),
    ] {
        let local = embedded(&fixture(file));
        let graph = format!("urn:kgqa:test:{file}:{graph_store}");
        let mut config = remote_config(&graph);
        if graph_store {
            config.graph_store_endpoint = Some(virtuoso.graph_store());
        }
        let remote = Graph::remote(&virtuoso.endpoint(), &config).unwrap();
        let report = ingest(&remote, &fixture(file), &IngestOptions::default(), &|_| {}).unwrap();
        assert_eq!(report.triples, local.triple_count().unwrap(), "{file}");
        assert_eq!(remote.triple_count().unwrap(), report.triples, "{file}");
        same_store_reads_small(&local, &remote, file);
    }
}

fn same_store_reads_small(local: &Graph, remote: &Graph, file: &str) {
    let mut a = local.labels().unwrap();
    let mut b = remote.labels().unwrap();
    let key =
        |l: &kgqa::store::LabelRow| (l.node.as_str().to_owned(), l.label.clone(), l.alternative);
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(b, a, "{file}");
    let nodes: Vec<NamedNode> = a.iter().map(|l| l.node.clone()).collect();
    let mut a = local.neighbors(&nodes).unwrap();
    let mut b = remote.neighbors(&nodes).unwrap();
    let key = |(n, e): &(NamedNode, kgqa::store::Edge)| {
        (
            n.as_str().to_owned(),
            e.relation.as_str().to_owned(),
            e.other.as_str().to_owned(),
            e.outgoing,
        )
    };
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(b, a, "{file}");
    assert_eq!(
        remote.degrees(&nodes).unwrap(),
        local.degrees(&nodes).unwrap(),
        "{file}"
    );
}

/// With a trained model (`KGQA_TEST_MODEL=DIR`; CI has none), answers are the same too.
fn same_answers_given_a_model(local: &Graph, remote: &Graph) {
    let Some(model) = std::env::var_os("KGQA_TEST_MODEL") else {
        eprintln!(
            "SKIPPED answer comparison: set KGQA_TEST_MODEL to a model trained on the corpus"
        );
        return;
    };
    let checkpoint = kgqa::score::Checkpoint::at(std::path::Path::new(&model));
    let answerer = |graph: &Graph| {
        let pipeline = Pipeline::from_settings(&Settings::defaults(), graph.clone(), &[]).unwrap();
        kgqa::answer::Answerer::load(pipeline, &checkpoint, tch::Device::Cpu).unwrap()
    };
    let (mut a, mut b) = (answerer(local), answerer(remote));
    let (_, questions) =
        read_questions(&project_file("corpora/support/questions/test.tsv")).unwrap();
    for question in questions.iter().step_by(20) {
        let x = a.ask(&question.text, 5).unwrap();
        let y = b.ask(&question.text, 5).unwrap();
        let show = |a: &kgqa::answer::Answer| -> Vec<(String, f64)> {
            a.answers
                .iter()
                .map(|a| (a.label.clone(), a.score))
                .collect()
        };
        assert_eq!(
            x.answers.len(),
            y.answers.len(),
            "{}: {:?} vs {:?} (threshold {})",
            question.text,
            show(&x),
            show(&y),
            x.threshold
        );
        for (p, q) in x.answers.iter().zip(&y.answers) {
            assert!((p.score - q.score).abs() < 1e-4, "{}", question.text);
        }
        // Answers with equal scores may come in either order (and tie at the top-k cut), so the
        // answers are compared as a set, those tied with the last one aside.
        let last = x.answers.last().map_or(0.0, |a| a.score);
        let above = |a: &kgqa::answer::Answer| -> BTreeSet<String> {
            a.answers
                .iter()
                .filter(|a| a.score > last + 1e-4)
                .map(|a| a.iri.as_str().to_owned())
                .collect()
        };
        assert_eq!(
            above(&x),
            above(&y),
            "{}: {:?} vs {:?}",
            question.text,
            show(&x),
            show(&y)
        );
    }
}

// ---- Failure modes, against fake servers ----

/// A loopback port with nothing listening.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn fast_config() -> RemoteConfig {
    RemoteConfig {
        retries: 2,
        backoff: 0.05,
        timeout: 1.0,
        connect_timeout: 1.0,
        ..RemoteConfig::default()
    }
}

fn remote_error(result: kgqa::store::Result<u64>) -> RemoteError {
    match result {
        Err(StoreError::RemoteQuery { cause, .. }) => cause,
        other => panic!("expected a remote query error, got {other:?}"),
    }
}

#[test]
fn a_down_endpoint_fails_quickly_after_bounded_retries() {
    let endpoint = format!("http://reader:s3cret@127.0.0.1:{}/sparql", closed_port());
    let graph = Graph::remote(&endpoint, &fast_config()).unwrap();
    let started = Instant::now();
    let error = remote_error(graph.triple_count());
    assert!(started.elapsed() < Duration::from_secs(5), "{error}");
    let RemoteError::Unreachable { attempts, .. } = &error else {
        panic!("expected unreachable, got {error}");
    };
    assert_eq!(*attempts, 3);
    let text = error.to_string();
    assert!(
        text.contains("is unreachable") && text.contains("127.0.0.1"),
        "{text}"
    );
    assert!(
        !text.contains("s3cret") && !text.contains("reader"),
        "{text}"
    );
    // The same through the CLI, which names the query.
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run(kgqa(dir.path())
        .env("KGQA_STORE", &endpoint)
        .env("KGQA_REMOTE_RETRIES", "1")
        .arg("info"));
    assert!(!ok);
    assert!(
        stderr.contains("`count_triples`") && stderr.contains("is unreachable"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn a_slow_endpoint_times_out_without_retrying() {
    let server = FakeServer::start(|_, _| Reply::Never);
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let started = Instant::now();
    let error = remote_error(graph.triple_count());
    let elapsed = started.elapsed();
    assert!(matches!(error, RemoteError::Timeout { .. }), "{error}");
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert!(
        error.to_string().contains("did not answer within 1.0 s"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn malformed_results_are_reported_with_a_snippet() {
    let server = FakeServer::start(|_, _| {
        Reply::With(
            200,
            "application/sparql-results+json",
            "{\"head\": oops <html>".into(),
        )
    });
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let error = remote_error(graph.triple_count());
    assert!(matches!(error, RemoteError::Malformed { .. }), "{error}");
    assert!(
        error.to_string().contains("{\"head\": oops <html>"),
        "{error}"
    );
    // An HTML page is not results either.
    let server =
        FakeServer::start(|_, _| Reply::With(200, "text/html", "<html>login</html>".into()));
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let error = remote_error(graph.triple_count());
    assert!(error.to_string().contains("text/html"), "{error}");
}

#[test]
fn server_errors_are_retried_then_reported_with_the_status() {
    let server = FakeServer::start(|_, _| {
        Reply::With(503, "text/plain", "Service Unavailable: overloaded".into())
    });
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let error = remote_error(graph.triple_count());
    let text = error.to_string();
    assert!(
        text.contains("HTTP 503") && text.contains("overloaded"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 3, "two retries");
    // A client error is not retried.
    let server = FakeServer::start(|_, _| Reply::With(400, "text/plain", "syntax error".into()));
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let error = remote_error(graph.triple_count());
    assert!(
        error.to_string().contains("HTTP 400: syntax error"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn truncated_results_are_refused() {
    let results = r#"{"head":{"vars":["triples"]},"results":{"bindings":[{"triples":{"type":"literal","value":"3"}}]}}"#;
    let server = FakeServer::start(move |_, _| {
        Reply::WithHeaders(
            200,
            "application/sparql-results+json",
            results.into(),
            vec!["X-SPARQL-MaxRows: 10000".into()],
        )
    });
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let error = remote_error(graph.triple_count());
    assert!(
        error.to_string().contains("cut the results at 10000 rows"),
        "{error}"
    );
}

#[test]
fn queries_are_protocol_forms_with_the_graph_and_credentials() {
    let results = r#"{"head":{"vars":["triples"]},"results":{"bindings":[{"triples":{"type":"typed-literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"42"}}]}}"#;
    let server = FakeServer::start(move |_, _| {
        Reply::With(
            200,
            "application/sparql-results+json; charset=utf-8",
            results.into(),
        )
    });
    let config = RemoteConfig {
        graph: "urn:kgqa:test:g".into(),
        user: Some("reader".into()),
        password: Some(String::from("s3cret").into()),
        ..fast_config()
    };
    let graph = Graph::remote(&format!("{}/sparql", server.url), &config).unwrap();
    assert_eq!(graph.triple_count().unwrap(), 42);
    let request = &server.requests()[0];
    assert!(request.starts_with("POST /sparql "), "{request}");
    assert!(
        request.contains("application/x-www-form-urlencoded"),
        "{request}"
    );
    assert!(
        request.contains("default-graph-uri=urn%3Akgqa%3Atest%3Ag"),
        "{request}"
    );
    assert!(
        request.contains("Accept: application/sparql-results+json"),
        "{request}"
    );
    // base64("reader:s3cret")
    assert!(
        request.contains("Authorization: Basic cmVhZGVyOnMzY3JldA=="),
        "{request}"
    );
}

#[test]
fn a_failed_batch_drops_the_staging_graph_and_publishes_nothing() {
    // Accepts the first INSERT DATA, fails the second with 400, accepts anything after.
    let server = FakeServer::start(|n, _| match n {
        1 => Reply::With(400, "text/plain", "SP031: too much".into()),
        _ => Reply::With(200, "text/plain", "ok".into()),
    });
    let config = RemoteConfig {
        batch_size: Some(20),
        ..fast_config()
    };
    let graph = Graph::remote(&format!("{}/sparql", server.url), &config).unwrap();
    let error = ingest(
        &graph,
        &fixture("movies_kb.txt"),
        &IngestOptions::default(),
        &|_| {},
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("HTTP 400: SP031: too much"),
        "{error}"
    );
    let requests: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            let body = r.split("\r\n\r\n").nth(1).unwrap_or_default();
            form_value(body, "update")
        })
        .collect();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(
        requests[0].starts_with("INSERT DATA { GRAPH <urn:kgqa:staging:"),
        "{}",
        requests[0]
    );
    let staging = requests[0].split(['<', '>']).nth(1).unwrap();
    assert_eq!(requests[2], format!("DROP SILENT GRAPH <{staging}>"));
    assert!(requests.iter().all(|r| !r.contains("ADD ")), "{requests:?}");
}

#[test]
fn a_publish_retried_after_a_lost_reply_reports_success() {
    // An endpoint that applies the publish and loses its reply: the staging graph is gone, and
    // a retry of a publish that needs it fails the way SPARQL 1.1 says (no SILENT, no graph).
    let staging_exists = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let state = staging_exists.clone();
    let server = FakeServer::start(move |_, request| {
        use std::sync::atomic::Ordering::SeqCst;
        let update = form_value(
            request.split("\r\n\r\n").nth(1).unwrap_or_default(),
            "update",
        );
        if update.starts_with("INSERT DATA") {
            state.store(true, SeqCst);
            return Reply::With(200, "text/plain", "ok".into());
        }
        if update.starts_with("ADD") {
            if state.swap(false, SeqCst) {
                return Reply::Hangup;
            }
            if !update.starts_with("ADD SILENT") {
                return Reply::With(
                    400,
                    "text/plain",
                    "Graph <urn:kgqa:staging:…> does not exist".into(),
                );
            }
        }
        Reply::With(200, "text/plain", "ok".into())
    });
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let report = ingest(
        &graph,
        &fixture("movies_kb.txt"),
        &IngestOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|e| panic!("a successful ingest reported as failed: {e}"));
    assert_eq!(report.triples, 49);
    let updates: Vec<String> = server
        .requests()
        .iter()
        .map(|r| form_value(r.split("\r\n\r\n").nth(1).unwrap_or_default(), "update"))
        .collect();
    assert_eq!(updates.len(), 3, "{updates:?}");
    assert_eq!(updates[1], updates[2], "the publish is retried as it was");
    assert!(!staging_exists.load(std::sync::atomic::Ordering::SeqCst));
}

#[test]
fn an_answer_larger_than_the_limit_is_refused() {
    let big = format!(
        r#"{{"head":{{"vars":["triples"]}},"results":{{"bindings":[{}]}}}}"#,
        vec![r#"{"triples":{"type":"literal","value":"3"}}"#; 20_000].join(",")
    );
    let size = big.len();
    let server = FakeServer::start(move |_, _| {
        Reply::With(200, "application/sparql-results+json", big.clone())
    });
    let config = RemoteConfig {
        max_response_bytes: 100_000,
        ..fast_config()
    };
    assert!(size > 500_000, "{size}");
    let graph = Graph::remote(&format!("{}/sparql", server.url), &config).unwrap();
    let error = remote_error(graph.triple_count());
    assert!(
        matches!(error, RemoteError::TooLarge { limit: 100_000, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[test]
fn several_files_are_read_before_anything_is_sent() {
    let server = FakeServer::start(|_, _| Reply::With(200, "text/plain", "ok".into()));
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let files = [fixture("movies_kb.txt"), fixture("malformed.nt")];
    let error = kgqa::store::ingest_files(&graph, &files[..], &IngestOptions::default(), &|_| {})
        .unwrap_err();
    assert!(error.to_string().contains("malformed.nt:3"), "{error}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    // Good files go out together: one staging graph, one publish.
    let files = [fixture("movies_kb.txt"), fixture("tiny.ttl")];
    let reports =
        kgqa::store::ingest_files(&graph, &files[..], &IngestOptions::default(), &|_| {}).unwrap();
    assert_eq!(reports.len(), 2);
    let updates: Vec<String> = server
        .requests()
        .iter()
        .map(|r| form_value(r.split("\r\n\r\n").nth(1).unwrap_or_default(), "update"))
        .collect();
    let publishes = updates.iter().filter(|u| u.starts_with("ADD")).count();
    assert_eq!(publishes, 1, "{updates:?}");
    assert_eq!(reports[0].remote, reports[1].remote);
}

#[test]
fn linking_a_repeated_ambiguous_word_costs_one_degree_query() {
    // Two nodes labelled "Heat"; the question names them 60 times.
    let labels = r#"{"head":{"vars":["node","label","alt"]},"results":{"bindings":[
        {"node":{"type":"uri","value":"http://ex.org/heat-1995"},"label":{"type":"literal","value":"Heat"}},
        {"node":{"type":"uri","value":"http://ex.org/heat-1986"},"label":{"type":"literal","value":"Heat"}}]}}"#;
    let degrees = r#"{"head":{"vars":["node","degree"]},"results":{"bindings":[
        {"node":{"type":"uri","value":"http://ex.org/heat-1995"},"degree":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"12"}},
        {"node":{"type":"uri","value":"http://ex.org/heat-1986"},"degree":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"3"}}]}}"#;
    let server = FakeServer::start(move |_, request| {
        let query = form_value(
            request.split("\r\n\r\n").nth(1).unwrap_or_default(),
            "query",
        );
        let body = if query.contains("COUNT") {
            degrees
        } else {
            labels
        };
        Reply::With(200, "application/sparql-results+json", body.into())
    });
    let graph = Graph::remote(&format!("{}/sparql", server.url), &fast_config()).unwrap();
    let linker = kgqa::link::Linker::new(graph, kgqa::link::LinkConfig::default()).unwrap();
    let question = vec!["heat"; 60].join(" ");
    let links = linker.link(&question).unwrap();
    assert_eq!(
        links[0].iri.as_str(),
        "http://ex.org/heat-1995",
        "the busier node first"
    );
    let degree_queries = server
        .requests()
        .iter()
        .filter(|r| {
            form_value(r.split("\r\n\r\n").nth(1).unwrap_or_default(), "query").contains("COUNT")
        })
        .count();
    assert_eq!(degree_queries, 1);
}

#[test]
fn remote_ingest_without_a_named_graph_is_refused() {
    let config = RemoteConfig {
        graph: String::new(),
        ..fast_config()
    };
    let graph = Graph::remote(
        &format!("http://127.0.0.1:{}/sparql", closed_port()),
        &config,
    )
    .unwrap();
    let error = ingest(
        &graph,
        &fixture("tiny.ttl"),
        &IngestOptions::default(),
        &|_| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("needs a named graph"), "{error}");
}

/// The decoded value of `key` in an `application/x-www-form-urlencoded` body.
fn form_value(body: &str, key: &str) -> String {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| percent_decode(&v.replace('+', " ")))
        .unwrap_or_default()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
