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
//! a committed file differs.
//!
//! Each table states the `rustc -V` it came from, and that line is part of the check: a new
//! compiler may emit different instructions, so after a toolchain bump the tables must be
//! regenerated (and looked at) before the check passes again. Two tables also carry a claim
//! that is checked whenever they are generated ([`Table::check`]): in the hoisting table
//! ([`LOOP_READS`]), the plain loop reads no memory and the atomic one reads the flag on every
//! turn; in the spinlock table ([`check_attempts`]), where a compare-and-swap is a
//! load-exclusive/store-exclusive pair, the inherited lock's weak one makes a single attempt and
//! the strong one loops back to retry.

use crate::util::{Result, capture, cmd, describe, relative, root, step};
use anyhow::anyhow;

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

/// The builds whose read-modify-writes are inline load-exclusive/store-exclusive pairs.
const LL_SC: [&str; 2] = ["aarch64-llsc", "armv7"];

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
        check: Some(|function, column, _, instructions| check_loop(function, column, instructions)),
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
        check: Some(check_attempts),
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

/// The claim lesson 1 makes about the hoisting table, checked on every build: whether each
/// function's loop (from a label to the jump back to it) reads memory. The plain flag is read
/// once, before the loop; the atomic flag on every turn.
const LOOP_READS: [(&str, bool); 2] = [("wait_plain", false), ("wait_relaxed", true)];

pub fn run(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(anyhow!("usage: cargo xtask asm [--check]")),
    };
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
        if check && !unbuildable.is_empty() {
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
                builds.push((table.package, variant, emit(table.package, variant)?));
            }
        }
        let text = generate(table, &version, &builds)?;
        let path = root().join(table.output);
        if check {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            match compare(table.output, &committed, &text) {
                Ok(()) => println!("{} is up to date", table.output),
                Err(error) => stale.push(error.to_string()),
            }
            continue;
        }
        std::fs::create_dir_all(path.parent().expect("the output has a directory"))?;
        std::fs::write(&path, text)?;
        println!("wrote {}", relative(&path));
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::msg(stale.join("\n")))
    }
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
    let probes = probes(&std::fs::read_to_string(root().join(table.source))?);
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
        let functions = functions(asm, table.package, variant.comment, table.loops);
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
            cells.push(cell(instructions, table.loops));
        }
        headings.push(heading);
        columns.push(cells);
    }
    Ok(render(table, version, &probes, &headings, &columns))
}

/// Fails unless `instructions`, the body of `name`, has a loop that reads memory exactly when
/// [`LOOP_READS`] says so.
fn check_loop(name: &str, column: &str, instructions: &[String]) -> Result {
    let Some(&(_, claimed)) = LOOP_READS.iter().find(|(n, _)| *n == name) else {
        return Err(anyhow!("asm.rs's LOOP_READS says nothing about `{name}`"));
    };
    let bodies = loop_bodies(instructions);
    if bodies.is_empty() {
        return Err(anyhow!("`{name}` has no loop in the {column} assembly"));
    }
    // An operand in brackets is a memory access on both targets (`byte ptr [rdi]`, `[x0]`).
    let reads = bodies
        .iter()
        .any(|body| body.iter().any(|i| i.contains('[')));
    if reads != claimed {
        return Err(anyhow!(
            "lesson 1 says the loop of `{name}` {} memory, but in the {column} assembly it {}: \
             {}",
            if claimed { "reads" } else { "reads no" },
            if reads { "does" } else { "does not" },
            instructions.join("; ")
        ));
    }
    Ok(())
}

/// The spinlock lesson's claim about its table: on the builds whose compare-and-swap is a
/// load-exclusive/store-exclusive pair ([`LL_SC`]), the inherited lock's weak attempt stores
/// exclusively once and never jumps back when that store fails, while the fixed lock's strong
/// `try_lock` does jump back to retry. Other builds (x86-64, LSE, outline helpers) are not
/// claimed about.
fn check_attempts(function: &str, column: &str, build: &str, instructions: &[String]) -> Result {
    if !LL_SC.contains(&build) {
        return Ok(());
    }
    let retries = match function {
        "inherited_attempt" => false,
        "fixed_try_lock" => true,
        _ => {
            return Err(anyhow!(
                "asm.rs's check_attempts says nothing about `{function}`"
            ));
        }
    };
    // `stxrb`/`stlxrb` on AArch64, `strexb` on ARMv7.
    let store_exclusive = |i: &String| {
        ["stxr", "stlxr", "strex"]
            .iter()
            .any(|op| i.starts_with(op))
    };
    if !instructions.iter().any(store_exclusive) {
        return Err(anyhow!(
            "the spinlock lesson shows `{function}` as a load-exclusive/store-exclusive pair, \
             but the {column} assembly has no store-exclusive: {}",
            instructions.join("; ")
        ));
    }
    let looped = loop_bodies(instructions)
        .iter()
        .any(|body| body.iter().any(store_exclusive));
    if looped != retries {
        return Err(anyhow!(
            "the spinlock lesson says `{function}` {} when its store-exclusive fails, but in \
             the {column} assembly it {}: {}",
            if retries { "retries" } else { "does not retry" },
            if looped { "does" } else { "does not" },
            instructions.join("; ")
        ));
    }
    Ok(())
}

/// Each loop in a function: the instructions from a label to a later jump back to it.
fn loop_bodies(instructions: &[String]) -> Vec<&[String]> {
    let mut bodies = Vec::new();
    for (start, line) in instructions.iter().enumerate() {
        let Some(label) = line.strip_suffix(':') else {
            continue;
        };
        let back = instructions[start + 1..]
            .iter()
            .rposition(|i| !i.ends_with(':') && i.split([' ', ',']).any(|w| w == label));
        if let Some(end) = back {
            bodies.push(&instructions[start + 1..=start + 1 + end]);
        }
    }
    bodies
}

/// Compiles the library of `package` for `variant` and returns its assembly.
fn emit(package: &str, variant: &Variant) -> Result<String> {
    // A target dir of its own, so these extra flags never force a rebuild of the normal build.
    let out_dir = root().join("target/asm");
    std::fs::create_dir_all(&out_dir)?;
    let file = out_dir.join(format!("{package}-{}.s", variant.file));
    // Cargo would skip a build it thinks is fresh, and then write no assembly: clean first
    // (the crate builds in a fraction of a second).
    let _ = std::fs::remove_file(&file);
    let mut clean = cmd("cargo");
    clean
        .args(["clean", "--quiet", "-p", package, "--release"])
        .args(["--target", variant.target])
        .env("CARGO_TARGET_DIR", &out_dir);
    let cleaned = capture(&mut clean)?;
    if !cleaned.status.success() {
        return Err(anyhow!(
            "`{}` failed:\n{}",
            describe(&clean),
            String::from_utf8_lossy(&cleaned.stderr)
        ));
    }
    let mut command = cmd("cargo");
    command
        .args(["rustc", "--quiet", "--locked", "-p", package, "--release"])
        .args(["--lib", "--target", variant.target])
        .env("CARGO_TARGET_DIR", &out_dir)
        .arg("--")
        .arg("--emit")
        .arg(format!("asm={}", file.display()))
        // One codegen unit, so the one path above receives all of the assembly.
        .args(["-C", "codegen-units=1"])
        .args(variant.flags);
    step(&describe(&command));
    let output = capture(&mut command)?;
    if !output.status.success() {
        return Err(anyhow!(
            "`{}` failed:\n{}",
            describe(&command),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    std::fs::read_to_string(&file).map_err(|e| anyhow!("reading {}: {e}", relative(&file)))
}

/// A function of a table's source file, in source order, with the operation its doc comment
/// names (the first `code span` of its last doc line before the `pub fn`).
#[derive(Debug, PartialEq, Eq)]
struct Probe {
    name: String,
    operation: String,
}

fn probes(source: &str) -> Vec<Probe> {
    let mut found = Vec::new();
    let mut operation = None;
    for line in source.lines() {
        let line = line.trim();
        if let Some(doc) = line.strip_prefix("///") {
            let mut spans = doc.split('`');
            if let (Some(_), Some(span)) = (spans.next(), spans.next()) {
                operation = Some(span.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix("pub fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if let Some(operation) = operation.take() {
                found.push(Probe { name, operation });
            }
        }
    }
    found
}

/// The functions of crate `krate` in `asm` with their instructions: directives and comments
/// removed, whitespace normalised. Local labels (`.LBB0_1:`) are kept when `labels` is set,
/// and dropped otherwise.
fn functions(asm: &str, krate: &str, comment: &str, labels: bool) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in asm.lines() {
        let trimmed = line.trim();
        if !line.starts_with(char::is_whitespace)
            && let Some(symbol) = trimmed.strip_suffix(':')
            && let Some(name) = probe_name(symbol, krate)
        {
            found.push((name.to_owned(), Vec::new()));
            inside = true;
            continue;
        }
        if trimmed.starts_with(".Lfunc_end") || trimmed.starts_with(".cfi_endproc") {
            inside = false;
        }
        if !inside {
            continue;
        }
        let code = trimmed.split(comment).next().unwrap_or_default().trim();
        let label = code.starts_with(".LBB") && code.ends_with(':');
        if code.is_empty() || (!(labels && label) && (code.starts_with('.') || code.ends_with(':')))
        {
            continue;
        }
        let words: Vec<&str> = code.split_whitespace().collect();
        if let Some(last) = found.last_mut() {
            last.1.push(words.join(" "));
        }
    }
    found
}

/// The function name in a symbol of crate `krate` (`orderings` here), mangled either way rustc
/// does it (`_ZN9orderings12load_acquire17h…E` or `_RNvCs…_9orderings12load_acquire`), in the
/// crate root or in a module (`_ZN9orderings8hoisting10wait_plain17h…E`): the last path
/// segment, leaving out the legacy mangling's hash.
fn probe_name<'a>(symbol: &'a str, krate: &str) -> Option<&'a str> {
    let prefix = format!("{}{krate}", krate.len());
    let mut rest = &symbol[symbol.find(&prefix)? + prefix.len()..];
    let mut name = None;
    loop {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let Some(length) = rest[..digits].parse::<usize>().ok() else {
            break;
        };
        let Some(segment) = rest.get(digits..digits + length) else {
            break;
        };
        let hash = segment.len() == 17
            && segment.starts_with('h')
            && segment[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !hash {
            name = Some(segment);
        }
        rest = &rest[digits + length..];
    }
    name
}

/// One table cell: the instructions, one per line. Without `loops`, the final `ret` every
/// function ends with is dropped (a function that ends in a tail call has no `ret` to drop).
/// With `loops`, every instruction is shown, indented under the local labels, which are
/// renumbered `.L1`, `.L2`, … in the order they first appear (the compiler's numbers count
/// functions across the whole file, and would change whenever one is added).
fn cell(instructions: &[String], loops: bool) -> String {
    let mut shown: Vec<String> = instructions.to_vec();
    if !loops && shown.last().map(String::as_str) == Some("ret") {
        shown.pop();
    }
    if shown.is_empty() {
        return "*(no instruction)*".to_owned();
    }
    if loops {
        let mut names: Vec<String> = Vec::new();
        for line in &mut shown {
            let words: Vec<String> = line
                .split(' ')
                .map(|word| {
                    let (bare, tail) = match word.strip_suffix([':', ',']) {
                        Some(bare) => (bare, &word[bare.len()..]),
                        None => (word, ""),
                    };
                    if !bare.starts_with(".LBB") {
                        return word.to_owned();
                    }
                    let number = match names.iter().position(|n| n == bare) {
                        Some(i) => i + 1,
                        None => {
                            names.push(bare.to_owned());
                            names.len()
                        }
                    };
                    format!(".L{number}{tail}")
                })
                .collect();
            *line = words.join(" ");
        }
    }
    // HTML rather than backticks, so that non-breaking spaces keep each instruction on one
    // line (the table scrolls sideways on a narrow screen instead).
    shown
        .iter()
        .map(|i| {
            // Brackets as entities too: Markdown would read `[x0]` as a link reference.
            let escaped = i
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('[', "&#91;")
                .replace(']', "&#93;");
            let indent = if loops && !i.ends_with(':') {
                "&nbsp;&nbsp;"
            } else {
                ""
            };
            format!("<code>{indent}{}</code>", escaped.replace(' ', "&nbsp;"))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn render(
    table: &Table,
    version: &str,
    probes: &[Probe],
    headings: &[&str],
    columns: &[Vec<String>],
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!-- Generated by `cargo xtask asm` from {}; do not edit. \
         `cargo xtask asm --check` fails when this file is stale. -->\n\n",
        table.source
    ));
    out.push_str(&format!(
        "Generated by `cargo xtask asm` with `{version}`, release profile. {}\n\n",
        table.note
    ));
    out.push_str("| Rust |");
    for heading in headings {
        out.push_str(&format!(" {heading} |"));
    }
    out.push_str("\n| --- |");
    out.push_str(&" --- |".repeat(headings.len()));
    out.push('\n');
    for (row, probe) in probes.iter().enumerate() {
        out.push_str(&format!("| `{}` |", probe.operation));
        for column in columns {
            out.push_str(&format!(" {} |", column[row]));
        }
        out.push('\n');
    }
    out
}

/// Fails, saying what differs, unless `committed` (the file at `path`) is what this compiler
/// generates.
fn compare(path: &str, committed: &str, fresh: &str) -> Result {
    if committed == fresh {
        return Ok(());
    }
    let version = |text: &str| {
        text.lines()
            .find(|line| line.starts_with("Generated by"))
            .and_then(|line| line.split('`').nth(3))
            .map(str::to_owned)
            .unwrap_or_else(|| "(no version line)".to_owned())
    };
    let why = if version(committed) != version(fresh) {
        format!(
            "it was generated with {}, and this toolchain is {}",
            version(committed),
            version(fresh)
        )
    } else {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(fresh.lines().count()) + 1,
                |i| i + 1,
            );
        format!("from line {line} on, it differs from what this compiler emits")
    };
    Err(anyhow!(
        "{path} is stale: {why}.\nRun `cargo xtask asm`, look at what changed, and commit it."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const X86: &str = "\t.section\t.text._ZN9orderings12load_acquire17habcE,\"ax\",@progbits
\t.globl\t_ZN9orderings12load_acquire17habcE
\t.p2align\t4
\t.type\t_ZN9orderings12load_acquire17habcE,@function
_ZN9orderings12load_acquire17habcE:
\t.cfi_startproc
\tmov\trax, qword ptr [rdi]  # a comment
\tret
.Lfunc_end0:
\t.size\t_ZN9orderings12load_acquire17habcE, .Lfunc_end0-_ZN9orderings12load_acquire17habcE
\t.cfi_endproc
_ZN9orderings13fence_acquire17hdefE:
\t.cfi_startproc
\tret
.Lfunc_end1:
";

    #[test]
    fn functions_keep_instructions_only() {
        let found = functions(X86, "orderings", "#", false);
        assert_eq!(
            found,
            [
                (
                    "load_acquire".to_owned(),
                    vec!["mov rax, qword ptr [rdi]".to_owned(), "ret".to_owned()]
                ),
                ("fence_acquire".to_owned(), vec!["ret".to_owned()]),
            ]
        );
    }

    #[test]
    fn a_hash_is_a_comment_on_x86_and_an_immediate_on_aarch64() {
        let asm = "_ZN9orderings1f17hE:\n\tldp\tx29, x30, [sp], #16 // restore\n.Lfunc_end0:\n";
        assert_eq!(
            functions(asm, "orderings", "//", false)[0].1,
            ["ldp x29, x30, [sp], #16"]
        );
    }

    #[test]
    fn both_manglings_give_the_function_name() {
        assert_eq!(
            probe_name(
                "_ZN9orderings17fetch_add_acq_rel17h0123456789abcdefE",
                "orderings"
            ),
            Some("fetch_add_acq_rel")
        );
        assert_eq!(
            probe_name("_RNvCs1234_9orderings12load_relaxed", "orderings"),
            Some("load_relaxed")
        );
        assert_eq!(
            probe_name("_ZN4core9panicking5panic17hE", "orderings"),
            None
        );
    }

    #[test]
    fn a_function_in_a_module_is_named_by_its_last_segment() {
        assert_eq!(
            probe_name(
                "_ZN9orderings8hoisting10wait_plain17h0123456789abcdefE",
                "orderings"
            ),
            Some("wait_plain")
        );
        assert_eq!(
            probe_name(
                "_RNvNtCs1234_9orderings8hoisting12wait_relaxed",
                "orderings"
            ),
            Some("wait_relaxed")
        );
    }

    /// `hoisting::wait_plain` as rustc 1.95 emits it for x86-64, and `wait_relaxed`.
    const LOOPS: &str = "_ZN9orderings8hoisting10wait_plain17h0123456789abcdefE:
\t.cfi_startproc
\tcmp\tbyte ptr [rdi], 0
\tje\t.LBB20_1
\tret
.LBB20_1:
\tjmp\t.LBB20_1
.Lfunc_end20:
_ZN9orderings8hoisting12wait_relaxed17h0123456789abcdefE:
\t.cfi_startproc
.LBB21_1:
\tmovzx\teax, byte ptr [rdi]
\ttest\tal, al
\tje\t.LBB21_1
\tret
.Lfunc_end21:
";

    #[test]
    fn loops_keep_their_labels_renumbered_and_every_instruction() {
        let found = functions(LOOPS, "orderings", "#", true);
        assert_eq!(found[0].0, "wait_plain");
        assert_eq!(
            found[0].1,
            [
                "cmp byte ptr [rdi], 0",
                "je .LBB20_1",
                "ret",
                ".LBB20_1:",
                "jmp .LBB20_1"
            ]
        );
        assert_eq!(
            cell(&found[0].1, true),
            "<code>&nbsp;&nbsp;cmp&nbsp;byte&nbsp;ptr&nbsp;&#91;rdi&#93;,&nbsp;0</code><br>\
             <code>&nbsp;&nbsp;je&nbsp;.L1</code><br><code>&nbsp;&nbsp;ret</code><br>\
             <code>.L1:</code><br><code>&nbsp;&nbsp;jmp&nbsp;.L1</code>"
        );
        // Without loops, the labels go (the orderings table never had any).
        assert_eq!(
            functions(LOOPS, "orderings", "#", false)[1].1,
            [
                "movzx eax, byte ptr [rdi]",
                "test al, al",
                "je .LBB21_1",
                "ret"
            ]
        );
    }

    #[test]
    fn the_lessons_claim_about_each_loop_is_checked() {
        let found = functions(LOOPS, "orderings", "#", true);
        assert_eq!(loop_bodies(&found[0].1), [&found[0].1[4..]]);
        assert_eq!(loop_bodies(&found[1].1), [&found[1].1[1..4]]);
        check_loop("wait_plain", "x86-64", &found[0].1).unwrap();
        check_loop("wait_relaxed", "x86-64", &found[1].1).unwrap();
        // Swapped, each breaks the claim, and the error says how.
        let wrong = check_loop("wait_plain", "x86-64", &found[1].1).unwrap_err();
        assert!(
            wrong.to_string().contains("reads no memory, but"),
            "{wrong}"
        );
        let wrong = check_loop("wait_relaxed", "x86-64", &found[0].1).unwrap_err();
        assert!(wrong.to_string().contains("it does not"), "{wrong}");
        let none = check_loop("wait_plain", "x86-64", &["ret".to_owned()]).unwrap_err();
        assert!(none.to_string().contains("has no loop"), "{none}");
    }

    /// The spinlock crate's two compare-and-swaps as rustc 1.95 emits them for AArch64 without
    /// LSE or outline atomics: the weak one gives up when `stxrb` fails, the strong one retries.
    const ATTEMPTS: &str = "_ZN8spinlock3asm17inherited_attempt17h0123456789abcdefE:
\tadd\tx8, x0, #48
\tldaxrb\tw9, [x8]
\tcbnz\tw9, .LBB0_2
\tmov\tw0, #1
\tstxrb\tw9, w0, [x8]
\tcbnz\tw9, .LBB0_3
\tret
.LBB0_2:
\tmov\tw0, wzr
\tclrex
\tret
.LBB0_3:
\tmov\tw0, wzr
\tret
.Lfunc_end0:
_ZN8spinlock3asm14fixed_try_lock17h0123456789abcdefE:
\tadd\tx8, x0, #8
.LBB1_1:
\tldaxrb\tw9, [x8]
\tcbnz\tw9, .LBB1_3
\tmov\tw9, #1
\tstxrb\tw10, w9, [x8]
\tcbnz\tw10, .LBB1_1
\tret
.LBB1_3:
\tclrex
\tret
.Lfunc_end1:
";

    #[test]
    fn the_weak_attempt_gives_up_and_the_strong_one_retries() {
        let found = functions(ATTEMPTS, "spinlock", "//", true);
        assert_eq!(found[0].0, "inherited_attempt");
        assert_eq!(found[1].0, "fixed_try_lock");
        let (weak, strong) = (&found[0].1, &found[1].1);
        check_attempts("inherited_attempt", "c", "aarch64-llsc", weak).unwrap();
        check_attempts("fixed_try_lock", "c", "armv7", strong).unwrap();
        // Swapped, each breaks the claim, and the error says how.
        let wrong = check_attempts("inherited_attempt", "c", "aarch64-llsc", strong).unwrap_err();
        assert!(wrong.to_string().contains("does not retry"), "{wrong}");
        let wrong = check_attempts("fixed_try_lock", "c", "aarch64-llsc", weak).unwrap_err();
        assert!(wrong.to_string().contains("it does not:"), "{wrong}");
        // No claim about builds whose CAS is one instruction or a helper call.
        check_attempts("inherited_attempt", "c", "aarch64", &["ret".to_owned()]).unwrap();
        let none = check_attempts("fixed_try_lock", "c", "armv7", &["ret".to_owned()]);
        assert!(none.unwrap_err().to_string().contains("no store-exclusive"));
    }

    #[test]
    fn probes_come_in_source_order_with_their_operation() {
        let source = "/// Docs.\n/// `load(Acquire)`: more.\n#[inline(never)]\n\
                      pub fn load_acquire(x: &AtomicU64) -> u64 {\n}\n\
                      fn helper() {}\n/// `fence(SeqCst)`: x.\npub fn fence_seq_cst() {}\n";
        assert_eq!(
            probes(source),
            [
                Probe {
                    name: "load_acquire".into(),
                    operation: "load(Acquire)".into()
                },
                Probe {
                    name: "fence_seq_cst".into(),
                    operation: "fence(SeqCst)".into()
                },
            ]
        );
    }

    #[test]
    fn a_cell_drops_the_final_ret_and_says_when_nothing_is_left() {
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(cell(&lines(&["ret"]), false), "*(no instruction)*");
        assert_eq!(
            cell(&lines(&["dmb ish", "ret"]), false),
            "<code>dmb&nbsp;ish</code>"
        );
        assert_eq!(
            cell(&lines(&["ldar x0, [x0]"]), false),
            "<code>ldar&nbsp;x0,&nbsp;&#91;x0&#93;</code>"
        );
        assert_eq!(
            cell(&lines(&["mov x2, x0", "b __aarch64_ldadd8_relax"]), false),
            "<code>mov&nbsp;x2,&nbsp;x0</code><br><code>b&nbsp;__aarch64_ldadd8_relax</code>"
        );
    }

    #[test]
    fn a_stale_table_says_why() {
        let table = |version: &str, body: &str| {
            format!("<!-- x -->\n\nGenerated by `cargo xtask asm` with `{version}`, r.\n\n{body}\n")
        };
        let old = table("rustc 1.95.0", "| a |");
        compare("t.md", &old, &old).unwrap();
        let bumped = compare("t.md", &old, &table("rustc 1.96.0", "| a |")).unwrap_err();
        assert!(
            bumped
                .to_string()
                .contains("generated with rustc 1.95.0, and this toolchain is rustc 1.96.0"),
            "{bumped}"
        );
        let edited = compare("t.md", &old, &table("rustc 1.95.0", "| b |")).unwrap_err();
        assert!(edited.to_string().contains("from line 5 on"), "{edited}");
    }
}
