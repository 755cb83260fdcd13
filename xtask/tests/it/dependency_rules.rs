//! The dependency rules of DESIGN §2 (house style §2.3), checked over `cargo metadata`'s resolved graph.
//!
//! Edges are normal and build dependencies (dev-dependencies don't ship), followed transitively unless a rule says
//! "directly". A failure names the rule and the offending path of packages, such as `app -> store -> tauri`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::process::Command;

use serde_json::Value;

/// External crates doing IO that `model`, the pure domain crate, must never pull in.
const MODEL_FORBIDDEN: &[&str] = &["rusqlite", "libsqlite3-sys", "tokio", "reqwest", "axum", "hyper", "tauri"];

/// Tauri and the web view stack under it: only `desktop` may pull any of them in (`app` included never).
const TAURI_CRATES: &[&str] = &["tauri", "tauri-runtime", "tauri-specta", "wry", "tao", "webkit2gtk"];

/// The SQLite crates that only `store` and `hub` may depend on directly.
const SQLITE_CRATES: &[&str] = &["rusqlite", "libsqlite3-sys"];

/// Grab-bag names no workspace crate may have.
const FORBIDDEN_CRATE_NAMES: &[&str] = &["common", "utils", "helpers", "shared"];

/// Every rule, by the short name that a [`Violation`] carries.
const RULES: &[&str] = &[
    ONLY_DESKTOP_ON_TAURI,
    MODEL_NO_IO,
    MODEL_NO_WORKSPACE_CRATE,
    HUB_NOT_ON_STORE_OR_APP,
    APP_NOT_ON_DESKTOP,
    DESKTOP_ONLY_VIA_APP,
    SQLITE_ONLY_IN_STORE_AND_HUB,
    NO_GRAB_BAG_CRATE,
];
const ONLY_DESKTOP_ON_TAURI: &str = "only `desktop` may depend on `tauri`";
const MODEL_NO_IO: &str = "`model` does no IO: it depends on no IO crate";
const MODEL_NO_WORKSPACE_CRATE: &str = "`model` depends on no workspace crate";
const HUB_NOT_ON_STORE_OR_APP: &str = "`hub` never depends on `store` or `app`";
const APP_NOT_ON_DESKTOP: &str = "`app` never depends on `tauri` or `desktop`";
const DESKTOP_ONLY_VIA_APP: &str =
    "`desktop` does not depend directly on `sync`, `store` or `model` (only through `app`)";
const SQLITE_ONLY_IN_STORE_AND_HUB: &str = "only `store` and `hub` depend directly on `rusqlite`/`libsqlite3-sys`";
const NO_GRAB_BAG_CRATE: &str = "no crate is named `common`, `utils`, `helpers` or `shared`";

/// A resolved dependency graph: workspace members and, for every package, its normal and build dependencies.
#[derive(Debug, Default)]
struct Graph {
    /// Package id → package name.
    names: BTreeMap<String, String>,
    /// Package id → ids of its normal and build dependencies.
    deps: BTreeMap<String, BTreeSet<String>>,
    /// Workspace member name → package id.
    members: BTreeMap<String, String>,
}

impl Graph {
    /// Reads the output of `cargo metadata --format-version 1`.
    fn from_metadata(metadata: &Value) -> Result<Self, String> {
        let mut graph = Self::default();
        for package in array(metadata, "packages")? {
            graph.names.insert(string(package, "id")?, string(package, "name")?);
        }
        for id in array(metadata, "workspace_members")? {
            let id = id.as_str().ok_or("a workspace member id is not a string")?;
            let name = graph.names.get(id).ok_or_else(|| format!("workspace member {id} is not among the packages"))?;
            graph.members.insert(name.clone(), id.to_owned());
        }
        let resolve = metadata.get("resolve").ok_or("no `resolve` in cargo metadata")?;
        for node in array(resolve, "nodes")? {
            let id = string(node, "id")?;
            let mut deps = BTreeSet::new();
            for dep in array(node, "deps")? {
                let shipped = array(dep, "dep_kinds")?.iter().any(|kind| {
                    matches!(kind.get("kind"), None | Some(Value::Null))
                        || kind.get("kind").and_then(Value::as_str) == Some("build")
                });
                if shipped {
                    deps.insert(string(dep, "pkg")?);
                }
            }
            graph.deps.insert(id, deps);
        }
        Ok(graph)
    }

    /// A graph whose package ids are their names, for hand-made test graphs.
    #[cfg(test)]
    fn from_edges(members: &[&str], edges: &[(&str, &str)]) -> Self {
        let mut graph = Self::default();
        for (from, to) in edges {
            for name in [from, to] {
                graph.names.insert((*name).to_owned(), (*name).to_owned());
            }
            graph.deps.entry((*from).to_owned()).or_default().insert((*to).to_owned());
        }
        for member in members {
            graph.names.insert((*member).to_owned(), (*member).to_owned());
            graph.members.insert((*member).to_owned(), (*member).to_owned());
        }
        graph
    }

    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }

    /// The shortest dependency path from `from` to a package named `to` (both ends included), if any.
    fn path(&self, from: &str, to: &str) -> Option<Vec<String>> {
        let start = self.members.get(from)?;
        let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([start.as_str()]);
        let mut seen = BTreeSet::from([start.as_str()]);
        while let Some(id) = queue.pop_front() {
            for dep in self.deps.get(id).into_iter().flatten() {
                if !seen.insert(dep.as_str()) {
                    continue;
                }
                parent.insert(dep.as_str(), id);
                if self.name(dep) == to {
                    let mut path = vec![self.name(dep).to_owned()];
                    let mut current = dep.as_str();
                    while let Some(previous) = parent.get(current) {
                        path.push(self.name(previous).to_owned());
                        current = previous;
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(dep.as_str());
            }
        }
        None
    }

    /// Whether workspace member `from` depends directly on a package named `to`.
    fn depends_directly(&self, from: &str, to: &str) -> bool {
        self.members
            .get(from)
            .and_then(|id| self.deps.get(id))
            .is_some_and(|deps| deps.iter().any(|dep| self.name(dep) == to))
    }
}

/// One broken rule, with the packages that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    rule: &'static str,
    path: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule broken: {}\n    path: {}", self.rule, self.path.join(" -> "))
    }
}

/// Checks every rule of DESIGN §2 and returns what breaks them.
fn check(graph: &Graph) -> Vec<Violation> {
    let mut violations = Vec::new();
    let mut transitive = |rule, from: &str, to: &str| {
        if let Some(path) = graph.path(from, to) {
            violations.push(Violation { rule, path });
        }
    };
    for member in graph.members.keys().filter(|member| *member != "desktop") {
        for tauri in TAURI_CRATES {
            transitive(ONLY_DESKTOP_ON_TAURI, member, tauri);
        }
    }
    for forbidden in MODEL_FORBIDDEN {
        transitive(MODEL_NO_IO, "model", forbidden);
    }
    for member in graph.members.keys().filter(|member| *member != "model") {
        transitive(MODEL_NO_WORKSPACE_CRATE, "model", member);
    }
    for forbidden in ["store", "app"] {
        transitive(HUB_NOT_ON_STORE_OR_APP, "hub", forbidden);
    }
    for forbidden in TAURI_CRATES.iter().copied().chain(["desktop"]) {
        transitive(APP_NOT_ON_DESKTOP, "app", forbidden);
    }
    let mut direct = |rule, from: &str, to: &str| {
        if graph.depends_directly(from, to) {
            violations.push(Violation { rule, path: vec![from.to_owned(), to.to_owned()] });
        }
    };
    for forbidden in ["sync", "store", "model"] {
        direct(DESKTOP_ONLY_VIA_APP, "desktop", forbidden);
    }
    for member in graph.members.keys().filter(|member| !["store", "hub"].contains(&member.as_str())) {
        for sqlite in SQLITE_CRATES {
            direct(SQLITE_ONLY_IN_STORE_AND_HUB, member, sqlite);
        }
    }
    for member in graph.members.keys() {
        if FORBIDDEN_CRATE_NAMES.contains(&member.as_str()) {
            violations.push(Violation { rule: NO_GRAB_BAG_CRATE, path: vec![member.clone()] });
        }
    }
    violations
}

fn array<'a>(value: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
    value.get(key).and_then(Value::as_array).ok_or_else(|| format!("cargo metadata: `{key}` is not an array"))
}

fn string(value: &Value, key: &str) -> Result<String, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("cargo metadata: `{key}` is not a string"))
}

#[test]
fn the_workspace_keeps_the_dependency_rules() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(crate::workspace_root())
        .output()
        .expect("cargo metadata starts");
    assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let graph = Graph::from_metadata(&metadata).expect("cargo metadata has the expected shape");
    // Guard against checking an empty graph, which would pass every rule.
    for member in ["model", "xtask"] {
        assert!(graph.members.contains_key(member), "`{member}` is not a workspace member");
    }
    assert!(graph.path("xtask", "serde_json").is_some(), "the graph lost xtask's dependency on serde_json");
    let violations = check(&graph);
    let report: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert!(
        violations.is_empty(),
        "{} dependency rule(s) of DESIGN §2 broken:\n{}",
        violations.len(),
        report.join("\n")
    );
}

/// The intended shape of the workspace (DESIGN §2), small enough to read.
const MEMBERS: &[&str] = &["model", "sync", "store", "hub", "app", "desktop", "cli", "xtask"];
const GOOD_EDGES: &[(&str, &str)] = &[
    ("model", "serde"),
    ("model", "chrono"),
    ("sync", "automerge"),
    ("sync", "tokio"),
    ("store", "sync"),
    ("store", "model"),
    ("store", "rusqlite"),
    ("rusqlite", "libsqlite3-sys"),
    ("hub", "model"),
    ("hub", "sync"),
    ("hub", "axum"),
    ("hub", "rusqlite"),
    ("axum", "hyper"),
    ("app", "model"),
    ("app", "sync"),
    ("app", "store"),
    ("desktop", "app"),
    ("desktop", "tauri"),
    ("cli", "app"),
    ("xtask", "serde_json"),
];

/// The rules broken by the good graph plus `extra` edges, with `extra_members`.
fn broken(extra_members: &[&str], extra: &[(&str, &str)]) -> Vec<Violation> {
    let members: Vec<&str> = MEMBERS.iter().chain(extra_members).copied().collect();
    let edges: Vec<(&str, &str)> = GOOD_EDGES.iter().chain(extra).copied().collect();
    check(&Graph::from_edges(&members, &edges))
}

fn violation(rule: &'static str, path: &[&str]) -> Violation {
    Violation { rule, path: path.iter().map(|name| (*name).to_owned()).collect() }
}

#[test]
fn the_intended_shape_passes() {
    assert_eq!(broken(&[], &[]), []);
}

#[test]
fn only_desktop_may_reach_tauri() {
    let found = broken(&[], &[("cli", "tray"), ("tray", "tauri")]);
    assert_eq!(found, [violation(ONLY_DESKTOP_ON_TAURI, &["cli", "tray", "tauri"])]);
}

#[test]
fn model_does_no_io() {
    let found = broken(&[], &[("model", "csv-async"), ("csv-async", "tokio")]);
    assert_eq!(found, [violation(MODEL_NO_IO, &["model", "csv-async", "tokio"])]);
    let found = broken(&[], &[("model", "rusqlite")]);
    assert!(found.contains(&violation(MODEL_NO_IO, &["model", "rusqlite"])));
    assert!(found.contains(&violation(MODEL_NO_IO, &["model", "rusqlite", "libsqlite3-sys"])));
    assert!(found.contains(&violation(SQLITE_ONLY_IN_STORE_AND_HUB, &["model", "rusqlite"])));
}

#[test]
fn model_depends_on_no_workspace_crate() {
    let found = broken(&[], &[("model", "sync")]);
    // Through sync, model also reaches tokio.
    assert!(found.contains(&violation(MODEL_NO_WORKSPACE_CRATE, &["model", "sync"])));
    assert!(found.contains(&violation(MODEL_NO_IO, &["model", "sync", "tokio"])));
}

#[test]
fn hub_never_reaches_store_or_app() {
    let found = broken(&[], &[("hub", "store")]);
    assert_eq!(found, [violation(HUB_NOT_ON_STORE_OR_APP, &["hub", "store"])]);
    let found = broken(&[], &[("hub", "cli")]);
    assert_eq!(
        found,
        [
            violation(HUB_NOT_ON_STORE_OR_APP, &["hub", "cli", "app", "store"]),
            violation(HUB_NOT_ON_STORE_OR_APP, &["hub", "cli", "app"])
        ]
    );
}

#[test]
fn app_never_reaches_desktop() {
    let found = broken(&[], &[("app", "desktop")]);
    assert!(found.contains(&violation(APP_NOT_ON_DESKTOP, &["app", "desktop"])));
    assert!(found.contains(&violation(APP_NOT_ON_DESKTOP, &["app", "desktop", "tauri"])));
    assert!(found.contains(&violation(ONLY_DESKTOP_ON_TAURI, &["app", "desktop", "tauri"])));
}

#[test]
fn desktop_reaches_the_core_only_through_app() {
    let found = broken(&[], &[("desktop", "store")]);
    assert_eq!(found, [violation(DESKTOP_ONLY_VIA_APP, &["desktop", "store"])]);
}

#[test]
fn only_store_and_hub_use_sqlite_directly() {
    let found = broken(&[], &[("cli", "libsqlite3-sys")]);
    assert_eq!(found, [violation(SQLITE_ONLY_IN_STORE_AND_HUB, &["cli", "libsqlite3-sys"])]);
}

#[test]
fn no_crate_is_a_grab_bag() {
    let found = broken(&["utils"], &[]);
    assert_eq!(found, [violation(NO_GRAB_BAG_CRATE, &["utils"])]);
}

#[test]
fn every_rule_has_a_failing_example() {
    let mut failing: Vec<&str> = [
        broken(&[], &[("cli", "tauri")]),
        broken(&[], &[("model", "hyper")]),
        broken(&[], &[("model", "sync")]),
        broken(&[], &[("hub", "app")]),
        broken(&[], &[("app", "desktop")]),
        broken(&[], &[("desktop", "model")]),
        broken(&[], &[("app", "rusqlite")]),
        broken(&["helpers"], &[]),
    ]
    .iter()
    .flatten()
    .map(|violation| violation.rule)
    .collect();
    failing.sort_unstable();
    failing.dedup();
    let mut rules = RULES.to_vec();
    rules.sort_unstable();
    assert_eq!(failing, rules);
}

#[test]
fn only_normal_and_build_dependencies_count() {
    let metadata = serde_json::json!({
        "packages": [
            {"id": "app 0.0.0", "name": "app"},
            {"id": "tauri 2.0.0", "name": "tauri"},
            {"id": "tauri-build 2.0.0", "name": "tauri-build"},
            {"id": "insta 1.0.0", "name": "insta"},
        ],
        "workspace_members": ["app 0.0.0"],
        "resolve": {"nodes": [
            {"id": "app 0.0.0", "deps": [
                {"pkg": "insta 1.0.0", "dep_kinds": [{"kind": "dev", "target": null}]},
                {"pkg": "tauri-build 2.0.0", "dep_kinds": [{"kind": "build", "target": null}]},
            ]},
            {"id": "tauri-build 2.0.0", "deps": []},
            {"id": "insta 1.0.0", "deps": [
                {"pkg": "tauri 2.0.0", "dep_kinds": [{"kind": null, "target": null}]},
            ]},
            {"id": "tauri 2.0.0", "deps": []},
        ]},
    });
    let graph = Graph::from_metadata(&metadata).expect("the hand-made metadata is well-formed");
    // The dev-dependency on insta, which reaches tauri, does not count; the build dependency does.
    assert_eq!(graph.path("app", "tauri"), None);
    assert_eq!(graph.path("app", "tauri-build"), Some(vec!["app".to_owned(), "tauri-build".to_owned()]));
}
