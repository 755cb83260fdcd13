//! Identifier newtypes: NIP, NIK, SI-ASN GUIDs and reference codes, always strings.
//!
//! SI-ASN ids are strings whose leading zeros matter (kedudukan `"01"`, eselon `"00"`) and whose case must be kept
//! (GUIDs arrive upper-case for migrated SAPK rows and lower-case for newer ones; `../shared/reference/siasn-api.md`
//! §2.6). The newtypes only carry and compare; validation of NIP and NIK structure lives in
//! [`crate::rules::nip`] and [`crate::rules::nik`], so a record with a malformed NIP is still kept.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value that has already been cleaned (trimmed, apostrophe removed).
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The id as SI-ASN writes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

string_id! {
    /// Nomor Induk Pegawai: the 18-digit NIP of a PNS/CPNS (Perka BKN 22/2007) or the NI PPPK, as `nipBaru`.
    /// Held as read (after trimming and removing a spreadsheet apostrophe); see [`crate::rules::nip::check`].
    Nip
}
string_id! {
    /// Nomor Induk Kependudukan: 16 digits (PP 40/2019 Pasal 30). Personal data: never log it.
    Nik
}
string_id! {
    /// The SI-ASN person id (`data-utama.id`, also `pnsId`, `pns_orang_id`, `idPns`): 32 hex characters.
    PnsId
}
string_id! {
    /// A golongan/ruang id, `"11"` (I/a) to `"45"` (IV/e) (`schemas/referensi/golongan.json`).
    GolonganId
}
string_id! {
    /// An unit organisasi (unor) id: an SI-ASN GUID from `ref-unor` (`Id`, parent in `DiatasanId`).
    UnorId
}
string_id! {
    /// A riwayat row id as SI-ASN sends it (opaque: either GUID style, never case-folded).
    RiwayatId
}

impl Nip {
    /// Cleans a raw NIP as exports write it: trims, drops a leading apostrophe and inner spaces.
    pub fn clean(raw: &str) -> Self {
        let trimmed = raw.trim().trim_start_matches('\'');
        Self(trimmed.chars().filter(|c| !c.is_whitespace()).collect())
    }
}

impl Nik {
    /// Cleans a raw NIK as exports write it: trims, drops a leading apostrophe and inner spaces.
    pub fn clean(raw: &str) -> Self {
        let trimmed = raw.trim().trim_start_matches('\'');
        Self(trimmed.chars().filter(|c| !c.is_whitespace()).collect())
    }
}
