//! Settings and the start-up error.

use std::sync::Arc;

use app::settings::Pengaturan;
use app::{AppContext, AppError};
use tauri::State;

/// The effective settings.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pengaturan(context: State<'_, Arc<AppContext>>) -> Result<Pengaturan, AppError> {
    context.pengaturan().await
}

/// Checks and saves the settings.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pengaturan_simpan(
    context: State<'_, Arc<AppContext>>,
    baru: Pengaturan,
) -> Result<Pengaturan, AppError> {
    context.pengaturan_simpan(baru).await
}

/// The problem found at start or a crash since, for the error screen (`null` when none).
#[tauri::command]
#[specta::specta]
pub(crate) async fn galat_mulai(context: State<'_, Arc<AppContext>>) -> Result<Option<AppError>, AppError> {
    Ok(context.galat_mulai())
}
