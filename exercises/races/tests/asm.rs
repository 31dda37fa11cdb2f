//! Lesson 2's claim about the optimiser, checked against this compiler:
//! `cargo test -p races --test asm -- --nocapture`.
//!
//! The lesson says that the optimiser compiles the racy counter as if no other thread could
//! touch it, and so may merge a hundred increments into one `add`. This test compiles the crate
//! to assembly the way a user's release build would (`--release` with Cargo's default of no
//! overflow checks; this workspace turns them on for its loom runs, and a checked `+ 1` must
//! stop at the exact increment that overflows, which keeps the loop), reads
//! `broken_data_race::bump_hundred`, and asserts what the lesson shows: no loop and no branch
//! left, and one add of 100 in place of a hundred adds of 1. A compiler that stops doing this
//! fails the test, and the lesson's sentence must then be looked at again.
//!
//! Only x86-64 and AArch64 hosts check the instructions; on any other host the test says so and
//! passes.
#![cfg(not(loom))]

use std::path::PathBuf;
use std::process::Command;

/// The workspace's `target/`, with a directory of its own for this build so that its extra
/// flags never force a rebuild of the normal one.
fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/asm-races")
}

/// Runs `cargo` with `args` in the workspace, failing the test with cargo's message if it fails.
fn cargo(args: &[&str]) {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(args)
        .env("CARGO_TARGET_DIR", out_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // The build takes about a second; ten minutes means something hung.
    let output = support::process::output_within(
        &mut cargo,
        std::time::Duration::from_secs(600),
        &format!("`cargo {}`", args.join(" ")),
    );
    assert!(
        output.status.success(),
        "`cargo {}` failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The assembly of the `races` library, release profile, one codegen unit.
fn assembly() -> String {
    let file = out_dir().join("races.s");
    // Cargo skips a build it thinks is fresh and then writes no assembly: clean the crate
    // first (it rebuilds in well under a second; `support` stays built).
    cargo(&["clean", "--quiet", "-p", "races", "--release"]);
    let emit = format!("asm={}", file.display());
    let mut args = vec!["rustc", "--quiet", "--offline", "--locked"];
    args.extend(["-p", "races", "--release", "--lib", "--"]);
    args.extend(["--emit", &emit, "-C", "codegen-units=1"]);
    args.extend(["-C", "overflow-checks=off"]);
    if cfg!(target_arch = "x86_64") {
        args.extend(["-C", "llvm-args=-x86-asm-syntax=intel"]);
    }
    cargo(&args);
    std::fs::read_to_string(&file).expect("cargo wrote the assembly")
}

/// The instructions of the function whose symbol contains `name`: labels, directives and
/// comments dropped, whitespace normalised.
fn instructions(asm: &str, name: &str) -> Vec<String> {
    // `#` starts a comment on x86-64 and an immediate on AArch64.
    let arm = cfg!(target_arch = "aarch64");
    let comment = if arm { "//" } else { "#" };
    let mut lines = asm.lines().skip_while(|line| {
        line.starts_with(char::is_whitespace) || !line.contains(name) || !line.ends_with(':')
    });
    assert!(lines.next().is_some(), "`{name}` is not in the assembly");
    lines
        .map(str::trim)
        .take_while(|line| !line.starts_with(".Lfunc_end") && !line.starts_with(".cfi_endproc"))
        .map(|line| line.split(comment).next().unwrap_or_default().trim())
        .filter(|code| !code.is_empty() && !code.starts_with('.') && !code.ends_with(':'))
        .map(|code| code.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Whether `instruction` can jump: a loop needs one.
fn branches(instruction: &str) -> bool {
    let mnemonic = instruction.split(' ').next().unwrap_or_default();
    if cfg!(target_arch = "aarch64") {
        let jumps = ["b", "bl", "br", "blr", "cbz", "cbnz", "tbz", "tbnz"];
        mnemonic.starts_with("b.") || jumps.contains(&mnemonic)
    } else {
        mnemonic.starts_with('j') || mnemonic == "loop" || mnemonic == "call"
    }
}

// ANCHOR: merged
#[test]
fn a_hundred_racy_increments_become_one_add() {
    if !cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
        eprintln!("bump_hundred: instructions checked on x86-64 and AArch64 only");
        return;
    }
    let body = instructions(&assembly(), "bump_hundred");
    eprintln!("bump_hundred, release build: {}", body.join("; "));
    let adds: Vec<&String> = body
        .iter()
        .filter(|i| i.starts_with("add") || i.starts_with("inc"))
        .collect();
    // One add, of the whole hundred at once ...
    assert_eq!(adds.len(), 1, "{body:?}");
    let hundred = adds[0].ends_with(" 100") || adds[0].ends_with(" #100");
    assert!(hundred, "{body:?}");
    // ... and no loop around it: nothing but the final `ret` jumps.
    assert!(!body.iter().any(|i| branches(i)), "{body:?}");
}
// ANCHOR_END: merged
