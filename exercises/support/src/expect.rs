//! "This broken example must fail, and fail for this reason."

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, which must panic with a message containing `expected`, and returns that message.
///
/// Fails the calling test if `f` returns normally (the bug was not caught) or panics with a
/// different message (it was caught for the wrong reason, so the lesson would be wrong).
#[track_caller]
pub fn expect_bug<F: FnOnce()>(expected: &str, f: F) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(()) => panic!("expected the checker to report {expected:?}, but it passed"),
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            assert!(
                message.contains(expected),
                "expected the checker to report {expected:?}, but it reported:\n{message}"
            );
            message
        }
    }
}

/// The text of a panic payload (`panic!` with a literal or with a format string).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<a panic with a non-string payload>".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_message_of_the_expected_panic() {
        let message = expect_bug("lost update", || panic!("lost update: counter is {}", 1));
        assert_eq!(message, "lost update: counter is 1");
    }

    #[test]
    #[should_panic(expected = "but it passed")]
    fn fails_when_nothing_panics() {
        expect_bug("lost update", || {});
    }

    #[test]
    #[should_panic(expected = "but it reported")]
    fn fails_when_the_panic_is_a_different_bug() {
        expect_bug("lost update", || panic!("index out of bounds"));
    }
}
