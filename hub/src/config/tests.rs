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
