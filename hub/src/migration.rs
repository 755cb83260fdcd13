//! Numbered SQL migrations of the hub database, applied in order on `PRAGMA user_version`.
//!
//! The files live in `schemas/sql/hub/NNNN_name.sql` and are embedded here. A released file never changes: its
//! SHA-256 is locked in `schemas/sql/hub/CHECKSUMS`, checked by this crate's tests (not at run time, where a
//! mismatch could only be a build mistake). Each migration runs in its own transaction with the version bump, so a
//! crash leaves the database at the previous version. This module does not know what the tables mean, and it is
//! the SQLite backend's: another [`crate::storage::Storage`] brings its own schema.

use rusqlite::{Connection, TransactionBehavior};

/// One embedded migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// Its number, 1-based and contiguous; the database's `user_version` after it runs.
    pub version: u32,
    /// The file name under `schemas/sql/hub/`.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 1, name: "0001_init.sql", sql: include_str!("../../schemas/sql/hub/0001_init.sql") }];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

/// Why the database could not be migrated.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The file was written by a newer hub build; this one refuses to touch it.
    #[error("database hub berversi skema {found}, lebih baru dari yang dikenal build ini ({supported})")]
    NewerSchema {
        /// The file's `user_version`.
        found: u32,
        /// [`latest_version`].
        supported: u32,
    },
    /// A migration failed; its transaction was rolled back.
    #[error("migrasi database hub gagal")]
    Sqlite(#[from] rusqlite::Error),
}

/// Brings `conn` up to [`latest_version`]; returns it.
///
/// # Errors
/// [`MigrationError::NewerSchema`] when the file was written by a newer build; [`MigrationError::Sqlite`] when a
/// migration fails (its transaction is rolled back).
pub fn migrate(conn: &mut Connection) -> Result<u32, MigrationError> {
    for migration in MIGRATIONS {
        // The version is read inside the write transaction, so two processes opening a new file at once do not
        // both run the same migration.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: u32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if current > latest_version() {
            return Err(MigrationError::NewerSchema { found: current, supported: latest_version() });
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
