//! `luring-cli sync` and `status` without a hub: the status of a freshly imported replica, an unreachable hub
//! failing fast with the network message, the one-sync-at-a-time lock, and a missing token.

use std::fs::File;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::{Temp, cli, fixtures_dir, run, stderr, stdout};

/// A data folder with the fixture kabupaten imported; returns the folder (inside `temp`).
fn imported(temp: &Temp) -> String {
    let data = temp.path().join("data");
    let data = data.to_str().unwrap().to_owned();
    let csv = fixtures_dir().join("export-data-asn.csv");
    let output = run(&["--data", &data, "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    data
}

/// `luring-cli sync` against `hub` with a token and fast-failing backoff.
fn sync(data: &str, hub: &str) -> Output {
    cli()
        .args(["--data", data, "--quiet", "sync", "--hub", hub, "--scope", "instansi:A5EB03E23CCCF6A0E040640A040252AD"])
        .env("LURING_TOKEN", "token-uji")
        .env("LURING_SYNC_MAX_FAILURES", "2")
        .env("LURING_SYNC_BACKOFF_MS", "10")
        .output()
        .unwrap()
}

fn status_json(data: &str) -> serde_json::Value {
    let output = run(&["--data", data, "status", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(stdout(&output).trim()).unwrap()
}

#[test]
fn status_of_a_freshly_imported_replica_shows_no_cursor_and_an_empty_outbox() {
    let temp = Temp::new("status");
    let data = imported(&temp);
    assert_eq!(
        status_json(&data),
        serde_json::json!({
            "scopes": [],
            "bootstraps": [],
            "outbox_changes": 0,
            "outbox_documents": 0,
            "outbox_rejected": 0,
            "rejections": [],
            "blobs": [],
            "repairs": [],
            "sync_lock_held": false,
        })
    );
    let output = run(&["--data", &data, "status"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("lingkup: belum pernah sinkron"), "{text}");
    assert!(text.contains("outbox: 0 perubahan pada 0 dokumen menunggu dikirim"), "{text}");
    assert!(text.contains("kunci sinkronisasi: bebas"), "{text}");
}

#[test]
fn sync_with_an_unreachable_hub_fails_fast_and_says_nothing_is_lost() {
    let temp = Temp::new("sync-down");
    let data = imported(&temp);
    let started = Instant::now();
    let output = sync(&data, "http://127.0.0.1:1");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("hub http://127.0.0.1:1 tidak terjangkau"), "{message}");
    assert!(message.contains("coba lagi nanti; tidak ada data yang hilang"), "{message}");
    assert!(!message.contains("token-uji"), "the token must never be printed: {message}");
    // Nothing was written: still no cursor, the lock was released with the process.
    let state = status_json(&data);
    assert_eq!(state["scopes"], serde_json::json!([]));
    assert_eq!(state["sync_lock_held"], false);
}

#[test]
fn a_second_sync_while_one_holds_the_lock_exits_with_the_lock_message() {
    let temp = Temp::new("sync-lock");
    let data = imported(&temp);
    let lock = File::create(temp.path().join("data").join("sync.lock")).unwrap();
    lock.try_lock().unwrap();
    assert_eq!(status_json(&data)["sync_lock_held"], true);

    let started = Instant::now();
    let output = sync(&data, "http://127.0.0.1:1");
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("sinkronisasi lain sedang berjalan"), "{message}");
    assert!(!message.contains("tidak terjangkau"), "the lock is checked before the network: {message}");
    assert!(started.elapsed() < Duration::from_secs(10));

    lock.unlock().unwrap();
    assert_eq!(status_json(&data)["sync_lock_held"], false);
    // Without a token or a session nothing is sent.
    let output = cli()
        .args(["--data", &data, "sync", "--hub", "http://127.0.0.1:1", "--scope", "instansi:X"])
        .env_remove("LURING_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("belum masuk"), "{}", stderr(&output));
}
