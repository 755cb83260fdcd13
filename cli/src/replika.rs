//! Opening the replica folder named by `--data` (or `LURING_DATA`) for the replica commands.
//!
//! The folder holds `replika.sqlite` (and its WAL files), encrypted with SQLCipher, and `replika.id`, which names
//! its key in the system keyring (`app::replica`). The keyring is the platform's, or the one named by
//! `LURING_SECRET_STORE` (`app::secret::from_env`). A plain replica written by an older version is encrypted in
//! place on first open.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
pub use app::replica::FILE_NAME;
use store::Replica;

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
    let secrets = app::secret::from_env()?;
    if std::env::var(app::secret::STORE_VARIABLE).is_ok_and(|store| store.trim().starts_with("berkas:")) {
        eprintln!(
            "peringatan: kunci replika disimpan di berkas tanpa perlindungan ({}); simpan folder itu selama replika \
             dipakai",
            app::secret::STORE_VARIABLE
        );
    }
    app::replica::open(data, secrets.as_ref(), create).with_context(|| {
        format!("tidak dapat membuka replika {}; apakah berkas ini replika SIASN Luring?", path.display())
    })
}
