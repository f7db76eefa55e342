//! Settings: `kgqa.toml` is read into a typed [`Config`] with defaults; [`Settings`] resolves it
//! with the command line's flags (and their environment variables) on top: flag > environment >
//! file > default, validated once.

mod serve;
mod settings;
mod train;

pub use serve::{Secret, ServeConfig, MIN_TOKEN_CHARS};
pub use settings::Settings;
pub use train::TrainConfig;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::link::LinkConfig;
use crate::question::{QuestionSource, SplitSpec};
use crate::retrieve::RetrieveConfig;
use crate::score::{DeviceChoice, ModelConfig};
use crate::store::remote::{is_endpoint, redact, RemoteConfig};

/// The name of the configuration file looked for in the working directory.
pub const CONFIG_FILE: &str = "kgqa.toml";

/// The default store location, relative to the configuration file (or working directory).
pub const DEFAULT_STORE: &str = ".kgqa/store";

/// The default model directory, relative to the configuration file.
pub const DEFAULT_MODEL: &str = "models/default";

/// The pretrained encoder `.ci/setup` installs, relative to the configuration file.
pub const PRETRAINED_MODEL: &str = "models/all-minilm-l6-v2";

/// Everything that can be configured.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The store: an on-disk directory, or a SPARQL endpoint URL (`http(s)://…`).
    pub store: Option<PathBuf>,
    /// Example question files the linker learns from (`path` or `path@part`).
    pub examples: Vec<String>,
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
    /// Where the model runs.
    pub device: DeviceChoice,
    /// The default model directory.
    pub model_dir: Option<PathBuf>,
    /// The pretrained encoder (BERT `config.json`, `tokenizer.json`, `model.safetensors`).
    pub pretrained: Option<PathBuf>,
    /// The HTTP service (`kgqa serve`).
    pub serve: ServeConfig,
    /// The remote backend, used when the store is a SPARQL endpoint URL.
    pub remote: RemoteConfig,
    #[serde(skip)]
    base_dir: PathBuf,
}

impl Config {
    /// Loads `path`, or `./kgqa.toml` when `path` is `None` and that file exists, or the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let path = match path {
            Some(path) => path.to_path_buf(),
            None if Path::new(CONFIG_FILE).is_file() => PathBuf::from(CONFIG_FILE),
            None => {
                return Ok(Self {
                    base_dir: PathBuf::from("."),
                    ..Self::default()
                })
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Self::parse(&text, &path)
    }

    /// Parses configuration text read from `path` (relative paths in it are relative to its directory).
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        config.base_dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        check_sections(
            &config.retrieve,
            &config.train,
            &config.split,
            &config.eval,
            &config.serve,
            &config.remote,
        )
        .map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(config)
    }

    /// `path` resolved against the configuration file's directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// The store to use: the flag's, else the configured one, else the default.
    pub fn store_path(&self, flag: Option<&Path>) -> PathBuf {
        match flag {
            Some(path) => path.to_path_buf(),
            None => self.resolve(self.store.as_deref().unwrap_or(Path::new(DEFAULT_STORE))),
        }
    }

    /// The store to use, as [`Config::store_path`], told apart: a directory or an endpoint URL.
    pub fn store_location(&self, flag: Option<&Path>) -> StoreLocation {
        let configured = flag.or(self.store.as_deref());
        match configured.map(StoreLocation::from_flag) {
            Some(endpoint @ StoreLocation::Endpoint(_)) => endpoint,
            _ => StoreLocation::Path(self.store_path(flag)),
        }
    }

    /// The model directory: the flag's, else the configured one, else `models/default`.
    pub fn model_path(&self, flag: Option<&Path>) -> PathBuf {
        match flag {
            Some(path) => path.to_path_buf(),
            None => self.resolve(
                self.model_dir
                    .as_deref()
                    .unwrap_or(Path::new(DEFAULT_MODEL)),
            ),
        }
    }

    /// The pretrained encoder directory: the flag's, else the configured one, else the one
    /// `.ci/setup` installs.
    pub fn pretrained_path(&self, flag: Option<&Path>) -> PathBuf {
        match flag {
            Some(path) => path.to_path_buf(),
            None => self.resolve(
                self.pretrained
                    .as_deref()
                    .unwrap_or(Path::new(PRETRAINED_MODEL)),
            ),
        }
    }

    /// The configured example question sources, resolved.
    pub fn example_sources(&self) -> Result<Vec<QuestionSource>> {
        self.examples
            .iter()
            .map(|e| {
                let source: QuestionSource =
                    e.parse().map_err(|m| Error::invalid("examples", m))?;
                Ok(QuestionSource {
                    path: self.resolve(&source.path),
                    part: source.part,
                })
            })
            .collect()
    }
}

/// Checks the sections whose values have rules beyond their types, for the file and again after
/// the flags: the message names the section (`[serve] max_batch: must be positive`).
fn check_sections(
    retrieve: &RetrieveConfig,
    train: &TrainConfig,
    split: &SplitSpec,
    eval: &EvalConfig,
    serve: &ServeConfig,
    remote: &RemoteConfig,
) -> std::result::Result<(), String> {
    retrieve.validate().map_err(|e| format!("[retrieve] {e}"))?;
    train.validate()?;
    split.validate().map_err(|e| e.to_string())?;
    if eval.batch_size == 0 {
        return Err("[eval] batch_size: must be positive".to_owned());
    }
    serve.validate().map_err(|e| format!("[serve] {e}"))?;
    remote.validate().map_err(|e| format!("[remote] {e}"))
}

/// How a model is evaluated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvalConfig {
    /// Questions scored per batch.
    pub batch_size: usize,
}

impl Default for EvalConfig {
    fn default() -> Self {
        Self { batch_size: 32 }
    }
}

/// Where the graph is: an embedded store's directory, or a remote SPARQL endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An on-disk oxigraph store.
    Path(PathBuf),
    /// A SPARQL 1.1 query endpoint (`http(s)://…`), possibly with credentials.
    Endpoint(String),
}

impl StoreLocation {
    /// The store a `--store` flag names: an endpoint when it is an `http(s)://` URL, else a
    /// directory.
    pub fn from_flag(flag: &Path) -> Self {
        match flag.to_str().filter(|s| is_endpoint(s)) {
            Some(url) => StoreLocation::Endpoint(url.to_owned()),
            None => StoreLocation::Path(flag.to_path_buf()),
        }
    }
}

impl std::fmt::Display for StoreLocation {
    /// The path, or the endpoint without its credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreLocation::Path(path) => write!(f, "{}", path.display()),
            StoreLocation::Endpoint(url) => f.write_str(&redact(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves_relative_paths() {
        let config = Config::parse(
            "store = \"data/store\"\nexamples = [\"q/train.tsv\"]\n[retrieve]\nhops = 2\n",
            Path::new("/project/kgqa.toml"),
        )
        .unwrap();
        assert_eq!(
            config.store_path(None),
            PathBuf::from("/project/data/store")
        );
        assert_eq!(config.store_path(Some(Path::new("x"))), PathBuf::from("x"));
        assert_eq!(config.retrieve.hops, 2);
        assert_eq!(
            config.retrieve.degree_cap,
            RetrieveConfig::default().degree_cap
        );
        assert_eq!(
            config.example_sources().unwrap()[0].path,
            PathBuf::from("/project/q/train.tsv")
        );
        let config = Config::parse(
            "[serve]\nbind = \"127.0.0.1:9000\"\nmax_batch = 8\n",
            Path::new("/project/kgqa.toml"),
        )
        .unwrap();
        assert_eq!(config.serve.bind.port(), 9000);
        assert_eq!(config.serve.max_batch, 8);
        assert_eq!(config.serve.top_k, ServeConfig::default().top_k);
    }

    #[test]
    fn a_url_store_is_an_endpoint() {
        let config = Config::parse(
            "store = \"http://u:pw@localhost:8890/sparql\"\n[remote]\nretries = 1\n",
            Path::new("/project/kgqa.toml"),
        )
        .unwrap();
        let location = config.store_location(None);
        assert_eq!(
            location,
            StoreLocation::Endpoint("http://u:pw@localhost:8890/sparql".into())
        );
        assert_eq!(location.to_string(), "http://localhost:8890/sparql");
        assert_eq!(config.remote.retries, 1);
        assert_eq!(
            config.store_location(Some(Path::new("local"))),
            StoreLocation::Path(PathBuf::from("local"))
        );
        let err = Config::parse("[remote]\ntimeout = -1\n", Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("[remote] timeout"), "{err}");
        let err = Config::parse("[remote]\nretry = 1\n", Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("retry"), "{err}");
    }

    #[test]
    fn reports_unknown_keys_and_bad_values() {
        let err = Config::parse("[retrieve]\nhopz = 2\n", Path::new("k.toml")).unwrap_err();
        assert!(
            err.to_string().contains("k.toml") && err.to_string().contains("hopz"),
            "{err}"
        );
        let err = Config::parse("[retrieve]\nhops = 0\n", Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("hops"), "{err}");
        let err = Config::parse("[serve]\nmax_batch = 0\n", Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("[serve] max_batch"), "{err}");
        let err = Config::parse("[serve]\ntokens = []\n", Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().contains("tokens"), "{err}");
    }
}
