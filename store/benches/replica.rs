//! Benchmarks of the replica against the bars of the replica issue, on generated kabupaten data:
//! import rate, search / page / profile latency (p50, p95), disk per pegawai after compaction, RSS of a process that
//! holds the open replica and serves queries. Each figure is printed next to a baseline measured in the same run.
//!
//! `cargo bench -p store --bench replica` (250,000 pegawai; `LURING_BENCH_PEGAWAI=N` for another size).
//! This is a plain `harness = false` binary rather than divan/criterion because the bars are tail latencies (p95)
//! and whole-run rates, which those harnesses do not report; every sample is kept and the percentiles printed.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark reports to the terminal and panics on setup errors"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use model::Pegawai;
use model::siasn::{export, lists};
use store::import::{ImportOptions, import_pegawai, replace_unor};
use store::query::{self, Filter, Urutan};
use store::{OpenOptions, Replica};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Ok(path) = std::env::var("LURING_BENCH_SERVE") {
        serve(Path::new(&path));
        return;
    }
    let count: usize = std::env::var("LURING_BENCH_PEGAWAI").ok().and_then(|n| n.parse().ok()).unwrap_or(250_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-replica");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("replika.sqlite");
    println!("replica benchmark, {count} generated pegawai, {}", machine());

    // Data: generated kabupaten through the real CSV decoder (not timed).
    let started = Instant::now();
    let config = generator::Config { pegawai: count, seed: 42, today: today(), ..generator::Config::default() };
    // The streaming CSV path: `generate()` would hold every pegawai as JSON (gigabytes at 250,000).
    let csv = generator::csv_bytes(&config);
    let unor = generator::Generator::new(&config).unor().to_vec();
    let decoded = export::decode(&csv);
    let pegawai: Vec<Pegawai> = decoded
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect();
    let mut warnings = Vec::new();
    let units = lists::decode_ref_unor(&serde_json::json!({"code": 1, "data": unor}).to_string(), &mut warnings);
    let names: Vec<String> = pegawai.iter().map(|p| p.data_utama.nama.clone()).collect();
    let nips: Vec<String> = pegawai.iter().map(|p| p.data_utama.nip.to_string()).collect();
    drop(csv);
    println!("  (setup: generated and decoded in {:.1} s)", started.elapsed().as_secs_f64());

    // Import: documents + projections + FTS, and the baseline of projections + FTS alone (no automerge).
    let replica = Replica::open(&path, OpenOptions::default()).unwrap();
    replace_unor(&replica, units).unwrap();
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:bench".into()),
        now_ms: 1_764_460_800_000,
        batch: std::env::var("LURING_BENCH_BATCH")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(store::import::DEFAULT_BATCH),
        message: "impor benchmark".into(),
        threads: std::env::var("LURING_BENCH_THREADS").ok().and_then(|n| n.parse().ok()).unwrap_or(0),
    };
    let input = pegawai.clone();
    let started = Instant::now();
    let report = import_pegawai(&replica, input, &options, &mut |_| {}).unwrap();
    let import_time = started.elapsed();
    assert_eq!(report.inserted, count);
    let rate = count as f64 / import_time.as_secs_f64();
    let baseline = baseline_projection_only(&dir, &pegawai);
    println!(
        "import: {rate:.0} pegawai/s end to end ({:.1} s; documents stored as seeds + projections + FTS + IKD, \
         committed); baseline projections+FTS only {:.0} rows/s; ratio {:.2}  [bar ≥ 10,000/s]",
        import_time.as_secs_f64(),
        baseline,
        rate / baseline
    );
    let started = Instant::now();
    let compacted = store::document::compact_imported(&replica, 2_000, &mut |_| {}).unwrap();
    let compact_time = started.elapsed();
    replica.optimize().unwrap();
    println!(
        "building the automerge documents after import (seed -> compressed save): {:.0} documents/s ({:.1} s); \
         import + build {:.0} pegawai/s",
        compacted as f64 / compact_time.as_secs_f64(),
        compact_time.as_secs_f64(),
        count as f64 / (import_time + compact_time).as_secs_f64()
    );
    drop(pegawai);

    // Latencies on a warm reader.
    let reader = replica.reader().unwrap();
    let prefixes: Vec<String> = names
        .iter()
        .step_by((names.len() / 200).max(1))
        .filter_map(|name| name.split_whitespace().next())
        .map(|word| word.chars().take(3).collect::<String>().to_lowercase())
        .take(200)
        .collect();
    let search_prefix = time_each(&prefixes, |q| query::search(&reader, q, 50, today()).unwrap().len());
    report_latency("search, 3-letter name prefix", &search_prefix, 5.0);
    let nip_prefixes: Vec<String> =
        nips.iter().step_by((nips.len() / 200).max(1)).map(|nip| nip[..8].to_string()).take(200).collect();
    let search_nip = time_each(&nip_prefixes, |q| query::search(&reader, q, 50, today()).unwrap().len());
    report_latency("search, NIP prefix (8 digits)", &search_nip, 5.0);
    // The first keystroke of a name or a NIP (the desktop's keystroke bar: one character matches most rows).
    let first_keys: Vec<String> =
        ["s", "b", "a", "m", "1", "2", "d", "r"].iter().cycle().take(80).map(|s| s.to_string()).collect();
    let search_first = time_each(&first_keys, |q| query::search(&reader, q, 50, today()).unwrap().len());
    report_latency("search, first keystroke (one letter or digit)", &search_first, 5.0);
    let common: Vec<String> =
        ["guru", "ahli", "dinas", "sd", "negeri", "pertama"].iter().cycle().take(120).map(|s| s.to_string()).collect();
    let search_common = time_each(&common, |q| query::search(&reader, q, 50, today()).unwrap().len());
    report_latency("search, very common word", &search_common, 5.0);
    if std::env::var_os("LURING_BENCH_DETAIL").is_some() {
        for word in ["guru", "ahli", "dinas", "sd", "negeri", "pertama"] {
            let samples =
                time_each(&vec![word.to_string(); 20], |q| query::search(&reader, q, 50, today()).unwrap().len());
            report_latency(&format!("    search {word:?}"), &samples, 5.0);
        }
    }
    // Baseline: the same common words through an unranked, uncapped LIKE scan.
    let like = time_each(&common[..12], |q| {
        let mut statement = reader
            .prepare_cached("SELECT count(*) FROM pegawai WHERE nama_lengkap LIKE ?1 OR jabatan_nama LIKE ?1")
            .unwrap();
        statement.query_row([format!("%{q}%")], |row| row.get::<_, i64>(0)).unwrap() as usize
    });
    report_latency("  baseline: LIKE scan for the same words", &like, f64::INFINITY);

    let filters = [
        Filter {
            jenis_asn: vec!["PNS".into()],
            golongan_dari: Some("31".into()),
            golongan_sampai: Some("34".into()),
            ..Filter::default()
        },
        Filter { jenis_jabatan: vec!["2".into()], ..Filter::default() },
        Filter { ada_anomali: Some(true), ..Filter::default() },
        Filter { bup_dalam_bulan: Some(12), ..Filter::default() },
        Filter { kedudukan: vec!["01".into()], jenis_asn: vec!["PPPK".into()], ..Filter::default() },
    ];
    let mut page_samples = Vec::new();
    for round in 0..40 {
        for filter in &filters {
            let sort = [Urutan::Nama, Urutan::Nip, Urutan::TmtPensiun][round % 3];
            let started = Instant::now();
            let page = query::list(&reader, filter, sort, None, 50, today()).unwrap();
            // And the next page through the keyset cursor.
            if let Some(next) = &page.berikutnya {
                query::list(&reader, filter, sort, Some(next), 50, today()).unwrap();
            }
            page_samples.push(started.elapsed() / 2);
        }
    }
    report_latency("filtered, sorted page of 50 rows", &page_samples, 10.0);
    if std::env::var_os("LURING_BENCH_DETAIL").is_some() {
        for (index, filter) in filters.iter().enumerate() {
            for sort in [Urutan::Nama, Urutan::Nip, Urutan::TmtPensiun] {
                let started = Instant::now();
                query::list(&reader, filter, sort, None, 50, today()).unwrap();
                println!("    filter {index} {sort:?}: {:.2} ms", started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }

    let profile_nips: Vec<String> = nips.iter().step_by((nips.len() / 300).max(1)).take(300).cloned().collect();
    let profiles = time_each(&profile_nips, |nip| query::profil(&reader, nip).map(|_| 1).unwrap());
    report_latency("open a profile (load + hydrate)", &profiles, 2.0);

    // Pengingat (issue 7): the first page of 50 of each list within 12 months, with its counts per state, as the
    // screen asks them; no bar of its own (the filtered page's 10 ms is the reference), and the list size printed.
    for jenis in model::pengingat::JenisPengingat::SEMUA {
        let filter = store::pengingat::FilterPengingat {
            jenis,
            hari_ini: today(),
            bulan: 12,
            status: None,
            unor: None,
            setelah: None,
            limit: 50,
        };
        let total: i64 = store::pengingat::jumlah_per_status(&reader, &filter).unwrap().iter().map(|(_, n)| n).sum();
        let runs: Vec<u8> = vec![0; 30];
        let samples = time_each(&runs, |_| {
            let counts = store::pengingat::jumlah_per_status(&reader, &filter).unwrap();
            store::pengingat::daftar(&reader, &filter).unwrap().len() + counts.len()
        });
        report_latency(
            &format!("pengingat {} 12 bulan ({total} pengingat): page of 50 + counts", jenis.kode()),
            &samples,
            f64::INFINITY,
        );
    }
    drop(reader);

    // Disk after compaction (checkpoint + VACUUM).
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;").unwrap();
    }
    drop(replica);
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "disk: {:.0} bytes per pegawai ({:.1} MB for {count})  [bar ≤ 3,072]",
        bytes as f64 / count as f64,
        bytes as f64 / 1e6
    );

    // RSS of a fresh process that opens the replica and serves the same kinds of queries.
    let output =
        std::process::Command::new(std::env::current_exe().unwrap()).env("LURING_BENCH_SERVE", &path).output().unwrap();
    print!("{}", String::from_utf8_lossy(&output.stdout));
}

/// The child process: open, serve queries, report peak RSS.
fn serve(path: &Path) {
    let replica = Replica::open(path, OpenOptions::default()).unwrap();
    let reader = replica.reader().unwrap();
    let mut served = 0;
    for word in ["sri", "ahm", "guru", "dinas", "1980", "199", "wati", "budi"] {
        served += query::search(&reader, word, 50, today()).unwrap().len();
    }
    let mut after = None;
    for _ in 0..200 {
        let page = query::list(&reader, &Filter::default(), Urutan::Nama, after.as_ref(), 50, today()).unwrap();
        served += page.rows.len();
        for row in page.rows.iter().take(3) {
            query::profil(&reader, &row.nip).unwrap();
        }
        after = page.berikutnya;
    }
    served += query::facets(&reader, &Filter::default(), today()).unwrap().total as usize;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find(|line| line.starts_with("VmHWM")).unwrap_or("VmHWM: ?").to_string();
    println!(
        "rss: a process holding the open replica after {served} rows served: {}  [bar ≤ 150 MB]",
        peak.replace("VmHWM:", "").trim()
    );
}

/// Inserts the same projection rows and FTS entries without automerge documents: the SQLite floor.
fn baseline_projection_only(dir: &Path, pegawai: &[Pegawai]) -> f64 {
    let path = dir.join("baseline.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = wal; PRAGMA synchronous = full;
         CREATE TABLE p (rowid INTEGER PRIMARY KEY, nip TEXT, nama TEXT, jabatan TEXT, unor TEXT, golongan TEXT, tmt TEXT);
         CREATE INDEX p_nip ON p (nip); CREATE INDEX p_nama ON p (nama, rowid);
         CREATE VIRTUAL TABLE f USING fts5 (nama, nip, jabatan, unor, content = '', contentless_delete = 1,
             tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6');",
    )
    .unwrap();
    let started = Instant::now();
    for chunk in pegawai.chunks(2_000) {
        conn.execute_batch("BEGIN").unwrap();
        {
            let mut insert = conn
                .prepare_cached(
                    "INSERT INTO p (nip, nama, jabatan, unor, golongan, tmt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .unwrap();
            let mut fts = conn
                .prepare_cached("INSERT INTO f (rowid, nama, nip, jabatan, unor) VALUES (?1, ?2, ?3, ?4, ?5)")
                .unwrap();
            for p in chunk {
                let u = &p.data_utama;
                insert
                    .execute(rusqlite::params![
                        u.nip.as_str(),
                        u.nama,
                        u.jabatan_nama,
                        u.unor_nama,
                        u.golongan_akhir_id,
                        u.tmt_golongan.map(|d| d.to_string())
                    ])
                    .unwrap();
                let rowid = conn.last_insert_rowid();
                fts.execute(rusqlite::params![rowid, u.nama_lengkap(), u.nip.as_str(), u.jabatan_nama, u.unor_nama])
                    .unwrap();
            }
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    pegawai.len() as f64 / started.elapsed().as_secs_f64()
}

fn time_each<T>(inputs: &[T], mut run: impl FnMut(&T) -> usize) -> Vec<Duration> {
    // One warm-up pass, then the measured pass.
    for input in inputs.iter().take(5) {
        run(input);
    }
    inputs
        .iter()
        .map(|input| {
            let started = Instant::now();
            std::hint::black_box(run(input));
            started.elapsed()
        })
        .collect()
}

fn report_latency(what: &str, samples: &[Duration], bar_ms: f64) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    let bar = if bar_ms.is_finite() { format!("  [bar p95 ≤ {bar_ms} ms]") } else { String::new() };
    println!(
        "{what}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms over {} runs{bar}",
        at(0.5),
        at(0.95),
        at(1.0),
        sorted.len()
    );
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .map(|line| line.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}
