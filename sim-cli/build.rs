//! Captures the git commit the binary is built from (`summary.json`'s `git_commit`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    // Rebuild when HEAD moves (checkout) or a branch ref changes (commit). Only watch paths that
    // exist: cargo re-runs a build script on every build when a watched path is missing.
    let git_dir = git(&manifest, &["rev-parse", "--absolute-git-dir"])
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../.git"));
    for p in ["HEAD", "refs", "packed-refs"] {
        let path = git_dir.join(p);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    let commit = git(&manifest, &["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=GOLDRUSH_GIT_COMMIT={commit}");
}
