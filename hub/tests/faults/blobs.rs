//! Blobs and the repair path over real HTTP on loopback, through the proxy: an upload cut in the middle of a chunk
//! resumes without sending a finished chunk again, a download whose bytes arrive with one bit flipped is refused
//! and nothing is stored, a download cut part-way resumes by Range from the bytes kept; and a replica whose copy
//! of a pegawai lost a change is repaired through `POST /v1/repair` with its own lost edit pushed.
//!
//! The faults are one-shot proxy shots at exact byte positions ([`Proxy::arm`]), so each lands in a blob body;
//! the client's requests are recorded by [`Recording`] around the real [`HttpTransport`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use store::document::{self, Kind};
use store::replication::{ReplicaSync, system_clock};
use store::sync_state::{self, BlobState};
use store::{Replica, projection};
use sync::Document;
use sync::driver::{self, DriverOptions, HttpTransport, TokenSource, Transport, TransportError, TransportResult};
use sync::engine::{Engine, Request, RequestKind, Summary, SyncError};

use crate::proxy::{Direction, Shot};
use crate::{Harness, assert_healthy, documents, edit, field_of, options, seed};

/// What the client sent and how it ended: (kind, `range_from`, status or `None` for a broken exchange).
type Log = Vec<(RequestKind, Option<u64>, Option<u16>)>;

/// [`HttpTransport`] that records every request and its outcome.
struct Recording {
    inner: HttpTransport,
    log: Mutex<Log>,
}

impl Transport for Recording {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move {
            let result = self.inner.send(request, token, watchdog).await;
            let status = result.as_ref().ok().map(|response| response.status);
            self.log.lock().unwrap().push((request.kind, request.range_from, status));
            result
        })
    }
}

/// One run of `replica` through the proxy with a recording transport; the run's result and the log.
fn recorded_run(harness: &Harness, replica: &Replica, options: &DriverOptions) -> (Result<Summary, SyncError>, Log) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let recording = Recording { inner: HttpTransport::new(&harness.proxy.url()).unwrap(), log: Mutex::new(Vec::new()) };
    let token = harness.token.clone();
    let source: TokenSource = Arc::new(move || Some(token.clone()));
    let mut local = ReplicaSync::new(replica, system_clock);
    let mut engine = Engine::new(harness.scope.clone());
    let result = runtime.block_on(driver::run(&mut engine, &mut local, &recording, &source, options, &mut |_| {}));
    let log = recording.log.into_inner().unwrap();
    (result, log)
}

/// A scan of `len` bytes.
fn scan(len: usize) -> Vec<u8> {
    (0..len as u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 11) as u8).collect()
}

/// `replica` records a verifikasi lapangan of pegawai `nip` by `petugas` whose photo is `photo` (blob queued for upload,
/// document and outbox row in one transaction); returns the blob's hash and the change.
fn attach(replica: &Replica, scope: &str, petugas: &str, nip: &str, photo: &[u8]) -> ([u8; 32], sync::ChangeHash) {
    replica
        .write(|tx| {
            let hash = sync_state::put_blob(tx, photo, "image/jpeg")?;
            let mut doc = Document::new(replica.actor().clone());
            let value = json!({
                "id": "kunjungan-1", "nip": nip, "hasil": "ditemukan", "petugas": petugas,
                "waktu": "2026-12-01T02:30:00Z",
                "foto": [{"id": sync::blob::hex(&hash), "sha256": sync::blob::hex(&hash), "size": photo.len(),
                          "mime": "image/jpeg", "name": "depan.jpg"}],
            });
            let change = doc
                .reconcile(&value, Some("kunjungan lapangan"), system_clock())
                .map_err(|error| store::Error::Shape(error.to_string()))?
                .ok_or_else(|| store::Error::Shape("tidak ada perubahan".into()))?;
            let rowid = document::insert(
                tx,
                uuid::Uuid::now_v7(),
                Kind::VerifikasiLapangan,
                Some(scope),
                &doc,
                system_clock(),
            )?;
            // Listed as the app's write path lists it (the visit now reads as one, so `check` expects its row).
            store::projection::project(tx, rowid, Kind::VerifikasiLapangan, &doc)?;
            Ok((hash, change))
        })
        .unwrap()
}

fn blob_state(replica: &Replica, hash: &[u8; 32]) -> Option<(BlobState, i64, bool)> {
    sync_state::blob(&replica.reader().unwrap(), hash)
        .unwrap()
        .map(|info| (info.state, info.bytes_done, info.has_content))
}

/// How often each chunk index was sent, in order of first sending.
fn chunk_sends(log: &Log) -> Vec<(u32, usize)> {
    let mut sends: Vec<(u32, usize)> = Vec::new();
    for (kind, _, _) in log {
        if let RequestKind::BlobChunk { index, .. } = kind {
            match sends.iter_mut().find(|(sent, _)| sent == index) {
                Some((_, times)) => *times += 1,
                None => sends.push((*index, 1)),
            }
        }
    }
    sends
}

/// A 1.3 MB scan in chunks of 256 KiB (five chunks). The upload's connection is cut in the middle of the third
/// chunk's body: the client asks the hub's status again and sends the third chunk again, but never the first two;
/// the push that references the blob goes after it. The download on the second replica first gets one flipped
/// byte (refused, nothing stored, reported), then is cut in the middle, kept, and resumed by Range.
#[test]
fn a_blob_cut_mid_transfer_resumes_without_resending_and_a_corrupted_download_is_refused() {
    let harness = Harness::start("blob", 60, seed(26));
    let (_, first) = harness.replica("laptop-a");
    let (_, second) = harness.replica("laptop-b");
    for replica in [&first, &second] {
        harness.sync_until_done(replica, &options(), 3);
    }
    let photo = scan(1_300_000);
    let (hash, change) = attach(&first, &harness.scope, &harness.caller.nip, &harness.nips[0], &photo);

    // Up, with a cut 600 KB into what the client sends: inside the third chunk (256 KiB each).
    harness.proxy.arm(Direction::Up, 600_000, Shot::Cut);
    let (result, log) = recorded_run(&harness, &first, &options());
    let up = result.unwrap();
    assert!(harness.proxy.shot_fired(), "the cut did not happen");
    assert_eq!((up.blobs_uploaded, up.pushed, up.rejected.len()), (1, 1, 0), "{up:?}");
    assert_eq!(chunk_sends(&log), vec![(0, 1), (1, 1), (2, 2), (3, 1), (4, 1)], "{log:?}");
    let statuses = log.iter().filter(|(kind, _, _)| *kind == RequestKind::BlobStatus).count();
    assert_eq!(statuses, 2, "asked once at the start and once after the cut: {log:?}");
    let push_at = log.iter().position(|(kind, _, _)| *kind == RequestKind::Push).unwrap();
    let last_chunk = log.iter().rposition(|(kind, _, _)| matches!(kind, RequestKind::BlobChunk { .. })).unwrap();
    assert!(last_chunk < push_at, "the blob went up before the push that references it: {log:?}");
    assert_eq!(blob_state(&first, &hash), Some((BlobState::Synced, 0, true)));

    // Down, one byte flipped 200 KB into what the hub sends (well inside the blob): refused, nothing stored.
    harness.proxy.arm(Direction::Down, 200_000, Shot::Flip);
    let (result, _) = recorded_run(&harness, &second, &options());
    let refused = result.unwrap();
    assert!(harness.proxy.shot_fired());
    assert_eq!((refused.blobs_downloaded, refused.blob_failures.len()), (0, 1), "{refused:?}");
    assert!(refused.blob_failures[0].1.contains("tidak cocok dengan SHA-256"), "{:?}", refused.blob_failures);
    assert_eq!(blob_state(&second, &hash), Some((BlobState::QueuedDownload, 0, false)));
    assert!(matches!(sync_state::get_blob(&second.reader().unwrap(), &hash), Err(store::Error::NotFound(_))));

    // Down again, cut 500 KB in: the part that arrived is kept and the rest asked for with Range.
    harness.proxy.arm(Direction::Down, 500_000, Shot::Cut);
    let (result, log) = recorded_run(&harness, &second, &options());
    let down = result.unwrap();
    assert!(harness.proxy.shot_fired());
    assert_eq!((down.blobs_downloaded, down.blob_failures.len()), (1, 0), "{down:?}");
    let downloads: Vec<(Option<u64>, Option<u16>)> = log
        .iter()
        .filter(|(kind, _, _)| *kind == RequestKind::BlobContent)
        .map(|(_, from, status)| (*from, *status))
        .collect();
    let [(None, None), (Some(resumed_from), Some(206))] = downloads[..] else { panic!("{downloads:?}") };
    assert!((400_000..500_000).contains(&resumed_from), "resumed from byte {resumed_from}");
    assert_eq!(down.blob_bytes_received, 1_300_000, "every byte came once");
    assert_eq!(sync_state::get_blob(&second.reader().unwrap(), &hash).unwrap(), photo);
    harness.print_counts("blobs");

    // A new replica gets the document and the blob; every replica holds the same documents, the change once.
    let (_, fresh) = harness.replica("segar");
    let (summary, failures) = harness.sync_until_done(&fresh, &options(), 3);
    assert!(summary.bootstrapped && failures.is_empty(), "{summary:?} {failures:?}");
    assert_eq!(summary.blobs_downloaded, 1);
    assert_eq!(sync_state::get_blob(&fresh.reader().unwrap(), &hash).unwrap(), photo);
    let reference = documents(&fresh);
    assert_eq!(reference.len(), harness.nips.len() + 1, "the pegawai and the verifikasi lapangan");
    for replica in [&first, &second] {
        assert!(documents(replica) == reference);
        assert_eq!(assert_healthy(replica, "replica").outbox, 0);
    }
    assert_eq!(harness.log_counts().get(&change), Some(&1));
    let digest: [u8; 32] = Sha256::digest(&photo).into();
    assert_eq!(digest, hash);
}

/// A replica's copy of a pegawai goes back to before a change it had received (a restored backup), losing with it
/// an edit of its own that never reached the hub; the next change from the other replica cannot apply, so the
/// copy is repaired over `POST /v1/repair` and the lost edit pushed, in the same run.
#[test]
fn a_copy_that_lost_a_change_is_repaired_over_http() {
    let harness = Harness::start("perbaikan", 60, seed(27));
    let (_, first) = harness.replica("laptop-a");
    let (_, second) = harness.replica("laptop-b");
    for replica in [&first, &second] {
        harness.sync_until_done(replica, &options(), 3);
    }
    let nip = harness.nips[3].clone();
    let rowid = projection::find_pegawai(&second.reader().unwrap(), &nip, None).unwrap().unwrap().document_rowid;
    let (_, before) = document::load(&second.reader().unwrap(), rowid).unwrap();
    let mut edits = vec![edit(&first, &nip, "no_hp", "081299900001")];
    harness.sync_until_done(&first, &options(), 3);
    harness.sync_until_done(&second, &options(), 3);
    second
        .write(|tx| {
            document::compact(tx, rowid, &before, system_clock())?;
            projection::project(tx, rowid, Kind::Pegawai, &before)
        })
        .unwrap();
    let lost = edit(&second, &nip, "email", "pulih@contoh.go.id");
    second.write(|tx| sync_state::remove_from_outbox(tx, &[lost.0]).map(|_| ())).unwrap();
    edits.push(lost);
    edits.push(edit(&first, &nip, "alamat", "JL. PULIH NO. 2"));
    harness.sync_until_done(&first, &options(), 3);

    let (result, log) = recorded_run(&harness, &second, &options());
    let repaired = result.unwrap();
    assert_eq!((repaired.repaired, repaired.repair_requeued, repaired.pushed), (1, 1, 1), "{repaired:?}");
    let rounds = log.iter().filter(|(kind, _, _)| *kind == RequestKind::Repair).count();
    assert!((1..=2).contains(&rounds), "{log:?}");
    for (name, value) in [("no_hp", "081299900001"), ("email", "pulih@contoh.go.id"), ("alamat", "JL. PULIH NO. 2")] {
        assert_eq!(field_of(&second, &nip, name), Value::String(value.to_owned()), "{name}");
    }
    harness.sync_until_done(&first, &options(), 3);
    harness.assert_converged(&[&first, &second], &edits);
}

/// The hub refuses a repair round for a scope the caller does not read (403, the run stops) and for a document it
/// does not hold (404, reported, the run goes on); a garbage message is a 400.
#[test]
fn repair_rounds_are_checked_like_the_feed() {
    let harness = Harness::start("perbaikan-cek", 10, seed(28));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let transport = HttpTransport::new(&harness.proxy.url()).unwrap();
    let ask = |scope: &str, doc: [u8; 16], message: Vec<u8>| -> u16 {
        let body = sync::wire::encode(&sync::wire::RepairRequest {
            v: sync::wire::VERSION,
            scope: scope.to_owned(),
            doc,
            message: message.into(),
        })
        .unwrap();
        let request = Request {
            method: sync::engine::Method::Post,
            path: "/v1/repair".into(),
            body,
            range_from: None,
            kind: RequestKind::Repair,
        };
        match runtime.block_on(transport.send(&request, &harness.token, Duration::from_secs(10))) {
            Ok(response) => response.status,
            Err(TransportError::Cut { reason, .. }) => panic!("{reason}"),
            Err(error) => panic!("{error}"),
        }
    };
    let mut session = sync::repair::Repair::new();
    let first_round = session.message(&Document::new(sync::ActorId::from([7u8; 16]))).unwrap();
    assert_eq!(ask("instansi:LAIN", [1; 16], first_round.clone()), 403);
    assert_eq!(ask(&harness.scope, [1; 16], first_round.clone()), 404);
    // A document of the scope: answered (its id from the hub's own feed).
    let caller = harness.caller.clone();
    let batch = harness.hub.lock().unwrap().clone().feed(&caller, &harness.scope, None, 1 << 20).unwrap();
    let doc = batch.items[0].doc;
    assert_eq!(ask(&harness.scope, doc, first_round), 200);
    assert_eq!(ask(&harness.scope, doc, b"bukan pesan".to_vec()), 400);
}
