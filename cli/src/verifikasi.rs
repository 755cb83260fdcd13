//! `luring-cli --data DIR verifikasi-lapangan catat|daftar|lihat|foto|ekspor`: field visits of the desktop's
//! Verifikasi lapangan screen, headless (`app::verifikasi` through an [`AppContext`] on the replica folder, with the
//! officer signed in by `luring-cli login`).
//!
//! Every command works offline: it writes to the replica, and `luring-cli sync` sends the visit and its photos to
//! the hub. Human output is a short report in Bahasa Indonesia; `--json` prints one object per line: the visit's
//! detail (`app::verifikasi::KunjunganDetail`) for `catat`, `lihat` and `foto`, one list row
//! (`app::verifikasi::KunjunganRingkas`) per visit for `daftar` (every matching visit, no paging). `ekspor` writes
//! the CSV of the follow-up list to standard output or to `--keluar`. Errors name the field or file and the value,
//! and exit with status 1. A photo's size on disk is checked before it is read. Dates are `yyyy-mm-dd` or
//! `dd-mm-yyyy`; `daftar --limit 0` lists every matching visit.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::AppContext;
use app::verifikasi::{FilterKunjungan, FotoBaru, KunjunganBaru, KunjunganDetail, KunjunganRingkas};
use clap::{Args, Subcommand};

use crate::usulan::{context, masuk_dulu, mime_of};

/// The verifikasi lapangan subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Catat kunjungan ke seorang pegawai: hasil, catatan, foto (luring).
    Catat {
        /// NIP pegawai yang dikunjungi.
        #[arg(long)]
        nip: String,
        /// Hasil: ditemukan, tidak_ditemukan, meninggal, pindah, lainnya.
        #[arg(long)]
        hasil: String,
        /// Catatan (paling panjang 2000 karakter; wajib untuk hasil lainnya); boleh diawali tanda minus.
        #[arg(long, allow_hyphen_values = true)]
        catatan: Option<String>,
        /// Foto (JPG atau PNG, paling besar 5 MB; semua foto paling besar 10 MB); boleh diulang.
        #[arg(long)]
        foto: Vec<PathBuf>,
        /// Jenis MIME semua foto --foto (bawaan: dari akhiran nama tiap berkas: .jpg/.jpeg, .png).
        #[arg(long)]
        mime: Option<String>,
        /// Cetak detail sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Daftar kunjungan, terbaru dulu, dengan saringan.
    Daftar {
        /// Saringan.
        #[command(flatten)]
        filter: FilterArgs,
        /// Tanpa --json: paling banyak berapa baris ditampilkan; 0 = semua yang cocok (--json selalu mencetak
        /// semua yang cocok).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Cetak satu objek JSON per kunjungan.
        #[arg(long)]
        json: bool,
    },
    /// Detail satu kunjungan, dengan fotonya.
    Lihat {
        /// Id kunjungan.
        id: String,
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tambahkan foto ke kunjungan yang sudah dicatat.
    Foto {
        /// Id kunjungan.
        id: String,
        /// Berkas foto (JPG atau PNG).
        berkas: PathBuf,
        /// Jenis MIME (bawaan: dari akhiran nama berkas: .jpg/.jpeg, .png).
        #[arg(long)]
        mime: Option<String>,
        /// Nama berkas yang dicatat (bawaan: nama berkasnya).
        #[arg(long)]
        nama: Option<String>,
        /// Cetak detail sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ekspor hasil kunjungan sebagai CSV untuk tindak lanjut (NIP, nama, unor, hasil, catatan, petugas, waktu,
    /// jumlah foto).
    Ekspor {
        /// Saringan.
        #[command(flatten)]
        filter: FilterArgs,
        /// Tulis ke berkas ini (bawaan: keluaran standar).
        #[arg(long)]
        keluar: Option<PathBuf>,
    },
}

/// The list filters, as flags.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Hanya hasil ini (ditemukan, tidak_ditemukan, meninggal, pindah, lainnya).
    #[arg(long)]
    hasil: Option<String>,
    /// Hanya kunjungan ke NIP ini.
    #[arg(long)]
    nip: Option<String>,
    /// Hanya pegawai unor ini (id) dan unit di bawahnya.
    #[arg(long)]
    unor: Option<String>,
    /// Sejak tanggal ini (yyyy-mm-dd atau dd-mm-yyyy).
    #[arg(long)]
    dari: Option<String>,
    /// Sampai tanggal ini (yyyy-mm-dd atau dd-mm-yyyy), termasuk.
    #[arg(long)]
    sampai: Option<String>,
}

impl FilterArgs {
    fn filter(self) -> FilterKunjungan {
        FilterKunjungan { hasil: self.hasil, nip: self.nip, unor: self.unor, dari: self.dari, sampai: self.sampai }
    }
}

/// Runs a verifikasi lapangan subcommand.
///
/// # Errors
/// The use case's error (its message names the field and the value); a file that cannot be read or written; the
/// replica or keyring missing.
pub fn run(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    run_inner(data, command).map_err(|error| masuk_dulu(error, data))
}

/// A photo file read for attaching: its size checked first, its type from `mime` or its extension.
///
/// # Errors
/// An unknown type, a size outside the limits (the file is not read then), a file that cannot be read.
fn baca_foto(
    context: &AppContext,
    berkas: &Path,
    mime: Option<String>,
    nama: Option<String>,
) -> anyhow::Result<FotoBaru> {
    let nama = nama.unwrap_or_else(|| {
        berkas.file_name().map_or_else(|| berkas.display().to_string(), |name| name.to_string_lossy().into_owned())
    });
    let Some(mime) = mime.or_else(|| mime_of(berkas).map(str::to_owned)) else {
        bail!("jenis berkas {} tidak dikenali dari akhirannya; tambahkan --mime (mis. image/jpeg)", berkas.display());
    };
    let ukuran =
        std::fs::metadata(berkas).with_context(|| format!("tidak dapat membaca berkas {}", berkas.display()))?.len();
    context
        .verifikasi_lapangan_periksa_foto(&nama, ukuran)
        .with_context(|| format!("foto {} ({ukuran} byte) tidak dapat dilampirkan", berkas.display()))?;
    let isi = std::fs::read(berkas).with_context(|| format!("tidak dapat membaca berkas {}", berkas.display()))?;
    Ok(FotoBaru { nama, mime, isi })
}

/// [`run`] without the sign-in hint.
fn run_inner(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    let context = context(data)?;
    let runtime = crate::runtime()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Catat { nip, hasil, catatan, foto, mime, json } => {
            let foto = foto
                .iter()
                .map(|berkas| baca_foto(&context, berkas, mime.clone(), None))
                .collect::<anyhow::Result<_>>()?;
            let detail =
                runtime.block_on(context.verifikasi_lapangan_buat(KunjunganBaru { nip, hasil, catatan, foto }))?;
            if !json {
                writeln!(
                    out,
                    "Verifikasi lapangan {} dicatat (luring; kirim dengan `luring-cli sync`).",
                    detail.ringkas.id
                )?;
            }
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Daftar { filter, limit, json } => {
            let filter = filter.filter();
            // `--limit 0`: no limit, like --json.
            let semua = json || limit == 0;
            let (shown, per_hasil) = crate::halaman::cetak_semua(
                semua,
                limit,
                app::verifikasi::MAX_ROWS,
                |kursor, batas| {
                    let page = runtime.block_on(context.verifikasi_lapangan_daftar(filter.clone(), kursor, batas))?;
                    Ok(crate::halaman::Halaman { baris: page.baris, hitung: page.per_hasil, berikut: page.berikut })
                },
                |row| emit_row(&mut out, row, json),
            )?;
            if !json {
                let total: i64 = per_hasil.iter().map(|hitung| hitung.jumlah).sum();
                if total == 0 {
                    writeln!(out, "Tidak ada kunjungan yang cocok.")?;
                } else {
                    let counts: Vec<String> =
                        per_hasil.iter().map(|hitung| format!("{} {}", hitung.label, hitung.jumlah)).collect();
                    writeln!(out, "{shown} kunjungan ditampilkan; per hasil: {}.", counts.join(", "))?;
                }
            }
        }
        Command::Lihat { id, json } => {
            let detail = runtime.block_on(context.verifikasi_lapangan_detail(id))?;
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Foto { id, berkas, mime, nama, json } => {
            let foto = baca_foto(&context, &berkas, mime, nama)?;
            let detail = runtime.block_on(context.verifikasi_lapangan_foto_tambah(id, foto))?;
            if !json {
                writeln!(out, "Foto {} ditambahkan.", berkas.display())?;
            }
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Ekspor { filter, keluar } => {
            let (bytes, jumlah) = runtime.block_on(context.verifikasi_lapangan_csv(filter.filter()))?;
            match keluar {
                Some(path) => {
                    std::fs::write(&path, &bytes).with_context(|| {
                        format!("tidak dapat menulis {}; periksa folder dan izinnya", path.display())
                    })?;
                    writeln!(out, "{jumlah} kunjungan diekspor ke {}.", path.display())?;
                }
                None => out.write_all(&bytes)?,
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `dd-mm-yyyy HH:MM` in the local time zone, or `-`.
fn waktu(row: &KunjunganRingkas) -> String {
    row.waktu
        .as_deref()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
        .map_or_else(|| "-".to_owned(), |time| time.with_timezone(&chrono::Local).format("%d-%m-%Y %H:%M").to_string())
}

/// One list row: a JSON line, or a table line.
fn emit_row(out: &mut impl Write, row: &KunjunganRingkas, json: bool) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, row)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}  {}  {:<16.16}  {} {:<40.40}  {} foto",
        row.id,
        waktu(row),
        row.hasil_nama,
        row.nip,
        row.nama.as_deref().unwrap_or("(tidak ada di replika)"),
        row.jumlah_foto
    )?;
    Ok(())
}

/// A visit's detail: a JSON line, or a report.
fn emit_detail(out: &mut impl Write, detail: &KunjunganDetail, json: bool) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, detail)?;
        return Ok(());
    }
    let row = &detail.ringkas;
    writeln!(out, "Verifikasi lapangan {}", row.id)?;
    writeln!(out, "  pegawai : {} {}", row.nip, row.nama.as_deref().unwrap_or("(tidak ada di replika)"))?;
    if let Some(unor) = &row.unor_nama {
        writeln!(out, "  unor    : {unor}")?;
    }
    let lokal = if detail.lokal { "; belum terkirim ke hub" } else { "" };
    writeln!(out, "  hasil   : {}{lokal}", row.hasil_nama)?;
    writeln!(out, "  waktu   : {} oleh {}", waktu(row), row.petugas)?;
    if let Some(catatan) = &row.catatan {
        writeln!(out, "  catatan : {catatan}")?;
    }
    for foto in &detail.foto {
        let ada = if foto.tersedia { "" } else { " (belum terunduh; sinkronkan)" };
        writeln!(out, "  foto    : {} ({} byte, {}) {}{ada}", foto.name, foto.size, foto.mime, foto.sha256)?;
    }
    Ok(())
}
