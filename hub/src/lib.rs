//! The central hub (DESIGN §5.4, §6, §7).
//!
//! This crate owns the `luring-hub` server: the authoritative replica per instansi, the change feed with
//! snapshots, the authority checks of every pushed change against the caller's role and the field authority table,
//! token validation against the OpenID provider's JWKS, and (later) the gateway to BKN's SI-ASN web service.
//!
//! It depends on `model` on purpose (it validates what it accepts) and never on `store` or `app`.

pub mod auth;
