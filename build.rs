//! Names the build for `maillage --version`: the package version, then the commit and its date
//! when built from a git checkout of this repository (`0.1.0 (3081b6f0e 2026-12-06)`), the
//! commit alone when built from a crates.io tarball that records it (`.cargo_vcs_info.json`), and
//! the version alone otherwise. Uses the `git` command when there is one, nothing else; any
//! failure falls back to less detail, never to a failed build.
//!
//! `tests/packaging.rs` includes this file as a module to test [`describe`] on real folders.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Length of the abbreviated commit hash, as `rustc --version` shows it.
const SHORT_HASH: usize = 9;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let build = describe(&manifest_dir, &version);
    println!("cargo:rustc-env=MAILLAGE_BUILD_VERSION={}", build.version);
    println!("cargo:rerun-if-changed=build.rs");
    for path in &build.watched {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// What the build script found: the text `--version` shows after the program's name, and the
/// files whose change must run the script again (the checkout's HEAD and the branch it points to).
pub(crate) struct BuildName {
    /// `0.1.0 (3081b6f0e 2026-12-06)`, `0.1.0 (3081b6f0e)` or `0.1.0`.
    pub(crate) version: String,
    /// Existing files only: cargo reruns the script on every build for a missing one.
    pub(crate) watched: Vec<PathBuf>,
}

/// Names the build of the package in `manifest_dir` at `version`.
pub(crate) fn describe(manifest_dir: &Path, version: &str) -> BuildName {
    if let Some((commit, date, watched)) = git_commit(manifest_dir) {
        return BuildName { version: format!("{version} ({commit} {date})"), watched };
    }
    let vcs_info = manifest_dir.join(".cargo_vcs_info.json");
    let packaged = std::fs::read_to_string(&vcs_info).ok().and_then(|text| packaged_commit(&text));
    let watched = if vcs_info.is_file() { vec![vcs_info] } else { Vec::new() };
    match packaged {
        Some(commit) => BuildName { version: format!("{version} ({commit})"), watched },
        None => BuildName { version: version.to_string(), watched },
    }
}

/// The abbreviated commit, its date (YYYY-MM-DD) and the git files to watch, when `dir` is the
/// top of a git work tree (a tarball unpacked inside some other repository is not).
fn git_commit(dir: &Path) -> Option<(String, String, Vec<PathBuf>)> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same_dir = match (Path::new(&top).canonicalize(), dir.canonicalize()) {
        (Ok(top), Ok(dir)) => top == dir,
        _ => false,
    };
    if !same_dir {
        return None;
    }
    let abbrev = format!("--abbrev={SHORT_HASH}");
    let line = git(dir, &["log", "-1", &abbrev, "--date=short", "--format=%h %cd"])?;
    let (commit, date) = line.split_once(' ')?;
    let mut watched = Vec::new();
    let mut git_paths = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        git_paths.push(branch);
    }
    for name in git_paths {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            if path.is_file() {
                watched.push(path);
            }
        }
    }
    Some((commit.to_string(), date.to_string(), watched))
}

/// Runs `git -C dir ARGS` and returns its trimmed output when it succeeded with some.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// The abbreviated `git.sha1` of a `.cargo_vcs_info.json` (written by `cargo package`), read
/// without a JSON parser: the build script has no dependency.
pub(crate) fn packaged_commit(vcs_info: &str) -> Option<String> {
    let after_key = &vcs_info[vcs_info.find("\"sha1\"")? + "\"sha1\"".len()..];
    let value = after_key.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let hash = &value[..value.find('"')?];
    let valid = hash.len() >= SHORT_HASH && hash.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| hash[..SHORT_HASH].to_string())
}
