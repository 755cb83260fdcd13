//! Pengingat: the KP, BUP and KGB reminders and the follow-ups recorded on them.

use std::sync::Arc;

use app::pengingat::{FilterPengingat, HalamanPengingat, KursorPengingat, TindakLanjutView};
use app::{AppContext, AppError};
use tauri::State;

/// One page of reminders of one kind, with counts per state.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pengingat_daftar(
    context: State<'_, Arc<AppContext>>,
    filter: FilterPengingat,
    kursor: Option<KursorPengingat>,
    batas: u32,
) -> Result<HalamanPengingat, AppError> {
    context.pengingat_daftar(filter, kursor, batas).await
}

/// Records (or, with no status, takes back) the follow-up of one reminder.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pengingat_tandai(
    context: State<'_, Arc<AppContext>>,
    nip: String,
    rowid: Option<i64>,
    kunci: String,
    status: Option<String>,
    catatan: Option<String>,
) -> Result<Option<TindakLanjutView>, AppError> {
    context.pengingat_tandai(nip, rowid, kunci, status, catatan).await
}
