//! Blobs between two devices over the in-memory network: uploaded before the push that references them,
//! downloaded after the pull, resumed through cuts without sending or receiving a byte twice, refused when a byte
//! arrives wrong, and a reference nobody uploaded reported as missing and asked for again later.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hub::HubOptions;
use serde_json::json;
use store::document::{self, Kind};
use store::replication::ReplicaSync;
use store::sync_state::{self, BlobInfo, BlobState};
use sync::Document;
use sync::driver::{self, DriverOptions, Transport, TransportResult};
use sync::engine::{Engine, Request, RequestKind, Summary};
use uuid::Uuid;

use crate::network::{DeviceTransport, Faults};
use crate::{Setup, options, setup_with, sync, sync_with, token};

/// The hub's blob chunk size in these tests: small, so a blob has many chunks.
const CHUNK: u32 = 1_000;

fn hub_options() -> HubOptions {
    HubOptions { snapshot_chunk_documents: 50, blob_chunk_size: CHUNK, ..HubOptions::default() }
}

/// A scan of `len` bytes, different for each `seed`.
fn scan(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32).map(|n| (n.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8).collect()
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Device `index` records a verifikasi lapangan whose photo is `content`, in one transaction: the blob (queued for
/// upload, unless `keep_blob` is false: then only the reference is written), the document and its outbox row.
/// Returns the blob's hash.
fn attach(setup: &Setup, index: usize, content: &[u8], keep_blob: bool) -> [u8; 32] {
    let replica = &setup.devices[index].replica;
    let hash = sha256(content);
    replica
        .write(|tx| {
            if keep_blob {
                assert_eq!(sync_state::put_blob(tx, content, "image/jpeg")?, hash);
            }
            let mut doc = Document::new(replica.actor().clone());
            let value = json!({
                "id": format!("kunjungan-{}", sync::blob::hex(&hash[..4])),
                "nip": setup.pegawai[0].data_utama.nip.to_string(),
                "hasil": "ditemukan",
                "petugas": setup.devices[index].caller.nip,
                "waktu": "2026-12-01T02:30:00Z",
                "foto": [{"id": sync::blob::hex(&hash), "sha256": sync::blob::hex(&hash), "size": content.len(),
                          "mime": "image/jpeg", "name": "depan.jpg"}],
            });
            doc.reconcile(&value, Some("kunjungan lapangan"), 1_764_500_000_000)
                .map_err(|error| store::Error::Shape(error.to_string()))?;
            document::insert(
                tx,
                Uuid::now_v7(),
                Kind::VerifikasiLapangan,
                Some(&setup.scope),
                &doc,
                1_764_500_000_000,
            )?;
            Ok(hash)
        })
        .unwrap()
}

fn info(setup: &Setup, index: usize, hash: &[u8; 32]) -> Option<BlobInfo> {
    sync_state::blob(&setup.devices[index].replica.reader().unwrap(), hash).unwrap()
}

fn content(setup: &Setup, index: usize, hash: &[u8; 32]) -> Result<Vec<u8>, store::Error> {
    sync_state::get_blob(&setup.devices[index].replica.reader().unwrap(), hash)
}

fn parts(setup: &Setup, index: usize) -> i64 {
    let reader = setup.devices[index].replica.reader().unwrap();
    reader.query_row("SELECT count(*) FROM blob_part", [], |row| row.get(0)).unwrap()
}

/// Runs device `index` until `done` holds (at most `runs` runs, giving up runs included); the summaries of all runs.
fn sync_until(setup: &Setup, index: usize, runs: usize, done: &dyn Fn() -> bool) -> Vec<Summary> {
    let mut summaries = Vec::new();
    for _ in 0..runs {
        if let Ok(summary) = sync(setup, index) {
            summaries.push(summary);
        }
        if done() {
            return summaries;
        }
    }
    panic!("device {index} not done after {runs} runs: {summaries:?}")
}

#[test]
fn a_blob_goes_up_before_the_push_that_references_it_and_comes_down_to_the_other_device() {
    let setup = setup_with("blob-dasar", 10, 2, 31, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let photo = scan(4_500, 1);
    let hash = attach(&setup, 0, &photo, true);
    setup.network.reset_counters();

    let up = sync(&setup, 0).unwrap();
    assert_eq!((up.blobs_uploaded, up.blob_bytes_sent, up.pushed), (1, 4_500, 1), "{up:?}");
    let kinds: Vec<RequestKind> = setup.network.requests(0).into_iter().map(|(kind, _)| kind).collect();
    let mut expected = vec![RequestKind::BlobStatus];
    expected.extend((0..5).map(|index| RequestKind::BlobChunk { index, count: 5 }));
    expected.extend([RequestKind::Push, RequestKind::Feed]);
    assert_eq!(kinds, expected, "the blob went up whole before the push that references it");
    assert_eq!(info(&setup, 0, &hash).map(|info| (info.state, info.bytes_done)), Some((BlobState::Synced, 0)));

    let down = sync(&setup, 1).unwrap();
    assert_eq!((down.blobs_downloaded, down.blob_bytes_received, down.pulled_documents), (1, 4_500, 1), "{down:?}");
    assert_eq!(content(&setup, 1, &hash).unwrap(), photo);
    assert_eq!(info(&setup, 1, &hash).map(|info| info.state), Some(BlobState::Synced));
    assert!(down.blob_failures.is_empty());

    // Nothing is left to move: a sync of either device is the feed request alone.
    for device in 0..2 {
        setup.network.reset_counters();
        let noop = sync(&setup, device).unwrap();
        assert_eq!((noop.requests, noop.blobs_uploaded, noop.blobs_downloaded), (1, 0, 0), "device {device}");
    }
}

#[test]
fn blob_transfers_resume_through_cuts_and_never_move_a_byte_twice() {
    let setup = setup_with("blob-putus", 10, 2, 32, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let photo = scan(20_500, 2);
    let hash = attach(&setup, 0, &photo, true);
    let hex = sync::blob::hex(&hash);
    setup.network.reset_counters();
    setup.network.set_faults(Faults { cut_before: 0.15, cut_after: 0.15, cut_blob: 0.6, ..Faults::default() });

    // Up: chunks lost before the hub saw them are sent again; a chunk whose answer was lost is found in the
    // hub's status and is not.
    let ups = sync_until(&setup, 0, 20, &|| info(&setup, 0, &hash).is_some_and(|info| info.state == BlobState::Synced));
    assert_eq!(ups.iter().map(|summary| summary.blobs_uploaded).sum::<usize>(), 1);
    let delivered = setup.network.chunks_delivered();
    assert_eq!(delivered.len(), 21, "every chunk reached the hub");
    assert!(delivered.iter().all(|((blob, _), times)| *blob == hex && *times == 1), "{delivered:?}");
    let sends =
        setup.network.requests(0).iter().filter(|(kind, _)| matches!(kind, RequestKind::BlobChunk { .. })).count();
    let cuts_up = setup.network.counters().cuts;
    assert!(sends > 21 && cuts_up > 0, "the cuts hit the upload: {sends} chunk requests, {cuts_up} cuts");

    // Down: every cut part is kept and the download resumes after it by Range. First a run on a link that breaks
    // every download (it gives up after four), then a lossy one until the blob is there.
    setup.network.set_faults(Faults { cut_blob: 1.0, ..Faults::default() });
    assert!(sync_with(&setup, 1, &DriverOptions { max_failures: 4, ..options() }).is_err());
    let kept = info(&setup, 1, &hash).unwrap();
    assert!(kept.bytes_done > 0 && !kept.has_content, "{kept:?}");
    setup.network.set_faults(Faults { cut_before: 0.1, cut_after: 0.1, cut_blob: 0.5, ..Faults::default() });
    let downs =
        sync_until(&setup, 1, 20, &|| info(&setup, 1, &hash).is_some_and(|info| info.state == BlobState::Synced));
    assert_eq!(content(&setup, 1, &hash).unwrap(), photo);
    assert_eq!(downs.iter().map(|summary| summary.blobs_downloaded).sum::<usize>(), 1);
    assert_eq!(setup.network.counters().blob_bytes_down, 20_500, "each byte of the blob arrived once");
    let ranged: Vec<u64> = setup
        .network
        .requests(1)
        .iter()
        .filter(|(kind, _)| *kind == RequestKind::BlobContent)
        .filter_map(|(_, from)| *from)
        .collect();
    assert!(ranged.len() >= 3, "downloads resumed by Range: {ranged:?}");
    assert!(ranged.windows(2).all(|pair| pair[0] <= pair[1]), "resumed from ever further: {ranged:?}");
    assert_eq!(parts(&setup, 1), 0, "the kept parts went with the stored blob");
    println!("blobs through cuts: {sends} chunk requests for 21 chunks; downloads resumed from {ranged:?}");
}

#[test]
fn a_download_cut_in_one_run_resumes_from_the_kept_bytes_in_the_next() {
    let setup = setup_with("blob-lanjut", 10, 2, 33, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let photo = scan(9_000, 3);
    let hash = attach(&setup, 0, &photo, true);
    sync(&setup, 0).unwrap();
    // Every download breaks part-way, and the run gives up at the first failure.
    setup.network.set_faults(Faults { cut_blob: 1.0, ..Faults::default() });
    let stopped = sync_with(&setup, 1, &DriverOptions { max_failures: 1, ..options() });
    assert!(stopped.is_err(), "{stopped:?}");
    let kept = info(&setup, 1, &hash).unwrap();
    assert!(kept.bytes_done > 0 && kept.bytes_done < 9_000 && !kept.has_content, "{kept:?}");
    assert!(parts(&setup, 1) > 0);

    setup.network.set_faults(Faults::default());
    setup.network.reset_counters();
    let resumed = sync(&setup, 1).unwrap();
    assert_eq!(resumed.blobs_downloaded, 1);
    assert_eq!(resumed.blob_bytes_received, 9_000 - kept.bytes_done as u64, "only the rest came");
    let downloads: Vec<Option<u64>> = setup
        .network
        .requests(1)
        .into_iter()
        .filter(|(kind, _)| *kind == RequestKind::BlobContent)
        .map(|(_, from)| from)
        .collect();
    assert_eq!(downloads, vec![Some(kept.bytes_done as u64)]);
    assert_eq!(content(&setup, 1, &hash).unwrap(), photo);
}

#[test]
fn a_corrupted_download_is_refused_reported_and_never_stored() {
    let setup = setup_with("blob-rusak", 10, 2, 34, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let photo = scan(3_000, 4);
    let hash = attach(&setup, 0, &photo, true);
    sync(&setup, 0).unwrap();
    setup.network.set_faults(Faults { corrupt_blob: 1.0, ..Faults::default() });
    let refused = sync(&setup, 1).unwrap();
    assert_eq!(refused.blobs_downloaded, 0);
    assert_eq!(refused.blob_failures.len(), 1, "{refused:?}");
    assert_eq!(refused.blob_failures[0].0, hash);
    assert!(refused.blob_failures[0].1.contains("tidak cocok dengan SHA-256"), "{}", refused.blob_failures[0].1);
    assert!(matches!(content(&setup, 1, &hash), Err(store::Error::NotFound(_))), "nothing was stored");
    let waiting = info(&setup, 1, &hash).unwrap();
    assert_eq!((waiting.state, waiting.bytes_done, waiting.has_content), (BlobState::QueuedDownload, 0, false));
    assert_eq!(parts(&setup, 1), 0);
    assert_eq!(setup.network.counters().corrupted, 1);

    setup.network.set_faults(Faults::default());
    let stored = sync(&setup, 1).unwrap();
    assert_eq!((stored.blobs_downloaded, stored.blob_failures.len()), (1, 0));
    assert_eq!(content(&setup, 1, &hash).unwrap(), photo);
}

#[test]
fn a_reference_nobody_uploaded_is_reported_missing_and_fetched_once_it_is_there() {
    let setup = setup_with("blob-hilang", 10, 2, 35, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let photo = scan(2_500, 5);
    // The reference goes up; its blob does not (it was attached on another machine, say): the hub accepts it.
    let hash = attach(&setup, 0, &photo, false);
    let up = sync(&setup, 0).unwrap();
    assert_eq!((up.pushed, up.blobs_uploaded, up.rejected.len()), (1, 0, 0));
    let down = sync(&setup, 1).unwrap();
    assert_eq!(down.blob_failures.len(), 1, "{down:?}");
    assert!(down.blob_failures[0].1.contains("belum menyediakan"), "{}", down.blob_failures[0].1);
    assert_eq!(info(&setup, 1, &hash).map(|info| info.state), Some(BlobState::Missing));

    // Live mode's runs leave a missing blob alone: no request per long-poll for it.
    setup.network.reset_counters();
    let device = &setup.devices[1];
    let transport = setup.network.transport(1, device.caller.clone());
    let mut local = ReplicaSync::new(&device.replica, store::replication::system_clock);
    let mut engine = Engine::live(setup.scope.clone(), 0);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(driver::run(&mut engine, &mut local, &transport, &token(), &options(), &mut |_| {})).unwrap();
    assert!(!setup.network.requests(1).iter().any(|(kind, _)| *kind == RequestKind::BlobContent));

    // The scan is attached on device 0 after all: it goes up, and device 1's next ordinary run fetches it.
    setup.devices[0].replica.write(|tx| sync_state::put_blob(tx, &photo, "image/jpeg")).unwrap();
    assert_eq!(sync(&setup, 0).unwrap().blobs_uploaded, 1);
    let fetched = sync(&setup, 1).unwrap();
    assert_eq!((fetched.blobs_downloaded, fetched.blob_failures.len()), (1, 0));
    assert_eq!(content(&setup, 1, &hash).unwrap(), photo);
}

/// Device 0's transport, which attaches another photo (blob and document, as an officer would) the moment the
/// run's first push leaves.
struct AttachDuringPush<'a> {
    inner: DeviceTransport,
    setup: &'a Setup,
    photo: Vec<u8>,
    attached: AtomicBool,
}

impl Transport for AttachDuringPush<'_> {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move {
            if request.kind == RequestKind::Push && !self.attached.swap(true, Ordering::SeqCst) {
                attach(self.setup, 0, &self.photo, true);
            }
            self.inner.send(request, token, watchdog).await
        })
    }
}

#[test]
fn a_blob_attached_while_the_run_pushes_goes_up_in_the_same_run() {
    let setup = setup_with("blob-telat", 10, 2, 36, hub_options());
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let early = scan(1_500, 6);
    let late = scan(2_500, 7);
    let early_hash = attach(&setup, 0, &early, true);
    setup.network.reset_counters();
    let device = &setup.devices[0];
    let transport = AttachDuringPush {
        inner: setup.network.transport(0, device.caller.clone()),
        setup: &setup,
        photo: late.clone(),
        attached: AtomicBool::new(false),
    };
    let mut local = ReplicaSync::new(&device.replica, store::replication::system_clock);
    let mut engine = Engine::new(setup.scope.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let run =
        runtime.block_on(driver::run(&mut engine, &mut local, &transport, &token(), &options(), &mut |_| {})).unwrap();
    assert_eq!((run.blobs_uploaded, run.pushed), (2, 2), "{run:?}");
    let kinds: Vec<RequestKind> = setup.network.requests(0).into_iter().map(|(kind, _)| kind).collect();
    let mut expected = vec![RequestKind::BlobStatus];
    expected.extend((0..2).map(|index| RequestKind::BlobChunk { index, count: 2 }));
    // The first push took the early document; the late one was attached meanwhile and went in the second round,
    // and its blob right after, in the late pass.
    expected.extend([RequestKind::Push, RequestKind::Push, RequestKind::BlobStatus]);
    expected.extend((0..3).map(|index| RequestKind::BlobChunk { index, count: 3 }));
    expected.push(RequestKind::Feed);
    assert_eq!(kinds, expected);

    let down = sync(&setup, 1).unwrap();
    assert_eq!(down.blobs_downloaded, 2, "{down:?}");
    assert_eq!(content(&setup, 1, &early_hash).unwrap(), early);
    assert_eq!(content(&setup, 1, &sha256(&late)).unwrap(), late);
}
