//! Blobs: attached scans (SK, ijazah, field-visit photos), content-addressed by SHA-256 (sync.md §5.7).
//!
//! Upload is chunked and resumable: [`status`] declares the blob's size (starting its upload) and lists the chunk
//! indexes the hub already holds; the client sends the others with [`put_chunk`], chunk `i` covering bytes
//! `[i × chunk_size, min((i + 1) × chunk_size, size))`. When the last chunk arrives the hub hashes the whole blob:
//! a mismatch discards every chunk ([`HubError::BadRequest`]); a match stores the blob. Any caller on the roster
//! may upload.
//!
//! Download ([`get`]) needs a document of a scope the caller reads that references the blob (a `"sha256"` member
//! holding its hex anywhere in the document). Knowing a hash is not enough to read a blob; but a device that
//! knows one could still write a reference into its own documents and then read it (no proof of possession yet,
//! sync.md §5.7): left for later.

use sha2::{Digest, Sha256};
use sync::wire::{BlobStatus, HashBytes, VERSION};

use super::{Caller, Hub, HubError, hex, lock};

/// The largest blob the hub accepts: 64 MiB, the limit the sync engine bounds its downloads by.
pub const MAX_BLOB_BYTES: u64 = sync::engine::MAX_BLOB_BYTES;

/// How many chunks a blob of `size` bytes has.
fn chunk_count(size: u64, chunk_size: u32) -> u64 {
    size.div_ceil(u64::from(chunk_size.max(1)))
}

fn complete(sha256: &HashBytes, size: u64, chunk_size: u32) -> BlobStatus {
    let count = u32::try_from(chunk_count(size, chunk_size)).unwrap_or(u32::MAX);
    BlobStatus { v: VERSION, sha256: *sha256, size, chunk_size, have: (0..count).collect(), complete: true }
}

pub(super) fn status(hub: &Hub, _caller: &Caller, sha256: &HashBytes, size: u64) -> Result<BlobStatus, HubError> {
    let storage = hub.inner.storage.as_ref();
    let chunk_size = hub.inner.options.blob_chunk_size.max(1);
    if size > MAX_BLOB_BYTES {
        return Err(HubError::TooLarge(format!("berkas {size} byte melebihi batas {MAX_BLOB_BYTES} byte")));
    }
    let _blobs = lock(&hub.inner.blobs);
    if let Some(stored) = storage.blob_size(sha256)? {
        if stored != size {
            return Err(HubError::BadRequest(format!("blob {} berukuran {stored} byte, bukan {size}", hex(sha256))));
        }
        return Ok(complete(sha256, size, chunk_size));
    }
    if size == 0 {
        // Nothing to upload: the empty blob is checked and stored at once.
        return finish(hub, sha256, 0, chunk_size, Vec::new());
    }
    let upload = match storage.blob_upload(sha256)? {
        Some(upload) if upload.size == size => upload,
        _ => {
            storage.start_blob_upload(sha256, size, chunk_size)?;
            crate::storage::BlobUpload { size, chunk_size, have: Vec::new() }
        }
    };
    Ok(BlobStatus {
        v: VERSION,
        sha256: *sha256,
        size,
        chunk_size: upload.chunk_size,
        have: upload.have,
        complete: false,
    })
}

pub(super) fn put_chunk(
    hub: &Hub,
    _caller: &Caller,
    sha256: &HashBytes,
    index: u32,
    bytes: &[u8],
) -> Result<BlobStatus, HubError> {
    let storage = hub.inner.storage.as_ref();
    let _blobs = lock(&hub.inner.blobs);
    if let Some(size) = storage.blob_size(sha256)? {
        return Ok(complete(sha256, size, hub.inner.options.blob_chunk_size.max(1)));
    }
    let upload = storage.blob_upload(sha256)?.ok_or_else(|| {
        HubError::BadRequest(format!("unggahan blob {} belum dimulai; minta status blob dulu", hex(sha256)))
    })?;
    let count = chunk_count(upload.size, upload.chunk_size);
    if u64::from(index) >= count {
        return Err(HubError::BadRequest(format!("potongan {index} di luar blob ({count} potongan)")));
    }
    let start = u64::from(index) * u64::from(upload.chunk_size);
    let expected = (upload.size - start).min(u64::from(upload.chunk_size));
    if bytes.len() as u64 != expected {
        return Err(HubError::BadRequest(format!("potongan {index} harus {expected} byte, bukan {}", bytes.len())));
    }
    storage.put_blob_chunk(sha256, index, bytes)?;
    let mut have = upload.have;
    if let Err(position) = have.binary_search(&index) {
        have.insert(position, index);
    }
    if have.len() as u64 == count {
        let mut whole = Vec::with_capacity(usize::try_from(upload.size).unwrap_or(0));
        for (_, chunk) in storage.blob_chunks(sha256)? {
            whole.extend_from_slice(&chunk);
        }
        return finish(hub, sha256, upload.size, upload.chunk_size, whole);
    }
    Ok(BlobStatus {
        v: VERSION,
        sha256: *sha256,
        size: upload.size,
        chunk_size: upload.chunk_size,
        have,
        complete: false,
    })
}

/// Checks the assembled blob against its hash and stores it, or discards the upload.
fn finish(hub: &Hub, sha256: &HashBytes, size: u64, chunk_size: u32, whole: Vec<u8>) -> Result<BlobStatus, HubError> {
    let storage = hub.inner.storage.as_ref();
    let actual: HashBytes = Sha256::digest(&whole).into();
    if actual != *sha256 || whole.len() as u64 != size {
        storage.finish_blob_upload(sha256, None)?;
        return Err(HubError::BadRequest(format!(
            "isi blob tidak cocok dengan SHA-256 {}; semua potongan dibuang, unggah ulang",
            hex(sha256)
        )));
    }
    storage.finish_blob_upload(sha256, Some(&whole))?;
    Ok(complete(sha256, size, chunk_size))
}

pub(super) fn get(hub: &Hub, caller: &Caller, sha256: &HashBytes) -> Result<Vec<u8>, HubError> {
    let storage = hub.inner.storage.as_ref();
    let not_found = || HubError::NotFound(format!("blob {} tidak ada di cakupan Anda", hex(sha256)));
    let scopes = caller.readable_scopes();
    if !storage.blob_referenced(sha256, scopes.as_deref())? {
        return Err(not_found());
    }
    storage.blob(sha256)?.ok_or_else(not_found)
}
