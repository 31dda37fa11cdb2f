//! What the learner's checker and compiler print, turned into sentences a reader can act on.

use crate::util::TimedOut;
use syn::visit::Visit;

/// loom can only judge atomics it provides; std's are invisible to it. The file is parsed, so a
/// comment or a string that mentions `std::sync::atomic` is fine; a `use` of it, or a path
/// through it, is refused with its line. A file that does not parse is left to the compiler.
pub fn unseen_by_loom(source: &str) -> Option<String> {
    let file = syn::parse_file(source).ok()?;
    let mut finder = StdAtomics::default();
    finder.visit_file(&file);
    let (line, path) = finder.found.into_iter().next()?;
    Some(format!(
        "line {line} uses `{path}`, which the loom checker cannot see into. Import atomics \
         from `support::sync::atomic` (the same types, swapped for loom's when checking)."
    ))
}

/// Every `use` or path that reaches `std::sync::atomic` or `core::sync::atomic`: (line, path).
#[derive(Default)]
struct StdAtomics {
    found: Vec<(usize, String)>,
}

impl StdAtomics {
    fn check(&mut self, segments: &[String], line: usize) {
        let unseen = matches!(
            segments,
            [root, sync, atomic, ..] if (root == "std" || root == "core")
                && sync == "sync" && atomic == "atomic"
        );
        if unseen {
            self.found.push((line, segments[..3].join("::")));
        }
    }

    /// Walks a `use` tree, `prefix` being the segments above it.
    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        let line = |ident: &syn::Ident| ident.span().start().line;
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.check(prefix, line(&path.ident));
                self.use_tree(&path.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                prefix.push(name.ident.to_string());
                self.check(prefix, line(&name.ident));
                prefix.pop();
            }
            syn::UseTree::Rename(rename) => {
                prefix.push(rename.ident.to_string());
                self.check(prefix, line(&rename.ident));
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {}
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(tree, prefix);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for StdAtomics {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree, &mut Vec::new());
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = path.segments.first() {
            self.check(&segments, first.ident.span().start().line);
        }
        syn::visit::visit_path(self, path);
    }
}

/// The panic message of the failing `learner_attempt` test, without the backtrace.
pub fn failure_message(stdout: &str) -> Option<String> {
    let start = stdout.find("panicked at ")?;
    let after = &stdout[start..];
    let body = &after[after.find('\n')? + 1..];
    // With LOOM_LOCATION=1, loom's message starts after an empty line.
    let message: Vec<&str> = body
        .lines()
        .skip_while(|line| line.is_empty())
        .take_while(|line| {
            !(line.is_empty() || line.starts_with("stack backtrace") || line.starts_with("note:"))
        })
        .collect();
    let message = message.join("\n");
    Some(
        message
            .strip_prefix("assertion `left == right` failed: ")
            .unwrap_or(&message)
            .to_owned(),
    )
}

/// cargo's stderr from the first error on, without the "Compiling …" progress lines.
pub fn compiler_messages(stderr: &str) -> String {
    let from_error = stderr
        .find("error")
        .map_or(stderr, |start| &stderr[start..]);
    from_error
        .lines()
        .filter(|line| !line.trim_start().starts_with("Compiling "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// loom's own wording made readable: a deadlock report (`deadlock; threads = [(Id(0),
/// Blocked(…)), …]`) becomes a sentence, with loom's report kept below it.
pub fn readable(message: &str) -> String {
    match message.strip_prefix("deadlock; ") {
        Some(threads) => format!(
            "every thread is blocked (loom found a deadlock): a lock taken twice, or a wait \
             nobody ends.\n  loom's report: {threads}"
        ),
        None => message.to_owned(),
    }
}

/// Where the failure happened: the first `file.rs:line:column` in the panic message that is
/// not inside a dependency (with `LOOM_LOCATION=1`, loom names the accesses), else the place
/// that panicked.
pub fn location(stdout: &str) -> Option<String> {
    let start = stdout.find("panicked at ")?;
    let after = &stdout[start + "panicked at ".len()..];
    let (panicked_at, rest) = after.split_once('\n')?;
    let body = failure_message(stdout).unwrap_or_default();
    let words: Vec<&str> = body.split_whitespace().collect();
    // loom names each access `thread #1 @ file:line:col`: the accesses say more than where
    // the cell was created.
    let access = words
        .windows(2)
        .find_map(|pair| (pair[0] == "@").then(|| source_location(pair[1])).flatten());
    let in_message = access.or_else(|| words.iter().copied().find_map(source_location));
    in_message
        .or_else(|| source_location(panicked_at.trim_end_matches(':')))
        .or_else(|| rest.split_whitespace().find_map(source_location))
}

/// `token` as `path.rs:line:column` if it is one in this repository (not in cargo's registry).
fn source_location(token: &str) -> Option<String> {
    let token = token.trim_matches(|c: char| "()[],;`'\"".contains(c));
    let token = token.strip_suffix(':').unwrap_or(token);
    let mut parts = token.rsplitn(3, ':');
    let (column, line, path) = (parts.next()?, parts.next()?, parts.next()?);
    let numbers = [column, line]
        .iter()
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let ours = path.ends_with(".rs") && !path.contains(".cargo/") && !path.starts_with('/');
    (numbers && ours).then(|| token.to_owned())
}

/// The support shim's coverage lines in the checker's stderr (`loom explored N executions …`,
/// and its warnings): see `exercises/support/src/coverage.rs` for their format.
pub fn coverage(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| {
            line.starts_with("loom explored")
                || line.starts_with("loom failed in execution")
                || (line.starts_with("warning: only") && line.contains("executions"))
        })
        .map(str::to_owned)
        .collect()
}

/// A checker that ran past its deadline, as a verdict: what hung, for how long, and why that
/// usually happens.
pub fn timed_out(timed_out: &TimedOut) -> String {
    let mut message = format!(
        "{timed_out}. Likely cause: every thread waits for another that never lets go: a lock \
         taken twice (a `std::sync::Mutex` locked again by the thread that holds it; loom \
         cannot see std's locks, so the run just hangs), or a spin-wait loom cannot end. A \
         model too big to finish also ends here. Raise the deadline with `--timeout SECS` (or \
         XTASK_LEARN_TIMEOUT) only if the checker is making progress."
    );
    if let Some(last) = coverage(&timed_out.stderr).last() {
        message.push_str(&format!("\n  the last model to finish: {last}"));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_message_drops_the_backtrace() {
        let stdout = "---- learner_attempt stdout ----\n\nthread 'learner_attempt' (1) panicked \
            at exercises/counter/src/check.rs:33:13:\nassertion `left == right` failed: lost \
            update: the counter reads 1\n  left: 1\n right: 2\nstack backtrace:\n   0: x\n";
        assert_eq!(
            failure_message(stdout).unwrap(),
            "lost update: the counter reads 1\n  left: 1\n right: 2"
        );
        assert_eq!(
            location(stdout).as_deref(),
            Some("exercises/counter/src/check.rs:33:13")
        );
    }

    #[test]
    fn std_atomics_are_refused_with_their_line_and_a_comment_is_not() {
        let problem = unseen_by_loom("\n\nuse std::sync::atomic::AtomicU64;").unwrap();
        assert!(
            problem.starts_with("line 3 uses `std::sync::atomic`"),
            "{problem}"
        );
        assert!(problem.contains("support::sync::atomic"), "{problem}");
        let grouped = unseen_by_loom("use core::{sync::{atomic::{AtomicU8}}};").unwrap();
        assert!(grouped.contains("`core::sync::atomic`"), "{grouped}");
        let path = "fn f() -> u8 { let a = ::std::sync::atomic::AtomicU8::new(0); 0 }";
        assert!(unseen_by_loom(path).is_some());
        let fine = "// not std::sync::atomic: loom cannot see it\n\
                    const WHY: &str = \"std::sync::atomic\";\n\
                    use support::sync::atomic::AtomicU64;\n";
        assert_eq!(unseen_by_loom(fine), None);
    }

    #[test]
    fn a_loom_deadlock_becomes_a_sentence() {
        let raw = "deadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(\
                   Location(None)))]";
        let text = readable(raw);
        assert!(
            text.starts_with(
                "every thread is blocked (loom found a deadlock): a lock taken \
                              twice, or a wait nobody ends."
            ),
            "{text}"
        );
        assert!(text.contains("threads = [(Id(0)"), "{text}");
        assert_eq!(readable("lost update"), "lost update");
    }

    #[test]
    fn the_location_prefers_the_access_loom_names_over_the_panic_inside_loom() {
        let stdout = "thread 'learner_attempt' panicked at /home/u/.cargo/registry/src/x/loom-0.7.3/\
            src/rt/location.rs:115:9:\n\nCausality violation: Concurrent load and mut accesses.\n    \
            created: exercises/refcount/attempt.rs:40:21\n       load: thread #1 @ \
            exercises/refcount/attempt.rs:61:12\n\n";
        assert_eq!(
            location(stdout).as_deref(),
            Some("exercises/refcount/attempt.rs:61:12")
        );
        assert!(
            failure_message(stdout)
                .unwrap()
                .starts_with("Causality violation")
        );
    }

    #[test]
    fn coverage_lines_are_picked_out_of_stderr() {
        let stderr = "noise\nloom explored 4 executions (learner_attempt at src/check.rs:14)\n\
                      warning: only 4 executions: the model may never reach the racing access \
                      (x)\n";
        assert_eq!(coverage(stderr).len(), 2);
    }

    #[test]
    fn compiler_messages_start_at_the_first_error() {
        let stderr =
            "   Compiling counter v0.1.0\nerror[E0425]: cannot find value `x`\n  --> a.rs:1:1\n";
        assert_eq!(
            compiler_messages(stderr),
            "error[E0425]: cannot find value `x`\n  --> a.rs:1:1"
        );
    }
}
