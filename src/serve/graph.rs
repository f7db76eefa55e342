//! The served graph, and `POST /v1/graph/triples`: adding and removing triples while serving.
//!
//! A question holds a read lock on the answering service from its linking to its evidence, so it
//! answers from one version of the graph; an update takes the write lock, writes the on-disk store
//! in one transaction (and the in-memory copy, when serving from one), refreshes the linker's
//! label index for the nodes it touched, and releases the lock. The work under the lock grows with
//! the update, not with the graph. So a question never sees half an update, and the next question
//! sees all of it, with no retraining and no restart.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::Json;

use super::auth::Authorized;
use super::error::ApiError;
use super::json::StrictJson;
use super::state::SharedState;
use crate::answer::AnswerService;
use crate::error::Result;
use crate::store::{Graph, GraphUpdate, UpdateReport};

/// A read lock on the served answering service: one version of the graph, held by one request.
pub type Snapshot = tokio::sync::OwnedRwLockReadGuard<AnswerService>;

/// The answering service questions are answered with, and the store updates are written to.
pub struct ServingGraph {
    service: Arc<tokio::sync::RwLock<AnswerService>>,
    store: Option<Graph>,
    triples: AtomicU64,
}

impl std::fmt::Debug for ServingGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServingGraph")
            .field("triples", &self.triples)
            .finish_non_exhaustive()
    }
}

impl ServingGraph {
    /// Serves `service`. `store` is the on-disk store when the service reads an in-memory copy
    /// of it (updates go to both); `None` when the service reads the store itself.
    pub fn new(service: AnswerService, store: Option<Graph>) -> Result<Self> {
        let triples = service.pipeline().retriever().graph().triple_count()?;
        Ok(Self {
            service: Arc::new(tokio::sync::RwLock::new(service)),
            store,
            triples: AtomicU64::new(triples),
        })
    }

    /// The service, for reading, until the snapshot is dropped (updates wait for it).
    pub async fn snapshot(&self) -> Snapshot {
        self.service.clone().read_owned().await
    }

    /// Triples in the served graph.
    pub fn triples(&self) -> u64 {
        self.triples.load(Ordering::Relaxed)
    }

    /// Applies `update` to the store (and the served copy), then refreshes the label index for
    /// the nodes it touched. The work is proportional to the update, not to the graph: the triple
    /// count moves by what changed, and only the touched nodes' labels are re-read. Blocks until
    /// no question holds a snapshot: call it from a blocking thread.
    pub fn apply(&self, update: &GraphUpdate) -> Result<UpdateReport> {
        let mut service = self.service.blocking_write();
        let served = service.pipeline().retriever().graph().clone();
        let report = match &self.store {
            Some(store) => {
                let report = store.apply(update)?;
                served.apply(update)?;
                report
            }
            None => served.apply(update)?,
        };
        service.refresh_labels(&update.subjects())?;
        // Under the write lock: no other update moves the count meanwhile.
        let triples = self.triples.load(Ordering::Relaxed) + report.added;
        self.triples
            .store(triples.saturating_sub(report.removed), Ordering::Relaxed);
        Ok(report)
    }
}

/// The body of `POST /v1/graph/triples`: N-Triples documents.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriplesRequest {
    /// Triples to add, as N-Triples.
    #[serde(default)]
    pub add: String,
    /// Triples to remove (before adding), as N-Triples.
    #[serde(default)]
    pub remove: String,
}

/// The reply of `POST /v1/graph/triples`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriplesResponse {
    /// What changed.
    #[serde(flatten)]
    pub report: UpdateReport,
    /// Triples in the graph now.
    pub triples: u64,
    /// Time taken.
    pub took_ms: f64,
}

/// `POST /v1/graph/triples` (token required): applies the update, effective for the next question.
pub async fn post_triples(
    _: Authorized,
    State(state): State<SharedState>,
    StrictJson(request): StrictJson<TriplesRequest>,
) -> Result<Json<TriplesResponse>, ApiError> {
    let ready = state.ready()?;
    let update =
        GraphUpdate::from_ntriples(&request.add, &request.remove).map_err(crate::Error::from)?;
    if update.is_empty() {
        return Err(ApiError::validation(
            "add, remove: at least one triple to add or remove is needed",
        ));
    }
    let started = Instant::now();
    let deadline = state.config().deadline();
    let writer = ready.clone();
    let work = tokio::task::spawn_blocking(move || writer.graph.apply(&update));
    // Past the deadline the client gets 504, but the update (one transaction) still completes.
    let report = tokio::time::timeout(deadline, work)
        .await
        .map_err(|_| ApiError::timeout(state.config().deadline_ms))?
        .map_err(|e| ApiError::internal(&e))??;
    state.metrics().record_graph_update();
    tracing::info!(
        added = report.added,
        removed = report.removed,
        "graph updated"
    );
    Ok(Json(TriplesResponse {
        report,
        triples: ready.graph.triples(),
        took_ms: started.elapsed().as_secs_f64() * 1e3,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::{LinkConfig, Linker};
    use crate::pipeline::Pipeline;
    use crate::retrieve::{RetrieveConfig, Retriever};
    use crate::score::RelationTexts;

    fn serving(graph: &Graph) -> ServingGraph {
        let linker = Linker::new(graph.clone(), LinkConfig::default()).unwrap();
        let retriever = Retriever::new(graph.clone(), RetrieveConfig::default()).unwrap();
        let service = AnswerService::new(
            Pipeline::new(linker, retriever),
            RelationTexts::default(),
            0.5,
        );
        ServingGraph::new(service, None).unwrap()
    }

    #[test]
    fn an_update_moves_the_count_by_what_changed_without_recounting() {
        let graph = crate::testing::graph("ex:a ex:knows ex:b . ex:b rdfs:label \"Bee\" .");
        let served = serving(&graph);
        assert_eq!(served.triples(), 2);
        // A triple written behind the server's back is not counted: only a recount of the whole
        // graph would see it, and an update does not recount.
        graph
            .apply(
                &GraphUpdate::from_ntriples(
                    "<http://ex.org/x> <http://ex.org/y> <http://ex.org/z> .",
                    "",
                )
                .unwrap(),
            )
            .unwrap();
        let update = GraphUpdate::from_ntriples(
            "<http://ex.org/c> <http://www.w3.org/2000/01/rdf-schema#label> \"Sea\" .\n\
             <http://ex.org/a> <http://ex.org/knows> <http://ex.org/b> .",
            "<http://ex.org/b> <http://www.w3.org/2000/01/rdf-schema#label> \"Bee\" .",
        )
        .unwrap();
        let report = served.apply(&update).unwrap();
        assert_eq!((report.added, report.removed), (1, 1));
        assert_eq!(served.triples(), 2);
        // The touched nodes' labels are refreshed.
        let service = served.service.blocking_read();
        let index = service.pipeline().linker().index();
        assert!(index.lookup("bee").is_empty());
        assert_eq!(index.lookup("sea").len(), 1);
    }
}
