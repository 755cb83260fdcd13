//! Riwayat perubahan: the audit trail of a pegawai and of an usulan.

use std::sync::Arc;

use app::riwayat::RiwayatPerubahan;
use app::{AppContext, AppError};
use tauri::State;

/// The audit trail of the pegawai document at `rowid` (or the oldest with `nip`), newest change first.
#[tauri::command]
#[specta::specta]
pub(crate) async fn riwayat_perubahan_pegawai(
    context: State<'_, Arc<AppContext>>,
    nip: String,
    rowid: Option<i64>,
) -> Result<RiwayatPerubahan, AppError> {
    context.riwayat_perubahan_pegawai(nip, rowid).await
}

/// The audit trail of usulan `id`, newest change first.
#[tauri::command]
#[specta::specta]
pub(crate) async fn riwayat_perubahan_usulan(
    context: State<'_, Arc<AppContext>>,
    id: String,
) -> Result<RiwayatPerubahan, AppError> {
    context.riwayat_perubahan_usulan(id).await
}
