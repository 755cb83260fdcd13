//! Pegawai: search, list, facets, unor tree, profile, contact edit.

use std::sync::Arc;

use app::pegawai::{
    FacetsPegawai, FilterPegawai, HalamanPegawai, Kursor, PegawaiBaris, ProfilView, UnorSimpul, Urutan,
};
use app::{AppContext, AppError};
use tauri::State;

/// Search-as-you-type.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pegawai_cari(
    context: State<'_, Arc<AppContext>>,
    kueri: String,
    batas: u32,
) -> Result<Vec<PegawaiBaris>, AppError> {
    context.pegawai_cari(kueri, batas).await
}

/// One page of the filtered, sorted list.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pegawai_daftar(
    context: State<'_, Arc<AppContext>>,
    filter: FilterPegawai,
    urutan: Urutan,
    kursor: Option<Kursor>,
    batas: u32,
) -> Result<HalamanPegawai, AppError> {
    context.pegawai_daftar(filter, urutan, kursor, batas).await
}

/// Counts for the filter panel.
#[tauri::command]
#[specta::specta]
pub(crate) async fn pegawai_facets(
    context: State<'_, Arc<AppContext>>,
    filter: FilterPegawai,
) -> Result<FacetsPegawai, AppError> {
    context.pegawai_facets(filter).await
}

/// The unor tree with counts.
#[tauri::command]
#[specta::specta]
pub(crate) async fn unor_pohon(context: State<'_, Arc<AppContext>>) -> Result<Vec<UnorSimpul>, AppError> {
    context.unor_pohon().await
}

/// A pegawai's profile (the document at `rowid`, else the oldest with `nip`).
#[tauri::command]
#[specta::specta]
pub(crate) async fn profil(
    context: State<'_, Arc<AppContext>>,
    nip: String,
    rowid: Option<i64>,
) -> Result<ProfilView, AppError> {
    context.profil(nip, rowid).await
}

/// Changes no HP and email offline.
#[tauri::command]
#[specta::specta]
pub(crate) async fn kontak_ubah(
    context: State<'_, Arc<AppContext>>,
    nip: String,
    rowid: Option<i64>,
    no_hp: Option<String>,
    email: Option<String>,
) -> Result<ProfilView, AppError> {
    context.kontak_ubah(nip, rowid, no_hp, email).await
}
