//! The `luring-cli` commands, as a library so tests can call them.
//!
//! Each subcommand is a module: [`inspect`] (pre-import check of an SI-ASN export, no replica needed; the
//! `siasn-inspect` crate, shared with `luring-hub import --dry-run`), and on the
//! replica folder given by `--data` (or `LURING_DATA`): [`import`], [`pegawai`] (search, list, show), [`check`],
//! [`sesi`] (`login`, `logout`, `sesi`: signing in with the SSO), [`sync`] (`sync` with the hub, `status`),
//! [`usulan`] (the usulan workflow), [`verifikasi`] (`verifikasi-lapangan`: field visits and their export) and
//! [`pengingat`] (KP, BUP and KGB reminders and their follow-ups).
//! Commands print human-readable Bahasa Indonesia by default and one JSON object per line with `--json`.
//! Errors name the file and what to do next.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a CLI reports to the terminal")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod check;
pub mod halaman;
pub mod import;
pub use siasn_inspect as inspect;
pub mod pegawai;
pub mod pengingat;
pub mod replika;
pub mod sesi;
pub mod sync;
pub mod usulan;
pub mod verifikasi;

/// SIASN Luring: data kepegawaian luring (offline) untuk BKD/BKPSDM.
#[derive(Debug, Parser)]
#[command(name = "luring-cli", version, about, long_about = None)]
pub struct Cli {
    /// Folder data replika (berisi replika.sqlite); juga dari LURING_DATA.
    #[arg(long, global = true, env = "LURING_DATA")]
    data: Option<PathBuf>,
    /// Tanpa bilah kemajuan dan pesan proses (untuk skrip).
    #[arg(long, global = true)]
    quiet: bool,
    /// Perintah yang dijalankan.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Periksa ekspor SI-ASN sebelum diimpor: jumlah, peringatan, fakta turunan, anomali IKD.
    Inspect {
        /// Sumber yang diperiksa: berkas CSV atau folder respons web service.
        #[command(subcommand)]
        source: inspect::Source,
    },
    /// Impor ekspor SI-ASN ke replika (folder --data).
    Import {
        /// Sumber yang diimpor.
        #[command(subcommand)]
        source: import::Source,
    },
    /// Pegawai di replika: cari, daftar, profil.
    Pegawai {
        /// Perintah pegawai.
        #[command(subcommand)]
        command: pegawai::Command,
    },
    /// Periksa integritas replika dan kecocokan daftar dengan dokumen.
    Check {
        /// Bangun ulang daftar dan indeks cari dari dokumen sebelum memeriksa.
        #[arg(long)]
        rebuild: bool,
    },
    /// Masuk dengan akun SSO BKN (peramban, atau --device dengan kode perangkat).
    Login(sesi::LoginArgs),
    /// Keluar: cabut token di penyedia SSO bila terjangkau; pekerjaan lokal tetap tersimpan.
    Logout,
    /// Siapa yang masuk, peran dan instansinya, dan berapa lama lagi kerja luring masih bisa.
    Sesi {
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sinkronkan replika dengan hub: unduhan awal, kirim perubahan lokal, tarik perubahan hub.
    Sync(sync::SyncArgs),
    /// Usulan (KP, peremajaan data, pemberhentian, …): buat, lampirkan dokumen, ajukan, verifikasi, BTS/TMS.
    Usulan {
        /// Perintah usulan.
        #[command(subcommand)]
        command: usulan::Command,
    },
    /// Verifikasi lapangan: catat kunjungan ke pegawai (hasil, catatan, foto), daftar, lihat, tambah foto, ekspor CSV.
    #[command(name = "verifikasi-lapangan")]
    VerifikasiLapangan {
        /// Perintah verifikasi lapangan.
        #[command(subcommand)]
        command: verifikasi::Command,
    },
    /// Pengingat kenaikan pangkat, pensiun (BUP) dan gaji berkala (KGB): daftar, tandai ditangani atau tidak perlu.
    Pengingat {
        /// Perintah pengingat.
        #[command(subcommand)]
        command: pengingat::Command,
    },
    /// Keadaan sinkronisasi: posisi feed, outbox, penolakan hub, unduhan awal, kunci sinkronisasi.
    Status {
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Parses the command line, runs the command and maps errors to an exit code (0 ok, 1 failed, 2 usage).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect { source } => {
            let impor = match &source {
                inspect::Source::SiasnCsv { .. } => "luring-cli --data <folder> import siasn-csv <berkas>",
                inspect::Source::SiasnWs { .. } => "luring-cli --data <folder> import siasn-ws <folder>",
            };
            inspect::run(source, impor)
        }
        Command::Import { source } => {
            replika::open(cli.data.as_deref(), true).and_then(|replica| import::run(&replica, source, cli.quiet))
        }
        Command::Pegawai { command } => {
            replika::open(cli.data.as_deref(), false).and_then(|replica| pegawai::run(&replica, command))
        }
        Command::Check { rebuild } => {
            replika::open(cli.data.as_deref(), false).and_then(|replica| check::run(&replica, rebuild))
        }
        Command::Login(args) => sesi::login(cli.data.as_deref(), &args),
        Command::Logout => sesi::logout(cli.data.as_deref()),
        Command::Sesi { json } => sesi::sesi(cli.data.as_deref(), json),
        Command::Sync(args) => sync::run(cli.data.as_deref(), args, cli.quiet),
        Command::Status { json } => sync::status(cli.data.as_deref(), json),
        Command::Usulan { command } => usulan::run(cli.data.as_deref(), command),
        Command::VerifikasiLapangan { command } => verifikasi::run(cli.data.as_deref(), command),
        Command::Pengingat { command } => pengingat::run(cli.data.as_deref(), command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`luring-cli … | head`): not an error of ours.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("galat: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// The single-threaded runtime on which a subcommand awaits the `app` use cases.
///
/// # Errors
/// When the runtime cannot be built (no I/O driver available).
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("tidak dapat menyiapkan runtime")
}

/// Writes `value` as one JSON object on its own line: the `--json` output of every command.
///
/// # Errors
/// Serialization or write errors.
pub(crate) fn baris_json(out: &mut impl std::io::Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}
