//! What every subcommand starts from: the resolved settings and the output mode.

use anyhow::Context as _;
use kgqa::config::Settings;
use kgqa::question::{Question, QuestionSource};

use super::output;

/// The resolved settings shared by the subcommands.
#[derive(Debug, Clone)]
pub struct Context {
    /// Every setting, resolved and validated.
    pub settings: Settings,
    /// Print JSON instead of text.
    pub json: bool,
}

impl Context {
    /// Reads the questions of a split source.
    pub fn questions(&self, source: &QuestionSource) -> anyhow::Result<Vec<Question>> {
        self.settings
            .read_questions(source)
            .with_context(|| format!("cannot read questions {source}"))
    }

    /// Reads the questions of several sources, in order.
    pub fn all_questions(&self, sources: &[QuestionSource]) -> anyhow::Result<Vec<Question>> {
        let mut questions = Vec::new();
        for source in sources {
            questions.extend(self.questions(source)?);
        }
        Ok(questions)
    }

    /// Opens the store, which must hold a graph (an in-memory copy with `in_memory` or
    /// `--in-memory`).
    pub fn open_graph(&self, in_memory: bool) -> anyhow::Result<kgqa::store::Graph> {
        self.settings
            .open_graph(in_memory)
            .with_context(|| format!("cannot open the store at {}", self.settings.store))
    }

    /// The pipeline of the settings over the store, its linker taught by the configured examples.
    pub fn pipeline(&self) -> anyhow::Result<kgqa::pipeline::Pipeline> {
        let graph = self.open_graph(false)?;
        let examples = self.all_questions(&self.settings.examples)?;
        Ok(kgqa::pipeline::Pipeline::from_settings(
            &self.settings,
            graph,
            &examples,
        )?)
    }

    /// The trained model of the settings over the store (a memory copy with `in_memory`).
    pub fn answerer(&self, in_memory: bool) -> anyhow::Result<kgqa::answer::Answerer> {
        kgqa::answer::Answerer::from_settings(&self.settings, in_memory).with_context(|| {
            format!(
                "cannot load the model in {}",
                self.settings.model_dir.display()
            )
        })
    }
}

/// `kgqa info`: what the store holds.
pub fn info(context: &Context) -> anyhow::Result<()> {
    let store = &context.settings.store;
    let graph = context
        .settings
        .open_store()
        .with_context(|| format!("cannot open the store at {store}"))?;
    let triples = graph.triple_count()?;
    let labelled = kgqa::link::LabelIndex::build(&graph)?.len();
    let report = serde_json::json!({
        "store": store.to_string(),
        "triples": triples,
        "labelled_nodes": labelled,
    });
    output::emit(context.json, &report, || {
        format!("store {store}\n  triples         {triples}\n  labelled nodes  {labelled}")
    })
}
