//! What the handlers share: the configuration, the metrics, admission control, the feedback file,
//! and, once loaded, the served graph and the model queue.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::blocking::BlockingSlots;
use super::error::ApiError;
use super::feedback::FeedbackStore;
use super::graph::ServingGraph;
use super::metrics::{Gauges, Metrics};
use super::worker::ModelQueue;
use crate::answer::{AnswerService, Answerer, BatchScorer};
use crate::config::ServeConfig;
use crate::pipeline::Pipeline;
use crate::store::Graph;

/// The state handlers receive.
pub type SharedState = Arc<AppState>;

/// What the server serves, loaded: the answering service over the graph, the model that scores
/// for it, and the store that graph updates are written to.
pub struct Backend {
    service: AnswerService,
    scorer: Box<dyn BatchScorer>,
    model: serde_json::Value,
    store: Option<Graph>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl Backend {
    /// Serves `answerer`, loaded from `model_dir`, reading and updating its pipeline's graph.
    pub fn new(answerer: Answerer, model_dir: &Path) -> Self {
        let meta = answerer.meta();
        let model = serde_json::json!({
            "name": super::health::file_name(model_dir),
            "kgqa_version": meta.kgqa_version,
            "epochs": meta.epochs,
            "seed": meta.seed,
            "threshold": meta.threshold,
            "relations": answerer.service().relations().len(),
            "graph_triples_at_training": meta.graph_triples,
            "validation": meta.validation,
            "device": format!("{:?}", answerer.scorer().device()),
        });
        let (service, scorer, _) = answerer.into_parts();
        Self {
            service,
            scorer: Box::new(scorer),
            model,
            store: None,
        }
    }

    /// Also writes graph updates to `store`: the on-disk store, when the pipeline reads an
    /// in-memory copy of it.
    pub fn with_store(mut self, store: Graph) -> Self {
        self.store = Some(store);
        self
    }

    /// Wraps the scorer (for tests: a slower or failing model).
    pub fn map_scorer(
        mut self,
        wrap: impl FnOnce(Box<dyn BatchScorer>) -> Box<dyn BatchScorer>,
    ) -> Self {
        self.scorer = wrap(self.scorer);
        self
    }

    /// The pipeline.
    pub fn pipeline(&self) -> &Pipeline {
        self.service.pipeline()
    }
}

/// Everything that exists once the store and the model are loaded.
#[derive(Debug)]
pub struct Ready {
    /// The served graph.
    pub graph: ServingGraph,
    /// The model thread's queue.
    pub queue: ModelQueue,
    /// What `/v1/info` says about the model.
    pub model: serde_json::Value,
}

/// The server's shared state.
#[derive(Debug)]
pub struct AppState {
    config: ServeConfig,
    metrics: Arc<Metrics>,
    ready: RwLock<Option<Arc<Ready>>>,
    stopping: AtomicBool,
    admission: Arc<Semaphore>,
    blocking: BlockingSlots,
    feedback: FeedbackStore,
    started: Instant,
}

impl AppState {
    /// A state with nothing loaded yet.
    pub fn new(config: ServeConfig) -> Self {
        Self {
            admission: Arc::new(Semaphore::new(config.queue_capacity)),
            blocking: BlockingSlots::new(config.max_blocking),
            feedback: FeedbackStore::new(&config.feedback, config.feedback_max_bytes),
            config,
            metrics: Arc::new(Metrics::default()),
            ready: RwLock::new(None),
            stopping: AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ServeConfig {
        &self.config
    }

    /// The metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The slots of blocking work.
    pub fn blocking(&self) -> &BlockingSlots {
        &self.blocking
    }

    /// The feedback file.
    pub fn feedback(&self) -> &FeedbackStore {
        &self.feedback
    }

    /// The loaded backend; 503 before it is loaded. Requests that arrive while shutdown is
    /// under way (on connections accepted before it) are still served.
    pub fn ready(&self) -> Result<Arc<Ready>, ApiError> {
        self.ready
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(ApiError::not_ready)
    }

    /// What `/readyz` says: loaded and not shutting down (else 503, so that a load balancer
    /// stops sending new work).
    pub fn readiness(&self) -> Result<(), ApiError> {
        if self.stopping.load(Ordering::Relaxed) {
            return Err(ApiError::new(
                super::error::ErrorType::NotReady,
                "the server is shutting down",
            ));
        }
        self.ready().map(drop)
    }

    /// Makes the backend available.
    pub fn set_ready(&self, ready: Ready) {
        *self.ready.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(ready));
    }

    /// Marks the start of shutdown: `/readyz` and new questions get 503.
    pub fn begin_shutdown(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    /// Takes the backend away (at shutdown), so the model thread ends once in-flight work is done.
    pub fn take_ready(&self) -> Option<Arc<Ready>> {
        self.ready.write().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Admits `questions` questions, or refuses at once with 429 when that would exceed the
    /// capacity: never an unbounded wait. The permit is held until the answer is sent.
    pub fn admit(&self, questions: usize) -> Result<OwnedSemaphorePermit, ApiError> {
        let n = u32::try_from(questions).map_err(|_| ApiError::overloaded())?;
        self.admission
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| ApiError::overloaded())
    }

    /// The values of the gauges, now.
    pub fn gauges(&self) -> Gauges {
        let ready = self.ready.read().unwrap_or_else(|e| e.into_inner()).clone();
        Gauges {
            queue_depth: ready.as_ref().map_or(0, |r| r.queue.depth()),
            in_flight: self.config.queue_capacity - self.admission.available_permits(),
            queue_capacity: self.config.queue_capacity,
            ready: ready.is_some() && !self.stopping.load(Ordering::Relaxed),
            graph_triples: ready.as_ref().map_or(0, |r| r.graph.triples()),
            uptime_seconds: self.started.elapsed().as_secs_f64(),
        }
    }

    /// Starts the model thread for `backend` and makes it available. Returns the thread.
    pub fn load(&self, backend: Backend) -> crate::Result<std::thread::JoinHandle<()>> {
        let Backend {
            service,
            scorer,
            model,
            store,
        } = backend;
        let graph = ServingGraph::new(service, store)?;
        let (queue, handle) = super::worker::spawn(
            scorer,
            self.config.queue_capacity,
            self.config.model_batch,
            self.config.model_threads,
            self.metrics.clone(),
        )
        .map_err(|e| crate::Error::internal("starting the model thread", e))?;
        self.set_ready(Ready {
            graph,
            queue,
            model,
        });
        Ok(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::ErrorType;

    #[test]
    fn admission_refuses_beyond_the_capacity() {
        let state = AppState::new(ServeConfig {
            queue_capacity: 4,
            max_batch: 4,
            ..ServeConfig::default()
        });
        let three = state.admit(3).unwrap();
        assert_eq!(state.admit(2).unwrap_err().kind, ErrorType::Overloaded);
        let one = state.admit(1).unwrap();
        assert!(state.admit(1).is_err());
        assert_eq!(state.gauges().in_flight, 4);
        drop((three, one));
        assert_eq!(state.gauges().in_flight, 0);
        assert!(state.admit(4).is_ok());
    }
}
