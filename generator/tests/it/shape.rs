//! The kabupaten's shape: determinism, the unit tree, the mix of pegawai, unique NIPs, names, and the exact keys of
//! the fixture's files; plus the written folder and (ignored) the 250,000-pegawai scale run.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Instant;

use generator::{Config, ENDPOINTS, Generator, csv_bytes, generate, ringkasan, write_all, write_ws_dir};
use model::siasn::lists::{UnorTree, decode_ref_unor};
use serde_json::Value;

use crate::{config, count_by, fixtures_dir, kab_2000, kab_8000, text};

#[test]
fn the_same_config_gives_the_same_bytes_and_another_seed_does_not() {
    let config = config(600);
    let first = csv_bytes(&config);
    assert_eq!(first, csv_bytes(&config));
    assert_eq!(generate(&config), generate(&config));
    let other = csv_bytes(&Config { seed: 2, ..config });
    assert_ne!(first, other);
    // The streaming CSV equals the CSV of the collected kabupaten.
    let mut collected = Vec::new();
    generator::write_csv(&generate(&config), &mut collected).unwrap();
    assert_eq!(first, collected);
    assert_eq!(first.split(|byte| *byte == b'\n').filter(|line| !line.is_empty()).count(), 601);
}

fn tree_of(unor: &[Value]) -> UnorTree {
    let body = serde_json::json!({"code": 1, "data": unor}).to_string();
    let mut warnings = Vec::new();
    let tree = UnorTree::new(decode_ref_unor(&body, &mut warnings), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:#?}");
    tree
}

#[test]
fn the_unit_tree_looks_like_a_kabupaten() {
    for pegawai in [50, 2_000, 8_000] {
        let generator = Generator::new(&config(pegawai));
        let tree = tree_of(generator.unor());
        let roots = tree.roots();
        assert_eq!(roots.len(), 1);
        let root = roots[0];
        assert_eq!(root.nama_unor.as_deref(), Some("PEMERINTAH KABUPATEN CONTOH UTARA"));
        assert_eq!(root.id, generator.instansi().root_unor_id);
        let opd = tree.children(&root.id);
        assert!((35..=60).contains(&opd.len()), "{pegawai}: {} OPD", opd.len());
        let sekda = opd.iter().find(|unit| unit.nama_unor.as_deref() == Some("SEKRETARIAT DAERAH")).unwrap();
        assert_eq!(sekda.eselon_id.as_deref(), Some("21"));
        let asisten = tree.children(&sekda.id);
        assert_eq!(asisten.len(), 3);
        assert!(asisten.iter().all(|unit| unit.eselon_id.as_deref() == Some("22")));
        assert!(
            opd.iter().filter(|unit| unit.nama_unor.as_deref().is_some_and(|n| n.starts_with("KECAMATAN"))).count()
                >= 8
        );

        let mut sekolah = 0;
        let mut puskesmas = 0;
        for unit in tree.units() {
            let nama = unit.nama_unor.as_deref().unwrap_or("");
            let induk = tree.opd_of(&unit.id).and_then(|opd| opd.nama_unor.as_deref()).unwrap_or("");
            if nama.starts_with("SD NEGERI") || nama.starts_with("SMP NEGERI") {
                sekolah += 1;
                assert_eq!(induk, "DINAS PENDIDIKAN DAN KEBUDAYAAN", "{nama}");
                assert_eq!(unit.eselon_id, None, "{nama}");
                assert_eq!(unit.nama_jabatan.as_deref(), Some(format!("KEPALA {nama}").as_str()));
            }
            if nama.starts_with("UPT PUSKESMAS") {
                puskesmas += 1;
                assert_eq!(induk, "DINAS KESEHATAN", "{nama}");
                assert_eq!(unit.eselon_id.as_deref(), Some("41"));
            }
            if nama.starts_with("KELURAHAN") {
                assert_eq!(unit.eselon_id.as_deref(), Some("41"));
                assert!(induk.starts_with("KECAMATAN"), "{nama} under {induk}");
            }
        }
        assert!(sekolah >= 6, "{pegawai}: {sekolah} schools");
        assert!(puskesmas >= 8, "{pegawai}: {puskesmas} puskesmas");
        // Both id styles of SI-ASN appear.
        let lower =
            tree.units().iter().filter(|unit| unit.id.starts_with("ff808081") || unit.id.starts_with("8ae483")).count();
        let upper = tree.units().iter().filter(|unit| unit.id.contains("E040640A")).count();
        assert!(lower > 0 && upper > lower, "{lower} lower-case ids, {upper} upper-case ids");
        assert!(tree.units().iter().all(|unit| unit.id.len() == 32));
    }
}

#[test]
fn eight_thousand_pegawai_have_the_planned_mix_and_unique_nips() {
    let config = config(8_000);
    let kab = kab_8000();
    assert_eq!(kab.pegawai.len(), 8_000);
    let nips: HashSet<&str> = kab.pegawai.iter().map(|pegawai| pegawai.nip.as_str()).collect();
    assert_eq!(nips.len(), 8_000, "NIPs are unique");
    let mut prefixes = BTreeMap::new();
    for nip in &nips {
        assert_eq!(nip.len(), 18);
        *prefixes.entry(&nip[..15]).or_insert(0usize) += 1;
    }

    let share = |predicate: &dyn Fn(&Value) -> bool| {
        let count = kab.pegawai.iter().filter(|pegawai| predicate(&pegawai.data_utama)).count();
        count as f64 * 100.0 / 8_000.0
    };
    let near = |name: &str, got: f64, target: f64| {
        assert!((got - target).abs() <= 5.0, "{name}: {got:.1}% (target {target}%)");
    };
    near("PNS", share(&|data| text(data, "statusPegawai") == "PNS"), 75.0);
    near("CPNS", share(&|data| text(data, "statusPegawai") == "CPNS"), 5.0);
    near("PPPK", share(&|data| text(data, "statusPegawai") == "PPPK"), 20.0);
    near("guru", share(&|data| text(data, "jabatanNama").starts_with("Guru ")), 45.0);
    near("struktural", share(&|data| text(data, "jenisJabatanId") == "1"), 8.0);
    near("pelaksana", share(&|data| text(data, "jenisJabatanId") == "4"), 30.0);
    let nakes = ["Perawat", "Bidan", "Dokter", "Apoteker", "Asisten Apoteker", "Pranata Laboratorium", "Nutrisionis"];
    near("nakes", share(&|data| nakes.iter().any(|name| text(data, "jabatanNama").starts_with(name))), 11.0);

    // Every struktural head leads a distinct unit, and that unit is the jabatan id.
    let heads: Vec<&Value> = kab
        .pegawai
        .iter()
        .map(|pegawai| &pegawai.data_utama)
        .filter(|data| text(data, "jenisJabatanId") == "1")
        .collect();
    let led: HashSet<&str> = heads.iter().map(|data| text(data, "jabatanStrukturalId")).collect();
    assert_eq!(led.len(), heads.len());
    assert!(heads.iter().all(|data| text(data, "jabatanStrukturalId") == text(data, "unorId")));

    // PPPK carry NI PPPK (digits 13–14 are 21), no golongan, no TMT CPNS/PNS, kedudukan 71 unless ACC_4.
    for pegawai in &kab.pegawai {
        let data = &pegawai.data_utama;
        if text(data, "statusPegawai") == "PPPK" {
            assert_eq!(&pegawai.nip[12..14], "21");
            assert!(data["golRuangAkhirId"].is_null() && data["tmtCpns"].is_null() && data["tmtPns"].is_null());
            assert!(pegawai.riwayat["rw-golongan"].is_none());
            let expected = if pegawai.anomali.contains(&"ACC_4") { "01" } else { "71" };
            assert_eq!(text(data, "kedudukanPnsId"), expected);
        }
    }

    let summary = ringkasan(kab, &config);
    assert_eq!(summary["pegawai"], 8_000);
    assert!((35..=60).contains(&summary["opd"].as_u64().unwrap()));
    let injected: u64 = summary["anomali_per_ikd"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert!((320..=480).contains(&injected), "{injected} anomalies at 5%");
}

#[test]
fn names_are_varied_and_no_three_letter_prefix_dominates() {
    let kab = kab_8000();
    let names: Vec<&str> = kab.pegawai.iter().map(|pegawai| text(&pegawai.data_utama, "nama")).collect();
    let distinct: HashSet<&str> = names.iter().copied().collect();
    assert!(distinct.len() as f64 >= names.len() as f64 * 0.93, "{} distinct names of {}", distinct.len(), names.len());
    // Search-as-you-type matches a prefix on any word of the name.
    let mut per_prefix: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        let prefixes: BTreeSet<String> =
            name.split(' ').filter(|word| word.len() >= 3).map(|word| word[..3].to_owned()).collect();
        for prefix in prefixes {
            *per_prefix.entry(prefix).or_default() += 1;
        }
    }
    let (top, count) = per_prefix.iter().max_by_key(|(_, count)| **count).unwrap();
    let share = *count as f64 / names.len() as f64;
    let mut counts: Vec<usize> = per_prefix.values().copied().collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2] as f64 / names.len() as f64;
    println!(
        "3-letter prefixes: {} distinct; the most common, {top}, in {count} of {} names ({:.1}%); median {:.2}%",
        counts.len(),
        names.len(),
        share * 100.0,
        median * 100.0
    );
    // At 250,000 pegawai: a typical prefix matches hundreds, the most common (RAH…) about a twentieth.
    assert!(median < 0.004, "median prefix matches {:.2}% of names", median * 100.0);
    assert!(share < 0.08, "{top} matches {:.1}% of names", share * 100.0);
    assert!(counts.len() > 400, "{} distinct prefixes", counts.len());
    // Regions show: Balinese birth-order names, Batak marga, Banjar and Bugis names.
    for marker in ["NI ", "SIMANJUNTAK", "NOOR", "BAHARUDDIN", "WIBOWO", "SUPRIATNA"] {
        assert!(names.iter().any(|name| name.contains(marker)), "no {marker}");
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().map(|object| object.keys().cloned().collect()).unwrap_or_default()
}

fn fixture(endpoint: &str, nip: &str) -> Value {
    let text = std::fs::read_to_string(fixtures_dir().join("ws").join(endpoint).join(format!("{nip}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_object_has_exactly_the_fixture_keys_and_string_scalars() {
    // A struktural PNS with every riwayat in the fixture.
    let nip = "198811242015011002";
    let utama = keys(&fixture("data-utama", nip)["data"]);
    let row_keys = |endpoint: &str| keys(&fixture(endpoint, nip)["data"][0]);
    let pasangan = fixture("data-pasangan", nip);
    let anak = fixture("data-anak", nip);
    let penghargaan = keys(&fixture("rw-penghargaan", "196407241988032001")["data"][0]);
    let kab = kab_2000();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for pegawai in &kab.pegawai {
        assert_eq!(keys(&pegawai.data_utama), utama, "{}", pegawai.nip);
        for (key, value) in pegawai.data_utama.as_object().unwrap() {
            assert!(value.is_string() || value.is_null(), "{} {key}: {value}", pegawai.nip);
        }
        for (endpoint, data) in &pegawai.riwayat {
            let Some(data) = data else { continue };
            *seen.entry(endpoint).or_default() += 1;
            match *endpoint {
                "data-pasangan" => {
                    assert_eq!(keys(data), keys(&pasangan["data"]));
                    let item = &data["listPasangan"][0];
                    assert_eq!(keys(item), keys(&pasangan["data"]["listPasangan"][0]));
                    assert_eq!(keys(&item["orang"]), keys(&pasangan["data"]["listPasangan"][0]["orang"]));
                    assert_eq!(
                        keys(&item["dataPernikahan"]),
                        keys(&pasangan["data"]["listPasangan"][0]["dataPernikahan"])
                    );
                }
                "data-anak" => {
                    assert_eq!(keys(data), keys(&anak["data"]));
                    for item in data["listAnak"].as_array().unwrap() {
                        assert_eq!(keys(item), keys(&anak["data"]["listAnak"][0]));
                    }
                }
                endpoint => {
                    let expected = if endpoint == "rw-penghargaan" { penghargaan.clone() } else { row_keys(endpoint) };
                    for row in data.as_array().unwrap() {
                        assert_eq!(keys(row), expected, "{} {endpoint}", pegawai.nip);
                    }
                }
            }
        }
    }
    for endpoint in generator::RIWAYAT_ENDPOINTS {
        assert!(seen.get(endpoint).copied().unwrap_or(0) > 10, "{endpoint}: {seen:?}");
    }
}

#[test]
fn the_written_folders_mirror_the_fixture_layout() {
    let dir = std::env::temp_dir().join(format!("luring-generator-it-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = config(60);
    let summary = write_all(&config, &dir).unwrap();
    assert_eq!(summary["pegawai"], 60);
    let kab = generate(&config);
    // The CSV on disk is the streaming CSV.
    assert_eq!(std::fs::read(dir.join("export-data-asn.csv")).unwrap(), csv_bytes(&config));
    let status: BTreeMap<String, u16> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ws/_status.json")).unwrap()).unwrap();
    assert_eq!(status.len(), 60 * ENDPOINTS.len());
    for pegawai in &kab.pegawai {
        for endpoint in ENDPOINTS {
            let key = format!("{endpoint}/{}.json", pegawai.nip);
            let written = std::fs::read_to_string(dir.join("ws").join(&key)).unwrap();
            assert_eq!(written, crate::body(pegawai, endpoint), "{key}");
            let expected = if written.starts_with(r#"{"code":1"#) { 200 } else { 404 };
            assert_eq!(status[&key], expected, "{key}");
        }
    }
    let ref_unor: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ws/ref-unor.json")).unwrap()).unwrap();
    assert_eq!(ref_unor["data"].as_array().unwrap(), &kab.unor);
    let written_summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ringkasan.json")).unwrap()).unwrap();
    assert_eq!(written_summary, summary);
    assert_eq!(summary, ringkasan(&kab, &config));

    // write_ws_dir writes the same folder from the collected kabupaten.
    let again = dir.join("again");
    write_ws_dir(&kab, &again).unwrap();
    let same =
        |path: &str| std::fs::read(dir.join("ws").join(path)).unwrap() == std::fs::read(again.join(path)).unwrap();
    assert!(same("_status.json") && same("ref-unor.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn summary_counts_add_up() {
    let config = config(2_000);
    let kab = kab_2000();
    let summary = ringkasan(kab, &config);
    for key in ["by_jenis_asn", "by_golongan", "by_jenis_jabatan", "by_opd"] {
        let total: u64 = summary[key].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(total, 2_000, "{key}");
    }
    let by_opd = count_by(&kab.pegawai, |pegawai| text(&pegawai.data_utama, "unorIndukNama").to_owned());
    assert_eq!(
        summary["by_opd"]["DINAS PENDIDIKAN DAN KEBUDAYAAN"].as_u64().unwrap() as usize,
        by_opd["DINAS PENDIDIKAN DAN KEBUDAYAAN"]
    );
}

/// Peak resident memory of this process in MB (Linux `VmHWM`), 0 elsewhere.
fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap_or("");
    line.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).unwrap_or(0) / 1024
}

/// `cargo test -p generator --release --test it -- --ignored --nocapture scale` prints the timings.
#[test]
#[ignore = "a scale measurement; run in release"]
fn scale_250_thousand_pegawai() {
    let config = config(250_000);
    let start = Instant::now();
    let csv = csv_bytes(&config);
    let csv_time = start.elapsed();
    let decoded = model::siasn::export::decode(&csv);
    assert_eq!(decoded.records.len(), 250_000);
    let nips: HashSet<&str> = decoded.records.iter().map(|record| record.data_utama.nip.as_str()).collect();
    assert_eq!(nips.len(), 250_000, "NIPs are unique");
    drop(nips);
    drop(decoded);

    let start = Instant::now();
    let mut count = 0usize;
    for pegawai in Generator::new(&config) {
        count += usize::from(!pegawai.nip.is_empty());
    }
    let streamed = start.elapsed();
    assert_eq!(count, 250_000);
    println!(
        "250,000 pegawai: csv_bytes {csv_time:.2?} ({} MB), Generator (JSON values) {streamed:.2?}; peak RSS {} MB",
        csv.len() / 1_000_000,
        peak_rss_mb()
    );
}
