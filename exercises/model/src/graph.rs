//! Execution graphs as SVG (being written).

use crate::program::Program;
use crate::verdict::Model;
use std::path::Path;

/// Writes every consistent execution of `program` (only those ending in `state`, if given)
/// as an SVG file into `dir`; returns how many.
pub fn write_all(
    program: &Program,
    model: Model,
    state: Option<&str>,
    dir: &Path,
) -> Result<usize, String> {
    let _ = (program, model, state, dir);
    Err("--graph is not written yet".into())
}
