//! Relation paths followed through the graph, one hop at a time, by `follow*.rq` and `reached_from*.rq`.

use std::collections::BTreeSet;

use oxigraph::model::NamedNode;

use super::{named, Graph, QueryName};
use crate::error::Result;

impl Graph {
    /// The IRIs one edge along `relation` from any of `nodes`: `node relation other` when
    /// `forward`, `other relation node` otherwise. Sorted by IRI, without repeats; literals are not
    /// followed.
    pub fn follow(
        &self,
        nodes: &[NamedNode],
        relation: &NamedNode,
        forward: bool,
    ) -> Result<Vec<NamedNode>> {
        let query = if forward {
            QueryName::Follow
        } else {
            QueryName::FollowInverse
        };
        let rows = self.select_with(query, nodes, &[("relation", relation)])?;
        Ok(sorted(
            rows.iter().filter_map(|row| named(row.get("other"))),
        ))
    }

    /// Those of `nodes` that one edge along `relation` reaches from `source` (`source relation
    /// node` when `forward`, `node relation source` otherwise): `nodes` narrowed by a second
    /// constraint. Sorted by IRI, without repeats.
    pub fn reached_from(
        &self,
        nodes: &[NamedNode],
        source: &NamedNode,
        relation: &NamedNode,
        forward: bool,
    ) -> Result<Vec<NamedNode>> {
        let query = if forward {
            QueryName::ReachedFrom
        } else {
            QueryName::ReachedFromInverse
        };
        let parameters = [("relation", relation), ("source", source)];
        let rows = self.select_with(query, nodes, &parameters)?;
        Ok(sorted(rows.iter().filter_map(|row| named(row.get("node")))))
    }
}

fn sorted(nodes: impl Iterator<Item = NamedNode>) -> Vec<NamedNode> {
    let set: BTreeSet<String> = nodes.map(NamedNode::into_string).collect();
    set.into_iter().map(NamedNode::new_unchecked).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(name: &str) -> NamedNode {
        NamedNode::new(format!("http://ex.org/{name}")).unwrap()
    }

    fn names(nodes: &[NamedNode]) -> Vec<&str> {
        nodes
            .iter()
            .map(|n| n.as_str().trim_start_matches("http://ex.org/"))
            .collect()
    }

    const GRAPH: &str =
        "ex:heat ex:directedBy ex:mann ; ex:stars ex:pacino, ex:deniro ; rdfs:label \"Heat\" .
        ex:collateral ex:directedBy ex:mann ; ex:stars ex:cruise .
        ex:taxi ex:stars ex:deniro .";

    #[test]
    fn follows_one_hop_either_way_over_a_frontier() {
        let graph = crate::testing::graph(GRAPH);
        let stars = iri("stars");
        let forward = graph.follow(&[iri("heat"), iri("taxi")], &stars, true);
        assert_eq!(names(&forward.unwrap()), ["deniro", "pacino"]);
        let back = graph.follow(&[iri("deniro")], &stars, false).unwrap();
        assert_eq!(names(&back), ["heat", "taxi"]);
        // Labels are literals, never followed.
        let label = NamedNode::new("http://www.w3.org/2000/01/rdf-schema#label").unwrap();
        assert!(graph
            .follow(&[iri("heat")], &label, true)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn narrows_nodes_to_those_reached_from_a_source() {
        let graph = crate::testing::graph(GRAPH);
        let films = [iri("collateral"), iri("heat"), iri("taxi")];
        let by_mann = graph.reached_from(&films, &iri("mann"), &iri("directedBy"), false);
        assert_eq!(names(&by_mann.unwrap()), ["collateral", "heat"]);
        let actors = [iri("cruise"), iri("deniro"), iri("pacino")];
        let in_heat = graph.reached_from(&actors, &iri("heat"), &iri("stars"), true);
        assert_eq!(names(&in_heat.unwrap()), ["deniro", "pacino"]);
    }
}
