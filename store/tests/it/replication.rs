//! The replica's side of sync against a fake hub made of `sync::Document`s (no HTTP): bootstrap chunks and their
//! resumption, idempotent feed batches, merges of local and hub edits (and same-field conflicts), the outbox's
//! push and acknowledgement, rejections, removes held back by unsent changes, the hub replacing locally imported
//! pegawai, and one whole engine run.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::NaiveDate;
use model::{Nip, Pegawai};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use store::document;
use store::edit::edit_pegawai;
use store::import::{ImportOptions, import_pegawai};
use store::projection;
use store::replication::{BootstrapStatus, Notice, Rejection, ReplicaSync, ScopeStatus, status};
use store::sync_state;
use store::{Replica, integrity, query};
use sync::engine::{Engine, Local, Outcome, Request, Response, Step};
use sync::wire::{
    self, Bytes, ChunkInfo, Cursor, FeedBatch, FeedBody, FeedItem, PushChange, PushOutcome, PushRequest, PushResponse,
    PushResult, RecordKind, SnapshotChunk, SnapshotDocument, SnapshotManifest,
};
use sync::{ActorId, ChangeHash, Document, change_hash_of};
use uuid::Uuid;

use crate::{TempDir, open};

const SCOPE: &str = "instansi:A5EB03E23CCCF6A0E040640A040252AD";
const EPOCH: u64 = 3;
/// The replica's clock in these tests.
const NOW: i64 = 1_764_460_800_000;

fn clock() -> i64 {
    NOW
}

fn date(text: &str) -> Option<NaiveDate> {
    Some(text.parse().unwrap())
}

/// A pegawai with a NIP, a name and the dates the projections need.
fn pegawai(nip: &str, nama: &str) -> Pegawai {
    Pegawai {
        data_utama: model::DataUtama {
            nip: Nip::clean(nip),
            nama: nama.into(),
            tgl_lahir: date(&format!("{}-{}-{}", &nip[..4], &nip[4..6], &nip[6..8])),
            tmt_cpns: date("2005-01-01"),
            unor_id: Some("UNOR-1".into()),
            unor_nama: Some("DINAS PENDIDIKAN".into()),
            ..model::DataUtama::default()
        },
        ..Pegawai::default()
    }
}

const NIPS: [&str; 5] =
    ["198001012005011001", "198102022006012002", "198203032007011003", "198304042008012004", "198405052009011005"];

/// The fake hub: its documents (written by its own actor), its feed log and its sequence numbers.
struct Hub {
    actor: ActorId,
    docs: BTreeMap<Uuid, Document>,
    log: Vec<FeedItem>,
    seq: u64,
    /// The cursor its snapshot is consistent at.
    snapshot_seq: u64,
}

impl Hub {
    fn new() -> Hub {
        Hub { actor: ActorId::from(vec![0xAB; 16]), docs: BTreeMap::new(), log: Vec::new(), seq: 40, snapshot_seq: 40 }
    }

    /// A new pegawai document at the hub; its id is `n`.
    fn add(&mut self, n: u128, pegawai: &Pegawai) -> Uuid {
        let id = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0000 + n);
        let mut doc = Document::new(self.actor.clone());
        doc.reconcile_from(pegawai, Some("hub"), 1_000).unwrap();
        self.docs.insert(id, doc);
        id
    }

    fn snapshot_document(&self, id: Uuid) -> SnapshotDocument {
        let doc = &self.docs[&id];
        SnapshotDocument {
            doc: *id.as_bytes(),
            record: RecordKind::Pegawai,
            save: Bytes(doc.save_uncompressed()),
            heads: doc.heads().iter().map(|head| head.0).collect(),
        }
    }

    fn chunk(&self, ids: &[Uuid]) -> SnapshotChunk {
        SnapshotChunk { v: 1, documents: ids.iter().map(|&id| self.snapshot_document(id)).collect() }
    }

    fn cursor(&self) -> String {
        Cursor { epoch: EPOCH, seq: self.snapshot_seq }.encode()
    }

    /// An edit at the hub by its own actor; returns the raw change.
    fn edit(&mut self, id: Uuid, time_ms: i64, change: impl FnOnce(&mut Value)) -> Vec<u8> {
        let doc = self.docs.get_mut(&id).unwrap();
        let before = doc.heads();
        let mut value = doc.hydrate();
        change(&mut value);
        doc.reconcile(&value, Some("hub"), time_ms).unwrap().unwrap();
        let mut changes = doc.changes_since(&before);
        assert_eq!(changes.len(), 1);
        changes.remove(0)
    }

    /// Appends items to the feed log and returns them as one batch after `after` (a seq).
    fn batch(&mut self, bodies: Vec<(Uuid, FeedBody)>) -> FeedBatch {
        let after = self.seq;
        for (id, body) in bodies {
            self.seq += 1;
            let heads_after = match (&body, self.docs.get(&id)) {
                (FeedBody::Remove, _) | (_, None) => Vec::new(),
                (_, Some(doc)) => doc.heads().iter().map(|head| head.0).collect(),
            };
            self.log.push(FeedItem {
                seq: self.seq,
                doc: *id.as_bytes(),
                record: RecordKind::Pegawai,
                body,
                heads_after,
            });
        }
        self.feed_after(after)
    }

    fn feed_after(&self, after: u64) -> FeedBatch {
        let items: Vec<FeedItem> = self.log.iter().filter(|item| item.seq > after).cloned().collect();
        let last = items.last().map_or(after, |item| item.seq);
        FeedBatch {
            v: 1,
            scope: SCOPE.into(),
            items,
            next_cursor: Cursor { epoch: EPOCH, seq: last }.encode(),
            up_to_date: true,
            server_time_ms: 0,
        }
    }

    /// Applies pushed changes and answers `applied` for each; the changes join the feed.
    fn receive(&mut self, changes: &[PushChange]) -> PushResponse {
        let mut results = Vec::new();
        for change in changes {
            let id = Uuid::from_bytes(change.doc);
            let doc = self.docs.get_mut(&id).unwrap();
            doc.apply_changes([&change.change.0]).unwrap();
            self.seq += 1;
            self.log.push(FeedItem {
                seq: self.seq,
                doc: change.doc,
                record: change.record,
                body: FeedBody::Changes { changes: vec![change.change.clone()] },
                heads_after: doc.heads().iter().map(|head| head.0).collect(),
            });
            results.push(PushResult {
                hash: change_hash_of(&change.change.0).unwrap().0,
                outcome: PushOutcome::Applied { seq: self.seq },
            });
        }
        PushResponse { v: 1, results, checkpoint_seq: self.seq }
    }

    /// Answers one engine request: the snapshot in chunks of `per_chunk` documents, pushes and the feed.
    fn serve(&mut self, request: &Request, per_chunk: usize) -> Response {
        let ids: Vec<Uuid> = self.docs.keys().copied().collect();
        let chunks: Vec<Vec<u8>> = ids.chunks(per_chunk).map(|part| wire::encode(&self.chunk(part)).unwrap()).collect();
        let param = |name: &str| -> Option<String> {
            let query = request.path.split_once('?')?.1;
            query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
        };
        let body = if request.path.starts_with("/v1/snapshot/chunk") {
            chunks[param("index").unwrap().parse::<usize>().unwrap()].clone()
        } else if request.path.starts_with("/v1/snapshot") {
            let infos = chunks
                .iter()
                .enumerate()
                .map(|(index, bytes)| ChunkInfo {
                    index: index as u32,
                    size: bytes.len() as u64,
                    sha256: Sha256::digest(bytes).into(),
                    documents: ids.chunks(per_chunk).nth(index).unwrap().len() as u32,
                })
                .collect();
            wire::encode(&SnapshotManifest { v: 1, scope: SCOPE.into(), cursor: self.cursor(), chunks: infos }).unwrap()
        } else if request.path.starts_with("/v1/push") {
            let push: PushRequest = wire::decode(&request.body).unwrap();
            wire::encode(&self.receive(&push.changes)).unwrap()
        } else if request.path.starts_with("/v1/feed") {
            let after = Cursor::decode(&param("cursor").unwrap()).unwrap().seq;
            wire::encode(&self.feed_after(after)).unwrap()
        } else {
            panic!("unexpected request {}", request.path)
        };
        Response { status: 200, body }
    }
}

fn set_nama(nama: &str) -> impl FnOnce(&mut Value) {
    let nama = nama.to_owned();
    move |value: &mut Value| value["data_utama"]["nama"] = json!(nama)
}

fn profile(replica: &Replica, nip: &str) -> query::Profil {
    query::profil(&replica.reader().unwrap(), nip).unwrap()
}

fn documents_with_nip(replica: &Replica, nip: &str) -> Vec<String> {
    let reader = replica.reader().unwrap();
    let mut statement = reader
        .prepare("SELECT d.id FROM pegawai p JOIN document d ON d.rowid = p.document_rowid WHERE p.nip = ?1 ORDER BY 1")
        .unwrap();
    statement
        .query_map([nip], |row| row.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|id| Uuid::from_slice(&id.unwrap()).unwrap().to_string())
        .collect()
}

fn outbox_size(replica: &Replica) -> (i64, i64) {
    sync_state::outbox_size(&replica.reader().unwrap()).unwrap()
}

fn heads_of(replica: &Replica, id: Uuid) -> Vec<ChangeHash> {
    let reader = replica.reader().unwrap();
    let rowid = document::rowid_of(&reader, id).unwrap().unwrap();
    document::load(&reader, rowid).unwrap().1.heads()
}

/// Bootstraps every hub document in one chunk.
fn bootstrap(local: &mut ReplicaSync<'_>, hub: &Hub) {
    let ids: Vec<Uuid> = hub.docs.keys().copied().collect();
    local.apply_chunk(SCOPE, &hub.cursor(), 0, hub.chunk(&ids)).unwrap();
    local.finish_bootstrap(SCOPE, &hub.cursor()).unwrap();
}

#[test]
fn a_bootstrap_applies_chunk_by_chunk_and_resumes_from_the_stored_progress() {
    let dir = TempDir::new("repl-bootstrap");
    let mut hub = Hub::new();
    let ids: Vec<Uuid> = NIPS.iter().enumerate().map(|(n, nip)| hub.add(n as u128, &pegawai(nip, "PEGAWAI"))).collect();
    let cursor = hub.cursor();
    {
        let replica = open(&dir);
        let mut local = ReplicaSync::new(&replica, clock);
        assert_eq!(local.cursor(SCOPE).unwrap(), None);
        assert_eq!(local.bootstrap_progress(SCOPE).unwrap(), None);
        assert_eq!(local.apply_chunk(SCOPE, &cursor, 0, hub.chunk(&ids[..3])).unwrap(), 3);
        assert_eq!(local.bootstrap_progress(SCOPE).unwrap(), Some((cursor.clone(), 1)));
        assert_eq!(
            status(&replica).unwrap().bootstraps,
            [BootstrapStatus { scope: SCOPE.into(), cursor: cursor.clone(), next_chunk: 1 }]
        );
    }
    // The process stopped; the next run finds the progress in the file and goes on with chunk 1.
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    assert_eq!(local.bootstrap_progress(SCOPE).unwrap(), Some((cursor.clone(), 1)));
    assert_eq!(local.apply_chunk(SCOPE, &cursor, 1, hub.chunk(&ids[3..])).unwrap(), 2);
    assert_eq!(local.bootstrap_progress(SCOPE).unwrap(), Some((cursor.clone(), 2)));
    // A chunk applied again (its answer was cut after the commit) stores nothing twice.
    let before: Vec<Vec<ChangeHash>> = ids.iter().map(|&id| heads_of(&replica, id)).collect();
    assert_eq!(local.apply_chunk(SCOPE, &cursor, 0, hub.chunk(&ids[..3])).unwrap(), 3);
    assert_eq!(ids.iter().map(|&id| heads_of(&replica, id)).collect::<Vec<_>>(), before);
    assert_eq!(projection::counts(&replica.reader().unwrap()).unwrap(), (5, 5, 5));

    local.finish_bootstrap(SCOPE, &cursor).unwrap();
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(cursor.clone()));
    assert_eq!(local.bootstrap_progress(SCOPE).unwrap(), None);
    let state = status(&replica).unwrap();
    assert_eq!(
        state.scopes,
        [ScopeStatus { scope: SCOPE.into(), cursor: cursor.clone(), epoch: 3, seq: 40, last_pull_ms: NOW }]
    );
    assert_eq!(state.bootstraps, []);
    assert_eq!((state.outbox_changes, state.outbox_documents), (0, 0));

    // Stored as the hub sent them (uncompressed), nothing in the outbox, projections true to the documents.
    let uncompressed: i64 = replica
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM document WHERE compressed = 0 AND scope = ?1", [SCOPE], |row| row.get(0))
        .unwrap();
    assert_eq!(uncompressed, 5);
    assert_eq!(outbox_size(&replica), (0, 0));
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
    assert_eq!(profile(&replica, NIPS[4]).id, ids[4].to_string());
    // Compaction recompresses them, with the same heads.
    assert_eq!(document::compact_imported(&replica, 100, &mut |_| {}).unwrap(), 5);
    assert_eq!(ids.iter().map(|&id| heads_of(&replica, id)).collect::<Vec<_>>(), before);

    // must_refetch: cursor and progress are forgotten, documents stay.
    local.forget_scope(SCOPE).unwrap();
    assert_eq!(local.cursor(SCOPE).unwrap(), None);
    assert_eq!(projection::counts(&replica.reader().unwrap()).unwrap(), (5, 5, 5));
}

#[test]
fn a_feed_batch_applied_twice_changes_nothing_and_the_cursor_never_moves_back() {
    let dir = TempDir::new("repl-feed");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    bootstrap(&mut local, &hub);

    // The hub renames A and creates C (its first change has no dependencies).
    let rename = hub.edit(a, 2_000, set_nama("ANI SUSANTI"));
    let c = hub.add(3, &pegawai(NIPS[2], "CITRA"));
    let create = hub.docs[&c].changes_since(&[]);
    let batch = hub.batch(vec![
        (a, FeedBody::Changes { changes: vec![Bytes(rename)] }),
        (c, FeedBody::Changes { changes: create.into_iter().map(Bytes).collect() }),
    ]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 2);
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 42 }.encode()));
    assert_eq!(profile(&replica, NIPS[0]).pegawai.data_utama.nama, "ANI SUSANTI");
    assert_eq!(profile(&replica, NIPS[2]).id, c.to_string());
    let heads = (heads_of(&replica, a), heads_of(&replica, c));
    assert_eq!(heads, (hub.docs[&a].heads(), hub.docs[&c].heads()));

    // The same batch again (its answer was lost): nothing changes, the cursor stays.
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 0);
    assert_eq!((heads_of(&replica, a), heads_of(&replica, c)), heads);
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 42 }.encode()));
    // An older batch arriving late neither re-applies its items nor moves the cursor back.
    let remove = hub.batch(vec![(c, FeedBody::Remove)]);
    assert_eq!(local.apply_feed(SCOPE, &remove).unwrap(), 1);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 0);
    assert_eq!(documents_with_nip(&replica, NIPS[2]), Vec::<String>::new());
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 43 }.encode()));
    assert_eq!(outbox_size(&replica), (0, 0));
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn feed_changes_whose_dependencies_are_missing_mark_the_document_for_repair_and_the_rest_applies() {
    let dir = TempDir::new("repl-missing");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    bootstrap(&mut local, &hub);
    let _skipped = hub.edit(a, 2_000, set_nama("ANI S"));
    let second = hub.edit(a, 3_000, set_nama("ANI SUSANTI"));
    let c = hub.add(3, &pegawai(NIPS[2], "CITRA"));
    let create = hub.docs[&c].changes_since(&[]);
    let heads = |id: Uuid| hub.docs[&id].heads().iter().map(|head| head.0).collect::<Vec<_>>();
    let batch = FeedBatch {
        v: 1,
        scope: SCOPE.into(),
        items: vec![
            FeedItem {
                seq: 41,
                doc: *c.as_bytes(),
                record: RecordKind::Pegawai,
                body: FeedBody::Changes { changes: create.into_iter().map(Bytes).collect() },
                heads_after: heads(c),
            },
            FeedItem {
                seq: 42,
                doc: *a.as_bytes(),
                record: RecordKind::Pegawai,
                body: FeedBody::Changes { changes: vec![Bytes(second)] },
                heads_after: heads(a),
            },
        ],
        next_cursor: Cursor { epoch: EPOCH, seq: 42 }.encode(),
        up_to_date: true,
        server_time_ms: 0,
    };
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1, "C was created; A was not changed");
    assert_eq!(documents_with_nip(&replica, NIPS[2]), vec![c.to_string()]);
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 42 }.encode()));
    assert_eq!(profile(&replica, NIPS[0]).pegawai.data_utama.nama, "ANI", "A's change is not half-applied");
    // A is queued for repair, with a notice; C is not.
    let targets = local.repairs(SCOPE, 10).unwrap();
    assert_eq!(targets, vec![sync::engine::RepairTarget { doc: *a.as_bytes(), record: RecordKind::Pegawai }]);
    assert!(
        matches!(&local.report().notices[..], [Notice::RepairQueued { document, .. }] if *document == a.to_string())
    );
    let queued = status(&replica).unwrap().repairs;
    assert_eq!((queued.len(), queued[0].attempts), (1, 0));
    assert!(queued[0].reason.contains("bergantung pada 1 perubahan"), "{}", queued[0].reason);

    // The repair: the copy the engine brought from the hub holds the hub's heads; storing it clears the mark.
    let base = local.repair_base(a.as_bytes()).unwrap().unwrap();
    assert_eq!(base.heads(), heads_of(&replica, a));
    let mut repaired = base.fork();
    let mut hub_copy = hub.docs[&a].fork();
    repaired.merge(&mut hub_copy).unwrap();
    let target = sync::engine::RepairTarget { doc: *a.as_bytes(), record: RecordKind::Pegawai };
    assert_eq!(local.finish_repair(SCOPE, &target, &repaired, &heads(a)).unwrap(), 0, "nothing of ours is missing");
    assert_eq!(profile(&replica, NIPS[0]).pegawai.data_utama.nama, "ANI SUSANTI");
    assert_eq!(local.repairs(SCOPE, 10).unwrap(), vec![]);
    assert!(status(&replica).unwrap().repairs.is_empty());
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn a_repair_restores_a_quarantined_copy_and_queues_the_changes_the_hub_lacks() {
    let dir = TempDir::new("repl-repair");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    let b = hub.add(2, &pegawai(NIPS[1], "BUDI"));
    bootstrap(&mut local, &hub);
    // An officer's edit on B whose outbox row is lost (a restored backup, a bug): the hub never got it.
    let lost = edit_pegawai(&replica, NIPS[1], NOW, "ubah", |value| value["data_utama"]["no_hp"] = json!("0812"))
        .unwrap()
        .unwrap();
    replica.write(|tx| sync_state::remove_from_outbox(tx, &[lost.0]).map(|_| ())).unwrap();
    // An officer's edit on A still waiting in the outbox when A's bytes go bad: it is lost with them.
    edit_pegawai(&replica, NIPS[0], NOW, "ubah", |value| value["data_utama"]["no_hp"] = json!("0813"))
        .unwrap()
        .unwrap();
    // A's stored bytes go bad: quarantined, and so listed for repair.
    let rowid = document::rowid_of(&replica.reader().unwrap(), a).unwrap().unwrap();
    replica
        .write(|tx| {
            tx.execute("UPDATE document SET snapshot = X'00FF', compressed = 0 WHERE rowid = ?1", [rowid])?;
            tx.execute("DELETE FROM document_chunk WHERE document_rowid = ?1", [rowid])?;
            document::quarantine(tx, rowid, "uji: byte rusak")
        })
        .unwrap();
    assert!(local.repair_base(a.as_bytes()).unwrap().is_none(), "nothing of A loads");
    let targets = local.repairs(SCOPE, 10).unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].doc, *a.as_bytes());
    // Repaired from the hub's copy alone: it replaces the quarantined one.
    let hub_heads = |id: Uuid| hub.docs[&id].heads().iter().map(|head| head.0).collect::<Vec<_>>();
    let queued = local.finish_repair(SCOPE, &targets[0], &hub.docs[&a].fork(), &hub_heads(a)).unwrap();
    assert_eq!(queued, 0);
    assert_eq!(profile(&replica, NIPS[0]).pegawai.data_utama.nama, "ANI");
    // The lost edit's outbox row is gone (it could never be sent), and the officer is told.
    assert_eq!(status(&replica).unwrap().outbox_changes, 0);
    assert!(
        local.report().notices.iter().any(|notice| matches!(notice,
            Notice::LocalChangesLost { document, lost: 1 } if *document == a.to_string())),
        "{:?}",
        local.report().notices
    );
    assert!(integrity::check(&replica).unwrap().quarantined.is_empty());

    // B: the hub's heads are B's before the lost edit; the edit (ours) goes back into the outbox.
    let b_target = sync::engine::RepairTarget { doc: *b.as_bytes(), record: RecordKind::Pegawai };
    let base = local.repair_base(b.as_bytes()).unwrap().unwrap();
    assert_eq!(local.finish_repair(SCOPE, &b_target, &base, &hub_heads(b)).unwrap(), 1);
    let offered = local.pending(1 << 20).unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(change_hash_of(&offered[0].change.0).unwrap(), lost);
    // Queued once: a second repair finds it in the outbox already.
    assert_eq!(local.finish_repair(SCOPE, &b_target, &base, &hub_heads(b)).unwrap(), 0);
    // A failed repair is counted and, after the third, not offered again.
    let c = Uuid::from_u128(77);
    replica.write(|tx| sync_state::mark_repair(tx, c, SCOPE, document::Kind::Usulan, "uji", NOW)).unwrap();
    for _ in 0..sync_state::MAX_REPAIR_ATTEMPTS {
        assert_eq!(local.repairs(SCOPE, 10).unwrap().len(), 1);
        local.repair_failed(c.as_bytes(), "hub: tidak ditemukan").unwrap();
    }
    assert_eq!(local.repairs(SCOPE, 10).unwrap(), vec![]);
    assert_eq!(status(&replica).unwrap().repairs[0].last_error.as_deref(), Some("hub: tidak ditemukan"));
}

#[test]
fn a_feed_change_merges_with_a_local_edit_of_another_field() {
    let dir = TempDir::new("repl-merge");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    bootstrap(&mut local, &hub);

    let edited = edit_pegawai(&replica, NIPS[0], NOW, "ubah gelar", |value| {
        value["data_utama"]["gelar_depan"] = json!("dr.");
    })
    .unwrap();
    assert!(edited.is_some());
    // The same value again writes nothing.
    let again = edit_pegawai(&replica, NIPS[0], NOW, "ubah gelar", |value| {
        value["data_utama"]["gelar_depan"] = json!("dr.");
    })
    .unwrap();
    assert_eq!(again, None);
    assert_eq!(outbox_size(&replica), (1, 1));

    let jabatan = hub.edit(a, 2_000, |value| value["data_utama"]["jabatan_nama"] = json!("KEPALA SEKOLAH"));
    let batch = hub.batch(vec![(a, FeedBody::Changes { changes: vec![Bytes(jabatan)] })]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);

    let profil = profile(&replica, NIPS[0]);
    assert_eq!(profil.pegawai.data_utama.gelar_depan.as_deref(), Some("dr."));
    assert_eq!(profil.pegawai.data_utama.jabatan_nama.as_deref(), Some("KEPALA SEKOLAH"));
    assert_eq!(profil.konflik, []);
    let listed = query::search(&replica.reader().unwrap(), "kepala", 10, date("2026-11-30").unwrap()).unwrap();
    assert_eq!(listed.iter().map(|row| row.nip.as_str()).collect::<Vec<_>>(), [NIPS[0]]);
    // The local edit is still waiting to be pushed.
    assert_eq!(outbox_size(&replica), (1, 1));
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn concurrent_edits_of_the_same_field_leave_a_field_conflict() {
    let dir = TempDir::new("repl-conflict");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "BUDI"));
    bootstrap(&mut local, &hub);

    edit_pegawai(&replica, NIPS[0], NOW, "ubah nama", set_nama("BUDI LOKAL")).unwrap().unwrap();
    let remote = hub.edit(a, 2_000, set_nama("BUDI HUB"));
    let batch = hub.batch(vec![(a, FeedBody::Changes { changes: vec![Bytes(remote)] })]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);

    let profil = profile(&replica, NIPS[0]);
    assert_eq!(profil.konflik.len(), 1);
    let (path, values) = &profil.konflik[0];
    assert_eq!(path, "data_utama.nama");
    let values: Vec<Value> = serde_json::from_str(values).unwrap();
    let mut names: Vec<&str> = values.iter().map(|value| value["value"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["BUDI HUB", "BUDI LOKAL"]);
    // The list shows the value automerge picks, the same one the document hydrates to.
    let shown = values[0]["value"].as_str().unwrap();
    assert_eq!(profil.pegawai.data_utama.nama, shown);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn an_edit_is_offered_for_push_and_leaves_the_outbox_when_applied() {
    let dir = TempDir::new("repl-push");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    bootstrap(&mut local, &hub);
    assert_eq!(local.pending(256 * 1024).unwrap(), []);

    let first = edit_pegawai(&replica, NIPS[0], NOW, "ubah 1", set_nama("ANI S")).unwrap().unwrap();
    let second = edit_pegawai(&replica, NIPS[0], NOW + 1, "ubah 2", set_nama("ANI SUSANTI")).unwrap().unwrap();
    let pending = local.pending(256 * 1024).unwrap();
    // Causal order, the document's id, written by the replica's actor.
    let hashes: Vec<ChangeHash> = pending.iter().map(|change| change_hash_of(&change.change.0).unwrap()).collect();
    assert_eq!(hashes, [first, second]);
    assert!(pending.iter().all(|change| change.doc == *a.as_bytes() && change.record == RecordKind::Pegawai));
    assert_eq!(local.actor().unwrap(), replica.actor().to_bytes());
    // A budget of one byte still offers the first document whole.
    assert_eq!(local.pending(1).unwrap().len(), 2);

    let response = hub.receive(&pending);
    local.acknowledge(&response).unwrap();
    assert_eq!(outbox_size(&replica), (0, 0));
    assert_eq!(local.pending(256 * 1024).unwrap(), []);
    assert_eq!(hub.docs[&a].hydrate()["data_utama"]["nama"], "ANI SUSANTI");

    // The hub's feed echoes the pushed changes: already here, nothing changes.
    let echo = hub.feed_after(40);
    assert_eq!(echo.items.len(), 2);
    let before = heads_of(&replica, a);
    assert_eq!(local.apply_feed(SCOPE, &echo).unwrap(), 0);
    assert_eq!(heads_of(&replica, a), before);
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 42 }.encode()));
}

#[test]
fn rejections_are_recorded_and_a_change_refused_for_good_is_not_offered_again() {
    let dir = TempDir::new("repl-reject");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    let b = hub.add(2, &pegawai(NIPS[1], "BAMBANG"));
    bootstrap(&mut local, &hub);
    let on_a = edit_pegawai(&replica, NIPS[0], NOW, "ubah", set_nama("ANI X")).unwrap().unwrap();
    let on_b = edit_pegawai(&replica, NIPS[1], NOW, "ubah", set_nama("BAMBANG X")).unwrap().unwrap();
    assert_eq!(local.pending(256 * 1024).unwrap().len(), 2);

    let rejected = |code: &str, reason: &str, compensation: Option<[u8; 32]>| PushOutcome::Rejected {
        code: code.into(),
        reason: reason.into(),
        compensation,
    };
    local
        .acknowledge(&PushResponse {
            v: 1,
            results: vec![
                PushResult {
                    hash: on_a.0,
                    outcome: rejected("forbidden_field", "nama diubah oleh BKN", Some([7; 32])),
                },
                PushResult { hash: on_b.0, outcome: rejected("forbidden_field", "NIP tidak boleh diubah", None) },
            ],
            checkpoint_seq: 0,
        })
        .unwrap();

    // A's change was kept by the hub with a compensation: it left the outbox. B's was refused: it stays, marked.
    let outbox = sync_state::outbox(&replica.reader().unwrap(), 10).unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].change_hash, on_b.0);
    assert_eq!(outbox[0].attempts, 1);
    assert_eq!(outbox[0].last_error.as_deref(), Some("ditolak: forbidden_field: NIP tidak boleh diubah"));
    assert_eq!(local.pending(256 * 1024).unwrap(), []);

    let state = status(&replica).unwrap();
    assert_eq!((state.outbox_changes, state.outbox_documents, state.outbox_rejected), (1, 1, 1));
    assert_eq!(
        state.rejections,
        [
            Rejection {
                change: sync_state::hex(&on_a.0),
                document: Some(a.to_string()),
                nip: Some(NIPS[0].into()),
                code: "forbidden_field".into(),
                reason: "nama diubah oleh BKN".into(),
                compensated: true,
                at_ms: NOW,
            },
            Rejection {
                change: sync_state::hex(&on_b.0),
                document: Some(b.to_string()),
                nip: Some(NIPS[1].into()),
                code: "forbidden_field".into(),
                reason: "NIP tidak boleh diubah".into(),
                compensated: false,
                at_ms: NOW,
            },
        ]
    );

    // The list keeps the newest 100.
    for _ in 0..60 {
        local
            .acknowledge(&PushResponse {
                v: 1,
                results: vec![
                    PushResult { hash: [1; 32], outcome: rejected("x", "satu", None) },
                    PushResult { hash: [2; 32], outcome: rejected("x", "dua", Some([3; 32])) },
                ],
                checkpoint_seq: 0,
            })
            .unwrap();
    }
    let rejections = status(&replica).unwrap().rejections;
    assert_eq!(rejections.len(), 100);
    assert_eq!(rejections[0].reason, "satu");
    assert_eq!(rejections[0].document, None);
}

#[test]
fn a_missing_dependency_is_found_in_the_pushed_document_and_the_answer_counted() {
    let dir = TempDir::new("repl-deps");
    let replica = open(&dir);
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: NOW,
        batch: 10,
        message: "impor uji".into(),
        threads: 1,
    };
    import_pegawai(&replica, vec![pegawai(NIPS[0], "ANI")], &options, &mut |_| {}).unwrap();
    // The imported record is a seed: its first change is not in the outbox, the officer's edit is.
    let edit = edit_pegawai(&replica, NIPS[0], NOW, "ubah", set_nama("ANI S")).unwrap().unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let pending = local.pending(256 * 1024).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(change_hash_of(&pending[0].change.0).unwrap(), edit);

    let rowid = profile(&replica, NIPS[0]).rowid;
    let (_, doc) = document::load(&replica.reader().unwrap(), rowid).unwrap();
    let seed_change = doc.change_hashes_since(&[])[0];
    assert_ne!(seed_change, edit);
    let dependency = local.change(&seed_change.0).unwrap().unwrap();
    assert_eq!(change_hash_of(&dependency.change.0).unwrap(), seed_change);
    assert_eq!(dependency.doc, pending[0].doc);
    assert_eq!(local.change(&[9; 32]).unwrap(), None);

    local
        .acknowledge(&PushResponse {
            v: 1,
            results: vec![PushResult {
                hash: edit.0,
                outcome: PushOutcome::MissingDeps { hashes: vec![seed_change.0] },
            }],
            checkpoint_seq: 0,
        })
        .unwrap();
    let outbox = sync_state::outbox(&replica.reader().unwrap(), 10).unwrap();
    assert_eq!(outbox[0].attempts, 1);
    assert_eq!(outbox[0].last_error.as_deref(), Some("missing_deps: hub belum punya 1 perubahan induk"));
    // Still offered: only a rejection for good stops that.
    assert_eq!(local.pending(256 * 1024).unwrap().len(), 1);
}

#[test]
fn a_removed_document_with_unsent_changes_is_kept_until_they_are_pushed() {
    let dir = TempDir::new("repl-remove");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "ANI"));
    let b = hub.add(2, &pegawai(NIPS[1], "BAMBANG"));
    bootstrap(&mut local, &hub);
    edit_pegawai(&replica, NIPS[0], NOW, "ubah", set_nama("ANI MUTASI")).unwrap().unwrap();

    let batch = hub.batch(vec![(a, FeedBody::Remove), (b, FeedBody::Remove)]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);
    assert_eq!(documents_with_nip(&replica, NIPS[0]), [a.to_string()]);
    assert_eq!(documents_with_nip(&replica, NIPS[1]), Vec::<String>::new());
    let search =
        |text: &str| query::search(&replica.reader().unwrap(), text, 10, date("2026-11-30").unwrap()).unwrap().len();
    assert_eq!(search("bambang"), 0);
    assert_eq!(local.report().notices, [Notice::RemoveDeferred { document: a.to_string(), pending: 1 }]);

    // Pushed and applied; the hub removes it again and now it goes.
    let pending = local.pending(256 * 1024).unwrap();
    let response = hub.receive(&pending);
    local.acknowledge(&response).unwrap();
    let batch = hub.batch(vec![(a, FeedBody::Remove)]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);
    assert_eq!(documents_with_nip(&replica, NIPS[0]), Vec::<String>::new());
    assert_eq!(search("ani"), 0);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
    let documents: i64 =
        replica.reader().unwrap().query_row("SELECT count(*) FROM document", [], |row| row.get(0)).unwrap();
    assert_eq!(documents, 0);
}

#[test]
fn a_hub_snapshot_replaces_locally_imported_pegawai_of_the_same_nip_unless_they_have_unsent_changes() {
    let dir = TempDir::new("repl-duplicate");
    let replica = open(&dir);
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: NOW,
        batch: 10,
        message: "impor uji".into(),
        threads: 1,
    };
    // NIPS[0]: imported and built (no seed any more); NIPS[1]: a seed; NIPS[2]: a seed the officer edited.
    import_pegawai(&replica, vec![pegawai(NIPS[0], "ANI")], &options, &mut |_| {}).unwrap();
    assert_eq!(document::compact_imported(&replica, 10, &mut |_| {}).unwrap(), 1);
    import_pegawai(&replica, vec![pegawai(NIPS[1], "BAMBANG"), pegawai(NIPS[2], "CITRA")], &options, &mut |_| {})
        .unwrap();
    edit_pegawai(&replica, NIPS[2], NOW, "ubah", set_nama("CITRA LESTARI")).unwrap().unwrap();
    let local_citra = profile(&replica, NIPS[2]).id;

    let mut hub = Hub::new();
    let ids: Vec<Uuid> = (0..3).map(|n| hub.add(n as u128, &pegawai(NIPS[n], "DARI HUB"))).collect();
    let mut local = ReplicaSync::new(&replica, clock);
    bootstrap(&mut local, &hub);

    assert_eq!(documents_with_nip(&replica, NIPS[0]), [ids[0].to_string()]);
    assert_eq!(documents_with_nip(&replica, NIPS[1]), [ids[1].to_string()]);
    let mut both = vec![ids[2].to_string(), local_citra.clone()];
    both.sort_unstable();
    assert_eq!(documents_with_nip(&replica, NIPS[2]), both);
    assert_eq!(local.report().replaced_local, 2);
    assert_eq!(
        local.report().notices,
        [Notice::DuplicateKept { nip: NIPS[2].into(), local: local_citra, hub: ids[2].to_string(), pending: 1 }]
    );
    assert_eq!(profile(&replica, NIPS[0]).pegawai.data_utama.nama, "DARI HUB");
    assert_eq!(outbox_size(&replica), (1, 1));
    assert_eq!(projection::counts(&replica.reader().unwrap()).unwrap(), (4, 4, 4));
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);

    // A second hub document with a NIP the hub already sent is kept beside it (the hub holds both).
    let twin = hub.add(9, &pegawai(NIPS[0], "KEMBAR"));
    let batch = hub.batch(vec![(twin, FeedBody::Snapshot { save: Bytes(hub.docs[&twin].save()) })]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);
    let mut twins = vec![ids[0].to_string(), twin.to_string()];
    twins.sort_unstable();
    assert_eq!(documents_with_nip(&replica, NIPS[0]), twins);
    assert_eq!(
        local.report().notices.last(),
        Some(&Notice::DuplicateFromHub { nip: NIPS[0].into(), local: ids[0].to_string(), hub: twin.to_string() })
    );
}

/// Drives one engine run against the fake hub; returns its summary.
fn run(local: &mut ReplicaSync<'_>, hub: &mut Hub, per_chunk: usize) -> sync::engine::Summary {
    let mut engine = Engine::new(SCOPE);
    loop {
        match engine.poll(local).unwrap() {
            Step::Done => return engine.summary().clone(),
            Step::Send(request) => {
                let response = hub.serve(&request, per_chunk);
                engine.handle(local, Outcome::Response(response)).unwrap();
            }
        }
    }
}

#[test]
fn an_engine_run_bootstraps_then_pushes_and_pulls() {
    let dir = TempDir::new("repl-engine");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let ids: Vec<Uuid> = NIPS.iter().enumerate().map(|(n, nip)| hub.add(n as u128, &pegawai(nip, "PEGAWAI"))).collect();

    let summary = run(&mut local, &mut hub, 2);
    assert!(summary.bootstrapped);
    assert_eq!(summary.chunks, (3, 3));
    assert_eq!(summary.snapshot_documents, 5);
    assert_eq!((summary.pushed, summary.pulled_documents), (0, 0));
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(hub.cursor()));

    // An officer's edit and a hub edit: the next run pushes one and pulls the other.
    edit_pegawai(&replica, NIPS[0], NOW, "ubah", set_nama("ANI")).unwrap().unwrap();
    let remote = hub.edit(ids[1], 2_000, set_nama("BAMBANG"));
    hub.batch(vec![(ids[1], FeedBody::Changes { changes: vec![Bytes(remote)] })]);
    let summary = run(&mut local, &mut hub, 2);
    assert!(!summary.bootstrapped);
    assert_eq!(summary.pushed, 1);
    assert_eq!(summary.pulled_documents, 1);
    assert_eq!(outbox_size(&replica), (0, 0));
    assert_eq!(profile(&replica, NIPS[1]).pegawai.data_utama.nama, "BAMBANG");
    for &id in &ids {
        assert_eq!(heads_of(&replica, id), hub.docs[&id].heads());
    }
    assert_eq!(local.cursor(SCOPE).unwrap(), Some(Cursor { epoch: EPOCH, seq: 42 }.encode()));
}

/// Bootstrap throughput: `LURING_BOOTSTRAP_DOCS` generated pegawai (default 20,000) in chunks of 2,500.
/// Run with `cargo test -p store --release --test it -- --ignored bootstrap_rate --nocapture`.
#[test]
#[ignore = "measurement; prints documents per second"]
fn bootstrap_rate() {
    let count: usize =
        std::env::var("LURING_BOOTSTRAP_DOCS").ok().and_then(|value| value.parse().ok()).unwrap_or(20_000);
    let config = generator::Config {
        pegawai: count,
        seed: 11,
        today: date("2026-11-30").unwrap(),
        ..generator::Config::default()
    };
    let kabupaten = generator::generate(&config);
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    let records = model::siasn::export::decode(&csv).records;
    let mut hub = Hub::new();
    let ids: Vec<Uuid> = records
        .into_iter()
        .enumerate()
        .map(|(n, record)| hub.add(n as u128, &Pegawai { data_utama: record.data_utama, ..Pegawai::default() }))
        .collect();
    let chunks: Vec<SnapshotChunk> = ids.chunks(2_500).map(|part| hub.chunk(part)).collect();
    let dir = TempDir::new("repl-rate");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let started = Instant::now();
    for (index, chunk) in chunks.into_iter().enumerate() {
        local.apply_chunk(SCOPE, &hub.cursor(), index as u32, chunk).unwrap();
    }
    local.finish_bootstrap(SCOPE, &hub.cursor()).unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("bootstrap: {count} dokumen dalam {elapsed:.1} s = {:.0} dokumen/s", count as f64 / elapsed);
    assert_eq!(projection::counts(&replica.reader().unwrap()).unwrap().0, count as i64);
}

#[test]
fn a_snapshot_document_holding_a_conflict_projects_it() {
    let dir = TempDir::new("repl-snapshot-conflict");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "DEWI"));
    // Two devices renamed her concurrently; the hub merged both.
    let mut other = hub.docs[&a].fork().with_actor(ActorId::from(vec![0xCD; 16]));
    let mut value = other.hydrate();
    set_nama("DEWI A")(&mut value);
    other.reconcile(&value, Some("perangkat lain"), 2_000).unwrap().unwrap();
    hub.edit(a, 2_000, set_nama("DEWI B"));
    hub.docs.get_mut(&a).unwrap().merge(&mut other).unwrap();
    hub.add(2, &pegawai(NIPS[1], "EKO"));
    bootstrap(&mut local, &hub);

    let profil = profile(&replica, NIPS[0]);
    assert_eq!(profil.konflik.iter().map(|(path, _)| path.as_str()).collect::<Vec<_>>(), ["data_utama.nama"]);
    assert_eq!(profile(&replica, NIPS[1]).konflik, []);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn a_resolved_conflict_leaves_the_list_and_the_decision_waits_in_the_outbox() {
    let dir = TempDir::new("repl-resolve");
    let replica = open(&dir);
    let mut local = ReplicaSync::new(&replica, clock);
    let mut hub = Hub::new();
    let a = hub.add(1, &pegawai(NIPS[0], "BUDI"));
    bootstrap(&mut local, &hub);
    assert_eq!(store::conflict::list(&replica.reader().unwrap()).unwrap(), []);

    // Two actors (this device, the hub) write data_utama.nama concurrently.
    edit_pegawai(&replica, NIPS[0], NOW, "ubah nama", set_nama("BUDI LOKAL")).unwrap().unwrap();
    let remote = hub.edit(a, 2_000, set_nama("BUDI HUB"));
    let batch = hub.batch(vec![(a, FeedBody::Changes { changes: vec![Bytes(remote)] })]);
    assert_eq!(local.apply_feed(SCOPE, &batch).unwrap(), 1);
    assert_eq!(outbox_size(&replica).0, 1);

    let listed = store::conflict::list(&replica.reader().unwrap()).unwrap();
    assert_eq!(listed.len(), 1);
    let row = &listed[0];
    let rowid = document::rowid_of(&replica.reader().unwrap(), a).unwrap().unwrap();
    assert_eq!((row.rowid, row.document_id, row.kind), (rowid, a, document::Kind::Pegawai));
    assert_eq!(
        (row.nip.as_deref(), row.nama.as_deref(), row.path.as_str()),
        (Some(NIPS[0]), Some(row.values[0].value.as_str().unwrap()), "data_utama.nama")
    );
    let mut by_actor: Vec<(String, &str, Option<i64>)> =
        row.values.iter().map(|value| (value.actor.clone(), value.value.as_str().unwrap(), value.time_ms)).collect();
    by_actor.sort();
    let mut expected = vec![
        (hub.actor.to_hex_string(), "BUDI HUB", Some(2_000)),
        (replica.actor().to_hex_string(), "BUDI LOKAL", Some(NOW)),
    ];
    expected.sort();
    assert_eq!(by_actor, expected);

    // The verifikator enters a third value.
    let conflict = store::conflict::find(&replica.reader().unwrap(), rowid, "data_utama.nama").unwrap().unwrap();
    assert_eq!(store::conflict::find(&replica.reader().unwrap(), rowid, "data_utama.nip").unwrap(), None);
    let hash = store::edit::resolve_conflict(
        &replica,
        rowid,
        &conflict.segments,
        &json!("BUDI SANTOSO"),
        NOW + 10,
        "selesaikan konflik",
    )
    .unwrap()
    .unwrap();

    assert_eq!(store::conflict::list(&replica.reader().unwrap()).unwrap(), []);
    let profil = profile(&replica, NIPS[0]);
    assert_eq!(profil.konflik, []);
    assert_eq!(profil.pegawai.data_utama.nama, "BUDI SANTOSO");
    let listed =
        query::search(&replica.reader().unwrap(), "santoso", 10, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
            .unwrap();
    assert_eq!(listed.iter().map(|hit| hit.rowid).collect::<Vec<_>>(), [rowid]);
    // The local edit and the decision wait to be pushed, in causal order, by this device's actor.
    assert_eq!(outbox_size(&replica).0, 2);
    let pending = local.pending(256 * 1024).unwrap();
    let hashes: Vec<ChangeHash> = pending.iter().map(|change| change_hash_of(&change.change.0).unwrap()).collect();
    assert_eq!(hashes.last(), Some(&hash));
    assert_eq!(heads_of(&replica, a), [hash]);
    // The hub merging the decision has no conflict either.
    hub.receive(&pending);
    assert!(hub.docs[&a].conflicts().is_empty());
    assert_eq!(hub.docs[&a].hydrate()["data_utama"]["nama"], "BUDI SANTOSO");
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);

    // A path that leads nowhere is refused and nothing is written.
    let missing = [sync::PathSegment::Key("tidak_ada".into()), sync::PathSegment::Key("x".into())];
    assert!(matches!(
        store::edit::resolve_conflict(&replica, rowid, &missing, &json!(1), NOW + 20, "salah"),
        Err(store::Error::NotFound(_))
    ));
    assert_eq!(outbox_size(&replica).0, 2);
}
