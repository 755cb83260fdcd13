//! `luring-cli --data DIR import siasn-csv FILE` and `import siasn-ws DIR`: load an SI-ASN export into the replica.
//!
//! For development and offline bootstrap (a first install, 3T areas without a link). Records are decoded with the
//! same lenient decoders as `inspect`, streamed into the replica in batches (one transaction each) with a progress
//! bar, and summarised at the end. Importing the same export again changes nothing; a changed field changes only
//! that field. The unor tree (`ref-unor.json` beside the CSV or at the top of the WS folder) is imported first.

use std::fs::File;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use model::siasn::lists::decode_ref_unor;
use model::siasn::{export, ws};
use model::{Nip, Pegawai};
use store::Replica;
use store::import::{ImportOptions, ImportReport, import_pegawai, replace_unor};

use crate::inspect::{list_responses, read_body};

/// What to import.
#[derive(Debug, Subcommand)]
pub enum Source {
    /// Berkas CSV "Export Data ASN" dari SIASN web.
    SiasnCsv {
        /// Berkas CSV.
        file: PathBuf,
        /// Respons `ref-unor` tersimpan (bawaan: `ref-unor.json` di samping berkas CSV, bila ada).
        #[arg(long)]
        ref_unor: Option<PathBuf>,
    },
    /// Folder respons web service SI-ASN tersimpan (`data-utama/<nip>.json`, `rw-*/<nip>.json`, `ref-unor.json`).
    SiasnWs {
        /// Folder respons.
        dir: PathBuf,
    },
}

/// Pegawai per transaction: big enough for throughput (see `store::import::ImportOptions::batch`); a crash loses
/// at most one transaction, and running the import again restores it (an import is idempotent).
/// `LURING_IMPORT_BATCH` overrides it (tests use small batches to kill imports mid-way).
const BATCH: usize = store::import::DEFAULT_BATCH;

/// Documents built per transaction when compacting after the import.
const COMPACT_BATCH: usize = 2_000;

fn batch_size() -> usize {
    std::env::var("LURING_IMPORT_BATCH").ok().and_then(|value| value.parse().ok()).filter(|&n| n > 0).unwrap_or(BATCH)
}

/// Runs the import.
///
/// # Errors
/// When the source cannot be read or the replica cannot be written.
pub fn run(replica: &Replica, source: Source, quiet: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let (label, unor_file) = match &source {
        Source::SiasnCsv { file, ref_unor } => (
            file.display().to_string(),
            ref_unor
                .clone()
                .or_else(|| file.parent().map(|dir| dir.join("ref-unor.json")).filter(|path| path.is_file())),
        ),
        Source::SiasnWs { dir } => {
            (dir.display().to_string(), Some(dir.join("ref-unor.json")).filter(|path| path.is_file()))
        }
    };
    if let Some(path) = &unor_file {
        let body = std::fs::read(path).with_context(|| format!("tidak dapat membaca {}", path.display()))?;
        let mut warnings = Vec::new();
        let units = decode_ref_unor(&String::from_utf8_lossy(&body), &mut warnings);
        let count = replace_unor(replica, units)?;
        if !quiet {
            eprintln!("Unit organisasi: {count} unor dari {}", path.display());
        }
    }
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: chrono::Utc::now().timestamp_millis(),
        batch: batch_size(),
        message: format!("impor {}", label),
        threads: 0,
    };
    let bar = progress_bar(quiet, "{spinner} {pos} pegawai diimpor ({per_sec}, {elapsed})");
    let (sender, receiver) = mpsc::sync_channel::<Pegawai>(batch_size());
    let mut warnings = 0usize;
    let report = std::thread::scope(|scope| -> anyhow::Result<ImportReport> {
        let reader = scope.spawn(move || -> anyhow::Result<usize> {
            match &source {
                Source::SiasnCsv { file, .. } => read_csv(file, &sender),
                Source::SiasnWs { dir } => read_ws(dir, &sender),
            }
        });
        let report = import_pegawai(replica, receiver, &options, &mut |done| bar.set_position(done as u64))?;
        warnings = reader.join().map_err(|_| anyhow::anyhow!("pembaca berkas berhenti tak terduga"))??;
        Ok(report)
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    // New pegawai were stored as seeds for speed (the replica is fully searchable already); build their automerge
    // documents now. Safe to interrupt: what is left is built on first edit or by the next import or `check`.
    let compacting = Instant::now();
    let bar = progress_bar(quiet, "{spinner} {pos} dokumen automerge dibangun ({per_sec}, {elapsed})");
    let compacted =
        store::document::compact_imported(replica, COMPACT_BATCH, &mut |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    replica.optimize()?;
    let total = report.inserted + report.updated + report.unchanged;
    println!("Impor {label} selesai dalam {elapsed:.1} s ({:.0} pegawai/s).", total as f64 / elapsed.max(1e-9));
    println!("  baru: {}, berubah: {}, tidak berubah: {}", report.inserted, report.updated, report.unchanged);
    if compacted > 0 {
        println!("  dokumen automerge dibangun: {compacted} dalam {:.1} s", compacting.elapsed().as_secs_f64());
    }
    if report.skipped_without_nip > 0 {
        println!("  dilewati (tanpa NIP): {}", report.skipped_without_nip);
    }
    if !report.quarantined.is_empty() {
        println!("  dokumen rusak dikarantina: {} (jalankan `luring-cli check`)", report.quarantined.len());
    }
    if warnings > 0 {
        println!("  peringatan data: {warnings}; lihat rinciannya dengan `luring-cli inspect` pada berkas yang sama");
    }
    Ok(())
}

fn progress_bar(quiet: bool, template: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Streams the CSV's records into `sender`; returns the number of warnings.
fn read_csv(file: &Path, sender: &mpsc::SyncSender<Pegawai>) -> anyhow::Result<usize> {
    if file.is_dir() {
        bail!("{} adalah folder; untuk folder respons web service pakai `import siasn-ws`", file.display());
    }
    let input = File::open(file)
        .with_context(|| format!("tidak dapat membuka {}; periksa path dan izin berkas", file.display()))?;
    let mut warnings = 0;
    let decoded = export::decode_stream(input, &mut |record| {
        warnings += record.warnings.len();
        let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
        if sender.send(pegawai).is_err() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })
    .with_context(|| format!("gagal membaca {}", file.display()))?;
    if let Some(fatal) = decoded.fatal {
        bail!("{} tidak dapat dibaca: {fatal}", file.display());
    }
    Ok(warnings + decoded.warnings.len())
}

/// Streams the WS folder's pegawai into `sender`; returns the number of warnings.
fn read_ws(dir: &Path, sender: &mpsc::SyncSender<Pegawai>) -> anyhow::Result<usize> {
    if !dir.is_dir() {
        bail!("{} bukan folder; berikan folder berisi data-utama/<nip>.json dan rw-*/<nip>.json", dir.display());
    }
    let mut file_warnings = Vec::new();
    let folder = list_responses(dir, &mut file_warnings)?;
    let mut warnings = 0;
    for (stem, files) in folder {
        let nip = Nip::clean(&stem);
        let mut record_warnings = Vec::new();
        let mut body_of = |endpoint: &str| read_body(files.get(endpoint)?, &mut file_warnings);
        if let Some(pegawai) = ws::decode_pegawai(&nip, &mut body_of, &mut record_warnings)
            && sender.send(pegawai).is_err()
        {
            break;
        }
        warnings += record_warnings.len();
    }
    Ok(warnings + file_warnings.len())
}
