//! The central hub (DESIGN §5.4, §6, §7).
//!
//! This crate owns the `luring-hub` server: the authoritative replica per instansi, the change feed with
//! snapshots, the authority checks of every pushed change against the caller's role and the field authority table,
//! token validation against the OpenID provider's JWKS, and the gateway to BKN's SI-ASN web service.
//!
//! - [`core`]: [`Hub`], the synchronous library the HTTP server calls (feed, push with compensation, snapshots,
//!   blobs, roster and devices, import, log compaction). It does no HTTP and reads no command line.
//! - [`roster`]: who may use the hub (NIP → instansi and roles) and the registered devices (automerge actors);
//!   what each role may do is the roles table `schemas/peran.json` (`model::peran`).
//! - [`authority`]: the pure check of a change's paths against the permissions of the caller's roles and the field
//!   authority table.
//! - [`storage`]: the [`storage::Storage`] trait the core writes through, and its embedded SQLite implementation.
//! - [`migration`]: the hub database's numbered migrations (`schemas/sql/hub/`).
//! - [`auth`]: access-token verification; [`session`]: the short hub sessions exchanged for a verified token.
//! - [`server`] and [`config`]: the axum HTTP server and its configuration (file, environment, flags).
//! - [`siasn`]: the SI-ASN gateway: its client, the resumable pull of an instansi, the push of approved riwayat.
//!
//! It depends on `model` on purpose (it validates what it accepts) and never on `store` or `app`.

pub mod auth;
pub mod authority;
pub mod config;
pub mod core;
pub mod migration;
pub mod roster;
pub mod server;
pub mod session;
pub mod siasn;
pub mod storage;

pub use core::{Caller, Hub, HubError, HubOptions, ImportReport, ItemStatusSiasn, LaporanStatusSiasn};
pub use roster::{Device, Role, RosterEntry};
