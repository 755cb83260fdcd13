//! `luring-cli --data DIR pengingat daftar|tandai|batal`: the desktop's Pengingat screen, headless
//! (`app::pengingat` through an [`app::AppContext`] on the replica folder, with the officer signed in by
//! `luring-cli login`).
//!
//! `daftar` lists the KP reguler, pensiun (BUP) or KGB reminders due within `--bulan` months from today, with their
//! state (aktif, kedaluwarsa, ditangani, tidak perlu) and counts per state; `--json` prints one object per
//! reminder (`app::pengingat::PengingatView`, every matching row, no paging). `tandai` records a follow-up
//! (ditangani or tidak_perlu, with a note) and `batal` takes it back, offline: `luring-cli sync` sends it to the hub
//! and so to every replica of the instansi. Errors name the field and the value, and exit with status 1.

use std::io::{BufWriter, Write};
use std::path::Path;

use app::pengingat::{FilterPengingat, PengingatView};
use clap::Subcommand;

use crate::usulan::{context, masuk_dulu};

/// The pengingat subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Daftar pengingat satu jenis dalam rentang bulan ke depan, dengan status tindak lanjutnya.
    Daftar {
        /// Jenis: kp (kenaikan pangkat reguler), bup (pensiun), kgb (kenaikan gaji berkala).
        #[arg(long)]
        jenis: String,
        /// Rentang dari hari ini, dalam bulan (1–23).
        #[arg(long, default_value_t = app::pengingat::BULAN_BAKU)]
        bulan: u32,
        /// Hanya status ini: aktif, kedaluwarsa, ditangani, tidak_perlu.
        #[arg(long)]
        status: Option<String>,
        /// Hanya pegawai unor ini (id) dan unit di bawahnya.
        #[arg(long)]
        unor: Option<String>,
        /// Tanpa --json: paling banyak berapa baris ditampilkan; 0 = semua (--json selalu mencetak semua).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Cetak satu objek JSON per pengingat.
        #[arg(long)]
        json: bool,
    },
    /// Catat tindak lanjut satu pengingat (luring): ditangani atau tidak_perlu.
    Tandai {
        /// NIP pegawai.
        #[arg(long)]
        nip: String,
        /// Kunci pengingat, seperti di kolom KUNCI `daftar` (mis. kgb-2027-06-01).
        #[arg(long)]
        kunci: String,
        /// ditangani atau tidak_perlu.
        #[arg(long, default_value = "ditangani")]
        status: String,
        /// Catatan (paling panjang 500 karakter); boleh diawali tanda minus.
        #[arg(long, allow_hyphen_values = true)]
        catatan: Option<String>,
    },
    /// Batalkan tindak lanjut yang sudah dicatat (pengingat kembali aktif atau kedaluwarsa).
    Batal {
        /// NIP pegawai.
        #[arg(long)]
        nip: String,
        /// Kunci pengingat.
        #[arg(long)]
        kunci: String,
    },
}

/// Runs a pengingat subcommand.
///
/// # Errors
/// The use case's error (its message names the field and the value); the replica or keyring missing.
pub fn run(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    run_inner(data, command).map_err(|error| masuk_dulu(error, data))
}

fn run_inner(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    let context = context(data)?;
    let runtime = crate::runtime()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Daftar { jenis, bulan, status, unor, limit, json } => {
            let filter = FilterPengingat { jenis, bulan: Some(bulan), status, unor };
            let semua = json || limit == 0;
            let mut header = !json;
            let (shown, per_status) = crate::halaman::cetak_semua(
                semua,
                limit,
                app::pengingat::MAX_ROWS,
                |kursor, batas| {
                    let page = runtime.block_on(context.pengingat_daftar(filter.clone(), kursor, batas))?;
                    Ok(crate::halaman::Halaman { baris: page.baris, hitung: page.per_status, berikut: page.berikut })
                },
                |row| {
                    if std::mem::take(&mut header) {
                        writeln!(
                            out,
                            "{:<10}  {:<18}  {:<36}  {:<7}  {:<24}  {:<16}  KUNCI",
                            "TANGGAL", "NIP", "NAMA", "GOL", "KETERANGAN", "STATUS"
                        )?;
                    }
                    emit_row(&mut out, row, json)
                },
            )?;
            if !json {
                let total: i64 = per_status.iter().map(|hitung| hitung.jumlah).sum();
                let counts: Vec<String> =
                    per_status.iter().map(|hitung| format!("{} {}", hitung.label, hitung.jumlah)).collect();
                if total == 0 {
                    writeln!(out, "Tidak ada pengingat {bulan} bulan ke depan.")?;
                } else {
                    writeln!(out, "{shown} dari {total} pengingat ditampilkan; per status: {}.", counts.join(", "))?;
                }
            }
        }
        Command::Tandai { nip, kunci, status, catatan } => {
            let recorded =
                runtime.block_on(context.pengingat_tandai(nip.clone(), None, kunci.clone(), Some(status), catatan))?;
            let status = recorded.map_or_else(String::new, |row| row.status_nama.to_lowercase());
            writeln!(out, "Pengingat {kunci} NIP {nip} ditandai {status} (luring; kirim dengan `luring-cli sync`).")?;
        }
        Command::Batal { nip, kunci } => {
            runtime.block_on(context.pengingat_tandai(nip.clone(), None, kunci.clone(), None, None))?;
            writeln!(out, "Tindak lanjut pengingat {kunci} NIP {nip} dibatalkan (luring).")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `dd-mm-yyyy` of a `yyyy-mm-dd` date (the text itself when it does not read).
fn dmy(text: &str) -> String {
    text.parse::<chrono::NaiveDate>().map_or_else(|_| text.to_owned(), |date| date.format("%d-%m-%Y").to_string())
}

/// One reminder: a JSON line, or a table line.
fn emit_row(out: &mut impl Write, row: &PengingatView, json: bool) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, row)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<10}  {:<18}  {:<36.36}  {:<7}  {:<24.24}  {:<16}  {}",
        dmy(&row.tanggal),
        row.nip,
        row.nama,
        row.golongan.as_deref().unwrap_or("-"),
        row.keterangan,
        row.status_nama,
        row.kunci
    )?;
    Ok(())
}
