//! Numbered SQL migrations of the desktop replica, applied in order on `PRAGMA user_version`.
//!
//! The files live in `schemas/sql/client/NNNN_name.sql` and are embedded here. A released file never changes: its
//! SHA-256 is locked in `schemas/sql/client/CHECKSUMS`, checked by this crate's tests (not at run time, where a
//! mismatch could only be a build mistake). Each migration runs in its own transaction with the version bump, so a
//! crash leaves the replica at the previous version. This module does not know what the tables mean.

use rusqlite::{Connection, TransactionBehavior};

use crate::Error;

/// One embedded migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Its number, 1-based and contiguous; the replica's `user_version` after it runs.
    pub version: u32,
    /// The file name under `schemas/sql/client/`.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_init.sql", sql: include_str!("../../schemas/sql/client/0001_init.sql") },
    Migration {
        version: 2,
        name: "0002_document_seed.sql",
        sql: include_str!("../../schemas/sql/client/0002_document_seed.sql"),
    },
    Migration {
        version: 3,
        name: "0003_pegawai_karantina.sql",
        sql: include_str!("../../schemas/sql/client/0003_pegawai_karantina.sql"),
    },
    Migration {
        version: 4,
        name: "0004_blob_part_repair.sql",
        sql: include_str!("../../schemas/sql/client/0004_blob_part_repair.sql"),
    },
    Migration {
        version: 5,
        name: "0005_pegawai_nama_fts.sql",
        sql: include_str!("../../schemas/sql/client/0005_pegawai_nama_fts.sql"),
    },
    Migration {
        version: 6,
        name: "0006_search_value.sql",
        sql: include_str!("../../schemas/sql/client/0006_search_value.sql"),
    },
    Migration {
        version: 7,
        name: "0007_usulan_alur.sql",
        sql: include_str!("../../schemas/sql/client/0007_usulan_alur.sql"),
    },
    Migration {
        version: 8,
        name: "0008_verifikasi_lapangan.sql",
        sql: include_str!("../../schemas/sql/client/0008_verifikasi_lapangan.sql"),
    },
    Migration {
        version: 9,
        name: "0009_pengingat.sql",
        sql: include_str!("../../schemas/sql/client/0009_pengingat.sql"),
    },
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

/// Brings `conn` up to [`latest_version`].
///
/// # Errors
/// [`Error::NewerSchema`] when the file was written by a newer build (an officer opened an old app on new data);
/// [`Error::Sqlite`] when a migration fails (its transaction is rolled back).
pub fn migrate(conn: &mut Connection) -> Result<u32, Error> {
    for migration in MIGRATIONS {
        // The version is read inside the write transaction, so two processes opening a new file at once do not
        // both run the same migration.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if current > latest_version() {
            return Err(Error::NewerSchema { found: current, supported: latest_version() });
        }
        if migration.version > current {
            tx.execute_batch(migration.sql)?;
            tx.pragma_update(None, "user_version", migration.version)?;
        }
        tx.commit()?;
    }
    Ok(latest_version())
}

/// The lines of `CHECKSUMS`: `<sha256 hex>  <file name>`, one per migration.
pub fn checksums() -> String {
    use sha2::{Digest, Sha256};
    let mut out = String::new();
    for migration in MIGRATIONS {
        let digest = Sha256::digest(migration.sql.as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        out.push_str(&format!("{hex}  {}\n", migration.name));
    }
    out
}
