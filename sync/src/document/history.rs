//! The audit trail of one document, from its automerge history: every change with its author (actor, commit
//! message), time and the field-level values it changed (DESIGN §3.1; deliverable 7 of the usulan issue).
//!
//! [`Document::history`] walks the changes in causal order and, for each, hydrates the document at the change's
//! dependencies (before) and at the change itself (after, which includes every ancestor) with automerge's reads at
//! heads, then compares the JSON leaves of both. Leaves are reported with the display paths of
//! [`super::FieldConflict::path`]: members by key (`data_utama.nama`), riwayat rows by their key in the document,
//! that is their id (`riwayat_jabatan[<row id>].tmt_jabatan`), so a row that moves keeps its path and only what
//! changed in it is reported. Lists without row ids are leaves (they are written whole), and the internal
//! `_keyed`/`_urutan` entries are never reported. Where concurrent changes left a conflict, the value shown is the
//! one hydrate shows at that version (automerge's winner).
//!
//! The work is bounded: at most `max_changes` changes (the newest; [`History::truncated`] says older ones exist)
//! and at most `max_fields` fields per change ([`HistoryEntry::fields_omitted`] counts the rest, as for the first
//! change of an imported pegawai, which writes every field).
//!
//! # Change messages: who and from which device
//!
//! Automerge records an actor (the device, DESIGN §5.4), a time and a free-text message per change. A desktop's
//! local write carries the officer's NIP and the device's name in its message as a small JSON envelope,
//! [`ChangeMessage`], written by [`ChangeMessage::encode`]:
//!
//! ```text
//! {"luring":1,"pesan":"ubah kontak (no HP, email)","nip":"198503152010012001","perangkat":"LAPTOP-BKD-03"}
//! ```
//!
//! `luring` is the envelope's version (1), `pesan` what the officer did, `nip` and `perangkat` who and where
//! (either may be absent). [`ChangeMessage::parse`] reads it back; any other message (the hub's own, such as
//! `impor data pegawai`, `kompensasi: …`, `usulan … disetujui BKN: … diterapkan hub`, `status usulan dari SI-ASN`,
//! or a message written before the envelope existed) is a plain [`ChangeMessage`] with only `pesan`. Envelopes
//! hold no personal data values: only what the officer did, their own NIP and the device's name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{ScalarValue, hydrate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    ChangeHash, Document, KEYED, PathSegment, ROW_ID_FIELDS, URUTAN, display_path, hydrated_to_json, unescape_key,
};

#[cfg(test)]
mod tests;

/// The audit trail of a document, newest change first ([`Document::history`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The changes, newest first (reverse causal order: a change comes before every change it depends on).
    pub changes: Vec<HistoryEntry>,
    /// How many changes the document holds in all.
    pub total: usize,
    /// Whether older changes exist than those in [`Self::changes`] (the cap was reached).
    pub truncated: bool,
}

/// One change of a document's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The change's hash.
    pub hash: ChangeHash,
    /// The actor that wrote it, in hex (a registered device, or the hub).
    pub actor: String,
    /// Its commit time, milliseconds since the Unix epoch, as its author's clock gave it.
    pub time_ms: i64,
    /// Its commit message as written (see [`ChangeMessage::parse`]).
    pub message: Option<String>,
    /// Whether it is the first change of the document (no dependencies): the document's creation or import.
    pub first: bool,
    /// The fields it changed, by display path, at most `max_fields` of them.
    pub fields: Vec<FieldChange>,
    /// How many more fields it changed than [`Self::fields`] lists.
    pub fields_omitted: usize,
}

/// One field a change wrote: its value before (at the change's dependencies) and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The display path: `data_utama.nama`, `riwayat_jabatan[<row id>].tmt_jabatan`, `gelar` (a whole list).
    pub path: String,
    /// The same path, step by step.
    pub segments: Vec<PathSegment>,
    /// The value before; `None` when the field did not exist (a new field or row).
    pub before: Option<Value>,
    /// The value after; `None` when the change removed it.
    pub after: Option<Value>,
}

/// A change message read as the envelope of the module doc, or a plain message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ChangeMessage {
    /// What was done (`ubah kontak (no HP, email)`, `impor data pegawai`); the whole message when it is plain.
    pub pesan: String,
    /// The NIP of the officer signed in on the device that wrote it, when recorded.
    pub nip: Option<String>,
    /// The name of that device, when recorded.
    pub perangkat: Option<String>,
}

/// The envelope's JSON form (version 1).
#[derive(Serialize)]
struct Envelope<'a> {
    luring: u32,
    pesan: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    perangkat: Option<&'a str>,
}

/// The envelope as read (owned: the strings may hold escapes).
#[derive(Deserialize)]
struct EnvelopeRead {
    luring: u32,
    pesan: String,
    #[serde(default)]
    nip: Option<String>,
    #[serde(default)]
    perangkat: Option<String>,
}

/// The envelope version [`ChangeMessage::encode`] writes.
const ENVELOPE_VERSION: u32 = 1;

impl ChangeMessage {
    /// `pesan` by the officer `nip` on the device `perangkat` (an empty value is left out).
    pub fn new(pesan: &str, nip: Option<&str>, perangkat: Option<&str>) -> Self {
        let given = |value: Option<&str>| value.map(str::trim).filter(|value| !value.is_empty()).map(str::to_owned);
        Self { pesan: pesan.to_owned(), nip: given(nip), perangkat: given(perangkat) }
    }

    /// The message text: the JSON envelope when a NIP or device is known, else `pesan` alone.
    pub fn encode(&self) -> String {
        if self.nip.is_none() && self.perangkat.is_none() {
            return self.pesan.clone();
        }
        let envelope = Envelope {
            luring: ENVELOPE_VERSION,
            pesan: &self.pesan,
            nip: self.nip.as_deref(),
            perangkat: self.perangkat.as_deref(),
        };
        // Serializing strings into JSON cannot fail.
        serde_json::to_string(&envelope).unwrap_or_else(|_| self.pesan.clone())
    }

    /// Reads a change message: the envelope (any version from 1 on, unknown members ignored), else a plain message.
    pub fn parse(message: &str) -> Self {
        if message.starts_with('{')
            && let Ok(envelope) = serde_json::from_str::<EnvelopeRead>(message)
            && envelope.luring >= 1
        {
            return Self::new(&envelope.pesan, envelope.nip.as_deref(), envelope.perangkat.as_deref());
        }
        Self { pesan: message.to_owned(), nip: None, perangkat: None }
    }
}

impl Document {
    /// The audit trail: the newest `max_changes` changes, newest first, each with at most `max_fields` field
    /// changes (see the module doc). Costs two reads of the document at a past version per change listed (one
    /// when the history is linear, as the state after a change is the state before the next).
    pub fn history(&self, max_changes: usize, max_fields: usize) -> History {
        let metas = self.doc.get_changes_meta(&[]);
        let total = metas.len();
        let skip = total.saturating_sub(max_changes);
        let mut cache: HashMap<Vec<ChangeHash>, Leaves> = HashMap::new();
        let mut changes = Vec::with_capacity(total - skip);
        for meta in metas.into_iter().skip(skip) {
            let mut deps = meta.deps.clone();
            deps.sort_unstable();
            let before = match cache.remove(&deps) {
                Some(leaves) => leaves,
                None => self.leaves_at(&deps),
            };
            let after = self.leaves_at(&[meta.hash]);
            let mut fields = diff(&before, &after);
            let fields_omitted = fields.len().saturating_sub(max_fields);
            fields.truncate(max_fields);
            changes.push(HistoryEntry {
                hash: meta.hash,
                actor: meta.actor.to_hex_string(),
                time_ms: meta.timestamp,
                message: meta.message.map(|message| message.into_owned()),
                first: meta.deps.is_empty(),
                fields,
                fields_omitted,
            });
            // The next change of a linear history reads this version as its "before".
            cache.clear();
            cache.insert(vec![meta.hash], after);
        }
        changes.reverse();
        History { changes, total, truncated: skip > 0 }
    }

    /// The leaves of the document at `heads` (nothing before the first change).
    fn leaves_at(&self, heads: &[ChangeHash]) -> Leaves {
        let mut leaves = Leaves::new();
        if heads.is_empty() {
            return leaves;
        }
        if let hydrate::Value::Map(root) = self.doc.hydrate(Some(heads)) {
            flatten_map(&root, None, &mut Vec::new(), &mut leaves);
        }
        leaves
    }
}

/// The scalar (or whole-list) leaves of a document by display path.
type Leaves = BTreeMap<String, (Vec<PathSegment>, Value)>;

/// Adds the leaves of `map` below `segments`. In a row (`row_key` is its key in the document) the member holding
/// the row's id is left out: the path already names it.
fn flatten_map(map: &hydrate::Map, row_key: Option<&str>, segments: &mut Vec<PathSegment>, leaves: &mut Leaves) {
    let keyed = row_key.is_none() && map.contains_key(KEYED);
    for (key, entry) in map.iter() {
        if let (Some(row_key), hydrate::Value::Scalar(ScalarValue::Str(id))) = (row_key, &entry.value)
            && ROW_ID_FIELDS.contains(&key.as_str())
            && super::escape_key(id) == row_key
        {
            continue;
        }
        let segment = if keyed {
            if key == KEYED {
                continue;
            }
            PathSegment::Row(key.clone())
        } else {
            if key == URUTAN {
                continue;
            }
            match unescape_key(key) {
                Some(key) => PathSegment::Key(key.to_owned()),
                None => continue,
            }
        };
        segments.push(segment);
        match &entry.value {
            hydrate::Value::Map(child) => flatten_map(child, keyed.then_some(key.as_str()), segments, leaves),
            other => {
                let value = hydrated_to_json(other);
                if !value.is_null() {
                    leaves.insert(display_path(segments), (segments.clone(), value));
                }
            }
        }
        segments.pop();
    }
}

/// The leaves that differ between `before` and `after`, in path order.
fn diff(before: &Leaves, after: &Leaves) -> Vec<FieldChange> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let was = before.get(path);
            let is = after.get(path);
            if was.map(|(_, value)| value) == is.map(|(_, value)| value) {
                return None;
            }
            let segments = was.or(is).map(|(segments, _)| segments.clone()).unwrap_or_default();
            Some(FieldChange {
                path: path.clone(),
                segments,
                before: was.map(|(_, value)| value.clone()),
                after: is.map(|(_, value)| value.clone()),
            })
        })
        .collect()
}
