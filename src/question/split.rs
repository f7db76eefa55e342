//! Deterministic splits of a question file: `FILE@train`, `FILE@valid`, `FILE@test`.
//!
//! Benchmarks without an official split (PathQuestion), or whose training file must be cut into
//! training and validation parts (MetaQA's dev files under this project's protocol), are split by a
//! seeded shuffle, so that every command sees the same parts.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::{read_questions, Question};
use crate::error::{Error, Result};

/// A part of a split question file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The training part.
    Train,
    /// The validation part.
    Valid,
    /// The test part (what is left after training and validation).
    Test,
}

/// How a file is split: the fractions for training and validation (test gets the rest) and the seed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitSpec {
    /// Fraction of questions for training.
    pub train: f64,
    /// Fraction of questions for validation.
    pub valid: f64,
    /// Seed of the shuffle.
    pub seed: u64,
}

impl Default for SplitSpec {
    /// 8:1:1 with seed 42.
    fn default() -> Self {
        Self {
            train: 0.8,
            valid: 0.1,
            seed: 42,
        }
    }
}

impl SplitSpec {
    /// Checks that the fractions are valid.
    pub fn validate(&self) -> Result<()> {
        let ok = (0.0..=1.0).contains(&self.train)
            && (0.0..=1.0).contains(&self.valid)
            && self.train + self.valid <= 1.0 + 1e-9;
        if ok {
            Ok(())
        } else {
            Err(Error::invalid(
                "split",
                format!(
                    "fractions train={} valid={} must be in [0, 1] and sum to at most 1",
                    self.train, self.valid
                ),
            ))
        }
    }

    /// The questions of `part`, from a seeded shuffle of `questions`.
    pub fn select(&self, questions: Vec<Question>, part: Part) -> Vec<Question> {
        let n = questions.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut rand::rngs::StdRng::seed_from_u64(self.seed));
        let n_train = (n as f64 * self.train).round() as usize;
        let n_valid = ((n as f64 * self.valid).round() as usize).min(n - n_train);
        let range = match part {
            Part::Train => 0..n_train,
            Part::Valid => n_train..n_train + n_valid,
            Part::Test => n_train + n_valid..n,
        };
        let mut keep: Vec<usize> = order[range].to_vec();
        keep.sort_unstable();
        let mut questions: Vec<Option<Question>> = questions.into_iter().map(Some).collect();
        keep.into_iter()
            .filter_map(|i| questions[i].take())
            .collect()
    }
}

impl Part {
    /// The part's name, as written after `@`.
    pub fn name(self) -> &'static str {
        match self {
            Part::Train => "train",
            Part::Valid => "valid",
            Part::Test => "test",
        }
    }
}

impl FromStr for Part {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "train" => Ok(Part::Train),
            "valid" | "validation" | "dev" => Ok(Part::Valid),
            "test" => Ok(Part::Test),
            other => Err(format!("unknown part `{other}` (use train, valid or test)")),
        }
    }
}

/// A question file, whole or one part of a seeded split: `path` or `path@part`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSource {
    /// The question file.
    pub path: PathBuf,
    /// The part of its split, or `None` for the whole file.
    pub part: Option<Part>,
}

impl QuestionSource {
    /// Reads the questions this source names.
    pub fn read(&self, split: &SplitSpec) -> Result<Vec<Question>> {
        let (_, questions) = read_questions(&self.path)?;
        Ok(match self.part {
            Some(part) => {
                split.validate()?;
                split.select(questions, part)
            }
            None => questions,
        })
    }

    /// The file this source reads.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl FromStr for QuestionSource {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.rsplit_once('@') {
            Some((path, part)) if !Path::new(s).exists() => Ok(Self {
                path: path.into(),
                part: Some(part.parse()?),
            }),
            _ => Ok(Self {
                path: s.into(),
                part: None,
            }),
        }
    }
}

impl std::fmt::Display for QuestionSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        match self.part {
            Some(part) => write!(f, "@{}", part.name()),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions(n: usize) -> Vec<Question> {
        (0..n)
            .map(|i| Question {
                line: i as u64 + 1,
                ..Question::plain(format!("q{i}"))
            })
            .collect()
    }

    #[test]
    fn parts_partition_the_file_deterministically() {
        let spec = SplitSpec::default();
        let parts: Vec<Vec<u64>> = [Part::Train, Part::Valid, Part::Test]
            .iter()
            .map(|&p| {
                spec.select(questions(100), p)
                    .iter()
                    .map(|q| q.line)
                    .collect()
            })
            .collect();
        assert_eq!(parts[0].len(), 80);
        assert_eq!(parts[1].len(), 10);
        assert_eq!(parts[2].len(), 10);
        let mut all: Vec<u64> = parts.concat();
        all.sort_unstable();
        assert_eq!(all, (1..=100).collect::<Vec<_>>());
        let again: Vec<u64> = spec
            .select(questions(100), Part::Test)
            .iter()
            .map(|q| q.line)
            .collect();
        assert_eq!(parts[2], again);
    }

    #[test]
    fn parses_sources() {
        let source: QuestionSource = "data/PQ-2H.txt@test".parse().unwrap();
        assert_eq!(source.part, Some(Part::Test));
        assert_eq!(source.path, PathBuf::from("data/PQ-2H.txt"));
        assert_eq!(source.to_string(), "data/PQ-2H.txt@test");
        assert!("x.txt@nope".parse::<QuestionSource>().is_err());
        assert_eq!("x.txt".parse::<QuestionSource>().unwrap().part, None);
    }

    #[test]
    fn rejects_bad_fractions() {
        let spec = SplitSpec {
            train: 0.9,
            valid: 0.2,
            seed: 1,
        };
        assert!(spec.validate().is_err());
    }
}
