//! What the installed program says about itself: `--version` names the build (the build script,
//! tested here on real folders: git checkout, crates.io tarball, plain folder), and
//! `completions` writes scripts that complete the real commands and options.

#[path = "../build.rs"]
#[allow(dead_code, reason = "the build script's `main` is run by cargo; these tests call `describe`")]
mod build_script;

use build_script::{describe, packaged_commit};
use std::path::Path;
use std::process::{Command, Output};

fn maillage(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage")).args(args).output().expect("lancement de maillage")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("sortie UTF-8")
}

/// Runs git in `dir` with a fixed identity and dates (so commits are reproducible); its output,
/// or `None` when git failed (not installed, not a repository, repository of another user).
fn try_git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=principale"])
        .args(args)
        .env("GIT_COMMITTER_DATE", "2026-03-04T10:00:00+01:00")
        .env("GIT_AUTHOR_DATE", "2026-03-04T10:00:00+01:00")
        .output()
        .ok()?;
    output.status.success().then(|| text(&output.stdout).trim().to_string())
}

/// [`try_git`] that must succeed.
fn git(dir: &Path, args: &[&str]) -> String {
    try_git(dir, args).unwrap_or_else(|| panic!("git {args:?} a échoué dans {}", dir.display()))
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let output = maillage(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let version = text(&output.stdout);
    let package = env!("CARGO_PKG_VERSION");
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Asked of git independently: the commit checked out and its date. Where git cannot read
    // the checkout, neither could the build script, and the version stands alone.
    let head = try_git(manifest_dir, &["rev-parse", "HEAD"]);
    let date = try_git(manifest_dir, &["log", "-1", "--date=short", "--format=%cd"]);
    match head.zip(date) {
        Some((head, date)) => assert_eq!(version, format!("maillage {package} ({} {date})\n", &head[..9])),
        None => assert_eq!(version, format!("maillage {package}\n")),
    }
    assert_eq!(text(&maillage(&["-V"]).stdout), version);
}

/// A new git repository with one commit (of `file`), on branch `principale`; its full hash.
fn repository_with_one_commit(dir: &Path, file: &str) -> String {
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join(file), "contenu\n").unwrap();
    git(dir, &["add", file]);
    git(dir, &["commit", "-q", "-m", "premier"]);
    git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn a_git_checkout_is_named_by_commit_and_date() {
    let tmp = tempfile::tempdir().unwrap();
    let head = repository_with_one_commit(tmp.path(), "Cargo.toml");

    let build = describe(tmp.path(), "1.2.3");
    assert_eq!(build.version, format!("1.2.3 ({} 2026-03-04)", &head[..9]));
    // A new commit must name a new build: cargo watches HEAD and the branch it points to.
    let watched: Vec<String> = build.watched.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    assert!(watched.iter().any(|p| p.ends_with(".git/HEAD")), "{watched:?}");
    assert!(watched.iter().any(|p| p.ends_with(".git/refs/heads/principale")), "{watched:?}");
    assert!(build.watched.iter().all(|p| p.is_file()), "{watched:?}");
}

#[test]
fn a_package_unpacked_inside_another_repository_is_not_named_by_its_commit() {
    let tmp = tempfile::tempdir().unwrap();
    repository_with_one_commit(tmp.path(), "LISEZMOI");
    let unpacked = tmp.path().join("vendor").join("maillage-1.2.3");
    std::fs::create_dir_all(&unpacked).unwrap();
    let build = describe(&unpacked, "1.2.3");
    assert_eq!(build.version, "1.2.3");
    assert!(build.watched.is_empty());
}

#[test]
fn a_crates_io_tarball_is_named_by_the_commit_cargo_package_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let vcs_info =
        "{\n  \"git\": {\n    \"sha1\": \"3081b6f0e1a2b3c4d5e6f708192a3b4c5d6e7f80\"\n  },\n  \"path_in_vcs\": \"\"\n}";
    std::fs::write(tmp.path().join(".cargo_vcs_info.json"), vcs_info).unwrap();
    let build = describe(tmp.path(), "1.2.3");
    assert_eq!(build.version, "1.2.3 (3081b6f0e)");
    assert_eq!(build.watched, vec![tmp.path().join(".cargo_vcs_info.json")]);
}

#[test]
fn a_plain_folder_is_named_by_the_version_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let build = describe(tmp.path(), "1.2.3");
    assert_eq!(build.version, "1.2.3");
    assert!(build.watched.is_empty());
    assert_eq!(describe(&tmp.path().join("absent"), "1.2.3").version, "1.2.3");
}

#[test]
fn a_damaged_vcs_info_gives_no_commit() {
    for damaged in [
        "",
        "{",
        "{\"git\": {\"sha1\": 3081}}",
        "{\"git\": {\"sha1\": \"3081b6f\"}}",
        "{\"git\": {\"sha1\": \"3081b6f0e1a2b3c4d5e6f708192a3b4c5d6e7f8",
        "{\"git\": {\"sha1\": \"zz81b6f0e1a2b3c4d5e6f708192a3b4c5d6e7f80\"}}",
        "{\"git\": {\"sha1\"",
        "\"sha1\" : \"é€3081b6f0e1a2b3\"",
    ] {
        assert_eq!(packaged_commit(damaged), None, "{damaged}");
    }
    assert_eq!(
        packaged_commit("{\"git\":{\"sha1\":\"ABCDEF0123456789\",\"dirty\":true}}").as_deref(),
        Some("ABCDEF012")
    );
}

fn completions(shell: &str) -> String {
    let output = maillage(&["completions", shell]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// What bash offers after `words` (the last one being completed), with the generated script.
fn bash_completes(script: &Path, words: &[&str]) -> Vec<String> {
    let line = words.join(" ");
    let program = format!(
        "source '{}' && COMP_WORDS=({line}) && COMP_CWORD={} && COMP_LINE='{line}' && COMP_POINT=${{#COMP_LINE}} \
         && _maillage maillage '{}' '{}' && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = Command::new("bash").args(["--norc", "--noprofile", "-c", &program]).output().expect("bash");
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_commands_options_and_shells() {
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("maillage.bash");
    std::fs::write(&script, completions("bash")).unwrap();

    assert_eq!(bash_completes(&script, &["maillage", "bu"]), ["build"]);
    assert_eq!(bash_completes(&script, &["maillage", "build", "--ro"]), ["--root"]);
    let shells = bash_completes(&script, &["maillage", "completions", ""]);
    let shells: Vec<&String> = shells.iter().filter(|word| !word.starts_with('-')).collect();
    assert_eq!(shells, ["bash", "zsh", "fish", "powershell"]);
    let new_kinds = bash_completes(&script, &["maillage", "new", ""]);
    for kind in ["offer", "member", "action", "page"] {
        assert!(new_kinds.iter().any(|k| k == kind), "{new_kinds:?}");
    }
}

#[test]
fn zsh_fish_and_powershell_scripts_name_every_command() {
    let scripts = [
        ("zsh", "#compdef maillage"),
        ("fish", "complete -c maillage"),
        ("powershell", "Register-ArgumentCompleter -Native -CommandName 'maillage'"),
    ];
    for (shell, marker) in scripts {
        let script = completions(shell);
        assert!(script.contains(marker), "{shell} : {marker} manque");
        for command in ["build", "serve", "check", "init", "new", "import", "completions"] {
            assert!(script.contains(command), "{shell} : la commande {command} manque");
        }
        // French help reaches the shell's menu (fish and zsh show descriptions).
        if shell != "powershell" {
            assert!(script.contains("Construit le site"), "{shell} : l’aide française manque");
        }
    }
}

#[test]
fn completions_to_a_closed_output_is_an_error_not_a_panic() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["completions", "bash"])
        .stdout(writer)
        .output()
        .expect("lancement de maillage");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("erreur\u{a0}: écriture du script de complétion"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_shell_is_refused() {
    let output = maillage(&["completions", "cmd"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stdout).is_empty());
}
