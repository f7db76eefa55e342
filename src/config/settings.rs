//! The resolved settings: the configuration file's values with its relative paths resolved, the
//! command line's flags (and their environment variables) applied on top, and everything
//! validated once, before any work starts. Commands read their settings here; none merges them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{check_sections, Config, EvalConfig, ServeConfig, StoreLocation, TrainConfig};
use crate::error::{Error, Result};
use crate::link::LinkConfig;
use crate::question::{Question, QuestionSource, SplitSpec};
use crate::retrieve::RetrieveConfig;
use crate::score::{DeviceChoice, ModelConfig};
use crate::store::{Graph, RemoteConfig};

/// Every setting, resolved and validated: flag > environment > configuration file > default.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the graph is.
    pub store: StoreLocation,
    /// Work on an in-memory copy of the store.
    pub in_memory: bool,
    /// Example question sources the linker learns from.
    pub examples: Vec<QuestionSource>,
    /// Entity linking.
    pub link: LinkConfig,
    /// Subgraph retrieval.
    pub retrieve: RetrieveConfig,
    /// How `FILE@part` question sources are split.
    pub split: SplitSpec,
    /// The model's shape, for training.
    pub model: ModelConfig,
    /// Training options.
    pub train: TrainConfig,
    /// Evaluation options.
    pub eval: EvalConfig,
    /// The HTTP service, its token read from its file if need be.
    pub serve: ServeConfig,
    /// The remote backend, used when the store is a SPARQL endpoint URL.
    pub remote: RemoteConfig,
    /// The model directory (the checkpoint to load, or to train into).
    pub model_dir: PathBuf,
    /// The pretrained encoder's directory.
    pub pretrained: PathBuf,
    /// Where the model runs.
    pub device: DeviceChoice,
}

impl Settings {
    /// The settings of `file` (relative paths resolved against its directory), with `flags`
    /// applied on top (their paths are taken as given), then validated.
    pub fn resolve(file: Config, flags: impl FnOnce(&mut Settings)) -> Result<Self> {
        let mut settings = Self::from_file(file)?;
        flags(&mut settings);
        settings.finish()?;
        Ok(settings)
    }

    /// The built-in defaults, with no configuration file and no flags (for tests and embedding).
    pub fn defaults() -> Self {
        Self::from_file(Config::default()).expect("the default settings are valid")
    }

    fn from_file(file: Config) -> Result<Self> {
        let store = file.store_location(None);
        let examples = file.example_sources()?;
        let model_dir = file.model_path(None);
        let pretrained = file.pretrained_path(None);
        let feedback = file.resolve(&file.serve.feedback);
        let token_file = file.serve.token_file.as_deref().map(|p| file.resolve(p));
        Ok(Self {
            store,
            in_memory: false,
            examples,
            link: file.link,
            retrieve: file.retrieve,
            split: file.split,
            model: file.model,
            train: file.train,
            eval: file.eval,
            serve: ServeConfig {
                feedback,
                token_file,
                ..file.serve
            },
            remote: file.remote,
            model_dir,
            pretrained,
            device: file.device,
        })
    }

    /// Checks every section again, now that flags may have changed them.
    fn finish(&self) -> Result<()> {
        check_sections(
            &self.retrieve,
            &self.train,
            &self.split,
            &self.eval,
            &self.serve,
            &self.remote,
        )
        .map_err(|message| Error::invalid("flags", message))
    }

    /// The `[serve]` settings with the token read from its file when no token is given (only
    /// `kgqa serve` needs the token, so only it reads the file).
    pub fn serve_with_token(&self) -> Result<ServeConfig> {
        let mut serve = self.serve.clone();
        serve.read_token_file(Path::to_path_buf)?;
        serve.validate()?;
        Ok(serve)
    }

    /// Opens the store (creating an embedded one if needed; a remote endpoint is not contacted yet).
    pub fn open_store(&self) -> Result<Graph> {
        Ok(match &self.store {
            StoreLocation::Path(path) => Graph::open(path)?,
            StoreLocation::Endpoint(url) => Graph::remote(url, &self.remote)?,
        })
    }

    /// Opens the store, which must hold a graph; as an in-memory copy when `in_memory` (for
    /// training and evaluation, which read the graph many times) or when the settings say so
    /// (`--in-memory`).
    pub fn open_graph(&self, in_memory: bool) -> Result<Graph> {
        let mut graph = self.open_store()?;
        if in_memory || self.in_memory {
            let started = Instant::now();
            graph = graph.to_memory()?;
            tracing::debug!(
                ms = started.elapsed().as_millis() as u64,
                "store copied into memory"
            );
        }
        if graph.triple_count()? == 0 {
            return Err(Error::invalid(
                "--store",
                format!(
                    "the store at {} is empty: load a graph with `kgqa ingest FILE` first",
                    self.store
                ),
            ));
        }
        Ok(graph)
    }

    /// The questions of `source`, split as configured.
    pub fn read_questions(&self, source: &QuestionSource) -> Result<Vec<Question>> {
        source.read(&self.split)
    }
}
