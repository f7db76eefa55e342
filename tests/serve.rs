//! `kgqa serve`: handlers without a socket, then real servers on loopback ports driven by a real
//! HTTP client, and the binary itself (configuration precedence, SIGTERM). The model is a tiny
//! random-weight one: these tests are about the service, not about accuracy.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use kgqa::answer::{Answerer, AskOptions};
use kgqa::config::Settings;
use kgqa::pipeline::Pipeline;
use kgqa::score::{Checkpoint, Sample};
use kgqa::serve::{AppState, Backend, BatchScorer, Secret, ServeConfig, Server, ROUTES};
use kgqa::store::Graph;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "test-token-0123456789";
const HEAT: &str = "who directed [Heat]";

/// A store holding the movie fixture and a tiny model for it, in a temp dir.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let graph = Graph::open(&dir.path().join("store")).unwrap();
        common::load(&graph, &common::fixture("movies_kb.txt"));
        common::tiny_checkpoint(&dir.path().join("model"), &graph, 0.0);
        Self { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    fn model(&self) -> PathBuf {
        self.dir.path().join("model")
    }

    fn config(&self) -> ServeConfig {
        ServeConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: Some(Secret::new(TOKEN)),
            feedback: self.dir.path().join("feedback.jsonl"),
            ..ServeConfig::default()
        }
    }

    /// Loads the backend from the store on disk (the server's loader).
    fn loader(&self, delay: Duration) -> impl FnOnce() -> kgqa::Result<Backend> + Send + 'static {
        let (store, model) = (self.store(), self.model());
        move || {
            let backend = Backend::new(answerer(Graph::open(&store)?, &model)?, &model);
            Ok(if delay.is_zero() {
                backend
            } else {
                backend.map_scorer(|inner| Box::new(Slow { inner, delay }))
            })
        }
    }
}

fn answerer(graph: Graph, model: &Path) -> kgqa::Result<Answerer> {
    Answerer::load(
        Pipeline::from_settings(&Settings::defaults(), graph, &[])?,
        &Checkpoint::at(model),
        tch::Device::Cpu,
    )
}

/// A model that takes `delay` per micro-batch, to fill the queue or pass deadlines on purpose.
struct Slow {
    inner: Box<dyn BatchScorer>,
    delay: Duration,
}

impl BatchScorer for Slow {
    fn score(&mut self, samples: &[&Sample], batch: usize) -> kgqa::Result<Vec<Vec<f64>>> {
        std::thread::sleep(self.delay);
        self.inner.score(samples, batch)
    }
}

/// A server running on a loopback port, and a client for it.
struct Running {
    base: String,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<kgqa::Result<()>>,
}

impl Running {
    async fn start(fixture: &Fixture, config: ServeConfig, delay: Duration) -> Self {
        let server = Server::bind(config).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.run(fixture.loader(delay), async {
            let _ = stopped.await;
        }));
        let running = Self {
            base,
            client: reqwest::Client::new(),
            stop: Some(stop),
            task,
        };
        let started = Instant::now();
        while running.get("/readyz").await.0 != StatusCode::OK {
            assert!(started.elapsed() < Duration::from_secs(60), "never ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        running
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.unwrap();
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
        assert!(response.headers().contains_key("x-request-id"));
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.client.post(format!("{}{path}", self.base)).json(&body))
            .await
    }

    async fn ask(&self, question: &str) -> Value {
        let (status, body) = self
            .post("/v1/ask", json!({ "question": question, "top_k": 100 }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn update(&self, add: &str, remove: &str) -> (StatusCode, Value) {
        self.send(
            self.client
                .post(format!("{}/v1/graph/triples", self.base))
                .bearer_auth(TOKEN)
                .json(&json!({ "add": add, "remove": remove })),
        )
        .await
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

fn labels(answer: &Value) -> Vec<String> {
    answer["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_envelope(status: StatusCode, body: &Value, expected: StatusCode, kind: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["type"], kind, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[test]
fn ask_batch_answers_like_single_asks() {
    let graph = Graph::in_memory().unwrap();
    common::load(&graph, &common::fixture("movies_kb.txt"));
    let dir = tempfile::tempdir().unwrap();
    common::tiny_checkpoint(dir.path(), &graph, 0.0);
    let mut answerer = answerer(graph, dir.path()).unwrap();
    let questions = [HEAT, "what films did [Al Pacino] star in", "who is nobody"];
    let batch = answerer.ask_batch(&questions, AskOptions::top(50)).unwrap();
    for (question, batched) in questions.iter().zip(&batch) {
        let single = answerer.ask(question, 50).unwrap();
        assert_eq!(single.answers.len(), batched.answers.len(), "{question}");
        for a in &single.answers {
            let b = batched.answers.iter().find(|b| b.iri == a.iri).unwrap();
            assert!(
                (a.score - b.score).abs() < 1e-5,
                "{question}: {} vs {}",
                a.score,
                b.score
            );
        }
    }
    assert!(batch[2].no_answer && batch[2].linked.is_empty());
    let bare = answerer
        .ask_batch(
            &[HEAT],
            AskOptions {
                top_k: 3,
                evidence: false,
            },
        )
        .unwrap();
    assert!(bare[0].answers.iter().all(|a| a.evidence.is_empty()));
}

/// `/v1/ask` and the library's `Answerer::ask` run the same answering service: the same
/// questions get identical answers, scores, links and evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_answers_exactly_like_the_library() {
    let fixture = Fixture::new();
    let questions = [
        HEAT,
        "what films did [Al Pacino] star in",
        "who directed heat",
        "who is nobody",
    ];
    let server = Running::start(&fixture, fixture.config(), Duration::ZERO).await;
    let mut served = Vec::new();
    for question in questions {
        let mut body = server.ask(question).await;
        body.as_object_mut().unwrap().remove("timing_ms");
        served.push(body);
    }
    // The server holds the on-disk store until it stops.
    server.stop().await;
    let mut answerer = answerer(Graph::open(&fixture.store()).unwrap(), &fixture.model()).unwrap();
    for (question, served) in questions.iter().zip(served) {
        let answer = answerer.ask(question, 100).unwrap();
        // Through JSON text like the served body, so that both read their floats the same way.
        let library: Value =
            serde_json::from_str(&serde_json::to_string(&answer).unwrap()).unwrap();
        assert_eq!(library, served, "{question}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_answer_without_a_socket() {
    let fixture = Fixture::new();
    let state = std::sync::Arc::new(AppState::new(fixture.config()));
    let app = kgqa::serve::router(state.clone());
    let call = |method: Method, path: &str, body: Option<Value>| {
        let app = app.clone();
        let mut request = Request::builder().method(method).uri(path);
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text)),
            )
        }
    };
    // Before loading: alive, not ready, questions refused with 503.
    assert_eq!(call(Method::GET, "/healthz", None).await.0, StatusCode::OK);
    let (status, body) = call(Method::GET, "/readyz", None).await;
    assert_envelope(status, &body, StatusCode::SERVICE_UNAVAILABLE, "not_ready");
    let (status, body) = call(Method::POST, "/v1/ask", Some(json!({"question": HEAT}))).await;
    assert_envelope(status, &body, StatusCode::SERVICE_UNAVAILABLE, "not_ready");

    let backend = fixture.loader(Duration::ZERO)().unwrap();
    let _model_thread = state.load(backend).unwrap();
    assert_eq!(call(Method::GET, "/readyz", None).await.0, StatusCode::OK);
    let (status, body) = call(
        Method::POST,
        "/v1/ask",
        Some(json!({"question": HEAT, "top_k": 100})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["linked"][0]["label"], "Heat");
    assert!(labels(&body).contains(&"Michael Mann".to_owned()), "{body}");
    let mann = body["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["label"] == "Michael Mann")
        .unwrap();
    assert_eq!(mann["evidence"][0][0]["relation"], "directed_by");
    assert!(body["timing_ms"]["total"].as_f64().unwrap() > 0.0);

    // Every route of the OpenAPI document exists (anything but 404 and 405).
    let (status, openapi) = call(Method::GET, "/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    for (method, path) in ROUTES {
        assert!(
            openapi["paths"][path][method.to_lowercase()].is_object(),
            "{method} {path}"
        );
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method == Method::POST).then(|| json!({}));
        let (status, _) = call(method.clone(), path, body).await;
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status}"
        );
    }
    let (status, body) = call(Method::GET, "/v1/nothing", None).await;
    assert_envelope(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = call(Method::GET, "/v1/ask", None).await;
    assert_envelope(
        status,
        &body,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    let (status, info) = call(Method::GET, "/v1/info", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["graph"]["triples"], 49);
    assert_eq!(info["writes_enabled"], true);
    assert!(!info.to_string().contains(TOKEN));
    let (status, metrics) = call(Method::GET, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    let metrics = metrics.as_str().unwrap().to_owned();
    assert!(
        metrics.contains(
            "kgqa_http_requests_total{route=\"/v1/ask\",method=\"POST\",status=\"503\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("kgqa_ready 1"), "{metrics}");
    assert!(metrics.contains("kgqa_queue_depth 0"), "{metrics}");

    // Once shutdown begins, /readyz turns 503 (no new work) but requests are still answered.
    state.begin_shutdown();
    let (status, body) = call(Method::GET, "/readyz", None).await;
    assert_envelope(status, &body, StatusCode::SERVICE_UNAVAILABLE, "not_ready");
    let (status, _) = call(Method::POST, "/v1/ask", Some(json!({"question": HEAT}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_asks_are_micro_batched() {
    let fixture = Fixture::new();
    // 30 ms per micro-batch: questions arriving meanwhile wait and are scored together.
    let server = Running::start(&fixture, fixture.config(), Duration::from_millis(30)).await;
    let server = std::sync::Arc::new(server);
    let questions = [
        HEAT,
        "what films did [Al Pacino] star in",
        "which movies are tagged [crime]",
        "who directed Collateral",
    ];
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let server = server.clone();
            let question = questions[i % questions.len()];
            tokio::spawn(async move { (question, server.ask(question).await) })
        })
        .collect();
    let mut largest_batch = 0;
    for task in tasks {
        let (question, answer) = task.await.unwrap();
        assert!(
            !answer["linked"].as_array().unwrap().is_empty(),
            "{question}: {answer}"
        );
        if question == HEAT {
            assert!(
                labels(&answer).contains(&"Michael Mann".to_owned()),
                "{answer}"
            );
        }
        largest_batch = largest_batch.max(answer["timing_ms"]["batch"].as_u64().unwrap());
    }
    assert!(
        largest_batch > 1,
        "no micro-batch held more than one question"
    );
    let (status, batch) = server
        .post(
            "/v1/ask/batch",
            json!({ "questions": questions, "top_k": 100, "include_evidence": false }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{batch}");
    let results = batch["results"].as_array().unwrap();
    assert_eq!(results.len(), questions.len());
    assert_eq!(results[0]["question"], HEAT);
    assert!(labels(&results[0]).contains(&"Michael Mann".to_owned()));
    assert!(results[0]["answers"][0]["evidence"]
        .as_array()
        .unwrap()
        .is_empty());
    let (_, metrics) = server.get("/metrics").await;
    let metrics = metrics.as_str().unwrap();
    assert!(
        metrics.contains(
            "kgqa_http_requests_total{route=\"/v1/ask\",method=\"POST\",status=\"200\"} 24"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("kgqa_questions_scored_total 28"),
        "{metrics}"
    );
    std::sync::Arc::into_inner(server).unwrap().stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_get_the_error_envelope() {
    let fixture = Fixture::new();
    let config = fixture.config();
    let (max_chars, max_body, max_batch) = (
        config.max_question_chars,
        config.max_body_bytes,
        config.max_batch,
    );
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    let url = format!("{}/v1/ask", server.base);
    let raw = |body: &str, content_type: Option<&str>| {
        let mut request = server.client.post(&url).body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE.as_str(), content_type);
        }
        request
    };
    let json_type = Some("application/json");
    let ask = |body: Value| raw(&body.to_string(), json_type);
    let post = |path: &str| server.client.post(format!("{}{path}", server.base));
    let triples = |body: Value| post("/v1/graph/triples").bearer_auth(TOKEN).json(&body);
    let malformed = (StatusCode::BAD_REQUEST, "malformed_json");
    let media = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let invalid = (StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let too_large = (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let unauthorized = (StatusCode::UNAUTHORIZED, "unauthorized");
    let cases: Vec<(reqwest::RequestBuilder, (StatusCode, &str))> = vec![
        (raw("", json_type), malformed),
        (raw("{\"question\": ", json_type), malformed),
        (raw("{\"question\": \"q\"} {}", json_type), malformed),
        (raw(&json!({"question": HEAT}).to_string(), None), media),
        (
            raw(&json!({"question": HEAT}).to_string(), Some("text/plain")),
            media,
        ),
        (ask(json!({"question": HEAT, "verbose": true})), invalid),
        (ask(json!({"question": 42})), invalid),
        (ask(json!({"question": HEAT, "top_k": "3"})), invalid),
        (ask(json!({"question": HEAT, "top_k": -1})), invalid),
        (ask(json!({"question": HEAT, "top_k": 0})), invalid),
        (ask(json!({"question": HEAT, "top_k": 100_000})), invalid),
        (ask(json!({"top_k": 3})), invalid),
        (ask(json!({"question": "   "})), invalid),
        (ask(json!({"question": "who\u{0}directed [Heat]"})), invalid),
        (
            ask(json!({"question": "\u{1b}[2Jwho directed Heat"})),
            invalid,
        ),
        (ask(json!({"question": "x".repeat(max_chars + 1)})), invalid),
        (ask(json!({"question": "x".repeat(max_body)})), too_large),
        (
            post("/v1/ask/batch").json(&json!({"questions": []})),
            invalid,
        ),
        (
            post("/v1/ask/batch").json(&json!({"questions": vec![HEAT; max_batch + 1]})),
            too_large,
        ),
        (
            post("/v1/ask/batch").json(&json!({"questions": [HEAT, ""]})),
            invalid,
        ),
        (
            post("/v1/feedback").json(&json!({"question": HEAT, "answer": "Michael Mann"})),
            invalid,
        ),
        (
            post("/v1/feedback")
                .json(&json!({"question": HEAT, "answer": "Michael Mann", "correct": "yes"})),
            invalid,
        ),
        (
            post("/v1/graph/triples").json(&json!({"add": ""})),
            unauthorized,
        ),
        (
            post("/v1/graph/triples")
                .bearer_auth("wrong-token-0123456789")
                .json(&json!({"add": ""})),
            unauthorized,
        ),
        (triples(json!({"add": "<a> <b> ."})), invalid),
        (triples(json!({})), invalid),
        (triples(json!({"add": "", "sparql": "DROP ALL"})), invalid),
    ];
    for (i, (request, (expected, kind))) in cases.into_iter().enumerate() {
        let response = request.send().await.unwrap();
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE.as_str())
                .unwrap(),
            "application/json",
            "case {i}"
        );
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, expected, "case {i}: {body}");
        assert_envelope(status, &body, expected, kind);
    }

    // A question made of SPARQL is only text to link: it changes nothing in the graph.
    let (_, before) = server.get("/v1/info").await;
    for question in [
        "who directed [Heat] } ; DROP ALL ; INSERT DATA { <http://x> <http://y> <http://z> } #",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1000000",
        "<http://example.org/kgqa/entity/Heat> ?p ?o . FILTER(true)",
    ] {
        let answer = server.ask(question).await;
        assert_eq!(answer["question"], question);
    }
    let (_, after) = server.get("/v1/info").await;
    assert_eq!(before["graph"]["triples"], after["graph"]["triples"]);
    assert!(labels(&server.ask(HEAT).await).contains(&"Michael Mann".to_owned()));
    server.stop().await;

    // Without a token, the write endpoint is disabled even for a request that brings one.
    let open = Running::start(
        &fixture,
        ServeConfig {
            token: None,
            ..fixture.config()
        },
        Duration::ZERO,
    )
    .await;
    let (status, body) = open.update("", "").await;
    assert_envelope(status, &body, StatusCode::FORBIDDEN, "disabled");
    // Feedback needs no token; it is one synced JSON line per record.
    let (status, body) = open
        .post("/v1/feedback", json!({"question": HEAT, "answer": "http://example.org/kgqa/entity/Michael%20Mann", "correct": true, "comment": "right"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    open.stop().await;
    let text = std::fs::read_to_string(fixture.dir.path().join("feedback.jsonl")).unwrap();
    let record: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(record["correct"], true);
    assert_eq!(record["request_id"], body["request_id"]);
    assert!(record["ts"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_is_seen_by_the_next_question_and_survives_a_restart() {
    let fixture = Fixture::new();
    let server = Running::start(&fixture, fixture.config(), Duration::ZERO).await;
    let question = "who directed [Zorblax Returns]";
    let before = server.ask(question).await;
    assert!(before["linked"].as_array().unwrap().is_empty(), "{before}");
    assert_eq!(before["no_answer"], true);

    let entity = "http://example.org/kgqa/entity/";
    let add = format!(
        "<{entity}Zorblax> <http://www.w3.org/2000/01/rdf-schema#label> \"Zorblax Returns\" .\n\
         <{entity}Zorblax> <http://example.org/kgqa/relation/directed_by> <{entity}Michael%20Mann> .\n\
         <{entity}Zorblax> <http://example.org/kgqa/relation/directed_by> <{entity}Martin%20Scorsese> ."
    );
    let (status, report) = server.update(&add, "").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["added"], 3);
    assert_eq!(report["triples"], 52);
    let after = server.ask(question).await;
    assert_eq!(after["linked"][0]["label"], "Zorblax Returns", "{after}");
    let answers = labels(&after);
    assert!(answers.contains(&"Michael Mann".to_owned()), "{after}");
    assert!(answers.contains(&"Martin Scorsese".to_owned()), "{after}");

    let remove = format!(
        "<{entity}Zorblax> <http://example.org/kgqa/relation/directed_by> <{entity}Martin%20Scorsese> ."
    );
    let (status, report) = server.update("", &remove).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["removed"], 1);
    assert!(!labels(&server.ask(question).await).contains(&"Martin Scorsese".to_owned()));
    server.stop().await;

    // A new server on the same store still knows what was written.
    let server = Running::start(&fixture, fixture.config(), Duration::ZERO).await;
    let (_, info) = server.get("/v1/info").await;
    assert_eq!(info["graph"]["triples"], 51);
    let again = server.ask(question).await;
    assert_eq!(again["linked"][0]["label"], "Zorblax Returns", "{again}");
    let answers = labels(&again);
    assert!(
        answers.contains(&"Michael Mann".to_owned())
            && !answers.contains(&"Martin Scorsese".to_owned()),
        "{again}"
    );
    server.stop().await;
}

/// An update that arrives while a question is being scored waits for it: the question's
/// retrieval and its answer's labels come from one version of the graph.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_never_straddles_an_update() {
    let fixture = Fixture::new();
    let server = std::sync::Arc::new(
        Running::start(&fixture, fixture.config(), Duration::from_millis(600)).await,
    );
    let mann = "<http://example.org/kgqa/entity/Michael%20Mann> <http://www.w3.org/2000/01/rdf-schema#label>";
    let asking = {
        let server = server.clone();
        tokio::spawn(async move { server.ask(HEAT).await })
    };
    // The question is on the model thread now; rename the director meanwhile.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, report) = server
        .update(
            &format!("{mann} \"Michael Mann the Renamed\" ."),
            &format!("{mann} \"Michael Mann\" ."),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let answer = asking.await.unwrap();
    let answers = labels(&answer);
    assert!(
        answers.contains(&"Michael Mann".to_owned()),
        "the answer was read from the graph the question was retrieved from: {answer}"
    );
    assert!(labels(&server.ask(HEAT).await).contains(&"Michael Mann the Renamed".to_owned()));
    std::sync::Arc::try_unwrap(server)
        .ok()
        .unwrap()
        .stop()
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saturation_gets_429_deadlines_get_504_and_shutdown_finishes_in_flight_requests() {
    let fixture = Fixture::new();
    let config = ServeConfig {
        queue_capacity: 4,
        max_batch: 4,
        model_batch: 1,
        deadline_ms: 250,
        ..fixture.config()
    };
    // 200 ms per question, one at a time: the fifth concurrent question finds the queue full,
    // and questions behind the first pass their 250 ms deadline.
    let server =
        std::sync::Arc::new(Running::start(&fixture, config, Duration::from_millis(200)).await);
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let server = server.clone();
            tokio::spawn(async move { server.post("/v1/ask", json!({"question": HEAT})).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        if status != StatusCode::OK {
            let kind = if status == StatusCode::TOO_MANY_REQUESTS {
                "overloaded"
            } else {
                "timeout"
            };
            let expected = if kind == "overloaded" {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::GATEWAY_TIMEOUT
            };
            assert_envelope(status, &body, expected, kind);
        }
        statuses.push(status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::GATEWAY_TIMEOUT),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::GATEWAY_TIMEOUT
        ]
        .contains(s)),
        "{statuses:?}"
    );
    // Admission is released by answers and by timeouts alike.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let (_, metrics) = server.get("/metrics").await;
    assert!(
        metrics
            .as_str()
            .unwrap()
            .contains("kgqa_in_flight_questions 0"),
        "{metrics}"
    );
    let server = std::sync::Arc::into_inner(server).unwrap();
    server.stop().await;

    // Shutdown while questions are being answered: each one still gets its answer.
    let server = Running::start(
        &fixture,
        ServeConfig {
            deadline_ms: 5000,
            ..fixture.config()
        },
        Duration::from_millis(200),
    )
    .await;
    let asks: Vec<_> = (0..3)
        .map(|_| {
            let (client, url) = (server.client.clone(), format!("{}/v1/ask", server.base));
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({"question": HEAT}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let base = server.base.clone();
    server.stop().await;
    for ask in asks {
        assert_eq!(ask.await.unwrap().unwrap(), 200);
    }
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "still listening after shutdown"
    );
}

/// The binary: flags override `KGQA_*` variables, which override `[serve]` in the file; SIGTERM
/// lets a request that is still arriving finish; the token never reaches the log.
#[test]
fn the_binary_resolves_its_settings_and_stops_gracefully_on_sigterm() {
    let fixture = Fixture::new();
    let dir = fixture.dir.path();
    std::fs::write(
        dir.join("kgqa.toml"),
        "[serve]\nmax_batch = 5\nmodel_batch = 7\ndeadline_ms = 1111\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kgqa"))
        .current_dir(dir)
        .env("KGQA_LOG", "info")
        .env("KGQA_MAX_BATCH", "3")
        .env("KGQA_MODEL_BATCH", "6")
        .env("KGQA_TOKEN", TOKEN)
        .env_remove("KGQA_BIND")
        .args([
            "--config",
            "kgqa.toml",
            "--store",
            "store",
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .args(["--model", "model", "--model-batch", "2", "--device", "cpu"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        BufReader::new(stderr).read_to_string(&mut text).unwrap();
        text
    });

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://{addr}");
    let info: Value = runtime.block_on(async {
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("{base}/readyz"))
                .send()
                .await
                .map(|r| r.status().as_u16());
            if matches!(ready, Ok(200)) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "never ready: {ready:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let update = client
            .post(format!("{base}/v1/graph/triples"))
            .bearer_auth(TOKEN)
            .json(&json!({"add": "<http://ex.org/a> <http://ex.org/r> <http://ex.org/b> ."}))
            .send()
            .await
            .unwrap();
        assert_eq!(update.status().as_u16(), 200);
        client
            .get(format!("{base}/v1/info"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(info["limits"]["max_batch"], 3, "env over file: {info}");
    assert_eq!(info["limits"]["model_batch"], 2, "flag over env: {info}");
    assert_eq!(
        info["limits"]["deadline_ms"], 1111,
        "file over default: {info}"
    );
    assert_eq!(info["limits"]["top_k"], 5, "default: {info}");

    // A request whose body is still arriving when SIGTERM comes is answered.
    let body = json!({"question": HEAT}).to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /v1/ask HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..5]
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body.as_bytes()[5..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let status = child.wait().unwrap();
    let log = log.join().unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("graph updated"), "{log}");
    assert!(!log.contains(TOKEN), "the token reached the log: {log}");
}
