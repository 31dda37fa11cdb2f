//! The stacks under loom: `RUSTFLAGS="--cfg loom" cargo test --release --test loom`.
#![cfg(loom)]

use support::sync::Arc;
use support::thread;
use treiber::{Stack, broken, fixed};

// ANCHOR: pop_once
/// One thread pushes, the main thread pops once. It looks like a test of the race, but the
/// pop usually finds the stack empty or finds the node long after it was written: the model
/// explores very few executions and never makes the popper read a node it was not sent.
fn pop_once<S: Stack>() {
    support::model(|| {
        let stack = Arc::new(S::new());
        let pusher = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.push(7))
        };
        let popped = stack.pop();
        assert!(popped.is_none() || popped == Some(7), "popped {popped:?}");
        pusher.join().unwrap();
    });
}
// ANCHOR_END: pop_once

// ANCHOR: pop_until
/// The popper retries until the value arrives, so every execution reaches the read of a node
/// another thread pushed: the access that races when push publishes with Relaxed.
fn pop_until_it_arrives<S: Stack>() {
    support::model(|| {
        let stack = Arc::new(S::new());
        let pusher = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.push(7))
        };
        let popped = loop {
            match stack.pop() {
                Some(value) => break value,
                // loom needs a yield in every spin loop, or it reports a branch limit.
                None => thread::yield_now(),
            }
        };
        assert_eq!(popped, 7);
        pusher.join().unwrap();
    });
}
// ANCHOR_END: pop_until

/// More operations per thread: two pushers, and the popper takes both values.
fn two_pushers<S: Stack>() {
    support::model(|| {
        let stack = Arc::new(S::new());
        let pushers: Vec<_> = [1, 2]
            .into_iter()
            .map(|value| {
                let stack = Arc::clone(&stack);
                thread::spawn(move || stack.push(value))
            })
            .collect();
        let mut popped = Vec::new();
        while popped.len() < 2 {
            match stack.pop() {
                Some(value) => popped.push(value),
                None => thread::yield_now(),
            }
        }
        popped.sort_unstable();
        assert_eq!(popped, [1, 2]);
        for pusher in pushers {
            pusher.join().unwrap();
        }
    });
}

// ANCHOR: tests
#[test]
fn one_pop_misses_the_broken_push() {
    // Passes although the push is broken: the coverage line this prints is the warning.
    pop_once::<broken::Stack>();
}

#[test]
fn broken_push_is_caught_when_the_pop_retries() {
    support::expect_bug("Causality violation", pop_until_it_arrives::<broken::Stack>);
}

#[test]
fn fixed_push_passes_when_the_pop_retries() {
    pop_until_it_arrives::<fixed::Stack>();
}

#[test]
fn fixed_stack_passes_two_pushers() {
    two_pushers::<fixed::Stack>();
}
// ANCHOR_END: tests
