//! The sync bookkeeping tables: feed cursors per scope (forward only), the outbox written with each local change
//! and drained by the hub's answers, and blobs addressed by SHA-256 whose content and state always agree.

use serde_json::json;
use sha2::{Digest, Sha256};
use store::document::{self, Kind};
use store::sync_state::{self, BlobInfo, BlobState, FeedCursor};
use store::{Error, Replica};
use sync::Document;
use uuid::Uuid;

use crate::{TempDir, open};

const SCOPE: &str = "instansi:A5EB03E23CCCF6A0E040640A040252AD";
const OTHER_SCOPE: &str = "instansi:8AE483A8641A6FE501641E2C9E5D1A2B";

fn at(epoch: i64, seq: i64) -> FeedCursor {
    FeedCursor { epoch, seq }
}

fn cursor(replica: &Replica, scope: &str) -> Option<FeedCursor> {
    sync_state::cursor(&replica.reader().unwrap(), scope).unwrap()
}

fn set(replica: &Replica, scope: &str, to: FeedCursor) -> bool {
    replica.write(|tx| sync_state::set_cursor(tx, scope, to, 1_000)).unwrap()
}

#[test]
fn a_cursor_per_scope_only_moves_forward() {
    let dir = TempDir::new("cursor");
    let replica = open(&dir);
    assert_eq!(cursor(&replica, SCOPE), None);

    assert!(set(&replica, SCOPE, at(1, 10)));
    assert!(set(&replica, OTHER_SCOPE, at(4, 2)));
    assert_eq!(cursor(&replica, SCOPE), Some(at(1, 10)));
    assert_eq!(cursor(&replica, OTHER_SCOPE), Some(at(4, 2)));

    // Advancing within the epoch, and repeating the same cursor (a replayed batch), are accepted.
    assert!(set(&replica, SCOPE, at(1, 25)));
    assert!(set(&replica, SCOPE, at(1, 25)));
    assert_eq!(cursor(&replica, SCOPE), Some(at(1, 25)));
    // Behind it — an older seq, or an older epoch with a larger seq — is ignored.
    assert!(!set(&replica, SCOPE, at(1, 24)));
    assert!(!set(&replica, SCOPE, at(0, 999)));
    assert_eq!(cursor(&replica, SCOPE), Some(at(1, 25)));
    // A newer epoch starts over at a small seq.
    assert!(set(&replica, SCOPE, at(2, 1)));
    assert_eq!(cursor(&replica, SCOPE), Some(at(2, 1)));
    // The other scope never moved.
    assert_eq!(cursor(&replica, OTHER_SCOPE), Some(at(4, 2)));

    // The cursor commits with the batch it follows: a batch that fails leaves it where it was.
    let failed = replica.write(|tx| -> store::Result<()> {
        assert!(sync_state::set_cursor(tx, SCOPE, at(2, 40), 2_000)?);
        Err(Error::Shape("the batch did not apply".into()))
    });
    assert!(failed.is_err());
    assert_eq!(cursor(&replica, SCOPE), Some(at(2, 1)));

    // must-refetch: forgotten, then the re-bootstrap's cursor is taken whatever it is.
    assert!(replica.write(|tx| sync_state::forget_cursor(tx, SCOPE)).unwrap());
    assert!(!replica.write(|tx| sync_state::forget_cursor(tx, SCOPE)).unwrap());
    assert_eq!(cursor(&replica, SCOPE), None);
    assert!(set(&replica, SCOPE, at(1, 3)));
    assert_eq!(cursor(&replica, SCOPE), Some(at(1, 3)));
    assert_eq!(cursor(&replica, OTHER_SCOPE), Some(at(4, 2)));
}

/// A new pegawai document with one change, inserted at `now_ms`. Returns (rowid, document).
fn insert_document(replica: &Replica, nama: &str, now_ms: i64) -> (i64, Document) {
    let mut doc = Document::new(replica.actor().clone());
    doc.reconcile(&json!({"data_utama": {"nip": "198001012005011001", "nama": nama}}), Some("baru"), now_ms).unwrap();
    let rowid =
        replica.write(|tx| document::insert(tx, Uuid::now_v7(), Kind::Pegawai, Some(SCOPE), &doc, now_ms)).unwrap();
    (rowid, doc)
}

/// An officer's edit of the document at `rowid`: a change to `nama`, stored with [`document::append`].
fn edit(tx: &rusqlite::Transaction<'_>, rowid: i64, doc: &mut Document, nama: &str, now_ms: i64) -> store::Result<()> {
    let before = doc.heads();
    doc.reconcile(&json!({"data_utama": {"nip": "198001012005011001", "nama": nama}}), Some("ubah"), now_ms).unwrap();
    document::append(tx, rowid, doc, &before, now_ms)
}

/// An outbox row: (document rowid, change hash, created at, attempts, last error).
type Pending = (i64, [u8; 32], i64, i64, Option<String>);

fn pending(replica: &Replica) -> Vec<Pending> {
    sync_state::outbox(&replica.reader().unwrap(), 100)
        .unwrap()
        .into_iter()
        .map(|item| (item.document_rowid, item.change_hash, item.created_at, item.attempts, item.last_error))
        .collect()
}

#[test]
fn an_edit_and_its_outbox_row_commit_or_roll_back_together() {
    let dir = TempDir::new("outbox-tx");
    let replica = open(&dir);
    let (rowid, mut doc) = insert_document(&replica, "ANI", 1_000);
    let first = doc.heads()[0].0;
    assert_eq!(pending(&replica), [(rowid, first, 1_000, 0, None)]);

    // An edit whose transaction fails after the change was stored: neither the change nor its outbox row stay.
    let failed = replica.write(|tx| {
        edit(tx, rowid, &mut doc, "ANI SUSANTI", 2_000)?;
        assert_eq!(sync_state::outbox_size(tx).unwrap(), (2, 1));
        Err::<(), _>(Error::Shape("disk full".into()))
    });
    assert!(failed.is_err());
    assert_eq!(pending(&replica), [(rowid, first, 1_000, 0, None)]);
    let (_, stored) = document::load(&replica.reader().unwrap(), rowid).unwrap();
    assert_eq!(stored.heads().iter().map(|head| head.0).collect::<Vec<_>>(), [first]);

    // The same edit committed: one new outbox row, keyed by the new change's hash.
    let (rowid, mut doc) = (rowid, stored);
    replica.write(|tx| edit(tx, rowid, &mut doc, "ANI SUSANTI", 3_000)).unwrap();
    let second = doc.heads()[0].0;
    assert_ne!(second, first);
    assert_eq!(pending(&replica), [(rowid, first, 1_000, 0, None), (rowid, second, 3_000, 0, None)]);
    assert_eq!(sync_state::outbox_size(&replica.reader().unwrap()).unwrap(), (2, 1));
}

#[test]
fn the_outbox_drains_on_applied_or_duplicate_and_counts_failed_attempts() {
    let dir = TempDir::new("outbox-drain");
    let replica = open(&dir);
    // Inserted out of time order: the outbox hands them out oldest first, then by document.
    let (late, late_doc) = insert_document(&replica, "LATE", 5_000);
    let (early, early_doc) = insert_document(&replica, "EARLY", 1_000);
    let (same_time, same_time_doc) = insert_document(&replica, "SAME TIME", 5_000);
    let hash = |doc: &Document| doc.heads()[0].0;
    let (late_hash, early_hash, same_time_hash) = (hash(&late_doc), hash(&early_doc), hash(&same_time_doc));
    assert!(late < same_time);
    assert_eq!(
        pending(&replica),
        [
            (early, early_hash, 1_000, 0, None),
            (late, late_hash, 5_000, 0, None),
            (same_time, same_time_hash, 5_000, 0, None)
        ]
    );
    let first_two: Vec<[u8; 32]> =
        sync_state::outbox(&replica.reader().unwrap(), 2).unwrap().into_iter().map(|item| item.change_hash).collect();
    assert_eq!(first_two, [early_hash, late_hash]);

    // The hub refused one (network or rejected): it stays, with the attempt counted and the last reason kept.
    replica.write(|tx| sync_state::record_attempt(tx, &late_hash, "timeout")).unwrap();
    replica.write(|tx| sync_state::record_attempt(tx, &late_hash, "ditolak: golongan hanya oleh BKN")).unwrap();
    assert_eq!(pending(&replica)[1], (late, late_hash, 5_000, 2, Some("ditolak: golongan hanya oleh BKN".to_owned())));

    // applied / duplicate: removed; an answer for a hash already gone removes nothing.
    let removed = replica.write(|tx| sync_state::remove_from_outbox(tx, &[early_hash, same_time_hash])).unwrap();
    assert_eq!(removed, 2);
    assert_eq!(replica.write(|tx| sync_state::remove_from_outbox(tx, &[early_hash])).unwrap(), 0);
    assert_eq!(pending(&replica), [(late, late_hash, 5_000, 2, Some("ditolak: golongan hanya oleh BKN".to_owned()))]);
    assert_eq!(sync_state::outbox_size(&replica.reader().unwrap()).unwrap(), (1, 1));
    // Removal rolls back with its transaction (the answer was not recorded).
    let failed = replica.write(|tx| {
        sync_state::remove_from_outbox(tx, &[late_hash])?;
        Err::<(), _>(Error::Shape("crash".into()))
    });
    assert!(failed.is_err());
    assert_eq!(sync_state::outbox_size(&replica.reader().unwrap()).unwrap(), (1, 1));
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn info(replica: &Replica, hash: &[u8; 32]) -> Option<BlobInfo> {
    sync_state::blob(&replica.reader().unwrap(), hash).unwrap()
}

fn blob_info(size: i64, state: BlobState, bytes_done: i64, has_content: bool) -> Option<BlobInfo> {
    Some(BlobInfo { size, mime: "application/pdf".into(), state, bytes_done, has_content })
}

#[test]
fn a_local_blob_is_stored_by_its_sha256_verified_on_read_and_uploaded() {
    let dir = TempDir::new("blob-local");
    let replica = open(&dir);
    let content = b"%PDF-1.7 SK kenaikan pangkat".to_vec();
    let hash = replica.write(|tx| sync_state::put_blob(tx, &content, "application/pdf")).unwrap();
    assert_eq!(hash, sha256(&content));
    assert_eq!(info(&replica, &hash), blob_info(28, BlobState::QueuedUpload, 0, true));
    assert_eq!(sync_state::get_blob(&replica.reader().unwrap(), &hash).unwrap(), content);

    // Upload progress, then done.
    replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::QueuedUpload, 16)).unwrap();
    assert_eq!(info(&replica, &hash), blob_info(28, BlobState::QueuedUpload, 16, true));
    replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::Synced, 28)).unwrap();
    assert_eq!(info(&replica, &hash), blob_info(28, BlobState::Synced, 28, true));
    // The same bytes again: nothing changes (not queued for upload again).
    assert_eq!(replica.write(|tx| sync_state::put_blob(tx, &content, "application/pdf")).unwrap(), hash);
    assert_eq!(info(&replica, &hash), blob_info(28, BlobState::Synced, 28, true));

    // States that claim the content is absent, progress beyond the size, and unknown blobs are refused.
    let refused = replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::QueuedDownload, 0));
    assert!(matches!(refused, Err(Error::Shape(_))), "{refused:?}");
    let refused = replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::Synced, 29));
    assert!(matches!(refused, Err(Error::Shape(_))), "{refused:?}");
    let unknown = sha256(b"tidak ada");
    let refused = replica.write(|tx| sync_state::set_blob_state(tx, &unknown, BlobState::Synced, 0));
    assert!(matches!(refused, Err(Error::NotFound(_))), "{refused:?}");
    assert!(matches!(sync_state::get_blob(&replica.reader().unwrap(), &unknown), Err(Error::NotFound(_))));
    assert_eq!(info(&replica, &unknown), None);

    // Bytes that no longer hash to their address (a damaged file) are never returned.
    replica
        .write(|tx| {
            tx.execute("UPDATE blob SET content = ?2 WHERE sha256 = ?1", rusqlite::params![hash.as_slice(), b"rusak"])?;
            Ok(())
        })
        .unwrap();
    let damaged = sync_state::get_blob(&replica.reader().unwrap(), &hash);
    assert!(matches!(damaged, Err(Error::Shape(_))), "{damaged:?}");
}

#[test]
fn a_referenced_blob_is_downloaded_only_with_the_right_bytes() {
    let dir = TempDir::new("blob-download");
    let replica = open(&dir);
    let content = b"%PDF-1.4 ijazah S1".to_vec();
    let hash = sha256(&content);
    assert!(replica.write(|tx| sync_state::want_blob(tx, &hash, 18, "application/pdf")).unwrap());
    assert!(!replica.write(|tx| sync_state::want_blob(tx, &hash, 18, "application/pdf")).unwrap());
    assert_eq!(info(&replica, &hash), blob_info(18, BlobState::QueuedDownload, 0, false));
    assert!(matches!(sync_state::get_blob(&replica.reader().unwrap(), &hash), Err(Error::NotFound(_))));
    // A content-less blob cannot be called synced or local.
    for state in [BlobState::Synced, BlobState::Local, BlobState::QueuedUpload] {
        let refused = replica.write(|tx| sync_state::set_blob_state(tx, &hash, state, 0));
        assert!(matches!(refused, Err(Error::Shape(_))), "{state:?}: {refused:?}");
    }
    replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::QueuedDownload, 9)).unwrap();
    assert_eq!(info(&replica, &hash), blob_info(18, BlobState::QueuedDownload, 9, false));

    // Wrong bytes are rejected and nothing is written.
    let wrong = replica.write(|tx| sync_state::put_downloaded_blob(tx, &hash, b"%PDF-1.4 ijazah S2"));
    assert!(matches!(wrong, Err(Error::Shape(_))), "{wrong:?}");
    assert_eq!(info(&replica, &hash), blob_info(18, BlobState::QueuedDownload, 9, false));
    // Bytes of a blob nobody asked for are refused too.
    let stray = replica.write(|tx| sync_state::put_downloaded_blob(tx, &sha256(b"lain"), b"lain"));
    assert!(matches!(stray, Err(Error::NotFound(_))), "{stray:?}");

    // The hub did not have it: missing, then asked again.
    replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::Missing, 0)).unwrap();
    assert_eq!(info(&replica, &hash), blob_info(18, BlobState::Missing, 0, false));
    replica.write(|tx| sync_state::set_blob_state(tx, &hash, BlobState::QueuedDownload, 0)).unwrap();
    // The right bytes: stored, synced, readable.
    replica.write(|tx| sync_state::put_downloaded_blob(tx, &hash, &content)).unwrap();
    assert_eq!(info(&replica, &hash), blob_info(18, BlobState::Synced, 0, true));
    assert_eq!(sync_state::get_blob(&replica.reader().unwrap(), &hash).unwrap(), content);
}

#[test]
fn adding_the_bytes_of_a_referenced_blob_locally_fills_it_in() {
    let dir = TempDir::new("blob-fill");
    let replica = open(&dir);
    let on_hub = b"foto verifikasi lapangan".to_vec();
    let lost = b"foto yang hilang di hub".to_vec();
    replica.write(|tx| sync_state::want_blob(tx, &sha256(&on_hub), 24, "application/pdf")).unwrap();
    replica.write(|tx| sync_state::want_blob(tx, &sha256(&lost), 23, "application/pdf")).unwrap();
    replica.write(|tx| sync_state::set_blob_state(tx, &sha256(&lost), BlobState::Missing, 0)).unwrap();
    // The officer attaches the same files again (same bytes, same hash).
    replica.write(|tx| sync_state::put_blob(tx, &on_hub, "application/pdf")).unwrap();
    replica.write(|tx| sync_state::put_blob(tx, &lost, "application/pdf")).unwrap();
    // The hub has the first (synced); the second must go up again.
    assert_eq!(info(&replica, &sha256(&on_hub)), blob_info(24, BlobState::Synced, 0, true));
    assert_eq!(info(&replica, &sha256(&lost)), blob_info(23, BlobState::QueuedUpload, 0, true));
    assert_eq!(sync_state::get_blob(&replica.reader().unwrap(), &sha256(&lost)).unwrap(), lost);
}

#[test]
fn an_interrupted_download_keeps_its_parts_until_the_blob_is_stored_or_dropped() {
    let dir = TempDir::new("blob-parts");
    let replica = open(&dir);
    let content: Vec<u8> = (0..1_000u32).map(|n| (n % 251) as u8).collect();
    let hash = sha256(&content);
    // The referencing document said nothing of the size.
    replica.write(|tx| sync_state::want_blob(tx, &hash, 0, "image/jpeg")).unwrap();
    let queue = |include_missing| sync_state::download_queue(&replica.reader().unwrap(), 10, include_missing).unwrap();
    assert_eq!(queue(false), vec![sync_state::QueuedBlob { sha256: hash, size: 0, bytes_done: 0 }]);
    // Two cuts: 300 bytes, then 450 more; a part may be received again (a replayed tail replaces the old one).
    replica.write(|tx| sync_state::record_blob_part(tx, &hash, 0, &content[..300])).unwrap();
    replica.write(|tx| sync_state::record_blob_part(tx, &hash, 300, &content[300..700])).unwrap();
    replica.write(|tx| sync_state::record_blob_part(tx, &hash, 300, &content[300..750])).unwrap();
    // The size stays what the reference said (nothing): the parts never raise it, or it would bound the download.
    assert_eq!(info(&replica, &hash).map(|info| (info.bytes_done, info.size, info.has_content)), Some((750, 0, false)));
    assert_eq!(sync_state::blob_parts(&replica.reader().unwrap(), &hash).unwrap(), Some(content[..750].to_vec()));
    assert_eq!(queue(false)[0].bytes_done, 750);
    // A gap is refused.
    let gap = replica.write(|tx| sync_state::record_blob_part(tx, &hash, 800, &content[800..]));
    assert!(matches!(gap, Err(Error::Shape(_))), "{gap:?}");
    // Stored whole: the parts go.
    replica.write(|tx| sync_state::put_downloaded_blob(tx, &hash, &content)).unwrap();
    assert_eq!(
        info(&replica, &hash),
        Some(BlobInfo {
            size: 1_000,
            mime: "image/jpeg".into(),
            state: BlobState::Synced,
            bytes_done: 0,
            has_content: true
        })
    );
    assert_eq!(
        replica.reader().unwrap().query_row("SELECT count(*) FROM blob_part", [], |row| row.get::<_, i64>(0)).unwrap(),
        0
    );
    assert_eq!(queue(true), vec![]);

    // Another download dropped part-way (a hash mismatch): back to byte 0. A missing one is listed only on request,
    // after the ones waiting.
    let other = sha256(b"lain");
    let gone = sha256(b"hilang");
    replica.write(|tx| sync_state::want_blob(tx, &other, 4, "image/jpeg")).unwrap();
    replica.write(|tx| sync_state::want_blob(tx, &gone, 6, "image/jpeg")).unwrap();
    replica.write(|tx| sync_state::set_blob_state(tx, &gone, BlobState::Missing, 0)).unwrap();
    replica.write(|tx| sync_state::record_blob_part(tx, &other, 0, b"la")).unwrap();
    replica.write(|tx| sync_state::drop_blob_parts(tx, &other)).unwrap();
    assert_eq!(sync_state::blob_parts(&replica.reader().unwrap(), &other).unwrap(), Some(Vec::new()));
    assert_eq!(queue(false).iter().map(|blob| (blob.sha256, blob.bytes_done)).collect::<Vec<_>>(), vec![(other, 0)]);
    assert_eq!(queue(true).iter().map(|blob| blob.sha256).collect::<Vec<_>>(), vec![other, gone]);
    // Attaching the bytes here ends a download under way.
    replica.write(|tx| sync_state::record_blob_part(tx, &other, 0, b"la")).unwrap();
    replica.write(|tx| sync_state::put_blob(tx, b"lain", "image/jpeg")).unwrap();
    assert_eq!(info(&replica, &other).map(|info| (info.state, info.bytes_done)), Some((BlobState::Synced, 0)));
    assert_eq!(
        replica.reader().unwrap().query_row("SELECT count(*) FROM blob_part", [], |row| row.get::<_, i64>(0)).unwrap(),
        0
    );
    let counts = sync_state::blob_counts(&replica.reader().unwrap()).unwrap();
    assert_eq!(counts, vec![(BlobState::Missing, 1), (BlobState::Synced, 2)]);
}

#[test]
fn only_queued_uploads_are_offered_for_upload() {
    let dir = TempDir::new("blob-upload-queue");
    let replica = open(&dir);
    let queued = replica.write(|tx| sync_state::put_blob(tx, b"sk pangkat", "application/pdf")).unwrap();
    let kept = replica.write(|tx| sync_state::put_blob(tx, b"draf, simpan lokal", "application/pdf")).unwrap();
    replica.write(|tx| sync_state::set_blob_state(tx, &kept, BlobState::Local, 0)).unwrap();
    let done = replica.write(|tx| sync_state::put_blob(tx, b"sudah di hub", "application/pdf")).unwrap();
    replica.write(|tx| sync_state::set_blob_state(tx, &done, BlobState::Synced, 0)).unwrap();
    let upload = sync_state::upload_queue(&replica.reader().unwrap(), 10).unwrap();
    assert_eq!(upload, vec![sync_state::QueuedBlob { sha256: queued, size: 10, bytes_done: 0 }]);
}
