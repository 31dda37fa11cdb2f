//! `cargo xtask asm [--check]`: the instructions each memory ordering compiles to.
//!
//! The `orderings` crate holds one tiny `#[inline(never)]` function per atomic operation and
//! ordering. This task compiles it to assembly (`cargo rustc … -- --emit asm`; a library needs
//! no linker, so cross-compiling needs only the target's standard library) for x86-64, for
//! AArch64 with LSE and for AArch64 as shipped (outline atomics: read-modify-writes call a
//! helper that picks LSE or LL/SC at run time), and writes one Markdown table that the lesson
//! includes. `--check` regenerates the table in memory and fails if the committed file differs.
//!
//! The table states the `rustc -V` it came from, and that line is part of the check: a new
//! compiler may emit different instructions, so after a toolchain bump the table must be
//! regenerated (and looked at) before the check passes again.

use crate::util::{Result, capture, cmd, describe, relative, root, step};

/// The generated table, included by `src/phase-1/orderings.md`.
pub const OUTPUT: &str = "src/phase-1/generated/orderings-asm.md";
/// The crate whose functions the table shows.
const SOURCE: &str = "exercises/orderings/src/lib.rs";
const X86_64: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";

/// One column of the table: a target and the code-generation flags it is built with.
struct Variant {
    column: &'static str,
    file: &'static str,
    target: &'static str,
    flags: &'static [&'static str],
    /// Where a comment starts in this target's assembly (`#` is an immediate on AArch64).
    comment: &'static str,
}

const VARIANTS: [Variant; 3] = [
    Variant {
        column: "x86-64",
        file: "x86_64",
        target: X86_64,
        // Intel syntax (`mov rax, qword ptr [rdi]`), which most CPU manuals use.
        flags: &["-C", "llvm-args=-x86-asm-syntax=intel"],
        comment: "#",
    },
    Variant {
        column: "AArch64 with LSE (`+lse`)",
        file: "aarch64-lse",
        target: AARCH64,
        flags: &["-C", "target-feature=+lse"],
        comment: "//",
    },
    Variant {
        column: "AArch64 as shipped (outline atomics)",
        file: "aarch64",
        target: AARCH64,
        flags: &[],
        comment: "//",
    },
];

pub fn run(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask asm [--check]".into()),
    };
    let aarch64 = match crate::tools::ensure_rust_target(AARCH64) {
        Ok(()) => true,
        Err(error) => {
            eprintln!(
                "warning: no standard library for {AARCH64} ({error}); the table gets the \
                 x86-64 column only"
            );
            false
        }
    };
    if check && !aarch64 {
        eprintln!(
            "warning: skipping the check of {OUTPUT}: its AArch64 columns cannot be regenerated \
             on this machine"
        );
        return Ok(());
    }
    crate::tools::ensure_rust_target(X86_64)?;
    let variants: Vec<&Variant> = VARIANTS
        .iter()
        .filter(|v| aarch64 || v.target != AARCH64)
        .collect();
    let table = generate(&variants)?;
    let path = root().join(OUTPUT);
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        return compare(&committed, &table);
    }
    std::fs::create_dir_all(path.parent().expect("the output has a directory"))?;
    std::fs::write(&path, table)?;
    println!("wrote {}", relative(&path));
    Ok(())
}

/// The whole generated file: a header naming the compiler, then the table.
fn generate(variants: &[&Variant]) -> Result<String> {
    let rustc = capture(cmd("rustc").arg("-V"))?;
    if !rustc.status.success() {
        return Err("`rustc -V` failed".into());
    }
    let version = String::from_utf8_lossy(&rustc.stdout).trim().to_owned();
    let probes = probes(&std::fs::read_to_string(root().join(SOURCE))?);
    if probes.is_empty() {
        return Err(format!("found no `pub fn` with a doc comment in {SOURCE}").into());
    }
    let mut columns = Vec::new();
    for variant in variants {
        let asm = emit(variant)?;
        let functions = functions(&asm, variant.comment);
        let mut cells = Vec::new();
        for probe in &probes {
            let body = functions.iter().find(|(name, _)| *name == probe.name);
            let Some((_, instructions)) = body else {
                return Err(format!(
                    "`{}` is not in the {} assembly (inlined away, or merged with another \
                     function?)",
                    probe.name, variant.column
                )
                .into());
            };
            cells.push(cell(instructions));
        }
        columns.push(cells);
    }
    Ok(render(&version, &probes, variants, &columns))
}

/// Compiles the `orderings` crate for `variant` and returns its assembly.
fn emit(variant: &Variant) -> Result<String> {
    // A target dir of its own, so these extra flags never force a rebuild of the normal build.
    let out_dir = root().join("target/asm");
    std::fs::create_dir_all(&out_dir)?;
    let file = out_dir.join(format!("{}.s", variant.file));
    // Cargo would skip a build it thinks is fresh, and then write no assembly: clean first
    // (the crate builds in a fraction of a second).
    let _ = std::fs::remove_file(&file);
    let mut clean = cmd("cargo");
    clean
        .args(["clean", "--quiet", "-p", "orderings", "--release"])
        .args(["--target", variant.target])
        .env("CARGO_TARGET_DIR", &out_dir);
    let cleaned = capture(&mut clean)?;
    if !cleaned.status.success() {
        return Err(format!(
            "`{}` failed:\n{}",
            describe(&clean),
            String::from_utf8_lossy(&cleaned.stderr)
        )
        .into());
    }
    let mut command = cmd("cargo");
    command
        .args([
            "rustc",
            "--quiet",
            "--locked",
            "-p",
            "orderings",
            "--release",
        ])
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
        return Err(format!(
            "`{}` failed:\n{}",
            describe(&command),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    std::fs::read_to_string(&file).map_err(|e| format!("reading {}: {e}", relative(&file)).into())
}

/// A function of the `orderings` crate, in source order, with the operation its doc comment
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

/// The `orderings` functions in `asm` with their instructions: directives, labels and
/// comments removed, whitespace normalised.
fn functions(asm: &str, comment: &str) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in asm.lines() {
        let trimmed = line.trim();
        if !line.starts_with(char::is_whitespace)
            && let Some(symbol) = trimmed.strip_suffix(':')
            && let Some(name) = probe_name(symbol)
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
        if code.is_empty() || code.starts_with('.') || code.ends_with(':') {
            continue;
        }
        let words: Vec<&str> = code.split_whitespace().collect();
        if let Some(last) = found.last_mut() {
            last.1.push(words.join(" "));
        }
    }
    found
}

/// The function name in a symbol of the `orderings` crate, mangled either way rustc does it
/// (`_ZN9orderings12load_acquire17h…E` or `_RNvCs…_9orderings12load_acquire`).
fn probe_name(symbol: &str) -> Option<&str> {
    const CRATE: &str = "9orderings";
    let rest = &symbol[symbol.find(CRATE)? + CRATE.len()..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let length: usize = rest[..digits].parse().ok()?;
    rest.get(digits..digits + length)
}

/// One table cell: the instructions, one per line, without the final `ret` every function
/// ends with (a function that ends in a tail call has no `ret` to drop).
fn cell(instructions: &[String]) -> String {
    let mut shown: Vec<&str> = instructions.iter().map(String::as_str).collect();
    if shown.last() == Some(&"ret") {
        shown.pop();
    }
    if shown.is_empty() {
        return "*(no instruction)*".to_owned();
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
            format!("<code>{}</code>", escaped.replace(' ', "&nbsp;"))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn render(
    version: &str,
    probes: &[Probe],
    variants: &[&Variant],
    columns: &[Vec<String>],
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!-- Generated by `cargo xtask asm` from {SOURCE}; do not edit. \
         `cargo xtask asm --check` fails when this file is stale. -->\n\n"
    ));
    out.push_str(&format!(
        "Generated by `cargo xtask asm` with `{version}`, release profile. The final `ret` of \
         each function is left out.\n\n"
    ));
    out.push_str("| Rust |");
    for variant in variants {
        out.push_str(&format!(" {} |", variant.column));
    }
    out.push_str("\n| --- |");
    out.push_str(&" --- |".repeat(variants.len()));
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

/// Fails, saying what differs, unless the committed file is what this compiler generates.
fn compare(committed: &str, fresh: &str) -> Result {
    if committed == fresh {
        println!("{OUTPUT} is up to date");
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
    Err(format!(
        "{OUTPUT} is stale: {why}.\nRun `cargo xtask asm`, look at what changed, and commit it."
    )
    .into())
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
        let found = functions(X86, "#");
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
        assert_eq!(functions(asm, "//")[0].1, ["ldp x29, x30, [sp], #16"]);
    }

    #[test]
    fn both_manglings_give_the_function_name() {
        assert_eq!(
            probe_name("_ZN9orderings17fetch_add_acq_rel17h0123456789abcdefE"),
            Some("fetch_add_acq_rel")
        );
        assert_eq!(
            probe_name("_RNvCs1234_9orderings12load_relaxed"),
            Some("load_relaxed")
        );
        assert_eq!(probe_name("_ZN4core9panicking5panic17hE"), None);
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
        assert_eq!(cell(&lines(&["ret"])), "*(no instruction)*");
        assert_eq!(
            cell(&lines(&["dmb ish", "ret"])),
            "<code>dmb&nbsp;ish</code>"
        );
        assert_eq!(
            cell(&lines(&["ldar x0, [x0]"])),
            "<code>ldar&nbsp;x0,&nbsp;&#91;x0&#93;</code>"
        );
        assert_eq!(
            cell(&lines(&["mov x2, x0", "b __aarch64_ldadd8_relax"])),
            "<code>mov&nbsp;x2,&nbsp;x0</code><br><code>b&nbsp;__aarch64_ldadd8_relax</code>"
        );
    }

    #[test]
    fn a_stale_table_says_why() {
        let table = |version: &str, body: &str| {
            format!("<!-- x -->\n\nGenerated by `cargo xtask asm` with `{version}`, r.\n\n{body}\n")
        };
        let old = table("rustc 1.95.0", "| a |");
        compare(&old, &old).unwrap();
        let bumped = compare(&old, &table("rustc 1.96.0", "| a |")).unwrap_err();
        assert!(
            bumped
                .to_string()
                .contains("generated with rustc 1.95.0, and this toolchain is rustc 1.96.0"),
            "{bumped}"
        );
        let edited = compare(&old, &table("rustc 1.95.0", "| b |")).unwrap_err();
        assert!(edited.to_string().contains("from line 5 on"), "{edited}");
    }
}
