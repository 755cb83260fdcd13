//! The audit trail of one document, from its automerge history: every change with its author (actor, commit
//! message), time and the field-level values it changed (DESIGN §3.1; deliverable 7 of the usulan issue).
//!
//! [`Document::history`] walks the changes in causal order and, for each, hydrates the document at the change's
//! dependencies (before) and at the change itself (after, which includes every ancestor) with automerge's reads at
//! heads. Which fields a change touched comes from the change itself, its operations, each located in the document
//! as of the change (automerge `parents_at`), as `hub::core::paths` does: a key the change writes is reported even
//! when the value shown stays the same (a verifikator's decision that keeps the shown value of a conflict, the hub's
//! compensation), and below an object the change creates or deletes (a new row, the import) every leaf that differs
//! is. Where the change's dependencies held concurrent values for a key it writes, [`FieldChange::competing`] lists
//! them all (the one shown first); the UI renders them joined by ` | `. A change whose operations cannot be located
//! falls back to comparing the JSON leaves of both versions. Leaves are reported with the display paths of
//! [`super::FieldConflict::path`]: members by key (`data_utama.nama`), riwayat rows by their key in the document,
//! that is their id (`riwayat_jabatan[<row id>].tmt_jabatan`), so a row that moves keeps its path and only what
//! changed in it is reported. Lists without row ids are leaves (they are written whole), and the internal
//! `_keyed`/`_urutan` entries are never reported (a row that only moves reports nothing). Where concurrent changes
//! left a conflict, [`FieldChange::before`] and [`FieldChange::after`] hold the value hydrate shows at that version
//! (automerge's winner).
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
//!
//! The NIP and the device's name are claims: they are what the writing device declared, checked by nobody. The
//! hub binds each actor (device) to one officer when it registers the device, but it does not verify or rewrite
//! messages, so a device could write any NIP or name, or an envelope whose `pesan` reads like the hub's.
//! [`ChangeMessage::parse`] only drops a malformed `nip` (not exactly 18 ASCII digits) or `perangkat` (longer than
//! [`ChangeMessage::MAX_PERANGKAT`] characters, or holding a control character); the actor is what automerge
//! itself records.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{self, AssertUnwindSafe};

use automerge::legacy::{Key, ObjectId};
use automerge::{ObjId, Prop, ReadDoc, ScalarValue, hydrate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    ChangeHash, Document, KEYED, PathSegment, ROW_ID_FIELDS, URUTAN, display_path, hydrated_to_json, scalar_to_json,
    unescape_key,
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
    /// Every distinct value the key held at the change's dependencies when concurrent writes left more than one
    /// (the one shown, [`Self::before`], first; then automerge's order); empty when there was no conflict there.
    /// A decision over a conflict is shown with these as its "before" (`B2 | B1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competing: Vec<Value>,
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
    /// The longest device name [`Self::parse`] accepts, in characters.
    pub const MAX_PERANGKAT: usize = 200;

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
    /// A `nip` that is not exactly 18 ASCII digits, or a `perangkat` longer than [`Self::MAX_PERANGKAT`]
    /// characters or holding a control character, is dropped (see [`Self::parse_envelope`]).
    pub fn parse(message: &str) -> Self {
        Self::parse_envelope(message).unwrap_or_else(|| Self { pesan: message.to_owned(), nip: None, perangkat: None })
    }

    /// The envelope of `message`, or `None` for a plain message. What it holds is what the writing device
    /// declared: nothing checks that the NIP is the officer signed in there, nor that the device is so named (the
    /// hub binds each actor to one officer at registration but does not rewrite messages). A malformed `nip` or
    /// `perangkat` is dropped.
    pub fn parse_envelope(message: &str) -> Option<Self> {
        if !message.starts_with('{') {
            return None;
        }
        let envelope = serde_json::from_str::<EnvelopeRead>(message).ok().filter(|envelope| envelope.luring >= 1)?;
        let nip = envelope.nip.as_deref().filter(|nip| nip.len() == 18 && nip.bytes().all(|b| b.is_ascii_digit()));
        let perangkat = envelope.perangkat.as_deref().filter(|perangkat| {
            perangkat.chars().count() <= Self::MAX_PERANGKAT && !perangkat.chars().any(char::is_control)
        });
        Some(Self::new(&envelope.pesan, nip, perangkat))
    }
}

impl Document {
    /// The audit trail: the newest `max_changes` changes, newest first, each with at most `max_fields` field
    /// changes (see the module doc). Costs two reads (hydrations) of the whole document at a past version per change
    /// listed (one when the history is linear, as the state after a change is the state before the next), plus
    /// decoding the change and locating the objects it writes.
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
            let mut fields = match self.touched(&meta.hash, &deps) {
                Some(touched) => touched_fields(&before, &after, &touched),
                None => diff(&before, &after),
            };
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

    /// The keys change `hash` writes, located in the document as of the change, or `None` when they cannot be
    /// found (automerge may panic on odd input; the caller then compares whole versions).
    fn touched(&self, hash: &ChangeHash, deps: &[ChangeHash]) -> Option<Vec<Touched>> {
        panic::catch_unwind(AssertUnwindSafe(|| self.locate(hash, deps))).ok().flatten()
    }

    fn locate(&self, hash: &ChangeHash, deps: &[ChangeHash]) -> Option<Vec<Touched>> {
        let change = self.doc.get_change_by_hash(hash)?;
        let heads = [*hash];
        let expanded = change.decode();
        let mut objects: HashMap<String, (ObjId, Located)> = HashMap::new();
        let mut touched: Vec<Touched> = Vec::new();
        for op in &expanded.operations {
            let obj_key = match &op.obj {
                ObjectId::Root => String::from("_root"),
                ObjectId::Id(id) => format!("{}@{}", id.counter(), id.actor().to_hex_string()),
            };
            if !objects.contains_key(&obj_key) {
                let obj = self.doc.import_obj(&obj_key).ok()?;
                let located = self.object_path(&obj, &heads)?;
                objects.insert(obj_key.clone(), (obj, located));
            }
            let (obj, located) = objects.get(&obj_key)?;
            let mut segments = located.segments.clone();
            let mut key_at = None;
            match &op.key {
                // Anything inside a list (an element, or a member of an object in it) is the list's: a leaf.
                _ if located.in_list => {}
                Key::Map(key) if key.as_str() == KEYED || key.as_str() == URUTAN => continue,
                Key::Map(key) if located.keyed => {
                    segments.push(PathSegment::Row(key.to_string()));
                    key_at = Some(key.to_string());
                }
                Key::Map(key) => match unescape_key(key) {
                    Some(unescaped) => {
                        segments.push(PathSegment::Key(unescaped.to_owned()));
                        key_at = Some(key.to_string());
                    }
                    None => continue,
                },
                // An element of a list or text: the list is the leaf.
                Key::Seq(_) => {}
            }
            if touched.iter().any(|known| known.segments == segments) {
                continue;
            }
            let competing = match key_at {
                Some(key) if !deps.is_empty() => self.competing(obj, key, deps),
                _ => Vec::new(),
            };
            touched.push(Touched { segments, competing });
        }
        Some(touched)
    }

    /// Where `obj` is at `heads`, `None` when it cannot be found.
    fn object_path(&self, obj: &ObjId, heads: &[ChangeHash]) -> Option<Located> {
        let keyed = |obj: &ObjId| matches!(self.doc.get_at(obj, KEYED, heads), Ok(Some(_)));
        let mut segments = Vec::new();
        for (parent, prop) in self.doc.parents_at(obj, heads).ok()?.path() {
            match prop {
                Prop::Map(key) if keyed(&parent) => segments.push(PathSegment::Row(key)),
                Prop::Map(key) => segments.push(PathSegment::Key(unescape_key(&key).unwrap_or(&key).to_owned())),
                // An object inside a list: the list (the path so far) is the leaf.
                Prop::Seq(_) => return Some(Located { segments, keyed: false, in_list: true }),
            }
        }
        Some(Located { segments, keyed: keyed(obj), in_list: false })
    }

    /// The distinct values of `key` in `obj` at `heads` when there are more than one, the one shown first.
    fn competing(&self, obj: &ObjId, key: String, heads: &[ChangeHash]) -> Vec<Value> {
        let Ok(all) = self.doc.get_all_at(obj, Prop::Map(key.clone()), heads) else { return Vec::new() };
        if all.len() < 2 {
            return Vec::new();
        }
        let winner = self.doc.get_at(obj, Prop::Map(key), heads).ok().flatten().map(|(_, id)| id);
        let mut values: Vec<(bool, Value)> = all
            .into_iter()
            .map(|(value, id)| {
                let json = match &value {
                    automerge::Value::Scalar(scalar) => scalar_to_json(scalar),
                    automerge::Value::Object(_) => match ReadDoc::hydrate(&self.doc, &id, Some(heads)) {
                        Ok(hydrated) => hydrated_to_json(&hydrated),
                        Err(_) => Value::Null,
                    },
                };
                (winner.as_ref() == Some(&id), json)
            })
            .collect();
        if values.windows(2).all(|pair| pair[0].1 == pair[1].1) {
            return Vec::new();
        }
        values.sort_by_key(|(winner, _)| !*winner);
        let mut distinct: Vec<Value> = Vec::new();
        for (_, value) in values {
            if !distinct.contains(&value) {
                distinct.push(value);
            }
        }
        distinct
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

/// Where an object a change writes is: its path, whether it is a keyed array's map, and whether it lies inside a
/// list (then `segments` is the list's path, and everything written inside is the list's).
struct Located {
    segments: Vec<PathSegment>,
    keyed: bool,
    in_list: bool,
}

/// A key a change writes: its path (an object's for an object created or deleted, a list's for a list element) and
/// the competing values it held at the change's dependencies.
struct Touched {
    segments: Vec<PathSegment>,
    competing: Vec<Value>,
}

/// The fields `touched` covers, in path order: a leaf at (or a list leaf holding) a touched path always, even when
/// its value stays the same; a leaf below a touched object when it differs.
fn touched_fields(before: &Leaves, after: &Leaves, touched: &[Touched]) -> Vec<FieldChange> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let was = before.get(path);
            let is = after.get(path);
            let segments = was.or(is).map(|(segments, _)| segments.clone()).unwrap_or_default();
            let exact = touched.iter().find(|touch| touch.segments.starts_with(&segments));
            let below = || touched.iter().any(|touch| segments.starts_with(&touch.segments));
            let differs = was.map(|(_, value)| value) != is.map(|(_, value)| value);
            if exact.is_none() && !(differs && below()) {
                return None;
            }
            Some(FieldChange {
                path: path.clone(),
                segments,
                before: was.map(|(_, value)| value.clone()),
                after: is.map(|(_, value)| value.clone()),
                competing: exact.map(|touch| touch.competing.clone()).unwrap_or_default(),
            })
        })
        .collect()
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
                competing: Vec::new(),
            })
        })
        .collect()
}
