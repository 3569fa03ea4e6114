//! The `kraken-doctor` binary: parse, run, exit. Everything else lives in the library so
//! tests can call it directly.

fn main() -> std::process::ExitCode {
    kraken_doctor::main_entry()
}
