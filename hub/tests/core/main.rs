//! Integration tests of the hub's core library ([`hub::Hub`]) on real SQLite files in a temporary folder: roster
//! and devices, push with authority checks and compensation, the feed and its compaction, bootstrap snapshots,
//! blobs, import, and the migration lock. No network: the server is tested elsewhere.

#![allow(clippy::unwrap_used, clippy::print_stdout, unreachable_pub, reason = "test helpers panic on broken setup")]

mod blob;
mod feed;
mod identity;
mod import;
mod migration;
mod pengingat;
mod push;
mod snapshot;
mod usulan;
mod verifikasi;

use std::collections::HashMap;
use std::path::PathBuf;

use hub::{Caller, Hub, HubOptions, Role, RosterEntry};
use model::Nip;
use serde_json::{Value, json};
use sync::wire::{DocId, FeedBatch, FeedBody, PushChange, PushOutcome, PushRequest, PushResponse, RecordKind};
use sync::{ActorId, ChangeHash, Document};

/// The instansi of most tests, and another one.
pub const INSTANSI: &str = "A5EB03E23CCCF6A0E040640A040252AD";
pub const LAIN: &str = "B1";
pub const SCOPE: &str = "instansi:A5EB03E23CCCF6A0E040640A040252AD";
pub const SCOPE_LAIN: &str = "instansi:B1";

/// A fresh folder under the system temp dir, removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-hub-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn open(dir: &TempDir) -> Hub {
    Hub::open(&dir.0, HubOptions::default()).unwrap()
}

pub fn token(nip: &str) -> hub::auth::VerifiedToken {
    hub::auth::VerifiedToken {
        sub: format!("sub-{nip}"),
        nip: Nip::new(nip),
        name: Some(format!("Petugas {nip}")),
        expires_at: chrono::DateTime::from_timestamp(4_000_000_000, 0).unwrap(),
        scopes: vec!["openid".into()],
        token_id: None,
    }
}

/// Puts `nip` on the roster of `instansi` with `roles` and returns its caller.
pub fn person(hub: &Hub, nip: &str, instansi: &str, roles: &[Role]) -> Caller {
    hub.roster_add(RosterEntry { nip: nip.into(), nama: None, instansi: instansi.into(), roles: roles.to_vec() })
        .unwrap();
    hub.caller(&token(nip)).unwrap()
}

/// A 16-byte actor whose bytes are all `byte`.
pub fn actor(byte: u8) -> ActorId {
    ActorId::from(vec![byte; 16])
}

/// A device of `caller`: its document replicas and its registered actor.
#[derive(Debug)]
pub struct Device {
    pub actor: ActorId,
    pub caller: Caller,
}

impl Device {
    pub fn register(hub: &Hub, caller: &Caller, byte: u8) -> Device {
        hub.register_device(caller, actor(byte).to_bytes(), &format!("laptop {byte}")).unwrap();
        Device { actor: actor(byte), caller: caller.clone() }
    }

    pub fn push(&self, hub: &Hub, changes: Vec<PushChange>) -> PushResponse {
        hub.push(&self.caller, request(&self.actor, changes)).unwrap()
    }
}

pub fn request(actor: &ActorId, changes: Vec<PushChange>) -> PushRequest {
    PushRequest { v: 1, actor: actor.to_bytes().to_vec().into(), batch_id: "uji".into(), changes }
}

pub fn change(doc: DocId, record: RecordKind, raw: Vec<u8>) -> PushChange {
    PushChange { doc, record, change: raw.into() }
}

/// Edits `doc` (a replica of the device) so that `edit` holds, returning the new change's bytes.
pub fn edit(doc: &mut Document, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let heads = doc.heads();
    let mut value = doc.hydrate();
    edit(&mut value);
    doc.reconcile(&value, Some("ubah"), 1_700_000_000_000).unwrap().expect("the edit changes something");
    let mut changes = doc.changes_since(&heads);
    assert_eq!(changes.len(), 1);
    changes.pop().unwrap()
}

/// A client replica that follows the feed: documents by id plus the cursor.
#[derive(Debug, Default)]
pub struct Replica {
    pub docs: HashMap<DocId, Document>,
    pub cursor: Option<String>,
}

impl Replica {
    /// Applies one batch as a client would, checking each item's heads.
    pub fn apply(&mut self, batch: &FeedBatch) {
        for item in &batch.items {
            match &item.body {
                FeedBody::Changes { changes } => {
                    let doc = self.docs.entry(item.doc).or_insert_with(|| Document::new(actor(0xee)));
                    doc.apply_changes(changes.iter().map(|change| change.as_ref())).unwrap();
                }
                FeedBody::Snapshot { save } => match self.docs.get_mut(&item.doc) {
                    Some(doc) => doc.load_incremental(save).unwrap(),
                    None => {
                        self.docs.insert(item.doc, Document::load(save).unwrap());
                    }
                },
                FeedBody::Remove => {
                    self.docs.remove(&item.doc);
                }
            }
            // The replica holds at least the hub's heads (more when it has changes the hub has not seen yet).
            if !matches!(item.body, FeedBody::Remove) {
                let doc = &self.docs[&item.doc];
                for head in &item.heads_after {
                    assert!(doc.change_bytes(&ChangeHash(*head)).is_some(), "heads after seq {}", item.seq);
                }
            }
        }
        self.cursor = Some(batch.next_cursor.clone());
    }

    /// Reads the feed until up to date; returns the batches read.
    pub fn follow(&mut self, hub: &Hub, caller: &Caller, scope: &str, max_bytes: usize) -> usize {
        for round in 1..10_000 {
            let batch = hub.feed(caller, scope, self.cursor.as_deref(), max_bytes).unwrap();
            self.apply(&batch);
            if batch.up_to_date {
                return round;
            }
        }
        panic!("the feed never became up to date");
    }
}

pub fn heads(doc: &Document) -> Vec<[u8; 32]> {
    let mut heads: Vec<[u8; 32]> = doc.heads().iter().map(|hash| hash.0).collect();
    heads.sort_unstable();
    heads
}

pub fn hash_of(raw: &[u8]) -> ChangeHash {
    sync::change_hash_of(raw).unwrap()
}

/// The outcome of each result, in order.
pub fn outcomes(response: &PushResponse) -> Vec<PushOutcome> {
    response.results.iter().map(|result| result.outcome.clone()).collect()
}

/// A small pegawai record.
pub fn pegawai(nip: &str, nama: &str) -> model::Pegawai {
    let value = json!({
        "data_utama": {
            "nip": nip,
            "nama": nama,
            "no_hp": "0811",
            "golongan_akhir_id": "31",
            "instansi_induk_id": INSTANSI,
        },
        "riwayat_jabatan": [
            {"id": "rj-1", "nama_jabatan": "Pengelola Data", "nomor_sk": "SK-J-1"}
        ],
        "riwayat_golongan": [
            {"id": "rg-1", "golongan_id": "31", "sk_nomor": "SK-G-1"}
        ]
    });
    serde_json::from_value(value).unwrap()
}

/// `count` generated pegawai (data utama only) through the real "Export Data ASN" CSV decoder.
pub fn generated_from_csv(count: usize, seed: u64) -> Vec<model::Pegawai> {
    let config = generator::Config { pegawai: count, seed, ..generator::Config::default() };
    let kabupaten = generator::generate(&config);
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    model::siasn::export::decode(&csv)
        .records
        .into_iter()
        .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() })
        .collect()
}

/// `count` generated pegawai with riwayat and keluarga, through the web-service decoders.
pub fn generated_with_riwayat(count: usize, seed: u64) -> Vec<model::Pegawai> {
    let config = generator::Config { pegawai: count, seed, ..generator::Config::default() };
    let kabupaten = generator::generate(&config);
    kabupaten
        .pegawai
        .iter()
        .map(|generated| {
            let nip = Nip::new(generated.nip.clone());
            let mut warnings = Vec::new();
            model::siasn::ws::decode_pegawai(
                &nip,
                &mut |endpoint| {
                    if endpoint == "data-utama" {
                        return Some(json!({"code": 1, "data": generated.data_utama}).to_string());
                    }
                    generated.riwayat.get(endpoint).map(|data| match data {
                        Some(data) => json!({"code": 1, "data": data}).to_string(),
                        None => json!({"code": 0, "data": "Data tidak ditemukan"}).to_string(),
                    })
                },
                &mut warnings,
            )
            .unwrap()
        })
        .collect()
}

/// The documents of a scope at the hub, as a client would get them through a fresh feed read.
pub fn hub_heads(hub: &Hub, caller: &Caller, scope: &str) -> HashMap<DocId, Vec<[u8; 32]>> {
    let mut replica = Replica::default();
    replica.follow(hub, caller, scope, 1 << 20);
    replica.docs.iter().map(|(doc, document)| (*doc, heads(document))).collect()
}
