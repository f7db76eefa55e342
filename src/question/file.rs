//! Reading question files: kgqa's own TSV, MetaQA and PathQuestion.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use oxigraph::model::NamedNode;

use super::{GoldEntity, Question};
use crate::error::{Error, Result};
use crate::store::FileError;
use crate::store::LineReader;

/// The header line of kgqa's own question files.
pub const TSV_HEADER: &str = "question\ttopic\tanswers\thops\ttype";

/// The layout of a question file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionFormat {
    /// kgqa's own: a header line, then `question<TAB>topic IRIs|…<TAB>answer IRIs|…<TAB>hops<TAB>type`
    /// (several topics for a question with several constraints).
    Kgqa,
    /// MetaQA: `question with [topic]<TAB>answer|answer…`, question types in a `qa_*_qtype.txt` beside it.
    Metaqa,
    /// PathQuestion: `question<TAB>answer(a1/a2/)<TAB>topic#rel#entity#…`.
    Pathquestion,
}

/// Reads every question of `path`, detecting its format from the first line.
pub fn read_questions(path: &Path) -> Result<(QuestionFormat, Vec<Question>)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut format = None;
    let mut questions = Vec::new();
    for line in LineReader::new(BufReader::new(file), path) {
        let (number, line) = line?;
        if line.trim().is_empty() {
            continue;
        }
        let format = *format.get_or_insert_with(|| detect(&line));
        if format == QuestionFormat::Kgqa && line == TSV_HEADER {
            continue;
        }
        let question = match format {
            QuestionFormat::Kgqa => parse_kgqa(&line),
            QuestionFormat::Metaqa => parse_metaqa(&line),
            QuestionFormat::Pathquestion => parse_pathquestion(&line),
        }
        .map_err(|message| Error::syntax(path, number, message))?;
        questions.push(Question {
            line: number,
            ..question
        });
    }
    let Some(format) = format else {
        return Err(FileError::Empty {
            path: path.into(),
            what: "no questions",
        }
        .into());
    };
    if format == QuestionFormat::Metaqa {
        attach_metaqa_annotations(path, &mut questions)?;
    }
    Ok((format, questions))
}

fn detect(first_line: &str) -> QuestionFormat {
    let fields: Vec<&str> = first_line.split('\t').collect();
    if first_line == TSV_HEADER || fields.len() >= 4 {
        QuestionFormat::Kgqa
    } else if fields.len() == 3 && fields[2].contains('#') {
        QuestionFormat::Pathquestion
    } else {
        QuestionFormat::Metaqa
    }
}

type Parsed = std::result::Result<Question, String>;

fn fields<const N: usize>(line: &str, what: &str) -> std::result::Result<[String; N], String> {
    let parts: Vec<String> = line.split('\t').map(|f| f.trim().to_owned()).collect();
    <[String; N]>::try_from(parts).map_err(|parts| {
        format!(
            "expected {N} tab-separated fields ({what}), found {}",
            parts.len()
        )
    })
}

fn parse_kgqa(line: &str) -> Parsed {
    let [text, topic, answers, hops, qtype] =
        fields::<5>(line, "question, topic, answers, hops, type")?;
    let iri = |field: &str, value: &str| {
        NamedNode::new(value)
            .map(GoldEntity::Iri)
            .map_err(|e| format!("{field}: `{value}` is not an IRI ({e})"))
    };
    let hops = match hops.as_str() {
        "" => None,
        h => Some(
            h.parse::<u8>()
                .map_err(|_| format!("hops: `{h}` is not a number"))?,
        ),
    };
    Ok(Question {
        topics: topic
            .split('|')
            .filter(|t| !t.is_empty())
            .map(|t| iri("topic", t))
            .collect::<std::result::Result<_, _>>()?,
        answers: answers
            .split('|')
            .filter(|a| !a.is_empty())
            .map(|a| iri("answers", a))
            .collect::<std::result::Result<_, _>>()?,
        hops,
        qtype: (!qtype.is_empty()).then_some(qtype),
        ..Question::plain(non_empty(text)?)
    })
}

fn parse_metaqa(line: &str) -> Parsed {
    let [text, answers] = fields::<2>(line, "question, answers")?;
    let topic = bracketed(&text).ok_or("the question has no [topic entity] in brackets")?;
    Ok(Question {
        topics: vec![GoldEntity::Name(topic.to_owned())],
        answers: names(answers.split('|')),
        ..Question::plain(non_empty(text)?)
    })
}

fn parse_pathquestion(line: &str) -> Parsed {
    let [text, answers, path] = fields::<3>(line, "question, answers, path")?;
    let inner = answers
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .ok_or("answers: expected `answer(answer1/answer2/)`")?;
    let steps: Vec<&str> = path.split('#').take_while(|s| *s != "<end>").collect();
    if steps.len() < 3 || steps.len() % 2 == 0 {
        return Err("path: expected `subject#relation#entity#…`".into());
    }
    let relations: Vec<&str> = steps.iter().skip(1).step_by(2).copied().collect();
    Ok(Question {
        topics: vec![GoldEntity::Name(steps[0].to_owned())],
        answers: names(inner.split('/')),
        hops: u8::try_from(relations.len()).ok(),
        qtype: Some(relations.join("#")),
        ..Question::plain(non_empty(text)?)
    })
}

fn non_empty(text: String) -> std::result::Result<String, String> {
    if text.trim().is_empty() {
        Err("empty question".into())
    } else {
        Ok(text)
    }
}

fn names<'a>(values: impl Iterator<Item = &'a str>) -> Vec<GoldEntity> {
    values
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| GoldEntity::Name(v.to_owned()))
        .collect()
}

fn bracketed(text: &str) -> Option<&str> {
    let start = text.find('[')? + 1;
    let end = start + text[start..].find(']')?;
    Some(&text[start..end])
}

/// MetaQA keeps the hop count in the directory name (`2-hop/vanilla/qa_test.txt`) and the question
/// types in a parallel file (`2-hop/qa_test_qtype.txt`); attach both when present.
fn attach_metaqa_annotations(path: &Path, questions: &mut [Question]) -> Result<()> {
    let hop_dir = path.ancestors().skip(1).take(2).find_map(|dir| {
        dir.file_name()?
            .to_str()?
            .strip_suffix("-hop")?
            .parse::<u8>()
            .ok()
            .map(|h| (h, dir.to_path_buf()))
    });
    let Some((hops, dir)) = hop_dir else {
        return Ok(());
    };
    for question in questions.iter_mut() {
        question.hops = Some(hops);
    }
    if let Some(types) = qtype_file(path, &dir) {
        let text = std::fs::read_to_string(&types).map_err(|e| Error::io(&types, e))?;
        let types: Vec<&str> = text.lines().collect();
        // Types are by line of the question file; questions keep their 1-based line numbers.
        for question in questions.iter_mut() {
            let index = usize::try_from(question.line).unwrap_or(usize::MAX) - 1;
            question.qtype = types.get(index).map(|t| t.trim().to_owned());
        }
    }
    Ok(())
}

fn qtype_file(path: &Path, hop_dir: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let candidate = hop_dir.join(format!("{stem}_qtype.txt"));
    candidate.is_file().then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_metaqa_with_hops_and_types() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "2-hop/vanilla/qa_test.txt",
            "who directed [Heat]\tMichael Mann\nwhat did [Al Pacino] star in\tHeat|Scarface\n",
        );
        write(
            dir.path(),
            "2-hop/qa_test_qtype.txt",
            "movie_to_director\nactor_to_movie\n",
        );
        let (format, questions) = read_questions(&path).unwrap();
        assert_eq!(format, QuestionFormat::Metaqa);
        assert_eq!(
            questions[1].topics,
            vec![GoldEntity::Name("Al Pacino".into())]
        );
        assert_eq!(questions[1].answers.len(), 2);
        assert_eq!(questions[1].hops, Some(2));
        assert_eq!(questions[1].qtype.as_deref(), Some("actor_to_movie"));
        assert_eq!(
            questions[1].without_brackets(),
            "what did Al Pacino star in"
        );
    }

    #[test]
    fn reads_pathquestion() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "PQ-2H.txt",
            "which nationality is a_b 's couple ?\tuk(uk/fr/)\ta_b#spouse#c#nationality#uk#<end>#uk\n",
        );
        let (format, questions) = read_questions(&path).unwrap();
        assert_eq!(format, QuestionFormat::Pathquestion);
        let q = &questions[0];
        assert_eq!(q.topics, vec![GoldEntity::Name("a_b".into())]);
        assert_eq!(
            q.answers,
            vec![GoldEntity::Name("uk".into()), GoldEntity::Name("fr".into())]
        );
        assert_eq!(q.hops, Some(2));
        assert_eq!(q.qtype.as_deref(), Some("spouse#nationality"));
    }

    #[test]
    fn reads_kgqa_tsv() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "q.tsv",
            &format!(
                "{TSV_HEADER}\nwhat fixes E1\thttp://x/e1\thttp://x/f1|http://x/f2\t2\terror_to_fix\n\
                 which codes of M1 are caused by C1\thttp://x/m1|http://x/c1\thttp://x/e1\t1\ta&b\n"
            ),
        );
        let (format, questions) = read_questions(&path).unwrap();
        assert_eq!(format, QuestionFormat::Kgqa);
        assert_eq!(questions[0].answers.len(), 2);
        assert_eq!(questions[0].topics.len(), 1);
        assert_eq!(questions[0].hops, Some(2));
        assert_eq!(questions[0].line, 2);
        let iris: Vec<&str> = questions[1].topics.iter().map(GoldEntity::as_str).collect();
        assert_eq!(
            iris,
            ["http://x/m1", "http://x/c1"],
            "one topic per constraint"
        );
    }

    #[test]
    fn reports_bad_lines_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "bad.txt",
            "who directed [Heat]\tMichael Mann\nno tab here\n",
        );
        let err = read_questions(&path).unwrap_err().to_string();
        assert!(err.contains("bad.txt:2:"), "{err}");
        let empty = write(dir.path(), "empty.txt", "\n\n");
        let err = read_questions(&empty).unwrap_err().to_string();
        assert!(err.contains("no questions"), "{err}");
        let binary = dir.path().join("bin.txt");
        std::fs::write(&binary, b"who [x]\t\xff\xfe\n").unwrap();
        let err = read_questions(&binary).unwrap_err().to_string();
        assert!(err.contains("bin.txt:1: not valid UTF-8"), "{err}");
    }
}
