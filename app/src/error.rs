//! The one error the UI sees: [`AppError`] `{code, message}` with a closed set of codes ([`KodeGalat`]), and the
//! mapping from every lower error (session, sync, replica, store, SSO, secret store) to it.
//!
//! The message is a full Indonesian sentence saying what to do next; the code lets the UI choose a screen
//! (`belum_masuk`/`masuk_ulang` → Masuk, `luring` → the offline badge, …). What the mapping does not do: log. The
//! caller logs (without personal data) where it decides to.

use serde::{Deserialize, Serialize};

use crate::hub::SyncFailure;
use crate::replica::ReplicaError;
use crate::secret::SecretError;
use crate::session::SessionError;
use crate::sso::SsoError;

/// The closed set of error codes of the IPC (desk contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum KodeGalat {
    /// Nobody is signed in on this replica: sign in.
    BelumMasuk,
    /// The session ended (refresh token refused or gone): sign in again; local work is kept.
    MasukUlang,
    /// The hub or the SSO provider cannot be reached: keep working offline, sync later.
    Luring,
    /// The hub or provider refused (not on the roster, another officer's replica, a revoked device).
    Ditolak,
    /// No such pegawai (or other record).
    TidakDitemukan,
    /// What the officer typed is not valid; the message names the field and the value.
    MasukanTidakSah,
    /// The replica file or its key failed.
    Replika,
    /// The settings are missing or wrong (no hub, no issuer, unreadable `pengaturan.toml`, no keyring).
    Konfigurasi,
    /// Anything else (a bug): the message says to report it.
    Internal,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// What kind of error (closed set).
    pub code: KodeGalat,
    /// A full Indonesian sentence that says what happened and what to do next.
    pub message: String,
}

impl AppError {
    /// An error with `code` and `message`.
    pub fn new(code: KodeGalat, message: impl Into<String>) -> AppError {
        AppError { code, message: message.into() }
    }

    /// [`KodeGalat::MasukanTidakSah`] naming `field` and the raw `value` typed, with what is expected.
    pub fn masukan(field: &str, value: &str, expected: &str) -> AppError {
        let shown: String = value.chars().take(80).collect();
        AppError::new(KodeGalat::MasukanTidakSah, format!("{field} \"{shown}\" tidak sah: {expected}."))
    }

    /// [`KodeGalat::Internal`]: a failure that should not happen (a task panicked, …).
    pub fn internal(what: impl std::fmt::Display) -> AppError {
        AppError::new(
            KodeGalat::Internal,
            format!("Terjadi galat internal ({what}). Muat ulang aplikasi; bila berulang, laporkan ke admin instansi."),
        )
    }

    /// [`KodeGalat::BelumMasuk`] with the standard sentence.
    pub fn belum_masuk() -> AppError {
        AppError::new(KodeGalat::BelumMasuk, "Anda belum masuk. Masuk dengan SSO ASN saat tersambung ke jaringan.")
    }
}

/// A sentence: first letter upper-case, ending with a full stop.
pub(crate) fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<SsoError> for AppError {
    fn from(error: SsoError) -> AppError {
        let code = match &error {
            SsoError::Discovery { .. } | SsoError::Network(_) => KodeGalat::Luring,
            SsoError::SignInAgain(_) | SsoError::TimedOut(_) | SsoError::Mismatch(_) | SsoError::IdToken(_) => {
                KodeGalat::MasukUlang
            }
            SsoError::Denied(_) => KodeGalat::Ditolak,
            SsoError::Unsupported(_) | SsoError::Provider(_) => KodeGalat::Konfigurasi,
        };
        AppError::new(code, sentence(&error.to_string()))
    }
}

impl From<SessionError> for AppError {
    fn from(error: SessionError) -> AppError {
        match error {
            SessionError::Sso(sso) => sso.into(),
            SessionError::Replica(store) => store.into(),
            SessionError::NotSignedIn => AppError::belum_masuk(),
            SessionError::SignInAgain(_) => AppError::new(KodeGalat::MasukUlang, sentence(&error.to_string())),
            SessionError::ReplicaOfAnotherOfficer(_) | SessionError::OwnerAccountChanged(_) => {
                AppError::new(KodeGalat::Ditolak, sentence(&error.to_string()))
            }
        }
    }
}

impl From<sync::engine::SyncError> for AppError {
    fn from(error: sync::engine::SyncError) -> AppError {
        use sync::engine::SyncError;
        let code = match &error {
            SyncError::Unauthorized { .. } => KodeGalat::MasukUlang,
            SyncError::Forbidden { .. } => KodeGalat::Ditolak,
            SyncError::Hub { status: 403, .. } => KodeGalat::Ditolak,
            SyncError::Local(_) => {
                tracing::warn!(error = %error, "sinkronisasi: replika lokal gagal");
                return AppError::new(
                    KodeGalat::Replika,
                    "Replika lokal gagal dibaca atau ditulis saat sinkronisasi. Tutup aplikasi lain yang memakai \
                     folder data ini lalu coba lagi; bila berulang, hubungi admin instansi.",
                );
            }
            _ if error.is_transient() => KodeGalat::Luring,
            SyncError::Hub { .. } | SyncError::Protocol(_) => KodeGalat::Internal,
        };
        if code == KodeGalat::Luring {
            // The transport's own text (URL, OS error) helps support, not the officer: it goes to the log.
            tracing::info!(error = %error, "sinkronisasi: hub tidak terjangkau");
            return AppError::new(
                code,
                "Hub tidak dapat dihubungi: jaringan terputus, atau hub sedang tidak berjalan. Pekerjaan tetap \
                 tersimpan di perangkat ini dan dikirim saat hub terjangkau.",
            );
        }
        AppError::new(code, sentence(&error.to_string()))
    }
}

impl From<SyncFailure> for AppError {
    fn from(error: SyncFailure) -> AppError {
        match error {
            SyncFailure::Session(session) => session.into(),
            SyncFailure::Sync(sync) => sync.into(),
            SyncFailure::Replica(store) => store.into(),
            SyncFailure::Locked { .. } | SyncFailure::Roster(_) => {
                AppError::new(KodeGalat::Ditolak, sentence(&error.to_string()))
            }
            SyncFailure::Registration(ref reason) => {
                // The transport's words for a network failure (`sync::driver::HttpTransport`).
                let code =
                    if reason.starts_with("hub tidak terjangkau") { KodeGalat::Luring } else { KodeGalat::Ditolak };
                AppError::new(code, sentence(&error.to_string()))
            }
        }
    }
}

impl From<store::Error> for AppError {
    /// Every store error but a refused edit ([`edit_error`]). The store's own (English) words are logged by kind,
    /// never shown: the message is Indonesian and says what to do.
    fn from(error: store::Error) -> AppError {
        match error {
            store::Error::NotFound(what) => AppError::new(
                KodeGalat::TidakDitemukan,
                format!("Tidak ditemukan: {what}. Periksa kembali, atau sinkronkan bila data baru ada di hub."),
            ),
            store::Error::CorruptDocument { .. } => {
                tracing::warn!("dokumen rusak di replika (dikarantina)");
                AppError::new(
                    KodeGalat::Replika,
                    "Data pegawai ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.",
                )
            }
            store::Error::NewerSchema { found, supported } => AppError::new(
                KodeGalat::Konfigurasi,
                format!(
                    "Replika lokal dibuat oleh versi aplikasi yang lebih baru (skema {found}, aplikasi ini {supported}). \
                     Perbarui aplikasi SIASN Luring, lalu buka lagi."
                ),
            ),
            store::Error::Shape(_) => {
                tracing::warn!(jenis = "shape", "data replika tidak sesuai bentuk rekaman pegawai");
                AppError::internal("data replika tidak sesuai bentuk rekaman pegawai")
            }
            store::Error::ImportRunning => AppError::new(
                KodeGalat::Replika,
                "Impor lain sedang berjalan pada replika ini. Tunggu sampai selesai, lalu coba lagi.",
            ),
            other => {
                tracing::warn!(error = %other, "replika lokal gagal dibaca atau ditulis");
                AppError::new(
                    KodeGalat::Replika,
                    "Replika lokal gagal dibaca atau ditulis. Tutup aplikasi lain yang memakai folder data ini lalu \
                     coba lagi; bila berulang, hubungi admin instansi.",
                )
            }
        }
    }
}

/// The error of an officer's edit (`kontak_ubah`): a value the record refuses ([`store::Error::Shape`]) is the
/// officer's input ([`KodeGalat::MasukanTidakSah`]); the rest as [`From<store::Error>`].
pub(crate) fn edit_error(error: store::Error) -> AppError {
    match error {
        store::Error::Shape(_) => AppError::new(
            KodeGalat::MasukanTidakSah,
            "Perubahan ini membuat data pegawai tidak sah, jadi tidak disimpan. Periksa isian lalu simpan lagi.",
        ),
        other => other.into(),
    }
}

/// The error of loading a profile: a document that does not read as a pegawai is damaged on this device, like a
/// corrupt one (repaired by syncing).
pub(crate) fn profil_error(error: store::Error) -> AppError {
    match error {
        store::Error::Shape(_) => {
            tracing::warn!(jenis = "shape", "dokumen pegawai tidak terbaca sebagai rekaman pegawai");
            AppError::new(
                KodeGalat::Replika,
                "Data pegawai ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.",
            )
        }
        other => other.into(),
    }
}

impl From<ReplicaError> for AppError {
    fn from(error: ReplicaError) -> AppError {
        if let ReplicaError::Store { source, .. } = error {
            // The store's words are English: its own mapping (a newer schema says "update the app").
            return source.into();
        }
        let code = match &error {
            ReplicaError::NotFound(_) => KodeGalat::BelumMasuk,
            ReplicaError::Secret(SecretError::Unavailable(_)) => KodeGalat::Konfigurasi,
            _ => KodeGalat::Replika,
        };
        AppError::new(code, sentence(&error.to_string()))
    }
}

impl From<SecretError> for AppError {
    fn from(error: SecretError) -> AppError {
        AppError::new(KodeGalat::Konfigurasi, sentence(&error.to_string()))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> AppError {
        // The panic's own words may be English or hold values: logged by kind only.
        tracing::error!(dibatalkan = error.is_cancelled(), "tugas latar berhenti");
        AppError::internal("tugas latar berhenti")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The I/O error inside a store error (`rusqlite` is not a dependency of `app`).
    fn io_error() -> std::io::Error {
        std::io::Error::other("disk full")
    }

    #[test]
    fn network_trouble_is_luring_and_a_refused_session_asks_for_a_sign_in() {
        let offline: AppError = SsoError::Network("connection refused".into()).into();
        assert_eq!(offline.code, KodeGalat::Luring);
        let gave_up: AppError =
            sync::engine::SyncError::Hub { status: 0, code: "?".into(), message: "x".into() }.into();
        assert_eq!(gave_up.code, KodeGalat::Luring);
        assert!(gave_up.message.starts_with("Hub tidak dapat dihubungi"), "{}", gave_up.message);
        assert!(!gave_up.message.contains("unavailable"), "the transport's text stays in the log: {}", gave_up.message);
        let ended: AppError = SessionError::SignInAgain("invalid_grant".into()).into();
        assert_eq!(ended.code, KodeGalat::MasukUlang);
        assert!(ended.message.starts_with('S') && ended.message.ends_with('.'), "{}", ended.message);
        let missing: AppError = store::Error::NotFound("pegawai dengan NIP 1".into()).into();
        assert_eq!(missing.code, KodeGalat::TidakDitemukan);
        let corrupt: AppError = store::Error::CorruptDocument { id: "x".into(), reason: "bad chunk".into() }.into();
        assert_eq!(corrupt.code, KodeGalat::Replika);
        assert!(corrupt.message.starts_with("Data pegawai ini rusak di perangkat"), "{}", corrupt.message);
        let newer: AppError = store::Error::NewerSchema { found: 9, supported: 3 }.into();
        assert_eq!(newer.code, KodeGalat::Konfigurasi);
        assert!(newer.message.contains("Perbarui aplikasi"), "{}", newer.message);
        let shape = || store::Error::Shape("invalid type: string, expected u8".into());
        let read: AppError = shape().into();
        assert_eq!(read.code, KodeGalat::Internal, "a shape error outside an edit is not the officer's input");
        assert!(!read.message.contains("invalid type"), "no English: {}", read.message);
        assert_eq!(edit_error(shape()).code, KodeGalat::MasukanTidakSah);
        assert_eq!(profil_error(shape()).code, KodeGalat::Replika);
        let sqlite: AppError = store::Error::Io(io_error()).into();
        assert_eq!(sqlite.code, KodeGalat::Replika);
        let typed = AppError::masukan("Nomor HP", "08x", "hanya angka");
        assert!(typed.message.contains("Nomor HP") && typed.message.contains("\"08x\""), "{}", typed.message);
    }
}
