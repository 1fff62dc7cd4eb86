//! Shared by the end-to-end tests: run the built binary on a database.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `chronicle --db DB`, ready for more arguments.
pub fn chronicle_cmd(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.arg("--db").arg(db);
    c
}

/// Runs a command to the end → (exit code, stdout, stderr).
pub fn run(mut cmd: Command) -> (i32, String, String) {
    let out = cmd.output().expect("run chronicle");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `chronicle --db DB ARGS…` → (exit code, stdout, stderr).
pub fn chronicle(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = chronicle_cmd(db);
    cmd.args(args);
    run(cmd)
}
