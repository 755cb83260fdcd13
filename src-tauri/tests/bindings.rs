//! The committed TypeScript bindings (`ui/src/ipc/bindings.gen.ts`) are what the command registry exports.
//!
//! `cargo xtask codegen` runs this test with `UPDATE_SCHEMAS=1`, which writes the file; without it the test fails
//! when the file differs (drift), naming the command to run.

#![allow(clippy::unwrap_used, reason = "tests panic on broken setup by design")]

use std::path::Path;

#[test]
fn bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings.gen.ts");
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        desktop::export_bindings(&committed).unwrap();
        return;
    }
    let fresh = std::env::temp_dir().join(format!("luring-bindings-{}.ts", std::process::id()));
    desktop::export_bindings(&fresh).unwrap();
    let expected = std::fs::read_to_string(&fresh).unwrap();
    let _ = std::fs::remove_file(&fresh);
    let actual = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is out of date with the commands and types of src-tauri/app; run `cargo xtask codegen`",
        committed.display()
    );
}
