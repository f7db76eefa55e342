//! Metrics in the Prometheus text format (version 0.0.4), written by hand: request counts and
//! latencies by route, the model's micro-batches, queue depth, in-flight questions and open
//! connections.
//!
//! Labels hold only route templates, methods and status codes, never request text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BOUNDS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Upper bounds of the batch-size buckets, in questions.
const BATCH_BOUNDS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// A cumulative histogram.
#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            counts: vec![0; bounds.len()],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, value: f64) {
        for (bound, count) in self.bounds.iter().zip(&mut self.counts) {
            if value <= *bound {
                *count += 1;
            }
        }
        self.sum += value;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// Values read at render time rather than counted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    /// Jobs waiting for the model thread.
    pub queue_depth: usize,
    /// Questions admitted and not yet answered.
    pub in_flight: usize,
    /// Admission capacity.
    pub queue_capacity: usize,
    /// Whether store and model are loaded.
    pub ready: bool,
    /// Triples in the served graph (0 before ready).
    pub graph_triples: u64,
    /// Seconds since the server started.
    pub uptime_seconds: f64,
}

/// Every counter and histogram of the server.
#[derive(Debug)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    batch_size: Mutex<Histogram>,
    batch_seconds: Mutex<Histogram>,
    questions: AtomicU64,
    feedback: AtomicU64,
    graph_updates: AtomicU64,
    connections_open: AtomicU64,
    connections_refused: AtomicU64,
    /// Recent model seconds per question (an exponential moving average), as `f64` bits.
    pace: AtomicU64,
}

/// Weight of the newest micro-batch in the moving average of the model's pace.
const PACE_WEIGHT: f64 = 0.2;

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Mutex::default(),
            latency: Mutex::default(),
            batch_size: Mutex::new(Histogram::new(BATCH_BOUNDS)),
            batch_seconds: Mutex::new(Histogram::new(LATENCY_BOUNDS)),
            questions: AtomicU64::new(0),
            feedback: AtomicU64::new(0),
            graph_updates: AtomicU64::new(0),
            connections_open: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            pace: AtomicU64::new(0f64.to_bits()),
        }
    }
}

impl Metrics {
    /// Counts a finished request of `route` (a route template) and its latency.
    pub fn record_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let method = known_method(method);
        *lock(&self.requests)
            .entry((route.to_owned(), method, status))
            .or_default() += 1;
        lock(&self.latency)
            .entry(route.to_owned())
            .or_insert_with(|| Histogram::new(LATENCY_BOUNDS))
            .observe(elapsed.as_secs_f64());
    }

    /// Counts one micro-batch of the model: its size in questions and how long it took.
    pub fn record_batch(&self, questions: usize, elapsed: Duration) {
        lock(&self.batch_size).observe(questions as f64);
        lock(&self.batch_seconds).observe(elapsed.as_secs_f64());
        self.questions
            .fetch_add(questions as u64, Ordering::Relaxed);
        if questions > 0 {
            // Only the model thread writes the pace: a plain load and store is enough.
            let latest = elapsed.as_secs_f64() / questions as f64;
            let pace = self.pace();
            let next = if pace == 0.0 {
                latest
            } else {
                (1.0 - PACE_WEIGHT) * pace + PACE_WEIGHT * latest
            };
            self.pace.store(next.to_bits(), Ordering::Relaxed);
        }
    }

    /// The model's recent seconds per question (0 before the first micro-batch).
    pub fn pace(&self) -> f64 {
        f64::from_bits(self.pace.load(Ordering::Relaxed))
    }

    /// Counts a stored feedback record.
    pub fn record_feedback(&self) {
        self.feedback.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts an applied graph update.
    pub fn record_graph_update(&self) {
        self.graph_updates.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a connection that was accepted and is being served, until [`Self::connection_closed`].
    pub fn connection_opened(&self) {
        self.connections_open.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a served connection that closed.
    pub fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Counts a connection refused because `max_connections` were open.
    pub fn record_refused_connection(&self) {
        self.connections_refused.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections being served now.
    pub fn open_connections(&self) -> u64 {
        self.connections_open.load(Ordering::Relaxed)
    }

    /// The text exposition of every metric.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        header(
            &mut out,
            "kgqa_http_requests_total",
            "counter",
            "HTTP requests by route, method and status.",
        );
        for ((route, method, status), count) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "kgqa_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        header(
            &mut out,
            "kgqa_http_request_duration_seconds",
            "histogram",
            "HTTP request latency by route.",
        );
        for (route, histogram) in lock(&self.latency).iter() {
            let labels = format!("route=\"{}\"", escape(route));
            histogram.render(&mut out, "kgqa_http_request_duration_seconds", &labels);
        }
        header(
            &mut out,
            "kgqa_model_batch_size",
            "histogram",
            "Questions per micro-batch of the model.",
        );
        lock(&self.batch_size).render(&mut out, "kgqa_model_batch_size", "");
        header(
            &mut out,
            "kgqa_model_batch_duration_seconds",
            "histogram",
            "Time the model took per micro-batch.",
        );
        lock(&self.batch_seconds).render(&mut out, "kgqa_model_batch_duration_seconds", "");
        let counters = [
            (
                "kgqa_questions_scored_total",
                "Questions scored by the model.",
                &self.questions,
            ),
            (
                "kgqa_feedback_total",
                "Feedback records stored.",
                &self.feedback,
            ),
            (
                "kgqa_graph_updates_total",
                "Graph updates applied.",
                &self.graph_updates,
            ),
            (
                "kgqa_connections_refused_total",
                "Connections refused because max_connections were open.",
                &self.connections_refused,
            ),
        ];
        for (name, help, value) in counters {
            header(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        let gauges = [
            (
                "kgqa_queue_depth",
                "Jobs waiting for the model thread.",
                gauges.queue_depth as f64,
            ),
            (
                "kgqa_in_flight_questions",
                "Questions admitted and not yet answered.",
                gauges.in_flight as f64,
            ),
            (
                "kgqa_queue_capacity",
                "Questions admitted at most (beyond: 429).",
                gauges.queue_capacity as f64,
            ),
            (
                "kgqa_ready",
                "1 once the store and the model are loaded.",
                f64::from(u8::from(gauges.ready)),
            ),
            (
                "kgqa_graph_triples",
                "Triples in the served graph.",
                gauges.graph_triples as f64,
            ),
            (
                "kgqa_uptime_seconds",
                "Seconds since the server started.",
                gauges.uptime_seconds,
            ),
            (
                "kgqa_model_seconds_per_question",
                "Recent model time per question (moving average).",
                self.pace(),
            ),
            (
                "kgqa_open_connections",
                "Connections being served.",
                self.open_connections() as f64,
            ),
        ];
        for (name, help, value) in gauges {
            header(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {value}");
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The method as a static label; unusual methods share one label, so no client can add series.
fn known_method(method: &str) -> &'static str {
    ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
        .into_iter()
        .find(|m| *m == method)
        .unwrap_or("OTHER")
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_is_a_moving_average_per_question() {
        let metrics = Metrics::default();
        assert_eq!(metrics.pace(), 0.0);
        metrics.record_batch(4, Duration::from_millis(400));
        assert!((metrics.pace() - 0.1).abs() < 1e-9);
        metrics.record_batch(1, Duration::from_millis(600));
        assert!((metrics.pace() - 0.2).abs() < 1e-9);
    }

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let metrics = Metrics::default();
        metrics.record_request("/v1/ask", "POST", 200, Duration::from_millis(30));
        metrics.record_request("/v1/ask", "POST", 200, Duration::from_millis(300));
        metrics.record_request("/v1/ask", "BREW", 429, Duration::from_millis(1));
        metrics.record_batch(3, Duration::from_millis(20));
        let text = metrics.render(&Gauges {
            queue_depth: 2,
            ready: true,
            ..Gauges::default()
        });
        assert!(
            text.contains(
                "kgqa_http_requests_total{route=\"/v1/ask\",method=\"POST\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains("method=\"OTHER\",status=\"429\"} 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "kgqa_http_request_duration_seconds_bucket{route=\"/v1/ask\",le=\"0.05\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "kgqa_http_request_duration_seconds_bucket{route=\"/v1/ask\",le=\"+Inf\"} 3"
            ),
            "{text}"
        );
        assert!(
            text.contains("kgqa_http_request_duration_seconds_count{route=\"/v1/ask\"} 3"),
            "{text}"
        );
        assert!(
            text.contains("kgqa_model_batch_size_bucket{le=\"4\"} 1"),
            "{text}"
        );
        assert!(text.contains("kgqa_questions_scored_total 3"), "{text}");
        assert!(text.contains("kgqa_queue_depth 2"), "{text}");
        assert!(text.contains("kgqa_ready 1"), "{text}");
        assert!(
            text.contains("kgqa_model_seconds_per_question 0.00666"),
            "{text}"
        );
        assert!(
            text.contains("kgqa_model_seconds_per_question 0.00666"),
            "{text}"
        );
        // Every sample line is `name{labels} value` or `name value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }
}
