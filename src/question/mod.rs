//! Questions: the text a user asks, and the gold annotations that question files carry.

mod file;
mod split;

pub use file::{read_questions, QuestionFormat, TSV_HEADER};
pub use split::{Part, QuestionSource, SplitSpec};

use oxigraph::model::NamedNode;

/// A gold entity as a question file names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GoldEntity {
    /// Named by IRI (kgqa's own question files).
    Iri(NamedNode),
    /// Named by its label (MetaQA, PathQuestion); resolved through the graph's labels.
    Name(String),
}

impl GoldEntity {
    /// The IRI or name, for messages.
    pub fn as_str(&self) -> &str {
        match self {
            GoldEntity::Iri(iri) => iri.as_str(),
            GoldEntity::Name(name) => name,
        }
    }
}

/// A question with its gold annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question as written in its file (MetaQA's `[bracket]` markup included).
    pub text: String,
    /// The gold topic entities, one per constraint (`iri1|iri2` in kgqa's TSV: "which films
    /// directed by X star Y" has two); empty when the file gives none.
    pub topics: Vec<GoldEntity>,
    /// The gold answers.
    pub answers: Vec<GoldEntity>,
    /// The length of the relation path from topic to answers, when known.
    pub hops: Option<u8>,
    /// The question type (e.g. MetaQA's `movie_to_director`), when known.
    pub qtype: Option<String>,
    /// 1-based line of the question in its file.
    pub line: u64,
}

impl Question {
    /// A question with no annotations.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            topics: Vec::new(),
            answers: Vec::new(),
            hops: None,
            qtype: None,
            line: 0,
        }
    }

    /// The text with MetaQA's brackets removed, as a user would type it.
    pub fn without_brackets(&self) -> String {
        strip_brackets(&self.text)
    }
}

/// Removes `[` and `]` markup from `text`.
///
/// ```
/// assert_eq!(kgqa::question::strip_brackets("who directed [Heat]"), "who directed Heat");
/// ```
pub fn strip_brackets(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '[' | ']')).collect()
}
