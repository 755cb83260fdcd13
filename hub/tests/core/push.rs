//! Push: outcomes per change, the whole-request refusals, authority with compensation, and the push rate.

use std::time::Instant;

use hub::{Hub, HubError, Role};
use serde_json::json;
use sync::Document;
use sync::wire::{DocId, PushOutcome, RecordKind};

use crate::{
    Device, INSTANSI, LAIN, Replica, SCOPE, TempDir, actor, change, edit, hash_of, heads, open, outcomes, pegawai,
    person, request,
};

/// A hub with two pegawai imported into [`INSTANSI`], an operator device that follows the feed, and the docs.
struct Kantor {
    _dir: TempDir,
    hub: Hub,
    operator: Device,
    replica: Replica,
    docs: Vec<DocId>,
}

fn kantor(name: &str) -> Kantor {
    let dir = TempDir::new(name);
    let hub = open(&dir);
    let report =
        hub.import_pegawai(INSTANSI, vec![pegawai("1001", "SARI"), pegawai("1002", "BUDI")], &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 2);
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let operator = Device::register(&hub, &operator, 1);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator.caller, SCOPE, 1 << 20);
    let mut docs: Vec<DocId> = replica.docs.keys().copied().collect();
    docs.sort_by_key(|doc| replica.docs[doc].hydrate()["data_utama"]["nip"].as_str().unwrap().to_owned());
    for doc in replica.docs.values_mut() {
        doc.set_actor(operator.actor.clone());
    }
    Kantor { _dir: dir, hub, operator, replica, docs }
}

impl Kantor {
    fn doc(&mut self, index: usize) -> &mut Document {
        let id = self.docs[index];
        self.replica.docs.get_mut(&id).unwrap()
    }
}

#[test]
fn an_allowed_change_is_applied_once_and_reaches_other_devices() {
    let mut k = kantor("push-applied");
    let doc = k.docs[0];
    let raw = edit(k.doc(0), |value| value["data_utama"]["no_hp"] = json!("0812-555"));
    let first = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw.clone())]);
    let [PushOutcome::Applied { seq }] = outcomes(&first)[..] else { panic!("{first:?}") };
    assert_eq!(first.results[0].hash, hash_of(&raw).0);
    assert_eq!(first.checkpoint_seq, seq);
    // Pushed again (the answer was lost): a duplicate at the same seq, nothing new in the feed.
    let again = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw.clone())]);
    assert_eq!(outcomes(&again), vec![PushOutcome::Duplicate { seq }]);
    assert_eq!(again.checkpoint_seq, seq);
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), seq);

    // A verifikator's device that bootstraps from the feed sees the edit with the same heads.
    let verifikator = person(&k.hub, "9002", INSTANSI, &[Role::VerifikatorInstansi]);
    let mut other = Replica::default();
    other.follow(&k.hub, &verifikator, SCOPE, 1 << 20);
    assert_eq!(other.docs[&doc].hydrate()["data_utama"]["no_hp"], json!("0812-555"));
    assert_eq!(heads(&other.docs[&doc]), heads(&k.replica.docs[&doc]));
    // The operator's own replica gets its change back: applying it again changes nothing.
    let before = heads(&k.replica.docs[&doc]);
    k.replica.follow(&k.hub, &k.operator.caller, SCOPE, 1 << 20);
    assert_eq!(heads(&k.replica.docs[&doc]), before);
}

#[test]
fn a_change_waits_for_its_dependencies_which_may_come_in_the_same_request() {
    let mut k = kantor("push-deps");
    let doc = k.docs[0];
    let first = edit(k.doc(0), |value| value["data_utama"]["email"] = json!("sari@example.go.id"));
    let second = edit(k.doc(0), |value| value["data_utama"]["no_hp"] = json!("0813"));
    let alone = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, second.clone())]);
    assert_eq!(outcomes(&alone), vec![PushOutcome::MissingDeps { hashes: vec![hash_of(&first).0] }]);
    assert_eq!(alone.checkpoint_seq, 0);
    let both = k.operator.push(
        &k.hub,
        vec![change(doc, RecordKind::Pegawai, first.clone()), change(doc, RecordKind::Pegawai, second.clone())],
    );
    let [PushOutcome::Applied { seq: a }, PushOutcome::Applied { seq: b }] = outcomes(&both)[..] else {
        panic!("{both:?}")
    };
    assert_eq!(b, a + 1);
    assert_eq!(both.checkpoint_seq, b);
    // The same change twice in one request: the second is a duplicate of the first.
    let third = edit(k.doc(0), |value| value["data_utama"]["no_hp"] = json!("0814"));
    let twice = k
        .operator
        .push(&k.hub, vec![change(doc, RecordKind::Pegawai, third.clone()), change(doc, RecordKind::Pegawai, third)]);
    let [PushOutcome::Applied { seq }, PushOutcome::Duplicate { seq: dup }] = outcomes(&twice)[..] else {
        panic!("{twice:?}")
    };
    assert_eq!(seq, dup);
}

#[test]
fn a_change_by_another_actor_or_unreadable_bytes_are_refused_and_not_kept() {
    let mut k = kantor("push-actor");
    let doc = k.docs[0];
    let head = k.hub.head_seq(SCOPE).unwrap();
    // The operator's device forwards a change written by another replica (actor 7).
    let mut foreign = k.doc(0).fork().with_actor(actor(7));
    let raw = edit(&mut foreign, |value| value["data_utama"]["no_hp"] = json!("0899"));
    let garbage = vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3];
    let response =
        k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw), change(doc, RecordKind::Pegawai, garbage)]);
    let outcomes = outcomes(&response);
    assert!(
        matches!(&outcomes[0], PushOutcome::Rejected { code, compensation: None, .. } if code == "actor_palsu"),
        "{outcomes:?}"
    );
    assert!(
        matches!(&outcomes[1], PushOutcome::Rejected { code, compensation: None, .. } if code == "invalid_change"),
        "{outcomes:?}"
    );
    assert_eq!(response.checkpoint_seq, 0);
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head);
}

#[test]
fn an_unregistered_revoked_or_foreign_device_is_refused_for_the_whole_request() {
    let mut k = kantor("push-device");
    let doc = k.docs[0];
    let raw = edit(k.doc(0), |value| value["data_utama"]["no_hp"] = json!("0815"));
    let changes = || vec![change(doc, RecordKind::Pegawai, raw.clone())];
    // Not registered.
    let unregistered = k.hub.push(&k.operator.caller, request(&actor(9), changes()));
    assert!(matches!(unregistered, Err(HubError::Forbidden(_))));
    // Registered to someone else.
    let budi = person(&k.hub, "9003", INSTANSI, &[Role::OperatorInstansi]);
    assert!(matches!(k.hub.push(&budi, request(&k.operator.actor, changes())), Err(HubError::Forbidden(_))));
    // Revoked: told apart from the other refusals, so that the desktop locks the scope.
    assert!(k.hub.revoke_device(&k.operator.actor.to_hex_string()).unwrap());
    let revoked = k.hub.push(&k.operator.caller, request(&k.operator.actor, changes()));
    assert!(matches!(&revoked, Err(HubError::DeviceRevoked(_))), "{revoked:?}");
    assert_eq!(revoked.unwrap_err().code(), sync::wire::ErrorCode::DeviceRevoked);
    // Somebody else pushing with the revoked actor is still plainly forbidden (a revocation is told to its owner).
    assert!(matches!(k.hub.push(&budi, request(&k.operator.actor, changes())), Err(HubError::Forbidden(_))));
}

#[test]
fn a_document_of_another_instansi_is_forbidden_even_for_bkn() {
    let k = kantor("push-scope");
    let doc = k.docs[0];
    let bkn = person(&k.hub, "8001", LAIN, &[Role::VerifikatorBkn]);
    let bkn = Device::register(&k.hub, &bkn, 2);
    // BKN reads every scope…
    let mut replica = Replica::default();
    replica.follow(&k.hub, &bkn.caller, SCOPE, 1 << 20);
    let mut theirs = replica.docs.remove(&doc).unwrap().with_actor(bkn.actor.clone());
    // …but writes only its own instansi.
    let raw = edit(&mut theirs, |value| value["data_utama"]["nama"] = json!("SARI WULANDARI"));
    let refused = k.hub.push(&bkn.caller, request(&bkn.actor, vec![change(doc, RecordKind::Pegawai, raw)]));
    assert!(matches!(refused, Err(HubError::Forbidden(_))), "{refused:?}");
    // An operator of the other instansi can read nothing of ours.
    let other = person(&k.hub, "8002", LAIN, &[Role::OperatorInstansi]);
    assert!(matches!(k.hub.feed(&other, SCOPE, None, 1 << 20), Err(HubError::Forbidden(_))));
}

#[test]
fn a_refused_field_is_merged_then_compensated_on_every_replica() {
    let mut k = kantor("push-compensate");
    let doc = k.docs[0];
    // One change: nama (BKN's) and no_hp (the instansi's).
    let raw = edit(k.doc(0), |value| {
        value["data_utama"]["nama"] = json!("SARI BARU");
        value["data_utama"]["no_hp"] = json!("0816");
    });
    let response = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw.clone())]);
    let [PushOutcome::Rejected { code, reason, compensation: Some(compensation) }] = &outcomes(&response)[..] else {
        panic!("{response:?}")
    };
    assert_eq!(code, "kewenangan");
    assert_eq!(reason, "data_utama/nama hanya boleh diubah oleh BKN (verifikator BKN atau admin hub)");
    // One feed entry with both changes, the compensation depending on the refused change.
    let batch = k.hub.feed(&k.operator.caller, SCOPE, k.replica.cursor.as_deref(), 1 << 20).unwrap();
    assert_eq!(batch.items.len(), 1);
    assert_eq!(response.checkpoint_seq, batch.items[0].seq);
    let sync::wire::FeedBody::Changes { changes } = &batch.items[0].body else { panic!("{batch:?}") };
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].as_ref(), raw.as_slice());
    let written = automerge::Change::try_from(changes[1].as_ref()).unwrap();
    assert_eq!(written.hash().0, *compensation);
    assert!(written.deps().contains(&hash_of(&raw)));
    assert_eq!(written.actor_id(), k.hub.hub_actor());
    assert_eq!(
        written.message(),
        Some("kompensasi: data_utama/nama hanya boleh diubah oleh BKN (verifikator BKN atau admin hub)")
    );
    // The author's replica: nama back, no_hp kept, no conflict left.
    k.replica.apply(&batch);
    let value = k.replica.docs[&doc].hydrate();
    assert_eq!(value["data_utama"]["nama"], json!("SARI"));
    assert_eq!(value["data_utama"]["no_hp"], json!("0816"));
    assert!(k.replica.docs[&doc].conflicts().is_empty());
}

#[test]
fn a_refused_write_that_lost_the_tie_break_is_superseded_too() {
    let mut k = kantor("push-tiebreak");
    let doc = k.docs[0];
    let admin = person(&k.hub, "7001", INSTANSI, &[Role::AdminHub]);
    // Actor 0xff sorts after the operator's 0x01, so the admin's concurrent write wins the tie-break.
    let admin = Device::register(&k.hub, &admin, 0xff);
    let mut admins = k.doc(0).fork().with_actor(admin.actor.clone());
    let by_admin = edit(&mut admins, |value| value["data_utama"]["nama"] = json!("SARI A"));
    let by_operator = edit(k.doc(0), |value| value["data_utama"]["nama"] = json!("SARI B"));
    assert!(matches!(
        outcomes(&admin.push(&k.hub, vec![change(doc, RecordKind::Pegawai, by_admin)]))[..],
        [PushOutcome::Applied { .. }]
    ));
    let response = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, by_operator)]);
    assert!(
        matches!(&outcomes(&response)[..], [PushOutcome::Rejected { code, compensation: Some(_), .. }] if code == "kewenangan"),
        "{response:?}"
    );
    k.replica.follow(&k.hub, &k.operator.caller, SCOPE, 1 << 20);
    let replica = &k.replica.docs[&doc];
    assert_eq!(replica.hydrate()["data_utama"]["nama"], json!("SARI A"));
    assert!(replica.conflicts().is_empty(), "{:?}", replica.conflicts());
}

#[test]
fn a_refused_riwayat_row_is_removed_and_an_allowed_one_kept() {
    let mut k = kantor("push-rows");
    let doc = k.docs[1];
    let raw = edit(k.doc(1), |value| {
        value["riwayat_golongan"].as_array_mut().unwrap().push(json!({"id": "", "golongan_id": "32"}));
        value["riwayat_jabatan"].as_array_mut().unwrap().push(json!({"id": "", "nama_jabatan": "Analis"}));
    });
    let response = k.operator.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw)]);
    let [PushOutcome::Rejected { reason, .. }] = &outcomes(&response)[..] else { panic!("{response:?}") };
    assert!(reason.starts_with("riwayat_golongan/_h"), "{reason}");
    k.replica.follow(&k.hub, &k.operator.caller, SCOPE, 1 << 20);
    let value = k.replica.docs[&doc].hydrate();
    assert_eq!(value["riwayat_golongan"], json!([{"id": "rg-1", "golongan_id": "31", "sk_nomor": "SK-G-1"}]));
    assert_eq!(value["riwayat_jabatan"].as_array().unwrap().len(), 2);
    assert_eq!(value["riwayat_jabatan"][1]["nama_jabatan"], json!("Analis"));
}

#[test]
fn locked_identity_fields_are_refused_even_for_admin_hub() {
    let mut k = kantor("push-locked");
    let doc = k.docs[0];
    let admin = person(&k.hub, "7001", INSTANSI, &[Role::AdminHub]);
    let admin = Device::register(&k.hub, &admin, 3);
    let mut replica = k.doc(0).fork().with_actor(admin.actor.clone());
    let raw = edit(&mut replica, |value| value["data_utama"]["nip"] = json!("1009"));
    let response = admin.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw)]);
    let [PushOutcome::Rejected { reason, compensation: Some(_), .. }] = &outcomes(&response)[..] else {
        panic!("{response:?}")
    };
    assert_eq!(reason, "data_utama/nip hanya boleh diubah oleh hub sendiri (dari SI-ASN), tidak lewat perangkat");
    // Admin hub may write BKN fields.
    let raw = edit(&mut replica, |value| value["data_utama"]["nama"] = json!("SARI WULAN"));
    assert!(matches!(
        outcomes(&admin.push(&k.hub, vec![change(doc, RecordKind::Pegawai, raw)]))[..],
        [PushOutcome::Applied { .. }]
    ));
}

#[test]
fn new_documents_follow_the_creation_rules() {
    let k = kantor("push-create");
    let operator = &k.operator;
    // An usulan by the operator.
    let usulan_id = *uuid::Uuid::now_v7().as_bytes();
    let (mut usulan, raw) = crate::usulan::new_document(operator, &crate::usulan::kp_dibuat(usulan_id, "9001"));
    let response = operator.push(&k.hub, vec![change(usulan_id, RecordKind::Usulan, raw)]);
    assert!(matches!(outcomes(&response)[..], [PushOutcome::Applied { .. }]), "{response:?}");
    // The hub-only field of an usulan stays the hub's.
    let raw = edit(&mut usulan, |value| value["siasn_id"] = json!("S-1"));
    let response = operator.push(&k.hub, vec![change(usulan_id, RecordKind::Usulan, raw)]);
    let [PushOutcome::Rejected { reason, .. }] = &outcomes(&response)[..] else { panic!("{response:?}") };
    assert_eq!(reason, "siasn_id hanya boleh diubah oleh hub sendiri (dari SI-ASN), tidak lewat perangkat");
    // Nor can a new usulan arrive with it already set: refused, nothing kept.
    let forged_id = *uuid::Uuid::now_v7().as_bytes();
    let forged =
        model::usulan::Usulan { siasn_id: Some("S-9".to_owned()), ..crate::usulan::kp_dibuat(forged_id, "9001") };
    let (_, raw) = crate::usulan::new_document(operator, &forged);
    let head = k.hub.head_seq(SCOPE).unwrap();
    let response = operator.push(&k.hub, vec![change(forged_id, RecordKind::Usulan, raw)]);
    let [PushOutcome::Rejected { code, reason, compensation: None }] = &outcomes(&response)[..] else {
        panic!("{response:?}")
    };
    assert_eq!(
        (code.as_str(), reason.as_str()),
        ("kewenangan", "siasn_id hanya boleh diubah oleh hub sendiri (dari SI-ASN), tidak lewat perangkat")
    );
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head);

    // A pegawai by the operator: refused, nothing kept.
    let pegawai_id = *uuid::Uuid::now_v7().as_bytes();
    let mut baru = Document::new(operator.actor.clone());
    baru.reconcile(&json!({"data_utama": {"nip": "1003", "nama": "DEWI"}}), None, 1).unwrap();
    let raw = baru.changes_since(&[]).pop().unwrap();
    let head = k.hub.head_seq(SCOPE).unwrap();
    let response = operator.push(&k.hub, vec![change(pegawai_id, RecordKind::Pegawai, raw.clone())]);
    let [PushOutcome::Rejected { code, reason, compensation: None }] = &outcomes(&response)[..] else {
        panic!("{response:?}")
    };
    assert_eq!(
        (code.as_str(), reason.as_str()),
        ("kewenangan", "dokumen pegawai baru hanya boleh dibuat oleh admin instansi atau admin hub")
    );
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head);
    // The same by the instansi's admin, from their own device.
    let admin = person(&k.hub, "7002", INSTANSI, &[Role::AdminInstansi]);
    let admin = Device::register(&k.hub, &admin, 4);
    let mut baru = Document::new(admin.actor.clone());
    baru.reconcile(&json!({"data_utama": {"nip": "1003", "nama": "DEWI"}}), None, 1).unwrap();
    let raw = baru.changes_since(&[]).pop().unwrap();
    let response = admin.push(&k.hub, vec![change(pegawai_id, RecordKind::Pegawai, raw)]);
    assert!(matches!(outcomes(&response)[..], [PushOutcome::Applied { .. }]), "{response:?}");
    // A change naming the wrong kind for an existing document.
    let raw = edit(&mut baru, |value| value["data_utama"]["no_hp"] = json!("1"));
    let response = admin.push(&k.hub, vec![change(pegawai_id, RecordKind::Usulan, raw)]);
    assert!(matches!(&outcomes(&response)[..], [PushOutcome::Rejected { code, .. }] if code == "jenis_dokumen"));
}

/// An edit of a document's JSON.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

/// The push rate with validation, on documents with riwayat: printed, not asserted (machines differ).
#[test]
fn push_rate_with_validation() {
    let dir = TempDir::new("push-rate");
    let count = 1_000;
    {
        let hub = open(&dir);
        hub.import_pegawai(INSTANSI, crate::generated_with_riwayat(count, 3), &mut |_| {}).unwrap();
    }
    // A fresh process: nothing cached.
    let hub = open(&dir);
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let operator = Device::register(&hub, &operator, 1);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator.caller, SCOPE, 1 << 20);
    let mut docs: Vec<DocId> = replica.docs.keys().copied().collect();
    docs.sort_unstable();
    let mut rounds: Vec<Vec<sync::wire::PushChange>> = vec![Vec::new(), Vec::new(), Vec::new()];
    for doc in &docs {
        let replica = replica.docs.get_mut(doc).unwrap();
        replica.set_actor(operator.actor.clone());
        let edits: [Edit; 3] = [
            Box::new(|value| value["data_utama"]["no_hp"] = json!("0812-1")),
            Box::new(|value| value["data_utama"]["email"] = json!("pegawai@example.go.id")),
            Box::new(|value| {
                if let Some(row) = value["riwayat_jabatan"].get_mut(0) {
                    row["nomor_sk"] = json!("SK/2025/1");
                } else {
                    value["data_utama"]["no_telp"] = json!("0271");
                }
            }),
        ];
        for (round, edit_value) in edits.iter().enumerate() {
            let raw = edit(replica, |value| edit_value(value));
            rounds[round].push(change(*doc, RecordKind::Pegawai, raw));
        }
    }
    let total: usize = rounds.iter().map(Vec::len).sum();
    let mut timings = Vec::new();
    for round in rounds {
        for batch in round.chunks(500) {
            let started = Instant::now();
            let response = operator.push(&hub, batch.to_vec());
            timings.push(started.elapsed());
            assert!(response.results.iter().all(|result| matches!(result.outcome, PushOutcome::Applied { .. })));
        }
    }
    let cold: std::time::Duration = timings[..2].iter().sum();
    let warm: std::time::Duration = timings[2..].iter().sum();
    println!(
        "push rate ({total} changes, {count} pegawai with riwayat, batches of 500): cold cache {:.0} changes/s, \
         warm cache {:.0} changes/s",
        1_000.0 / cold.as_secs_f64(),
        (total - 1_000) as f64 / warm.as_secs_f64()
    );
}
