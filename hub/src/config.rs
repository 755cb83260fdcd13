//! The hub's settings: [`HubConfig`], read from a TOML file, then the environment, then command-line flags
//! (each later source wins, key by key).
//!
//! # Keys
//!
//! | key | environment | flag | default | meaning |
//! |---|---|---|---|---|
//! | `listen` | `LURING_HUB_LISTEN` | `--listen` | `127.0.0.1:8780` | address and port the HTTP server binds |
//! | `data_dir` | `LURING_HUB_DATA` | `--data` | (required) | the hub's data folder (database, log, snapshots, blobs) |
//! | `issuer` | `LURING_HUB_ISSUER` | `--issuer` | (required by `serve`) | the OpenID provider's issuer URL, exactly as in the tokens' `iss` |
//! | `client_id` | `LURING_HUB_CLIENT_ID` | `--client-id` | `luring-desktop` | the desktop's client id: access tokens must carry it in `azp` |
//! | `audience` | `LURING_HUB_AUDIENCE` | `--audience` | (none) | when set, access tokens must also name it in `aud` |
//! | `log` | `LURING_HUB_LOG` | `--log` | `info` | a `tracing` filter, e.g. `info,hub=debug` |
//!
//! The file is named with `--config FILE` (or `LURING_HUB_CONFIG`); `hub/luring-hub.example.toml` is a commented
//! example. Unknown keys in the file are an error (a typo must not silently fall back to a default). A relative
//! `data_dir` in the file is read relative to the file's folder; from the environment or a flag, relative to the
//! working directory.
//!
//! What it does not do: read the environment by itself in [`HubConfig::resolve`] (the caller passes a lookup, so
//! tests stay hermetic), or hold secrets: the hub needs none to check tokens (only the provider's public keys).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The address `serve` binds when none is configured: loopback only, so a hub is never exposed by accident.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8780";

/// The desktop's client id when none is configured.
pub const DEFAULT_CLIENT_ID: &str = "luring-desktop";

/// The log filter when none is configured.
pub const DEFAULT_LOG: &str = "info";

/// The environment variable naming the configuration file.
pub const ENV_CONFIG: &str = "LURING_HUB_CONFIG";

/// The environment variables of the keys, in the order of the table in the module documentation.
pub const ENV_KEYS: [(&str, &str); 6] = [
    ("listen", "LURING_HUB_LISTEN"),
    ("data_dir", "LURING_HUB_DATA"),
    ("issuer", "LURING_HUB_ISSUER"),
    ("client_id", "LURING_HUB_CLIENT_ID"),
    ("audience", "LURING_HUB_AUDIENCE"),
    ("log", "LURING_HUB_LOG"),
];

/// The resolved settings of one hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubConfig {
    /// Where the HTTP server listens.
    pub listen: SocketAddr,
    /// The hub's data folder.
    pub data_dir: PathBuf,
    /// The OpenID provider's issuer URL; `None` when not configured (only `serve` needs it).
    pub issuer: Option<String>,
    /// The client id access tokens must carry in `azp`.
    pub client_id: String,
    /// An audience access tokens must carry in `aud`, when configured.
    pub audience: Option<String>,
    /// The `tracing` filter.
    pub log: String,
}

/// One layer of settings, every key optional: the file, the environment or the flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    /// See [`HubConfig::listen`].
    pub listen: Option<SocketAddr>,
    /// See [`HubConfig::data_dir`].
    pub data_dir: Option<PathBuf>,
    /// See [`HubConfig::issuer`].
    pub issuer: Option<String>,
    /// See [`HubConfig::client_id`].
    pub client_id: Option<String>,
    /// See [`HubConfig::audience`].
    pub audience: Option<String>,
    /// See [`HubConfig::log`].
    pub log: Option<String>,
}

/// Why the settings cannot be used. Messages are Bahasa Indonesia and say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file cannot be read.
    #[error("berkas konfigurasi {path} tidak dapat dibaca: {source}; periksa path --config dan izin berkas")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML of the expected keys.
    #[error("berkas konfigurasi {path} tidak sah: {message}; lihat contoh hub/luring-hub.example.toml")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's explanation (line, column, unknown key).
        message: String,
    },
    /// An environment variable holds an unusable value.
    #[error("variabel lingkungan {name} tidak sah: {message}")]
    Environment {
        /// The variable.
        name: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A required key has no value in any source.
    #[error("{key} belum diatur: isi `{key}` di berkas konfigurasi, atau {env}, atau {flag}")]
    Missing {
        /// The key.
        key: &'static str,
        /// Its environment variable.
        env: &'static str,
        /// Its flag.
        flag: &'static str,
    },
    /// A value is present but empty or unusable.
    #[error("nilai {key} tidak sah: {message}")]
    Invalid {
        /// The key.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ConfigLayer {
    /// Reads a TOML configuration file. A relative `data_dir` is made relative to the file's folder.
    ///
    /// # Errors
    /// [`ConfigError::Read`] or [`ConfigError::Parse`].
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        let mut layer =
            Self::from_toml(&text).map_err(|message| ConfigError::Parse { path: path.to_owned(), message })?;
        if let (Some(dir), Some(parent)) = (&layer.data_dir, path.parent())
            && dir.is_relative()
        {
            layer.data_dir = Some(parent.join(dir));
        }
        Ok(layer)
    }

    /// Reads the text of a TOML configuration file.
    ///
    /// # Errors
    /// The parser's message when the text is not TOML or has an unknown key or a wrong type.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))
    }

    /// Reads the `LURING_HUB_*` variables through `lookup` (usually `|name| std::env::var(name).ok()`). Empty
    /// values count as unset.
    ///
    /// # Errors
    /// [`ConfigError::Environment`] when `LURING_HUB_LISTEN` is not an address.
    pub fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let listen = match get("LURING_HUB_LISTEN") {
            Some(text) => Some(text.parse().map_err(|e| ConfigError::Environment {
                name: "LURING_HUB_LISTEN",
                message: format!("`{text}` bukan alamat seperti 127.0.0.1:8780 ({e})"),
            })?),
            None => None,
        };
        Ok(Self {
            listen,
            data_dir: get("LURING_HUB_DATA").map(PathBuf::from),
            issuer: get("LURING_HUB_ISSUER"),
            client_id: get("LURING_HUB_CLIENT_ID"),
            audience: get("LURING_HUB_AUDIENCE"),
            log: get("LURING_HUB_LOG"),
        })
    }

    /// This layer with every key that `over` sets replaced by `over`'s value.
    pub fn overridden_by(self, over: ConfigLayer) -> ConfigLayer {
        ConfigLayer {
            listen: over.listen.or(self.listen),
            data_dir: over.data_dir.or(self.data_dir),
            issuer: over.issuer.or(self.issuer),
            client_id: over.client_id.or(self.client_id),
            audience: over.audience.or(self.audience),
            log: over.log.or(self.log),
        }
    }
}

impl HubConfig {
    /// The settings from the file (when given), the environment (through `lookup`) and the flags, later sources
    /// winning key by key; then the defaults.
    ///
    /// # Errors
    /// When the file cannot be read or parsed, a variable is unusable, `data_dir` is set nowhere, or a value is
    /// empty.
    pub fn resolve(
        file: Option<&Path>,
        lookup: &dyn Fn(&str) -> Option<String>,
        flags: ConfigLayer,
    ) -> Result<Self, ConfigError> {
        let from_file = match file {
            Some(path) => ConfigLayer::from_file(path)?,
            None => ConfigLayer::default(),
        };
        let merged = from_file.overridden_by(ConfigLayer::from_env(lookup)?).overridden_by(flags);
        Self::from_layer(merged)
    }

    /// The settings of one merged layer plus the defaults.
    ///
    /// # Errors
    /// When `data_dir` is missing or a value is empty.
    pub fn from_layer(layer: ConfigLayer) -> Result<Self, ConfigError> {
        let data_dir = layer.data_dir.filter(|dir| !dir.as_os_str().is_empty()).ok_or(ConfigError::Missing {
            key: "data_dir",
            env: "LURING_HUB_DATA",
            flag: "--data",
        })?;
        let listen = match layer.listen {
            Some(listen) => listen,
            None => DEFAULT_LISTEN
                .parse()
                .map_err(|e| ConfigError::Invalid { key: "listen", message: format!("{DEFAULT_LISTEN}: {e}") })?,
        };
        let non_empty = |key: &'static str, value: Option<String>| -> Result<Option<String>, ConfigError> {
            match value {
                Some(v) if v.trim().is_empty() => {
                    Err(ConfigError::Invalid { key, message: "kosong; hapus kuncinya atau isi nilainya".to_owned() })
                }
                other => Ok(other),
            }
        };
        Ok(Self {
            listen,
            data_dir,
            issuer: non_empty("issuer", layer.issuer)?,
            client_id: non_empty("client_id", layer.client_id)?.unwrap_or_else(|| DEFAULT_CLIENT_ID.to_owned()),
            audience: non_empty("audience", layer.audience)?,
            log: non_empty("log", layer.log)?.unwrap_or_else(|| DEFAULT_LOG.to_owned()),
        })
    }

    /// The issuer, required to serve.
    ///
    /// # Errors
    /// [`ConfigError::Missing`] when no source sets it.
    pub fn require_issuer(&self) -> Result<&str, ConfigError> {
        self.issuer.as_deref().ok_or(ConfigError::Missing { key: "issuer", env: "LURING_HUB_ISSUER", flag: "--issuer" })
    }
}

#[cfg(test)]
mod tests;
