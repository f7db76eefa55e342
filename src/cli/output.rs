//! Printing results: JSON or text on stdout, progress bars on stderr.

use std::io::Write;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// Prints `value` as JSON, or the text `human` builds.
pub fn emit<T: Serialize>(
    json: bool,
    value: &T,
    human: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut stdout, value)?;
        writeln!(stdout)?;
    } else {
        writeln!(stdout, "{}", human())?;
    }
    Ok(())
}

/// A progress bar on stderr over `len` units of `unit` (hidden when stderr is not a terminal).
pub fn progress(len: u64, message: &str, bytes: bool) -> ProgressBar {
    let template = if bytes {
        "{msg} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta})"
    } else {
        "{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, {eta})"
    };
    let bar = ProgressBar::new(len).with_message(message.to_owned());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// [`prepare_labelled`] over the pipeline and relation texts of a model's answering service.
pub fn prepare_served(
    service: &kgqa::answer::AnswerService,
    questions: &[kgqa::question::Question],
) -> anyhow::Result<Vec<kgqa::answer::Prepared>> {
    prepare_labelled(
        service.pipeline(),
        service.relations(),
        questions,
        "retrieve",
    )
}

/// Prepares questions with known answers on every core, with a progress bar.
pub fn prepare_labelled(
    pipeline: &kgqa::pipeline::Pipeline,
    relations: &kgqa::score::RelationTexts,
    questions: &[kgqa::question::Question],
    message: &str,
) -> anyhow::Result<Vec<kgqa::answer::Prepared>> {
    let bar = progress(questions.len() as u64, message, false);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let prepared = kgqa::answer::prepare(pipeline, relations, questions, threads, &|| bar.inc(1))?;
    bar.finish_and_clear();
    Ok(prepared)
}
