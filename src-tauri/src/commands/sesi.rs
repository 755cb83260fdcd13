//! Signing in and out.

use std::sync::Arc;

use app::context::{MasukMulai, SesiView};
use app::{AppContext, AppError};
use tauri::State;

/// Who is signed in.
#[tauri::command]
#[specta::specta]
pub(crate) async fn sesi(context: State<'_, Arc<AppContext>>) -> Result<SesiView, AppError> {
    context.sesi().await
}

/// Starts a browser sign-in and tries to open the browser.
#[tauri::command]
#[specta::specta]
pub(crate) async fn masuk_mulai(context: State<'_, Arc<AppContext>>) -> Result<MasukMulai, AppError> {
    context.masuk_mulai().await
}

/// Opens the pending sign-in URL in the system browser again.
#[tauri::command]
#[specta::specta]
pub(crate) async fn buka_tautan_masuk(context: State<'_, Arc<AppContext>>) -> Result<(), AppError> {
    context.buka_tautan_masuk().await
}

/// Waits for the sign-in started by `masuk_mulai` and completes it.
#[tauri::command]
#[specta::specta]
pub(crate) async fn masuk_tunggu(context: State<'_, Arc<AppContext>>) -> Result<SesiView, AppError> {
    context.masuk_tunggu().await
}

/// Logs out (local work is kept).
#[tauri::command]
#[specta::specta]
pub(crate) async fn keluar(context: State<'_, Arc<AppContext>>) -> Result<(), AppError> {
    context.keluar().await
}
