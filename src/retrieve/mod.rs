//! Retrieval: the subgraph around a question's topic entities, read through SPARQL.
//!
//! A breadth-first expansion from the topic entities up to `hops` hops, with two queries per hop
//! whatever the frontier's size: `degree.rq` to find its hubs and `neighbors.rq` for the rest. Its size is capped in a principled way: a node other than a topic entity
//! whose degree is above `degree_cap` (a genre, a year, a language, a vendor…) is kept as a node
//! and a candidate, but its edges are not followed, since a path through such a hub says little
//! about the question and multiplies the candidates; and expansion stops at `max_nodes`.

mod subgraph;

use oxigraph::model::NamedNode;

pub use subgraph::{LocalId, Subgraph, SubgraphEdge};

use crate::error::{Error, Result};
use crate::store::{Edge, Graph};

/// Options of retrieval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetrieveConfig {
    /// How many hops to expand from the topic entities.
    pub hops: u8,
    /// Nodes (other than topic entities) with more edges than this are not expanded.
    pub degree_cap: u64,
    /// Stop expanding once the subgraph has this many nodes.
    pub max_nodes: usize,
    /// Whether a topic entity can itself be an answer, as in PathQuestion's "who is the child of
    /// X's parent?" (X). Off by default: in MetaQA and most QA data a question never answers with
    /// the entity it names.
    pub topic_answers: bool,
}

impl Default for RetrieveConfig {
    fn default() -> Self {
        Self {
            hops: 3,
            degree_cap: 80,
            max_nodes: 20_000,
            topic_answers: false,
        }
    }
}

impl RetrieveConfig {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.hops == 0 || self.hops > 6 {
            return Err(Error::invalid("hops", "must be between 1 and 6"));
        }
        if self.max_nodes == 0 {
            return Err(Error::invalid("max_nodes", "must be positive"));
        }
        Ok(())
    }
}

/// Retrieves subgraphs from one graph.
#[derive(Clone)]
pub struct Retriever {
    graph: Graph,
    config: RetrieveConfig,
}

impl Retriever {
    /// A retriever over `graph`.
    pub fn new(graph: Graph, config: RetrieveConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self { graph, config })
    }

    /// The graph it reads.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The options in use.
    pub fn config(&self) -> &RetrieveConfig {
        &self.config
    }

    /// The subgraph within `hops` of `topics`: per hop, one `degree.rq` query over the frontier to
    /// find its hubs and one `neighbors.rq` query over the rest.
    pub fn retrieve(&self, topics: &[NamedNode]) -> Result<Subgraph> {
        let mut subgraph = Subgraph::with_topic_answers(self.config.topic_answers);
        let mut frontier: Vec<LocalId> = topics
            .iter()
            .filter_map(|t| {
                let (id, new) = subgraph.add_node(t, 0);
                new.then_some(id)
            })
            .collect();
        for depth in 0..self.config.hops {
            if frontier.is_empty() {
                break;
            }
            let expand = self.without_hubs(&mut subgraph, frontier, depth)?;
            frontier = self.expand(&mut subgraph, &expand, depth + 1)?;
        }
        subgraph.dedup_edges();
        Ok(subgraph)
    }

    /// The frontier nodes to expand: topic entities always, others only below the degree cap.
    fn without_hubs(
        &self,
        subgraph: &mut Subgraph,
        frontier: Vec<LocalId>,
        depth: u8,
    ) -> Result<Vec<LocalId>> {
        if depth == 0 {
            return Ok(frontier);
        }
        let iris: Vec<NamedNode> = frontier.iter().map(|&n| subgraph.iri(n).clone()).collect();
        let degrees = self.graph.degrees(&iris)?;
        let mut expand = Vec::with_capacity(frontier.len());
        for (node, iri) in frontier.into_iter().zip(&iris) {
            if degrees.get(iri).copied().unwrap_or(0) > self.config.degree_cap {
                subgraph.mark_hub(node);
            } else {
                expand.push(node);
            }
        }
        Ok(expand)
    }

    /// Adds the edges of `nodes` and their other ends (at `distance`); returns the new nodes.
    fn expand(
        &self,
        subgraph: &mut Subgraph,
        nodes: &[LocalId],
        distance: u8,
    ) -> Result<Vec<LocalId>> {
        let iris: Vec<NamedNode> = nodes.iter().map(|&n| subgraph.iri(n).clone()).collect();
        let mut added = Vec::new();
        for (iri, edges) in self.graph.edges_of(&iris)? {
            let Some(node) = subgraph.id(&iri) else {
                continue;
            };
            for edge in edges.iter() {
                self.follow_edge(subgraph, node, edge, distance, &mut added);
            }
        }
        Ok(added)
    }

    /// Adds `edge` of `node` and its other end (at `distance`, pushed on `added` when new),
    /// unless the subgraph is full.
    fn follow_edge(
        &self,
        subgraph: &mut Subgraph,
        node: LocalId,
        edge: &Edge,
        distance: u8,
        added: &mut Vec<LocalId>,
    ) {
        let other = match subgraph.id(&edge.other) {
            Some(other) => other,
            None if subgraph.nodes().len() >= self.config.max_nodes => {
                subgraph.mark_truncated();
                return;
            }
            None => {
                let (other, _) = subgraph.add_node(&edge.other, distance);
                added.push(other);
                other
            }
        };
        let (source, target) = if edge.outgoing {
            (node, other)
        } else {
            (other, node)
        };
        subgraph.add_edge(source, &edge.relation, target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn node(name: &str) -> NamedNode {
        NamedNode::new(format!("http://ex.org/{name}")).unwrap()
    }

    const CHAIN: &str = r#"
        ex:a ex:r ex:b . ex:b ex:r ex:c . ex:c ex:r ex:d . ex:d ex:r ex:e .
        ex:hub ex:r ex:h1 , ex:h2 , ex:h3 , ex:h4 .
        ex:b ex:s ex:hub .
    "#;

    fn retriever(config: RetrieveConfig) -> Retriever {
        Retriever::new(testing::graph(CHAIN), config).unwrap()
    }

    #[test]
    fn expands_both_directions_up_to_hops() {
        let retriever = retriever(RetrieveConfig {
            hops: 2,
            ..RetrieveConfig::default()
        });
        let subgraph = retriever.retrieve(&[node("c")]).unwrap();
        let mut names: Vec<&str> = subgraph.nodes().iter().map(|n| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names.len(), 6, "{names:?}"); // c; b d; a e hub
        assert_eq!(
            subgraph.distances()[subgraph.id(&node("a")).unwrap() as usize],
            2
        );
        assert_eq!(subgraph.topics().count(), 1);
        assert_eq!(subgraph.candidates_within(1).count(), 2);
        let edge = subgraph
            .edges()
            .iter()
            .find(|e| e.target == subgraph.id(&node("c")).unwrap())
            .unwrap();
        assert_eq!(edge.source, subgraph.id(&node("b")).unwrap());
    }

    #[test]
    fn does_not_expand_hubs_except_topics() {
        let config = RetrieveConfig {
            hops: 3,
            degree_cap: 3,
            ..RetrieveConfig::default()
        };
        let subgraph = retriever(config.clone()).retrieve(&[node("b")]).unwrap();
        assert!(subgraph.id(&node("hub")).is_some());
        assert!(subgraph.id(&node("h1")).is_none());
        assert_eq!(subgraph.hubs().len(), 1);
        let from_hub = retriever(config).retrieve(&[node("hub")]).unwrap();
        assert!(from_hub.id(&node("h1")).is_some());
    }

    #[test]
    fn topic_entities_are_candidates_only_when_configured() {
        let without = retriever(RetrieveConfig::default())
            .retrieve(&[node("a")])
            .unwrap();
        let topic = without.id(&node("a")).unwrap();
        assert!(!without.is_candidate(topic));
        let with = retriever(RetrieveConfig {
            topic_answers: true,
            ..RetrieveConfig::default()
        })
        .retrieve(&[node("a")])
        .unwrap();
        assert!(with.is_candidate(topic));
        assert_eq!(with.candidates().count(), without.candidates().count() + 1);
        assert_eq!(with.candidates_within(1).count(), 2); // a, b
    }

    #[test]
    fn stops_at_max_nodes() {
        let subgraph = retriever(RetrieveConfig {
            max_nodes: 3,
            ..RetrieveConfig::default()
        })
        .retrieve(&[node("a")])
        .unwrap();
        assert!(subgraph.truncated());
    }

    #[test]
    fn unknown_topics_give_an_isolated_node() {
        let subgraph = retriever(RetrieveConfig::default())
            .retrieve(&[node("nope")])
            .unwrap();
        assert_eq!(subgraph.nodes().len(), 1);
        assert_eq!(subgraph.candidates().count(), 0);
    }

    #[test]
    fn rejects_bad_options() {
        let graph = testing::graph(CHAIN);
        let bad = RetrieveConfig {
            hops: 0,
            ..RetrieveConfig::default()
        };
        assert!(Retriever::new(graph, bad).is_err());
    }
}
