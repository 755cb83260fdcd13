//! `luring-cli --data DIR usulan buat|daftar|lihat|riwayat-perubahan|lampirkan|ajukan|verifikasi|bts|tms|teruskan|`
//! `setujui|sk-terbit|batal`: the usulan workflow of the desktop's Usulan and Verifikasi screens, headless
//! (`app::usulan` through an [`AppContext`] on the replica folder, with the officer signed in by `luring-cli login`);
//! `riwayat-perubahan` prints the usulan document's audit trail (`app::riwayat`).
//!
//! Every command works offline: it writes to the replica, and `luring-cli sync` sends it to the hub, which judges
//! each transition against the officer's roles. Human output is a short report in Bahasa Indonesia; `--json`
//! prints one object per line: the usulan's detail (`app::usulan::UsulanDetail`) for `lihat`, `buat`,
//! `lampirkan` and the transitions, one list row (`app::usulan::UsulanRingkas`) per usulan for `daftar` (every
//! matching usulan, no paging). Errors name the usulan, field or file and the value, and exit with status 1; without
//! a sign-in the error says to run `luring-cli login`. `lampirkan` checks the file's size on disk against the
//! checklist before reading it.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use app::AppContext;
use app::context::{Config, QuietHost};
use app::settings::Overrides;
use app::usulan::{AksiMasukan, FilterUsulan, UsulanBaru, UsulanDetail, UsulanRingkas};
use clap::{Args, Subcommand};

use crate::replika;

/// The usulan subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Buat usulan baru (draf) untuk satu pegawai atau lebih (kolektif).
    Buat {
        /// Jenis usulan: kenaikan_pangkat, peremajaan_data, pemberhentian, pindah_instansi, pencantuman_gelar,
        /// peninjauan_masa_kerja.
        #[arg(long)]
        jenis: String,
        /// Sub jenis: jenis KP (101 reguler, 201–210 pilihan) atau jenis pemberhentian.
        #[arg(long)]
        sub_jenis: Option<String>,
        /// NIP pegawai; ulangi untuk usulan kolektif.
        #[arg(long, required = true)]
        nip: Vec<String>,
        /// Perubahan yang diusulkan, `FIELD=NILAI` (mis. data_utama.no_hp=081234567890); boleh diulang.
        #[arg(long = "ubah", value_parser = parse_ubah)]
        ubah: Vec<(String, String)>,
        /// Catatan pada usulan.
        #[arg(long)]
        catatan: Option<String>,
        /// Cetak detail usulan sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Daftar usulan, terbaru dulu, dengan saringan.
    Daftar {
        /// Saringan.
        #[command(flatten)]
        filter: FilterArgs,
        /// Tanpa --json: paling banyak berapa baris ditampilkan (--json mencetak semua yang cocok).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Cetak satu objek JSON per usulan.
        #[arg(long)]
        json: bool,
    },
    /// Riwayat perubahan dokumen usulan: siapa, dari perangkat mana, kapan, field sebelum → sesudah.
    RiwayatPerubahan {
        /// Id usulan.
        id: String,
        /// Berapa perubahan terbaru yang dibaca.
        #[command(flatten)]
        batas: crate::pegawai::BatasRiwayat,
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Detail satu usulan: pegawai, perubahan, daftar dokumen, riwayat, temuan, aksi yang boleh.
    Lihat {
        /// Id usulan.
        id: String,
        /// Cetak sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Lampirkan berkas untuk satu dokumen dalam daftar syarat usulan.
    Lampirkan {
        /// Id usulan.
        id: String,
        /// Kode dokumen dari daftar syarat (mis. 858; di usulan kolektif `<nip>/<kode>`).
        kode: String,
        /// Berkas yang dilampirkan.
        berkas: PathBuf,
        /// Jenis MIME (bawaan: dari akhiran nama berkas: .pdf, .jpg/.jpeg, .png).
        #[arg(long)]
        mime: Option<String>,
        /// Nama berkas yang dicatat (bawaan: nama berkasnya).
        #[arg(long)]
        nama: Option<String>,
        /// Cetak detail usulan sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ajukan usulan (draf atau setelah BTS); ditolak bila pemeriksaan pra-pengajuan menemukan yang memblokir.
    Ajukan(AksiArgs),
    /// Verifikasi usulan yang diajukan (verifikator instansi).
    Verifikasi(AksiArgs),
    /// Kembalikan usulan untuk perbaikan (BTS), dengan --alasan.
    Bts(AksiArgs),
    /// Tolak usulan (TMS), dengan --alasan.
    Tms(AksiArgs),
    /// Teruskan usulan yang diverifikasi ke BKN (verifikator instansi).
    Teruskan(AksiArgs),
    /// Setujui usulan yang diteruskan ke BKN (verifikator BKN).
    Setujui(AksiArgs),
    /// Catat SK terbit untuk usulan yang disetujui (verifikator BKN).
    SkTerbit(AksiArgs),
    /// Batalkan usulan (draf, BTS atau diajukan).
    Batal(AksiArgs),
}

/// The options of a transition.
#[derive(Debug, Args)]
pub struct AksiArgs {
    /// Id usulan.
    id: String,
    /// Id alasan tolak (alasan-tolak.json), wajib untuk BTS dan TMS (mis. 51 BTS - Dokumen Tidak Lengkap).
    #[arg(long)]
    alasan: Option<String>,
    /// Catatan.
    #[arg(long)]
    catatan: Option<String>,
    /// Usulan kolektif: hanya NIP ini; boleh diulang (bawaan: semua).
    #[arg(long)]
    nip: Vec<String>,
    /// Cetak detail usulan sebagai satu objek JSON.
    #[arg(long)]
    json: bool,
}

/// The list filters, as flags.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Hanya jenis usulan ini.
    #[arg(long)]
    jenis: Option<String>,
    /// Hanya status ini (draft, diajukan, diverifikasi, bts, tms, diteruskan_ke_bkn, disetujui, sk_terbit,
    /// dibatalkan, konflik, campuran).
    #[arg(long)]
    status: Option<String>,
    /// Hanya usulan yang memuat NIP ini.
    #[arg(long)]
    nip: Option<String>,
    /// Dibuat sejak tanggal ini (yyyy-mm-dd).
    #[arg(long)]
    dari: Option<String>,
    /// Dibuat sampai tanggal ini (yyyy-mm-dd), termasuk.
    #[arg(long)]
    sampai: Option<String>,
}

/// `FIELD=NILAI`.
fn parse_ubah(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((field, value)) if !field.trim().is_empty() => Ok((field.trim().to_owned(), value.to_owned())),
        _ => Err(format!("\"{text}\": tulis FIELD=NILAI, mis. data_utama.no_hp=081234567890")),
    }
}

/// The MIME type of a file by its extension.
pub(crate) fn mime_of(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "pdf" => Some("application/pdf"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        _ => None,
    }
}

/// The app context on replica folder `data`, with the system clock, the keyring of `LURING_SECRET_STORE` and the
/// environment's settings; no background sync.
///
/// # Errors
/// No folder given, no replica in it, no keyring.
pub(crate) fn context(data: Option<&Path>) -> anyhow::Result<Arc<AppContext>> {
    let Some(data) = data else {
        bail!("folder data belum ditentukan; tambahkan --data <folder> atau setel LURING_DATA");
    };
    if !data.join(replika::FILE_NAME).exists() {
        bail!(
            "{} belum berisi replika; masuk dan sinkronkan dulu: `luring-cli --data {} login`, lalu `sync`",
            data.display(),
            data.display()
        );
    }
    let secrets = app::secret::from_env().context("penyimpanan kunci replika (keyring) tidak tersedia")?;
    let config = Config {
        settings_file: app::settings::default_file(),
        overrides: Overrides { data: Some(data.to_path_buf()), ..Overrides::from_env() },
        secrets: Some(secrets),
        clock: Arc::new(chrono::Utc::now),
        sync_interval: app::context::SYNC_INTERVAL,
        driver: app::context::desktop_driver_options(),
        device_name: app::context::device_name(),
    };
    Ok(AppContext::new(config, Arc::new(QuietHost)))
}

/// Runs an usulan subcommand.
///
/// # Errors
/// The use case's error (its message names the usulan, field or document and the value); a file that cannot be
/// read; the replica or keyring missing.
pub fn run(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    run_inner(data, command).map_err(|error| masuk_dulu(error, data))
}

/// Adds how to sign in from the command line to the app's "belum masuk" error (the app's sentence is the
/// desktop's: it names SSO, not the command).
pub(crate) fn masuk_dulu(error: anyhow::Error, data: Option<&Path>) -> anyhow::Error {
    let belum_masuk = error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<app::AppError>())
        .any(|app| app.code == app::KodeGalat::BelumMasuk);
    if !belum_masuk {
        return error;
    }
    let folder = data.map_or_else(|| "<folder>".to_owned(), |data| data.display().to_string());
    anyhow::anyhow!("{error:#} Dari baris perintah: `luring-cli --data {folder} login`, lalu ulangi perintah ini.")
}

/// [`run`] without the sign-in hint.
fn run_inner(data: Option<&Path>, command: Command) -> anyhow::Result<()> {
    let context = context(data)?;
    let runtime = crate::runtime()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Buat { jenis, sub_jenis, nip, ubah, catatan, json } => {
            let baru = UsulanBaru { jenis, sub_jenis, nip, perubahan: ubah, catatan };
            let detail = runtime.block_on(context.usulan_buat(baru))?;
            if !json {
                writeln!(
                    out,
                    "Usulan {} dibuat sebagai draf (luring; kirim dengan `luring-cli sync`).",
                    detail.ringkas.id
                )?;
            }
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Daftar { filter, limit, json } => {
            let filter = FilterUsulan {
                jenis: filter.jenis,
                status: filter.status,
                nip: filter.nip,
                dari: filter.dari,
                sampai: filter.sampai,
            };
            let (shown, per_status) = crate::halaman::cetak_semua(
                json,
                limit,
                app::usulan::MAX_ROWS,
                |kursor, batas| {
                    let page = runtime.block_on(context.usulan_daftar(filter.clone(), kursor, batas))?;
                    Ok(crate::halaman::Halaman { baris: page.baris, hitung: page.per_status, berikut: page.berikut })
                },
                |row| emit_row(&mut out, row, json),
            )?;
            if !json {
                let total: i64 = per_status.iter().map(|hitung| hitung.jumlah).sum();
                if total == 0 {
                    writeln!(out, "Tidak ada usulan yang cocok.")?;
                } else {
                    let counts: Vec<String> =
                        per_status.iter().map(|hitung| format!("{} {}", hitung.label, hitung.jumlah)).collect();
                    writeln!(out, "{shown} usulan ditampilkan; per status: {}.", counts.join(", "))?;
                }
            }
        }
        Command::RiwayatPerubahan { id, batas, json } => {
            let riwayat = runtime.block_on(context.riwayat_perubahan_usulan_batas(id, batas.batas()))?;
            crate::pegawai::cetak_riwayat(&mut out, &riwayat, json)?;
        }
        Command::Lihat { id, json } => {
            let detail = runtime.block_on(context.usulan_detail(id))?;
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Lampirkan { id, kode, berkas, mime, nama, json } => {
            let mime = match mime.or_else(|| mime_of(&berkas).map(str::to_owned)) {
                Some(mime) => mime,
                None => bail!(
                    "jenis berkas {} tidak dikenali dari akhirannya; tambahkan --mime (mis. application/pdf)",
                    berkas.display()
                ),
            };
            // The size on disk first: a file too large is refused without being read.
            let ukuran = std::fs::metadata(&berkas)
                .with_context(|| format!("tidak dapat membaca berkas {}", berkas.display()))?
                .len();
            runtime
                .block_on(context.usulan_periksa_lampiran(id.clone(), kode.clone(), ukuran))
                .with_context(|| format!("berkas {} ({ukuran} byte) tidak dapat dilampirkan", berkas.display()))?;
            let isi =
                std::fs::read(&berkas).with_context(|| format!("tidak dapat membaca berkas {}", berkas.display()))?;
            let nama = nama.unwrap_or_else(|| {
                berkas
                    .file_name()
                    .map_or_else(|| berkas.display().to_string(), |name| name.to_string_lossy().into_owned())
            });
            let detail = runtime.block_on(context.usulan_lampirkan(id, kode.clone(), nama, mime, isi))?;
            if !json {
                writeln!(out, "Berkas {} dilampirkan sebagai dokumen {kode}.", berkas.display())?;
            }
            emit_detail(&mut out, &detail, json)?;
        }
        Command::Ajukan(args) => aksi(&runtime, &context, &mut out, "diajukan", args)?,
        Command::Verifikasi(args) => aksi(&runtime, &context, &mut out, "diverifikasi", args)?,
        Command::Bts(args) => aksi(&runtime, &context, &mut out, "bts", args)?,
        Command::Tms(args) => aksi(&runtime, &context, &mut out, "tms", args)?,
        Command::Teruskan(args) => aksi(&runtime, &context, &mut out, "diteruskan_ke_bkn", args)?,
        Command::Setujui(args) => aksi(&runtime, &context, &mut out, "disetujui", args)?,
        Command::SkTerbit(args) => aksi(&runtime, &context, &mut out, "sk_terbit", args)?,
        Command::Batal(args) => aksi(&runtime, &context, &mut out, "dibatalkan", args)?,
    }
    out.flush()?;
    Ok(())
}

/// Runs transition `kode` with `args` and prints the result.
fn aksi(
    runtime: &tokio::runtime::Runtime,
    context: &Arc<AppContext>,
    out: &mut impl Write,
    kode: &str,
    args: AksiArgs,
) -> anyhow::Result<()> {
    let masukan = AksiMasukan { aksi: kode.to_owned(), alasan_id: args.alasan, catatan: args.catatan, nip: args.nip };
    let detail = runtime.block_on(context.usulan_aksi(args.id, masukan))?;
    if !args.json {
        writeln!(
            out,
            "Usulan {} kini berstatus {} (luring; kirim dengan `luring-cli sync`).",
            detail.ringkas.id, detail.ringkas.status_nama
        )?;
    }
    emit_detail(out, &detail, args.json)
}

/// One list row: a JSON line, or a table line.
fn emit_row(out: &mut impl Write, row: &UsulanRingkas, json: bool) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, row)?;
        return Ok(());
    }
    let jenis = match &row.sub_jenis_nama {
        Some(sub) => format!("{} – {sub}", row.jenis_nama),
        None => row.jenis_nama.clone(),
    };
    let pegawai = match (row.nip.as_deref(), row.jumlah_pegawai) {
        (Some(nip), 0 | 1) => format!("{nip} {}", row.nama.as_deref().unwrap_or("")),
        (Some(nip), more) => format!("{nip} {} (+{} pegawai)", row.nama.as_deref().unwrap_or(""), more - 1),
        (None, _) => "-".to_owned(),
    };
    writeln!(
        out,
        "{}  {:<24.24}  {:<36.36}  {:<50.50}  {}",
        row.id,
        row.status_nama,
        jenis,
        pegawai,
        row.diperbarui.as_deref().unwrap_or("-")
    )?;
    Ok(())
}

/// An usulan's detail: a JSON line, or a report.
fn emit_detail(out: &mut impl Write, detail: &UsulanDetail, json: bool) -> anyhow::Result<()> {
    if json {
        crate::baris_json(&mut *out, detail)?;
        return Ok(());
    }
    let row = &detail.ringkas;
    writeln!(out, "Usulan {}", row.id)?;
    let sub = row.sub_jenis_nama.as_deref().map(|sub| format!(" – {sub}")).unwrap_or_default();
    writeln!(out, "  jenis   : {}{sub}", row.jenis_nama)?;
    let bts = if row.jumlah_bts > 0 { format!(" (BTS {} kali)", row.jumlah_bts) } else { String::new() };
    let lokal = if detail.lokal { "; ada perubahan yang belum terkirim ke hub" } else { "" };
    writeln!(out, "  status  : {}{bts}{lokal}", row.status_nama)?;
    for pegawai in &detail.pegawai {
        writeln!(out, "  pegawai : {} {} ({})", pegawai.nip, pegawai.nama, pegawai.status_nama)?;
    }
    for perubahan in &detail.perubahan {
        writeln!(
            out,
            "  ubah    : {}: {} → {}",
            perubahan.nama_field,
            perubahan.sebelum.as_deref().unwrap_or("(kosong)"),
            perubahan.sesudah
        )?;
    }
    if !detail.dokumen.is_empty() {
        writeln!(out, "  dokumen :")?;
    }
    for dokumen in &detail.dokumen {
        let mark = if dokumen.terlampir.is_some() { "x" } else { " " };
        let wajib = if dokumen.wajib { "wajib" } else { "opsional" };
        let berkas = dokumen
            .terlampir
            .as_ref()
            .map(|berkas| format!(" – {} ({} byte)", berkas.name, berkas.size))
            .unwrap_or_default();
        writeln!(out, "    [{mark}] {:<22} {} ({wajib}){berkas}", dokumen.kode, dokumen.nama)?;
    }
    if !detail.riwayat.is_empty() {
        writeln!(out, "  riwayat :")?;
    }
    for event in &detail.riwayat {
        let alasan = event.alasan.as_deref().map(|alasan| format!(" – {alasan}")).unwrap_or_default();
        let catatan = event.catatan.as_deref().map(|catatan| format!(" – \"{catatan}\"")).unwrap_or_default();
        writeln!(out, "    {}  {:<36} oleh {}{alasan}{catatan}", event.waktu, event.aksi_nama, event.oleh)?;
    }
    for konflik in &detail.konflik {
        let pilihan: Vec<String> =
            konflik.pilihan.iter().map(|event| format!("{} oleh {}", event.aksi_nama, event.oleh)).collect();
        let nip = konflik.nip.as_deref().map(|nip| format!(" NIP {nip}")).unwrap_or_default();
        writeln!(out, "  KONFLIK{nip}: {}; pilih salah satu dengan mengulang aksinya", pilihan.join(" vs "))?;
    }
    for temuan in &detail.temuan {
        let tingkat = if temuan.tingkat == "blokir" { "BLOKIR" } else { "peringatan" };
        writeln!(out, "  {tingkat}: {}", temuan.pesan)?;
    }
    let aksi: Vec<&str> = detail.aksi.iter().map(|aksi| aksi.aksi.as_str()).collect();
    let peran_belum_diketahui =
        detail.temuan.iter().any(|temuan| temuan.kode == app::usulan::KODE_PERAN_BELUM_DIKETAHUI);
    match (aksi.is_empty(), peran_belum_diketahui) {
        (true, _) => writeln!(out, "  aksi    : tidak ada yang dapat Anda lakukan sekarang")?,
        (false, false) => writeln!(out, "  aksi    : {}", aksi.join(", "))?,
        (false, true) => writeln!(
            out,
            "  aksi    : {} (menurut alur usulan; peran Anda belum diketahui, hub memutuskan saat sinkronisasi)",
            aksi.join(", ")
        )?,
    }
    Ok(())
}
