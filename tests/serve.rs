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
    state: kgqa::serve::SharedState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<kgqa::Result<()>>,
}

impl Running {
    async fn start(fixture: &Fixture, config: ServeConfig, delay: Duration) -> Self {
        let server = Server::bind(config).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        let state = server.state().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.run(fixture.loader(delay), async {
            let _ = stopped.await;
        }));
        // No connection pool: an idle pooled connection would hold one of `max_connections`.
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let running = Self {
            base,
            client,
            state,
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

    /// Waits until the server counts `n` open connections (a closed one is counted out a
    /// moment after the client closes it).
    async fn until_open_connections(&self, n: u64) {
        let started = Instant::now();
        while self.state.metrics().open_connections() != n {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{} open connections, not {n}",
                self.state.metrics().open_connections()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The `host:port` it listens on.
    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }
}

/// Sends `bytes` on a new connection to `addr`, then reads until the server closes it. Returns
/// what the server sent, or `None` when it still held the connection after `patience`.
async fn until_closed(addr: &str, bytes: &[u8], patience: Duration) -> Option<String> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut received = Vec::new();
    let read = tokio::time::timeout(patience, stream.read_to_end(&mut received)).await;
    // A reset counts as closed, like an orderly close.
    read.ok()
        .map(|_| String::from_utf8_lossy(&received).into_owned())
}

/// The head of a `POST` of JSON to `path` announcing a body of `length` bytes.
fn post_head(path: &str, length: usize, extra: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: kgqa\r\nContent-Type: application/json\r\n{extra}\
         Content-Length: {length}\r\n\r\n"
    )
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
    let none = answerer.ask_batch(&[], AskOptions::top(3)).unwrap();
    assert!(none.is_empty());
}

/// A model knows relations by their texts: trained (here: made) over one graph, it loads and
/// answers over another whose relations it never saw, and uses a relation that an update adds
/// after it was loaded.
#[test]
fn a_model_answers_over_any_graph_and_new_relations() {
    let movies = Graph::in_memory().unwrap();
    common::load(&movies, &common::fixture("movies_kb.txt"));
    let dir = tempfile::tempdir().unwrap();
    common::tiny_checkpoint(dir.path(), &movies, 0.0);

    let support = Graph::in_memory().unwrap();
    common::load(&support, &common::project_file("corpora/support/graph.ttl"));
    let mut elsewhere = answerer(support, dir.path()).unwrap();
    let answer = elsewhere
        .ask("what does error code [E-1009] indicate", 5)
        .unwrap();
    assert!(!answer.answers.is_empty(), "{answer:?}");

    let graph = Graph::in_memory().unwrap();
    common::load(&graph, &common::fixture("movies_kb.txt"));
    let mut served = answerer(graph.clone(), dir.path()).unwrap();
    let la = "http://example.org/LosAngeles";
    let update = kgqa::store::GraphUpdate::from_ntriples(
        &format!(
            "<{la}> <http://www.w3.org/2000/01/rdf-schema#label> \"Los Angeles\" .\n\
             <{heat}> <http://example.org/filmed_in> <{la}> .",
            heat = heat_iri(&graph),
        ),
        "",
    )
    .unwrap();
    graph.apply(&update).unwrap();
    let answer = served.ask(HEAT, 100).unwrap();
    assert!(
        answer.answers.iter().any(|a| a.iri.as_str() == la),
        "the new relation's object is a candidate: {answer:?}"
    );
}

/// The IRI of the film Heat in the movies fixture.
fn heat_iri(graph: &Graph) -> String {
    let linker = kgqa::link::Linker::new(graph.clone(), Default::default()).unwrap();
    linker.link(HEAT).unwrap()[0].iri.as_str().to_owned()
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
    // Names, not the server's paths.
    assert_eq!(info["model"]["name"], "model", "{info}");
    assert_eq!(info["graph"]["store"], "store", "{info}");
    let root = fixture.dir.path().to_str().unwrap();
    assert!(
        !info.to_string().contains(root),
        "a path in /v1/info: {info}"
    );
    for limit in [
        "max_top_k",
        "feedback_max_bytes",
        "header_timeout_ms",
        "body_timeout_ms",
        "max_connections",
        "shutdown_grace_ms",
    ] {
        assert!(info["limits"][limit].is_u64(), "{limit}: {info}");
    }
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
        (ask(json!({"question": "who directed [\u{202E}taeH]"})), invalid),
        (ask(json!({"question": "who\u{200B}directed [Heat]"})), invalid),
        (ask(json!({"question": "who directed\u{2028}[Heat]"})), invalid),
        (
            post("/v1/feedback").json(&json!({"question": HEAT, "answer": "Michael Mann", "correct": true, "comment": "right\u{202E}gnorw"})),
            invalid,
        ),
        (
            post("/v1/feedback").json(&json!({"question": HEAT, "answer": "Michael\u{200B}Mann", "correct": true})),
            invalid,
        ),
        (
            triples(json!({"add": "<http://ex.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\\u0000B\" ."})),
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
        Running::start(&fixture, fixture.config(), Duration::from_millis(2000)).await,
    );
    let mann = "<http://example.org/kgqa/entity/Michael%20Mann> <http://www.w3.org/2000/01/rdf-schema#label>";
    let asking = {
        let server = server.clone();
        tokio::spawn(async move { server.ask(HEAT).await })
    };
    // The question is on the (2 s) model thread by now; rename the director meanwhile.
    tokio::time::sleep(Duration::from_millis(700)).await;
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
    let mut served = Binary::start(dir, |command| {
        command
            .env("KGQA_MAX_BATCH", "3")
            .env("KGQA_MODEL_BATCH", "6")
            .env("KGQA_MAX_TOP_K", "7")
            .args(["--config", "kgqa.toml", "--model-batch", "2"])
            .args(["--feedback-max-bytes", "4096"]);
    });
    let (runtime, client, base, addr) = (
        tokio::runtime::Runtime::new().unwrap(),
        reqwest::Client::new(),
        served.base(),
        served.addr.clone(),
    );
    let info: Value = runtime.block_on(async {
        served.ready(&client).await;
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
    assert_eq!(info["limits"]["max_top_k"], 7, "env: {info}");
    assert_eq!(info["limits"]["feedback_max_bytes"], 4096, "flag: {info}");

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
    served.signal("-TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body.as_bytes()[5..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let (status, log) = served.wait(Duration::from_secs(30));
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("graph updated"), "{log}");
    assert!(!log.contains(TOKEN), "the token reached the log: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    let fixture = Fixture::new();
    let config = ServeConfig {
        header_timeout_ms: 300,
        body_timeout_ms: 300,
        ..fixture.config()
    };
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    let addr = server.addr();
    let patience = Duration::from_secs(10);
    // Half the headers, then nothing: closed once the header timeout passes.
    let started = Instant::now();
    let half = until_closed(
        &addr,
        b"POST /v1/ask HTTP/1.1\r\nHost: kgqa\r\nContent-Ty",
        patience,
    )
    .await;
    assert!(half.is_some(), "a client sending half its headers was held");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    // Less body than promised: 408 in the envelope, and the connection closed.
    let body = json!({"question": HEAT}).to_string();
    let short = format!("{}{}", post_head("/v1/ask", body.len() + 40, ""), body);
    let reply = until_closed(&addr, short.as_bytes(), patience)
        .await
        .expect("a client sending less body than promised was held");
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(
        reply.contains("\"request_timeout\"") && reply.contains("body_timeout_ms"),
        "{reply}"
    );
    // A kept-alive connection left idle is closed too, after its answer.
    let idle = until_closed(
        &addr,
        b"GET /healthz HTTP/1.1\r\nHost: kgqa\r\n\r\n",
        patience,
    )
    .await
    .expect("an idle kept-alive connection was held");
    assert!(idle.starts_with("HTTP/1.1 200"), "{idle}");
    // Meanwhile everyone else is served.
    assert!(labels(&server.ask(HEAT).await).contains(&"Michael Mann".to_owned()));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_get_429_at_once() {
    let fixture = Fixture::new();
    let config = ServeConfig {
        max_connections: 2,
        ..fixture.config()
    };
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    let addr = server.addr();
    // Two connections that send nothing yet hold both slots.
    server.until_open_connections(0).await;
    let held: Vec<_> = idle_connections(&addr, 2).await;
    server.until_open_connections(2).await;
    let refused = until_closed(&addr, b"", Duration::from_secs(5))
        .await
        .expect("a connection beyond the cap was held");
    assert!(refused.starts_with("HTTP/1.1 429"), "{refused}");
    let (_, body) = refused.split_once("\r\n\r\n").unwrap();
    let body: Value = serde_json::from_str(body).unwrap();
    assert_envelope(
        StatusCode::TOO_MANY_REQUESTS,
        &body,
        StatusCode::TOO_MANY_REQUESTS,
        "overloaded",
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("max_connections"));
    // Once a slot is free, connections are served again.
    drop(held);
    server.until_open_connections(0).await;
    assert_eq!(server.get("/healthz").await.0, StatusCode::OK);
    let (_, metrics) = server.get("/metrics").await;
    assert!(
        metrics
            .as_str()
            .unwrap()
            .contains("kgqa_connections_refused_total 1"),
        "{metrics}"
    );
    server.stop().await;
}

/// `n` connections to `addr` that send nothing.
async fn idle_connections(addr: &str, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut streams = Vec::new();
    for _ in 0..n {
        streams.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    streams
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_abandons_what_is_still_in_flight_at_the_grace_deadline() {
    let fixture = Fixture::new();
    let config = ServeConfig {
        header_timeout_ms: 60_000,
        body_timeout_ms: 60_000,
        shutdown_grace_ms: 500,
        ..fixture.config()
    };
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    let addr = server.addr();
    // One client stuck in its body, one in its headers: neither will ever finish.
    let body = json!({"question": HEAT}).to_string();
    let stuck_body = format!("{}{}", post_head("/v1/ask", body.len(), ""), &body[..5]);
    let clients = [
        stuck_body.into_bytes(),
        b"GET /v1/info HTTP/1.1\r\nHost: kg".to_vec(),
    ]
    .map(|bytes| {
        let addr = addr.clone();
        tokio::spawn(async move { until_closed(&addr, &bytes, Duration::from_secs(30)).await })
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let Running { stop, task, .. } = server;
    let _ = stop.unwrap().send(());
    let stopped = tokio::time::timeout(Duration::from_secs(10), task).await;
    let elapsed = started.elapsed();
    assert!(
        stopped.is_ok(),
        "the server still waits for clients that never finish"
    );
    stopped.unwrap().unwrap().unwrap();
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    for client in clients {
        assert!(
            client.await.unwrap().is_some(),
            "a stuck connection stayed open"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_checked_before_the_body_is_read() {
    let fixture = Fixture::new();
    let config = ServeConfig {
        body_timeout_ms: 60_000,
        ..fixture.config()
    };
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    // A body is announced and never sent: the answer cannot wait for it.
    for authorization in ["", "Authorization: Bearer wrong-token-0123456789\r\n"] {
        let head = post_head("/v1/graph/triples", 1_000_000, authorization);
        let started = Instant::now();
        let reply = until_closed(&server.addr(), head.as_bytes(), Duration::from_secs(20))
            .await
            .expect("no answer without the body");
        assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
        assert!(reply.contains("\"unauthorized\""), "{reply}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_is_refused_when_full_and_follows_a_rotation() {
    let fixture = Fixture::new();
    let path = fixture.dir.path().join("feedback.jsonl");
    let config = ServeConfig {
        feedback_max_bytes: 1_000,
        ..fixture.config()
    };
    let server = Running::start(&fixture, config, Duration::ZERO).await;
    let verdict = |n: usize| json!({"question": HEAT, "answer": "Michael Mann", "correct": true, "comment": format!("record {n}")});
    let mut stored = 0;
    let full = loop {
        let (status, body) = server.post("/v1/feedback", verdict(stored)).await;
        if status != StatusCode::CREATED {
            break (status, body);
        }
        stored += 1;
        assert!(stored < 100, "the cap never applied");
    };
    assert_envelope(
        full.0,
        &full.1,
        StatusCode::INSUFFICIENT_STORAGE,
        "insufficient_storage",
    );
    assert!(stored >= 2, "{stored}");
    assert_eq!(comments(&path).len(), stored);
    // An operator collects the file: the next records go to a new file at the configured path.
    let collected = fixture.dir.path().join("feedback.jsonl.1");
    std::fs::rename(&path, &collected).unwrap();
    for n in [100, 101] {
        let (status, body) = server.post("/v1/feedback", verdict(n)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    assert_eq!(comments(&path), ["record 100", "record 101"]);
    assert_eq!(comments(&collected).len(), stored);
    server.stop().await;
}

/// The comments of the feedback file at `path`, each line parsed as one JSON record.
fn comments(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let record: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
            record["comment"].as_str().unwrap().to_owned()
        })
        .collect()
}

const ZORBLAX: &str = "who directed [Zorblax Returns]";

/// N-Triples naming Zorblax Returns, directed by Michael Mann.
fn zorblax() -> String {
    let entity = "http://example.org/kgqa/entity/";
    format!(
        "<{entity}Zorblax> <http://www.w3.org/2000/01/rdf-schema#label> \"Zorblax Returns\" .\n\
         <{entity}Zorblax> <http://example.org/kgqa/relation/directed_by> <{entity}Michael%20Mann> ."
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_with_one_malformed_triple_changes_nothing() {
    let fixture = Fixture::new();
    let server = Running::start(&fixture, fixture.config(), Duration::ZERO).await;
    let (_, before) = server.get("/v1/info").await;
    let cases = [
        (
            format!("{}\n<http://ex.org/a> <http://ex.org/r> .", zorblax()),
            String::new(),
        ),
        (zorblax(), "not n-triples at all".to_owned()),
        (
            format!(
                "{}\n<http://ex.org/a> <http://ex.org/r> \"nul\\u0000\" .",
                zorblax()
            ),
            String::new(),
        ),
        (
            format!("{}\n_:b <http://ex.org/r> <http://ex.org/a> .", zorblax()),
            String::new(),
        ),
    ];
    for (add, remove) in cases {
        let (status, body) = server.update(&add, &remove).await;
        assert_envelope(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        );
    }
    let (_, after) = server.get("/v1/info").await;
    assert_eq!(before["graph"], after["graph"]);
    let answer = server.ask(ZORBLAX).await;
    assert!(answer["linked"].as_array().unwrap().is_empty(), "{answer}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_racing_asks_all_succeed_and_the_last_write_wins() {
    let fixture = Fixture::new();
    let server =
        std::sync::Arc::new(Running::start(&fixture, fixture.config(), Duration::ZERO).await);
    let askers: Vec<_> = (0..4)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                for _ in 0..15 {
                    let question = if i % 2 == 0 { ZORBLAX } else { HEAT };
                    let (status, body) = server
                        .post("/v1/ask", json!({"question": question, "top_k": 100}))
                        .await;
                    assert_eq!(status, StatusCode::OK, "{body}");
                    if question == HEAT {
                        assert!(labels(&body).contains(&"Michael Mann".to_owned()), "{body}");
                    }
                }
            })
        })
        .collect();
    let writer = {
        let server = server.clone();
        tokio::spawn(async move {
            for round in 0..20 {
                let (add, remove) = if round % 2 == 0 {
                    (zorblax(), String::new())
                } else {
                    (String::new(), zorblax())
                };
                let (status, body) = server.update(&add, &remove).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                assert_eq!(
                    body["triples"],
                    if round % 2 == 0 { 51 } else { 49 },
                    "{body}"
                );
            }
            let (status, body) = server.update(&zorblax(), "").await;
            assert_eq!(
                (status, body["added"].as_u64()),
                (StatusCode::OK, Some(2)),
                "{body}"
            );
        })
    };
    for task in askers {
        task.await.unwrap();
    }
    writer.await.unwrap();
    let answer = server.ask(ZORBLAX).await;
    assert_eq!(answer["linked"][0]["label"], "Zorblax Returns", "{answer}");
    assert!(
        labels(&answer).contains(&"Michael Mann".to_owned()),
        "{answer}"
    );
    let (_, info) = server.get("/v1/info").await;
    assert_eq!(info["graph"]["triples"], 51);
    std::sync::Arc::into_inner(server).unwrap().stop().await;
}

/// `kgqa serve` run as a process on a fixture's store and model, its log collected.
struct Binary {
    child: std::process::Child,
    addr: String,
    log: Option<std::thread::JoinHandle<String>>,
}

impl Binary {
    /// Starts the binary in `dir` (store `store`, model `model`, a token, a free port), with
    /// what `configure` adds, and waits for the address it prints.
    fn start(dir: &Path, configure: impl FnOnce(&mut std::process::Command)) -> Self {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kgqa"));
        command
            .current_dir(dir)
            .env("KGQA_LOG", "info")
            .env("KGQA_TOKEN", TOKEN)
            .env_remove("KGQA_BIND")
            .env_remove("KGQA_CONFIG")
            .args(["--store", "store", "serve", "--bind", "127.0.0.1:0"])
            .args(["--model", "model", "--device", "cpu"])
            .args(["--feedback", "feedback.jsonl"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        configure(&mut command);
        let mut child = command.spawn().unwrap();
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
        Self {
            child,
            addr,
            log: Some(log),
        }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until `/readyz` says 200.
    async fn ready(&self, client: &reqwest::Client) {
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("{}/readyz", self.base()))
                .send()
                .await
                .map(|r| r.status().as_u16());
            if matches!(ready, Ok(200)) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "never ready: {ready:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends a signal (`-TERM`, `-KILL`) to the process.
    fn signal(&self, signal: &str) {
        let sent = std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits for the process to exit, at most `patience` (then kills it and fails); returns
    /// how it exited and its log.
    fn wait(&mut self, patience: Duration) -> (std::process::ExitStatus, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > patience {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let log = self
                    .log
                    .take()
                    .map(|l| l.join().unwrap())
                    .unwrap_or_default();
                panic!("still running {patience:?} after the signal: {log}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let log = self
            .log
            .take()
            .map(|l| l.join().unwrap())
            .unwrap_or_default();
        (status, log)
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn sigterm_exits_within_the_grace_deadline_despite_clients_that_never_finish() {
    let fixture = Fixture::new();
    let mut served = Binary::start(fixture.dir.path(), |command| {
        command.env("KGQA_SHUTDOWN_GRACE_MS", "1000").args([
            "--header-timeout-ms",
            "60000",
            "--body-timeout-ms",
            "60000",
        ]);
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(served.ready(&reqwest::Client::new()));
    // One client stuck in its body, one in its headers, one idle.
    let body = json!({"question": HEAT}).to_string();
    let mut stuck = Vec::new();
    for bytes in [
        format!("{}{}", post_head("/v1/ask", body.len(), ""), &body[..5]),
        "GET /v1/info HTTP/1.1\r\nHost: kg".to_owned(),
        String::new(),
    ] {
        let mut stream = std::net::TcpStream::connect(&served.addr).unwrap();
        stream.write_all(bytes.as_bytes()).unwrap();
        stuck.push(stream);
    }
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    served.signal("-TERM");
    let (status, log) = served.wait(Duration::from_secs(20));
    let elapsed = started.elapsed();
    assert!(status.success(), "{status}: {log}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}: {log}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}: {log}");
    assert!(log.contains("grace period is over"), "{log}");
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let fixture = Fixture::new();
    let mut served = Binary::start(fixture.dir.path(), |_| {});
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();
    let entity = "http://example.org/kgqa/entity/";
    let written: Vec<String> = runtime.block_on(async {
        served.ready(&client).await;
        let mut written = Vec::new();
        for n in 0..10 {
            let label = format!("Sequel {n}");
            let add = format!(
                "<{entity}Sequel{n}> <http://www.w3.org/2000/01/rdf-schema#label> \"{label}\" ."
            );
            let response = client
                .post(format!("{}/v1/graph/triples", served.base()))
                .bearer_auth(TOKEN)
                .json(&json!({ "add": add }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            let feedback = client
                .post(format!("{}/v1/feedback", served.base()))
                .json(&json!({"question": HEAT, "answer": "Michael Mann", "correct": true, "comment": label}))
                .send()
                .await
                .unwrap();
            assert_eq!(feedback.status().as_u16(), 201);
            written.push(label);
        }
        written
    });
    // No shutdown at all: the process is killed right after the last acknowledgement.
    served.signal("-KILL");
    let (status, _) = served.wait(Duration::from_secs(10));
    assert!(!status.success());
    let graph = Graph::open(&fixture.store()).unwrap();
    let labels: Vec<String> = graph
        .labels()
        .unwrap()
        .into_iter()
        .map(|r| r.label)
        .collect();
    for label in &written {
        assert!(
            labels.contains(label),
            "{label} was acknowledged, then lost"
        );
    }
    assert_eq!(graph.triple_count().unwrap(), 49 + 10);
    assert_eq!(
        comments(&fixture.dir.path().join("feedback.jsonl")),
        written
    );
}
