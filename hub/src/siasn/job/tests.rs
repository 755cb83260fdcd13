//! Unit tests of [`super::SiasnStore`]: jobs and NIP states survive reopening, the lock is exclusive, list rows are
//! kept by id.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::path::PathBuf;

use model::siasn::lists::{Unor, UsulanKp};

use super::*;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-siasn-job-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn report(nip: &str, hasil: NipOutcome, galat: Option<&str>) -> NipReport {
    NipReport { nip: nip.to_owned(), hasil: Some(hasil), peringatan: 2, galat: galat.map(str::to_owned), percobaan: 1 }
}

#[test]
fn a_job_resumes_with_only_its_unfinished_nips() {
    let dir = TempDir::new("resume");
    let store = SiasnStore::open(&dir.0).unwrap();
    assert_eq!(store.running_job("pull", "I1").unwrap(), None);
    let nips: Vec<String> = ["3", "1", "2", "1"].iter().map(|n| (*n).to_owned()).collect();
    let job = store.start_job("pull", "I1", &nips).unwrap();
    assert_eq!((job.nip_total, job.nip_selesai, job.status), (3, 0, JobStatus::Berjalan));
    store
        .record_nips(job.id, &[report("1", NipOutcome::Tetap, None), report("2", NipOutcome::Gagal, Some("HTTP 500"))])
        .unwrap();
    drop(store);

    let store = SiasnStore::open(&dir.0).unwrap();
    let running = store.running_job("pull", "I1").unwrap().unwrap();
    assert_eq!(running.id, job.id);
    assert_eq!((running.nip_selesai, running.nip_gagal), (1, 1));
    assert_eq!(store.pending_nips(job.id).unwrap(), vec!["2".to_owned(), "3".to_owned()]);
    assert_eq!(store.running_job("pull", "I2").unwrap(), None, "per instansi");

    store.record_nips(job.id, &[report("2", NipOutcome::Berubah, None)]).unwrap();
    let reports = store.nip_reports(job.id).unwrap();
    assert_eq!(reports[1].hasil, Some(NipOutcome::Berubah));
    assert_eq!(reports[1].percobaan, 2, "tried twice");
    assert_eq!(reports[1].galat, None);
    assert_eq!(reports[2].hasil, None, "not tried yet");

    store.finish_job(job.id, JobStatus::Selesai, "baru 0").unwrap();
    assert_eq!(store.running_job("pull", "I1").unwrap(), None);
    let jobs = store.jobs(5).unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].status, JobStatus::Selesai);
    assert!(jobs[0].selesai.is_some());
    assert_eq!(jobs[0].pesan.as_deref(), Some("baru 0"));
}

#[test]
fn one_job_per_data_folder_at_a_time() {
    let dir = TempDir::new("lock");
    let store = SiasnStore::open(&dir.0).unwrap();
    let lock = store.lock_job().unwrap();
    let other = SiasnStore::open(&dir.0).unwrap();
    assert!(matches!(other.lock_job(), Err(SiasnError::SedangBerjalan(_))));
    drop(lock);
    other.lock_job().unwrap();
}

#[test]
fn list_rows_are_kept_by_id_and_the_unor_replaced() {
    let dir = TempDir::new("lists");
    let store = SiasnStore::open(&dir.0).unwrap();
    let kp = |id: Option<&str>, status: &str| UsulanKp {
        id: id.map(str::to_owned),
        status_usulan: Some(status.to_owned()),
        ..UsulanKp::default()
    };
    assert_eq!(store.save_usulan_kp("I1", "2026-12-01", &[kp(Some("a"), "10"), kp(None, "10")]).unwrap(), 1);
    store.save_usulan_kp("I1", "2026-12-01", &[kp(Some("a"), "32"), kp(Some("b"), "10")]).unwrap();
    let kept = store.usulan_kp("I1").unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0].status_usulan.as_deref(), Some("32"), "the latest copy");
    assert!(store.usulan_kp("I2").unwrap().is_empty());

    let unor = |id: &str| Unor { id: id.to_owned(), ..Unor::default() };
    store.replace_unor("I1", &[unor("u1"), unor("u2"), unor("")]).unwrap();
    store.replace_unor("I1", &[unor("u2"), unor("u3")]).unwrap();
    let ids: Vec<String> = store.unor("I1").unwrap().into_iter().map(|u| u.id).collect();
    assert_eq!(ids, vec!["u2".to_owned(), "u3".to_owned()]);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = TempDir::new("newer");
    drop(SiasnStore::open(&dir.0).unwrap());
    let conn = Connection::open(dir.0.join(FILE_NAME)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let error = SiasnStore::open(&dir.0).unwrap_err();
    assert!(error.to_string().contains("lebih baru"), "{error}");
}
