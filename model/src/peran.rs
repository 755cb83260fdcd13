//! The roles of the hub's users and what each may do (DESIGN §6), as data: `schemas/peran.json`, embedded with
//! `include_str!` and parsed once ([`peran`]).
//!
//! A role ([`Peran`]) is one of the five of DESIGN §6 (operator instansi, verifikator instansi, admin instansi,
//! verifikator BKN, admin hub), keyed by its roster code (`"operator_instansi"`, …). It holds a closed set of
//! permissions ([`Izin`]) and says whether it reads every instansi's scope. A person's permissions are the union
//! of their roles' ([`TabelPeran::izin`]).
//!
//! The hub decides every request with this table (its own roster gives the roles, never a token); the desktop app
//! reads the same table, or the list the hub's `GET /v1/identitas` answers, to hide what a role cannot do. Which
//! role may write which *field* of a pegawai stays in the field authority table (`kewenangan-field.json`): its
//! `penulis` names the permission a write needs ([`Izin::untuk_penulis`]).
//!
//! What this module does not do: know the hub's `Role` type (the hub checks that its roles and this file agree),
//! look at documents, or read anything at run time. A file that does not parse (an unknown permission code, a
//! missing or unknown member) is a programming error caught by the tests, so loading the embedded copy panics on it.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::referensi::Penulis;

/// One permission: a decision the hub takes per request, and the app mirrors. The set is closed: a code the file
/// uses that is not one of these fails to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Izin {
    /// `instansi.baca`: read the own instansi's scope (pegawai, usulan, verifikasi lapangan): feed, snapshot,
    /// blobs, repair rounds.
    #[serde(rename = "instansi.baca")]
    InstansiBaca,
    /// `pegawai.buat`: create a new pegawai document.
    #[serde(rename = "pegawai.buat")]
    PegawaiBuat,
    /// `pegawai.ubah`: write the pegawai fields whose `penulis` is `operator_instansi`.
    #[serde(rename = "pegawai.ubah")]
    PegawaiUbah,
    /// `pegawai.verifikasi`: write the pegawai fields whose `penulis` is `verifikator_instansi`.
    #[serde(rename = "pegawai.verifikasi")]
    PegawaiVerifikasi,
    /// `pegawai.ubah_bkn`: write the pegawai fields whose `penulis` is `bkn` (identity, golongan, pendidikan).
    #[serde(rename = "pegawai.ubah_bkn")]
    PegawaiUbahBkn,
    /// `usulan.buat`: create a new usulan.
    #[serde(rename = "usulan.buat")]
    UsulanBuat,
    /// `usulan.ubah`: write an usulan (except the fields only the hub writes).
    #[serde(rename = "usulan.ubah")]
    UsulanUbah,
    /// `usulan.verifikasi`: the instansi's decisions on a submitted usulan (diverifikasi, BTS, TMS, diteruskan ke
    /// BKN; `model::usulan::alur`).
    #[serde(rename = "usulan.verifikasi")]
    UsulanVerifikasi,
    /// `usulan.putus_bkn`: BKN's decisions on a forwarded usulan (disetujui, BTS, TMS, SK terbit).
    #[serde(rename = "usulan.putus_bkn")]
    UsulanPutusBkn,
    /// `verifikasi_lapangan.buat`: record a new verifikasi lapangan.
    #[serde(rename = "verifikasi_lapangan.buat")]
    VerifikasiLapanganBuat,
    /// `verifikasi_lapangan.ubah`: write a verifikasi lapangan.
    #[serde(rename = "verifikasi_lapangan.ubah")]
    VerifikasiLapanganUbah,
}

impl Izin {
    /// Every permission, in the order of the file's catalogue.
    pub const ALL: [Izin; 11] = [
        Izin::InstansiBaca,
        Izin::PegawaiBuat,
        Izin::PegawaiUbah,
        Izin::PegawaiVerifikasi,
        Izin::PegawaiUbahBkn,
        Izin::UsulanBuat,
        Izin::UsulanUbah,
        Izin::UsulanVerifikasi,
        Izin::UsulanPutusBkn,
        Izin::VerifikasiLapanganBuat,
        Izin::VerifikasiLapanganUbah,
    ];

    /// The code as the file and the hub's answers write it (`"pegawai.ubah"`).
    pub fn kode(self) -> &'static str {
        match self {
            Izin::InstansiBaca => "instansi.baca",
            Izin::PegawaiBuat => "pegawai.buat",
            Izin::PegawaiUbah => "pegawai.ubah",
            Izin::PegawaiVerifikasi => "pegawai.verifikasi",
            Izin::PegawaiUbahBkn => "pegawai.ubah_bkn",
            Izin::UsulanBuat => "usulan.buat",
            Izin::UsulanUbah => "usulan.ubah",
            Izin::UsulanVerifikasi => "usulan.verifikasi",
            Izin::UsulanPutusBkn => "usulan.putus_bkn",
            Izin::VerifikasiLapanganBuat => "verifikasi_lapangan.buat",
            Izin::VerifikasiLapanganUbah => "verifikasi_lapangan.ubah",
        }
    }

    /// The inverse of [`Self::kode`]; `None` for any other text (compared exactly).
    pub fn parse(kode: &str) -> Option<Izin> {
        Izin::ALL.into_iter().find(|izin| izin.kode() == kode)
    }

    /// The permission a write of a field with this `penulis` (field authority table) needs; `None` for
    /// [`Penulis::Hub`], which no device may write whatever its roles.
    pub fn untuk_penulis(penulis: Penulis) -> Option<Izin> {
        match penulis {
            Penulis::OperatorInstansi => Some(Izin::PegawaiUbah),
            Penulis::VerifikatorInstansi => Some(Izin::PegawaiVerifikasi),
            Penulis::Bkn => Some(Izin::PegawaiUbahBkn),
            Penulis::Hub => None,
        }
    }
}

impl fmt::Display for Izin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kode())
    }
}

/// One entry of the file's permission catalogue: a code and what it allows, in Bahasa Indonesia.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeteranganIzin {
    /// The permission.
    pub kode: Izin,
    /// What it allows, for people (an admin, a help screen).
    pub nama: String,
}

/// One role and its permissions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peran {
    /// The roster code, snake_case (`"operator_instansi"`, `"verifikator_bkn"`).
    pub kode: String,
    /// The name as a phrase for a sentence (`"verifikator BKN"`); a label may capitalise its first letter.
    pub nama: String,
    /// Whether the role reads every instansi's scope, not only its own. Writes stay within the own instansi, except
    /// that such a role may record its usulan decisions (the `riwayat_status` log only) on any instansi's usulan.
    pub membaca_semua_instansi: bool,
    /// What the role may do.
    pub izin: BTreeSet<Izin>,
    /// What the role is for, in Bahasa Indonesia.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// The file `schemas/peran.json`, parsed. Get the embedded copy with [`peran`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TabelPeran {
    /// A human title in Bahasa Indonesia.
    pub judul: String,
    /// Where the rules come from.
    pub sumber: String,
    /// How to read the file.
    #[serde(default)]
    pub catatan: Option<String>,
    /// The permission catalogue: every [`Izin`] once, with what it allows.
    pub izin: Vec<KeteranganIzin>,
    /// The roles, in file order.
    pub peran: Vec<Peran>,
}

impl TabelPeran {
    /// Reads a roles file.
    ///
    /// # Errors
    /// The JSON error when the text is not such a file: malformed, a member missing or unknown, or a permission
    /// code that is not an [`Izin`].
    pub fn baca(json: &str) -> Result<TabelPeran, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The role with this roster code, compared exactly.
    pub fn get(&self, kode: &str) -> Option<&Peran> {
        self.peran.iter().find(|peran| peran.kode == kode)
    }

    /// The permissions of someone holding `peran` (roster codes): the union of each role's. A code the table does
    /// not know grants nothing.
    pub fn izin<'a>(&self, peran: impl IntoIterator<Item = &'a str>) -> BTreeSet<Izin> {
        peran.into_iter().filter_map(|kode| self.get(kode)).flat_map(|peran| peran.izin.iter().copied()).collect()
    }

    /// Whether someone holding `peran` (roster codes) reads every instansi's scope.
    pub fn membaca_semua_instansi<'a>(&self, peran: impl IntoIterator<Item = &'a str>) -> bool {
        peran.into_iter().filter_map(|kode| self.get(kode)).any(|peran| peran.membaca_semua_instansi)
    }

    /// The roles that hold `izin`, in file order (for messages such as "hanya boleh dibuat oleh …").
    pub fn pemegang(&self, izin: Izin) -> Vec<&Peran> {
        self.peran.iter().filter(|peran| peran.izin.contains(&izin)).collect()
    }

    /// The names of the roles that hold `izin`, as a phrase: `"admin instansi atau admin hub"`, `"operator
    /// instansi, verifikator instansi atau admin hub"`; `"tidak seorang pun"` when none does.
    pub fn nama_pemegang(&self, izin: Izin) -> String {
        let nama: Vec<&str> = self.pemegang(izin).into_iter().map(|peran| peran.nama.as_str()).collect();
        match nama.as_slice() {
            [] => "tidak seorang pun".to_owned(),
            [satu] => (*satu).to_owned(),
            [awal @ .., akhir] => format!("{} atau {akhir}", awal.join(", ")),
        }
    }

    /// What is wrong with the table, one sentence per problem (empty when it is sound): a role code repeated or
    /// not snake_case, an empty name, a catalogue that does not hold every [`Izin`] exactly once.
    pub fn periksa(&self) -> Vec<String> {
        let mut masalah = Vec::new();
        let mut kode_peran = BTreeSet::new();
        for peran in &self.peran {
            if !kode_peran.insert(peran.kode.as_str()) {
                masalah.push(format!("peran {:?} appears more than once", peran.kode));
            }
            let snake = !peran.kode.is_empty()
                && peran.kode.bytes().all(|byte| byte.is_ascii_lowercase() || byte == b'_')
                && !peran.kode.starts_with('_')
                && !peran.kode.ends_with('_');
            if !snake {
                masalah.push(format!("peran {:?}: the code must be snake_case", peran.kode));
            }
            if peran.nama.trim().is_empty() {
                masalah.push(format!("peran {:?}: empty nama", peran.kode));
            }
        }
        let katalog: Vec<Izin> = self.izin.iter().map(|keterangan| keterangan.kode).collect();
        for izin in Izin::ALL {
            match katalog.iter().filter(|kode| **kode == izin).count() {
                1 => {}
                0 => masalah.push(format!("izin {izin} is missing from the catalogue")),
                n => masalah.push(format!("izin {izin} appears {n} times in the catalogue")),
            }
        }
        for keterangan in &self.izin {
            if keterangan.nama.trim().is_empty() {
                masalah.push(format!("izin {}: empty nama", keterangan.kode));
            }
        }
        masalah
    }
}

/// The file as compiled into the binary.
pub const PERAN_JSON: &str = include_str!("../../schemas/peran.json");

static PERAN: OnceLock<TabelPeran> = OnceLock::new();

/// The embedded roles table, parsed on first use and shared for the life of the process.
///
/// Panics only if the embedded file does not parse, which the tests rule out.
pub fn peran() -> &'static TabelPeran {
    PERAN.get_or_init(|| {
        TabelPeran::baca(PERAN_JSON).unwrap_or_else(|err| {
            panic!("schemas/peran.json is compiled into the binary and checked by the tests, so it must parse: {err}")
        })
    })
}

/// Fields of a pegawai's `data_utama` no device writes, whatever its roles: the identity keys the hub and SI-ASN
/// join on. They change only through the hub's import from SI-ASN.
pub const FIELD_TERKUNCI: [&str; 4] = ["nip", "pns_id", "instansi_induk_id", "instansi_kerja_id"];

/// The permission a device's write of the pegawai field at dotted path `dotted` (`data_utama.nama`,
/// `riwayat_jabatan.<row>.tmt_jabatan`) needs, as the hub judges it (DESIGN §3.2, `kewenangan-field.json` through
/// [`crate::referensi::Referensi::kewenangan_pegawai`]): the row's `penulis` ([`Izin::untuk_penulis`]);
/// `pegawai.ubah_bkn` for a path without a row. `None` when no device may write it: a `hub` row, a
/// [`FIELD_TERKUNCI`] field, `data_utama` as a whole or the root.
pub fn izin_tulis_pegawai(dotted: &str) -> Option<Izin> {
    let mut segments = dotted.split('.');
    match (segments.next(), segments.next()) {
        (None | Some(""), _) | (Some("data_utama"), None) => return None,
        (Some("data_utama"), Some(field)) if FIELD_TERKUNCI.contains(&field) => return None,
        _ => {}
    }
    match crate::referensi::referensi().kewenangan_pegawai(dotted) {
        Some(row) => Izin::untuk_penulis(row.penulis),
        None => Some(Izin::PegawaiUbahBkn),
    }
}

#[cfg(test)]
mod tests;
