//! The desktop app's use cases, free of Tauri (DESIGN §2, §8).
//!
//! This crate will own the `AppContext` (replica, sync driver, session, clock) and every action the UI and the
//! headless CLI can take, as plain functions, with the IPC types and a closed set of error codes.
//! It is empty until the desktop issue.
//!
//! It never depends on `tauri`: only `desktop` does.
