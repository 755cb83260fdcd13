//! Tests of the `cargo xtask` argument parser.

use super::*;

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn parses_every_command() {
    assert_eq!(parse(&args("help")), Ok(Task::Help));
    assert_eq!(parse(&args("--help")), Ok(Task::Help));
    assert_eq!(parse(&args("test")), Ok(Task::Test(TestOptions::default())));
    assert_eq!(parse(&args("test --quick --no-setup")), Ok(Task::Test(TestOptions { no_setup: true, quick: true })));
    assert_eq!(parse(&args("setup")), Ok(Task::Setup));
    assert_eq!(parse(&args("inspect --json")), Ok(Task::Inspect { extra: args("--json") }));
    assert_eq!(parse(&args("demo")), Ok(Task::Demo(DemoOptions::default())));
    assert_eq!(parse(&args("demo --xvfb --pegawai 300")), Ok(Task::Demo(DemoOptions { xvfb: true, pegawai: 300 })));
    assert_eq!(parse(&args("bench desktop")), Ok(Task::Bench { extra: args("desktop") }));
    assert_eq!(parse(&args("codegen")), Ok(Task::Codegen { check: false }));
    assert_eq!(parse(&args("codegen --check")), Ok(Task::Codegen { check: true }));
    assert_eq!(parse(&args("bench")), Ok(Task::Bench { extra: vec![] }));
}

#[test]
fn rejects_unknown_commands_and_flags() {
    assert!(parse(&[]).is_err());
    assert!(parse(&args("frobnicate")).is_err());
    assert!(parse(&args("test --fast")).is_err());
    assert!(parse(&args("setup now")).is_err());
    assert!(parse(&args("codegen --write")).is_err());
    assert!(parse(&args("demo --json")).is_err());
    assert!(parse(&args("demo --pegawai")).is_err());
    assert!(parse(&args("demo --pegawai 0")).is_err());
}

#[test]
fn usage_lists_every_command() {
    for command in ["test", "setup", "inspect", "demo", "codegen", "bench", "help"] {
        assert!(USAGE.lines().any(|line| line.trim_start().starts_with(command)), "usage does not list `{command}`");
    }
}
