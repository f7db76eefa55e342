//! `POST /v1/feedback`: whether an answer was right, appended to a JSON Lines file (synced to
//! disk before the reply) for later retraining. Open to every client like `/v1/ask` (the bot
//! forwards its users' verdicts); it never changes answers by itself, and the file has a size cap.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};

use super::error::{ApiError, ErrorType};
use super::json::{check_chars, check_text, StrictJson};
use super::routes::RequestId;
use super::state::SharedState;

/// Longest comment, in characters.
const MAX_COMMENT_CHARS: usize = 2000;

/// The body of `POST /v1/feedback`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// The question as asked.
    pub question: String,
    /// The answer judged: its IRI (as `/v1/ask` returned it) or its label.
    pub answer: String,
    /// Whether the answer was right.
    pub correct: bool,
    /// Free text from the user.
    #[serde(default)]
    pub comment: Option<String>,
}

/// One line of the feedback file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeedbackRecord {
    /// When it was received (RFC 3339, UTC).
    pub ts: String,
    /// The request that brought it.
    pub request_id: String,
    /// The question.
    pub question: String,
    /// The answer judged.
    pub answer: String,
    /// Whether it was right.
    pub correct: bool,
    /// The user's comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The append-only feedback file, opened on first use and again whenever its path no longer
/// names the open file (renamed by logrotate or collected by an operator): records always land
/// in the configured path. Every line is one whole JSON record: a failed write is cut off, and a
/// partial line left by a crash is cut when the file is opened.
#[derive(Debug)]
pub struct FeedbackStore {
    path: PathBuf,
    max_bytes: u64,
    file: Mutex<Option<File>>,
}

impl FeedbackStore {
    /// A store writing to `path`, which stops growing at `max_bytes`.
    pub fn new(path: impl Into<PathBuf>, max_bytes: u64) -> Self {
        Self {
            path: path.into(),
            max_bytes,
            file: Mutex::new(None),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `record` as one line and syncs it to disk. 507 when the file is full.
    pub fn append(&self, record: &FeedbackRecord) -> Result<(), ApiError> {
        let mut line = serde_json::to_vec(record).map_err(|e| ApiError::internal(&e))?;
        line.push(b'\n');
        let mut open = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let file = self
            .current(&mut open)
            .map_err(|e| ApiError::internal(&e))?;
        let io = |e: std::io::Error| ApiError::internal(&crate::Error::io(&self.path, e));
        let size = file.metadata().map_err(io)?.len();
        if size + line.len() as u64 > self.max_bytes {
            return Err(ApiError::new(
                ErrorType::InsufficientStorage,
                "the feedback file is full; it must be collected before more feedback is taken",
            ));
        }
        if let Err(error) = file.write_all(&line).and_then(|()| file.sync_data()) {
            // Whatever part of the line was written goes, so the next record starts its own line.
            if let Err(cut) = file.set_len(size) {
                tracing::error!(file = %self.path.display(), error = %cut, "cannot cut a failed feedback write");
            }
            *open = None;
            return Err(io(error));
        }
        Ok(())
    }

    /// The open file, (re)opened when there is none or the path names another file now.
    fn current<'a>(&self, open: &'a mut Option<File>) -> crate::Result<&'a mut File> {
        if open.as_ref().is_some_and(|file| !self.names(file)) {
            tracing::info!(file = %self.path.display(), "the feedback file was moved; starting a new one");
            *open = None;
        }
        match open {
            Some(file) => Ok(file),
            None => Ok(open.insert(self.open()?)),
        }
    }

    /// Whether the configured path still names `file` (same device and inode).
    #[cfg(unix)]
    fn names(&self, file: &File) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        match (std::fs::metadata(&self.path), file.metadata()) {
            (Ok(named), Ok(open)) => named.dev() == open.dev() && named.ino() == open.ino(),
            _ => false,
        }
    }

    /// Whether the configured path still names `file` (only whether it still exists, here).
    #[cfg(not(unix))]
    fn names(&self, _file: &File) -> bool {
        self.path.exists()
    }

    fn open(&self) -> crate::Result<File> {
        let io = |e| crate::Error::io(&self.path, e);
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| crate::Error::io(parent, e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let whole = whole_lines_len(&mut file, size).map_err(io)?;
        if whole < size {
            tracing::warn!(
                file = %self.path.display(),
                bytes = size - whole,
                "the feedback file ended with a partial line (an interrupted write); cut it"
            );
            file.set_len(whole).map_err(io)?;
        }
        Ok(file)
    }
}

/// The length of the part of `file` (of `size` bytes) that ends with its last line break.
fn whole_lines_len(file: &mut File, size: u64) -> std::io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = size;
    let mut buffer = vec![0; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let chunk = &mut buffer[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// `POST /v1/feedback`: 201 once the record is on disk.
pub async fn post_feedback(
    State(state): State<SharedState>,
    Extension(request_id): Extension<RequestId>,
    StrictJson(request): StrictJson<FeedbackRequest>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let max = state.config().max_question_chars;
    check_text("question", &request.question, max)?;
    check_text("answer", &request.answer, max)?;
    if let Some(comment) = &request.comment {
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return Err(ApiError::validation(format!(
                "comment: longer than {MAX_COMMENT_CHARS} characters"
            )));
        }
        check_chars("comment", comment)?;
    }
    let record = FeedbackRecord {
        ts: rfc3339(SystemTime::now()),
        request_id: request_id.0.clone(),
        question: request.question,
        answer: request.answer,
        correct: request.correct,
        comment: request.comment,
    };
    let writer = state.clone();
    tokio::task::spawn_blocking(move || writer.feedback().append(&record))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    state.metrics().record_feedback();
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "stored": true, "request_id": request_id.0 })),
    ))
}

/// `time` as RFC 3339 in UTC with milliseconds, e.g. `2024-05-01T12:00:00.000Z`.
pub fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Days to civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let at = |secs: u64, millis: u64| {
            rfc3339(UNIX_EPOCH + Duration::from_millis(secs * 1000 + millis))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_700_000_000, 999), "2023-11-14T22:13:20.999Z");
        assert_eq!(at(4_107_542_399, 0), "2100-02-28T23:59:59.000Z");
    }

    fn record(question: &str) -> FeedbackRecord {
        FeedbackRecord {
            ts: rfc3339(SystemTime::now()),
            request_id: "r1".into(),
            question: question.into(),
            answer: "http://ex.org/a".into(),
            correct: false,
            comment: None,
        }
    }

    #[test]
    fn appends_one_json_line_per_record_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let store = FeedbackStore::new(dir.path().join("sub/feedback.jsonl"), 400);
        store.append(&record("first")).unwrap();
        store.append(&record("second \"quoted\"\nline")).unwrap();
        let text = std::fs::read_to_string(store.path()).unwrap();
        let lines: Vec<FeedbackRecord> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].question, "second \"quoted\"\nline");
        let full = store.append(&record(&"x".repeat(300))).unwrap_err();
        assert_eq!(full.kind, ErrorType::InsufficientStorage);
        // A new store on the same file appends after what is there.
        let again = FeedbackStore::new(store.path(), 10_000);
        again.append(&record("third")).unwrap();
        let text = std::fs::read_to_string(store.path()).unwrap();
        assert_eq!(text.lines().count(), 3);
    }

    fn records(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<FeedbackRecord>(l)
                    .unwrap_or_else(|e| panic!("{e}: {l:?}"))
                    .question
            })
            .collect()
    }

    #[test]
    fn records_land_in_the_configured_path_after_a_rename_or_a_removal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedback.jsonl");
        let store = FeedbackStore::new(&path, 10_000);
        store.append(&record("before")).unwrap();
        let rotated = dir.path().join("feedback.jsonl.1");
        std::fs::rename(&path, &rotated).unwrap();
        store.append(&record("after")).unwrap();
        assert_eq!(records(&rotated), ["before"]);
        assert_eq!(records(&path), ["after"]);
        store.append(&record("again")).unwrap();
        assert_eq!(records(&path), ["after", "again"]);
        std::fs::remove_file(&path).unwrap();
        store.append(&record("recreated")).unwrap();
        assert_eq!(records(&path), ["recreated"]);
    }

    #[test]
    fn a_partial_line_left_by_a_crash_is_cut_so_every_line_stays_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedback.jsonl");
        let whole = serde_json::to_string(&record("whole")).unwrap();
        std::fs::write(&path, format!("{whole}\n{{\"ts\":\"2024-01-0")).unwrap();
        FeedbackStore::new(&path, 10_000)
            .append(&record("next"))
            .unwrap();
        assert_eq!(records(&path), ["whole", "next"]);
        // A file holding only a partial line is emptied first.
        std::fs::write(&path, "{\"ts\":").unwrap();
        FeedbackStore::new(&path, 10_000)
            .append(&record("only"))
            .unwrap();
        assert_eq!(records(&path), ["only"]);
    }
}
