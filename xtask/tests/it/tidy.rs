//! Tidy checks over every `.rs` file of the workspace (house style §2.14, §2.15).
//!
//! Each file opens with a `//!` module doc (test files may open with `use`); no `dbg!`, `todo!` or
//! `unimplemented!` outside tests; SQL only under `store/` and `hub/`; no grab-bag files, modules or items
//! (`utils`, `helpers`, `common`, `manager`). Checks are line-based on purpose: cheap, and easy to follow.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Folders never walked: build output, npm packages, and hidden folders such as `.git`.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Macros that must not stay in non-test code.
const FORBIDDEN_MACROS: &[&str] = &["dbg!(", "todo!(", "unimplemented!("];

/// Grab-bag names no file, module or item may have.
const FORBIDDEN_NAMES: &[&str] = &["utils", "helpers", "common", "manager"];

/// Top-level folders whose crates may contain SQL.
const SQL_CRATES: &[&str] = &["store", "hub"];

/// Keywords that introduce a named item.
const ITEM_KEYWORDS: &[&str] =
    &["mod", "fn", "struct", "enum", "union", "trait", "type", "const", "static", "macro_rules!"];

/// Words that may stand before an item keyword.
const ITEM_MODIFIERS: &[&str] = &["async", "unsafe", "extern", "\"C\"", "default", "mut"];

#[test]
fn the_workspace_is_tidy() {
    let root = crate::workspace_root();
    let files = rust_files(&root);
    // Guard against walking the wrong folder, which would pass every check.
    assert!(
        files.contains(&PathBuf::from("xtask/src/main.rs")),
        "the walk of {} did not find xtask/src/main.rs",
        root.display()
    );
    let mut problems = Vec::new();
    for relative in &files {
        let text = fs::read_to_string(root.join(relative))
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", relative.display()));
        problems.extend(check_file(relative, &text));
    }
    assert!(problems.is_empty(), "{} tidy problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Every `.rs` file under `root`, relative to it, sorted.
fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = fs::read_dir(root.join(&relative))
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", relative.display()));
        for entry in entries {
            let entry = entry.expect("a readable folder entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = relative.join(&name);
            let kind = entry.file_type().expect("a file type");
            if kind.is_dir() {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if kind.is_file() && name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The problems of one file, each as `path:line: message`.
fn check_file(relative: &Path, text: &str) -> Vec<String> {
    let shown = relative.display();
    let mut problems = Vec::new();
    let test_file = is_test_file(relative);

    let first = text.lines().enumerate().find(|(_, line)| !line.trim().is_empty());
    match first {
        Some((_, line)) if line.starts_with("//!") => {}
        Some((_, line)) if test_file && line.starts_with("use ") => {}
        Some((index, _)) => problems
            .push(format!("{shown}:{}: the file must open with a `//!` module doc saying what it is for", index + 1)),
        None => problems.push(format!("{shown}:1: empty file: it must open with a `//!` module doc")),
    }

    for component in relative.components() {
        let Component::Normal(name) = component else {
            continue;
        };
        let name = name.to_string_lossy();
        let stem = name.strip_suffix(".rs").unwrap_or(&name);
        if is_forbidden_name(stem) {
            problems.push(format!("{shown}: `{stem}` is a grab-bag name: name the file or folder after what it holds"));
        }
    }

    let sql_allowed = SQL_CRATES.iter().any(|krate| relative.starts_with(krate)) || is_this_file(relative);
    let test_code_from = if test_file { 0 } else { inline_tests_start(text) };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let code = !line.trim_start().starts_with("//");
        if code && index < test_code_from {
            for forbidden in FORBIDDEN_MACROS {
                if line.contains(forbidden) {
                    problems.push(format!("{shown}:{number}: `{forbidden}` left in non-test code"));
                }
            }
        }
        if !sql_allowed && let Some(sql) = sql_in(line) {
            problems.push(format!("{shown}:{number}: SQL (`{sql}`) outside store/ and hub/"));
        }
        if code
            && let Some(name) = item_name(line)
            && is_forbidden_name(name)
        {
            problems.push(format!("{shown}:{number}: item `{name}` has a grab-bag name: name it after what it does"));
        }
    }
    problems
}

/// Files named `tests.rs` and files inside a `tests/` folder hold only tests.
fn is_test_file(relative: &Path) -> bool {
    relative.file_name().is_some_and(|name| name == "tests.rs")
        || relative.parent().is_some_and(|parent| parent.components().any(|part| part.as_os_str() == "tests"))
}

/// This file spells out the SQL patterns it looks for, so it exempts itself from that check.
fn is_this_file(relative: &Path) -> bool {
    relative.starts_with("xtask") && Path::new(file!()).ends_with(relative)
}

/// The index of the line where an inline `#[cfg(test)] mod … {` starts, or past the end if there is none.
fn inline_tests_start(text: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if line.trim() != "#[cfg(test)]" {
            continue;
        }
        let next = lines[index + 1..].iter().find(|next| !next.trim().is_empty());
        if next.is_some_and(|next| {
            let next = next.trim_start();
            (next.starts_with("mod ") || next.starts_with("pub mod ")) && next.trim_end().ends_with('{')
        }) {
            return index;
        }
    }
    lines.len()
}

/// The SQL statement start found on `line`, if any: `CREATE TABLE`, `INSERT INTO`, `DELETE FROM`, or `SELECT … FROM`.
fn sql_in(line: &str) -> Option<&'static str> {
    for keyword in ["CREATE TABLE", "INSERT INTO", "DELETE FROM"] {
        if line.contains(keyword) {
            return Some(keyword);
        }
    }
    let (_, after_select) = line.split_once("SELECT ")?;
    let (selected, _) = after_select.split_once(" FROM ")?;
    (!selected.trim().is_empty()).then_some("SELECT … FROM")
}

/// The name of the item that `line` declares, if it declares one (`pub(crate) fn name(`, `mod name;` …).
fn item_name(line: &str) -> Option<&str> {
    let mut saw_keyword = false;
    for word in line.split_whitespace() {
        if ITEM_KEYWORDS.contains(&word) {
            saw_keyword = true;
            continue;
        }
        if ITEM_MODIFIERS.contains(&word) || (!saw_keyword && word.starts_with("pub")) {
            continue;
        }
        if !saw_keyword {
            return None;
        }
        let end = word.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(word.len());
        let name = &word[..end];
        return (!name.is_empty()).then_some(name);
    }
    None
}

fn is_forbidden_name(name: &str) -> bool {
    FORBIDDEN_NAMES.iter().any(|forbidden| name.eq_ignore_ascii_case(forbidden))
}

/// The problems `check_file` finds in `text` at `path`, for the unit tests below.
fn problems(path: &str, text: &str) -> Vec<String> {
    check_file(Path::new(path), text)
}

#[test]
fn every_file_opens_with_a_module_doc() {
    assert_eq!(problems("model/src/lib.rs", "\n//! The model.\n"), Vec::<String>::new());
    assert_eq!(problems("model/src/lib.rs", "#![allow(x)]\n//! Late.\n").len(), 1);
    assert_eq!(problems("model/src/lib.rs", "use std::fs;\n").len(), 1);
    assert_eq!(problems("model/src/lib.rs", "\n\n").len(), 1);
    // Test files may open with `use`.
    assert_eq!(problems("model/src/date/tests.rs", "use super::*;\n"), Vec::<String>::new());
    assert_eq!(problems("model/tests/it/main.rs", "use model::Pegawai;\n"), Vec::<String>::new());
    assert_eq!(problems("model/tests/it/main.rs", "fn main() {}\n").len(), 1);
}

#[test]
fn debugging_macros_stay_in_tests() {
    let text = "//! Doc.\nfn f() { dbg!(1); }\nfn g() { todo!(\"x\") }\n// A comment may say unimplemented!( .\n";
    let found = problems("sync/src/engine.rs", text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("sync/src/engine.rs:2:"), "{found:?}");
    assert!(problems("sync/src/engine/tests.rs", text).is_empty());
    assert!(problems("sync/tests/it/feed.rs", text).is_empty());
    let inline = "//! Doc.\nfn f() {}\n\n#[cfg(test)]\nmod tests {\n    fn g() { dbg!(1); }\n}\n";
    assert!(problems("sync/src/engine.rs", inline).is_empty());
    let not_inline = "//! Doc.\n#[cfg(test)]\nfn g() { dbg!(1); }\n";
    assert_eq!(problems("sync/src/engine.rs", not_inline).len(), 1);
}

#[test]
fn sql_stays_in_store_and_hub() {
    for sql in [
        "CREATE TABLE pegawai (nip TEXT)",
        "INSERT INTO pegawai VALUES (?1)",
        "SELECT nip FROM pegawai",
        "DELETE FROM outbox",
    ] {
        let text = format!("//! Doc.\nconst Q: &str = \"{sql}\";\n");
        assert_eq!(problems("app/src/search.rs", &text).len(), 1, "{sql}");
        assert!(problems("store/src/search.rs", &text).is_empty(), "{sql}");
        assert!(problems("hub/src/storage.rs", &text).is_empty(), "{sql}");
        // Tests outside store/ and hub/ may not hold SQL either.
        assert_eq!(problems("app/tests/it/search.rs", &text).len(), 1, "{sql}");
    }
    let prose = "//! Doc.\n// Select the rows you need from the list.\nconst SELECTED_FROM: u8 = 0;\n";
    assert!(problems("app/src/search.rs", prose).is_empty());
    assert!(problems(file!(), "//! Doc.\n// SELECT * FROM t\n").is_empty());
}

#[test]
fn no_grab_bag_names() {
    assert_eq!(problems("app/src/utils.rs", "//! Doc.\n").len(), 1);
    assert_eq!(problems("app/src/common/date.rs", "//! Doc.\n").len(), 1);
    assert_eq!(problems("app/tests/common/mod.rs", "//! Doc.\n").len(), 1);
    for item in [
        "mod helpers;",
        "pub(crate) mod utils {",
        "pub fn common() {}",
        "pub struct Manager<T>(T);",
        "pub(crate) const fn helpers() -> u8 { 0 }",
        "    static mut COMMON: u8 = 0;",
    ] {
        let text = format!("//! Doc.\n{item}\n");
        assert_eq!(problems("app/src/documents.rs", &text).len(), 1, "{item}");
    }
    for fine in
        ["mod documents;", "pub struct DocumentManager;", "let utils = 1;", "use other::utils;", "// mod utils;"]
    {
        let text = format!("//! Doc.\n{fine}\n");
        assert!(problems("app/src/documents.rs", &text).is_empty(), "{fine}");
    }
}
