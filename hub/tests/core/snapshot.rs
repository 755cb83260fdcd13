//! Bootstrap snapshots: a client that loads every chunk and then follows the feed from the manifest's cursor ends
//! with the hub's heads; builds are reused, pruned and addressed by cursor; bytes per document.

use std::collections::HashMap;
use std::time::Instant;

use hub::{Caller, Hub, HubError, HubOptions, Role};
use serde_json::json;
use sha2::{Digest, Sha256};
use sync::Document;
use sync::wire::{Cursor, DocId, RecordKind, SnapshotChunk, SnapshotManifest};

use crate::{
    Device, INSTANSI, Replica, SCOPE, TempDir, change, edit, generated_from_csv, generated_with_riwayat, heads,
    hub_heads, open, person,
};

/// Loads every chunk of `manifest` as a client would: checks size and hash, decodes, loads each document.
fn load_chunks(hub: &Hub, caller: &Caller, manifest: &SnapshotManifest) -> HashMap<DocId, Document> {
    let mut docs = HashMap::new();
    for chunk in &manifest.chunks {
        let path = hub.snapshot_chunk_path(caller, &manifest.scope, &manifest.cursor, chunk.index).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, chunk.size);
        assert_eq!(<[u8; 32]>::from(Sha256::digest(&bytes)), chunk.sha256);
        let decoded: SnapshotChunk = sync::wire::decode(&bytes).unwrap();
        assert_eq!(decoded.documents.len() as u32, chunk.documents);
        for document in decoded.documents {
            let loaded = Document::load(&document.save).unwrap();
            let mut expected = document.heads.clone();
            expected.sort_unstable();
            assert_eq!(heads(&loaded), expected);
            assert_eq!(document.record, RecordKind::Pegawai);
            docs.insert(document.doc, loaded);
        }
    }
    docs
}

#[test]
fn chunks_then_the_feed_from_the_manifest_cursor_give_the_hubs_heads() {
    let dir = TempDir::new("snapshot-bootstrap");
    let options = HubOptions { snapshot_chunk_documents: 40, ..HubOptions::default() };
    let hub = Hub::open(&dir.0, options).unwrap();
    hub.import_pegawai(INSTANSI, generated_with_riwayat(100, 9), &mut |_| {}).unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let device = Device::register(&hub, &operator, 1);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator, SCOPE, 1 << 20);
    let docs: Vec<DocId> = replica.docs.keys().copied().collect();
    for doc in &docs {
        replica.docs.get_mut(doc).unwrap().set_actor(device.actor.clone());
    }
    let push_edits = |replica: &mut Replica, from: usize, to: usize, value: &str| {
        for doc in &docs[from..to] {
            let raw = edit(replica.docs.get_mut(doc).unwrap(), |json| json["data_utama"]["no_hp"] = json!(value));
            device.push(&hub, vec![change(*doc, RecordKind::Pegawai, raw)]);
        }
    };
    // Edits before the snapshot (some documents then hold incremental chunks after their save)…
    push_edits(&mut replica, 0, 30, "0811");
    let manifest = hub.snapshot_manifest(&operator, SCOPE).unwrap();
    assert_eq!(manifest.chunks.iter().map(|chunk| chunk.documents).collect::<Vec<_>>(), vec![40, 40, 20]);
    assert_eq!(Cursor::decode(&manifest.cursor).unwrap().seq, hub.head_seq(SCOPE).unwrap());
    // …and after it, which the new device reads from the feed.
    push_edits(&mut replica, 20, 60, "0822");

    let mut fresh = Replica { docs: load_chunks(&hub, &operator, &manifest), cursor: Some(manifest.cursor.clone()) };
    assert_eq!(fresh.docs.len(), 100);
    fresh.follow(&hub, &operator, SCOPE, 64 * 1024);
    let at_hub = hub_heads(&hub, &operator, SCOPE);
    assert_eq!(at_hub.len(), 100);
    for (doc, expected) in &at_hub {
        assert_eq!(&heads(&fresh.docs[doc]), expected);
    }
    assert_eq!(fresh.docs[&docs[59]].hydrate()["data_utama"]["no_hp"], json!("0822"));
}

#[test]
fn builds_are_reused_while_the_scope_has_not_moved_far_and_old_ones_are_pruned() {
    let dir = TempDir::new("snapshot-reuse");
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, generated_from_csv(50, 1), &mut |_| {}).unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let first = hub.snapshot_manifest(&operator, SCOPE).unwrap();
    assert_eq!(hub.snapshot_manifest(&operator, SCOPE).unwrap(), first);
    let mut nips: std::collections::HashSet<String> =
        generated_from_csv(50, 1).iter().map(|p| p.data_utama.nip.to_string()).collect();
    nips.insert("1001".into());
    // A few new entries: still served from the same build.
    hub.import_pegawai(INSTANSI, vec![crate::pegawai("1001", "SARI")], &mut |_| {}).unwrap();
    assert_eq!(hub.snapshot_manifest(&operator, SCOPE).unwrap(), first);
    // More than the reuse lag: a new build.
    let more = generated_from_csv(1_100, 2);
    nips.extend(more.iter().map(|p| p.data_utama.nip.to_string()));
    hub.import_pegawai(INSTANSI, more, &mut |_| {}).unwrap();
    let second = hub.snapshot_manifest(&operator, SCOPE).unwrap();
    assert_ne!(second.cursor, first.cursor);
    assert_eq!(second.chunks.iter().map(|chunk| chunk.documents).sum::<u32>() as usize, nips.len());
    assert!(hub.snapshot_chunk_path(&operator, SCOPE, &first.cursor, 0).is_ok());
    // A third build prunes the first (two are kept).
    hub.import_pegawai(INSTANSI, generated_from_csv(1_100, 3), &mut |_| {}).unwrap();
    let third = hub.snapshot_manifest(&operator, SCOPE).unwrap();
    assert_ne!(third.cursor, second.cursor);
    assert!(matches!(hub.snapshot_chunk_path(&operator, SCOPE, &first.cursor, 0), Err(HubError::NotFound(_))));
    assert!(hub.snapshot_chunk_path(&operator, SCOPE, &second.cursor, 0).is_ok());
    // Compaction: a new epoch; the old cursor must refetch, a new manifest works.
    hub.compact_log(SCOPE).unwrap();
    assert!(matches!(hub.snapshot_chunk_path(&operator, SCOPE, &third.cursor, 0), Err(HubError::MustRefetch { .. })));
    let fourth = hub.snapshot_manifest(&operator, SCOPE).unwrap();
    assert!(hub.snapshot_chunk_path(&operator, SCOPE, &fourth.cursor, 0).is_ok());
    assert!(matches!(hub.snapshot_chunk_path(&operator, SCOPE, &fourth.cursor, 99), Err(HubError::NotFound(_))));
    assert!(matches!(hub.snapshot_chunk_path(&operator, SCOPE, "x", 0), Err(HubError::BadRequest(_))));
    let other = person(&hub, "8001", "B1", &[Role::OperatorInstansi]);
    assert!(matches!(hub.snapshot_manifest(&other, SCOPE), Err(HubError::Forbidden(_))));
    assert!(matches!(hub.snapshot_chunk_path(&other, SCOPE, &fourth.cursor, 0), Err(HubError::Forbidden(_))));
}

fn bytes_per_document(hub: &Hub, caller: &Caller) -> (f64, usize, usize) {
    let manifest = hub.snapshot_manifest(caller, SCOPE).unwrap();
    let bytes: u64 = manifest.chunks.iter().map(|chunk| chunk.size).sum();
    let documents: u32 = manifest.chunks.iter().map(|chunk| chunk.documents).sum();
    (bytes as f64 / f64::from(documents), documents as usize, manifest.chunks.len())
}

/// Bytes per document of a snapshot of 10,000 generated pegawai (CSV: data utama only), and of 1,000 with
/// riwayat and keluarga: printed, not asserted.
#[test]
fn snapshot_bytes_per_document() {
    let dir = TempDir::new("snapshot-size");
    let hub = open(&dir);
    let pegawai = generated_from_csv(10_000, 42);
    let started = Instant::now();
    let report = hub.import_pegawai(INSTANSI, pegawai, &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 10_000);
    let imported = started.elapsed();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let started = Instant::now();
    let (per_document, documents, chunks) = bytes_per_document(&hub, &operator);
    println!(
        "snapshot of {documents} generated pegawai (data utama from CSV): {per_document:.0} bytes/document in \
         {chunks} chunks (import {imported:.1?}, build {:.1?})",
        started.elapsed()
    );
    assert_eq!(documents, 10_000);

    let dir = TempDir::new("snapshot-size-riwayat");
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, generated_with_riwayat(1_000, 42), &mut |_| {}).unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let (per_document, documents, _) = bytes_per_document(&hub, &operator);
    println!("snapshot of {documents} generated pegawai with riwayat and keluarga: {per_document:.0} bytes/document");
}
