//! The `gongkai` binary as a publisher runs it.

use std::process::Command;

fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

#[test]
fn init_then_build_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(gongkai().arg("init").arg(&site).status().unwrap().success());
    // init refuses to overwrite a site.
    assert!(!gongkai().arg("init").arg(&site).status().unwrap().success());
    let out = gongkai()
        .args(["build", "--timings", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("built ") && stdout.contains("render"),
        "{stdout}"
    );
    assert!(site.join("output/index.html").exists());
    let out = gongkai()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 份文件"));
}

#[test]
fn content_errors_exit_non_zero_and_list_every_problem() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/invalid");
    let tmp = tempfile::tempdir().unwrap();
    let out = gongkai()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("发现 12 个错误"), "{err}");
    assert!(
        err.contains("content/shili/2024/unknown-unit.md:9:14"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing is written");
    let out = gongkai()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_names_every_command() {
    let out = gongkai().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["init", "build", "check"] {
        assert!(help.contains(cmd), "{help}");
    }
    let out = gongkai().args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in ["--root", "--output", "--base-url"] {
        assert!(help.contains(opt), "{help}");
    }
}
