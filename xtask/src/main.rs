//! `cargo xtask`: the project's automation (setup, test, inspect, demo, codegen, bench), needing nothing but cargo.
//!
//! `main` only parses the command line and dispatches; each task lives in its own module.
//! The tidy checks and the dependency rules are tests (`xtask/tests/it`), so a plain `cargo test` runs them.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "xtask is a CLI that reports to the terminal")]

mod bench;
mod codegen;
mod demo;
mod desktop;
mod flags;
mod inspect;
mod pipeline;
mod process;
mod setup;
mod ui;
mod workspace;

use std::process::ExitCode;

use flags::Task;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match flags::parse(&args) {
        Ok(task) => task,
        Err(error) => {
            eprintln!("error: {error}\n");
            eprintln!("{}", flags::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match task {
        Task::Help => {
            println!("{}", flags::USAGE);
            Ok(())
        }
        Task::Test(options) => pipeline::test(&options),
        Task::Setup => setup::run(),
        Task::Inspect { extra } => inspect::run(&extra),
        Task::Demo(options) => demo::run(&options),
        Task::Codegen { check } => codegen::run(check),
        Task::Bench { extra } => bench::run(&extra),
        Task::Gen { extra } => bench::generate(&extra),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
