//! Bulk import of decoded SI-ASN data into the replica: the unor tree, then pegawai in batches.
//!
//! Each batch is one transaction: documents, projections and FTS rows of up to `batch` pegawai commit together or
//! not at all, so a crash or a killed process leaves whole batches. A pegawai already in the replica (same NIP,
//! and the same SI-ASN id when both have one) is reconciled into its existing document: unchanged data makes no
//! change, a changed field makes a change to that field only, and what the source does not carry (riwayat in a
//! CSV export, an endpoint missing from a WS folder, an empty cell) keeps its value ([`sync::overlay`]).
//!
//! A new pegawai is stored as a [`Seed`] (its JSON and the parameters of its first change), not as a built
//! automerge document: building a ~70-field document costs ~120 µs, which made imports four times slower than
//! SQLite; a seed materialises deterministically on first write, or in [`crate::document::compact_imported`],
//! which callers run when the replica is idle (the CLI right after the import, with its own progress line).
//! Seeds, JSON and projection facts are made on the other cores ("builders") while one writer commits batches in
//! input order. Imported records are SI-ASN data, not an officer's edits, so nothing goes to the outbox.
//! Decoding files is not done here: callers pass [`model::Pegawai`] values.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use model::Pegawai;
use model::siasn::lists::{Unor, UnorTree};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;
use sync::ActorId;
use uuid::Uuid;

use crate::document::{self, Kind, Seed};
use crate::projection::{self, PegawaiProjection, UnorIndex};
use crate::{DEFAULT_WAL_AUTOCHECKPOINT, Error, Replica, Result};

/// How an import runs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The device's automerge actor (every change is written by it).
    pub actor: ActorId,
    /// The scope the documents belong to (`instansi:<id>`), if known.
    pub scope: Option<String>,
    /// Commit time of the changes, milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// Pegawai per transaction (built in chunks of at most [`BUILD_CHUNK`]; a transaction's built records are
    /// held until it is written, ~1.5 KB each). Fewer, bigger transactions write each index page once for more
    /// rows: at 250,000 pegawai, 10,000 per transaction imported 10,100-11,500/s, 2,000 ~9,900/s.
    pub batch: usize,
    /// The commit message of the changes (`"impor siasn-csv export.csv"`).
    pub message: String,
    /// Threads building seeds and projections beside the writer; 0 = one per core but one (at least one).
    pub threads: usize,
}

/// Records built together (a unit of work of a builder thread), at most.
pub const BUILD_CHUNK: usize = 2_000;

/// Pegawai per transaction of `luring-cli import` and the benchmarks ([`ImportOptions::batch`]).
pub const DEFAULT_BATCH: usize = 10_000;

/// A chunk of records on its way from the reader through a builder to the writer.
struct Chunk<T> {
    /// Its place in the input (0, 1, …): the writer commits chunks in this order.
    index: usize,
    /// The last chunk of its transaction.
    ends_transaction: bool,
    items: T,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New pegawai documents.
    pub inserted: usize,
    /// Existing documents that changed.
    pub updated: usize,
    /// Existing documents that were already equal.
    pub unchanged: usize,
    /// Existing documents that could not be loaded and were quarantined (document row id, reason).
    pub quarantined: Vec<(String, String)>,
    /// Records skipped because they had no NIP (they cannot be matched to a pegawai).
    pub skipped_without_nip: usize,
}

/// Replaces the replica's unor tree with `units` (from `ref-unor`), computing each unit's path from the root, and
/// in the same transaction re-derives from their documents the pegawai whose unit changed (path, name or eselon:
/// the list's unor columns, the subtree filter and facts that depend on the eselon follow the new tree). Returns
/// how many units the tree holds.
///
/// # Errors
/// SQLite errors. A pegawai document found unreadable while re-deriving is quarantined, not an error.
pub fn replace_unor(replica: &Replica, units: Vec<Unor>) -> Result<usize> {
    let mut warnings = Vec::new();
    let tree = UnorTree::new(units, &mut warnings);
    replica.write(|tx| {
        let before = UnorIndex::load(tx)?;
        tx.execute("DELETE FROM unor", [])?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO unor (id, parent_id, nama, nama_jabatan, eselon_id, path, depth) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut count = 0;
        for unit in tree.units() {
            let path = tree.path(&unit.id);
            let text: String = path.iter().map(|step| format!("/{}", step.id)).collect::<String>() + "/";
            let parent = tree.parent(&unit.id).map(|parent| parent.id.clone());
            insert.execute(params![
                unit.id,
                parent,
                unit.nama_unor.as_deref().unwrap_or(""),
                unit.nama_jabatan,
                unit.eselon_id,
                text,
                path.len() as i64
            ])?;
            count += 1;
        }
        // Includes pegawai projected before the tree arrived, and pegawai of units the new tree no longer holds.
        projection::reproject_changed_units(tx, &before)?;
        Ok(count)
    })
}

/// One pegawai after a builder worked on it.
enum Item {
    /// Not in the replica when the import started: seed and projection ready to insert.
    New { nip: String, pns_id: Option<String>, seed: Vec<u8>, projection: Box<PegawaiProjection> },
    /// Already in the replica: reconciled into its document by the writer.
    Existing { value: Value, pegawai: Box<Pegawai> },
}

/// Imports `pegawai` in batches; `progress(done)` is called after each committed batch.
///
/// # Errors
/// SQLite errors stop the import; batches committed before stay.
pub fn import_pegawai(
    replica: &Replica,
    pegawai: impl IntoIterator<Item = Pegawai> + Send,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport> {
    let batch = options.batch.max(1);
    let (known, unor) = {
        let reader = replica.reader()?;
        (projection::known_nips(&reader)?, UnorIndex::load(&reader)?)
    };
    // The writer is the bottleneck: a builder per core would take CPU time from it (at 100,000 pegawai on two
    // cores, one builder imports ~8,700/s, two ~7,900/s).
    let builders = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1)),
        threads => threads,
    };
    let mut report = ImportReport::default();
    // The reader of the input hands out numbered chunks; builders take them; the writer commits in order, a
    // transaction per `batch` records.
    let (work_tx, work_rx) = mpsc::sync_channel::<Chunk<Vec<Pegawai>>>(builders);
    let work_rx = Mutex::new(work_rx);
    // Built chunks may queue up to two transactions' worth, at most 10 chunks (a built record is its seed and list
    // row, ~1.5 KB): the builders keep working while the writer commits.
    let queued = builders * 2 + (2 * batch.div_ceil(BUILD_CHUNK)).min(10);
    let (done_tx, done_rx) = mpsc::sync_channel::<Chunk<Result<Vec<Item>>>>(queued);
    // Set when the writer stops early (an error): the reader stops reading, builders drain and exit.
    let stop = AtomicBool::new(false);
    let stop = &stop;
    // A bulk import checkpoints the WAL less often (every ~64 MB instead of ~4 MB): each checkpoint copies and
    // fsyncs what the WAL holds, and with batches of thousands of documents that was most of the commit time.
    replica.set_wal_autocheckpoint(16_384)?;
    let bulk = BulkLoad::begin(replica)?;
    let result = std::thread::scope(|scope| -> Result<()> {
        let skipped = scope.spawn(move || {
            let mut skipped = 0;
            let mut current = Vec::with_capacity(BUILD_CHUNK.min(batch));
            let mut index = 0;
            let mut in_transaction = 0;
            for one in pegawai {
                if stop.load(Ordering::Relaxed) {
                    return skipped;
                }
                if one.data_utama.nip.as_str().is_empty() {
                    skipped += 1;
                    continue;
                }
                current.push(one);
                in_transaction += 1;
                let ends_transaction = in_transaction == batch;
                if current.len() == BUILD_CHUNK || ends_transaction {
                    let items = std::mem::take(&mut current);
                    if work_tx.send(Chunk { index, ends_transaction, items }).is_err() {
                        return skipped;
                    }
                    index += 1;
                    if ends_transaction {
                        in_transaction = 0;
                    }
                }
            }
            if !current.is_empty() {
                let _ = work_tx.send(Chunk { index, ends_transaction: true, items: current });
            }
            skipped
        });
        for _ in 0..builders {
            let done_tx = done_tx.clone();
            let (work_rx, known, unor) = (&work_rx, &known, &unor);
            scope.spawn(move || {
                loop {
                    let next = work_rx.lock().map(|receiver| receiver.recv());
                    let Ok(Ok(chunk)) = next else { return };
                    if stop.load(Ordering::Relaxed) {
                        continue; // drain, so the reader is never blocked on a full queue
                    }
                    let built = chunk.items.into_iter().map(|one| build(one, known, unor, options)).collect();
                    let built = Chunk { index: chunk.index, ends_transaction: chunk.ends_transaction, items: built };
                    if done_tx.send(built).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
        drop(done_tx);
        // The built chunks in input order (builders may finish them out of order).
        let mut pending: BTreeMap<usize, Chunk<Result<Vec<Item>>>> = BTreeMap::new();
        let mut next = 0;
        // Owns the receiving end, so that dropping it (below) lets the builders' sends fail when the writer stops.
        let mut next_chunk = move || -> Option<Chunk<Result<Vec<Item>>>> {
            loop {
                if let Some(chunk) = pending.remove(&next) {
                    next += 1;
                    return Some(chunk);
                }
                let chunk = done_rx.recv().ok()?;
                pending.insert(chunk.index, chunk);
            }
        };
        let written = (|| -> Result<()> {
            while let Some(first) = next_chunk() {
                // One transaction: this chunk and the next ones up to the end of the transaction, all built before
                // the write lock is taken (other writers wait for a write, never for the builders). A chunk that
                // failed to build fails the import before anything of its transaction is written.
                let mut ends = first.ends_transaction;
                let mut items = first.items?;
                while !ends {
                    let Some(following) = next_chunk() else { break };
                    ends = following.ends_transaction;
                    items.extend(following.items?);
                }
                replica.write(|tx| write_batch(tx, items, options, bulk.dropped, &mut report))?;
                progress(report.inserted + report.updated + report.unchanged + report.quarantined.len());
            }
            Ok(())
        })();
        drop(next_chunk);
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        report.skipped_without_nip = skipped.join().map_err(|_| Error::Shape("import reader panicked".into()))?;
        written
    });
    // Indexes come back and the settings return to normal even when the import failed (and by `Drop` on a panic).
    let finished = bulk.finish();
    replica.set_wal_autocheckpoint(DEFAULT_WAL_AUTOCHECKPOINT)?;
    result.and(finished).map(|()| report)
}

/// The `meta` key holding the statements a bulk load leaves for its end (a JSON array of strings) until they ran:
/// the filling of the index of names ([`projection::INDEX_UNINDEXED_NAMES`]) and the `CREATE INDEX` statements of
/// the indexes it dropped.
pub const BULK_INDEXES_META: &str = "impor_massal:indeks";

/// Indexes a bulk load keeps: `pegawai_nip` finds a pegawai by NIP for every imported record
/// ([`projection::find_pegawai`]); the keys of the others grow with the row id (a new document's kind and seed, an
/// anomaly's code among a few dozen), so each insert appends to a page already in the cache, while creating one
/// again reads the whole table (~0.4 s each at 250,000 pegawai). Unique constraints have no `sql` and are never
/// dropped.
const KEPT_INDEXES: &[&str] = &["pegawai_nip", "document_kind", "document_seeded", "ikd_anomali_kode"];

/// Page cache of the writer during an import: 128 MiB (the default is 16 MB per connection, see `open_connection`).
const IMPORT_CACHE_KIB: i64 = 131_072;

/// The settings of the writer while an import runs, and the bulk load of a replica without pegawai.
///
/// Every import runs with `synchronous = NORMAL` (a power cut may lose the last committed batches, never corrupt
/// the file, and re-running the import restores them: it is idempotent) and a bigger page cache; the settings return
/// when the import ends, fails or panics (`Drop`). An import into a replica that holds no pegawai yet (a first
/// install, an offline bootstrap) is a bulk load: the secondary indexes of `pegawai` (but [`KEPT_INDEXES`]) are
/// dropped first and created again at the end, sorting each once instead of updating a B-tree per row at a random
/// place (at 250,000 pegawai: ~0.5 s each to create; maintained, every batch rewrote thousands of index pages and
/// the import ran at less than half the speed), and the names enter `pegawai_nama_fts` at the end in one statement.
/// The emptiness check, the drop and the saving of those statements in `meta` ([`BULK_INDEXES_META`]) commit
/// together, and so do their running and the removal of that key: a process killed in between leaves the
/// statements, and [`restore_bulk_indexes`] (run by [`Replica::open`], in one transaction too) runs them.
/// Meanwhile lists fall back from their sort index to SQLite's own plan (`query::list`): correct, slower; and
/// search finds the loaded pegawai by NIP only (the jabatan and unor indexes and the names come at the end).
///
/// One import at a time per replica: an import holds an exclusive lock on `<replica>.impor.lock` for its whole run
/// ([`Error::ImportRunning`] for a second one), and `Replica::open` restores a bulk load's indexes only when it can
/// take that lock — never under an import that is still running.
struct BulkLoad<'r> {
    replica: &'r Replica,
    /// Held for the import's whole run; unlocked when dropped.
    _lock: std::fs::File,
    dropped: bool,
    finished: bool,
}

impl<'r> BulkLoad<'r> {
    fn begin(replica: &'r Replica) -> Result<BulkLoad<'r>> {
        let lock = import_lock(replica.path())?;
        lock.try_lock().map_err(|error| match error {
            std::fs::TryLockError::WouldBlock => Error::ImportRunning,
            std::fs::TryLockError::Error(error) => Error::Io(error),
        })?;
        let mut bulk = BulkLoad { replica, _lock: lock, dropped: false, finished: false };
        {
            let conn = replica.writer_connection();
            conn.pragma_update(None, "synchronous", "normal")?;
            conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        }
        bulk.dropped = replica.write(|tx| {
            // A bulk load killed before it finished (its statements still in meta): its indexes first.
            restore_bulk_indexes(tx)?;
            let empty: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM pegawai) AND NOT EXISTS (SELECT 1 FROM pegawai_karantina)",
                [],
                |row| row.get(0),
            )?;
            if !empty {
                return Ok(false);
            }
            let indexes: Vec<(String, String)> = tx
                .prepare(
                    "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL \
                     AND tbl_name IN ('pegawai', 'document', 'ikd_anomali') ORDER BY name",
                )?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<std::result::Result<_, _>>()?;
            // The names of the loaded pegawai enter their search index at the end, in one statement.
            let mut statements = vec![projection::INDEX_UNINDEXED_NAMES.to_owned()];
            for (name, sql) in indexes.into_iter().filter(|(name, _)| !KEPT_INDEXES.contains(&name.as_str())) {
                tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                statements.push(sql);
            }
            let saved = serde_json::to_string(&statements).map_err(|error| Error::Shape(error.to_string()))?;
            tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![BULK_INDEXES_META, saved])?;
            Ok(true)
        })?;
        Ok(bulk)
    }

    /// Creates the dropped indexes again and restores the writer's settings.
    fn finish(mut self) -> Result<()> {
        self.finished = true;
        let restored =
            if self.dropped { self.replica.write(|tx| restore_bulk_indexes(tx)).map(|_| ()) } else { Ok(()) };
        self.reset_settings().and(restored)
    }

    fn reset_settings(&self) -> Result<()> {
        let conn = self.replica.writer_connection();
        conn.pragma_update(None, "synchronous", "full")?;
        conn.pragma_update(None, "cache_size", -crate::CACHE_KIB)?;
        Ok(())
    }
}

impl Drop for BulkLoad<'_> {
    /// An import that panicked (or returned early) still gets its indexes and settings back, best effort; whatever
    /// fails here is retried by the next `Replica::open`.
    fn drop(&mut self) {
        if !self.finished {
            if self.dropped {
                let _ = self.replica.write(|tx| restore_bulk_indexes(tx));
            }
            let _ = self.reset_settings();
        }
    }
}

/// The lock file of imports into the replica at `replica` (`<replica>.impor.lock`, beside it), opened (created if
/// needed) but not locked.
fn import_lock(replica: &Path) -> Result<std::fs::File> {
    let mut name = replica.as_os_str().to_owned();
    name.push(".impor.lock");
    Ok(std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(PathBuf::from(name))?)
}

/// [`restore_bulk_indexes`] when no import holds the replica's import lock (a running import's dropped indexes are
/// its own business); `Ok(0)` when one does. Run by [`Replica::open`].
///
/// # Errors
/// As [`restore_bulk_indexes`]; an unreadable lock file.
pub(crate) fn restore_bulk_indexes_if_idle(conn: &rusqlite::Connection, replica: &Path) -> Result<usize> {
    if !has_meta(conn)? || !bulk_statements_saved(conn)? {
        return Ok(0); // the usual open: no lock file touched
    }
    let lock = import_lock(replica)?;
    match lock.try_lock() {
        Ok(()) => {
            // One transaction, as at the end of a load: all the statements and the key's removal, or none.
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let restored = restore_bulk_indexes(conn);
            conn.execute_batch(if restored.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
            restored
        }
        Err(std::fs::TryLockError::WouldBlock) => Ok(0),
        Err(std::fs::TryLockError::Error(error)) => Err(Error::Io(error)),
    }
}

/// Whether the `meta` table exists (not before a new file's first migration).
fn has_meta(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta')",
        [],
        |row| row.get(0),
    )?)
}

/// Whether a bulk load's statements are saved in `meta` (`meta` must exist).
fn bulk_statements_saved(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)", [BULK_INDEXES_META], |row| row.get(0))?)
}

/// Runs the statements an unfinished bulk load left ([`BULK_INDEXES_META`]: names into their index, dropped
/// indexes created) and removes the key; returns how many. Nothing to do (0) when no bulk load was interrupted.
///
/// # Errors
/// SQLite errors; [`Error::Shape`] when the saved statements are not a JSON array of strings.
pub fn restore_bulk_indexes(conn: &rusqlite::Connection) -> Result<usize> {
    if !has_meta(conn)? {
        return Ok(0); // a new file, before its migrations
    }
    let saved: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [BULK_INDEXES_META], |row| row.get(0)).optional()?;
    let Some(saved) = saved else { return Ok(0) };
    let statements: Vec<String> = serde_json::from_str(&saved)
        .map_err(|error| Error::Shape(format!("meta {BULK_INDEXES_META}: {error}: {saved}")))?;
    for sql in &statements {
        // IF NOT EXISTS: an index someone created meanwhile (or a retry after a partial failure) is fine.
        let sql = sql.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        conn.execute_batch(&sql)?;
    }
    conn.execute("DELETE FROM meta WHERE key = ?1", [BULK_INDEXES_META])?;
    Ok(statements.len())
}

/// The JSON a pegawai document holds: empty riwayat lists and `null` members of objects are left out (absent and
/// empty are the same; writing `null` into a map deletes the key, a no-op on a new document). Rows inside riwayat
/// lists are kept as they are: a new row is written whole.
///
/// # Errors
/// [`Error::Shape`] if the value cannot be serialised (it always can: the model types are plain data).
pub fn document_value(pegawai: &Pegawai) -> Result<Value> {
    let mut value = serde_json::to_value(pegawai).map_err(|error| Error::Shape(error.to_string()))?;
    if let Value::Object(map) = &mut value {
        map.retain(|_, member| !matches!(member, Value::Array(items) if items.is_empty()));
    }
    without_null_members(&mut value);
    Ok(value)
}

/// Removes `null` members of `value`'s objects, recursively through objects (not into arrays).
fn without_null_members(value: &mut Value) {
    if let Value::Object(map) = value {
        map.retain(|_, member| !member.is_null());
        map.values_mut().for_each(without_null_members);
    }
}

/// Builder work for one pegawai: its JSON, and for a new one its seed and projection.
fn build(pegawai: Pegawai, known: &HashSet<String>, unor: &UnorIndex, options: &ImportOptions) -> Result<Item> {
    let value = document_value(&pegawai)?;
    if known.contains(pegawai.data_utama.nip.as_str()) {
        return Ok(Item::Existing { value, pegawai: Box::new(pegawai) });
    }
    let item = Item::New {
        nip: pegawai.data_utama.nip.to_string(),
        pns_id: pegawai.data_utama.pns_id.as_ref().map(ToString::to_string),
        projection: Box::new(projection::derive_pegawai(&pegawai, unor)),
        seed: seed(value, options),
    };
    // The record is freed here, on the builder, not on the writer.
    drop(pegawai);
    Ok(item)
}

fn seed(value: Value, options: &ImportOptions) -> Vec<u8> {
    Seed::new(&options.actor, options.now_ms, &options.message, value).encode()
}

/// Writes one batch of built records. `bulk`: a bulk load is running ([`BulkLoad`]), so new pegawai's names enter
/// their search index at its end.
fn write_batch(
    tx: &Transaction<'_>,
    items: Vec<Item>,
    options: &ImportOptions,
    bulk: bool,
    report: &mut ImportReport,
) -> Result<()> {
    for item in items {
        let (nip, pns_id) = match &item {
            Item::New { nip, pns_id, .. } => (nip.as_str(), pns_id.as_deref()),
            Item::Existing { pegawai, .. } => {
                (pegawai.data_utama.nip.as_str(), pegawai.data_utama.pns_id.as_ref().map(|id| id.as_str()))
            }
        };
        // The same pegawai: same NIP, and the same SI-ASN person id when both records have one. Two people
        // sharing a NIP (a data error SI-ASN has) stay two documents.
        let existing = match projection::find_pegawai(tx, nip, pns_id)? {
            Some(found) if found.quarantined => {
                // Its bytes wait for a repair from the hub; a second document for the same person would be worse.
                report.quarantined.push((
                    found.document_rowid.to_string(),
                    "dokumen dikarantina; menunggu pemulihan dari hub".into(),
                ));
                continue;
            }
            found => found.map(|found| found.document_rowid),
        };
        match (existing, &item) {
            (None, Item::New { seed, projection, .. }) => {
                let rowid = document::insert_seed(
                    tx,
                    Uuid::now_v7(),
                    Kind::Pegawai,
                    options.scope.as_deref(),
                    seed,
                    options.now_ms,
                )?;
                if bulk {
                    projection::write_bulk_pegawai(tx, rowid, projection)?;
                } else {
                    projection::write_pegawai(tx, rowid, projection, true)?;
                }
                report.inserted += 1;
            }
            (None, Item::Existing { value, pegawai }) => {
                // Known when the import started but gone since: create it now.
                let rowid = document::insert_seed(
                    tx,
                    Uuid::now_v7(),
                    Kind::Pegawai,
                    options.scope.as_deref(),
                    &seed(value.clone(), options),
                    options.now_ms,
                )?;
                projection::project_pegawai(tx, rowid, pegawai)?;
                report.inserted += 1;
            }
            (Some(rowid), Item::Existing { value, .. }) => reconcile_existing(tx, rowid, value, options, report)?,
            (Some(rowid), Item::New { seed, .. }) => {
                // The same NIP twice in one import: the second record is reconciled into the first one's document.
                let value = Seed::decode(seed).map_err(Error::Shape)?.value;
                reconcile_existing(tx, rowid, &value, options, report)?;
            }
        }
    }
    Ok(())
}

/// Reconciles `value` into the existing document at `rowid` (a re-import, or a NIP repeated in one import).
fn reconcile_existing(
    tx: &Transaction<'_>,
    rowid: i64,
    value: &Value,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    match document::load(tx, rowid) {
        Ok((_, mut document)) => {
            document.set_actor(options.actor.clone());
            let before = document.heads();
            // A partial source (a CSV has no riwayat, a WS folder may lack endpoints) adds and updates, never
            // deletes: what it does not carry keeps its value.
            let merged = sync::overlay(&document.hydrate(), value);
            let changed = document
                .reconcile(&merged, Some(&options.message), options.now_ms)
                .map_err(|error| Error::Shape(error.to_string()))?;
            if changed.is_some() {
                document::append(tx, rowid, &document, &before, options.now_ms)?;
                let merged: Pegawai = document.hydrate_as().map_err(|error| Error::Shape(error.to_string()))?;
                projection::project_pegawai(tx, rowid, &merged)?;
                projection::project_conflicts(tx, rowid, &document)?;
                report.updated += 1;
            } else {
                report.unchanged += 1;
            }
            Ok(())
        }
        Err(error @ Error::CorruptDocument { .. }) => {
            let reason = error.to_string();
            document::quarantine(tx, rowid, &reason)?;
            report.quarantined.push((rowid.to_string(), reason));
            Ok(())
        }
        Err(error) => Err(error),
    }
}
