//! The SPARQL queries kgqa runs, kept in `queries/*.rq` and parsed once.
//!
//! Callers never build query text: they name a query and bind its variables to RDF terms, which the
//! store substitutes as terms (oxigraph's `substitute_variable`), so no user text can change a query.

use oxigraph::sparql::{PreparedSparqlQuery, SparqlEvaluator};

use crate::error::{Error, Result};

/// A query shipped in `queries/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueryName {
    /// `labels.rq`: every label and alternative label of every node.
    Labels,
    /// `neighbors.rq`: the edges of `?node` in both directions.
    Neighbors,
    /// `degree.rq`: how many edges `?node` has.
    Degree,
    /// `label.rq`: the preferred label of `?node`.
    Label,
    /// `count_triples.rq`: the size of the default graph.
    CountTriples,
}

impl QueryName {
    /// Every query, in a fixed order.
    pub const ALL: [QueryName; 5] = [
        QueryName::Labels,
        QueryName::Neighbors,
        QueryName::Degree,
        QueryName::Label,
        QueryName::CountTriples,
    ];

    /// The file stem of the query in `queries/`.
    pub fn name(self) -> &'static str {
        match self {
            QueryName::Labels => "labels",
            QueryName::Neighbors => "neighbors",
            QueryName::Degree => "degree",
            QueryName::Label => "label",
            QueryName::CountTriples => "count_triples",
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
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|q| *q == self).unwrap_or(0)
    }
}

/// All shipped queries, parsed once.
#[derive(Clone)]
pub struct PreparedQueries {
    prepared: Vec<PreparedSparqlQuery>,
}

impl PreparedQueries {
    /// Parses every query in `queries/`.
    pub fn new() -> Result<Self> {
        let prepared = QueryName::ALL
            .iter()
            .map(|&query| {
                SparqlEvaluator::new()
                    .parse_query(query.text())
                    .map_err(|source| Error::QuerySyntax {
                        query: query.name(),
                        source,
                    })
            })
            .collect::<Result<_>>()?;
        Ok(Self { prepared })
    }

    /// A fresh copy of the parsed query, ready to be bound and run.
    pub fn get(&self, query: QueryName) -> PreparedSparqlQuery {
        self.prepared[query.index()].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_query_parses() {
        PreparedQueries::new().expect("queries/*.rq parse");
    }
}
