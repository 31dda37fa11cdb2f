//! What `[[package.metadata.miri.expect]]` and `[[package.metadata.tsan.expect]]` share: each
//! entry names a test that the tool must fail with a given message, or (`outcome = "pass"`)
//! a control it must pass.

use crate::util::{Result, anyhow};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    #[default]
    Fail,
    Pass,
}

/// The message `tool` must print for `test` of `krate`: required for a failure (a broken test
/// caught for an unnamed reason proves nothing), `None` for a control.
pub fn message(
    tool: &str,
    krate: &str,
    test: &str,
    outcome: &Outcome,
    message: &Option<String>,
) -> Result<Option<String>> {
    match (outcome, message) {
        (Outcome::Fail, Some(message)) => Ok(Some(message.clone())),
        (Outcome::Fail, None) => Err(anyhow!(
            "{krate}: [[package.metadata.{tool}.expect]] `{test}` needs `message` (or outcome = \
             \"pass\")"
        )),
        (Outcome::Pass, _) => Ok(None),
    }
}
