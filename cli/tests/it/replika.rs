//! The replica commands end to end: import, search, list, show, check, and no corruption when the import is killed.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::{Temp, cli, fixtures_dir, run, stdout};

#[test]
fn import_then_search_list_show_and_check_the_fixture_kabupaten() {
    let temp = Temp::new("replika");
    let data = temp.path().join("data");
    let data = data.to_str().unwrap();
    let csv = fixtures_dir().join("export-data-asn.csv");
    let unor = fixtures_dir().join("ws/ref-unor.json");
    let output = run(&[
        "--data",
        data,
        "--quiet",
        "import",
        "siasn-csv",
        csv.to_str().unwrap(),
        "--ref-unor",
        unor.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("baru: 60"), "{}", stdout(&output));

    // The same export again changes nothing.
    let output = run(&["--data", data, "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(stdout(&output).contains("baru: 0, berubah: 0, tidak berubah: 60"), "{}", stdout(&output));

    // Search by name prefix and by NIP.
    let output = run(&["--data", data, "pegawai", "search", "ratn", "--json", "--today", "2026-11-30"]);
    let first: serde_json::Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["nip"], "196407241988032001");
    assert_eq!(first["bup"], 65);
    assert_eq!(first["tmt_pensiun"], "2029-08-01");
    let output = run(&["--data", data, "pegawai", "search", "196407241988032001"]);
    assert!(stdout(&output).starts_with("196407241988032001"), "{}", stdout(&output));

    // The listed JSON carries the same facts as inspect --json, for every row (no paging).
    let listed = run(&["--data", data, "pegawai", "list", "--json", "--today", "2026-11-30"]);
    let inspected = run(&[
        "inspect",
        "siasn-csv",
        csv.to_str().unwrap(),
        "--json",
        "--ref-unor",
        unor.to_str().unwrap(),
        "--today",
        "2026-11-30",
    ]);
    let facts = |text: &str| -> BTreeSet<String> {
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|value| value.get("nip").is_some())
            .map(|value| {
                format!(
                    "{} {} {} {} {} {}",
                    value["nip"],
                    value["bup"],
                    value["tmt_pensiun"],
                    value["kp_berikutnya"],
                    value["ikd"],
                    value["eselon_id"]
                )
            })
            .collect()
    };
    let listed_facts = facts(&stdout(&listed));
    assert_eq!(listed_facts.len(), 60);
    assert_eq!(listed_facts, facts(&stdout(&inspected)));

    // Filters.
    let output = run(&["--data", data, "pegawai", "list", "--jenis-asn", "pppk", "--json"]);
    assert_eq!(stdout(&output).lines().count(), 12);
    let output = run(&["--data", data, "pegawai", "list", "--ikd", "TIM_5", "--json", "--today", "2026-11-30"]);
    assert_eq!(stdout(&output).lines().count(), 2);

    // Show and check.
    let output = run(&["--data", data, "pegawai", "show", "196407241988032001", "--today", "2026-11-30"]);
    assert!(stdout(&output).contains("TMT pensiun           : 01-08-2029"), "{}", stdout(&output));
    let output = run(&["--data", data, "pegawai", "show", "199999999999999999"]);
    assert_eq!(output.status.code(), Some(1));
    let output = run(&["--data", data, "check"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("Replika sehat"));
}

#[test]
fn replica_commands_without_a_data_folder_say_what_to_do() {
    let output = cli().args(["pegawai", "search", "ani"]).env_remove("LURING_DATA").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--data"));
}

/// A small deterministic PRNG for kill times (SplitMix64).
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn an_import_killed_at_random_points_twenty_times_never_corrupts_the_replica() {
    const PEGAWAI: usize = 3_000;
    const BATCH: usize = 250;
    let temp = Temp::new("kill");
    let config = generator::Config { pegawai: PEGAWAI, seed: 11, ..generator::Config::default() };
    let csv = temp.file("export.csv", generator::csv_bytes(&config));
    let data = temp.path().join("data");
    let replica_file = data.join("replika.sqlite");
    let mut state = 2026u64;
    let mut killed_mid_way = 0;
    for round in 0..20 {
        let mut child = cli()
            .args(["--data", data.to_str().unwrap(), "--quiet", "import", "siasn-csv", csv.to_str().unwrap()])
            .env("LURING_IMPORT_BATCH", BATCH.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = Duration::from_millis(30 + next(&mut state) % 1_500);
        let started = Instant::now();
        while started.elapsed() < wait {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed_mid_way += 1;
        }
        child.wait().unwrap();
        if !replica_file.exists() {
            continue;
        }
        // After every kill: the file is sound and holds whole batches only.
        let replica = crate::open_replica(replica_file.parent().unwrap());
        let report = store::integrity::check(&replica).unwrap();
        assert!(report.sqlite_ok, "round {round}: {:?}", report.sqlite_messages);
        assert!(report.quarantined.is_empty(), "round {round}: {:?}", report.quarantined);
        // A bulk load killed before it created its indexes again: reopening created them (the key goes only
        // with the indexes back; store's tests check the indexes themselves).
        assert_eq!(replica.meta(store::import::BULK_INDEXES_META).unwrap(), None, "round {round}");
        let (documents, pegawai, fts) = report.pegawai;
        assert_eq!(documents % BATCH as i64, 0, "round {round}: a partial batch of {documents} documents");
        // Imported SI-ASN data is not an officer's edit: nothing is queued for upload.
        assert_eq!((pegawai, fts, report.outbox), (documents, documents, 0), "round {round}");
    }
    assert!(killed_mid_way >= 10, "only {killed_mid_way} of 20 imports were killed before finishing");
    // Finishing the import afterwards gives every pegawai exactly once and a healthy replica.
    let output = run(&["--data", data.to_str().unwrap(), "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(output.status.success());
    let output = run(&["--data", data.to_str().unwrap(), "check"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains(&format!("{PEGAWAI}/{PEGAWAI}/{PEGAWAI}")), "{}", stdout(&output));
}
