//! `cargo xtask codegen [--check]`: regenerate the committed generated files, or check that they are up to date:
//! the JSON Schemas, the client migrations' checksums and schema snapshot, and the UI's TypeScript bindings
//! (`ui/src/ipc/bindings.gen.ts`).
//!
//! The generating code is in the integration tests of `model` (JSON Schemas), `store` (migration checksums and
//! the schema snapshot) and `desktop` (the tauri-specta bindings; it needs `ui/dist` to exist, as every build of
//! `desktop` does): with `UPDATE_SCHEMAS=1` they write, without it they compare.

use anyhow::Result;

use crate::process::Cmd;
use crate::workspace;

/// The environment variable that makes the schema test write the files instead of comparing.
const UPDATE_ENV: &str = "UPDATE_SCHEMAS";

/// The generating tests: package, test target, name filter.
const GENERATORS: [(&str, &str, &str); 3] =
    [("model", "it", "schema::"), ("store", "it", "migration::"), ("desktop", "bindings", "bindings_are_up_to_date")];

/// Runs the generating tests ([`GENERATORS`]), writing their files unless `check`.
pub(crate) fn run(check: bool) -> Result<()> {
    for (package, test, filter) in GENERATORS {
        let cmd = Cmd::new("cargo").args(["test", "-p", package, "--test", test, "--", filter]).dir(&workspace::root());
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
