//! `luring-cli check`: is the replica file sound, and do the projections match the documents?
//!
//! Runs SQLite's `integrity_check`, then re-derives every document that is not quarantined and compares the
//! result with what the projections hold, row by row and column by column ([`crate::projection::verify`]):
//! each pegawai whose list row, search words, IKD rows or conflicts differ is reported with its NIP and the fields
//! that differ. Documents that do not load are quarantined. It repairs nothing else: a mismatch is reported with
//! the command that fixes it ([`crate::projection::rebuild_projections`]).

use crate::document;
use crate::projection::{self, Mismatch};
use crate::{Replica, Result};

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `integrity_check` said "ok".
    pub sqlite_ok: bool,
    /// The first lines of `integrity_check` when it did not.
    pub sqlite_messages: Vec<String>,
    /// Documents loaded (and derived) successfully.
    pub documents: i64,
    /// Documents quarantined now or before: (document id, reason).
    pub quarantined: Vec<(String, String)>,
    /// Pegawai documents, pegawai projection rows, FTS rows.
    pub pegawai: (i64, i64, i64),
    /// Documents whose projections differ from what they derive to, in row id order, with the differing fields.
    pub mismatches: Vec<Mismatch>,
    /// Pending outbox changes.
    pub outbox: i64,
}

impl Report {
    /// True when nothing needs attention.
    pub fn is_healthy(&self) -> bool {
        self.sqlite_ok && self.quarantined.is_empty() && self.projections_match()
    }

    /// True when the projections hold exactly what the documents derive to (counts and contents).
    pub fn projections_match(&self) -> bool {
        self.pegawai.0 == self.pegawai.1 && self.pegawai.1 == self.pegawai.2 && self.mismatches.is_empty()
    }
}

/// Checks the replica (see the module doc). Newly found unreadable documents are quarantined.
///
/// # Errors
/// SQLite errors.
pub fn check(replica: &Replica) -> Result<Report> {
    let mut report = Report::default();
    let verified = {
        let reader = replica.reader()?;
        // One read transaction: the file, documents and projections from the same snapshot, whatever is written
        // meanwhile.
        let snapshot = reader.unchecked_transaction()?;
        // `integrity_check` checks the FTS index with the structure this connection cached when it last read it,
        // without looking for newer commits; after a rebuild by another connection that reports a corruption that
        // is not there (SQLite 3.54). Any read of an index refreshes it: each FTS table is read.
        for fts in crate::projection::SEARCH_INDEXES {
            snapshot
                .query_row(&format!("SELECT count(*) FROM {fts} WHERE rowid = 0"), [], |row| row.get::<_, i64>(0))?;
        }
        let mut statement = snapshot.prepare("PRAGMA integrity_check")?;
        let messages: Vec<String> = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        drop(statement);
        report.sqlite_ok = messages.len() == 1 && messages[0] == "ok";
        if !report.sqlite_ok {
            report.sqlite_messages = messages.into_iter().take(20).collect();
        }
        projection::verify(&snapshot)?
    };
    report.documents = verified.documents;
    report.mismatches = verified.mismatches;
    if !verified.unreadable.is_empty() {
        replica.write(|tx| {
            for (rowid, reason) in &verified.unreadable {
                document::quarantine(tx, *rowid, reason)?;
            }
            Ok(())
        })?;
    }
    let reader = replica.reader()?;
    let mut statement = reader.prepare("SELECT hex(id), quarantined FROM document WHERE quarantined IS NOT NULL")?;
    report.quarantined = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    let (pegawai, fts, documents) = projection::counts(&reader)?;
    report.pegawai = (documents, pegawai, fts);
    report.outbox = crate::sync_state::outbox_size(&reader)?.0;
    Ok(report)
}
