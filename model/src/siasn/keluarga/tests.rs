//! Keluarga decoders against the shared fixture and hand-written dirty bodies.

use chrono::NaiveDate;

use super::*;
use crate::date::Tanggal;

const PASANGAN: &str = include_str!("../../../../../shared/fixtures/ws/data-pasangan/196407241988032001.json");
const PASANGAN_CERAI: &str = include_str!("../../../../../shared/fixtures/ws/data-pasangan/198009032024212001.json");
const PASANGAN_404: &str = include_str!("../../../../../shared/fixtures/ws/data-pasangan/197009152001012002.json");
const PASANGAN_EMPTY: &str = include_str!("../../../../../shared/fixtures/ws/data-pasangan/197603012006012005.json");
const ANAK: &str = include_str!("../../../../../shared/fixtures/ws/data-anak/196407241988032001.json");
const ANAK_404: &str = include_str!("../../../../../shared/fixtures/ws/data-anak/196702051997011003.json");

fn date(y: i32, m: u32, d: u32) -> Option<Tanggal> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn nip() -> Nip {
    Nip::new("196407241988032001")
}

#[test]
fn pasangan_fixture() {
    let mut warnings = Vec::new();
    let list = decode_pasangan(PASANGAN, &nip(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(p.id.as_deref(), Some("ab644e6f-754c-4bd2-bf56-d1d37a3e6b63"));
    assert_eq!(p.nama.as_deref(), Some("BUDI WIJAYANTO"));
    assert_eq!((p.nama_ktp.as_deref(), p.gelar_depan.as_deref(), p.gelar_belakang.as_deref()), (None, None, None));
    assert_eq!(p.tgl_lahir, date(1960, 12, 8));
    assert_eq!(p.tgl_meninggal, None);
    assert_eq!(p.jenis_kelamin, Some(JenisKelamin::LakiLaki));
    assert_eq!(p.status_hidup.as_deref(), Some("1"));
    assert_eq!(p.status_kawin_id.as_deref(), Some("1"));
    assert_eq!(p.karis_karsu, None);
    assert_eq!(p.status_nikah.as_deref(), Some("Menikah"));
    assert_eq!(p.pernikahan_id.as_deref(), Some("886afb83-44b2-4b2d-9637-097d7027fadc"));
    assert_eq!(p.tgl_menikah, date(1995, 4, 22));
    assert_eq!(p.akta_menikah.as_deref(), Some("709/12/IV/1995"));
    assert_eq!(p.tgl_cerai, None);
    assert_eq!(p.posisi, Some(1));
    assert_eq!(p.status.as_deref(), Some("1"));
    assert_eq!(p.is_pns, Some(false));
    assert_eq!(p.no_sk_pensiun, None);
    assert!(p.raw.is_empty());
}

#[test]
fn pasangan_cerai_404_and_empty_list() {
    let mut warnings = Vec::new();
    let list = decode_pasangan(PASANGAN_CERAI, &Nip::new("198009032024212001"), &mut warnings);
    assert_eq!(list[0].tgl_cerai, date(2012, 9, 28));
    assert_eq!(list[0].status.as_deref(), Some("2"));
    assert_eq!(list[0].status_nikah.as_deref(), Some("Cerai"));
    assert_eq!(list[0].status_kawin_id.as_deref(), Some("2"));
    assert!(decode_pasangan(PASANGAN_404, &nip(), &mut warnings).is_empty());
    assert!(decode_pasangan(PASANGAN_EMPTY, &nip(), &mut warnings).is_empty());
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn pasangan_sentinels_and_undefined_are_none_without_warnings() {
    // The anonymised S7 sample of siasn-api.md §2.2.
    let body = r#"{"code":1,"data":{"nipBaru":"198501012010011001","nipLama":null,"idPns":"A5EB0000000000000000000000000001",
      "listPasangan":[{"orang":{"id":"00000000-0000-4000-8000-000000000001","created_at":"2022-10-08T09:32:46.473315Z",
        "ayahId":"","ibuId":"","nama":"SITI CONTOH","namaKtp":"","gelarDepan":"","gelarBlk":"S.E.","tempatLahir":"",
        "tglLahir":"17-01-1992","aktaMeninggal":"","tglMeninggal":"01-01-0001","jenisKelamin":"F","jenisAnak":null,
        "StatusHidup":"1","JenisKawinId":"1","karisKarsu":"undefined","nomorIdentitas":"3200000101920001"},
       "statusNikah":"Menikah",
       "dataPernikahan":{"id":"00000000-0000-4000-8000-000000000002","orangId":"x","pnsOrangId":"y",
        "tgglMenikah":"20-05-2015","aktaMenikah":"123/2015","tgglCerai":"01-01-0001","aktaCerai":"","posisi":"1",
        "status":1,"isPns":"true","noSkPensiun":""}}]}}"#;
    let mut warnings = Vec::new();
    let list = decode_pasangan(body, &nip(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let p = &list[0];
    assert_eq!(p.tgl_meninggal, None);
    assert_eq!(p.tgl_cerai, None);
    assert_eq!(p.karis_karsu, None);
    assert_eq!(p.gelar_belakang.as_deref(), Some("S.E."));
    assert_eq!(p.jenis_kelamin, Some(JenisKelamin::Perempuan));
    assert_eq!(p.nik.as_deref(), Some("3200000101920001"));
    assert_eq!(p.tgl_menikah, date(2015, 5, 20));
    assert_eq!(p.posisi, Some(1), "a string posisi");
    assert_eq!(p.status.as_deref(), Some("1"), "a numeric status");
    assert_eq!(p.is_pns, Some(true), "a string isPns");
}

#[test]
fn pasangan_dirty_fields_warn_with_prefixed_fields_and_raw() {
    let body = r#"{"code":1,"data":{"listPasangan":[
        {"orang":{"id":"o1","nama":"A","jenisKelamin":"X","tglLahir":"31-02-1990"},
         "dataPernikahan":{"id":"d1","tgglMenikah":"kemarin","isPns":"mungkin"}},
        42,
        {"nama":"FLAT","jenisKelamin":"L","tgglMenikah":"01-02-2003","orang":null},
        {"orang":"rusak","statusNikah":"Menikah"}
    ]}}"#;
    let mut warnings = Vec::new();
    let list = decode_pasangan(body, &nip(), &mut warnings);
    assert_eq!(list.len(), 3, "objects are kept, 42 is skipped");
    let p = &list[0];
    assert_eq!(p.jenis_kelamin, None);
    assert_eq!(p.tgl_lahir, None);
    assert_eq!(p.tgl_menikah, None);
    assert_eq!(p.is_pns, None);
    assert_eq!(p.raw.get("jenisKelamin").map(String::as_str), Some("X"));
    assert_eq!(p.raw.get("tglLahir").map(String::as_str), Some("31-02-1990"));
    assert_eq!(p.raw.get("dataPernikahan.tgglMenikah").map(String::as_str), Some("kemarin"));
    assert_eq!(p.raw.get("dataPernikahan.isPns").map(String::as_str), Some("mungkin"));
    assert_eq!(list[1].nama.as_deref(), Some("FLAT"));
    assert_eq!(list[1].jenis_kelamin, Some(JenisKelamin::LakiLaki));
    assert_eq!(list[1].tgl_menikah, date(2003, 2, 1));
    assert_eq!(list[1].pernikahan_id, None);
    assert_eq!(list[2].status_nikah.as_deref(), Some("Menikah"));

    let seen: Vec<(&str, WarningKind)> = warnings.iter().map(|w| (w.field.as_str(), w.kind)).collect();
    assert_eq!(
        seen,
        [
            ("data-pasangan[1]", WarningKind::UnexpectedShape),
            ("data-pasangan[0].orang.tglLahir", WarningKind::InvalidDate),
            ("data-pasangan[0].orang.jenisKelamin", WarningKind::UnknownCode),
            ("data-pasangan[0].dataPernikahan.tgglMenikah", WarningKind::InvalidDate),
            ("data-pasangan[0].dataPernikahan.isPns", WarningKind::InvalidBool),
            ("data-pasangan[3].orang", WarningKind::UnexpectedShape),
        ]
    );
    assert!(warnings.iter().all(|w| w.record == "nip 196407241988032001"));
}

#[test]
fn pasangan_bad_bodies_warn_without_panic() {
    for (body, field) in [
        ("{\"code\":1,\"data\":{\"listPasangan\":[", "data-pasangan"),
        (r#"{"code":1,"data":{"listPasangan":"x"}}"#, "data-pasangan.listPasangan"),
        (r#"{"code":1,"data":{"nipBaru":"1"}}"#, "data-pasangan"),
        (r#"{"code":1,"data":7}"#, "data-pasangan"),
    ] {
        let mut warnings = Vec::new();
        assert!(decode_pasangan(body, &nip(), &mut warnings).is_empty(), "{body}");
        assert_eq!(warnings.len(), 1, "{body}: {warnings:?}");
        assert_eq!(warnings[0].field, field, "{body}");
    }
    let mut warnings = Vec::new();
    assert!(decode_pasangan(r#"{"code":1,"data":{"listPasangan":null}}"#, &nip(), &mut warnings).is_empty());
    assert!(warnings.is_empty());
}

#[test]
fn anak_fixture_and_404() {
    let mut warnings = Vec::new();
    let list = decode_anak(ANAK, &nip(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<_> = list.iter().filter_map(|anak| anak.nama.as_deref()).collect();
    assert_eq!(names, ["FATIH", "ZIDAN", "ARKAN"]);
    let first = &list[0];
    assert_eq!(first.id.as_deref(), Some("a6e4959b-54b2-43a1-a385-2fa8cc367053"));
    assert_eq!(first.jenis_kelamin, Some(JenisKelamin::LakiLaki));
    assert_eq!(first.tgl_lahir, date(1996, 3, 3));
    assert_eq!(first.tempat_lahir.as_deref(), Some("MUARA CONTOH"));
    assert_eq!(first.jenis_anak.as_deref(), Some("1"));
    assert_eq!(first.status_hidup.as_deref(), Some("1"));
    assert_eq!(first.ayah_id.as_deref(), Some("ab644e6f-754c-4bd2-bf56-d1d37a3e6b63"));
    assert_eq!(first.ibu_id.as_deref(), Some("9CE9BA793B7E7009E040640A2C9D8B95"));
    assert_eq!((first.akta_kelahiran.as_deref(), first.nama_ktp.as_deref()), (None, None));
    assert_eq!(list[1].tgl_lahir, date(1997, 11, 1));
    assert_eq!(list[2].tgl_lahir, date(1999, 9, 21));

    assert!(decode_anak(ANAK_404, &nip(), &mut warnings).is_empty());
    assert!(warnings.is_empty());
}

#[test]
fn anak_dirty_keys_numbers_and_case() {
    let body = r#"{"code":1,"data":{"ListAnak":[{"ID":"a","NAMA":" BUDI ","jenis_kelamin":"m","TGL_LAHIR":"2010-05-06",
        "jenisAnak":1,"statushidup":1,"aktaKelahiran":"undefined"}]}}"#;
    let mut warnings = Vec::new();
    let list = decode_anak(body, &nip(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let anak = &list[0];
    assert_eq!(anak.id.as_deref(), Some("a"));
    assert_eq!(anak.nama.as_deref(), Some("BUDI"));
    assert_eq!(anak.jenis_kelamin, Some(JenisKelamin::LakiLaki));
    assert_eq!(anak.tgl_lahir, date(2010, 5, 6));
    assert_eq!(anak.jenis_anak.as_deref(), Some("1"));
    assert_eq!(anak.status_hidup.as_deref(), Some("1"));
    assert_eq!(anak.akta_kelahiran, None);
}

#[test]
fn orang_tua_ayah_ibu_objects() {
    let body = r#"{"code":1,"data":{"idPns":"P",
        "ayah":{"id":"A","nama":"AYAH","jenisKelamin":"M","tglLahir":"01-01-1940","tglMeninggal":"02-02-2010","StatusHidup":"2","aktaMeninggal":"AK/1"},
        "ibu":{"id":"I","nama":"IBU","jenisKelamin":"F","tglLahir":"01-01-1945","tglMeninggal":"01-01-0001","StatusHidup":"1"}}}"#;
    let mut warnings = Vec::new();
    let list = decode_orang_tua(body, &nip(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].hubungan.as_deref(), Some("ayah"));
    assert_eq!(list[0].nama.as_deref(), Some("AYAH"));
    assert_eq!(list[0].tgl_meninggal, date(2010, 2, 2));
    assert_eq!(list[0].akta_meninggal.as_deref(), Some("AK/1"));
    assert_eq!(list[0].status_hidup.as_deref(), Some("2"));
    assert_eq!(list[1].hubungan.as_deref(), Some("ibu"));
    assert_eq!(list[1].jenis_kelamin, Some(JenisKelamin::Perempuan));
    assert_eq!(list[1].tgl_meninggal, None);
    assert_eq!(list[1].tgl_lahir, date(1945, 1, 1));
}

#[test]
fn orang_tua_other_shapes() {
    let mut warnings = Vec::new();
    let list = decode_orang_tua(r#"{"code":1,"data":{"ayah":null,"ibu":{"nama":"IBU"}}}"#, &nip(), &mut warnings);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].hubungan.as_deref(), Some("ibu"));

    let list = decode_orang_tua(
        r#"{"code":1,"data":{"listOrtu":[{"id":"A","nama":"X","hubungan":"AYAH"},{"id":"B","nama":"Y"}]}}"#,
        &nip(),
        &mut warnings,
    );
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].hubungan.as_deref(), Some("AYAH"));
    assert_eq!(list[1].hubungan, None, "never guessed");

    let list = decode_orang_tua(r#"[{"nama":"X"},{"nama":"Y"},"z"]"#, &nip(), &mut warnings);
    assert_eq!(list.len(), 2);
    let list = decode_orang_tua(r#"{"code":1,"data":{"id":"A","nama":"SATU"}}"#, &nip(), &mut warnings);
    assert_eq!(list[0].nama.as_deref(), Some("SATU"));
    assert_eq!(warnings.len(), 1, "only the string row: {warnings:?}");
    assert_eq!(warnings[0].field, "data-ortu[2]");

    let mut warnings = Vec::new();
    assert!(decode_orang_tua(r#"{"code":0,"data":"Data tidak ditemukan"}"#, &nip(), &mut warnings).is_empty());
    assert!(warnings.is_empty());
    assert!(decode_orang_tua(r#"{"code":1,"data":{"ayah":"x"}}"#, &nip(), &mut warnings).is_empty());
    assert!(decode_orang_tua(r#"{"code":1,"data":{"foo":1}}"#, &nip(), &mut warnings).is_empty());
    assert!(decode_orang_tua("{", &nip(), &mut warnings).is_empty());
    let fields: Vec<_> = warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["data-ortu.ayah", "data-ortu", "data-ortu"]);
}

#[test]
fn a_not_found_text_in_place_of_the_list_is_none_without_a_warning() {
    let mut warnings = Vec::new();
    let body = r#"{"code":1,"data":{"listAnak":"Data tidak ditemukan"}}"#;
    assert!(decode_anak(body, &nip(), &mut warnings).is_empty());
    let body = r#"{"CODE":1,"DATA":{"listPasangan":"record not found"}}"#;
    assert!(decode_pasangan(body, &nip(), &mut warnings).is_empty());
    assert!(decode_anak(r#"{"code":0,"data":[]}"#, &nip(), &mut warnings).is_empty());
    assert!(warnings.is_empty(), "{warnings:?}");
}
