//! The facts derived for one pegawai: BUP, TMT pensiun, the next KP reguler, IKD anomalies, NIP/NIK findings.
//!
//! This is what `luring-cli inspect`, the replica's projections and the hub's import all show, so it is computed
//! in one place. It needs "today" (an input) and, for exports that carry no eselon, the eselon of the unor the
//! pegawai leads (`ref-unor`), else a guess from the jabatan name ([`crate::rules::bup::eselon_dari_nama_jabatan`]).

use crate::date::{self, Tanggal};
use crate::pegawai::Pegawai;
use crate::rules::{bup, ikd, kp, nik, nip};
use crate::warning::{Warning, WarningKind};

/// Where the eselon used for BUP and ACC_10 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumberEselon {
    /// The record's own `eselonId`.
    DataUtama,
    /// The `EselonId` of the unor the struktural jabatan leads (`ref-unor`).
    Unor,
    /// Guessed from the jabatan name.
    NamaJabatan,
}

/// Facts derived for one pegawai on a reference date.
///
/// `warnings` also carries what the facts reveal about the record: a malformed NIP or NIK, dates that cannot be
/// true, and data utama disagreeing with its riwayat or with SI-ASN's own BUP and TMT pensiun.
#[derive(Debug, Clone, PartialEq)]
pub struct Fakta {
    /// BUP in years and the rule that gave it; `None` without a tanggal lahir.
    pub bup: Option<bup::Bup>,
    /// TMT pensiun; `None` without a tanggal lahir.
    pub tmt_pensiun: Option<Tanggal>,
    /// The next KP reguler.
    pub kp_reguler: kp::KpReguler,
    /// IKD anomalies, in [`ikd::EVALUATED`] order.
    pub ikd: Vec<ikd::Temuan>,
    /// The eselon of the current jabatan struktural, and where it came from.
    pub eselon: Option<(String, SumberEselon)>,
    /// NIP and NIK findings that are not IKD codes (malformed NIP, NIK disagreeing with the record).
    pub warnings: Vec<Warning>,
}

/// Derives the [`Fakta`] of `pegawai` on `hari_ini`. `record` labels warnings (`"nip 1985…"`, or `"baris 12"`
/// when the NIP is empty); `eselon_unor` returns the eselon id of an unor id, when a `ref-unor` table is at hand.
pub fn derive(
    pegawai: &Pegawai,
    record: &str,
    hari_ini: Tanggal,
    eselon_unor: &dyn Fn(&str) -> Option<String>,
) -> Fakta {
    let utama = &pegawai.data_utama;
    let eselon = eselon(pegawai, eselon_unor);
    let eselon_id = eselon.as_ref().map(|(id, _)| id.as_str());
    let (bup, tmt_pensiun) = match utama.tgl_lahir {
        Some(tgl_lahir) => {
            let bup = bup::bup(utama, eselon_id);
            let tmt = bup::tmt_pensiun(tgl_lahir, bup.usia);
            (Some(bup), Some(tmt))
        }
        None => (None, None),
    };
    let konteks = ikd::Konteks { hari_ini, tmt_pensiun, eselon_id };
    let ikd = ikd::evaluate(pegawai, &konteks);
    let kp_reguler = kp::kp_reguler(pegawai, hari_ini);
    let mut warnings = identity_warnings(pegawai, record);
    warnings.extend(plausibility_warnings(pegawai, record, hari_ini));
    warnings.extend(consistency_warnings(pegawai, record, bup.as_ref(), tmt_pensiun));
    Fakta { bup, tmt_pensiun, kp_reguler, ikd, eselon, warnings }
}

/// The last TMT any record may carry: a later one is a typing error (`2202` for `2022`).
const TMT_TERAKHIR: (i32, u32, u32) = (2100, 12, 31);

/// Dates that parse but cannot be true: a birth after the reference date, a TMT after 2100. The value is kept.
fn plausibility_warnings(pegawai: &Pegawai, record: &str, hari_ini: Tanggal) -> Vec<Warning> {
    let utama = &pegawai.data_utama;
    let mut warnings = Vec::new();
    let mut warn = |field: &str, value: Tanggal, why: String| {
        warnings.push(Warning {
            record: record.to_owned(),
            field: field.to_owned(),
            raw: date::format_dmy(value),
            kind: WarningKind::InvalidDate,
            message: format!("tanggal tidak masuk akal: {why}; nilai disimpan, perbaiki di SIASN menu Peremajaan Data"),
        });
    };
    if let Some(tgl_lahir) = utama.tgl_lahir.filter(|tgl| *tgl > hari_ini) {
        warn("tgl_lahir", tgl_lahir, format!("lahir sesudah tanggal acuan {}", date::format_dmy(hari_ini)));
    }
    let (year, month, day) = TMT_TERAKHIR;
    let batas = Tanggal::from_ymd_opt(year, month, day).unwrap_or(Tanggal::MAX);
    for (field, value) in [
        ("tmt_cpns", utama.tmt_cpns),
        ("tmt_pns", utama.tmt_pns),
        ("tmt_golongan", utama.tmt_golongan),
        ("tmt_jabatan", utama.tmt_jabatan),
    ] {
        if let Some(value) = value.filter(|value| *value > batas) {
            warn(field, value, "TMT sesudah tahun 2100".into());
        }
    }
    warnings
}

/// What two sources say differently: data utama's golongan against the last `rw-golongan` row, and our BUP and
/// TMT pensiun against SI-ASN's `bupPensiun` / `tmtPensiun`. Nothing is changed; the officer decides.
fn consistency_warnings(
    pegawai: &Pegawai,
    record: &str,
    bup: Option<&bup::Bup>,
    tmt_pensiun: Option<Tanggal>,
) -> Vec<Warning> {
    let utama = &pegawai.data_utama;
    let mut warnings = Vec::new();
    let mut warn = |field: &str, raw: String, message: String| {
        warnings.push(Warning {
            record: record.to_owned(),
            field: field.to_owned(),
            raw,
            kind: WarningKind::Inconsistent,
            message,
        });
    };
    // The last riwayat row is the one with the latest TMT (rows without one count as oldest), then the last sent.
    let terakhir = pegawai
        .riwayat_golongan
        .iter()
        .enumerate()
        .max_by_key(|(index, row)| (row.tmt_golongan, *index))
        .map(|(_, row)| row);
    if let Some(row) = terakhir {
        if let (Some(utama_id), Some(riwayat_id)) = (&utama.golongan_akhir_id, &row.golongan_id)
            && utama_id != riwayat_id
        {
            warn(
                "golongan_akhir_id",
                utama_id.clone(),
                format!(
                    "golongan data utama {utama_id} tidak sama dengan riwayat golongan terakhir {riwayat_id}; \
                     perbarui data utama atau riwayat golongan di SIASN menu Peremajaan Data"
                ),
            );
        }
        if let (Some(utama_tmt), Some(riwayat_tmt)) = (utama.tmt_golongan, row.tmt_golongan)
            && utama_tmt != riwayat_tmt
        {
            warn(
                "tmt_golongan",
                date::format_dmy(utama_tmt),
                format!(
                    "TMT golongan data utama {} tidak sama dengan riwayat golongan terakhir {}; perbaiki di SIASN \
                     menu Peremajaan Data",
                    date::format_dmy(utama_tmt),
                    date::format_dmy(riwayat_tmt)
                ),
            );
        }
    }
    if let (Some(siasn), Some(bup)) = (utama.bup_siasn, bup)
        && siasn != i64::from(bup.usia)
    {
        warn(
            "bup",
            siasn.to_string(),
            format!(
                "BUP SI-ASN {siasn} tahun, hitungan luring {} tahun ({}); periksa jabatan, jenjang dan eselon di \
                 SIASN",
                bup.usia,
                dasar_bup(&bup.dasar)
            ),
        );
    }
    if let (Some(siasn), Some(ours)) = (utama.tmt_pensiun_siasn, tmt_pensiun)
        && siasn != ours
    {
        warn(
            "tmt_pensiun",
            date::format_dmy(siasn),
            format!(
                "TMT pensiun SI-ASN {}, hitungan luring {}; periksa tanggal lahir dan BUP di SIASN",
                date::format_dmy(siasn),
                date::format_dmy(ours)
            ),
        );
    }
    warnings
}

fn dasar_bup(dasar: &bup::DasarBup) -> String {
    match dasar {
        bup::DasarBup::Jabatan(id) => format!("menurut jabatan {id}"),
        bup::DasarBup::JenjangJf(kode) => format!("menurut jenjang JF {kode}"),
        bup::DasarBup::Eselon(id) => format!("menurut eselon {id}"),
        bup::DasarBup::Umum => "BUP umum".into(),
    }
}

fn eselon(pegawai: &Pegawai, eselon_unor: &dyn Fn(&str) -> Option<String>) -> Option<(String, SumberEselon)> {
    let utama = &pegawai.data_utama;
    if let Some(id) = utama.eselon_id.clone().filter(|id| id != "00" && id != "99") {
        return Some((id, SumberEselon::DataUtama));
    }
    if !matches!(utama.jenis_jabatan_id.as_deref(), Some("1") | Some("3")) {
        return None;
    }
    let from_unor = [utama.jabatan_id.as_deref(), utama.unor_id.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|id| eselon_unor(id).filter(|eselon| eselon != "00" && eselon != "99"));
    if let Some(id) = from_unor {
        return Some((id, SumberEselon::Unor));
    }
    let nama = utama.jabatan_nama.as_deref()?;
    bup::eselon_dari_nama_jabatan(nama).map(|id| (id.to_owned(), SumberEselon::NamaJabatan))
}

/// A malformed NIP and a NIK that disagrees with the record are warnings (the NIK is never corrected: PP 40/2019).
fn identity_warnings(pegawai: &Pegawai, record: &str) -> Vec<Warning> {
    let utama = &pegawai.data_utama;
    let record = record.to_owned();
    let mut warnings = Vec::new();
    let raw_nip =
        || utama.raw.get("nipBaru").or(utama.raw.get("nip_baru")).cloned().unwrap_or_else(|| utama.nip.to_string());
    match nip::parse(&utama.nip) {
        Err(error) => warnings.push(Warning {
            record: record.clone(),
            field: "nip".into(),
            raw: raw_nip(),
            kind: WarningKind::InvalidNip,
            message: format!("{error}; periksa NIP di SIASN dan format kolom NIP sebagai teks"),
        }),
        // Sequence numbers start at 001: `000` is what a spreadsheet leaves of an 18-digit number (15 digits kept).
        Ok(parts) if parts.urut == 0 => warnings.push(Warning {
            record: record.clone(),
            field: "nip".into(),
            raw: raw_nip(),
            kind: WarningKind::InvalidNip,
            message: "nomor urut NIP 000: 3 digit terakhir kemungkinan hilang karena spreadsheet; format kolom NIP \
                      sebagai teks lalu ekspor ulang"
                .into(),
        }),
        Ok(_) => {}
    }
    if let Some(value) = &utama.nik {
        for finding in nik::check(value, utama.tgl_lahir, utama.jenis_kelamin) {
            warnings.push(Warning {
                record: record.clone(),
                field: "nik".into(),
                // The NIK is personal data: show only its length and the region code, never the whole number.
                raw: masked_nik(value.as_str()),
                kind: WarningKind::InvalidNik,
                message: finding.to_string(),
            });
        }
    }
    warnings
}

/// `6412********0263`: enough for an officer to find the record, not enough to leak the NIK.
pub fn masked_nik(nik: &str) -> String {
    let chars: Vec<char> = nik.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..4], &chars[chars.len() - 4..]);
    format!("{}{}{}", head.iter().collect::<String>(), "*".repeat(chars.len() - 8), tail.iter().collect::<String>())
}

#[cfg(test)]
mod tests;
