//! `pegawai search --json` exports every match, not the first `--limit` rows the interactive search shows.

use std::collections::BTreeSet;

use model::siasn::export;

use crate::check::import_fixture;
use crate::{Temp, fixtures_dir, run, stdout};

/// The fixture pegawai with a word starting with `prefix` (case-insensitive) in nama (with gelar), NIP, jabatan
/// or unor: what the search index holds (the fixture's unor names equal its unor tree's).
fn expected_matches(prefix: &str) -> BTreeSet<String> {
    let csv = std::fs::read(fixtures_dir().join("export-data-asn.csv")).unwrap();
    export::decode(&csv)
        .records
        .into_iter()
        .filter(|record| {
            let utama = &record.data_utama;
            let text = [
                utama.nama_lengkap(),
                utama.nip.to_string(),
                utama.jabatan_nama.clone().unwrap_or_default(),
                utama.unor_nama.clone().unwrap_or_default(),
            ]
            .join(" ")
            .to_lowercase();
            text.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(prefix))
        })
        .map(|record| record.data_utama.nip.to_string())
        .collect()
}

fn nips(json_lines: &str) -> Vec<String> {
    json_lines
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["nip"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_json_prints_every_match_whatever_the_limit() {
    let temp = Temp::new("search-json");
    let data = temp.path().join("data");
    let data = data.to_str().unwrap();
    import_fixture(data);
    let expected = expected_matches("guru");
    assert_eq!(expected.len(), 27);

    // Interactive: the first 20 (the default limit), one table row each.
    let output = run(&["--data", data, "pegawai", "search", "guru"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 20, "{}", stdout(&output));

    // --json: all 27, each once, whatever --limit says.
    for limit in ["1", "20", "1000"] {
        let output =
            run(&["--data", data, "pegawai", "search", "guru", "--json", "--limit", limit, "--today", "2026-11-30"]);
        assert!(output.status.success());
        let found = nips(&stdout(&output));
        assert_eq!(found.len(), 27, "--limit {limit}");
        assert_eq!(found.iter().cloned().collect::<BTreeSet<_>>(), expected, "--limit {limit}");
    }
    // A whole NIP is that pegawai only; a word nobody has prints nothing.
    let output = run(&["--data", data, "pegawai", "search", "196407241988032001", "--json"]);
    assert_eq!(nips(&stdout(&output)), ["196407241988032001"]);
    let output = run(&["--data", data, "pegawai", "search", "zzzz", "--json"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "");
}
