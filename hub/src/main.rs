//! `luring-hub`: the hub's command line.
//!
//! - `serve`: the HTTP server ([`hub::server`]), configured by [`hub::config`] (file, `LURING_HUB_*`, flags).
//! - `import siasn-csv FILE` / `import siasn-ws DIR` `--instansi ID [--dry-run]`: an SI-ASN export into an
//!   instansi's scope, decoded by `model`'s lenient decoders (the same as `luring-cli`); `--dry-run` only reads
//!   and summarises.
//! - `roster add|remove|list`, `device list|revoke`: who may use the hub, from which devices.
//! - `seed-demo`: a generated kabupaten (the `generator` crate) plus the demo accounts of
//!   `tools/idp/accounts.json` on the roster, so the local IdP's accounts can sign in.
//! - `compact --scope S`: compacts a scope's log into a new epoch (devices then re-bootstrap it).
//! - `siasn pull --instansi ID [--ulang]`: pulls every pegawai of the instansi from SI-ASN ([`hub::siasn::pull`]),
//!   continuing an unfinished pull; `siasn push --instansi ID`: sends approved riwayat jabatan and their documents
//!   ([`hub::siasn::push`]); `siasn status`: the latest SI-ASN jobs and the SSO token's expiry. `serve` also pulls
//!   on the schedule of `[siasn] jadwal_menit`.
//!
//! Output is Bahasa Indonesia; `--json` prints one JSON object per line. Exit code 0 when done, 1 on an error
//! (its message says what to do next), 2 for a usage error.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use hub::auth::TokenVerifier;
use hub::config::{ConfigLayer, HubConfig};
use hub::siasn::pull::{Progress, PullOptions};
use hub::siasn::{SiasnClient, SiasnError, SiasnStore, SsoSource};
use hub::{Hub, HubOptions, ImportReport, Role, RosterEntry};
use indicatif::{ProgressBar, ProgressStyle};
use model::siasn::{export, ws};
use model::{Nip, Pegawai};
use serde::Deserialize;

/// Hub pusat SIASN Luring: roster, perangkat, feed perubahan, dan impor data SI-ASN.
#[derive(Debug, Parser)]
#[command(name = "luring-hub", version, disable_help_subcommand = true)]
struct Cli {
    /// Berkas konfigurasi TOML (contoh: hub/luring-hub.example.toml); juga dari LURING_HUB_CONFIG.
    #[arg(long, global = true, env = "LURING_HUB_CONFIG", value_name = "BERKAS")]
    config: Option<PathBuf>,
    /// Folder data hub; juga dari LURING_HUB_DATA atau `data_dir` di berkas konfigurasi.
    #[arg(long, global = true, value_name = "FOLDER")]
    data: Option<PathBuf>,
    /// Perintah yang dijalankan.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Jalankan server HTTP hub (berhenti dengan Ctrl-C atau SIGTERM).
    Serve(ServeArgs),
    /// Impor ekspor SI-ASN ke cakupan satu instansi.
    Import {
        /// Sumber yang diimpor.
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Roster: siapa (NIP) boleh memakai hub, untuk instansi mana, dengan peran apa.
    Roster {
        /// Perintah roster.
        #[command(subcommand)]
        command: RosterCommand,
    },
    /// Perangkat terdaftar (aktor automerge per pengguna).
    Device {
        /// Perintah perangkat.
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Isi hub dengan kabupaten contoh (data buatan) dan akun demo IdP lokal di roster.
    SeedDemo(SeedArgs),
    /// Padatkan log satu cakupan; perangkat akan mengunduh ulang snapshot cakupan itu.
    Compact {
        /// Cakupan, mis. instansi:CB3E94428C058428E040640AAD66431D.
        #[arg(long)]
        scope: String,
    },
    /// Gateway SI-ASN BKN: tarik data pegawai, kirim riwayat yang disetujui, lihat status pekerjaan.
    Siasn {
        /// Perintah SI-ASN.
        #[command(subcommand)]
        command: SiasnCommand,
    },
}

/// The SI-ASN commands.
#[derive(Debug, Subcommand)]
enum SiasnCommand {
    /// Tarik semua pegawai satu instansi (data utama, riwayat, keluarga, daftar usulan KP/pensiun, unor) dari
    /// SI-ASN ke hub. Penarikan yang terhenti dilanjutkan dari NIP yang belum selesai.
    Pull {
        /// Id instansi (cakupan instansi:<ID>).
        #[arg(long, value_name = "ID")]
        instansi: String,
        /// Satu objek JSON per baris: laporan per NIP, lalu ringkasan.
        #[arg(long)]
        json: bool,
        /// Mulai penarikan baru walau ada yang belum selesai (yang lama dibatalkan).
        #[arg(long)]
        ulang: bool,
    },
    /// Kirim riwayat jabatan yang disetujui (dan dokumennya) ke SI-ASN, masing-masing satu kali.
    Push {
        /// Id instansi (cakupan instansi:<ID>).
        #[arg(long, value_name = "ID")]
        instansi: String,
        /// Laporan sebagai satu objek JSON.
        #[arg(long)]
        json: bool,
    },
    /// Pekerjaan SI-ASN terakhir dan masa berlaku token SSO.
    Status {
        /// Satu objek JSON per baris.
        #[arg(long)]
        json: bool,
    },
}

/// Flags of `serve`; each overrides the file and the environment.
#[derive(Debug, Args)]
struct ServeArgs {
    /// Alamat dengar, mis. 127.0.0.1:8780 (LURING_HUB_LISTEN).
    #[arg(long, value_name = "ALAMAT")]
    listen: Option<std::net::SocketAddr>,
    /// URL issuer penyedia SSO, persis seperti `iss` di token (LURING_HUB_ISSUER).
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// Client id aplikasi desktop, dicek pada `azp` (LURING_HUB_CLIENT_ID; bawaan luring-desktop).
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Audience yang wajib ada di `aud` token (LURING_HUB_AUDIENCE).
    #[arg(long, value_name = "AUD")]
    audience: Option<String>,
    /// Filter log, mis. info atau info,hub=debug (LURING_HUB_LOG).
    #[arg(long, value_name = "FILTER")]
    log: Option<String>,
}

/// What to import.
#[derive(Debug, Subcommand)]
enum ImportSource {
    /// Berkas CSV "Export Data ASN" dari SIASN web.
    SiasnCsv {
        /// Berkas CSV.
        file: PathBuf,
        #[command(flatten)]
        target: ImportTarget,
    },
    /// Folder respons web service SI-ASN tersimpan (`data-utama/<nip>.json`, `rw-*/<nip>.json`).
    SiasnWs {
        /// Folder respons.
        dir: PathBuf,
        #[command(flatten)]
        target: ImportTarget,
    },
}

/// Where an import goes.
#[derive(Debug, Args)]
struct ImportTarget {
    /// Id instansi tujuan (cakupan instansi:<ID>).
    #[arg(long, value_name = "ID")]
    instansi: String,
    /// Hanya periksa, seperti `luring-cli inspect`: laporan yang sama, tidak ada yang disimpan.
    #[arg(long)]
    dry_run: bool,
    /// Dengan --dry-run: satu objek JSON per pegawai (satu per baris), seperti `luring-cli inspect --json`.
    #[arg(long, requires = "dry_run")]
    json: bool,
    /// Dengan --dry-run: tanggal acuan untuk usia, BUP, KP dan IKD (`yyyy-mm-dd` atau `dd-mm-yyyy`).
    #[arg(long, requires = "dry_run", value_parser = siasn_inspect::parse_today)]
    today: Option<chrono::NaiveDate>,
}

/// The roster commands.
#[derive(Debug, Subcommand)]
enum RosterCommand {
    /// Tambah atau ganti entri roster.
    Add {
        /// NIP, persis seperti dikirim SSO (preferred_username).
        nip: String,
        /// Id instansi pegawai itu.
        #[arg(long, value_name = "ID")]
        instansi: String,
        /// Peran (boleh diulang): operator_instansi, verifikator_instansi, admin_instansi, verifikator_bkn,
        /// admin_hub.
        #[arg(long = "role", required = true, value_name = "PERAN", value_parser = parse_role)]
        roles: Vec<Role>,
        /// Nama, untuk tampilan dan log audit.
        #[arg(long)]
        nama: Option<String>,
    },
    /// Hapus entri roster.
    Remove {
        /// NIP.
        nip: String,
    },
    /// Tampilkan roster.
    List {
        /// Satu objek JSON per baris.
        #[arg(long)]
        json: bool,
    },
}

/// The device commands.
#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Tampilkan perangkat terdaftar.
    List {
        /// Satu objek JSON per baris.
        #[arg(long)]
        json: bool,
    },
    /// Cabut perangkat: perubahan dari aktornya dan setiap permintaan yang menyebut perangkat itu ditolak sejak
    /// itu (device_revoked), sehingga aplikasinya mengunci cakupannya.
    Revoke {
        /// Id aktor automerge perangkat, heksadesimal.
        actor_hex: String,
    },
}

/// Flags of `seed-demo`.
#[derive(Debug, Args)]
struct SeedArgs {
    /// Jumlah pegawai yang dibuat.
    #[arg(long, default_value_t = 1000)]
    pegawai: usize,
    /// Id instansi tujuan (cakupan instansi:<ID>).
    #[arg(long, value_name = "ID")]
    instansi: String,
    /// Benih pembangkit: benih sama, data sama.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Berkas akun demo IdP (bawaan: tools/idp/accounts.json, bila ada).
    #[arg(long, value_name = "BERKAS")]
    accounts: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr().lock(), "galat: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let flags = ConfigLayer { data_dir: cli.data.clone(), ..ConfigLayer::default() };
    match cli.command {
        Command::Serve(args) => {
            let flags = ConfigLayer {
                listen: args.listen,
                issuer: args.issuer,
                client_id: args.client_id,
                audience: args.audience,
                log: args.log,
                ..flags
            };
            serve(&config(cli.config.as_deref(), flags)?)
        }
        Command::Import { source } => {
            let (source, target) = match source {
                ImportSource::SiasnCsv { file, target } => (Source::Csv(file), target),
                ImportSource::SiasnWs { dir, target } => (Source::Ws(dir), target),
            };
            if target.dry_run {
                return dry_run(&source, &target);
            }
            let hub = open_hub(&config(cli.config.as_deref(), flags)?, true)?;
            import(&hub, &source, &target.instansi)
        }
        Command::Roster { command } => {
            let create = matches!(command, RosterCommand::Add { .. });
            let hub = open_hub(&config(cli.config.as_deref(), flags)?, create)?;
            roster(&hub, command)
        }
        Command::Device { command } => device(&open_hub(&config(cli.config.as_deref(), flags)?, false)?, command),
        Command::SeedDemo(args) => seed_demo(&open_hub(&config(cli.config.as_deref(), flags)?, true)?, &args),
        Command::Compact { scope } => {
            let hub = open_hub(&config(cli.config.as_deref(), flags)?, false)?;
            hub.compact_log(&scope).with_context(|| format!("log {scope} tidak dapat dipadatkan"))?;
            let mut out = io::stdout().lock();
            writeln!(out, "Log {scope} dipadatkan ke epoch baru.")?;
            writeln!(out, "Perangkat dengan kursor lama akan mendapat must_refetch dan mengunduh ulang snapshot.")?;
            Ok(())
        }
        Command::Siasn { command } => siasn(&config(cli.config.as_deref(), flags)?, command),
    }
}

/// The settings from the file, the environment and `flags`.
fn config(file: Option<&Path>, flags: ConfigLayer) -> anyhow::Result<HubConfig> {
    Ok(HubConfig::resolve(file, &|name| std::env::var(name).ok(), flags)?)
}

/// Opens the hub in the configured data folder; creates the folder only when `create`.
fn open_hub(config: &HubConfig, create: bool) -> anyhow::Result<Hub> {
    let dir = &config.data_dir;
    if create {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("folder data hub {} tidak dapat dibuat; periksa path dan izin", dir.display()))?;
    } else if !dir.is_dir() {
        bail!(
            "folder data hub {} belum ada; periksa --data (atau LURING_HUB_DATA), atau isi hub dulu dengan \
             `luring-hub roster add` atau `luring-hub import`",
            dir.display()
        );
    }
    Hub::open(dir, HubOptions::default())
        .with_context(|| format!("hub di {} tidak dapat dibuka; periksa izin folder itu", dir.display()))
}

/// `serve`.
fn serve(config: &HubConfig) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .with_context(|| format!("filter log `{}` tidak sah; contoh yang sah: info,hub=debug", config.log))?;
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(io::stderr).init();
    let issuer = config.require_issuer()?;
    let mut verifier = TokenVerifier::new(issuer, &config.client_id)
        .with_context(|| "periksa `issuer` dan `client_id` di konfigurasi".to_owned())?;
    if let Some(audience) = &config.audience {
        verifier = verifier.with_audience(audience.clone());
    }
    let hub = open_hub(config, true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("runtime tokio tidak dapat dimulai")?;
    if config.siasn.jadwal_menit > 0 {
        runtime.spawn(siasn_schedule(hub.clone(), config.clone()));
    }
    runtime.block_on(hub::server::serve(config, hub, verifier, std::future::pending()))?;
    // Requests still in the blocking pool (a long import call) get a bounded time to finish.
    runtime.shutdown_timeout(Duration::from_secs(10));
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// import

/// An SI-ASN export.
#[derive(Debug)]
enum Source {
    /// The "Export Data ASN" CSV.
    Csv(PathBuf),
    /// A folder of saved web-service responses.
    Ws(PathBuf),
}

impl Source {
    fn path(&self) -> &Path {
        match self {
            Source::Csv(path) | Source::Ws(path) => path,
        }
    }

    /// Decodes every pegawai, handing each to `on_pegawai` (which may stop the read); returns the warnings.
    fn read(&self, on_pegawai: &mut dyn FnMut(Pegawai) -> ControlFlow<()>) -> anyhow::Result<usize> {
        match self {
            Source::Csv(file) => read_csv(file, on_pegawai),
            Source::Ws(dir) => read_ws(dir, on_pegawai),
        }
    }
}

/// Streams the CSV's records (`model::siasn::export`); returns the number of warnings.
fn read_csv(file: &Path, on_pegawai: &mut dyn FnMut(Pegawai) -> ControlFlow<()>) -> anyhow::Result<usize> {
    if file.is_dir() {
        bail!("{} adalah folder; untuk folder respons web service pakai `import siasn-ws`", file.display());
    }
    let input = File::open(file)
        .with_context(|| format!("tidak dapat membuka {}; periksa path dan izin berkas", file.display()))?;
    let mut warnings = 0;
    let decoded = export::decode_stream(io::BufReader::new(input), &mut |record| {
        warnings += record.warnings.len();
        on_pegawai(Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
    })
    .with_context(|| format!("gagal membaca {}", file.display()))?;
    if let Some(fatal) = decoded.fatal {
        bail!("{} tidak dapat dibaca: {fatal}", file.display());
    }
    Ok(warnings + decoded.warnings.len())
}

/// Streams the pegawai of a WS folder (`model::siasn::ws`); returns the number of warnings.
///
/// Files are `<endpoint>/<nip>.json` for the endpoints of [`ws::PEGAWAI_ENDPOINTS`]; other folders and files are
/// skipped (`luring-cli inspect siasn-ws` reports them in detail).
fn read_ws(dir: &Path, on_pegawai: &mut dyn FnMut(Pegawai) -> ControlFlow<()>) -> anyhow::Result<usize> {
    if !dir.is_dir() {
        bail!("{} bukan folder; berikan folder berisi data-utama/<nip>.json dan rw-*/<nip>.json", dir.display());
    }
    let mut by_nip: BTreeMap<String, BTreeMap<&'static str, PathBuf>> = BTreeMap::new();
    for endpoint in ws::PEGAWAI_ENDPOINTS {
        let folder = dir.join(endpoint);
        if !folder.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("tidak dapat membaca folder {}; periksa izin", folder.display()))?;
        for entry in entries {
            let path = entry.with_context(|| format!("tidak dapat membaca folder {}", folder.display()))?.path();
            let is_json = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
            let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
            if is_json && path.is_file() && !stem.starts_with('.') {
                by_nip.entry(stem).or_default().insert(endpoint, path);
            }
        }
    }
    if by_nip.is_empty() {
        bail!("tidak ada berkas <nip>.json di {}; berikan folder berisi data-utama/<nip>.json", dir.display());
    }
    let mut warnings = 0;
    for (stem, files) in by_nip {
        let nip = Nip::clean(&stem);
        let mut record_warnings = Vec::new();
        let mut body_of = |endpoint: &str| -> Option<String> {
            let path = files.get(endpoint)?;
            match std::fs::read(path) {
                Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                Err(_) => {
                    warnings += 1;
                    None
                }
            }
        };
        let decoded = ws::decode_pegawai(&nip, &mut body_of, &mut record_warnings);
        warnings += record_warnings.len();
        if let Some(pegawai) = decoded
            && on_pegawai(pegawai).is_break()
        {
            break;
        }
    }
    Ok(warnings)
}

/// What an export holds, for `--dry-run` and the import summary.
#[derive(Debug, Default)]
struct Tally {
    pegawai: usize,
    without_nip: usize,
    duplicate_nip: usize,
    other_instansi: usize,
    jenis_asn: BTreeMap<&'static str, usize>,
    seen: std::collections::HashSet<String>,
}

impl Tally {
    fn count(&mut self, pegawai: &Pegawai, instansi: &str) {
        self.pegawai += 1;
        let data = &pegawai.data_utama;
        let nip = data.nip.as_str();
        if nip.is_empty() {
            self.without_nip += 1;
        } else if !self.seen.insert(nip.to_owned()) {
            self.duplicate_nip += 1;
        }
        if data.instansi_induk_id.as_deref().is_some_and(|id| id != instansi) {
            self.other_instansi += 1;
        }
        *self.jenis_asn.entry(data.jenis_asn.map_or("tidak diketahui", |j| j.as_str())).or_default() += 1;
    }
}

/// `import … --dry-run`: the report of `luring-cli inspect` on the same input (`siasn_inspect`; with `--json` one
/// object per pegawai and nothing else), then, in text mode, what an import into `target` would do.
fn dry_run(source: &Source, target: &ImportTarget) -> anyhow::Result<()> {
    let options = siasn_inspect::Options { json: target.json, today: target.today, max_warnings: 20 };
    let instansi = target.instansi.as_str();
    let (inspect_source, impor) = match source {
        Source::Csv(file) => (
            siasn_inspect::Source::SiasnCsv { file: file.clone(), ref_unor: None, options },
            format!("luring-hub import siasn-csv {} --instansi {instansi}", file.display()),
        ),
        Source::Ws(dir) => (
            siasn_inspect::Source::SiasnWs { dir: dir.clone(), options },
            format!("luring-hub import siasn-ws {} --instansi {instansi}", dir.display()),
        ),
    };
    siasn_inspect::run(inspect_source, &impor)?;
    if target.json {
        return Ok(());
    }
    let bar = spinner("{spinner} {pos} pegawai dibaca ({per_sec}, {elapsed})");
    let mut tally = Tally::default();
    source.read(&mut |pegawai| {
        tally.count(&pegawai, instansi);
        bar.set_position(tally.pegawai as u64);
        ControlFlow::Continue(())
    })?;
    bar.finish_and_clear();
    let mut out = io::stdout().lock();
    writeln!(out, "Uji coba impor ke hub (--dry-run: tidak ada yang disimpan).")?;
    writeln!(out, "  cakupan tujuan: instansi:{instansi}")?;
    if tally.without_nip > 0 {
        writeln!(out, "  tanpa NIP (akan dilewati): {}", tally.without_nip)?;
    }
    if tally.duplicate_nip > 0 {
        writeln!(out, "  NIP ganda (digabung): {}", tally.duplicate_nip)?;
    }
    if tally.other_instansi > 0 {
        writeln!(
            out,
            "  instansi induk di data berbeda dari --instansi: {} (periksa id instansi sebelum mengimpor)",
            tally.other_instansi
        )?;
    }
    writeln!(out, "Jalankan lagi tanpa --dry-run untuk mengimpor.")?;
    Ok(())
}

fn inspect_hint(source: &Source, warnings: usize) -> String {
    if warnings == 0 {
        return String::new();
    }
    let command = match source {
        Source::Csv(_) => "siasn-csv",
        Source::Ws(_) => "siasn-ws",
    };
    format!("; rinciannya: `luring-cli inspect {command} {}`", source.path().display())
}

/// `import`: decodes on one thread and imports on this one, with a progress bar.
fn import(hub: &Hub, source: &Source, instansi: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let (report, tally, warnings) = import_stream(hub, instansi, |send| {
        let mut tally = Tally::default();
        let warnings = source.read(&mut |pegawai| {
            tally.count(&pegawai, instansi);
            send(pegawai)
        })?;
        Ok((tally, warnings))
    })?;
    let mut out = io::stdout().lock();
    let elapsed = started.elapsed().as_secs_f64();
    writeln!(out, "Impor {} ke instansi:{instansi} selesai dalam {elapsed:.1} s.", source.path().display())?;
    print_report(&mut out, &report)?;
    if tally.other_instansi > 0 {
        writeln!(out, "  instansi induk di data berbeda dari --instansi: {}", tally.other_instansi)?;
    }
    if warnings > 0 {
        writeln!(out, "  peringatan data: {warnings}{}", inspect_hint(source, warnings))?;
    }
    Ok(())
}

/// Runs `produce` on a reader thread, handing each pegawai to [`Hub::import_pegawai`] through a bounded channel.
fn import_stream<T: Send>(
    hub: &Hub,
    instansi: &str,
    produce: impl FnOnce(&mut dyn FnMut(Pegawai) -> ControlFlow<()>) -> anyhow::Result<(Tally, T)> + Send,
) -> anyhow::Result<(ImportReport, Tally, T)> {
    let bar = spinner("{spinner} {pos} pegawai diimpor ({per_sec}, {elapsed})");
    let (sender, receiver) = mpsc::sync_channel::<Pegawai>(1024);
    let result = std::thread::scope(|scope| -> anyhow::Result<(ImportReport, Tally, T)> {
        let reader = scope.spawn(move || {
            // A closed channel means the import stopped (an error, reported below): stop reading too.
            let mut send = |pegawai| {
                if sender.send(pegawai).is_err() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            };
            produce(&mut send)
        });
        let report = hub.import_pegawai(instansi, receiver, &mut |done| bar.set_position(done as u64));
        let read = reader.join().map_err(|_| anyhow::anyhow!("pembaca berkas berhenti tak terduga"))?;
        let report = report.with_context(|| format!("impor ke instansi:{instansi} gagal; perbaiki lalu ulangi"))?;
        let (tally, extra) = read?;
        Ok((report, tally, extra))
    });
    bar.finish_and_clear();
    result
}

fn print_report(out: &mut impl Write, report: &ImportReport) -> io::Result<()> {
    writeln!(out, "  baru: {}, berubah: {}, tidak berubah: {}", report.inserted, report.updated, report.unchanged)?;
    if report.skipped > 0 {
        writeln!(out, "  dilewati (tidak dapat diimpor, mis. tanpa NIP): {}", report.skipped)?;
    }
    Ok(())
}

/// A spinner on stderr (hidden when stderr is not a terminal).
fn spinner(template: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()));
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

// ---------------------------------------------------------------------------------------------------------------
// roster, device

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
        format!("peran `{text}` tidak dikenal; pilih salah satu: {}", known.join(", "))
    })
}

fn roster(hub: &Hub, command: RosterCommand) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match command {
        RosterCommand::Add { nip, instansi, roles, nama } => {
            let nip = nip.trim().to_owned();
            if nip.is_empty() || instansi.trim().is_empty() {
                bail!("NIP dan --instansi tidak boleh kosong");
            }
            let nama = nama.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            let entry = RosterEntry { nip: nip.clone(), nama, instansi: instansi.trim().to_owned(), roles };
            let roles: Vec<&str> = entry.roles.iter().map(|role| role.as_str()).collect();
            let roles = roles.join(", ");
            hub.roster_add(entry).with_context(|| format!("{nip} tidak dapat ditambahkan ke roster"))?;
            writeln!(out, "{nip} ada di roster: instansi {}, peran {roles}.", instansi.trim())?;
        }
        RosterCommand::Remove { nip } => {
            if !hub.roster_remove(nip.trim())? {
                bail!("{nip} tidak ada di roster; lihat daftarnya dengan `luring-hub roster list`");
            }
            writeln!(out, "{nip} dihapus dari roster; token miliknya tidak lagi diterima hub.")?;
        }
        RosterCommand::List { json } => {
            let entries = hub.roster_list()?;
            if json {
                for entry in &entries {
                    serde_json::to_writer(&mut out, entry)?;
                    writeln!(out)?;
                }
            } else if entries.is_empty() {
                writeln!(
                    out,
                    "Roster kosong. Tambahkan dengan `luring-hub roster add NIP --instansi ID --role PERAN`."
                )?;
            } else {
                writeln!(out, "{:<20} {:<34} {:<40} NAMA", "NIP", "INSTANSI", "PERAN")?;
                for entry in &entries {
                    let roles: Vec<&str> = entry.roles.iter().map(|role| role.as_str()).collect();
                    writeln!(
                        out,
                        "{:<20} {:<34} {:<40} {}",
                        entry.nip,
                        entry.instansi,
                        roles.join(","),
                        entry.nama.as_deref().unwrap_or("-")
                    )?;
                }
                writeln!(out, "{} entri.", entries.len())?;
            }
        }
    }
    Ok(())
}

fn device(hub: &Hub, command: DeviceCommand) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match command {
        DeviceCommand::List { json } => {
            let devices = hub.devices()?;
            if json {
                for device in &devices {
                    serde_json::to_writer(&mut out, device)?;
                    writeln!(out)?;
                }
            } else if devices.is_empty() {
                writeln!(out, "Belum ada perangkat terdaftar; perangkat mendaftar sendiri saat pertama sinkron.")?;
            } else {
                writeln!(out, "{:<34} {:<20} {:<10} NAMA", "AKTOR", "NIP", "STATUS")?;
                for device in &devices {
                    let status = if device.revoked_at_ms.is_some() { "dicabut" } else { "aktif" };
                    writeln!(out, "{:<34} {:<20} {:<10} {}", device.actor_hex, device.nip, status, device.name)?;
                }
                writeln!(out, "{} perangkat.", devices.len())?;
            }
        }
        DeviceCommand::Revoke { actor_hex } => {
            let actor = actor_hex.trim().to_ascii_lowercase();
            if !hub.revoke_device(&actor)? {
                bail!("tidak ada perangkat dengan aktor {actor}; lihat daftarnya dengan `luring-hub device list`");
            }
            writeln!(
                out,
                "Perangkat {actor} dicabut: perubahan dari aktor ini dan sinkronisasi yang menyebut perangkat ini \
                 ditolak mulai sekarang (device_revoked); aplikasinya mengunci cakupan."
            )?;
            writeln!(
                out,
                "Catatan: akun pemiliknya masih dapat membaca lewat perangkat lain atau token yang dicuri. Untuk \
                 laptop yang hilang, akhiri juga sesi SSO akun itu di penyedia SSO (Keycloak: Sessions / Revoke), atau \
                 keluarkan NIP-nya dari roster (`luring-hub roster remove <nip>`) sampai perangkat baru siap."
            )?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// seed-demo

/// One account of `tools/idp/accounts.json`.
#[derive(Debug, Deserialize)]
struct DemoAccount {
    nip: String,
    name: Option<String>,
    peran: String,
    instansi_id: Option<String>,
}

/// The demo accounts file.
#[derive(Debug, Deserialize)]
struct DemoAccounts {
    accounts: Vec<DemoAccount>,
}

/// The demo accounts file: `--accounts`, else `tools/idp/accounts.json` under the working directory, else in
/// the workspace this binary was built from.
fn accounts_file(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_owned());
    }
    let relative = Path::new("tools").join("idp").join("accounts.json");
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&relative);
    [relative, built].into_iter().find(|path| path.is_file()).map(|path| path.canonicalize().unwrap_or(path))
}

fn seed_demo(hub: &Hub, args: &SeedArgs) -> anyhow::Result<()> {
    let instansi = args.instansi.trim();
    if instansi.is_empty() {
        bail!("--instansi tidak boleh kosong");
    }
    let started = Instant::now();
    let config = generator::Config { pegawai: args.pegawai, seed: args.seed, ..generator::Config::default() };
    let (report, _, warnings) = import_stream(hub, instansi, |send| {
        let mut warnings = 0usize;
        for generated in generator::Generator::new(&config) {
            let nip = Nip::clean(&generated.nip);
            let mut record_warnings = Vec::new();
            let mut body_of = |endpoint: &str| -> Option<String> {
                if endpoint == "data-utama" {
                    return Some(serde_json::json!({"code": 1, "data": generated.data_utama}).to_string());
                }
                generated.riwayat.get(endpoint).map(|data| match data {
                    Some(data) => serde_json::json!({"code": 1, "data": data}).to_string(),
                    None => r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_owned(),
                })
            };
            let decoded = ws::decode_pegawai(&nip, &mut body_of, &mut record_warnings);
            warnings += record_warnings.len();
            let Some(mut pegawai) = decoded else { continue };
            // The generated kabupaten has its own instansi id; the demo puts it under the one asked for.
            pegawai.data_utama.instansi_induk_id = Some(instansi.to_owned());
            pegawai.data_utama.instansi_kerja_id = Some(instansi.to_owned());
            if send(pegawai).is_break() {
                break;
            }
        }
        Ok((Tally::default(), warnings))
    })?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "Kabupaten contoh (benih {}): {} pegawai ke instansi:{instansi} dalam {:.1} s.",
        args.seed,
        args.pegawai,
        started.elapsed().as_secs_f64()
    )?;
    print_report(&mut out, &report)?;
    if warnings > 0 {
        writeln!(out, "  peringatan data: {warnings}")?;
    }
    match accounts_file(args.accounts.as_deref()) {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("tidak dapat membaca akun demo {}", path.display()))?;
            let accounts: DemoAccounts = serde_json::from_str(&text)
                .with_context(|| format!("{} bukan berkas akun demo yang sah", path.display()))?;
            let mut added = 0;
            for account in accounts.accounts {
                let role = parse_role(&account.peran)
                    .map_err(|e| anyhow::anyhow!("{e} (akun {} di {})", account.nip, path.display()))?;
                // BKN and hub accounts have no instansi of their own; they read every scope by role.
                let entry = RosterEntry {
                    nip: account.nip.clone(),
                    nama: account.name,
                    instansi: account.instansi_id.unwrap_or_else(|| instansi.to_owned()),
                    roles: vec![role],
                };
                hub.roster_add(entry).with_context(|| format!("akun demo {} tidak dapat masuk roster", account.nip))?;
                added += 1;
            }
            writeln!(out, "Roster: {added} akun demo dari {} (kata sandinya ada di berkas itu).", path.display())?;
        }
        None => writeln!(
            out,
            "Akun demo tools/idp/accounts.json tidak ditemukan; tambahkan petugas dengan `luring-hub roster add`."
        )?,
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// siasn

/// The environment, for the SI-ASN secrets (read when a client is built).
fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The SI-ASN client of the configuration, with the secrets read now.
fn siasn_client(config: &HubConfig) -> anyhow::Result<SiasnClient> {
    let client_config = config.siasn.client_config(&env_lookup)?;
    Ok(SiasnClient::new(client_config)?)
}

/// The pull options of the configuration for `instansi`, today.
fn pull_options(config: &HubConfig, instansi: &str) -> PullOptions {
    let mut options = PullOptions::new(instansi, chrono::Local::now().date_naive());
    options.endpoints = config.siasn.endpoint.clone();
    options.pensiun_bulan = config.siasn.pensiun_bulan;
    options
}

fn siasn_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("runtime tokio tidak dapat dimulai")
}

fn siasn(config: &HubConfig, command: SiasnCommand) -> anyhow::Result<()> {
    match command {
        SiasnCommand::Pull { instansi, json, ulang } => {
            let instansi = instansi.trim().to_owned();
            let client = siasn_client(config)?;
            let hub = open_hub(config, true)?;
            let store = SiasnStore::open(&config.data_dir)?;
            let mut options = pull_options(config, &instansi);
            options.ulang = ulang;
            siasn_pull(&hub, &client, &store, &options, json)
        }
        SiasnCommand::Push { instansi, json } => {
            let instansi = instansi.trim().to_owned();
            let client = siasn_client(config)?;
            let hub = open_hub(config, false)?;
            let store = SiasnStore::open(&config.data_dir)?;
            siasn_push(&hub, &client, &store, &instansi, json)
        }
        SiasnCommand::Status { json } => siasn_status(config, json),
    }
}

fn siasn_pull(
    hub: &Hub,
    client: &SiasnClient,
    store: &SiasnStore,
    options: &PullOptions,
    json: bool,
) -> anyhow::Result<()> {
    let instansi = options.instansi.clone();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} pegawai ({rate}, sisa {eta})")
            .map(|style| {
                // Whole pegawai per second: indicatif's `{per_sec}` prints four decimals.
                style.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                })
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let runtime = siasn_runtime()?;
    let result =
        runtime.block_on(hub::siasn::pull::pull(hub, client, store, options, &mut |progress| match progress {
            Progress::Daftar { endpoint, baris } => bar.set_message(format!("{endpoint}: {baris} baris")),
            Progress::Pegawai { selesai, total } => {
                bar.set_message("");
                bar.set_length(total as u64);
                bar.set_position(selesai as u64);
            }
        }));
    bar.finish_and_clear();
    let report = siasn_hasil(result, || {
        format!(
            "penarikan SI-ASN instansi:{instansi} berhenti; yang sudah selesai tersimpan, jalankan lagi perintah yang \
             sama untuk melanjutkan"
        )
    })?;
    let mut out = io::stdout().lock();
    if json {
        for nip in &report.per_nip {
            serde_json::to_writer(&mut out, nip)?;
            writeln!(out)?;
        }
        let mut summary = serde_json::to_value(&report)?;
        if let Some(object) = summary.as_object_mut() {
            object.remove("per_nip");
        }
        serde_json::to_writer(&mut out, &serde_json::json!({ "ringkasan": summary }))?;
        writeln!(out)?;
        return Ok(());
    }
    let resumed = if report.dilanjutkan {
        format!(", melanjutkan job {}: {} NIP sudah selesai sebelumnya", report.job, report.nip_sebelumnya)
    } else {
        format!(", job {}", report.job)
    };
    writeln!(out, "Penarikan SI-ASN instansi:{instansi} selesai dalam {:.1} s{resumed}.", report.detik)?;
    let per_nip = if report.nip_diambil > 0 { report.permintaan as f64 / report.nip_diambil as f64 } else { 0.0 };
    writeln!(
        out,
        "  NIP: {} (diambil di run ini: {}); permintaan HTTP: {} ({per_nip:.1} per NIP, termasuk daftar dan token)",
        report.nip_total, report.nip_diambil, report.permintaan
    )?;
    writeln!(
        out,
        "  baru: {}, berubah: {}, tetap: {}, dilewati: {}, gagal: {}",
        report.baru,
        report.berubah,
        report.tetap,
        report.dilewati,
        report.gagal.len()
    )?;
    writeln!(
        out,
        "  daftar: unor {}, usulan KP {}, usulan pensiun {}; status usulan diperbarui: {}",
        report.unor, report.usulan_kp, report.usulan_pensiun, report.status_usulan_diperbarui
    )?;
    if report.peringatan > 0 {
        writeln!(out, "  peringatan data: {} (rincian per NIP: --json)", report.peringatan)?;
    }
    for galat in &report.galat_daftar {
        writeln!(out, "  daftar gagal: {galat}")?;
    }
    const SHOWN: usize = 20;
    for failed in report.gagal.iter().take(SHOWN) {
        writeln!(out, "  gagal {}: {}", failed.nip, failed.galat.as_deref().unwrap_or("-"))?;
    }
    if report.gagal.len() > SHOWN {
        writeln!(out, "  … dan {} NIP gagal lainnya (semua: --json)", report.gagal.len() - SHOWN)?;
    }
    if !report.gagal.is_empty() {
        writeln!(out, "NIP yang gagal dicoba lagi pada penarikan berikutnya.")?;
    }
    Ok(())
}

/// A pull's or push's result with `context` ("run it again to continue") in front of an error, except the errors
/// running again cannot fix (configuration, another job holding the lock, a wrong `--instansi`): those alone.
fn siasn_hasil<T>(result: Result<T, SiasnError>, context: impl FnOnce() -> String) -> anyhow::Result<T> {
    match result {
        Ok(value) => Ok(value),
        Err(error @ (SiasnError::Konfigurasi(_) | SiasnError::SedangBerjalan(_) | SiasnError::InstansiLain { .. })) => {
            Err(error.into())
        }
        Err(error) => Err(anyhow::Error::new(error).context(context())),
    }
}

fn siasn_push(hub: &Hub, client: &SiasnClient, store: &SiasnStore, instansi: &str, json: bool) -> anyhow::Result<()> {
    let _lock = store.lock_job()?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bar:30} {pos}/{len} pegawai diperiksa ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let runtime = siasn_runtime()?;
    let result = runtime.block_on(hub::siasn::push::kirim(hub, client, store, instansi, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }));
    bar.finish_and_clear();
    let report = siasn_hasil(result, || {
        format!("pengiriman ke SI-ASN instansi:{instansi} berhenti; jalankan lagi, yang sudah terkirim tidak diulang")
    })?;
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "Pengiriman ke SI-ASN instansi:{instansi} selesai ({} pegawai diperiksa).", report.pegawai)?;
    writeln!(
        out,
        "  riwayat jabatan terkirim: {} (ditemukan sudah ada setelah jawaban hilang: {}), sudah terkirim sebelumnya: {}",
        report.terkirim, report.diadopsi, report.sudah
    )?;
    writeln!(out, "  dokumen terunggah: {}, sudah sebelumnya: {}", report.dokumen, report.dokumen_sudah)?;
    for (nip, row, pesan) in &report.gagal {
        writeln!(out, "  gagal {nip} {row}: {pesan}")?;
    }
    for (nip, row, pesan) in &report.menunggu {
        writeln!(out, "  menunggu kepastian {nip} {row}: {pesan}")?;
    }
    for (nip, row, why) in &report.dilewati {
        writeln!(out, "  dilewati {nip} {row}: {why}")?;
    }
    if !report.lewat_layanan_bkn.is_empty() {
        writeln!(out, "  tidak pernah dikirim lewat web service (diubah lewat layanan BKN):")?;
    }
    for field in &report.lewat_layanan_bkn {
        writeln!(out, "    {field}")?;
    }
    Ok(())
}

fn siasn_status(config: &HubConfig, json: bool) -> anyhow::Result<()> {
    let settings = &config.siasn;
    let sso = settings.sso_source_text(&env_lookup);
    // The expiry of a pasted token, read without verifying it; nothing else of the token is shown.
    let expiry = match settings.client_config(&env_lookup) {
        Ok(client_config) => match client_config.sso {
            SsoSource::Token(token) => hub::siasn::client::jwt_kedaluwarsa(&token),
            SsoSource::Password { .. } => None,
        },
        Err(_) => None,
    };
    let ready = settings.client_config(&env_lookup).map(|_| ()).map_err(|error| error.to_string());
    let jobs = if config.data_dir.join(hub::siasn::job::FILE_NAME).is_file() {
        SiasnStore::open(&config.data_dir)?.jobs(10)?
    } else {
        Vec::new()
    };
    let mut out = io::stdout().lock();
    if json {
        let status = serde_json::json!({
            "siasn": {
                "base_url": settings.base_url,
                "siap": ready.is_ok(),
                "galat_konfigurasi": ready.as_ref().err(),
                "sso": sso,
                "sso_kedaluwarsa": expiry.map(|exp| exp.to_rfc3339()),
                "jadwal_menit": settings.jadwal_menit,
                "instansi_terjadwal": settings.instansi,
            }
        });
        serde_json::to_writer(&mut out, &status)?;
        writeln!(out)?;
        for job in &jobs {
            serde_json::to_writer(&mut out, job)?;
            writeln!(out)?;
        }
        return Ok(());
    }
    writeln!(out, "SI-ASN: {}", settings.base_url)?;
    match &ready {
        Ok(()) => writeln!(out, "  konfigurasi: lengkap")?,
        Err(error) => writeln!(out, "  konfigurasi: belum lengkap: {error}")?,
    }
    writeln!(out, "  token SSO: {}", sso.as_deref().unwrap_or("belum diatur"))?;
    match expiry {
        Some(exp) if exp <= chrono::Utc::now() => writeln!(
            out,
            "  token SSO kedaluwarsa sejak {} (UTC): masuk lagi ke SSO SIASN di browser dan simpan token barunya",
            exp.format("%d-%m-%Y %H:%M")
        )?,
        Some(exp) => {
            let left = exp - chrono::Utc::now();
            writeln!(
                out,
                "  token SSO berlaku sampai {} (UTC), sisa {} jam {} menit",
                exp.format("%d-%m-%Y %H:%M"),
                left.num_hours(),
                left.num_minutes() % 60
            )?;
        }
        None => {}
    }
    if settings.jadwal_menit > 0 {
        writeln!(
            out,
            "  jadwal serve: tiap {} menit, instansi {}",
            settings.jadwal_menit,
            settings.instansi.join(", ")
        )?;
    } else {
        writeln!(out, "  jadwal serve: mati (isi jadwal_menit di [siasn])")?;
    }
    if jobs.is_empty() {
        writeln!(out, "Belum ada pekerjaan SI-ASN. Mulai dengan `luring-hub siasn pull --instansi ID`.")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<6} {:<6} {:<34} {:<11} {:<17} {:>7} {:>8} {:>6}",
        "JOB", "JENIS", "INSTANSI", "STATUS", "MULAI (UTC)", "NIP", "SELESAI", "GAGAL"
    )?;
    for job in &jobs {
        writeln!(
            out,
            "{:<6} {:<6} {:<34} {:<11} {:<17} {:>7} {:>8} {:>6}",
            job.id,
            job.jenis,
            job.instansi,
            job.status.as_str(),
            job.dimulai.format("%d-%m-%Y %H:%M"),
            job.nip_total,
            job.nip_selesai,
            job.nip_gagal
        )?;
    }
    Ok(())
}

/// The schedule of `serve`: every `[siasn] jadwal_menit`, a pull of each configured instansi. A run that cannot
/// start (configuration, an expired SSO token, another job running) is logged and tried at the next tick; nothing
/// of the data is logged.
async fn siasn_schedule(hub: Hub, config: HubConfig) {
    let period = Duration::from_secs(config.siasn.jadwal_menit.saturating_mul(60).max(60));
    // The first pull one period after the start, so restarting the hub does not start a pull each time.
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        for instansi in &config.siasn.instansi {
            let client = match siasn_client(&config) {
                Ok(client) => client,
                Err(error) => {
                    tracing::warn!(instansi, error = %format!("{error:#}"), "penarikan SI-ASN terjadwal dilewati");
                    continue;
                }
            };
            if let Some(exp) = client.sso_kedaluwarsa()
                && exp <= chrono::Utc::now()
            {
                tracing::warn!(
                    instansi,
                    kedaluwarsa = %exp,
                    "token SSO SI-ASN kedaluwarsa; penarikan terjadwal dilewati sampai token baru disimpan"
                );
                continue;
            }
            let store = match SiasnStore::open(&config.data_dir) {
                Ok(store) => store,
                Err(error) => {
                    tracing::warn!(instansi, error = %error, "penarikan SI-ASN terjadwal dilewati");
                    continue;
                }
            };
            let options = pull_options(&config, instansi);
            match hub::siasn::pull::pull(&hub, &client, &store, &options, &mut |_| {}).await {
                Ok(report) => tracing::info!(
                    instansi,
                    job = report.job,
                    baru = report.baru,
                    berubah = report.berubah,
                    tetap = report.tetap,
                    gagal = report.gagal.len(),
                    permintaan = report.permintaan,
                    detik = report.detik,
                    "penarikan SI-ASN terjadwal selesai"
                ),
                Err(error) => tracing::warn!(instansi, error = %error, "penarikan SI-ASN terjadwal berhenti"),
            }
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}
