//! JSON Schemas of the document types, generated from the Rust types (the source of truth).
//!
//! `schemas/documents/<name>.schema.json` is written by `cargo xtask codegen` and checked for drift by the `schema`
//! test of this crate, so a change to a persisted shape shows up as a diff under `schemas/` in review.

use schemars::{JsonSchema, schema_for};

use crate::pegawai::Pegawai;
use crate::usulan::Usulan;
use crate::verifikasi::VerifikasiLapangan;
use crate::warning::Warning;

/// Every generated schema: (file stem under `schemas/documents/`, pretty JSON with a trailing newline).
pub fn document_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("pegawai", render::<Pegawai>()),
        ("usulan", render::<Usulan>()),
        ("verifikasi_lapangan", render::<VerifikasiLapangan>()),
        ("warning", render::<Warning>()),
    ]
}

fn render<T: JsonSchema>() -> String {
    let schema = schema_for!(T);
    let mut text = serde_json::to_string_pretty(&schema).expect("a generated schema always serialises");
    text.push('\n');
    text
}
