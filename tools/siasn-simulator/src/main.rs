//! `siasn-simulator`: runs the SIMULATOR of BKN's SI-ASN web service (not BKN's service) on loopback until Ctrl-C,
//! serving a generated kabupaten, and prints what a client needs: the base URL, the consumer key/secret and an SSO
//! token to paste.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a CLI reports to the terminal")]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use siasn_simulator::{Faults, Simulator, SimulatorConfig};

/// SIMULATOR layanan web SI-ASN BKN (bukan layanan BKN yang asli): menyajikan data pegawai hasil generator
/// (fiktif) di 127.0.0.1 dalam bentuk respons SI-ASN, lengkap dengan token APIM + SSO dan gangguan yang disengaja.
#[derive(Debug, Parser)]
#[command(name = "siasn-simulator", version)]
struct Args {
    /// Jumlah pegawai yang dibangkitkan.
    #[arg(long, default_value_t = 200)]
    pegawai: usize,
    /// Seed data (data sama untuk seed sama).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Port di 127.0.0.1 (0 = port bebas).
    #[arg(long, default_value_t = 8243)]
    port: u16,
    /// Jeda tambahan untuk setiap respons, milidetik.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Peluang 401 acak {"message":"invalid or expired jwt"} (0–1).
    #[arg(long, default_value_t = 0.0)]
    p_401: f64,
    /// Peluang koneksi diputus di tengah respons (0–1).
    #[arg(long, default_value_t = 0.0)]
    p_reset: f64,
    /// Peluang respons lambat (0–1).
    #[arg(long, default_value_t = 0.0)]
    p_slow: f64,
    /// Lama tambahan respons lambat, milidetik.
    #[arg(long, default_value_t = 5_000)]
    slow_ms: u64,
    /// Umur token APIM, detik.
    #[arg(long, default_value_t = 3_600)]
    apim_ttl_s: u64,
    /// Daftar usulan bergeser saat dipaging (baris baru di depan, count keliru).
    #[arg(long)]
    shift_pages: bool,
    /// N permintaan tulis berikutnya diterapkan, lalu responsnya diputus.
    #[arg(long, default_value_t = 0)]
    lose_write_responses: u32,
    /// Seed gangguan acak.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Consumer key APIM yang diterima.
    #[arg(long, default_value = "simulator-key")]
    consumer_key: String,
    /// Consumer secret APIM yang diterima.
    #[arg(long, default_value = "simulator-secret")]
    consumer_secret: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SimulatorConfig {
        pegawai: args.pegawai,
        seed: args.seed,
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)),
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            p_401: args.p_401,
            p_reset: args.p_reset,
            p_slow: args.p_slow,
            slow: Duration::from_millis(args.slow_ms),
            apim_ttl: Some(Duration::from_secs(args.apim_ttl_s)),
            shift_pages: args.shift_pages,
            lose_write_responses: args.lose_write_responses,
            drop_writes: 0,
            saves_without_id: 0,
            seed: args.fault_seed,
        },
        consumer_key: args.consumer_key.clone(),
        consumer_secret: args.consumer_secret.clone(),
    };
    println!("SIMULATOR layanan web SI-ASN BKN — bukan layanan BKN yang asli; semua data fiktif.");
    println!("Membangkitkan {} pegawai (seed {}) …", args.pegawai, args.seed);
    let simulator = match Simulator::start(config).await {
        Ok(simulator) => simulator,
        Err(error) => {
            eprintln!("galat: simulator tidak dapat dijalankan di 127.0.0.1:{}: {error}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let base = simulator.base_url();
    println!("Base URL        : {base}");
    println!("Layanan web     : {base}/apisiasn/1.0");
    println!("Referensi       : {base}/referensi_siasn/1");
    println!("Token APIM      : POST {base}/oauth2/token (Basic consumer key:secret, grant_type=client_credentials)");
    println!("Token SSO       : POST {base}/auth/realms/public-siasn/protocol/openid-connect/token");
    println!("                  (grant_type=password, username = NIP 18 digit, password = simulator)");
    println!("Consumer key    : {}", args.consumer_key);
    println!("Consumer secret : {}", args.consumer_secret);
    println!("Instansi        : {}", simulator.instansi_id());
    println!("Token SSO (12 jam, untuk ditempel):");
    println!("{}", simulator.sso_token(Duration::from_secs(43_200)));
    println!("Tekan Ctrl-C untuk berhenti.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("galat: sinyal Ctrl-C tidak dapat ditunggu: {error}");
    }
    let statistik = simulator.statistik();
    simulator.stop().await;
    println!("Simulator berhenti setelah {} permintaan.", statistik.permintaan);
    ExitCode::SUCCESS
}
