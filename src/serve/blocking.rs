//! Bounded blocking work: linking, retrieval and evidence run on tokio's blocking pool, at most
//! `max_blocking` pieces at once (the admission queue bounds questions, this bounds the threads
//! and memory they use), and work whose request was abandoned (deadline passed, client gone) is
//! skipped instead of run for nobody.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

use super::error::ApiError;

/// The slots of blocking work.
#[derive(Debug, Clone)]
pub struct BlockingSlots {
    slots: Arc<Semaphore>,
}

impl BlockingSlots {
    /// `slots` pieces of blocking work at once.
    pub fn new(slots: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
        }
    }

    /// Slots free now.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }

    /// Starts `work` on the blocking pool once a slot is free; it is skipped if `request` was
    /// abandoned by then. Await the handle for its result.
    pub async fn spawn<T: Send + 'static>(
        &self,
        request: &Request,
        work: impl FnOnce() -> crate::Result<T> + Send + 'static,
    ) -> Result<Running<T>, ApiError> {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::not_ready())?;
        let abandoned = request.abandoned.clone();
        Ok(Running(tokio::task::spawn_blocking(move || {
            let _slot = permit;
            if abandoned.load(Ordering::Acquire) {
                return Err(crate::Error::internal(
                    "answering",
                    "skipped: the request was abandoned",
                ));
            }
            work()
        })))
    }
}

/// Blocking work under way.
#[derive(Debug)]
pub struct Running<T>(tokio::task::JoinHandle<crate::Result<T>>);

impl<T> Running<T> {
    /// Its result.
    pub async fn result(self) -> Result<T, ApiError> {
        Ok(self.0.await.map_err(|e| ApiError::internal(&e))??)
    }
}

/// One request's stake in its blocking work: dropping it (the request finished, timed out or
/// its client left) marks the work not yet started as abandoned.
#[derive(Debug, Default)]
pub struct Request {
    abandoned: Arc<AtomicBool>,
}

impl Request {
    /// Marks the work not yet started as abandoned.
    pub fn abandon(&self) {
        self.abandoned.store(true, Ordering::Release);
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        self.abandon();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_the_slots_run_at_once() {
        let slots = BlockingSlots::new(2);
        let request = Request::default();
        let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut handles = Vec::new();
        for _ in 0..6 {
            let (running, peak) = (running.clone(), peak.clone());
            handles.push(
                slots
                    .spawn(&request, move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(30));
                        running.fetch_sub(1, Ordering::SeqCst);
                        Ok(())
                    })
                    .await
                    .unwrap(),
            );
        }
        for handle in handles {
            handle.result().await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(slots.available(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_of_an_abandoned_request_is_skipped() {
        let slots = BlockingSlots::new(1);
        let ran = Arc::new(AtomicBool::new(false));
        let (gate_open, gate) = std::sync::mpsc::channel::<()>();
        let holder = Request::default();
        let blocker = slots
            .spawn(&holder, move || {
                gate.recv().ok();
                Ok(())
            })
            .await
            .unwrap();
        let request = Arc::new(Request::default());
        let queued = {
            let (slots, ran, request) = (slots.clone(), ran.clone(), request.clone());
            tokio::spawn(async move {
                let running = slots
                    .spawn(&request, move || {
                        ran.store(true, Ordering::SeqCst);
                        Ok(())
                    })
                    .await
                    .unwrap();
                running.result().await
            })
        };
        // The queued work waits for the slot; its request is abandoned meanwhile.
        tokio::time::sleep(Duration::from_millis(50)).await;
        request.abandon();
        gate_open.send(()).unwrap();
        blocker.result().await.unwrap();
        assert!(
            queued.await.unwrap().is_err(),
            "abandoned work reports an error"
        );
        assert!(!ran.load(Ordering::SeqCst), "abandoned work never ran");
    }
}
