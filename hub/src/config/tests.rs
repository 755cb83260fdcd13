//! Unit tests of the configuration layers: precedence, defaults, errors, and the example file.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    move |name| map.get(name).cloned()
}

#[test]
fn defaults_fill_what_no_source_sets() {
    let flags = ConfigLayer { data_dir: Some(PathBuf::from("/srv/hub")), ..ConfigLayer::default() };
    let config = HubConfig::resolve(None, &env(&[]), flags).unwrap();
    assert_eq!(config.listen, DEFAULT_LISTEN.parse().unwrap());
    assert_eq!(config.data_dir, PathBuf::from("/srv/hub"));
    assert_eq!(config.client_id, "luring-desktop");
    assert_eq!(config.issuer, None);
    assert_eq!(config.audience, None);
    assert_eq!(config.log, "info");
    assert!(matches!(config.require_issuer(), Err(ConfigError::Missing { key: "issuer", .. })));
}

#[test]
fn flags_win_over_environment_which_wins_over_the_file() {
    let file = ConfigLayer::from_toml(
        r#"
        listen = "127.0.0.1:9000"
        data_dir = "/data/file"
        issuer = "http://file.example/realms/x"
        client_id = "from-file"
        log = "debug"
        "#,
    )
    .unwrap();
    let environment = ConfigLayer::from_env(&env(&[
        ("LURING_HUB_LISTEN", "127.0.0.1:9001"),
        ("LURING_HUB_ISSUER", "http://env.example/realms/x"),
        ("LURING_HUB_AUDIENCE", "luring-hub"),
        ("LURING_HUB_LOG", ""),
    ]))
    .unwrap();
    let flags = ConfigLayer { listen: Some("127.0.0.1:9002".parse().unwrap()), ..ConfigLayer::default() };
    let config = HubConfig::from_layer(file.overridden_by(environment).overridden_by(flags)).unwrap();
    assert_eq!(config.listen.port(), 9002);
    assert_eq!(config.data_dir, PathBuf::from("/data/file"));
    assert_eq!(config.issuer.as_deref(), Some("http://env.example/realms/x"));
    assert_eq!(config.client_id, "from-file");
    assert_eq!(config.audience.as_deref(), Some("luring-hub"));
    assert_eq!(config.log, "debug", "an empty variable counts as unset");
}

#[test]
fn problems_are_reported_with_what_to_do() {
    let unknown = ConfigLayer::from_toml("listen = \"127.0.0.1:1\"\nlisten_port = 3").unwrap_err();
    assert!(unknown.contains("listen_port"), "{unknown}");
    let bad = ConfigLayer::from_env(&env(&[("LURING_HUB_LISTEN", "localhost")])).unwrap_err();
    assert!(bad.to_string().contains("LURING_HUB_LISTEN"), "{bad}");
    let missing = HubConfig::resolve(None, &env(&[]), ConfigLayer::default()).unwrap_err();
    assert!(missing.to_string().contains("--data"), "{missing}");
    let empty = ConfigLayer { data_dir: Some("/x".into()), issuer: Some(" ".into()), ..ConfigLayer::default() };
    assert!(matches!(HubConfig::from_layer(empty), Err(ConfigError::Invalid { key: "issuer", .. })));
}

#[test]
fn the_example_file_is_valid_and_documents_every_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("luring-hub.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let layer = ConfigLayer::from_file(&path).unwrap();
    assert!(layer.data_dir.is_some_and(|dir| dir.starts_with(path.parent().unwrap())), "relative to the file");
    for (key, variable) in ENV_KEYS {
        assert!(text.contains(&format!("{key} =")), "the example shows `{key}`");
        assert!(text.contains(variable), "the example names {variable}");
        assert!(include_str!("../config.rs").contains(variable), "the module doc names {variable}");
    }
}

#[test]
fn siasn_defaults_and_layers() {
    let flags = ConfigLayer { data_dir: Some(PathBuf::from("/srv/hub")), ..ConfigLayer::default() };
    let config = HubConfig::resolve(None, &env(&[]), flags.clone()).unwrap();
    let siasn = &config.siasn;
    assert_eq!(siasn.base_url, "https://apimws.bkn.go.id:8243");
    assert_eq!(siasn.apim_token_url, "https://apimws.bkn.go.id/oauth2/token");
    assert_eq!((siasn.konkurensi, siasn.per_detik, siasn.timeout.as_secs()), (8, 10.0, 60));
    assert_eq!((siasn.jadwal_menit, siasn.pensiun_bulan), (0, 12));
    assert_eq!(siasn.endpoint.len(), 11);

    let file = ConfigLayer::from_toml(
        r#"
        data_dir = "/data"
        [siasn]
        base_url = "http://127.0.0.1:9500"
        consumer_key = "kunci-file"
        konkurensi = 4
        jadwal_menit = 60
        instansi = ["A1"]
        endpoint = ["data-utama", "rw-jabatan"]
        "#,
    )
    .unwrap();
    let environment = ConfigLayer::from_env(&env(&[
        ("LURING_HUB_SIASN_CONSUMER_KEY", "kunci-env"),
        ("LURING_HUB_SIASN_PER_DETIK", "2.5"),
        ("LURING_HUB_SIASN_INSTANSI", "A1, B2"),
    ]))
    .unwrap();
    let config = HubConfig::from_layer(file.overridden_by(environment)).unwrap();
    let siasn = &config.siasn;
    assert_eq!(siasn.base_url, "http://127.0.0.1:9500");
    assert_eq!(siasn.consumer_key.as_deref(), Some("kunci-env"));
    assert_eq!((siasn.konkurensi, siasn.per_detik), (4, 2.5));
    assert_eq!(siasn.instansi, vec!["A1".to_owned(), "B2".to_owned()]);
    assert_eq!(siasn.endpoint, vec!["data-utama".to_owned(), "rw-jabatan".to_owned()]);

    let unknown = ConfigLayer::from_toml("[siasn]\nconsumer_secret = \"x\"").unwrap_err();
    assert!(unknown.contains("consumer_secret"), "no secrets in the file: {unknown}");
    let bad = ConfigLayer::from_env(&env(&[("LURING_HUB_SIASN_KONKURENSI", "banyak")])).unwrap_err();
    assert!(bad.to_string().contains("LURING_HUB_SIASN_KONKURENSI"), "{bad}");
    let layer = |siasn: SiasnLayer| ConfigLayer { siasn: Some(siasn), ..flags.clone() };
    let zero = HubConfig::from_layer(layer(SiasnLayer { konkurensi: Some(0), ..SiasnLayer::default() }));
    assert!(matches!(zero, Err(ConfigError::Invalid { key: "siasn.konkurensi", .. })));
    let endpoint = SiasnLayer { endpoint: Some(vec!["rw-entah".into()]), ..SiasnLayer::default() };
    assert!(matches!(HubConfig::from_layer(layer(endpoint)), Err(ConfigError::Invalid { key: "siasn.endpoint", .. })));
    let schedule = SiasnLayer { jadwal_menit: Some(30), ..SiasnLayer::default() };
    let error = HubConfig::from_layer(layer(schedule)).unwrap_err();
    assert!(error.to_string().contains("instansi"), "{error}");
}

#[test]
fn siasn_secrets_come_from_the_environment_or_files_only_when_a_client_is_built() {
    let dir = std::env::temp_dir().join(format!("luring-hub-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("secret.txt"), "rahasia-berkas\n").unwrap();
    std::fs::write(dir.join("sso.json"), r#"{"access_token": "eyJ.token-berkas.x", "expires_in": 300}"#).unwrap();
    let config_file = dir.join("hub.toml");
    std::fs::write(
        &config_file,
        "data_dir = \"data\"\n[siasn]\nconsumer_key = \"k\"\nconsumer_secret_file = \"secret.txt\"\n\
         sso_token_file = \"sso.json\"\n",
    )
    .unwrap();
    let config = HubConfig::resolve(Some(&config_file), &env(&[]), ConfigLayer::default()).unwrap();
    assert_eq!(config.siasn.consumer_secret_file, Some(dir.join("secret.txt")), "relative to the file");
    let printed = format!("{config:?}");
    assert!(!printed.contains("rahasia"), "the configuration holds no secret: {printed}");
    let client = config.siasn.client_config(&env(&[])).unwrap();
    assert_eq!(client.consumer_secret, "rahasia-berkas");
    assert!(matches!(&client.sso, SsoSource::Token(token) if token == "eyJ.token-berkas.x"));
    assert!(config.siasn.sso_source_text(&env(&[])).unwrap().contains("sso.json"));

    let lookup = env(&[(ENV_CONSUMER_SECRET, "rahasia-env"), (ENV_SSO_TOKEN, "eyJ.token-env.x")]);
    let client = config.siasn.client_config(&lookup).unwrap();
    assert_eq!(client.consumer_secret, "rahasia-env", "the variable wins");
    assert!(matches!(&client.sso, SsoSource::Token(token) if token == "eyJ.token-env.x"));

    let mut password = config.siasn.clone();
    password.sso_token_file = None;
    password.sso_username = Some("198501012010011001".into());
    let missing = password.client_config(&env(&[])).unwrap_err();
    assert!(missing.to_string().contains("LURING_HUB_SIASN_SSO_PASSWORD"), "{missing}");
    password.sso_client_id = Some("instansi-x".into());
    let client = password.client_config(&env(&[(ENV_SSO_PASSWORD, "sandi")])).unwrap();
    assert!(matches!(&client.sso, SsoSource::Password { password, .. } if password == "sandi"));

    let mut none = password.clone();
    none.sso_username = None;
    let missing = none.client_config(&env(&[])).unwrap_err();
    assert!(missing.to_string().contains("sso_token_file"), "{missing}");
    none.consumer_key = None;
    assert!(matches!(none.client_config(&env(&[])), Err(ConfigError::SiasnMissing { .. })));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_example_file_documents_the_siasn_keys() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("luring-hub.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[siasn]"));
    for (key, variable) in SIASN_ENV_KEYS {
        assert!(text.contains(&format!("{key} =")), "the example shows `{key}`");
        assert!(text.contains(variable), "the example names {variable}");
        assert!(include_str!("../config.rs").contains(variable), "the module doc names {variable}");
    }
    for variable in [ENV_CONSUMER_SECRET, ENV_SSO_TOKEN, ENV_SSO_PASSWORD] {
        assert!(text.contains(variable), "the example names {variable}");
    }
}
