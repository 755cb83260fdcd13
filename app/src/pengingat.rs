//! The Pengingat screen's use cases (domain §4 rows 6–8): the pegawai whose KP reguler, pensiun (BUP) or KGB falls
//! due within a horizon, and the follow-up an officer records on each ("ditangani", "tidak perlu"), offline.
//!
//! - The lists are `store::pengingat` over the replica's projections, for the context's today: what is listed,
//!   the key and target dates, and the states are described there and in `model::pengingat`.
//! - A follow-up is written into the pegawai document at `tindak_lanjut.<kunci>` through the shared edit path
//!   (`store::edit::edit_pegawai_document`: document, outbox and projections in one transaction), so it syncs to
//!   every replica of the instansi with the next sync; the hub accepts it from holders of `pegawai.ubah` whose NIP
//!   is the follow-up's `oleh`. Two officers recording the same reminder offline: the later write wins (the field
//!   authority table's `lww`), both kept in the audit trail.
//! - Permissions: when the officer's permissions are known, recording needs `pegawai.ubah` (refused here,
//!   [`crate::error::KodeGalat::Ditolak`], before anything is written); unknown, the hub decides at the next sync.
//!
//! It never logs a NIP, a name or a note: only the kind and the state.

use std::sync::Arc;

use model::pengingat::{self, JenisPengingat, StatusPengingat, StatusTindakLanjut, TindakLanjut};
use model::peran::Izin;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::AppContext;
use crate::error::AppError;
use crate::pegawai::{Hitung, golongan};
use crate::usulan::parse_nip;
use crate::verifikasi::periksa_izin;

/// The most rows one page returns.
pub const MAX_ROWS: usize = 500;

/// The horizon used when none is given, in months (the screen offers 3, 6 and 12; any of
/// 1..=[`store::pengingat::MAX_BULAN`] is accepted).
pub const BULAN_BAKU: u32 = 12;

/// Which reminders to list; empty text counts as unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FilterPengingat {
    /// `kp`, `bup` or `kgb`.
    pub jenis: String,
    /// The horizon in months from today (1–23; `None`: [`BULAN_BAKU`]).
    pub bulan: Option<u32>,
    /// Only this state: `aktif`, `kedaluwarsa`, `ditangani` or `tidak_perlu`.
    pub status: Option<String>,
    /// Only pegawai of this unor (id) or a unit below it.
    pub unor: Option<String>,
}

/// Where the next page starts (opaque to the UI: pass back what came).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KursorPengingat {
    /// The last row's target date, `yyyy-mm-dd`.
    pub tanggal: String,
    /// The last row's sort name.
    pub nama: String,
    /// The last row's pegawai row id.
    pub rowid: i64,
}

/// A recorded follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TindakLanjutView {
    /// `ditangani` or `tidak_perlu`.
    pub status: String,
    /// Its label.
    pub status_nama: String,
    /// The officer's note.
    pub catatan: Option<String>,
    /// NIP of the officer who recorded it.
    pub oleh: String,
    /// When, RFC 3339.
    pub waktu: String,
}

/// One reminder as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PengingatView {
    /// The pegawai's NIP.
    pub nip: String,
    /// The pegawai document's row id (what `pengingat_tandai` and `profil` take).
    pub rowid: i64,
    /// Name with gelar.
    pub nama: String,
    /// Unor name now.
    pub unor_nama: Option<String>,
    /// Golongan label now (`"III/d"`).
    pub golongan: Option<String>,
    /// Jabatan name now.
    pub jabatan_nama: Option<String>,
    /// The date shown, `yyyy-mm-dd`: the KP period, the TMT pensiun, the TMT KGB.
    pub tanggal: String,
    /// The date it fell due, `yyyy-mm-dd` (for KP the first period the pegawai was eligible at).
    pub tanggal_kunci: String,
    /// What is due, in a phrase: `"III/d → IV/a"`, `"BUP 58 tahun"`, `"MKG 18 tahun"`.
    pub keterangan: String,
    /// The follow-up key (what `pengingat_tandai` takes).
    pub kunci: String,
    /// State today: `aktif`, `kedaluwarsa`, `ditangani`, `tidak_perlu`.
    pub status: String,
    /// Its label.
    pub status_nama: String,
    /// The recorded follow-up.
    pub tindak_lanjut: Option<TindakLanjutView>,
}

/// One page of reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HalamanPengingat {
    /// The rows, by target date then name.
    pub baris: Vec<PengingatView>,
    /// Reminders per state under the filter without its state (`kunci` the code), every state listed.
    pub per_status: Vec<Hitung>,
    /// The next page's cursor (`None` on the last page).
    pub berikut: Option<KursorPengingat>,
    /// The horizon used, months.
    pub bulan: u32,
    /// This officer may record follow-ups: `pegawai.ubah`, or permissions not known yet (the hub decides).
    pub boleh_tandai: bool,
}

fn jenis_diharapkan() -> String {
    let kodes: Vec<&str> = JenisPengingat::SEMUA.iter().map(|jenis| jenis.kode()).collect();
    format!("salah satu dari {}", kodes.join(", "))
}

/// The kind named by `kode`.
///
/// # Errors
/// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value.
pub fn parse_jenis(kode: &str) -> Result<JenisPengingat, AppError> {
    JenisPengingat::dari_kode(&kode.trim().to_ascii_lowercase())
        .ok_or_else(|| AppError::masukan("Jenis pengingat", kode, &jenis_diharapkan()))
}

/// The state named by `kode` (empty: none).
///
/// # Errors
/// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value.
pub fn parse_status(kode: Option<&str>) -> Result<Option<StatusPengingat>, AppError> {
    let Some(kode) = kode.map(str::trim).filter(|kode| !kode.is_empty()) else { return Ok(None) };
    StatusPengingat::dari_kode(&kode.to_ascii_lowercase()).map(Some).ok_or_else(|| {
        let kodes: Vec<&str> = StatusPengingat::SEMUA.iter().map(|status| status.kode()).collect();
        AppError::masukan("Status pengingat", kode, &format!("salah satu dari {}", kodes.join(", ")))
    })
}

fn status_tindak_lanjut_nama(status: StatusTindakLanjut) -> &'static str {
    match status {
        StatusTindakLanjut::Ditangani => StatusPengingat::Ditangani.nama(),
        StatusTindakLanjut::TidakPerlu => StatusPengingat::TidakPerlu.nama(),
    }
}

fn tindak_lanjut_view(row: TindakLanjut) -> TindakLanjutView {
    TindakLanjutView {
        status: row.status.kode().to_owned(),
        status_nama: status_tindak_lanjut_nama(row.status).to_owned(),
        catatan: row.catatan,
        oleh: row.oleh,
        waktu: row.waktu,
    }
}

/// Refuses a follow-up on a key that is not a reminder of the pegawai (`tandai`: a typo, or a date the facts no
/// longer give), naming the keys it has; and taking back (`tandai` false) where nothing is recorded. Blocking.
///
/// # Errors
/// [`crate::error::KodeGalat::MasukanTidakSah`] naming the key and the NIP; [`crate::error::KodeGalat::TidakDitemukan`]
/// for a pegawai not in the replica; replica errors.
fn periksa_pengingat(
    replica: &store::Replica,
    nip: &str,
    rowid: Option<i64>,
    kunci: &str,
    tandai: bool,
    hari_ini: chrono::NaiveDate,
) -> Result<(), AppError> {
    let reader = replica.reader()?;
    let rowid = store::query::pegawai_rowid(&reader, nip, rowid).map_err(crate::error::edit_error)?;
    if !tandai {
        if store::pengingat::ada_tindak_lanjut(&reader, rowid, kunci)? {
            return Ok(());
        }
        return Err(AppError::masukan(
            "Kunci pengingat",
            kunci,
            &format!("belum ada tindak lanjut untuk pengingat ini pada NIP {nip}; tidak ada yang dibatalkan"),
        ));
    }
    let Some((jenis, tanggal)) = pengingat::baca_kunci(kunci) else {
        return Err(AppError::masukan("Kunci pengingat", kunci, "kp-, bup- atau kgb- diikuti tanggal yyyy-mm-dd"));
    };
    let milik = store::pengingat::pengingat_pegawai(&reader, rowid)?.unwrap_or_default();
    if milik.punya(jenis, tanggal) {
        return Ok(());
    }
    let ada = milik.kunci(hari_ini);
    let ada = if ada.is_empty() { "tidak ada".to_owned() } else { ada.join(", ") };
    Err(AppError::masukan(
        "Kunci pengingat",
        kunci,
        &format!(
            "bukan pengingat NIP {nip} menurut datanya sekarang (yang ada: {ada}); salin kunci dari daftar pengingat"
        ),
    ))
}

fn view(jenis: JenisPengingat, row: store::pengingat::PengingatBaris) -> PengingatView {
    let keterangan = match jenis {
        JenisPengingat::Kp => {
            let dari = row.golongan_id.as_deref().map_or_else(|| "?".to_owned(), golongan);
            let ke = row.kp_golongan_id.as_deref().map_or_else(|| "?".to_owned(), golongan);
            format!("{dari} → {ke}")
        }
        JenisPengingat::Bup => row.bup.map_or_else(|| "BUP".to_owned(), |usia| format!("BUP {usia} tahun")),
        JenisPengingat::Kgb => match row.kgb_awal {
            Some(awal) => format!("MKG {} tahun", model::date::whole_years_between(awal, row.tanggal)),
            None => "KGB".to_owned(),
        },
    };
    PengingatView {
        nip: row.nip,
        rowid: row.rowid,
        nama: row.nama_lengkap,
        unor_nama: row.unor_nama,
        golongan: row.golongan_id.as_deref().map(golongan),
        jabatan_nama: row.jabatan_nama,
        tanggal: row.tanggal.to_string(),
        tanggal_kunci: row.tanggal_kunci.to_string(),
        keterangan,
        kunci: row.kunci,
        status: row.status.kode().to_owned(),
        status_nama: row.status.nama().to_owned(),
        tindak_lanjut: row.tindak_lanjut.map(tindak_lanjut_view),
    }
}

impl AppContext {
    /// `pengingat_daftar`: one page of the reminders of `filter.jenis` within `filter.bulan` months from today, by
    /// target date then name, after `kursor`, at most `batas` rows (1–500), with the counts per state.
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::MasukanTidakSah`] naming the filter field and value; [`crate::error::KodeGalat::BelumMasuk`] without a
    /// replica; replica errors.
    pub async fn pengingat_daftar(
        self: &Arc<Self>,
        filter: FilterPengingat,
        kursor: Option<KursorPengingat>,
        batas: u32,
    ) -> Result<HalamanPengingat, AppError> {
        let jenis = parse_jenis(&filter.jenis)?;
        let status = parse_status(filter.status.as_deref())?;
        let bulan = filter.bulan.unwrap_or(BULAN_BAKU);
        if !(1..=store::pengingat::MAX_BULAN).contains(&bulan) {
            return Err(AppError::masukan(
                "Rentang bulan",
                &bulan.to_string(),
                &format!("antara 1 dan {} bulan", store::pengingat::MAX_BULAN),
            ));
        }
        let setelah = match kursor {
            Some(kursor) => Some(store::pengingat::KursorPengingat {
                tanggal: kursor.tanggal.parse().map_err(|_| {
                    AppError::masukan("Kursor", &kursor.tanggal, "tanggal yyyy-mm-dd dari halaman sebelumnya")
                })?,
                nama: kursor.nama,
                rowid: kursor.rowid,
            }),
            None => None,
        };
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let limit = (batas as usize).clamp(1, MAX_ROWS);
            let query = store::pengingat::FilterPengingat {
                jenis,
                hari_ini: context.today(),
                bulan,
                status,
                unor: filter.unor.filter(|unor| !unor.trim().is_empty()),
                setelah,
                limit,
            };
            let reader = replica.reader()?;
            let per_status = store::pengingat::jumlah_per_status(&reader, &query)?
                .into_iter()
                .map(|(status, jumlah)| Hitung {
                    kunci: status.kode().to_owned(),
                    label: status.nama().to_owned(),
                    jumlah,
                })
                .collect();
            let rows = store::pengingat::daftar(&reader, &query)?;
            let berikut = match rows.last() {
                Some(last) if rows.len() == limit => {
                    let next = last.kursor();
                    Some(KursorPengingat { tanggal: next.tanggal.to_string(), nama: next.nama, rowid: next.rowid })
                }
                _ => None,
            };
            drop(reader);
            let baris = rows.into_iter().map(|row| view(jenis, row)).collect();
            let (izin, _) = context.izin_dan_peran(&replica)?;
            let boleh_tandai = izin.is_empty() || izin.contains(&Izin::PegawaiUbah);
            Ok(HalamanPengingat { baris, per_status, berikut, bulan, boleh_tandai })
        })
        .await
    }

    /// `pengingat_tandai`: records the follow-up `status` (`ditangani` or `tidak_perlu`, with an optional note) on
    /// reminder `kunci` of the pegawai `nip` (document `rowid` when given), by the signed-in officer, now, offline;
    /// `status` `None` takes a recorded follow-up back (the reminder is aktif or kedaluwarsa again). Returns the
    /// follow-up as recorded (`None` after taking it back).
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value: a NIP not of 18 digits, a key not of the
    /// form `kp-yyyy-mm-dd` / `bup-…` / `kgb-…`, an unknown status, a note over
    /// [`model::pengingat::MAX_CATATAN`] characters. [`crate::error::KodeGalat::Ditolak`] when the officer's known permissions
    /// lack `pegawai.ubah`; [`crate::error::KodeGalat::TidakDitemukan`] for a pegawai not in the replica;
    /// [`crate::error::KodeGalat::BelumMasuk`] when nobody is signed in; replica errors.
    pub async fn pengingat_tandai(
        self: &Arc<Self>,
        nip: String,
        rowid: Option<i64>,
        kunci: String,
        status: Option<String>,
        catatan: Option<String>,
    ) -> Result<Option<TindakLanjutView>, AppError> {
        let nip = parse_nip(&nip)?;
        let Some((jenis, _)) = pengingat::baca_kunci(kunci.trim()) else {
            return Err(AppError::masukan("Kunci pengingat", &kunci, "kp-, bup- atau kgb- diikuti tanggal yyyy-mm-dd"));
        };
        let kunci = kunci.trim().to_owned();
        // `None` takes a follow-up back; an empty text is a mistake, not a request to take it back.
        let status = match status.as_deref().map(str::trim) {
            None => None,
            Some(kode) => Some(
                StatusTindakLanjut::dari_kode(kode)
                    .ok_or_else(|| AppError::masukan("Tindak lanjut", kode, "ditangani atau tidak_perlu"))?,
            ),
        };
        let catatan = catatan.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
        if let Some(text) = &catatan {
            let awal: String = text.chars().take(40).collect();
            let panjang = text.chars().count();
            if panjang > pengingat::MAX_CATATAN {
                return Err(AppError::masukan(
                    "Catatan",
                    &format!("{awal}…"),
                    &format!("paling banyak {} karakter (ada {panjang})", pengingat::MAX_CATATAN),
                ));
            }
            if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                return Err(AppError::masukan(
                    "Catatan",
                    &awal.escape_debug().to_string(),
                    "hanya teks dan baris baru, tanpa karakter kendali",
                ));
            }
        }
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let petugas = context.petugas(&replica)?;
            periksa_izin(
                "mencatat tindak lanjut pengingat",
                Izin::PegawaiUbah,
                &petugas.izin_petugas(),
                &petugas.peran,
            )?;
            periksa_pengingat(&replica, nip.as_str(), rowid, &kunci, status.is_some(), context.today())?;
            let (waktu, now_ms) = context.sekarang();
            let recorded = status.map(|status| TindakLanjut { status, catatan, oleh: petugas.nip.clone(), waktu });
            let value = match &recorded {
                Some(row) => Some(serde_json::to_value(row).map_err(AppError::internal)?),
                None => None,
            };
            let pesan = match status {
                Some(status) => {
                    format!("pengingat {} ditandai {}", jenis.kode(), status_tindak_lanjut_nama(status).to_lowercase())
                }
                None => format!("tindak lanjut pengingat {} dibatalkan", jenis.kode()),
            };
            let mut tidak_terbaca = false;
            let written = store::edit::edit_pegawai_document(
                &replica,
                nip.as_str(),
                rowid,
                now_ms,
                &context.pesan_perubahan(&replica, &pesan),
                |json| {
                    let Some(root) = json.as_object_mut() else { return };
                    let map = root.entry("tindak_lanjut").or_insert_with(|| Value::Object(Default::default()));
                    let Some(map) = map.as_object_mut() else {
                        tidak_terbaca = true;
                        return;
                    };
                    match value {
                        Some(value) => map.insert(kunci.clone(), value),
                        None => map.remove(&kunci),
                    };
                },
            )
            .map_err(crate::error::edit_error)?;
            if tidak_terbaca {
                return Err(AppError::new(
                    crate::error::KodeGalat::Replika,
                    "Tindak lanjut tidak dicatat: daftar tindak lanjut pegawai ini tidak terbaca di perangkat ini. \
                     Sinkronkan dulu, lalu coba lagi.",
                ));
            }
            tracing::info!(
                jenis = jenis.kode(),
                status = status.map_or("dibatalkan", StatusTindakLanjut::kode),
                berubah = written.is_some(),
                "tindak lanjut pengingat dicatat (luring)"
            );
            Ok(recorded.map(tindak_lanjut_view))
        })
        .await
    }
}
