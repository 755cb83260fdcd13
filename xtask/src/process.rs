//! Running other programs: print the command line, run it with inherited stdio, turn failures into errors.
//!
//! Queries whose output xtask reads ([`Cmd::read`]) run quietly; everything else is echoed as `$ …` first, on
//! standard error, so that a task's standard output is only what the commands print (`cargo xtask inspect --json`
//! gives pure JSON lines).

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

/// A command to run, remembering how to show itself.
#[derive(Debug)]
pub(crate) struct Cmd {
    program: String,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    env_removes: Vec<String>,
    dir: Option<PathBuf>,
}

impl Cmd {
    /// A command running `program`, found on `PATH`.
    pub(crate) fn new(program: impl Into<String>) -> Self {
        Self { program: program.into(), args: Vec::new(), envs: Vec::new(), env_removes: Vec::new(), dir: None }
    }

    /// Appends one argument.
    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_string_lossy().into_owned());
        self
    }

    /// Appends several arguments.
    pub(crate) fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    /// Sets an environment variable for the child.
    pub(crate) fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Removes an environment variable from the child's environment.
    pub(crate) fn env_remove(mut self, key: &str) -> Self {
        self.env_removes.push(key.to_owned());
        self
    }

    /// Runs the child in `dir` instead of the current directory.
    pub(crate) fn dir(mut self, dir: &Path) -> Self {
        self.dir = Some(dir.to_owned());
        self
    }

    /// The same command started through a launcher (`launcher launcher_args… program args…`, such as
    /// `dbus-run-session -- sh script cargo test`), keeping its environment and folder, which the launcher passes on.
    pub(crate) fn inside<I>(self, launcher: &str, launcher_args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        let Self { program, args: command_args, envs, env_removes, dir } = self;
        let mut args: Vec<String> =
            launcher_args.into_iter().map(|arg| arg.as_ref().to_string_lossy().into_owned()).collect();
        args.push(program);
        args.extend(command_args);
        Self { program: launcher.to_owned(), args, envs, env_removes, dir }
    }

    /// Prints the command line (to standard error), runs it with inherited stdio and fails unless it exits
    /// successfully.
    pub(crate) fn run(self) -> Result<()> {
        eprintln!("$ {self}");
        let status =
            self.command().status().with_context(|| format!("could not start `{}`: is it installed?", self.program))?;
        if !status.success() {
            bail!("`{self}` failed ({status})");
        }
        Ok(())
    }

    /// Like [`Cmd::run`], but the child's standard output goes to standard error too: for setup steps (apt-get,
    /// rustup, npm) whose chatter must not mix with a task's real output.
    pub(crate) fn run_on_stderr(self) -> Result<()> {
        eprintln!("$ {self}");
        let status = self
            .command()
            .stdout(std::io::stderr())
            .status()
            .with_context(|| format!("could not start `{}`: is it installed?", self.program))?;
        if !status.success() {
            bail!("`{self}` failed ({status})");
        }
        Ok(())
    }

    /// Runs the command quietly and returns its standard output, failing unless it exits successfully.
    pub(crate) fn read(self) -> Result<String> {
        let output = self
            .command()
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .with_context(|| format!("could not start `{}`: is it installed?", self.program))?;
        if !output.status.success() {
            bail!("`{self}` failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
        }
        String::from_utf8(output.stdout).with_context(|| format!("`{self}` printed invalid UTF-8"))
    }

    /// Runs the command quietly and tells whether it exits successfully (`false` also when it cannot start).
    pub(crate) fn succeeds(self) -> bool {
        self.command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// The [`Command`] to start it in the background (its stdio still to be chosen by the caller); the command line
    /// is printed first, like [`Cmd::run`].
    pub(crate) fn spawnable(&self) -> Command {
        eprintln!("$ {self}");
        self.command()
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        for key in &self.env_removes {
            command.env_remove(key);
        }
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command
    }
}

/// Shows the command as one could paste it into a shell: `(cd dir && KEY=value program args…)`.
impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(dir) = &self.dir {
            write!(f, "(cd {} && ", quote(&dir.to_string_lossy()))?;
        }
        for key in &self.env_removes {
            write!(f, "env -u {key} ")?;
        }
        for (key, value) in &self.envs {
            write!(f, "{key}={} ", quote(value))?;
        }
        write!(f, "{}", quote(&self.program))?;
        for arg in &self.args {
            write!(f, " {}", quote(arg))?;
        }
        if self.dir.is_some() {
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// Whether `program` is an executable file in one of the `PATH` folders (for programs without a harmless probe such
/// as `--version`).
pub(crate) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|folder| is_executable(&folder.join(program))))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// Quotes a word for a POSIX shell when it holds anything but plainly safe characters.
pub(crate) fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests;
