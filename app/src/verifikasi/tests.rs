//! Tests of the verifikasi lapangan rules that need no replica: hasil codes as documents write them, the note and
//! photo checks naming the field and the raw value, the permission refusal, and the CSV export's exact bytes.

use super::*;

/// A JPEG-looking photo of `size` bytes.
fn jpeg(size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.resize(size, 0x11);
    bytes
}

fn foto(nama: &str, mime: &str, isi: Vec<u8>) -> FotoBaru {
    FotoBaru { nama: nama.to_owned(), mime: mime.to_owned(), isi }
}

#[test]
fn hasil_codes_round_trip_and_match_serde() {
    for hasil in HASIL {
        assert_eq!(serde_json::to_value(hasil).unwrap(), Value::String(hasil_kode(hasil).to_owned()));
        assert_eq!(parse_hasil(hasil_kode(hasil)), Some(hasil));
    }
    assert_eq!(parse_hasil("hilang"), None);
    assert_eq!(label_hasil("tidak_ditemukan"), "Tidak ditemukan");
    assert_eq!(label_hasil("kode_baru"), "kode_baru");
}

#[test]
fn notes_are_trimmed_limited_and_required_for_lainnya() {
    assert_eq!(periksa_catatan(HasilVerifikasi::Ditemukan, Some("  ")).unwrap(), None);
    assert_eq!(
        periksa_catatan(HasilVerifikasi::Pindah, Some(" ke Kab. Sebelah ")).unwrap().as_deref(),
        Some("ke Kab. Sebelah")
    );
    let limit: String = "é".repeat(MAX_CATATAN);
    assert_eq!(
        periksa_catatan(HasilVerifikasi::Ditemukan, Some(&limit)).unwrap().map(|text| text.chars().count()),
        Some(2_000)
    );
    let long = format!("Rumah kosong {}", "x".repeat(MAX_CATATAN));
    let error = periksa_catatan(HasilVerifikasi::Ditemukan, Some(&long)).unwrap_err();
    assert_eq!(error.code, KodeGalat::MasukanTidakSah);
    assert!(error.message.starts_with("Catatan \"Rumah kosong xxx"), "{}", error.message);
    assert!(error.message.contains("paling panjang 2000 karakter (ada 2013)"), "{}", error.message);
    let error = periksa_catatan(HasilVerifikasi::Lainnya, None).unwrap_err();
    assert!(error.message.contains("Catatan \"\" tidak sah: hasil \"Lainnya\" perlu catatan"), "{}", error.message);
}

#[test]
fn photos_are_checked_for_type_size_and_content() {
    let (mime, name) =
        periksa_foto(&foto("C:\\DCIM\\IMG_0001.JPG", "image/jpeg; charset=binary", jpeg(4_096))).unwrap();
    assert_eq!((mime.as_str(), name.as_str()), ("image/jpeg", "IMG_0001.JPG"));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(2_000, 0);
    assert_eq!(periksa_foto(&foto("ktp.png", "image/png", png)).unwrap().0, "image/png");

    let error = periksa_foto(&foto("surat.pdf", "application/pdf", jpeg(4_096))).unwrap_err();
    assert_eq!(
        error.message,
        "Jenis foto surat.pdf \"application/pdf\" tidak sah: yang diterima: image/jpeg (JPG), image/png (PNG)."
    );
    let error = periksa_foto(&foto("besar.jpg", "image/jpeg", jpeg(5 * 1024 * 1024 + 1))).unwrap_err();
    assert!(
        error.message.starts_with("Ukuran foto besar.jpg \"5242881 byte\" tidak sah: paling besar 5242880 byte (5 MB)"),
        "{}",
        error.message
    );
    let error = periksa_foto(&foto("kecil.jpg", "image/jpeg", jpeg(100))).unwrap_err();
    assert!(error.message.contains("\"100 byte\"") && error.message.contains("1 KB"), "{}", error.message);
    let error = periksa_foto(&foto("palsu.jpg", "image/jpeg", vec![b'x'; 4_096])).unwrap_err();
    assert!(error.message.contains("isinya bukan JPEG"), "{}", error.message);
    assert!(periksa_foto(&foto("  ", "image/jpeg", jpeg(4_096))).is_err());
}

#[test]
fn hashes_read_as_64_hex_digits() {
    let hex = "ab".repeat(32);
    assert_eq!(parse_sha256(&hex.to_uppercase()).unwrap(), [0xAB; 32]);
    let error = parse_sha256("abc").unwrap_err();
    assert!(error.message.contains("Foto \"abc\" tidak sah"), "{}", error.message);
    assert!(parse_sha256(&"zz".repeat(32)).is_err());
}

#[test]
fn known_permissions_refuse_and_unknown_ones_leave_it_to_the_hub() {
    let bkn = model::peran::peran().izin(["verifikator_bkn"]);
    let error = periksa_izin(
        "mencatat verifikasi lapangan",
        Izin::VerifikasiLapanganBuat,
        &bkn,
        &["verifikator_bkn".to_owned()],
    )
    .unwrap_err();
    assert_eq!(error.code, KodeGalat::Ditolak);
    assert!(error.message.starts_with("Anda tidak dapat mencatat verifikasi lapangan: hanya "), "{}", error.message);
    assert!(
        error.message.contains("operator instansi") && error.message.ends_with("tidak ada yang dicatat."),
        "{}",
        error.message
    );
    let operator = model::peran::peran().izin(["operator_instansi"]);
    assert!(periksa_izin("x", Izin::VerifikasiLapanganBuat, &operator, &[]).is_ok());
    assert!(periksa_izin("x", Izin::VerifikasiLapanganUbah, &BTreeSet::new(), &[]).is_ok());
}

#[test]
fn the_export_has_one_quoted_row_per_visit_and_defuses_formulas() {
    let row = |nama: Option<&str>, catatan: Option<&str>| KunjunganRingkas {
        id: "0193a1b2-0000-7000-8000-000000000001".to_owned(),
        nip: "198703152010012004".to_owned(),
        nama: nama.map(str::to_owned),
        unor_id: Some("SD1".to_owned()),
        unor_nama: Some("SD NEGERI 1, KEC. UJI".to_owned()),
        hasil: "tidak_ditemukan".to_owned(),
        hasil_nama: "Tidak ditemukan".to_owned(),
        catatan: catatan.map(str::to_owned),
        petugas: "198001012005011001".to_owned(),
        waktu: None,
        jumlah_foto: 2,
    };
    let rows = [
        row(Some("SITI AMINAH, S.Pd."), Some("Kata tetangga:\n\"sudah pindah\"")),
        row(None, Some("=HYPERLINK(\"http://x\")")),
    ];
    let mut bytes = Vec::new();
    tulis_csv(&rows, &mut bytes).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "NIP,Nama,Unor,Hasil,Catatan,Petugas,Waktu,Jumlah foto\n\
         198703152010012004,\"SITI AMINAH, S.Pd.\",\"SD NEGERI 1, KEC. UJI\",Tidak ditemukan,\
         \"Kata tetangga:\n\"\"sudah pindah\"\"\",198001012005011001,,2\n\
         198703152010012004,,\"SD NEGERI 1, KEC. UJI\",Tidak ditemukan,\"'=HYPERLINK(\"\"http://x\"\")\",\
         198001012005011001,,2\n"
    );
    assert_eq!(sel_aman("-"), "'-");
    assert_eq!(sel_aman("Rumah kosong"), "Rumah kosong");
}

#[test]
fn times_read_as_local_dd_mm_yyyy_hh_mm() {
    let text = "2026-11-30T02:05:00Z";
    let expected =
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Local).format("%d-%m-%Y %H:%M").to_string();
    assert_eq!(waktu_lokal(Some(text)), expected);
    assert!(expected.starts_with("30-11-2026") || expected.starts_with("29-11-2026"), "{expected}");
    assert_eq!(waktu_lokal(Some("kemarin")), "");
    assert_eq!(waktu_lokal(None), "");
}
