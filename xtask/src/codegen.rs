//! `cargo xtask codegen [--check]`: regenerate the committed JSON Schemas, or check that they are up to date.
//!
//! The generating code is the `schema` module of the `model` crate's integration test: with `UPDATE_SCHEMAS=1` it writes, without it compares.

use anyhow::Result;

use crate::process::Cmd;
use crate::workspace;

/// The environment variable that makes the schema test write the files instead of comparing.
const UPDATE_ENV: &str = "UPDATE_SCHEMAS";

/// Runs the `model` schema test, writing the schemas unless `check`.
pub(crate) fn run(check: bool) -> Result<()> {
    let cmd = Cmd::new("cargo").args(["test", "-p", "model", "--test", "it", "--", "schema::"]).dir(&workspace::root());
    let cmd = if !check {
        cmd.env(UPDATE_ENV, "1")
    } else if std::env::var_os(UPDATE_ENV).is_some() {
        // A leftover `UPDATE_SCHEMAS` in the caller's environment would turn the check into a write.
        cmd.env_remove(UPDATE_ENV)
    } else {
        cmd
    };
    cmd.run()
}
