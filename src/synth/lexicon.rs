//! What synthesis names things by: each entity's unambiguous labels and each relation's phrase.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::NamedNode;

use super::phrase::Phrase;
use crate::error::Result;
use crate::store::Graph;
use crate::text::{normalize, relation_text};

/// The labels by which one entity can be named in a question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurfaceForms {
    /// Its `rdfs:label`s, sorted.
    pub preferred: Vec<String>,
    /// Its `skos:altLabel`s, sorted.
    pub alternative: Vec<String>,
}

/// Entity names and relation phrases, read once from the graph.
#[derive(Debug, Clone)]
pub struct Lexicon {
    topics: Vec<NamedNode>,
    forms: HashMap<NamedNode, SurfaceForms>,
    phrases: HashMap<NamedNode, Phrase>,
}

impl Lexicon {
    /// Reads every entity's labels (`labels.rq`) and every relation's text (`relation_labels.rq`).
    ///
    /// A label names its entity in a question only when no other entity has a label with the same
    /// normalized key (the question would be ambiguous); entities left with no such label are
    /// never topics.
    pub fn read(graph: &Graph) -> Result<Self> {
        let mut by_node: BTreeMap<String, SurfaceForms> = BTreeMap::new();
        let mut owners: HashMap<String, Option<String>> = HashMap::new();
        for row in graph.labels()? {
            let label = row.label.split_whitespace().collect::<Vec<_>>().join(" ");
            let key = normalize(&label);
            if key.is_empty() {
                continue;
            }
            let node = row.node.into_string();
            owners
                .entry(key)
                .and_modify(|owner| {
                    if owner.as_deref() != Some(node.as_str()) {
                        *owner = None;
                    }
                })
                .or_insert_with(|| Some(node.clone()));
            let forms = by_node.entry(node).or_default();
            let list = if row.alternative {
                &mut forms.alternative
            } else {
                &mut forms.preferred
            };
            list.push(label);
        }
        let unique = |node: &str, label: &String| {
            owners.get(&normalize(label)).and_then(Option::as_deref) == Some(node)
        };
        let mut forms = HashMap::new();
        let mut topics = Vec::new();
        for (node, mut f) in by_node {
            f.preferred.retain(|l| unique(&node, l));
            f.alternative.retain(|l| unique(&node, l));
            for list in [&mut f.preferred, &mut f.alternative] {
                list.sort();
                list.dedup();
            }
            if f.preferred.is_empty() && f.alternative.is_empty() {
                continue;
            }
            let node = NamedNode::new_unchecked(node);
            topics.push(node.clone());
            forms.insert(node, f);
        }
        let phrases = graph
            .relation_texts()?
            .into_iter()
            .map(|r| (r.relation, Phrase::new(&r.text)))
            .collect();
        Ok(Self {
            topics,
            forms,
            phrases,
        })
    }

    /// The entities that can be topics (with at least one unambiguous label), sorted by IRI.
    pub fn topics(&self) -> &[NamedNode] {
        &self.topics
    }

    /// The unambiguous labels of `node`, if it can be a topic.
    pub fn forms(&self, node: &NamedNode) -> Option<&SurfaceForms> {
        self.forms.get(node)
    }

    /// How many relations have a phrase.
    pub fn relations(&self) -> usize {
        self.phrases.len()
    }

    /// The phrase of `relation` (read from its IRI if the graph did not list it).
    pub fn phrase(&self, relation: &NamedNode) -> Phrase {
        self.phrases
            .get(relation)
            .cloned()
            .unwrap_or_else(|| Phrase::new(&relation_text(relation.as_str(), None)))
    }
}
