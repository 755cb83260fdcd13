//! Same-field conflicts: the list and a verifikator's decision.

use std::sync::Arc;

use app::konflik::KonflikBaris;
use app::{AppContext, AppError};
use tauri::State;

/// Every same-field conflict in the replica that waits for a verifikator (`verify` fields).
#[tauri::command]
#[specta::specta]
pub(crate) async fn konflik_daftar(context: State<'_, Arc<AppContext>>) -> Result<Vec<KonflikBaris>, AppError> {
    context.konflik_daftar().await
}

/// Decides the conflict at `path` of the document at `rowid` with `nilai` (a value's JSON, or typed text).
#[tauri::command]
#[specta::specta]
pub(crate) async fn konflik_selesaikan(
    context: State<'_, Arc<AppContext>>,
    rowid: i64,
    path: String,
    nilai: String,
) -> Result<Vec<KonflikBaris>, AppError> {
    context.konflik_selesaikan(rowid, path, nilai).await
}
