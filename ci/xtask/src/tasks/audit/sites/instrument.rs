//! The instrumented copy: each site's ordering becomes a lookup in an environment variable,
//! so one build of the copy runs every variant.

use super::Site;
use std::ops::Range;

/// The name of the function the audit adds to an instrumented copy.
const LOOKUP: &str = "__xtask_audit_ordering";

/// The function that says whether a removable operation runs in this variant.
const KEEP: &str = "__xtask_audit_keep";

/// The environment variable that overrides sites in an instrumented build:
/// `3=Relaxed,5=Release,7=removed`.
pub const OVERRIDES: &str = "XTASK_AUDIT_ORDERINGS";

/// What [`OVERRIDES`] says for a site that the variant removes.
pub const REMOVED: &str = "removed";

/// A copy of `source` in which site `i` (of `sites`) asks [`OVERRIDES`] for its ordering
/// under the number `first_id + i`, falling back to what is written; a site with a
/// [`Site::removal`] also asks whether its operation runs at all (`if keep(n) { let _ = op; }`).
/// One build of the copy then runs every variant: a variant is an environment variable, not a
/// rebuild. Only the sites' bytes change (each path becomes a call around itself, each
/// removable operation gains a condition on its own line), so every line keeps its number.
pub fn instrument(source: &str, sites: &[Site], first_id: usize) -> String {
    // (where, bytes replaced, replacement), applied from the end of the file.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let id = first_id + i;
        let written = &source[site.range.clone()];
        edits.push((site.range.clone(), format!("{LOOKUP}({id}, {written})")));
        if let Some(whole) = &site.removal {
            edits.push((
                whole.start..whole.start,
                format!("if {KEEP}({id}) {{ let _ = "),
            ));
            edits.push((whole.end..whole.end, "; }".to_owned()));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
    let mut out = source.to_owned();
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        r#"
// Added by `cargo xtask audit` to this copy only: the ordering of site `site`, unless
// {OVERRIDES} (`site=Ordering,…`, or `site={REMOVED}`) names another one for this run.
#[allow(dead_code)]
fn {LOOKUP}(
    site: usize,
    written: ::std::sync::atomic::Ordering,
) -> ::std::sync::atomic::Ordering {{
    __xtask_audit_overrides()
        .iter()
        .find(|(number, _)| *number == site)
        .and_then(|&(_, ordering)| ordering)
        .unwrap_or(written)
}}

// Added by `cargo xtask audit`: whether the operation of site `site` runs in this run
// (`site={REMOVED}` in {OVERRIDES} leaves it out).
#[allow(dead_code)]
fn {KEEP}(site: usize) -> bool {{
    !__xtask_audit_overrides()
        .iter()
        .any(|&(number, ordering)| number == site && ordering.is_none())
}}

// Added by `cargo xtask audit`: {OVERRIDES}, read once. `None` is a removed operation.
#[allow(dead_code)]
fn __xtask_audit_overrides() -> &'static [(usize, Option<::std::sync::atomic::Ordering>)] {{
    use ::std::sync::atomic::Ordering;
    static OVERRIDES: ::std::sync::OnceLock<Vec<(usize, Option<Ordering>)>> =
        ::std::sync::OnceLock::new();
    OVERRIDES.get_or_init(|| {{
        let spec = ::std::env::var("{OVERRIDES}").unwrap_or_default();
        spec.split(',')
            .filter(|item| !item.is_empty())
            .map(|item| {{
                let (number, name) = item.split_once('=').expect("site=Ordering");
                let ordering = match name {{
                    "{REMOVED}" => None,
                    "Relaxed" => Some(Ordering::Relaxed),
                    "Release" => Some(Ordering::Release),
                    "Acquire" => Some(Ordering::Acquire),
                    "AcqRel" => Some(Ordering::AcqRel),
                    "SeqCst" => Some(Ordering::SeqCst),
                    other => panic!("{OVERRIDES}: no ordering `{{other}}`"),
                }};
                (number.parse().expect("a site number"), ordering)
            }})
            .collect()
    }})
}}
"#
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::audit::sites::find;

    #[test]
    fn instrumenting_keeps_every_line_and_comment() {
        let source = "fn f(a: &A) -> u8 {\n    // Acquire: pairs with the store\n    a.load(Ordering::Acquire)\n}\n";
        let sites = find(source).unwrap().sites;
        let out = instrument(source, &sites, 7);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "    // Acquire: pairs with the store");
        assert_eq!(
            lines[2],
            format!("    a.load({LOOKUP}(7, Ordering::Acquire))")
        );
        assert!(out.contains(&format!("fn {LOOKUP}(")));
        // The copy still parses, and the written ordering is still on its line.
        assert_eq!(find(&out).unwrap().stray[0].line, 3);
    }

    #[test]
    fn operations_there_only_for_their_ordering_can_be_removed() {
        let source = "fn f(a: &A) -> u8 {\n\
            fence(Ordering::Acquire);\n\
            a.load(Ordering::Acquire);\n\
            let _ = a.fetch_add(0, Ordering::Release);\n\
            a.fetch_add(1, Ordering::Relaxed);\n\
            let _x = a.load(Ordering::Relaxed);\n\
            a.load(Ordering::Acquire)\n\
        }\n";
        let removable: Vec<(usize, bool)> = find(source)
            .unwrap()
            .sites
            .iter()
            .map(|s| (s.line, s.removal.is_some()))
            .collect();
        // The fence, the dropped load and the dropped add of 0; not the add of 1, nor a load
        // whose value is kept (bound to a name, or returned).
        assert_eq!(
            removable,
            [
                (2, true),
                (3, true),
                (4, true),
                (5, false),
                (6, false),
                (7, false)
            ]
        );
    }

    #[test]
    fn a_removable_operation_is_wrapped_on_its_own_line() {
        let source = "fn f(a: &A) {\n    a.store(1, Ordering::Relaxed);\n    \
            fence(Ordering::Acquire); // pairs with the store\n}\n";
        let sites = find(source).unwrap().sites;
        let out = instrument(source, &sites, 3);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[2],
            format!(
                "    if {KEEP}(4) {{ let _ = fence({LOOKUP}(4, Ordering::Acquire)); }}; \
                 // pairs with the store"
            )
        );
        assert_eq!(
            lines[1],
            format!("    a.store(1, {LOOKUP}(3, Ordering::Relaxed));")
        );
        assert!(out.contains(&format!("fn {KEEP}(")));
        assert!(out.contains(&format!("\"{REMOVED}\" => None")));
        assert!(syn::parse_file(&out).is_ok(), "{out}");
    }
}
