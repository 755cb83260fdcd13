//! The gateway to BKN's SI-ASN web service (issue 8; siasn-api.md §1): the hub pulls every pegawai of an
//! instansi from SI-ASN into its replica and pushes approved riwayat back, so it stays the centre of truth.
//!
//! - [`client`]: [`SiasnClient`], HTTP with the APIM and SSO tokens (a pasted SSO token and its expiry, or the
//!   password grant), load-balancer cookies, one refresh-and-retry on 401, bounded retries of reads, writes that
//!   report an unknown outcome instead of retrying, bounded concurrency, a rate limit and timeouts.
//! - [`job`]: [`SiasnStore`], `siasn.sqlite` in the hub's data folder: resumable jobs with the state and report of
//!   each NIP, the instansi lists and the unor as last fetched, and (for [`push`]) what was sent.
//! - [`pull`]: one pull of an instansi: the NIPs of the hub's pegawai plus those of `list-kp-instansi` and
//!   `list-pensiun-instansi` (fetched until an empty page, deduplicated by id), up to 11 endpoints per NIP,
//!   decoded by `model::siasn::ws` and imported through [`crate::Hub::import_pegawai_each`] in batches: an
//!   unchanged record writes nothing, a changed field writes that field only.
//! - [`push`]: approved riwayat jabatan rows and their documents sent back once each.
//!
//! What it deliberately does not do: serve HTTP (the `luring-hub siasn` commands and the schedule in `serve` call
//! it), decide what a device may change (the hub's authority checks did that before a change reached the
//! replica), move a pegawai between instansi (a NIP whose document is in another scope is reported `dilewati`),
//! delete what SI-ASN no longer lists (the import never deletes), or log personal data (NIPs, counts and paths
//! only).

pub mod client;
pub mod job;
pub mod pull;
pub mod push;

pub use client::{Jawaban, SiasnClient, SiasnConfig, SiasnError, SsoSource};
pub use job::SiasnStore;
