//! Unit tests of the generator's building blocks: the PRNG, ids and dates, the KP calendar walk, the kuadran
//! matrix, golongan from ijazah, jenjang by golongan, apportionment and the personal-detail formats.

use chrono::NaiveDate;

use crate::ids::{dmy, guid_baru, guid_lama, guid_pada, ref_id, uuid4, whole_months};
use crate::katalog::{self, Kategori};
use crate::nama::{self, Wilayah};
use crate::profil::{kuadran, tanggal_kp};
use crate::rencana::apportion;
use crate::rng::Rng;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn same_seed_and_stream_give_the_same_sequence() {
    let mut a = Rng::new(42, 7);
    let mut b = Rng::new(42, 7);
    let left: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
    let right: Vec<u64> = (0..100).map(|_| b.next_u64()).collect();
    assert_eq!(left, right);
}

#[test]
fn streams_and_seeds_are_independent() {
    let first = |seed, stream| Rng::new(seed, stream).next_u64();
    assert_ne!(first(1, 0), first(1, 1));
    assert_ne!(first(1, 0), first(2, 0));
    assert_ne!(first(0, 0), 0);
}

#[test]
fn xoshiro_matches_its_reference_step() {
    // xoshiro256** from a known state: the first output is rotl(s1 * 5, 7) * 9.
    let mut rng = Rng::new(0, 0);
    let copy = rng.clone();
    let first = rng.next_u64();
    let mut again = copy;
    assert_eq!(first, again.next_u64());
    assert_ne!(first, rng.next_u64());
}

#[test]
fn draws_stay_in_range_and_cover_it() {
    let mut rng = Rng::new(3, 3);
    let mut seen = [0usize; 6];
    for _ in 0..6000 {
        let value = rng.range(10, 15);
        assert!((10..=15).contains(&value));
        seen[(value - 10) as usize] += 1;
    }
    assert!(seen.iter().all(|&count| (850..1150).contains(&count)), "{seen:?}");
    assert_eq!(rng.range(5, 5), 5);
    assert_eq!(rng.range(5, 4), 5);
    assert_eq!(rng.below(0), 0);
    let mut items = [1, 2, 3, 4, 5];
    rng.shuffle(&mut items);
    items.sort_unstable();
    assert_eq!(items, [1, 2, 3, 4, 5]);
}

#[test]
fn weighted_draws_follow_the_weights() {
    let mut rng = Rng::new(9, 1);
    let mut counts = [0usize; 3];
    for _ in 0..10_000 {
        counts[rng.weighted(&[1.0, 0.0, 3.0])] += 1;
    }
    assert_eq!(counts[1], 0);
    assert!((2250..2750).contains(&counts[0]), "{counts:?}");
}

#[test]
fn ids_have_both_si_asn_styles() {
    let mut rng = Rng::new(5, 5);
    let lama = guid_lama(&mut rng);
    assert_eq!(lama.len(), 32);
    assert_eq!(&lama[16..24], "E040640A");
    assert!(lama.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    for _ in 0..20 {
        let baru = guid_baru(&mut rng);
        assert_eq!(baru.len(), 32);
        assert!(baru.starts_with("ff808081") || baru.starts_with("8ae483"), "{baru}");
        assert!(baru.chars().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    }
    assert!(guid_pada(&mut rng, 2005).contains("E040640A"));
    assert!(!guid_pada(&mut rng, 2022).contains("E040640A"));
    let uuid = uuid4(&mut rng);
    let parts: Vec<&str> = uuid.split('-').collect();
    assert_eq!(parts.iter().map(|part| part.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
    assert!(parts[2].starts_with('4') && "89ab".contains(&parts[3][..1]));
    // Reference ids are fixed by name.
    assert_eq!(ref_id("jabatan", "Guru Ahli Pertama"), ref_id("jabatan", "Guru Ahli Pertama"));
    assert_ne!(ref_id("jabatan", "Guru Ahli Pertama"), ref_id("jabatan", "Guru Ahli Muda"));
    assert_eq!(dmy(date(2024, 3, 1)), "01-03-2024");
    assert_eq!(whole_months(date(2020, 1, 1), date(2026, 11, 30)), 82);
}

#[test]
fn kp_dates_follow_the_calendar_in_force() {
    assert_eq!(tanggal_kp(date(1991, 3, 1)), date(1991, 4, 1));
    assert_eq!(tanggal_kp(date(1991, 4, 2)), date(1991, 10, 1));
    assert_eq!(tanggal_kp(date(1995, 11, 1)), date(1996, 4, 1));
    assert_eq!(tanggal_kp(date(2010, 5, 1)), date(2010, 10, 1));
    assert_eq!(tanggal_kp(date(2024, 3, 1)), date(2024, 4, 1));
    assert_eq!(tanggal_kp(date(2025, 11, 1)), date(2025, 11, 1));
}

#[test]
fn kuadran_follows_the_permenpanrb_6_2022_matrix() {
    assert_eq!(kuadran(1, 1), 1);
    assert_eq!(kuadran(1, 2), 2);
    assert_eq!(kuadran(2, 1), 2);
    assert_eq!(kuadran(2, 2), 2);
    assert_eq!(kuadran(3, 1), 3);
    assert_eq!(kuadran(3, 2), 3);
    assert_eq!(kuadran(2, 3), 4);
    assert_eq!(kuadran(3, 3), 5);
}

#[test]
fn golongan_follows_the_ijazah() {
    assert_eq!(katalog::golongan_awal_maks(&katalog::S1_PGSD), ("31", "34"));
    assert_eq!(katalog::golongan_awal_maks(&katalog::D3_PERAWAT), ("23", "33"));
    assert_eq!(katalog::golongan_awal_maks(&katalog::SLTA[0]), ("21", "32"));
    assert_eq!(katalog::golongan_awal_maks(&katalog::S1_DOKTER), ("32", "41"));
    assert_eq!(katalog::golongan_awal_maks(&katalog::S1_APOTEKER), ("32", "41"));
    assert_eq!(katalog::golongan_awal_maks(&katalog::S2_SPESIALIS[0]), ("32", "41"));
    assert_eq!(katalog::naik("34"), Some("41"));
    assert_eq!(katalog::naik("45"), None);
}

#[test]
fn jenjang_follows_the_golongan() {
    assert_eq!(katalog::jenjang(Kategori::Keahlian, Some("31")), "PT");
    assert_eq!(katalog::jenjang(Kategori::Keahlian, Some("33")), "MU");
    assert_eq!(katalog::jenjang(Kategori::Keahlian, Some("41")), "MA");
    assert_eq!(katalog::jenjang(Kategori::Keahlian, Some("44")), "UT");
    assert_eq!(katalog::jenjang(Kategori::Keterampilan, Some("23")), "TR");
    assert_eq!(katalog::jenjang(Kategori::Keterampilan, Some("31")), "MH");
    assert_eq!(katalog::jenjang(Kategori::Keterampilan, Some("33")), "PY");
    assert_eq!(katalog::nama_jenjang("MA"), "Ahli Madya");
}

#[test]
fn apportionment_is_exact_and_proportional() {
    assert_eq!(apportion(10, &[0.5, 0.3, 0.2]), vec![5, 3, 2]);
    assert_eq!(apportion(1, &[0.2, 0.7, 0.1]), vec![0, 1, 0]);
    assert_eq!(apportion(0, &[1.0]), vec![0]);
    assert_eq!(apportion(8000, &[0.08, 0.31, 0.02, 0.12]).iter().sum::<usize>(), 8000);
}

#[test]
fn personal_details_have_the_si_asn_formats() {
    let mut rng = Rng::new(8, 8);
    for _ in 0..500 {
        let wilayah = nama::wilayah(&mut rng);
        let wanita = rng.chance(0.5);
        let nama = nama::nama_orang(&mut rng, wilayah, wanita);
        assert!(nama.split(' ').count() >= 2, "{nama}");
        assert!(nama.chars().all(|c| c.is_ascii_uppercase() || c == ' '), "{nama}");
        let email = nama::email(&mut rng, &nama, 7, 1985);
        assert!(model::rules::ikd::email_valid(&email), "{email}");
        let hp = nama::nomor_hp(&mut rng);
        let digits = hp.trim_start_matches('+');
        assert!(digits.starts_with("08") || digits.starts_with("628"), "{hp}");
        assert!((10..=14).contains(&digits.len()), "{hp}");
    }
    let bali = nama::nama_orang(&mut rng, Wilayah::Bali, true);
    assert!(bali.starts_with("NI "), "{bali}");
    assert_eq!(nama::agama(&mut rng, Wilayah::Bali, &bali), "4");
    assert_eq!(nama::agama(&mut rng, Wilayah::Batak, "AHMAD NASUTION"), "1");
}

#[test]
fn local_golongan_tables_match_the_reference_data() {
    let referensi = model::referensi::referensi();
    for (index, row) in referensi.golongan.rows.iter().enumerate() {
        assert_eq!(katalog::urutan(&row.id), referensi.golongan_urutan(&row.id).unwrap());
        assert_eq!(katalog::naik(&row.id), referensi.golongan.rows.get(index + 1).map(|next| next.id.as_str()));
        assert_eq!(katalog::nama_golongan(&row.id), Some((row.nama.as_str(), row.pangkat.as_str())));
    }
    assert_eq!(katalog::urutan("15"), 0);
    assert_eq!(katalog::urutan("46"), 0);
    for row in &referensi.tingkat_pendidikan.rows {
        let expected = (row.golongan_awal_id.as_str(), row.golongan_maks_id.as_str());
        assert_eq!(katalog::rentang_tingkat(&row.id), Some(expected), "{}", row.id);
        assert_eq!(katalog::nama_tingkat(&row.id), row.nama, "{}", row.id);
    }
    for row in &referensi.jenjang_jf.rows {
        assert_eq!(katalog::nama_jenjang(&row.id), row.nama);
    }
}

#[test]
fn dokter_and_apoteker_programs_are_recognised_like_the_kp_rule_does() {
    // model::rules::kp treats an S-1 whose name contains DOKTER or APOTEKER as the Dokter/Apoteker ijazah.
    let programs =
        [katalog::S1_DOKTER, katalog::S1_DOKTER_GIGI, katalog::S1_APOTEKER, katalog::S1_NERS, katalog::S1_KESMAS];
    for program in programs {
        let by_name = program.nama.contains("DOKTER") || program.nama.contains("APOTEKER");
        assert_eq!(katalog::golongan_awal_maks(&program) == ("32", "41"), by_name, "{}", program.nama);
    }
}

#[test]
fn parallel_map_keeps_order_whatever_the_threads() {
    let items: Vec<u64> = (0..1_000).collect();
    let square = |value: &u64| value * value;
    let one = crate::paralel::peta_dengan(&items, 1, square);
    assert_eq!(one, crate::paralel::peta_dengan(&items, 3, square));
    assert_eq!(one, crate::paralel::peta_dengan(&items, 8, square));
    assert_eq!(one[999], 998_001);
}
