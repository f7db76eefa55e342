//! Evidence: the triple paths in the subgraph from a topic entity to an answer.

use oxigraph::model::NamedNode;

use crate::retrieve::{LocalId, Subgraph};

/// One triple of an evidence path, with labels.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvidenceTriple {
    /// Subject label.
    pub subject: String,
    /// Relation label.
    pub relation: String,
    /// Object label.
    pub object: String,
    /// Subject IRI.
    pub subject_iri: String,
    /// Relation IRI.
    pub relation_iri: String,
    /// Object IRI.
    pub object_iri: String,
}

/// Up to `limit` shortest paths from a topic entity to `answer`, each a list of triples in the
/// order they are walked from the topic (triples keep their own direction).
pub fn evidence_paths(
    subgraph: &Subgraph,
    answer: LocalId,
    limit: usize,
    label: &dyn Fn(&NamedNode) -> String,
) -> Vec<Vec<EvidenceTriple>> {
    let mut paths = Vec::new();
    let mut path = Vec::new();
    walk_back(subgraph, answer, limit, &mut path, &mut paths);
    paths
        .into_iter()
        .map(|edges: Vec<usize>| {
            edges
                .iter()
                .rev()
                .map(|&e| {
                    let edge = subgraph.edges()[e];
                    let (s, r, o) = (
                        subgraph.iri(edge.source),
                        &subgraph.relations()[edge.relation as usize],
                        subgraph.iri(edge.target),
                    );
                    EvidenceTriple {
                        subject: label(s),
                        relation: label(r),
                        object: label(o),
                        subject_iri: s.as_str().to_owned(),
                        relation_iri: r.as_str().to_owned(),
                        object_iri: o.as_str().to_owned(),
                    }
                })
                .collect()
        })
        .collect()
}

/// Depth-first from `node` towards the topic, along edges to nodes one hop closer.
fn walk_back(
    subgraph: &Subgraph,
    node: LocalId,
    limit: usize,
    path: &mut Vec<usize>,
    paths: &mut Vec<Vec<usize>>,
) {
    if paths.len() >= limit {
        return;
    }
    let distance = subgraph.distances()[node as usize];
    if distance == 0 {
        paths.push(path.clone());
        return;
    }
    for (index, edge) in subgraph.edges().iter().enumerate() {
        let previous = match (edge.source == node, edge.target == node) {
            (true, false) => edge.target,
            (false, true) => edge.source,
            _ => continue,
        };
        if subgraph.distances()[previous as usize] + 1 == distance {
            path.push(index);
            walk_back(subgraph, previous, limit, path, paths);
            path.pop();
            if paths.len() >= limit {
                return;
            }
        }
    }
}
