//! The SPARQL queries kgqa runs, kept in `queries/*.rq` and parsed once.
//!
//! Callers never build query text. A query that works on given nodes declares an empty
//! `VALUES ?node { }` block; kgqa fills it with the nodes as RDF terms in the parsed algebra, so no
//! user text can change a query, and one query serves a whole frontier of nodes. A query may also
//! declare one-term parameters (`VALUES ?relation { }`), filled the same way (see
//! [`QueryName::parameters`]).

use oxigraph::model::NamedNode;
use spargebra::algebra::GraphPattern;
use spargebra::term::{GroundTerm, Variable};
use spargebra::{Query, SparqlParser};

use crate::error::{Error, Result};

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
    pub const ALL: [QueryName; 12] = [
        QueryName::Labels,
        QueryName::Neighbors,
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

    /// The one-term parameters the query declares, each as an empty `VALUES ?name { }` block.
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
                    .map_err(|cause| Error::QuerySyntax {
                        query: query.name(),
                        cause,
                    })?;
                let nodes = query.takes_nodes().then_some("node");
                for variable in nodes.iter().chain(query.parameters()) {
                    let mut probe = parsed.clone();
                    let variable = Variable::new_unchecked(*variable);
                    if !fill_values(pattern_mut(&mut probe), &variable, &[]) {
                        return Err(Error::invalid(
                            format!("queries/{}.rq", query.name()),
                            format!("declares no `VALUES {variable} {{ }}` block to bind into"),
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

    /// The query with `nodes` bound to `?node` and each `(name, term)` of `parameters` to the
    /// parameter `?name` (a parameter the query does not declare is ignored).
    pub fn bind_with(
        &self,
        query: QueryName,
        nodes: &[NamedNode],
        parameters: &[(&str, &NamedNode)],
    ) -> Query {
        let mut bound = self.parsed[query.index()].clone();
        let row = |n: &NamedNode| vec![Some(GroundTerm::NamedNode(n.clone()))];
        if query.takes_nodes() {
            let rows: Vec<Vec<Option<GroundTerm>>> = nodes.iter().map(row).collect();
            fill_values(pattern_mut(&mut bound), &node_variable(), &rows);
        }
        for (name, term) in parameters {
            if query.parameters().contains(name) {
                let variable = Variable::new_unchecked(*name);
                fill_values(pattern_mut(&mut bound), &variable, &[row(term)]);
            }
        }
        bound
    }
}

fn node_variable() -> Variable {
    Variable::new_unchecked("node")
}

fn pattern_mut(query: &mut Query) -> &mut GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// Fills the first `VALUES ?variable { }` block in `pattern` with `rows`; false if there is none.
fn fill_values(
    pattern: &mut GraphPattern,
    variable: &Variable,
    rows: &[Vec<Option<GroundTerm>>],
) -> bool {
    match pattern {
        GraphPattern::Values {
            variables,
            bindings,
        } if variables.as_slice() == std::slice::from_ref(variable) => {
            *bindings = rows.to_vec();
            true
        }
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            fill_values(left, variable, rows) || fill_values(right, variable, rows)
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
        | GraphPattern::Service { inner, .. } => fill_values(inner, variable, rows),
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
            .bind_with(QueryName::ReachedFrom, &[node], &parameters)
            .to_string();
        for iri in ["<http://ex.org/a>", "<http://ex.org/knows>", "<http://ex.org/s>"] {
            assert!(text.contains(iri), "{iri} in {text}");
        }
        let text = queries
            .bind_with(QueryName::Labels, &[], &parameters)
            .to_string();
        assert!(!text.contains("ex.org"), "{text}");
    }
}
