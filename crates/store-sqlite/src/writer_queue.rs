//! The queue that this process's writers wait in, first come first served.
//!
//! SQLite has one writer at a time. A plain mutex lets the thread that just
//! released it take it straight back, so a long job that commits in short
//! transactions one after another (a million-entry import) would keep every
//! match request, with its audit entry to write, waiting until it ended.
//! Tickets hand the lock to whoever has waited longest: the import's next
//! transaction waits behind the requests that arrived during its last one.

use std::sync::{Condvar, Mutex, MutexGuard};

/// A ticket lock: `turn` is held by one writer at a time, in arrival order.
#[derive(Default)]
pub(crate) struct WriterQueue {
    state: Mutex<Tickets>,
    changed: Condvar,
}

#[derive(Default)]
struct Tickets {
    /// The ticket the next writer to arrive takes.
    next: u64,
    /// The ticket whose holder may write now.
    serving: u64,
}

/// Held while writing; the next writer in line goes when it is dropped.
pub(crate) struct Turn<'a> {
    queue: &'a WriterQueue,
}

impl WriterQueue {
    /// Waits for this caller's turn. `None` only when a writer panicked while
    /// holding the queue's own (tiny) lock.
    pub(crate) fn turn(&self) -> Option<Turn<'_>> {
        let mut t = self.state.lock().ok()?;
        let mine = t.next;
        t.next += 1;
        while t.serving != mine {
            t = self.changed.wait(t).ok()?;
        }
        Some(Turn { queue: self })
    }

    fn pass(&self) {
        // Poisoning cannot leave the counters half-updated (each change is one
        // add), so a poisoned lock is still used: the line must move on.
        let mut t: MutexGuard<'_, Tickets> = match self.state.lock() {
            Ok(t) => t,
            Err(p) => p.into_inner(),
        };
        t.serving += 1;
        drop(t);
        self.changed.notify_all();
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.queue.pass();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn writers_go_in_the_order_they_arrived() {
        let q = Arc::new(WriterQueue::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = q.turn().expect("turn");
        let mut waiting = Vec::new();
        for i in 0..4u64 {
            let (q2, o2) = (q.clone(), order.clone());
            waiting.push(std::thread::spawn(move || {
                let _t = q2.turn().expect("turn");
                o2.lock().expect("order").push(i);
            }));
            // Each takes its ticket before the next starts.
            while q.state.lock().expect("state").next != i + 2 {
                std::thread::yield_now();
            }
        }
        drop(first);
        for w in waiting {
            w.join().expect("writer");
        }
        assert_eq!(*order.lock().expect("order"), vec![0, 1, 2, 3]);
    }

    #[test]
    fn the_holder_that_releases_and_asks_again_goes_behind_those_waiting() {
        let q = Arc::new(WriterQueue::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = q.turn().expect("turn");
        let (q2, o2) = (q.clone(), order.clone());
        let other = std::thread::spawn(move || {
            let _t = q2.turn().expect("turn");
            o2.lock().expect("order").push("other");
        });
        while q.state.lock().expect("state").next != 2 {
            std::thread::yield_now();
        }
        drop(held);
        let again = q.turn().expect("turn");
        order.lock().expect("order").push("importer");
        drop(again);
        other.join().expect("other");
        assert_eq!(*order.lock().expect("order"), vec!["other", "importer"]);
    }
}
