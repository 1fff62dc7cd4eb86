//! Shared by the end-to-end tests: run the built binary on a database.

use std::path::Path;
use std::process::Command;

/// `chronicle --db DB ARGS…` → (exit code, stdout, stderr).
pub fn chronicle(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run chronicle");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
