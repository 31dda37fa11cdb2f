//! The end-to-end test of `src/guide/check-your-own-code.md`: a crate *outside* the workspace
//! (the guide's Treiber stack, from `ci/xtask/tests/own-crate/`, copied to a temporary
//! directory) goes through the commands the guide's console blocks show, read from the page
//! ([`guide`]), so page and test cannot drift apart.
//!
//! - `cargo test -p xtask own_crate` ([`tests`]): the loom command, a model whose destructor
//!   aborts the test binary, and a check that never ends stopped at its deadline.
//! - [`guide_miri_and_tsan`] ([`nightly`]): the Miri and ThreadSanitizer commands. They need the
//!   pinned nightly, which `cargo test` does not install, so `cargo xtask test` runs them, after
//!   its `miri` and `tsan` steps have set that toolchain up.

mod guide;
mod nightly;
#[cfg(test)]
mod tests;

pub use nightly::guide_miri_and_tsan;

use crate::util::{Result, anyhow, copy_dir, root};
use std::path::PathBuf;

/// The guide, whose console blocks are the commands under test.
const GUIDE: &str = "src/guide/check-your-own-code.md";

/// The fixture's path dependency on `support`, as the guide shows it (the reader replaces it).
const SUPPORT_PLACEHOLDER: &str = "/path/to/the/book/exercises/support";

/// The guide's commands, read from the page.
fn guide_commands() -> Result<Vec<guide::Shown>> {
    let path = root().join(GUIDE);
    let page =
        std::fs::read_to_string(&path).map_err(|e| anyhow!("reading {}: {e}", path.display()))?;
    guide::commands(&page).map_err(|e| anyhow!("{GUIDE}: {e}"))
}

/// A copy of the fixture crate in a temporary directory, removed when dropped.
struct OwnCrate(PathBuf);

impl OwnCrate {
    /// `purpose` keeps the copies of tests running at the same time apart.
    fn new(purpose: &str) -> Result<OwnCrate> {
        let dir = std::env::temp_dir().join(format!("{purpose}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let fixture = root().join("ci/xtask/tests/own-crate");
        copy_dir(&fixture, &dir)?;
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        if !text.contains(SUPPORT_PLACEHOLDER) {
            return Err(anyhow!(
                "{}: no `{SUPPORT_PLACEHOLDER}`",
                manifest.display()
            ));
        }
        let support = root().join("exercises/support");
        std::fs::write(
            &manifest,
            text.replace(SUPPORT_PLACEHOLDER, &support.display().to_string()),
        )?;
        // The workspace's lock file: the same loom as the chapters, and no fresh resolution.
        std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
        Ok(OwnCrate(dir))
    }

    /// One of the guide's commands, run in the crate's directory as a reader runs it there,
    /// with one difference: its build goes under the workspace's `target/` (a relative
    /// `CARGO_TARGET_DIR` is taken from the workspace root, and a command that sets none gets
    /// `target/` itself). So the chapters' builds of `support`, loom and TSan's std are
    /// reused, and nothing is built in the temporary copy.
    fn command(&self, shown: &guide::Shown) -> std::process::Command {
        let mut command = std::process::Command::new(&shown.program);
        command.current_dir(&self.0).args(&shown.args);
        // The reader's shell as the guide assumes it: no flags but the ones the line sets.
        for var in [
            "RUSTFLAGS",
            "RUSTDOCFLAGS",
            "MIRIFLAGS",
            "CARGO_BUILD_TARGET",
        ] {
            command.env_remove(var);
        }
        command.env("CARGO_TARGET_DIR", root().join("target"));
        for (name, value) in &shown.env {
            match name.as_str() {
                "CARGO_TARGET_DIR" => command.env(name, root().join(value)),
                _ => command.env(name, value),
            };
        }
        command
    }
}

impl Drop for OwnCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
