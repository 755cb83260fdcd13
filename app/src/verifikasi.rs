//! The Verifikasi lapangan screen's use cases (domain §4 row 15): an officer visits a pegawai and records what they
//! found (ditemukan, tidak ditemukan, meninggal, pindah, lainnya), notes and photos, fully offline; the list with
//! filters, one visit in detail, and an export of the results as CSV for follow-up.
//!
//! - A visit is one `verifikasi_lapangan` document (`model::verifikasi::VerifikasiLapangan`) written through the
//!   shared write path (`store::edit::create_document`): the document, its outbox row and its list row commit
//!   together, and the next sync pushes it. `petugas` is the signed-in officer's NIP and `waktu` the context's clock.
//! - Photos (JPEG or PNG, [`MIN_FOTO_BYTES`]–[`MAX_FOTO_BYTES`], at most [`MAX_FOTO`] and
//!   [`MAX_TOTAL_FOTO_BYTES`] per visit) are stored content-addressed as blobs (uploaded by the next sync,
//!   downloaded by every other replica of the instansi) in the same transaction as the document's change
//!   (`store::edit::create_document_with_blobs`, `edit_document_with_blobs`), so a refused write leaves no blob
//!   queued. The document references each as a `model::verifikasi::FotoKunjungan` whose `id` is its hash: the list
//!   is keyed, so photos added on two devices offline are both kept. The same photo twice is one photo.
//!   The total per visit is capped because the IPC carries photos as JSON arrays of numbers (about four bytes of
//!   text per byte of photo): 10 MB of photos in one call is already ~40 MB of JSON.
//! - Permissions: when the officer's permissions are known, recording needs `verifikasi_lapangan.buat` and adding a
//!   photo `verifikasi_lapangan.ubah` (refused here, [`KodeGalat::Ditolak`], before anything is written); unknown
//!   (signed in without reaching a hub yet), the write goes through and the hub decides at the next sync.
//!
//! It never logs a NIP, a name, a note or a photo: only counts and the hasil code.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, Offset, TimeZone};
use model::id::Nip;
use model::peran::Izin;
use model::usulan::BlobRef;
use model::verifikasi::{FotoKunjungan, HasilVerifikasi, VerifikasiLapangan};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::context::AppContext;
use crate::error::{AppError, KodeGalat, sentence};
use crate::pegawai::Hitung;
use crate::usulan::{isi, midnight_ms, nama_berkas_bersih, parse_nip, rfc3339_ms, ukuran};

/// The most rows one page of the list returns.
pub const MAX_ROWS: usize = 500;

/// The longest note, in characters.
pub const MAX_CATATAN: usize = 2_000;

/// The largest photo accepted, bytes (5 MB: a phone camera's full-size JPEG).
pub const MAX_FOTO_BYTES: u64 = 5 * 1024 * 1024;

/// The smallest photo accepted, bytes: a smaller file is empty or broken, not a photo of a document.
pub const MIN_FOTO_BYTES: u64 = 1_024;

/// The most photos one visit holds.
pub const MAX_FOTO: usize = 10;

/// The most bytes of photos one visit holds, all photos together (10 MB; see the module doc on the IPC).
pub const MAX_TOTAL_FOTO_BYTES: u64 = 10 * 1024 * 1024;

/// The photo types accepted.
pub const TIPE_FOTO: [&str; 2] = ["image/jpeg", "image/png"];

/// Every hasil, in the order the UI offers them.
const HASIL: [HasilVerifikasi; 5] = [
    HasilVerifikasi::Ditemukan,
    HasilVerifikasi::TidakDitemukan,
    HasilVerifikasi::Meninggal,
    HasilVerifikasi::Pindah,
    HasilVerifikasi::Lainnya,
];

/// The code of a hasil, as documents write it.
pub fn hasil_kode(hasil: HasilVerifikasi) -> &'static str {
    match hasil {
        HasilVerifikasi::Ditemukan => "ditemukan",
        HasilVerifikasi::TidakDitemukan => "tidak_ditemukan",
        HasilVerifikasi::Meninggal => "meninggal",
        HasilVerifikasi::Pindah => "pindah",
        HasilVerifikasi::Lainnya => "lainnya",
    }
}

/// The label of a hasil (`"Tidak ditemukan"`).
pub fn hasil_nama(hasil: HasilVerifikasi) -> &'static str {
    match hasil {
        HasilVerifikasi::Ditemukan => "Ditemukan",
        HasilVerifikasi::TidakDitemukan => "Tidak ditemukan",
        HasilVerifikasi::Meninggal => "Meninggal",
        HasilVerifikasi::Pindah => "Pindah",
        HasilVerifikasi::Lainnya => "Lainnya",
    }
}

/// The hasil of `kode`.
fn parse_hasil(kode: &str) -> Option<HasilVerifikasi> {
    HASIL.into_iter().find(|hasil| hasil_kode(*hasil) == kode)
}

/// The label of a stored hasil code (the code itself when this build does not know it).
fn label_hasil(kode: &str) -> String {
    parse_hasil(kode).map_or_else(|| kode.to_owned(), |hasil| hasil_nama(hasil).to_owned())
}

/// "salah satu dari ditemukan, tidak_ditemukan, …".
fn hasil_diharapkan() -> String {
    let kodes: Vec<&str> = HASIL.iter().map(|hasil| hasil_kode(*hasil)).collect();
    format!("salah satu dari {}", kodes.join(", "))
}

/// One visit as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KunjunganRingkas {
    /// Document id (UUID text): what `verifikasi_lapangan_detail` and `verifikasi_lapangan_foto_tambah` take.
    pub id: String,
    /// NIP of the pegawai visited.
    pub nip: String,
    /// The pegawai's name with gelar as the replica holds it now (`None`: the pegawai is not in the replica).
    pub nama: Option<String>,
    /// The pegawai's unor id now.
    pub unor_id: Option<String>,
    /// The pegawai's unor name now.
    pub unor_nama: Option<String>,
    /// Hasil code (`ditemukan`, `tidak_ditemukan`, `meninggal`, `pindah`, `lainnya`).
    pub hasil: String,
    /// Hasil label (`"Tidak ditemukan"`).
    pub hasil_nama: String,
    /// The officer's notes.
    pub catatan: Option<String>,
    /// NIP of the officer who made the visit.
    pub petugas: String,
    /// When (RFC 3339, UTC); `None` when the document's time does not read.
    pub waktu: Option<String>,
    /// How many photos the visit holds.
    pub jumlah_foto: u32,
}

/// Filters of the visit list; every set field narrows it (empty text counts as unset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FilterKunjungan {
    /// Hasil code.
    pub hasil: Option<String>,
    /// Only visits to this NIP (18 digits).
    pub nip: Option<String>,
    /// Only visits to pegawai of this unor (id) or a unit below it.
    pub unor: Option<String>,
    /// Visited on or after this day (`yyyy-mm-dd` or `dd-mm-yyyy`, the officer's time zone).
    pub dari: Option<String>,
    /// Visited on or before this day (`yyyy-mm-dd` or `dd-mm-yyyy`, inclusive).
    pub sampai: Option<String>,
}

/// Where the next page starts (opaque to the UI: pass back what came).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KursorKunjungan {
    /// The last row's visit time, unix milliseconds.
    pub waktu_ms: i64,
    /// The last row's row id.
    pub rowid: i64,
}

/// One page of the visit list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HalamanKunjungan {
    /// The rows, newest visit first.
    pub baris: Vec<KunjunganRingkas>,
    /// Visits per hasil under the filter without its hasil (`kunci` the code, `label` its name), in the order of
    /// the hasil list, hasil without a visit left out.
    pub per_hasil: Vec<Hitung>,
    /// The next page's cursor (`None` on the last page).
    pub berikut: Option<KursorKunjungan>,
    /// This officer may record a visit: `verifikasi_lapangan.buat`, or permissions not known yet (the hub decides).
    pub boleh_catat: bool,
}

/// One photo of a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FotoView {
    /// SHA-256 of the content, lower-case hex: what `verifikasi_lapangan_foto` takes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type (`image/jpeg`, `image/png`).
    pub mime: String,
    /// File name as the officer chose it.
    pub name: String,
    /// The photo's bytes are on this device (a photo taken on another device arrives with a later sync).
    pub tersedia: bool,
}

/// One visit in detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KunjunganDetail {
    /// The list row.
    pub ringkas: KunjunganRingkas,
    /// The photos, in the order they were added.
    pub foto: Vec<FotoView>,
    /// The visit has changes on this device not yet accepted by the hub.
    pub lokal: bool,
    /// This officer may add photos (`verifikasi_lapangan.ubah`, or permissions not known yet) and the visit has
    /// room for more.
    pub boleh_tambah_foto: bool,
    /// The hub's latest refusals of this device's changes to the visit (newest first, at most three), each a
    /// sentence with when, the hub's reason and what became of the change; empty when none.
    pub penolakan_hub: Vec<String>,
}

/// A photo as the officer attaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FotoBaru {
    /// File name as chosen.
    pub nama: String,
    /// MIME type (`image/jpeg`, `image/png`).
    pub mime: String,
    /// The file's bytes.
    pub isi: Vec<u8>,
}

/// A new visit, as the officer records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KunjunganBaru {
    /// NIP of the pegawai visited (18 digits; must be in the replica).
    pub nip: String,
    /// Hasil code.
    pub hasil: String,
    /// Notes, at most [`MAX_CATATAN`] characters; required for `lainnya`.
    pub catatan: Option<String>,
    /// Photos taken at the visit (may be empty; more can be added later).
    pub foto: Vec<FotoBaru>,
}

/// A photo's content, to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FotoIsi {
    /// MIME type.
    pub mime: String,
    /// The bytes.
    pub isi: Vec<u8>,
}

/// A hasil to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HasilView {
    /// Code.
    pub kode: String,
    /// Label.
    pub nama: String,
}

/// The export written for follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct EksporKunjungan {
    /// The CSV file written (full path).
    pub berkas: String,
    /// Visits in it.
    pub jumlah: u32,
}

/// The columns of the export, in order.
pub const KOLOM_EKSPOR: [&str; 8] = ["NIP", "Nama", "Unor", "Hasil", "Catatan", "Petugas", "Waktu", "Jumlah foto"];

/// The list row of `baris`.
fn ringkas(baris: store::verifikasi::KunjunganBaris) -> KunjunganRingkas {
    let row = baris.kunjungan;
    KunjunganRingkas {
        id: baris.id,
        nip: row.nip,
        nama: baris.nama,
        unor_id: baris.unor_id,
        unor_nama: baris.unor_nama,
        hasil_nama: label_hasil(&row.hasil),
        hasil: row.hasil,
        catatan: row.catatan,
        petugas: row.petugas,
        waktu: rfc3339_ms(row.waktu_ms),
        jumlah_foto: u32::try_from(row.jumlah_foto).unwrap_or(0),
    }
}

impl FilterKunjungan {
    /// The store's filter (without cursor and limit).
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the field and value: an unknown hasil, a NIP not of 18 digits, a day
    /// neither `yyyy-mm-dd` nor `dd-mm-yyyy`, `dari` after `sampai`.
    fn to_store(&self) -> Result<store::verifikasi::FilterKunjungan, AppError> {
        let hasil = match isi(self.hasil.as_deref()) {
            Some(kode) => Some(
                parse_hasil(kode)
                    .map(|hasil| hasil_kode(hasil).to_owned())
                    .ok_or_else(|| AppError::masukan("Hasil", kode, &hasil_diharapkan()))?,
            ),
            None => None,
        };
        let nip = match isi(self.nip.as_deref()) {
            Some(raw) => Some(parse_nip(raw)?.to_string()),
            None => None,
        };
        let day = |label: &str, text: Option<&str>| -> Result<Option<NaiveDate>, AppError> {
            match isi(text) {
                Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
                    .map(Some)
                    .map_err(|_| {
                        AppError::masukan(
                            label,
                            text,
                            "tulis tanggal sebagai yyyy-mm-dd (2026-11-30) atau dd-mm-yyyy (30-11-2026)",
                        )
                    }),
                None => Ok(None),
            }
        };
        let dari = day("Dari tanggal", self.dari.as_deref())?;
        let sampai = day("Sampai tanggal", self.sampai.as_deref())?;
        if let (Some(dari), Some(sampai)) = (dari, sampai)
            && dari > sampai
        {
            return Err(AppError::masukan(
                "Sampai tanggal",
                &sampai.to_string(),
                &format!("tidak boleh sebelum tanggal dari ({dari})"),
            ));
        }
        Ok(store::verifikasi::FilterKunjungan {
            hasil,
            nip,
            unor: isi(self.unor.as_deref()).map(str::to_owned),
            dari_ms: dari.map(midnight_ms),
            sampai_ms: sampai.and_then(|day| day.succ_opt()).map(midnight_ms),
            setelah: None,
            limit: 0,
        })
    }
}

/// The visit id typed or passed.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] when it is not a UUID.
fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::masukan("Id verifikasi lapangan", id, "tulis id (UUID) seperti di daftar"))
}

/// A photo hash typed or passed: 64 hex digits.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the value.
fn parse_sha256(raw: &str) -> Result<[u8; 32], AppError> {
    let text = raw.trim().to_ascii_lowercase();
    let salah = || AppError::masukan("Foto", raw, "tulis sha256 foto (64 angka heksadesimal) seperti di detail");
    if text.len() != 64 {
        return Err(salah());
    }
    let mut out = [0u8; 32];
    for (at, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[at * 2..at * 2 + 2], 16).map_err(|_| salah())?;
    }
    Ok(out)
}

/// The visit `id` could not be found.
fn tidak_ditemukan(id: Uuid) -> AppError {
    AppError::new(
        KodeGalat::TidakDitemukan,
        format!(
            "Verifikasi lapangan {id} tidak ada di perangkat ini. Periksa kembali, atau sinkronkan bila dicatat di \
             perangkat lain."
        ),
    )
}

/// Errors of reading a visit: a document that does not read as a visit is damaged on this device.
fn baca_error(error: store::Error) -> AppError {
    match error {
        store::Error::Shape(_) | store::Error::CorruptDocument { .. } => {
            tracing::warn!("dokumen verifikasi lapangan tidak terbaca di replika");
            AppError::new(
                KodeGalat::Replika,
                "Data verifikasi lapangan ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.",
            )
        }
        other => other.into(),
    }
}

/// The notes as stored: trimmed, `None` when empty.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the field, the start of the value and the limit: more than
/// [`MAX_CATATAN`] characters, or no note for `lainnya`.
fn periksa_catatan(hasil: HasilVerifikasi, catatan: Option<&str>) -> Result<Option<String>, AppError> {
    let catatan = isi(catatan);
    if let Some(text) = catatan {
        let panjang = text.chars().count();
        if panjang > MAX_CATATAN {
            return Err(AppError::masukan(
                "Catatan",
                text,
                &format!("paling panjang {MAX_CATATAN} karakter (ada {panjang}); ringkas catatannya"),
            ));
        }
    }
    if hasil == HasilVerifikasi::Lainnya && catatan.is_none() {
        return Err(AppError::masukan("Catatan", "", "hasil \"Lainnya\" perlu catatan yang menjelaskan temuannya"));
    }
    Ok(catatan.map(str::to_owned))
}

/// Checks a photo's type, size and content, and returns its cleaned MIME type and name.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the photo and the raw type or size with the limit, or content that is
/// not of its type.
fn periksa_foto(foto: &FotoBaru) -> Result<(String, String), AppError> {
    let name = nama_berkas_bersih(&foto.nama)?;
    let mime = foto.mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let (awal, jenis): (&[u8], &str) = match mime.as_str() {
        "image/jpeg" => (&[0xFF, 0xD8, 0xFF], "JPEG"),
        "image/png" => (b"\x89PNG\r\n\x1a\n", "PNG"),
        _ => {
            return Err(AppError::masukan(
                &format!("Jenis foto {name}"),
                &foto.mime,
                "yang diterima: image/jpeg (JPG), image/png (PNG)",
            ));
        }
    };
    periksa_ukuran_foto(&name, foto.isi.len() as u64)?;
    if !foto.isi.starts_with(awal) {
        return Err(AppError::masukan(
            &format!("Isi foto {name}"),
            &foto.mime,
            &format!("isinya bukan {jenis}; pilih foto {jenis} yang benar"),
        ));
    }
    Ok((mime, name))
}

/// Checks a photo of `size` bytes against [`MIN_FOTO_BYTES`] and [`MAX_FOTO_BYTES`]: for the bytes attached and
/// for a size asked before reading a file ([`AppContext::verifikasi_lapangan_periksa_foto`]).
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the photo, the size and the limit.
fn periksa_ukuran_foto(name: &str, size: u64) -> Result<(), AppError> {
    if size > MAX_FOTO_BYTES {
        return Err(AppError::masukan(
            &format!("Ukuran foto {name}"),
            &format!("{size} byte"),
            &format!("paling besar {MAX_FOTO_BYTES} byte ({}); perkecil resolusi fotonya", ukuran(MAX_FOTO_BYTES)),
        ));
    }
    if size < MIN_FOTO_BYTES {
        return Err(AppError::masukan(
            &format!("Ukuran foto {name}"),
            &format!("{size} byte"),
            &format!(
                "paling kecil {MIN_FOTO_BYTES} byte ({}); berkas sekecil ini biasanya kosong atau rusak",
                ukuran(MIN_FOTO_BYTES)
            ),
        ));
    }
    Ok(())
}

/// Checks that photos of `total` bytes together fit one visit ([`MAX_TOTAL_FOTO_BYTES`]).
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the total and the limit.
fn periksa_total_foto(total: u64) -> Result<(), AppError> {
    if total > MAX_TOTAL_FOTO_BYTES {
        return Err(AppError::masukan(
            "Ukuran semua foto kunjungan",
            &format!("{total} byte"),
            &format!(
                "paling besar {MAX_TOTAL_FOTO_BYTES} byte ({}) per kunjungan; perkecil resolusi foto atau kurangi \
                 jumlahnya",
                ukuran(MAX_TOTAL_FOTO_BYTES)
            ),
        ));
    }
    Ok(())
}

/// The photo of `foto` (checked by [`periksa_foto`]: its cleaned MIME type and name), keyed by its hash.
fn foto_kunjungan(foto: &FotoBaru, mime: String, name: String) -> FotoKunjungan {
    let hash: [u8; 32] = Sha256::digest(&foto.isi).into();
    FotoKunjungan::baru(BlobRef { sha256: sync::blob::hex(&hash), size: foto.isi.len() as u64, mime, name })
}

/// The most hub refusals a visit's detail shows.
const MAX_PENOLAKAN: usize = 3;

/// The hub's latest refusals of changes to visit `id` among `rejections` (oldest first, as the replica keeps them):
/// newest first, at most [`MAX_PENOLAKAN`], each as a sentence for the officer.
fn penolakan_kunjungan(rejections: &[store::replication::Rejection], id: &str) -> Vec<String> {
    rejections
        .iter()
        .rev()
        .filter(|rejection| rejection.document.as_deref() == Some(id))
        .take(MAX_PENOLAKAN)
        .map(|rejection| {
            let when = DateTime::from_timestamp_millis(rejection.at_ms)
                .map(|time| time.with_timezone(&Local).format(" pada %d-%m-%Y %H:%M").to_string())
                .unwrap_or_default();
            let nasib =
                if rejection.compensated { "perubahan itu dibatalkan hub" } else { "perubahan itu tidak dikirim lagi" };
            format!("Hub menolak perubahan kunjungan ini{when}: {} ({nasib}).", rejection.reason.trim_end_matches('.'))
        })
        .collect()
}

/// Refuses `aksi` when the officer's known permissions `izin` lack `perlu`; nothing is refused when `izin` is empty
/// (permissions not known yet: the hub decides at the next sync).
///
/// # Errors
/// [`KodeGalat::Ditolak`] naming what was asked, who may do it and the officer's roles.
pub(crate) fn periksa_izin(apa: &str, perlu: Izin, izin: &BTreeSet<Izin>, peran: &[String]) -> Result<(), AppError> {
    if izin.is_empty() || izin.contains(&perlu) {
        return Ok(());
    }
    let tabel = model::peran::peran();
    let milik: Vec<&str> =
        peran.iter().map(|kode| tabel.get(kode).map_or(kode.as_str(), |peran| peran.nama.as_str())).collect();
    let milik = if milik.is_empty() { "tidak ada".to_owned() } else { milik.join(", ") };
    Err(AppError::new(
        KodeGalat::Ditolak,
        sentence(&format!(
            "Anda tidak dapat {apa}: hanya {} yang boleh (peran Anda: {milik}); tidak ada yang dicatat",
            tabel.nama_pemegang(perlu)
        )),
    ))
}

/// A cell of free text made safe for spreadsheets: a value a spreadsheet would read as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
fn sel_aman(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// A NIP cell a spreadsheet keeps as text: `="<digits>"` for a value of digits only (Excel reads a bare
/// 18-digit NIP as a number, shows `1,97603E+17` and keeps only 15 significant digits; the constant-string
/// formula shows the digits as they are), anything else as safe text ([`sel_aman`]).
fn sel_nip(nip: &str) -> String {
    if !nip.is_empty() && nip.bytes().all(|byte| byte.is_ascii_digit()) { format!("=\"{nip}\"") } else { sel_aman(nip) }
}

/// The name of a UTC offset as officers write it: `WIB`, `WITA`, `WIT` for Indonesia's three zones, else the
/// offset (`+05:30`).
fn nama_zona(detik: i32) -> String {
    match detik {
        25_200 => "WIB".to_owned(),
        28_800 => "WITA".to_owned(),
        32_400 => "WIT".to_owned(),
        _ => {
            let tanda = if detik < 0 { '-' } else { '+' };
            let menit = detik.unsigned_abs() / 60;
            format!("{tanda}{:02}:{:02}", menit / 60, menit % 60)
        }
    }
}

/// RFC 3339 as the officer reads it in zone `zona`: `dd-mm-yyyy HH:mm` and the zone (`01-12-2026 09:30 WIB`, or
/// the offset outside Indonesia's zones); empty when it does not read.
fn waktu_di<Tz: TimeZone>(waktu: Option<&str>, zona: &Tz) -> String {
    waktu
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map(|time| {
            let time = time.with_timezone(zona);
            format!(
                "{} {}",
                time.naive_local().format("%d-%m-%Y %H:%M"),
                nama_zona(time.offset().fix().local_minus_utc())
            )
        })
        .unwrap_or_default()
}

/// Writes `rows` as CSV (see [`tulis_csv_di`]) with times in the officer's local time zone.
///
/// # Errors
/// What the writer says.
pub fn tulis_csv(rows: &[KunjunganRingkas], out: impl std::io::Write) -> Result<(), csv::Error> {
    tulis_csv_di(rows, &Local, out)
}

/// Writes `rows` as CSV to `out` for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads Indonesian text
/// as UTF-8), header [`KOLOM_EKSPOR`], RFC 4180 quoting, `\n` line ends. NIP and Petugas are `="<nip>"` so that
/// Excel keeps every digit ([`sel_nip`]); every other text cell is defused against formulas ([`sel_aman`]); Waktu
/// is `dd-mm-yyyy HH:mm` in `zona` followed by the zone (`WIB`, `WITA`, `WIT` or the offset).
///
/// # Errors
/// What the writer says.
pub fn tulis_csv_di<Tz: TimeZone>(
    rows: &[KunjunganRingkas],
    zona: &Tz,
    mut out: impl std::io::Write,
) -> Result<(), csv::Error> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(KOLOM_EKSPOR)?;
    for row in rows {
        writer.write_record([
            &sel_nip(&row.nip),
            &sel_aman(row.nama.as_deref().unwrap_or("")),
            &sel_aman(row.unor_nama.as_deref().unwrap_or("")),
            &sel_aman(&row.hasil_nama),
            &sel_aman(row.catatan.as_deref().unwrap_or("")),
            &sel_nip(&row.petugas),
            &sel_aman(&waktu_di(row.waktu.as_deref(), zona)),
            &row.jumlah_foto.to_string(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

impl AppContext {
    /// The officer's known permissions and roles (both empty when nobody is signed in or they are not known).
    pub(crate) fn izin_dan_peran(&self, replica: &store::Replica) -> Result<(BTreeSet<Izin>, Vec<String>), AppError> {
        let identity = match self.session(replica)? {
            Some(session) => session.identity(replica)?,
            None => None,
        };
        Ok(identity.map(|identity| (identity.izin_petugas(), identity.peran)).unwrap_or_default())
    }

    /// The detail of visit `id` as of now. Blocking.
    fn kunjungan_detail_now(&self, replica: &store::Replica, id: Uuid) -> Result<KunjunganDetail, AppError> {
        let reader = replica.reader()?;
        let visit = store::verifikasi::lihat(&reader, id).map_err(baca_error)?.ok_or_else(|| tidak_ditemukan(id))?;
        let baris = store::verifikasi::baris(&reader, id)?.ok_or_else(|| tidak_ditemukan(id))?;
        let lokal = store::ringkasan::outbox_dokumen(&reader, baris.rowid)? > 0;
        let mut foto = Vec::with_capacity(visit.foto.len());
        for blob in &visit.foto {
            let tersedia = match parse_sha256(&blob.sha256) {
                Ok(hash) => store::sync_state::blob(&reader, &hash)?.is_some_and(|info| info.has_content),
                Err(_) => false,
            };
            foto.push(FotoView {
                sha256: blob.sha256.clone(),
                size: blob.size,
                mime: blob.mime.clone(),
                name: blob.name.clone(),
                tersedia,
            });
        }
        drop(reader);
        let (izin, _) = self.izin_dan_peran(replica)?;
        let boleh_tambah_foto =
            (izin.is_empty() || izin.contains(&Izin::VerifikasiLapanganUbah)) && visit.foto.len() < MAX_FOTO;
        let penolakan_hub = penolakan_kunjungan(&store::replication::status(replica)?.rejections, &id.to_string());
        Ok(KunjunganDetail { ringkas: ringkas(baris), foto, lokal, boleh_tambah_foto, penolakan_hub })
    }

    /// `verifikasi_lapangan_daftar`: one page of the visit list under `filter`, newest visit first, after `kursor`,
    /// at most `batas` rows (1–500), with the counts per hasil under the filter without its hasil.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the filter field and value; [`KodeGalat::BelumMasuk`] without a
    /// replica; replica errors.
    pub async fn verifikasi_lapangan_daftar(
        self: &Arc<Self>,
        filter: FilterKunjungan,
        kursor: Option<KursorKunjungan>,
        batas: u32,
    ) -> Result<HalamanKunjungan, AppError> {
        let mut filter = filter.to_store()?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let reader = replica.reader()?;
            let limit = (batas as usize).clamp(1, MAX_ROWS);
            let counts = store::verifikasi::jumlah_per_hasil(&reader, &filter)?;
            let urutan = |kode: &str| HASIL.iter().position(|hasil| hasil_kode(*hasil) == kode).unwrap_or(usize::MAX);
            let mut per_hasil: Vec<Hitung> = counts
                .into_iter()
                .map(|(kunci, jumlah)| Hitung { label: label_hasil(&kunci), kunci, jumlah })
                .collect();
            per_hasil.sort_by(|a, b| urutan(&a.kunci).cmp(&urutan(&b.kunci)).then_with(|| a.kunci.cmp(&b.kunci)));
            filter.setelah = kursor
                .map(|kursor| store::verifikasi::KursorKunjungan { waktu_ms: kursor.waktu_ms, rowid: kursor.rowid });
            filter.limit = limit;
            let rows = store::verifikasi::daftar(&reader, &filter)?;
            drop(reader);
            let berikut = match rows.last() {
                Some(last) if rows.len() == limit => {
                    let next = last.kursor();
                    Some(KursorKunjungan { waktu_ms: next.waktu_ms, rowid: next.rowid })
                }
                _ => None,
            };
            let (izin, _) = context.izin_dan_peran(&replica)?;
            let boleh_catat = izin.is_empty() || izin.contains(&Izin::VerifikasiLapanganBuat);
            Ok(HalamanKunjungan { baris: rows.into_iter().map(ringkas).collect(), per_hasil, berikut, boleh_catat })
        })
        .await
    }

    /// `verifikasi_lapangan_detail`: one visit with its photos.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] for an id that is not a UUID; [`KodeGalat::TidakDitemukan`];
    /// [`KodeGalat::BelumMasuk`] without a replica; replica errors.
    pub async fn verifikasi_lapangan_detail(self: &Arc<Self>, id: String) -> Result<KunjunganDetail, AppError> {
        let id = parse_id(&id)?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            context.kunjungan_detail_now(&replica, id)
        })
        .await
    }

    /// `verifikasi_lapangan_buat`: records a visit by the signed-in officer, now, with its photos, offline (one
    /// document, its outbox row and list row in one transaction; the photos stored as blobs the next sync uploads).
    /// Returns its detail.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the field and the raw value: a NIP not of 18 digits or not in the
    /// replica; an unknown hasil; notes over [`MAX_CATATAN`] characters, or none for `lainnya`; more than
    /// [`MAX_FOTO`] photos; a photo not JPEG or PNG, outside [`MIN_FOTO_BYTES`]–[`MAX_FOTO_BYTES`], or whose
    /// content is not of its type. [`KodeGalat::Ditolak`] when the officer's known permissions lack
    /// `verifikasi_lapangan.buat`. [`KodeGalat::BelumMasuk`] when nobody is signed in; replica errors.
    pub async fn verifikasi_lapangan_buat(self: &Arc<Self>, baru: KunjunganBaru) -> Result<KunjunganDetail, AppError> {
        let nip = parse_nip(&baru.nip)?;
        let hasil = parse_hasil(baru.hasil.trim())
            .ok_or_else(|| AppError::masukan("Hasil", &baru.hasil, &hasil_diharapkan()))?;
        let catatan = periksa_catatan(hasil, baru.catatan.as_deref())?;
        if baru.foto.len() > MAX_FOTO {
            return Err(AppError::masukan(
                "Jumlah foto",
                &baru.foto.len().to_string(),
                &format!("paling banyak {MAX_FOTO} foto per kunjungan"),
            ));
        }
        // The same photo chosen twice is one photo (one row per hash).
        let mut foto: Vec<(FotoKunjungan, Vec<u8>)> = Vec::with_capacity(baru.foto.len());
        for baru in baru.foto {
            let (mime, name) = periksa_foto(&baru)?;
            let kunjungan = foto_kunjungan(&baru, mime, name);
            if !foto.iter().any(|(known, _)| known.id == kunjungan.id) {
                foto.push((kunjungan, baru.isi));
            }
        }
        periksa_total_foto(foto.iter().map(|(foto, _)| foto.size).sum())?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let petugas = context.petugas(&replica)?;
            periksa_izin(
                "mencatat verifikasi lapangan",
                Izin::VerifikasiLapanganBuat,
                &petugas.izin_petugas(),
                &petugas.peran,
            )?;
            match store::query::pegawai_rowid(&*replica.reader()?, nip.as_str(), None) {
                Ok(_) => {}
                Err(store::Error::NotFound(_)) => {
                    return Err(AppError::masukan(
                        "NIP",
                        nip.as_str(),
                        "pegawai ini tidak ada di replika; sinkronkan atau periksa NIP",
                    ));
                }
                Err(error) => return Err(error.into()),
            }
            let blobs: Vec<store::edit::BlobBaru<'_>> =
                foto.iter().map(|(foto, isi)| (isi.as_slice(), foto.mime.as_str())).collect();
            let (waktu, now_ms) = context.sekarang();
            let id = context.id_baru();
            let visit = VerifikasiLapangan {
                id: id.to_string(),
                nip,
                hasil,
                catatan,
                foto: foto.iter().map(|(foto, _)| foto.clone()).collect(),
                petugas: Nip::new(petugas.nip.clone()),
                waktu,
            };
            let value = serde_json::to_value(&visit).map_err(AppError::internal)?;
            // The photos' blobs commit with the document, or neither does.
            store::edit::create_document_with_blobs(
                &replica,
                store::document::Kind::VerifikasiLapangan,
                id,
                &value,
                now_ms,
                &context.pesan_perubahan(&replica, "verifikasi lapangan dicatat"),
                &blobs,
            )?;
            tracing::info!(hasil = hasil_kode(hasil), foto = visit.foto.len(), "verifikasi lapangan dicatat (luring)");
            context.kunjungan_detail_now(&replica, id)
        })
        .await
    }

    /// `verifikasi_lapangan_foto_tambah`: adds photo `foto` to visit `id`, offline (the blob and the change in one
    /// transaction). Returns the detail.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`]: a photo not JPEG or PNG, outside the size limits or whose content is not of
    /// its type; a photo with the same content already on the visit ("Foto ini sudah ada pada kunjungan ini …");
    /// a visit that already holds [`MAX_FOTO`] photos or would pass [`MAX_TOTAL_FOTO_BYTES`]. [`KodeGalat::Ditolak`] when the officer's known
    /// permissions lack `verifikasi_lapangan.ubah`. [`KodeGalat::TidakDitemukan`]; [`KodeGalat::BelumMasuk`];
    /// replica errors.
    pub async fn verifikasi_lapangan_foto_tambah(
        self: &Arc<Self>,
        id: String,
        foto: FotoBaru,
    ) -> Result<KunjunganDetail, AppError> {
        let id = parse_id(&id)?;
        let (mime, name) = periksa_foto(&foto)?;
        let baru = foto_kunjungan(&foto, mime, name);
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let petugas = context.petugas(&replica)?;
            periksa_izin(
                "menambah foto verifikasi lapangan",
                Izin::VerifikasiLapanganUbah,
                &petugas.izin_petugas(),
                &petugas.peran,
            )?;
            let visit = store::verifikasi::lihat(&*replica.reader()?, id)
                .map_err(baca_error)?
                .ok_or_else(|| tidak_ditemukan(id))?;
            if let Some(sama) = visit.foto.iter().find(|known| known.sha256.eq_ignore_ascii_case(&baru.sha256)) {
                return Err(AppError::new(
                    KodeGalat::MasukanTidakSah,
                    format!(
                        "Foto ini sudah ada pada kunjungan ini (isinya sama dengan {}); tidak ditambahkan lagi.",
                        sama.name
                    ),
                ));
            }
            if visit.foto.len() >= MAX_FOTO {
                return Err(AppError::masukan(
                    "Jumlah foto",
                    &(visit.foto.len() + 1).to_string(),
                    &format!("paling banyak {MAX_FOTO} foto per kunjungan"),
                ));
            }
            periksa_total_foto(visit.foto.iter().map(|known| known.size).sum::<u64>() + baru.size)?;
            let baru_json = serde_json::to_value(&baru).map_err(AppError::internal)?;
            let (_, now_ms) = context.sekarang();
            let pesan = context.pesan_perubahan(&replica, "foto verifikasi lapangan ditambahkan");
            // The blob commits with the change, or neither does.
            store::edit::edit_document_with_blobs(&replica, id, now_ms, &pesan, &[(&foto.isi, &baru.mime)], |json| {
                if let Some(visit) = json.as_object_mut() {
                    let list = visit.entry("foto").or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(list) = list.as_array_mut() {
                        // Photos written before photo ids get theirs (their hash), so the list is keyed by hash.
                        for known in list.iter_mut().filter_map(Value::as_object_mut) {
                            let tanpa_id = known.get("id").and_then(Value::as_str).is_none_or(str::is_empty);
                            if tanpa_id && let Some(sha256) = known.get("sha256").cloned() {
                                known.insert("id".to_owned(), sha256);
                            }
                        }
                        if !list.iter().any(|known| known.get("sha256") == baru_json.get("sha256")) {
                            list.push(baru_json);
                        }
                    }
                }
            })
            .map_err(baca_error)?;
            tracing::info!(ukuran = baru.size, "foto verifikasi lapangan ditambahkan (luring)");
            context.kunjungan_detail_now(&replica, id)
        })
        .await
    }

    /// `verifikasi_lapangan_periksa_foto`: whether a photo file named `nama` of `ukuran` bytes may be attached,
    /// asked before the file is read (the CLI asks with the size on disk). Type and content are checked when the
    /// bytes come.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the photo, the size and the limit.
    pub fn verifikasi_lapangan_periksa_foto(&self, nama: &str, ukuran: u64) -> Result<(), AppError> {
        periksa_ukuran_foto(&nama_berkas_bersih(nama)?, ukuran)
    }

    /// `verifikasi_lapangan_foto`: the content of photo `sha256` of visit `id`, to show it.
    ///
    /// # Errors
    /// [`KodeGalat::TidakDitemukan`] when the visit does not reference that photo, or its bytes have not reached
    /// this device yet (the message says to sync); [`KodeGalat::MasukanTidakSah`] for an id or hash that does not
    /// read; replica errors.
    pub async fn verifikasi_lapangan_foto(self: &Arc<Self>, id: String, sha256: String) -> Result<FotoIsi, AppError> {
        let id = parse_id(&id)?;
        let hash = parse_sha256(&sha256)?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let reader = replica.reader()?;
            let visit =
                store::verifikasi::lihat(&reader, id).map_err(baca_error)?.ok_or_else(|| tidak_ditemukan(id))?;
            let hex = sync::blob::hex(&hash);
            let Some(blob) = visit.foto.iter().find(|blob| blob.sha256.eq_ignore_ascii_case(&hex)) else {
                return Err(AppError::new(
                    KodeGalat::TidakDitemukan,
                    "Foto itu tidak ada pada verifikasi lapangan ini. Buka lagi detailnya lalu pilih fotonya.",
                ));
            };
            match store::sync_state::get_blob(&reader, &hash) {
                Ok(isi) => Ok(FotoIsi { mime: blob.mime.clone(), isi }),
                Err(store::Error::NotFound(_)) => Err(AppError::new(
                    KodeGalat::TidakDitemukan,
                    "Foto ini belum terunduh ke perangkat ini. Sinkronkan saat tersambung ke hub, lalu buka lagi.",
                )),
                Err(store::Error::Shape(_)) => {
                    tracing::warn!("isi foto verifikasi lapangan tidak cocok dengan hash-nya");
                    Err(AppError::new(
                        KodeGalat::Replika,
                        "Foto ini rusak di perangkat; sinkronkan untuk mengunduhnya lagi dari hub.",
                    ))
                }
                Err(error) => Err(error.into()),
            }
        })
        .await
    }

    /// Every visit under `filter`, newest first (all pages). Blocking.
    fn kunjungan_semua(&self, filter: &store::verifikasi::FilterKunjungan) -> Result<Vec<KunjunganRingkas>, AppError> {
        let replica = self.replica(false)?;
        let reader = replica.reader()?;
        let mut filter = store::verifikasi::FilterKunjungan { limit: MAX_ROWS, setelah: None, ..filter.clone() };
        let mut out = Vec::new();
        loop {
            let rows = store::verifikasi::daftar(&reader, &filter)?;
            let full = rows.len() == MAX_ROWS;
            filter.setelah = rows.last().map(store::verifikasi::KunjunganBaris::kursor);
            out.extend(rows.into_iter().map(ringkas));
            if !full {
                return Ok(out);
            }
        }
    }

    /// The export of every visit under `filter` as CSV bytes (see [`tulis_csv`]) and how many visits it holds.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the filter field and value; [`KodeGalat::BelumMasuk`] without a
    /// replica; replica errors.
    pub async fn verifikasi_lapangan_csv(
        self: &Arc<Self>,
        filter: FilterKunjungan,
    ) -> Result<(Vec<u8>, u32), AppError> {
        let filter = filter.to_store()?;
        self.blocking(move |context| {
            let rows = context.kunjungan_semua(&filter)?;
            let mut bytes = Vec::new();
            tulis_csv(&rows, &mut bytes).map_err(AppError::internal)?;
            Ok((bytes, u32::try_from(rows.len()).unwrap_or(u32::MAX)))
        })
        .await
    }

    /// `verifikasi_lapangan_ekspor`: writes every visit under `filter` as CSV (columns [`KOLOM_EKSPOR`]) to
    /// `<data folder>/ekspor/verifikasi-lapangan-<yyyymmdd-HHMMSS>.csv` and returns its path and count. The file
    /// holds personal data: the officer keeps it as they keep the replica.
    ///
    /// # Errors
    /// As [`Self::verifikasi_lapangan_csv`]; [`KodeGalat::Replika`] naming the folder when the file cannot be
    /// written.
    pub async fn verifikasi_lapangan_ekspor(
        self: &Arc<Self>,
        filter: FilterKunjungan,
    ) -> Result<EksporKunjungan, AppError> {
        let (bytes, jumlah) = self.verifikasi_lapangan_csv(filter).await?;
        let folder = self.data_folder().join("ekspor");
        let stamp = (self.clock)().with_timezone(&Local).format("%Y%m%d-%H%M%S");
        let path = folder.join(format!("verifikasi-lapangan-{stamp}.csv"));
        let written = std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, &bytes));
        if let Err(error) = written {
            tracing::warn!(error = %error, "ekspor verifikasi lapangan gagal ditulis");
            return Err(AppError::new(
                KodeGalat::Replika,
                format!(
                    "Berkas ekspor tidak dapat ditulis di {}. Periksa ruang disk dan izin folder itu, lalu coba lagi.",
                    folder.display()
                ),
            ));
        }
        tracing::info!(jumlah, "ekspor verifikasi lapangan ditulis");
        Ok(EksporKunjungan { berkas: path.display().to_string(), jumlah })
    }

    /// `verifikasi_lapangan_hasil`: the hasil to choose from, in order.
    ///
    /// # Errors
    /// None; `Result` for the IPC's uniform shape.
    pub async fn verifikasi_lapangan_hasil(self: &Arc<Self>) -> Result<Vec<HasilView>, AppError> {
        Ok(HASIL
            .into_iter()
            .map(|hasil| HasilView { kode: hasil_kode(hasil).to_owned(), nama: hasil_nama(hasil).to_owned() })
            .collect())
    }
}

#[cfg(test)]
mod tests;
