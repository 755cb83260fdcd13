//! The desktop's [`app::Host`]: forwards the app's sync notifications to the web view as the typed event
//! [`SinkronBerubah`], and opens the sign-in URL in the system browser (tauri-plugin-opener).
//!
//! What it does not do: decide when to notify (the app does), or fail a use case (an event or browser that cannot
//! be used is logged).

use std::sync::OnceLock;

use app::sinkron::SinkronStatus;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Wry};
use tauri_plugin_opener::OpenerExt as _;
use tauri_specta::Event as _;

/// The sync state changed (a round started, progressed or ended). The UI may simply re-query.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SinkronBerubah {
    /// The new state.
    pub status: SinkronStatus,
}

/// The host of the app inside Tauri; attached to the app handle once setup runs (before that, notifications are
/// dropped: no window listens yet).
#[derive(Debug, Default)]
pub struct DesktopHost {
    handle: OnceLock<AppHandle<Wry>>,
}

impl DesktopHost {
    /// Attaches the app handle (once; later calls are ignored).
    pub fn attach(&self, handle: AppHandle<Wry>) {
        let _ = self.handle.set(handle);
    }
}

impl app::Host for DesktopHost {
    fn sinkron_berubah(&self, status: &SinkronStatus) {
        if let Some(handle) = self.handle.get()
            && let Err(error) = (SinkronBerubah { status: status.clone() }).emit(handle)
        {
            tracing::warn!(%error, "peristiwa SinkronBerubah tidak terkirim");
        }
    }

    fn open_browser(&self, url: &str) -> Result<(), String> {
        let handle = self.handle.get().ok_or("aplikasi belum siap")?;
        handle.opener().open_url(url, None::<&str>).map_err(|error| error.to_string())
    }
}
