//! `cargo xtask audit --crate PATH` on a crate outside this repository: a two-fence mailbox
//! written to a temporary directory, with plain `loom` (no `support` shim) and one model. The
//! writer's `fence(Release)` is what hands the message over; the `fence(Acquire)` after the
//! flag's store orders nothing. The audit must find the first needed and the second removable,
//! say that the removal passed only one model, and write its report into the crate's own
//! `target/`, never into the book.

use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST: &str = r#"[package]
name = "mailbox"
version = "0.1.0"
edition = "2021"
publish = false

[target.'cfg(loom)'.dependencies]
loom = "0.7.3"

[lints.rust]
unexpected_cfgs = { level = "warn", check-cfg = ['cfg(loom)'] }

[workspace]
"#;

const LIB: &str = r#"//! A one-message mailbox (loom builds only: the test crate has no other use).
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicBool, Ordering, fence};

pub struct Mailbox {
    message: UnsafeCell<u64>,
    full: AtomicBool,
}

// SAFETY: `message` is written once, before `full` is set, and read only after it is seen set.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    pub fn new() -> Mailbox {
        Mailbox { message: UnsafeCell::new(0), full: AtomicBool::new(false) }
    }

    pub fn send(&self, value: u64) {
        self.message.with_mut(|m| unsafe { *m = value });
        fence(Ordering::Release);
        self.full.store(true, Ordering::Relaxed);
        fence(Ordering::Acquire);
    }

    pub fn receive(&self) -> Option<u64> {
        if self.full.load(Ordering::Acquire) {
            Some(self.message.with(|m| unsafe { *m }))
        } else {
            None
        }
    }
}
"#;

const TEST: &str = r#"#![cfg(loom)]

use loom::sync::Arc;
use mailbox::Mailbox;

#[test]
fn the_message_arrives_whole() {
    loom::model(|| {
        let mailbox = Arc::new(Mailbox::new());
        let sender = Arc::clone(&mailbox);
        let thread = loom::thread::spawn(move || sender.send(7));
        if let Some(message) = mailbox.receive() {
            assert_eq!(message, 7);
        }
        thread.join().unwrap();
    });
}
"#;

/// The crate, in a directory outside the repository. Its path stays the same from run to run,
/// so loom is compiled once, not on every run.
fn write_crate() -> PathBuf {
    let dir = std::env::temp_dir().join("xtask-audit-outside-crate");
    for (path, text) in [
        ("Cargo.toml", MANIFEST),
        ("src/lib.rs", LIB),
        ("tests/loom.rs", TEST),
    ] {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // This repository's lock pins loom and its dependencies to versions in the local cache.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
    let _ = std::fs::remove_file(dir.join("target/audit/report.md"));
    dir
}

#[test]
fn audit_of_a_crate_outside_the_repository_tests_its_fences() {
    let dir = write_crate();
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/appendix/audit");
    let tables_before = std::fs::read_dir(&book).map(|d| d.count()).unwrap_or(0);
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["audit", "--timeout", "60", "--crate"])
        .arg(&dir)
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The removable fence is flagged, so the audit fails.
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("1 site(s) flagged"), "{stdout}\n{stderr}");

    let report = std::fs::read_to_string(dir.join("target/audit/report.md"))
        .unwrap_or_else(|e| panic!("no report ({e}):\n{stdout}\n{stderr}"));
    let row = |line: usize| {
        report
            .lines()
            .find(|l| l.starts_with(&format!("| `src/lib.rs:{line}`")))
            .unwrap_or_else(|| panic!("no row for line {line}:\n{report}"))
            .to_owned()
    };
    // fence(Release): needed, and the model that says so is named.
    let release = row(22);
    assert!(release.contains("| `fence` | `Release` |"), "{release}");
    assert!(
        release.contains(
            "needed: removing it fails `the_message_arrives_whole` with: Causality violation"
        ),
        "{release}"
    );
    // fence(Acquire): removable, on the word of one small model, so not proven.
    let acquire = row(24);
    assert!(
        acquire.contains("**flagged**: removing it passes these models (")
            && acquire.contains("the models may not reach the path; not proven"),
        "{acquire}"
    );
    assert!(
        acquire.contains("only `the_message_arrives_whole` ("),
        "{acquire}"
    );
    // loom's own count (`LOOM_LOG=info`), since this crate has no shim.
    assert!(
        report.contains("As written, its models explored: `the_message_arrives_whole` ("),
        "{report}"
    );
    assert!(!report.contains("executions unknown"), "{report}");
    // The load's Acquire is what receives the message.
    assert!(row(28).contains("| minimal |"), "{}", row(28));

    // Nothing was written into the book, and the crate's sources are untouched.
    let tables_after = std::fs::read_dir(&book).map(|d| d.count()).unwrap_or(0);
    assert_eq!(tables_before, tables_after);
    assert_eq!(
        std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
        LIB
    );
}
