// A once-cell built on a compare-and-swap, as it is often first written. `cargo xtask learn
// once-init` copies this file to `exercises/once-init/attempt.rs` for you to fix; the checker
// must reject it as shipped. The state machine is right. The orderings are not.

use crate::InitOnce;
use crate::waiters::Waiters;
use std::mem::{self, MaybeUninit};
use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicU8, Ordering};

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

// SAFETY: every thread that calls `get` gets a `&T` (so `T: Sync`), and
// the value may be made on one thread and dropped on another (`T: Send`).
// (The claim that `state` orders access to `value` is the bug.)
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

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
        // "The state is atomic, so whoever sees DONE sees the value."
        if self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written. (Is the write visible?)
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
    /// The slow path: claim the cell, or wait for the thread that did.
    #[cold]
    fn initialize<F: FnOnce() -> T>(&self, init: F) -> &T {
        loop {
            // "The CAS makes sure only one thread initialises."
            let claim =
                self.state
                    .compare_exchange(UNINIT, RUNNING, Ordering::Relaxed, Ordering::Relaxed);
            match claim {
                Ok(_) => return self.run(init),
                // SAFETY: DONE means the value is written. (Is the write visible?)
                Err(DONE) => return unsafe { self.value_unchecked() },
                // RUNNING: park until the owner finishes, then try again.
                Err(_) => self
                    .waiters
                    .wait(|| self.state.load(Ordering::Relaxed) == RUNNING),
            }
        }
    }

    // ANCHOR: run
    /// Runs `init` in the RUNNING state this thread claimed.
    fn run<F: FnOnce() -> T>(&self, init: F) -> &T {
        self.waiters.claimed();
        let reset = ResetOnPanic(self);
        let value = init();
        // SAFETY: this thread owns the RUNNING state.
        self.value
            .with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        mem::forget(reset);
        // "Nobody else writes DONE, so Relaxed is enough."
        self.state.store(DONE, Ordering::Relaxed);
        self.waiters.finished();
        // SAFETY: this thread wrote the value.
        unsafe { self.value_unchecked() }
    }
    // ANCHOR_END: run

    /// The stored value.
    ///
    /// # Safety
    /// The value has been written, and the write happened before this read.
    unsafe fn value_unchecked(&self) -> &T {
        // SAFETY: per the caller.
        self.value.with(|slot| unsafe { (*slot).assume_init_ref() })
    }
}

/// Puts a claimed cell back to UNINIT if the initialiser panics, and wakes
/// its waiters, so that the next caller runs its own initialiser.
struct ResetOnPanic<'a, T>(&'a OnceCell<T>);

impl<T> Drop for ResetOnPanic<'_, T> {
    fn drop(&mut self) {
        self.0.state.store(UNINIT, Ordering::Relaxed);
        self.0.waiters.finished();
    }
}

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        if mem::needs_drop::<T>() && self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written; we are alone.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
