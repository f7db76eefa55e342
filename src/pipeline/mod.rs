//! The question-answering pipeline up to scoring: link the question, then retrieve the subgraph
//! around its topic entities; and the question's gold annotations resolved against both.

mod gold;

use std::time::{Duration, Instant};

use oxigraph::model::NamedNode;

pub use gold::Gold;

use crate::config::Settings;
use crate::error::Result;
use crate::link::{topics, Link, Linker, Topics};
use crate::question::Question;
use crate::retrieve::{Retriever, Subgraph};
use crate::store::Graph;

/// What the pipeline found for one question.
#[derive(Debug, Clone)]
pub struct Retrieval {
    /// All links, best first.
    pub links: Vec<Link>,
    /// The topic entities retrieval started from, grouped by the constraint they stand for.
    pub topics: Topics,
    /// The retrieved subgraph.
    pub subgraph: Subgraph,
    /// Time spent linking.
    pub link_time: Duration,
    /// Time spent retrieving.
    pub retrieve_time: Duration,
}

/// A question linked, not yet retrieved: the first half of [`Pipeline::retrieve`].
#[derive(Debug, Clone)]
pub struct Linked {
    /// All links, best first.
    pub links: Vec<Link>,
    /// The topic entities retrieval will start from, grouped by constraint.
    pub topics: Topics,
    /// Time spent linking.
    pub link_time: Duration,
}

/// Linking followed by retrieval.
#[derive(Clone)]
pub struct Pipeline {
    linker: Linker,
    retriever: Retriever,
}

impl Pipeline {
    /// A pipeline from its two stages.
    pub fn new(linker: Linker, retriever: Retriever) -> Self {
        Self { linker, retriever }
    }

    /// The pipeline of `settings` over `graph`, its linker taught by `examples` (none: the
    /// linker knows only the graph's labels, or takes a model's prior afterwards).
    pub fn from_settings(settings: &Settings, graph: Graph, examples: &[Question]) -> Result<Self> {
        let started = Instant::now();
        let mut linker = Linker::new(graph.clone(), settings.link.clone())?;
        let used = linker.learn(examples);
        tracing::debug!(
            labels = linker.index().len(),
            examples = used,
            of = examples.len(),
            ms = started.elapsed().as_millis() as u64,
            "linker ready"
        );
        let retriever = Retriever::new(graph, settings.retrieve.clone())?;
        Ok(Self::new(linker, retriever))
    }

    /// The linker.
    pub fn linker(&self) -> &Linker {
        &self.linker
    }

    /// The retriever.
    pub fn retriever(&self) -> &Retriever {
        &self.retriever
    }

    /// The same pipeline with the linker's prior replaced (for example by a model's).
    pub fn with_link_prior(mut self, prior: crate::link::LinkPrior) -> Self {
        self.linker = self.linker.with_prior(prior);
        self
    }

    /// Brings the linker's label index up to date for `nodes`, after a graph update touched them.
    pub fn refresh_labels(&mut self, nodes: &[NamedNode]) -> Result<()> {
        self.linker.refresh(nodes)
    }

    /// Links `question` and retrieves the subgraph around its topic entities.
    pub fn retrieve(&self, question: &str) -> Result<Retrieval> {
        self.retrieve_linked(self.link(question)?)
    }

    /// Links `question`: its topic entities, by constraint.
    pub fn link(&self, question: &str) -> Result<Linked> {
        let started = Instant::now();
        let links = self.linker.link(question)?;
        Ok(Linked {
            topics: topics(&links),
            links,
            link_time: started.elapsed(),
        })
    }

    /// Retrieves the subgraph around the topic entities of a `linked` question.
    pub fn retrieve_linked(&self, linked: Linked) -> Result<Retrieval> {
        let started = Instant::now();
        let subgraph = self.retriever.retrieve(&linked.topics.entities())?;
        Ok(Retrieval {
            links: linked.links,
            topics: linked.topics,
            subgraph,
            link_time: linked.link_time,
            retrieve_time: started.elapsed(),
        })
    }
}
