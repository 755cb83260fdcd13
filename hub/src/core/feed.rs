//! The change feed of a scope (sync.md §5.4) and its compaction (§5.9).
//!
//! A cursor is `sync::wire::Cursor { epoch, seq }`: the scope's epoch and the last seq the client applied. The
//! hub answers [`HubError::MustRefetch`] when the epoch is not the scope's current one (the log was compacted),
//! when the seq is below the scope's floor (entries the compaction dropped) or beyond the hub's last seq (a cursor
//! from another hub, or from before a restore). No cursor starts at the floor: the whole retained log.
//!
//! A batch holds the entries after the cursor in seq order, packed by `sync::wire::FeedBatchBuilder` so that its
//! encoded body stays within `max_bytes` (the first entry is always taken, so a large snapshot still makes
//! progress). It is `up_to_date` when it reaches the scope's head; its `next_cursor` is its last entry's seq (the
//! request's cursor when it is empty).
//!
//! Compaction starts a new epoch whose log is one snapshot entry per document (its state at that moment), then
//! drops the scope's older entries and the snapshot builds of older epochs.

use sync::wire::{Cursor, FeedBatch, FeedBatchBuilder, FeedBody, FeedItem};

use super::{Hub, HubError, lock, now_ms, snapshot};
use crate::storage::LogBody;

/// How many log entries are read at a time while packing a batch.
const PAGE: usize = 256;

pub(super) fn feed(hub: &Hub, scope: &str, cursor: Option<&str>, max_bytes: usize) -> Result<FeedBatch, HubError> {
    let storage = hub.inner.storage.as_ref();
    let state = storage.scope_state(scope)?;
    let after = match cursor {
        None => Cursor { epoch: state.epoch, seq: state.floor_seq },
        Some(text) => {
            let cursor = Cursor::decode(text)
                .map_err(|_| HubError::BadRequest(format!("kursor feed {text:?} tidak dikenal")))?;
            if cursor.epoch != state.epoch || cursor.seq < state.floor_seq || cursor.seq > state.last_seq {
                return Err(HubError::MustRefetch { scope: scope.to_owned() });
            }
            cursor
        }
    };
    let mut builder = FeedBatchBuilder::new(scope, max_bytes);
    let mut position = after.seq;
    let mut more_in_log = false;
    'read: loop {
        let entries = storage.log_after(scope, position, PAGE)?;
        let full_page = entries.len() == PAGE;
        for entry in entries {
            position = entry.seq;
            let item = FeedItem {
                seq: entry.seq,
                doc: entry.doc,
                record: entry.record,
                body: match entry.body {
                    LogBody::Changes(changes) => {
                        FeedBody::Changes { changes: changes.into_iter().map(Into::into).collect() }
                    }
                    LogBody::Snapshot(save) => FeedBody::Snapshot { save: save.into() },
                    LogBody::Remove => FeedBody::Remove,
                },
                heads_after: entry.heads_after,
            };
            if builder.push(item).is_err() {
                more_in_log = true;
                break 'read;
            }
        }
        if !full_page {
            break;
        }
    }
    let packed = builder
        .finish(after, more_in_log, now_ms())
        .map_err(|error| HubError::Storage(format!("batch feed tidak dapat disusun: {error}")))?;
    Ok(packed.batch)
}

pub(super) fn compact(hub: &Hub, scope: &str) -> Result<(), HubError> {
    let inner = &hub.inner;
    let state = {
        let _writer = lock(&inner.writer);
        let before = inner.storage.scope_state(scope)?;
        let epoch = before.epoch.saturating_add(1).max(u64::try_from(now_ms()).unwrap_or(0));
        inner.storage.compact(scope, epoch)?
    };
    inner.changed.send_replace(state.last_seq);
    snapshot::prune(hub, scope, state.epoch)
}
