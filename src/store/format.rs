//! Input formats that `kgqa ingest` reads.

use std::fmt;
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use crate::store::{FileError, Result, StoreError};

/// The format of a graph file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphFormat {
    /// W3C N-Triples (`.nt`).
    NTriples,
    /// W3C Turtle (`.ttl`).
    Turtle,
    /// MetaQA's `subject|relation|object` table.
    Metaqa,
    /// Tab-separated `subject<TAB>relation<TAB>object` table, as in PathQuestion (`.tsv`).
    Tsv,
}

impl GraphFormat {
    /// The names accepted by `--format`.
    pub const NAMES: &'static str = "ntriples, turtle, metaqa, tsv (alias pathquestion)";

    /// Whether this format is a table of names rather than RDF.
    pub fn is_table(self) -> bool {
        matches!(self, GraphFormat::Metaqa | GraphFormat::Tsv)
    }

    /// The field separator of a table format.
    pub fn separator(self) -> Option<char> {
        match self {
            GraphFormat::Metaqa => Some('|'),
            GraphFormat::Tsv => Some('\t'),
            _ => None,
        }
    }

    /// Detects the format of `path` from its extension; for `.txt`, from its first non-empty line
    /// (`|`-separated is MetaQA, tab-separated is TSV).
    pub fn detect(path: &Path) -> Result<Self> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("nt") => Ok(GraphFormat::NTriples),
            Some("ttl") => Ok(GraphFormat::Turtle),
            Some("tsv") => Ok(GraphFormat::Tsv),
            Some("txt") => Self::sniff(path),
            _ => Err(Self::unknown(path)),
        }
    }

    fn sniff(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).map_err(|e| FileError::io(path, e))?;
        let mut reader = std::io::BufReader::new(file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| FileError::io(path, e))?;
            if read == 0 {
                return Err(FileError::Empty {
                    path: path.into(),
                    what: "no triples to ingest",
                }
                .into());
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.trim().is_empty() {
                continue;
            }
            return if text.split('\t').count() == 3 {
                Ok(GraphFormat::Tsv)
            } else if text.split('|').count() == 3 {
                Ok(GraphFormat::Metaqa)
            } else {
                Err(Self::unknown(path))
            };
        }
    }

    fn unknown(path: &Path) -> StoreError {
        StoreError::UnknownFormat {
            path: path.into(),
            known: Self::NAMES,
        }
    }
}

impl FromStr for GraphFormat {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "ntriples" | "nt" | "n-triples" => Ok(GraphFormat::NTriples),
            "turtle" | "ttl" => Ok(GraphFormat::Turtle),
            "metaqa" => Ok(GraphFormat::Metaqa),
            "tsv" | "pathquestion" => Ok(GraphFormat::Tsv),
            other => Err(StoreError::invalid(
                "--format",
                format!("unknown format `{other}` (use one of: {})", Self::NAMES),
            )),
        }
    }
}

impl fmt::Display for GraphFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GraphFormat::NTriples => "ntriples",
            GraphFormat::Turtle => "turtle",
            GraphFormat::Metaqa => "metaqa",
            GraphFormat::Tsv => "tsv",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let metaqa = dir.path().join("kb.txt");
        std::fs::write(&metaqa, "\nKismet|directed_by|William Dieterle\n").unwrap();
        let tsv = dir.path().join("2H-kb.txt");
        std::fs::write(&tsv, "a\tparents\tb\n").unwrap();
        assert_eq!(GraphFormat::detect(&metaqa).unwrap(), GraphFormat::Metaqa);
        assert_eq!(GraphFormat::detect(&tsv).unwrap(), GraphFormat::Tsv);
        assert_eq!(
            GraphFormat::detect(Path::new("x.ttl")).unwrap(),
            GraphFormat::Turtle
        );
        let err = GraphFormat::detect(Path::new("graph.xlsx")).unwrap_err();
        assert!(
            err.to_string().contains("graph.xlsx: unknown format"),
            "{err}"
        );
    }

    #[test]
    fn parses_names() {
        assert_eq!(
            "PathQuestion".parse::<GraphFormat>().unwrap(),
            GraphFormat::Tsv
        );
        assert!("csv".parse::<GraphFormat>().is_err());
    }
}
