//! The desktop app's use cases, free of Tauri (DESIGN §2, §8).
//!
//! - [`secret`]: the platform keyring behind a small trait (plus in-memory and file stores for tests).
//! - [`replica`]: the officer's replica, encrypted with a key from the keyring.
//! - [`sso`]: signing in with the OpenID provider (browser with PKCE and a loopback redirect, or device code).
//! - [`hub`]: the roster identity, device registration and one sync run as the signed-in officer.
//! - [`session`]: the signed-in officer: offline identity, tokens, single-flight refresh, and the replica's owner,
//!   which keeps one officer's unsynced work from being pushed under another's name.
//!
//! The `AppContext` and the IPC types come with the desktop issue. This crate never depends on `tauri`.

pub mod hub;
pub mod replica;
pub mod secret;
pub mod session;
pub mod sso;
