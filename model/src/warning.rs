//! Problems found while reading SI-ASN data, reported instead of crashing or dropping a record.
//!
//! A [`Warning`] names the record, the field, the raw value and the reason, in Bahasa Indonesia for the data
//! officer. Warnings never stop a batch. This module only describes problems; the decoders in [`crate::siasn`]
//! and the rules decide when to raise them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One problem in one field of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// The record: `"nip 198501012010011001"`, or `"baris 12"` when the NIP itself is unreadable.
    pub record: String,
    /// The field as the source names it (`tglLahir`, `tanggal_lahir`, `rw-golongan[2].tmtGolongan`).
    pub field: String,
    /// The raw value exactly as read (possibly empty).
    pub raw: String,
    /// The kind of problem, a stable code for grouping and filtering.
    pub kind: WarningKind,
    /// What is wrong and what was done about it, in Bahasa Indonesia.
    pub message: String,
}

/// The closed set of problem kinds; serialised in snake_case (`invalid_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A date that could not be read; the field is left empty and the raw value kept.
    InvalidDate,
    /// A placeholder date such as `01-01-0001` where a real date was expected.
    SentinelDate,
    /// A date read with a guess (two-digit year, spreadsheet serial, UTC converted to WIB).
    GuessedDate,
    /// A number that could not be read.
    InvalidNumber,
    /// A yes/no value that could not be read.
    InvalidBool,
    /// A NIP or NI PPPK that is not 18 digits, or whose parts contradict the record.
    InvalidNip,
    /// A NIK that is not 16 digits, or whose birth date or gender part contradicts the record.
    InvalidNik,
    /// A code that is not in the reference table; it is kept as it is.
    UnknownCode,
    /// A value written in scientific notation by a spreadsheet (`6.41203E+15`): digits were lost.
    ScientificNotation,
    /// A required field is empty.
    MissingValue,
    /// A value of an unexpected JSON type or shape; it is kept as text where possible.
    UnexpectedShape,
    /// A response body or file that is not valid JSON, or not an SI-ASN envelope.
    MalformedResponse,
    /// A CSV header that matches no known column; the column is ignored.
    UnknownColumn,
    /// A CSV column the export should have and does not.
    MissingColumn,
    /// A CSV row with fewer or more cells than the header.
    RaggedRow,
    /// A second row for the same pegawai; the rule that picked the kept row is in the message.
    DuplicateRecord,
    /// Two sources of one fact disagree (data utama against the last riwayat, our BUP against SI-ASN's).
    Inconsistent,
}

impl WarningKind {
    /// Every kind, in declaration order (for summaries).
    pub const ALL: [WarningKind; 17] = [
        WarningKind::InvalidDate,
        WarningKind::SentinelDate,
        WarningKind::GuessedDate,
        WarningKind::InvalidNumber,
        WarningKind::InvalidBool,
        WarningKind::InvalidNip,
        WarningKind::InvalidNik,
        WarningKind::UnknownCode,
        WarningKind::ScientificNotation,
        WarningKind::MissingValue,
        WarningKind::UnexpectedShape,
        WarningKind::MalformedResponse,
        WarningKind::UnknownColumn,
        WarningKind::MissingColumn,
        WarningKind::RaggedRow,
        WarningKind::DuplicateRecord,
        WarningKind::Inconsistent,
    ];

    /// The stable snake_case code (`invalid_date`).
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::InvalidDate => "invalid_date",
            WarningKind::SentinelDate => "sentinel_date",
            WarningKind::GuessedDate => "guessed_date",
            WarningKind::InvalidNumber => "invalid_number",
            WarningKind::InvalidBool => "invalid_bool",
            WarningKind::InvalidNip => "invalid_nip",
            WarningKind::InvalidNik => "invalid_nik",
            WarningKind::UnknownCode => "unknown_code",
            WarningKind::ScientificNotation => "scientific_notation",
            WarningKind::MissingValue => "missing_value",
            WarningKind::UnexpectedShape => "unexpected_shape",
            WarningKind::MalformedResponse => "malformed_response",
            WarningKind::UnknownColumn => "unknown_column",
            WarningKind::MissingColumn => "missing_column",
            WarningKind::RaggedRow => "ragged_row",
            WarningKind::DuplicateRecord => "duplicate_record",
            WarningKind::Inconsistent => "inconsistent",
        }
    }

    /// A short label in Bahasa Indonesia for summaries.
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::InvalidDate => "tanggal tidak terbaca",
            WarningKind::SentinelDate => "tanggal pengganti (01-01-0001 dll.)",
            WarningKind::GuessedDate => "tanggal ditebak",
            WarningKind::InvalidNumber => "angka tidak terbaca",
            WarningKind::InvalidBool => "nilai ya/tidak tidak terbaca",
            WarningKind::InvalidNip => "NIP tidak valid",
            WarningKind::InvalidNik => "NIK tidak valid",
            WarningKind::UnknownCode => "kode referensi tidak dikenal",
            WarningKind::ScientificNotation => "angka rusak oleh spreadsheet (notasi E)",
            WarningKind::MissingValue => "isian wajib kosong",
            WarningKind::UnexpectedShape => "bentuk data tak terduga",
            WarningKind::MalformedResponse => "respons/berkas rusak",
            WarningKind::UnknownColumn => "kolom tidak dikenal",
            WarningKind::MissingColumn => "kolom hilang",
            WarningKind::RaggedRow => "jumlah sel baris tidak cocok",
            WarningKind::DuplicateRecord => "pegawai ganda",
            WarningKind::Inconsistent => "data tidak konsisten",
        }
    }

    /// What the officer does next about this kind of problem, in Bahasa Indonesia (for summaries).
    pub fn langkah(self) -> &'static str {
        match self {
            WarningKind::InvalidDate => {
                "perbaiki tanggal di SIASN menu Peremajaan Data (atau di berkas sumber), lalu ekspor ulang"
            }
            WarningKind::SentinelDate => "isi tanggal yang sebenarnya di SIASN menu Peremajaan Data",
            WarningKind::GuessedDate => {
                "periksa tanggal hasil tebakan; di spreadsheet format kolom tanggal sebagai teks dd-mm-yyyy"
            }
            WarningKind::InvalidNumber => "perbaiki angka di SIASN menu Peremajaan Data atau di berkas sumber",
            WarningKind::InvalidBool => "isi dengan ya/tidak (true/false) di berkas sumber",
            WarningKind::InvalidNip => {
                "cocokkan NIP dengan SK di SIASN; di spreadsheet format kolom NIP sebagai teks lalu ekspor ulang"
            }
            WarningKind::InvalidNik => "cocokkan NIK dengan KTP/Dukcapil lalu perbaiki di SIASN menu Peremajaan Data",
            WarningKind::UnknownCode => {
                "pilih kode dari tabel referensi SI-ASN lalu perbaiki di SIASN menu Peremajaan Data"
            }
            WarningKind::ScientificNotation => {
                "simpan sebagai CSV UTF-8 dengan kolom NIP/NIK/nomor berformat teks, lalu ekspor ulang"
            }
            WarningKind::MissingValue => {
                "lengkapi isian di SIASN menu Peremajaan Data, atau unduh ulang respons yang tidak tersimpan"
            }
            WarningKind::UnexpectedShape => "unduh ulang respons; bila berulang, laporkan ke admin SI-ASN",
            WarningKind::MalformedResponse => {
                "unduh ulang respons, atau buka berkas di Excel lalu simpan sebagai CSV UTF-8"
            }
            WarningKind::UnknownColumn => {
                "tidak perlu tindakan bila kolom tambahan disengaja; jika tidak, pakai ekspor asli dari SIASN"
            }
            WarningKind::MissingColumn => "ekspor ulang dari SIASN (Export Data ASN) tanpa menghapus kolom",
            WarningKind::RaggedRow => {
                "periksa pemisah kolom dan tanda kutip di baris itu; simpan ulang sebagai CSV UTF-8 dari Excel"
            }
            WarningKind::DuplicateRecord => {
                "periksa pegawai dengan NIP itu di SIASN; hapus baris ganda dari berkas sebelum impor"
            }
            WarningKind::Inconsistent => {
                "cocokkan data utama dengan riwayatnya di SIASN lalu perbaiki di menu Peremajaan Data"
            }
        }
    }
}
