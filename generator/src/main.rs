//! `luring-gen --pegawai N --seed S --out DIR [--today yyyy-mm-dd]`: writes a generated kabupaten to `DIR`
//! (`export-data-asn.csv`, `ws/`, `ringkasan.json`). Run through `cargo xtask gen`.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a CLI reports to the terminal")]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut config = generator::Config::default();
    let mut out: Option<PathBuf> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut at = 0;
    while at < args.len() {
        let value = args.get(at + 1).cloned().unwrap_or_default();
        let parsed = match args[at].as_str() {
            "--pegawai" => value.parse().map(|n| config.pegawai = n).map_err(|_| "--pegawai butuh angka"),
            "--seed" => value.parse().map(|n| config.seed = n).map_err(|_| "--seed butuh angka"),
            "--today" => value.parse().map(|date| config.today = date).map_err(|_| "--today butuh yyyy-mm-dd"),
            "--out" => {
                out = Some(PathBuf::from(value));
                Ok(())
            }
            _ => Err("pemakaian: luring-gen --pegawai N --seed S --out FOLDER [--today yyyy-mm-dd]"),
        };
        if let Err(message) = parsed {
            eprintln!("galat: {message}");
            return ExitCode::from(2);
        }
        at += 2;
    }
    let Some(out) = out else {
        eprintln!("galat: --out FOLDER wajib diisi");
        return ExitCode::from(2);
    };
    match generator::write_all(&config, &out) {
        Ok(_) => {
            println!("{} pegawai (seed {}) ditulis ke {}", config.pegawai, config.seed, out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("galat: tidak dapat menulis {}: {error}", out.display());
            ExitCode::FAILURE
        }
    }
}
