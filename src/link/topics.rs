//! Which links become topic entities: one group per constraint the question states.
//!
//! "Which players of Ajax are from Spain?" has two constraints, one per mention. The best link's
//! mention always constrains the question; so does every other mention that the text marks as one
//! (brackets, or free-text evidence of at least [`CONSTRAINT_EVIDENCE`]: words of two letters or
//! more that examples showed inside mentions, or never showed at all) or whose link is about as
//! confident as the best. Within one mention, the nodes it names that are about as confident as
//! its best (a label several nodes share) are alternatives of one constraint.

use std::ops::Range;

use oxigraph::model::NamedNode;

use super::Link;

/// Links at least this fraction as confident as the best of their mention (or as the best link
/// of the question) are topic entities.
pub const TOPIC_RATIO: f64 = 0.5;

/// The free-text evidence a mention other than the best needs to be a constraint of its own:
/// a word never seen in an example question, or one seen inside mentions, passes; a word that
/// examples showed around mentions ("players", "films", "error codes") does not.
pub const CONSTRAINT_EVIDENCE: f64 = 1.5;

/// A question's topic entities, grouped by constraint (mention), the best first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Topics {
    constraints: Vec<Vec<NamedNode>>,
    /// The byte range of each constraint's mention in the question.
    mentions: Vec<Range<usize>>,
}

impl Topics {
    /// Per constraint, the nodes its mention names (one, or several for a shared label).
    pub fn constraints(&self) -> &[Vec<NamedNode>] {
        &self.constraints
    }

    /// The byte range of each constraint's mention in the question, in constraint order.
    pub fn mentions(&self) -> &[Range<usize>] {
        &self.mentions
    }

    /// Every topic entity once, constraint by constraint.
    pub fn entities(&self) -> Vec<NamedNode> {
        let mut entities: Vec<NamedNode> = Vec::new();
        for node in self.constraints.iter().flatten() {
            if !entities.contains(node) {
                entities.push(node.clone());
            }
        }
        entities
    }

    /// The constraint `node` is a topic of (its first, if several).
    pub fn constraint_of(&self, node: &NamedNode) -> Option<usize> {
        self.constraints.iter().position(|c| c.contains(node))
    }

    /// Whether there is no topic entity.
    pub fn is_empty(&self) -> bool {
        self.constraints.is_empty()
    }
}

/// Whether `mention` is more than one letter: "s" in "who's the director of Heat" is a clitic,
/// whatever node a graph calls "s", and so is no constraint of its own unless confident.
fn is_word(mention: &str) -> bool {
    mention
        .chars()
        .filter(|c| c.is_alphanumeric())
        .nth(1)
        .is_some()
}

/// The topic entities of a question whose links are `links` (best first, as
/// [`super::Linker::link`] returns them).
pub fn topics(links: &[Link]) -> Topics {
    let Some(best) = links.first() else {
        return Topics::default();
    };
    let mut groups: Vec<(Range<usize>, f64, Vec<NamedNode>)> = Vec::new();
    for link in links {
        match groups.iter_mut().find(|(span, _, _)| *span == link.span) {
            Some((_, top, nodes)) => {
                if link.score >= TOPIC_RATIO * *top && !nodes.contains(&link.iri) {
                    nodes.push(link.iri.clone());
                }
            }
            None => {
                let confident = link.score >= TOPIC_RATIO * best.score;
                let marked = link.is_bracketed()
                    || (link.evidence() >= CONSTRAINT_EVIDENCE && is_word(&link.mention));
                if confident || marked {
                    groups.push((link.span.clone(), link.score, vec![link.iri.clone()]));
                }
            }
        }
    }
    let (mentions, constraints) = groups
        .into_iter()
        .map(|(span, _, nodes)| (span, nodes))
        .unzip();
    Topics {
        constraints,
        mentions,
    }
}
