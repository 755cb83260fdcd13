//! Per-pegawai costs of an import, one step at a time (divan): the JSON form, the automerge document, its save,
//! and the derived projection. `cargo bench -p store --bench document`.

use chrono::NaiveDate;
use model::Pegawai;
use model::siasn::export;
use store::import::document_value;
use store::projection::{UnorIndex, derive_pegawai};
use sync::{ActorId, Document};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn pegawai() -> Vec<Pegawai> {
    let config = generator::Config {
        pegawai: 200,
        seed: 3,
        today: NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date"),
        ..generator::Config::default()
    };
    export::decode(&generator::csv_bytes(&config))
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect()
}

/// The sample pegawai as built automerge documents.
fn documents() -> Vec<Document> {
    pegawai()
        .iter()
        .filter_map(|p| document_value(p).ok())
        .map(|value| {
            let mut doc = Document::new(ActorId::from([7u8; 16]));
            let _ = doc.reconcile(&value, Some("impor"), 0);
            doc
        })
        .collect()
}

#[divan::bench(sample_count = 20)]
fn json_value(bencher: divan::Bencher) {
    let all = pegawai();
    bencher
        .counter(divan::counter::ItemsCount::new(all.len()))
        .bench(|| all.iter().fold(0, |n, p| n + usize::from(divan::black_box(document_value(p)).is_ok())));
}

#[divan::bench(sample_count = 20, threads = [1, 2])]
fn new_document_reconcile(bencher: divan::Bencher) {
    let values: Vec<_> = pegawai().iter().filter_map(|p| document_value(p).ok()).collect();
    bencher.counter(divan::counter::ItemsCount::new(values.len())).bench(|| {
        values
            .iter()
            .map(|value| {
                let mut doc = Document::new(ActorId::from([7u8; 16]));
                doc.reconcile(value, Some("impor"), 0).ok()
            })
            .count()
    });
}

#[divan::bench(sample_count = 20)]
fn save_uncompressed_and_compressed(bencher: divan::Bencher) {
    let docs = documents();
    bencher
        .counter(divan::counter::ItemsCount::new(docs.len() * 2))
        .bench(|| docs.iter().map(|doc| doc.save_uncompressed().len() + doc.save().len()).sum::<usize>());
}

#[divan::bench(sample_count = 20)]
fn prepared_uncompressed(bencher: divan::Bencher) {
    let docs = documents();
    bencher
        .counter(divan::counter::ItemsCount::new(docs.len()))
        .bench(|| docs.iter().map(|doc| store::document::Prepared::new(doc, false).snapshot.len()).sum::<usize>());
}

#[divan::bench(sample_count = 20)]
fn derive_projection(bencher: divan::Bencher) {
    let all = pegawai();
    let unor = UnorIndex::default();
    bencher.counter(divan::counter::ItemsCount::new(all.len())).bench(|| {
        all.iter().fold(0, |n, p| {
            divan::black_box(derive_pegawai(p, &unor));
            n + 1
        })
    });
}
