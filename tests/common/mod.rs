//! Helpers shared by the integration tests: run the real binary from the repository root.

#![allow(dead_code)]

use assert_cmd::Command;

/// The sso-doctor binary, run from the crate root with colour off and a fixed environment.
pub fn sso() -> Command {
    let mut cmd = Command::cargo_bin("sso-doctor").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("CI");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = sso().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub const NOW: &str = "2026-03-10T09:16:00Z";
