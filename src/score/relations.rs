//! The texts the model knows a graph's relations by. A model has no relation vocabulary of its
//! own: it reads each relation's text (and the text of its inverse), so it scores over any graph,
//! including relations it never saw in training or that an update added after it was loaded.

use std::collections::HashMap;
use std::sync::Arc;

use oxigraph::model::NamedNode;

use crate::error::Result;
use crate::store::{Graph, RelationText};
use crate::text::{inverse_relation_text, relation_text};

/// A relation's text followed forwards and backwards (cheap to clone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectedTexts {
    /// The text of the relation from subject to object (`directed by`).
    pub forward: Arc<str>,
    /// The text of the relation from object to subject (`directed`).
    pub inverse: Arc<str>,
}

impl DirectedTexts {
    /// The texts of `relation` with its label (or without one: from its IRI).
    pub fn of(relation: &NamedNode, label: Option<&str>) -> Self {
        let forward = relation_text(relation.as_str(), label);
        let inverse = inverse_relation_text(&forward);
        Self {
            forward: forward.into(),
            inverse: inverse.into(),
        }
    }

    /// The text of one direction: 0 forwards, 1 backwards.
    pub fn direction(&self, direction: usize) -> &Arc<str> {
        if direction == 0 {
            &self.forward
        } else {
            &self.inverse
        }
    }
}

/// The texts of a graph's relations, read once from its labels. A relation the table does not
/// hold (added to the graph later) is known by the words of its IRI.
#[derive(Debug, Clone, Default)]
pub struct RelationTexts {
    texts: HashMap<NamedNode, DirectedTexts>,
}

impl RelationTexts {
    /// The texts of every relation of `graph` (see [`Graph::relation_texts`]).
    pub fn from_graph(graph: &Graph) -> Result<Self> {
        Ok(Self::from_rows(graph.relation_texts()?))
    }

    /// A table of the given relation texts.
    pub fn from_rows(rows: Vec<RelationText>) -> Self {
        let texts = rows
            .into_iter()
            .map(|row| {
                let texts = DirectedTexts {
                    forward: row.text.into(),
                    inverse: row.inverse.into(),
                };
                (row.relation, texts)
            })
            .collect();
        Self { texts }
    }

    /// The texts of `relation`: its label's, or its IRI's words when the table lacks it.
    pub fn get(&self, relation: &NamedNode) -> DirectedTexts {
        self.texts
            .get(relation)
            .cloned()
            .unwrap_or_else(|| DirectedTexts::of(relation, None))
    }

    /// Relations in the table.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Re-reads the labels of those of `nodes` that are relations of the table (after an update
    /// that touched them): work in proportion to the update, not the graph.
    pub fn refresh(&mut self, graph: &Graph, nodes: &[NamedNode]) -> Result<()> {
        let relations: Vec<NamedNode> = nodes
            .iter()
            .filter(|n| self.texts.contains_key(*n))
            .cloned()
            .collect();
        if relations.is_empty() {
            return Ok(());
        }
        let labels = graph.preferred_labels(&relations)?;
        for relation in relations {
            let texts = DirectedTexts::of(&relation, labels.get(&relation).map(String::as_str));
            self.texts.insert(relation, texts);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_are_known_by_their_labels_and_new_ones_by_their_iri() {
        let graph = crate::testing::graph(
            "ex:a ex:dir ex:b . ex:dir rdfs:label \"directed by\" . ex:a ex:hasPart ex:c .",
        );
        let mut texts = RelationTexts::from_graph(&graph).unwrap();
        let dir = NamedNode::new("http://ex.org/dir").unwrap();
        assert_eq!(&*texts.get(&dir).forward, "directed by");
        assert_eq!(&*texts.get(&dir).inverse, "directed");
        let unseen = NamedNode::new("http://ex.org/plays_in_club").unwrap();
        assert_eq!(&*texts.get(&unseen).forward, "plays in club");
        let update = crate::store::GraphUpdate::from_ntriples(
            "<http://ex.org/dir> <http://www.w3.org/2000/01/rdf-schema#label> \"made by\" .",
            "<http://ex.org/dir> <http://www.w3.org/2000/01/rdf-schema#label> \"directed by\" .",
        )
        .unwrap();
        graph.apply(&update).unwrap();
        texts.refresh(&graph, &update.subjects()).unwrap();
        assert_eq!(&*texts.get(&dir).forward, "made by");
    }
}
