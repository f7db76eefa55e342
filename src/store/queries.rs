//! The SPARQL queries kgqa runs, kept in `queries/*.rq` and parsed once.
//!
//! Callers never build query text. A query that works on given nodes declares an empty
//! `VALUES ?node { }` block; kgqa fills it with the nodes as RDF terms in the parsed algebra, so no
//! user text can change a query, and one query serves a whole frontier of nodes. A query may also
//! take one-term parameters as further columns of that block (`VALUES (?node ?relation) { }`),
//! repeated on every row (see [`QueryName::parameters`]): oxigraph then reads each node's edges by
//! index, where a separate `VALUES ?relation { }` block makes it scan the whole store.

use oxigraph::model::NamedNode;
use spargebra::algebra::GraphPattern;
use spargebra::term::{GroundTerm, Variable};
use spargebra::{Query, SparqlParser};

use crate::store::{Result, StoreError};

/// At most this many nodes are bound in one query; larger sets are split into several queries.
pub const MAX_BOUND_NODES: usize = 512;

/// A query shipped in `queries/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueryName {
    /// `labels.rq`: every label and alternative label of every entity.
    Labels,
    /// `neighbors.rq`: the edges of the given nodes, in both directions.
    Neighbors,
    /// `neighbors_remote.rq`: as [`QueryName::Neighbors`], filtered by the endpoint to edges
    /// between IRIs that are no schema statements.
    NeighborsRemote,
    /// `degree.rq`: how many edges each given node has.
    Degree,
    /// `label.rq`: the preferred labels of the given nodes.
    Label,
    /// `count_triples.rq`: the size of the default graph.
    CountTriples,
    /// `relations.rq`: every relation between entities.
    Relations,
    /// `node_labels.rq`: the labels and alternative labels of the given nodes.
    NodeLabels,
    /// `relation_labels.rq`: every relation between entities, with its label where it has one.
    RelationLabels,
    /// `follow.rq`: the nodes one edge along `?relation` from the given nodes, forwards.
    Follow,
    /// `follow_inverse.rq`: the nodes one edge along `?relation` from the given nodes, backwards.
    FollowInverse,
    /// `reached_from.rq`: which given nodes one edge along `?relation` reaches from `?source`.
    ReachedFrom,
    /// `reached_from_inverse.rq`: as [`QueryName::ReachedFrom`], the edge followed backwards.
    ReachedFromInverse,
}

impl QueryName {
    /// Every query, in a fixed order.
    pub const ALL: [QueryName; 13] = [
        QueryName::Labels,
        QueryName::Neighbors,
        QueryName::NeighborsRemote,
        QueryName::Degree,
        QueryName::Label,
        QueryName::CountTriples,
        QueryName::Relations,
        QueryName::NodeLabels,
        QueryName::RelationLabels,
        QueryName::Follow,
        QueryName::FollowInverse,
        QueryName::ReachedFrom,
        QueryName::ReachedFromInverse,
    ];

    /// The file stem of the query in `queries/`.
    pub fn name(self) -> &'static str {
        match self {
            QueryName::Labels => "labels",
            QueryName::Neighbors => "neighbors",
            QueryName::NeighborsRemote => "neighbors_remote",
            QueryName::Degree => "degree",
            QueryName::Label => "label",
            QueryName::CountTriples => "count_triples",
            QueryName::Relations => "relations",
            QueryName::NodeLabels => "node_labels",
            QueryName::RelationLabels => "relation_labels",
            QueryName::Follow => "follow",
            QueryName::FollowInverse => "follow_inverse",
            QueryName::ReachedFrom => "reached_from",
            QueryName::ReachedFromInverse => "reached_from_inverse",
        }
    }

    /// The SPARQL text of the query.
    pub fn text(self) -> &'static str {
        match self {
            QueryName::Labels => include_str!("../../queries/labels.rq"),
            QueryName::Neighbors => include_str!("../../queries/neighbors.rq"),
            QueryName::NeighborsRemote => include_str!("../../queries/neighbors_remote.rq"),
            QueryName::Degree => include_str!("../../queries/degree.rq"),
            QueryName::Label => include_str!("../../queries/label.rq"),
            QueryName::CountTriples => include_str!("../../queries/count_triples.rq"),
            QueryName::Relations => include_str!("../../queries/relations.rq"),
            QueryName::NodeLabels => include_str!("../../queries/node_labels.rq"),
            QueryName::RelationLabels => include_str!("../../queries/relation_labels.rq"),
            QueryName::Follow => include_str!("../../queries/follow.rq"),
            QueryName::FollowInverse => include_str!("../../queries/follow_inverse.rq"),
            QueryName::ReachedFrom => include_str!("../../queries/reached_from.rq"),
            QueryName::ReachedFromInverse => {
                include_str!("../../queries/reached_from_inverse.rq")
            }
        }
    }

    /// Whether the query takes nodes (declares `VALUES ?node { }`).
    pub fn takes_nodes(self) -> bool {
        !matches!(
            self,
            QueryName::Labels
                | QueryName::CountTriples
                | QueryName::Relations
                | QueryName::RelationLabels
        )
    }

    /// The one-term parameters the query takes: the columns after `?node` of its
    /// `VALUES (?node ?name …) { }` block, in this order.
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            QueryName::Follow | QueryName::FollowInverse => &["relation"],
            QueryName::ReachedFrom | QueryName::ReachedFromInverse => &["relation", "source"],
            _ => &[],
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|q| *q == self).unwrap_or(0)
    }
}

/// All shipped queries, parsed once.
#[derive(Debug, Clone)]
pub struct PreparedQueries {
    parsed: Vec<Query>,
}

impl PreparedQueries {
    /// Parses every query in `queries/` and checks that those taking nodes declare `VALUES ?node`.
    pub fn new() -> Result<Self> {
        let parsed = QueryName::ALL
            .iter()
            .map(|&query| {
                let parsed = SparqlParser::new()
                    .parse_query(query.text())
                    .map_err(|cause| StoreError::QuerySyntax {
                        query: query.name(),
                        cause,
                    })?;
                if query.takes_nodes() {
                    let mut probe = parsed.clone();
                    let columns = columns(query);
                    if !fill_values(pattern_mut(&mut probe), &columns, &[]) {
                        let names: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
                        return Err(StoreError::invalid(
                            format!("queries/{}.rq", query.name()),
                            format!(
                                "declares no `VALUES ({}) {{ }}` block to bind nodes into",
                                names.join(" ")
                            ),
                        ));
                    }
                }
                Ok(parsed)
            })
            .collect::<Result<_>>()?;
        Ok(Self { parsed })
    }

    /// The query with `nodes` bound to `?node` (ignored by queries that take no nodes).
    pub fn bind(&self, query: QueryName, nodes: &[NamedNode]) -> Query {
        self.bind_with(query, nodes, &[])
    }

    /// The query with `nodes` bound to `?node` and each of the query's parameters to the term
    /// `parameters` gives for its name, on every row. Names the query does not take are ignored;
    /// when a parameter it takes is missing, no row is bound, so the query matches nothing.
    pub fn bind_with(
        &self,
        query: QueryName,
        nodes: &[NamedNode],
        parameters: &[(&str, &NamedNode)],
    ) -> Query {
        let mut bound = self.parsed[query.index()].clone();
        if !query.takes_nodes() {
            return bound;
        }
        let terms: Option<Vec<GroundTerm>> = query
            .parameters()
            .iter()
            .map(|name| {
                let (_, term) = parameters.iter().find(|(n, _)| n == name)?;
                Some(GroundTerm::NamedNode((*term).clone()))
            })
            .collect();
        let rows: Vec<Vec<Option<GroundTerm>>> = match terms {
            Some(terms) => nodes
                .iter()
                .map(|n| {
                    let node = GroundTerm::NamedNode(n.clone());
                    std::iter::once(node)
                        .chain(terms.iter().cloned())
                        .map(Some)
                        .collect()
                })
                .collect(),
            None => Vec::new(),
        };
        fill_values(pattern_mut(&mut bound), &columns(query), &rows);
        bound
    }
}

/// The columns of a query's node block: `?node`, then its parameters.
fn columns(query: QueryName) -> Vec<Variable> {
    std::iter::once("node")
        .chain(query.parameters().iter().copied())
        .map(Variable::new_unchecked)
        .collect()
}

fn pattern_mut(query: &mut Query) -> &mut GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// Fills the first `VALUES (columns…) { }` block in `pattern` with `rows`; false if there is none.
fn fill_values(
    pattern: &mut GraphPattern,
    columns: &[Variable],
    rows: &[Vec<Option<GroundTerm>>],
) -> bool {
    match pattern {
        GraphPattern::Values {
            variables,
            bindings,
        } if variables.as_slice() == columns => {
            *bindings = rows.to_vec();
            true
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            fill_values(left, columns, rows) || fill_values(right, columns, rows)
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => fill_values(inner, columns, rows),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_query_parses_and_declares_its_bindings() {
        PreparedQueries::new().expect("queries/*.rq parse");
    }

    #[test]
    fn binds_every_node() {
        let queries = PreparedQueries::new().unwrap();
        let nodes = [
            NamedNode::new("http://ex.org/a").unwrap(),
            NamedNode::new("http://ex.org/b").unwrap(),
        ];
        let text = queries.bind(QueryName::Neighbors, &nodes).to_string();
        assert!(
            text.contains("<http://ex.org/a>") && text.contains("<http://ex.org/b>"),
            "{text}"
        );
    }

    #[test]
    fn binds_parameters_as_terms() {
        let queries = PreparedQueries::new().unwrap();
        let node = NamedNode::new("http://ex.org/a").unwrap();
        let relation = NamedNode::new("http://ex.org/knows").unwrap();
        let source = NamedNode::new("http://ex.org/s").unwrap();
        let parameters = [("relation", &relation), ("source", &source)];
        let text = queries
            .bind_with(
                QueryName::ReachedFrom,
                std::slice::from_ref(&node),
                &parameters,
            )
            .to_string();
        for iri in [
            "<http://ex.org/a>",
            "<http://ex.org/knows>",
            "<http://ex.org/s>",
        ] {
            assert!(text.contains(iri), "{iri} in {text}");
        }
        let text = queries
            .bind_with(QueryName::Labels, &[], &parameters)
            .to_string();
        assert!(!text.contains("ex.org"), "{text}");
        // Without its source, the query binds no row rather than leaving ?source free.
        let text = queries
            .bind_with(QueryName::ReachedFrom, &[node], &parameters[..1])
            .to_string();
        assert!(!text.contains("ex.org/a"), "{text}");
    }
}
