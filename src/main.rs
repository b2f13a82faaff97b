//! The `xprem` binary: parse the command line, run the command, map the outcome to an exit code.

/// mimalloc instead of the system allocator: parsing builds and drops many small nodes (pest's
/// pairs, the AST, the semantic tables), and glibc's malloc took a tenth of a lint run of the
/// public corpus. The benches set the same allocator, so they measure what the binary does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    xprem::cli::main()
}
