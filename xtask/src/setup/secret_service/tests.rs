//! Tests of the Secret Service session: reading `dbus-send` answers, the launcher's command line, and a real
//! private session (when dbus-run-session and gnome-keyring are installed).

use super::*;

#[test]
fn reads_dbus_send_answers() {
    let header = "method return time=1.5 sender=org.freedesktop.DBus -> destination=:1.3 serial=3 reply_serial=2";
    let owner = &format!("{header}\n   boolean true\n");
    assert!(reply_says(owner, "boolean true"));
    assert!(!reply_says(owner, "boolean false"));
    let property = &format!("{header}\n   variant       boolean false\n");
    assert!(reply_says(property, "boolean false"));
    assert!(!reply_says(property, "boolean true"));
    // The header line is not an answer, and neither is an error.
    assert!(!reply_says("boolean true\n", "boolean true"));
    assert!(!reply_says("Error org.freedesktop.DBus.Error.ServiceUnknown: boolean false\n", "boolean false"));
}

#[test]
fn the_launcher_keeps_the_command_its_folder_and_environment() {
    let command = Cmd::new("cargo").args(["test", "--workspace"]).dir(Path::new("/w")).env("A", "1");
    let launched = command.inside("dbus-run-session", ["--", "sh", "/tmp/s.sh"]).env("XDG_RUNTIME_DIR", "/tmp/x");
    assert_eq!(
        launched.to_string(),
        "(cd /w && A=1 XDG_RUNTIME_DIR=/tmp/x dbus-run-session -- sh /tmp/s.sh cargo test --workspace)"
    );
}

/// Whether the programs a private session needs are installed; when not, the session tests say so and pass.
fn can_start_a_session() -> bool {
    let ready = SESSION_PROGRAMS.iter().all(|program| process::on_path(program));
    if !ready {
        eprintln!(
            "skipped: dbus-run-session, gnome-keyring-daemon or dbus-send is not installed (`cargo xtask setup`)"
        );
    }
    ready
}

#[test]
fn a_private_session_has_an_unlocked_keyring_that_ends_with_it() {
    if !cfg!(target_os = "linux") || !can_start_a_session() {
        return;
    }
    let out = ThrowawayFolder::create().expect("a folder for the probe's answers");
    let answers = out.path().join("answers");
    let probe = r#"
        ask() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.GetConnectionUnixProcessID "string:$1" | sed -n 's/^ *uint32 //p'; }
        {
            echo "${LURING_SECRET_SERVICE:-unset}"
            echo "$XDG_RUNTIME_DIR"
            stat -c %a "$XDG_RUNTIME_DIR"
            ask org.freedesktop.secrets
            ask org.freedesktop.DBus
        } > "$1""#;
    let command = Cmd::new("sh").args(["-c", probe, "probe"]).arg(&answers);
    run_private(command).expect("the probe runs in a private session");

    let answers = fs::read_to_string(&answers).expect("the probe's answers");
    let lines: Vec<&str> = answers.lines().collect();
    assert_eq!(lines.len(), 5, "{answers}");
    assert_eq!(lines[0], "1", "LURING_SECRET_SERVICE: {answers}");
    assert_eq!(lines[2], "700", "the runtime folder's mode: {answers}");
    assert!(!Path::new(lines[1]).exists(), "the throwaway folder {} was left behind", lines[1]);
    for (what, pid) in [("gnome-keyring-daemon", lines[3]), ("dbus-daemon", lines[4])] {
        let pid = pid.parse::<u32>().unwrap_or_else(|_| panic!("no pid for {what}: {answers}"));
        assert!(!running(pid), "{what} (pid {pid}) outlived the session");
    }
}

#[test]
fn a_private_session_returns_the_command_failure() {
    if !cfg!(target_os = "linux") || !can_start_a_session() {
        return;
    }
    let error = run_private(Cmd::new("sh").args(["-c", "exit 3"])).expect_err("the command's failure");
    assert!(format!("{error:#}").contains("exit status: 3"), "{error:#}");
}
