//! What a change touches, and how to take it back: the paths a change's operations write (for
//! [`crate::authority`]), the compensating value for refused paths, and the blob references of a document.
//!
//! Paths come from the change's own operations, each located in the document after the change (automerge
//! `parents`), not from a diff of the document before and after: a diff misses a write that lost the
//! concurrent-write tie-break (the value shown stays the same, yet the refused value sits in the document as a
//! conflict for a verifikator to pick), and it costs two whole-document reads per change. Operations are mapped
//! to the JSON shape of `sync::document`: map keys are unescaped, rows of keyed arrays are
//! [`PathSegment::Row`], an operation on a list element is reported at the list (lists are written whole) and
//! one on a row's `_urutan` (its position) at the row.
//!
//! This module does not decide anything: it describes.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};

use automerge::legacy::{Key, ObjectId, OpType};
use automerge::{ObjId, Prop, ReadDoc, ScalarValue};
use serde_json::Value;
use sync::wire::HashBytes;
use sync::{Document, PathSegment};

use crate::authority::ChangedPath;

/// The marker key of a keyed array's map, and a row's position key (see `sync::document`).
const KEYED: &str = "_keyed";
const URUTAN: &str = "_urutan";

/// What a change's operations touch.
#[derive(Debug, Default)]
pub(super) struct Touched {
    /// The paths written, deduplicated, in operation order.
    pub(super) paths: Vec<ChangedPath>,
    /// Whether an operation writes a `sha256` member.
    pub(super) writes_sha256: bool,
    /// Whether an operation overwrites or deletes something (its predecessors are not empty).
    pub(super) overwrites: bool,
}

/// The paths `change` writes in `doc`, which must already hold it. A change the paths cannot be found for (it
/// should not happen after a successful apply; automerge may panic on odd input) is reported as touching the
/// document root, which nobody may write.
pub(super) fn touched(doc: &Document, change: &automerge::Change) -> Touched {
    match panic::catch_unwind(AssertUnwindSafe(|| locate(doc, change))) {
        Ok(Some(touched)) => touched,
        _ => Touched {
            paths: vec![ChangedPath { segments: Vec::new(), value: None }],
            writes_sha256: true,
            overwrites: true,
        },
    }
}

fn locate(doc: &Document, change: &automerge::Change) -> Option<Touched> {
    let automerge = doc.automerge();
    let expanded = change.decode();
    let mut objects: HashMap<String, (Vec<PathSegment>, bool)> = HashMap::new();
    let mut keyed: HashMap<ObjId, bool> = HashMap::new();
    let mut touched = Touched::default();
    for op in &expanded.operations {
        let obj_key = match &op.obj {
            ObjectId::Root => String::from("_root"),
            ObjectId::Id(id) => format!("{}@{}", id.counter(), id.actor().to_hex_string()),
        };
        if !objects.contains_key(&obj_key) {
            let obj = automerge.import_obj(&obj_key).ok()?;
            let located = object_path(automerge, &obj, &mut keyed)?;
            objects.insert(obj_key.clone(), located);
        }
        let (obj_path, obj_keyed) = objects.get(&obj_key)?;
        let mut segments = obj_path.clone();
        match &op.key {
            Key::Map(key) if key.as_str() == KEYED || key.as_str() == URUTAN => {}
            Key::Map(key) => segments.push(map_segment(key, *obj_keyed)),
            Key::Seq(_) => {}
        }
        if matches!(&op.key, Key::Map(key) if key.as_str() == "sha256") {
            touched.writes_sha256 = true;
        }
        if !op.pred.is_empty() {
            touched.overwrites = true;
        }
        let value = match &op.action {
            OpType::Put(scalar) => scalar_json(scalar),
            _ => None,
        };
        if !touched.paths.iter().any(|path| path.segments == segments) {
            touched.paths.push(ChangedPath { segments, value });
        }
    }
    Some(touched)
}

/// The path of an object and whether it is a keyed array's map.
fn object_path(
    automerge: &automerge::Automerge,
    obj: &ObjId,
    keyed: &mut HashMap<ObjId, bool>,
) -> Option<(Vec<PathSegment>, bool)> {
    let mut segments = Vec::new();
    for (parent, prop) in automerge.parents(obj).ok()?.path() {
        match prop {
            Prop::Map(key) => {
                let parent_keyed = is_keyed(automerge, &parent, keyed);
                segments.push(map_segment(&key, parent_keyed));
            }
            Prop::Seq(index) => segments.push(PathSegment::Index(index)),
        }
    }
    Some((segments, is_keyed(automerge, obj, keyed)))
}

fn is_keyed(automerge: &automerge::Automerge, obj: &ObjId, keyed: &mut HashMap<ObjId, bool>) -> bool {
    *keyed.entry(obj.clone()).or_insert_with(|| matches!(automerge.get(obj, KEYED), Ok(Some(_))))
}

/// A document map key as a path step: a row key as is, a member key unescaped (`__x` → `_x`).
fn map_segment(key: &str, in_keyed_map: bool) -> PathSegment {
    if in_keyed_map {
        PathSegment::Row(key.to_owned())
    } else {
        PathSegment::Key(key.strip_prefix('_').filter(|rest| rest.starts_with('_')).unwrap_or(key).to_owned())
    }
}

fn scalar_json(scalar: &ScalarValue) -> Option<Value> {
    match scalar {
        ScalarValue::Str(text) => Some(Value::String(text.to_string())),
        ScalarValue::Int(number) => Some(Value::from(*number)),
        ScalarValue::Uint(number) => Some(Value::from(*number)),
        ScalarValue::F64(number) => Some(Value::from(*number)),
        ScalarValue::Boolean(flag) => Some(Value::Bool(*flag)),
        ScalarValue::Null => Some(Value::Null),
        _ => None,
    }
}

// -------------------------------------------------------------------------------------------------------------
// Reverting paths in the JSON form

/// The document key of each row of a hydrated keyed array, as `sync::document` derives it: the row's non-empty
/// string `id` (else `dok_id`), escaped, else `_h` + its row hash; the n-th repeat of a key gets `_<n>~` in front.
pub(super) fn row_keys(rows: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(rows.len());
    for row in rows {
        let id = ["id", "dok_id"]
            .iter()
            .find_map(|field| row.get(*field).and_then(Value::as_str).filter(|id| !id.is_empty()));
        let base = match id {
            Some(id) if id.starts_with('_') => format!("_{id}"),
            Some(id) => id.to_owned(),
            None => format!("_h{:016x}", sync::document::row_hash(row)),
        };
        let mut key = base.clone();
        let mut occurrence = 1;
        while keys.contains(&key) {
            occurrence += 1;
            key = format!("_{occurrence}~{base}");
        }
        keys.push(key);
    }
    keys
}

/// The value at `path` in a hydrated document.
pub(super) fn value_at<'v>(value: &'v Value, path: &[PathSegment]) -> Option<&'v Value> {
    let mut current = value;
    for segment in path {
        current = match (segment, current) {
            (PathSegment::Key(key), Value::Object(map)) => map.get(key)?,
            (PathSegment::Row(key), Value::Array(rows)) => {
                let position = row_keys(rows).iter().position(|row| row == key)?;
                rows.get(position)?
            }
            (PathSegment::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Sets (or with `None` removes) the value at `path`; `false` when its parent is not there.
fn set_at(target: &mut Value, path: &[PathSegment], new: Option<Value>) -> bool {
    let Some((last, parents)) = path.split_last() else {
        if let Some(new) = new {
            *target = new;
        }
        return true;
    };
    let mut current = target;
    for segment in parents {
        current = match (segment, current) {
            (PathSegment::Key(key), Value::Object(map)) => match map.get_mut(key) {
                Some(child) => child,
                None => return false,
            },
            (PathSegment::Row(key), Value::Array(rows)) => {
                let Some(position) = row_keys(rows).iter().position(|row| row == key) else { return false };
                match rows.get_mut(position) {
                    Some(child) => child,
                    None => return false,
                }
            }
            (PathSegment::Index(index), Value::Array(items)) => match items.get_mut(*index) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, current) {
        (PathSegment::Key(key), Value::Object(map)) => {
            match new {
                Some(new) => map.insert(key.clone(), new),
                None => map.remove(key),
            };
            true
        }
        (PathSegment::Row(key), Value::Array(rows)) => {
            let position = row_keys(rows).iter().position(|row| row == key);
            match (position, new) {
                (Some(position), Some(new)) => rows[position] = new,
                (Some(position), None) => {
                    rows.remove(position);
                }
                (None, Some(new)) => rows.push(new),
                (None, None) => {}
            }
            true
        }
        (PathSegment::Index(index), Value::Array(items)) => match (items.get_mut(*index), new) {
            (Some(item), Some(new)) => {
                *item = new;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Puts back in `target` (the document after a change) the values `before` held at `path`. When the path's
/// parent is gone from `target`, the nearest ancestor that exists in both is reverted whole instead.
pub(super) fn revert(target: &mut Value, before: &Value, path: &[PathSegment]) {
    let mut depth = path.len();
    loop {
        let prefix = &path[..depth];
        let old = value_at(before, prefix).cloned();
        if set_at(target, prefix, old) || depth == 0 {
            return;
        }
        depth -= 1;
    }
}

// -------------------------------------------------------------------------------------------------------------
// Blob references

/// The blobs a hydrated document references: every `"sha256"` member, at any depth, whose value is 64 hex
/// digits ([`sync::blob::references`], the rule the desktop follows too). Sorted, without duplicates.
pub(super) fn blob_refs(value: &Value) -> Vec<HashBytes> {
    sync::blob::references(value).into_iter().map(|reference| reference.sha256).collect()
}
