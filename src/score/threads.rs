//! libtorch's intra-op threads, set for a while.

/// Sets the number of threads libtorch's operations use, and restores the previous number when
/// dropped.
#[derive(Debug)]
pub struct IntraOpThreads {
    previous: i32,
}

impl IntraOpThreads {
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
