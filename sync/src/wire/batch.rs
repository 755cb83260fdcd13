//! Packing feed items into a [`FeedBatch`] whose compressed body stays within a byte budget (sync.md §5.4).
//!
//! The hub reads its log after the client's cursor, offers entries to [`FeedBatchBuilder::push`] in `seq` order
//! until it refuses one, and sends the body [`FeedBatchBuilder::finish`] returns. Entries that did not fit are not
//! lost: the next request starts after the batch's last item and reads them again.
//!
//! The guarantee: the body is at most `max_bytes`, unless the batch holds a single item that alone is larger (the
//! first item is always taken, so a large document snapshot still makes progress instead of stalling the feed).
//!
//! How, without compressing the whole batch for every item: each item's CBOR length is exact. While zstd's
//! worst-case bound of the uncompressed batch fits the budget, the item is certainly in. Past that, the
//! compression ratio measured by an exact compression of the batch so far estimates the size; an exact check runs
//! again whenever the batch has grown by three quarters of the headroom the last check left, so a batch costs a
//! handful of compressions. [`FeedBatchBuilder::finish`] compresses the final batch and, in the rare case an
//! estimate was optimistic, drops items from the end (binary search) until it fits.

use super::{Cursor, FeedBatch, FeedItem, VERSION, WireError, encode};
use serde::Serialize;

/// Builds one [`FeedBatch`] within a compressed byte budget; see the module documentation.
#[derive(Debug)]
pub struct FeedBatchBuilder {
    scope: String,
    max_bytes: usize,
    items: Vec<FeedItem>,
    /// The exact CBOR length of `items`, summed.
    items_len: usize,
    /// The CBOR length of the batch without its items, at its largest (cursor, time and array header).
    envelope_len: usize,
    /// Compressed length over CBOR length at the last exact check; `None` before the first.
    ratio: Option<f64>,
    /// The CBOR length at which the next exact check is due.
    next_check: usize,
    /// An item was refused: the batch is closed.
    full: bool,
}

/// A finished feed batch: the message, its encoded body, and the items that did not fit.
#[derive(Debug)]
pub struct PackedFeedBatch {
    /// The batch, as sent.
    pub batch: FeedBatch,
    /// [`super::encode`] of `batch`: the HTTP response body.
    pub body: Vec<u8>,
    /// Items that were taken by [`FeedBatchBuilder::push`] but dropped by the final exact check, in order. The
    /// hub may discard them: the next request's cursor starts before them.
    pub leftover: Vec<FeedItem>,
}

/// The batch as it is serialized, borrowing its items (same field names and order as [`FeedBatch`]; a test checks
/// that both give the same bytes).
#[derive(Serialize)]
struct FeedBatchRef<'a> {
    v: u32,
    scope: &'a str,
    items: &'a [FeedItem],
    next_cursor: &'a str,
    up_to_date: bool,
    server_time_ms: i64,
}

/// How much of the headroom left by an exact check the batch may grow by before the next one.
const CHECK_STEP: f64 = 0.75;

impl FeedBatchBuilder {
    /// An empty batch of `scope` whose body must stay within `max_bytes` compressed bytes (usually
    /// [`super::DEFAULT_FEED_BATCH_BYTES`]).
    pub fn new(scope: impl Into<String>, max_bytes: usize) -> Self {
        let scope = scope.into();
        let envelope_len = cbor_len(&envelope(&scope, &[])).unwrap_or(0) + ARRAY_HEADER_SLACK;
        Self {
            scope,
            max_bytes,
            items: Vec::new(),
            items_len: 0,
            envelope_len,
            ratio: None,
            next_check: 0,
            full: false,
        }
    }

    /// Offers the next log entry. `Ok(())` means it is in the batch; `Err(item)` gives it back because the batch is
    /// full, and every later offer is refused too. The first item is always taken.
    ///
    /// Errors are only "full": an item that cannot even be serialized is refused unless it is the first (then
    /// [`Self::finish`] reports the error).
    pub fn push(&mut self, item: FeedItem) -> Result<(), FeedItem> {
        if self.full {
            return Err(item);
        }
        let item_len = cbor_len(&item);
        if self.items.is_empty() {
            self.admit(item, item_len.unwrap_or(0));
            return Ok(());
        }
        let Some(item_len) = item_len else {
            return self.refuse(item);
        };
        let raw = self.envelope_len + self.items_len + item_len;
        if zstd::zstd_safe::compress_bound(raw) <= self.max_bytes {
            self.admit(item, item_len);
            return Ok(());
        }
        if let Some(ratio) = self.ratio {
            if raw as f64 * ratio > self.max_bytes as f64 {
                return self.refuse(item);
            }
            if raw < self.next_check {
                self.admit(item, item_len);
                return Ok(());
            }
        }
        // An exact check, with the item in.
        self.items.push(item);
        match self.compressed_len(self.items.len()) {
            Some(compressed) if compressed <= self.max_bytes => {
                let ratio = compressed as f64 / raw as f64;
                let headroom = (self.max_bytes - compressed) as f64 / ratio;
                self.ratio = Some(ratio);
                self.next_check = raw + (headroom * CHECK_STEP) as usize;
                self.items_len += item_len;
                Ok(())
            }
            _ => match self.items.pop() {
                Some(item) => self.refuse(item),
                None => Ok(()),
            },
        }
    }

    /// How many items the batch holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether an item was refused (the batch takes no more).
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// Closes the batch and encodes it, checking its compressed size exactly (see [`PackedFeedBatch::leftover`]).
    ///
    /// `after` is the cursor of the request (the position the batch starts after): `next_cursor` is `after` moved
    /// to the last item's `seq`, or `after` itself for an empty batch. `more_in_log` says whether the log holds
    /// entries after the last one offered to [`Self::push`]; the batch is `up_to_date` only when it is false, no
    /// offer was refused and nothing was left over. `server_time_ms` is the hub's clock, milliseconds since the
    /// Unix epoch.
    pub fn finish(
        mut self,
        after: Cursor,
        more_in_log: bool,
        server_time_ms: i64,
    ) -> Result<PackedFeedBatch, WireError> {
        let mut up_to_date = !more_in_log && !self.full;
        let mut leftover = Vec::new();
        let mut body = self.encode_prefix(self.items.len(), after, up_to_date, server_time_ms)?;
        if body.len() > self.max_bytes && self.items.len() > 1 {
            // The largest prefix that fits, at least one item: `fits` fits (or is 1), `over` does not.
            let (mut fits, mut over) = (1, self.items.len());
            while over - fits > 1 {
                let middle = fits + (over - fits) / 2;
                if self.compressed_len(middle).is_some_and(|len| len <= self.max_bytes) {
                    fits = middle;
                } else {
                    over = middle;
                }
            }
            leftover = self.items.split_off(fits);
            up_to_date = false;
            body = self.encode_prefix(fits, after, up_to_date, server_time_ms)?;
        }
        let batch = FeedBatch {
            v: VERSION,
            scope: self.scope,
            next_cursor: next_cursor(&self.items, after).encode(),
            items: self.items,
            up_to_date,
            server_time_ms,
        };
        Ok(PackedFeedBatch { batch, body, leftover })
    }

    fn admit(&mut self, item: FeedItem, item_len: usize) {
        self.items_len += item_len;
        self.items.push(item);
    }

    fn refuse(&mut self, item: FeedItem) -> Result<(), FeedItem> {
        self.full = true;
        Err(item)
    }

    /// The compressed length of the batch of the first `count` items, with the largest envelope.
    fn compressed_len(&self, count: usize) -> Option<usize> {
        let items = self.items.get(..count)?;
        encode(&envelope(&self.scope, items)).ok().map(|body| body.len())
    }

    /// The body of the batch of the first `count` items, as [`Self::finish`] sends it.
    fn encode_prefix(
        &self,
        count: usize,
        after: Cursor,
        up_to_date: bool,
        server_time_ms: i64,
    ) -> Result<Vec<u8>, WireError> {
        let items = self.items.get(..count).unwrap_or(&self.items);
        let next_cursor = next_cursor(items, after).encode();
        encode(&FeedBatchRef {
            v: VERSION,
            scope: &self.scope,
            items,
            next_cursor: &next_cursor,
            up_to_date,
            server_time_ms,
        })
    }
}

/// Room for the items array's length (up to 9 bytes of CBOR header instead of the 1 of an empty array).
const ARRAY_HEADER_SLACK: usize = 8;

/// The batch of `items` with the longest envelope values: a cursor of the largest numbers and the longest time.
fn envelope<'a>(scope: &'a str, items: &'a [FeedItem]) -> FeedBatchRef<'a> {
    /// Every cursor is 22 characters long.
    const LONGEST_CURSOR: &str = "______________________";
    FeedBatchRef { v: VERSION, scope, items, next_cursor: LONGEST_CURSOR, up_to_date: false, server_time_ms: i64::MIN }
}

/// The cursor after `items`: `after` moved to the last item's `seq`.
fn next_cursor(items: &[FeedItem], after: Cursor) -> Cursor {
    items.last().map_or(after, |last| Cursor { epoch: after.epoch, seq: last.seq })
}

/// The exact CBOR length of `value`, without keeping the bytes.
fn cbor_len<T: Serialize>(value: &T) -> Option<usize> {
    let mut counter = Counter(0);
    ciborium::ser::into_writer(value, &mut counter).ok()?;
    Some(counter.0)
}

/// An `io::Write` that only counts.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
pub(super) fn encode_borrowed(batch: &FeedBatch) -> Result<Vec<u8>, WireError> {
    encode(&FeedBatchRef {
        v: batch.v,
        scope: &batch.scope,
        items: &batch.items,
        next_cursor: &batch.next_cursor,
        up_to_date: batch.up_to_date,
        server_time_ms: batch.server_time_ms,
    })
}
