//! The checker for lesson 8 (compiled only under `--cfg loom`).

use crate::cas::{PushOnly, push_two_and_read};

// ANCHOR: reader_sees_whole_nodes
/// Two pushers and a reader. Whatever the reader finds must be a consistent list: newest
/// first, made only of values that were pushed, each at most once. Exhaustive: four threads
/// (the main thread joins), and each push is a load plus one or two CAS attempts.
pub fn reader_sees_whole_nodes<S: PushOnly>() {
    support::model(|| {
        let seen = push_two_and_read::<S>();
        assert!(seen.len() <= 2, "the reader walked too far: {seen:?}");
        for value in &seen {
            assert!(
                *value == 10 || *value == 11,
                "the reader saw a node before its value: {seen:?}"
            );
        }
        if let [newer, older] = seen[..] {
            assert_ne!(newer, older, "the reader saw one node twice: {seen:?}");
        }
    });
}
// ANCHOR_END: reader_sees_whole_nodes
