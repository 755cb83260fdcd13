//! Opening the replica folder named by `--data` (or `LURING_DATA`) for the replica commands.
//!
//! The folder holds `replika.sqlite` (and its WAL files). The key of an encrypted replica arrives with the sign-in
//! issue; until then the file is plain SQLite built with SQLCipher.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use store::{OpenOptions, Replica};

/// The replica file inside a data folder.
pub const FILE_NAME: &str = "replika.sqlite";

/// Opens (creating when `create`) the replica in `data`.
///
/// # Errors
/// When no folder was given, it cannot be created, or the file is not a replica.
pub fn open(data: Option<&Path>, create: bool) -> anyhow::Result<Replica> {
    let Some(data) = data else {
        bail!("folder data belum ditentukan; tambahkan --data <folder> atau setel LURING_DATA");
    };
    if !data.exists() {
        if !create {
            bail!(
                "folder data {} belum ada; impor dulu dengan `luring-cli --data {} import siasn-csv <berkas>`",
                data.display(),
                data.display()
            );
        }
        std::fs::create_dir_all(data).with_context(|| format!("tidak dapat membuat folder data {}", data.display()))?;
    }
    let path: PathBuf = data.join(FILE_NAME);
    if !create && !path.exists() {
        bail!(
            "{} belum berisi replika; impor dulu dengan `luring-cli --data {} import siasn-csv <berkas>`",
            data.display(),
            data.display()
        );
    }
    Replica::open(&path, OpenOptions::default()).with_context(|| {
        format!("tidak dapat membuka replika {}; apakah berkas ini replika SIASN Luring?", path.display())
    })
}
