//! The `luring` binary: starts the desktop app ([`desktop::run`]); no console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    desktop::run();
}
