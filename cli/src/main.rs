//! `luring-cli`: the SIASN Luring use cases without a window, for data officers, administrators and tests.

fn main() -> std::process::ExitCode {
    cli::main()
}
