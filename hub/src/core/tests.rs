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

/// A push whose change decodes (valid checksum, dependencies present, the sender's actor) but cannot be applied
/// (its ops refer to an object that does not exist, on which automerge fails or panics): refused as
/// `invalid_change`, and the working document, which is applied to in place, is rebuilt from the storage and the
/// changes kept before it, so the request's later changes to it apply as if it had not been sent. Both ways of
/// working a request: documents on every core, and one pass in order (a change sent under two documents).
#[test]
fn a_change_automerge_cannot_apply_is_refused_and_its_document_rebuilt() {
    use std::collections::HashMap;

    use automerge::legacy::{ObjectId, OpId};
    use sync::wire::{DocId, PushChange, PushOutcome, PushRequest, RecordKind};

    use crate::roster::{Role, RosterEntry};

    let dir = std::env::temp_dir().join(format!("hub-push-rebuild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // A small cache: most documents are loaded from storage, and put back past the cache's capacity.
    let hub = crate::Hub::open(&dir, crate::HubOptions { document_cache: 8, ..crate::HubOptions::default() }).unwrap();
    let kabupaten = generator::generate(&generator::Config { pegawai: 24, seed: 7, ..generator::Config::default() });
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    let pegawai = model::siasn::export::decode(&csv)
        .records
        .into_iter()
        .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() });
    hub.import_pegawai("A1", pegawai, &mut |_| {}).unwrap();
    hub.roster_add(RosterEntry {
        nip: "9001".into(),
        nama: None,
        instansi: "A1".into(),
        roles: vec![Role::OperatorInstansi],
    })
    .unwrap();
    let caller = hub
        .caller(&crate::auth::VerifiedToken {
            sub: "sub-9001".into(),
            nip: model::Nip::new("9001"),
            name: None,
            expires_at: chrono::DateTime::from_timestamp(4_000_000_000, 0).unwrap(),
            scopes: Vec::new(),
            token_id: None,
        })
        .unwrap();
    let device = actor(9);
    hub.register_device(&caller, device.to_bytes(), "laptop").unwrap();
    let mut replicas: Vec<(DocId, Document)> = Vec::new();
    hub.inner
        .storage
        .scope_documents("instansi:A1", &mut |stored| {
            replicas.push((stored.doc, Document::load(&stored.bytes).unwrap().with_actor(device.clone())));
            Ok(())
        })
        .unwrap();
    assert!(replicas.len() > 16, "enough documents to be worked on every core");

    let edit = |doc: &mut Document, field: &str, value: &str| {
        let heads = doc.heads();
        let mut json = doc.hydrate();
        json["data_utama"][field] = json!(value);
        doc.reconcile(&json, None, 2).unwrap().unwrap();
        doc.changes_since(&heads).remove(0)
    };
    // The next edit of `doc`, with its ops moved to an object that does not exist: same actor, seq and deps as
    // the edit that will really follow.
    let crafted = |doc: &Document| {
        let mut fork = doc.fork().with_actor(device.clone());
        let raw = edit(&mut fork, "no_telp", "0271");
        let mut change = automerge::Change::try_from(raw.as_slice()).unwrap().decode();
        change.hash = None;
        change.operations.iter_mut().for_each(|op| op.obj = ObjectId::Id(OpId(9_999, actor(7))));
        automerge::Change::from(change).raw_bytes().to_vec()
    };
    let push = |changes: Vec<PushChange>| {
        let request = PushRequest { v: 1, actor: device.to_bytes().to_vec().into(), batch_id: "uji".into(), changes };
        hub.push(&caller, request).unwrap().results.into_iter().map(|result| result.outcome).collect::<Vec<_>>()
    };
    let change = |doc: DocId, raw: Vec<u8>| PushChange { doc, record: RecordKind::Pegawai, change: raw.into() };
    let stored = |doc: &DocId| {
        let stored = hub.inner.storage.document(doc).unwrap().unwrap();
        Document::load(&stored.bytes).unwrap()
    };

    for together in [false, true] {
        let (first, rest) = replicas.split_first_mut().unwrap();
        let round = if together { "2" } else { "1" };
        let before = edit(&mut first.1, "no_hp", round);
        let refused = crafted(&first.1);
        let after = edit(&mut first.1, "email", round);
        let mut changes = vec![change(first.0, before.clone()), change(first.0, refused), change(first.0, after)];
        for (doc, replica) in rest.iter_mut() {
            changes.push(change(*doc, edit(replica, "email", round)));
        }
        if together {
            // The first change again, under another document: the request is worked in one pass, in order.
            changes.push(change(rest[0].0, before));
        }
        let outcomes = push(changes);
        let seq = match &outcomes[0] {
            PushOutcome::Applied { seq } => *seq,
            other => panic!("{other:?}"),
        };
        assert!(
            matches!(&outcomes[1], PushOutcome::Rejected { code, compensation: None, .. } if code == "invalid_change"),
            "{:?}",
            outcomes[1]
        );
        let applied = outcomes.iter().filter(|outcome| matches!(outcome, PushOutcome::Applied { .. })).count();
        assert_eq!(applied, replicas.len() + 1, "{outcomes:?}");
        if together {
            assert!(matches!(outcomes.last(), Some(PushOutcome::Duplicate { seq: duplicate }) if *duplicate == seq));
        }
        // The hub holds exactly what the replicas hold.
        let by_doc: HashMap<DocId, Document> = replicas.iter().map(|(doc, _)| (*doc, stored(doc))).collect();
        for (doc, replica) in &replicas {
            assert_eq!(by_doc[doc].heads(), replica.heads());
            assert_eq!(by_doc[doc].hydrate(), replica.hydrate());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
