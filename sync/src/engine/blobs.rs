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
    BlobToDownload, BlobToUpload, Local, MAX_BLOB_ATTEMPTS, MAX_BLOB_BYTES, MAX_BLOB_DOWNLOADS, MAX_BLOB_MISMATCHES,
    MAX_BLOB_UPLOADS, MAX_UPLOAD_STALLS, MIN_BLOB_CHUNK_BYTES, Method, Outcome, Request, RequestKind, Summary,
    SyncError, item_refusal, local_error, protocol_error,
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
    plan: Option<Plan>,
    /// Status requests so far in this run.
    asked: u32,
    /// Chunk uploads so far in this run.
    sent: u32,
    /// Chunk uploads the hub answered with success without then listing the chunk as held.
    stalled: u32,
}

/// What is left of an upload, as the hub's last status says.
#[derive(Debug)]
struct Plan {
    /// The hub's chunk size (checked: at least [`MIN_BLOB_CHUNK_BYTES`], or the whole blob).
    chunk_size: u64,
    /// Chunks in the blob.
    count: u32,
    /// The chunks the hub lacks, in order.
    missing: VecDeque<u32>,
}

impl Upload {
    /// Reads a status of the hub about this upload: its chunk size is checked (never 0, never so small that the
    /// blob has an absurd number of chunks) and the chunks it lacks are listed, in linear time.
    fn plan(&self, status: &BlobStatus) -> Result<Plan, SyncError> {
        let size = self.content.len() as u64;
        let hex = blob::hex(&self.sha256);
        if status.sha256 != self.sha256 || status.size != size {
            return Err(SyncError::Protocol(format!(
                "status blob {hex} tidak sesuai permintaan ({} byte, padahal {size} byte)",
                status.size
            )));
        }
        let chunk_size = u64::from(status.chunk_size);
        if chunk_size == 0 || (chunk_size < u64::from(MIN_BLOB_CHUNK_BYTES) && chunk_size < size) {
            return Err(SyncError::Protocol(format!(
                "status blob {hex}: ukuran potongan {chunk_size} byte tidak sah (minimal {MIN_BLOB_CHUNK_BYTES} \
                 byte, atau seluruh berkas)"
            )));
        }
        let count = u32::try_from(size.div_ceil(chunk_size))
            .map_err(|_| SyncError::Protocol(format!("blob {hex}: ukuran potongan {chunk_size} terlalu kecil")))?;
        let mut held = vec![false; count as usize];
        for &index in &status.have {
            if let Some(slot) = held.get_mut(index as usize) {
                *slot = true;
            }
        }
        let missing = (0..count).filter(|&index| !held.get(index as usize).copied().unwrap_or(false)).collect();
        Ok(Plan { chunk_size, count, missing })
    }

    /// Bytes of the blob the hub holds according to `plan`.
    fn held(&self, plan: &Plan) -> u64 {
        let size = self.content.len() as u64;
        let lacking: u64 = plan
            .missing
            .iter()
            .map(|&index| {
                let start = u64::from(index).saturating_mul(plan.chunk_size);
                size.saturating_sub(start).min(plan.chunk_size)
            })
            .sum();
        size.saturating_sub(lacking)
    }
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
                        self.current =
                            Some(Upload { sha256: next.sha256, content, plan: None, asked: 0, sent: 0, stalled: 0 });
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
            let Some(plan) = upload.plan.as_mut() else {
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
            let Some(index) = plan.missing.pop_front() else {
                // Every chunk is there but the hub did not say complete: ask again (bounded by `asked`).
                upload.plan = None;
                continue;
            };
            // Each chunk once, plus one resend per status asked (after a cut or a lost upload): more means the
            // hub acknowledges chunks it does not keep.
            if upload.sent >= plan.count.saturating_add(MAX_BLOB_ATTEMPTS) || upload.stalled >= MAX_UPLOAD_STALLS {
                summary.blob_failures.push((
                    upload.sha256,
                    format!(
                        "hub menerima {} potongan tetapi tidak menyimpannya; unggahan dihentikan, dicoba lagi pada \
                         sinkronisasi berikutnya",
                        upload.sent
                    ),
                ));
                self.current = None;
                continue;
            }
            upload.sent += 1;
            let chunk_size = plan.chunk_size;
            let start = usize::try_from(u64::from(index).saturating_mul(chunk_size)).unwrap_or(usize::MAX);
            let end = usize::try_from((u64::from(index) + 1).saturating_mul(chunk_size))
                .unwrap_or(usize::MAX)
                .min(upload.content.len());
            let body = upload.content.get(start..end).map(<[u8]>::to_vec).unwrap_or_default();
            return Ok(Some(Request {
                method: Method::Put,
                path: format!("/v1/blob/{hex}/{index}"),
                body,
                range_from: None,
                kind: RequestKind::BlobChunk { index, count: plan.count },
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
                upload.plan = None;
                return Ok(());
            }
            Outcome::TooLarge { limit } => {
                return Err(SyncError::Protocol(format!("jawaban hub atas unggahan blob melebihi {limit} byte")));
            }
            Outcome::Response(response) => response,
        };
        if !(200..300).contains(&response.status) {
            let (status, message) = item_refusal(&response)?;
            if matches!(kind, RequestKind::BlobChunk { .. }) && status == 400 {
                // The hub lost the upload, or discarded it because the assembled bytes did not hash right: ask
                // again, which starts it over (bounded by `asked`).
                upload.plan = None;
                return Ok(());
            }
            summary.blob_failures.push((upload.sha256, format!("hub menolak unggahan ({status}): {message}")));
            self.current = None;
            return Ok(());
        }
        let status: BlobStatus = wire::decode(&response.body).map_err(protocol_error)?;
        let plan = upload.plan(&status)?;
        let size = upload.content.len() as u64;
        if let RequestKind::BlobChunk { index, .. } = kind {
            summary.blob_bytes_sent += sent as u64;
            if !status.complete && plan.missing.contains(&index) {
                // A success that did not keep the chunk.
                upload.stalled += 1;
            }
        }
        if status.complete {
            local.blob_uploaded(&upload.sha256, size, true).map_err(local_error)?;
            summary.blobs_uploaded += 1;
            self.current = None;
        } else {
            local.blob_uploaded(&upload.sha256, upload.held(&plan), false).map_err(local_error)?;
            upload.plan = Some(plan);
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
    /// The most bytes the blob may have: its referenced size when known, else [`MAX_BLOB_BYTES`].
    expected: u64,
    /// The bytes received so far, from byte 0 (also kept by the replica).
    received: Vec<u8>,
    /// Requests so far in this run.
    asked: u32,
}

impl Downloads {
    /// The most body bytes the answer to the phase's request in flight may have: the whole blob (a hub that ignores
    /// the Range header answers it whole).
    pub(super) fn body_limit(&self) -> u64 {
        self.current.as_ref().map_or(MAX_BLOB_BYTES, |download| download.expected)
    }

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
                let expected = if next.size > 0 { next.size.min(MAX_BLOB_BYTES) } else { MAX_BLOB_BYTES };
                let mut received = if next.bytes_done > 0 {
                    local.blob_partial(&next.sha256).map_err(local_error)?
                } else {
                    Vec::new()
                };
                if received.len() as u64 > expected {
                    // Kept by an earlier build, which did not bound them: they cannot be a prefix of the blob.
                    local.blob_not_downloaded(&next.sha256, false).map_err(local_error)?;
                    received = Vec::new();
                }
                self.current = Some(Download { sha256: next.sha256, expected, received, asked: 0 });
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
            if download.expected > 0 && download.received.len() as u64 == download.expected {
                // Every byte arrived before a cut: check them without asking the hub for an empty tail.
                let (sha256, whole) = (download.sha256, std::mem::take(&mut download.received));
                self.current = None;
                finish(local, summary, sha256, whole)?;
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
        let expected = download.expected;
        let response = match outcome {
            Outcome::Cut { partial, from_start } => {
                summary.blob_bytes_received += partial.len() as u64;
                // The tail of a 206 resumes after what was kept; the start of a 200 (the hub ignored the Range, or
                // nothing was kept) replaces it. Were it anything else, the hash check at the end refuses the whole
                // and the blob starts over.
                let offset = if from_start { 0 } else { download.received.len() };
                if offset as u64 + partial.len() as u64 > expected {
                    self.current = None;
                    return oversize(local, summary, sha256, expected);
                }
                if !partial.is_empty() {
                    local.blob_received(&sha256, offset as u64, &partial).map_err(local_error)?;
                    download.received.truncate(offset);
                    download.received.extend_from_slice(&partial);
                }
                return Ok(());
            }
            Outcome::TooLarge { .. } => {
                self.current = None;
                return oversize(local, summary, sha256, expected);
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
        let kept = if response.status == 206 { download.received.len() as u64 } else { 0 };
        if kept + response.body.len() as u64 > expected {
            self.current = None;
            return oversize(local, summary, sha256, expected);
        }
        let whole = if response.status == 206 {
            let mut whole = std::mem::take(&mut download.received);
            whole.extend_from_slice(&response.body);
            whole
        } else {
            response.body
        };
        self.current = None;
        finish(local, summary, sha256, whole)
    }
}

/// The SHA-256 of `bytes`.
fn sha256_of(bytes: &[u8]) -> HashBytes {
    Sha256::digest(bytes).into()
}

/// Ends the download of `sha256` whose bytes are `whole`: stored when they hash right, else dropped and reported.
/// `sha256` is the hash the download expected; the bytes are hashed here.
fn finish<L: Local>(local: &mut L, summary: &mut Summary, sha256: HashBytes, whole: Vec<u8>) -> Result<(), SyncError> {
    if sha256_of(&whole) == sha256 {
        local.blob_downloaded(&sha256, &whole).map_err(local_error)?;
        summary.blobs_downloaded += 1;
        return Ok(());
    }
    mismatch(local, summary, sha256, format!("isi unduhan ({} byte) tidak cocok dengan SHA-256-nya", whole.len()))
}

/// The hub sent more bytes of blob `sha256` than it may have (`expected`): nothing of them is kept.
fn oversize<L: Local>(local: &mut L, summary: &mut Summary, sha256: HashBytes, expected: u64) -> Result<(), SyncError> {
    mismatch(local, summary, sha256, format!("hub mengirim lebih dari {expected} byte, ukuran berkas ini"))
}

/// A download of `sha256` gave bytes that are not the blob (`what`): they are dropped and reported, never stored,
/// and counted ([`Local::blob_mismatched`]): the blob is asked for again by the next ordinary run (not by live
/// mode's long-polls), and not at all after [`MAX_BLOB_MISMATCHES`] of them.
fn mismatch<L: Local>(local: &mut L, summary: &mut Summary, sha256: HashBytes, what: String) -> Result<(), SyncError> {
    let count = local.blob_mismatched(&sha256).map_err(local_error)?;
    let next = if count >= MAX_BLOB_MISMATCHES {
        format!("sudah {count} kali salah: tidak diunduh lagi otomatis; hubungi admin hub")
    } else {
        "diunduh ulang pada sinkronisasi berikutnya".to_owned()
    };
    summary.blob_failures.push((sha256, format!("{what}: dibuang, tidak disimpan; {next}")));
    Ok(())
}
