//! The committed JSON Schemas under `schemas/documents/` match the Rust types (`UPDATE_SCHEMAS=1` rewrites them).

use std::path::PathBuf;

#[test]
fn document_schemas_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/documents");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, text) in model::schema::document_schemas() {
        let path = dir.join(format!("{name}.schema.json"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(stale.is_empty(), "schemas out of date, run `cargo xtask codegen`: {stale:?}");
}
