//! The repair path: automerge's own per-document sync protocol (sync.md §5.4 "anti-entropy", §5.10), used only for a
//! document whose copy disagrees with the hub's — never for bulk or steady-state sync, where it costs two messages
//! and 121–183 bytes per document just to confirm that nothing changed.
//!
//! - The client side is a [`Repair`]: one session over one document with a **fresh** `automerge::sync::State` (a
//!   persisted state is the source of the `in_flight` stalls sync.md §1.9 describes). It calls [`Repair::message`]
//!   and hands each answer to [`Repair::receive`] until its copy holds the hub's heads ([`holds_heads`]); after a
//!   lost answer it starts a new session ([`Repair::new`]) over the copy as it stands.
//! - The hub side is [`answer`]: one round, stateless (a new read-only state per request), so the hub keeps nothing
//!   between rounds and **never takes changes through the repair**: the client's own changes reach the hub only
//!   through the push and its authority checks. Because the hub announces itself read-only, automerge on the client
//!   does not even send them.
//!
//! Incoming bytes are untrusted on both sides: decoding or applying them never panics (it is done under
//! `catch_unwind` on a copy, like [`Document::apply_changes`]).
//!
//! What it deliberately does not do: transport (the engine posts rounds to `POST /v1/repair`, tests pass them in
//! memory) or deciding when a repair is needed (the replica marks documents whose heads fall short of the feed's
//! `heads_after`, or that it quarantined; the engine repairs what it marked).

use std::panic::{self, AssertUnwindSafe};

use automerge::sync::{Message, State, SyncDoc};

use crate::document::{ChangeHash, Document, DocumentError};
use crate::wire::HashBytes;

/// One repair session of one document.
#[derive(Debug)]
pub struct Repair {
    state: State,
}

impl Default for Repair {
    fn default() -> Self {
        Repair::new()
    }
}

impl Repair {
    /// A session with a fresh protocol state.
    pub fn new() -> Repair {
        Repair { state: State::new() }
    }

    /// The next message to send about `document`, encoded; `None` when this side has nothing more to say.
    pub fn message(&mut self, document: &Document) -> Option<Vec<u8>> {
        document.automerge().generate_sync_message(&mut self.state).map(Message::encode)
    }

    /// Applies a message from the peer to `document`.
    ///
    /// # Errors
    /// [`DocumentError::ApplyFailed`] when the bytes are not a sync message or its changes do not apply; the
    /// document is then unchanged.
    pub fn receive(&mut self, document: &mut Document, message: &[u8]) -> Result<(), DocumentError> {
        let decoded = panic::catch_unwind(|| Message::decode(message))
            .map_err(|_| DocumentError::ApplyFailed(None))?
            .map_err(|_| DocumentError::ApplyFailed(None))?;
        let mut copy = document.automerge().clone();
        let mut state = self.state.clone();
        match panic::catch_unwind(AssertUnwindSafe(|| copy.receive_sync_message(&mut state, decoded))) {
            Ok(Ok(())) => {
                document.replace_automerge(copy);
                self.state = state;
                Ok(())
            }
            Ok(Err(error)) => Err(DocumentError::ApplyFailed(Some(error))),
            Err(_) => Err(DocumentError::ApplyFailed(None)),
        }
    }
}

/// The hub's answer to one round of a client's repair of `document`: the client's `message` is read by a fresh
/// **read-only** state (changes in it are ignored, never applied), and the reply carries what the client lacks.
/// `None` when the hub has nothing to say (not the case for a first round).
///
/// # Errors
/// [`DocumentError::ApplyFailed`] when `message` is not an automerge sync message (or automerge fails on it).
pub fn answer(document: &Document, message: &[u8]) -> Result<Option<Vec<u8>>, DocumentError> {
    let decoded = panic::catch_unwind(|| Message::decode(message))
        .map_err(|_| DocumentError::ApplyFailed(None))?
        .map_err(|_| DocumentError::ApplyFailed(None))?;
    // A copy: a read-only state does not apply changes, but a panic half-way must not touch the caller's document.
    let mut copy = document.automerge().clone();
    let mut state = State::new_read_only();
    let reply = panic::catch_unwind(AssertUnwindSafe(|| {
        copy.receive_sync_message(&mut state, decoded).map(|()| copy.generate_sync_message(&mut state))
    }));
    match reply {
        Ok(Ok(reply)) => Ok(reply.map(Message::encode)),
        Ok(Err(error)) => Err(DocumentError::ApplyFailed(Some(error))),
        Err(_) => Err(DocumentError::ApplyFailed(None)),
    }
}

/// Whether `document` holds every change of `heads` (the hub's heads of it): after the feed, a copy that does not
/// has diverged and is repaired; after a repair round, one that does is done. Changes the hub lacks (local edits
/// not pushed yet) do not count against it.
pub fn holds_heads(document: &Document, heads: &[HashBytes]) -> bool {
    heads.iter().all(|head| document.automerge().get_change_meta_by_hash(&ChangeHash(*head)).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ActorId;

    fn exchange(a: &mut Document, b: &mut Document) -> (usize, usize) {
        let (mut ra, mut rb) = (Repair::new(), Repair::new());
        let (mut messages, mut bytes) = (0, 0);
        for _ in 0..20 {
            let mut quiet = true;
            if let Some(message) = ra.message(a) {
                messages += 1;
                bytes += message.len();
                rb.receive(b, &message).unwrap();
                quiet = false;
            }
            if let Some(message) = rb.message(b) {
                messages += 1;
                bytes += message.len();
                ra.receive(a, &message).unwrap();
                quiet = false;
            }
            if quiet {
                break;
            }
        }
        (messages, bytes)
    }

    #[test]
    fn a_repair_brings_two_diverged_copies_to_the_same_heads() {
        let mut a = Document::new(ActorId::from([1u8; 16]));
        a.reconcile(&serde_json::json!({"data_utama": {"nip": "199001012015011001", "no_hp": "0811"}}), None, 1)
            .unwrap();
        let mut b = a.fork().with_actor(ActorId::from([2u8; 16]));
        a.reconcile(&serde_json::json!({"data_utama": {"nip": "199001012015011001", "no_hp": "0812"}}), None, 2)
            .unwrap();
        b.reconcile(&serde_json::json!({"data_utama": {"nip": "199001012015011001", "no_hp": "0813"}}), None, 3)
            .unwrap();
        let (messages, _) = exchange(&mut a, &mut b);
        assert!(messages >= 2);
        assert_eq!(a.heads(), b.heads());
        assert_eq!(a.conflicts().len(), 1, "the concurrent no_hp values are both kept");
        // Confirming that nothing changed still costs messages: why the feed, not this, is the main path.
        let (messages, bytes) = exchange(&mut a, &mut b);
        assert_eq!(messages, 2);
        assert!(bytes > 0);
    }

    /// A client repairing through [`answer`] (a stateless, read-only hub) until it holds the hub's heads.
    fn repair_against_hub(client: &mut Document, hub: &Document) -> usize {
        let mut session = Repair::new();
        for round in 1..=8 {
            let message = session.message(client).expect("a client in need always has something to say");
            if let Some(reply) = answer(hub, &message).unwrap() {
                session.receive(client, &reply).unwrap();
            }
            if holds_heads(client, &hub.heads().iter().map(|head| head.0).collect::<Vec<_>>()) {
                return round;
            }
        }
        panic!("the repair did not finish in 8 rounds")
    }

    #[test]
    fn a_stateless_read_only_hub_repairs_a_client_and_takes_nothing_from_it() {
        let mut hub = Document::new(ActorId::from([9u8; 16]));
        hub.reconcile(&serde_json::json!({"data_utama": {"nip": "199001012015011001", "nama": "SARI"}}), None, 1)
            .unwrap();
        let mut client = hub.fork().with_actor(ActorId::from([1u8; 16]));
        // The hub moves on twice; the client missed the first change (it cannot apply the second without it), and
        // has a local edit of its own.
        for (time, nama) in [(2, "SARI W"), (3, "SARI WULAN")] {
            let mut value = hub.hydrate();
            value["data_utama"]["nama"] = serde_json::json!(nama);
            hub.reconcile(&value, None, time).unwrap();
        }
        let mut value = client.hydrate();
        value["data_utama"]["no_hp"] = serde_json::json!("0811");
        client.reconcile(&value, None, 4).unwrap();
        let hub_heads: Vec<HashBytes> = hub.heads().iter().map(|head| head.0).collect();
        assert!(!holds_heads(&client, &hub_heads));

        let before = hub.heads();
        let rounds = repair_against_hub(&mut client, &hub);
        assert!(rounds <= 2, "{rounds} rounds");
        assert_eq!(client.hydrate()["data_utama"]["nama"], "SARI WULAN");
        assert_eq!(client.hydrate()["data_utama"]["no_hp"], "0811", "the local edit is kept");
        assert_eq!(hub.heads(), before, "the hub took nothing");
        // What the hub lacks is exactly the client's own edit: it goes through the push.
        assert_eq!(client.change_hashes_since(&hub.heads()).len(), 1);

        // A client without any copy gets the whole document.
        let mut empty = Document::new(ActorId::from([2u8; 16]));
        repair_against_hub(&mut empty, &hub);
        assert_eq!(empty.heads(), hub.heads());
        assert!(answer(&hub, b"\x42\x00\xff").is_err());
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        let mut a = Document::new(ActorId::from([1u8; 16]));
        let mut repair = Repair::new();
        for garbage in [&b""[..], b"\x42", b"\x42\x00\xff\xff\xff\xff", &[0xff; 64]] {
            assert!(repair.receive(&mut a, garbage).is_err());
        }
        assert!(a.heads().is_empty());
    }
}
