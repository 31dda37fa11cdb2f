// Where a cell's waiters sleep while another thread runs the initialiser: a queue of parked
// threads behind a lock, and the name of the thread that owns the cell, so that a reentrant call
// is told apart from a wait. Both compare-and-swap cells use it; it holds no atomics of its own,
// so every ordering the cells choose stays in their own files.

use std::mem;
use std::ops::DerefMut;
use std::sync::PoisonError;
use support::sync::Mutex;
use support::thread::{self, Thread};

/// What a reentrant call panics with.
const REENTRANT: &str = "reentrant initialisation: the initialiser called \
    get_or_init (or set) on the cell it is initialising, which would wait for itself forever";

/// The threads waiting for a cell's initialiser, and the thread running it.
pub(crate) struct Waiters(Mutex<Queue>);

struct Queue {
    /// The thread running the initialiser, while it runs.
    owner: Option<Thread>,
    /// The threads parked until the owner finishes, in either way.
    parked: Vec<Thread>,
}

impl Waiters {
    pub(crate) fn new() -> Self {
        Waiters(Mutex::new(Queue {
            owner: None,
            parked: Vec::new(),
        }))
    }

    fn lock(&self) -> impl DerefMut<Target = Queue> + '_ {
        // Nothing panics while holding the lock, so poison would only ever be stale.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: claimed
    /// Called by the thread that has just won the claim, before it runs the initialiser.
    pub(crate) fn claimed(&self) {
        self.lock().owner = Some(thread::current());
    }
    // ANCHOR_END: claimed

    // ANCHOR: wait
    /// Sleeps while `running()` holds, until the owner finishes. `running` is read under the
    /// lock, so an owner that finishes after that read finds this thread in the queue, and
    /// one that finished before it is seen to have finished: no wake-up is lost.
    ///
    /// # Panics
    /// If the calling thread is the owner: it would wait for itself.
    pub(crate) fn wait(&self, running: impl Fn() -> bool) {
        let me = thread::current();
        let mut queue = self.lock();
        if !running() {
            return; // The owner finished meanwhile: try the claim again.
        }
        if is_current(queue.owner.as_ref()) {
            drop(queue);
            panic!("{REENTRANT}");
        }
        queue.parked.push(me.clone());
        // `park` may return early (spuriously, or for an older `unpark`). The owner takes
        // this thread out of the queue before waking it, so that is the signal to go on.
        while queue.parked.iter().any(|parked| parked.id() == me.id()) {
            drop(queue);
            thread::park();
            queue = self.lock();
        }
    }
    // ANCHOR_END: wait

    // ANCHOR: finished
    /// Called by the owner after it has stored DONE, or UNINIT after a panic: empties the
    /// queue and wakes every thread that was in it.
    pub(crate) fn finished(&self) {
        let parked = {
            let mut queue = self.lock();
            // After a panic, a new owner may already have claimed the cell: leave its name.
            if is_current(queue.owner.as_ref()) {
                queue.owner = None;
            }
            mem::take(&mut queue.parked)
        };
        for waiter in parked {
            waiter.unpark();
        }
    }
    // ANCHOR_END: finished

    /// How many threads are parked waiting for the owner.
    pub(crate) fn len(&self) -> usize {
        self.lock().parked.len()
    }
}

/// Whether `thread` is the calling thread.
fn is_current(thread: Option<&Thread>) -> bool {
    thread.is_some_and(|thread| thread.id() == thread::current().id())
}
