//! Verifikasi lapangan: list, detail, record a visit with photos, add a photo, a photo's content, the CSV export, the
//! hasil to choose from.

use std::sync::Arc;

use app::verifikasi::{
    EksporKunjungan, FilterKunjungan, FotoBaru, FotoIsi, HalamanKunjungan, HasilView, KunjunganBaru, KunjunganDetail,
    KursorKunjungan,
};
use app::{AppContext, AppError};
use tauri::State;

/// One page of the visit list with counts per hasil.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_daftar(
    context: State<'_, Arc<AppContext>>,
    filter: FilterKunjungan,
    kursor: Option<KursorKunjungan>,
    batas: u32,
) -> Result<HalamanKunjungan, AppError> {
    context.verifikasi_lapangan_daftar(filter, kursor, batas).await
}

/// One visit with its photos.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_detail(
    context: State<'_, Arc<AppContext>>,
    id: String,
) -> Result<KunjunganDetail, AppError> {
    context.verifikasi_lapangan_detail(id).await
}

/// Records a visit.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_buat(
    context: State<'_, Arc<AppContext>>,
    baru: KunjunganBaru,
) -> Result<KunjunganDetail, AppError> {
    context.verifikasi_lapangan_buat(baru).await
}

/// Adds a photo to a visit.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_foto_tambah(
    context: State<'_, Arc<AppContext>>,
    id: String,
    foto: FotoBaru,
) -> Result<KunjunganDetail, AppError> {
    context.verifikasi_lapangan_foto_tambah(id, foto).await
}

/// The content of one photo of a visit.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_foto(
    context: State<'_, Arc<AppContext>>,
    id: String,
    sha256: String,
) -> Result<FotoIsi, AppError> {
    context.verifikasi_lapangan_foto(id, sha256).await
}

/// Writes the CSV export of the visits under a filter.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_ekspor(
    context: State<'_, Arc<AppContext>>,
    filter: FilterKunjungan,
) -> Result<EksporKunjungan, AppError> {
    context.verifikasi_lapangan_ekspor(filter).await
}

/// The hasil to choose from.
#[tauri::command]
#[specta::specta]
pub(crate) async fn verifikasi_lapangan_hasil(context: State<'_, Arc<AppContext>>) -> Result<Vec<HasilView>, AppError> {
    context.verifikasi_lapangan_hasil().await
}
