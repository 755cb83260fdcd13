//! Pengingat (reminders): the three forecasts an officer works through each month — KP reguler due at the coming
//! KP periods, TMT pensiun (BUP) within a horizon, KGB due — and the follow-up ("tindak lanjut") an officer records
//! on one of them, which syncs with the pegawai document.
//!
//! A reminder is identified by its kind and the date it fell due ([`kunci`]: `"kgb-2027-04-01"`): the KGB of
//! April 2027 and the one two years later are two reminders, so handling one does not hide the next. A KP
//! reminder's date is the first period the pegawai was eligible at (`store::pengingat`): its follow-up holds while
//! the pegawai waits at later periods, until the KP is recorded and the next eligibility, 4 years on, is a new key. The follow-up lives in
//! the pegawai document under `tindak_lanjut.<kunci>` ([`crate::pegawai::Pegawai::tindak_lanjut`]); the field
//! authority table (`schemas/referensi/kewenangan-field.json`, row `tindak_lanjut`) lets operators and
//! verifikator instansi write it, last writer wins. The follow-up states are those of a reminder system officers
//! already use (domain.md §2.3, EWS): *aktif* (nothing recorded, target not passed), *ditangani*, *tidak perlu*,
//! *kedaluwarsa* (nothing recorded and the target date passed); the last is read from the date, never stored.
//!
//! This module holds the shapes and the key format. The dates come from [`crate::rules::kp`],
//! [`crate::rules::bup`] and [`crate::rules::kgb`]; the lists are the replica's queries.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Tanggal;

/// The longest note of a follow-up, in characters.
pub const MAX_CATATAN: usize = 500;

/// The longest `waktu` of a follow-up, in characters (an RFC 3339 time with nanoseconds and an offset is 35).
pub const MAX_WAKTU: usize = 40;

/// The kind of a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JenisPengingat {
    /// KP reguler due at a KP period (`rules::kp`).
    Kp,
    /// TMT pensiun at BUP (`rules::bup`).
    Bup,
    /// Kenaikan gaji berkala (`rules::kgb`).
    Kgb,
}

impl JenisPengingat {
    /// Every kind, in the order the UI shows them.
    pub const SEMUA: [JenisPengingat; 3] = [JenisPengingat::Kp, JenisPengingat::Bup, JenisPengingat::Kgb];

    /// `"kp"`, `"bup"` or `"kgb"`: the key prefix and the code the CLI and IPC take.
    pub fn kode(self) -> &'static str {
        match self {
            JenisPengingat::Kp => "kp",
            JenisPengingat::Bup => "bup",
            JenisPengingat::Kgb => "kgb",
        }
    }

    /// The kind with code `kode`.
    pub fn dari_kode(kode: &str) -> Option<JenisPengingat> {
        Self::SEMUA.into_iter().find(|jenis| jenis.kode() == kode)
    }
}

/// A follow-up an officer records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusTindakLanjut {
    /// Handled: the usulan is made, the SK is out, the pegawai was told.
    Ditangani,
    /// Nothing to do (already handled elsewhere, not applicable to this pegawai).
    TidakPerlu,
}

impl StatusTindakLanjut {
    /// `"ditangani"` or `"tidak_perlu"`, as the document writes it.
    pub fn kode(self) -> &'static str {
        match self {
            StatusTindakLanjut::Ditangani => "ditangani",
            StatusTindakLanjut::TidakPerlu => "tidak_perlu",
        }
    }

    /// The status with code `kode`.
    pub fn dari_kode(kode: &str) -> Option<StatusTindakLanjut> {
        [StatusTindakLanjut::Ditangani, StatusTindakLanjut::TidakPerlu].into_iter().find(|status| status.kode() == kode)
    }
}

/// The follow-up of one reminder, in the pegawai document at `tindak_lanjut.<kunci>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TindakLanjut {
    /// What was decided.
    pub status: StatusTindakLanjut,
    /// The officer's note (at most [`MAX_CATATAN`] characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catatan: Option<String>,
    /// NIP of the officer who recorded it (a claim the hub checks against the pusher).
    pub oleh: String,
    /// When, RFC 3339 (UTC).
    pub waktu: String,
}

impl TindakLanjut {
    /// Checks what a document may hold: `oleh` 18 digits, `waktu` an RFC 3339 time of at most [`MAX_WAKTU`]
    /// characters, `catatan` at most [`MAX_CATATAN`] characters.
    ///
    /// # Errors
    /// The first problem, in Bahasa Indonesia naming the field.
    pub fn periksa(&self) -> Result<(), String> {
        if self.oleh.len() != 18 || !self.oleh.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err("oleh harus NIP 18 angka".into());
        }
        if self.waktu.chars().count() > MAX_WAKTU || chrono::DateTime::parse_from_rfc3339(&self.waktu).is_err() {
            return Err("waktu harus waktu RFC 3339".into());
        }
        if let Some(catatan) = &self.catatan
            && catatan.chars().count() > MAX_CATATAN
        {
            return Err(format!("catatan paling panjang {MAX_CATATAN} karakter"));
        }
        Ok(())
    }
}

/// Reads a pegawai document's `tindak_lanjut` leniently: an entry that does not read as a [`TindakLanjut`] under a
/// key [`baca_kunci`] reads is left out, and anything but a map reads as none, so a bad entry (from a newer build,
/// or one a hub let through) never makes the whole pegawai unreadable. The document keeps what it holds.
///
/// # Errors
/// Never from the content; only what the deserializer itself reports.
pub fn baca_tindak_lanjut<'de, D>(deserializer: D) -> Result<BTreeMap<String, TindakLanjut>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    let serde_json::Value::Object(map) = value else { return Ok(BTreeMap::new()) };
    Ok(map
        .into_iter()
        // A list would read as a struct too (serde takes a sequence field by field): only maps are follow-ups.
        .filter(|(kunci, entry)| baca_kunci(kunci).is_some() && entry.is_object())
        .filter_map(|(kunci, entry)| {
            serde_json::from_value::<TindakLanjut>(entry)
                .ok()
                .filter(|row| row.periksa().is_ok())
                .map(|row| (kunci, row))
        })
        .collect())
}

/// The state of a reminder as the lists show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusPengingat {
    /// Nothing recorded and the target date not passed.
    Aktif,
    /// Recorded as handled.
    Ditangani,
    /// Recorded as nothing to do.
    TidakPerlu,
    /// Nothing recorded and the target date passed.
    Kedaluwarsa,
}

impl StatusPengingat {
    /// Every state, in the order the UI shows them.
    pub const SEMUA: [StatusPengingat; 4] =
        [StatusPengingat::Aktif, StatusPengingat::Kedaluwarsa, StatusPengingat::Ditangani, StatusPengingat::TidakPerlu];

    /// The state of a reminder with target `tanggal` on `hari_ini`, given its recorded follow-up.
    pub fn dari(tindak_lanjut: Option<StatusTindakLanjut>, tanggal: Tanggal, hari_ini: Tanggal) -> StatusPengingat {
        match tindak_lanjut {
            Some(StatusTindakLanjut::Ditangani) => StatusPengingat::Ditangani,
            Some(StatusTindakLanjut::TidakPerlu) => StatusPengingat::TidakPerlu,
            None if tanggal < hari_ini => StatusPengingat::Kedaluwarsa,
            None => StatusPengingat::Aktif,
        }
    }

    /// `"aktif"`, `"ditangani"`, `"tidak_perlu"` or `"kedaluwarsa"`.
    pub fn kode(self) -> &'static str {
        match self {
            StatusPengingat::Aktif => "aktif",
            StatusPengingat::Ditangani => "ditangani",
            StatusPengingat::TidakPerlu => "tidak_perlu",
            StatusPengingat::Kedaluwarsa => "kedaluwarsa",
        }
    }

    /// The state with code `kode`.
    pub fn dari_kode(kode: &str) -> Option<StatusPengingat> {
        Self::SEMUA.into_iter().find(|status| status.kode() == kode)
    }

    /// The label (`"Tidak perlu"`).
    pub fn nama(self) -> &'static str {
        match self {
            StatusPengingat::Aktif => "Aktif",
            StatusPengingat::Ditangani => "Ditangani",
            StatusPengingat::TidakPerlu => "Tidak perlu",
            StatusPengingat::Kedaluwarsa => "Kedaluwarsa",
        }
    }
}

/// The key of the reminder of kind `jenis` with target `tanggal`: `"<kode>-<yyyy-mm-dd>"` (no `.`, so it is one
/// segment of a document path).
pub fn kunci(jenis: JenisPengingat, tanggal: Tanggal) -> String {
    format!("{}-{}", jenis.kode(), tanggal.format("%Y-%m-%d"))
}

/// The kind and target date of a key written by [`kunci`]; `None` for anything else.
pub fn baca_kunci(kunci: &str) -> Option<(JenisPengingat, Tanggal)> {
    let (kode, tanggal) = kunci.split_once('-')?;
    let jenis = JenisPengingat::dari_kode(kode)?;
    let tanggal = NaiveDate::parse_from_str(tanggal, "%Y-%m-%d").ok()?;
    // Only the canonical spelling: "kp-2027-4-1" would be a second key for the same reminder.
    (self::kunci(jenis, tanggal) == kunci).then_some((jenis, tanggal))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Tanggal {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn keys_round_trip_and_only_the_canonical_spelling_reads() {
        let key = kunci(JenisPengingat::Kgb, date(2027, 3, 1));
        assert_eq!(key, "kgb-2027-03-01");
        assert_eq!(baca_kunci(&key), Some((JenisPengingat::Kgb, date(2027, 3, 1))));
        assert_eq!(baca_kunci("kp-2027-4-1"), None);
        assert_eq!(baca_kunci("kgb-2027-02-30"), None);
        assert_eq!(baca_kunci("cuti-2027-03-01"), None);
        assert_eq!(baca_kunci("kp"), None);
    }

    #[test]
    fn kedaluwarsa_is_read_from_the_date_and_never_hides_a_follow_up() {
        let target = date(2026, 12, 1);
        assert_eq!(StatusPengingat::dari(None, target, date(2026, 11, 30)), StatusPengingat::Aktif);
        assert_eq!(StatusPengingat::dari(None, target, target), StatusPengingat::Aktif);
        assert_eq!(StatusPengingat::dari(None, target, date(2026, 12, 2)), StatusPengingat::Kedaluwarsa);
        let handled = Some(StatusTindakLanjut::Ditangani);
        assert_eq!(StatusPengingat::dari(handled, target, date(2027, 1, 1)), StatusPengingat::Ditangani);
    }

    #[test]
    fn a_bad_entry_never_makes_the_pegawai_unreadable() {
        let json = serde_json::json!({"data_utama": {"nip": "198503032010011004", "nama": "DEWI"}, "tindak_lanjut": {
            "kgb-2027-06-01": {"status": "ditangani", "oleh": "199001012015031001", "waktu": "2026-12-01T05:00:00Z"},
            "kgb-2027-08-01": {"status": "x"},
            "kgb-2027-10-01": {"status": "ditangani", "oleh": "199001012015031001", "waktu": "kemarin"},
            "cuti-2027-06-01": {"status": "ditangani", "oleh": "199001012015031001", "waktu": "2026-12-01T05:00:00Z"}
        }});
        let pegawai: crate::Pegawai = serde_json::from_value(json).unwrap();
        assert_eq!(pegawai.tindak_lanjut.keys().collect::<Vec<_>>(), ["kgb-2027-06-01"]);
        let junk =
            serde_json::json!({"data_utama": {"nip": "198503032010011004", "nama": "DEWI"}, "tindak_lanjut": "junk"});
        assert!(serde_json::from_value::<crate::Pegawai>(junk).unwrap().tindak_lanjut.is_empty());
    }

    #[test]
    fn a_follow_up_is_checked_field_by_field() {
        let row = |oleh: &str, waktu: &str, catatan: Option<String>| TindakLanjut {
            status: StatusTindakLanjut::Ditangani,
            catatan,
            oleh: oleh.into(),
            waktu: waktu.into(),
        };
        assert_eq!(row("199001012015031001", "2026-12-01T05:00:00+07:00", None).periksa(), Ok(()));
        assert_eq!(row("1990", "2026-12-01T05:00:00Z", None).periksa().unwrap_err(), "oleh harus NIP 18 angka");
        assert_eq!(row("199001012015031001", "01-12-2026", None).periksa().unwrap_err(), "waktu harus waktu RFC 3339");
        let long = Some("x".repeat(MAX_CATATAN + 1));
        assert_eq!(
            row("199001012015031001", "2026-12-01T05:00:00Z", long).periksa().unwrap_err(),
            "catatan paling panjang 500 karakter"
        );
    }

    #[test]
    fn a_follow_up_reads_from_its_document_shape() {
        let json = serde_json::json!({"status": "tidak_perlu", "oleh": "199001012015031001",
            "waktu": "2026-12-01T05:00:00Z"});
        let read: TindakLanjut = serde_json::from_value(json).unwrap();
        assert_eq!(read.status, StatusTindakLanjut::TidakPerlu);
        assert_eq!(read.catatan, None);
    }
}
