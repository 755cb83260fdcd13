//! Integration tests of the generator: determinism, round trips through `model`'s real decoders and rules, the
//! shape of the kabupaten, the realism of careers, and (ignored by default) the 250,000-pegawai scale run.

#![allow(clippy::unwrap_used, clippy::print_stdout, unreachable_pub, reason = "tests panic and report by design")]

mod realism;
mod round_trip;
mod shape;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use generator::{Config, GeneratedPegawai, Kabupaten, generate};
use serde_json::Value;

/// The fixtures' reference date.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// A config for `pegawai` with the default seed, date and anomaly rate.
pub fn config(pegawai: usize) -> Config {
    Config { pegawai, ..Config::default() }
}

/// The kabupaten of [`config`]`(2_000)`, generated once for all tests.
pub fn kab_2000() -> &'static Kabupaten {
    static KAB: OnceLock<Kabupaten> = OnceLock::new();
    KAB.get_or_init(|| generate(&config(2_000)))
}

/// The kabupaten of [`config`]`(8_000)`, generated once for all tests.
pub fn kab_8000() -> &'static Kabupaten {
    static KAB: OnceLock<Kabupaten> = OnceLock::new();
    KAB.get_or_init(|| generate(&config(8_000)))
}

/// `<repo>/../shared/fixtures`, or `$LURING_SHARED/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures")
}

/// The saved response body of `endpoint` for `pegawai`, as `write_ws_dir` writes it.
pub fn body(pegawai: &GeneratedPegawai, endpoint: &str) -> String {
    let data = if endpoint == "data-utama" {
        Some(&pegawai.data_utama)
    } else {
        pegawai.riwayat.get(endpoint).and_then(Option::as_ref)
    };
    match data {
        Some(data) => format!(r#"{{"code":1,"data":{data}}}"#),
        None => r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_owned(),
    }
}

/// A string field of a JSON object.
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Counts of `key` over `items`.
pub fn count_by<T>(items: &[T], key: impl Fn(&T) -> String) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(key(item)).or_default() += 1;
    }
    counts
}
