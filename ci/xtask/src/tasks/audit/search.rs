//! The search: for each site, one at a time, every strictly weaker ordering the operation
//! accepts, and, for an operation that is there only for its ordering (a fence, a dropped
//! load), the code without it; then the pairs of sites that could each be weakened alone,
//! together.

use super::checker::{Audited, Failure, Judge, Outcome, Run};
use super::output::Model;
use super::sites::{self, Op, Ordering, Site};
use crate::util::Result;
use std::collections::VecDeque;
use std::sync::Mutex;

/// One weakening of one site, and what the checker said.
#[derive(Clone, Debug)]
pub struct Step {
    pub ordering: Ordering,
    pub outcome: Outcome,
    /// The loom models of the run, with their execution counts.
    pub models: Vec<Model>,
}

/// What the audit concludes about one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No weaker ordering passes.
    Minimal,
    /// A weaker ordering passes, and the site's comment says why it is kept.
    Justified(String),
    /// A weaker ordering passes and nothing says why not: flagged.
    Unjustified,
    /// The operation is there only for its ordering, the code passes without it, and nothing
    /// says why it stays: flagged.
    NotNeeded,
    /// SeqCst on an access, and every weakening fails. loom gives SeqCst loads and stores no
    /// single total order, so it cannot show that SeqCst is what makes the code pass: flagged
    /// unless justified (the model checker decides it for code the size of a litmus test).
    Undecidable,
    /// The checker fails on the code as written.
    FailsAsWritten,
}

impl Verdict {
    /// Whether `cargo xtask audit --check` fails on it.
    pub fn flagged(&self) -> bool {
        !matches!(self, Verdict::Minimal | Verdict::Justified(_))
    }
}

/// One site's result.
#[derive(Clone, Debug)]
pub struct SiteResult {
    /// Index of the file in the audit.
    pub file: usize,
    pub site: Site,
    /// Its number in the build.
    pub id: usize,
    pub steps: Vec<Step>,
    /// The checker without the operation, for one that is there only for its ordering
    /// ([`Site::removal`]); `None` for every other site.
    pub removal: Option<Run>,
    /// The weakest orderings that pass (two when Acquire and Release both do and Relaxed does
    /// not); the written one when nothing weaker passes.
    pub weakest: Vec<Ordering>,
    pub verdict: Verdict,
}

impl SiteResult {
    /// The first weakening that failed, and its message.
    pub fn first_failure(&self) -> Option<(Ordering, &str)> {
        self.steps.iter().find_map(|step| match &step.outcome {
            Outcome::Fail(failure) => Some((step.ordering, failure.message.as_str())),
            Outcome::Pass => None,
        })
    }

    /// Whether the code passed without the operation.
    pub fn removable(&self) -> bool {
        self.removal.as_ref().is_some_and(Run::passed)
    }

    /// What failed without the operation, if it was tried and something did.
    pub fn removal_failure(&self) -> Option<&Failure> {
        match self.removal.as_ref().map(|run| &run.outcome) {
            Some(Outcome::Fail(failure)) => Some(failure),
            _ => None,
        }
    }

    /// The run that decided a "weaker passes" or "removable" verdict: the removal if it
    /// passed, else the weakening to the weakest passing ordering.
    pub fn passing_models(&self) -> Option<&[Model]> {
        if let Some(run) = self.removal.as_ref().filter(|r| r.passed()) {
            return Some(&run.models);
        }
        self.steps
            .iter()
            .find(|s| s.outcome.passed() && self.weakest.contains(&s.ordering))
            .map(|s| s.models.as_slice())
    }

    fn can_weaken(&self) -> bool {
        self.weakest != [self.site.written]
            && matches!(self.verdict, Verdict::Justified(_) | Verdict::Unjustified)
    }
}

/// Weakenings tried together: which sites at which orderings, and the result.
#[derive(Clone, Debug)]
pub struct Combination {
    /// (index into the site results, ordering).
    pub members: Vec<(usize, Ordering)>,
    pub outcome: Outcome,
}

/// Everything one audit found.
#[derive(Debug)]
pub struct Findings {
    /// The checker on the code as written.
    pub as_written: Run,
    pub sites: Vec<SiteResult>,
    /// Orderings the audit could not vary: (file index, stray).
    pub stray: Vec<(usize, sites::Stray)>,
    /// Pairs of sites that pair with each other (same atomic, or one is a fence), each of which
    /// passed weakened alone, tried weakened together.
    pub pairs: Vec<Combination>,
    /// Every site that passed weakened alone, all weakened at once (when there are more than
    /// two; two are a pair).
    pub all_together: Option<Combination>,
    /// How many times the checker ran.
    pub runs: usize,
}

impl Findings {
    pub fn flagged(&self) -> usize {
        self.sites.iter().filter(|s| s.verdict.flagged()).count() + self.stray.len()
    }
}

/// Audits `files` with `checker`.
pub fn audit(files: &[Audited], checker: &impl Judge) -> Result<Findings> {
    let stray: Vec<(usize, sites::Stray)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.found.stray.iter().map(move |s| (i, s.clone())))
        .collect();
    let all_sites: Vec<(usize, usize, Site)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            f.found
                .sites
                .iter()
                .enumerate()
                .map(move |(n, s)| (i, f.first_id + n, s.clone()))
        })
        .collect();
    let as_written = checker.run(&[])?;
    let mut runs = 1;
    let mut results = Vec::new();
    if !as_written.passed() {
        for (file, id, site) in all_sites {
            results.push(SiteResult {
                file,
                weakest: vec![site.written],
                site,
                id,
                steps: Vec::new(),
                removal: None,
                verdict: Verdict::FailsAsWritten,
            });
        }
        return Ok(Findings {
            as_written,
            sites: results,
            stray,
            pairs: Vec::new(),
            all_together: None,
            runs,
        });
    }

    let stepped = in_parallel(&all_sites, |(_, id, site)| {
        // Removal is run even when a weaker ordering already failed (which implies it fails
        // too), so the table can say what removing the operation breaks.
        let removal = match site.removal {
            Some(_) => Some(checker.remove(*id)?),
            None => None,
        };
        Ok((weaken(site, *id, checker)?, removal))
    })?;
    for ((file, id, site), (steps, removal)) in all_sites.into_iter().zip(stepped) {
        runs += steps.len() + usize::from(removal.is_some());
        let weakest = weakest_passing(site.written, &steps);
        let comments = sites::comments(&files[file].source).map_err(anyhow::Error::msg)?;
        let reason = sites::stated_reason(&files[file].source, &comments, &site);
        let verdict = if removal.as_ref().is_some_and(Run::passed) {
            reason.map_or(Verdict::NotNeeded, Verdict::Justified)
        } else if weakest != [site.written] {
            reason.map_or(Verdict::Unjustified, Verdict::Justified)
        } else if site.written == Ordering::SeqCst && site.op != Op::Fence && !steps.is_empty() {
            reason.map_or(Verdict::Undecidable, Verdict::Justified)
        } else {
            Verdict::Minimal
        };
        results.push(SiteResult {
            file,
            site,
            id,
            steps,
            removal,
            weakest,
            verdict,
        });
    }

    // Per-site minimality is not joint minimality: two weakenings that each pass alone may
    // fail together. Try the ones that can meet: on the same atomic, or with a fence.
    let weakened: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].can_weaken())
        .collect();
    let mut tries: Vec<Vec<(usize, Ordering)>> = Vec::new();
    for (n, &a) in weakened.iter().enumerate() {
        for &b in &weakened[n + 1..] {
            if pair_up(&results[a], &results[b]) {
                tries.push(vec![(a, results[a].weakest[0]), (b, results[b].weakest[0])]);
            }
        }
    }
    let together: Vec<(usize, Ordering)> = weakened
        .iter()
        .map(|&i| (i, results[i].weakest[0]))
        .collect();
    let all_at_once = together.len() > 2;
    if all_at_once {
        tries.push(together);
    }
    let outcomes = in_parallel(&tries, |members| {
        let overrides: Vec<(usize, Ordering)> =
            members.iter().map(|&(i, o)| (results[i].id, o)).collect();
        Ok(checker.run(&overrides)?.outcome)
    })?;
    runs += tries.len();
    let mut combinations: Vec<Combination> = tries
        .into_iter()
        .zip(outcomes)
        .map(|(members, outcome)| Combination { members, outcome })
        .collect();
    let all_together = if all_at_once {
        combinations.pop()
    } else {
        None
    };
    Ok(Findings {
        as_written,
        sites: results,
        stray,
        pairs: combinations,
        all_together,
        runs,
    })
}

/// Whether two sites can meet in one happens-before edge: the same atomic, or a fence.
fn pair_up(a: &SiteResult, b: &SiteResult) -> bool {
    a.file == b.file
        && (a.site.op == Op::Fence
            || b.site.op == Op::Fence
            || (a.site.atomic.is_some() && a.site.atomic == b.site.atomic))
}

/// Tries each strictly weaker ordering, strongest first. An ordering weaker than one that
/// already failed is not run: it allows every execution the failing one does, so it fails too.
fn weaken(site: &Site, id: usize, checker: &impl Judge) -> Result<Vec<Step>> {
    let mut steps: Vec<Step> = Vec::new();
    for candidate in site.op.weaker(site.written) {
        let implied = steps
            .iter()
            .any(|s| !s.outcome.passed() && candidate.at_most(s.ordering));
        if implied {
            continue;
        }
        let run = checker.run(&[(id, candidate)])?;
        steps.push(Step {
            ordering: candidate,
            outcome: run.outcome,
            models: run.models,
        });
    }
    Ok(steps)
}

/// The minimal elements of {written} ∪ {weakenings that passed}.
pub fn weakest_passing(written: Ordering, steps: &[Step]) -> Vec<Ordering> {
    let passing: Vec<Ordering> = std::iter::once(written)
        .chain(
            steps
                .iter()
                .filter(|s| s.outcome.passed())
                .map(|s| s.ordering),
        )
        .collect();
    passing
        .iter()
        .copied()
        .filter(|&p| !passing.iter().any(|&q| q != p && q.at_most(p)))
        .collect()
}

/// Runs `work` on every item with one thread per core, keeping the items' order.
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let queue = Mutex::new((0..items.len()).collect::<VecDeque<usize>>());
    let done: Mutex<Vec<(usize, std::result::Result<R, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        for _ in 0..workers.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().expect("queue").pop_front();
                    let Some(index) = next else { break };
                    let result = work(&items[index]).map_err(|e| e.to_string());
                    done.lock().expect("results").push((index, result));
                }
            });
        }
    });
    let mut done = done.into_inner().expect("results");
    done.sort_by_key(|(index, _)| *index);
    done.into_iter()
        .map(|(_, result)| result.map_err(anyhow::Error::msg))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    /// A checker that fails whenever one of its rules matches the variant: each rule is a set
    /// of (site, ordering) that, all present, break the code. Removing a site fails when its
    /// weakest ordering (Relaxed, or Acquire and Release for a fence) would.
    struct Rules(Vec<Vec<(usize, Ordering)>>);

    impl Judge for Rules {
        fn run(&self, overrides: &[(usize, Ordering)]) -> Result<Run> {
            let broken = self
                .0
                .iter()
                .any(|rule| rule.iter().all(|needed| overrides.contains(needed)));
            Ok(Run::bare(if broken {
                Outcome::fail(format!("broken by {overrides:?}"))
            } else {
                Outcome::Pass
            }))
        }

        fn remove(&self, site: usize) -> Result<Run> {
            for weakest in [Relaxed, Acquire, Release] {
                if let Outcome::Fail(failure) = self.run(&[(site, weakest)])?.outcome {
                    return Ok(Run::bare(Outcome::Fail(Failure {
                        test: Some("fixed_model".into()),
                        message: format!("removed: {}", failure.message),
                    })));
                }
            }
            Ok(Run::bare(Outcome::Pass))
        }
    }

    fn file(source: &str) -> Vec<Audited> {
        vec![Audited {
            path: "f.rs".into(),
            shown: "f.rs".into(),
            source: source.to_owned(),
            found: sites::find(source).unwrap(),
            first_id: 0,
        }]
    }

    const PAIR: &str = "fn f(a: &A, b: &A) {\n\
        a.store(1, Ordering::Release);\n\
        let _a = a.load(Ordering::Acquire);\n\
        // audit: stronger because a C reader outside the model needs it\n\
        let _b = b.load(Ordering::Acquire);\n\
        let _c = b.load(Ordering::Relaxed);\n\
    }\n";

    #[test]
    fn verdicts_per_site_and_the_pair_that_fails_together() {
        // Either half of the `a` pair may go Relaxed alone, not both; `b`'s Acquire may go.
        let judge = Rules(vec![vec![(0, Relaxed), (1, Relaxed)]]);
        let files = file(PAIR);
        let findings = audit(&files, &judge).unwrap();
        let verdicts: Vec<&Verdict> = findings.sites.iter().map(|s| &s.verdict).collect();
        assert_eq!(
            verdicts,
            [
                &Verdict::Unjustified,
                &Verdict::Unjustified,
                &Verdict::Justified("a C reader outside the model needs it".into()),
                &Verdict::Minimal,
            ]
        );
        assert_eq!(findings.sites[0].weakest, [Relaxed]);
        // Only the two sites on `a` pair up; all three are then tried at once.
        assert_eq!(findings.pairs.len(), 1);
        assert_eq!(findings.pairs[0].members, [(0, Relaxed), (1, Relaxed)]);
        assert!(!findings.pairs[0].outcome.passed());
        let together = findings.all_together.as_ref().unwrap();
        assert_eq!(together.members.len(), 3);
        assert!(!together.outcome.passed());
        assert_eq!(findings.flagged(), 2);
    }

    #[test]
    fn a_weakening_below_a_failing_one_is_not_run() {
        let source = "fn f(a: &A) { a.fetch_add(1, Ordering::SeqCst); }\n";
        // AcqRel breaks it: Acquire, Release and Relaxed are all weaker, so none is run.
        let judge = Rules(vec![
            vec![(0, AcqRel)],
            vec![(0, Acquire)],
            vec![(0, Release)],
        ]);
        let files = file(source);
        let findings = audit(&files, &judge).unwrap();
        let tried: Vec<Ordering> = findings.sites[0].steps.iter().map(|s| s.ordering).collect();
        assert_eq!(tried, [AcqRel]);
        assert_eq!(findings.runs, 2);
        // SeqCst that cannot be weakened: loom cannot tell whether SeqCst is what passes.
        assert_eq!(findings.sites[0].verdict, Verdict::Undecidable);
    }

    #[test]
    fn code_that_fails_as_written_is_not_weakened() {
        let judge = Rules(vec![vec![]]);
        let files = file(PAIR);
        let findings = audit(&files, &judge).unwrap();
        assert!(
            findings
                .sites
                .iter()
                .all(|s| s.verdict == Verdict::FailsAsWritten)
        );
        assert_eq!(findings.runs, 1);
    }

    fn step(ordering: Ordering, passed: bool) -> Step {
        Step {
            ordering,
            outcome: if passed {
                Outcome::Pass
            } else {
                Outcome::fail("no")
            },
            models: Vec::new(),
        }
    }

    #[test]
    fn the_weakest_passing_ordering_is_the_bottom_of_what_passed() {
        assert_eq!(weakest_passing(Acquire, &[step(Relaxed, false)]), [Acquire]);
        assert_eq!(
            weakest_passing(SeqCst, &[step(Acquire, true), step(Relaxed, false)]),
            [Acquire]
        );
        // Acquire and Release both pass alone, Relaxed does not: both are weakest.
        assert_eq!(
            weakest_passing(
                AcqRel,
                &[
                    step(Acquire, true),
                    step(Release, true),
                    step(Relaxed, false)
                ]
            ),
            [Acquire, Release]
        );
        assert_eq!(
            weakest_passing(SeqCst, &[step(AcqRel, true), step(Relaxed, true)]),
            [Relaxed]
        );
    }

    const FENCES: &str = "fn f(a: &A, b: &A) {\n\
        a.store(1, Ordering::Relaxed);\n\
        fence(Ordering::Acquire);\n\
        fence(Ordering::Release);\n\
        let _r = b.load(Ordering::Relaxed);\n\
        let _ = b.load(Ordering::Relaxed);\n\
    }\n";

    #[test]
    fn a_fence_is_also_tried_removed() {
        // The Acquire fence is needed; the Release fence and the dropped load are not.
        let judge = Rules(vec![vec![(1, Release)], vec![(1, Relaxed)]]);
        let files = file(FENCES);
        let findings = audit(&files, &judge).unwrap();
        let acquire = &findings.sites[1];
        assert_eq!(acquire.verdict, Verdict::Minimal);
        assert!(
            acquire.steps.is_empty(),
            "nothing weaker than an Acquire fence"
        );
        let failure = acquire.removal_failure().expect("removal fails");
        assert_eq!(failure.test.as_deref(), Some("fixed_model"));
        let release = &findings.sites[2];
        assert!(release.removable());
        assert_eq!(release.verdict, Verdict::NotNeeded);
        assert!(release.verdict.flagged());
        // A load whose value is used is never removed; a dropped one is.
        assert!(findings.sites[3].removal.is_none());
        assert_eq!(findings.sites[4].verdict, Verdict::NotNeeded);
        assert!(findings.sites[0].removal.is_none());
        // One run as written, one removal per removable site, no weakening (all minimal).
        assert_eq!(findings.runs, 4);
        assert_eq!(findings.flagged(), 2);
    }

    #[test]
    fn a_removable_fence_with_a_reason_is_justified() {
        let source = "fn f() {\n\
            // audit: stronger because the C side reads without loom\n\
            fence(Ordering::SeqCst);\n\
        }\n";
        let files = file(source);
        let findings = audit(&files, &Rules(Vec::new())).unwrap();
        assert_eq!(
            findings.sites[0].verdict,
            Verdict::Justified("the C side reads without loom".into())
        );
        assert!(findings.sites[0].removable());
    }
}
