//! `kgqa link`.

use anyhow::bail;
use kgqa::eval::{evaluate_linking, LinkReport};
use kgqa::link::{topics, Link};
use kgqa::question::QuestionSource;

use super::args::LinkArgs;
use super::{output, Context};

#[derive(serde::Serialize)]
struct Linked<'a> {
    question: &'a str,
    links: &'a [Link],
    /// Per constraint, the topic entities retrieval starts from.
    topics: Vec<Vec<&'a str>>,
}

/// Runs `kgqa link`.
pub fn run(context: &Context, args: LinkArgs) -> anyhow::Result<()> {
    let pipeline = context.pipeline()?;
    let linker = pipeline.linker();
    if let Some(source) = &args.split {
        let questions = context.questions(source)?;
        if questions.iter().all(|q| q.topics.is_empty()) {
            bail!("{source}: the questions carry no gold topic entity to evaluate against");
        }
        let report = evaluate_linking(linker, &questions, args.no_brackets)?;
        return output::emit(context.json, &report, || describe_report(source, &report));
    }
    let question = args.question.as_deref().unwrap_or_default();
    let links = linker.link(question)?;
    let chosen = topics(&links);
    let linked = Linked {
        question,
        links: &links,
        topics: chosen
            .constraints()
            .iter()
            .map(|nodes| nodes.iter().map(|n| n.as_str()).collect())
            .collect(),
    };
    output::emit(context.json, &linked, || {
        let mut text = describe_links(&links);
        if linked.topics.len() > 1 {
            let groups: Vec<String> = linked.topics.iter().map(|g| g.join(" or ")).collect();
            text.push_str(&format!(
                "\n{} constraints: {}",
                groups.len(),
                groups.join(" and ")
            ));
        }
        text
    })
}

fn describe_links(links: &[Link]) -> String {
    if links.is_empty() {
        return "no entity found in the question".to_owned();
    }
    links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let via = if l.matched == l.label {
                String::new()
            } else {
                format!(" via \"{}\"", l.matched)
            };
            format!(
                "{:>2}. {:.3}  \"{}\" -> {} <{}>{via}",
                i + 1,
                l.score,
                l.mention,
                l.label,
                l.iri.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_report(source: &QuestionSource, report: &LinkReport) -> String {
    let mut text = format!(
        "{source}: {} questions, linking accuracy {:.4} ({} unresolved gold, {} unlinked), {:.3} ms/question\n  \
         topics: {} of {} gold topics found (recall {:.4}; all found in {:.4} of questions), {} constraints naming no gold topic",
        report.questions, report.accuracy, report.unresolved, report.unlinked, report.per_question_ms,
        report.topics_found, report.gold_topics, report.topic_recall, report.all_topics_found, report.extra_topics
    );
    for (hop, r) in &report.by_hop {
        text.push_str(&format!(
            "\n  {hop}-hop: {} questions, accuracy {:.4}",
            r.questions, r.accuracy
        ));
    }
    text
}
