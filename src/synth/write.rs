//! Writing synthesised questions as kgqa's TSV: `question, topic, answers, hops, type`, with
//! several topics joined by `|` for two-constraint questions.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::SynthQuestion;
use crate::error::{Error, Result};
use crate::question::TSV_HEADER;

/// Writes `questions` to `path` (header line first): to a temporary file beside it, renamed
/// into place once complete, so a failed run leaves no half-written file.
pub fn write_tsv(path: &Path, questions: &[SynthQuestion]) -> Result<()> {
    let partial = partial_path(path);
    let io = |e| Error::io(&partial, e);
    let file = std::fs::File::create(&partial).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "{TSV_HEADER}").map_err(io)?;
    for question in questions {
        writeln!(out, "{}", tsv_line(question)).map_err(io)?;
    }
    out.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))
}

/// One question as a TSV line (no newline): tabs and line breaks in the text become spaces, and
/// answers are sorted IRIs joined by `|`.
pub fn tsv_line(question: &SynthQuestion) -> String {
    let text: Vec<&str> = question.text.split_whitespace().collect();
    let topics: Vec<&str> = question.topics().map(|t| t.as_str()).collect();
    let mut answers: Vec<&str> = question.answers.iter().map(|a| a.as_str()).collect();
    answers.sort_unstable();
    format!(
        "{}\t{}\t{}\t{}\t{}",
        text.join(" "),
        topics.join("|"),
        answers.join("|"),
        question.hops,
        question.qtype
    )
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}
