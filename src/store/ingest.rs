//! `kgqa ingest`: loading graph files into the store, atomically.
//!
//! Every format is turned into a stream of quads ([`InputQuads`]). For the embedded store the
//! streams of all the files feed one oxigraph bulk loader, which writes nothing visible until it
//! is committed: a malformed line in any file stops the ingest before the commit and leaves the
//! store exactly as it was. A remote endpoint is
//! fed by [`remote`](super::remote) from the same stream. In lenient mode malformed lines are
//! skipped and counted.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::format::GraphFormat;
use super::mint::Minter;
use super::{Backend, Graph};
use crate::store::{FileError, Result, StoreError};

/// How to ingest a file.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The file's format; detected from the file when `None`.
    pub format: Option<GraphFormat>,
    /// Skip malformed lines (and count them) instead of failing.
    pub lenient: bool,
    /// How table rows become IRIs.
    pub minter: Minter,
}

/// What an ingest did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IngestReport {
    /// The format that was read.
    pub format: GraphFormat,
    /// Triples written (for tables, including the label and type triples added for names).
    pub triples: u64,
    /// Malformed lines skipped (lenient mode only).
    pub skipped: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// How the triples were sent, for a remote endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteIngest>,
}

/// How an ingest into a remote endpoint went.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RemoteIngest {
    /// `graph-store` (SPARQL 1.1 Graph Store Protocol) or `update` (SPARQL 1.1 `INSERT DATA`).
    pub method: &'static str,
    /// Triples per request.
    pub batch_size: usize,
    /// Write requests sent, publish included.
    pub requests: u64,
    /// Whether the triples were staged in a separate graph and published at the end.
    pub atomic: bool,
    /// Seconds spent parsing the input (before anything was sent).
    pub parse_seconds: f64,
    /// Seconds spent sending batches.
    pub send_seconds: f64,
    /// Seconds spent publishing the staging graph.
    pub publish_seconds: f64,
}

/// Called with the number of bytes read so far, to drive a progress bar.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Loads `path` into `graph`. On error nothing is written to the graph (see
/// [`remote`](super::remote) for what a remote endpoint guarantees).
pub fn ingest(
    graph: &Graph,
    path: &Path,
    options: &IngestOptions,
    progress: Progress<'_>,
) -> Result<IngestReport> {
    ingest_files(graph, std::slice::from_ref(&path), options, progress)?
        .pop()
        .ok_or_else(|| {
            FileError::Empty {
                path: path.to_path_buf(),
                what: "no triples to ingest",
            }
            .into()
        })
}

/// Loads every file of `paths` into `graph`, in order, as one load: either every file is
/// written or, on error, none is (see [`remote`](super::remote) for what a remote endpoint
/// guarantees). One report per file; `progress` gets the bytes read so far over all of them.
pub fn ingest_files<P: AsRef<Path>>(
    graph: &Graph,
    paths: &[P],
    options: &IngestOptions,
    progress: Progress<'_>,
) -> Result<Vec<IngestReport>> {
    match graph.backend() {
        Backend::Embedded { store, .. } => {
            let reports = ingest_embedded(store, paths, options, progress);
            graph.forget_all_edges();
            reports
        }
        Backend::Remote(client) => super::remote::ingest(client, paths, options, progress),
    }
}

fn ingest_embedded<P: AsRef<Path>>(
    store: &oxigraph::store::Store,
    paths: &[P],
    options: &IngestOptions,
    progress: Progress<'_>,
) -> Result<Vec<IngestReport>> {
    let mut loader = store.bulk_loader();
    let mut reports = Vec::with_capacity(paths.len());
    read_files(paths, options, progress, |quads| {
        let started = Instant::now();
        loader.load_ok_quads::<StoreError, StoreError>(&mut *quads)?;
        quads.check_not_empty()?;
        reports.push(quads.report(started, None));
        Ok(())
    })?;
    // Nothing is visible before this: a failure above leaves the store as it was.
    loader.commit()?;
    Ok(reports)
}

/// Opens each file of `paths` in turn and hands its quads to `consume`; `progress` gets the
/// bytes read over all the files.
pub(crate) fn read_files<P: AsRef<Path>>(
    paths: &[P],
    options: &IngestOptions,
    progress: Progress<'_>,
    mut consume: impl FnMut(&mut InputQuads<'_>) -> Result<()>,
) -> Result<()> {
    let mut before = 0;
    for path in paths {
        let path = path.as_ref();
        let offset = before;
        let file_progress = move |bytes: u64| progress(offset + bytes);
        let mut quads = InputQuads::open(path, options, &file_progress)?;
        consume(&mut quads)?;
        before += std::fs::metadata(path).map_or(0, |m| m.len());
    }
    Ok(())
}

/// The quads of an input file in any supported format. In lenient mode malformed lines are
/// skipped and counted; otherwise the first one is an error with its file and line.
pub(crate) struct InputQuads<'a> {
    quads: Box<dyn Iterator<Item = Result<Quad>> + 'a>,
    path: std::path::PathBuf,
    format: GraphFormat,
    lenient: bool,
    // A parser may report several errors for one bad line: count lines, not errors.
    last_bad_line: Option<u64>,
    triples: u64,
    skipped: u64,
}

impl<'a> InputQuads<'a> {
    /// Opens `path`, detecting its format unless `options` gives it.
    pub(crate) fn open(
        path: &Path,
        options: &IngestOptions,
        progress: Progress<'a>,
    ) -> Result<Self> {
        let format = match options.format {
            Some(format) => format,
            None => GraphFormat::detect(path)?,
        };
        let file = File::open(path).map_err(|e| FileError::io(path, e))?;
        let mut reader = BufReader::with_capacity(1 << 20, CountingReader::new(file, progress));
        skip_byte_order_mark(&mut reader).map_err(|e| FileError::io(path, e))?;
        let quads: Box<dyn Iterator<Item = Result<Quad>> + 'a> = match format.separator() {
            Some(separator) => Box::new(TableQuads::new(
                reader,
                path,
                separator,
                options.minter.clone(),
            )),
            // N-Triples is line-based: parsed line by line, a bad line costs only itself.
            None if options.lenient && format == GraphFormat::NTriples => {
                Box::new(ntriples_by_line(reader, path))
            }
            None => Box::new(rdf_quads(reader, path, format)),
        };
        Ok(Self {
            quads,
            path: path.to_path_buf(),
            format,
            lenient: options.lenient,
            last_bad_line: None,
            triples: 0,
            skipped: 0,
        })
    }

    /// An error if the file held nothing at all (not even skipped lines).
    pub(crate) fn check_not_empty(&self) -> Result<()> {
        if self.triples == 0 && self.skipped == 0 {
            return Err(FileError::Empty {
                path: self.path.clone(),
                what: "no triples to ingest",
            }
            .into());
        }
        Ok(())
    }

    /// The report of an ingest that started at `started`.
    pub(crate) fn report(&self, started: Instant, remote: Option<RemoteIngest>) -> IngestReport {
        IngestReport {
            format: self.format,
            triples: self.triples,
            skipped: self.skipped,
            seconds: started.elapsed().as_secs_f64(),
            remote,
        }
    }
}

impl Iterator for InputQuads<'_> {
    type Item = Result<Quad>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.quads.next()? {
                Err(StoreError::File(FileError::Syntax { line, .. })) if self.lenient => {
                    if self.last_bad_line != Some(line) {
                        self.skipped += 1;
                        self.last_bad_line = Some(line);
                    }
                }
                other => {
                    self.triples += u64::from(other.is_ok());
                    return Some(other);
                }
            }
        }
    }
}

/// Skips a UTF-8 byte order mark at the start of `reader` (some editors write one; it is not
/// part of the text).
fn skip_byte_order_mark(reader: &mut impl BufRead) -> std::io::Result<()> {
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}

fn rdf_quads<R: Read>(
    reader: R,
    path: &Path,
    format: GraphFormat,
) -> impl Iterator<Item = Result<Quad>> {
    let rdf_format = match format {
        GraphFormat::Turtle => RdfFormat::Turtle,
        _ => RdfFormat::NTriples,
    };
    let path = path.to_path_buf();
    RdfParser::from_format(rdf_format)
        .without_named_graphs()
        .rename_blank_nodes()
        .for_reader(reader)
        .map(move |quad| quad.map_err(|e| rdf_error(&path, e)))
}

fn ntriples_by_line<R: BufRead>(reader: R, path: &Path) -> impl Iterator<Item = Result<Quad>> {
    let path = path.to_path_buf();
    // One suffix for the whole file keeps `_:b1` the same node on every line of this file and a
    // different node from any `_:b1` of another file.
    let suffix: u64 = rand::random();
    LineReader::new(reader, &path.clone()).flat_map(move |line| {
        let quads: Vec<Result<Quad>> = match line {
            Ok((number, text)) => RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(text.as_bytes())
                .map(|quad| {
                    quad.map(|q| with_blank_suffix(q, suffix)).map_err(|e| {
                        match rdf_error(&path, e.into()) {
                            StoreError::File(FileError::Syntax { path, message, .. }) => {
                                FileError::Syntax {
                                    path,
                                    line: number,
                                    message,
                                }
                                .into()
                            }
                            other => other,
                        }
                    })
                })
                .collect(),
            Err(e) => vec![Err(e)],
        };
        quads
    })
}

fn with_blank_suffix(quad: Quad, suffix: u64) -> Quad {
    let rename = |b: &BlankNode| BlankNode::new_unchecked(format!("{}x{suffix:x}", b.as_str()));
    let subject = match &quad.subject {
        NamedOrBlankNode::BlankNode(b) => rename(b).into(),
        other => other.clone(),
    };
    let object = match &quad.object {
        Term::BlankNode(b) => rename(b).into(),
        other => other.clone(),
    };
    Quad::new(subject, quad.predicate, object, quad.graph_name)
}

fn rdf_error(path: &Path, error: RdfParseError) -> StoreError {
    match error {
        RdfParseError::Syntax(e) => {
            let line = e.location().map_or(0, |l| l.start.line + 1);
            let message = e.to_string();
            FileError::syntax(path, line, message).into()
        }
        RdfParseError::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            FileError::syntax(path, 0, format!("not valid UTF-8 text ({e})")).into()
        }
        RdfParseError::Io(e) => FileError::io(path, e).into(),
    }
}

/// The quads of a `subject<SEP>relation<SEP>object` table: one edge per row, plus an `rdfs:label`
/// for every entity and relation (and `rdf:type rdf:Property` for relations) the first time it is seen.
struct TableQuads<R> {
    lines: LineReader<R>,
    separator: char,
    minter: Minter,
    seen: HashSet<String>,
    pending: Vec<Quad>,
}

impl<R: BufRead> TableQuads<R> {
    fn new(reader: R, path: &Path, separator: char, minter: Minter) -> Self {
        Self {
            lines: LineReader::new(reader, path),
            separator,
            minter,
            seen: HashSet::new(),
            pending: Vec::new(),
        }
    }

    fn parse_row(&mut self, number: u64, line: &str) -> Result<()> {
        let fields: Vec<&str> = line.split(self.separator).map(str::trim).collect();
        let [subject, relation, object] = fields[..] else {
            return Err(FileError::syntax(
                self.lines.path(),
                number,
                format!(
                    "expected 3 fields separated by {:?}, found {}",
                    self.separator,
                    fields.len()
                ),
            )
            .into());
        };
        if let Some(empty) = ["subject", "relation", "object"]
            .iter()
            .zip([subject, relation, object])
            .find_map(|(name, value)| value.is_empty().then_some(name))
        {
            return Err(
                FileError::syntax(self.lines.path(), number, format!("empty {empty}")).into(),
            );
        }
        let s = self.minter.entity(subject);
        let p = self.minter.relation(relation);
        let o = self.minter.entity(object);
        self.pending.push(triple(s.clone(), p.clone(), o.clone()));
        self.label_once(s, subject, false);
        self.label_once(p, relation, true);
        self.label_once(o, object, false);
        Ok(())
    }

    fn label_once(&mut self, node: NamedNode, name: &str, is_relation: bool) {
        if self.seen.contains(node.as_str()) {
            return;
        }
        self.seen.insert(node.as_str().to_owned());
        if is_relation {
            self.pending
                .push(triple(node.clone(), rdf::TYPE.into(), rdf::PROPERTY.into()));
        }
        self.pending.push(Quad::new(
            node,
            rdfs::LABEL,
            Literal::new_simple_literal(name),
            GraphName::DefaultGraph,
        ));
    }
}

impl<R: BufRead> Iterator for TableQuads<R> {
    type Item = Result<Quad>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(quad) = self.pending.pop() {
                return Some(Ok(quad));
            }
            let (number, line) = match self.lines.next()? {
                Ok(line) => line,
                Err(e) => return Some(Err(e)),
            };
            if line.trim().is_empty() {
                continue;
            }
            if let Err(e) = self.parse_row(number, &line) {
                return Some(Err(e));
            }
        }
    }
}

fn triple(s: NamedNode, p: NamedNode, o: NamedNode) -> Quad {
    Quad::new(s, p, o, GraphName::DefaultGraph)
}

/// Reads numbered UTF-8 lines, reporting bad encoding with the line number.
pub(crate) struct LineReader<R> {
    reader: R,
    path: std::path::PathBuf,
    number: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// Lines of `reader`, which was opened from `path`.
    pub(crate) fn new(reader: R, path: &Path) -> Self {
        Self {
            reader,
            path: path.to_path_buf(),
            number: 0,
            buffer: Vec::new(),
        }
    }

    /// The file being read.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = Result<(u64, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.buffer.clear();
        match self.reader.read_until(b'\n', &mut self.buffer) {
            Ok(0) => None,
            Ok(_) => {
                self.number += 1;
                while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
                    self.buffer.pop();
                }
                let bytes = std::mem::take(&mut self.buffer);
                Some(match String::from_utf8(bytes) {
                    Ok(line) => Ok((self.number, line)),
                    Err(_) => {
                        Err(
                            FileError::syntax(&self.path, self.number, "not valid UTF-8 text")
                                .into(),
                        )
                    }
                })
            }
            Err(e) => Some(Err(FileError::io(&self.path, e).into())),
        }
    }
}

/// A reader that reports how many bytes went through it.
struct CountingReader<'a, R> {
    inner: R,
    read: u64,
    reported: u64,
    progress: Progress<'a>,
}

impl<'a, R> CountingReader<'a, R> {
    fn new(inner: R, progress: Progress<'a>) -> Self {
        Self {
            inner,
            read: 0,
            reported: 0,
            progress,
        }
    }
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.reported >= 1 << 20 || n == 0 {
            self.reported = self.read;
            (self.progress)(self.read);
        }
        Ok(n)
    }
}
