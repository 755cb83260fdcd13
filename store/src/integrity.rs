//! `luring-cli check`: is the replica file sound, and do the projections match the documents?
//!
//! Runs SQLite's `integrity_check`, loads every document (quarantining the ones whose bytes fail), and compares the
//! projection counts with the documents. It repairs nothing else: a mismatch is reported with the command that fixes
//! it ([`crate::projection::rebuild_projections`]).

use crate::document;
use crate::{Replica, Result};

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `integrity_check` said "ok".
    pub sqlite_ok: bool,
    /// The first lines of `integrity_check` when it did not.
    pub sqlite_messages: Vec<String>,
    /// Documents loaded successfully.
    pub documents: i64,
    /// Documents quarantined now or before: (document id, reason).
    pub quarantined: Vec<(String, String)>,
    /// Pegawai documents, pegawai projection rows, FTS rows.
    pub pegawai: (i64, i64, i64),
    /// Pending outbox changes.
    pub outbox: i64,
}

impl Report {
    /// True when nothing needs attention.
    pub fn is_healthy(&self) -> bool {
        self.sqlite_ok
            && self.quarantined.is_empty()
            && self.pegawai.0 == self.pegawai.1
            && self.pegawai.1 == self.pegawai.2
    }
}

/// Checks the replica (see the module doc). Newly found corrupt documents are quarantined.
///
/// # Errors
/// SQLite errors.
pub fn check(replica: &Replica) -> Result<Report> {
    let mut report = Report::default();
    let reader = replica.reader()?;
    let mut statement = reader.prepare("PRAGMA integrity_check")?;
    let messages: Vec<String> = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
    report.sqlite_ok = messages.len() == 1 && messages[0] == "ok";
    if !report.sqlite_ok {
        report.sqlite_messages = messages.into_iter().take(20).collect();
    }
    let rowids: Vec<i64> = reader
        .prepare("SELECT rowid FROM document WHERE quarantined IS NULL ORDER BY rowid")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut corrupt = Vec::new();
    for rowid in rowids {
        match document::load(&reader, rowid) {
            Ok(_) => report.documents += 1,
            Err(crate::Error::CorruptDocument { id, reason }) => corrupt.push((rowid, id, reason)),
            Err(error) => return Err(error),
        }
    }
    drop(statement);
    drop(reader);
    if !corrupt.is_empty() {
        replica.write(|tx| {
            for (rowid, _, reason) in &corrupt {
                document::quarantine(tx, *rowid, reason)?;
            }
            Ok(())
        })?;
    }
    let reader = replica.reader()?;
    let mut statement = reader.prepare("SELECT hex(id), quarantined FROM document WHERE quarantined IS NOT NULL")?;
    report.quarantined = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    let (pegawai, fts, documents) = crate::projection::counts(&reader)?;
    report.pegawai = (documents, pegawai, fts);
    report.outbox = crate::sync_state::outbox_size(&reader)?.0;
    Ok(report)
}
