//! The model thread: it owns the model (libtorch tensors are not `Sync`), takes jobs from a
//! bounded queue, and scores everything that is waiting, up to `model_batch` questions, as one
//! micro-batch. While other questions are still being prepared (linked and retrieved), it waits
//! for them a little, no longer than the model's measured pace says scoring them would take, so
//! that micro-batches fill up under load. Jobs whose client has gone (deadline passed, connection
//! closed) are skipped.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::error::ApiError;
use super::metrics::Metrics;
use crate::answer::BatchScorer;
use crate::error::Error;
use crate::score::Sample;

/// The scores of one job, and where its time went.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Per sample of the job, every node's probability.
    pub scores: Vec<Vec<f64>>,
    /// Time spent waiting in the queue.
    pub queued: Duration,
    /// Time the micro-batch holding the job took to score.
    pub scoring: Duration,
    /// Questions in that micro-batch.
    pub batch: usize,
}

type Reply = oneshot::Sender<Result<Scored, Error>>;

struct Job {
    samples: Vec<Sample>,
    reply: Reply,
    enqueued: Instant,
}

/// The longest the model thread waits for questions still being prepared.
const MAX_LINGER: Duration = Duration::from_millis(30);

/// The sending end of the model queue.
#[derive(Debug, Clone)]
pub struct ModelQueue {
    sender: mpsc::Sender<Job>,
    preparing: Arc<AtomicUsize>,
}

/// Questions on their way to the model queue (being linked and retrieved), counted until
/// dropped.
#[derive(Debug)]
pub struct Preparing {
    count: Arc<AtomicUsize>,
    questions: usize,
}

impl Drop for Preparing {
    fn drop(&mut self) {
        self.count.fetch_sub(self.questions, Ordering::Release);
    }
}

/// The answer to a submitted job, once the model thread has scored it.
pub type Pending = oneshot::Receiver<Result<Scored, Error>>;

impl ModelQueue {
    /// Queues `samples` to be scored together; 429 at once when the queue is full.
    pub fn submit(&self, samples: Vec<Sample>) -> std::result::Result<Pending, ApiError> {
        let (reply, pending) = oneshot::channel();
        let job = Job {
            samples,
            reply,
            enqueued: Instant::now(),
        };
        self.sender.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => ApiError::overloaded(),
            mpsc::error::TrySendError::Closed(_) => ApiError::not_ready(),
        })?;
        Ok(pending)
    }

    /// Counts `questions` as being prepared for this queue until the guard is dropped (just
    /// before they are submitted), so that the model thread knows more are coming.
    pub fn preparing(&self, questions: usize) -> Preparing {
        self.preparing.fetch_add(questions, Ordering::Relaxed);
        Preparing {
            count: self.preparing.clone(),
            questions,
        }
    }

    /// Jobs waiting for the model thread.
    pub fn depth(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }
}

/// Starts the model thread with a queue of `capacity` jobs, libtorch running on `threads` threads
/// there (0: libtorch's default, one per core). The thread ends when every [`ModelQueue`] clone
/// is dropped, after scoring what was queued.
pub fn spawn(
    scorer: Box<dyn BatchScorer>,
    capacity: usize,
    model_batch: usize,
    threads: usize,
    metrics: Arc<Metrics>,
) -> std::io::Result<(ModelQueue, JoinHandle<()>)> {
    let (sender, receiver) = mpsc::channel(capacity.max(1));
    let preparing = Arc::new(AtomicUsize::new(0));
    let counted = preparing.clone();
    let handle = std::thread::Builder::new()
        .name("kgqa-model".into())
        .spawn(move || {
            if threads > 0 {
                tch::set_num_threads(i32::try_from(threads).unwrap_or(i32::MAX));
            }
            run(scorer, receiver, &counted, model_batch.max(1), &metrics)
        })?;
    Ok((ModelQueue { sender, preparing }, handle))
}

fn run(
    mut scorer: Box<dyn BatchScorer>,
    mut receiver: mpsc::Receiver<Job>,
    preparing: &AtomicUsize,
    model_batch: usize,
    metrics: &Metrics,
) {
    while let Some(first) = receiver.blocking_recv() {
        let missing = model_batch.saturating_sub(first.samples.len());
        let linger = linger(metrics.pace(), missing);
        let mut jobs = collect(first, &mut receiver, preparing, model_batch, linger);
        // Nobody waits for these any more: their deadline passed or the client left.
        jobs.retain(|job| !job.reply.is_closed());
        if jobs.is_empty() {
            continue;
        }
        let started = Instant::now();
        let samples: Vec<&Sample> = jobs.iter().flat_map(|j| &j.samples).collect();
        let outcome =
            std::panic::catch_unwind(AssertUnwindSafe(|| scorer.score(&samples, model_batch)));
        let scoring = started.elapsed();
        let batch = samples.len();
        metrics.record_batch(batch, scoring);
        let mut scores = match outcome {
            Ok(Ok(scores)) if scores.len() == batch => scores.into_iter(),
            Ok(Ok(scores)) => {
                fail(
                    jobs,
                    &format!(
                        "the model returned {} scores for {batch} questions",
                        scores.len()
                    ),
                );
                continue;
            }
            Ok(Err(error)) => {
                fail(jobs, &error.to_string());
                continue;
            }
            Err(_) => {
                fail(jobs, "the model panicked");
                continue;
            }
        };
        for job in jobs {
            let scored = Scored {
                scores: scores.by_ref().take(job.samples.len()).collect(),
                queued: started.saturating_duration_since(job.enqueued),
                scoring,
                batch,
            };
            // A client that left in the meantime does not need its scores.
            let _ = job.reply.send(Ok(scored));
        }
    }
}

/// How long to wait for `missing` questions: as long as scoring them would take at `pace`
/// seconds per question, at most [`MAX_LINGER`].
fn linger(pace: f64, missing: usize) -> Duration {
    Duration::try_from_secs_f64(pace * missing as f64)
        .unwrap_or(Duration::ZERO)
        .min(MAX_LINGER)
}

/// The jobs of one micro-batch, up to `model_batch` questions: `first`, everything waiting
/// behind it, and what arrives within `linger` while questions are still being prepared.
fn collect(
    first: Job,
    receiver: &mut mpsc::Receiver<Job>,
    preparing: &AtomicUsize,
    model_batch: usize,
    linger: Duration,
) -> Vec<Job> {
    let mut questions = first.samples.len();
    let mut jobs = vec![first];
    let until = Instant::now() + linger;
    while questions < model_batch {
        match receiver.try_recv() {
            Ok(job) => {
                questions += job.samples.len();
                jobs.push(job);
            }
            Err(mpsc::error::TryRecvError::Empty)
                if preparing.load(Ordering::Acquire) > 0 && Instant::now() < until =>
            {
                std::thread::sleep(Duration::from_micros(200));
            }
            Err(_) => match receiver.try_recv() {
                // Submitted before its preparation stopped being counted.
                Ok(job) => {
                    questions += job.samples.len();
                    jobs.push(job);
                }
                Err(_) => break,
            },
        }
    }
    jobs
}

fn fail(jobs: Vec<Job>, message: &str) {
    tracing::error!(error = message, jobs = jobs.len(), "scoring failed");
    for job in jobs {
        let _ = job
            .reply
            .send(Err(Error::internal("scoring a micro-batch", message)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records batch sizes; the first call says it has started, then waits until `gate` is
    /// opened, so that jobs pile up meanwhile.
    struct Recorder {
        sizes: Arc<Mutex<Vec<usize>>>,
        entered: std::sync::mpsc::Sender<()>,
        gate: Option<std::sync::mpsc::Receiver<()>>,
        panic_on: Option<String>,
    }

    impl BatchScorer for Recorder {
        fn score(&mut self, samples: &[&Sample], _: usize) -> crate::Result<Vec<Vec<f64>>> {
            if let Some(gate) = self.gate.take() {
                let _ = self.entered.send(());
                gate.recv().unwrap();
            }
            if samples
                .iter()
                .any(|s| Some(&s.text) == self.panic_on.as_ref())
            {
                panic!("boom");
            }
            self.sizes.lock().unwrap().push(samples.len());
            Ok(samples.iter().map(|s| vec![s.text.len() as f64]).collect())
        }
    }

    fn sample(text: &str) -> Sample {
        Sample {
            text: text.into(),
            distances: vec![0],
            edges: Vec::new(),
            relations: Vec::new(),
            positives: Vec::new(),
            topic_answers: false,
            constraints: Vec::new(),
        }
    }

    struct Started {
        queue: ModelQueue,
        handle: JoinHandle<()>,
        sizes: Arc<Mutex<Vec<usize>>>,
        entered: std::sync::mpsc::Receiver<()>,
        open: std::sync::mpsc::Sender<()>,
    }

    fn start(capacity: usize, model_batch: usize, panic_on: Option<&str>) -> Started {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let (open, gate) = std::sync::mpsc::channel();
        let (entered_tx, entered) = std::sync::mpsc::channel();
        let recorder = Recorder {
            sizes: sizes.clone(),
            entered: entered_tx,
            gate: Some(gate),
            panic_on: panic_on.map(str::to_owned),
        };
        let metrics = Arc::new(Metrics::default());
        let (queue, handle) = spawn(Box::new(recorder), capacity, model_batch, 0, metrics).unwrap();
        Started {
            queue,
            handle,
            sizes,
            entered,
            open,
        }
    }

    #[test]
    fn waiting_jobs_are_scored_together_up_to_the_model_batch() {
        let Started {
            queue,
            handle,
            sizes,
            entered,
            open,
        } = start(16, 4, None);
        let first = queue.submit(vec![sample("a")]).unwrap();
        // Wait until the thread scores the first job, so the next ones queue behind it.
        entered.recv().unwrap();
        let waiting: Vec<Pending> = (0..5)
            .map(|i| queue.submit(vec![sample(&"b".repeat(i + 1))]).unwrap())
            .collect();
        assert_eq!(queue.depth(), 5);
        open.send(()).unwrap();
        assert_eq!(first.blocking_recv().unwrap().unwrap().scores, [[1.0]]);
        for (i, pending) in waiting.into_iter().enumerate() {
            let scored = pending.blocking_recv().unwrap().unwrap();
            assert_eq!(scored.scores, [[(i + 1) as f64]]);
            assert_eq!(scored.batch, if i < 4 { 4 } else { 1 });
        }
        drop(queue);
        handle.join().unwrap();
        assert_eq!(*sizes.lock().unwrap(), [1, 4, 1]);
    }

    fn job(text: &str) -> (Job, Pending) {
        let (reply, pending) = oneshot::channel();
        let job = Job {
            samples: vec![sample(text)],
            reply,
            enqueued: Instant::now(),
        };
        (job, pending)
    }

    #[test]
    fn a_micro_batch_waits_for_questions_still_being_prepared_and_no_longer() {
        let (sender, mut receiver) = mpsc::channel(8);
        let preparing = Arc::new(AtomicUsize::new(1));
        let (first, _a) = job("a");
        let late = {
            let (sender, preparing) = (sender.clone(), preparing.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                let (second, pending) = job("b");
                sender.try_send(second).unwrap();
                preparing.fetch_sub(1, Ordering::Release);
                pending
            })
        };
        let started = Instant::now();
        let hour = Duration::from_secs(3600);
        let jobs = collect(first, &mut receiver, &preparing, 4, hour);
        assert_eq!(jobs.len(), 2);
        let _b = late.join().unwrap();
        // Nothing is being prepared any more: no waiting, however long it may linger.
        let (third, _c) = job("c");
        let jobs = collect(third, &mut receiver, &preparing, 4, hour);
        assert_eq!(jobs.len(), 1);
        assert!(started.elapsed() < Duration::from_secs(60));
        drop(sender);
    }

    #[test]
    fn lingering_follows_the_pace_within_a_bound() {
        assert_eq!(linger(0.0, 15), Duration::ZERO);
        assert_eq!(linger(0.001, 10), Duration::from_millis(10));
        assert_eq!(linger(1.0, 10), MAX_LINGER);
        assert_eq!(linger(0.01, 0), Duration::ZERO);
    }

    #[test]
    fn a_full_queue_refuses_and_abandoned_jobs_are_skipped() {
        let Started {
            queue,
            handle,
            sizes,
            entered,
            open,
        } = start(2, 8, None);
        let first = queue.submit(vec![sample("a")]).unwrap();
        entered.recv().unwrap();
        let abandoned = queue.submit(vec![sample("gone")]).unwrap();
        let kept = queue.submit(vec![sample("kept"), sample("too")]).unwrap();
        let refused = queue.submit(vec![sample("c")]).unwrap_err();
        assert_eq!(refused.kind, super::super::error::ErrorType::Overloaded);
        drop(abandoned);
        open.send(()).unwrap();
        first.blocking_recv().unwrap().unwrap();
        assert_eq!(
            kept.blocking_recv().unwrap().unwrap().scores,
            [[4.0], [3.0]]
        );
        drop(queue);
        handle.join().unwrap();
        assert_eq!(*sizes.lock().unwrap(), [1, 2]);
    }

    #[test]
    fn a_panicking_batch_fails_its_jobs_and_the_thread_goes_on() {
        let Started {
            queue,
            handle,
            open,
            ..
        } = start(4, 1, Some("bad"));
        open.send(()).unwrap();
        let bad = queue.submit(vec![sample("bad")]).unwrap();
        assert!(bad.blocking_recv().unwrap().is_err());
        let good = queue.submit(vec![sample("good")]).unwrap();
        assert_eq!(good.blocking_recv().unwrap().unwrap().scores, [[4.0]]);
        drop(queue);
        handle.join().unwrap();
    }
}
