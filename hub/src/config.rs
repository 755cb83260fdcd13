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
//! ## `[siasn]`: the SI-ASN gateway (siasn-api.md §1.1, §1.2)
//!
//! | key | environment | default | meaning |
//! |---|---|---|---|
//! | `base_url` | `LURING_HUB_SIASN_BASE_URL` | `https://apimws.bkn.go.id:8243` | the gateway host; the web service is `{base_url}/apisiasn/1.0` |
//! | `apim_token_url` | `LURING_HUB_SIASN_APIM_TOKEN_URL` | `https://apimws.bkn.go.id/oauth2/token` | the APIM (WSO2) token URL |
//! | `consumer_key` | `LURING_HUB_SIASN_CONSUMER_KEY` | (required to call SI-ASN) | the instansi's APIM consumer key |
//! | `consumer_secret_file` | `LURING_HUB_SIASN_CONSUMER_SECRET_FILE` | (none) | a file holding the consumer secret; or the secret itself in `LURING_HUB_SIASN_CONSUMER_SECRET` (which wins) |
//! | `sso_token_file` | `LURING_HUB_SIASN_SSO_TOKEN_FILE` | (none) | a file holding a pasted SSO token (the JWT, or JSON with `access_token`), read at each run; or the token itself in `LURING_HUB_SIASN_SSO_TOKEN` (which wins) |
//! | `sso_token_url` | `LURING_HUB_SIASN_SSO_TOKEN_URL` | BKN's Keycloak token URL | the password grant's token URL (when no pasted token is configured) |
//! | `sso_client_id` | `LURING_HUB_SIASN_SSO_CLIENT_ID` | (none) | the password grant's client id |
//! | `sso_username` | `LURING_HUB_SIASN_SSO_USERNAME` | (none) | the operator NIP of the password grant |
//! | `sso_password_file` | `LURING_HUB_SIASN_SSO_PASSWORD_FILE` | (none) | a file holding the operator's password; or `LURING_HUB_SIASN_SSO_PASSWORD` (which wins) |
//! | `konkurensi` | `LURING_HUB_SIASN_KONKURENSI` | `8` | requests in flight at most |
//! | `per_detik` | `LURING_HUB_SIASN_PER_DETIK` | `10` | requests started per second at most; `0` for no limit |
//! | `timeout_detik` | `LURING_HUB_SIASN_TIMEOUT_DETIK` | `60` | the longest one request may take, seconds |
//! | `jadwal_menit` | `LURING_HUB_SIASN_JADWAL_MENIT` | `0` (off) | `serve` pulls every `instansi` this often, minutes |
//! | `instansi` | `LURING_HUB_SIASN_INSTANSI` (comma-separated) | (none) | the instansi ids the schedule pulls |
//! | `endpoint` | `LURING_HUB_SIASN_ENDPOINT` (comma-separated) | the 11 of `siasn::pull::DEFAULT_ENDPOINTS` | the endpoints fetched per NIP |
//! | `pensiun_bulan` | `LURING_HUB_SIASN_PENSIUN_BULAN` | `12` | months ahead asked of `list-pensiun-instansi` |
//!
//! Secrets (the consumer secret, the SSO token, the SSO password) are never keys of the file, so a configuration
//! file can be shared: they come from the environment or from files named in it, are read only when a client is
//! built ([`SiasnSettings::client_config`]), are never kept in [`HubConfig`] and never printed.
//!
//! The file is named with `--config FILE` (or `LURING_HUB_CONFIG`); `hub/luring-hub.example.toml` is a commented
//! example. Unknown keys in the file are an error (a typo must not silently fall back to a default). A relative
//! `data_dir` in the file is read relative to the file's folder; from the environment or a flag, relative to the
//! working directory.
//!
//! What it does not do: read the environment by itself in [`HubConfig::resolve`] (the caller passes a lookup, so
//! tests stay hermetic), or hold secrets: the hub needs none to check tokens (only the provider's public keys), and
//! the SI-ASN secrets are read from their variables or files only when a client is built.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::siasn::client::{APIM_TOKEN_URL_BKN, BASE_URL_BKN, SSO_TOKEN_URL_BKN, SiasnConfig, SsoSource};

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

/// The environment variables of the `[siasn]` keys (secrets aside), in the order of the table in the module
/// documentation.
pub const SIASN_ENV_KEYS: [(&str, &str); 16] = [
    ("base_url", "LURING_HUB_SIASN_BASE_URL"),
    ("apim_token_url", "LURING_HUB_SIASN_APIM_TOKEN_URL"),
    ("consumer_key", "LURING_HUB_SIASN_CONSUMER_KEY"),
    ("consumer_secret_file", "LURING_HUB_SIASN_CONSUMER_SECRET_FILE"),
    ("sso_token_file", "LURING_HUB_SIASN_SSO_TOKEN_FILE"),
    ("sso_token_url", "LURING_HUB_SIASN_SSO_TOKEN_URL"),
    ("sso_client_id", "LURING_HUB_SIASN_SSO_CLIENT_ID"),
    ("sso_username", "LURING_HUB_SIASN_SSO_USERNAME"),
    ("sso_password_file", "LURING_HUB_SIASN_SSO_PASSWORD_FILE"),
    ("konkurensi", "LURING_HUB_SIASN_KONKURENSI"),
    ("per_detik", "LURING_HUB_SIASN_PER_DETIK"),
    ("timeout_detik", "LURING_HUB_SIASN_TIMEOUT_DETIK"),
    ("jadwal_menit", "LURING_HUB_SIASN_JADWAL_MENIT"),
    ("instansi", "LURING_HUB_SIASN_INSTANSI"),
    ("endpoint", "LURING_HUB_SIASN_ENDPOINT"),
    ("pensiun_bulan", "LURING_HUB_SIASN_PENSIUN_BULAN"),
];

/// The variable holding the APIM consumer secret itself (wins over `consumer_secret_file`).
pub const ENV_CONSUMER_SECRET: &str = "LURING_HUB_SIASN_CONSUMER_SECRET";

/// The variable holding a pasted SSO token itself (wins over `sso_token_file`).
pub const ENV_SSO_TOKEN: &str = "LURING_HUB_SIASN_SSO_TOKEN";

/// The variable holding the SSO password itself (wins over `sso_password_file`).
pub const ENV_SSO_PASSWORD: &str = "LURING_HUB_SIASN_SSO_PASSWORD";

/// The resolved settings of one hub.
#[derive(Debug, Clone, PartialEq)]
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
    /// The SI-ASN gateway's settings (`[siasn]`).
    pub siasn: SiasnSettings,
}

/// The resolved `[siasn]` settings: where SI-ASN is and how hard to use it, and where its secrets are (never the
/// secrets themselves).
#[derive(Debug, Clone, PartialEq)]
pub struct SiasnSettings {
    /// The gateway host (`{base_url}/apisiasn/1.0`).
    pub base_url: String,
    /// The APIM token URL.
    pub apim_token_url: String,
    /// The APIM consumer key.
    pub consumer_key: Option<String>,
    /// A file holding the consumer secret.
    pub consumer_secret_file: Option<PathBuf>,
    /// A file holding a pasted SSO token.
    pub sso_token_file: Option<PathBuf>,
    /// The password grant's token URL.
    pub sso_token_url: String,
    /// The password grant's client id.
    pub sso_client_id: Option<String>,
    /// The password grant's operator NIP.
    pub sso_username: Option<String>,
    /// A file holding the operator's password.
    pub sso_password_file: Option<PathBuf>,
    /// Requests in flight at most.
    pub konkurensi: usize,
    /// Requests started per second at most; 0 for no limit.
    pub per_detik: f64,
    /// The longest one request may take.
    pub timeout: Duration,
    /// `serve` pulls every [`SiasnSettings::instansi`] this often, minutes; 0 for never.
    pub jadwal_menit: u64,
    /// The instansi the schedule pulls.
    pub instansi: Vec<String>,
    /// The endpoints fetched per NIP.
    pub endpoint: Vec<String>,
    /// Months ahead asked of `list-pensiun-instansi`.
    pub pensiun_bulan: u32,
}

/// The `[siasn]` table of one layer, every key optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiasnLayer {
    /// See [`SiasnSettings::base_url`].
    pub base_url: Option<String>,
    /// See [`SiasnSettings::apim_token_url`].
    pub apim_token_url: Option<String>,
    /// See [`SiasnSettings::consumer_key`].
    pub consumer_key: Option<String>,
    /// See [`SiasnSettings::consumer_secret_file`].
    pub consumer_secret_file: Option<PathBuf>,
    /// See [`SiasnSettings::sso_token_file`].
    pub sso_token_file: Option<PathBuf>,
    /// See [`SiasnSettings::sso_token_url`].
    pub sso_token_url: Option<String>,
    /// See [`SiasnSettings::sso_client_id`].
    pub sso_client_id: Option<String>,
    /// See [`SiasnSettings::sso_username`].
    pub sso_username: Option<String>,
    /// See [`SiasnSettings::sso_password_file`].
    pub sso_password_file: Option<PathBuf>,
    /// See [`SiasnSettings::konkurensi`].
    pub konkurensi: Option<usize>,
    /// See [`SiasnSettings::per_detik`].
    pub per_detik: Option<f64>,
    /// See [`SiasnSettings::timeout`], in seconds.
    pub timeout_detik: Option<u64>,
    /// See [`SiasnSettings::jadwal_menit`].
    pub jadwal_menit: Option<u64>,
    /// See [`SiasnSettings::instansi`].
    pub instansi: Option<Vec<String>>,
    /// See [`SiasnSettings::endpoint`].
    pub endpoint: Option<Vec<String>>,
    /// See [`SiasnSettings::pensiun_bulan`].
    pub pensiun_bulan: Option<u32>,
}

/// One layer of settings, every key optional: the file, the environment or the flags.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
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
    /// See [`HubConfig::siasn`] (the `[siasn]` table).
    pub siasn: Option<SiasnLayer>,
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
    /// What calling SI-ASN needs is not configured.
    #[error("{what} belum diatur: {how}")]
    SiasnMissing {
        /// What is missing.
        what: &'static str,
        /// Where to set it.
        how: &'static str,
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
        if let Some(parent) = path.parent() {
            let relative = |file: &mut Option<PathBuf>| {
                if let Some(dir) = file.as_mut()
                    && dir.is_relative()
                {
                    *dir = parent.join(&*dir);
                }
            };
            relative(&mut layer.data_dir);
            if let Some(siasn) = layer.siasn.as_mut() {
                relative(&mut siasn.consumer_secret_file);
                relative(&mut siasn.sso_token_file);
                relative(&mut siasn.sso_password_file);
            }
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
    /// [`ConfigError::Environment`] when `LURING_HUB_LISTEN` is not an address or a numeric `LURING_HUB_SIASN_*`
    /// is not a number.
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
            siasn: SiasnLayer::from_env(lookup)?,
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
            siasn: match (self.siasn, over.siasn) {
                (Some(base), Some(over)) => Some(base.overridden_by(over)),
                (base, over) => over.or(base),
            },
        }
    }
}

impl SiasnLayer {
    /// Reads the `LURING_HUB_SIASN_*` variables (secrets aside) through `lookup`; `None` when none is set.
    ///
    /// # Errors
    /// [`ConfigError::Environment`] when a numeric variable is not a number.
    pub fn from_env(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        fn number<T: std::str::FromStr>(name: &'static str, text: Option<String>) -> Result<Option<T>, ConfigError> {
            match text {
                Some(text) => text
                    .parse()
                    .map(Some)
                    .map_err(|_| ConfigError::Environment { name, message: format!("`{text}` bukan angka") }),
                None => Ok(None),
            }
        }
        let list = |text: Option<String>| -> Option<Vec<String>> {
            text.map(|text| text.split(',').map(|item| item.trim().to_owned()).filter(|i| !i.is_empty()).collect())
        };
        let layer = SiasnLayer {
            base_url: get("LURING_HUB_SIASN_BASE_URL"),
            apim_token_url: get("LURING_HUB_SIASN_APIM_TOKEN_URL"),
            consumer_key: get("LURING_HUB_SIASN_CONSUMER_KEY"),
            consumer_secret_file: get("LURING_HUB_SIASN_CONSUMER_SECRET_FILE").map(PathBuf::from),
            sso_token_file: get("LURING_HUB_SIASN_SSO_TOKEN_FILE").map(PathBuf::from),
            sso_token_url: get("LURING_HUB_SIASN_SSO_TOKEN_URL"),
            sso_client_id: get("LURING_HUB_SIASN_SSO_CLIENT_ID"),
            sso_username: get("LURING_HUB_SIASN_SSO_USERNAME"),
            sso_password_file: get("LURING_HUB_SIASN_SSO_PASSWORD_FILE").map(PathBuf::from),
            konkurensi: number("LURING_HUB_SIASN_KONKURENSI", get("LURING_HUB_SIASN_KONKURENSI"))?,
            per_detik: number("LURING_HUB_SIASN_PER_DETIK", get("LURING_HUB_SIASN_PER_DETIK"))?,
            timeout_detik: number("LURING_HUB_SIASN_TIMEOUT_DETIK", get("LURING_HUB_SIASN_TIMEOUT_DETIK"))?,
            jadwal_menit: number("LURING_HUB_SIASN_JADWAL_MENIT", get("LURING_HUB_SIASN_JADWAL_MENIT"))?,
            instansi: list(get("LURING_HUB_SIASN_INSTANSI")),
            endpoint: list(get("LURING_HUB_SIASN_ENDPOINT")),
            pensiun_bulan: number("LURING_HUB_SIASN_PENSIUN_BULAN", get("LURING_HUB_SIASN_PENSIUN_BULAN"))?,
        };
        Ok((layer != SiasnLayer::default()).then_some(layer))
    }

    /// This table with every key that `over` sets replaced by `over`'s value.
    pub fn overridden_by(self, over: SiasnLayer) -> SiasnLayer {
        SiasnLayer {
            base_url: over.base_url.or(self.base_url),
            apim_token_url: over.apim_token_url.or(self.apim_token_url),
            consumer_key: over.consumer_key.or(self.consumer_key),
            consumer_secret_file: over.consumer_secret_file.or(self.consumer_secret_file),
            sso_token_file: over.sso_token_file.or(self.sso_token_file),
            sso_token_url: over.sso_token_url.or(self.sso_token_url),
            sso_client_id: over.sso_client_id.or(self.sso_client_id),
            sso_username: over.sso_username.or(self.sso_username),
            sso_password_file: over.sso_password_file.or(self.sso_password_file),
            konkurensi: over.konkurensi.or(self.konkurensi),
            per_detik: over.per_detik.or(self.per_detik),
            timeout_detik: over.timeout_detik.or(self.timeout_detik),
            jadwal_menit: over.jadwal_menit.or(self.jadwal_menit),
            instansi: over.instansi.or(self.instansi),
            endpoint: over.endpoint.or(self.endpoint),
            pensiun_bulan: over.pensiun_bulan.or(self.pensiun_bulan),
        }
    }
}

impl SiasnSettings {
    /// The settings of one merged `[siasn]` table plus the defaults.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for an empty URL or key, `konkurensi` or `timeout_detik` of 0, a negative
    /// `per_detik`, an unknown endpoint, or a schedule without instansi.
    pub fn from_layer(layer: SiasnLayer) -> Result<Self, ConfigError> {
        let text = |key: &'static str, value: Option<String>| -> Result<Option<String>, ConfigError> {
            match value.map(|v| v.trim().to_owned()) {
                Some(v) if v.is_empty() => {
                    Err(ConfigError::Invalid { key, message: "kosong; hapus kuncinya atau isi nilainya".to_owned() })
                }
                other => Ok(other),
            }
        };
        let konkurensi = layer.konkurensi.unwrap_or(8);
        if konkurensi == 0 {
            return Err(ConfigError::Invalid { key: "siasn.konkurensi", message: "minimal 1".to_owned() });
        }
        let per_detik = layer.per_detik.unwrap_or(10.0);
        if !per_detik.is_finite() || per_detik < 0.0 {
            return Err(ConfigError::Invalid {
                key: "siasn.per_detik",
                message: "harus 0 (tanpa batas) atau lebih".to_owned(),
            });
        }
        let timeout = layer.timeout_detik.unwrap_or(60);
        if timeout == 0 {
            return Err(ConfigError::Invalid { key: "siasn.timeout_detik", message: "minimal 1 detik".to_owned() });
        }
        let endpoint = match layer.endpoint {
            Some(list) => {
                let unknown: Vec<&String> =
                    list.iter().filter(|e| !model::siasn::ws::PEGAWAI_ENDPOINTS.contains(&e.as_str())).collect();
                if !unknown.is_empty() || list.is_empty() {
                    return Err(ConfigError::Invalid {
                        key: "siasn.endpoint",
                        message: format!(
                            "tidak dikenal: {unknown:?}; pilih dari {}",
                            model::siasn::ws::PEGAWAI_ENDPOINTS.join(", ")
                        ),
                    });
                }
                list
            }
            None => crate::siasn::pull::DEFAULT_ENDPOINTS.iter().map(|e| (*e).to_owned()).collect(),
        };
        let instansi: Vec<String> = layer
            .instansi
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty())
            .collect();
        let jadwal_menit = layer.jadwal_menit.unwrap_or(0);
        if jadwal_menit > 0 && instansi.is_empty() {
            return Err(ConfigError::Invalid {
                key: "siasn.jadwal_menit",
                message: "jadwal diisi tetapi `instansi` kosong; isi id instansi yang ditarik".to_owned(),
            });
        }
        Ok(SiasnSettings {
            base_url: text("siasn.base_url", layer.base_url)?.unwrap_or_else(|| BASE_URL_BKN.to_owned()),
            apim_token_url: text("siasn.apim_token_url", layer.apim_token_url)?
                .unwrap_or_else(|| APIM_TOKEN_URL_BKN.to_owned()),
            consumer_key: text("siasn.consumer_key", layer.consumer_key)?,
            consumer_secret_file: layer.consumer_secret_file,
            sso_token_file: layer.sso_token_file,
            sso_token_url: text("siasn.sso_token_url", layer.sso_token_url)?
                .unwrap_or_else(|| SSO_TOKEN_URL_BKN.to_owned()),
            sso_client_id: text("siasn.sso_client_id", layer.sso_client_id)?,
            sso_username: text("siasn.sso_username", layer.sso_username)?,
            sso_password_file: layer.sso_password_file,
            konkurensi,
            per_detik,
            timeout: Duration::from_secs(timeout),
            jadwal_menit,
            instansi,
            endpoint,
            pensiun_bulan: layer.pensiun_bulan.unwrap_or(12).max(1),
        })
    }

    /// Where the SSO token comes from, for `luring-hub siasn status` (no secret): `None` when not configured.
    pub fn sso_source_text(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        if lookup(ENV_SSO_TOKEN).is_some_and(|v| !v.trim().is_empty()) {
            Some(format!("token tempel dari {ENV_SSO_TOKEN}"))
        } else if let Some(file) = &self.sso_token_file {
            Some(format!("token tempel dari berkas {}", file.display()))
        } else {
            self.sso_username.as_ref().map(|nip| format!("password grant untuk NIP {nip} ke {}", self.sso_token_url))
        }
    }

    /// The client configuration, reading the secrets now: the consumer secret from `LURING_HUB_SIASN_CONSUMER_SECRET`
    /// or `consumer_secret_file`; the SSO token from `LURING_HUB_SIASN_SSO_TOKEN` or `sso_token_file` (the JWT, or
    /// JSON with `access_token`, as S7's `sso_token.json`), else the password grant with `sso_username`,
    /// `sso_client_id` and the password from `LURING_HUB_SIASN_SSO_PASSWORD` or `sso_password_file`.
    ///
    /// # Errors
    /// [`ConfigError::SiasnMissing`] for what is not configured; [`ConfigError::Read`] for a file that cannot be
    /// read; [`ConfigError::Invalid`] for an empty one.
    pub fn client_config(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<SiasnConfig, ConfigError> {
        let env = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let consumer_key = self.consumer_key.clone().ok_or(ConfigError::SiasnMissing {
            what: "consumer key APIM SI-ASN",
            how: "isi `consumer_key` di bagian [siasn] atau LURING_HUB_SIASN_CONSUMER_KEY",
        })?;
        let consumer_secret = match (env(ENV_CONSUMER_SECRET), &self.consumer_secret_file) {
            (Some(secret), _) => secret,
            (None, Some(file)) => read_secret(file, "siasn.consumer_secret_file")?,
            (None, None) => {
                return Err(ConfigError::SiasnMissing {
                    what: "consumer secret APIM SI-ASN",
                    how: "isi LURING_HUB_SIASN_CONSUMER_SECRET, atau `consumer_secret_file` di bagian [siasn] \
                          (berkas berisi secret)",
                });
            }
        };
        let sso = match (env(ENV_SSO_TOKEN), &self.sso_token_file, &self.sso_username) {
            (Some(token), _, _) => SsoSource::Token(token_text(&token)),
            (None, Some(file), _) => SsoSource::Token(token_text(&read_secret(file, "siasn.sso_token_file")?)),
            (None, None, Some(username)) => {
                let password = match (env(ENV_SSO_PASSWORD), &self.sso_password_file) {
                    (Some(password), _) => password,
                    (None, Some(file)) => read_secret(file, "siasn.sso_password_file")?,
                    (None, None) => {
                        return Err(ConfigError::SiasnMissing {
                            what: "kata sandi SSO SI-ASN",
                            how: "isi LURING_HUB_SIASN_SSO_PASSWORD atau `sso_password_file` di bagian [siasn]",
                        });
                    }
                };
                let client_id = self.sso_client_id.clone().ok_or(ConfigError::SiasnMissing {
                    what: "client id SSO SI-ASN",
                    how: "isi `sso_client_id` di bagian [siasn] atau LURING_HUB_SIASN_SSO_CLIENT_ID",
                })?;
                SsoSource::Password {
                    token_url: self.sso_token_url.clone(),
                    client_id,
                    username: username.clone(),
                    password,
                }
            }
            (None, None, None) => {
                return Err(ConfigError::SiasnMissing {
                    what: "token SSO SI-ASN",
                    how: "masuk ke SSO SIASN di browser, simpan tokennya di berkas dan isi `sso_token_file` di \
                          bagian [siasn] (atau LURING_HUB_SIASN_SSO_TOKEN), atau isi `sso_username` untuk password \
                          grant",
                });
            }
        };
        Ok(SiasnConfig {
            base_url: self.base_url.clone(),
            apim_token_url: self.apim_token_url.clone(),
            consumer_key,
            consumer_secret,
            sso,
            konkurensi: self.konkurensi,
            per_detik: self.per_detik,
            timeout: self.timeout,
        })
    }
}

/// A secret kept in a file: its trimmed text.
fn read_secret(path: &Path, key: &'static str) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(ConfigError::Invalid { key, message: format!("berkas {} kosong", path.display()) });
    }
    Ok(text.to_owned())
}

/// A pasted SSO token: the JWT itself, or S7's `sso_token.json` (`{"access_token": …}`).
fn token_text(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('{')
        && let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(text)
        && let Some(serde_json::Value::String(token)) = object.get("access_token")
    {
        return token.trim().to_owned();
    }
    text.to_owned()
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
    /// When `data_dir` is missing or a value is empty or unusable (also in `[siasn]`).
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
            siasn: SiasnSettings::from_layer(layer.siasn.unwrap_or_default())?,
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
