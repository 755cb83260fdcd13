//! Migrations are append-only (checksum lock) and produce the committed schema (snapshot).

use std::path::PathBuf;

use crate::{TempDir, open};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/sql/hub")
}

#[test]
fn released_migrations_match_their_locked_checksums() {
    let current = hub::migration::checksums();
    if std::env::var_os("UPDATE_SCHEMAS").is_some() && !schemas_dir().join("CHECKSUMS").exists() {
        std::fs::write(schemas_dir().join("CHECKSUMS"), &current).unwrap();
    }
    let locked = std::fs::read_to_string(schemas_dir().join("CHECKSUMS")).unwrap();
    // Every locked line must still be there unchanged; new migrations may add lines.
    for line in locked.lines().filter(|line| !line.trim().is_empty()) {
        assert!(
            current.lines().any(|now| now == line),
            "released migration changed or removed: {line}\n(add a new numbered migration instead)"
        );
    }
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(schemas_dir().join("CHECKSUMS"), &current).unwrap();
    }
    assert_eq!(locked, current, "a new migration is not locked yet: run with UPDATE_SCHEMAS=1");
}

#[test]
fn the_migrated_schema_matches_the_snapshot() {
    let dir = TempDir::new("schema");
    drop(open(&dir));
    let conn = rusqlite::Connection::open(dir.0.join("hub.sqlite")).unwrap();
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let mut snapshot = String::new();
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)))
        .unwrap();
    for row in rows {
        let (kind, name, sql) = row.unwrap();
        snapshot.push_str(&format!("-- {kind} {name}\n{sql};\n\n"));
    }
    let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
    snapshot.push_str(&format!("-- user_version {version}\n"));
    let path = schemas_dir().join("schema.snapshot.sql");
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &snapshot).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(committed, snapshot, "schema changed: review the diff, then run with UPDATE_SCHEMAS=1");
}

#[test]
fn a_database_from_a_newer_hub_is_refused() {
    let dir = TempDir::new("newer");
    drop(open(&dir));
    let conn = rusqlite::Connection::open(dir.0.join("hub.sqlite")).unwrap();
    conn.pragma_update(None, "user_version", hub::migration::latest_version() + 1).unwrap();
    drop(conn);
    let result = hub::Hub::open(&dir.0, hub::HubOptions::default());
    assert!(matches!(result, Err(hub::HubError::Storage(_))), "{result:?}");
}
