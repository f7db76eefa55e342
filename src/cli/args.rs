//! Flags shared by several commands.

use clap::Args;
use kgqa::question::QuestionSource;

/// The question (or question file) to link, and how: the arguments of `kgqa link`, shared by
/// `kgqa retrieve`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The question to link
    #[arg(required_unless_present = "split", conflicts_with = "split")]
    pub question: Option<String>,
    /// Evaluate over a question file instead (FILE, or FILE@train|valid|test for a seeded split)
    #[arg(long, value_name = "FILE[@PART]")]
    pub split: Option<QuestionSource>,
    /// Ignore [bracket] markup: link from free text alone
    #[arg(long)]
    pub no_brackets: bool,
    /// Example questions the linker learns from [default: `examples` in the config]
    #[arg(long, value_name = "FILE[@PART]")]
    pub examples: Vec<QuestionSource>,
    /// At most this many links per question
    #[arg(long)]
    pub max_links: Option<usize>,
}
