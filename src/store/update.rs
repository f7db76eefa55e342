//! Graph updates while serving: triples to remove and to add, parsed from N-Triples by oxigraph
//! (never spliced into query text) and applied in one transaction.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use super::Graph;
use crate::store::{Result, StoreError};

/// Triples to remove and triples to add, applied together (removals first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphUpdate {
    /// Triples to remove (absent ones are ignored).
    pub remove: Vec<Triple>,
    /// Triples to add (present ones are ignored).
    pub add: Vec<Triple>,
}

/// What an update changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct UpdateReport {
    /// Triples that were absent and are now present.
    pub added: u64,
    /// Triples that were present and are now absent.
    pub removed: u64,
}

impl GraphUpdate {
    /// Parses two N-Triples documents, `add` and `remove`. Only IRIs and literals are accepted
    /// (blank nodes would name different nodes in every request), and literals without control
    /// characters other than tabs and line breaks (a NUL or an escape sequence in a label would
    /// reach every reader of the graph).
    ///
    /// ```
    /// use kgqa::store::GraphUpdate;
    /// let update = GraphUpdate::from_ntriples(
    ///     "<http://ex.org/a> <http://ex.org/r> <http://ex.org/b> .",
    ///     "",
    /// )?;
    /// assert_eq!(update.add.len(), 1);
    /// assert!(GraphUpdate::from_ntriples("<a> <b> <c> .", "").is_err()); // not absolute IRIs
    /// # Ok::<(), kgqa::Error>(())
    /// ```
    pub fn from_ntriples(add: &str, remove: &str) -> Result<Self> {
        Ok(Self {
            add: parse_ntriples("add", add)?,
            remove: parse_ntriples("remove", remove)?,
        })
    }

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }

    /// The IRIs that are the subject of some triple of the update: the nodes whose labels (and
    /// so entity links) it may change.
    pub fn subjects(&self) -> Vec<NamedNode> {
        let mut subjects: Vec<NamedNode> = self
            .remove
            .iter()
            .chain(&self.add)
            .filter_map(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(node) => Some(node.clone()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        subjects.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        subjects.dedup();
        subjects
    }
}

fn parse_ntriples(field: &str, text: &str) -> Result<Vec<Triple>> {
    RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(text.as_bytes())
        .map(|quad| {
            let quad = quad.map_err(|e| StoreError::invalid(field, e.to_string()))?;
            let triple = Triple::from(quad);
            let blank = matches!(triple.subject, NamedOrBlankNode::BlankNode(_))
                || !matches!(triple.object, Term::NamedNode(_) | Term::Literal(_));
            if blank {
                return Err(StoreError::invalid(
                    field,
                    format!("{triple}: only IRIs and literals are accepted, not blank nodes"),
                ));
            }
            if let Some(c) = control_character(&triple.object) {
                return Err(StoreError::invalid(
                    field,
                    format!(
                        "{triple}: the literal holds the control character U+{:04X} (only tabs and \
                         line breaks are accepted)",
                        u32::from(c)
                    ),
                ));
            }
            Ok(triple)
        })
        .collect()
}

/// The first control character other than a tab or a line break in `term`, if it is a literal.
fn control_character(term: &Term) -> Option<char> {
    let Term::Literal(literal) = term else {
        return None;
    };
    literal
        .value()
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

impl Graph {
    /// Applies `update` in one transaction: removals, then additions. Readers see all of it or
    /// none of it; on error nothing is written. A remote endpoint is not updated this way (an
    /// error says so): its engine has its own tools, and `kgqa ingest` loads into it.
    pub fn apply(&self, update: &GraphUpdate) -> Result<UpdateReport> {
        let store = match self.backend() {
            super::Backend::Embedded { store, .. } => store,
            super::Backend::Remote(client) => {
                return Err(StoreError::invalid(
                    "graph update",
                    format!(
                        "updates while serving are applied to the embedded store only; update {} \
                         with its own tools (or `kgqa ingest`)",
                        client.endpoint()
                    ),
                ))
            }
        };
        let mut transaction = store.start_transaction()?;
        let mut report = UpdateReport::default();
        let to_quad = |t: &Triple| {
            Quad::new(
                t.subject.clone(),
                t.predicate.clone(),
                t.object.clone(),
                GraphName::DefaultGraph,
            )
        };
        for triple in &update.remove {
            let quad = to_quad(triple);
            if transaction.contains(&quad)? {
                transaction.remove(&quad);
                report.removed += 1;
            }
        }
        for triple in &update.add {
            let quad = to_quad(triple);
            if !transaction.contains(&quad)? {
                transaction.insert(&quad);
                report.added += 1;
            }
        }
        transaction.commit()?;
        let touched: Vec<&NamedNode> = update
            .remove
            .iter()
            .chain(&update.add)
            .flat_map(|t| {
                let subject = match &t.subject {
                    NamedOrBlankNode::NamedNode(node) => Some(node),
                    NamedOrBlankNode::BlankNode(_) => None,
                };
                let object = match &t.object {
                    Term::NamedNode(node) => Some(node),
                    _ => None,
                };
                subject.into_iter().chain(object)
            })
            .collect();
        self.forget_edges(&touched);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A_KNOWS_B: &str = "<http://ex.org/a> <http://ex.org/knows> <http://ex.org/b> .";

    #[test]
    fn degrees_counted_before_an_update_are_counted_again_after_it() {
        let graph = crate::testing::graph("ex:a ex:knows ex:b .");
        let (a, c) = (
            NamedNode::new("http://ex.org/a").unwrap(),
            NamedNode::new("http://ex.org/c").unwrap(),
        );
        let degrees = |graph: &Graph| graph.degrees(&[a.clone(), c.clone()]).unwrap();
        assert_eq!(degrees(&graph).get(&a), Some(&1));
        assert_eq!(degrees(&graph).get(&c), None);
        let add = "<http://ex.org/a> <http://ex.org/knows> <http://ex.org/c> .";
        graph
            .apply(&GraphUpdate::from_ntriples(add, "").unwrap())
            .unwrap();
        assert_eq!(degrees(&graph).get(&a), Some(&2));
        assert_eq!(degrees(&graph).get(&c), Some(&1));
        graph
            .apply(&GraphUpdate::from_ntriples("", A_KNOWS_B).unwrap())
            .unwrap();
        assert_eq!(degrees(&graph).get(&a), Some(&1));
    }

    #[test]
    fn edges_read_before_an_update_or_ingest_are_read_again_after_it() {
        let graph = crate::testing::graph("ex:a ex:knows ex:b .");
        let node = |name: &str| NamedNode::new(format!("http://ex.org/{name}")).unwrap();
        let others = |graph: &Graph, name: &str| -> Vec<String> {
            let edges = graph.neighbors(&[node(name)]).unwrap();
            let mut others: Vec<String> = edges
                .into_iter()
                .map(|(_, e)| e.other.into_string())
                .collect();
            others.sort();
            others
        };
        // Read twice: the second time from memory.
        assert_eq!(others(&graph, "a"), [node("b").into_string()]);
        assert_eq!(others(&graph, "a"), [node("b").into_string()]);
        assert!(others(&graph, "c").is_empty());
        let add = "<http://ex.org/a> <http://ex.org/knows> <http://ex.org/c> .";
        graph
            .apply(&GraphUpdate::from_ntriples(add, "").unwrap())
            .unwrap();
        assert_eq!(
            others(&graph, "a"),
            [node("b").into_string(), node("c").into_string()]
        );
        assert_eq!(others(&graph, "c"), [node("a").into_string()]);
        graph
            .apply(&GraphUpdate::from_ntriples("", A_KNOWS_B).unwrap())
            .unwrap();
        assert_eq!(others(&graph, "a"), [node("c").into_string()]);
        assert!(others(&graph, "b").is_empty());
        let file = tempfile::NamedTempFile::with_suffix(".nt").unwrap();
        std::fs::write(
            file.path(),
            "<http://ex.org/b> <http://ex.org/knows> <http://ex.org/d> .\n",
        )
        .unwrap();
        crate::store::ingest(&graph, file.path(), &Default::default(), &|_| {}).unwrap();
        assert_eq!(others(&graph, "b"), [node("d").into_string()]);
    }

    #[test]
    fn adds_and_removes_in_one_transaction_counting_real_changes() {
        let graph = crate::testing::graph("ex:a ex:knows ex:b . ex:b rdfs:label \"Bee\" .");
        let before = graph.triple_count().unwrap();
        let update = GraphUpdate::from_ntriples(
            "<http://ex.org/a> <http://ex.org/knows> <http://ex.org/c> .\n\
             <http://ex.org/c> <http://www.w3.org/2000/01/rdf-schema#label> \"Sea\"@en .\n\
             <http://ex.org/c> <http://www.w3.org/2000/01/rdf-schema#label> \"Sea\"@en .",
            &format!("{A_KNOWS_B}\n<http://ex.org/x> <http://ex.org/y> \"absent\" ."),
        )
        .unwrap();
        let report = graph.apply(&update).unwrap();
        assert_eq!(
            report,
            UpdateReport {
                added: 2,
                removed: 1
            }
        );
        assert_eq!(graph.triple_count().unwrap(), before + 1);
        assert_eq!(
            update.subjects(),
            ["http://ex.org/a", "http://ex.org/c", "http://ex.org/x"]
                .map(|s| NamedNode::new(s).unwrap())
        );
        // Applying it again changes nothing.
        assert_eq!(graph.apply(&update).unwrap(), UpdateReport::default());
    }

    #[test]
    fn rejects_malformed_text_blank_nodes_and_relative_iris() {
        for (add, field) in [
            ("<http://ex.org/a> <http://ex.org/r> .", "add"),
            ("_:b <http://ex.org/r> <http://ex.org/a> .", "add"),
            ("<http://ex.org/a> <http://ex.org/r> _:b .", "add"),
            ("<a> <b> <c> .", "add"),
            (
                "<http://ex.org/a> <http://ex.org/r> \"x\" . } ; DROP ALL ; {",
                "add",
            ),
        ] {
            let err = GraphUpdate::from_ntriples(add, "").unwrap_err();
            assert!(err.to_string().starts_with(field), "{add}: {err}");
        }
        for nul in [
            "<http://ex.org/a> <http://ex.org/r> \"x\\u0000y\" .",
            "<http://ex.org/a> <http://ex.org/r> \"\\u001B[31mred\"@en .",
        ] {
            let err = GraphUpdate::from_ntriples(nul, "").unwrap_err().to_string();
            assert!(
                err.starts_with("add: ") && err.contains("control character U+00"),
                "{err}"
            );
        }
        let tabs = "<http://ex.org/a> <http://ex.org/r> \"two\\tcolumns\\non two lines\" .";
        assert_eq!(GraphUpdate::from_ntriples(tabs, "").unwrap().add.len(), 1);
        let err = GraphUpdate::from_ntriples("", "garbage").unwrap_err();
        assert!(err.to_string().starts_with("remove"), "{err}");
        assert!(GraphUpdate::from_ntriples("", "").unwrap().is_empty());
    }
}
