//! The RDF store and the only ways kgqa reads it: the SPARQL queries in `queries/`.
//!
//! Two backends answer the same queries: an embedded oxigraph store (on disk or in memory) and a
//! remote SPARQL 1.1 endpoint over HTTP ([`remote`]). Every caller sees one [`Graph`] type.

mod adjacency;
mod degrees;
mod error;
mod format;
mod ingest;
mod mint;
mod paths;
mod queries;
mod relation_text;
pub mod remote;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};

pub use error::{FileError, Result, StoreError};
pub use format::GraphFormat;
pub(crate) use ingest::read_files;
pub(crate) use ingest::LineReader;
pub use ingest::{ingest, ingest_files, IngestOptions, IngestReport, Progress, RemoteIngest};
pub(crate) use mint::percent_encode_into;
pub use mint::{Minter, DEFAULT_BASE};
pub use queries::{PreparedQueries, QueryName, MAX_BOUND_NODES};
pub use relation_text::RelationText;
pub use remote::{RemoteConfig, RemoteError, SparqlClient};
pub use update::{GraphUpdate, UpdateReport};

/// A knowledge graph, read through the shipped SPARQL queries: held in an embedded oxigraph store,
/// or by a remote SPARQL endpoint.
#[derive(Clone)]
pub struct Graph {
    backend: Backend,
    queries: PreparedQueries,
    /// Degrees counted so far (embedded stores only: a remote endpoint may change under us).
    degrees: degrees::DegreeCache,
    /// Edges read so far (embedded stores only).
    adjacency: adjacency::AdjacencyCache,
}

/// Where the triples are.
#[derive(Clone)]
pub(crate) enum Backend {
    /// An oxigraph store in this process (`location` is `None` in memory).
    Embedded {
        store: oxigraph::store::Store,
        location: Option<PathBuf>,
    },
    /// A SPARQL 1.1 endpoint over HTTP.
    Remote(SparqlClient),
}

/// One edge of a node, as returned by [`Graph::neighbors`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The relation (predicate) IRI.
    pub relation: NamedNode,
    /// The node at the other end.
    pub other: NamedNode,
    /// True when the edge leaves the queried node (`node relation other`).
    pub outgoing: bool,
}

/// One label of a node, as returned by [`Graph::labels`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelRow {
    /// The labelled node.
    pub node: NamedNode,
    /// The label text.
    pub label: String,
    /// True for `skos:altLabel`, false for `rdfs:label`.
    pub alternative: bool,
}

impl Graph {
    /// Opens (or creates) the on-disk store at `path`. Reopening never re-ingests. What an
    /// ingest killed mid-way left behind (its unfinished bulk files) is removed.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| FileError::io(parent, e))?;
        }
        let store = oxigraph::store::Store::open(path)?;
        // The store is locked now: no other process can be loading into it.
        remove_abandoned_bulk_files(path)?;
        Self::with_store(store, Some(path.to_path_buf()))
    }

    /// A new, empty in-memory store, for tests and one-shot runs.
    pub fn in_memory() -> Result<Self> {
        Self::with_store(oxigraph::store::Store::new()?, None)
    }

    /// The graph held by the SPARQL endpoint `endpoint` (an `http(s)://` URL), in the named graph
    /// `config.graph`. Nothing is sent until the first query.
    pub fn remote(endpoint: &str, config: &RemoteConfig) -> Result<Self> {
        Ok(Self {
            backend: Backend::Remote(SparqlClient::new(endpoint, config)?),
            queries: PreparedQueries::new()?,
            degrees: Default::default(),
            adjacency: Default::default(),
        })
    }

    fn with_store(store: oxigraph::store::Store, location: Option<PathBuf>) -> Result<Self> {
        Ok(Self {
            backend: Backend::Embedded { store, location },
            queries: PreparedQueries::new()?,
            degrees: Default::default(),
            adjacency: Default::default(),
        })
    }

    /// An in-memory copy of this graph, for read-heavy work (evaluation, training) where the
    /// on-disk store's lookups would dominate. Later writes to either copy do not reach the other.
    /// A remote graph is not copied (it may not fit in memory): it is read in place.
    pub fn to_memory(&self) -> Result<Self> {
        let Backend::Embedded { store, .. } = &self.backend else {
            return Ok(self.clone());
        };
        let copy = oxigraph::store::Store::new()?;
        let mut loader = copy.bulk_loader();
        loader.load_ok_quads::<oxigraph::store::StorageError, StoreError>(store.iter())?;
        loader.commit()?;
        Self::with_store(copy, None)
    }

    /// Where the store lives on disk, or `None` for an in-memory store or a remote endpoint.
    pub fn location(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Embedded { location, .. } => location.as_deref(),
            Backend::Remote(_) => None,
        }
    }

    /// The remote endpoint's client, or `None` for an embedded store.
    pub fn remote_client(&self) -> Option<&SparqlClient> {
        match &self.backend {
            Backend::Remote(client) => Some(client),
            Backend::Embedded { .. } => None,
        }
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Runs a shipped query on `nodes` (ignored by queries that take none) and collects its
    /// solutions. Large node sets are split over several queries.
    pub fn select(&self, query: QueryName, nodes: &[NamedNode]) -> Result<Vec<QuerySolution>> {
        self.select_with(query, nodes, &[])
    }

    /// As [`Self::select`], with the query's parameters bound (see [`QueryName::parameters`]).
    pub fn select_with(
        &self,
        query: QueryName,
        nodes: &[NamedNode],
        parameters: &[(&str, &NamedNode)],
    ) -> Result<Vec<QuerySolution>> {
        if !query.takes_nodes() {
            return self.run(query, &[], parameters);
        }
        let chunk = match &self.backend {
            Backend::Embedded { .. } => MAX_BOUND_NODES,
            Backend::Remote(client) => client.config().nodes_per_query,
        };
        let mut solutions = Vec::new();
        for nodes in nodes.chunks(chunk) {
            solutions.extend(self.run(query, nodes, parameters)?);
        }
        Ok(solutions)
    }

    fn run(
        &self,
        query: QueryName,
        nodes: &[NamedNode],
        parameters: &[(&str, &NamedNode)],
    ) -> Result<Vec<QuerySolution>> {
        let bound = self.queries.bind_with(query, nodes, parameters);
        let store = match &self.backend {
            Backend::Embedded { store, .. } => store,
            // The query goes out as SPARQL text printed from the bound algebra: the nodes are
            // written as IRIs by the serializer, never spliced in as text.
            Backend::Remote(client) => {
                return client
                    .select(&bound)
                    .map_err(|cause| StoreError::RemoteQuery {
                        query: query.name(),
                        cause,
                    })
            }
        };
        let error = |cause| StoreError::Query {
            query: query.name(),
            cause,
        };
        let results = SparqlEvaluator::new()
            .for_query(bound)
            .on_store(store)
            .execute()
            .map_err(error)?;
        let QueryResults::Solutions(solutions) = results else {
            return Ok(Vec::new());
        };
        solutions.collect::<Result<Vec<_>, _>>().map_err(error)
    }

    /// The number of triples in the graph.
    pub fn triple_count(&self) -> Result<u64> {
        let rows = self.select(QueryName::CountTriples, &[])?;
        Ok(rows
            .first()
            .and_then(|row| integer(row.get("triples")))
            .unwrap_or(0))
    }

    /// Every relation between entities, sorted.
    pub fn relations(&self) -> Result<Vec<NamedNode>> {
        let rows = self.select(QueryName::Relations, &[])?;
        Ok(rows
            .iter()
            .filter_map(|row| named(row.get("relation")))
            .collect())
    }

    /// Every label and alternative label of every entity.
    pub fn labels(&self) -> Result<Vec<LabelRow>> {
        Ok(label_rows(&self.select(QueryName::Labels, &[])?))
    }

    /// The labels and alternative labels of `nodes` (none for schema nodes, as in [`Self::labels`]).
    pub fn labels_of(&self, nodes: &[NamedNode]) -> Result<Vec<LabelRow>> {
        Ok(label_rows(&self.select(QueryName::NodeLabels, nodes)?))
    }

    /// The edges of `nodes` in both directions, each with the node it belongs to.
    pub fn neighbors(&self, nodes: &[NamedNode]) -> Result<Vec<(NamedNode, Edge)>> {
        Ok(self
            .edges_of(nodes)?
            .into_iter()
            .flat_map(|(node, edges)| {
                (0..edges.len()).map(move |i| (node.clone(), edges[i].clone()))
            })
            .collect())
    }

    /// The edges of each of `nodes`, in their order, as [`Self::neighbors`] gives them. An
    /// embedded graph remembers a node's edges until an update or ingest touches it (within a
    /// bound, dropping first the nodes read least recently).
    pub fn edges_of(&self, nodes: &[NamedNode]) -> Result<Vec<(NamedNode, Arc<[Edge]>)>> {
        if matches!(self.backend, Backend::Remote(_)) {
            return self.read_edges(nodes);
        }
        let known = self.adjacency.lookup(nodes);
        let missing: Vec<NamedNode> = nodes
            .iter()
            .zip(&known)
            .filter(|(_, edges)| edges.is_none())
            .map(|(node, _)| node.clone())
            .collect();
        let read = if missing.is_empty() {
            Vec::new()
        } else {
            self.read_edges(&missing)?
        };
        self.adjacency.remember(&read);
        // `read` holds the missing nodes in the order of `nodes`.
        let mut read = read.into_iter().map(|(_, edges)| edges);
        Ok(nodes
            .iter()
            .zip(known)
            .map(|(node, edges)| {
                let edges = edges.or_else(|| read.next()).unwrap_or_default();
                (node.clone(), edges)
            })
            .collect())
    }

    /// Reads the edges of each of `nodes` with `neighbors.rq` (`neighbors_remote.rq` from an
    /// endpoint), in their order (each node's in the order of the query's rows).
    fn read_edges(&self, nodes: &[NamedNode]) -> Result<Vec<(NamedNode, Arc<[Edge]>)>> {
        let query = match self.backend {
            Backend::Embedded { .. } => QueryName::Neighbors,
            Backend::Remote(_) => QueryName::NeighborsRemote,
        };
        let rows = self.select(query, nodes)?;
        let mut edges: HashMap<NamedNode, Vec<Edge>> = HashMap::with_capacity(nodes.len());
        for row in &rows {
            let Some(relation) = named(row.get("relation")) else {
                continue;
            };
            if is_schema_relation(&relation) {
                continue;
            }
            let (Some(node), Some(other)) = (named(row.get("node")), named(row.get("other")))
            else {
                continue;
            };
            edges.entry(node).or_default().push(Edge {
                relation,
                other,
                outgoing: truthy(row.get("out")),
            });
        }
        let edges: HashMap<NamedNode, Arc<[Edge]>> = edges
            .into_iter()
            .map(|(node, edges)| (node, Arc::from(edges)))
            .collect();
        Ok(nodes
            .iter()
            .map(|node| (node.clone(), edges.get(node).cloned().unwrap_or_default()))
            .collect())
    }

    /// How many edges each of `nodes` has, in both directions (nodes without edges are absent).
    /// An embedded graph counts each node's edges once, until an update or ingest touches it.
    pub fn degrees(&self, nodes: &[NamedNode]) -> Result<HashMap<NamedNode, u64>> {
        if matches!(self.backend, Backend::Remote(_)) {
            return self.count_degrees(nodes);
        }
        let (mut degrees, missing) = self.degrees.lookup(nodes);
        if !missing.is_empty() {
            let counted = self.count_degrees(&missing)?;
            self.degrees.remember(&missing, &counted);
            degrees.extend(counted);
        }
        degrees.retain(|_, degree| *degree > 0);
        Ok(degrees)
    }

    /// Forgets the degrees and edges of `nodes`, whose edges changed.
    pub(crate) fn forget_edges(&self, nodes: &[&NamedNode]) {
        self.degrees.forget(nodes.iter().copied());
        self.adjacency.forget(nodes.iter().copied());
    }

    /// Forgets every degree and edge, after the graph changed in unknown places.
    pub(crate) fn forget_all_edges(&self) {
        self.degrees.clear();
        self.adjacency.clear();
    }

    /// [`Graph::degrees`] counted by `degree.rq`.
    fn count_degrees(&self, nodes: &[NamedNode]) -> Result<HashMap<NamedNode, u64>> {
        let rows = self.select(QueryName::Degree, nodes)?;
        Ok(rows
            .iter()
            .filter_map(|row| Some((named(row.get("node"))?, integer(row.get("degree"))?)))
            .collect())
    }

    /// How many edges `node` has.
    pub fn degree(&self, node: &NamedNode) -> Result<u64> {
        Ok(self
            .degrees(std::slice::from_ref(node))?
            .remove(node)
            .unwrap_or(0))
    }

    /// The preferred labels of `nodes` (nodes without one are absent).
    pub fn preferred_labels(&self, nodes: &[NamedNode]) -> Result<HashMap<NamedNode, String>> {
        let rows = self.select(QueryName::Label, nodes)?;
        let mut labels = HashMap::new();
        for row in &rows {
            if let (Some(node), Some(label)) = (named(row.get("node")), literal(row.get("label"))) {
                labels.entry(node).or_insert(label);
            }
        }
        Ok(labels)
    }
}

/// Removes the `bulk-<number>.sst` files of `store`, a store directory this process holds the
/// lock of: oxigraph's bulk loader writes them, loads them into the store at commit and then
/// deletes them (or deletes them when the load fails), so any left are the work of a load that was
/// killed, which committed nothing.
fn remove_abandoned_bulk_files(store: &Path) -> Result<()> {
    let entries = std::fs::read_dir(store).map_err(|e| FileError::io(store, e))?;
    let (mut files, mut bytes) = (0, 0);
    for entry in entries {
        let path = entry.map_err(|e| FileError::io(store, e))?.path();
        if !is_bulk_file(&path) {
            continue;
        }
        bytes += std::fs::metadata(&path).map_or(0, |m| m.len());
        std::fs::remove_file(&path).map_err(|e| FileError::io(&path, e))?;
        files += 1;
    }
    if files > 0 {
        tracing::info!(
            store = %store.display(),
            files,
            mb = bytes / 1_000_000,
            "removed the files of an interrupted ingest"
        );
    }
    Ok(())
}

/// Whether `path` is named like oxigraph's bulk load files, `bulk-<decimal number>.sst`.
fn is_bulk_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.strip_prefix("bulk-")
        .and_then(|rest| rest.strip_suffix(".sst"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn label_rows(rows: &[QuerySolution]) -> Vec<LabelRow> {
    rows.iter()
        .filter_map(|row| {
            Some(LabelRow {
                node: named(row.get("node"))?,
                label: literal(row.get("label"))?,
                alternative: row.get("alt").is_some(),
            })
        })
        .collect()
}

/// Serializes an IRI as its string, for `#[serde(serialize_with)]`.
pub fn serialize_iri<S: serde::Serializer>(
    iri: &NamedNode,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(iri.as_str())
}

/// Whether `relation` makes schema statements (types, class and property hierarchy, domains and
/// ranges), which are not edges of the graph kgqa answers over (see `queries/neighbors.rq`).
fn is_schema_relation(relation: &NamedNode) -> bool {
    use oxigraph::model::vocab::{rdf, rdfs};
    [
        rdf::TYPE,
        rdfs::SUB_CLASS_OF,
        rdfs::SUB_PROPERTY_OF,
        rdfs::DOMAIN,
        rdfs::RANGE,
    ]
    .contains(&relation.as_ref())
}

fn named(term: Option<&Term>) -> Option<NamedNode> {
    match term? {
        Term::NamedNode(node) => Some(node.clone()),
        _ => None,
    }
}

fn literal(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::Literal(literal) => Some(literal.value().to_owned()),
        _ => None,
    }
}

/// Whether a term is boolean true. Engines differ in how they return `BIND(true AS ?x)`:
/// oxigraph as `"true"^^xsd:boolean`, Virtuoso as `1` (`xsd:integer`).
fn truthy(term: Option<&Term>) -> bool {
    matches!(term, Some(Term::Literal(l)) if matches!(l.value(), "true" | "1"))
}

fn integer(term: Option<&Term>) -> Option<u64> {
    match term? {
        Term::Literal(literal) => literal.value().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_with(turtle: &str) -> Graph {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.ttl");
        std::fs::write(&path, turtle).unwrap();
        let graph = Graph::in_memory().unwrap();
        ingest(&graph, &path, &IngestOptions::default(), &|_| {}).unwrap();
        graph
    }

    const TINY: &str = r#"
        @prefix ex: <http://ex.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ex:a ex:knows ex:b ; rdfs:label "Alpha" ; skos:altLabel "A" .
        ex:c ex:knows ex:a .
    "#;

    #[test]
    fn neighbors_cover_both_directions_and_skip_literals() {
        let graph = graph_with(TINY);
        let a = NamedNode::new("http://ex.org/a").unwrap();
        let mut edges: Vec<Edge> = graph
            .neighbors(std::slice::from_ref(&a))
            .unwrap()
            .into_iter()
            .map(|(node, edge)| {
                assert_eq!(node, a);
                edge
            })
            .collect();
        edges.sort_by(|x, y| x.other.as_str().cmp(y.other.as_str()));
        assert_eq!(edges.len(), 2);
        assert_eq!(edges[0].other.as_str(), "http://ex.org/b");
        assert!(edges[0].outgoing);
        assert_eq!(edges[1].other.as_str(), "http://ex.org/c");
        assert!(!edges[1].outgoing);
        assert_eq!(graph.degree(&a).unwrap(), 2);
    }

    #[test]
    fn schema_statements_are_no_edges_and_degrees_count_what_neighbors_return() {
        let graph = graph_with(
            r#"
            @prefix ex: <http://ex.org/> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            ex:a a ex:Thing ; ex:knows ex:b ; ex:age 3 .
            ex:b a ex:Thing .
            ex:Thing rdfs:subClassOf ex:Top ; ex:curator ex:c .
            ex:knows rdfs:domain ex:Thing ; rdfs:range ex:Thing .
            _:x ex:knows ex:a .
            "#,
        );
        let node = |name: &str| NamedNode::new(format!("http://ex.org/{name}")).unwrap();
        for (name, others) in [("a", &["b"][..]), ("Thing", &["c"]), ("knows", &[])] {
            let edges = graph.neighbors(&[node(name)]).unwrap();
            let found: Vec<&str> = edges.iter().map(|(_, e)| e.other.as_str()).collect();
            let expected: Vec<String> = others.iter().map(|o| node(o).into_string()).collect();
            assert_eq!(found, expected, "edges of {name}");
            assert_eq!(graph.degree(&node(name)).unwrap(), others.len() as u64);
        }
    }

    #[test]
    fn labels_and_counts() {
        let graph = graph_with(TINY);
        let mut rows = graph.labels().unwrap();
        rows.sort_by_key(|l| l.alternative);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label, "Alpha");
        assert!(rows[1].alternative);
        let a = NamedNode::new("http://ex.org/a").unwrap();
        let labels = graph.preferred_labels(std::slice::from_ref(&a)).unwrap();
        assert_eq!(labels.get(&a).map(String::as_str), Some("Alpha"));
        assert_eq!(graph.triple_count().unwrap(), 4);
        let mut of_a = graph.labels_of(std::slice::from_ref(&a)).unwrap();
        of_a.sort_by_key(|l| l.alternative);
        assert_eq!(of_a, rows);
        let c = NamedNode::new("http://ex.org/c").unwrap();
        assert!(graph.labels_of(&[c]).unwrap().is_empty());
    }

    #[test]
    fn opening_a_store_removes_what_an_interrupted_ingest_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let graph = Graph::open(&path).unwrap();
        let file = dir.path().join("g.ttl");
        std::fs::write(&file, TINY).unwrap();
        ingest(&graph, &file, &IngestOptions::default(), &|_| {}).unwrap();
        drop(graph);
        // What a bulk load killed before its commit leaves: its sorted files, never loaded.
        let leftovers = ["bulk-1234567890.sst", "bulk-98765432109876543210.sst"];
        for name in leftovers {
            std::fs::write(path.join(name), vec![0; 4096]).unwrap();
        }
        let kept = ["bulk-notes.sst", "bulk-1.txt", "bulk-.sst"];
        for name in kept {
            std::fs::write(path.join(name), b"x").unwrap();
        }
        let graph = Graph::open(&path).unwrap();
        for name in leftovers {
            assert!(!path.join(name).exists(), "{name} is still there");
        }
        for name in kept {
            assert!(path.join(name).exists(), "{name} was removed");
        }
        assert_eq!(graph.triple_count().unwrap(), 4);
    }

    #[test]
    fn a_bound_node_is_a_term_not_text() {
        let graph = graph_with(TINY);
        // A term that looks like SPARQL is bound as a term and matches nothing.
        let tricky = NamedNode::new_unchecked("http://ex.org/a> } UNION { ?s ?p ?o");
        assert!(graph
            .neighbors(std::slice::from_ref(&tricky))
            .unwrap()
            .is_empty());
        assert_eq!(graph.degree(&tricky).unwrap(), 0);
    }
}
