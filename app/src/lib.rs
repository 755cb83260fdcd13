//! The desktop app's use cases, free of Tauri (DESIGN §2, §8).
//!
//! - [`context`]: [`context::AppContext`], what one running app holds, and the sign-in and settings use cases.
//! - [`pegawai`], [`beranda`], [`sinkron`], [`usulan`], [`konflik`], [`verifikasi`], [`pengingat`]: the other use cases, one method of
//!   `AppContext` per IPC command, and their IPC types (serde + `specta::Type`, exported to TypeScript by the
//!   desktop crate).
//! - `cache`: whole-replica aggregates (counts of the empty filter, unor tree, dashboard) kept while the replica's
//!   content version and the day stay the same.
//! - [`error`]: [`error::AppError`] `{code, message}`, the only error the UI sees, with the closed code set.
//! - [`settings`]: `pengaturan.toml` and the `LURING_*` environment overrides.
//! - [`secret`]: the platform keyring behind a small trait (plus in-memory and file stores for tests).
//! - [`replica`]: the officer's replica, encrypted with a key from the keyring.
//! - [`sso`]: signing in with the OpenID provider (browser with PKCE and a loopback redirect, or device code).
//! - [`hub`]: the roster identity, device registration and one sync run as the signed-in officer.
//! - [`session`]: the signed-in officer: offline identity, tokens, single-flight refresh, and the replica's owner,
//!   which keeps one officer's unsynced work from being pushed under another's name.
//!
//! This crate never depends on `tauri`: the desktop shell (`src-tauri`) wraps each use case in a command of at most
//! five lines and implements [`context::Host`] (events, opening the browser).

pub mod beranda;
mod cache;
pub mod context;
pub mod error;
pub mod hub;
pub mod konflik;
pub mod pegawai;
pub mod pengingat;
pub mod replica;
pub mod riwayat;
pub mod secret;
pub mod session;
pub mod settings;
pub mod sinkron;
pub mod sso;
pub mod usulan;
pub mod verifikasi;

pub use context::{AppContext, Config, Host};
pub use error::{AppError, KodeGalat};
