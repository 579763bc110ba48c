//! The `gongkai` binary as a publisher runs it: in Chinese by default, in English when asked,
//! with the exit codes the README gives, and never writing where it must not.

use std::path::Path;
use std::process::Command;

/// The binary with no language in its environment: what a Chinese publisher's machine gives.
fn gongkai() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    for v in ["GONGKAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(v);
    }
    c
}

fn invalid() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/invalid")
}

#[test]
fn init_then_build_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = gongkai().arg("init").arg(&site).output().unwrap();
    assert!(out.status.success());
    // init says what to do next: preview it.
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("gongkai serve --root"), "{said}");
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
        stdout.contains("已生成") && stdout.contains("render"),
        "{stdout}"
    );
    assert!(site.join("output/index.html").exists());
    // A second build replaces the first output, which it marked as its own.
    assert!(
        gongkai()
            .args(["build", "--root"])
            .arg(&site)
            .status()
            .unwrap()
            .success()
    );
    let out = gongkai()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 份文件"));
}

#[test]
fn content_errors_exit_one_and_list_every_problem_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let out = gongkai()
        .args(["build", "--root"])
        .arg(invalid())
        .arg("--output")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("发现 12 个错误"), "{err}");
    assert!(
        err.contains("错误：单位“区应急管理局”不在 site.yaml 中"),
        "{err}"
    );
    assert!(err.contains("提示：是不是“区应急局”？"), "{err}");
    assert!(
        err.contains("content/shili/2024/unknown-unit.md:9:14"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing is written");
    let out = gongkai()
        .args(["check", "--root"])
        .arg(invalid())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn english_when_asked_by_flag_or_locale() {
    let out = gongkai()
        .args(["check", "--lang", "en", "--root"])
        .arg(invalid())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: unknown unit 区应急管理局"), "{err}");
    assert!(err.contains("hint: did you mean 区应急局?"), "{err}");
    assert!(err.contains("12 error(s)"), "{err}");
    let out = gongkai()
        .env("LANG", "en_US.UTF-8")
        .args(["check", "--root"])
        .arg(invalid())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit"));
    // A C locale says nothing of a language: Chinese stays.
    let out = gongkai()
        .env("LANG", "C.UTF-8")
        .args(["check", "--root"])
        .arg(invalid())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("不在 site.yaml 中"));
}

#[test]
fn help_is_in_chinese_and_names_every_command() {
    let out = gongkai().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("用法："), "{help}");
    assert!(help.contains("新建一个可以立即生成的站点"), "{help}");
    for cmd in ["init", "build", "check", "serve", "import"] {
        assert!(help.contains(cmd), "{help}");
    }
    let out = gongkai().args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in [
        "--root",
        "--output",
        "--base-url",
        "--force",
        "--deny-warnings",
    ] {
        assert!(help.contains(opt), "{help}");
    }
    assert!(help.contains("站点文件夹"), "{help}");
    // No English heading or default note is left in any command's Chinese help.
    for cmd in [
        "init",
        "build",
        "check",
        "serve",
        "import",
        "progress",
        "progress import",
    ] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let out = gongkai().args(&args).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for english in ["Options:", "[default:", "Print help"] {
            assert!(!help.contains(english), "{cmd}: {help}");
        }
        // Every option is explained in Chinese (a missing message falls back to English).
        for line in help.lines().filter(|l| l.trim_start().starts_with("--")) {
            assert!(
                line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{cmd}: {line}"
            );
        }
    }
    let out = gongkai()
        .args(["--lang", "en", "build", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("the site folder"), "{help}");
    // A mistyped option: exit code 2.
    let out = gongkai()
        .args(["build", "--no-such-option"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `--output` may never take the site or its sources, nor a folder no build wrote.
#[test]
fn the_output_never_replaces_the_site_or_a_foreign_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(gongkai().arg("init").arg(&site).status().unwrap().success());
    let before: Vec<_> = walkdir::WalkDir::new(&site)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    let build = |output: &Path, extra: &[&str]| {
        gongkai()
            .args(["build", "--root"])
            .arg(&site)
            .arg("--output")
            .arg(output)
            .args(extra)
            .output()
            .unwrap()
    };
    for (output, force) in [
        (site.clone(), true),
        (tmp.path().to_path_buf(), true),
        (site.join("content"), true),
        (site.join("content/shili"), true),
        (site.join("site.yaml"), true),
        (site.join("output/../content"), true),
    ] {
        let extra: &[&str] = if force { &["--force"] } else { &[] };
        let out = build(&output, extra);
        assert_eq!(out.status.code(), Some(3), "{}", output.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("已拒绝"), "{err}");
    }
    // Nothing of the site was touched.
    assert!(site.join("site.yaml").is_file());
    assert!(
        site.join("content/shili/2024/aqsc-gongzuo-yaodian.md")
            .is_file()
    );
    let after: Vec<_> = walkdir::WalkDir::new(&site)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(before, after);

    // A folder of the publisher's: refused unless --force.
    let mine = tmp.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "mine").unwrap();
    let out = build(&mine, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(mine.join("notes.txt").exists());
    let out = build(&mine, &["--force"]);
    assert!(out.status.success());
    assert!(mine.join("index.html").exists() && !mine.join("notes.txt").exists());
    // An existing file: refused unless --force.
    let file = tmp.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(build(&file, &[]).status.code(), Some(3));
    // A base URL that is no address is a bad value, as in site.yaml.
    let out = build(
        &tmp.path().join("new"),
        &["--base-url", "javascript:alert(1)"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!tmp.path().join("new").exists());
}

#[test]
fn warnings_are_printed_and_deny_warnings_fails_on_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(gongkai().arg("init").arg(&site).status().unwrap().success());
    let plan = site.join("content/shili/2024/aqsc-gongzuo-yaodian.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replace(
            "disclosure: 主动公开",
            "disclosure: 主动公开\nstatus: 征求意见稿",
        ),
    )
    .unwrap();
    let out = gongkai()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("警告：文件状态是“征求意见稿”"), "{err}");
    let out = gongkai()
        .args(["check", "--deny-warnings", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let output = tmp.path().join("out");
    let out = gongkai()
        .args(["build", "--deny-warnings", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!output.exists(), "nothing is written");
}

/// Twelve plans with the same warning: ten are listed, the other two counted in one line,
/// and `--all-warnings` lists all twelve.
#[test]
fn warnings_of_one_kind_are_counted_past_ten() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(gongkai().arg("init").arg(&site).status().unwrap().success());
    let dir = site.join("content/shili/2024");
    let plan = dir.join("aqsc-gongzuo-yaodian.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let draft = text.replace(
        "disclosure: 主动公开",
        "disclosure: 主动公开\nstatus: 征求意见稿",
    );
    assert_ne!(draft, text, "the example plan has a disclosure line");
    std::fs::write(&plan, &draft).unwrap();
    for i in 1..12 {
        std::fs::write(dir.join(format!("draft-{i:02}.md")), &draft).unwrap();
    }
    let count = |all: bool| {
        let mut c = gongkai();
        c.arg("check");
        if all {
            c.arg("--all-warnings");
        }
        let out = c.arg("--root").arg(&site).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (err.matches("警告：文件状态是“征求意见稿”").count(), err)
    };
    let (listed, err) = count(false);
    assert_eq!(listed, 10, "{err}");
    assert!(err.contains("另有 2 个同类警告未列出"), "{err}");
    assert!(err.contains("gongkai check --all-warnings"), "{err}");
    let (listed, err) = count(true);
    assert_eq!(listed, 12, "{err}");
    assert!(!err.contains("另有"), "{err}");
}
