//! Reading a crate's assembly: compiling its library for one build, the functions a table
//! shows (from its source file), and each function's instructions.

use super::Variant;
use crate::util::{Result, anyhow, capture, cmd, describe, relative, root, step};
use std::process::Command;

/// Compiles the library of `package` for `variant` and returns its assembly.
pub fn emit(package: &str, variant: &Variant) -> Result<String> {
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
    succeed(&mut clean)?;
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
    succeed(&mut command)?;
    std::fs::read_to_string(&file).map_err(|e| anyhow!("reading {}: {e}", relative(&file)))
}

/// Runs `command`, failing with what it printed on stderr if it fails.
fn succeed(command: &mut Command) -> Result {
    let output = capture(command)?;
    if output.status.success() {
        return Ok(());
    }
    Err(anyhow!(
        "`{}` failed:\n{}",
        describe(command),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// A function of a table's source file, in source order, with the operation its doc comment
/// names (the first `code span` of its last doc line before the `pub fn`).
#[derive(Debug, PartialEq, Eq)]
pub struct Probe {
    pub name: String,
    pub operation: String,
}

pub fn probes(source: &str) -> Vec<Probe> {
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
pub fn functions(
    asm: &str,
    krate: &str,
    comment: &str,
    labels: bool,
) -> Vec<(String, Vec<String>)> {
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
}
