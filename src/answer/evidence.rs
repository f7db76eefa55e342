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

/// The edges of a subgraph indexed by node, to walk evidence paths quickly.
#[derive(Debug)]
pub struct EvidenceIndex<'a> {
    subgraph: &'a Subgraph,
    edges_of: Vec<Vec<usize>>,
}

impl<'a> EvidenceIndex<'a> {
    /// Indexes `subgraph`'s edges by node.
    pub fn new(subgraph: &'a Subgraph) -> Self {
        let mut edges_of = vec![Vec::new(); subgraph.nodes().len()];
        for (index, edge) in subgraph.edges().iter().enumerate() {
            edges_of[edge.source as usize].push(index);
            if edge.target != edge.source {
                edges_of[edge.target as usize].push(index);
            }
        }
        Self { subgraph, edges_of }
    }

    /// Up to `limit` shortest paths from a topic entity to `answer`, each a list of triples in
    /// the order they are walked from the topic (triples keep their own direction).
    pub fn paths(
        &self,
        answer: LocalId,
        limit: usize,
        label: &dyn Fn(&NamedNode) -> String,
    ) -> Vec<Vec<EvidenceTriple>> {
        self.edge_paths(answer, limit)
            .iter()
            .map(|path| path.iter().map(|&e| self.triple(e, label)).collect())
            .collect()
    }

    /// The same paths as edge indices, in walking order from the topic.
    pub fn edge_paths(&self, answer: LocalId, limit: usize) -> Vec<Vec<usize>> {
        let mut paths = Vec::new();
        self.walk_back(answer, limit, &mut Vec::new(), &mut paths);
        for path in &mut paths {
            path.reverse();
        }
        paths
    }

    /// The subject, relation and object of edge `edge`.
    pub fn terms(&self, edge: usize) -> [&NamedNode; 3] {
        let edge = self.subgraph.edges()[edge];
        [
            self.subgraph.iri(edge.source),
            &self.subgraph.relations()[edge.relation as usize],
            self.subgraph.iri(edge.target),
        ]
    }

    /// Edge `edge` as a labelled triple.
    pub fn triple(&self, edge: usize, label: &dyn Fn(&NamedNode) -> String) -> EvidenceTriple {
        let [s, r, o] = self.terms(edge);
        EvidenceTriple {
            subject: label(s),
            relation: label(r),
            object: label(o),
            subject_iri: s.as_str().to_owned(),
            relation_iri: r.as_str().to_owned(),
            object_iri: o.as_str().to_owned(),
        }
    }

    /// Depth-first from `node` towards the topic, along edges to nodes one hop closer.
    fn walk_back(
        &self,
        node: LocalId,
        limit: usize,
        path: &mut Vec<usize>,
        paths: &mut Vec<Vec<usize>>,
    ) {
        let distances = self.subgraph.distances();
        let distance = distances[node as usize];
        if distance == 0 {
            paths.push(path.clone());
            return;
        }
        for &index in &self.edges_of[node as usize] {
            if paths.len() >= limit {
                return;
            }
            let edge = self.subgraph.edges()[index];
            let previous = if edge.source == node {
                edge.target
            } else {
                edge.source
            };
            if distances[previous as usize] + 1 == distance {
                path.push(index);
                self.walk_back(previous, limit, path, paths);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retrieve::{RetrieveConfig, Retriever};

    #[test]
    fn paths_walk_from_the_topic_keeping_triple_directions() {
        let graph = crate::testing::graph(
            "ex:a ex:r ex:b . ex:c ex:s ex:b . ex:a ex:t ex:d . ex:d ex:u ex:c .",
        );
        let retriever = Retriever::new(graph, RetrieveConfig::default()).unwrap();
        let a = NamedNode::new("http://ex.org/a").unwrap();
        let subgraph = retriever.retrieve(&[a]).unwrap();
        let c = subgraph
            .id(&NamedNode::new("http://ex.org/c").unwrap())
            .unwrap();
        let name = |n: &NamedNode| n.as_str().trim_start_matches("http://ex.org/").to_owned();
        let paths = EvidenceIndex::new(&subgraph).paths(c, 3, &name);
        let mut walked: Vec<String> = paths
            .iter()
            .map(|p| {
                p.iter()
                    .map(|t| format!("{} {} {}", t.subject, t.relation, t.object))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        walked.sort();
        assert_eq!(walked, ["a r b, c s b", "a t d, d u c"]);
        assert_eq!(EvidenceIndex::new(&subgraph).paths(c, 1, &name).len(), 1);
    }
}
