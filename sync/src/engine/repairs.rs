//! The repair phase of a run (sync.md §5.4, §5.10): each document the replica marked is brought up to the hub's
//! copy with automerge's own sync protocol ([`crate::repair`]), one `POST /v1/repair` per round.
//!
//! A session starts from the replica's copy ([`Local::repair_base`], or an empty document when it has none that
//! loads) and ends when that copy holds every head the hub announced; the replica then stores it and queues the
//! device's own changes the hub lacks for the push ([`Local::finish_repair`]), because the hub never takes changes
//! through the repair. A cut starts a fresh protocol session over the copy as it stands (what arrived is kept); a
//! refusal of the hub (a 4xx about the document, such as 404 for a document it does not hold in the scope) or
//! [`MAX_REPAIR_ROUNDS`] rounds without the hub's heads end that document's repair for this run, recorded with
//! [`Local::repair_failed`].
//!
//! What it does not do: decide which documents need a repair (the replica marks them while it applies the feed).

use std::collections::VecDeque;

use super::{
    Local, MAX_REPAIR_ROUNDS, MAX_REPAIRS, Method, Outcome, RepairTarget, Request, RequestKind, Summary, SyncError,
    item_refusal, local_error, protocol_error,
};
use crate::document::{ActorId, Document};
use crate::repair::{Repair, holds_heads};
use crate::wire::{self, Bytes, RepairRequest, RepairResponse};

/// The repair phase: the queue of documents and the one in progress.
#[derive(Debug, Default)]
pub(super) struct Repairs {
    /// Read from the replica when the phase starts.
    queue: Option<VecDeque<RepairTarget>>,
    current: Option<Repairing>,
}

/// One document being repaired.
#[derive(Debug)]
struct Repairing {
    target: RepairTarget,
    /// The replica's copy with what the hub sent so far.
    document: Document,
    session: Repair,
    /// Rounds sent so far.
    rounds: u32,
}

impl Repairs {
    /// The next request of the phase, or `None` when it is over.
    pub(super) fn poll<L: Local>(
        &mut self,
        local: &mut L,
        scope: &str,
        summary: &mut Summary,
    ) -> Result<Option<Request>, SyncError> {
        if self.queue.is_none() {
            self.queue = Some(local.repairs(scope, MAX_REPAIRS).map_err(local_error)?.into());
        }
        loop {
            if self.current.is_none() {
                let Some(target) = self.queue.as_mut().and_then(VecDeque::pop_front) else { return Ok(None) };
                let document = match local.repair_base(&target.doc).map_err(local_error)? {
                    Some(document) => document,
                    None => Document::new(ActorId::from(local.actor().map_err(local_error)?)),
                };
                self.current = Some(Repairing { target, document, session: Repair::new(), rounds: 0 });
            }
            let Some(repairing) = self.current.as_mut() else { continue };
            if repairing.rounds >= MAX_REPAIR_ROUNDS {
                let reason = format!("belum sama dengan salinan hub setelah {MAX_REPAIR_ROUNDS} putaran");
                fail(local, summary, &mut self.current, &reason)?;
                continue;
            }
            let message = match repairing.session.message(&repairing.document) {
                Some(message) => message,
                None => {
                    // This side thinks it said everything, yet the copy lacks the hub's heads: start afresh.
                    repairing.session = Repair::new();
                    match repairing.session.message(&repairing.document) {
                        Some(message) => message,
                        None => {
                            fail(local, summary, &mut self.current, "sesi perbaikan tidak dapat dimulai")?;
                            continue;
                        }
                    }
                }
            };
            repairing.rounds += 1;
            let body = wire::encode(&RepairRequest {
                v: wire::VERSION,
                scope: scope.to_owned(),
                doc: repairing.target.doc,
                message: Bytes(message),
            })
            .map_err(protocol_error)?;
            return Ok(Some(Request {
                method: Method::Post,
                path: "/v1/repair".to_owned(),
                body,
                range_from: None,
                kind: RequestKind::Repair,
            }));
        }
    }

    /// Takes the outcome of the phase's request.
    pub(super) fn handle<L: Local>(
        &mut self,
        local: &mut L,
        scope: &str,
        summary: &mut Summary,
        outcome: Outcome,
    ) -> Result<(), SyncError> {
        let Some(repairing) = self.current.as_mut() else {
            return Err(SyncError::Protocol("jawaban tanpa perbaikan dokumen".into()));
        };
        let response = match outcome {
            Outcome::Cut { .. } => {
                // The protocol state thinks its message is in flight: a fresh session over the copy as it stands.
                repairing.session = Repair::new();
                return Ok(());
            }
            Outcome::TooLarge { limit } => {
                let reason = format!("jawaban hub melebihi batas {limit} byte");
                return fail(local, summary, &mut self.current, &reason);
            }
            Outcome::Response(response) => response,
        };
        if !(200..300).contains(&response.status) {
            let (status, message) = item_refusal(&response)?;
            let reason = format!("hub menolak perbaikan ({status}): {message}");
            return fail(local, summary, &mut self.current, &reason);
        }
        let answer: RepairResponse = wire::decode(&response.body).map_err(protocol_error)?;
        if answer.doc != repairing.target.doc {
            return Err(SyncError::Protocol("jawaban perbaikan untuk dokumen lain".into()));
        }
        if let Some(message) = &answer.message
            && repairing.session.receive(&mut repairing.document, message).is_err()
        {
            return fail(local, summary, &mut self.current, "pesan perbaikan dari hub tidak dapat diterapkan");
        }
        if holds_heads(&repairing.document, &answer.heads) {
            let target = RepairTarget { doc: repairing.target.doc, record: answer.record };
            let queued =
                local.finish_repair(scope, &target, &repairing.document, &answer.heads).map_err(local_error)?;
            summary.repaired += 1;
            summary.repair_requeued += queued;
            self.current = None;
        }
        Ok(())
    }
}

/// Ends the current repair as failed for this run.
fn fail<L: Local>(
    local: &mut L,
    summary: &mut Summary,
    current: &mut Option<Repairing>,
    reason: &str,
) -> Result<(), SyncError> {
    if let Some(repairing) = current.take() {
        local.repair_failed(&repairing.target.doc, reason).map_err(local_error)?;
        summary.repair_failures.push((repairing.target.doc, reason.to_owned()));
    }
    Ok(())
}
