//! `luring-cli`: the SIASN Luring use cases without a window, for data officers, administrators and tests.

// mimalloc: document building allocates heavily on several threads; glibc malloc's cross-thread frees cost more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
