//! Unit tests of the core's path helpers: row keys agree with `sync::document`, reverts, blob references, and the
//! paths a change's operations touch.

use automerge::ReadDoc;
use serde_json::json;
use sync::{ActorId, Document, PathSegment};

use super::paths::{blob_refs, revert, row_keys, touched};

fn actor(byte: u8) -> ActorId {
    ActorId::from(vec![byte; 16])
}

#[test]
fn row_keys_are_the_documents_keys() {
    let rows = json!([
        {"id": "rj-1", "nama": "a"},
        {"id": "_x", "nama": "b"},
        {"id": "", "nama": "c"},
        {"dok_id": "872"},
        {"id": "rj-1", "nama": "d"},
        {"nama": "e"},
        {"nama": "e"}
    ]);
    let mut doc = Document::new(actor(1));
    doc.reconcile(&json!({"riwayat_jabatan": rows}), None, 1).unwrap();
    let automerge = doc.automerge();
    let (_, list) = automerge.get(automerge::ROOT, "riwayat_jabatan").unwrap().unwrap();
    let mut stored: Vec<String> = automerge.keys(&list).filter(|key| key != "_keyed").collect();
    stored.sort();
    let hydrated = doc.hydrate();
    let mut derived = row_keys(hydrated["riwayat_jabatan"].as_array().unwrap());
    derived.sort();
    assert_eq!(derived, stored);
    assert!(derived.contains(&"__x".to_owned()) && derived.contains(&"_2~rj-1".to_owned()));
}

#[test]
fn revert_puts_back_members_and_rows_or_removes_new_ones() {
    let before = json!({"data_utama": {"nama": "SARI"}, "riwayat_golongan": [{"id": "rg-1", "golongan_id": "31"}]});
    let mut after = json!({
        "data_utama": {"nama": "BARU", "no_hp": "1"},
        "riwayat_golongan": [{"id": "rg-1", "golongan_id": "32"}, {"id": "rg-2", "golongan_id": "33"}],
        "riwayat_pwk": [{"id": "p-1"}]
    });
    let key = |key: &str| PathSegment::Key(key.into());
    let row = |key: &str| PathSegment::Row(key.into());
    revert(&mut after, &before, &[key("data_utama"), key("nama")]);
    revert(&mut after, &before, &[key("riwayat_golongan"), row("rg-1"), key("golongan_id")]);
    revert(&mut after, &before, &[key("riwayat_golongan"), row("rg-2")]);
    revert(&mut after, &before, &[key("riwayat_golongan"), row("rg-2"), key("golongan_id")]);
    revert(&mut after, &before, &[key("riwayat_pwk")]);
    assert_eq!(
        after,
        json!({"data_utama": {"nama": "SARI", "no_hp": "1"}, "riwayat_golongan": [{"id": "rg-1", "golongan_id": "31"}]})
    );
}

#[test]
fn blob_references_are_sha256_members_anywhere() {
    let hash = "ab".repeat(32);
    let value = json!({
        "dokumen": {"sk": {"sha256": hash, "size": 1}},
        "foto": [{"sha256": "AB".repeat(32)}, {"sha256": "pendek"}, {"sha256": 5}],
        "sha256": "cd".repeat(32)
    });
    assert_eq!(blob_refs(&value), vec![[0xab; 32], [0xcd; 32]]);
}

#[test]
fn touched_paths_come_from_the_operations() {
    let mut doc = Document::new(actor(1));
    doc.reconcile(
        &json!({"data_utama": {"nama": "SARI", "_x": 1}, "riwayat_jabatan": [{"id": "rj-1", "nama_jabatan": "A"}]}),
        None,
        1,
    )
    .unwrap();
    let mut device = doc.fork().with_actor(actor(2));
    let heads = device.heads();
    device
        .reconcile(
            &json!({
                "data_utama": {"nama": "SARI", "_x": 2},
                "riwayat_jabatan": [{"id": "rj-0", "nama_jabatan": "B"}, {"id": "rj-1", "nama_jabatan": "C"}],
                "anak": ["x", "y"]
            }),
            None,
            2,
        )
        .unwrap();
    let raw = device.changes_since(&heads).pop().unwrap();
    doc.apply_changes([&raw]).unwrap();
    let change = automerge::Change::try_from(raw.as_slice()).unwrap();
    let touched = touched(&doc, &change);
    let shown: Vec<String> = touched.paths.iter().map(crate::authority::ChangedPath::display).collect();
    let mut sorted = shown.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "anak",
            "data_utama/_x",
            "riwayat_jabatan/rj-0",
            "riwayat_jabatan/rj-0/id",
            "riwayat_jabatan/rj-0/nama_jabatan",
            "riwayat_jabatan/rj-1",
            "riwayat_jabatan/rj-1/nama_jabatan"
        ],
        "{shown:?}"
    );
    assert!(!touched.writes_sha256);
    assert!(touched.overwrites);
}
