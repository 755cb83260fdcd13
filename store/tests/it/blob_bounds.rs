//! Review findings: the blob phases trust a misbehaving hub too far (two unbounded loops, one panic).
//!
//! 1. The bytes a replica keeps of an interrupted blob download.
//!    A hub (malicious, or a broken proxy in front of it) that answers `GET /v1/blob/{sha256}/content` with a body
//!    and cuts the connection each time makes the engine append what arrived to `blob_part`
//!    (`sync/src/engine/blobs.rs`, `Downloads::handle`, `Outcome::Cut`), up to `MAX_BLOB_ATTEMPTS` times per run,
//!    and every later run resumes after those bytes and appends more: `record_blob_part` even raises the blob's
//!    `size` to match (`store/src/sync_state.rs`). Nothing compares the bytes kept with the size the referencing
//!    document gives, or with the hub's own limit (`hub::core::blob::MAX_BLOB_BYTES`, 64 MiB), so the replica file
//!    grows without limit for a blob referenced as 10 bytes. Expected: bytes beyond the referenced size (or beyond
//!    64 MiB when no size is given) are refused and the download starts over / is reported, never kept.
//!
//! 2. Chunk uploads that the hub acknowledges without progress (see the second test).
//! 3. A status with `chunk_size: 0` for an empty blob panics the engine (see the third test).

use sync::engine::{Engine, Outcome, Response, Step};
use sync::wire::{self, Cursor, FeedBatch, VERSION};

use store::replication::ReplicaSync;
use store::sync_state::{self, FeedCursor};

use crate::{TempDir, open};

const SCOPE: &str = "instansi:BLOB-BOUND";

/// The largest blob a hub accepts (`hub::core::blob::MAX_BLOB_BYTES`).
const MAX_BLOB_BYTES: i64 = 64 * 1024 * 1024;

fn clock() -> i64 {
    1_764_460_800_000
}

/// One engine run against a hub that cuts every blob download after `cut_after` bytes of garbage.
fn run(local: &mut ReplicaSync<'_>, cut_after: usize) {
    let mut engine = Engine::new(SCOPE);
    let cursor = Cursor { epoch: 1, seq: 1 }.encode();
    loop {
        match engine.poll(local).unwrap() {
            Step::Done => return,
            Step::Send(request) => {
                let outcome = match request.kind {
                    sync::engine::RequestKind::Feed => {
                        let batch = FeedBatch {
                            v: VERSION,
                            scope: SCOPE.into(),
                            items: Vec::new(),
                            next_cursor: cursor.clone(),
                            up_to_date: true,
                            server_time_ms: clock(),
                        };
                        Outcome::Response(Response { status: 200, body: wire::encode(&batch).unwrap() })
                    }
                    sync::engine::RequestKind::BlobContent => {
                        Outcome::Cut { partial: vec![0x5a; cut_after], from_start: false }
                    }
                    other => panic!("unexpected request {other:?}"),
                };
                engine.handle(local, outcome).unwrap();
            }
        }
    }
}

#[test]
fn a_cut_download_never_keeps_more_than_a_blob_can_hold() {
    let dir = TempDir::new("blob-bound");
    let replica = open(&dir);
    let hash = [7u8; 32];
    replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::want_blob(tx, &hash, 10, "image/jpeg")?;
            Ok(())
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let mut kept = Vec::new();
    // Five runs, each cut 16 times (MAX_BLOB_ATTEMPTS) after 1 MiB: 80 MiB kept for a blob referenced as 10 bytes,
    // past the largest blob a hub accepts.
    for _ in 0..5 {
        run(&mut local, 1 << 20);
        let bytes: i64 = replica
            .reader()
            .unwrap()
            .query_row("SELECT coalesce(sum(length(bytes)), 0) FROM blob_part WHERE sha256 = ?1", [&hash[..]], |row| {
                row.get(0)
            })
            .unwrap();
        kept.push(bytes);
    }
    let info = sync_state::blob(&replica.reader().unwrap(), &hash).unwrap().unwrap();
    assert!(
        kept.iter().all(|&bytes| bytes <= MAX_BLOB_BYTES),
        "bytes kept in blob_part after each run: {kept:?}; the blob's size is now {} (referenced as 10)",
        info.size
    );
}

#[test]
fn an_upload_that_makes_no_progress_ends_within_the_run() {
    let dir = TempDir::new("blob-upload-bound");
    let replica = open(&dir);
    let content = vec![1u8; 2_500];
    let hash = replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::put_blob(tx, &content, "image/jpeg")
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let mut engine = Engine::new(SCOPE);
    let status = wire::BlobStatus {
        v: VERSION,
        sha256: hash,
        size: content.len() as u64,
        chunk_size: 1_000,
        have: Vec::new(),
        complete: false,
    };
    let mut chunk_puts = 0;
    loop {
        match engine.poll(&mut local).unwrap() {
            Step::Done => break,
            Step::Send(request) => {
                let outcome = match request.kind {
                    sync::engine::RequestKind::BlobStatus => {
                        Outcome::Response(Response { status: 200, body: wire::encode(&status).unwrap() })
                    }
                    sync::engine::RequestKind::BlobChunk { .. } => {
                        chunk_puts += 1;
                        assert!(chunk_puts <= 1_000, "{chunk_puts} chunk uploads of a 3-chunk blob in one run");
                        Outcome::Response(Response { status: 200, body: wire::encode(&status).unwrap() })
                    }
                    // The rest of the run does not matter here: stop it.
                    _ => break,
                };
                engine.handle(&mut local, outcome).unwrap();
            }
        }
    }
}

/// Review finding: a status with `chunk_size: 0` for an empty blob passes the engine's check (`chunk_size == 0 &&
/// size > 0`), is stored, and the next poll divides the size by it (`size.div_ceil(chunk_size)` in
/// `Uploads::poll`): a panic on the hub's bytes instead of a protocol error.
#[test]
fn a_zero_chunk_size_from_the_hub_is_a_protocol_error_not_a_panic() {
    let dir = TempDir::new("blob-zero-chunk");
    let replica = open(&dir);
    let hash = replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::put_blob(tx, b"", "text/plain")
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let mut engine = Engine::new(SCOPE);
    let status =
        wire::BlobStatus { v: VERSION, sha256: hash, size: 0, chunk_size: 0, have: Vec::new(), complete: false };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(), String> {
        for _ in 0..10 {
            match engine.poll(&mut local).map_err(|error| error.to_string())? {
                Step::Done => return Ok(()),
                Step::Send(request) => {
                    let outcome = match request.kind {
                        sync::engine::RequestKind::BlobStatus => {
                            Outcome::Response(Response { status: 200, body: wire::encode(&status).unwrap() })
                        }
                        _ => return Ok(()),
                    };
                    engine.handle(&mut local, outcome).map_err(|error| error.to_string())?;
                }
            }
        }
        Ok(())
    }));
    assert!(outcome.is_ok(), "the engine panicked on a hub status with chunk_size 0");
}

/// One engine run (`live` or not) against a hub whose blob downloads are answered by `answer` (given the request's
/// Range start); returns the Range starts the engine asked for.
fn run_with(
    local: &mut ReplicaSync<'_>,
    live: bool,
    mut answer: impl FnMut(Option<u64>) -> Outcome,
) -> Vec<Option<u64>> {
    let mut engine = if live { Engine::live(SCOPE, 0) } else { Engine::new(SCOPE) };
    let cursor = Cursor { epoch: 1, seq: 1 }.encode();
    let mut asked = Vec::new();
    loop {
        match engine.poll(local).unwrap() {
            Step::Done => return asked,
            Step::Send(request) => {
                let outcome = match request.kind {
                    sync::engine::RequestKind::Feed => {
                        let batch = FeedBatch {
                            v: VERSION,
                            scope: SCOPE.into(),
                            items: Vec::new(),
                            next_cursor: cursor.clone(),
                            up_to_date: true,
                            server_time_ms: clock(),
                        };
                        Outcome::Response(Response { status: 200, body: wire::encode(&batch).unwrap() })
                    }
                    sync::engine::RequestKind::BlobContent => {
                        asked.push(request.range_from);
                        answer(request.range_from)
                    }
                    other => panic!("unexpected request {other:?}"),
                };
                engine.handle(local, outcome).unwrap();
            }
        }
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

#[test]
fn a_whole_answer_longer_than_the_referenced_size_is_refused_not_stored() {
    let dir = TempDir::new("blob-too-long");
    let replica = open(&dir);
    let content = b"0123456789".to_vec();
    let hash = sha256(&content);
    replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::want_blob(tx, &hash, 10, "image/jpeg")?;
            Ok(())
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let asked = run_with(&mut local, false, |_| Outcome::Response(Response { status: 200, body: vec![1; 11] }));
    assert_eq!(asked, vec![None], "one request, then the blob is reported");
    let info = sync_state::blob(&replica.reader().unwrap(), &hash).unwrap().unwrap();
    assert!(!info.has_content);
    assert_eq!((info.bytes_done, info.size), (0, 10));
}

#[test]
fn wrong_bytes_are_not_asked_for_again_by_live_runs_and_given_up_after_a_few() {
    let dir = TempDir::new("blob-mismatch");
    let replica = open(&dir);
    let hash = sha256(b"the real photo");
    replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::want_blob(tx, &hash, 14, "image/jpeg")?;
            Ok(())
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let wrong = |_| Outcome::Response(Response { status: 200, body: b"a forged photo".to_vec() });
    assert_eq!(run_with(&mut local, true, wrong).len(), 1, "the first live run tries it");
    assert!(run_with(&mut local, true, wrong).is_empty(), "later live runs leave it alone");
    let mut ordinary = 0;
    for _ in 0..5 {
        ordinary += run_with(&mut local, false, wrong).len();
    }
    assert_eq!(ordinary, sync_state::MAX_BLOB_MISMATCHES as usize - 1, "given up after a few wrong downloads");
    let info = sync_state::blob(&replica.reader().unwrap(), &hash).unwrap().unwrap();
    assert!(!info.has_content);
}

#[test]
fn a_cut_after_a_whole_answer_to_a_range_request_replaces_what_was_kept() {
    let dir = TempDir::new("blob-200-cut");
    let replica = open(&dir);
    let content = b"0123456789abcdef".to_vec();
    let hash = sha256(&content);
    replica
        .write(|tx| {
            sync_state::set_cursor(tx, SCOPE, FeedCursor { epoch: 1, seq: 1 }, clock())?;
            sync_state::want_blob(tx, &hash, 16, "image/jpeg")?;
            Ok(())
        })
        .unwrap();
    let mut local = ReplicaSync::new(&replica, clock);
    let asked = run_with(&mut local, false, |from| match from {
        // A 206 cut after 4 bytes.
        None => Outcome::Cut { partial: content[..4].to_vec(), from_start: false },
        // The hub ignores the Range: a 200 from byte 0, cut after 6 bytes.
        Some(4) => Outcome::Cut { partial: content[..6].to_vec(), from_start: true },
        Some(from) => {
            let from = usize::try_from(from).unwrap();
            Outcome::Response(Response { status: 206, body: content[from..].to_vec() })
        }
    });
    assert_eq!(asked, vec![None, Some(4), Some(6)]);
    assert_eq!(sync_state::get_blob(&replica.reader().unwrap(), &hash).unwrap(), content);
}
