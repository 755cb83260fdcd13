//! `luring-tur`: the demo's short tour of the desktop in a window without a screen (`cargo xtask demo --xvfb`).
//!
//! It starts WebKitWebDriver, launches `luring` through it with the `LURING_*` variables it was given, signs the
//! demo operator in at the local provider, then visits Beranda, Pegawai (and a search), a Profil and Sinkronisasi,
//! saving a screenshot of each into `LURING_TUR_FOLDER`. `cargo xtask demo --xvfb` starts the provider and the hub
//! and runs this under `xvfb-run`.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a CLI that reports its progress")]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use e2e::{Client, Launcher, Screens, WebDriverProcess, since};

/// Longest wait for one screen.
const SCREEN: Duration = Duration::from_secs(90);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    match tour().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("galat: tur demo gagal: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn tour() -> Result<()> {
    let started = Instant::now();
    let folder = PathBuf::from(std::env::var_os("LURING_TUR_FOLDER").context("LURING_TUR_FOLDER belum disetel")?);
    let screens = Screens::new(&folder)?;
    let binary = e2e::luring_binary()?;
    let names = [
        "LURING_DATA",
        "LURING_HUB",
        "LURING_SSO_ISSUER",
        "LURING_SSO_CLIENT_ID",
        "LURING_SECRET_STORE",
        "LURING_LOG",
        "XDG_CONFIG_HOME",
    ];
    let mut envs: Vec<(&str, String)> =
        names.iter().filter_map(|name| std::env::var(name).ok().map(|value| (*name, value))).collect();
    // The tour takes screenshots: WebKitGTK's default paint path (see the E2E test's launcher).
    envs.push(("LURING_WEBVIEW_GPU", "bawaan".to_owned()));
    let launcher = Launcher::write(&folder.join("peluncur"), &binary, &envs)?;
    let driver = WebDriverProcess::start().await?;
    println!("[{}] WebKitWebDriver di {}", since(started), driver.url());
    let client = Client::start(driver.url(), launcher.path()).await?;
    println!("[{}] aplikasi dibuka", since(started));

    let signed_in = client
        .wait_js(
            "document.querySelector('#beranda') ? 'beranda' : (document.querySelector('#masuk-sso') ? 'masuk' : null)",
            SCREEN,
            "layar pertama",
        )
        .await?;
    if signed_in.as_str() == Some("masuk") {
        let operator = idp_harness::account("operator_instansi");
        e2e::sign_in(&client, &operator, Some(&screens)).await?;
        println!("[{}] masuk sebagai {} (operator demo)", since(started), operator.nip);
    }
    client
        .wait_js(
            "(() => { const e = document.querySelector('#jumlah-total'); \
               return e && parseInt((e.textContent || '').replace(/\\D/g, ''), 10) > 0; })()",
            Duration::from_secs(300),
            "sinkronisasi pertama mengisi Beranda",
        )
        .await?;
    screens.capture(&client, "beranda").await?;

    client.click_on("#nav-pegawai", SCREEN).await?;
    client.wait_element("#daftar-pegawai [data-nip]", SCREEN, "daftar pegawai").await?;
    screens.capture(&client, "pegawai").await?;
    let input = client.wait_element("#cari-pegawai", SCREEN, "kolom cari").await?;
    client.send_keys(&input, "sri").await?;
    client
        .wait_js(
            "Array.from(document.querySelectorAll('#daftar-pegawai [data-nip]')).some(e => /sri/i.test(e.textContent || ''))",
            SCREEN,
            "hasil cari \"sri\"",
        )
        .await?;
    screens.capture(&client, "pegawai-cari").await?;

    client.click_on("#daftar-pegawai [data-nip]", SCREEN).await?;
    client.wait_element("#profil-nip", SCREEN, "profil").await?;
    screens.capture(&client, "profil").await?;

    client.click_on("#nav-sinkronisasi", SCREEN).await?;
    client.wait_element("#sinkronkan", SCREEN, "layar sinkronisasi").await?;
    screens.capture(&client, "sinkronisasi").await?;
    client.close().await?;
    println!("[{}] tur selesai; tangkapan layar di {}", since(started), screens.dir().display());
    Ok(())
}
