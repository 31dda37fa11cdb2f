//! The checker: loom models that every reference count must pass (compiled only under
//! `--cfg loom`).
//!
//! Each pointer model is generic over [`Shared`], so the broken pointers, the fixed one and a
//! reader's attempt are judged by the same code. The check-then-act bug is judged on its
//! decision alone ([`one_owner_decides_to_free`]): the crate never lets a pointer free twice,
//! since that is undefined behaviour whatever runs it (loom runs the code natively).

use crate::Shared;
use crate::harness::{Config, Counted};
use support::sync::Arc;
use support::sync::atomic::AtomicUsize;
use support::thread;

// ANCHOR: last_use_then_drop
/// Three owners on three threads each handle a request (read a setting,
/// cache an entry through `&self`), then drop their owner. Whoever drops
/// last runs the destructor, which reads the cached entry to free it:
/// every handler's write must happen before that read. Exhaustive.
pub fn last_use_then_drop<P>()
where
    P: Shared<Config> + Send + 'static,
{
    support::model(|| {
        let main = P::new(Config::new(7));
        let handles: Vec<_> = (1..3)
            .map(|id| {
                let owner = main.clone();
                thread::spawn(move || {
                    handle_request(&owner, id);
                    drop(owner); // may be the last owner: runs the destructor
                })
            })
            .collect();
        handle_request(&main, 3);
        drop(main);
        for handle in handles {
            handle.join().unwrap();
        }
    });
}

/// A handler's use of the config: a read, and a write through `&self`.
fn handle_request(config: &Config, id: u64) {
    assert_eq!(config.setting(), 7);
    config.cache(id);
}
// ANCHOR_END: last_use_then_drop

/// One owner caches an entry and leaves; the other, once it is the only owner, writes the
/// entry through `get_mut`. The write must happen after the other's (rust-lang/rust#51780).
/// Exhaustive.
pub fn get_mut_after_the_other_owner_left<P>()
where
    P: Shared<Config> + Send + 'static,
{
    support::model(|| {
        let mut main = P::new(Config::new(7));
        let other = main.clone();
        let handle = thread::spawn(move || {
            handle_request(&other, 1);
            drop(other);
        });
        if let Some(config) = P::get_mut(&mut main) {
            config.set_cached(2);
        }
        handle.join().unwrap();
        let config = P::get_mut(&mut main).expect("get_mut failed for the only owner");
        assert!(matches!(config.cached(), 1 | 2));
    });
}

// ANCHOR: dropped_exactly_once
/// Two owners on two threads drop at the same time. The value must be
/// dropped exactly once: never twice, never leaked. Exhaustive.
pub fn dropped_exactly_once<P>()
where
    P: Shared<Counted> + Send + 'static,
{
    support::model(|| {
        let drops = Counted::counter();
        let main = P::new(Counted::new(drops));
        let other = main.clone();
        let handle = thread::spawn(move || drop(other));
        drop(main);
        handle.join().unwrap();
        // Relaxed: pairs with nothing; the join ordered every drop before.
        let n = drops.load(std::sync::atomic::Ordering::Relaxed);
        assert!(n != 0, "leak: no owner dropped the value");
        assert!(n == 1, "double drop: the value was dropped {n} times");
    });
}
// ANCHOR_END: dropped_exactly_once

// ANCHOR: try_unwrap_model
/// The other owner handles a request and leaves; `try_unwrap` takes the
/// value if it sees itself alone, and the value's destructor then reads
/// the cached entry: the other owner's write must happen before it.
/// Exhaustive. (A pointer that keeps the trait's default, which never
/// takes the value, passes trivially.)
pub fn try_unwrap_after_the_other_owner_left<P>()
where
    P: Shared<Config> + Send + 'static,
{
    support::model(|| {
        let main = P::new(Config::new(7));
        let other = main.clone();
        let handle = thread::spawn(move || {
            handle_request(&other, 1);
            drop(other);
        });
        match P::try_unwrap(main) {
            Ok(config) => drop(config), // the destructor reads the entry
            Err(main) => assert!(P::strong_count(&main) <= 2),
        }
        handle.join().unwrap();
    });
}
// ANCHOR_END: try_unwrap_model

// ANCHOR: one_owner_decides
/// Two owners leave at once through `leave`, the step of a pointer's
/// drop that answers "was I the last owner?". Exactly one may answer
/// yes. Only the count is touched and nothing is freed, so a wrong
/// answer is reported, never acted on. Exhaustive.
pub fn one_owner_decides_to_free(leave: fn(&AtomicUsize) -> bool) {
    support::model(move || {
        let count = Arc::new(AtomicUsize::new(2));
        let theirs = {
            let count = Arc::clone(&count);
            thread::spawn(move || leave(&count))
        };
        let mine = leave(&count);
        let theirs = theirs.join().unwrap();
        let n = usize::from(mine) + usize::from(theirs);
        assert!(n != 0, "leak: no owner decided to free the value");
        assert!(n == 1, "double free: {n} owners decided to free the value");
    });
}
// ANCHOR_END: one_owner_decides

/// Clones made from a shared `&P` on two threads, then dropped: the count returns to one and
/// the value is still there. Exhaustive.
pub fn clones_from_a_shared_reference<P>()
where
    P: Shared<Config> + Send + Sync + 'static,
{
    support::model(|| {
        let main = support::sync::Arc::new(P::new(Config::new(7)));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let shared = main.clone();
                thread::spawn(move || {
                    let owner = (*shared).clone();
                    assert_eq!(owner.setting(), 7);
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(P::strong_count(&main), 1, "a clone was not counted");
        assert_eq!(main.setting(), 7);
    });
}
