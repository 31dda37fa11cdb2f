//! The litmus lab: the classic small programs that tell memory models apart, each run three
//! ways and compared with what the model allows.
//!
//! A *litmus test* is a handful of threads that make one or two atomic accesses each, plus one
//! question about what they read: can this particular combination of values come out? The
//! answer differs between sequential consistency, C++20's (and so Rust's) model, and each kind
//! of processor, which is what makes the tests useful.
//!
//! | test | module | the outcome in question |
//! | --- | --- | --- |
//! | SB, store buffering | [`tests::sb`] | both threads read the other's location as 0 |
//! | MP, message passing | [`tests::mp`] | the reader sees the flag but not the data |
//! | LB, load buffering | [`tests::lb`] | each load reads the store that comes *after* the other load |
//! | IRIW, independent reads of independent writes | [`tests::iriw`] | two readers see two writes in opposite orders |
//! | 2+2W, two plus two writes | [`tests::two_plus_two_w`] | both locations end with their first write |
//! | CoRR, read-read coherence | [`tests::corr`] | one thread reads a new value, then the old one |
//!
//! Each test comes in the orderings that teach something: all `Relaxed`; Release/Acquire where
//! it applies; all `SeqCst`; SB also as `Relaxed` accesses with a `SeqCst` fence between them;
//! and MP also with each half of Release/Acquire alone. The model's answer for each is written
//! next to the test ([`Expected`]), with the rule it comes from, never taken from what a tool
//! printed; and each set of orderings has a litmus file ([`Variant::model`]) from which the
//! model checker (the `model` crate) computes the answer again, from the very functions the
//! runners call. `tests/model.rs` holds the written answers to the computed ones.
//!
//! The programs use the `support` shim for atomics and threads, so the same source runs three
//! ways:
//!
//! - **On this machine's cores** (module `hardware`): `cargo run -p litmus --release` prints how
//!   often each outcome in question appeared (`-- sb` runs one test). `cargo test -p litmus`
//!   runs a short version that asserts only that no forbidden outcome appears.
//! - **Under loom** (module `model`, built with `--cfg loom`): every outcome loom can produce.
//!   `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p litmus --release`
//!   asserts each set, loom's known deviations from the model included ([`deviations`]); the
//!   same build of `cargo run -p litmus --release` prints the table.
//! - **Under Miri** (module `threads`): `cargo xtask miri litmus` runs every test many times under
//!   several seeds and checks that what Miri produces is allowed.
//!
//! `cargo xtask litmus` runs all three and writes the book's Litmus results appendix.

pub mod deviations;
#[cfg(not(loom))]
pub mod hardware;
#[cfg(loom)]
pub mod model;
pub mod report;
pub mod tests;
#[cfg(not(loom))]
pub mod threads;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use support::sync::atomic::{AtomicU32, Ordering};

/// One shared location, alone on its cache line. 128 bytes, not 64: x86-64 fetches lines in
/// pairs, and two locations sharing a pair would measure false sharing, not the memory model.
#[repr(align(128))]
#[derive(Debug)]
pub struct Cell(AtomicU32);

impl Deref for Cell {
    type Target = AtomicU32;

    fn deref(&self) -> &AtomicU32 {
        &self.0
    }
}

/// The shared memory of one run of a litmus test: two locations, `x` and `y`, both 0 at the
/// start. (MP calls them data and flag.)
#[derive(Debug)]
pub struct Memory {
    pub x: Cell,
    pub y: Cell,
}

impl Memory {
    /// Fresh memory: both locations 0.
    pub fn new() -> Self {
        Memory {
            x: Cell(AtomicU32::new(0)),
            y: Cell(AtomicU32::new(0)),
        }
    }

    /// The values the locations ended with. Call it only once every thread has been joined:
    /// the joins order every store before these loads, so `Relaxed` reads the last of each.
    pub fn final_values(&self) -> [u32; 2] {
        [
            self.x.load(Ordering::Relaxed), // Relaxed: after the joins, see above
            self.y.load(Ordering::Relaxed), // Relaxed: after the joins, see above
        ]
    }
}

impl Default for Memory {
    fn default() -> Self {
        Memory::new()
    }
}

/// What one thread read, in program order. No thread here reads more than twice; a thread
/// that reads less leaves the rest 0.
pub type Reads = [u32; 2];

/// One thread of a litmus test, as every runner calls it.
pub type Body = fn(&Memory) -> Reads;

/// One thread of a [`Variant`]: the function it runs, by name, and how every runner calls it.
///
/// The model checker reads the same function: the variant's litmus file (see
/// [`Variant::model`]) takes each thread's body from it (`thread a = fn NAME in "…";`), and
/// `tests/model.rs` checks that the file names exactly these functions, in this order. Build
/// one with [`thread!`](crate::thread), which writes the name and the call from one
/// identifier, so they cannot drift apart.
#[derive(Debug, Clone, Copy)]
pub struct Thread {
    /// The function's name, as the litmus file names it.
    pub function: &'static str,
    /// The file it is defined in (`file!()` where the variant is written).
    pub source: &'static str,
    /// The function, its result turned into [`Reads`].
    pub body: Body,
}

/// What a thread function returns, as [`Reads`]: nothing (a thread that only writes), one
/// value, or two; what it does not read is 0.
pub trait IntoReads {
    fn into_reads(self) -> Reads;
}

impl IntoReads for () {
    fn into_reads(self) -> Reads {
        [0, 0]
    }
}

impl IntoReads for u32 {
    fn into_reads(self) -> Reads {
        [self, 0]
    }
}

impl IntoReads for Reads {
    fn into_reads(self) -> Reads {
        self
    }
}

/// `thread!(relaxed_a)`: the [`Thread`] that runs the function `relaxed_a` of the current
/// module.
#[macro_export]
macro_rules! thread {
    ($function:ident) => {
        $crate::Thread {
            function: stringify!($function),
            source: file!(),
            body: |m| $crate::IntoReads::into_reads($function(m)),
        }
    };
}

/// The values one run of a test ends with, in the order of [`Test::registers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome {
    values: [u32; 4],
    len: u8,
}

impl Outcome {
    /// An outcome of up to four values.
    ///
    /// # Panics
    /// If there are more than four.
    pub fn new(values: &[u32]) -> Self {
        let mut all = [0; 4];
        all[..values.len()].copy_from_slice(values);
        Outcome {
            values: all,
            len: values.len() as u8,
        }
    }

    /// The values, in register order.
    pub fn values(&self) -> &[u32] {
        &self.values[..usize::from(self.len)]
    }
}

/// How many runs ended in each outcome.
pub type Tally = BTreeMap<Outcome, u64>;

/// One litmus test: its threads in every set of orderings, and the model's answers.
#[derive(Debug)]
pub struct Test {
    /// The name the literature uses: "SB", "2+2W".
    pub name: &'static str,
    /// The name on the command line: `cargo run -p litmus --release -- sb`.
    pub key: &'static str,
    /// What the letters stand for.
    pub title: &'static str,
    /// What each value of an [`Outcome`] is: a register (what a load returned) or, for 2+2W,
    /// a location's final value.
    pub registers: &'static [&'static str],
    /// The values each register can hold in some run, whatever the model.
    pub domain: &'static [&'static [u32]],
    /// The outcome the test is about: the one that no interleaving of the threads produces.
    pub question: &'static [u32],
    /// Turns what each thread read (in thread order) and the final memory into the outcome.
    pub outcome: fn(&[Reads], &Memory) -> Outcome,
    /// The program in each set of orderings.
    pub variants: &'static [Variant],
    /// The model's answer for each set of orderings, in the order of `variants`.
    pub expected: &'static [Expected],
}

/// A test's threads with one choice of orderings.
#[derive(Debug)]
pub struct Variant {
    /// The orderings, as the results table names them: "Relaxed", "Release/Acquire".
    pub orderings: &'static str,
    /// The threads, in the order their reads appear in the outcome.
    pub threads: &'static [Thread],
    /// The litmus file that asks the model checker (the `model` crate) this variant's
    /// question, relative to the crate: `model/<key>-<orderings>.litmus`, its threads the
    /// very functions in `threads`. `tests/model.rs` checks the written answer ([`Expected`])
    /// and the whole outcome set against what the checker computes from it.
    pub model: &'static str,
}

/// The model's answer to a test's question for one set of orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// Which [`Variant`] this answers for.
    pub orderings: &'static str,
    /// Whether the model allows the outcome in question.
    pub allowed: bool,
}

impl Expected {
    /// The model allows the outcome in question with these orderings.
    pub const fn allowed(orderings: &'static str) -> Self {
        Expected {
            orderings,
            allowed: true,
        }
    }

    /// The model forbids the outcome in question with these orderings.
    pub const fn forbidden(orderings: &'static str) -> Self {
        Expected {
            orderings,
            allowed: false,
        }
    }
}

impl Test {
    /// The outcome in question.
    pub fn question(&self) -> Outcome {
        Outcome::new(self.question)
    }

    /// `r1 = 0, r2 = 0`.
    pub fn describe(&self, outcome: &Outcome) -> String {
        self.registers
            .iter()
            .zip(outcome.values())
            .map(|(register, value)| format!("{register} = {value}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The variants with the model's answer for each.
    pub fn rows(&'static self) -> impl Iterator<Item = (&'static Variant, Expected)> {
        self.variants.iter().zip(self.expected.iter().copied())
    }

    /// Every outcome the model allows with these orderings.
    ///
    /// Every combination in the domain other than the outcome in question is what some
    /// interleaving of the threads produces, and every model here allows every interleaving
    /// (sequential consistency is the strongest of them). So the allowed set is the whole
    /// domain, less the outcome in question when the model forbids it. `tests/model.rs` checks
    /// that claim against the set the model checker computes, and that the checker labels
    /// every outcome but the one in question as reached by an interleaving.
    pub fn allowed(&self, expected: Expected) -> BTreeSet<Outcome> {
        let question = self.question();
        self.every_outcome()
            .into_iter()
            .filter(|outcome| expected.allowed || *outcome != question)
            .collect()
    }

    /// Every combination of the registers' values.
    pub fn every_outcome(&self) -> Vec<Outcome> {
        let mut partial: Vec<Vec<u32>> = vec![Vec::new()];
        for values in self.domain {
            partial = partial
                .iter()
                .flat_map(|prefix| {
                    values.iter().map(move |&value| {
                        let mut longer = prefix.clone();
                        longer.push(value);
                        longer
                    })
                })
                .collect();
        }
        partial.iter().map(|values| Outcome::new(values)).collect()
    }
}

/// Every test, in the order the results table lists them.
pub const TESTS: &[&Test] = &[
    &tests::sb::SB,
    &tests::mp::MP,
    &tests::lb::LB,
    &tests::iriw::IRIW,
    &tests::two_plus_two_w::TWO_PLUS_TWO_W,
    &tests::corr::CORR,
];

/// The test with this command-line name (`sb`, `2+2w`; any case).
pub fn find(key: &str) -> Option<&'static Test> {
    TESTS
        .iter()
        .copied()
        .find(|test| test.key.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn every_variant_has_exactly_one_answer_in_the_same_place() {
        for test in TESTS {
            let variants: Vec<_> = test.variants.iter().map(|v| v.orderings).collect();
            let answers: Vec<_> = test.expected.iter().map(|e| e.orderings).collect();
            assert_eq!(variants, answers, "{}", test.name);
        }
    }

    #[test]
    fn shapes_agree() {
        for test in TESTS {
            assert_eq!(test.registers.len(), test.domain.len(), "{}", test.name);
            assert_eq!(test.registers.len(), test.question.len(), "{}", test.name);
            for variant in test.variants {
                assert!(
                    (2..=4).contains(&variant.threads.len()),
                    "{} {}: loom runs at most 4 threads besides main",
                    test.name,
                    variant.orderings
                );
            }
        }
    }

    #[test]
    fn the_question_is_in_the_domain_and_left_out_only_when_forbidden() {
        let sb = &tests::sb::SB;
        let every = sb.every_outcome();
        assert_eq!(every.len(), 4);
        assert!(every.contains(&sb.question()));
        assert_eq!(sb.allowed(Expected::allowed("Relaxed")).len(), 4);
        let forbidden = sb.allowed(Expected::forbidden("SeqCst"));
        assert_eq!(forbidden.len(), 3);
        assert!(!forbidden.contains(&sb.question()));
    }

    /// `model/<key>-<orderings>.litmus`, the orderings in lower case with every run of other
    /// characters a `-` ("Relaxed + fence(SeqCst)" is `relaxed-fence-seqcst`), and it exists.
    #[test]
    fn every_variant_names_its_litmus_file() {
        let mut files = Vec::new();
        for test in TESTS {
            for variant in test.variants {
                let mut slug = String::new();
                for c in variant.orderings.chars() {
                    if c.is_ascii_alphanumeric() {
                        slug.push(c.to_ascii_lowercase());
                    } else if !slug.is_empty() && !slug.ends_with('-') {
                        slug.push('-');
                    }
                }
                let slug = slug.trim_end_matches('-');
                assert_eq!(variant.model, format!("model/{}-{slug}.litmus", test.key));
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(variant.model);
                assert!(path.is_file(), "{} is missing", path.display());
                files.push(variant.model);
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("model");
        let on_disk = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(
            on_disk,
            files.len(),
            "{}: a file no variant names",
            dir.display()
        );
    }

    #[test]
    fn outcomes_print_with_register_names() {
        let sb = &tests::sb::SB;
        assert_eq!(sb.describe(&Outcome::new(&[0, 1])), "r1 = 0, r2 = 1");
    }

    #[test]
    fn tests_are_found_by_key_in_any_case() {
        assert_eq!(find("SB").map(|t| t.name), Some("SB"));
        assert_eq!(find("2+2w").map(|t| t.name), Some("2+2W"));
        assert!(find("xyz").is_none());
    }
}
