//! Lesson 6's chain under loom: `RUSTFLAGS="--cfg loom" cargo test -p happens-before
//! --release --test loom_chain -- --nocapture` prints how many executions each model ran.
#![cfg(loom)]

use happens_before::chain::{self, Relayed};

// ANCHOR: chain
/// A → B → C: in every execution loom runs, a C that sees `flag2` reads A's 42.
#[test]
fn a_release_hands_on_what_its_thread_acquired() {
    let (outcomes, executions) = chain::check::chain_hands_over(chain::relay::b_relays);
    eprintln!("chain: {executions} executions, outcomes {outcomes:?}");
    let c_got_the_data = Relayed {
        b_saw_flag1: true,
        c_saw_flag2: true,
        c_read: 42,
    };
    assert!(
        outcomes.contains(&c_got_the_data),
        "loom never ran the hand-over"
    );
    // Lesson 6 states this count; a loom upgrade that changes it fails here.
    assert_eq!(executions, 5_401, "the page states the count");
}
// ANCHOR_END: chain

// ANCHOR: broken_relay_is_caught
/// B's store Relaxed: C reads the data with no happens-before path from A's write.
#[test]
fn a_relaxed_relay_hands_on_nothing() {
    support::expect_bug("Causality violation", || {
        chain::check::chain_hands_over(chain::broken_relaxed_relay::b_relays);
    });
}
// ANCHOR_END: broken_relay_is_caught

/// A Relaxed `fetch_add` by B continues A's release sequence: a C that reads B's 2 reads
/// A's data.
#[test]
fn a_relaxed_read_modify_write_continues_the_release_sequence() {
    let (outcomes, executions) = chain::check::release_sequence_hands_over();
    eprintln!("release sequence: {executions} executions, outcomes {outcomes:?}");
    assert!(
        outcomes.contains(&(1, (2, 42))),
        "loom never let C read B's 2"
    );
    // The Going-further page states this count.
    assert_eq!(executions, 46_863, "the page states the count");
}
