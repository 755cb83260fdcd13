//! Tests of the setup step's parsing of tool output.

use super::*;

#[test]
fn reads_the_installed_components() {
    let list = "cargo-x86_64-unknown-linux-gnu\nclippy-x86_64-unknown-linux-gnu\nrustfmt\n";
    assert!(component_installed(list, "clippy"));
    assert!(component_installed(list, "rustfmt"));
    assert!(!component_installed(list, "rust-src"));
    assert!(!component_installed("clippy-preview-x86_64\n", "clippy-pre"));
}

#[test]
fn reads_the_package_status() {
    assert!(status_says_installed("install ok installed\n"));
    assert!(status_says_installed("unknown ok not-installed\ninstall ok installed\n"));
    assert!(!status_says_installed("unknown ok not-installed\n"));
    assert!(!status_says_installed("deinstall ok config-files\n"));
    assert!(!status_says_installed(""));
}
