//! The desktop's local replica of an instansi (DESIGN §4): one SQLite (SQLCipher) file.
//!
//! - [`Replica`]: opens the file (WAL, foreign keys, migrations), one writer and a pool of readers. Readers run
//!   concurrently with the writer and are never blocked by it (WAL); writes are short batches.
//! - [`document`]: automerge documents stored as the latest save plus incremental chunks, compacted periodically;
//!   a document whose bytes are corrupt is quarantined and reported, and the replica still opens.
//! - [`projection`]: the tables the UI reads (pegawai list columns, FTS5 search, IKD anomalies, conflicts), written
//!   in the same transaction as every document write and rebuildable from documents alone.
//! - [`query`]: search-as-you-type, filters, keyset pagination, facets, profiles.
//! - [`usulan`]: the usulan list (filters by jenis, status, NIP and period; keyset pages), counts per status, one
//!   usulan's document.
//! - [`verifikasi`]: the verifikasi lapangan list (filters by hasil, NIP, unor subtree and period; keyset pages),
//!   counts per hasil, one visit's document.
//! - [`pengingat`]: the KP, BUP and KGB reminders within a horizon, with the follow-ups recorded on them.
//! - [`ringkasan`]: dashboard counts, the unor tree with counts, IKD codes of one pegawai, the outbox by pegawai.
//! - [`edit`]: an officer's new document or change, stored with its outbox row and projections in one transaction;
//!   a verifikator's decision on a same-field conflict.
//! - [`conflict`]: every same-field conflict in the replica, with the pegawai it is about.
//! - [`import`]: bulk import of decoded SI-ASN data (export CSV or WS responses) in batches.
//! - [`sync_state`]: feed cursors, the outbox of local changes, content-addressed blobs.
//! - [`migration`]: numbered SQL files from `schemas/sql/client/`.
//! - [`encryption`]: a plain replica file told from an encrypted one, and encrypted in place.
//!
//! It does not talk to the network (that is `sync`), decode SI-ASN (that is `model`) or know about Tauri.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub mod conflict;
pub mod document;
pub mod edit;
pub mod encryption;
pub mod import;
pub mod integrity;
pub mod migration;
pub mod pengingat;
pub mod projection;
pub mod query;
pub mod replication;
pub mod ringkasan;
pub mod riwayat;
pub mod sync_state;
pub mod usulan;
pub mod verifikasi;

/// Errors of the replica. Data problems inside documents are not errors: they are reported (quarantine, warnings).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed (disk full, file locked longer than the busy timeout, not a database, wrong key).
    #[error("sqlite")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer version of SIASN Luring.
    #[error("replica schema version {found} is newer than this app supports ({supported}); update the app")]
    NewerSchema {
        /// The file's `user_version`.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// A document's stored bytes could not be loaded; it has been quarantined.
    #[error("document {id} is corrupt: {reason}")]
    CorruptDocument {
        /// The document id (UUID text).
        id: String,
        /// What automerge said.
        reason: String,
    },
    /// No document or record with that id or NIP.
    #[error("not found: {0}")]
    NotFound(String),
    /// A value could not be converted between the document and the model type.
    #[error("document shape: {0}")]
    Shape(String),
    /// Reading an import source failed.
    #[error("io")]
    Io(#[from] std::io::Error),
    /// Another import into the same replica is running (it holds `<replica>.impor.lock`).
    #[error("impor lain sedang berjalan pada replika ini; tunggu sampai selesai, lalu ulangi")]
    ImportRunning,
}

/// SQLite's default `wal_autocheckpoint`, in pages.
pub const DEFAULT_WAL_AUTOCHECKPOINT: u32 = 1_000;

/// Page cache of every connection, in KiB (16 MB; an import raises the writer's for its duration).
pub(crate) const CACHE_KIB: i64 = 16_000;

/// `Result` with the replica's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How to open a replica.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The SQLCipher raw key (32 bytes); `None` opens a plain SQLite file.
    pub key: Option<[u8; 32]>,
    /// How many reader connections to keep.
    pub readers: usize,
}

/// The `meta` key a migration sets when the projections must be derived again ([`Replica::open`]).
pub(crate) const REPROJECT_MARK: &str = "proyeksi_ulang";

/// An open replica file: one writer connection and a small pool of readers.
#[derive(Debug)]
pub struct Replica {
    path: PathBuf,
    key: Option<[u8; 32]>,
    actor: sync::ActorId,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    max_readers: usize,
    /// This replica's number among the replicas opened by the process ([`Versi::replika`]).
    nomor: u64,
    /// A connection kept only to ask `PRAGMA data_version` ([`Replica::versi`]); opened on first use.
    pengamat: Mutex<Option<Connection>>,
}

/// The replicas opened so far by this process ([`Replica::nomor`]).
static REPLIKA_DIBUKA: AtomicU64 = AtomicU64::new(0);

/// What [`Replica::versi`] answers: equal values mean that nothing was committed to the same open replica in
/// between, so an aggregate computed after the first may be reused at the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Versi {
    /// The open replica (a number per [`Replica::open`] in this process).
    pub replika: u64,
    /// SQLite's `PRAGMA data_version` of a connection that never writes: it changes with every commit of any
    /// other connection (this replica's writer, or another process).
    pub data: i64,
}

impl Replica {
    /// Opens (creating if needed) the replica at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// SQLite errors (including a wrong key: "file is not a database"), or [`Error::NewerSchema`].
    pub fn open(path: &Path, options: OpenOptions) -> Result<Replica> {
        let mut writer = open_connection(path, options.key.as_ref(), false)?;
        // A bulk import killed before it created its indexes again (see `import`): restored with the schema they
        // were dropped from, before a migration changes it; a failure leaves the statements for the next open (the
        // lists work without those indexes, slower) rather than making the replica unopenable.
        let _ = import::restore_bulk_indexes_if_idle(&writer, path);
        migration::migrate(&mut writer)?;
        let actor = ensure_actor(&writer)?;
        let max_readers = options.readers.max(2);
        let replica = Replica {
            path: path.to_path_buf(),
            key: options.key,
            actor,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            max_readers,
            nomor: REPLIKA_DIBUKA.fetch_add(1, Ordering::Relaxed),
            pengamat: Mutex::new(None),
        };
        // Best effort: see the method. Reading the mark or the row ids failing is as good as a failed batch.
        let _ = replica.reproject_after_migration();
        Ok(replica)
    }

    /// A migration that added projected columns (0009: the KGB schedule) marks `meta.proyeksi_ulang` when the
    /// replica already held pegawai: their rows are derived again from the documents, 2,000 per transaction, then the
    /// mark goes. This never keeps the replica from opening: a failure (a full disk, say) leaves the mark for the
    /// next open and the replica opens with the rows not yet derived (their KGB reminders missing until then;
    /// [`Replica::reprojection_pending`] says so, and `luring-cli check` reports it); a kill midway loses at most the
    /// batch in progress.
    fn reproject_after_migration(&self) -> Result<()> {
        if self.meta(REPROJECT_MARK)?.is_none() {
            return Ok(());
        }
        let rowids: Vec<i64> = self
            .reader()?
            .prepare("SELECT rowid FROM document WHERE kind = 'pegawai' AND quarantined IS NULL ORDER BY rowid")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // A failed batch does not stop the others; the mark stays for the next open to try every batch again.
        let failed =
            rowids.chunks(2_000).filter(|batch| self.write(|tx| projection::reproject(tx, batch)).is_err()).count();
        if failed > 0 {
            return Err(Error::Shape(format!(
                "{failed} kelompok pegawai belum diproyeksikan ulang setelah pembaruan skema; dicoba lagi saat replika dibuka berikutnya"
            )));
        }
        self.delete_meta(REPROJECT_MARK)
    }

    /// Whether a migration's reprojection of the pegawai rows is still pending (`meta.proyeksi_ulang`): some rows
    /// may lack columns that migration added (the KGB schedule of 0009) until the replica is opened again.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn reprojection_pending(&self) -> Result<bool> {
        Ok(self.meta(REPROJECT_MARK)?.is_some())
    }

    /// The replica's content version, a cache key for whole-replica aggregates: it changes with every commit to
    /// the file (by any connection or process). Ask it *before* computing what is kept under it.
    ///
    /// # Errors
    /// SQLite errors opening or asking the watching connection.
    pub fn versi(&self) -> Result<Versi> {
        let mut slot = self.pengamat.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let conn = match slot.take() {
            Some(conn) => conn,
            None => open_connection(&self.path, self.key.as_ref(), true)?,
        };
        let data = conn.query_row("PRAGMA data_version", [], |row| row.get::<_, i64>(0));
        *slot = Some(conn);
        Ok(Versi { replika: self.nomor, data: data? })
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This replica's automerge actor: 16 random bytes made when the file was created, kept in `meta`.
    /// Every local change carries it; the hub binds it to the signed-in user's device (DESIGN §5.4).
    pub fn actor(&self) -> &sync::ActorId {
        &self.actor
    }

    /// Sets how many WAL pages trigger an automatic checkpoint (SQLite's default is 1000, ~4 MB).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_wal_autocheckpoint(&self, pages: u32) -> Result<()> {
        self.writer_connection().pragma_update(None, "wal_autocheckpoint", pages)?;
        Ok(())
    }

    /// Updates the query planner's statistics (`ANALYZE`, sampled): run after bulk changes so that filters pick
    /// the right index.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn optimize(&self) -> Result<()> {
        self.writer_connection().execute_batch("PRAGMA analysis_limit = 1000; ANALYZE;")?;
        Ok(())
    }

    /// A value of the `meta` table.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        let reader = self.reader()?;
        Ok(rusqlite::OptionalExtension::optional(reader.query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [key],
            |row| row.get(0),
        ))?)
    }

    /// Sets a value of the `meta` table.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.set_metas(&[(key, value)])
    }

    /// Sets several values of the `meta` table in one transaction: all of them or none.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn set_metas(&self, values: &[(&str, &str)]) -> Result<()> {
        self.write(|tx| {
            let mut upsert = tx.prepare(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            for (key, value) in values {
                upsert.execute([key, value])?;
            }
            Ok(())
        })
    }

    /// Sets `key` to `value` only if it still holds `expected` (`None`: absent), in one IMMEDIATE transaction, so
    /// that a writer working from a value it read earlier never overwrites another writer's newer one. Returns
    /// whether it wrote.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn compare_and_set_meta(&self, key: &str, expected: Option<&str>, value: &str) -> Result<bool> {
        self.write(|tx| {
            let current: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            ))?;
            if current.as_deref() != expected {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(true)
        })
    }

    /// Removes a value of the `meta` table (nothing when it is not there).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn delete_meta(&self, key: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM meta WHERE key = ?1", [key])?;
            Ok(())
        })
    }

    /// Runs `f` in one IMMEDIATE write transaction; it commits when `f` returns `Ok`, rolls back otherwise.
    ///
    /// # Errors
    /// What `f` returns, or SQLite errors at begin/commit.
    pub fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer_connection();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// A reader connection from the pool (opened on demand); it returns to the pool when dropped.
    ///
    /// # Errors
    /// SQLite errors opening a new connection.
    pub fn reader(&self) -> Result<Reader<'_>> {
        let pooled = self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path, self.key.as_ref(), true)?,
        };
        Ok(Reader { conn: Some(conn), replica: self })
    }

    fn writer_connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the writer leaves SQLite consistent (the transaction rolls back on drop).
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A pooled read-only connection; derefs to [`Connection`].
#[derive(Debug)]
pub struct Reader<'a> {
    conn: Option<Connection>,
    replica: &'a Replica,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a reader holds its connection until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut pool = self.replica.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if pool.len() < self.replica.max_readers {
                pool.push(conn);
            }
        }
    }
}

/// Reads the replica's actor from `meta`, creating it on first open.
fn ensure_actor(conn: &Connection) -> Result<sync::ActorId> {
    let existing: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT value FROM meta WHERE key = 'actor'",
        [],
        |row| row.get(0),
    ))?;
    let hex = match existing {
        Some(hex) => hex,
        None => {
            // INSERT OR IGNORE, then read back: a second process creating the file at the same time keeps one actor.
            let hex = uuid::Uuid::new_v4().simple().to_string();
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('actor', ?1)", [&hex])?;
            conn.query_row("SELECT value FROM meta WHERE key = 'actor'", [], |row| row.get(0))?
        }
    };
    let bytes: Vec<u8> =
        (0..hex.len() / 2).filter_map(|at| u8::from_str_radix(&hex[at * 2..at * 2 + 2], 16).ok()).collect();
    Ok(sync::ActorId::from(bytes))
}

fn open_connection(path: &Path, key: Option<&[u8; 32]>, read_only: bool) -> Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
    };
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        // A wrong key is reported as "file is not a database"; SQLCipher's own "hmac check failed" lines on
        // stderr would only confuse the officer (the pragma answers with a row).
        conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA key = {};", encryption::key_literal(key)))?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "temp_store", "memory")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    if !read_only {
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Without WAL a writer would block readers; refuse rather than silently lose that guarantee.
            return Err(Error::Sqlite(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode {mode}: the replica needs WAL (is the folder on a network drive?)"
            ))));
        }
        // FULL: a committed edit survives a power cut (WAL fsync per commit); imports commit in large batches.
        conn.pragma_update(None, "synchronous", "full")?;
    }
    Ok(conn)
}
