//! The RDF store and the only ways kgqa reads it: the SPARQL queries in `queries/`.

mod format;
mod ingest;
mod mint;
mod queries;

use std::path::{Path, PathBuf};

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{QueryResults, QuerySolution};

pub use format::GraphFormat;
pub(crate) use ingest::LineReader;
pub use ingest::{ingest, IngestOptions, IngestReport, Progress};
pub use mint::{Minter, DEFAULT_BASE};
pub use queries::{PreparedQueries, QueryName};

use crate::error::{Error, Result};

/// A knowledge graph held in an oxigraph store, read through the shipped SPARQL queries.
#[derive(Clone)]
pub struct Graph {
    store: oxigraph::store::Store,
    queries: PreparedQueries,
    location: Option<PathBuf>,
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
    /// Opens (or creates) the on-disk store at `path`. Reopening never re-ingests.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let store = oxigraph::store::Store::open(path)?;
        Self::with_store(store, Some(path.to_path_buf()))
    }

    /// A new, empty in-memory store, for tests and one-shot runs.
    pub fn in_memory() -> Result<Self> {
        Self::with_store(oxigraph::store::Store::new()?, None)
    }

    fn with_store(store: oxigraph::store::Store, location: Option<PathBuf>) -> Result<Self> {
        Ok(Self {
            store,
            queries: PreparedQueries::new()?,
            location,
        })
    }

    /// Where the store lives on disk, or `None` for an in-memory store.
    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// The underlying oxigraph store, for bulk loading.
    pub(crate) fn oxigraph(&self) -> Result<&oxigraph::store::Store> {
        Ok(&self.store)
    }

    /// Runs a shipped query with `?node` bound to `node` (or unbound) and collects its solutions.
    pub fn select(&self, query: QueryName, node: Option<&NamedNode>) -> Result<Vec<QuerySolution>> {
        let mut prepared = self.queries.get(query);
        if let Some(node) = node {
            prepared = prepared.substitute_variable(node_variable(), Term::from(node.clone()));
        }
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(|source| Error::Query {
                query: query.name(),
                source,
            })?;
        let QueryResults::Solutions(solutions) = results else {
            return Ok(Vec::new());
        };
        solutions
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| Error::Query {
                query: query.name(),
                source,
            })
    }

    /// The number of triples in the graph.
    pub fn triple_count(&self) -> Result<u64> {
        let rows = self.select(QueryName::CountTriples, None)?;
        Ok(rows
            .first()
            .and_then(|row| integer(row.get("triples")))
            .unwrap_or(0))
    }

    /// Every label and alternative label of every node.
    pub fn labels(&self) -> Result<Vec<LabelRow>> {
        let rows = self.select(QueryName::Labels, None)?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(LabelRow {
                    node: named(row.get("node"))?,
                    label: literal(row.get("label"))?,
                    alternative: row.get("alt").is_some(),
                })
            })
            .collect())
    }

    /// The edges of `node` in both directions.
    pub fn neighbors(&self, node: &NamedNode) -> Result<Vec<Edge>> {
        let rows = self.select(QueryName::Neighbors, Some(node))?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(Edge {
                    relation: named(row.get("relation"))?,
                    other: named(row.get("other"))?,
                    outgoing: matches!(row.get("out"), Some(Term::Literal(l)) if l.value() == "true"),
                })
            })
            .collect())
    }

    /// How many edges `node` has, in both directions.
    pub fn degree(&self, node: &NamedNode) -> Result<u64> {
        let rows = self.select(QueryName::Degree, Some(node))?;
        Ok(rows
            .first()
            .and_then(|row| integer(row.get("degree")))
            .unwrap_or(0))
    }

    /// The preferred label of `node`, if it has one.
    pub fn label(&self, node: &NamedNode) -> Result<Option<String>> {
        let rows = self.select(QueryName::Label, Some(node))?;
        Ok(rows.first().and_then(|row| literal(row.get("label"))))
    }
}

/// Serializes an IRI as its string, for `#[serde(serialize_with)]`.
pub fn serialize_iri<S: serde::Serializer>(
    iri: &NamedNode,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(iri.as_str())
}

fn node_variable() -> oxigraph::sparql::Variable {
    oxigraph::sparql::Variable::new_unchecked("node")
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
        let mut edges = graph.neighbors(&a).unwrap();
        edges.sort_by(|x, y| x.other.as_str().cmp(y.other.as_str()));
        assert_eq!(edges.len(), 2);
        assert_eq!(edges[0].other.as_str(), "http://ex.org/b");
        assert!(edges[0].outgoing);
        assert_eq!(edges[1].other.as_str(), "http://ex.org/c");
        assert!(!edges[1].outgoing);
        assert_eq!(graph.degree(&a).unwrap(), 2);
    }

    #[test]
    fn labels_and_counts() {
        let graph = graph_with(TINY);
        let mut labels = graph.labels().unwrap();
        labels.sort_by_key(|l| l.alternative);
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[0].label, "Alpha");
        assert!(labels[1].alternative);
        let a = NamedNode::new("http://ex.org/a").unwrap();
        assert_eq!(graph.label(&a).unwrap().as_deref(), Some("Alpha"));
        assert_eq!(graph.triple_count().unwrap(), 4);
    }

    #[test]
    fn a_bound_node_is_a_term_not_text() {
        let graph = graph_with(TINY);
        // A term that looks like SPARQL is bound as a term and matches nothing.
        let tricky = NamedNode::new_unchecked("http://ex.org/a> } UNION { ?s ?p ?o");
        assert!(graph.neighbors(&tricky).unwrap().is_empty());
        assert_eq!(graph.degree(&tricky).unwrap(), 0);
    }
}
