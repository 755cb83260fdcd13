//! Tests of the command runner: how commands are shown and how failures surface.

use super::*;

#[test]
fn shows_a_pasteable_command_line() {
    let cmd =
        Cmd::new("dpkg-query").args(["-W", "-f=${Status}", "pkg-config"]).env("DEBIAN_FRONTEND", "noninteractive");
    assert_eq!(cmd.to_string(), "DEBIAN_FRONTEND=noninteractive dpkg-query -W '-f=${Status}' pkg-config");
    let cmd = Cmd::new("npm").arg("ci").dir(Path::new("/w/ui"));
    assert_eq!(cmd.to_string(), "(cd /w/ui && npm ci)");
    assert_eq!(quote("it's"), r"'it'\''s'");
    assert_eq!(quote(""), "''");
}

#[test]
fn failures_become_errors() {
    assert!(Cmd::new("false").run().is_err());
    assert!(Cmd::new("true").run().is_ok());
    assert!(Cmd::new("xtask-no-such-program").run().is_err());
    assert!(!Cmd::new("xtask-no-such-program").succeeds());
    assert_eq!(Cmd::new("echo").arg("hi").read().ok().as_deref(), Some("hi\n"));
}

#[test]
fn setup_commands_can_send_their_output_to_stderr() {
    assert!(Cmd::new("echo").arg("setup chatter").run_on_stderr().is_ok());
    assert!(Cmd::new("false").run_on_stderr().is_err());
    assert!(Cmd::new("xtask-no-such-program").run_on_stderr().is_err());
}
