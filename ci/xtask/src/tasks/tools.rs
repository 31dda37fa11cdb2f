//! `cargo xtask tools [--check | --hardware]`: the Tools appendix's table, from the tests that
//! back it.
//!
//! Every cell of the table "what each tool sees" is a [`Claim`] in [`CLAIMS`], and every claim
//! names the one test that proves it. `cargo xtask tools` runs each claim's test the way its
//! tool runs (a std test, a loom model, the crate's Miri or TSan checks), fails if any of them
//! fails, and only then writes `src/appendix/tools/table.md`, which the appendix includes. So a
//! cell cannot say something that its test does not show, and the table cannot be edited by
//! hand: `--check` (part of `cargo xtask test`) fails if the committed table is not what the
//! registry renders, or if a claim's test could escape CI (missing, `#[ignore]`d for a std or
//! loom claim, or absent from the crate's Miri or TSan table).
//!
//! Claims about arm64 hardware cannot run on an x86-64 machine: they are run by the arm64 CI
//! job (`cargo xtask tools --hardware`, which runs only the claims about this machine's
//! processor), and the x86-64 claims the same way on x86-64.

use crate::util::{Result, cargo_metadata, cmd, relative, root, step};
use anyhow::anyhow;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// The table's columns, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Loom,
    Miri,
    Tsan,
    /// A test on real threads, on an x86-64 machine.
    X86,
    /// A test on real threads, on an arm64 machine.
    Arm,
}

const TOOLS: [Tool; 5] = [Tool::Loom, Tool::Miri, Tool::Tsan, Tool::X86, Tool::Arm];

impl Tool {
    fn heading(self) -> &'static str {
        match self {
            Tool::Loom => "loom",
            Tool::Miri => "Miri",
            Tool::Tsan => "ThreadSanitizer",
            Tool::X86 => "real threads, x86-64",
            Tool::Arm => "real threads, arm64",
        }
    }

    /// The processor a hardware claim must run on (`std::env::consts::ARCH`).
    fn arch(self) -> Option<&'static str> {
        match self {
            Tool::X86 => Some("x86_64"),
            Tool::Arm => Some("aarch64"),
            _ => None,
        }
    }
}

/// What the tool does with the program. The first word of every cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Broken code, and the tool reports the bug.
    Caught,
    /// Broken code, and the tool reports nothing: a blind spot.
    Missed,
    /// Correct code (or an outcome the model forbids), and the tool reports a bug anyway.
    FalseAlarm,
    /// Correct code, and the tool passes it.
    Passes,
    /// A litmus outcome the model allows, and the tool produces it.
    Produces,
    /// A litmus outcome the model allows, and the tool never produces it: a blind spot.
    NeverProduces,
    /// A litmus outcome the model forbids, and the tool never produces it.
    Never,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Caught => "caught",
            Verdict::Missed => "missed",
            Verdict::FalseAlarm => "false alarm",
            Verdict::Passes => "passes",
            Verdict::Produces => "produced",
            Verdict::NeverProduces => "never produced",
            Verdict::Never => "never",
        }
    }

    /// Whether the tool's run ends in a report, which Miri's and TSan's tables must expect.
    fn reports(self) -> bool {
        matches!(self, Verdict::Caught | Verdict::FalseAlarm)
    }
}

/// One cell: what `tool` does with `row`, and the test that shows it.
#[derive(Clone, Copy, Debug)]
pub struct Claim {
    pub row: &'static str,
    pub tool: Tool,
    pub verdict: Verdict,
    /// The rest of the cell, after the verdict: the message, the outcome, the reason.
    pub detail: &'static str,
    pub krate: &'static str,
    /// The test file: `tests/<file>.rs`.
    pub file: &'static str,
    pub test: &'static str,
}

/// One row: a program from the book. `key` is what claims refer to.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub key: &'static str,
    pub group: Group,
    /// Markdown: the program, with a link to the page that teaches it.
    pub title: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Broken,
    Fixed,
    Litmus,
}

impl Group {
    fn heading(self) -> &'static str {
        match self {
            Group::Broken => "The book's bugs",
            Group::Fixed => "The book's fixes (correct code)",
            Group::Litmus => "Litmus tests: does the outcome in question appear?",
        }
    }
}

pub const ROWS: &[Row] = &[
    Row {
        key: "counter-broken",
        group: Group::Broken,
        title: "[counter](../phase-4/lock-free-counter.md): load, then store (lost update)",
    },
    Row {
        key: "spinlock-relaxed",
        group: Group::Broken,
        title: "[spinlock](../phase-3/spinlock.md): Relaxed lock and unlock",
    },
    Row {
        key: "spinlock-weak",
        group: Group::Broken,
        title: "[spinlock](../phase-3/spinlock.md): parks after a spurious weak-CAS failure",
    },
    Row {
        key: "refcount-relaxed",
        group: Group::Broken,
        title: "[refcount](../phase-3/refcount.md): Relaxed decrement",
    },
    Row {
        key: "once-init-relaxed",
        group: Group::Broken,
        title: "[once-init](../phase-3/once-init.md): Relaxed publication",
    },
    Row {
        key: "once-init-check-then-act",
        group: Group::Broken,
        title: "[once-init](../phase-3/once-init.md): check, then act",
    },
    Row {
        key: "spsc-relaxed",
        group: Group::Broken,
        title: "[SPSC queue](../phase-3/spsc.md): Relaxed positions",
    },
    Row {
        key: "counter-fixed",
        group: Group::Fixed,
        title: "[counter](../phase-4/lock-free-counter.md): `fetch_add(1, Relaxed)`",
    },
    Row {
        key: "spinlock-fixed",
        group: Group::Fixed,
        title: "[spinlock](../phase-3/spinlock.md): Acquire CAS, Release unlock",
    },
    Row {
        key: "refcount-fixed",
        group: Group::Fixed,
        title: "[refcount](../phase-3/refcount.md): Release decrement, then `fence(Acquire)`",
    },
    Row {
        key: "refcount-acquire-load",
        group: Group::Fixed,
        title: "refcount with `load(Acquire)` in place of the fence",
    },
    Row {
        key: "std-arc",
        group: Group::Fixed,
        title: "std's `Arc`, built with the sanitizer",
    },
    Row {
        key: "once-init-fixed",
        group: Group::Fixed,
        title: "[once-init](../phase-3/once-init.md): Release store, Acquire loads",
    },
    Row {
        key: "spsc-fixed",
        group: Group::Fixed,
        title: "[SPSC queue](../phase-3/spsc.md): Release/Acquire positions",
    },
    Row {
        key: "sb-relaxed",
        group: Group::Litmus,
        title: "[SB](../phase-1/store-buffers.md), Relaxed: both loads read 0 (allowed)",
    },
    Row {
        key: "sb-seqcst",
        group: Group::Litmus,
        title: "[SB](../phase-1/store-buffers.md), all `SeqCst`: both loads read 0 (forbidden)",
    },
    Row {
        key: "sb-fence",
        group: Group::Litmus,
        title: "[SB](../phase-1/store-buffers.md), Relaxed + `fence(SeqCst)`: both read 0 \
                (forbidden)",
    },
    Row {
        key: "mp-relaxed",
        group: Group::Litmus,
        title: "MP, Relaxed: the flag is seen, the data is not (allowed)",
    },
    Row {
        key: "mp-release-acquire",
        group: Group::Litmus,
        title: "MP, Release/Acquire: the flag is seen, the data is not (forbidden)",
    },
    Row {
        key: "lb-relaxed",
        group: Group::Litmus,
        title: "LB, Relaxed: each load reads the other thread's later store (allowed)",
    },
    Row {
        key: "iriw-relaxed",
        group: Group::Litmus,
        title: "IRIW, Relaxed: two readers see two writes in opposite orders (allowed)",
    },
    Row {
        key: "iriw-seqcst",
        group: Group::Litmus,
        title: "IRIW, all `SeqCst`: two readers see two writes in opposite orders (forbidden)",
    },
    Row {
        key: "2+2w-relaxed",
        group: Group::Litmus,
        title: "2+2W, Relaxed: both locations end with their first write (allowed)",
    },
    Row {
        key: "2+2w-seqcst",
        group: Group::Litmus,
        title: "2+2W, all `SeqCst`: both locations end with their first write (forbidden)",
    },
];

/// A claim, with the fields that are the same for a whole test file filled in.
const fn claim(
    row: &'static str,
    tool: Tool,
    verdict: Verdict,
    detail: &'static str,
    (krate, file): (&'static str, &'static str),
    test: &'static str,
) -> Claim {
    Claim {
        row,
        tool,
        verdict,
        detail,
        krate,
        file,
        test,
    }
}

use Tool::{Arm, Loom, Miri, Tsan, X86};
use Verdict::{Caught, FalseAlarm, Missed, Never, NeverProduces, Passes, Produces};

/// The litmus lab's test files. Each test there checks every set of orderings of one litmus
/// test: loom's exact set of outcomes (its known deviations included), Miri's outcomes against
/// the model and Miri's known blind spots, and, on real threads, that no outcome the model
/// forbids appears.
const LITMUS_LOOM: (&str, &str) = ("litmus", "loom");
const LITMUS_MIRI: (&str, &str) = ("litmus", "miri");
const LITMUS_HARDWARE: (&str, &str) = ("litmus", "hardware");
const NO_FORBIDDEN: &str = "no_forbidden_outcome_appears";

pub const CLAIMS: &[Claim] = &[
    // The counter.
    claim(
        "counter-broken",
        Loom,
        Caught,
        "the model's assertion: the counter reads 1",
        ("counter", "loom"),
        "broken_counter_loses_an_update",
    ),
    claim(
        "counter-broken",
        Tsan,
        Missed,
        "each access is atomic, so there is no data race; a lost update is a race condition",
        ("counter", "tsan"),
        "broken_counter_lost_updates_are_not_a_data_race",
    ),
    claim(
        "counter-fixed",
        Loom,
        Passes,
        "",
        ("counter", "loom"),
        "fixed_counter_never_loses_an_update",
    ),
    claim(
        "counter-fixed",
        X86,
        Passes,
        "exact total, 2 threads × 1,000,000",
        ("counter", "stress"),
        "fixed_counter_counts_every_increment",
    ),
    claim(
        "counter-fixed",
        Arm,
        Passes,
        "exact total, 2 threads × 1,000,000",
        ("counter", "stress"),
        "fixed_counter_counts_every_increment",
    ),
    // The spinlock.
    claim(
        "spinlock-relaxed",
        Loom,
        Caught,
        "Causality violation",
        ("spinlock", "loom"),
        "relaxed_lock_does_not_hand_the_data_over",
    ),
    claim(
        "spinlock-relaxed",
        Miri,
        Caught,
        "Data race detected",
        ("spinlock", "miri"),
        "broken_relaxed_critical_sections_race",
    ),
    claim(
        "spinlock-relaxed",
        Tsan,
        Caught,
        "data race",
        ("spinlock", "tsan"),
        "broken_relaxed_critical_sections_are_reported_as_a_race",
    ),
    claim(
        "spinlock-weak",
        Loom,
        Missed,
        "loom's `compare_exchange_weak` never fails spuriously",
        ("spinlock", "loom"),
        "loom_passes_the_lock_that_deadlocks_on_arm",
    ),
    claim(
        "spinlock-weak",
        Miri,
        Caught,
        "the evaluated program deadlocked (weak CAS fails spuriously; with the failure rate set \
         to 0 the same test passes)",
        ("spinlock", "miri"),
        "broken_weak_deadlocks_on_a_spurious_failure",
    ),
    claim(
        "spinlock-weak",
        Tsan,
        Missed,
        "its weak CAS never fails spuriously",
        ("spinlock", "tsan"),
        "inherited_lock_passes_because_weak_cas_never_fails_spuriously",
    ),
    claim(
        "spinlock-weak",
        X86,
        Missed,
        "`lock cmpxchg` cannot fail spuriously",
        ("spinlock", "stress"),
        "inherited_lock_passes_on_x86",
    ),
    claim(
        "spinlock-fixed",
        Loom,
        Passes,
        "",
        ("spinlock", "loom"),
        "fixed_lock_hands_the_data_over",
    ),
    claim(
        "spinlock-fixed",
        Miri,
        Passes,
        "",
        ("spinlock", "miri"),
        "fixed_lock_keeps_every_push",
    ),
    claim(
        "spinlock-fixed",
        Tsan,
        Passes,
        "",
        ("spinlock", "tsan"),
        "fixed_lock_is_clean",
    ),
    claim(
        "spinlock-fixed",
        X86,
        Passes,
        "exact total, 2 and 4 threads",
        ("spinlock", "stress"),
        "fixed_lock_keeps_every_increment",
    ),
    claim(
        "spinlock-fixed",
        Arm,
        Passes,
        "exact total, 2 and 4 threads",
        ("spinlock", "stress"),
        "fixed_lock_keeps_every_increment",
    ),
    // The reference count.
    claim(
        "refcount-relaxed",
        Loom,
        Caught,
        "Causality violation",
        ("refcount", "loom"),
        "relaxed_decrement_frees_during_a_last_use",
    ),
    claim(
        "refcount-relaxed",
        Miri,
        Caught,
        "Data race detected at `Box::from_raw` (its retag counts as a write)",
        ("refcount", "miri"),
        "broken_relaxed_drop_races_with_the_last_use",
    ),
    claim(
        "refcount-relaxed",
        Tsan,
        Caught,
        "data race",
        ("refcount", "tsan"),
        "broken_relaxed_drop_is_reported_as_a_race",
    ),
    claim(
        "refcount-fixed",
        Loom,
        Passes,
        "",
        ("refcount", "loom"),
        "fixed_frees_after_every_last_use",
    ),
    claim(
        "refcount-fixed",
        Miri,
        Passes,
        "",
        ("refcount", "miri"),
        "fixed_frees_once_after_every_last_use",
    ),
    claim(
        "refcount-fixed",
        Tsan,
        FalseAlarm,
        "data race: TSan does not model fences",
        ("refcount", "tsan"),
        "fixed_fence_drop_is_reported_as_a_race",
    ),
    claim(
        "refcount-fixed",
        X86,
        Passes,
        "every value dropped exactly once",
        ("refcount", "stress"),
        "fixed_drops_every_value_exactly_once",
    ),
    claim(
        "refcount-fixed",
        Arm,
        Passes,
        "every value dropped exactly once",
        ("refcount", "stress"),
        "fixed_drops_every_value_exactly_once",
    ),
    claim(
        "refcount-acquire-load",
        Tsan,
        Passes,
        "the control for the false alarm",
        ("refcount", "tsan"),
        "acquire_load_drop_is_clean",
    ),
    claim(
        "std-arc",
        Tsan,
        Passes,
        "std uses `load(Acquire)` when built for TSan",
        ("refcount", "tsan"),
        "std_arc_drop_is_clean",
    ),
    // The once-init.
    claim(
        "once-init-relaxed",
        Loom,
        Caught,
        "Causality violation",
        ("once-init", "loom"),
        "relaxed_publication_lets_a_reader_see_done_but_not_the_value",
    ),
    claim(
        "once-init-relaxed",
        Miri,
        Caught,
        "Data race detected",
        ("once-init", "miri"),
        "broken_relaxed_reader_races_with_the_initialiser",
    ),
    claim(
        "once-init-relaxed",
        Tsan,
        Caught,
        "data race",
        ("once-init", "tsan"),
        "broken_relaxed_publication_is_reported_as_a_race",
    ),
    claim(
        "once-init-check-then-act",
        Loom,
        Caught,
        "the model's assertion: the initialiser ran 2 times",
        ("once-init", "loom"),
        "check_then_act_runs_the_initialiser_twice",
    ),
    claim(
        "once-init-fixed",
        Loom,
        Passes,
        "",
        ("once-init", "loom"),
        "fixed_publishes_the_value_with_done",
    ),
    claim(
        "once-init-fixed",
        Miri,
        Passes,
        "",
        ("once-init", "miri"),
        "a_reader_that_sees_the_value_sees_all_of_it",
    ),
    claim(
        "once-init-fixed",
        Tsan,
        Passes,
        "",
        ("once-init", "tsan"),
        "fixed_publication_is_clean",
    ),
    claim(
        "once-init-fixed",
        X86,
        Passes,
        "the initialiser runs exactly once",
        ("once-init", "stress"),
        "fixed_cell_runs_init_exactly_once_across_many_threads",
    ),
    claim(
        "once-init-fixed",
        Arm,
        Passes,
        "the initialiser runs exactly once",
        ("once-init", "stress"),
        "fixed_cell_runs_init_exactly_once_across_many_threads",
    ),
    // The SPSC queue.
    claim(
        "spsc-relaxed",
        Loom,
        Caught,
        "Causality violation",
        ("spsc", "loom"),
        "relaxed_positions_let_the_consumer_read_an_unwritten_slot",
    ),
    claim(
        "spsc-relaxed",
        Miri,
        Caught,
        "Data race detected",
        ("spsc", "miri"),
        "broken_relaxed_consumer_reads_a_slot_before_it_is_written",
    ),
    claim(
        "spsc-fixed",
        Loom,
        Passes,
        "",
        ("spsc", "loom"),
        "fixed_delivers_three_messages_through_two_slots",
    ),
    claim(
        "spsc-fixed",
        Miri,
        Passes,
        "",
        ("spsc", "miri"),
        "strings_pass_through_a_ring_of_two",
    ),
    claim(
        "spsc-fixed",
        X86,
        Passes,
        "10 M messages, each once, in order",
        ("spsc", "stress"),
        "fixed_delivers_ten_million_messages_once_each_in_order",
    ),
    claim(
        "spsc-fixed",
        Arm,
        Passes,
        "10 M messages, each once, in order",
        ("spsc", "stress"),
        "fixed_delivers_ten_million_messages_once_each_in_order",
    ),
    // The litmus lab: loom.
    claim("sb-relaxed", Loom, Produces, "", LITMUS_LOOM, "sb"),
    claim(
        "sb-seqcst",
        Loom,
        FalseAlarm,
        "produces it: [`SeqCst` accesses get no total order](#loom-seqcst)",
        LITMUS_LOOM,
        "sb",
    ),
    claim(
        "sb-fence",
        Loom,
        Never,
        "the `SeqCst` fence is modelled",
        LITMUS_LOOM,
        "sb",
    ),
    claim("mp-relaxed", Loom, Produces, "", LITMUS_LOOM, "mp"),
    claim("mp-release-acquire", Loom, Never, "", LITMUS_LOOM, "mp"),
    claim(
        "lb-relaxed",
        Loom,
        NeverProduces,
        "[no load buffering](#loom-no-lb)",
        LITMUS_LOOM,
        "lb",
    ),
    claim("iriw-relaxed", Loom, Produces, "", LITMUS_LOOM, "iriw"),
    claim(
        "iriw-seqcst",
        Loom,
        FalseAlarm,
        "produces it: [`SeqCst` accesses get no total order](#loom-seqcst)",
        LITMUS_LOOM,
        "iriw",
    ),
    claim(
        "2+2w-relaxed",
        Loom,
        Produces,
        "",
        LITMUS_LOOM,
        "two_plus_two_w",
    ),
    claim(
        "2+2w-seqcst",
        Loom,
        FalseAlarm,
        "produces it: [`SeqCst` accesses get no total order](#loom-seqcst)",
        LITMUS_LOOM,
        "two_plus_two_w",
    ),
    // The litmus lab: Miri. Its test asserts only that what Miri produces is allowed, and
    // Miri's blind spots; not that an allowed outcome appears (so no "produced" cells).
    claim("sb-seqcst", Miri, Never, "", LITMUS_MIRI, "sb"),
    claim("sb-fence", Miri, Never, "", LITMUS_MIRI, "sb"),
    claim("mp-release-acquire", Miri, Never, "", LITMUS_MIRI, "mp"),
    claim(
        "lb-relaxed",
        Miri,
        NeverProduces,
        "[no load buffering](#miri-no-lb-2-2w)",
        LITMUS_MIRI,
        "lb",
    ),
    claim("iriw-seqcst", Miri, Never, "", LITMUS_MIRI, "iriw"),
    claim(
        "2+2w-relaxed",
        Miri,
        NeverProduces,
        "[stores enter memory in the order they run](#miri-no-lb-2-2w)",
        LITMUS_MIRI,
        "two_plus_two_w",
    ),
    claim(
        "2+2w-seqcst",
        Miri,
        Never,
        "",
        LITMUS_MIRI,
        "two_plus_two_w",
    ),
    // The litmus lab on real threads: no forbidden outcome in a short run. (IRIW needs four
    // cores to race at all, so the test leaves it out on smaller machines: no claim.)
    claim("sb-seqcst", X86, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
    claim("sb-fence", X86, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
    claim(
        "mp-release-acquire",
        X86,
        Never,
        "",
        LITMUS_HARDWARE,
        NO_FORBIDDEN,
    ),
    claim("2+2w-seqcst", X86, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
    claim("sb-seqcst", Arm, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
    claim("sb-fence", Arm, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
    claim(
        "mp-release-acquire",
        Arm,
        Never,
        "",
        LITMUS_HARDWARE,
        NO_FORBIDDEN,
    ),
    claim("2+2w-seqcst", Arm, Never, "", LITMUS_HARDWARE, NO_FORBIDDEN),
];

/// Where the generated table goes; `src/appendix/tools.md` includes it.
fn table_path() -> PathBuf {
    root().join("src/appendix/tools/table.md")
}

pub fn run(args: &[String]) -> Result {
    let mode = match args {
        [] => Mode::All,
        [flag] if flag == "--check" => Mode::Check,
        [flag] if flag == "--hardware" => Mode::Hardware,
        _ => return Err(anyhow!("usage: cargo xtask tools [--check | --hardware]")),
    };
    let problems = problems(CLAIMS, ROWS)?;
    if !problems.is_empty() {
        return Err(anyhow!(
            "the Tools appendix's claims:\n{}",
            problems.join("\n")
        ));
    }
    let table = render(CLAIMS, ROWS);
    match mode {
        Mode::Check => {
            let committed = std::fs::read_to_string(table_path()).unwrap_or_default();
            if committed != table {
                return Err(anyhow!(
                    "{} is not what the claims in ci/xtask/src/claims.rs render: run \
                     `cargo xtask tools` (it runs every claim's test, then writes the table)",
                    relative(&table_path())
                ));
            }
            step("the Tools table matches its claims, and every claim's test runs in CI");
            Ok(())
        }
        Mode::Hardware => run_claims(CLAIMS, true),
        Mode::All => {
            run_claims(CLAIMS, false)?;
            std::fs::create_dir_all(table_path().parent().expect("a file in a folder"))?;
            std::fs::write(table_path(), table)?;
            step(&format!("wrote {}", relative(&table_path())));
            Ok(())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    All,
    Check,
    Hardware,
}

/// Runs every claim's test that can run on this machine (with `hardware_only`, only the claims
/// about this machine's processor) and fails, listing them, if any fails.
fn run_claims(claims: &[Claim], hardware_only: bool) -> Result {
    let here = std::env::consts::ARCH;
    let mut failed = Vec::new();
    let mut skipped = 0;
    let mut miri_crates: Vec<&str> = Vec::new();
    let mut tsan_crates: Vec<&str> = Vec::new();
    type Key<'a> = (bool, &'a str, &'a str, &'a str);
    let mut ran: Vec<(Key, std::result::Result<(), String>)> = Vec::new();
    for c in claims {
        match c.tool.arch() {
            Some(arch) if arch != here => {
                skipped += 1;
                continue;
            }
            None if hardware_only => continue,
            _ => {}
        }
        match c.tool {
            // Miri and TSan check a crate's whole table in one go (the claims are in it: see
            // `problems`); each crate once.
            Tool::Miri => miri_crates.push(c.krate),
            Tool::Tsan => tsan_crates.push(c.krate),
            Tool::Loom | Tool::X86 | Tool::Arm => {
                // One litmus test backs several cells: run each test once.
                let key = (c.tool == Tool::Loom, c.krate, c.file, c.test);
                let verdict = match ran.iter().find(|(k, _)| *k == key) {
                    Some((_, verdict)) => verdict.clone(),
                    None => {
                        let verdict = run_one(c).map_err(|e| e.to_string());
                        ran.push((key, verdict.clone()));
                        verdict
                    }
                };
                if let Err(error) = verdict {
                    failed.push(format!("{} / {}: {error}", c.row, c.tool.heading()));
                }
            }
        }
    }
    for (crates, runner) in [
        (
            miri_crates,
            crate::tasks::miri::run_task as fn(&[String]) -> Result,
        ),
        (tsan_crates, crate::tasks::tsan::run_task),
    ] {
        let mut crates = crates;
        crates.sort_unstable();
        crates.dedup();
        for krate in crates {
            if let Err(error) = runner(&[krate.to_owned()]) {
                failed.push(format!("{krate}: {error}"));
            }
        }
    }
    if skipped > 0 {
        step(&format!(
            "{skipped} claims are about another processor than this {here} machine: the CI job \
             on that processor runs them (`cargo xtask tools --hardware`)"
        ));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow!("claims whose test failed:\n{}", failed.join("\n")))
    }
}

/// The command that runs one std or loom claim's test, and nothing else.
fn command(c: &Claim) -> Command {
    let mut command = cmd("cargo");
    // --release for every run: loom models are slow unoptimised, and the stress tests share
    // the build of the arm64 CI job's `cargo test --release` (the workspace's release profile
    // keeps debug assertions and overflow checks).
    command.args([
        "test",
        "--release",
        "--locked",
        "-p",
        c.krate,
        "--test",
        c.file,
    ]);
    if c.tool == Tool::Loom {
        command
            .env("RUSTFLAGS", "--cfg loom")
            .env("CARGO_TARGET_DIR", root().join("target/loom"));
    }
    command.args(["--", "--exact", c.test]);
    command
}

fn run_one(c: &Claim) -> Result {
    let mut command = command(c);
    step(&crate::util::describe(&command));
    let output = crate::util::capture(&mut command)?;
    let text = String::from_utf8_lossy(&output.stdout);
    // `--exact` with a name that matches nothing runs 0 tests and passes: demand the line.
    if output.status.success() && text.contains(&format!("test {} ... ok", c.test)) {
        println!("ok: {}", c.test);
        Ok(())
    } else {
        Err(anyhow!(
            "`{}` failed:\n{text}{}",
            c.test,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// How a reader runs one claim's check, as the appendix prints it.
fn how_to_run(c: &Claim) -> String {
    match c.tool {
        Tool::Miri => format!("cargo xtask miri {}", c.krate),
        Tool::Tsan => format!("cargo xtask tsan {}", c.krate),
        Tool::Loom => format!(
            "RUSTFLAGS=\"--cfg loom\" cargo test -p {} --release --test {} -- --exact {}",
            c.krate, c.file, c.test
        ),
        Tool::X86 | Tool::Arm => format!(
            "cargo test -p {} --release --test {} -- --exact {}",
            c.krate, c.file, c.test
        ),
    }
}

/// Everything that would let a claim stand without its test running in CI.
fn problems(claims: &[Claim], rows: &[Row]) -> Result<Vec<String>> {
    let metadata = cargo_metadata()?;
    let packages = &metadata["packages"];
    let mut found = Vec::new();
    for c in claims {
        let name = format!("{} / {} (`{}`)", c.row, c.tool.heading(), c.test);
        if !rows.iter().any(|r| r.key == c.row) {
            found.push(format!("{name}: no row `{}` in ROWS", c.row));
        }
        if claims
            .iter()
            .filter(|o| o.row == c.row && o.tool == c.tool)
            .count()
            > 1
        {
            found.push(format!("{name}: two claims for one cell"));
        }
        let path = root()
            .join("exercises")
            .join(c.krate)
            .join("tests")
            .join(format!("{}.rs", c.file));
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        let Some(attributes) = attributes_of(&source, c.test) else {
            found.push(format!("{name}: no `fn {}` in {}", c.test, relative(&path)));
            continue;
        };
        let ignored = attributes.iter().any(|a| a.starts_with("#[ignore"));
        let package = packages
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == c.krate);
        match c.tool {
            Tool::Loom | Tool::X86 | Tool::Arm => {
                if ignored {
                    found.push(format!(
                        "{name}: `#[ignore]`d, so CI's cargo test never runs it"
                    ));
                }
            }
            Tool::Miri => {
                let table = package.map(|p| &p["metadata"]["miri"]);
                found.extend(check_table(&name, c, table, ignored, "miri"));
            }
            Tool::Tsan => {
                let table = package.map(|p| &p["metadata"]["tsan"]);
                found.extend(check_table(&name, c, table, ignored, "tsan"));
            }
        }
    }
    Ok(found)
}

/// A Miri or TSan claim must be one of the crate's checks, with the claim's outcome: an
/// `#[ignore]`d test listed under `expect` (a report for "caught" and "false alarm", a control
/// that passes otherwise), or, for Miri, a test in a target the crate's `pass` run runs.
fn check_table(
    name: &str,
    c: &Claim,
    table: Option<&serde_json::Value>,
    ignored: bool,
    tool: &str,
) -> Option<String> {
    let Some(table) = table.filter(|t| !t.is_null()) else {
        return Some(format!(
            "{name}: {} has no [package.metadata.{tool}]",
            c.krate
        ));
    };
    let default_target = if tool == "tsan" { "tsan" } else { "" };
    let expected =
        table["expect"].as_array().into_iter().flatten().find(|e| {
            e["test"] == c.test && e["target"].as_str().unwrap_or(default_target) == c.file
        });
    if let Some(entry) = expected {
        let reports = entry["outcome"].as_str().unwrap_or("fail") == "fail";
        return (reports != c.verdict.reports()).then(|| {
            format!(
                "{name}: the claim says the tool {} but the {tool} table expects it to {}",
                if c.verdict.reports() {
                    "reports"
                } else {
                    "passes"
                },
                if reports { "report" } else { "pass" }
            )
        });
    }
    let pass: Vec<&str> = table["pass"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str())
        .collect();
    let in_pass_run = pass.windows(2).any(|w| w == ["--test", c.file]);
    match (in_pass_run, ignored, c.verdict.reports()) {
        (true, false, false) => None,
        (true, false, true) => Some(format!(
            "{name}: a test that must pass under {tool} cannot back a claim that {tool} reports"
        )),
        _ => Some(format!(
            "{name}: not among the checks `cargo xtask {tool} {}` runs",
            c.krate
        )),
    }
}

/// The attribute lines (`#[...]`) directly above `fn <test>(` in `source`, or `None` if there
/// is no such function.
fn attributes_of(source: &str, test: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("fn {test}(")))?;
    let mut attributes = Vec::new();
    for line in lines[..at].iter().rev() {
        let line = line.trim();
        if line.starts_with("#[") {
            attributes.push(line.to_owned());
        } else if !line.starts_with("///") && !line.starts_with("//") {
            break;
        }
    }
    Some(attributes)
}

/// The Markdown the appendix includes: one table a group of rows, then the numbered list of
/// tests that the cells' footnotes point to.
pub fn render(claims: &[Claim], rows: &[Row]) -> String {
    let mut out = String::from(
        "<!-- Generated by `cargo xtask tools` from ci/xtask/src/claims.rs after every claim's \
         test passed. Do not edit: change the claims and run it again. -->\n",
    );
    let mut numbered: Vec<&Claim> = Vec::new();
    for group in [Group::Broken, Group::Fixed, Group::Litmus] {
        let in_group: Vec<&Row> = rows.iter().filter(|r| r.group == group).collect();
        if in_group.is_empty() {
            continue;
        }
        let _ = write!(out, "\n#### {}\n\n| program |", group.heading());
        for tool in TOOLS {
            let _ = write!(out, " {} |", tool.heading());
        }
        out.push_str("\n| --- |");
        out.push_str(&" --- |".repeat(TOOLS.len()));
        out.push('\n');
        for row in in_group {
            let _ = write!(out, "| {} |", row.title);
            for tool in TOOLS {
                match claims.iter().find(|c| c.row == row.key && c.tool == tool) {
                    Some(c) => {
                        numbered.push(c);
                        let n = numbered.len();
                        let detail = if c.detail.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", c.detail)
                        };
                        let _ = write!(
                            out,
                            // A superscript number, not `[[n]](…)`: the link checker reads
                            // a bracketed `[n]` as an unfinished reference link.
                            " **{}**{detail} <sup>[{n}](#claim-{n})</sup> |",
                            c.verdict.word()
                        );
                    }
                    None => out.push_str(" — |"),
                }
            }
            out.push('\n');
        }
    }
    out.push_str("\n#### The test behind each cell\n\n");
    for (i, c) in numbered.iter().enumerate() {
        let n = i + 1;
        let _ = writeln!(
            out,
            "{n}. <a id=\"claim-{n}\"></a>{}: `{}/tests/{}.rs`, `{}`. Run: `{}`",
            c.tool.heading(),
            c.krate,
            c.file,
            c.test,
            how_to_run(c)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: Row = Row {
        key: "r",
        group: Group::Broken,
        title: "a program",
    };

    #[test]
    fn each_cell_links_to_its_numbered_test() {
        let claims = [
            claim(
                "r",
                Tool::Tsan,
                Verdict::Caught,
                "data race",
                ("k", "tsan"),
                "t1",
            ),
            claim("r", Tool::Loom, Verdict::Missed, "", ("k", "loom"), "t2"),
        ];
        let table = render(&claims, &[ROW]);
        // Columns in the table's order, so loom's claim is number 1 though listed second.
        assert!(
            table.contains("| a program | **missed** <sup>[1](#claim-1)</sup> | — | **caught**: data race <sup>[2](#claim-2)</sup> | — | — |"),
            "{table}"
        );
        assert!(
            table.contains("1. <a id=\"claim-1\"></a>loom: `k/tests/loom.rs`, `t2`"),
            "{table}"
        );
        assert!(table.contains(
            "RUSTFLAGS=\"--cfg loom\" cargo test -p k --release --test loom -- --exact t2"
        ));
    }

    #[test]
    fn finds_the_attributes_above_a_test() {
        let source =
            "#[test]\n#[ignore = \"why\"]\n/// doc\nfn broken() {}\n\n#[test]\nfn fixed() {}\n";
        assert_eq!(
            attributes_of(source, "broken").unwrap(),
            ["#[ignore = \"why\"]", "#[test]"]
        );
        assert_eq!(attributes_of(source, "fixed").unwrap(), ["#[test]"]);
        assert!(attributes_of(source, "other").is_none());
    }

    #[test]
    fn a_miri_claim_must_match_the_crates_table() {
        let table: serde_json::Value = serde_json::from_str(
            r#"{"pass":["--test","miri"],"expect":[{"target":"miri","test":"bad","message":"x"}]}"#,
        )
        .unwrap();
        let caught = claim("r", Tool::Miri, Verdict::Caught, "", ("k", "miri"), "bad");
        assert_eq!(check_table("n", &caught, Some(&table), true, "miri"), None);
        let wrong = Claim {
            verdict: Verdict::Passes,
            ..caught
        };
        assert!(check_table("n", &wrong, Some(&table), true, "miri").is_some());
        let good = claim("r", Tool::Miri, Verdict::Passes, "", ("k", "miri"), "good");
        assert_eq!(check_table("n", &good, Some(&table), false, "miri"), None);
        // An ignored test outside `expect` is never run.
        assert!(check_table("n", &good, Some(&table), true, "miri").is_some());
        assert!(check_table("n", &good, None, false, "miri").is_some());
    }

    #[test]
    fn every_claim_names_a_row_and_every_cell_has_at_most_one_claim() {
        for c in CLAIMS {
            assert!(ROWS.iter().any(|r| r.key == c.row), "{c:?}");
            let same = CLAIMS
                .iter()
                .filter(|o| o.row == c.row && o.tool == c.tool)
                .count();
            assert_eq!(same, 1, "{c:?}");
        }
    }
}
