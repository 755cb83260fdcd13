//! The facts derived for one pegawai: BUP, TMT pensiun, the next KP reguler, IKD anomalies, NIP/NIK findings.
//!
//! This is what `luring-cli inspect`, the replica's projections and the hub's import all show, so it is computed
//! in one place. It needs "today" (an input) and, for exports that carry no eselon, the eselon of the unor the
//! pegawai leads (`ref-unor`), else a guess from the jabatan name ([`crate::rules::bup::eselon_dari_nama_jabatan`]).

use crate::date::Tanggal;
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
    let warnings = identity_warnings(pegawai, record);
    Fakta { bup, tmt_pensiun, kp_reguler, ikd, eselon, warnings }
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
    if let Err(error) = nip::parse(&utama.nip) {
        warnings.push(Warning {
            record: record.clone(),
            field: "nip".into(),
            raw: utama
                .raw
                .get("nipBaru")
                .or(utama.raw.get("nip_baru"))
                .cloned()
                .unwrap_or_else(|| utama.nip.to_string()),
            kind: WarningKind::InvalidNip,
            message: error.to_string(),
        });
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
