use serde_json::Value;

use super::*;
use crate::siasn::field::JsonRecord;

fn decode(json: &str) -> (DataUtama, Vec<Warning>) {
    let object: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
    let record = JsonRecord::new(&object);
    let mut warnings = Vec::new();
    let utama = decode_data_utama_record(&record, "nip x", &mut warnings);
    (utama, warnings)
}

#[test]
fn codes_are_checked_against_the_reference_tables() {
    let (utama, warnings) = decode(
        r#"{"nipBaru": "197603012006011005", "nama": "ANI", "statusPegawai": "PNS",
            "kedudukanPnsId": "1", "tkPendidikanTerakhirId": "5", "golRuangAkhirId": "31", "golRuangAwalId": "99",
            "agamaId": "01", "jenisJabatanId": "04", "eselonId": "X1", "jenisKawinId": "1", "jenisPegawaiId": "15"}"#,
    );
    // Zero-padded to the table's width, or unpadded, when only that form exists; the raw value is kept.
    assert_eq!(utama.kedudukan_hukum_id.as_deref(), Some("01"));
    assert_eq!(utama.tingkat_pendidikan_id.as_deref(), Some("05"));
    assert_eq!(utama.agama_id.as_deref(), Some("1"));
    assert_eq!(utama.jenis_jabatan_id.as_deref(), Some("4"));
    assert_eq!(utama.raw.get("kedudukanPnsId").map(String::as_str), Some("1"));
    // Unknown codes are kept as they are.
    assert_eq!(utama.golongan_awal_id.as_deref(), Some("99"));
    assert_eq!(utama.eselon_id.as_deref(), Some("X1"));
    // Known codes pass silently.
    assert_eq!(utama.golongan_akhir_id.as_deref(), Some("31"));
    let unknown: Vec<(&str, &str, &str)> = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UnknownCode)
        .map(|w| (w.field.as_str(), w.raw.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(unknown.len(), 6, "{unknown:#?}");
    assert!(unknown.iter().any(|(f, _, m)| *f == "kedudukanPnsId" && m.starts_with("kode '1' dibaca sebagai '01'")));
    assert!(unknown.iter().any(|(f, _, m)| *f == "agamaId" && m.starts_with("kode '01' dibaca sebagai '1'")));
    assert!(unknown.iter().any(|(f, r, m)| *f == "golRuangAwalId" && *r == "99" && m.contains("tidak ada")));
    assert!(unknown.iter().any(|(f, r, _)| *f == "eselonId" && *r == "X1"));
}

#[test]
fn a_padded_jenis_jabatan_still_finds_the_jabatan_id() {
    let (utama, _) = decode(r#"{"nipBaru": "x", "jenisJabatanId": "02", "jabatanFungsionalId": "JF-1"}"#);
    assert_eq!(utama.jenis_jabatan_id.as_deref(), Some("2"));
    assert_eq!(utama.jabatan_id.as_deref(), Some("JF-1"));
}

#[test]
fn an_unknown_jenis_asn_is_reported() {
    let (utama, warnings) = decode(r#"{"nipBaru": "197603012006011005", "nama": "ANI"}"#);
    assert_eq!(utama.jenis_asn, None);
    assert!(warnings.iter().any(|w| w.kind == WarningKind::MissingValue && w.message.contains("jenis ASN")));
    // A NI PPPK, a status or kedudukan 71 decide it without a warning.
    let (utama, warnings) = decode(r#"{"nipBaru": "199507192024212003", "nama": "A"}"#);
    assert_eq!(utama.jenis_asn, Some(JenisAsn::Pppk));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn masa_kerja_months_beyond_eleven_are_kept_and_reported() {
    let (utama, warnings) =
        decode(r#"{"nipBaru": "x", "nama": "A", "statusPegawai": "PNS", "mkBulan": "14", "mkTahun": "3"}"#);
    assert_eq!(utama.mk_golongan_bulan, Some(14));
    let bad: Vec<_> = warnings.iter().filter(|w| w.kind == WarningKind::InvalidNumber).collect();
    assert_eq!(bad.len(), 1, "{warnings:#?}");
    assert_eq!((bad[0].field.as_str(), bad[0].raw.as_str()), ("mkBulan", "14"));
    let (_, warnings) = decode(r#"{"nipBaru": "x", "nama": "A", "statusPegawai": "PNS", "mkBulan": "11"}"#);
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn phone_npwp_and_bpjs_lose_their_apostrophe_and_report_scientific_notation() {
    let (utama, warnings) = decode(
        r#"{"nipBaru": "x", "nama": "A", "statusPegawai": "PNS", "noHp": "'081234567890",
            "noNpwp": "5.47851E+14", "bpjs": "'0004741536421", "nomorSkPns": "'821.13/0779/BKD/1989"}"#,
    );
    assert_eq!(utama.no_hp.as_deref(), Some("081234567890"));
    assert_eq!(utama.bpjs.as_deref(), Some("0004741536421"));
    assert_eq!(utama.nomor_sk_pns.as_deref(), Some("821.13/0779/BKD/1989"));
    assert_eq!(utama.npwp.as_deref(), Some("5.47851E+14"));
    let kinds: Vec<_> = warnings.iter().map(|w| (w.field.as_str(), w.kind)).collect();
    assert_eq!(kinds, vec![("noNpwp", WarningKind::ScientificNotation)]);
}
