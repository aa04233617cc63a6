//! The `sso-doctor` binary: a thin shell over the library's `cli` module.

fn main() {
    std::process::exit(sso_doctor::cli::main());
}
