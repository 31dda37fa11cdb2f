//! The "pick the orderings" exercise: a chapter's solution with every ordering SeqCst and the
//! comments that gave the answer away replaced by a question.

use super::comments::{Comment, comments, site_comments};
use super::{Ordering, Site, find};
use Ordering::SeqCst;
use std::ops::Range;

/// Words that give an ordering away.
const ANSWER_WORDS: [&str; 6] = [
    "Relaxed",
    "Release",
    "Acquire",
    "AcqRel",
    "SeqCst",
    "pairs with",
];

/// The "pick the orderings" exercise made from a solution: every site set to SeqCst, each
/// site's own comments replaced by a question, and ordering names in other comments blanked,
/// so the file no longer says what the answer is.
pub fn orderings_exercise(solution: &str, name: &str) -> Result<String, String> {
    let found = find(solution)?;
    if found.sites.is_empty() {
        return Err("the solution has no ordering sites".into());
    }
    let all: Vec<Comment> = comments(solution)?;
    let at_sites: Vec<Range<usize>> = found
        .sites
        .iter()
        .flat_map(|site| site_comments(solution, &all, site))
        .map(|c| c.range.clone())
        .collect();
    // Edits as (bytes, replacement), applied from the end.
    let mut edits: Vec<(Range<usize>, String)> = found
        .sites
        .iter()
        .map(|site| (site.range.clone(), spelled(solution, site, SeqCst)))
        .collect();
    // The file's opening comment lines say what the file is: they become the exercise's.
    let mut opening = 0;
    while opening < all.len()
        && all[opening].first_line == opening + 1
        && line_is_only_comment(solution, &all[opening])
    {
        opening += 1;
    }
    for (index, comment) in all.iter().enumerate() {
        let text = &solution[comment.range.clone()];
        if index == 0 && opening > 0 {
            edits.push((comment.range.clone(), header(name)));
        } else if index < opening || text.starts_with("// ANCHOR") {
            // The book's include markers mean nothing in the reader's copy.
            edits.push((whole_lines(solution, comment), String::new()));
        } else if at_sites.contains(&comment.range) {
            // One question per run of comment lines, on the run's first line.
            let previous_is_site_comment = index > 0
                && at_sites.contains(&all[index - 1].range)
                && all[index - 1].last_line + 1 == comment.first_line;
            let own_line = line_is_only_comment(solution, comment);
            if previous_is_site_comment && own_line {
                edits.push((whole_lines(solution, comment), String::new()));
            } else if own_line {
                edits.push((
                    comment.range.clone(),
                    "// Which ordering, and what does it pair with?".to_owned(),
                ));
            } else {
                // A comment after code on the site's line: drop it (and the space before it).
                let start = solution[..comment.range.start].trim_end().len();
                edits.push((start..comment.range.end, String::new()));
            }
        } else if ANSWER_WORDS.iter().any(|w| text.contains(w)) {
            let mut blanked = text.to_owned();
            for word in ANSWER_WORDS {
                blanked = blanked.replace(word, "…");
            }
            edits.push((comment.range.clone(), blanked));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = solution.to_owned();
    let mut floor = usize::MAX;
    for (range, text) in edits {
        if range.end > floor {
            continue; // inside a range already replaced
        }
        floor = range.start;
        out.replace_range(range, &text);
    }
    Ok(out)
}

fn header(name: &str) -> String {
    format!(
        "// `cargo xtask learn {name}`: pick the orderings.\n\
         //\n\
         // This is the chapter's solution with every ordering set to SeqCst, the strongest.\n\
         // It passes the checker, and it is stronger than it needs to be. Weaken each ordering\n\
         // as far as it can go and still pass, and write above it what it pairs with. The\n\
         // audit then grades every ordering: minimal, too strong, or broken."
    )
}

fn line_is_only_comment(source: &str, comment: &Comment) -> bool {
    let line_start = source[..comment.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    source[line_start..comment.range.start].trim().is_empty()
}

/// A comment's lines, newline included, for comments that are alone on their lines.
fn whole_lines(source: &str, comment: &Comment) -> Range<usize> {
    let start = source[..comment.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = source[comment.range.end..]
        .find('\n')
        .map_or(source.len(), |i| comment.range.end + i + 1);
    start..end
}

/// How to write `ordering` in place of `site`'s path: the same path with another variant.
fn spelled(source: &str, site: &Site, ordering: Ordering) -> String {
    if site.bare {
        // A bare name may not be imported for the new ordering; the full path always works
        // (loom's `Ordering` is std's).
        format!("::std::sync::atomic::Ordering::{}", ordering.name())
    } else {
        let path = &source[site.range.clone()];
        let prefix = &path[..path.rfind("::").map_or(0, |i| i + 2)];
        format!("{prefix}{}", ordering.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::Relaxed;

    #[test]
    fn rewriting_changes_only_the_variant() {
        let source = "use std::sync::atomic::Ordering::*;\n\
            fn f(a: &A) { a.load(Acquire); a.store(1, std::sync::atomic::Ordering::Release); }\n";
        let sites = find(source).unwrap().sites;
        assert_eq!(
            spelled(source, &sites[0], Relaxed),
            "::std::sync::atomic::Ordering::Relaxed"
        );
        assert_eq!(
            spelled(source, &sites[1], SeqCst),
            "std::sync::atomic::Ordering::SeqCst"
        );
    }

    #[test]
    fn the_orderings_exercise_is_all_seq_cst_and_gives_no_answer_away() {
        let solution = "// The solution.\nuse support::sync::atomic::{AtomicBool, Ordering};\n\
            // ANCHOR: f\n\
            fn f(a: &AtomicBool) {\n\
                // Acquire: pairs with the Release\n\
                // store in `g`.\n\
                a.load(Ordering::Acquire);\n\
                a.store(false, Ordering::Relaxed); // as above\n\
                // SAFETY: seen with Acquire.\n\
                unsafe {}\n\
            }\n";
        let exercise = orderings_exercise(solution, "x-orderings").unwrap();
        let sites = find(&exercise).unwrap().sites;
        assert_eq!(sites.len(), 2);
        assert!(sites.iter().all(|s| s.written == SeqCst), "{exercise}");
        for word in [
            "Acquire",
            "Release",
            "Relaxed",
            "pairs with the",
            "as above",
        ] {
            assert!(!exercise.contains(word), "{word} in:\n{exercise}");
        }
        assert!(exercise.contains("learn x-orderings"), "{exercise}");
        assert!(!exercise.contains("ANCHOR"), "{exercise}");
        assert!(exercise.contains("// SAFETY: seen with …."), "{exercise}");
        assert_eq!(exercise.matches("Which ordering").count(), 1, "{exercise}");
    }
}
