//! The hand-written command-line parser of `cargo xtask`: one [`Task`] per command, and the usage text.
//!
//! It is deliberately tiny (no clap): a command word, then a few boolean flags or arguments passed through.

/// The usage text, one line per command; printed by `help` and on a usage error.
pub(crate) const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  test [--no-setup] [--quick]  setup, fmt, clippy, then `cargo test --workspace` (the project's test command; env LURING_TEST_ARGS is appended)
  setup                        install what a fresh Debian 12 machine lacks (apt packages, rustfmt/clippy, ui/ npm packages)
  inspect [ARGS...]            setup, then `luring-cli inspect` on the shared SI-ASN fixtures (ARGS such as --json are passed through)
  demo [--xvfb] [--pegawai N]  setup, build, then the local OpenID provider, a hub with a kabupaten of N (8000) pegawai and the
                               desktop app, ready to sign in as the demo operator; Ctrl-C stops everything. --xvfb: no screen
                               needed, a tour through WebDriver saves screenshots instead
  gen --pegawai N --seed S --out DIR   write a realistic generated kabupaten (CSV + WS folder)
  codegen [--check]            write the generated JSON Schemas (UPDATE_SCHEMAS=1), or with --check fail if they are stale
  bench [ARGS...]              run the model's inspect benchmark (ARGS are passed to the bench); results go in docs/benchmarks.md
  bench desktop [--pegawai N]  the desktop's bars (cold start, keystroke, scrolling) with N (250000) pegawai, under Xvfb
  help                         print this text

environment:
  LURING_SHARED      where shared/ is (default: <workspace root>/../shared)
  LURING_TEST_ARGS   extra arguments appended to `cargo test --workspace`, split on whitespace (e.g. `-p model` or `-- tidy`)";

/// One parsed `cargo xtask` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Task {
    /// `help`, `-h`, `--help`.
    Help,
    /// `test`: the project's test command.
    Test(TestOptions),
    /// `setup`: install what the machine lacks.
    Setup,
    /// `inspect`: run the CLI's inspect commands on the shared fixtures.
    Inspect {
        /// Arguments passed through to `luring-cli inspect …`.
        extra: Vec<String>,
    },
    /// `demo`: the local OpenID provider, a seeded hub and the desktop app.
    Demo(DemoOptions),
    /// `codegen`: regenerate (or check) generated files.
    Codegen {
        /// Check only: fail if the generated files are stale, write nothing.
        check: bool,
    },
    /// `gen`: write a generated kabupaten (`--pegawai N --seed S --out DIR`).
    Gen {
        /// Arguments for `luring-gen`.
        extra: Vec<String>,
    },
    /// `bench`: run the benchmarks.
    Bench {
        /// Arguments passed through to the bench binary.
        extra: Vec<String>,
    },
}

/// The flags of `cargo xtask test`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TestOptions {
    /// `--no-setup`: skip the setup step.
    pub(crate) no_setup: bool,
    /// `--quick`: skip `cargo fmt` and `cargo clippy`.
    pub(crate) quick: bool,
}

/// The flags of `cargo xtask demo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DemoOptions {
    /// `--xvfb`: run the app in a virtual screen and take the tour through WebDriver, saving screenshots.
    pub(crate) xvfb: bool,
    /// `--pegawai N`: the size of the demo kabupaten.
    pub(crate) pegawai: usize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { xvfb: false, pegawai: 8_000 }
    }
}

/// Parses the arguments that follow `cargo xtask`.
///
/// An empty command line or an unknown command or flag is an error, so the caller prints [`USAGE`].
pub(crate) fn parse(args: &[String]) -> Result<Task, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    match command.as_str() {
        "help" | "-h" | "--help" => Ok(Task::Help),
        "test" => {
            let mut options = TestOptions::default();
            for flag in rest {
                match flag.as_str() {
                    "--no-setup" => options.no_setup = true,
                    "--quick" => options.quick = true,
                    other => return Err(format!("unknown flag `{other}` for `test`")),
                }
            }
            Ok(Task::Test(options))
        }
        "setup" => no_arguments("setup", rest).map(|()| Task::Setup),
        "inspect" => Ok(Task::Inspect { extra: passthrough(rest) }),
        "demo" => {
            let mut options = DemoOptions::default();
            let mut words = rest.iter();
            while let Some(flag) = words.next() {
                match flag.as_str() {
                    "--xvfb" => options.xvfb = true,
                    "--pegawai" => {
                        let value = words.next().ok_or("`--pegawai` needs a number")?;
                        options.pegawai = value
                            .parse()
                            .ok()
                            .filter(|&n| n > 0)
                            .ok_or_else(|| format!("`--pegawai {value}`: not a positive number"))?;
                    }
                    other => return Err(format!("unknown flag `{other}` for `demo`")),
                }
            }
            Ok(Task::Demo(options))
        }
        "codegen" => match rest {
            [] => Ok(Task::Codegen { check: false }),
            [flag] if flag == "--check" => Ok(Task::Codegen { check: true }),
            _ => Err(format!("unexpected arguments for `codegen`: {}", rest.join(" "))),
        },
        "bench" => Ok(Task::Bench { extra: passthrough(rest) }),
        "gen" => Ok(Task::Gen { extra: passthrough(rest) }),
        other => Err(format!("unknown command `{other}`")),
    }
}

fn no_arguments(command: &str, rest: &[String]) -> Result<(), String> {
    if rest.is_empty() { Ok(()) } else { Err(format!("`{command}` takes no arguments, got: {}", rest.join(" "))) }
}

/// Arguments to pass through; a leading `--` separator is accepted and dropped.
fn passthrough(rest: &[String]) -> Vec<String> {
    match rest.split_first() {
        Some((first, tail)) if first == "--" => tail.to_vec(),
        _ => rest.to_vec(),
    }
}

#[cfg(test)]
mod tests;
