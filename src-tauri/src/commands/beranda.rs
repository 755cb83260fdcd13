//! The dashboard.

use std::sync::Arc;

use app::beranda::Beranda;
use app::{AppContext, AppError};
use tauri::State;

/// The dashboard's figures.
#[tauri::command]
#[specta::specta]
pub(crate) async fn beranda(context: State<'_, Arc<AppContext>>) -> Result<Beranda, AppError> {
    context.beranda().await
}
