//! Sync.

use std::sync::Arc;

use app::sinkron::SinkronStatus;
use app::{AppContext, AppError};
use tauri::State;

/// The sync state.
#[tauri::command]
#[specta::specta]
pub(crate) async fn sinkron_status(context: State<'_, Arc<AppContext>>) -> Result<SinkronStatus, AppError> {
    context.sinkron_status().await
}

/// One round now (or joins the running one), then the state.
#[tauri::command]
#[specta::specta]
pub(crate) async fn sinkron_mulai(context: State<'_, Arc<AppContext>>) -> Result<SinkronStatus, AppError> {
    context.sinkron_mulai().await
}
