//! Riwayat rows against the shared fixture (`../shared/fixtures/ws/`) and hand-written dirty rows; plus the whole
//! fixture through `decode_pegawai`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;
use crate::id::Nip;
use crate::siasn::ws::{PEGAWAI_ENDPOINTS, decode_pegawai, decode_riwayat};
use crate::warning::{Warning, WarningKind};

const GOLONGAN: &str = include_str!("../../../../../shared/fixtures/ws/rw-golongan/196407241988032001.json");
const SKP22: &str = include_str!("../../../../../shared/fixtures/ws/rw-skp22/196407241988032001.json");
const DIKLAT_404: &str = include_str!("../../../../../shared/fixtures/ws/rw-diklat/196407241988032001.json");
const DIKLAT: &str = include_str!("../../../../../shared/fixtures/ws/rw-diklat/196702051997011003.json");
const PENGHARGAAN: &str = include_str!("../../../../../shared/fixtures/ws/rw-penghargaan/196407241988032001.json");
const PENDIDIKAN: &str = include_str!("../../../../../shared/fixtures/ws/rw-pendidikan/196407241988032001.json");

fn date(y: i32, m: u32, d: u32) -> Option<Tanggal> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn nip() -> Nip {
    Nip::new("196407241988032001")
}

fn decode<T: RiwayatRow>(body: &str) -> (Vec<T>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let rows = decode_riwayat::<T>(body, &nip(), &mut warnings);
    (rows, warnings)
}

#[test]
fn golongan_fixture_decodes_every_step() {
    let (rows, warnings) = decode::<RiwayatGolongan>(GOLONGAN);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows.len(), 7);
    let first = &rows[0];
    assert_eq!(first.id.as_deref(), Some("15B929E94F35F5BFE040640A3A71320A"));
    assert_eq!(first.golongan_id.as_deref(), Some("32"));
    assert_eq!(first.golongan.as_deref(), Some("III/b"));
    assert_eq!(first.pangkat.as_deref(), Some("Penata Muda Tingkat I"));
    assert_eq!(first.jenis_kp_id.as_deref(), Some("211"));
    assert_eq!(first.jenis_kp_nama.as_deref(), Some("Gol. dari Pengadaan CPNS/PNS"));
    assert_eq!((first.mk_golongan_tahun, first.mk_golongan_bulan), (Some(3), Some(0)));
    assert_eq!(first.jumlah_kredit_utama, Some(0.0));
    assert_eq!(first.no_pertek_bkn, None);
    assert_eq!(first.tgl_pertek_bkn, None);
    assert_eq!(first.sk_nomor.as_deref(), Some("813.3/0385/BKD/1988"));
    assert_eq!(first.sk_tanggal, date(1988, 1, 20));
    assert_eq!(first.tmt_golongan, date(1988, 3, 1));
    assert!(first.dokumen.is_empty() && first.raw.is_empty());
    assert_eq!(rows[1].jenis_kp_id.as_deref(), Some("202"));
    assert_eq!(rows[1].no_pertek_bkn.as_deref(), Some("97/KEP/1992"));
    assert_eq!(rows[1].tgl_pertek_bkn, date(1992, 2, 20));
    let last = &rows[6];
    assert_eq!(last.golongan_id.as_deref(), Some("44"));
    assert_eq!(last.tmt_golongan, date(2013, 4, 1));
    assert_eq!((last.mk_golongan_tahun, last.mk_golongan_bulan), (Some(28), Some(1)));
    let ids: Vec<_> = rows.iter().filter_map(|row| row.golongan_id.as_deref()).collect();
    assert_eq!(ids, ["32", "33", "34", "41", "42", "43", "44"]);
}

#[test]
fn golongan_iso_and_dmy_tmt_are_the_same_day() {
    let body = r#"{"code":1,"data":[
        {"id":"a","golonganId":"34","jenisKPId":"202","tmtGolongan":"2022-04-01T00:00:00Z","skTanggal":null,
         "path":{"858":{"dok_id":"858","dok_nama":"Dok SK KP","dok_uri":"peremajaan/usulan/858_x.pdf","object":"peremajaan/usulan/858_x.pdf","slug":"858"}}},
        {"id":"b","golonganId":34,"tmtGolongan":"01-04-2022","masaKerjaGolonganTahun":12}
    ]}"#;
    let (rows, warnings) = decode::<RiwayatGolongan>(body);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].tmt_golongan, date(2022, 4, 1));
    assert_eq!(rows[1].tmt_golongan, date(2022, 4, 1));
    assert_eq!(rows[1].golongan_id.as_deref(), Some("34"), "a number is read as a code");
    assert_eq!(rows[1].mk_golongan_tahun, Some(12));
    assert_eq!(rows[0].sk_tanggal, None);
    assert_eq!(rows[0].dokumen.len(), 1);
    assert_eq!(rows[0].dokumen[0].dok_id, "858");
    assert_eq!(rows[0].dokumen[0].dok_uri.as_deref(), Some("peremajaan/usulan/858_x.pdf"));
}

#[test]
fn skp22_capitalised_keys() {
    let (rows, warnings) = decode::<RiwayatSkp22>(SKP22);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first.tahun, Some(2024));
    assert_eq!(first.kuadran_kinerja_nilai.as_deref(), Some("2"));
    assert_eq!(first.kuadran_kinerja.as_deref(), Some("BAIK"));
    assert_eq!(first.perilaku_kerja_nilai.as_deref(), Some("1"));
    assert_eq!(first.hasil_kinerja_nilai.as_deref(), Some("2"));
    assert_eq!(first.status_penilai.as_deref(), Some("NON ASN"));
    assert_eq!(first.nip_nrp_penilai, None);
    assert_eq!(rows[1].hasil_kinerja_nilai.as_deref(), Some("1"));
    assert_eq!(rows[1].dokumen.len(), 1);
    assert_eq!(rows[1].dokumen[0].dok_id, "1179");
    assert_eq!(rows[1].dokumen[0].dok_nama.as_deref(), Some("Dokumen Evaluasi Kinerja"));
}

#[test]
fn diklat_404_is_empty_without_warning_and_rows_decode() {
    let (rows, warnings) = decode::<RiwayatDiklat>(DIKLAT_404);
    assert!(rows.is_empty() && warnings.is_empty());
    let (rows, warnings) = decode::<RiwayatDiklat>(r#"{"code":1,"data":[]}"#);
    assert!(rows.is_empty() && warnings.is_empty());

    let mut warnings = Vec::new();
    let rows = decode_riwayat::<RiwayatDiklat>(DIKLAT, &Nip::new("196702051997011003"), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let row = &rows[0];
    assert_eq!(row.id.as_deref(), Some("569671C99574D59CE040640A88EB0AB8"));
    assert_eq!(row.id_pns.as_deref(), Some("07CD92DEA4293C9BE040640A3A601255"));
    assert_eq!(row.nip_baru.as_deref(), Some("196702051997011003"));
    assert_eq!(row.nip_lama.as_deref(), Some("146824603"));
    assert_eq!(row.latihan_struktural_id.as_deref(), Some("2"));
    assert_eq!(row.latihan_struktural_nama.as_deref(), Some("SEPALA/ADUM/PIM IV"));
    assert_eq!(row.nomor.as_deref(), Some("318/PKP/2015"));
    assert_eq!(row.tanggal, date(2015, 5, 13));
    assert_eq!(row.tanggal_selesai, date(2015, 9, 4));
    assert_eq!((row.tahun, row.jumlah_jam), (Some(2015), Some(285)));
    assert_eq!(row.institusi_penyelenggara.as_deref(), Some("LEMBAGA ADMINISTRASI NEGARA"));
    assert_eq!((row.bobot, row.jenis_kompetensi.as_deref()), (None, None));
}

#[test]
fn penghargaan_and_pendidikan_fixture() {
    let (rows, warnings) = decode::<RiwayatPenghargaan>(PENGHARGAAN);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].tahun, Some(2001));
    assert_eq!(rows[0].harga_id.as_deref(), Some("201"));
    assert_eq!(rows[0].harga_nama.as_deref(), Some("Satyalancana Karya Satya X Tahun"));
    assert_eq!(rows[0].sk_nomor.as_deref(), Some("4/TK/TAHUN 2001"));
    assert_eq!(rows[0].sk_tanggal, date(2001, 8, 10));
    assert_eq!(rows[0].pns_orang_id.as_deref(), Some("9CE9BA793B7E7009E040640A2C9D8B95"));

    let (rows, warnings) = decode::<RiwayatPendidikan>(PENDIDIKAN);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1].is_pendidikan_pertama, Some(true));
    assert_eq!(rows[0].is_pendidikan_pertama, Some(false));
    assert_eq!(rows[2].gelar_belakang.as_deref(), Some("Sp.B."));
    assert_eq!(rows[0].nomor_ijazah.as_deref(), Some("DN-29 Ma 0540609"));
    assert_eq!(rows[0].tahun_lulus, Some(1982));
}

#[test]
fn hukdis_reads_both_end_date_spellings() {
    let body = r#"{"code":1,"data":[
        {"id":"h1","pnsOrang":"P","jenisHukuman":"21","jenisTingkatHukumanId":"R","golongan":"32","kedudukanHukum":"01",
         "skNomor":"800/1","skTanggal":"02-01-2023","hukumanTanggal":"05-01-2023","masaTahun":"1","masaBulan":0,
         "akhirHukumTanggal":"05-01-2024","alasanHukumanDisiplin":"7","alasanHukumanDisiplinNama":"Tidak masuk kerja"},
        {"id":"h2","pnsOrangId":"P","jenisHukumanId":"22","akhirHukumanTanggal":"31-12-2024","skPembatalanTanggal":""}
    ]}"#;
    let (rows, warnings) = decode::<RiwayatHukdis>(body);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].akhir_hukuman_tanggal, date(2024, 1, 5));
    assert_eq!(rows[1].akhir_hukuman_tanggal, date(2024, 12, 31));
    assert_eq!(rows[0].jenis_hukuman_id.as_deref(), Some("21"));
    assert_eq!(rows[1].jenis_hukuman_id.as_deref(), Some("22"));
    assert_eq!(rows[1].pns_orang_id.as_deref(), Some("P"));
    assert_eq!(rows[0].golongan_id.as_deref(), Some("32"));
    assert_eq!(rows[0].kedudukan_hukum_id.as_deref(), Some("01"));
    assert_eq!((rows[0].masa_tahun, rows[0].masa_bulan), (Some(1), Some(0)));
    assert_eq!(rows[0].alasan_hukuman_disiplin_id.as_deref(), Some("7"));
    assert_eq!(rows[1].sk_pembatalan_tanggal, None);
}

#[test]
fn kursus_reads_read_and_write_spellings() {
    let body = r#"{"code":1,"data":[
        {"id":"k1","jenisKursusSertifikat":"T","noSertipikat":"S-1","jenisDiklatId":"2","jumlahJam":"32","tahunKursus":2019,
         "tanggalKursus":"01-07-2019","tanggalSelesaiKursus":"04-07-2019","namaKursus":" Pelatihan Dasar "},
        {"id":"k2","jenisKursusSertipikat":"F","nomorSertipikat":"S-2","jenisKursus":"GUID","jenisDiklatId":"teknis"}
    ]}"#;
    let (rows, warnings) = decode::<RiwayatKursus>(body);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].jenis_kursus_sertifikat.as_deref(), Some("T"));
    assert_eq!(rows[1].jenis_kursus_sertifikat.as_deref(), Some("F"));
    assert_eq!(rows[0].nomor_sertifikat.as_deref(), Some("S-1"));
    assert_eq!(rows[1].nomor_sertifikat.as_deref(), Some("S-2"));
    assert_eq!(rows[1].jenis_kursus_id.as_deref(), Some("GUID"));
    assert_eq!(rows[1].jenis_diklat_id.as_deref(), Some("teknis"), "a non-numeric jenisDiklatId is kept");
    assert_eq!((rows[0].jumlah_jam, rows[0].tahun_kursus), (Some(32), Some(2019)));
    assert_eq!(rows[0].tanggal_selesai_kursus, date(2019, 7, 4));
    assert_eq!(rows[0].nama_kursus.as_deref(), Some("Pelatihan Dasar"));
}

#[test]
fn angka_kredit_penailan_decimals_flags_and_sumber() {
    let body = r#"{"code":1,"data":[{"id":"ak","pns":"P","nomorSk":"PAK/1","tanggalSk":"15-01-2023",
        "bulanMulaiPenailan":"1","tahunMulaiPenailan":"2022","bulanSelesaiPenailan":12,"tahunSelesaiPenailan":"2022",
        "kreditUtamaBaru":"12,5","kreditPenunjangBaru":1.25,"kreditBaruTotal":"113.750","rwJabatan":"RJ",
        "isAngkaKreditPertama":"1","isIntegrasi":"0","isKonversi":true,"Sumber":"SIASN"}]}"#;
    let (rows, warnings) = decode::<RiwayatAngkaKredit>(body);
    assert!(warnings.is_empty(), "{warnings:?}");
    let row = &rows[0];
    assert_eq!(row.pns_id.as_deref(), Some("P"));
    assert_eq!((row.bulan_mulai_penilaian, row.tahun_mulai_penilaian), (Some(1), Some(2022)));
    assert_eq!((row.bulan_selesai_penilaian, row.tahun_selesai_penilaian), (Some(12), Some(2022)));
    assert_eq!(row.kredit_utama_baru, Some(12.5));
    assert_eq!(row.kredit_penunjang_baru, Some(1.25));
    assert_eq!(row.kredit_baru_total, Some(113.75));
    assert_eq!(row.rw_jabatan_id.as_deref(), Some("RJ"));
    assert_eq!(row.is_angka_kredit_pertama, Some(true));
    assert_eq!(row.is_integrasi, Some(false));
    assert_eq!(row.is_konversi, Some(true));
    assert_eq!(row.sumber.as_deref(), Some("SIASN"));
}

#[test]
fn kinerja_periodik_reads_koefisen_sic_and_koefisien() {
    let body = r#"{"code":1,"data":[
        {"id":"a","koefisenId":"12","periodikId":"2","kuadranKinerjaNilai":"2","persentase":"25","penilaiUnorNm":"BKD"},
        {"id":"b","koefisienId":"13","penilaiNama":"X","penilaiGolongan":"41","bulanMulaiPenilaian":"1","bulanSelesaiPenilaian":"3"}
    ]}"#;
    let (rows, warnings) = decode::<RiwayatKinerjaPeriodik>(body);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].koefisien_id.as_deref(), Some("12"));
    assert_eq!(rows[1].koefisien_id.as_deref(), Some("13"));
    assert_eq!(rows[0].persentase, Some(25.0));
    assert_eq!(rows[0].penilai_unor_nama.as_deref(), Some("BKD"));
    assert_eq!(rows[1].nama_penilai.as_deref(), Some("X"));
    assert_eq!(rows[1].penilai_golongan_id.as_deref(), Some("41"));
    assert_eq!((rows[1].bulan_mulai_penilaian, rows[1].bulan_selesai_penilaian), (Some(1), Some(3)));
}

#[test]
fn other_rows_read_their_fields() {
    let (rows, warnings) = decode::<RiwayatCltn>(
        r#"[{"id":"c","cltnId":"1","tanggalAwal":"01-02-2020","tanggalAkhir":"31-01-2023","tanggalLetterBkn":"2020-01-15 00:00:00"}]"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].tanggal_letter_bkn, date(2020, 1, 15));
    assert_eq!(rows[0].tanggal_akhir, date(2023, 1, 31));

    let (rows, warnings) = decode::<RiwayatMasaKerja>(
        r#"{"code":1,"data":[{"id":"m","masaKerjaTahun":"4","masaKerjaBulan":"6","dinilai":"1","pengalaman":"Honorer"}]}"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!((rows[0].masa_kerja_tahun, rows[0].masa_kerja_bulan, rows[0].dinilai), (Some(4), Some(6), Some(true)));

    let (rows, warnings) = decode::<RiwayatPemberhentian>(
        r#"{"code":1,"data":{"id":"p","jenisHenti":"1","kedudukanHukumPns":"99","skTanggal":"01-03-2024"}}"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows.len(), 1, "a single object is one row");
    assert_eq!(rows[0].jenis_henti_id.as_deref(), Some("1"));
    assert_eq!(rows[0].kedudukan_hukum_id.as_deref(), Some("99"));

    let (rows, warnings) = decode::<RiwayatSertifikasi>(
        r#"{"code":1,"data":[{"id":"s","namaSertifikasi":"Sertifikat Pendidik","masaBerlakuSertSelasai":"31-12-2030"}]}"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].masa_berlaku_selesai, date(2030, 12, 31));

    let (rows, warnings) = decode::<RiwayatPindahInstansi>(
        r#"{"code":1,"data":[{"id":"pi","instansiIndukLama":"A","instansiIndukBaru":"B","tmtPi":"01-10-2021"}]}"#,
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(rows[0].instansi_induk_baru.as_deref(), Some("B"));
    assert_eq!(rows[0].tmt_pi, date(2021, 10, 1));
}

#[test]
fn dirty_rows_warn_keep_raw_and_never_drop() {
    let body = r#"{"code":"1","data":[
        {"ID":"x1","TAHUN":"2020","NILAISKP":"delapan puluh","Integritas":88.5,"nilaiPrestasiKerja":"undefined",
         "penilaiTmtGolongan":"31-02-2019","penilaiNama":"undefined","pns":{"id":"nested"}},
        "not an object",
        null,
        {"id":"x2","tahun":2021,"nilaiSkp":"90,25","penilaiTmtGolongan":"01-01-0001"}
    ]}"#;
    let (rows, warnings) = decode::<RiwayatSkp>(body);
    assert_eq!(rows.len(), 2, "objects are kept, the rest skipped");
    let first = &rows[0];
    assert_eq!(first.id.as_deref(), Some("x1"));
    assert_eq!(first.tahun, Some(2020));
    assert_eq!(first.nilai_skp, None);
    assert_eq!(first.integritas, Some(88.5));
    assert_eq!(first.nilai_prestasi_kerja, None);
    assert_eq!(first.penilai_nama, None, "\"undefined\" is empty");
    assert_eq!(first.penilai_tmt_golongan, None);
    assert_eq!(first.pns_id, None);
    assert_eq!(first.raw.get("NILAISKP").map(String::as_str), Some("delapan puluh"));
    assert_eq!(first.raw.get("penilaiTmtGolongan").map(String::as_str), Some("31-02-2019"));
    assert!(first.raw.contains_key("pns"));
    assert_eq!(rows[1].nilai_skp, Some(90.25));
    assert_eq!(rows[1].penilai_tmt_golongan, None);

    let seen: Vec<(&str, WarningKind)> = warnings.iter().map(|w| (w.field.as_str(), w.kind)).collect();
    assert!(seen.contains(&("rw-skp[0].NILAISKP", WarningKind::InvalidNumber)), "{seen:?}");
    assert!(seen.contains(&("rw-skp[0].penilaiTmtGolongan", WarningKind::InvalidDate)), "{seen:?}");
    assert!(seen.contains(&("rw-skp[0].pns", WarningKind::UnexpectedShape)), "{seen:?}");
    assert!(seen.contains(&("rw-skp[1]", WarningKind::UnexpectedShape)), "{seen:?}");
    assert!(seen.contains(&("rw-skp[2]", WarningKind::UnexpectedShape)), "{seen:?}");
    assert!(seen.contains(&("rw-skp[3].penilaiTmtGolongan", WarningKind::SentinelDate)), "{seen:?}");
    assert_eq!(warnings.len(), 6, "{seen:?}");
    assert!(warnings.iter().all(|w| w.record == "nip 196407241988032001"));
}

#[test]
fn malformed_bodies_warn_and_give_no_rows() {
    for body in
        ["{\"code\":1,\"data\":[", "<html>502 Bad Gateway</html>", r#"{"code":"500","message":"Runtime Error"}"#]
    {
        let (rows, warnings) = decode::<RiwayatHukdis>(body);
        assert!(rows.is_empty(), "{body}");
        assert_eq!(warnings.len(), 1, "{body}");
        assert_eq!(warnings[0].kind, WarningKind::MalformedResponse);
        assert_eq!(warnings[0].field, "rw-hukdis");
    }
    for body in ["", r#"{"code":0,"data":"Data tidak ditemukan"}"#, r#"{"data":"record not found"}"#] {
        let (rows, warnings) = decode::<RiwayatHukdis>(body);
        assert!(rows.is_empty() && warnings.is_empty(), "{body}");
    }
}

#[test]
fn rows_round_trip_through_json() {
    let (rows, _) = decode::<RiwayatGolongan>(GOLONGAN);
    let json = serde_json::to_string(&rows).unwrap();
    let back: Vec<RiwayatGolongan> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rows);
    assert!(json.contains("\"tmt_golongan\":\"1988-03-01\""), "{json}");
}

/// The endpoint of every riwayat list of the pegawai document.
fn riwayat_endpoints() -> Vec<&'static str> {
    vec![
        RiwayatGolongan::ENDPOINT,
        RiwayatJabatan::ENDPOINT,
        RiwayatPendidikan::ENDPOINT,
        RiwayatDiklat::ENDPOINT,
        RiwayatKursus::ENDPOINT,
        RiwayatAngkaKredit::ENDPOINT,
        RiwayatSkp::ENDPOINT,
        RiwayatSkp22::ENDPOINT,
        RiwayatKinerjaPeriodik::ENDPOINT,
        RiwayatHukdis::ENDPOINT,
        RiwayatPenghargaan::ENDPOINT,
        RiwayatPemberhentian::ENDPOINT,
        RiwayatPindahInstansi::ENDPOINT,
        RiwayatPnsUnor::ENDPOINT,
        RiwayatPwk::ENDPOINT,
        RiwayatMasaKerja::ENDPOINT,
        RiwayatCltn::ENDPOINT,
        RiwayatSertifikasi::ENDPOINT,
    ]
}

#[test]
fn pegawai_endpoints_cover_every_riwayat_once() {
    let listed: BTreeSet<_> = PEGAWAI_ENDPOINTS.iter().copied().collect();
    assert_eq!(listed.len(), PEGAWAI_ENDPOINTS.len(), "no duplicates");
    for endpoint in riwayat_endpoints() {
        assert!(listed.contains(endpoint), "{endpoint}");
    }
    for endpoint in ["data-utama", "data-pasangan", "data-anak", "data-ortu"] {
        assert!(listed.contains(endpoint), "{endpoint}");
    }
    assert_eq!(PEGAWAI_ENDPOINTS.len(), riwayat_endpoints().len() + 4);
}

/// `../shared/fixtures/ws`, or `$LURING_SHARED/fixtures/ws`.
fn fixture_ws() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures/ws")
}

#[test]
fn every_fixture_file_decodes_through_decode_pegawai() {
    let ws = fixture_ws();
    let mut nips: Vec<String> = std::fs::read_dir(ws.join("data-utama"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
        .collect();
    nips.sort();
    assert_eq!(nips.len(), 60);

    // Every endpoint folder of the fixture is one `decode_pegawai` asks for, so no file is left unread.
    let mut files = 0;
    for entry in std::fs::read_dir(&ws).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(PEGAWAI_ENDPOINTS.contains(&name.as_str()), "fixture folder {name} is not decoded");
            files += std::fs::read_dir(entry.path()).unwrap().count();
        }
    }

    let mut read = 0;
    let mut warnings = Vec::new();
    let mut golongan_rows = 0;
    for nip in &nips {
        let mut body_of = |endpoint: &str| {
            let body = std::fs::read_to_string(ws.join(endpoint).join(format!("{nip}.json"))).ok();
            read += usize::from(body.is_some());
            body
        };
        let pegawai = decode_pegawai(&Nip::new(nip.as_str()), &mut body_of, &mut warnings).unwrap();
        assert_eq!(pegawai.data_utama.nip.as_str(), nip);
        assert!(!pegawai.data_utama.nama.is_empty(), "{nip}");
        assert!(!pegawai.riwayat_jabatan.is_empty(), "{nip}: every pegawai has a jabatan");
        golongan_rows += pegawai.riwayat_golongan.len();
    }
    assert!(warnings.is_empty(), "the fixture is clean: {warnings:#?}");
    assert_eq!(read, files, "every fixture body was read");
    assert_eq!(golongan_rows, 203);
}

#[test]
fn decode_pegawai_without_data_utama_is_none_with_one_warning() {
    let mut warnings = Vec::new();
    let mut nothing = |_: &str| None;
    assert_eq!(decode_pegawai(&nip(), &mut nothing, &mut warnings), None);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, WarningKind::MissingValue);

    let mut warnings = Vec::new();
    let mut not_found = |_: &str| Some(r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_owned());
    assert_eq!(decode_pegawai(&nip(), &mut not_found, &mut warnings), None);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].field, "data-utama");
}

#[test]
fn decode_pegawai_asks_for_every_endpoint_and_tolerates_missing_ones() {
    let data_utama = include_str!("../../../../../shared/fixtures/ws/data-utama/196407241988032001.json");
    let mut asked = Vec::new();
    let mut warnings = Vec::new();
    let mut body_of = |endpoint: &str| {
        asked.push(endpoint.to_owned());
        match endpoint {
            "data-utama" => Some(data_utama.to_owned()),
            "rw-golongan" => Some(GOLONGAN.to_owned()),
            "rw-hukdis" => Some("not json".to_owned()),
            _ => None,
        }
    };
    let pegawai = decode_pegawai(&nip(), &mut body_of, &mut warnings).unwrap();
    assert_eq!(pegawai.riwayat_golongan.len(), 7);
    assert!(pegawai.riwayat_jabatan.is_empty() && pegawai.pasangan.is_empty());
    assert_eq!(warnings.len(), 1, "only the unreadable rw-hukdis: {warnings:?}");
    assert_eq!(warnings[0].field, "rw-hukdis");
    assert_eq!(asked, PEGAWAI_ENDPOINTS);

    let mut warnings = Vec::new();
    let mut other = |endpoint: &str| (endpoint == "data-utama").then(|| data_utama.to_owned());
    let pegawai = decode_pegawai(&Nip::new("199001012015011001"), &mut other, &mut warnings).unwrap();
    assert_eq!(pegawai.data_utama.nip, nip(), "kept as sent");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].kind, WarningKind::InvalidNip);
}
