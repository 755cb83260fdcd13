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
fn the_export_has_one_quoted_row_per_visit_keeps_nips_as_text_and_defuses_formulas() {
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
        waktu: Some("2026-12-01T02:30:00Z".to_owned()),
        jumlah_foto: 2,
    };
    let rows = [
        row(Some("SITI AMINAH, S.Pd."), Some("Kata tetangga:\n\"sudah pindah\"")),
        KunjunganRingkas {
            petugas: "-1+1".to_owned(),
            hasil_nama: "@kode_baru".to_owned(),
            waktu: None,
            ..row(None, Some("=HYPERLINK(\"http://x\")"))
        },
    ];
    let wib = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let mut bytes = Vec::new();
    tulis_csv_di(&rows, &wib, &mut bytes).unwrap();
    // A byte-order mark first, so Excel reads UTF-8; NIPs as ="…" so Excel keeps all 18 digits; the time in the
    // officer's zone, named.
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "\u{feff}NIP,Nama,Unor,Hasil,Catatan,Petugas,Waktu,Jumlah foto\n\
         \"=\"\"198703152010012004\"\"\",\"SITI AMINAH, S.Pd.\",\"SD NEGERI 1, KEC. UJI\",Tidak ditemukan,\
         \"Kata tetangga:\n\"\"sudah pindah\"\"\",\"=\"\"198001012005011001\"\"\",01-12-2026 09:30 WIB,2\n\
         \"=\"\"198703152010012004\"\"\",,\"SD NEGERI 1, KEC. UJI\",'@kode_baru,\"'=HYPERLINK(\"\"http://x\"\")\",\
         '-1+1,,2\n"
    );
    assert_eq!(sel_aman("-"), "'-");
    assert_eq!(sel_aman("Rumah kosong"), "Rumah kosong");
}

#[test]
fn times_read_as_dd_mm_yyyy_hh_mm_in_the_officers_zone_named() {
    let text = "2026-11-30T20:05:00Z";
    let zona = |jam: i32| chrono::FixedOffset::east_opt(jam * 3600).unwrap();
    assert_eq!(waktu_di(Some(text), &zona(7)), "01-12-2026 03:05 WIB");
    assert_eq!(waktu_di(Some(text), &zona(8)), "01-12-2026 04:05 WITA");
    assert_eq!(waktu_di(Some(text), &zona(9)), "01-12-2026 05:05 WIT");
    assert_eq!(waktu_di(Some(text), &chrono::Utc), "30-11-2026 20:05 +00:00");
    assert_eq!(
        waktu_di(Some(text), &chrono::FixedOffset::west_opt(3 * 3600 + 1800).unwrap()),
        "30-11-2026 16:35 -03:30"
    );
    assert_eq!(waktu_di(Some("kemarin"), &zona(7)), "");
    assert_eq!(waktu_di(None, &Local), "");
}

#[test]
fn the_photos_of_a_visit_are_capped_in_total() {
    assert!(periksa_total_foto(MAX_TOTAL_FOTO_BYTES).is_ok());
    let error = periksa_total_foto(MAX_TOTAL_FOTO_BYTES + 1).unwrap_err();
    assert_eq!(error.code, KodeGalat::MasukanTidakSah);
    assert!(
        error
            .message
            .starts_with("Ukuran semua foto kunjungan \"10485761 byte\" tidak sah: paling besar 10485760 byte"),
        "{}",
        error.message
    );
}

#[test]
fn a_photo_is_keyed_by_the_hash_of_its_content() {
    let foto = foto_kunjungan(&foto("a.jpg", "image/jpeg", b"abc".to_vec()), "image/jpeg".into(), "a.jpg".into());
    let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert_eq!((foto.id.as_str(), foto.sha256.as_str(), foto.size), (sha, sha, 3));
}

#[test]
fn the_hubs_refusals_of_a_visit_are_shown_newest_first() {
    let rejection = |document: &str, reason: &str, compensated: bool, at_ms: i64| store::replication::Rejection {
        change: "ab".repeat(32),
        document: Some(document.to_owned()),
        nip: None,
        code: "kewenangan".to_owned(),
        reason: reason.to_owned(),
        compensated,
        at_ms,
    };
    let id = "0193a1b2-0000-7000-8000-000000000001";
    let rejections = [
        rejection(id, "hasil hanya boleh diubah oleh petugas yang mencatat kunjungan ini.", true, 1_000),
        rejection("lain", "bukan kunjungan ini", true, 2_000),
        rejection(id, "dokumen verifikasi_lapangan baru hanya boleh dibuat oleh operator instansi", false, 3_000),
    ];
    let shown = penolakan_kunjungan(&rejections, id);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("Hub menolak perubahan kunjungan ini pada "), "{shown:?}");
    assert!(
        shown[0].ends_with(
            ": dokumen verifikasi_lapangan baru hanya boleh dibuat oleh operator instansi (perubahan itu tidak dikirim \
             lagi)."
        ),
        "{shown:?}"
    );
    assert!(
        shown[1].ends_with(
            ": hasil hanya boleh diubah oleh petugas yang mencatat kunjungan ini (perubahan itu dibatalkan hub)."
        ),
        "{shown:?}"
    );
    assert!(penolakan_kunjungan(&rejections, "tidak-ada").is_empty());
}
