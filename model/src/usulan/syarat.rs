//! The document checklist of an usulan and the check an operator runs before submitting it (domain.md §1.4–1.7,
//! §4 #11 and #19: most BTS returns are missing or unreadable documents and names or birth dates that disagree).
//!
//! [`daftar_syarat`] turns the rows of `schemas/referensi/syarat-dokumen-usulan.json` for the usulan's jenis and
//! sub jenis into the checklist that applies: rows whose condition ([`KondisiDokumen`]) does not hold for the
//! pegawai or the proposed changes are left out, and a per-pegawai document of a kolektif usulan appears once per
//! NIP. [`periksa_pengajuan`] lists what stands in the way of submitting ([`Tingkat::Blokir`]) and what the
//! verifikator or BKN is likely to return ([`Tingkat::Peringatan`]), each as a [`Temuan`] whose message, in
//! Bahasa Indonesia, names the document or field and says what to do.
//!
//! **Conditions.** A row applies when its condition holds; when the data to decide is missing (no status kawin,
//! no golongan) the row is kept, since asking for one document too many is better than a BTS:
//! - `menikah`: status kawin `1` (Menikah) in data utama; without one, a pasangan whose marriage has no cerai or
//!   death date.
//! - `jabatan_fungsional`: jenis jabatan `2` (fungsional tertentu).
//! - `pendidikan_naik`: the tingkat pendidikan terakhir opens a higher golongan awal (`tingkat-pendidikan.json`)
//!   than the pegawai's golongan awal: the ijazah was earned after appointment.
//! - `lintas_golongan`: the next golongan crosses from II to III or III to IV (ujian dinas/UPKP).
//! - `ke_golongan_iv`: the next golongan is IV/a or above.
//! - `belum_ada_di_siasn`: data utama has no `path` entry ([`crate::pegawai::DokumenRef`]) with the row's kode.
//! - `ubah_identitas`, `ubah_pendidikan`, `ubah_data_lain`: [`Usulan::perubahan`] touches nama, tempat or tanggal
//!   lahir, jenis kelamin or NIK; pendidikan; or any other field that `kewenangan-field.json` has verified (or has
//!   no rule for).
//!
//! **Where a file goes.** [`Usulan::dokumen`] is keyed by [`SyaratDokumen::kunci`]: the kode for a one-pegawai
//! usulan and for an usulan-wide document (a surat pengantar), `"<nip>/<kode>"` for a per-pegawai document of a
//! kolektif usulan ([`kunci_dokumen`]). A one-pegawai usulan also accepts the `"<nip>/<kode>"` form.
//!
//! **KP reguler** is judged with [`kp::kp_reguler`] for the first KP period on or after `pada`
//! ([`crate::referensi::Referensi::tmt_kp_berikutnya`]): an usulan is made for the coming period.
//!
//! What this module deliberately does not do: open files (it sees [`super::BlobRef`] only, so it checks MIME type and
//! size but not page counts, which the app checks when a file is attached), judge KP pilihan (angka kredit,
//! jabatan) or "not above the direct superior's pangkat" (the verifikator does), or decide who may submit
//! ([`super::alur`]). The size limits are the app's policy; SI-ASN publishes none.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::date::{self, ParsedDate, Tanggal};
use crate::pegawai::Pegawai;
use crate::referensi::{KondisiDokumen, LingkupDokumen, SyaratDokumenUsulan, referensi};
use crate::rules::kp::{self, KpReguler, Pemenuhan};
use crate::rules::nip;
use crate::usulan::{JenisUsulan, Usulan, UsulanPegawai};

/// One document of an usulan's checklist, for one pegawai or for the whole usulan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyaratDokumen {
    /// Ref dokumen id (`"858"`) or local code (`"surat_pengantar"`), from `syarat-dokumen-usulan.json`.
    pub kode: String,
    /// The document's name, e.g. `"SK Pangkat Terakhir"`.
    pub nama: String,
    /// Whether the usulan is blocked without it.
    pub wajib: bool,
    /// The condition that made the row apply, if it has one.
    pub syarat: Option<KondisiDokumen>,
    /// One per pegawai or one per usulan.
    pub lingkup: LingkupDokumen,
    /// The pegawai it is for; `None` for an usulan-wide document.
    pub nip: Option<String>,
    /// The key of the file in [`Usulan::dokumen`] ([`kunci_dokumen`]).
    pub kunci: String,
    /// Accepted MIME types, e.g. `["application/pdf"]`.
    pub tipe: Vec<String>,
    /// Smallest accepted size, bytes.
    pub ukuran_min: u64,
    /// Largest accepted size, bytes.
    pub ukuran_maks: u64,
    /// Most pages allowed (checked by the app when the file is attached), or `None`.
    pub halaman_maks: Option<u32>,
    /// Where the requirement comes from.
    pub sumber: String,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tingkat {
    /// The usulan cannot be submitted until this is fixed.
    Blokir,
    /// The usulan can be submitted, but the verifikator or BKN will probably return it.
    Peringatan,
}

/// One finding of [`periksa_pengajuan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Temuan {
    /// Blocking or a warning.
    pub tingkat: Tingkat,
    /// What kind of finding, one of the `KODE_*` constants of this module (e.g. [`KODE_DOKUMEN_BELUM_ADA`]).
    pub kode: String,
    /// The pegawai it concerns; `None` for the usulan as a whole.
    pub nip: Option<String>,
    /// What is wrong and what to do, in Bahasa Indonesia, naming the document or field.
    pub pesan: String,
}

/// Blokir: the usulan names no pegawai.
pub const KODE_TANPA_PEGAWAI: &str = "tanpa_pegawai";
/// Blokir: a NIP appears twice in the usulan.
pub const KODE_NIP_GANDA: &str = "nip_ganda";
/// Blokir: a NIP of the usulan has no pegawai record in the replica.
pub const KODE_PEGAWAI_TIDAK_DITEMUKAN: &str = "pegawai_tidak_ditemukan";
/// Blokir: a KP or pemberhentian usulan without its sub jenis.
pub const KODE_SUB_JENIS_KOSONG: &str = "sub_jenis_kosong";
/// Blokir: a sub jenis that is not in `jenis-kp.json` / `jenis-pemberhentian.json`.
pub const KODE_SUB_JENIS_TIDAK_DIKENAL: &str = "sub_jenis_tidak_dikenal";
/// Blokir: no KP reguler is possible for the pegawai (PPPK, CPNS, not aktif, at the ijazah's maximum).
pub const KODE_KP_TIDAK_BERLAKU: &str = "kp_reguler_tidak_berlaku";
/// Blokir: the 4 years in pangkat are not reached by the coming KP period.
pub const KODE_KP_BELUM_WAKTUNYA: &str = "kp_reguler_belum_waktunya";
/// Blokir: a condition of KP reguler is not met (predikat kinerja).
pub const KODE_KP_TIDAK_MEMENUHI: &str = "kp_reguler_tidak_memenuhi";
/// Peringatan: a condition of KP reguler cannot be decided from the data.
pub const KODE_KP_BELUM_PASTI: &str = "kp_reguler_belum_pasti";
/// Blokir: a mandatory document is not attached.
pub const KODE_DOKUMEN_BELUM_ADA: &str = "dokumen_belum_ada";
/// Blokir: an attached file has a MIME type the document does not accept.
pub const KODE_DOKUMEN_TIPE_SALAH: &str = "dokumen_tipe_salah";
/// Blokir: an attached file is larger than allowed.
pub const KODE_DOKUMEN_TERLALU_BESAR: &str = "dokumen_terlalu_besar";
/// Blokir: an attached file is smaller than allowed (empty or broken).
pub const KODE_DOKUMEN_TERLALU_KECIL: &str = "dokumen_terlalu_kecil";
/// Peringatan: a file is attached under a key that is not on the checklist.
pub const KODE_DOKUMEN_TIDAK_DIKENAL: &str = "dokumen_tidak_dikenal";
/// Peringatan: the pegawai has an IKD anomaly.
pub const KODE_ANOMALI_IKD: &str = "anomali_ikd";
/// Peringatan: a nama in the usulan differs from the pegawai record.
pub const KODE_NAMA_BERBEDA: &str = "nama_berbeda";
/// Peringatan: a tanggal lahir in the usulan differs from the pegawai record or from the NIP.
pub const KODE_TGL_LAHIR_BERBEDA: &str = "tgl_lahir_berbeda";
/// Blokir: a proposed nama or tanggal lahir cannot be read.
pub const KODE_PERUBAHAN_TIDAK_TERBACA: &str = "perubahan_tidak_terbaca";

/// Perubahan paths of [`KondisiDokumen::UbahIdentitas`].
const FIELD_IDENTITAS: [&str; 6] = [
    "data_utama.nama",
    "data_utama.tempat_lahir",
    "data_utama.tempat_lahir_id",
    "data_utama.tgl_lahir",
    "data_utama.jenis_kelamin",
    "data_utama.nik",
];

/// Perubahan paths of [`KondisiDokumen::UbahPendidikan`].
const FIELD_PENDIDIKAN: [&str; 6] = [
    "data_utama.tingkat_pendidikan_id",
    "data_utama.tingkat_pendidikan_nama",
    "data_utama.pendidikan_id",
    "data_utama.pendidikan_nama",
    "data_utama.tahun_lulus",
    "riwayat_pendidikan",
];

/// The key of a document in [`Usulan::dokumen`]: `kode` for an usulan-wide document or a one-pegawai usulan
/// (`nip` `None`), `"<nip>/<kode>"` for one pegawai's document in a kolektif usulan.
pub fn kunci_dokumen(kode: &str, nip: Option<&str>) -> String {
    match nip {
        Some(nip) => format!("{nip}/{kode}"),
        None => kode.to_owned(),
    }
}

/// The checklist that applies to `usulan`: usulan-wide documents first, then each pegawai's in the usulan's
/// order, each group in the order of `syarat-dokumen-usulan.json`.
///
/// `pegawai` holds the records of the usulan's NIPs (others are ignored); a NIP without a record keeps every
/// conditional row. An usulan whose jenis needs a sub jenis and has none gets the rows common to every sub jenis.
pub fn daftar_syarat(usulan: &Usulan, pegawai: &[Pegawai]) -> Vec<SyaratDokumen> {
    let rows: Vec<&SyaratDokumenUsulan> =
        referensi().syarat_dokumen(usulan.jenis, usulan.sub_jenis.as_deref()).collect();
    let anggota: Vec<(&UsulanPegawai, Option<&Pegawai>)> =
        usulan.pegawai.iter().map(|anggota| (anggota, cari(pegawai, anggota.nip.as_str()))).collect();
    let kolektif = usulan.pegawai.len() > 1;
    let mut daftar = Vec::new();
    for row in rows.iter().filter(|row| row.lingkup == LingkupDokumen::Usulan) {
        let berlaku = match row.syarat {
            None => true,
            Some(kondisi) if anggota.is_empty() => berlaku(kondisi, &row.kode, usulan, None) != Some(false),
            Some(kondisi) => anggota.iter().any(|(_, data)| berlaku(kondisi, &row.kode, usulan, *data) != Some(false)),
        };
        if berlaku {
            daftar.push(syarat_dari(row, None, kunci_dokumen(&row.kode, None)));
        }
    }
    for (anggota, data) in &anggota {
        let nip = anggota.nip.as_str();
        for row in rows.iter().filter(|row| row.lingkup == LingkupDokumen::Pegawai) {
            if row.syarat.is_some_and(|kondisi| berlaku(kondisi, &row.kode, usulan, *data) == Some(false)) {
                continue;
            }
            let kunci = kunci_dokumen(&row.kode, kolektif.then_some(nip));
            daftar.push(syarat_dari(row, Some(nip.to_owned()), kunci));
        }
    }
    daftar
}

/// Everything that blocks or endangers submitting `usulan` on `pada` (the submission day).
///
/// `pegawai` holds the records of the usulan's NIPs; `ikd` the IKD anomaly codes per NIP (from
/// [`crate::rules::ikd::evaluate`] or the hub's projection). The findings come in this order: the usulan
/// (sub jenis, no pegawai); then per pegawai in the usulan's order: duplicate or missing record, nama and tanggal
/// lahir consistency, KP reguler eligibility (jenis KP 101 only), IKD anomalies; then the documents in checklist
/// order ([`daftar_syarat`]); then files attached under keys the checklist does not know.
/// An usulan may be submitted when no finding is [`Tingkat::Blokir`].
pub fn periksa_pengajuan(
    usulan: &Usulan,
    pegawai: &[Pegawai],
    pada: Tanggal,
    ikd: &[(String, Vec<String>)],
) -> Vec<Temuan> {
    let mut temuan = Vec::new();
    periksa_sub_jenis(usulan, &mut temuan);
    if usulan.pegawai.is_empty() {
        temuan.push(Temuan {
            tingkat: Tingkat::Blokir,
            kode: KODE_TANPA_PEGAWAI.into(),
            nip: None,
            pesan: "Usulan belum memuat pegawai: tambahkan minimal satu NIP sebelum diajukan.".into(),
        });
    }
    let mut dilihat = BTreeSet::new();
    for anggota in &usulan.pegawai {
        let nip = anggota.nip.as_str();
        if !dilihat.insert(nip) {
            temuan.push(Temuan {
                tingkat: Tingkat::Blokir,
                kode: KODE_NIP_GANDA.into(),
                nip: Some(nip.to_owned()),
                pesan: format!("NIP {nip} tercantum lebih dari sekali di usulan: hapus salah satunya."),
            });
            continue;
        }
        match cari(pegawai, nip) {
            None => temuan.push(Temuan {
                tingkat: Tingkat::Blokir,
                kode: KODE_PEGAWAI_TIDAK_DITEMUKAN.into(),
                nip: Some(nip.to_owned()),
                pesan: format!(
                    "Data pegawai NIP {nip} ({}) tidak ada di data lokal: sinkronkan atau tarik datanya dari SI-ASN \
                     sebelum usulan diajukan.",
                    anggota.nama
                ),
            }),
            Some(data) => {
                periksa_identitas(usulan, anggota, data, &mut temuan);
                if usulan.jenis == JenisUsulan::KenaikanPangkat && usulan.sub_jenis.as_deref() == Some("101") {
                    periksa_kp_reguler(data, pada, &mut temuan);
                }
            }
        }
        periksa_ikd(nip, ikd, &mut temuan);
    }
    periksa_dokumen(usulan, pegawai, &mut temuan);
    temuan
}

fn cari<'a>(pegawai: &'a [Pegawai], nip: &str) -> Option<&'a Pegawai> {
    pegawai.iter().find(|data| data.data_utama.nip.as_str() == nip)
}

fn syarat_dari(row: &SyaratDokumenUsulan, nip: Option<String>, kunci: String) -> SyaratDokumen {
    SyaratDokumen {
        kode: row.kode.clone(),
        nama: row.nama.clone(),
        wajib: row.wajib,
        syarat: row.syarat,
        lingkup: row.lingkup,
        nip,
        kunci,
        tipe: row.tipe.clone(),
        ukuran_min: row.ukuran_min,
        ukuran_maks: row.ukuran_maks,
        halaman_maks: row.halaman_maks,
        sumber: row.sumber.clone(),
    }
}

/// Whether `kondisi` holds; `None` when the data to decide is missing (see the module doc for each condition).
fn berlaku(kondisi: KondisiDokumen, kode: &str, usulan: &Usulan, data: Option<&Pegawai>) -> Option<bool> {
    let referensi = referensi();
    let mengubah = |fields: &[&str]| usulan.perubahan.keys().any(|path| mencakup(fields, path));
    match kondisi {
        KondisiDokumen::UbahIdentitas => return Some(mengubah(&FIELD_IDENTITAS)),
        KondisiDokumen::UbahPendidikan => return Some(mengubah(&FIELD_PENDIDIKAN)),
        KondisiDokumen::UbahDataLain => {
            return Some(usulan.perubahan.keys().any(|path| {
                !mencakup(&FIELD_IDENTITAS, path)
                    && !mencakup(&FIELD_PENDIDIKAN, path)
                    && referensi.kewenangan(path).is_none_or(|aturan| aturan.diverifikasi_oleh.is_some())
            }));
        }
        _ => {}
    }
    let data = data?;
    let utama = &data.data_utama;
    let golongan_berikutnya = || referensi.golongan_berikutnya(utama.golongan_akhir_id.as_deref()?);
    match kondisi {
        KondisiDokumen::Menikah => match utama.status_kawin_id.as_deref() {
            Some(status) => Some(status == "1"),
            None if data.pasangan.is_empty() => None,
            None => Some(data.pasangan.iter().any(|pasangan| {
                pasangan.tgl_cerai.is_none()
                    && pasangan.tgl_meninggal.is_none()
                    && pasangan.status_nikah.as_deref().is_none_or(|status| status.eq_ignore_ascii_case("menikah"))
            })),
        },
        KondisiDokumen::JabatanFungsional => utama.jenis_jabatan_id.as_deref().map(|jenis| jenis == "2"),
        KondisiDokumen::PendidikanNaik => {
            let tingkat = referensi.tingkat_pendidikan(utama.tingkat_pendidikan_id.as_deref()?)?;
            let dibuka = referensi.golongan_urutan(&tingkat.golongan_awal_id)?;
            let awal = referensi.golongan_urutan(utama.golongan_awal_id.as_deref()?)?;
            Some(dibuka > awal)
        }
        KondisiDokumen::LintasGolongan => {
            let sekarang = utama.golongan_akhir_id.as_deref()?;
            let berikutnya = golongan_berikutnya()?;
            Some(sekarang.get(..1) != berikutnya.id.get(..1))
        }
        KondisiDokumen::KeGolonganIv => Some(golongan_berikutnya()?.id.starts_with('4')),
        KondisiDokumen::BelumAdaDiSiasn => Some(!utama.dokumen.iter().any(|dokumen| dokumen.dok_id == kode)),
        KondisiDokumen::UbahIdentitas | KondisiDokumen::UbahPendidikan | KondisiDokumen::UbahDataLain => None,
    }
}

/// True when `path` is one of `fields` or lies below one of them.
fn mencakup(fields: &[&str], path: &str) -> bool {
    fields.iter().any(|field| path.strip_prefix(field).is_some_and(|sisa| sisa.is_empty() || sisa.starts_with('.')))
}

fn periksa_sub_jenis(usulan: &Usulan, temuan: &mut Vec<Temuan>) {
    let (label, tabel, contoh) = match usulan.jenis {
        JenisUsulan::KenaikanPangkat => ("jenis kenaikan pangkat", "jenis-kp", "101 Reguler"),
        JenisUsulan::Pemberhentian => ("jenis pemberhentian", "jenis-pemberhentian", "1 BUP"),
        _ => return,
    };
    match usulan.sub_jenis.as_deref() {
        None => temuan.push(Temuan {
            tingkat: Tingkat::Blokir,
            kode: KODE_SUB_JENIS_KOSONG.into(),
            nip: None,
            pesan: format!("{} belum dipilih: pilih {label} (mis. {contoh}) sebelum diajukan.", kapital(label)),
        }),
        Some(id) if referensi().nama(tabel, id).is_none() => temuan.push(Temuan {
            tingkat: Tingkat::Blokir,
            kode: KODE_SUB_JENIS_TIDAK_DIKENAL.into(),
            nip: None,
            pesan: format!(
                "{} '{id}' tidak dikenal di referensi {tabel}: pilih {label} yang tersedia.",
                kapital(label)
            ),
        }),
        Some(_) => {}
    }
}

/// Nama and tanggal lahir of the usulan against the pegawai record (domain.md §4 #11: a mismatch with the
/// ijazah or KTP is the most common BTS reason).
fn periksa_identitas(usulan: &Usulan, anggota: &UsulanPegawai, data: &Pegawai, temuan: &mut Vec<Temuan>) {
    let utama = &data.data_utama;
    let nip = anggota.nip.as_str();
    let mut push = |tingkat, kode: &str, pesan: String| {
        temuan.push(Temuan { tingkat, kode: kode.into(), nip: Some(nip.to_owned()), pesan });
    };
    let nama_data = normal(&utama.nama);
    if normal(&anggota.nama) != nama_data && normal(&anggota.nama) != normal(&utama.nama_lengkap()) {
        push(
            Tingkat::Peringatan,
            KODE_NAMA_BERBEDA,
            format!(
                "Nama NIP {nip} di usulan ('{}') berbeda dengan data pegawai ('{}'): perbarui nama di usulan dari data \
                 pegawai sebelum diajukan.",
                anggota.nama, utama.nama
            ),
        );
    }
    let peremajaan = usulan.jenis == JenisUsulan::PeremajaanData;
    if let Some(teks) = usulan.perubahan.get("data_utama.nama") {
        match serde_json::from_str::<String>(teks) {
            Err(_) => push(
                Tingkat::Blokir,
                KODE_PERUBAHAN_TIDAK_TERBACA,
                format!("Nilai perubahan 'Nama' tidak terbaca ({teks}): isi ulang nama yang diusulkan."),
            ),
            Ok(nama) if !peremajaan && normal(&nama) != nama_data => push(
                Tingkat::Peringatan,
                KODE_NAMA_BERBEDA,
                format!(
                    "Nama di perubahan usulan ('{nama}') berbeda dengan data pegawai NIP {nip} ('{}'): nama hanya \
                     dapat diubah lewat usulan peremajaan data; samakan dengan data pegawai atau ajukan perbaikan \
                     nama lebih dulu.",
                    utama.nama
                ),
            ),
            Ok(_) => {}
        }
    }
    if let Some(teks) = usulan.perubahan.get("data_utama.tgl_lahir") {
        let tanggal = serde_json::from_str::<String>(teks).ok().and_then(|nilai| match date::parse(&nilai) {
            ParsedDate::Date(tanggal, _) => Some(tanggal),
            _ => None,
        });
        match tanggal {
            None => push(
                Tingkat::Blokir,
                KODE_PERUBAHAN_TIDAK_TERBACA,
                format!("Nilai perubahan 'Tanggal lahir' tidak terbaca ({teks}): isi ulang dengan format dd-mm-yyyy."),
            ),
            Some(tanggal) if !peremajaan && Some(tanggal) != utama.tgl_lahir => push(
                Tingkat::Peringatan,
                KODE_TGL_LAHIR_BERBEDA,
                format!(
                    "Tanggal lahir di perubahan usulan ({}) berbeda dengan data pegawai NIP {nip} ({}): tanggal lahir \
                     hanya dapat diubah lewat usulan peremajaan data; samakan dengan data pegawai atau ajukan \
                     perbaikan lebih dulu.",
                    date::format_dmy(tanggal),
                    utama.tgl_lahir.map_or_else(|| "kosong".to_owned(), date::format_dmy)
                ),
            ),
            Some(tanggal) if peremajaan => {
                if let Ok(bagian) = nip::parse(&utama.nip)
                    && bagian.tgl_lahir != tanggal
                {
                    push(
                        Tingkat::Peringatan,
                        KODE_TGL_LAHIR_BERBEDA,
                        format!(
                            "Tanggal lahir baru {} tidak sama dengan tanggal lahir di NIP {nip} ({}): NIP tidak ikut \
                             berubah, sehingga data akan tercatat sebagai anomali IKD CON_2; pastikan akta kelahiran \
                             dan ijazah mendukung perubahan ini.",
                            date::format_dmy(tanggal),
                            date::format_dmy(bagian.tgl_lahir)
                        ),
                    );
                }
            }
            Some(_) => {}
        }
    }
}

/// KP reguler for the first KP period on or after `pada` ([`kp::kp_reguler`]).
fn periksa_kp_reguler(data: &Pegawai, pada: Tanggal, temuan: &mut Vec<Temuan>) {
    let utama = &data.data_utama;
    let nip = utama.nip.as_str();
    let siapa = format!("NIP {nip} ({})", utama.nama);
    let mut push = |tingkat, kode: &str, pesan: String| {
        temuan.push(Temuan { tingkat, kode: kode.into(), nip: Some(nip.to_owned()), pesan });
    };
    match kp::kp_reguler(data, pada) {
        KpReguler::TidakBerlaku(alasan) => push(
            Tingkat::Blokir,
            KODE_KP_TIDAK_BERLAKU,
            format!("{siapa} tidak dapat diusulkan KP reguler: {alasan}. Hapus dari usulan ini."),
        ),
        KpReguler::Berikutnya { tmt, syarat, .. } => {
            let periode = referensi().tmt_kp_berikutnya(pada);
            if tmt > periode {
                let masa = syarat.iter().find(|syarat| syarat.nama == "masa pangkat");
                push(
                    Tingkat::Blokir,
                    KODE_KP_BELUM_WAKTUNYA,
                    format!(
                        "{siapa} belum memenuhi masa 4 tahun dalam pangkat untuk periode KP {}: {}. Ajukan untuk \
                         periode TMT {}.",
                        date::format_dmy(periode),
                        masa.map_or("", |syarat| syarat.penjelasan.as_str()),
                        date::format_dmy(tmt)
                    ),
                );
            }
            for syarat in &syarat {
                match syarat.pemenuhan {
                    Pemenuhan::Terpenuhi => {}
                    Pemenuhan::TidakTerpenuhi => push(
                        Tingkat::Blokir,
                        KODE_KP_TIDAK_MEMENUHI,
                        format!(
                            "{siapa} belum memenuhi syarat KP reguler ({}): {}. Periksa riwayatnya; bila datanya \
                             salah, perbaiki lewat peremajaan data sebelum diusulkan.",
                            syarat.nama, syarat.penjelasan
                        ),
                    ),
                    Pemenuhan::TidakDiketahui => push(
                        Tingkat::Peringatan,
                        KODE_KP_BELUM_PASTI,
                        format!(
                            "Syarat KP reguler ({}) untuk {siapa} belum dapat diperiksa: {}. Lengkapi datanya agar \
                             verifikator dapat memastikan.",
                            syarat.nama, syarat.penjelasan
                        ),
                    ),
                }
            }
        }
    }
}

fn periksa_ikd(nip: &str, ikd: &[(String, Vec<String>)], temuan: &mut Vec<Temuan>) {
    for kode in ikd.iter().filter(|(nip_ikd, _)| nip_ikd == nip).flat_map(|(_, kode)| kode) {
        let nama =
            referensi().ikd_indikator(kode).map_or_else(String::new, |indikator| format!(" ({})", indikator.nama));
        temuan.push(Temuan {
            tingkat: Tingkat::Peringatan,
            kode: KODE_ANOMALI_IKD.into(),
            nip: Some(nip.to_owned()),
            pesan: format!(
                "Data pegawai NIP {nip} memiliki anomali IKD {kode}{nama}: perbaiki lewat peremajaan data agar usulan \
                 tidak dikembalikan (BTS)."
            ),
        });
    }
}

fn periksa_dokumen(usulan: &Usulan, pegawai: &[Pegawai], temuan: &mut Vec<Temuan>) {
    let daftar = daftar_syarat(usulan, pegawai);
    let satu_pegawai = usulan.pegawai.len() == 1;
    let mut dikenal = BTreeSet::new();
    for syarat in &daftar {
        let mut kunci = vec![syarat.kunci.clone()];
        if satu_pegawai && let Some(nip) = &syarat.nip {
            kunci.push(kunci_dokumen(&syarat.kode, Some(nip)));
        }
        let berkas = kunci.iter().find_map(|kunci| usulan.dokumen.get(kunci));
        dikenal.extend(kunci);
        let untuk = match (&syarat.nip, satu_pegawai) {
            (Some(nip), false) => format!(" untuk NIP {nip}{}", nama_pegawai(usulan, nip)),
            _ => String::new(),
        };
        let mut push = |kode: &str, pesan: String| {
            temuan.push(Temuan { tingkat: Tingkat::Blokir, kode: kode.into(), nip: syarat.nip.clone(), pesan });
        };
        let Some(berkas) = berkas else {
            if syarat.wajib {
                push(
                    KODE_DOKUMEN_BELUM_ADA,
                    format!(
                        "Dokumen wajib '{}'{untuk} belum dilampirkan: lampirkan berkas {} (maks. {}).",
                        syarat.nama,
                        nama_tipe(&syarat.tipe),
                        ukuran(syarat.ukuran_maks)
                    ),
                );
            }
            continue;
        };
        if !syarat.tipe.iter().any(|tipe| mime(tipe) == mime(&berkas.mime)) {
            push(
                KODE_DOKUMEN_TIPE_SALAH,
                format!(
                    "Berkas '{}' untuk '{}'{untuk} bertipe {}, padahal yang diterima hanya {}: simpan atau pindai ulang \
                     sebagai {} lalu lampirkan kembali.",
                    berkas.name,
                    syarat.nama,
                    berkas.mime,
                    nama_tipe(&syarat.tipe),
                    nama_tipe(&syarat.tipe)
                ),
            );
        }
        if berkas.size > syarat.ukuran_maks {
            push(
                KODE_DOKUMEN_TERLALU_BESAR,
                format!(
                    "Berkas '{}' untuk '{}'{untuk} berukuran {}, melebihi batas {}: kompres atau pindai ulang dengan \
                     resolusi lebih rendah lalu lampirkan kembali.",
                    berkas.name,
                    syarat.nama,
                    ukuran(berkas.size),
                    ukuran(syarat.ukuran_maks)
                ),
            );
        } else if berkas.size < syarat.ukuran_min {
            push(
                KODE_DOKUMEN_TERLALU_KECIL,
                format!(
                    "Berkas '{}' untuk '{}'{untuk} hanya {}, di bawah batas minimum {}: kemungkinan kosong atau rusak; \
                     pindai ulang lalu lampirkan kembali.",
                    berkas.name,
                    syarat.nama,
                    ukuran(berkas.size),
                    ukuran(syarat.ukuran_min)
                ),
            );
        }
    }
    for (kunci, berkas) in &usulan.dokumen {
        if !dikenal.contains(kunci) {
            temuan.push(Temuan {
                tingkat: Tingkat::Peringatan,
                kode: KODE_DOKUMEN_TIDAK_DIKENAL.into(),
                nip: None,
                pesan: format!(
                    "Berkas '{}' dilampirkan sebagai '{kunci}', yang tidak ada di daftar syarat usulan ini: hapus, atau \
                     lampirkan ulang pada dokumen yang benar.",
                    berkas.name
                ),
            });
        }
    }
}

/// `" (NAMA)"` for a NIP of the usulan, or nothing.
fn nama_pegawai(usulan: &Usulan, nip: &str) -> String {
    usulan
        .pegawai
        .iter()
        .find(|anggota| anggota.nip.as_str() == nip)
        .map_or_else(String::new, |anggota| format!(" ({})", anggota.nama))
}

/// A MIME type without parameters, lower case, with `image/jpg` read as `image/jpeg`.
fn mime(tipe: &str) -> String {
    let tipe = tipe.split(';').next().unwrap_or(tipe).trim().to_ascii_lowercase();
    if tipe == "image/jpg" { "image/jpeg".to_owned() } else { tipe }
}

/// `"PDF"`, `"JPEG"`, `"JPEG atau PNG"`.
fn nama_tipe(tipe: &[String]) -> String {
    let nama: Vec<String> = tipe
        .iter()
        .map(|tipe| match mime(tipe).as_str() {
            "application/pdf" => "PDF".to_owned(),
            "image/jpeg" => "JPEG".to_owned(),
            "image/png" => "PNG".to_owned(),
            lain => lain.to_owned(),
        })
        .collect();
    nama.join(" atau ")
}

/// A size as Indonesian readers write it: `"2 MB"`, `"3,2 MB"`, `"10 KB"`, `"512 byte"`.
fn ukuran(byte: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if byte >= MB {
        // Tenths of a megabyte, rounded.
        let persepuluh = (byte * 10 + MB / 2) / MB;
        if persepuluh.is_multiple_of(10) {
            format!("{} MB", persepuluh / 10)
        } else {
            format!("{},{} MB", persepuluh / 10, persepuluh % 10)
        }
    } else if byte >= KB {
        format!("{} KB", (byte + KB / 2) / KB)
    } else {
        format!("{byte} byte")
    }
}

/// Upper case, whitespace collapsed: names compared as SI-ASN writes them.
fn normal(teks: &str) -> String {
    teks.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

fn kapital(teks: &str) -> String {
    let mut huruf = teks.chars();
    huruf.next().map_or_else(String::new, |pertama| pertama.to_uppercase().chain(huruf).collect())
}

#[cfg(test)]
mod tests;
