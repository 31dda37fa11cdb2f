//! `cargo xtask bench`: real criterion runs and the Benchmarks appendix data.

use crate::util::Result;

pub fn run(_args: &[String]) -> Result {
    Err("not written yet".into())
}
