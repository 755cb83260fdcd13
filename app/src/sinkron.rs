//! Sync as the desktop runs it: one round at a time ([`AppContext::sinkron_mulai`]; a caller arriving while a round
//! runs joins it and gets one more round after it, so what was edited before the click is pushed), a background loop (right away, every [`crate::context::Config::sync_interval`] while signed in,
//! and right after a sign-in), and the status the UI shows ([`SinkronStatus`]), sent to the host on every change.
//!
//! A round is [`crate::hub::sync`] with the session on the scope `instansi:<the officer's instansi>`, run on a
//! blocking thread (the replica's SQLite work), followed by the compaction of a fresh bootstrap (its own progress
//! stage, `"pemadatan"`). Its failure is kept as [`GalatSinkron`] for the status (and logged with the hub's host
//! and the error code, no personal data); it is not an error of `sinkron_mulai`, which always answers the status
//! after the round. [`AppContext::shutdown`] stops the loop and waits for a running round before the app exits.
//!
//! What it does not do: live long-polling (the periodic round keeps the status true), or retry a refused round
//! sooner than the next period.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sync::engine::Summary;

use crate::context::AppContext;
use crate::error::{AppError, KodeGalat};

/// The sync state as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SinkronStatus {
    /// Whether the hub answered the last round (`None`: no round yet since start).
    pub daring: Option<bool>,
    /// Whether a round is running.
    pub berjalan: bool,
    /// The last successful exchange with the hub (RFC 3339, UTC): the last round of this run, else the replica's
    /// last pull.
    pub terakhir_berhasil: Option<String>,
    /// Why the last round failed (`None` when it succeeded or none ran).
    pub galat: Option<GalatSinkron>,
    /// Local changes not yet accepted by the hub.
    pub outbox_total: i64,
    /// Those changes by pegawai (document), oldest first, at most 100.
    pub outbox: Vec<OutboxBaris>,
    /// Files waiting to be uploaded or downloaded.
    pub blob_menunggu: i64,
    /// The running round's progress.
    pub kemajuan: Option<Kemajuan>,
}

/// Why the last round failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct GalatSinkron {
    /// The error code.
    pub kode: KodeGalat,
    /// What happened (a full sentence).
    pub pesan: String,
    /// What to do.
    pub saran: String,
}

/// Local changes of one pegawai waiting for the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct OutboxBaris {
    /// The pegawai document's row id (as `PegawaiBaris::rowid`; `None` for other documents): key rows on it and pass
    /// it to `profil`.
    pub rowid: Option<i64>,
    /// NIP (pegawai documents).
    pub nip: Option<String>,
    /// Nama with gelar (pegawai documents).
    pub nama: Option<String>,
    /// Changes waiting.
    pub perubahan: i64,
    /// Push attempts so far (the most of any of them).
    pub percobaan: i64,
    /// The last error of a push (the hub's or the network's words).
    pub galat: Option<String>,
}

/// Progress of a running round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Kemajuan {
    /// The stage: `"unduhan awal"` (bootstrap chunks), `"pertukaran"` (push, pull, files) or `"pemadatan"`
    /// (recompressing the documents of a first download).
    pub tahap: String,
    /// Units done (chunks, requests, or documents compacted).
    pub selesai: i64,
    /// Units in all (0 when unknown).
    pub total: i64,
}

/// What one running app remembers of its rounds.
#[derive(Debug, Default)]
struct Memory {
    running: bool,
    /// A caller joined the running round: run one more after it.
    again: bool,
    daring: Option<bool>,
    last_success: Option<String>,
    galat: Option<GalatSinkron>,
    kemajuan: Option<Kemajuan>,
}

/// The sync part of [`AppContext`]: the running flag and last result, the round counter joiners wait on, the
/// background loop's wake-up and stop signals.
#[derive(Debug)]
pub(crate) struct SyncState {
    memory: Mutex<Memory>,
    rounds: tokio::sync::watch::Sender<u64>,
    kick: Arc<tokio::sync::Notify>,
    stop: tokio::sync::watch::Sender<bool>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl SyncState {
    pub(crate) fn new() -> SyncState {
        SyncState {
            memory: Mutex::new(Memory::default()),
            rounds: tokio::sync::watch::Sender::new(0),
            kick: Arc::new(tokio::sync::Notify::new()),
            stop: tokio::sync::watch::Sender::new(false),
            task: Mutex::new(None),
        }
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wakes the background loop for a round now.
    pub(crate) fn kick(&self) {
        self.kick.notify_one();
    }

    /// Stops the background loop: it ends at its next wait. A round in flight is not cancelled (a refresh dropped
    /// after the provider rotated the token would lose it); it finishes first.
    pub(crate) fn stop(&self) {
        self.stop.send_replace(true);
        drop(self.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take());
    }
}

/// Marks the rounds as no longer running when dropped while they still were (the owner's future dropped before it
/// finished): the count jumps by two, past any round a joiner waits for, so nobody waits forever.
struct RoundsEnd<'a>(&'a SyncState);

impl Drop for RoundsEnd<'_> {
    fn drop(&mut self) {
        let mut memory = self.0.memory();
        if memory.running {
            memory.running = false;
            memory.again = false;
            memory.kemajuan = None;
            self.0.rounds.send_modify(|count| *count += 2);
        }
    }
}

/// The host part of a hub URL (`https://hub.example:8443/x` → `hub.example:8443`), for logs.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// The saran (what to do) for a failed round with `code`.
fn saran(code: KodeGalat) -> &'static str {
    match code {
        KodeGalat::Luring => {
            "Hub tidak terjangkau. Tetap bekerja seperti biasa; perubahan dikirim otomatis saat tersambung."
        }
        KodeGalat::MasukUlang => "Masuk lagi dengan SSO ASN. Pekerjaan lokal tetap tersimpan.",
        KodeGalat::BelumMasuk => "Masuk dengan SSO ASN.",
        KodeGalat::Ditolak => "Hubungi admin instansi.",
        KodeGalat::Konfigurasi => "Periksa alamat hub dan penerbit SSO di Pengaturan.",
        _ => "Coba lagi; bila berulang, hubungi admin instansi.",
    }
}

fn kemajuan(summary: &Summary) -> Kemajuan {
    let (done, total) = summary.chunks;
    if total > 0 && done < total {
        Kemajuan { tahap: "unduhan awal".to_owned(), selesai: i64::from(done), total: i64::from(total) }
    } else {
        Kemajuan {
            tahap: "pertukaran".to_owned(),
            selesai: i64::try_from(summary.requests).unwrap_or(i64::MAX),
            total: 0,
        }
    }
}

/// How often progress is sent to the host at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

impl AppContext {
    /// `sinkron_status`: the sync state (the replica's outbox and files, and this run's rounds).
    ///
    /// # Errors
    /// Replica errors.
    pub async fn sinkron_status(self: &Arc<Self>) -> Result<SinkronStatus, AppError> {
        self.blocking(|context| context.status_now()).await
    }

    pub(crate) fn status_now(&self) -> Result<SinkronStatus, AppError> {
        let (daring, running, last_success, galat, kemajuan) = {
            let memory = self.sync.memory();
            (memory.daring, memory.running, memory.last_success.clone(), memory.galat.clone(), memory.kemajuan.clone())
        };
        let mut status = SinkronStatus {
            daring,
            berjalan: running,
            terakhir_berhasil: last_success,
            galat,
            outbox_total: 0,
            outbox: Vec::new(),
            blob_menunggu: 0,
            kemajuan,
        };
        let Some(replica) = self.existing_replica()? else { return Ok(status) };
        let stored = store::replication::status(&replica)?;
        status.outbox_total = stored.outbox_changes;
        status.blob_menunggu = stored
            .blobs
            .iter()
            .filter(|blob| blob.state == "queued_upload" || blob.state == "queued_download")
            .map(|blob| blob.count)
            .sum();
        status.outbox = store::ringkasan::outbox_per_dokumen(&*replica.reader()?, 100)?
            .into_iter()
            .map(|row| OutboxBaris {
                rowid: row.nip.is_some().then_some(row.document_rowid),
                nip: row.nip,
                nama: row.nama,
                perubahan: row.perubahan,
                percobaan: row.percobaan,
                galat: row.galat,
            })
            .collect();
        if status.terakhir_berhasil.is_none() {
            status.terakhir_berhasil = stored
                .scopes
                .iter()
                .map(|scope| scope.last_pull_ms)
                .max()
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|at| at.to_rfc3339());
        }
        Ok(status)
    }

    /// `sinkron_mulai`: one round now (pull, push, files); when one is running, waits for it and for one more
    /// round after it (so a change made before the call is pushed); then the status. A failed round is in the
    /// status's `galat`, not an error.
    ///
    /// # Errors
    /// Replica errors reading the status.
    pub async fn sinkron_mulai(self: &Arc<Self>) -> Result<SinkronStatus, AppError> {
        self.round().await;
        self.sinkron_status().await
    }

    /// Runs rounds until no caller asked for another, or, when rounds run, asks for one more and waits for it.
    pub(crate) async fn round(self: &Arc<Self>) {
        let mut ended = self.sync.rounds.subscribe();
        let joined = {
            let mut memory = self.sync.memory();
            if memory.running {
                memory.again = true;
                // Rounds end (and the count moves) under this lock: the running round ends at `seen + 1`, the one
                // asked for now at `seen + 2`.
                Some(*ended.borrow_and_update())
            } else {
                memory.running = true;
                memory.kemajuan = None;
                None
            }
        };
        if let Some(seen) = joined {
            let _ = ended.wait_for(|count| *count >= seen + 2).await;
            return;
        }
        let _end = RoundsEnd(&self.sync);
        loop {
            self.notify().await;
            let result = self.run_round().await;
            let again = {
                let mut memory = self.sync.memory();
                match &result {
                    Ok(()) => {
                        memory.daring = Some(true);
                        memory.galat = None;
                        memory.last_success = Some((self.clock)().to_rfc3339());
                    }
                    Err(error) => {
                        match error.code {
                            KodeGalat::Luring => memory.daring = Some(false),
                            KodeGalat::Ditolak | KodeGalat::MasukUlang => memory.daring = Some(true),
                            _ => {}
                        }
                        memory.galat = Some(GalatSinkron {
                            kode: error.code,
                            pesan: error.message.clone(),
                            saran: saran(error.code).to_owned(),
                        });
                    }
                }
                memory.kemajuan = None;
                let again = std::mem::take(&mut memory.again);
                memory.running = again;
                self.sync.rounds.send_modify(|count| *count += 1);
                again
            };
            if let Err(error) = &result {
                let hub = self.current_settings().hub_url;
                tracing::warn!(hub = hub.as_deref().map_or("-", host_of), code = ?error.code, "sinkronisasi gagal");
            }
            self.notify().await;
            if !again {
                break;
            }
        }
    }

    /// Sends the current status to the host.
    async fn notify(self: &Arc<Self>) {
        match self.sinkron_status().await {
            Ok(status) => self.host.sinkron_berubah(&status),
            Err(error) => tracing::warn!(code = ?error.code, "status sinkronisasi tidak terbaca"),
        }
    }

    /// One round on a blocking thread (see the module doc).
    async fn run_round(self: &Arc<Self>) -> Result<(), AppError> {
        let Some(hub) = self.current_settings().hub_url else {
            return Err(AppError::new(
                KodeGalat::Konfigurasi,
                "Alamat hub belum diatur. Isi \"Alamat hub\" di Pengaturan (atau setel LURING_HUB).",
            ));
        };
        let context = Arc::clone(self);
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || runtime.block_on(context.round_on_this_thread(&hub))).await?
    }

    async fn round_on_this_thread(self: &Arc<Self>, hub: &str) -> Result<(), AppError> {
        let replica = self.existing_replica()?.ok_or_else(AppError::belum_masuk)?;
        let session = self.session(&replica)?.ok_or_else(AppError::belum_masuk)?;
        let identity = session.identity(&replica)?.ok_or_else(AppError::belum_masuk)?;
        let transport = crate::hub::transport(hub, &replica)?;
        let instansi = match identity.instansi_id {
            Some(instansi) => instansi,
            None => {
                // Signed in while the hub was unreachable: the roster names the instansi now.
                let token = session.access_token(&replica).await?;
                let identitas = transport.identity(&token).await.map_err(|message| {
                    if message.starts_with("hub tidak terjangkau") {
                        AppError::new(KodeGalat::Luring, format!("{}.", crate::sso::printable(&message)))
                    } else {
                        crate::hub::SyncFailure::Roster(crate::sso::printable(&message)).into()
                    }
                })?;
                session.update_roster(&replica, crate::hub::roster(identitas))?.instansi_id.unwrap_or_default()
            }
        };
        let scope = format!("instansi:{instansi}");
        let context = Arc::clone(self);
        let mut sent = Instant::now();
        let mut observer = move |summary: &Summary| {
            context.sync.memory().kemajuan = Some(kemajuan(summary));
            if sent.elapsed() >= PROGRESS_EVERY {
                sent = Instant::now();
                if let Ok(status) = context.status_now() {
                    context.host.sinkron_berubah(&status);
                }
            }
        };
        let synced = crate::hub::sync(
            &replica,
            crate::hub::Credentials::Session(&session),
            &transport,
            &scope,
            &self.device_name,
            &self.driver,
            &mut observer,
        )
        .await?;
        if synced.summary.bootstrapped {
            // Documents from a snapshot were stored as the hub sent them; recompress them now (safe to interrupt),
            // shown as a stage of its own.
            let total = store::ringkasan::to_compact(&*replica.reader()?)?;
            let mut sent = Instant::now();
            let mut progress = |done: usize| {
                self.sync.memory().kemajuan = Some(Kemajuan {
                    tahap: "pemadatan".to_owned(),
                    selesai: i64::try_from(done).unwrap_or(i64::MAX),
                    total,
                });
                if sent.elapsed() >= PROGRESS_EVERY {
                    sent = Instant::now();
                    if let Ok(status) = self.status_now() {
                        self.host.sinkron_berubah(&status);
                    }
                }
            };
            progress(0);
            if let Ok(status) = self.status_now() {
                self.host.sinkron_berubah(&status);
            }
            store::document::compact_imported(&replica, 2_000, &mut progress)?;
        }
        tracing::info!(
            pushed = synced.summary.pushed,
            pulled = synced.summary.pulled_documents,
            rejected = synced.summary.rejected.len(),
            "sinkronisasi selesai"
        );
        Ok(())
    }

    /// Stops the background loop and waits (at most `limit`) for a running round to end, so the app exits without
    /// cutting a round short (a refresh token the provider already rotated would be lost). Returns whether no round
    /// runs any more.
    pub async fn shutdown(self: &Arc<Self>, limit: Duration) -> bool {
        self.sync.stop();
        let mut ended = self.sync.rounds.subscribe();
        let idle = tokio::time::timeout(limit, async {
            loop {
                if !self.sync.memory().running {
                    return;
                }
                if ended.changed().await.is_err() {
                    return;
                }
            }
        })
        .await
        .is_ok();
        if !idle {
            tracing::warn!(batas_detik = limit.as_secs(), "sinkronisasi masih berjalan saat aplikasi ditutup");
        }
        idle
    }

    /// Whether a background round makes sense: a replica with a session that can refresh, and a hub.
    fn may_sync(&self) -> bool {
        let ready = || -> Result<bool, AppError> {
            if self.current_settings().hub_url.is_none() {
                return Ok(false);
            }
            let Some(replica) = self.existing_replica()? else { return Ok(false) };
            let Some(session) = self.session(&replica)? else { return Ok(false) };
            Ok(session.has_refresh_token(&replica)?)
        };
        ready().unwrap_or(false)
    }
}

/// Starts the background loop of `context` (see the module doc). It holds the context weakly: dropping the last
/// `Arc` ends it, as does [`AppContext::stop`].
pub(crate) fn start_background(context: &Arc<AppContext>) {
    let weak = Arc::downgrade(context);
    let mut stop = context.sync.stop.subscribe();
    let kick = Arc::clone(&context.sync.kick);
    let interval = context.sync_interval;
    let task = tokio::spawn(async move {
        loop {
            if *stop.borrow() {
                return;
            }
            let Some(context) = weak.upgrade() else { return };
            let may = context.blocking(|context| Ok(context.may_sync())).await.unwrap_or(false);
            if may {
                context.round().await;
            }
            drop(context);
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = kick.notified() => {}
                _ = stop.changed() => return,
            }
        }
    });
    *context.sync.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(task);
}
