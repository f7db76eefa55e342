//! Relation paths: relations each followed forwards or backwards from a topic entity, and the
//! stable names they give question types (`directed_by>^directed_by`).

use oxigraph::model::NamedNode;

use crate::text::local_name;

/// One hop: a relation, followed forwards (subject to object) or backwards.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Step {
    /// The relation (predicate) IRI.
    pub relation: NamedNode,
    /// True to go from subject to object, false from object to subject.
    pub forward: bool,
}

impl Step {
    /// The step's name: the relation's local name, with `^` before it when followed backwards.
    ///
    /// ```
    /// use kgqa::synth::Step;
    /// let step = Step { relation: oxigraph::model::NamedNode::new("http://x/r/directed_by").unwrap(), forward: false };
    /// assert_eq!(step.name(), "^directed_by");
    /// ```
    pub fn name(&self) -> String {
        let name: String = local_name(self.relation.as_str())
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if self.forward {
            name
        } else {
            format!("^{name}")
        }
    }

    /// Whether this step goes back along `previous` (the same relation, forwards then
    /// backwards): the two reach the nodes that share a neighbour with the start.
    pub fn shares_after(&self, previous: &Step) -> bool {
        previous.forward && !self.forward && previous.relation == self.relation
    }

    /// Whether this step goes on along `previous` after coming back along it (the same relation,
    /// backwards then forwards): the two reach the nodes that occur together with the start
    /// (the co-stars of an actor).
    pub fn joins_after(&self, previous: &Step) -> bool {
        !previous.forward && self.forward && previous.relation == self.relation
    }
}

/// A relation path of one or more steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationPath {
    /// The steps, from the topic entity outwards.
    pub steps: Vec<Step>,
}

impl RelationPath {
    /// The number of hops.
    pub fn hops(&self) -> usize {
        self.steps.len()
    }

    /// The path's name: its steps' names joined by `>` (`directed_by>^directed_by`).
    pub fn name(&self) -> String {
        let names: Vec<String> = self.steps.iter().map(Step::name).collect();
        names.join(">")
    }
}

/// A topic entity and the relation path from it to the answers: one constraint of a question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Constraint {
    /// Where the path starts.
    pub topic: NamedNode,
    /// The path.
    pub path: RelationPath,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(iri: &str, forward: bool) -> Step {
        Step {
            relation: NamedNode::new(iri).unwrap(),
            forward,
        }
    }

    #[test]
    fn names_mark_inverse_steps_and_stay_one_field() {
        let path = RelationPath {
            steps: vec![
                step("http://x/r/directed_by", true),
                step("http://x/r/directed_by", false),
                step("http://x/ns#has%20part%7Cx", true),
            ],
        };
        assert_eq!(path.name(), "directed_by>^directed_by>has_part_x");
        assert_eq!(path.hops(), 3);
        assert!(path.steps[1].shares_after(&path.steps[0]));
        assert!(!path.steps[2].shares_after(&path.steps[1]));
        assert!(!path.steps[1].joins_after(&path.steps[0]));
        let back = [step("http://x/r/s", false), step("http://x/r/s", true)];
        assert!(back[1].joins_after(&back[0]) && !back[1].shares_after(&back[0]));
    }
}
