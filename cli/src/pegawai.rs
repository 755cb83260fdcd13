//! `luring-cli --data DIR pegawai search|list|show|riwayat-perubahan`: the replica's pegawai, as the Pegawai screen
//! shows them, and one pegawai's audit trail (`app::riwayat`: who, from which device, when, each field before and
//! after; `--json` prints it as one object).
//!
//! Human output is a table; `--json` prints one object per line for every matching row (no paging, and for
//! `search` no `--limit`: every pegawai the search finds), with the same normalised fields and derived facts as
//! `inspect --json` (the facts are derived for today, or `--today`).

use std::io::{BufWriter, Write};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use model::inspect::laporan_owned;
use store::Replica;
use store::query::{self, Filter, PegawaiRingkas, Urutan};

use crate::inspect::parse_today;

/// The pegawai subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cari pegawai menurut nama, NIP, jabatan atau unor (seperti mengetik di kotak cari).
    Search {
        /// Kata atau NIP yang dicari.
        query: String,
        /// Tanpa --json: paling banyak berapa hasil ditampilkan (--json mencetak semua yang cocok).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Opsi keluaran.
        #[command(flatten)]
        output: Output,
    },
    /// Daftar pegawai dengan saringan dan urutan.
    List {
        /// Saringan.
        #[command(flatten)]
        filter: FilterArgs,
        /// Urutan.
        #[arg(long, value_enum, default_value_t = Sort::Nama)]
        urut: Sort,
        /// Tanpa --json: paling banyak berapa baris ditampilkan.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Opsi keluaran.
        #[command(flatten)]
        output: Output,
    },
    /// Riwayat perubahan satu pegawai: siapa, dari perangkat mana, kapan, field sebelum → sesudah (terbaru dulu).
    RiwayatPerubahan {
        /// NIP pegawai.
        nip: String,
        /// Berapa perubahan terbaru yang dibaca.
        #[command(flatten)]
        batas: BatasRiwayat,
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Profil satu pegawai: data utama, fakta turunan, anomali IKD, konflik.
    Show {
        /// NIP pegawai.
        nip: String,
        /// Opsi keluaran.
        #[command(flatten)]
        output: Output,
    },
}

/// Output options.
#[derive(Debug, Args)]
pub struct Output {
    /// Cetak satu objek JSON per baris (semua baris, tanpa halaman).
    #[arg(long)]
    json: bool,
    /// Tanggal acuan (`yyyy-mm-dd` atau `dd-mm-yyyy`); bawaan hari ini.
    #[arg(long, value_parser = parse_today)]
    today: Option<NaiveDate>,
}

/// The list filters, as flags.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Hanya pegawai di unor ini dan di bawahnya (id unor).
    #[arg(long)]
    unor: Option<String>,
    /// Golongan dari (id, mis. 31 untuk III/a).
    #[arg(long)]
    golongan_dari: Option<String>,
    /// Golongan sampai (id).
    #[arg(long)]
    golongan_sampai: Option<String>,
    /// Jenis jabatan (1 struktural, 2 fungsional tertentu, 4 pelaksana); boleh diulang.
    #[arg(long)]
    jenis_jabatan: Vec<String>,
    /// Jenis ASN (PNS, CPNS, PPPK); boleh diulang.
    #[arg(long)]
    jenis_asn: Vec<String>,
    /// Kedudukan hukum (id, mis. 01 aktif); boleh diulang.
    #[arg(long)]
    kedudukan: Vec<String>,
    /// Hanya yang memiliki anomali IKD hari ini.
    #[arg(long, conflicts_with = "tanpa_anomali")]
    anomali: bool,
    /// Hanya yang tanpa anomali IKD hari ini.
    #[arg(long)]
    tanpa_anomali: bool,
    /// Hanya yang memiliki kode IKD ini (mis. COM_6, TIM_5).
    #[arg(long)]
    ikd: Option<String>,
    /// Hanya yang TMT pensiunnya dalam N bulan (termasuk yang sudah lewat).
    #[arg(long)]
    bup_dalam_bulan: Option<u32>,
    /// Hanya yang sudah 4 tahun dalam pangkat pada periode KP ini (`yyyy-mm-dd`).
    #[arg(long, value_parser = parse_today)]
    kp_pada: Option<NaiveDate>,
}

/// Sort orders.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Sort {
    /// Menurut nama.
    Nama,
    /// Menurut NIP.
    Nip,
    /// Menurut golongan (tertinggi dulu).
    Golongan,
    /// Menurut TMT pensiun (terdekat dulu).
    TmtPensiun,
}

impl From<&FilterArgs> for Filter {
    fn from(args: &FilterArgs) -> Filter {
        Filter {
            unor: args.unor.clone(),
            golongan_dari: args.golongan_dari.clone(),
            golongan_sampai: args.golongan_sampai.clone(),
            jenis_jabatan: args.jenis_jabatan.clone(),
            jenis_asn: args.jenis_asn.iter().map(|jenis| jenis.to_uppercase()).collect(),
            kedudukan: args.kedudukan.clone(),
            ada_anomali: if args.anomali {
                Some(true)
            } else if args.tanpa_anomali {
                Some(false)
            } else {
                None
            },
            ikd: args.ikd.as_ref().map(|code| code.to_uppercase()),
            bup_dalam_bulan: args.bup_dalam_bulan,
            kp_pada: args.kp_pada,
        }
    }
}

/// Runs a pegawai subcommand.
///
/// # Errors
/// Replica errors; a NIP that is not there.
pub fn run(replica: &Replica, command: Command) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Search { query: text, limit, output } => {
            let today = output.today.unwrap_or_else(today);
            let reader = replica.reader()?;
            if output.json {
                // Every match, streamed: an export is not capped like the search box.
                store::projection::search_all(&reader, &text, |rowid, nip| {
                    write_laporan(&reader, &mut out, rowid, nip, today)
                })?;
            } else {
                let rows = query::search(&reader, &text, limit, today)?;
                drop(reader);
                if rows.is_empty() {
                    writeln!(out, "Tidak ada pegawai yang cocok dengan '{text}'.")?;
                }
                emit(replica, &mut out, &rows, false, today)?;
            }
        }
        Command::List { filter, urut, limit, output } => {
            let today = output.today.unwrap_or_else(today);
            let filter = Filter::from(&filter);
            let sort = match urut {
                Sort::Nama => Urutan::Nama,
                Sort::Nip => Urutan::Nip,
                Sort::Golongan => Urutan::Golongan,
                Sort::TmtPensiun => Urutan::TmtPensiun,
            };
            let reader = replica.reader()?;
            let total = query::facets(&reader, &filter, today)?.total;
            let mut after = None;
            let mut shown = 0usize;
            loop {
                let page_size = if output.json { 500 } else { limit.saturating_sub(shown).clamp(1, 500) };
                let page = query::list(&reader, &filter, sort, after.as_ref(), page_size, today)?;
                shown += page.rows.len();
                emit(replica, &mut out, &page.rows, output.json, today)?;
                match page.berikutnya {
                    Some(next) if output.json || shown < limit => after = Some(next),
                    _ => break,
                }
            }
            if !output.json {
                writeln!(
                    out,
                    "{shown} dari {total} pegawai ditampilkan{}.",
                    if (shown as i64) < total { "; pakai --json untuk semua" } else { "" }
                )?;
            }
        }
        Command::RiwayatPerubahan { nip, batas, json } => {
            let history = match store::riwayat::pegawai(&*replica.reader()?, &nip, None, batas.batas()) {
                Err(store::Error::NotFound(_)) => anyhow::bail!("NIP {nip} tidak ada di replika"),
                Err(store::Error::CorruptDocument { .. }) => anyhow::bail!(
                    "dokumen pegawai {nip} rusak; jalankan `luring-cli check` untuk mengarantinanya, lalu sinkronkan ulang"
                ),
                other => other?,
            };
            let riwayat =
                app::riwayat::riwayat(history, &replica.actor().to_hex_string(), store::document::Kind::Pegawai);
            cetak_riwayat(&mut out, &riwayat, json)?;
        }
        Command::Show { nip, output } => {
            let today = output.today.unwrap_or_else(today);
            let reader = replica.reader()?;
            let profil = match query::profil(&reader, &nip) {
                Err(store::Error::NotFound(_)) => anyhow::bail!("NIP {nip} tidak ada di replika"),
                Err(store::Error::CorruptDocument { .. }) => anyhow::bail!(
                    "dokumen pegawai {nip} rusak; jalankan `luring-cli check` untuk mengarantinanya, lalu sinkronkan ulang"
                ),
                other => other?,
            };
            let eselon = |id: &str| query::eselon_unor(&reader, id).ok().flatten();
            let laporan = laporan_owned(profil.pegawai, Vec::new(), format!("dokumen {}", profil.id), today, &eselon);
            if output.json {
                serde_json::to_writer(&mut out, &laporan)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}  ({})", laporan.nama_lengkap, laporan.nip)?;
                let field = |name: &str, value: Option<String>| {
                    format!("  {name:<22}: {}", value.unwrap_or_else(|| "-".into()))
                };
                writeln!(out, "{}", field("jenis ASN", laporan.jenis_asn.map(|jenis| jenis.as_str().to_owned())))?;
                writeln!(out, "{}", field("tanggal lahir", laporan.tgl_lahir.map(model::date::format_dmy)))?;
                writeln!(out, "{}", field("golongan", laporan.golongan_akhir_id.clone()))?;
                writeln!(out, "{}", field("jabatan", laporan.data_utama.jabatan_nama.clone()))?;
                writeln!(out, "{}", field("unor", laporan.data_utama.unor_nama.clone()))?;
                writeln!(out, "{}", field("BUP", laporan.bup.map(|bup| format!("{bup} tahun"))))?;
                writeln!(out, "{}", field("TMT pensiun", laporan.tmt_pensiun.map(model::date::format_dmy)))?;
                writeln!(
                    out,
                    "{}",
                    field("KP reguler berikutnya", laporan.kp_berikutnya.map(model::date::format_dmy))
                )?;
                for line in &laporan.kp_keterangan {
                    writeln!(out, "      {line}")?;
                }
                if laporan.ikd_penjelasan.is_empty() {
                    writeln!(out, "  anomali IKD            : tidak ada")?;
                }
                for temuan in &laporan.ikd_penjelasan {
                    writeln!(out, "  IKD {:<7}: {}", temuan.kode, temuan.penjelasan)?;
                }
                for (path, values) in &profil.konflik {
                    writeln!(out, "  KONFLIK {path}: {values}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// How many of the newest changes `riwayat-perubahan` reads: 50 unless told (each costs about one rebuild of the
/// document at a past version, `store::riwayat::Batas`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct BatasRiwayat {
    /// Paling banyak berapa perubahan terbaru dibaca (1–1000; bawaan 50).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000), conflicts_with = "semua")]
    batas: Option<u16>,
    /// Baca semua perubahan (bisa lama untuk dokumen dengan riwayat panjang).
    #[arg(long)]
    semua: bool,
}

impl BatasRiwayat {
    /// The cap these options give.
    pub fn batas(self) -> store::riwayat::Batas {
        let bawaan = store::riwayat::Batas::default();
        let changes = match (self.semua, self.batas) {
            (true, _) => usize::MAX,
            (false, Some(batas)) => usize::from(batas),
            (false, None) => bawaan.changes,
        };
        store::riwayat::Batas { changes, ..bawaan }
    }
}

/// Writes an audit trail: one JSON object, or per change a line (local time, who, device, what) and a line per
/// field (`nama: sebelum → sesudah`, `—` for none).
///
/// # Errors
/// Write errors.
pub(crate) fn cetak_riwayat(
    out: &mut impl Write,
    riwayat: &app::riwayat::RiwayatPerubahan,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, riwayat)?;
        return Ok(());
    }
    for perubahan in &riwayat.perubahan {
        let waktu = chrono::DateTime::parse_from_rfc3339(&perubahan.waktu)
            .map(|time| time.with_timezone(&chrono::Local).format("%d-%m-%Y %H:%M").to_string())
            .unwrap_or_else(|_| perubahan.waktu.clone());
        writeln!(out, "{waktu}  {} · {}  {}", perubahan.oleh, perubahan.perangkat, perubahan.pesan)?;
        for field in &perubahan.field {
            let tampil = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
            writeln!(out, "    {}: {} → {}", field.field, tampil(&field.sebelum), tampil(&field.sesudah))?;
        }
        if perubahan.field_lainnya > 0 {
            writeln!(out, "    … dan {} field lain", perubahan.field_lainnya)?;
        }
    }
    let lebih = if riwayat.terpotong { " (yang lebih lama tidak ditampilkan)" } else { "" };
    writeln!(out, "{} dari {} perubahan ditampilkan{lebih}.", riwayat.perubahan.len(), riwayat.total)?;
    Ok(())
}

/// Writes rows as a table, or as full JSON reports (each document hydrated, facts derived for `today`).
fn emit(
    replica: &Replica,
    out: &mut impl Write,
    rows: &[PegawaiRingkas],
    json: bool,
    today: NaiveDate,
) -> anyhow::Result<()> {
    if json {
        let reader = replica.reader()?;
        for row in rows {
            write_laporan(&reader, out, row.rowid, &row.nip, today)?;
        }
        return Ok(());
    }
    for row in rows {
        writeln!(
            out,
            "{:<18}  {:<40.40}  {:<4}  {:<30.30}  {:<30.30}  {}",
            row.nip,
            row.nama_lengkap,
            row.golongan_id.as_deref().unwrap_or("-"),
            row.jabatan_nama.as_deref().unwrap_or("-"),
            row.unor_nama.as_deref().unwrap_or("-"),
            if row.ikd_count > 0 { format!("IKD {}", row.ikd_count) } else { String::new() },
        )?;
    }
    Ok(())
}

/// Writes the full JSON report of the pegawai document at `rowid` (hydrated, facts derived for `today`) as one
/// line; a corrupt document is skipped with a warning naming `nip`.
fn write_laporan(
    reader: &store::Reader<'_>,
    out: &mut impl Write,
    rowid: i64,
    nip: &str,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let profil = match query::profil_by_rowid(reader, rowid) {
        Ok(profil) => profil,
        Err(store::Error::CorruptDocument { .. }) => {
            eprintln!("peringatan: dokumen pegawai {nip} rusak, dilewati; jalankan `luring-cli check`");
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    let eselon = |id: &str| query::eselon_unor(reader, id).ok().flatten();
    let laporan = laporan_owned(profil.pegawai, Vec::new(), format!("dokumen {}", profil.id), today, &eselon);
    crate::baris_json(&mut *out, &laporan)?;
    Ok(())
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
