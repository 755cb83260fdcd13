//! The Pegawai screens' use cases: search, the filtered list with keyset pages, facet counts, the unor tree, the
//! profile, and the offline edit of a pegawai's contact (no HP, email).
//!
//! Rows come from `store::query` and `store::ringkasan` with codes turned into the names of the reference data
//! (`model::referensi`: golongan "III/a", kedudukan hukum, jenis jabatan, tingkat pendidikan, IKD indicators).
//! The profile's tabs are built from the pegawai document's JSON form: data utama first, then each riwayat, then
//! the family and document lists.
//!
//! What it does not do: check who may change a field (the hub decides when the change is pushed), or log any
//! value of a pegawai.

use std::sync::Arc;

use chrono::NaiveDate;
use model::referensi::referensi;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::AppContext;
use crate::error::AppError;

/// The most rows one search or page returns.
pub const MAX_ROWS: usize = 500;

/// The largest "TMT pensiun within months" filter (50 years).
pub const MAX_BUP_MONTHS: u32 = 600;

/// A count of pegawai under one key, with the key's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Hitung {
    /// The code (`"31"`, `"PNS"`, `"?"` for none).
    pub kunci: String,
    /// Its label (`"III/a"`, `"tidak diketahui"`).
    pub label: String,
    /// Pegawai.
    pub jumlah: i64,
}

/// One pegawai as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PegawaiBaris {
    /// The document's row id (stable for the replica's life). Two documents may share a NIP (a correction at the
    /// source): lists key on this, and `profil`/`kontak_ubah` take it to open exactly this row's document.
    pub rowid: i64,
    /// NIP / NI PPPK.
    pub nip: String,
    /// Nama with gelar.
    pub nama_lengkap: String,
    /// Nama without gelar.
    pub nama: String,
    /// PNS, CPNS, PPPK.
    pub jenis_asn: Option<String>,
    /// Golongan label, e.g. `"III/a"`.
    pub golongan: Option<String>,
    /// Jabatan name.
    pub jabatan_nama: Option<String>,
    /// Unor name.
    pub unor_nama: Option<String>,
    /// Kedudukan hukum name, e.g. `"Aktif"`.
    pub kedudukan: Option<String>,
    /// TMT pensiun, `yyyy-mm-dd`.
    pub tmt_pensiun: Option<String>,
    /// The next KP reguler date, `yyyy-mm-dd`.
    pub kp_berikutnya: Option<String>,
    /// IKD anomalies today.
    pub ikd_count: i64,
}

/// Filters of the pegawai list (`store::query::Filter`); every set field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FilterPegawai {
    /// Only this unor and below (unor id).
    pub unor: Option<String>,
    /// Golongan from (id, `"31"`), inclusive.
    pub golongan_dari: Option<String>,
    /// Golongan to (id), inclusive.
    pub golongan_sampai: Option<String>,
    /// Jenis jabatan ids (`"1"`, `"2"`, `"4"`).
    pub jenis_jabatan: Vec<String>,
    /// Jenis ASN (`"PNS"`, `"CPNS"`, `"PPPK"`).
    pub jenis_asn: Vec<String>,
    /// Kedudukan hukum ids.
    pub kedudukan: Vec<String>,
    /// With (true) or without (false) an IKD anomaly today.
    pub ada_anomali: Option<bool>,
    /// With this IKD code today.
    pub ikd: Option<String>,
    /// TMT pensiun within this many months from today (past ones included), 1–600.
    pub bup_dalam_bulan: Option<u32>,
    /// KP reguler possible at this period date (`yyyy-mm-dd`).
    pub kp_pada: Option<String>,
}

impl FilterPegawai {
    fn to_store(&self) -> Result<store::query::Filter, AppError> {
        let kp_pada = match self.kp_pada.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => Some(
                text.parse::<NaiveDate>()
                    .map_err(|_| AppError::masukan("Periode KP", text, "tulis tanggal sebagai yyyy-mm-dd"))?,
            ),
            None => None,
        };
        if let Some(bulan) = self.bup_dalam_bulan
            && !(1..=MAX_BUP_MONTHS).contains(&bulan)
        {
            return Err(AppError::masukan(
                "Pensiun dalam (bulan)",
                &bulan.to_string(),
                "isi angka bulan antara 1 dan 600",
            ));
        }
        Ok(store::query::Filter {
            unor: self.unor.clone().filter(|unor| !unor.is_empty()),
            golongan_dari: self.golongan_dari.clone().filter(|id| !id.is_empty()),
            golongan_sampai: self.golongan_sampai.clone().filter(|id| !id.is_empty()),
            jenis_jabatan: self.jenis_jabatan.clone(),
            jenis_asn: self.jenis_asn.clone(),
            kedudukan: self.kedudukan.clone(),
            ada_anomali: self.ada_anomali,
            ikd: self.ikd.clone().filter(|kode| !kode.is_empty()),
            bup_dalam_bulan: self.bup_dalam_bulan,
            kp_pada,
        })
    }
}

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Urutan {
    /// By nama.
    #[default]
    Nama,
    /// By NIP.
    Nip,
    /// By golongan, highest first.
    Golongan,
    /// By TMT pensiun, soonest first.
    TmtPensiun,
}

/// Where the next page starts (opaque to the UI: pass back what came).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Kursor {
    /// The last row's sort key.
    pub kunci: String,
    /// The last row's row id.
    pub rowid: i64,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HalamanPegawai {
    /// The rows.
    pub baris: Vec<PegawaiBaris>,
    /// The next page's cursor (`None` on the last page).
    pub berikutnya: Option<Kursor>,
    /// Pegawai under the filter, all pages: counted for the first page only (`kursor` null), `None` on later pages
    /// (keep the first page's figure).
    pub total: Option<i64>,
}

/// Counts under the current filter, for the filter panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FacetsPegawai {
    /// Pegawai under the filter.
    pub total: i64,
    /// By golongan (label `"III/a"`).
    pub golongan: Vec<Hitung>,
    /// By jenis ASN.
    pub jenis_asn: Vec<Hitung>,
    /// By jenis jabatan.
    pub jenis_jabatan: Vec<Hitung>,
    /// By kedudukan hukum.
    pub kedudukan: Vec<Hitung>,
    /// With an IKD anomaly today.
    pub ada_anomali: i64,
}

/// One unor of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UnorSimpul {
    /// Unor id.
    pub id: String,
    /// Name.
    pub nama: String,
    /// Parent unor id (`None` at a root).
    pub induk_id: Option<String>,
    /// Pegawai in it and below it.
    pub jumlah: i64,
}

/// How a value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum JenisNilai {
    /// Text as is.
    Teks,
    /// An ISO date (`yyyy-mm-dd`), shown `dd-mm-yyyy`.
    Tanggal,
}

/// One labelled value of the profile's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Medan {
    /// Label.
    pub label: String,
    /// Value.
    pub nilai: String,
    /// How to show it.
    pub jenis: JenisNilai,
}

/// A column of a profile tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Kolom {
    /// Heading.
    pub judul: String,
    /// How its values are shown.
    pub jenis: JenisNilai,
}

/// One tab of the profile: data utama (two columns: field, value), a riwayat, keluarga or dokumen list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TabRiwayat {
    /// Key, used in element ids (`data-utama`, `riwayat-golongan`, …).
    pub kunci: String,
    /// Title.
    pub judul: String,
    /// Columns.
    pub kolom: Vec<Kolom>,
    /// Rows, one value (or `None`) per column.
    pub baris: Vec<Vec<Option<String>>>,
}

/// An IKD anomaly of a pegawai.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Ikd {
    /// Code (`COM_1`, …).
    pub kode: String,
    /// The indicator's name from the reference data (the code itself when unknown).
    pub indikator: String,
    /// The specific explanation stored with this anomaly (what is wrong in this record); empty when none.
    pub penjelasan: String,
}

/// A field with concurrent values (same-field conflict).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Konflik {
    /// Dotted path.
    pub path: String,
    /// The values, as text.
    pub nilai: Vec<String>,
}

/// The pegawai's contact, editable offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Kontak {
    /// Mobile number.
    pub no_hp: Option<String>,
    /// Email.
    pub email: Option<String>,
}

/// A pegawai's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProfilView {
    /// NIP.
    pub nip: String,
    /// Nama with gelar.
    pub nama_lengkap: String,
    /// Photo (not yet available: always `None`).
    pub foto: Option<String>,
    /// Summary fields.
    pub ringkasan: Vec<Medan>,
    /// TMT pensiun, `yyyy-mm-dd`.
    pub tmt_pensiun: Option<String>,
    /// BUP in years.
    pub usia_bup: Option<i64>,
    /// The next KP reguler date, `yyyy-mm-dd`.
    pub kp_berikutnya: Option<String>,
    /// IKD anomalies today.
    pub ikd: Vec<Ikd>,
    /// Tabs: data utama first, then each riwayat, keluarga, dokumen.
    pub tab: Vec<TabRiwayat>,
    /// Same-field conflicts.
    pub konflik: Vec<Konflik>,
    /// Contact.
    pub kontak: Kontak,
    /// Local changes of this pegawai not yet at the hub.
    pub belum_terkirim: i64,
}

/// The name of code `id` in reference table `tabel`, or the code itself; `"?"` is "tidak diketahui".
pub(crate) fn label(tabel: &str, id: &str) -> String {
    if id == "?" {
        return "tidak diketahui".to_owned();
    }
    referensi().nama(tabel, id).map_or_else(|| id.to_owned(), str::to_owned)
}

/// The label of jenis ASN `id`: the code itself (`PNS`, `CPNS`, `PPPK`), or "tidak diketahui" for `"?"`.
pub(crate) fn jenis_asn(id: &str) -> String {
    if id == "?" { "tidak diketahui".to_owned() } else { id.to_owned() }
}

/// The golongan label (`"III/a"`) of `id`.
pub(crate) fn golongan(id: &str) -> String {
    if id == "?" {
        return "tidak diketahui".to_owned();
    }
    referensi().golongan(id).map_or_else(|| id.to_owned(), |golongan| golongan.nama.clone())
}

/// The explanation of IKD code `kode`: the indicator's name, else `stored`.
pub(crate) fn ikd_penjelasan(kode: &str, stored: &str) -> String {
    match referensi().ikd_indikator(kode) {
        Some(indikator) => indikator.nama.clone(),
        None if !stored.is_empty() => stored.to_owned(),
        None => kode.to_owned(),
    }
}

pub(crate) fn hitung(rows: Vec<(String, i64)>, name: impl Fn(&str) -> String) -> Vec<Hitung> {
    rows.into_iter().map(|(kunci, jumlah)| Hitung { label: name(&kunci), kunci, jumlah }).collect()
}

fn baris(row: store::query::PegawaiRingkas) -> PegawaiBaris {
    PegawaiBaris {
        nip: row.nip,
        nama_lengkap: row.nama_lengkap,
        nama: row.nama,
        jenis_asn: row.jenis_asn,
        golongan: row.golongan_id.as_deref().map(golongan),
        jabatan_nama: row.jabatan_nama,
        unor_nama: row.unor_nama,
        kedudukan: row.kedudukan_hukum_id.as_deref().map(|id| label("kedudukan-hukum", id)),
        tmt_pensiun: row.tmt_pensiun,
        kp_berikutnya: row.kp_berikutnya,
        ikd_count: row.ikd_count,
        rowid: row.rowid,
    }
}

fn limit(batas: u32) -> usize {
    (batas as usize).clamp(1, MAX_ROWS)
}

impl AppContext {
    /// The counts of the empty filter, kept while the replica does not change (Beranda and the filter panel).
    ///
    /// # Errors
    /// Replica errors.
    pub(crate) fn facets_semua(&self, replica: &store::Replica) -> Result<store::query::Facets, AppError> {
        self.cache.facets_semua.get_or_compute(self.cache_key(replica)?, || {
            Ok(store::query::facets(&*replica.reader()?, &store::query::Filter::default(), self.today())?)
        })
    }

    /// `pegawai_cari`: search-as-you-type by NIP, name, jabatan or unor (`store::query::search`), at most `batas`
    /// rows (1–500).
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::BelumMasuk`] without a replica; replica errors.
    pub async fn pegawai_cari(self: &Arc<Self>, kueri: String, batas: u32) -> Result<Vec<PegawaiBaris>, AppError> {
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let rows = store::query::search(&*replica.reader()?, &kueri, limit(batas), context.today())?;
            Ok(rows.into_iter().map(baris).collect())
        })
        .await
    }

    /// `pegawai_daftar`: one page of the list under `filter`, sorted by `urutan`, after `kursor`, at most `batas`
    /// rows (1–500), with the total under the filter on the first page (`kursor` `None`).
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::MasukanTidakSah`] for a bad KP date or a BUP month count outside 1–600;
    /// [`crate::error::KodeGalat::BelumMasuk`]; replica errors.
    pub async fn pegawai_daftar(
        self: &Arc<Self>,
        filter: FilterPegawai,
        urutan: Urutan,
        kursor: Option<Kursor>,
        batas: u32,
    ) -> Result<HalamanPegawai, AppError> {
        self.blocking(move |context| {
            let filter = filter.to_store()?;
            let urutan = match urutan {
                Urutan::Nama => store::query::Urutan::Nama,
                Urutan::Nip => store::query::Urutan::Nip,
                Urutan::Golongan => store::query::Urutan::Golongan,
                Urutan::TmtPensiun => store::query::Urutan::TmtPensiun,
            };
            let first = kursor.is_none();
            let after = kursor.map(|kursor| store::query::Cursor { kunci: kursor.kunci, rowid: kursor.rowid });
            let replica = context.replica(false)?;
            let reader = replica.reader()?;
            let today = context.today();
            let page = store::query::list(&reader, &filter, urutan, after.as_ref(), limit(batas), today)?;
            let total = match (first, filter == store::query::Filter::default()) {
                (false, _) => None,
                (true, false) => Some(store::query::count(&reader, &filter, today)?),
                // The unfiltered total (a scan of the whole table) is kept while the replica does not change.
                (true, true) => Some(context.cache.total_semua.get_or_compute(context.cache_key(&replica)?, || {
                    Ok(store::query::count(&reader, &filter, today)?)
                })?),
            };
            Ok(HalamanPegawai {
                baris: page.rows.into_iter().map(baris).collect(),
                berikutnya: page.berikutnya.map(|cursor| Kursor { kunci: cursor.kunci, rowid: cursor.rowid }),
                total,
            })
        })
        .await
    }

    /// `pegawai_facets`: counts by golongan, jenis ASN, jenis jabatan, kedudukan and anomaly under `filter`.
    ///
    /// # Errors
    /// As [`Self::pegawai_daftar`].
    pub async fn pegawai_facets(self: &Arc<Self>, filter: FilterPegawai) -> Result<FacetsPegawai, AppError> {
        self.blocking(move |context| {
            let filter = filter.to_store()?;
            let replica = context.replica(false)?;
            let facets = if filter == store::query::Filter::default() {
                context.facets_semua(&replica)?
            } else {
                store::query::facets(&*replica.reader()?, &filter, context.today())?
            };
            Ok(FacetsPegawai {
                total: facets.total,
                golongan: hitung(facets.golongan, golongan),
                jenis_asn: hitung(facets.jenis_asn, jenis_asn),
                jenis_jabatan: hitung(facets.jenis_jabatan, |id| label("jenis-jabatan", id)),
                kedudukan: hitung(facets.kedudukan, |id| label("kedudukan-hukum", id)),
                ada_anomali: facets.ada_anomali,
            })
        })
        .await
    }

    /// `unor_pohon`: the replica's unor tree (parents before children) with the pegawai of each subtree.
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::BelumMasuk`]; replica errors.
    pub async fn unor_pohon(self: &Arc<Self>) -> Result<Vec<UnorSimpul>, AppError> {
        self.blocking(|context| {
            let replica = context.replica(false)?;
            context.cache.unor.get_or_compute(context.cache_key(&replica)?, || {
                let rows = store::ringkasan::unor_pohon(&*replica.reader()?)?;
                Ok(rows
                    .into_iter()
                    .map(|row| UnorSimpul { id: row.id, nama: row.nama, induk_id: row.induk_id, jumlah: row.jumlah })
                    .collect())
            })
        })
        .await
    }

    /// `profil`: the whole profile of the pegawai document at `rowid` (a list row's), or of the oldest document
    /// with `nip` when `rowid` is `None`.
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::TidakDitemukan`] (also when the document at `rowid` has another NIP);
    /// [`crate::error::KodeGalat::BelumMasuk`]; replica errors.
    pub async fn profil(self: &Arc<Self>, nip: String, rowid: Option<i64>) -> Result<ProfilView, AppError> {
        self.blocking(move |context| context.profil_now(&nip, rowid)).await
    }

    fn profil_now(&self, nip: &str, rowid: Option<i64>) -> Result<ProfilView, AppError> {
        let replica = self.replica(false)?;
        let reader = replica.reader()?;
        let today = self.today();
        let profil = store::query::profil_by_rowid(&reader, store::query::pegawai_rowid(&reader, nip, rowid)?)
            .map_err(crate::error::profil_error)?;
        let row = store::query::search(&reader, &profil.pegawai.data_utama.nip.to_string(), 5, today)?
            .into_iter()
            .find(|row| row.rowid == profil.rowid);
        let ikd = store::ringkasan::ikd_pegawai(&reader, profil.rowid, today)?
            .into_iter()
            .map(|(kode, stored)| Ikd { indikator: ikd_penjelasan(&kode, ""), penjelasan: stored, kode })
            .collect();
        let belum_terkirim = store::ringkasan::outbox_dokumen(&reader, profil.rowid)?;
        let usia_bup = store::ringkasan::bup(&reader, profil.rowid)?;
        let json = serde_json::to_value(&profil.pegawai).map_err(AppError::internal)?;
        let utama = &json["data_utama"];
        let text = |key: &str| utama.get(key).and_then(shown);
        let mut ringkasan = Vec::new();
        let mut push = |label: &str, nilai: Option<String>, jenis: JenisNilai| {
            if let Some(nilai) = nilai.filter(|nilai| !nilai.is_empty()) {
                ringkasan.push(Medan { label: label.to_owned(), nilai, jenis });
            }
        };
        push("NIP", text("nip"), JenisNilai::Teks);
        push("Jenis ASN", text("jenis_asn"), JenisNilai::Teks);
        let golongan_id = row.as_ref().and_then(|row| row.golongan_id.clone());
        push(
            "Golongan",
            golongan_id.as_deref().map(|id| match referensi().golongan(id) {
                Some(golongan) => format!("{} ({})", golongan.nama, golongan.pangkat),
                None => id.to_owned(),
            }),
            JenisNilai::Teks,
        );
        push("Jabatan", text("jabatan_nama"), JenisNilai::Teks);
        push("Unit organisasi", text("unor_nama"), JenisNilai::Teks);
        push("Kedudukan hukum", text("kedudukan_hukum_id").map(|id| label("kedudukan-hukum", &id)), JenisNilai::Teks);
        push("Pendidikan", text("tingkat_pendidikan_nama").or_else(|| text("pendidikan_nama")), JenisNilai::Teks);
        push("Tanggal lahir", text("tgl_lahir"), JenisNilai::Tanggal);
        push("TMT CPNS", text("tmt_cpns"), JenisNilai::Tanggal);
        let konflik = profil
            .konflik
            .iter()
            .map(|(path, values)| Konflik {
                path: path.clone(),
                nilai: match serde_json::from_str::<Value>(values) {
                    Ok(Value::Array(values)) => values.iter().map(|value| shown(value).unwrap_or_default()).collect(),
                    _ => vec![values.clone()],
                },
            })
            .collect();
        Ok(ProfilView {
            nip: profil.pegawai.data_utama.nip.to_string(),
            nama_lengkap: row
                .as_ref()
                .map_or_else(|| profil.pegawai.data_utama.nama.clone(), |row| row.nama_lengkap.clone()),
            foto: None,
            ringkasan,
            tmt_pensiun: row.as_ref().and_then(|row| row.tmt_pensiun.clone()),
            usia_bup,
            kp_berikutnya: row.as_ref().and_then(|row| row.kp_berikutnya.clone()),
            ikd,
            tab: tabs(&json),
            konflik,
            kontak: Kontak { no_hp: text("no_hp"), email: text("email") },
            belum_terkirim,
        })
    }

    /// `kontak_ubah`: changes the no HP and email of the pegawai document at `rowid` (or the oldest with `nip` when
    /// `None`) offline: an automerge change queued in the outbox, pushed by the next sync. `None` or an empty value
    /// clears the field. Returns the updated profile.
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value, or when the edited record
    /// no longer reads as a pegawai; [`crate::error::KodeGalat::TidakDitemukan`]; replica errors.
    pub async fn kontak_ubah(
        self: &Arc<Self>,
        nip: String,
        rowid: Option<i64>,
        no_hp: Option<String>,
        email: Option<String>,
    ) -> Result<ProfilView, AppError> {
        let no_hp = check_no_hp(no_hp.as_deref())?;
        let email = check_email(email.as_deref())?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let now_ms = (context.clock)().timestamp_millis();
            let changed = store::edit::edit_pegawai_document(
                &replica,
                &nip,
                rowid,
                now_ms,
                &context.pesan_perubahan(&replica, "ubah kontak (no HP, email)"),
                |json| {
                    if let Some(utama) = json.get_mut("data_utama").and_then(Value::as_object_mut) {
                        utama.insert("no_hp".to_owned(), no_hp.map_or(Value::Null, Value::String));
                        utama.insert("email".to_owned(), email.map_or(Value::Null, Value::String));
                    }
                },
            )
            .map_err(crate::error::edit_error)?;
            tracing::info!(changed = changed.is_some(), "kontak pegawai diubah (luring)");
            context.profil_now(&nip, rowid)
        })
        .await
    }
}

/// Checks a mobile number: digits (spaces, dashes, dots and brackets ignored), starting with `08`, `628` or
/// `+628`, 10–15 digits. Returns it without the separators; empty is `None`.
///
/// # Errors
/// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value.
pub fn check_no_hp(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = raw.map(str::trim).filter(|text| !text.is_empty()) else { return Ok(None) };
    let cleaned: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    let plus = cleaned.starts_with('+');
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    let valid = digits.chars().all(|c| c.is_ascii_digit())
        && (10..=15).contains(&digits.len())
        && ((!plus && digits.starts_with("08")) || digits.starts_with("628"));
    if !valid {
        return Err(AppError::masukan(
            "Nomor HP",
            raw.unwrap_or_default(),
            "tulis angka saja, diawali 08 atau +628, 10–15 digit",
        ));
    }
    Ok(Some(cleaned))
}

/// Checks an email address: one `@`, a non-empty local part, a domain with a dot inside, no spaces, at most 254
/// characters. Returns it trimmed; empty is `None`.
///
/// # Errors
/// [`crate::error::KodeGalat::MasukanTidakSah`] naming the field and the raw value.
pub fn check_email(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = raw.map(str::trim).filter(|text| !text.is_empty()) else { return Ok(None) };
    let valid = text.len() <= 254
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && match text.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with(['.', '-'])
                    && !domain.ends_with(['.', '-'])
                    && !domain.contains("..")
            }
            None => false,
        };
    if !valid {
        return Err(AppError::masukan("Email", raw.unwrap_or_default(), "tulis alamat seperti nama@contoh.go.id"));
    }
    Ok(Some(text.to_owned()))
}

/// A JSON value as display text (`None` for null).
pub(crate) fn shown(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(true) => Some("Ya".to_owned()),
        Value::Bool(false) => Some("Tidak".to_owned()),
        Value::Number(number) => Some(number.to_string()),
        other => Some(other.to_string()),
    }
}

/// Whether values of field `key` are dates.
fn is_date(key: &str) -> bool {
    key.starts_with("tmt_") || key.starts_with("tgl_") || key.starts_with("tanggal") || key == "tmt"
}

/// A readable label of field `key` (`tmt_golongan` → `TMT golongan`).
fn field_label(key: &str) -> String {
    let words: Vec<String> = key
        .split('_')
        .filter(|word| !word.is_empty())
        .map(|word| match word {
            "tmt" | "nip" | "nik" | "id" | "sk" | "hp" | "npwp" | "bpjs" | "asn" | "pns" | "cpns" | "skp" | "pppk"
            | "jf" | "ak" => word.to_uppercase(),
            "tgl" => "tanggal".to_owned(),
            "no" => "nomor".to_owned(),
            "mk" => "masa kerja".to_owned(),
            "unor" => "unit organisasi".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => key.to_owned(),
    }
}

/// The profile's tabs from the pegawai's JSON form (see the module doc).
fn tabs(json: &Value) -> Vec<TabRiwayat> {
    let mut tabs = Vec::new();
    if let Some(utama) = json.get("data_utama").and_then(Value::as_object) {
        let baris = utama
            .iter()
            .filter_map(|(key, value)| shown(value).map(|value| vec![Some(field_label(key)), Some(value)]))
            .collect();
        tabs.push(TabRiwayat {
            kunci: "data-utama".to_owned(),
            judul: "Data utama".to_owned(),
            kolom: vec![
                Kolom { judul: "Data".to_owned(), jenis: JenisNilai::Teks },
                Kolom { judul: "Nilai".to_owned(), jenis: JenisNilai::Teks },
            ],
            baris,
        });
    }
    let Some(all) = json.as_object() else { return tabs };
    let mut lists: Vec<(&String, &Vec<Value>)> =
        all.iter().filter_map(|(key, value)| value.as_array().map(|rows| (key, rows))).collect();
    // Riwayat first, then keluarga, then dokumen; alphabetical within each.
    lists.sort_by_key(|(key, _)| {
        (
            if key.starts_with("riwayat_") {
                0
            } else if key.contains("dokumen") {
                2
            } else {
                1
            },
            *key,
        )
    });
    for (key, rows) in lists {
        let mut columns: Vec<String> = Vec::new();
        for row in rows {
            if let Some(object) = row.as_object() {
                for (column, value) in object {
                    if column != "id" && !value.is_null() && !columns.contains(column) {
                        columns.push(column.clone());
                    }
                }
            }
        }
        let baris =
            rows.iter().map(|row| columns.iter().map(|column| row.get(column).and_then(shown)).collect()).collect();
        tabs.push(TabRiwayat {
            kunci: key.replace('_', "-"),
            judul: field_label(key),
            kolom: columns
                .iter()
                .map(|column| Kolom {
                    judul: field_label(column),
                    jenis: if is_date(column) { JenisNilai::Tanggal } else { JenisNilai::Teks },
                })
                .collect(),
            baris,
        });
    }
    tabs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::KodeGalat;

    #[test]
    fn phone_numbers_and_emails_are_checked_and_errors_name_field_and_value() {
        assert_eq!(check_no_hp(Some(" 0812-3456-7890 ")).unwrap().as_deref(), Some("081234567890"));
        assert_eq!(check_no_hp(Some("+62 812 3456 7890")).unwrap().as_deref(), Some("+6281234567890"));
        assert_eq!(check_no_hp(Some("")).unwrap(), None);
        for bad in ["12345", "0812abc4567", "+0812345678901", "021-555-1234", "08123456789012345"] {
            let error = check_no_hp(Some(bad)).unwrap_err();
            assert_eq!(error.code, KodeGalat::MasukanTidakSah);
            assert!(error.message.contains("Nomor HP") && error.message.contains(bad), "{}", error.message);
        }
        assert_eq!(check_email(Some(" a.b@bkd.go.id ")).unwrap().as_deref(), Some("a.b@bkd.go.id"));
        for bad in ["tanpa-at", "a@b", "a@@b.id", "a b@c.id", "@c.id", "a@.c.id"] {
            let error = check_email(Some(bad)).unwrap_err();
            assert!(error.message.contains("Email") && error.message.contains(bad), "{}", error.message);
        }
    }

    #[test]
    fn labels_come_from_the_reference_data() {
        assert_eq!(golongan("31"), "III/a");
        assert_eq!(field_label("tmt_golongan"), "TMT golongan");
        assert_eq!(field_label("no_hp"), "Nomor HP");
        let json = serde_json::json!({
            "data_utama": {"nip": "1", "nama": "A", "no_hp": null},
            "riwayat_golongan": [{"id": "x", "golongan_id": "31", "tmt_golongan": "2020-04-01"}],
            "pasangan": [],
        });
        let tabs = tabs(&json);
        assert_eq!(tabs[0].kunci, "data-utama");
        assert_eq!(tabs[0].baris.len(), 2, "null fields are left out");
        assert_eq!(tabs[1].kunci, "riwayat-golongan");
        assert_eq!(tabs[1].kolom[1].jenis, JenisNilai::Tanggal);
        assert_eq!(tabs[2].kunci, "pasangan");
    }
}
