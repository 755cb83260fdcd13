//! [`repair`]: one round of the repair path for one document (sync.md §5.4, §5.10; `POST /v1/repair`).
//!
//! A desktop whose copy of a document disagrees with the hub's (a feed change it could not apply, heads short of
//! the feed's `heads_after`, a quarantined copy) runs automerge's own sync protocol for that document against the
//! hub, one request per round. The checks are the feed's: the caller must read the scope ([`super::readable`]),
//! and the document must be in that scope (a document of another scope, or one the hub does not hold, is 404: its
//! existence is not told).
//!
//! The hub **only sends** through the repair: it answers each round with a fresh read-only protocol state
//! ([`sync::repair::answer`]), so it keeps nothing between rounds and never applies a change it receives this way.
//! The desktop's own changes that the hub lacks reach it through the push, with the push's device, scope and
//! field-authority checks and compensations; a second way in for changes would need all of those again.
//!
//! What it does not do: write anything (it reads the stored document without the writer lock: a round sees the
//! document as last committed, and a later round sees later commits).

use sync::Document;
use sync::wire::{RepairRequest, RepairResponse, VERSION};

use super::cache::head_bytes;
use super::{Caller, Hub, HubError, readable};

pub(super) fn repair(hub: &Hub, caller: &Caller, request: &RepairRequest) -> Result<RepairResponse, HubError> {
    readable(caller, &request.scope)?;
    let not_found = || {
        HubError::NotFound(format!(
            "dokumen {} tidak ada di cakupan {}",
            uuid::Uuid::from_bytes(request.doc),
            request.scope
        ))
    };
    let stored = hub.inner.storage.document(&request.doc)?.filter(|stored| stored.scope == request.scope);
    let stored = stored.ok_or_else(not_found)?;
    let document = Document::load(&stored.bytes).map_err(|error| {
        HubError::Storage(format!(
            "dokumen {} tersimpan tidak dapat dibaca: {error}",
            uuid::Uuid::from_bytes(request.doc)
        ))
    })?;
    let message = sync::repair::answer(&document, &request.message)
        .map_err(|_| HubError::BadRequest("pesan perbaikan bukan pesan sinkronisasi automerge yang sah".to_owned()))?;
    Ok(RepairResponse {
        v: VERSION,
        doc: request.doc,
        record: stored.record,
        heads: head_bytes(&document.heads()),
        message: message.map(Into::into),
    })
}
