//! Integration tests of the replica on real SQLite files in a temporary folder.

#![allow(clippy::unwrap_used, unreachable_pub, reason = "test helpers panic on broken setup by design")]

mod blob_bounds;
mod bulk_load;
mod encryption;
mod migration;
mod nama_fts_check;
mod pengingat;
mod projection;
mod replica;
mod replication;
mod search_review;
mod sync_state;
mod usulan;
mod verifikasi;

use std::path::PathBuf;

use store::{OpenOptions, Replica};

/// A fresh folder under the system temp dir, removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-store-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn open(dir: &TempDir) -> Replica {
    Replica::open(&dir.0.join("replika.sqlite"), OpenOptions::default()).unwrap()
}

/// `count` generated pegawai (generator seed `seed`, today 2026-11-30) through the real CSV decoder: data utama only,
/// as a CSV import has them.
pub fn generated_pegawai(count: usize, seed: u64) -> Vec<model::Pegawai> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let config = generator::Config { pegawai: count, seed, today, ..generator::Config::default() };
    model::siasn::export::decode(&generator::csv_bytes(&config))
        .records
        .into_iter()
        .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() })
        .collect()
}
