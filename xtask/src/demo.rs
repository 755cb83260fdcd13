//! `cargo xtask demo`: the whole product on one machine, to try by hand.
//!
//! Setup (apt packages when root, else the command to run; npm packages), the UI build, a release build of `luring`
//! and `luring-hub`; then, in `target/demo/`:
//! - the local OpenID provider (`tools/idp`, the demo accounts) on 127.0.0.1:9400 (or a free port, printed);
//! - a hub seeded once with a generated kabupaten (`luring-hub seed-demo --pegawai N`, 8,000 by default) serving on
//!   127.0.0.1:8780 (or a free port);
//! - the desktop app with `LURING_HUB`, `LURING_SSO_ISSUER`, `LURING_DATA` (`target/demo/data`) and a file key store,
//!   ready for the demo operator to sign in (the NIP and password are printed).
//!
//! Closing the window or Ctrl-C stops everything (Ctrl-C reaches every process of the terminal's group; the provider
//! also exits when xtask's pipe to it closes). Without a screen it says so; `--xvfb` then runs the app under Xvfb and
//! takes a short tour through WebDriver (`luring-tur`, crate `tests/e2e`), saving screenshots.

use std::io::{BufRead as _, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::flags::DemoOptions;
use crate::process::Cmd;
use crate::{desktop, setup, ui, workspace};

/// Kab. Contoh Selatan: the instansi of the demo operator (`tools/idp/accounts.json`).
const INSTANSI: &str = "CB3E94428C058428E040640AAD66431D";
/// The demo operator's NIP and password (`tools/idp/accounts.json`).
const OPERATOR_NIP: &str = "198703152010011003";
const OPERATOR_PASSWORD: &str = "rahasia-demo";
/// The provider's and the hub's usual ports; a free one is taken when these are busy.
const IDP_PORT: u16 = 9400;
const HUB_PORT: u16 = 8780;

/// Runs the demo (see the module doc).
pub(crate) fn run(options: &DemoOptions) -> Result<()> {
    if !options.xvfb && !desktop::has_display() {
        eprintln!(
            "demo: tidak ada layar (DISPLAY dan WAYLAND_DISPLAY kosong), jadi jendela aplikasi tidak dapat dibuka."
        );
        eprintln!(
            "demo: jalankan `cargo xtask demo --xvfb`: aplikasi berjalan di layar maya (Xvfb), tur singkat lewat"
        );
        eprintln!(
            "demo: WebDriver (masuk, Beranda, Pegawai, cari, Profil, Sinkronisasi) dan tangkapan layarnya disimpan."
        );
        bail!("no screen: run `cargo xtask demo --xvfb` instead");
    }
    let root = workspace::root();
    setup::run()?;
    if options.xvfb {
        let missing = desktop::missing_programs();
        if !missing.is_empty() {
            bail!("--xvfb needs {} (Debian packages xvfb, xauth, webkit2gtk-driver)", missing.join(", "));
        }
    }
    ui::build()?;
    desktop::build_release_tools()?;
    let release = root.join("target").join("release");

    let folder = root.join("target").join("demo");
    let hub_data = folder.join("hub");
    std::fs::create_dir_all(&folder).with_context(|| format!("could not create {}", folder.display()))?;
    let started = Instant::now();

    let idp = Idp::start(&root, &folder, port_or_free(IDP_PORT)?)?;
    seed_once(&release, &hub_data, options.pegawai)?;
    let hub_port = port_or_free(HUB_PORT)?;
    let hub_url = format!("http://127.0.0.1:{hub_port}");
    let hub_log = folder.join("hub.log");
    let mut hub = Background::spawn(
        "luring-hub",
        Cmd::new(release.join("luring-hub").to_string_lossy())
            .arg("--data")
            .arg(&hub_data)
            .args(["serve", "--issuer", &idp.issuer, "--listen"])
            .arg(format!("127.0.0.1:{hub_port}")),
        &hub_log,
    )?;
    wait_listening(hub_port, Duration::from_secs(60)).context("the demo hub did not start listening in 60 s")?;

    let data = folder.join("data");
    let envs: Vec<(&str, String)> = vec![
        ("LURING_HUB", hub_url.clone()),
        ("LURING_SSO_ISSUER", idp.issuer.clone()),
        ("LURING_SSO_CLIENT_ID", "luring-desktop".to_owned()),
        ("LURING_DATA", data.to_string_lossy().into_owned()),
        ("LURING_SECRET_STORE", format!("berkas:{}", folder.join("rahasia").display())),
        ("LURING_LOG", "info".to_owned()),
    ];
    println!();
    println!("Demo SIASN Luring siap ({:.0} s):", started.elapsed().as_secs_f64());
    println!("  penyedia SSO lokal  {}", idp.issuer);
    println!("  hub                 {hub_url}  ({} pegawai buatan, Kab. Contoh Selatan)", options.pegawai);
    println!("  folder demo         {} (log hub: {})", folder.display(), hub_log.display());
    println!("  masuk sebagai       NIP {OPERATOR_NIP}, kata sandi {OPERATOR_PASSWORD} (operator demo)");

    let result = if options.xvfb {
        tour(&release, &folder, &envs)
    } else {
        println!(
            "Jendela aplikasi dibuka. Tekan \"Masuk dengan SSO ASN\"; bila peramban tidak terbuka, buka alamat yang"
        );
        println!("ditampilkan aplikasi. Tutup jendela atau tekan Ctrl-C untuk menghentikan semuanya.");
        let mut app = Cmd::new(release.join("luring").to_string_lossy());
        for (key, value) in &envs {
            app = app.env(key, value);
        }
        app.run()
    };
    hub.stop();
    drop(idp);
    result
}

/// `port` when it is free on 127.0.0.1, else a free one.
fn port_or_free(port: u16) -> Result<u16> {
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => Ok(port),
        Err(_) => {
            let free = desktop::free_port()?;
            eprintln!("demo: port {port} is busy, using {free}");
            Ok(free)
        }
    }
}

/// Seeds the hub once per size: `<hub>/.demo-<n>` marks a finished seed.
fn seed_once(release: &Path, hub_data: &Path, pegawai: usize) -> Result<()> {
    let marker = hub_data.join(format!(".demo-{pegawai}"));
    if marker.is_file() {
        eprintln!("demo: the hub in {} already holds the demo kabupaten of {pegawai}", hub_data.display());
        return Ok(());
    }
    if hub_data.exists() {
        std::fs::remove_dir_all(hub_data).with_context(|| format!("could not empty {}", hub_data.display()))?;
    }
    Cmd::new(release.join("luring-hub").to_string_lossy())
        .arg("--data")
        .arg(hub_data)
        .args(["seed-demo", "--pegawai", &pegawai.to_string(), "--instansi", INSTANSI])
        .dir(&workspace::root())
        .run()?;
    std::fs::write(&marker, b"").with_context(|| format!("could not write {}", marker.display()))
}

/// Runs the WebDriver tour under Xvfb.
fn tour(release: &Path, folder: &Path, envs: &[(&str, String)]) -> Result<()> {
    let screens = folder.join("tur");
    let mut cmd = Cmd::new("xvfb-run")
        .args(["-a", "-s", desktop::XVFB_SCREEN])
        .arg(release.join("luring-tur"))
        .env("LURING_TUR_FOLDER", &screens.to_string_lossy())
        .env("XDG_CONFIG_HOME", &folder.join("config").to_string_lossy());
    for (key, value) in envs {
        cmd = cmd.env(key, value);
    }
    cmd.run()?;
    println!("Tur selesai; tangkapan layar di {}", screens.display());
    Ok(())
}

/// Waits until something accepts connections on 127.0.0.1:`port`.
fn wait_listening(port: u16, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    while TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_err() {
        if Instant::now() > deadline {
            bail!("nothing listens on {address}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// A child process stopped (SIGTERM, then kill after 10 s) when the demo ends.
#[derive(Debug)]
struct Background {
    name: &'static str,
    child: Child,
}

impl Background {
    /// Starts `cmd` with its output (its request log) appended to `log`.
    fn spawn(name: &'static str, cmd: Cmd, log: &Path) -> Result<Background> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .with_context(|| format!("could not open {}", log.display()))?;
        let child = cmd
            .spawnable()
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("could not start {name}"))?;
        Ok(Background { name, child })
    }

    fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // SIGTERM by pid through the shell's `kill` (no libc dependency): the hub stops cleanly on it.
        let _ = Cmd::new("sh").args(["-c", "kill -TERM \"$1\"", "kill", &self.child.id().to_string()]).succeeds();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("demo: {} did not stop within 10 s of SIGTERM: killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The local OpenID provider (`node tools/idp/idp.mjs --exit-with-stdin`); it exits when dropped (its stdin
/// closes) or when xtask dies.
#[derive(Debug)]
struct Idp {
    issuer: String,
    _stdin: ChildStdin,
    process: Background,
}

impl Idp {
    fn start(root: &Path, folder: &Path, port: u16) -> Result<Idp> {
        let dir = root.join("tools").join("idp");
        let keys: PathBuf = folder.join("idp-keys.json");
        let mut command = Cmd::new("node")
            .arg(dir.join("idp.mjs"))
            .args(["--port", &port.to_string(), "--exit-with-stdin", "--keys"])
            .arg(&keys)
            .dir(&dir)
            .spawnable();
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("could not start the local OpenID provider: is Node.js installed?")?;
        let stdin = child.stdin.take().context("the provider's stdin")?;
        let stdout = child.stdout.take().context("the provider's stdout")?;
        let process = Background { name: "the OpenID provider", child };
        let (sender, ready) = mpsc::channel();
        // Keep reading its stdout until it exits: a closed pipe would kill it (EPIPE).
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("IDP_READY ") {
                    let _ = sender.send(issuer.trim().to_owned());
                }
            }
        });
        let issuer = ready
            .recv_timeout(Duration::from_secs(60))
            .context("the local OpenID provider printed no IDP_READY within 60 s")?;
        Ok(Idp { issuer, _stdin: stdin, process })
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.process.stop();
    }
}
