//! `kgqa ask`.

use std::path::PathBuf;

use clap::Args;
use kgqa::answer::Answer;
use kgqa::score::DeviceChoice;

use super::{output, Context};

/// Arguments of `kgqa ask`.
#[derive(Debug, Args)]
pub struct AskArgs {
    /// The question
    pub question: String,
    /// The checkpoint [default: models/default]
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// At most this many answers
    #[arg(long, default_value_t = 5)]
    pub top_k: usize,
    /// Where to run the model [default: `device` in the config, else auto]
    #[arg(long, value_enum)]
    pub device: Option<DeviceChoice>,
    /// Answer when the best candidate scores at least this, between 0 and 1 (0: always show the
    /// best guesses) [default: the model's calibrated threshold]
    #[arg(long, value_parser = probability)]
    pub threshold: Option<f64>,
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("'{text}' is not a number between 0 and 1")),
    }
}

/// Runs `kgqa ask`.
pub fn run(context: &Context, args: AskArgs) -> anyhow::Result<()> {
    let mut answerer = context.answerer(false)?;
    if let Some(threshold) = args.threshold {
        answerer.set_threshold(threshold);
    }
    let answer = answerer.ask(&args.question, args.top_k)?;
    output::emit(context.json, &answer, || describe(&answer))
}

fn describe(answer: &Answer) -> String {
    let mut text = String::new();
    for link in answer.linked.iter().take(1) {
        text.push_str(&format!(
            "about: {} (\"{}\", {:.2})\n",
            link.label, link.mention, link.score
        ));
    }
    if answer.no_answer {
        text.push_str(&format!(
            "I don't know: no answer scores above the threshold {:.2}.",
            answer.threshold
        ));
        return text;
    }
    for (i, a) in answer.answers.iter().enumerate() {
        text.push_str(&format!("{:>2}. {:.3}  {}\n", i + 1, a.score, a.label));
        for path in a.evidence.iter().take(2) {
            let steps: Vec<String> = path
                .iter()
                .map(|t| format!("{} --{}--> {}", t.subject, t.relation, t.object))
                .collect();
            text.push_str(&format!("      because {}\n", steps.join(", ")));
        }
    }
    text.trim_end().to_owned()
}
