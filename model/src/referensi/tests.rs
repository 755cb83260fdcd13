//! Tests of the embedded reference data and its lookups, with real values from the sources.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::*;

fn tanggal(teks: &str) -> NaiveDate {
    NaiveDate::parse_from_str(teks, "%Y-%m-%d").expect("test dates are written yyyy-mm-dd")
}

fn r() -> &'static Referensi {
    referensi()
}

#[test]
fn every_file_parses_and_passes_periksa() {
    let masalah = r().periksa();
    assert!(masalah.is_empty(), "schemas/referensi problems:\n{}", masalah.join("\n"));
}

#[test]
fn every_file_in_the_directory_is_embedded() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/referensi");
    let mut di_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("schemas/referensi exists")
        .map(|entry| entry.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter_map(|nama| nama.strip_suffix(".json").map(str::to_owned))
        .collect();
    di_disk.sort();
    let mut tertanam: Vec<String> = r().semua_tabel().iter().map(|t| t.nama_tabel().to_owned()).collect();
    tertanam.sort();
    assert_eq!(di_disk, tertanam);
}

#[test]
fn ids_unique_and_rows_named_in_every_table() {
    for tabel in r().semua_tabel() {
        let kode = tabel.kode();
        assert!(!kode.is_empty(), "{} has rows", tabel.nama_tabel());
        let mut dilihat = HashSet::new();
        for baris in kode {
            assert!(!baris.id.trim().is_empty(), "{}: empty id", tabel.nama_tabel());
            assert!(!baris.nama.trim().is_empty(), "{} {}: empty nama", tabel.nama_tabel(), baris.id);
            assert!(dilihat.insert(baris.id), "{} {}: duplicate id", tabel.nama_tabel(), baris.id);
            assert_eq!(tabel.nama(baris.id), Some(baris.nama), "{}: index finds {}", tabel.nama_tabel(), baris.id);
        }
    }
}

#[test]
fn ids_keep_leading_zeros() {
    assert_eq!(r().nama("kedudukan-hukum", "01"), Some("Aktif"));
    assert_eq!(r().nama("kedudukan-hukum", "1"), None);
    assert_eq!(r().eselon("00").map(|e| e.nama.as_str()), Some("Tanpa eselon"));
    assert_eq!(r().tingkat_pendidikan("05").map(|t| t.nama.as_str()), Some("Sekolah Dasar"));
    assert!(r().tingkat_pendidikan("5").is_none());
}

#[test]
fn generic_nama_covers_every_code_table() {
    assert_eq!(r().nama("agama", "1"), Some("Islam"));
    assert_eq!(r().nama("jenis-kelamin", "F"), Some("Perempuan"));
    assert_eq!(r().nama("status-kawin", "4"), Some("Belum Kawin"));
    assert_eq!(r().nama("jenis-kp", "202"), Some("Pilihan  (Jabatan Fungsional Tertentu)"));
    assert_eq!(r().nama("hasil-kinerja", "1"), Some("DIATAS ESPEKTASI"));
    assert_eq!(r().nama("penghargaan", "201"), Some("KARYA SATYA 10 TAHUN"));
    assert_eq!(r().nama("jenis-penugasan", "PLT"), Some("Pelaksana Tugas (PLT)"));
    assert_eq!(r().nama("alasan-tolak", "60"), Some("TMS - Lain-lain"));
    assert_eq!(r().nama("tidak-ada", "1"), None);
    assert_eq!(r().nama("agama", "8"), None);
}

#[test]
fn golongan_order_and_next() {
    assert_eq!(r().golongan("34").map(|g| (g.nama.as_str(), g.pangkat.as_str())), Some(("III/d", "Penata Tingkat I")));
    assert_eq!(r().golongan_urutan("11"), Some(1));
    assert_eq!(r().golongan_urutan("21"), Some(5));
    assert_eq!(r().golongan_urutan("34"), Some(12));
    assert_eq!(r().golongan_urutan("45"), Some(17));
    assert_eq!(r().golongan_urutan("15"), None);
    assert_eq!(r().golongan_berikutnya("14").map(|g| g.id.as_str()), Some("21"));
    assert_eq!(r().golongan_berikutnya("34").map(|g| g.id.as_str()), Some("41"));
    assert!(r().golongan_berikutnya("45").is_none());
    assert!(r().golongan_berikutnya("99").is_none());
}

#[test]
fn tingkat_pendidikan_golongan_exist_and_match_the_ijazah_table() {
    for tp in &r().tingkat_pendidikan.rows {
        assert!(r().golongan(&tp.golongan_awal_id).is_some(), "{}", tp.id);
        assert!(r().golongan(&tp.golongan_maks_id).is_some(), "{}", tp.id);
    }
    let s1 = r().tingkat_pendidikan("40").expect("S-1 exists");
    assert_eq!((s1.golongan_awal_id.as_str(), s1.golongan_maks_id.as_str()), ("31", "34"));
    let s2_row = r().kp_reguler_ijazah.get("S2-DOKTER-APOTEKER").expect("dokter/S-2 row");
    assert_eq!((s2_row.golongan_awal_id.as_str(), s2_row.golongan_maks_id.as_str()), ("32", "41"));
    for id in ["42", "47", "49"] {
        let tp = r().tingkat_pendidikan(id).expect("profesi/spesialis rows exist");
        assert!(!tp.dikonfirmasi, "{id} is an assumption");
        assert_eq!(tp.golongan_maks_id, "41", "{id} treated as S-2 level");
    }
}

#[test]
fn eselon_pangkat_and_bup() {
    for eselon in &r().eselon.rows {
        for id in [&eselon.pangkat_min_id, &eselon.pangkat_maks_id].into_iter().flatten() {
            assert!(r().golongan(id).is_some(), "eselon {} names golongan {id}", eselon.id);
        }
    }
    let ii_a = r().eselon("21").expect("II.a");
    assert_eq!(ii_a.nama, "II.a");
    assert_eq!((ii_a.pangkat_min_id.as_deref(), ii_a.pangkat_maks_id.as_deref()), (Some("43"), Some("44")));
    assert_eq!(ii_a.usia_bup, Some(60));
    assert_eq!(r().eselon("42").and_then(|e| e.usia_bup), Some(58));
    assert_eq!(r().eselon("99").and_then(|e| e.usia_bup), None);
    assert!(r().eselon("51").is_some() && r().eselon("52").is_some());
}

#[test]
fn jenjang_jf_koefisien_and_bup() {
    let kode: Vec<&str> = r().jenjang_jf.rows.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(kode, ["PT", "MU", "MA", "UT", "PM", "TR", "MH", "PY"]);
    let madya = r().jenjang_jf("MA").expect("MA");
    assert_eq!((madya.kategori, madya.usia_bup), (KategoriJf::Keahlian, 60));
    assert!((madya.koefisien - 37.5).abs() < 1e-9);
    assert_eq!(r().jenjang_jf("UT").map(|j| j.usia_bup), Some(65));
    assert_eq!(r().jenjang_jf("PY").map(|j| (j.kategori, j.usia_bup)), Some((KategoriJf::Keterampilan, 58)));
}

#[test]
fn kedudukan_and_jenis_pegawai_assumptions_are_flagged() {
    assert_eq!(r().kedudukan_hukum.rows.iter().filter(|k| k.dikonfirmasi).count(), 31);
    let pppk = r().kedudukan_hukum("71").expect("71");
    assert_eq!((pppk.nama.as_str(), pppk.jenis_asn), ("PPPK Aktif", KelompokAsn::Pppk));
    assert!(!r().kedudukan_hukum("72").expect("72").dikonfirmasi);
    assert_eq!(r().jenis_pegawai.rows.iter().filter(|j| j.dikonfirmasi).count(), 19);
    assert!(!r().jenis_pegawai.get("61").expect("61").dikonfirmasi);
    assert_eq!(r().jenis_pegawai.get("17").and_then(|j| j.dpk_dpb), Some(DpkDpb::Dpk));
    assert_eq!(r().jenis_pegawai.get("15").and_then(|j| j.dpk_dpb), None);
}

#[test]
fn jenis_kp_and_hukuman() {
    assert_eq!(r().jenis_kp("101").map(|j| j.kategori), Some(KategoriKp::Reguler));
    assert_eq!(r().jenis_kp("211").map(|j| j.kategori), Some(KategoriKp::Pengadaan));
    assert_eq!(r().jenis_kp.rows.len(), 12);
    for hukuman in &r().jenis_hukuman.rows {
        assert!(r().tingkat_hukuman.get(&hukuman.tingkat).is_some(), "hukuman {}", hukuman.id);
    }
    assert_eq!(r().jenis_hukuman.get("28").map(|h| h.tingkat.as_str()), Some("B"));
}

#[test]
fn status_usulan_is_complete() {
    assert_eq!(r().status_usulan.rows.len(), 67);
    assert_eq!(r().status_usulan("32").map(|s| s.nama.as_str()), Some("Pembuatan SK Berhasil"));
    assert_eq!(r().status_usulan("99").map(|s| s.nama.as_str()), Some("Usulan Dihapus"));
    assert!(r().status_usulan("54").is_none(), "54 is not in the source");
    for id in 40..=44 {
        assert!(r().status_usulan(&id.to_string()).is_some(), "status {id}");
    }
}

#[test]
fn ikd_has_27_codes_in_4_weighted_dimensions() {
    let rows = &r().ikd_indikator.rows;
    assert_eq!(rows.len(), 27);
    let dimensi: HashSet<DimensiIkd> = rows.iter().map(|i| i.dimensi).collect();
    assert_eq!(dimensi.len(), 4);
    let mut bobot = std::collections::BTreeMap::new();
    for row in rows {
        bobot.insert(row.dimensi, row.bobot_dimensi);
    }
    let jumlah: f64 = bobot.values().sum();
    assert!((jumlah - 1.0).abs() < 1e-9, "weights sum to {jumlah}");
    let terhitung: Vec<&str> = rows.iter().filter(|i| i.dihitung_dari_profil).map(|i| i.id.as_str()).collect();
    assert_eq!(terhitung.len(), 14);
    for kode in ["CON_1", "CON_2", "CON_3", "ACC_1", "ACC_4", "ACC_5", "ACC_10", "COM_3", "TIM_3", "TIM_5"] {
        assert!(terhitung.contains(&kode), "{kode} computable from profile");
    }
    let acc_10 = r().ikd_indikator("ACC_10").expect("ACC_10");
    assert_eq!(acc_10.dimensi, DimensiIkd::Akurasi);
    assert!((acc_10.bobot_dimensi - 0.30).abs() < 1e-9);
    assert!(r().ikd_indikator("ACC_11").is_none());
}

#[test]
fn periode_kp_is_contiguous_and_versioned() {
    let rows = &r().periode_kp.rows;
    for pasangan in rows.windows(2) {
        assert_eq!(
            pasangan[0].berlaku_sampai,
            Some(pasangan[1].berlaku_mulai),
            "{} → {}",
            pasangan[0].id,
            pasangan[1].id
        );
    }
    assert_eq!(rows.last().and_then(|p| p.berlaku_sampai), None);
    let id_pada = |t: &str| r().periode_kp_pada(tanggal(t)).map(|p| p.id.as_str());
    assert_eq!(id_pada("1999-12-31"), None);
    assert_eq!(id_pada("2000-01-01"), Some("pp-99-2000"));
    assert_eq!(id_pada("2002-04-16"), Some("pp-99-2000"));
    assert_eq!(id_pada("2002-04-17"), Some("pp-12-2002"));
    assert_eq!(id_pada("2023-12-31"), Some("pp-12-2002"));
    assert_eq!(id_pada("2024-01-01"), Some("perban-4-2023"));
    assert_eq!(id_pada("2025-09-30"), Some("perban-4-2023"));
    assert_eq!(id_pada("2025-10-01"), Some("perban-4-2025"));
    assert_eq!(id_pada("2040-06-15"), Some("perban-4-2025"));
}

#[test]
fn periksa_catches_gaps_overlaps_and_bad_months() {
    let dasar = r().periode_kp.rows.clone();

    let mut celah = dasar.clone();
    celah[1].berlaku_mulai = tanggal("2002-05-01");
    let mut masalah = Vec::new();
    periksa_periode_kp(&celah, &mut masalah);
    assert!(masalah.iter().any(|m| m.contains("gap or overlap")), "{masalah:?}");

    let mut tertutup = dasar.clone();
    if let Some(terakhir) = tertutup.last_mut() {
        terakhir.berlaku_sampai = Some(tanggal("2030-01-01"));
    }
    let mut masalah = Vec::new();
    periksa_periode_kp(&tertutup, &mut masalah);
    assert!(masalah.iter().any(|m| m.contains("must be open")), "{masalah:?}");

    let mut bulan_salah = dasar;
    bulan_salah[0].bulan = vec![13];
    let mut masalah = Vec::new();
    periksa_periode_kp(&bulan_salah, &mut masalah);
    assert!(masalah.iter().any(|m| m.contains("bulan")), "{masalah:?}");
}

fn kp(dari: &str) -> NaiveDate {
    r().tmt_kp_berikutnya(tanggal(dari))
}

#[test]
fn tmt_kp_berikutnya_under_pp_12_2002() {
    // April and October only: from May 2023 the next KP is 1 October 2023.
    assert_eq!(kp("2023-05-02"), tanggal("2023-10-01"));
    assert_eq!(kp("2023-10-01"), tanggal("2023-10-01"));
    // 1 December 2023 is still under PP 12/2002, so no KP; the next is 1 February 2024 under Perban 4/2023.
    assert_eq!(kp("2023-10-02"), tanggal("2024-02-01"));
}

#[test]
fn tmt_kp_berikutnya_across_the_2002_change() {
    // 1 April 2002 is still under PP 99/2000 (PP 12/2002 from 17 April), and April is a KP month in both.
    assert_eq!(kp("2002-01-15"), tanggal("2002-04-01"));
    // 1 July 2002 would have been a KP date under PP 99/2000, but PP 12/2002 is in force by then.
    assert_eq!(kp("2002-04-02"), tanggal("2002-10-01"));
    assert_eq!(kp("2001-11-20"), tanggal("2002-01-01"));
}

#[test]
fn tmt_kp_berikutnya_under_perban_4_2023() {
    // 1 January 2024 is the first day of Perban 4/2023, but January is not one of its months.
    assert_eq!(kp("2024-01-01"), tanggal("2024-02-01"));
    assert_eq!(kp("2024-02-01"), tanggal("2024-02-01"));
    assert_eq!(kp("2024-02-02"), tanggal("2024-04-01"));
    assert_eq!(kp("2024-11-15"), tanggal("2024-12-01"));
}

#[test]
fn tmt_kp_berikutnya_into_monthly_periods() {
    // From 2 August 2025 the candidates are 1 September (Perban 4/2023 in force, September not a KP month)
    // and 1 October, which is a KP date under Perban 4/2025 (monthly, in force from that day) and would also be
    // one under Perban 4/2023. So the answer is 1 October 2025 whichever calendar decides it.
    assert_eq!(kp("2025-08-02"), tanggal("2025-10-01"));
    assert_eq!(kp("2025-08-01"), tanggal("2025-08-01"));
    assert_eq!(kp("2025-10-02"), tanggal("2025-11-01"));
    assert_eq!(kp("2026-01-01"), tanggal("2026-01-01"));
    assert_eq!(kp("2026-03-31"), tanggal("2026-04-01"));
}

#[test]
fn tmt_kp_berikutnya_before_the_first_calendar_and_at_the_end_of_time() {
    assert_eq!(kp("1995-06-10"), tanggal("2000-01-01"));
    assert_eq!(r().tmt_kp_berikutnya(NaiveDate::MAX), NaiveDate::MAX);
}

#[test]
fn usia_bup_jabatan_overrides() {
    let bup = |nama: &str| r().usia_bup_jabatan(nama).map(|row| row.usia_bup);
    assert_eq!(bup("Guru Ahli Madya"), Some(60));
    assert_eq!(bup("Guru Ahli Utama"), Some(60));
    assert_eq!(bup("Guru Besar"), Some(70));
    assert_eq!(bup("Guru Besar / Profesor"), Some(70));
    assert_eq!(bup("  guru   BESAR "), Some(70));
    assert_eq!(bup("Jaksa Ahli Muda"), Some(62));
    assert_eq!(bup("Ajun Jaksa Madya"), Some(62));
    assert_eq!(bup("Kepala Kejaksaan Negeri"), None);
    assert_eq!(bup("Peneliti Ahli Utama"), Some(70));
    assert_eq!(bup("Peneliti Ahli Madya"), None);
    assert_eq!(bup("Perekayasa Ahli Utama"), Some(70));
    assert_eq!(bup("Lektor Kepala"), Some(65));
    assert_eq!(bup("Dokter Ahli Utama"), None);
    assert_eq!(bup("Gurun"), None);
    assert_eq!(bup(""), None);
    assert_eq!(r().usia_bup_jabatan("Guru Besar").map(|row| row.id.as_str()), Some("guru-besar"));
}

/// The data utama fields and lists of the pegawai document (model::pegawai), which the authority table must cover.
const FIELD_DATA_UTAMA: &[&str] = &[
    "pns_id",
    "nip",
    "nip_lama",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "tempat_lahir",
    "tgl_lahir",
    "jenis_kelamin",
    "agama_id",
    "status_kawin_id",
    "nik",
    "email",
    "email_gov",
    "no_hp",
    "no_telp",
    "alamat",
    "npwp",
    "bpjs",
    "jenis_pegawai_id",
    "jenis_asn",
    "kedudukan_hukum_id",
    "tmt_cpns",
    "tmt_pns",
    "golongan_awal_id",
    "golongan_akhir_id",
    "tmt_golongan",
    "mk_golongan_tahun",
    "mk_golongan_bulan",
    "jenis_jabatan_id",
    "jabatan_id",
    "jabatan_nama",
    "tmt_jabatan",
    "eselon_id",
    "tingkat_pendidikan_id",
    "pendidikan_id",
    "tahun_lulus",
    "unor_id",
    "instansi_induk_id",
    "instansi_kerja_id",
    "satuan_kerja_kerja_id",
    "lokasi_kerja_id",
    "kpkn_id",
];

const DAFTAR_RIWAYAT: &[&str] = &[
    "riwayat_golongan",
    "riwayat_jabatan",
    "riwayat_pendidikan",
    "riwayat_diklat",
    "riwayat_kursus",
    "riwayat_angka_kredit",
    "riwayat_skp",
    "riwayat_skp22",
    "riwayat_kinerja_periodik",
    "riwayat_hukdis",
    "riwayat_penghargaan",
    "riwayat_pemberhentian",
    "riwayat_pindah_instansi",
    "riwayat_pns_unor",
    "riwayat_pwk",
    "riwayat_masa_kerja",
    "riwayat_cltn",
    "riwayat_sertifikasi",
    "pasangan",
    "anak",
    "orang_tua",
    "dokumen",
    "tindak_lanjut",
];

#[test]
fn kewenangan_covers_every_pegawai_field_exactly() {
    for field in FIELD_DATA_UTAMA {
        let path = format!("data_utama.{field}");
        assert_eq!(r().kewenangan(&path).map(|k| k.id.as_str()), Some(path.as_str()));
    }
    for daftar in DAFTAR_RIWAYAT {
        assert_eq!(r().kewenangan(daftar).map(|k| k.id.as_str()), Some(*daftar));
    }
    // Every row names a real path: a data utama field, a list, or one of the hub-owned usulan/id paths.
    for row in &r().kewenangan_field.rows {
        let dikenal = row.id.strip_prefix("data_utama.").is_some_and(|f| FIELD_DATA_UTAMA.contains(&f))
            || DAFTAR_RIWAYAT.contains(&row.id.as_str())
            || row.id.starts_with("usulan.")
            || row.id == "*.*.id";
        assert!(dikenal, "kewenangan-field {:?} names no known field", row.id);
    }
}

#[test]
fn kewenangan_rules_follow_design() {
    let k = |path: &str| r().kewenangan(path).expect("covered");
    let no_hp = k("data_utama.no_hp");
    assert_eq!(
        (no_hp.penulis, no_hp.diverifikasi_oleh, no_hp.kebijakan_konflik),
        (Penulis::OperatorInstansi, None, KebijakanKonflik::Lww)
    );
    for field in ["nama", "gelar_depan", "tgl_lahir", "nik", "golongan_akhir_id", "tingkat_pendidikan_id"] {
        let row = k(&format!("data_utama.{field}"));
        assert_eq!(row.penulis, Penulis::Bkn, "{field} has no WS write");
        assert_eq!(row.kebijakan_konflik, KebijakanKonflik::Verify, "{field}");
    }
    let jabatan = k("riwayat_jabatan.0193a1b2.tmt_jabatan");
    assert_eq!(jabatan.id, "riwayat_jabatan");
    assert_eq!(jabatan.diverifikasi_oleh, Some(Verifikator::VerifikatorInstansi));
    assert_eq!(k("riwayat_golongan.x").diverifikasi_oleh, Some(Verifikator::VerifikatorBkn));
    assert_eq!(k("pasangan.x.nama").kebijakan_konflik, KebijakanKonflik::Verify);
    let siasn_id = k("riwayat_jabatan.0193a1b2.id");
    assert_eq!((siasn_id.id.as_str(), siasn_id.penulis), ("*.*.id", Penulis::Hub));
    assert_eq!(k("usulan.status_siasn").penulis, Penulis::Hub);
    assert_eq!(k("usulan.status_siasn.kode").penulis, Penulis::Hub);
    assert_eq!(k("data_utama.pns_id").penulis, Penulis::Hub);
    assert!(r().kewenangan("data_utama").is_none());
    assert!(r().kewenangan("data_utama.hobi").is_none());
    assert!(r().kewenangan("").is_none());
}

#[test]
fn ref_dokumen_points_at_known_lists() {
    for dok in &r().ref_dokumen.rows {
        assert!(
            dok.riwayat == "data_utama" || DAFTAR_RIWAYAT.contains(&dok.riwayat.as_str()),
            "ref-dokumen {} → {}",
            dok.id,
            dok.riwayat
        );
    }
    assert_eq!(r().ref_dokumen.get("872").map(|d| d.riwayat.as_str()), Some("riwayat_jabatan"));
}

#[test]
fn jenis_kelamin_encodings() {
    let perempuan = r().jenis_kelamin.get("F").expect("F");
    assert_eq!((perempuan.kode.as_str(), perempuan.kode_nip, perempuan.tambah_hari_nik), ("P", 2, 40));
    assert!(r().jenis_kelamin.get("L").is_none(), "the WS uses M/F");
}
