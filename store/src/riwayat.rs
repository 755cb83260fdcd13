//! The audit trail (riwayat perubahan) of one pegawai or usulan, read from its automerge history
//! ([`sync::Document::history`]): who wrote each change (actor and the message's envelope, [`sync::ChangeMessage`]),
//! when, and the field-level values before and after.
//!
//! It only reads. A document a bulk import has not materialised yet is built from its seed in memory (one change:
//! the import), and nothing is written back.

use rusqlite::Connection;
use sync::History;
use uuid::Uuid;

use crate::document::{self, Kind};
use crate::{Error, Result};

/// How much of a history is read: the newest `changes` changes, each with at most `fields` field changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batas {
    /// At most this many changes, the newest.
    pub changes: usize,
    /// At most this many field changes per change.
    pub fields: usize,
}

impl Batas {
    /// The most changes a caller should ask for at once (the CLI's `--batas`).
    pub const MAKS_CHANGES: usize = 1_000;
}

impl Default for Batas {
    /// 50 changes of at most 100 fields each: a few screenfuls.
    ///
    /// Cost: each change listed costs roughly one rebuild (hydration) of the whole document at a past version
    /// (automerge's reads at heads; two where changes were concurrent, as around a merge), plus decoding the change
    /// and locating the objects it writes. So the time grows with the number of changes listed times the size of
    /// the document: it is not a few milliseconds for a long trail of a pegawai with many riwayat rows, and a cap
    /// of [`Self::MAKS_CHANGES`] is a wait the caller should ask for explicitly. It has not been benchmarked.
    fn default() -> Self {
        Self { changes: 50, fields: 100 }
    }
}

/// The history of the pegawai document at `rowid` when given (its NIP must be `nip`), else of the oldest pegawai
/// document with `nip`.
///
/// # Errors
/// [`Error::NotFound`] when there is no such pegawai or its document is quarantined; [`Error::CorruptDocument`]
/// when it does not load; SQLite errors.
pub fn pegawai(conn: &Connection, nip: &str, rowid: Option<i64>, batas: Batas) -> Result<History> {
    let rowid = crate::query::pegawai_rowid(conn, nip, rowid)?;
    let (stored, doc) = document::load(conn, rowid)?;
    if stored.kind != Kind::Pegawai {
        return Err(Error::NotFound(format!("pegawai dengan NIP {nip}")));
    }
    Ok(doc.history(batas.changes, batas.fields))
}

/// The history of document `id` of kind `kind` (an usulan, a verifikasi lapangan).
///
/// # Errors
/// [`Error::NotFound`] when the replica holds no such document of that kind or it is quarantined;
/// [`Error::CorruptDocument`] when it does not load; SQLite errors.
pub fn dokumen(conn: &Connection, kind: Kind, id: Uuid, batas: Batas) -> Result<History> {
    let not_found = || Error::NotFound(format!("dokumen {} {id}", kind.as_str()));
    let rowid = document::rowid_of(conn, id)?.ok_or_else(not_found)?;
    let (stored, doc) = document::load(conn, rowid)?;
    if stored.kind != kind {
        return Err(not_found());
    }
    Ok(doc.history(batas.changes, batas.fields))
}
