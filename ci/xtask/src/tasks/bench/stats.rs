//! From several runs of one bench to one row per benchmark: the median of the runs' medians,
//! the range (min–max) of the runs' medians, and criterion's interval from the median run; and
//! the rule the prose follows: a difference is real only when two ranges do not overlap.

use super::results::Measurement;

/// One benchmark across every run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub variant: String,
    pub param: u32,
    /// The median of the runs' medians, in ns.
    pub median: f64,
    /// The fastest and slowest run's median.
    pub range: (f64, f64),
    /// Criterion's 95 % interval of the median, from the run whose median is [`Self::median`]
    /// (the lower-middle run for an even count).
    pub ci: (f64, f64),
    /// How many runs measured it.
    pub runs: usize,
    /// Each side figure: the median across runs, and its range.
    pub side: Vec<(f64, (f64, f64))>,
}

/// How a row compares with the baseline at the same parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The row is the baseline.
    Baseline,
    /// Every run of the row was faster than every run of the baseline.
    Faster,
    /// Every run of the row was slower than every run of the baseline.
    Slower,
    /// The ranges overlap: no difference shown.
    Overlap,
    /// No baseline at this parameter.
    NoBaseline,
}

/// The median of `values`; for an even count, the mean of the middle two. `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Whether two closed ranges share a point.
pub fn overlap(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// `(min, max)` of `values` (`(NaN, NaN)` when empty).
fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::NAN, f64::NAN), |(lo, hi), &v| (v.min(lo), v.max(hi)))
}

/// One summary per benchmark found in any run, in the order of first appearance.
pub fn summarise(runs: &[Vec<Measurement>]) -> Vec<Summary> {
    let mut keys: Vec<(&str, u32)> = Vec::new();
    for row in runs.iter().flatten() {
        if !keys.contains(&(row.variant.as_str(), row.param)) {
            keys.push((&row.variant, row.param));
        }
    }
    keys.into_iter()
        .map(|(variant, param)| {
            let rows: Vec<&Measurement> = runs
                .iter()
                .flatten()
                .filter(|r| r.variant == variant && r.param == param)
                .collect();
            let medians: Vec<f64> = rows.iter().map(|r| r.ns).collect();
            let median_of_medians = median(&medians).unwrap_or(f64::NAN);
            // The run whose median is closest to the median of medians lends its interval.
            let middle = rows
                .iter()
                .min_by(|a, b| {
                    (a.ns - median_of_medians)
                        .abs()
                        .total_cmp(&(b.ns - median_of_medians).abs())
                })
                .expect("a key comes from at least one row");
            let figures = rows.iter().map(|r| r.side.len()).max().unwrap_or(0);
            let side = (0..figures)
                .map(|i| {
                    let values: Vec<f64> =
                        rows.iter().filter_map(|r| r.side.get(i).copied()).collect();
                    (median(&values).unwrap_or(f64::NAN), min_max(&values))
                })
                .collect();
            Summary {
                variant: variant.to_owned(),
                param,
                median: median_of_medians,
                range: min_max(&medians),
                ci: middle.ci,
                runs: rows.len(),
                side,
            }
        })
        .collect()
}

/// Each summary's ratio to the baseline's median at the same parameter, and its verdict.
pub fn compare(rows: &[Summary], baseline: &str) -> Vec<(Option<f64>, Verdict)> {
    rows.iter()
        .map(|row| {
            let base = rows
                .iter()
                .find(|b| b.variant == baseline && b.param == row.param);
            match base {
                None => (None, Verdict::NoBaseline),
                Some(base) if base.variant == row.variant => (Some(1.0), Verdict::Baseline),
                Some(base) => {
                    let verdict = if overlap(row.range, base.range) {
                        Verdict::Overlap
                    } else if row.range.1 < base.range.0 {
                        Verdict::Faster
                    } else {
                        Verdict::Slower
                    };
                    (Some(row.median / base.median), verdict)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(variant: &str, param: u32, ns: f64) -> Measurement {
        Measurement {
            variant: variant.into(),
            param,
            ns,
            ci: (ns * 0.9, ns * 1.1),
            side: vec![ns / 10.0],
        }
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn ranges_overlap_when_they_share_a_point() {
        assert!(overlap((1.0, 2.0), (2.0, 3.0)));
        assert!(overlap((1.0, 5.0), (2.0, 3.0)));
        assert!(!overlap((1.0, 1.9), (2.0, 3.0)));
        assert!(!overlap((4.0, 5.0), (2.0, 3.0)));
    }

    #[test]
    fn the_median_of_medians_with_the_range_and_the_middle_runs_interval() {
        let runs = vec![
            vec![m("a", 1, 10.0), m("b", 1, 30.0)],
            vec![m("a", 1, 14.0), m("b", 1, 31.0)],
            vec![m("a", 1, 11.0), m("b", 1, 29.0)],
        ];
        let rows = summarise(&runs);
        assert_eq!(rows.len(), 2);
        let a = &rows[0];
        assert_eq!((a.variant.as_str(), a.param, a.runs), ("a", 1, 3));
        assert_eq!(a.median, 11.0);
        assert_eq!(a.range, (10.0, 14.0));
        assert_eq!(a.ci, (11.0 * 0.9, 11.0 * 1.1));
        assert_eq!(a.side, [(1.1, (1.0, 1.4))]);
    }

    #[test]
    fn a_difference_counts_only_when_the_ranges_are_apart() {
        let runs = vec![
            vec![
                m("base", 2, 10.0),
                m("fast", 2, 5.0),
                m("same", 2, 11.0),
                m("slow", 2, 30.0),
            ],
            vec![
                m("base", 2, 12.0),
                m("fast", 2, 6.0),
                m("same", 2, 9.0),
                m("slow", 2, 31.0),
            ],
            vec![m("alone", 4, 1.0)],
        ];
        let rows = summarise(&runs);
        let verdicts: Vec<Verdict> = compare(&rows, "base").into_iter().map(|(_, v)| v).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Baseline,
                Verdict::Faster,
                Verdict::Overlap,
                Verdict::Slower,
                Verdict::NoBaseline
            ]
        );
        let (ratio, _) = compare(&rows, "base")[1];
        assert_eq!(ratio, Some(5.5 / 11.0));
    }
}
