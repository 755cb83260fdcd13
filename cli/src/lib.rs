//! The `luring-cli` commands, as a library so tests can call them.
//!
//! Each subcommand is a module: [`inspect`] (pre-import check of an SI-ASN export). Commands print human-readable
//! Bahasa Indonesia by default and one JSON object per line with `--json`. Errors name the file and what to do next.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a CLI reports to the terminal")]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod inspect;

/// SIASN Luring: data kepegawaian luring (offline) untuk BKD/BKPSDM.
#[derive(Debug, Parser)]
#[command(name = "luring-cli", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Periksa ekspor SI-ASN sebelum diimpor: jumlah, peringatan, fakta turunan, anomali IKD.
    Inspect {
        #[command(subcommand)]
        source: inspect::Source,
    },
}

/// Parses the command line, runs the command and maps errors to an exit code (0 ok, 1 failed, 2 usage).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect { source } => inspect::run(source),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`luring-cli … | head`): not an error of ours.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("galat: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
