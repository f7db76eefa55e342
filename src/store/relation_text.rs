//! The text each relation is known by, read from its `rdfs:label` through `relation_labels.rq`.

use oxigraph::model::NamedNode;

use super::{literal, named, Graph, QueryName};
use crate::error::Result;
use crate::text::{inverse_relation_text, relation_text};

/// A relation of the graph and the texts it is known by in each direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationText {
    /// The relation (predicate) IRI.
    pub relation: NamedNode,
    /// Its `rdfs:label`, when the graph has one (an English or untagged one preferred).
    pub label: Option<String>,
    /// The text of the relation followed forwards (see [`crate::text::relation_text`]).
    pub text: String,
    /// The text of the relation followed backwards (see [`crate::text::inverse_relation_text`]).
    pub inverse: String,
}

impl Graph {
    /// Every relation between entities with its texts, sorted by IRI.
    pub fn relation_texts(&self) -> Result<Vec<RelationText>> {
        let rows = self.select(QueryName::RelationLabels, &[])?;
        let mut best: Vec<(NamedNode, Option<(bool, String)>)> = Vec::new();
        for row in &rows {
            let Some(relation) = named(row.get("relation")) else {
                continue;
            };
            let candidate = literal(row.get("label")).map(|label| {
                let lang = literal(row.get("lang")).unwrap_or_default();
                (!(lang.is_empty() || lang.starts_with("en")), label)
            });
            match best.iter_mut().find(|(r, _)| *r == relation) {
                Some((_, current)) => {
                    if candidate.is_some() && (current.is_none() || candidate < *current) {
                        *current = candidate;
                    }
                }
                None => best.push((relation, candidate)),
            }
        }
        best.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        Ok(best
            .into_iter()
            .map(|(relation, label)| {
                let label = label.map(|(_, label)| label);
                let text = relation_text(relation.as_str(), label.as_deref());
                let inverse = inverse_relation_text(&text);
                RelationText {
                    relation,
                    label,
                    text,
                    inverse,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_where_given_local_names_elsewhere() {
        let graph = crate::testing::graph(
            "ex:a ex:partOfFamily ex:f ; ex:has_part ex:p ; ex:note \"text\" .
             ex:partOfFamily rdfs:label \"Teil der Familie\"@de, \"part of family\"@en .",
        );
        let texts = graph.relation_texts().unwrap();
        let pairs: Vec<(&str, &str, &str)> = texts
            .iter()
            .map(|t| (t.relation.as_str(), t.text.as_str(), t.inverse.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("http://ex.org/has_part", "has part", "part of"),
                (
                    "http://ex.org/partOfFamily",
                    "part of family",
                    "part of family of"
                ),
            ]
        );
        assert_eq!(texts[0].label, None);
        assert_eq!(texts[1].label.as_deref(), Some("part of family"));
    }
}
