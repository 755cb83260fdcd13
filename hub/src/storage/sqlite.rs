//! [`SqliteStorage`]: the hub's state in one SQLite file (`hub.sqlite`), the default [`Storage`].
//!
//! One writer connection behind a mutex and a small pool of read connections; WAL so feed readers never wait for
//! a push, `synchronous=FULL` so a committed push survives a power cut (the device drops the change from its
//! outbox on our answer). The schema is `schemas/sql/hub/` ([`crate::migration`]). This file is the only place
//! that knows the SQL; it makes no decisions.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use sync::wire::{DocId, HashBytes, RecordKind};

use super::{
    BlobUpload, Commit, LogBody, LogEntry, ScopeState, SnapshotBuild, SnapshotChunkRecord, StateWrite, Storage,
    StorageResult, StoredDocument, join_hashes, split_hashes,
};
use crate::core::HubError;
use crate::migration;
use crate::roster::{Device, Role, RosterEntry};

/// How many idle read connections are kept.
const READERS: usize = 4;

/// The embedded SQLite storage.
#[derive(Debug)]
pub struct SqliteStorage {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

fn storage_error(error: rusqlite::Error) -> HubError {
    HubError::Storage(error.to_string())
}

/// SQLite failures are [`HubError::Storage`] (the operation did not happen: every write is one transaction).
impl From<rusqlite::Error> for HubError {
    fn from(error: rusqlite::Error) -> Self {
        storage_error(error)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the connection cannot leave a transaction open (rusqlite rolls back on drop).
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn doc_id(bytes: Vec<u8>) -> rusqlite::Result<DocId> {
    DocId::try_from(bytes.as_slice())
        .map_err(|_| rusqlite::Error::InvalidColumnType(0, "doc".into(), rusqlite::types::Type::Blob))
}

fn record_kind(text: &str) -> rusqlite::Result<RecordKind> {
    RecordKind::parse(text)
        .ok_or_else(|| rusqlite::Error::InvalidColumnType(0, "record".into(), rusqlite::types::Type::Text))
}

fn u64_of(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn i64_of(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Encodes changes as a sequence of (u32 little-endian length, bytes).
fn encode_changes(changes: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(changes.iter().map(|change| change.len() + 4).sum());
    for change in changes {
        out.extend_from_slice(&u32::try_from(change.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(change);
    }
    out
}

fn decode_changes(mut bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut changes = Vec::new();
    while let Some((len, rest)) = bytes.split_first_chunk::<4>() {
        let len = u32::from_le_bytes(*len) as usize;
        let Some(change) = rest.get(..len) else { break };
        changes.push(change.to_vec());
        bytes = &rest[len..];
    }
    changes
}

fn roles_text(roles: &[Role]) -> String {
    let mut sorted: Vec<Role> = roles.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(",")
}

fn roles_of(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::parse).collect()
}

fn roster_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RosterEntry> {
    Ok(RosterEntry {
        nip: row.get(0)?,
        nama: row.get(1)?,
        instansi: row.get(2)?,
        roles: roles_of(&row.get::<_, String>(3)?),
    })
}

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    let actor: Vec<u8> = row.get(0)?;
    Ok(Device {
        actor_hex: actor.iter().map(|byte| format!("{byte:02x}")).collect(),
        nip: row.get(1)?,
        name: row.get(2)?,
        registered_at_ms: row.get(3)?,
        revoked_at_ms: row.get(4)?,
    })
}

const DOCUMENT_COLUMNS: &str =
    "rowid, doc, scope, record, save, heads, EXISTS (SELECT 1 FROM blob_ref WHERE blob_ref.doc = document.doc)";

/// A document row with its incremental chunks appended to its save, and the heads after the last of them.
fn document_row(conn: &Connection, row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredDocument> {
    let rowid: i64 = row.get(0)?;
    let mut bytes: Vec<u8> = row.get(4)?;
    let mut heads: Vec<u8> = row.get(5)?;
    let mut chunk_count = 0;
    let mut chunk_bytes = 0;
    let mut chunks =
        conn.prepare_cached("SELECT bytes, heads FROM document_chunk WHERE document_rowid = ?1 ORDER BY seq")?;
    let mut rows = chunks.query([rowid])?;
    while let Some(chunk) = rows.next()? {
        let chunk_bytes_ref = chunk.get_ref(0)?.as_blob()?;
        bytes.extend_from_slice(chunk_bytes_ref);
        chunk_bytes += chunk_bytes_ref.len() as u64;
        chunk_count += 1;
        heads = chunk.get(1)?;
    }
    Ok(StoredDocument {
        doc: doc_id(row.get(1)?)?,
        scope: row.get(2)?,
        record: record_kind(&row.get::<_, String>(3)?)?,
        bytes,
        chunk_count,
        chunk_bytes,
        heads: split_hashes(&heads),
        has_blob_refs: row.get(6)?,
    })
}

/// Visits the documents of `scope`, by doc id.
fn scope_documents(
    conn: &Connection,
    scope: &str,
    visit: &mut dyn FnMut(StoredDocument) -> StorageResult<()>,
) -> StorageResult<()> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {DOCUMENT_COLUMNS} FROM document WHERE scope = ?1 ORDER BY doc"))?;
    let mut rows = statement.query([scope])?;
    while let Some(row) = rows.next()? {
        visit(document_row(conn, row)?)?;
    }
    Ok(())
}

fn scope_state(conn: &Connection, scope: &str) -> rusqlite::Result<ScopeState> {
    let base_epoch: Option<Vec<u8>> =
        conn.query_row("SELECT value FROM meta WHERE key = 'base_epoch'", [], |row| row.get(0)).optional()?;
    let base_epoch = base_epoch.and_then(|bytes| bytes.try_into().ok()).map_or(0, u64::from_be_bytes);
    let (epoch, floor_seq) = conn
        .query_row("SELECT epoch, floor_seq FROM scope WHERE scope = ?1", [scope], |row| {
            Ok((u64_of(row.get(0)?), u64_of(row.get(1)?)))
        })
        .optional()?
        .unwrap_or((base_epoch, 0));
    let head: Option<i64> = conn.query_row("SELECT max(seq) FROM log WHERE scope = ?1", [scope], |row| row.get(0))?;
    let last: Option<i64> =
        conn.query_row("SELECT seq FROM sqlite_sequence WHERE name = 'log'", [], |row| row.get(0)).optional()?;
    Ok(ScopeState {
        epoch,
        floor_seq,
        head_seq: head.map_or(floor_seq, u64_of).max(floor_seq),
        last_seq: last.map_or(0, u64_of),
    })
}

impl SqliteStorage {
    /// Opens (or creates) `path`, in WAL mode with `synchronous=FULL`, and migrates it.
    ///
    /// # Errors
    /// [`HubError::Storage`] when the file cannot be opened or migrated (including a file of a newer hub build).
    pub fn open(path: &Path) -> StorageResult<SqliteStorage> {
        let mut writer = Connection::open(path)?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        configure(&writer)?;
        migration::migrate(&mut writer).map_err(|error| HubError::Storage(error.to_string()))?;
        Ok(SqliteStorage { path: path.to_path_buf(), writer: Mutex::new(writer), readers: Mutex::new(Vec::new()) })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read<T>(&self, read: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> StorageResult<T> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
                )?;
                configure(&conn)?;
                conn
            }
        };
        let result = read(&conn);
        let mut readers = lock(&self.readers);
        if readers.len() < READERS {
            readers.push(conn);
        }
        Ok(result?)
    }

    fn write<T>(&self, write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>) -> StorageResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = write(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

impl Storage for SqliteStorage {
    fn meta(&self, key: &str) -> StorageResult<Option<Vec<u8>>> {
        self.read(|conn| conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| row.get(0)).optional())
    }

    fn set_meta(&self, key: &str, value: &[u8]) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, value]).map(|_| ())
        })
    }

    fn roster_entry(&self, nip: &str) -> StorageResult<Option<RosterEntry>> {
        self.read(|conn| {
            conn.query_row("SELECT nip, nama, instansi, roles FROM roster WHERE nip = ?1", [nip], roster_row).optional()
        })
    }

    fn roster_upsert(&self, entry: &RosterEntry) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO roster (nip, nama, instansi, roles) VALUES (?1, ?2, ?3, ?4)",
                params![entry.nip, entry.nama, entry.instansi, roles_text(&entry.roles)],
            )
            .map(|_| ())
        })
    }

    fn roster_remove(&self, nip: &str) -> StorageResult<bool> {
        self.write(|tx| tx.execute("DELETE FROM roster WHERE nip = ?1", [nip]).map(|count| count > 0))
    }

    fn roster_list(&self) -> StorageResult<Vec<RosterEntry>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached("SELECT nip, nama, instansi, roles FROM roster ORDER BY nip")?;
            statement.query_map([], roster_row)?.collect()
        })
    }

    fn device(&self, actor: &[u8]) -> StorageResult<Option<Device>> {
        self.read(|conn| {
            conn.query_row(
                "SELECT actor, nip, name, registered_at_ms, revoked_at_ms FROM device WHERE actor = ?1",
                [actor],
                device_row,
            )
            .optional()
        })
    }

    fn insert_device(&self, actor: &[u8], device: &Device) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO device (actor, nip, name, registered_at_ms, revoked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![actor, device.nip, device.name, device.registered_at_ms, device.revoked_at_ms],
            )
            .map(|_| ())
        })
    }

    fn devices(&self) -> StorageResult<Vec<Device>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT actor, nip, name, registered_at_ms, revoked_at_ms FROM device ORDER BY registered_at_ms, actor",
            )?;
            statement.query_map([], device_row)?.collect()
        })
    }

    fn revoke_device(&self, actor: &[u8], at_ms: i64) -> StorageResult<bool> {
        self.write(|tx| {
            tx.execute(
                "UPDATE device SET revoked_at_ms = ?2 WHERE actor = ?1 AND revoked_at_ms IS NULL",
                params![actor, at_ms],
            )
            .map(|count| count > 0)
        })
    }

    fn document(&self, doc: &DocId) -> StorageResult<Option<StoredDocument>> {
        self.read(|conn| {
            conn.prepare_cached(&format!("SELECT {DOCUMENT_COLUMNS} FROM document WHERE doc = ?1"))?
                .query_row([&doc[..]], |row| document_row(conn, row))
                .optional()
        })
    }

    fn pegawai_by_nip(&self, nips: &[&str]) -> StorageResult<Vec<(String, DocId, String)>> {
        self.read(|conn| {
            let mut statement =
                conn.prepare_cached("SELECT doc, scope FROM document WHERE nip = ?1 AND record = 'pegawai'")?;
            let mut found = Vec::new();
            for nip in nips {
                if let Some((doc, scope)) =
                    statement.query_row([nip], |row| Ok((doc_id(row.get(0)?)?, row.get::<_, String>(1)?))).optional()?
                {
                    found.push(((*nip).to_owned(), doc, scope));
                }
            }
            Ok(found)
        })
    }

    fn pegawai_nips(&self, scope: &str) -> StorageResult<Vec<(String, DocId)>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT nip, doc FROM document WHERE scope = ?1 AND record = 'pegawai' AND nip IS NOT NULL ORDER BY nip",
            )?;
            let rows = statement.query_map([scope], |row| Ok((row.get::<_, String>(0)?, doc_id(row.get(1)?)?)))?;
            rows.collect()
        })
    }

    fn change_seq(&self, hash: &HashBytes) -> StorageResult<Option<u64>> {
        self.read(|conn| {
            conn.prepare_cached("SELECT seq FROM change WHERE hash = ?1")?
                .query_row([&hash[..]], |row| row.get::<_, i64>(0))
                .optional()
                .map(|seq| seq.map(u64_of))
        })
    }

    fn commit(&self, commit: &Commit) -> StorageResult<Vec<u64>> {
        self.write(|tx| {
            for write in &commit.documents {
                let heads = join_hashes(&write.heads);
                let record = write.record.as_str();
                match &write.state {
                    StateWrite::Save(save) => {
                        let rowid: i64 = tx
                            .prepare_cached(
                                "INSERT INTO document (doc, scope, record, nip, heads, save) \
                                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                                 ON CONFLICT (doc) DO UPDATE SET scope = excluded.scope, heads = excluded.heads, \
                                 save = excluded.save, nip = coalesce(excluded.nip, document.nip) RETURNING rowid",
                            )?
                            .query_row(params![&write.doc[..], write.scope, record, write.nip, heads, save], |row| {
                                row.get(0)
                            })?;
                        tx.prepare_cached("DELETE FROM document_chunk WHERE document_rowid = ?1")?.execute([rowid])?;
                    }
                    StateWrite::Append(chunk) => {
                        // Only an insert: the document row (and its save) is left alone.
                        let inserted = tx
                            .prepare_cached(
                                "INSERT INTO document_chunk (document_rowid, seq, bytes, heads) \
                                 SELECT rowid, 1 + coalesce((SELECT max(seq) FROM document_chunk \
                                 WHERE document_rowid = document.rowid), 0), ?2, ?3 FROM document WHERE doc = ?1",
                            )?
                            .execute(params![&write.doc[..], chunk, heads])?;
                        if inserted == 0 {
                            return Err(rusqlite::Error::QueryReturnedNoRows);
                        }
                    }
                }
                if let Some(refs) = &write.blob_refs {
                    tx.prepare_cached("DELETE FROM blob_ref WHERE doc = ?1")?.execute([&write.doc[..]])?;
                    let mut insert =
                        tx.prepare_cached("INSERT OR IGNORE INTO blob_ref (sha256, doc) VALUES (?1, ?2)")?;
                    for sha in refs {
                        insert.execute(params![&sha[..], &write.doc[..]])?;
                    }
                }
            }
            let mut seqs = Vec::with_capacity(commit.log.len());
            let mut insert_log = tx.prepare_cached(
                "INSERT INTO log (scope, doc, record, body, bytes, heads_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut insert_change =
                tx.prepare_cached("INSERT OR IGNORE INTO change (hash, doc, seq) VALUES (?1, ?2, ?3)")?;
            for entry in &commit.log {
                let (body, bytes) = match &entry.body {
                    LogBody::Changes(changes) => ("change", encode_changes(changes)),
                    LogBody::Snapshot(save) => ("snapshot", save.clone()),
                    LogBody::Remove => ("remove", Vec::new()),
                };
                insert_log.execute(params![
                    entry.scope,
                    &entry.doc[..],
                    entry.record.as_str(),
                    body,
                    bytes,
                    join_hashes(&entry.heads_after)
                ])?;
                let seq = tx.last_insert_rowid();
                for hash in &entry.change_hashes {
                    insert_change.execute(params![&hash[..], &entry.doc[..], seq])?;
                }
                seqs.push(u64_of(seq));
            }
            Ok(seqs)
        })
    }

    fn scope_state(&self, scope: &str) -> StorageResult<ScopeState> {
        self.read(|conn| scope_state(conn, scope))
    }

    fn log_after(&self, scope: &str, after: u64, limit: usize) -> StorageResult<Vec<LogEntry>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT seq, doc, record, body, bytes, heads_after FROM log WHERE scope = ?1 AND seq > ?2 \
                 ORDER BY seq LIMIT ?3",
            )?;
            statement
                .query_map(params![scope, i64_of(after), i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
                    let body: String = row.get(3)?;
                    let bytes: Vec<u8> = row.get(4)?;
                    Ok(LogEntry {
                        seq: u64_of(row.get(0)?),
                        doc: doc_id(row.get(1)?)?,
                        record: record_kind(&row.get::<_, String>(2)?)?,
                        body: match body.as_str() {
                            "change" => LogBody::Changes(decode_changes(&bytes)),
                            "snapshot" => LogBody::Snapshot(bytes),
                            _ => LogBody::Remove,
                        },
                        heads_after: split_hashes(&row.get::<_, Vec<u8>>(5)?),
                    })
                })?
                .collect()
        })
    }

    fn compact(&self, scope: &str, epoch: u64) -> StorageResult<ScopeState> {
        self.write(|tx| {
            let before = scope_state(tx, scope)?;
            let mut documents = Vec::new();
            {
                let mut statement = tx
                    .prepare_cached(&format!("SELECT {DOCUMENT_COLUMNS} FROM document WHERE scope = ?1 ORDER BY doc"))?;
                let mut rows = statement.query([scope])?;
                while let Some(row) = rows.next()? {
                    documents.push(document_row(tx, row)?);
                }
            }
            let mut insert = tx.prepare_cached(
                "INSERT INTO log (scope, doc, record, body, bytes, heads_after) VALUES (?1, ?2, ?3, 'snapshot', ?4, ?5)",
            )?;
            for stored in documents {
                insert.execute(params![
                    scope,
                    &stored.doc[..],
                    stored.record.as_str(),
                    stored.bytes,
                    join_hashes(&stored.heads)
                ])?;
            }
            // The new floor: every entry up to the hub's last seq before this compaction is gone for this scope.
            let floor = before.last_seq;
            tx.execute("DELETE FROM log WHERE scope = ?1 AND seq <= ?2", params![scope, i64_of(floor)])?;
            tx.execute(
                "INSERT OR REPLACE INTO scope (scope, epoch, floor_seq) VALUES (?1, ?2, ?3)",
                params![scope, i64_of(epoch), i64_of(floor)],
            )?;
            scope_state(tx, scope)
        })
    }

    fn scope_documents(
        &self,
        scope: &str,
        visit: &mut dyn FnMut(StoredDocument) -> StorageResult<()>,
    ) -> StorageResult<ScopeState> {
        let pooled = lock(&self.readers).pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                configure(&conn)?;
                conn
            }
        };
        let result = (|| {
            // One read transaction: the documents and the state are of the same moment.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let state = scope_state(&tx, scope)?;
            scope_documents(&tx, scope, visit)?;
            tx.commit()?;
            Ok(state)
        })();
        let mut readers = lock(&self.readers);
        if readers.len() < READERS {
            readers.push(conn);
        }
        result
    }

    fn log_count_after(&self, scope: &str, seq: u64) -> StorageResult<u64> {
        self.read(|conn| {
            conn.query_row(
                "SELECT count(*) FROM log WHERE scope = ?1 AND seq > ?2",
                params![scope, i64_of(seq)],
                |row| row.get::<_, i64>(0),
            )
            .map(u64_of)
        })
    }

    fn snapshot_builds(&self, scope: &str) -> StorageResult<Vec<SnapshotBuild>> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT epoch, seq, idx, size, sha256, documents FROM snapshot_chunk WHERE scope = ?1 \
                 ORDER BY epoch DESC, seq DESC, idx",
            )?;
            let mut builds: Vec<SnapshotBuild> = Vec::new();
            let rows = statement.query_map([scope], |row| {
                let sha: Vec<u8> = row.get(4)?;
                Ok((
                    u64_of(row.get(0)?),
                    u64_of(row.get(1)?),
                    SnapshotChunkRecord {
                        index: row.get(2)?,
                        size: u64_of(row.get(3)?),
                        sha256: HashBytes::try_from(sha.as_slice()).unwrap_or([0; 32]),
                        documents: row.get(5)?,
                    },
                ))
            })?;
            for row in rows {
                let (epoch, seq, chunk) = row?;
                match builds.last_mut() {
                    Some(build) if build.epoch == epoch && build.seq == seq => build.chunks.push(chunk),
                    _ => builds.push(SnapshotBuild { scope: scope.to_owned(), epoch, seq, chunks: vec![chunk] }),
                }
            }
            Ok(builds)
        })
    }

    fn insert_snapshot_build(&self, build: &SnapshotBuild) -> StorageResult<()> {
        self.write(|tx| {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO snapshot_chunk (scope, epoch, seq, idx, size, sha256, documents) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for chunk in &build.chunks {
                insert.execute(params![
                    build.scope,
                    i64_of(build.epoch),
                    i64_of(build.seq),
                    chunk.index,
                    i64_of(chunk.size),
                    &chunk.sha256[..],
                    chunk.documents
                ])?;
            }
            Ok(())
        })
    }

    fn delete_snapshot_build(&self, scope: &str, epoch: u64, seq: u64) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM snapshot_chunk WHERE scope = ?1 AND epoch = ?2 AND seq = ?3",
                params![scope, i64_of(epoch), i64_of(seq)],
            )
            .map(|_| ())
        })
    }

    fn blob_size(&self, sha256: &HashBytes) -> StorageResult<Option<u64>> {
        self.read(|conn| {
            conn.query_row("SELECT size FROM blob WHERE sha256 = ?1", [&sha256[..]], |row| row.get::<_, i64>(0))
                .optional()
                .map(|size| size.map(u64_of))
        })
    }

    fn blob(&self, sha256: &HashBytes) -> StorageResult<Option<Vec<u8>>> {
        self.read(|conn| {
            conn.query_row("SELECT bytes FROM blob WHERE sha256 = ?1", [&sha256[..]], |row| row.get(0)).optional()
        })
    }

    fn blob_referenced(&self, sha256: &HashBytes, scopes: Option<&[String]>) -> StorageResult<bool> {
        self.read(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT document.scope FROM blob_ref JOIN document ON document.doc = blob_ref.doc \
                 WHERE blob_ref.sha256 = ?1",
            )?;
            let found: Vec<String> = statement.query_map([&sha256[..]], |row| row.get(0))?.collect::<Result<_, _>>()?;
            Ok(match scopes {
                None => !found.is_empty(),
                Some(scopes) => found.iter().any(|scope| scopes.contains(scope)),
            })
        })
    }

    fn blob_upload(&self, sha256: &HashBytes) -> StorageResult<Option<BlobUpload>> {
        self.read(|conn| {
            let Some((size, chunk_size)) = conn
                .query_row("SELECT size, chunk_size FROM blob_upload WHERE sha256 = ?1", [&sha256[..]], |row| {
                    Ok((u64_of(row.get(0)?), row.get::<_, u32>(1)?))
                })
                .optional()?
            else {
                return Ok(None);
            };
            let mut statement = conn.prepare_cached("SELECT idx FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx")?;
            let have = statement.query_map([&sha256[..]], |row| row.get::<_, u32>(0))?.collect::<Result<_, _>>()?;
            Ok(Some(BlobUpload { size, chunk_size, have }))
        })
    }

    fn start_blob_upload(&self, sha256: &HashBytes, size: u64, chunk_size: u32) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [&sha256[..]])?;
            tx.execute(
                "INSERT OR REPLACE INTO blob_upload (sha256, size, chunk_size) VALUES (?1, ?2, ?3)",
                params![&sha256[..], i64_of(size), chunk_size],
            )
            .map(|_| ())
        })
    }

    fn put_blob_chunk(&self, sha256: &HashBytes, index: u32, bytes: &[u8]) -> StorageResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO blob_chunk (sha256, idx, bytes) VALUES (?1, ?2, ?3)",
                params![&sha256[..], index, bytes],
            )
            .map(|_| ())
        })
    }

    fn blob_chunks(&self, sha256: &HashBytes) -> StorageResult<Vec<(u32, Vec<u8>)>> {
        self.read(|conn| {
            let mut statement =
                conn.prepare_cached("SELECT idx, bytes FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx")?;
            statement.query_map([&sha256[..]], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
        })
    }

    fn finish_blob_upload(&self, sha256: &HashBytes, bytes: Option<&[u8]>) -> StorageResult<()> {
        self.write(|tx| {
            if let Some(bytes) = bytes {
                tx.execute(
                    "INSERT OR IGNORE INTO blob (sha256, size, bytes) VALUES (?1, ?2, ?3)",
                    params![&sha256[..], i64::try_from(bytes.len()).unwrap_or(i64::MAX), bytes],
                )?;
            }
            tx.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [&sha256[..]])?;
            tx.execute("DELETE FROM blob_upload WHERE sha256 = ?1", [&sha256[..]]).map(|_| ())
        })
    }
}
