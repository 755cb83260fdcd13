//! `cargo xtask codegen [--check]`: regenerate the committed JSON Schemas, or check that they are up to date.
//!
//! The generating code is in the integration tests of `model` (JSON Schemas) and `store` (migration checksums and
//! the schema snapshot): with `UPDATE_SCHEMAS=1` they write, without it they compare.

use anyhow::Result;

use crate::process::Cmd;
use crate::workspace;

/// The environment variable that makes the schema test write the files instead of comparing.
const UPDATE_ENV: &str = "UPDATE_SCHEMAS";

/// Runs the `model` schema test and the `store` migration tests, writing their files unless `check`.
pub(crate) fn run(check: bool) -> Result<()> {
    for (package, filter) in [("model", "schema::"), ("store", "migration::")] {
        let cmd = Cmd::new("cargo").args(["test", "-p", package, "--test", "it", "--", filter]).dir(&workspace::root());
        let cmd = if !check {
            cmd.env(UPDATE_ENV, "1")
        } else if std::env::var_os(UPDATE_ENV).is_some() {
            // A leftover `UPDATE_SCHEMAS` in the caller's environment would turn the check into a write.
            cmd.env_remove(UPDATE_ENV)
        } else {
            cmd
        };
        cmd.run()?;
    }
    Ok(())
}
