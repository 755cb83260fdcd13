//! The desktop's settings: `pengaturan.toml` in the OS config folder, overridden by environment variables.
//!
//! Where things are:
//! - the settings file: `$LURING_PENGATURAN` when set, else `<config>/siasn-luring/pengaturan.toml` with `<config>`
//!   = `$XDG_CONFIG_HOME` or `~/.config` (Linux), `%APPDATA%` (Windows), `~/Library/Application Support` (macOS);
//! - the data folder: `LURING_DATA`, else `folder_data` of the file, else `<data>/siasn-luring` with `<data>` =
//!   `$XDG_DATA_HOME` or `~/.local/share` (Linux), `%LOCALAPPDATA%` (Windows), `~/Library/Application Support`;
//! - the log file: `<data folder>/log/luring.log` (written by the desktop shell).
//!
//! Environment variables win over the file (`LURING_HUB`, `LURING_SSO_ISSUER`, `LURING_SSO_CLIENT_ID`,
//! `LURING_DATA`); the secret store comes from `LURING_SECRET_STORE` ([`crate::secret::from_env`]). Saving writes
//! the file only (through a temporary file and a rename); a value given by the environment keeps winning.
//!
//! What it does not do: watch the file, or move a data folder (a new data folder takes effect at the next start).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{AppError, KodeGalat};

/// The client id registered for the desktop when none is configured.
pub const DEFAULT_CLIENT_ID: &str = "luring-desktop";

/// The folder name under the OS config and data folders.
pub const APP_FOLDER: &str = "siasn-luring";

/// The settings file name.
pub const FILE_NAME: &str = "pengaturan.toml";

/// The log file inside the data folder.
pub const LOG_FILE: &str = "log/luring.log";

/// The settings as the UI shows and edits them. Paths are absolute; URLs as typed (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Pengaturan {
    /// The hub URL (`https://hub.bkd.example.go.id`), if set.
    pub hub_url: Option<String>,
    /// The SSO issuer URL, if set.
    pub sso_issuer: Option<String>,
    /// The SSO client id (default `luring-desktop`).
    pub sso_client_id: String,
    /// The data folder in use (changing it takes effect at the next start).
    pub folder_data: String,
    /// The settings file (read-only).
    pub berkas_pengaturan: String,
    /// The app version (read-only).
    pub versi: String,
    /// The log file (read-only).
    pub berkas_log: String,
    /// The saved data folder differs from the one in use: restart the app to use it (read-only).
    pub mulai_ulang: bool,
    /// The fields set by environment variables, which win over the file and are not saved from here (read-only):
    /// any of `"hub_url"` (`LURING_HUB`), `"sso_issuer"` (`LURING_SSO_ISSUER`), `"sso_client_id"`
    /// (`LURING_SSO_CLIENT_ID`), `"folder_data"` (`LURING_DATA`).
    pub dari_lingkungan: Vec<String>,
}

/// What `pengaturan.toml` holds (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsFile {
    /// Hub URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_url: Option<String>,
    /// SSO issuer URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_issuer: Option<String>,
    /// SSO client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_client_id: Option<String>,
    /// Data folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_data: Option<String>,
}

/// Values given by the environment, which win over the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `LURING_DATA`.
    pub data: Option<PathBuf>,
    /// `LURING_HUB`.
    pub hub: Option<String>,
    /// `LURING_SSO_ISSUER`.
    pub sso_issuer: Option<String>,
    /// `LURING_SSO_CLIENT_ID`.
    pub sso_client_id: Option<String>,
}

impl Overrides {
    /// The [`Pengaturan`] field names these overrides set, in the struct's order.
    pub fn fields(&self) -> Vec<String> {
        [
            ("hub_url", self.hub.is_some()),
            ("sso_issuer", self.sso_issuer.is_some()),
            ("sso_client_id", self.sso_client_id.is_some()),
            ("folder_data", self.data.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect()
    }

    /// The overrides of the process environment (empty values are ignored).
    pub fn from_env() -> Overrides {
        let var = |name: &str| std::env::var(name).ok().map(|value| value.trim().to_owned()).filter(|v| !v.is_empty());
        Overrides {
            data: var("LURING_DATA").map(PathBuf::from),
            hub: var("LURING_HUB"),
            sso_issuer: var("LURING_SSO_ISSUER"),
            sso_client_id: var("LURING_SSO_CLIENT_ID"),
        }
    }
}

/// The settings file's path: `LURING_PENGATURAN`, else the OS default (module doc).
pub fn default_file() -> PathBuf {
    if let Some(path) = std::env::var_os("LURING_PENGATURAN").filter(|path| !path.is_empty()) {
        return PathBuf::from(path);
    }
    os_folder(&["XDG_CONFIG_HOME"], ".config", "APPDATA").join(APP_FOLDER).join(FILE_NAME)
}

/// The default data folder (module doc).
pub fn default_data() -> PathBuf {
    os_folder(&["XDG_DATA_HOME"], ".local/share", "LOCALAPPDATA").join(APP_FOLDER)
}

fn os_folder(xdg: &[&str], home_relative: &str, windows: &str) -> PathBuf {
    let from = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    if cfg!(target_os = "windows") {
        return from(windows).unwrap_or_else(std::env::temp_dir);
    }
    let home = from("HOME").unwrap_or_else(std::env::temp_dir);
    if cfg!(target_os = "macos") {
        return home.join("Library").join("Application Support");
    }
    xdg.iter().find_map(|name| from(name)).unwrap_or_else(|| home.join(home_relative))
}

/// Reads the settings file; a missing file is empty settings.
///
/// # Errors
/// [`KodeGalat::Konfigurasi`] when the file cannot be read or is not valid TOML of these keys.
pub fn read(file: &Path) -> Result<SettingsFile, AppError> {
    match std::fs::read_to_string(file) {
        Ok(text) => toml::from_str(&text).map_err(|error| {
            AppError::new(
                KodeGalat::Konfigurasi,
                format!(
                    "Berkas pengaturan {} tidak dapat dibaca ({}). Perbaiki atau hapus berkas itu, lalu mulai ulang \
                     aplikasi.",
                    file.display(),
                    error.message()
                ),
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(SettingsFile::default()),
        Err(error) => Err(AppError::new(
            KodeGalat::Konfigurasi,
            format!("Berkas pengaturan {} tidak dapat dibaca ({error}). Periksa izin berkas itu.", file.display()),
        )),
    }
}

/// Writes the settings file whole (temporary file, then rename), creating its folder.
///
/// # Errors
/// [`KodeGalat::Konfigurasi`] when it cannot be written.
pub fn write(file: &Path, settings: &SettingsFile) -> Result<(), AppError> {
    let fail = |error: &dyn std::fmt::Display| {
        AppError::new(
            KodeGalat::Konfigurasi,
            format!("Pengaturan tidak dapat disimpan ke {} ({error}). Periksa izin folder itu.", file.display()),
        )
    };
    let text = toml::to_string(settings).map_err(|error| fail(&error))?;
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).map_err(|error| fail(&error))?;
    }
    let temporary = file.with_extension("toml.baru");
    std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, file)).map_err(|error| fail(&error))
}

/// The data folder the settings choose: the environment, then the file, then the OS default.
pub fn data_folder(file: &SettingsFile, overrides: &Overrides) -> PathBuf {
    overrides
        .data
        .clone()
        .or_else(|| file.folder_data.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_data)
}

/// The effective settings: the environment over the file; `data` is the data folder in use.
pub fn effective(file: &SettingsFile, overrides: &Overrides, settings_file: &Path, data: &Path) -> Pengaturan {
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    Pengaturan {
        hub_url: overrides.hub.clone().or_else(|| given(&file.hub_url)),
        sso_issuer: overrides.sso_issuer.clone().or_else(|| given(&file.sso_issuer)),
        sso_client_id: overrides
            .sso_client_id
            .clone()
            .or_else(|| given(&file.sso_client_id))
            .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_owned()),
        folder_data: data.display().to_string(),
        berkas_pengaturan: settings_file.display().to_string(),
        versi: env!("CARGO_PKG_VERSION").to_owned(),
        berkas_log: data.join(LOG_FILE).display().to_string(),
        mulai_ulang: overrides.data.is_none() && data_folder(file, overrides) != data,
        dari_lingkungan: overrides.fields(),
    }
}

/// Checks a URL typed for `field`: `http` or `https` with a host, no query or fragment. Returns it trimmed,
/// without a trailing slash; an empty value is `None`.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the field and the value.
pub fn check_url(field: &str, value: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else { return Ok(None) };
    let expected = "tulis alamat lengkap seperti https://hub.bkd.example.go.id";
    let parsed = url::Url::parse(value).map_err(|_| AppError::masukan(field, value, expected))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none_or(str::is_empty)
        || parsed.query().is_some()
        || parsed.fragment().is_some()
    {
        return Err(AppError::masukan(field, value, expected));
    }
    Ok(Some(value.trim_end_matches('/').to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_wins_over_the_file_and_urls_are_checked() {
        let file = SettingsFile {
            hub_url: Some("https://hub.example".into()),
            sso_issuer: Some(" https://sso.example/realms/x ".into()),
            sso_client_id: None,
            folder_data: Some("/data/berkas".into()),
        };
        let overrides = Overrides { hub: Some("http://127.0.0.1:9".into()), ..Overrides::default() };
        let data = data_folder(&file, &overrides);
        assert_eq!(data, PathBuf::from("/data/berkas"));
        let shown = effective(&file, &overrides, Path::new("/c/pengaturan.toml"), &data);
        assert_eq!(shown.hub_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(shown.sso_issuer.as_deref(), Some("https://sso.example/realms/x"));
        assert_eq!(shown.sso_client_id, DEFAULT_CLIENT_ID);
        assert!(shown.berkas_log.ends_with("log/luring.log"));
        assert_eq!(
            check_url("Alamat hub", Some("https://hub.example/")).unwrap().as_deref(),
            Some("https://hub.example")
        );
        let bad = check_url("Alamat hub", Some("hub.example")).unwrap_err();
        assert_eq!(bad.code, KodeGalat::MasukanTidakSah);
        assert!(bad.message.contains("Alamat hub") && bad.message.contains("hub.example"), "{}", bad.message);
        assert_eq!(check_url("Alamat hub", Some("  ")).unwrap(), None);
    }

    #[test]
    fn a_saved_file_reads_back() {
        let folder = std::env::temp_dir().join(format!("luring-pengaturan-{}", uuid::Uuid::new_v4().simple()));
        let file = folder.join(FILE_NAME);
        assert_eq!(read(&file).unwrap(), SettingsFile::default());
        let settings = SettingsFile { hub_url: Some("https://hub.example".into()), ..SettingsFile::default() };
        write(&file, &settings).unwrap();
        assert_eq!(read(&file).unwrap(), settings);
        std::fs::write(&file, "hub_url = [").unwrap();
        assert_eq!(read(&file).unwrap_err().code, KodeGalat::Konfigurasi);
        let _ = std::fs::remove_dir_all(folder);
    }
}
