//! `cargo xtask asm [--check]`: the instructions each memory ordering compiles to, what the
//! compiler does to a loop that waits for a flag, and what the spinlock's and the counter's
//! atomics become on each processor.
//!
//! The `orderings` crate holds one tiny `#[inline(never)]` function per atomic operation and
//! ordering, and, in its `hoisting` module, two loops that wait for a flag (a plain `bool` and
//! an `AtomicBool`). The `spinlock` and `counter` crates each have an `asm` module of such
//! functions, which call the chapter's own code. This task compiles each crate to assembly
//! (`cargo rustc … -- --emit asm`; a library needs no linker, so cross-compiling needs only the
//! target's standard library) for x86-64, for AArch64 with LSE, for AArch64 as shipped (outline
//! atomics: read-modify-writes call a helper that picks LSE or LL/SC at run time), for AArch64
//! with neither (inline LL/SC) and for 32-bit ARMv7 (LL/SC), and writes one Markdown table per
//! [`Table`], which the lessons include. `--check` regenerates the tables in memory and fails if
//! a committed file differs (saying whether the compiler changed or the table was edited).
//!
//! Each table states the `rustc -V` it came from, and that line is part of the check: a new
//! compiler may emit different instructions, so after a toolchain bump the tables must be
//! regenerated (and looked at) before the check passes again. Two tables also carry a claim
//! that is checked whenever they are generated ([`Table::check`]): in the hoisting table
//! ([`claims::LOOP_READS`]), the plain loop reads no memory and the atomic one reads the flag on every
//! turn; in the spinlock table ([`claims::check_attempts`]), where a compare-and-swap is a
//! load-exclusive/store-exclusive pair, the inherited lock's weak one makes a single attempt and
//! the strong one loops back to retry.
//!
//! By stage: [`read`] compiles a crate to assembly and finds each function's instructions,
//! [`claims`] checks the lessons' claims about them, [`render`] writes the Markdown.

mod claims;
mod read;
mod render;

use crate::generated::{Mode, all_fresh, write_or_check};
use crate::util::{Result, anyhow, capture, cmd, root, step};

const X86_64: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";
const ARMV7: &str = "armv7-unknown-linux-gnueabihf";

/// One build of the crate: a target and the code-generation flags it is built with.
struct Variant {
    file: &'static str,
    target: &'static str,
    flags: &'static [&'static str],
    /// Where a comment starts in this target's assembly (`#` is an immediate on AArch64).
    comment: &'static str,
}

const VARIANTS: [Variant; 5] = [
    Variant {
        file: "x86_64",
        target: X86_64,
        // Intel syntax (`mov rax, qword ptr [rdi]`), which most CPU manuals use.
        flags: &["-C", "llvm-args=-x86-asm-syntax=intel"],
        comment: "#",
    },
    Variant {
        file: "aarch64-lse",
        target: AARCH64,
        flags: &["-C", "target-feature=+lse"],
        comment: "//",
    },
    Variant {
        file: "aarch64",
        target: AARCH64,
        flags: &[],
        comment: "//",
    },
    // Neither LSE nor the outline helpers: every read-modify-write is an inline LL/SC sequence.
    Variant {
        file: "aarch64-llsc",
        target: AARCH64,
        flags: &["-C", "target-feature=-lse,-outline-atomics"],
        comment: "//",
    },
    // 32-bit ARM has only LL/SC (`ldrex`/`strex`).
    Variant {
        file: "armv7",
        target: ARMV7,
        flags: &[],
        comment: "@",
    },
];

/// One generated table: the functions of one source file (each `pub fn` with a doc comment,
/// in source order), one column per build.
struct Table {
    /// The generated file, which a lesson includes.
    output: &'static str,
    /// The crate that is compiled (its library), and whose functions are found in the assembly.
    package: &'static str,
    /// The file whose functions are the rows.
    source: &'static str,
    /// Each column's heading and the [`Variant::file`] of the build it shows.
    columns: &'static [(&'static str, &'static str)],
    /// Loops: keep the local labels (renumbered `.L1`, `.L2`, … in each function) and the
    /// `ret` wherever it is; otherwise labels are dropped and so is a final `ret`.
    loops: bool,
    /// What the table shows, after the compiler's version (one sentence).
    note: &'static str,
    /// The lesson's claim about the table, if any: called with each function's name, the
    /// column's heading and [`Variant::file`], and its instructions; an error fails the task.
    check: Option<Check>,
}

/// See [`Table::check`].
type Check = fn(&str, &str, &str, &[String]) -> Result;

/// The memory-orderings lesson's instruction table.
pub const ORDERINGS: &str = "src/phase-1/generated/orderings-asm.md";
/// Lesson 1's hoisted loop.
pub const HOISTING: &str = "src/phase-1/generated/hoisting-asm.md";
/// The spinlock lesson's compare-and-swaps.
pub const SPINLOCK: &str = "src/phase-3/generated/spinlock-asm.md";
/// The counter lesson's increments.
pub const COUNTER: &str = "src/phase-4/generated/counter-asm.md";

/// x86-64, and AArch64 with LSE and as shipped: the builds the orderings and counter tables
/// compare.
const THREE_BUILDS: &[(&str, &str)] = &[
    ("x86-64", "x86_64"),
    ("AArch64 with LSE (`+lse`)", "aarch64-lse"),
    ("AArch64 as shipped (outline atomics)", "aarch64"),
];

const TABLES: [Table; 4] = [
    Table {
        output: ORDERINGS,
        package: "orderings",
        source: "exercises/orderings/src/lib.rs",
        columns: THREE_BUILDS,
        loops: false,
        note: "The final `ret` of each function is left out.",
        check: None,
    },
    Table {
        output: HOISTING,
        package: "orderings",
        source: "exercises/orderings/src/hoisting.rs",
        columns: &[("x86-64", "x86_64"), ("AArch64", "aarch64")],
        loops: true,
        note: "Each function whole; its loop labels renumbered `.L1`, `.L2`, ….",
        check: Some(|function, column, _, instructions| {
            claims::check_loop(function, column, instructions)
        }),
    },
    Table {
        output: SPINLOCK,
        package: "spinlock",
        source: "exercises/spinlock/src/asm.rs",
        columns: &[
            ("x86-64", "x86_64"),
            ("AArch64 with LSE (`+lse`)", "aarch64-lse"),
            ("AArch64 as shipped (outline atomics)", "aarch64"),
            ("AArch64 `-lse,-outline-atomics`", "aarch64-llsc"),
            ("ARMv7", "armv7"),
        ],
        loops: true,
        note: "Each function whole; its labels renumbered `.L1`, `.L2`, ….",
        check: Some(claims::check_attempts),
    },
    Table {
        output: COUNTER,
        package: "counter",
        source: "exercises/counter/src/asm.rs",
        columns: THREE_BUILDS,
        loops: false,
        note: "The final `ret` of each function is left out.",
        check: None,
    },
];

pub fn run(flags: crate::flags::Generate) -> Result {
    let mode = Mode::from_flag(flags.check);
    crate::toolchain::ensure_rust_target(X86_64)?;
    // The cross targets' standard libraries: a column whose target is missing is left out of
    // a table (and a table missing one is not checked), with a warning.
    let mut missing = Vec::new();
    for target in [AARCH64, ARMV7] {
        if let Err(error) = crate::toolchain::ensure_rust_target(target) {
            eprintln!("warning: no standard library for {target} ({error})");
            missing.push(target);
        }
    }
    let version = rustc_version()?;
    let mut builds: Vec<(&str, &Variant, String)> = Vec::new();
    let mut stale = Vec::new();
    for table in &TABLES {
        let variants: Vec<&Variant> = table
            .columns
            .iter()
            .filter_map(|(_, file)| VARIANTS.iter().find(|v| v.file == *file))
            .collect();
        let mut unbuildable: Vec<&str> = variants
            .iter()
            .filter(|v| missing.contains(&v.target))
            .map(|v| v.target)
            .collect();
        unbuildable.dedup();
        if mode == Mode::Check && !unbuildable.is_empty() {
            eprintln!(
                "warning: skipping the check of {}: its {} columns cannot be regenerated on \
                 this machine",
                table.output,
                unbuildable.join(", ")
            );
            continue;
        }
        for variant in variants {
            let built = builds
                .iter()
                .any(|(p, v, _)| *p == table.package && v.file == variant.file);
            if !built && !missing.contains(&variant.target) {
                builds.push((table.package, variant, read::emit(table.package, variant)?));
            }
        }
        let text = generate(table, &version, &builds)?;
        let path = root().join(table.output);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some(line) = write_or_check(mode, &path, &text)? {
            stale.push(format!("{line}: {}", render::why_stale(&committed, &text)));
        }
    }
    all_fresh(stale)?;
    if mode == Mode::Check {
        step("the instruction tables are what this compiler emits");
    }
    Ok(())
}

fn rustc_version() -> Result<String> {
    let rustc = capture(cmd("rustc").arg("-V"))?;
    if !rustc.status.success() {
        return Err(anyhow!("`rustc -V` failed"));
    }
    Ok(String::from_utf8_lossy(&rustc.stdout).trim().to_owned())
}

/// One whole generated file: a header naming the compiler, then the table. `builds` holds the
/// assembly of each crate and variant that was built.
fn generate(table: &Table, version: &str, builds: &[(&str, &Variant, String)]) -> Result<String> {
    let probes = read::probes(&std::fs::read_to_string(root().join(table.source))?);
    if probes.is_empty() {
        return Err(anyhow!(
            "found no `pub fn` with a doc comment in {}",
            table.source
        ));
    }
    let mut headings = Vec::new();
    let mut columns = Vec::new();
    for &(heading, file) in table.columns {
        // A column whose build is missing (no AArch64 library) is left out.
        let build = builds
            .iter()
            .find(|(package, v, _)| *package == table.package && v.file == file);
        let Some((_, variant, asm)) = build else {
            continue;
        };
        let functions = read::functions(asm, table.package, variant.comment, table.loops);
        let mut cells = Vec::new();
        for probe in &probes {
            let body = functions.iter().find(|(name, _)| *name == probe.name);
            let Some((_, instructions)) = body else {
                return Err(anyhow!(
                    "`{}` is not in the {heading} assembly (inlined away, or merged with \
                     another function?)",
                    probe.name
                ));
            };
            if let Some(check) = table.check {
                check(&probe.name, heading, variant.file, instructions)?;
            }
            cells.push(render::cell(instructions, table.loops));
        }
        headings.push(heading);
        columns.push(cells);
    }
    Ok(render::render(table, version, &probes, &headings, &columns))
}
