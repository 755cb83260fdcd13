//! The blob phases of a run (sync.md §5.7): the upload of local blobs before the push, and the download of
//! referenced blobs after the pull and the repairs.
//!
//! - **Upload** (before the push, and a late pass after it for blobs queued meanwhile). Per blob:
//!   `GET /v1/blob/{sha256}?size=` tells the hub's chunk size and which chunks it holds;
//!   each missing chunk goes up with `PUT /v1/blob/{sha256}/{index}`, whose answer is the new status. A cut (or a
//!   lost upload, answered 400) sends the engine back to the status, so a chunk that reached the hub is never sent
//!   again; the upload is done when the hub answers `complete` (it has checked the whole SHA-256).
//! - **Download.** Per blob: `GET /v1/blob/{sha256}/content`, with `Range: bytes=N-` when `N` bytes were kept from
//!   an earlier cut (in this run or a former one: the replica keeps them durably). The whole content is checked
//!   against the SHA-256 before it is stored; a mismatch drops everything received, is reported, and is never
//!   stored. A 416 (what was kept is not a prefix any more) starts the blob over; a 404 marks it `missing`.
//!
//! What it does not do: decide which blobs to move (the replica lists them) or keep anything across runs itself.

use std::collections::VecDeque;

use sha2::{Digest, Sha256};

use super::{
    BlobToDownload, BlobToUpload, Local, MAX_BLOB_ATTEMPTS, MAX_BLOB_DOWNLOADS, MAX_BLOB_UPLOADS, Method, Outcome,
    Request, RequestKind, Summary, SyncError, item_refusal, local_error, protocol_error,
};
use crate::blob;
use crate::wire::{self, BlobStatus, HashBytes};

/// The upload phase: the queue of blobs and the one in progress.
#[derive(Debug, Default)]
pub(super) struct Uploads {
    /// Read from the replica when the phase starts.
    queue: Option<VecDeque<BlobToUpload>>,
    current: Option<Upload>,
    /// The pass after the push: blobs queued while the run pushed (those that failed this run are left out).
    late: bool,
}

/// One blob going up.
#[derive(Debug)]
struct Upload {
    sha256: HashBytes,
    content: Vec<u8>,
    /// What the hub last said it holds; `None` until asked (again).
    status: Option<BlobStatus>,
    /// Status requests so far in this run.
    asked: u32,
}

impl Uploads {
    /// The pass after the push.
    pub(super) fn late() -> Uploads {
        Uploads { late: true, ..Uploads::default() }
    }

    /// Whether this is the pass after the push.
    pub(super) fn is_late(&self) -> bool {
        self.late
    }

    /// The next request of the phase, or `None` when it is over.
    pub(super) fn poll<L: Local>(
        &mut self,
        local: &mut L,
        summary: &mut Summary,
    ) -> Result<Option<Request>, SyncError> {
        if self.queue.is_none() {
            let mut queue = local.blobs_to_upload(MAX_BLOB_UPLOADS).map_err(local_error)?;
            // What failed this run fails again: leave it to the next run.
            queue.retain(|blob| !summary.blob_failures.iter().any(|(failed, _)| *failed == blob.sha256));
            self.queue = Some(queue.into());
        }
        loop {
            if self.current.is_none() {
                let Some(next) = self.queue.as_mut().and_then(VecDeque::pop_front) else { return Ok(None) };
                match local.blob_content(&next.sha256) {
                    Ok(content) => {
                        self.current = Some(Upload { sha256: next.sha256, content, status: None, asked: 0 });
                    }
                    Err(error) => {
                        summary.blob_failures.push((
                            next.sha256,
                            format!("isi berkas di replika tidak terbaca ({error}); lampirkan berkasnya lagi"),
                        ));
                        continue;
                    }
                }
            }
            let Some(upload) = self.current.as_mut() else { continue };
            let hex = blob::hex(&upload.sha256);
            let size = upload.content.len() as u64;
            let Some(status) = &upload.status else {
                if upload.asked >= MAX_BLOB_ATTEMPTS {
                    summary.blob_failures.push((
                        upload.sha256,
                        format!(
                            "unggahan terputus {MAX_BLOB_ATTEMPTS} kali; dilanjutkan dari potongan terakhir pada \
                             sinkronisasi berikutnya"
                        ),
                    ));
                    self.current = None;
                    continue;
                }
                upload.asked += 1;
                return Ok(Some(Request {
                    method: Method::Get,
                    path: format!("/v1/blob/{hex}?size={size}"),
                    body: Vec::new(),
                    range_from: None,
                    kind: RequestKind::BlobStatus,
                }));
            };
            let chunk_size = u64::from(status.chunk_size);
            let count = u32::try_from(size.div_ceil(chunk_size))
                .map_err(|_| SyncError::Protocol(format!("blob {hex}: ukuran potongan {chunk_size} terlalu kecil")))?;
            let Some(index) = (0..count).find(|index| !status.have.contains(index)) else {
                // Every chunk is there but the hub did not say complete: ask again (bounded by `asked`).
                upload.status = None;
                continue;
            };
            let start = usize::try_from(u64::from(index) * chunk_size).unwrap_or(usize::MAX);
            let end =
                usize::try_from((u64::from(index) + 1) * chunk_size).unwrap_or(usize::MAX).min(upload.content.len());
            let body = upload.content.get(start..end).map(<[u8]>::to_vec).unwrap_or_default();
            return Ok(Some(Request {
                method: Method::Put,
                path: format!("/v1/blob/{hex}/{index}"),
                body,
                range_from: None,
                kind: RequestKind::BlobChunk { index, count },
            }));
        }
    }

    /// Takes the outcome of the phase's request `kind` (whose body was `sent` bytes).
    pub(super) fn handle<L: Local>(
        &mut self,
        local: &mut L,
        summary: &mut Summary,
        kind: RequestKind,
        sent: usize,
        outcome: Outcome,
    ) -> Result<(), SyncError> {
        let Some(upload) = self.current.as_mut() else {
            return Err(SyncError::Protocol("jawaban tanpa unggahan blob".into()));
        };
        let response = match outcome {
            // Whether the chunk reached the hub is unknown: ask what it holds.
            Outcome::Cut { .. } => {
                upload.status = None;
                return Ok(());
            }
            Outcome::Response(response) => response,
        };
        if !(200..300).contains(&response.status) {
            let (status, message) = item_refusal(&response)?;
            if matches!(kind, RequestKind::BlobChunk { .. }) && status == 400 {
                // The hub lost the upload, or discarded it because the assembled bytes did not hash right: ask
                // again, which starts it over (bounded by `asked`).
                upload.status = None;
                return Ok(());
            }
            summary.blob_failures.push((upload.sha256, format!("hub menolak unggahan ({status}): {message}")));
            self.current = None;
            return Ok(());
        }
        let status: BlobStatus = wire::decode(&response.body).map_err(protocol_error)?;
        let size = upload.content.len() as u64;
        if status.sha256 != upload.sha256 || status.size != size || (status.chunk_size == 0 && size > 0) {
            return Err(SyncError::Protocol(format!(
                "status blob {} tidak sesuai permintaan ({} byte, potongan {} byte)",
                blob::hex(&upload.sha256),
                status.size,
                status.chunk_size
            )));
        }
        if matches!(kind, RequestKind::BlobChunk { .. }) {
            summary.blob_bytes_sent += sent as u64;
        }
        if status.complete {
            local.blob_uploaded(&upload.sha256, size, true).map_err(local_error)?;
            summary.blobs_uploaded += 1;
            self.current = None;
        } else {
            let held: u64 = status
                .have
                .iter()
                .map(|&index| {
                    let start = u64::from(index) * u64::from(status.chunk_size);
                    size.saturating_sub(start).min(u64::from(status.chunk_size))
                })
                .sum();
            local.blob_uploaded(&upload.sha256, held.min(size), false).map_err(local_error)?;
            upload.status = Some(status);
        }
        Ok(())
    }
}

/// The download phase: the queue of blobs and the one in progress.
#[derive(Debug, Default)]
pub(super) struct Downloads {
    /// Read from the replica when the phase starts.
    queue: Option<VecDeque<BlobToDownload>>,
    current: Option<Download>,
}

/// One blob coming down.
#[derive(Debug)]
struct Download {
    sha256: HashBytes,
    /// The bytes received so far, from byte 0 (also kept by the replica).
    received: Vec<u8>,
    /// Requests so far in this run.
    asked: u32,
}

impl Downloads {
    /// The next request of the phase, or `None` when it is over.
    pub(super) fn poll<L: Local>(
        &mut self,
        local: &mut L,
        retry_missing: bool,
        summary: &mut Summary,
    ) -> Result<Option<Request>, SyncError> {
        if self.queue.is_none() {
            self.queue = Some(local.blobs_to_download(MAX_BLOB_DOWNLOADS, retry_missing).map_err(local_error)?.into());
        }
        loop {
            if self.current.is_none() {
                let Some(next) = self.queue.as_mut().and_then(VecDeque::pop_front) else { return Ok(None) };
                let received = if next.bytes_done > 0 {
                    local.blob_partial(&next.sha256).map_err(local_error)?
                } else {
                    Vec::new()
                };
                self.current = Some(Download { sha256: next.sha256, received, asked: 0 });
            }
            let Some(download) = self.current.as_mut() else { continue };
            if download.asked >= MAX_BLOB_ATTEMPTS {
                summary.blob_failures.push((
                    download.sha256,
                    format!(
                        "unduhan terputus {MAX_BLOB_ATTEMPTS} kali; dilanjutkan dari byte ke-{} pada sinkronisasi \
                         berikutnya",
                        download.received.len()
                    ),
                ));
                self.current = None;
                continue;
            }
            download.asked += 1;
            return Ok(Some(Request {
                method: Method::Get,
                path: format!("/v1/blob/{}/content", blob::hex(&download.sha256)),
                body: Vec::new(),
                range_from: (!download.received.is_empty()).then_some(download.received.len() as u64),
                kind: RequestKind::BlobContent,
            }));
        }
    }

    /// Takes the outcome of the phase's request.
    pub(super) fn handle<L: Local>(
        &mut self,
        local: &mut L,
        summary: &mut Summary,
        outcome: Outcome,
    ) -> Result<(), SyncError> {
        let Some(download) = self.current.as_mut() else {
            return Err(SyncError::Protocol("jawaban tanpa unduhan blob".into()));
        };
        let sha256 = download.sha256;
        let response = match outcome {
            Outcome::Cut { partial } => {
                // The tail of a 206 (or the start of a 200 when nothing was kept): the next request resumes after it.
                // Were it anything else, the hash check at the end refuses the whole and the blob starts over.
                if !partial.is_empty() {
                    let offset = download.received.len() as u64;
                    local.blob_received(&sha256, offset, &partial).map_err(local_error)?;
                    summary.blob_bytes_received += partial.len() as u64;
                    download.received.extend_from_slice(&partial);
                }
                return Ok(());
            }
            Outcome::Response(response) => response,
        };
        if !(200..300).contains(&response.status) {
            if response.status == 416 {
                // What was kept is not a prefix of the blob any more: start over (bounded by `asked`).
                local.blob_not_downloaded(&sha256, false).map_err(local_error)?;
                download.received.clear();
                return Ok(());
            }
            let (status, message) = item_refusal(&response)?;
            let missing = status == 404;
            local.blob_not_downloaded(&sha256, missing).map_err(local_error)?;
            let why = if missing {
                "hub belum menyediakan berkas ini (belum diunggah perangkat pengirimnya, atau tidak dirujuk dokumen \
                 di lingkup Anda); dicoba lagi pada sinkronisasi berikutnya"
                    .to_owned()
            } else {
                format!("hub menolak unduhan ({status}): {message}")
            };
            summary.blob_failures.push((sha256, why));
            self.current = None;
            return Ok(());
        }
        summary.blob_bytes_received += response.body.len() as u64;
        let whole = if response.status == 206 {
            let mut whole = std::mem::take(&mut download.received);
            whole.extend_from_slice(&response.body);
            whole
        } else {
            response.body
        };
        self.current = None;
        let actual: HashBytes = Sha256::digest(&whole).into();
        if actual == sha256 {
            local.blob_downloaded(&sha256, &whole).map_err(local_error)?;
            summary.blobs_downloaded += 1;
        } else {
            local.blob_not_downloaded(&sha256, false).map_err(local_error)?;
            summary.blob_failures.push((
                sha256,
                format!(
                    "isi unduhan ({} byte) tidak cocok dengan SHA-256-nya: dibuang, tidak disimpan; diunduh ulang pada \
                     sinkronisasi berikutnya",
                    whole.len()
                ),
            ));
        }
        Ok(())
    }
}
