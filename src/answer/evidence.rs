//! Evidence: the triple paths in the subgraph from a topic entity to an answer, or, for a
//! question with several constraints, one path from each constraint's topics.

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

/// The longest cycle that explains a topic entity as its own answer.
const MAX_CYCLE: usize = 4;

/// Edges a cycle search may look at, so that a topic entity with thousands of edges stays quick.
const CYCLE_SEARCH_BUDGET: usize = 100_000;

/// A search for cycles through `start` of `length` edges.
struct Walk<'b> {
    start: LocalId,
    length: usize,
    limit: usize,
    budget: &'b mut usize,
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

    /// The same paths as edge indices, in walking order from the topic. An answer that is itself
    /// a topic entity (with `[retrieve] topic_answers`) is explained by the shortest cycles
    /// through it: "the child of X's parent" is X by `X parent Y, Y child X`.
    pub fn edge_paths(&self, answer: LocalId, limit: usize) -> Vec<Vec<usize>> {
        if self.subgraph.distances()[answer as usize] == 0 {
            return self.cycles(answer, limit);
        }
        self.shortest_paths(self.subgraph.distances(), answer, limit)
    }

    /// For each constraint (the subgraph ids of its topic entities), one shortest path from its
    /// topics to `answer`, as edge indices in walking order; a constraint that does not reach
    /// the answer gives none. With one constraint, [`EvidenceIndex::edge_paths`].
    pub fn constraint_paths(
        &self,
        answer: LocalId,
        constraints: &[Vec<LocalId>],
        limit: usize,
    ) -> Vec<Vec<usize>> {
        if constraints.len() < 2 {
            return self.edge_paths(answer, limit);
        }
        constraints
            .iter()
            .filter_map(|topics| {
                if topics.contains(&answer) {
                    return None;
                }
                let distances = self.distances_from(topics);
                self.shortest_paths(&distances, answer, 1)
                    .into_iter()
                    .next()
            })
            .collect()
    }

    /// Up to `limit` shortest paths to `answer` from the nodes at distance 0 of `distances`.
    fn shortest_paths(&self, distances: &[u8], answer: LocalId, limit: usize) -> Vec<Vec<usize>> {
        if distances[answer as usize] == u8::MAX {
            return Vec::new();
        }
        let mut paths = Vec::new();
        self.walk_back(distances, answer, limit, &mut Vec::new(), &mut paths);
        for path in &mut paths {
            path.reverse();
        }
        paths
    }

    /// Hops from the nearest of `sources` to every node over the subgraph's edges (either
    /// direction), `u8::MAX` where unreached.
    fn distances_from(&self, sources: &[LocalId]) -> Vec<u8> {
        let mut distances = vec![u8::MAX; self.edges_of.len()];
        let mut frontier: Vec<LocalId> = Vec::new();
        for &source in sources {
            distances[source as usize] = 0;
            frontier.push(source);
        }
        let mut hops = 0u8;
        while !frontier.is_empty() && hops < u8::MAX - 1 {
            hops += 1;
            let mut next = Vec::new();
            for node in frontier {
                for &index in &self.edges_of[node as usize] {
                    let edge = self.subgraph.edges()[index];
                    let other = if edge.source == node {
                        edge.target
                    } else {
                        edge.source
                    };
                    if distances[other as usize] == u8::MAX {
                        distances[other as usize] = hops;
                        next.push(other);
                    }
                }
            }
            frontier = next;
        }
        distances
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

    /// Up to `limit` shortest cycles through `topic`, each walked once (not also backwards), the
    /// walks that leave `topic` as a subject first.
    fn cycles(&self, topic: LocalId, limit: usize) -> Vec<Vec<usize>> {
        let mut budget = CYCLE_SEARCH_BUDGET;
        let mut walks = Vec::new();
        for length in 2..=MAX_CYCLE {
            let mut walk = Walk {
                start: topic,
                length,
                // Every cycle is found both ways round.
                limit: 2 * limit,
                budget: &mut budget,
            };
            self.walk_cycle(&mut walk, topic, &mut Vec::new(), &mut walks);
            if !walks.is_empty() {
                break;
            }
        }
        walks.sort_by_key(|walk| self.subgraph.edges()[walk[0]].source != topic);
        let mut seen = std::collections::HashSet::new();
        walks.retain(|walk| {
            let mut edges = walk.clone();
            edges.sort_unstable();
            seen.insert(edges)
        });
        walks.truncate(limit);
        walks
    }

    /// Depth-first from `node` along unused edges through nodes not yet on the path, keeping the
    /// walks that come back to `walk.start` after exactly `walk.length` edges.
    fn walk_cycle(
        &self,
        walk: &mut Walk<'_>,
        node: LocalId,
        path: &mut Vec<usize>,
        paths: &mut Vec<Vec<usize>>,
    ) {
        for &index in &self.edges_of[node as usize] {
            if paths.len() >= walk.limit || *walk.budget == 0 {
                return;
            }
            *walk.budget -= 1;
            if path.contains(&index) {
                continue;
            }
            let edge = self.subgraph.edges()[index];
            let next = if edge.source == node {
                edge.target
            } else {
                edge.source
            };
            let last = path.len() + 1 == walk.length;
            if last != (next == walk.start) || (!last && self.on_path(path, next, walk.start)) {
                continue;
            }
            path.push(index);
            if last {
                paths.push(path.clone());
            } else {
                self.walk_cycle(walk, next, path, paths);
            }
            path.pop();
        }
    }

    /// Whether `node` is `start` or an end of an edge of `path`.
    fn on_path(&self, path: &[usize], node: LocalId, start: LocalId) -> bool {
        node == start
            || path.iter().any(|&index| {
                let edge = self.subgraph.edges()[index];
                edge.source == node || edge.target == node
            })
    }

    /// Depth-first from `node` towards distance 0 of `distances`, along edges to nodes one hop
    /// closer.
    fn walk_back(
        &self,
        distances: &[u8],
        node: LocalId,
        limit: usize,
        path: &mut Vec<usize>,
        paths: &mut Vec<Vec<usize>>,
    ) {
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
            if distances[previous as usize].checked_add(1) == Some(distance) {
                path.push(index);
                self.walk_back(distances, previous, limit, path, paths);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retrieve::{RetrieveConfig, Retriever};

    fn node(name: &str) -> NamedNode {
        NamedNode::new(format!("http://ex.org/{name}")).unwrap()
    }

    /// The subgraph of `turtle` around `topic`, with topic entities as candidates or not.
    fn subgraph(turtle: &str, topic: &str, topic_answers: bool) -> Subgraph {
        let config = RetrieveConfig {
            topic_answers,
            ..RetrieveConfig::default()
        };
        let retriever = Retriever::new(crate::testing::graph(turtle), config).unwrap();
        retriever.retrieve(&[node(topic)]).unwrap()
    }

    /// The evidence paths for `answer` as sorted "s r o, s r o" lines.
    fn walked(subgraph: &Subgraph, answer: &str, limit: usize) -> Vec<String> {
        let name = |n: &NamedNode| n.as_str().trim_start_matches("http://ex.org/").to_owned();
        let answer = subgraph.id(&node(answer)).unwrap();
        let mut walked: Vec<String> = EvidenceIndex::new(subgraph)
            .paths(answer, limit, &name)
            .iter()
            .map(|p| {
                p.iter()
                    .map(|t| format!("{} {} {}", t.subject, t.relation, t.object))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        walked.sort();
        walked
    }

    #[test]
    fn paths_walk_from_the_topic_keeping_triple_directions() {
        let subgraph = subgraph(
            "ex:a ex:r ex:b . ex:c ex:s ex:b . ex:a ex:t ex:d . ex:d ex:u ex:c .",
            "a",
            false,
        );
        assert_eq!(walked(&subgraph, "c", 3), ["a r b, c s b", "a t d, d u c"]);
        assert_eq!(walked(&subgraph, "c", 1).len(), 1);
    }

    #[test]
    fn a_topic_answer_is_explained_by_the_shortest_cycles_through_it() {
        let two_and_three = subgraph(
            "ex:x ex:parent ex:y . ex:y ex:child ex:x . ex:y ex:child ex:z . \
             ex:x ex:spouse ex:w . ex:w ex:child ex:v . ex:v ex:parent ex:x .",
            "x",
            true,
        );
        // The two-edge cycle, once, from x as a subject; the three-edge one is longer.
        assert_eq!(walked(&two_and_three, "x", 5), ["x parent y, y child x"]);
        let three = subgraph(
            "ex:x ex:spouse ex:w . ex:w ex:child ex:v . ex:v ex:parent ex:x . ex:w ex:child ex:u .",
            "x",
            true,
        );
        assert_eq!(
            walked(&three, "x", 5),
            ["x spouse w, w child v, v parent x"]
        );
    }

    #[test]
    fn a_two_constraint_answer_shows_one_path_from_each_topic() {
        let graph = crate::testing::graph(
            "ex:a ex:r ex:x . ex:b ex:s ex:x . ex:a ex:r ex:y . ex:b ex:t ex:c . ex:c ex:u ex:y .",
        );
        let retriever = Retriever::new(graph, RetrieveConfig::default()).unwrap();
        let subgraph = retriever.retrieve(&[node("a"), node("b")]).unwrap();
        let id = |name: &str| subgraph.id(&node(name)).unwrap();
        let index = EvidenceIndex::new(&subgraph);
        let lines = |answer: &str| -> Vec<String> {
            index
                .constraint_paths(id(answer), &[vec![id("a")], vec![id("b")]], 3)
                .iter()
                .map(|path| {
                    path.iter()
                        .map(|&e| {
                            let [s, r, o] = index.terms(e);
                            [s, r, o]
                                .map(|t| t.as_str().trim_start_matches("http://ex.org/"))
                                .join(" ")
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect()
        };
        assert_eq!(lines("x"), ["a r x", "b s x"]);
        // y is one hop from a and two from b (through c): each topic's own shortest path.
        assert_eq!(lines("y"), ["a r y", "b t c, c u y"]);
    }
}
