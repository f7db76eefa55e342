//! libtorch's intra-op threads, set for a while.

/// libtorch's threads for a batch of one question. One question leaves them almost nothing to
/// share: its encoder (with packed weights) and graph network run as fast on one core as on two
/// (measured on MetaQA), and the other core is then free for retrieval. Every path that scores
/// one question alone (`ask`, a micro-batch of one in `serve`, `eval --batch-size 1`) uses it, so
/// that they compute the same floats.
pub const ONE_QUESTION_THREADS: i32 = 1;

/// Sets the number of threads libtorch's operations use, and restores the previous number when
/// dropped.
#[derive(Debug)]
pub struct IntraOpThreads {
    previous: i32,
}

impl IntraOpThreads {
    /// [`ONE_QUESTION_THREADS`] for a batch of `questions` questions if it is one, else nothing.
    pub fn for_batch(questions: usize) -> Option<Self> {
        (questions == 1).then(|| Self::set(ONE_QUESTION_THREADS))
    }

    /// libtorch operations use `threads` threads until the guard is dropped.
    pub fn set(threads: i32) -> Self {
        let previous = tch::get_num_threads();
        if previous != threads {
            tch::set_num_threads(threads);
        }
        Self { previous }
    }
}

impl Drop for IntraOpThreads {
    fn drop(&mut self) {
        if tch::get_num_threads() != self.previous {
            tch::set_num_threads(self.previous);
        }
    }
}
