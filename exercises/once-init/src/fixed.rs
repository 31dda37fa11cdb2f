// The solution to `cargo xtask learn once-init`: the exercise's state machine with orderings
// that publish the value.

use crate::InitOnce;
use crate::waiters::Waiters;
use std::mem::{self, MaybeUninit};
use std::panic::{RefUnwindSafe, UnwindSafe};
use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicU8, Ordering};

// ANCHOR: states
/// Empty: nobody has stored a value, or an initialiser panicked.
const UNINIT: u8 = 0;
/// One thread owns the cell and is running its initialiser.
const RUNNING: u8 = 1;
/// The value is stored, and never changes again.
const DONE: u8 = 2;

/// A cell whose initialiser runs once, however many threads ask at once.
pub struct OnceCell<T> {
    state: AtomicU8,
    /// The threads parked in RUNNING, and the one running `init`.
    waiters: Waiters,
    value: UnsafeCell<MaybeUninit<T>>,
}
// ANCHOR_END: states

// SAFETY: every thread that calls `get` gets a `&T` (so `T: Sync`), and
// the value may be made on one thread and dropped on another (`T: Send`).
// Access to `value` itself is ordered by `state`, as the comments show.
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

// A panicking initialiser leaves the cell empty and usable (see
// `ResetOnPanic`), so a `&OnceCell` may cross `catch_unwind`, as with std's.
impl<T: RefUnwindSafe + UnwindSafe> RefUnwindSafe for OnceCell<T> {}

impl<T> InitOnce<T> for OnceCell<T> {
    fn new() -> Self {
        OnceCell {
            state: AtomicU8::new(UNINIT),
            waiters: Waiters::new(),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    // ANCHOR: get
    #[inline]
    fn get(&self) -> Option<&T> {
        // Acquire: pairs with the Release store of DONE in `initialize`.
        // Seeing DONE then also means seeing the write of the value.
        if self.state.load(Ordering::Acquire) == DONE {
            // SAFETY: DONE, seen with Acquire: the value is written, the
            // write happened before this read, and nobody writes it again.
            Some(unsafe { self.value_unchecked() })
        } else {
            None
        }
    }
    // ANCHOR_END: get

    #[inline]
    fn get_or_init<F: FnOnce() -> T>(&self, init: F) -> &T {
        match self.get() {
            Some(value) => value,
            None => self.initialize(init),
        }
    }
}

impl<T> OnceCell<T> {
    // ANCHOR: claim
    /// The slow path: claim the cell, or wait for the thread that did.
    #[cold]
    fn initialize<F: FnOnce() -> T>(&self, init: F) -> &T {
        loop {
            let claim = self.state.compare_exchange(
                UNINIT,
                RUNNING,
                // Success, Relaxed: claiming receives nothing; no value was
                // written before (a panicked initialiser writes none).
                Ordering::Relaxed,
                // Failure, Acquire: pairs with the Release store of DONE in
                // `run`, for when we fail because the value is ready.
                Ordering::Acquire,
            );
            match claim {
                Ok(_) => return self.run(init),
                // SAFETY: DONE, seen with Acquire (the CAS's failure load).
                Err(DONE) => return unsafe { self.value_unchecked() },
                // RUNNING: park until the owner finishes, then try again.
                Err(_) => self.waiters.wait(|| {
                    // Relaxed: read under the queue's lock, which orders it
                    // with the owner's wake-up; the CAS does the Acquire.
                    self.state.load(Ordering::Relaxed) == RUNNING
                }),
            }
        }
    }
    // ANCHOR_END: claim

    // ANCHOR: run
    /// Runs `init` in the RUNNING state this thread claimed.
    fn run<F: FnOnce() -> T>(&self, init: F) -> &T {
        self.waiters.claimed();
        let reset = ResetOnPanic(self);
        let value = init();
        // SAFETY: this thread owns the RUNNING state, and nobody reads
        // the value before seeing DONE, which is stored after this write.
        self.value
            .with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        mem::forget(reset);
        // Release: publishes the write above. Pairs with the Acquire loads
        // that see DONE: in `get` and in the CAS's failure case.
        self.state.store(DONE, Ordering::Release);
        self.waiters.finished();
        // SAFETY: this thread wrote the value, so it happened before.
        unsafe { self.value_unchecked() }
    }
    // ANCHOR_END: run

    /// How many threads are parked, waiting for the initialiser to finish.
    pub fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// The stored value.
    ///
    /// # Safety
    /// The state is DONE, and this thread stored it or saw it with Acquire.
    unsafe fn value_unchecked(&self) -> &T {
        // SAFETY: per the caller, the value is written and the write
        // happened before this read; nobody writes it again.
        self.value.with(|slot| unsafe { (*slot).assume_init_ref() })
    }
}

// ANCHOR: reset
/// Puts a claimed cell back to UNINIT if the initialiser panics, and wakes
/// its waiters: the next caller runs its own initialiser. The cell retries;
/// it is not poisoned.
struct ResetOnPanic<'a, T>(&'a OnceCell<T>);

impl<T> Drop for ResetOnPanic<'_, T> {
    fn drop(&mut self) {
        // Relaxed: a panicked initialiser wrote no value, so there is
        // nothing to publish; the next owner starts from scratch.
        self.0.state.store(UNINIT, Ordering::Relaxed);
        self.0.waiters.finished();
    }
}
// ANCHOR_END: reset

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self` means no other thread can reach the cell;
        // what gave us that (a join, the last `Arc`) ordered their
        // accesses before this one already.
        if mem::needs_drop::<T>() && self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written; we are alone.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
