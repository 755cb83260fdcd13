//! `luring-cli --data DIR sync --hub URL --scope instansi:ID` and `luring-cli --data DIR status`: sync the replica
//! with the hub, and show what sync left behind.
//!
//! `sync` registers this replica's device with the hub once (remembered in the replica), takes the one-sync-at-a-time
//! lock (`<data>/sync.lock`, an OS file lock released when the process ends, even by a crash), and runs the sync
//! engine through the HTTP driver (`sync::driver`) on a single-threaded tokio runtime: bootstrap when the scope was
//! never pulled, upload attached files, push the outbox, pull the feed, repair documents whose copy disagrees with
//! the hub's, download referenced files; `--live` repeats with long-polls until Ctrl-C. It ends with a summary of
//! what moved (changes, documents, files and their bytes, repairs), rejected changes, files that did not move and
//! what to do about them. A refused session (401), a revoked device or
//! a foreign instansi (403) and an unreachable hub each exit 1 with a message saying what to do; nothing is lost in
//! any of them (the outbox stays, a bootstrap resumes from its last chunk).
//!
//! `status` reads the replica only: cursors and last pulls, the outbox, rejections, a bootstrap in progress, files
//! per transfer state, documents waiting for a repair, and whether a sync holds the lock.
//!
//! The access token comes from the session of `luring-cli login` (refreshed as needed, `app::session`), or from
//! `--token`/`LURING_TOKEN` for scripts (never printed). The rules around a run (a scope locked after the hub
//! revoked this device, a replica that belongs to another officer, device registration) are `app::hub::sync`'s. It does not
//! retry by itself beyond the driver's backoff. Test knobs: `LURING_SYNC_MAX_FAILURES` (failed exchanges in a row
//! before giving up) and `LURING_SYNC_BACKOFF_MS` (first backoff delay).

use std::fs::{File, TryLockError};
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use ::sync::driver::DriverOptions;
use ::sync::engine::{Summary, SyncError};
use anyhow::{Context, anyhow, bail};
use app::hub::{Credentials, SyncFailure};
use app::session::Session;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use store::replication::Notice;

use crate::replika;

/// `println!` for the text summary, which carries the hub's own words (rejection and failure reasons): control
/// characters (terminal escape sequences a hostile or broken hub could send) are shown as `?`.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", crate::sync::printable(&format!($($arg)*)))
    };
}

/// The lock file inside the data folder: held by the running `sync`.
pub const LOCK_FILE: &str = "sync.lock";

/// The options of `luring-cli sync`.
#[derive(Args)]
pub struct SyncArgs {
    /// Alamat hub, mis. https://hub.bkd.example.go.id (juga dari LURING_HUB).
    #[arg(long, env = "LURING_HUB")]
    hub: String,
    /// Lingkup yang disinkronkan: instansi:<id>.
    #[arg(long)]
    scope: String,
    /// Token akses SSO untuk skrip (juga dari LURING_TOKEN); tanpa ini dipakai sesi `luring-cli login`. Tidak pernah
    /// dicetak.
    #[arg(long, env = "LURING_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Nama perangkat saat didaftarkan ke hub (bawaan: nama komputer).
    #[arg(long)]
    device_name: Option<String>,
    /// Terus sinkron (menunggu perubahan dari hub) sampai Ctrl-C.
    #[arg(long)]
    live: bool,
    /// Ringkasan sebagai satu objek JSON.
    #[arg(long)]
    json: bool,
}

impl std::fmt::Debug for SyncArgs {
    /// Everything but the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncArgs")
            .field("hub", &self.hub)
            .field("scope", &self.scope)
            .field("token", &self.token.as_ref().map(|_| "[rahasia]"))
            .field("device_name", &self.device_name)
            .field("live", &self.live)
            .field("json", &self.json)
            .finish()
    }
}

/// Runs `sync` on the replica in `data`.
///
/// # Errors
/// Another sync holds the lock, no token, the hub refused (401/403) or could not be reached, or the replica failed;
/// each message says what to do.
pub fn run(data: Option<&Path>, args: SyncArgs, quiet: bool) -> anyhow::Result<()> {
    let data_folder = data.context("folder data belum ditentukan; tambahkan --data <folder> atau setel LURING_DATA")?;
    let token_given = args.token.as_deref().is_some_and(|token| !token.trim().is_empty());
    if !token_given && !data_folder.join(replika::FILE_NAME).exists() {
        bail!(
            "belum masuk: folder data {} belum berisi replika. Jalankan `luring-cli --data {} login` saat tersambung, \
             lalu sync (unduhan awal dari hub)",
            data_folder.display(),
            data_folder.display()
        );
    }
    if !args.scope.starts_with("instansi:") || args.scope.len() <= "instansi:".len() {
        bail!("lingkup '{}' tidak dikenal; tulis sebagai instansi:<id instansi>", args.scope);
    }
    // A new device starts with an empty replica and bootstraps it from the hub.
    let replica = replika::open(data, true)?;
    let data = data_folder;
    let lock_path = data.join(LOCK_FILE);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("tidak dapat membuat berkas kunci {}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => bail!(
            "sinkronisasi lain sedang berjalan untuk folder data {} (kunci {} dipegang); tunggu sampai selesai \
             atau hentikan proses itu, lalu coba lagi",
            data.display(),
            LOCK_FILE
        ),
        Err(TryLockError::Error(error)) => {
            return Err(error).with_context(|| format!("tidak dapat mengunci {}", lock_path.display()));
        }
    }
    let token = args.token.clone().filter(|token| !token.trim().is_empty());
    let session = match &token {
        Some(_) => None,
        None => match Session::stored_config(&replica)? {
            Some(config) => Some(Session::new(config)),
            None => bail!(
                "belum masuk di replika ini; jalankan `luring-cli --data {} login` saat tersambung (atau berikan \
                 --token / LURING_TOKEN untuk skrip)",
                data.display()
            ),
        },
    };
    let credentials = match (&token, &session) {
        (Some(token), _) => Credentials::Token(token),
        (None, Some(session)) => Credentials::Session(session),
        (None, None) => bail!("token akses belum ada"),
    };
    let transport = app::hub::transport(&args.hub, &replica).map_err(|error| anyhow!("{error}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tidak dapat menyiapkan runtime jaringan")?;

    let started = Instant::now();
    let name = args.device_name.clone().unwrap_or_else(device_name);
    let options = driver_options();
    let bar = progress_bar(quiet || args.json);
    let mut observer = |summary: &Summary| bar.set_message(progress_text(summary));
    let result = runtime.block_on(async {
        if args.live {
            let mut stop = std::pin::pin!(async {
                // Without a signal handler live mode ends only with the process.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            });
            app::hub::live(
                &replica,
                credentials,
                &transport,
                &args.scope,
                &name,
                &options,
                stop.as_mut(),
                &mut observer,
            )
            .await
        } else {
            app::hub::sync(&replica, credentials, &transport, &args.scope, &name, &options, &mut observer).await
        }
    });
    bar.finish_and_clear();
    let synced = result.map_err(|error| explain(&error, &args))?;
    let (summary, report) = (synced.summary, synced.report);

    // Documents from a snapshot were stored as the hub sent them; recompress them now (safe to interrupt).
    let compacted = if summary.bootstrapped {
        let bar = progress_bar(quiet || args.json);
        let done = store::document::compact_imported(&replica, 2_000, &mut |done| {
            bar.set_message(format!("{done} dokumen dirapikan"));
        })?;
        bar.finish_and_clear();
        done
    } else {
        0
    };
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        let rejected: Vec<serde_json::Value> = summary
            .rejected
            .iter()
            .map(|(hash, code, reason)| serde_json::json!({"change": hex(hash), "code": code, "reason": reason}))
            .collect();
        let line = serde_json::json!({
            "scope": args.scope,
            "seconds": (seconds * 10.0).round() / 10.0,
            "requests": summary.requests,
            "bytes_sent": summary.bytes_sent,
            "bytes_received": summary.bytes_received,
            "bootstrapped": summary.bootstrapped,
            "chunks": [summary.chunks.0, summary.chunks.1],
            "snapshot_documents": summary.snapshot_documents,
            "pushed": summary.pushed,
            "rejected": rejected,
            "feed_batches": summary.feed_batches,
            "pulled_documents": summary.pulled_documents,
            "refetches": summary.refetches,
            "blobs_uploaded": summary.blobs_uploaded,
            "blob_bytes_sent": summary.blob_bytes_sent,
            "blobs_downloaded": summary.blobs_downloaded,
            "blob_bytes_received": summary.blob_bytes_received,
            "blob_failures": summary
                .blob_failures
                .iter()
                .map(|(hash, reason)| serde_json::json!({"sha256": hex(hash), "reason": reason}))
                .collect::<Vec<_>>(),
            "repaired": summary.repaired,
            "repair_requeued": summary.repair_requeued,
            "repair_failures": summary
                .repair_failures
                .iter()
                .map(|(doc, reason)| serde_json::json!({"document": uuid_text(doc), "reason": reason}))
                .collect::<Vec<_>>(),
            "replaced_local": report.replaced_local,
            "compacted": compacted,
            "notices": report.notices,
        });
        println!("{line}");
        return Ok(());
    }
    say!("Sinkronisasi {} dengan {} selesai dalam {seconds:.1} s.", args.scope, transport.base());
    if summary.bootstrapped || summary.snapshot_documents > 0 {
        say!(
            "  unduhan awal: {} dokumen dalam {} potongan{}",
            summary.snapshot_documents,
            summary.chunks.1,
            if summary.bootstrapped { " (selesai)" } else { "" }
        );
    }
    if report.replaced_local > 0 {
        say!("  pegawai hasil impor lokal diganti dokumen hub (NIP sama): {}", report.replaced_local);
    }
    say!("  dikirim ke hub: {} perubahan", summary.pushed);
    say!("  diterima dari hub: {} dokumen berubah ({} batch)", summary.pulled_documents, summary.feed_batches);
    for line in blob_lines(&summary) {
        say!("{line}");
    }
    if summary.repaired > 0 || !summary.repair_failures.is_empty() {
        say!(
            "  dokumen diperbaiki dari hub: {}{}",
            summary.repaired,
            if summary.repair_requeued > 0 {
                format!(" ({} perubahan lokal yang belum ada di hub dikirim ulang)", summary.repair_requeued)
            } else {
                String::new()
            }
        );
        for (doc, reason) in &summary.repair_failures {
            say!("    - dokumen {} belum diperbaiki: {reason}", uuid_text(doc));
        }
    }
    say!(
        "  lalu lintas: {} terkirim, {} diterima, {} permintaan",
        size(summary.bytes_sent),
        size(summary.bytes_received),
        summary.requests
    );
    if summary.refetches > 0 {
        say!("  hub meminta unduh ulang lingkup ini {} kali (log hub dipadatkan)", summary.refetches);
    }
    if !summary.rejected.is_empty() {
        say!("  ditolak hub: {} perubahan", summary.rejected.len());
        for (hash, code, reason) in &summary.rejected {
            say!("    - {}: {reason} ({code})", &hex(hash)[..12]);
        }
        say!(
            "    Perubahan yang ditolak tidak dikirim ulang. Lihat rinciannya dengan `luring-cli status`, perbaiki \
             sesuai alasannya lalu ubah lagi, atau hubungi verifikator/admin instansi bila alasannya tidak jelas."
        );
    }
    for notice in &report.notices {
        say!("  catatan: {}", notice_text(notice));
    }
    Ok(())
}

/// The device name registered with the hub: the computer's name, or `luring-cli`.
pub(crate) fn device_name() -> String {
    let from_system = || {
        // Linux keeps it here; shells do not export HOSTNAME to their children.
        std::fs::read_to_string("/proc/sys/kernel/hostname").map(|name| name.trim().to_owned()).ok()
    };
    std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .ok()
        .or_else(from_system)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "luring-cli".to_owned())
}

/// The driver's options, with the test knobs of the module doc.
fn driver_options() -> DriverOptions {
    let number = |name: &str| std::env::var(name).ok().and_then(|value| value.trim().parse::<u64>().ok());
    let mut options = DriverOptions::default();
    if let Some(failures) = number("LURING_SYNC_MAX_FAILURES") {
        options.max_failures = u32::try_from(failures).unwrap_or(u32::MAX).max(1);
    }
    if let Some(millis) = number("LURING_SYNC_BACKOFF_MS") {
        options.backoff_base = Duration::from_millis(millis);
    }
    options
}

/// What a stopped sync means for the officer, and what to do.
fn explain(failure: &SyncFailure, args: &SyncArgs) -> anyhow::Error {
    let error = match failure {
        SyncFailure::Sync(error) => error,
        SyncFailure::Registration(message) if message.starts_with("hub tidak terjangkau: ") => {
            return anyhow!("{}", unreachable_text(&args.hub, &message["hub tidak terjangkau: ".len()..]));
        }
        SyncFailure::Registration(message) if message.contains("(401") => {
            return anyhow!("{message}; token habis atau salah: masuk (login) lagi");
        }
        SyncFailure::Registration(message) if message.contains("(403") => {
            return anyhow!(
                "{message}; perangkat ini dicabut atau akun tidak boleh mendaftarkan perangkat: hubungi admin instansi"
            );
        }
        other => return anyhow!("{other}"),
    };
    match error {
        SyncError::Unauthorized { message } => anyhow!(
            "hub menolak sesi ({message}): token habis atau salah. Masuk (login) lagi, lalu jalankan sync lagi; tidak \
             ada data yang hilang"
        ),
        SyncError::Forbidden { message } => anyhow!(
            "hub menolak akses ({message}): lingkup {} bukan instansi Anda atau akun tidak ada di roster. Hubungi \
             admin instansi; perubahan lokal tetap tersimpan di replika",
            args.scope
        ),
        SyncError::Hub { status: 0, message, .. } => anyhow!("{}", unreachable_text(&args.hub, message)),
        SyncError::Hub { status, .. } if *status >= 500 => anyhow!(
            "{error}. Hub sedang bermasalah; coba lagi nanti. Tidak ada data yang hilang: perubahan lokal tetap di \
             outbox"
        ),
        SyncError::Local(_) => {
            anyhow!("{error}. Jalankan `luring-cli check`; bila replika rusak, unduh ulang dari hub")
        }
        SyncError::Hub { .. } | SyncError::Protocol(_) => {
            anyhow!("{error}. Coba lagi nanti; bila berulang, hubungi admin instansi. Tidak ada data yang hilang")
        }
    }
}

fn unreachable_text(hub: &str, reason: &str) -> String {
    format!(
        "hub {hub} tidak terjangkau ({reason}). Periksa jaringan lalu coba lagi nanti; tidak ada data yang hilang: \
         perubahan lokal tetap di outbox dan unduhan dilanjutkan dari posisi terakhir"
    )
}

fn progress_bar(hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar.set_message("menghubungi hub");
    bar
}

fn progress_text(summary: &Summary) -> String {
    let mut text = String::new();
    if summary.chunks.1 > 0 {
        text.push_str(&format!(
            "unduhan awal: potongan {}/{}, {} dokumen · ",
            summary.chunks.0, summary.chunks.1, summary.snapshot_documents
        ));
    }
    text.push_str(&format!(
        "terkirim {} perubahan · diterima {} dokumen · {} diunduh",
        summary.pushed,
        summary.pulled_documents,
        size(summary.bytes_received)
    ));
    if summary.blobs_uploaded + summary.blobs_downloaded > 0 {
        text.push_str(&format!(" · berkas {} naik, {} turun", summary.blobs_uploaded, summary.blobs_downloaded));
    }
    text
}

fn notice_text(notice: &Notice) -> String {
    match notice {
        Notice::DuplicateKept { nip, local, hub, pending } => format!(
            "NIP {nip}: hub mengirim dokumen {hub}, tetapi dokumen lokal {local} masih punya {pending} perubahan \
             belum terkirim; keduanya disimpan. Setelah terkirim, minta admin menggabungkannya di hub"
        ),
        Notice::DuplicateFromHub { nip, local, hub } => format!(
            "NIP {nip} ada di dua dokumen hub ({local} dan {hub}); keduanya disimpan. Laporkan ke admin instansi"
        ),
        Notice::RemoveDeferred { document, pending } => format!(
            "dokumen {document} dikeluarkan hub dari lingkup ini tetapi masih punya {pending} perubahan belum \
             terkirim; disimpan sampai terkirim"
        ),
        Notice::SkippedQuarantined { document } => format!(
            "dokumen {document} dikarantina (rusak); perubahan hub untuknya dilewati dan dokumen dipulihkan dari \
             salinan hub"
        ),
        Notice::RepairQueued { document, reason } => format!(
            "salinan dokumen {document} berbeda dengan hub ({reason}); diperbaiki dari salinan hub pada sinkronisasi \
             ini atau berikutnya"
        ),
        Notice::LocalChangesLost { document, lost } => format!(
            "{lost} perubahan lokal pada dokumen {document} hilang bersama salinan yang rusak dan tidak dapat dikirim; \
             periksa dokumen itu dan masukkan kembali perubahannya"
        ),
    }
}

/// Runs `status` on the replica in `data`.
///
/// # Errors
/// The replica cannot be opened or read.
pub fn status(data: Option<&Path>, json: bool) -> anyhow::Result<()> {
    // Written, not printed: `status | head` closes the pipe early, which is not an error worth a panic.
    let mut out = std::io::stdout().lock();
    let replica = replika::open(data, false)?;
    let data = data.context("folder data belum ditentukan")?;
    let state = store::replication::status(&replica)?;
    let locked = lock_held(&data.join(LOCK_FILE))?;
    if json {
        let mut value = serde_json::to_value(&state)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("sync_lock_held".into(), locked.into());
        }
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(out, "Keadaan sinkronisasi replika {}", replica.path().display())?;
    if state.scopes.is_empty() {
        writeln!(
            out,
            "  lingkup: belum pernah sinkron; jalankan `luring-cli sync --hub <alamat> --scope instansi:<id>`"
        )?;
    }
    for scope in &state.scopes {
        writeln!(
            out,
            "  lingkup {}: posisi feed {}/{}, tarik terakhir {}",
            scope.scope,
            scope.epoch,
            scope.seq,
            local_time(scope.last_pull_ms)
        )?;
    }
    for bootstrap in &state.bootstraps {
        writeln!(
            out,
            "  unduhan awal {} belum selesai: lanjut dari potongan {}; jalankan `luring-cli sync` lagi",
            bootstrap.scope, bootstrap.next_chunk
        )?;
    }
    writeln!(
        out,
        "  outbox: {} perubahan pada {} dokumen menunggu dikirim{}",
        state.outbox_changes - state.outbox_rejected,
        state.outbox_documents,
        if state.outbox_rejected > 0 {
            format!(" (+{} ditolak hub, tidak dikirim ulang)", state.outbox_rejected)
        } else {
            String::new()
        }
    )?;
    if !state.rejections.is_empty() {
        writeln!(out, "  penolakan hub terakhir ({}):", state.rejections.len())?;
        for rejection in state.rejections.iter().rev().take(20) {
            let who = rejection.nip.as_deref().map_or_else(String::new, |nip| format!("NIP {nip}: "));
            let what = if rejection.compensated {
                "hub mengembalikan nilai sebelumnya"
            } else {
                "tidak disimpan hub; ubah ulang sesuai alasan"
            };
            writeln!(
                out,
                "    - {} {who}{} ({}) — {what}",
                local_time(rejection.at_ms),
                rejection.reason,
                rejection.code
            )?;
        }
    }
    if !state.blobs.is_empty() {
        let counts: Vec<String> =
            state.blobs.iter().map(|blob| format!("{} {}", blob.count, blob_state_text(&blob.state))).collect();
        writeln!(out, "  berkas: {}", counts.join(", "))?;
    }
    if !state.repairs.is_empty() {
        writeln!(out, "  dokumen menunggu perbaikan dari hub ({}):", state.repairs.len())?;
        for repair in state.repairs.iter().take(20) {
            let given_up = repair.attempts >= store::sync_state::MAX_REPAIR_ATTEMPTS;
            writeln!(
                out,
                "    - {} ({}): {}{}",
                repair.document,
                repair.kind,
                repair.reason,
                match (&repair.last_error, given_up) {
                    (Some(error), true) =>
                        format!(" — dihentikan setelah {} percobaan: {error}; hubungi admin instansi", repair.attempts),
                    (Some(error), false) => format!(" — percobaan terakhir gagal: {error}"),
                    (None, _) => String::new(),
                }
            )?;
        }
    }
    writeln!(
        out,
        "  kunci sinkronisasi: {}",
        if locked { "dipegang (sinkronisasi sedang berjalan)" } else { "bebas" }
    )?;
    Ok(())
}

/// Whether a running `sync` holds the lock at `path` (checked with a shared lock, released at once).
fn lock_held(path: &Path) -> anyhow::Result<bool> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error).with_context(|| format!("tidak dapat membuka {}", path.display())),
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(false),
        Err(TryLockError::WouldBlock) => Ok(true),
        Err(TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("tidak dapat memeriksa {}", path.display()))
        }
    }
}

fn local_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || format!("{ms} ms"),
        |time| time.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

fn size(bytes: usize) -> String {
    match bytes {
        0..1_024 => format!("{bytes} B"),
        1_024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1_024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The summary's lines about files (blobs): counts and bytes each way, and those that did not move with why.
fn blob_lines(summary: &Summary) -> Vec<String> {
    let mut lines = vec![format!(
        "  berkas: {} diunggah ({}), {} diunduh ({})",
        summary.blobs_uploaded,
        size(usize::try_from(summary.blob_bytes_sent).unwrap_or(usize::MAX)),
        summary.blobs_downloaded,
        size(usize::try_from(summary.blob_bytes_received).unwrap_or(usize::MAX))
    )];
    if !summary.blob_failures.is_empty() {
        lines.push(format!("  berkas yang belum berpindah: {}", summary.blob_failures.len()));
        for (hash, reason) in summary.blob_failures.iter().take(20) {
            lines.push(format!("    - {}: {reason}", &hex(hash)[..12]));
        }
        lines.push(
            "    Tidak ada berkas rusak yang disimpan. Jalankan sync lagi nanti; bila berulang untuk berkas yang sama, \
             lampirkan ulang berkasnya atau hubungi admin instansi."
                .to_owned(),
        );
    }
    lines
}

/// A blob transfer state as the officer reads it.
fn blob_state_text(state: &str) -> &'static str {
    match state {
        "queued_upload" => "menunggu diunggah",
        "queued_download" => "menunggu diunduh",
        "missing" => "belum tersedia di hub",
        "synced" => "tersinkron",
        "local" => "hanya di perangkat ini",
        _ => "keadaan tidak dikenal",
    }
}

/// A document id (16 bytes) as its UUID text, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
fn uuid_text(doc: &[u8; 16]) -> String {
    let digits = hex(doc);
    format!("{}-{}-{}-{}-{}", &digits[..8], &digits[8..12], &digits[12..16], &digits[16..20], &digits[20..])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `text` with control characters replaced by `?` (see `say!`).
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        std::borrow::Cow::Owned(text.chars().map(|c| if c.is_control() { '?' } else { c }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hubs_words_reach_the_terminal_without_control_characters() {
        assert_eq!(printable("ditolak: \u{1b}[2J\u{1b}]0;judul\u{7}bidang gaji"), "ditolak: ?[2J?]0;judul?bidang gaji");
        assert!(matches!(printable("alasan biasa: NIP 1980"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn the_summary_counts_files_each_way_and_says_why_one_did_not_move() {
        let summary = Summary {
            blobs_uploaded: 2,
            blob_bytes_sent: 1_572_864,
            blobs_downloaded: 1,
            blob_bytes_received: 2_048,
            blob_failures: vec![([0xab; 32], "isi unduhan tidak cocok dengan SHA-256-nya".to_owned())],
            ..Summary::default()
        };
        let lines = blob_lines(&summary);
        assert_eq!(lines[0], "  berkas: 2 diunggah (1.5 MB), 1 diunduh (2.0 KB)");
        assert_eq!(lines[1], "  berkas yang belum berpindah: 1");
        assert_eq!(lines[2], "    - abababababab: isi unduhan tidak cocok dengan SHA-256-nya");
        assert!(lines[3].contains("Tidak ada berkas rusak yang disimpan"));
        assert_eq!(blob_lines(&Summary::default()), vec!["  berkas: 0 diunggah (0 B), 0 diunduh (0 B)".to_owned()]);
        assert_eq!(uuid_text(&[0x01; 16]), "01010101-0101-0101-0101-010101010101");
    }
}
