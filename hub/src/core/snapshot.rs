//! Bootstrap snapshots of a scope (sync.md §5.4): immutable chunk files a new device loads before following the
//! feed.
//!
//! A build reads every document of the scope in one read transaction, together with the scope's head seq: the
//! cursor the snapshot is consistent at. Documents go, by doc id, into chunks of at most
//! `HubOptions::snapshot_chunk_documents`; each chunk file is `sync::wire::encode(&SnapshotChunk)` (CBOR + zstd)
//! whose documents carry their stored bytes: an automerge save without DEFLATE, possibly followed by the
//! incremental chunks written since (one byte string `Document::load` reads whole). zstd over a whole chunk
//! compresses far better than automerge's per-document DEFLATE columns. Files are written under a temporary
//! directory renamed to `<data_dir>/snapshots/<scope>/<epoch>-<seq>/` once complete, so a path the hub hands out
//! never changes content.
//!
//! Reuse policy: the newest build of the current epoch is served again while at most [`REUSE_MAX_LAG`] log
//! entries of the scope came after it; the device then reads those from the feed, which costs less than a
//! rebuild. Otherwise a new build is made. The two newest builds of the current epoch are kept (a device halfway
//! through the previous one can finish it); older ones and every build of an older epoch are deleted.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sync::wire::{ChunkInfo, Cursor, SnapshotChunk, SnapshotDocument, SnapshotManifest, VERSION};

use super::{Hub, HubError, lock};
use crate::storage::{SnapshotBuild, SnapshotChunkRecord};

/// A build is reused while at most this many log entries of its scope are newer than it.
pub const REUSE_MAX_LAG: u64 = 1000;

/// How many builds of the current epoch are kept per scope.
const KEEP_BUILDS: usize = 2;

fn io_error(what: &str, path: &Path, error: std::io::Error) -> HubError {
    HubError::Storage(format!("{what} {}: {error}", path.display()))
}

fn scope_dir(hub: &Hub, scope: &str) -> PathBuf {
    hub.inner.data_dir.join("snapshots").join(scope)
}

fn build_dir(hub: &Hub, scope: &str, epoch: u64, seq: u64) -> PathBuf {
    scope_dir(hub, scope).join(format!("{epoch}-{seq}"))
}

fn chunk_file(dir: &Path, index: u32) -> PathBuf {
    dir.join(format!("{index}.chunk"))
}

pub(super) fn manifest(hub: &Hub, scope: &str) -> Result<SnapshotManifest, HubError> {
    let storage = hub.inner.storage.as_ref();
    let _snapshots = lock(&hub.inner.snapshots);
    let state = storage.scope_state(scope)?;
    let reusable = storage.snapshot_builds(scope)?.into_iter().find(|build| build.epoch == state.epoch);
    let build = match reusable {
        Some(build)
            if storage.log_count_after(scope, build.seq)? <= REUSE_MAX_LAG
                && build
                    .chunks
                    .iter()
                    .all(|chunk| chunk_file(&build_dir(hub, scope, build.epoch, build.seq), chunk.index).is_file()) =>
        {
            build
        }
        _ => {
            let build = build(hub, scope)?;
            prune_locked(hub, scope, build.epoch)?;
            build
        }
    };
    Ok(SnapshotManifest {
        v: VERSION,
        scope: scope.to_owned(),
        cursor: Cursor { epoch: build.epoch, seq: build.seq }.encode(),
        chunks: build
            .chunks
            .iter()
            .map(|chunk| ChunkInfo {
                index: chunk.index,
                size: chunk.size,
                sha256: chunk.sha256,
                documents: chunk.documents,
            })
            .collect(),
    })
}

/// Builds a new snapshot of `scope` and records it.
fn build(hub: &Hub, scope: &str) -> Result<SnapshotBuild, HubError> {
    let storage = hub.inner.storage.as_ref();
    let per_chunk = hub.inner.options.snapshot_chunk_documents.max(1);
    let parent = scope_dir(hub, scope);
    fs::create_dir_all(&parent).map_err(|error| io_error("direktori snapshot", &parent, error))?;
    let temp = parent.join(format!(".build-{}", uuid::Uuid::new_v4()));
    fs::create_dir(&temp).map_err(|error| io_error("direktori snapshot", &temp, error))?;
    let mut chunks: Vec<SnapshotChunkRecord> = Vec::new();
    let mut documents: Vec<SnapshotDocument> = Vec::with_capacity(per_chunk);
    let result = storage.scope_documents(scope, &mut |stored| {
        documents.push(SnapshotDocument {
            doc: stored.doc,
            record: stored.record,
            save: stored.bytes.into(),
            heads: stored.heads,
        });
        if documents.len() >= per_chunk {
            chunks.push(write_chunk(&temp, chunks.len(), std::mem::take(&mut documents))?);
        }
        Ok(())
    });
    let state = match result {
        Ok(state) => state,
        Err(error) => {
            let _ = fs::remove_dir_all(&temp);
            return Err(error);
        }
    };
    if !documents.is_empty() {
        chunks.push(write_chunk(&temp, chunks.len(), documents)?);
    }
    let target = build_dir(hub, scope, state.epoch, state.head_seq);
    if target.exists() {
        // A build at the same cursor whose record was lost: the new files replace it.
        fs::remove_dir_all(&target).map_err(|error| io_error("snapshot lama", &target, error))?;
    }
    fs::rename(&temp, &target).map_err(|error| io_error("snapshot", &target, error))?;
    let build = SnapshotBuild { scope: scope.to_owned(), epoch: state.epoch, seq: state.head_seq, chunks };
    storage.insert_snapshot_build(&build)?;
    Ok(build)
}

/// Writes one chunk file (temporary name, then rename) and returns its record.
fn write_chunk(dir: &Path, index: usize, documents: Vec<SnapshotDocument>) -> Result<SnapshotChunkRecord, HubError> {
    let index = u32::try_from(index).map_err(|_| HubError::TooLarge("terlalu banyak potongan snapshot".to_owned()))?;
    let count = u32::try_from(documents.len()).unwrap_or(u32::MAX);
    let body = sync::wire::encode(&SnapshotChunk { v: VERSION, documents })
        .map_err(|error| HubError::Storage(format!("potongan snapshot tidak dapat disandikan: {error}")))?;
    let path = chunk_file(dir, index);
    let temp = dir.join(format!("{index}.chunk.tmp"));
    let mut file = fs::File::create(&temp).map_err(|error| io_error("potongan snapshot", &temp, error))?;
    file.write_all(&body)
        .and_then(|()| file.sync_all())
        .map_err(|error| io_error("potongan snapshot", &temp, error))?;
    fs::rename(&temp, &path).map_err(|error| io_error("potongan snapshot", &path, error))?;
    Ok(SnapshotChunkRecord { index, size: body.len() as u64, sha256: Sha256::digest(&body).into(), documents: count })
}

pub(super) fn chunk_path(hub: &Hub, scope: &str, cursor: &str, index: u32) -> Result<PathBuf, HubError> {
    let storage = hub.inner.storage.as_ref();
    let cursor = Cursor::decode(cursor)
        .map_err(|_| HubError::BadRequest(format!("kursor snapshot {cursor:?} tidak dikenal")))?;
    let state = storage.scope_state(scope)?;
    if cursor.epoch != state.epoch {
        return Err(HubError::MustRefetch { scope: scope.to_owned() });
    }
    let not_found =
        || HubError::NotFound(format!("potongan snapshot {index} untuk {scope} tidak ada; ambil manifest lagi"));
    let build = storage
        .snapshot_builds(scope)?
        .into_iter()
        .find(|build| build.epoch == cursor.epoch && build.seq == cursor.seq)
        .ok_or_else(not_found)?;
    if !build.chunks.iter().any(|chunk| chunk.index == index) {
        return Err(not_found());
    }
    let path = chunk_file(&build_dir(hub, scope, build.epoch, build.seq), index);
    if path.is_file() { Ok(path) } else { Err(not_found()) }
}

/// Deletes the builds of `scope` that are not among the newest [`KEEP_BUILDS`] of epoch `epoch`.
pub(super) fn prune(hub: &Hub, scope: &str, epoch: u64) -> Result<(), HubError> {
    let _snapshots = lock(&hub.inner.snapshots);
    prune_locked(hub, scope, epoch)
}

fn prune_locked(hub: &Hub, scope: &str, epoch: u64) -> Result<(), HubError> {
    let storage = hub.inner.storage.as_ref();
    let mut kept = 0;
    for build in storage.snapshot_builds(scope)? {
        if build.epoch == epoch && kept < KEEP_BUILDS {
            kept += 1;
            continue;
        }
        storage.delete_snapshot_build(scope, build.epoch, build.seq)?;
        let dir = build_dir(hub, scope, build.epoch, build.seq);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|error| io_error("snapshot lama", &dir, error))?;
        }
    }
    Ok(())
}
