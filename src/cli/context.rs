//! What every subcommand starts from: the resolved configuration and the store.

use std::time::Instant;

use anyhow::{bail, Context as _};
use kgqa::config::{Config, StoreLocation};
use kgqa::link::{LinkConfig, Linker};
use kgqa::pipeline::Pipeline;
use kgqa::question::{Question, QuestionSource};
use kgqa::retrieve::{RetrieveConfig, Retriever};
use kgqa::store::Graph;

use super::output;
use super::Cli;

/// The resolved settings shared by the subcommands.
#[derive(Debug, Clone)]
pub struct Context {
    /// The configuration file's settings.
    pub config: Config,
    /// The store to use.
    pub store: StoreLocation,
    /// Print JSON instead of text.
    pub json: bool,
    /// Work on an in-memory copy of the store.
    pub in_memory: bool,
}

impl Context {
    /// Resolves flags, environment and configuration file.
    pub fn new(cli: &Cli) -> anyhow::Result<Self> {
        let mut config = Config::load(cli.config.as_deref())?;
        config.remote = cli.remote.config(&config.remote);
        config
            .remote
            .validate()
            .context("invalid remote endpoint settings")?;
        let store = config.store_location(cli.store.as_deref());
        Ok(Self {
            config,
            store,
            json: cli.json,
            in_memory: cli.in_memory,
        })
    }

    /// Opens the store (creating it if needed; a remote endpoint is not contacted yet).
    pub fn open_store(&self) -> anyhow::Result<Graph> {
        match &self.store {
            StoreLocation::Path(path) => Graph::open(path),
            StoreLocation::Endpoint(url) => Graph::remote(url, &self.config.remote),
        }
        .with_context(|| format!("cannot open the store at {}", self.store))
    }

    /// Opens the store, which must hold a graph (as an in-memory copy with `--in-memory`).
    pub fn open_graph(&self) -> anyhow::Result<Graph> {
        self.open_graph_with(self.in_memory)
    }

    /// Opens the store, which must hold a graph, as an in-memory copy: for training and
    /// evaluation, which read the graph many times.
    pub fn open_graph_in_memory(&self) -> anyhow::Result<Graph> {
        self.open_graph_with(true)
    }

    fn open_graph_with(&self, in_memory: bool) -> anyhow::Result<Graph> {
        let mut graph = self.open_store()?;
        if in_memory {
            let started = Instant::now();
            graph = graph.to_memory()?;
            tracing::debug!(
                ms = started.elapsed().as_millis() as u64,
                "store copied into memory"
            );
        }
        if graph.triple_count()? == 0 {
            bail!(
                "the store at {} is empty: load a graph with `kgqa ingest FILE` first",
                self.store
            );
        }
        Ok(graph)
    }

    /// A linker over `graph` that has learned from `examples` (or the configured examples).
    pub fn linker(
        &self,
        graph: Graph,
        examples: &[QuestionSource],
        config: LinkConfig,
    ) -> anyhow::Result<Linker> {
        let started = Instant::now();
        let mut linker = Linker::new(graph, config)?;
        let sources = if examples.is_empty() {
            self.config.example_sources()?
        } else {
            examples.to_vec()
        };
        let mut questions: Vec<Question> = Vec::new();
        for source in &sources {
            questions.extend(
                source
                    .read(&self.config.split)
                    .with_context(|| format!("cannot read example questions {source}"))?,
            );
        }
        let used = linker.learn(&questions);
        tracing::debug!(
            labels = linker.index().len(),
            examples = used,
            of = questions.len(),
            ms = started.elapsed().as_millis() as u64,
            "linker ready"
        );
        Ok(linker)
    }

    /// Link and retrieve stages over the store.
    pub fn pipeline(
        &self,
        examples: &[QuestionSource],
        link: LinkConfig,
        retrieve: RetrieveConfig,
    ) -> anyhow::Result<Pipeline> {
        let graph = self.open_graph()?;
        let linker = self.linker(graph.clone(), examples, link)?;
        let retriever = Retriever::new(graph, retrieve)?;
        Ok(Pipeline::new(linker, retriever))
    }

    /// A trained model over the store. The linker takes the prior saved with the model, so no
    /// examples are learned here. `in_memory` reads from a memory copy (for evaluations).
    pub fn answerer(
        &self,
        model: Option<&std::path::Path>,
        device: kgqa::score::DeviceChoice,
        in_memory: bool,
    ) -> anyhow::Result<kgqa::answer::Answerer> {
        let graph = self.open_graph_with(in_memory || self.in_memory)?;
        let linker = Linker::new(graph.clone(), self.config.link.clone())?;
        let retriever = Retriever::new(graph, self.config.retrieve.clone())?;
        let model_dir = self.config.model_path(model);
        kgqa::answer::Answerer::load(
            Pipeline::new(linker, retriever),
            &kgqa::score::Checkpoint::at(&model_dir),
            device.device()?,
        )
        .with_context(|| format!("cannot load the model in {}", model_dir.display()))
    }

    /// Reads the questions of a split source.
    pub fn questions(&self, source: &QuestionSource) -> anyhow::Result<Vec<Question>> {
        source
            .read(&self.config.split)
            .with_context(|| format!("cannot read questions {source}"))
    }
}

/// `kgqa info`: what the store holds.
pub fn info(context: &Context) -> anyhow::Result<()> {
    let graph = context.open_store()?;
    let triples = graph.triple_count()?;
    let labelled = kgqa::link::LabelIndex::build(&graph)?.len();
    let report = serde_json::json!({
        "store": context.store.to_string(),
        "triples": triples,
        "labelled_nodes": labelled,
    });
    output::emit(context.json, &report, || {
        format!(
            "store {}\n  triples         {triples}\n  labelled nodes  {labelled}",
            context.store
        )
    })
}
