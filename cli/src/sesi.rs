//! `luring-cli login [--device]`, `logout` and `sesi`: signing the officer in on the replica of `--data`
//! (`app::sso`, `app::session`), out of it, and showing who is signed in.
//!
//! `login` prints the sign-in URL on a line of its own (`--json`: `{"url": …}`) and waits on the loopback redirect
//! `http://127.0.0.1:<port>/callback` (RFC 8252): open the URL in a browser on the same computer, or let a script
//! drive it. `login --device` prints a user code and a page (RFC 8628) and polls until the officer approves it
//! anywhere. With `--hub` the hub's roster gives instansi, peran and izin, and the device is registered. The
//! provider comes from `--sso-issuer`/`LURING_SSO_ISSUER` (and `--sso-client-id`), or from the last sign-in.
//!
//! Tokens are never printed. The refresh token lives in the encrypted replica, its key in the system keyring.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use app::hub::finish_sign_in;
use app::session::{Identity, Session};
use app::sso::{Provider, SsoConfig};
use chrono::Utc;
use clap::Args;

use crate::replika;

/// The options of `luring-cli login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Penerbit (issuer) SSO, mis. https://sso-siasn.bkn.go.id/auth/realms/public-siasn (juga LURING_SSO_ISSUER;
    /// bawaan: penerbit masuk terakhir).
    #[arg(long, env = "LURING_SSO_ISSUER")]
    sso_issuer: Option<String>,
    /// Client id aplikasi di SSO (juga LURING_SSO_CLIENT_ID; bawaan: client masuk terakhir, atau luring-desktop).
    #[arg(long, env = "LURING_SSO_CLIENT_ID")]
    sso_client_id: Option<String>,
    /// Alamat hub (juga LURING_HUB): peran dan instansi dari roster hub, dan perangkat didaftarkan.
    #[arg(long, env = "LURING_HUB")]
    hub: Option<String>,
    /// Masuk dengan kode perangkat (RFC 8628), untuk komputer tanpa peramban yang dapat membuka 127.0.0.1.
    #[arg(long)]
    device: bool,
    /// Nama perangkat saat didaftarkan ke hub (bawaan: nama komputer).
    #[arg(long)]
    device_name: Option<String>,
    /// Batas waktu menunggu petugas menyelesaikan masuk, dalam detik.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Keluaran JSON: satu objek per baris (alamat/kode masuk, lalu identitas).
    #[arg(long)]
    json: bool,
}

/// Runs `login`.
///
/// # Errors
/// No issuer, the provider unreachable, the sign-in refused or not finished in time, the replica failing.
pub fn login(data: Option<&Path>, args: &LoginArgs) -> anyhow::Result<()> {
    // An existing replica is opened now (its last sign-in gives the defaults); a new one only once the sign-in
    // succeeded, so a failed attempt leaves no empty replica (and key) behind.
    let existing = match data {
        Some(folder) if folder.join(replika::FILE_NAME).exists() => Some(replika::open(data, false)?),
        _ => None,
    };
    let stored = match &existing {
        Some(replica) => Session::stored_config(replica).ok().flatten(),
        None => None,
    };
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let Some(issuer) = given(&args.sso_issuer).or_else(|| stored.as_ref().map(|config| config.issuer.clone())) else {
        bail!(
            "penerbit SSO belum ditentukan; tambahkan --sso-issuer <url> atau setel LURING_SSO_ISSUER (lihat README, \
             \"Signing in (SSO)\")"
        );
    };
    let client_id = given(&args.sso_client_id)
        .or_else(|| stored.map(|config| config.client_id).filter(|id| !id.is_empty()))
        .unwrap_or_else(|| "luring-desktop".to_owned());
    let config = SsoConfig { issuer, client_id };
    let session = Session::new(config.clone());
    let timeout = Duration::from_secs(args.timeout.max(1));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tidak dapat menyiapkan runtime jaringan")?;
    let signed_in = runtime.block_on(async {
        let provider: &Provider = session.provider().await?;
        let tokens = if args.device {
            let pending = provider.begin_device().await?;
            if args.json {
                let line = serde_json::json!({
                    "user_code": pending.user_code(),
                    "verification_uri": pending.verification_uri(),
                    "verification_uri_complete": pending.verification_uri_complete(),
                });
                println!("{line}");
            } else {
                println!(
                    "Buka {} di peramban mana saja, lalu masukkan kode: {}",
                    pending.verification_uri(),
                    pending.user_code()
                );
                if let Some(complete) = pending.verification_uri_complete() {
                    println!("(atau langsung: {complete})");
                }
                println!("Menunggu persetujuan (paling lama {} detik)…", timeout.as_secs());
            }
            pending.finish(provider, timeout).await?
        } else {
            let pending = provider.begin_browser().await?;
            if args.json {
                println!("{}", serde_json::json!({ "url": pending.url, "redirect_uri": pending.redirect_uri() }));
            } else {
                println!("Buka alamat ini di peramban pada komputer ini untuk masuk dengan akun SSO BKN:");
                println!("{}", pending.url);
                println!("Menunggu di {} (paling lama {} detik)…", pending.redirect_uri(), timeout.as_secs());
            }
            pending.finish(provider, timeout).await?
        };
        // What makes a sign-in unusable is found before a new replica (and its key) is made for it.
        if tokens.identity.is_none() || tokens.refresh_token.is_none() {
            bail!(
                "penyedia SSO tidak memberi {}; minta BKN mengaktifkan scope offline_access untuk client ini (README, \
                 \"What to request from BKN\")",
                if tokens.identity.is_none() { "token identitas" } else { "token luring (offline_access)" }
            );
        }
        let replica = match existing {
            Some(replica) => replica,
            None => replika::open(data, true)?,
        };
        let signed_in = match &args.hub {
            Some(hub) => {
                let transport = app::hub::transport(hub, &replica)?;
                let name = args.device_name.clone().unwrap_or_else(crate::sync::device_name);
                finish_sign_in(&session, &replica, &transport, &tokens, &name).await?
            }
            None => session.complete_sign_in(&replica, &tokens, None).await?,
        };
        anyhow::Ok(signed_in)
    })?;
    let identity = &signed_in.identity;
    if args.json {
        println!("{}", identity_json(identity));
        return Ok(());
    }
    println!("Masuk sebagai {} (NIP {}).", identity.nama, identity.nip);
    if signed_in.first {
        println!("  Replika di folder ini kini milik akun ini; akun lain memakai folder data sendiri.");
    }
    print_identity(identity);
    Ok(())
}

/// Runs `logout`: revokes the refresh token when the provider answers, forgets the session, keeps local work.
///
/// # Errors
/// The replica failing.
pub fn logout(data: Option<&Path>) -> anyhow::Result<()> {
    let replica = replika::open(data, false)?;
    let Some(config) = Session::stored_config(&replica)? else {
        println!("Tidak ada yang masuk di replika ini.");
        return Ok(());
    };
    let session = Session::new(config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tidak dapat menyiapkan runtime jaringan")?;
    let revoked = runtime.block_on(session.logout(&replica))?;
    let outbox = store::replication::status(&replica)?.outbox_changes;
    println!(
        "Keluar. {}",
        if revoked {
            "Token dicabut di penyedia SSO."
        } else {
            "Penyedia SSO tidak terjangkau: token tidak dapat dicabut, tetapi sudah dihapus dari perangkat ini."
        }
    );
    if outbox > 0 {
        println!("{outbox} perubahan lokal yang belum tersinkron tetap tersimpan; dikirim setelah Anda masuk lagi.");
    }
    Ok(())
}

/// Runs `sesi`: who is signed in and how long offline work is still possible.
///
/// # Errors
/// The replica failing.
pub fn sesi(data: Option<&Path>, json: bool) -> anyhow::Result<()> {
    let replica = replika::open(data, false)?;
    let session = match Session::stored_config(&replica)? {
        Some(config) => Session::new(config),
        None => {
            if json {
                println!("{}", serde_json::json!({ "masuk": false }));
            } else {
                println!("Belum masuk. Jalankan `luring-cli login` saat tersambung.");
            }
            return Ok(());
        }
    };
    let Some(identity) = session.identity(&replica)? else { bail!("sesi tersimpan hilang") };
    let can_sync = session.has_refresh_token(&replica)?;
    let outbox = store::replication::status(&replica)?.outbox_changes;
    if json {
        let mut line = identity_json(&identity);
        line["bisa_sinkron"] = serde_json::Value::Bool(can_sync);
        line["outbox"] = outbox.into();
        println!("{line}");
        return Ok(());
    }
    println!("Masuk sebagai {} (NIP {}).", identity.nama, identity.nip);
    print_identity(&identity);
    if !can_sync {
        println!("Sesi SSO berakhir: masuk (login) lagi saat tersambung sebelum sinkronisasi. Data lokal tetap ada.");
    }
    if outbox > 0 {
        println!("  perubahan lokal menunggu dikirim: {outbox}");
    }
    Ok(())
}

fn print_identity(identity: &Identity) {
    println!("  instansi: {}", identity.instansi_id.as_deref().unwrap_or("(belum diketahui: sinkronkan sekali)"));
    println!(
        "  peran: {}",
        if identity.peran.is_empty() { "(belum diketahui)".to_owned() } else { identity.peran.join(", ") }
    );
    println!("  diverifikasi daring: {}", identity.verified_at.format("%d-%m-%Y %H:%M UTC"));
    let left = identity.offline_remaining(Utc::now());
    if left.is_zero() {
        println!("  kerja luring: batas terlewati; masuk lagi saat tersambung sebelum sinkronisasi");
    } else {
        let hours = left.as_secs() / 3600;
        println!(
            "  kerja luring masih bisa: {} hari {} jam (sampai {})",
            hours / 24,
            hours % 24,
            identity.offline_until().format("%d-%m-%Y %H:%M UTC")
        );
    }
}

fn identity_json(identity: &Identity) -> serde_json::Value {
    serde_json::json!({
        "masuk": true,
        "nip": identity.nip,
        "nama": identity.nama,
        "sub": identity.sub,
        "issuer": identity.issuer,
        "instansi_id": identity.instansi_id,
        "peran": identity.peran,
        "izin": identity.izin,
        "diverifikasi": identity.verified_at.to_rfc3339(),
        "luring_sampai": identity.offline_until().to_rfc3339(),
        "luring_sisa_detik": identity.offline_remaining(Utc::now()).as_secs(),
    })
}
