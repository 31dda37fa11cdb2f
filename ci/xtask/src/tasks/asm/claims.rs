//! The lessons' claims about the instruction tables, checked on every build: a claim that the
//! compiler stops making fails the task instead of leaving a lesson wrong.

use crate::util::{Result, anyhow};

/// The builds whose read-modify-writes are inline load-exclusive/store-exclusive pairs.
const LL_SC: [&str; 2] = ["aarch64-llsc", "armv7"];

/// The claim lesson 1 makes about the hoisting table, checked on every build: whether each
/// function's loop (from a label to the jump back to it) reads memory. The plain flag is read
/// once, before the loop; the atomic flag on every turn.
const LOOP_READS: [(&str, bool); 2] = [("wait_plain", false), ("wait_relaxed", true)];

/// Fails unless `instructions`, the body of `name`, has a loop that reads memory exactly when
/// [`LOOP_READS`] says so.
pub fn check_loop(name: &str, column: &str, instructions: &[String]) -> Result {
    let Some(&(_, claimed)) = LOOP_READS.iter().find(|(n, _)| *n == name) else {
        return Err(anyhow!(
            "asm/claims.rs's LOOP_READS says nothing about `{name}`"
        ));
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
pub fn check_attempts(
    function: &str,
    column: &str,
    build: &str,
    instructions: &[String],
) -> Result {
    if !LL_SC.contains(&build) {
        return Ok(());
    }
    let retries = match function {
        "inherited_attempt" => false,
        "fixed_try_lock" => true,
        _ => {
            return Err(anyhow!(
                "asm/claims.rs's check_attempts says nothing about `{function}`"
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
pub fn loop_bodies(instructions: &[String]) -> Vec<&[String]> {
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

#[cfg(test)]
pub mod tests {
    use super::super::read::functions;
    use super::*;

    /// `hoisting::wait_plain` as rustc 1.95 emits it for x86-64, and `wait_relaxed`.
    pub const LOOPS: &str = "_ZN9orderings8hoisting10wait_plain17h0123456789abcdefE:
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
}
