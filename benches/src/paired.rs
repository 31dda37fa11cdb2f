//! Paired comparisons: a variant and its baseline measured back to back, many times, so that
//! each ratio compares two runs that met the same machine.
//!
//! On a virtual machine the time for a cache line to travel between two vCPUs depends on where
//! the host put them, and that changes from second to second: the same queue, measured alone
//! for a second at a time, came out anywhere from 2 to 21 ns per message. Criterion's figure
//! for one variant and the next are then seconds apart and the difference between them mostly
//! says where the vCPUs were. A pair of blocks a few milliseconds long sees (nearly) the same
//! placement, so the ratio within a pair cancels it; the median over many pairs is the
//! comparison. Comparing the baseline with itself (A/A) shows how far that median strays when
//! there is no difference at all. It cannot show how a change of placement weighs on two
//! *different* variants (one may move more lines than the other), so a variant's median still
//! moves between runs by more than the control's: read its range over the runs too.

use std::time::Duration;

/// How many pairs, and how many operations each block does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairs {
    /// Pairs measured; each is one block of the baseline and one of the variant.
    pub pairs: usize,
    /// Operations (messages) per block.
    pub block: u64,
}

impl Pairs {
    /// What `cargo xtask bench` measures (it sets `BENCH_SIDE_DIR`): 200 pairs of `block`
    /// operations, chosen by the bench to take a few milliseconds. Otherwise (`cargo bench --
    /// --test`, a run by hand without the task) two tiny pairs, enough to run the code once.
    pub fn for_this_run(block: u64) -> Self {
        if std::env::var_os("BENCH_SIDE_DIR").is_some() {
            Self { pairs: 200, block }
        } else {
            Self {
                pairs: 2,
                block: 1 << 10,
            }
        }
    }
}

/// Measures each of `variants` against `baseline`, `pairs` times, and returns each variant's
/// pair ratios (variant ÷ baseline; below 1, the variant was faster), in the order given.
///
/// A pair is one block of the baseline and one of the variant, back to back; which goes first
/// alternates from pair to pair, so neither always runs on a machine the other has just warmed.
/// The variants take turns: pair 1 of every variant, then pair 2 of every variant, and so on. A
/// slow spell of the machine, or a spell in which it favours one kind of code, then falls on a
/// few pairs of every variant instead of on all the pairs of one, so the variants' medians are
/// taken over the same stretch of time.
///
/// # Panics
/// If a baseline block takes no measurable time.
pub fn interleaved<V: FnMut() -> Duration>(
    pairs: usize,
    mut baseline: impl FnMut() -> Duration,
    variants: &mut [V],
) -> Vec<Vec<f64>> {
    let mut ratios = vec![Vec::with_capacity(pairs); variants.len()];
    for pair in 0..pairs {
        for (variant, ratios) in variants.iter_mut().zip(&mut ratios) {
            let (base, other) = if pair % 2 == 0 {
                let base = baseline();
                (base, variant())
            } else {
                let other = variant();
                (baseline(), other)
            };
            assert!(!base.is_zero(), "a baseline block took no measurable time");
            ratios.push(other.as_secs_f64() / base.as_secs_f64());
        }
    }
    ratios
}

/// Pairs every named variant with `baseline` ([`interleaved`], the variants in this run's order,
/// `crate::run_order`) and records each one's median ratio as the side figure of its row in
/// `group` at `parameter` (`crate::record_side`): the last column of the appendix table.
pub fn record_medians<V: FnMut() -> Duration>(
    group: &str,
    parameter: usize,
    pairs: usize,
    baseline: impl FnMut() -> Duration,
    variants: Vec<(&str, V)>,
) {
    let (names, mut runs): (Vec<_>, Vec<_>) = crate::run_order(variants).into_iter().unzip();
    for (name, ratios) in names.iter().zip(interleaved(pairs, baseline, &mut runs)) {
        crate::record_side(group, name, parameter, &[median(&ratios)]);
    }
}

/// The median of `values`; for an even count, the mean of the middle two; 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// How a test's machine behaves: each pair (every variant's turn included) makes
    /// `calls_per_pair` calls, and during pair `slow_pair` every block takes twice as long.
    struct Machine {
        calls: RefCell<Vec<&'static str>>,
        calls_per_pair: usize,
        slow_pair: usize,
    }

    impl Machine {
        fn new(calls_per_pair: usize, slow_pair: usize) -> Self {
            let calls = RefCell::new(Vec::new());
            Self {
                calls,
                calls_per_pair,
                slow_pair,
            }
        }

        /// A block that logs `name` and takes `ns` (or twice that in the slow pair).
        fn block(&self, name: &'static str, ns: u64) -> impl FnMut() -> Duration + '_ {
            move || {
                let pair = self.calls.borrow().len() / self.calls_per_pair;
                self.calls.borrow_mut().push(name);
                Duration::from_nanos(if pair == self.slow_pair { 2 * ns } else { ns })
            }
        }
    }

    #[test]
    fn each_ratio_is_the_variant_over_its_own_baseline() {
        // The machine doubles its speed after the first pair: the ratios do not see it.
        let machine = Machine::new(2, 0);
        let got = interleaved(
            3,
            machine.block("base", 100),
            &mut [machine.block("variant", 80)],
        );
        assert_eq!(got, [[0.8, 0.8, 0.8]]);
        // ABBA: the first to run alternates.
        assert_eq!(
            *machine.calls.borrow(),
            ["base", "variant", "variant", "base", "base", "variant"]
        );
    }

    #[test]
    fn variants_take_turns_and_share_the_slow_spell() {
        // The machine is twice as slow for the second pair only: each variant meets it once,
        // in one of its pairs, and each pair still cancels it.
        let machine = Machine::new(4, 1);
        let got = interleaved(
            3,
            machine.block("base", 100),
            &mut [machine.block("a", 50), machine.block("b", 200)],
        );
        assert_eq!(got, [[0.5, 0.5, 0.5], [2.0, 2.0, 2.0]]);
        // Pair 1 of a and b, then pair 2 of a and b (each first this time), then pair 3.
        assert_eq!(
            machine.calls.borrow()[..8],
            ["base", "a", "base", "b", "a", "base", "b", "base"]
        );
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn without_the_task_the_pairs_are_a_token_few() {
        // `cargo test` does not set BENCH_SIDE_DIR.
        if std::env::var_os("BENCH_SIDE_DIR").is_none() {
            assert_eq!(Pairs::for_this_run(1 << 20).pairs, 2);
        }
    }
}
