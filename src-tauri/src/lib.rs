//! The Tauri shell of SIASN Luring, binary `luring` (DESIGN §2, §8).
//!
//! This crate will be the only one that depends on `tauri`: the window, capabilities, CSP, single instance and
//! commands that are thin wrappers over `app`. It is empty until the desktop issue.
