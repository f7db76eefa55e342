//! Sampling a relation path from a topic entity: a seeded random walk over the graph's edges
//! (`neighbors.rq`), choosing at each node one of its relations and directions, then one node
//! reached by it.

use std::collections::BTreeMap;

use oxigraph::model::NamedNode;
use rand::rngs::StdRng;
use rand::Rng;

use super::path::{RelationPath, Step};
use crate::error::Result;
use crate::store::Graph;

/// A path of `hops` steps walked from `topic`, or `None` when the walk reaches a node without
/// edges. Each step is drawn uniformly from the relations and directions of the current node,
/// whatever their number of edges, so rare relations are asked about as often as common ones.
pub fn walk(
    graph: &Graph,
    topic: &NamedNode,
    hops: usize,
    rng: &mut StdRng,
) -> Result<Option<RelationPath>> {
    let mut node = topic.clone();
    let mut steps = Vec::with_capacity(hops);
    for _ in 0..hops {
        let choices = steps_from(graph, &node)?;
        if choices.is_empty() {
            return Ok(None);
        }
        let pick = rng.gen_range(0..choices.len());
        let Some((step, others)) = choices.into_iter().nth(pick) else {
            return Ok(None);
        };
        node = others[rng.gen_range(0..others.len())].clone();
        steps.push(step);
    }
    Ok(Some(RelationPath { steps }))
}

/// The steps leaving `node` (each relation and direction), with the nodes each reaches, sorted.
pub fn steps_from(graph: &Graph, node: &NamedNode) -> Result<BTreeMap<Step, Vec<NamedNode>>> {
    let mut steps: BTreeMap<Step, Vec<NamedNode>> = BTreeMap::new();
    for (_, edge) in graph.neighbors(std::slice::from_ref(node))? {
        let step = Step {
            relation: edge.relation,
            forward: edge.outgoing,
        };
        steps.entry(step).or_default().push(edge.other);
    }
    for others in steps.values_mut() {
        others.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        others.dedup();
    }
    Ok(steps)
}
