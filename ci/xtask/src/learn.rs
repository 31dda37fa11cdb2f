//! `cargo xtask learn <exercise>`: the learner loop.

use crate::util::Result;

pub fn run(_args: &[String]) -> Result {
    Err("not written yet".into())
}
