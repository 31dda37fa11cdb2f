//! The checker for the fences (compiled only under `--cfg loom`).

use crate::fences::{PAYLOAD, Receiver, Sender, hand_over};

// ANCHOR: hands_over
/// In every execution loom explores, the waiting thread reads the payload, without a
/// causality violation. Two threads, one flag, one payload: exhaustive, in milliseconds.
pub fn hands_over(send: Sender, wait: Receiver) {
    support::model(move || {
        assert_eq!(
            hand_over(send, wait),
            PAYLOAD,
            "the receiver read a wrong payload"
        );
    });
}
// ANCHOR_END: hands_over
