//! Usulan: list, detail, new draft, attach a document, a workflow transition, the reference lists.

use std::sync::Arc;

use app::usulan::{AksiMasukan, FilterUsulan, HalamanUsulan, KursorUsulan, ReferensiUsulan, UsulanBaru, UsulanDetail};
use app::{AppContext, AppError};
use tauri::State;

/// One page of the usulan list with counts per status.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_daftar(
    context: State<'_, Arc<AppContext>>,
    filter: FilterUsulan,
    kursor: Option<KursorUsulan>,
    batas: u32,
) -> Result<HalamanUsulan, AppError> {
    context.usulan_daftar(filter, kursor, batas).await
}

/// One usulan in detail.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_detail(context: State<'_, Arc<AppContext>>, id: String) -> Result<UsulanDetail, AppError> {
    context.usulan_detail(id).await
}

/// A new draft usulan.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_buat(
    context: State<'_, Arc<AppContext>>,
    baru: UsulanBaru,
) -> Result<UsulanDetail, AppError> {
    context.usulan_buat(baru).await
}

/// Attaches a file to a checklist document.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_lampirkan(
    context: State<'_, Arc<AppContext>>,
    id: String,
    kode_dokumen: String,
    nama_berkas: String,
    mime: String,
    isi: Vec<u8>,
) -> Result<UsulanDetail, AppError> {
    context.usulan_lampirkan(id, kode_dokumen, nama_berkas, mime, isi).await
}

/// One workflow transition.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_aksi(
    context: State<'_, Arc<AppContext>>,
    id: String,
    masukan: AksiMasukan,
) -> Result<UsulanDetail, AppError> {
    context.usulan_aksi(id, masukan).await
}

/// Jenis usulan with sub jenis, and the alasan tolak.
#[tauri::command]
#[specta::specta]
pub(crate) async fn usulan_referensi(context: State<'_, Arc<AppContext>>) -> Result<ReferensiUsulan, AppError> {
    context.usulan_referensi().await
}
