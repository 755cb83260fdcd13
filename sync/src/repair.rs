//! The repair path: automerge's own per-document sync protocol (sync.md §5.4 "anti-entropy", §5.10), used only for a
//! document whose heads disagree with the hub's after the feed — never for bulk or steady-state sync, where it
//! costs two messages and 121–183 bytes per document just to confirm that nothing changed.
//!
//! A [`Repair`] is one session over one document with a **fresh** `automerge::sync::State` (a persisted state is
//! the source of the `in_flight` stalls sync.md §1.9 describes). Each side calls [`Repair::message`] and hands what
//! it got to [`Repair::receive`] until neither has anything to send. Incoming bytes are untrusted: decoding or
//! applying them never panics (it is done under `catch_unwind` on a copy, like [`Document::apply_changes`]).
//!
//! What it deliberately does not do: transport (the caller posts messages to the hub's repair endpoint or, in
//! benchmarks, passes them in memory) or deciding when a repair is needed.

use std::panic::{self, AssertUnwindSafe};

use automerge::sync::{Message, State, SyncDoc};

use crate::document::{Document, DocumentError};

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
