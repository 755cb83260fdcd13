//! Careers an officer would recognise: NIP and NIK agree with the record, golongan awal follows the ijazah, KP steps
//! are four years apart on KP dates and never exceed the ijazah by KP reguler, masa kerja follows the TMT, data
//! utama agrees with the last riwayat rows, SKP kuadran follows the matrix, keluarga fits the ages.

use chrono::{Datelike, NaiveDate};
use generator::GeneratedPegawai;
use model::referensi::referensi;
use model::rules::masa_kerja::whole_months_between;
use serde_json::Value;

use crate::{kab_2000, kab_8000, text, today};

fn date(value: &str) -> NaiveDate {
    NaiveDate::parse_from_str(value, "%d-%m-%Y").unwrap_or_else(|_| panic!("not dd-mm-yyyy: {value:?}"))
}

fn rows<'a>(pegawai: &'a GeneratedPegawai, endpoint: &str) -> &'a [Value] {
    pegawai.riwayat[endpoint].as_ref().and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn rank(id: &str) -> u8 {
    referensi().golongan_urutan(id).unwrap()
}

/// True for a KP date: 1 April or 1 October before 2000, a date of the calendar in force after.
fn is_kp_date(tmt: NaiveDate) -> bool {
    if tmt.year() < 2000 {
        return tmt.day() == 1 && matches!(tmt.month(), 4 | 10);
    }
    referensi().periode_kp_pada(tmt).is_some_and(|periode| periode.tanggal_kp(tmt))
}

#[test]
fn careers_are_consistent() {
    let kab = kab_2000();
    let mut steps_checked = 0;
    for pegawai in &kab.pegawai {
        let data = &pegawai.data_utama;
        let nip = &pegawai.nip;
        let anomali = pegawai.anomali.first().copied();
        let status = text(data, "statusPegawai");

        // Identity: NIP digits 1–8 are the birth date, digit 15 the sex (unless CON_2/CON_3); NIK agrees.
        let lahir = date(text(data, "tglLahir"));
        if anomali != Some("CON_2") {
            assert_eq!(&nip[..8], lahir.format("%Y%m%d").to_string(), "{nip}");
        }
        let wanita = text(data, "jenisKelamin") == "F";
        if anomali != Some("CON_3") {
            assert_eq!(&nip[14..15], if wanita { "2" } else { "1" }, "{nip}");
        }
        if anomali != Some("ACC_5") {
            let nik = text(data, "nik");
            assert_eq!(nik.len(), 16, "{nip}");
            let hari = lahir.day() + if wanita { 40 } else { 0 };
            assert_eq!(&nik[6..12], format!("{hari:02}{:02}{:02}", lahir.month(), lahir.year() % 100), "{nip}");
        }
        assert!((1960..=2004).contains(&lahir.year()), "{nip} born {lahir}");

        // Data utama agrees with the last riwayat rows.
        let jabatan = rows(pegawai, "rw-jabatan");
        let last_jabatan = jabatan.last().unwrap();
        assert_eq!(text(data, "tmtJabatan"), text(last_jabatan, "tmtJabatan"), "{nip}");
        assert_eq!(text(data, "unorId"), text(last_jabatan, "unorId"), "{nip}");
        for pair in jabatan.windows(2) {
            assert!(date(text(&pair[0], "tmtJabatan")) <= date(text(&pair[1], "tmtJabatan")), "{nip}");
        }
        if anomali != Some("COM_3") {
            let pendidikan = rows(pegawai, "rw-pendidikan");
            let last = pendidikan.last().unwrap();
            assert_eq!(text(data, "pendidikanTerakhirNama"), text(last, "pendidikanNama"), "{nip}");
            assert_eq!(pendidikan.iter().filter(|row| text(row, "isPendidikanPertama") == "1").count(), 1);
            let tingkat: u32 = text(data, "tkPendidikanTerakhirId").parse().unwrap();
            if tingkat >= 20 && anomali != Some("COM_5") {
                assert!(!text(data, "gelarBelakang").is_empty() || !text(data, "gelarDepan").is_empty(), "{nip}");
            }
        }

        if status == "PPPK" {
            continue;
        }
        let golongan = rows(pegawai, "rw-golongan");
        let last = golongan.last().unwrap();
        assert_eq!(text(data, "golRuangAkhirId"), text(last, "golonganId"), "{nip}");
        assert_eq!(text(data, "tmtGolAkhir"), text(last, "tmtGolongan"), "{nip}");
        assert_eq!(text(data, "mkTahun"), text(last, "masaKerjaGolonganTahun"), "{nip}");
        assert_eq!(text(data, "mkBulan"), text(last, "masaKerjaGolonganBulan"), "{nip}");
        assert!(date(text(last, "tmtGolongan")) <= today(), "{nip}");

        // Golongan awal from the ijazah held at appointment; the first row is the pengadaan (211) at TMT CPNS.
        let first = &golongan[0];
        assert_eq!(text(first, "jenisKPId"), "211");
        assert_eq!(text(data, "golRuangAwalId"), text(first, "golonganId"));
        let tmt_cpns = date(text(first, "tmtGolongan"));
        assert_eq!(&nip[8..14], tmt_cpns.format("%Y%m").to_string(), "{nip}: NIP carries the TMT CPNS");
        if anomali != Some("COM_3") {
            let pertama =
                rows(pegawai, "rw-pendidikan").iter().find(|row| text(row, "isPendidikanPertama") == "1").unwrap();
            let tingkat = referensi().tingkat_pendidikan(text(pertama, "tkPendidikanId")).unwrap();
            let nama = text(pertama, "pendidikanNama");
            let expected =
                if nama.contains("DOKTER") || nama.contains("APOTEKER") { "32" } else { &tingkat.golongan_awal_id };
            assert_eq!(text(first, "golonganId"), expected, "{nip} {nama}");
        }

        // KP steps: on a KP date, four years or more apart (penyesuaian ijazah aside), one golongan up, MKG
        // following the TMT, reguler never above the ijazah's maximum.
        let pendidikan = rows(pegawai, "rw-pendidikan");
        for pair in golongan.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let (from, to) = (date(text(before, "tmtGolongan")), date(text(after, "tmtGolongan")));
            let jenis = text(after, "jenisKPId");
            assert!(is_kp_date(to), "{nip}: {to} is not a KP date");
            if jenis != "203" {
                assert!(model::date::add_years(from, 4) <= to, "{nip}: {from} → {to}");
                assert_eq!(rank(text(after, "golonganId")), rank(text(before, "golonganId")) + 1, "{nip}");
            }
            let mk = |row: &Value| {
                text(row, "masaKerjaGolonganTahun").parse::<i64>().unwrap() * 12
                    + text(row, "masaKerjaGolonganBulan").parse::<i64>().unwrap()
            };
            let reduksi = if jenis == "203" { mk(before) + whole_months_between(from, to) - mk(after) } else { 0 };
            // Moving up a golongan by penyesuaian ijazah takes 5 (II→III) or 6 (I→II) years off, never below zero.
            assert!(matches!(reduksi, 0 | 60 | 72) || (mk(after) == 0 && reduksi < 72), "{nip}: MKG {reduksi}");
            if jenis != "203" {
                assert_eq!(mk(after), mk(before) + whole_months_between(from, to), "{nip}");
            }
            if jenis == "101" && !pendidikan.is_empty() {
                let maks = pendidikan
                    .iter()
                    .filter(|row| date(text(row, "tglLulus")) <= to)
                    .map(|row| {
                        let nama = text(row, "pendidikanNama");
                        let tingkat = referensi().tingkat_pendidikan(text(row, "tkPendidikanId")).unwrap();
                        if tingkat.id == "40" && (nama.contains("DOKTER") || nama.contains("APOTEKER")) {
                            rank("41")
                        } else {
                            rank(&tingkat.golongan_maks_id)
                        }
                    })
                    .max()
                    .unwrap();
                assert!(rank(text(after, "golonganId")) <= maks, "{nip}: KP reguler above the ijazah");
            }
            steps_checked += 1;
        }

        // TMT PNS a year or more after TMT CPNS, unless ACC_1/COM_4.
        if status == "PNS" && !matches!(anomali, Some("ACC_1") | Some("COM_4") | Some("CON_1")) {
            let tmt_pns = date(text(data, "tmtPns"));
            assert!(model::date::add_years(date(text(data, "tmtCpns")), 1) <= tmt_pns, "{nip}");
        }
        if status == "CPNS" && anomali != Some("TIM_3") {
            assert!(model::date::add_years(date(text(data, "tmtCpns")), 1) >= today(), "{nip}");
        }
    }
    assert!(steps_checked > 2_000, "{steps_checked} KP steps checked");
}

#[test]
fn struktural_heads_hold_the_pangkat_of_their_eselon() {
    let kab = kab_8000();
    let mut heads = 0;
    for pegawai in &kab.pegawai {
        let data = &pegawai.data_utama;
        if text(data, "jenisJabatanId") != "1" {
            continue;
        }
        heads += 1;
        let eselon = referensi().eselon(text(data, "eselonId")).unwrap();
        let golongan = rank(text(data, "golRuangAkhirId"));
        let min = rank(eselon.pangkat_min_id.as_deref().unwrap());
        if pegawai.anomali.contains(&"ACC_10") {
            assert!(golongan < min);
        } else {
            assert!(golongan >= min, "{}: {} below {}", pegawai.nip, text(data, "golRuangAkhir"), eselon.nama);
        }
        // KP pilihan struktural only beyond the ijazah, and a diklat for the post.
        assert!(rows(pegawai, "rw-diklat").iter().any(|row| !text(row, "latihanStrukturalId").is_empty()));
        let jabatan = rows(pegawai, "rw-jabatan");
        assert_eq!(text(jabatan.last().unwrap(), "namaJabatan"), text(data, "jabatanNama"));
        assert_eq!(text(&jabatan[0], "jenisJabatan"), "4", "{}: starts as pelaksana", pegawai.nip);
    }
    assert!(heads > 500, "{heads} heads");
}

#[test]
fn skp_keluarga_and_penghargaan_fit_the_record() {
    let kab = kab_2000();
    for pegawai in &kab.pegawai {
        let data = &pegawai.data_utama;
        let nip = &pegawai.nip;
        for row in rows(pegawai, "rw-skp22") {
            let hasil = row["hasilKinerjaNilai"].as_u64().unwrap();
            let perilaku = row["PerilakuKerjaNilai"].as_u64().unwrap();
            let kuadran = row["KuadranKinerjaNilai"].as_u64().unwrap();
            let expected = match (hasil, perilaku) {
                (1, 1) => 1,
                (1 | 2, 1 | 2) => 2,
                (3, 1 | 2) => 3,
                other => panic!("{nip}: perilaku di bawah ekspektasi {other:?}"),
            };
            assert_eq!(kuadran, expected, "{nip}");
            let tahun = row["tahun"].as_i64().unwrap();
            assert!((2023..=2025).contains(&tahun), "{nip}: SKP {tahun}");
        }
        let anak = pegawai.riwayat["data-anak"].as_ref().map_or(0, |value| value["listAnak"].as_array().unwrap().len());
        assert_eq!(text(data, "jumlahAnak"), anak.to_string(), "{nip}");
        let lahir = date(text(data, "tglLahir"));
        if let Some(value) = &pegawai.riwayat["data-pasangan"] {
            let item = &value["listPasangan"][0];
            let menikah = date(text(&item["dataPernikahan"], "tgglMenikah"));
            assert!(whole_months_between(lahir, menikah) >= 12 * 17, "{nip}: married at {menikah}");
            assert_ne!(text(&item["orang"], "jenisKelamin"), text(data, "jenisKelamin"));
            for child in value_list(&pegawai.riwayat["data-anak"]) {
                assert!(date(text(child, "tglLahir")) > menikah, "{nip}");
                assert!(date(text(child, "tglLahir")) < today(), "{nip}");
            }
        } else {
            assert_eq!(text(data, "jenisKawinId"), "4", "{nip}");
        }
        for row in rows(pegawai, "rw-penghargaan") {
            let years = match text(row, "hargaId") {
                "201" => 10,
                "202" => 20,
                _ => 30,
            };
            let first = rows(pegawai, "rw-golongan").first().map(|row| date(text(row, "tmtGolongan"))).unwrap();
            assert!(text(row, "tahun").parse::<i32>().unwrap() >= first.year() + years, "{nip}");
        }
    }
}

fn value_list(value: &Option<Value>) -> &[Value] {
    value.as_ref().and_then(|value| value["listAnak"].as_array()).map_or(&[], Vec::as_slice)
}
