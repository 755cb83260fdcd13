//! Benchmark: `inspect siasn-csv` over 10,000 rows (issue bar: ≤ 1 s), decode + derived facts + JSON lines.
//!
//! The 10,000 rows are the 60 fixture rows repeated with unique NIPs, so every row has real SI-ASN shape. The
//! baseline measured in the same run is the bare CSV parse (the `csv` crate reading every cell), so the ratio shows
//! what our leniency and rules cost on top of reading the bytes. Run with `cargo xtask bench`.

use std::path::PathBuf;

use chrono::NaiveDate;
use model::Pegawai;
use model::inspect::laporan;
use model::siasn::export;

fn main() {
    divan::main();
}

/// The fixture CSV grown to `rows` rows with unique NIPs (the sequence digits 16–18 and the TMT year vary).
fn export_of(rows: usize) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/export-data-asn.csv");
    let text = std::fs::read_to_string(path).expect("the shared fixtures sit beside the repository");
    let mut lines = text.lines();
    let header = lines.next().expect("the fixture has a header");
    let body: Vec<&str> = lines.collect();
    let mut out = String::with_capacity(rows * 1100);
    out.push_str(header);
    out.push('\n');
    for index in 0..rows {
        let line = body[index % body.len()];
        let (pns_id, rest) = line.split_once(',').expect("rows have cells");
        let (nip, rest) = rest.split_once(',').expect("rows have a NIP");
        let unique = format!("{}{:03}", &nip[..15], (index / body.len()) % 1000);
        out.push_str(&format!("{pns_id}{:06},{unique},{rest}\n", index));
    }
    out.into_bytes()
}

const ROWS: usize = 10_000;

#[divan::bench(sample_count = 10)]
fn inspect_10k_rows(bencher: divan::Bencher) {
    let bytes = export_of(ROWS);
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date");
    bencher.bench(|| {
        let decoded = export::decode(&bytes);
        let mut out = Vec::with_capacity(bytes.len() * 3);
        for record in decoded.records {
            let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
            let report = laporan(&pegawai, record.warnings, String::new(), today, &|_| None);
            serde_json::to_writer(&mut out, &report).expect("writing to memory");
            out.push(b'\n');
        }
        out
    });
}

#[divan::bench(sample_count = 10)]
fn baseline_csv_parse_10k_rows(bencher: divan::Bencher) {
    let bytes = export_of(ROWS);
    bencher.bench(|| {
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let mut record = csv::StringRecord::new();
        let mut cells = 0usize;
        while reader.read_record(&mut record).expect("valid CSV") {
            cells += record.len();
        }
        cells
    });
}
