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
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 plans"));
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
    assert!(err.contains("12 problems found"), "{err}");
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

fn http_get(port: u16, target: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// Kills the server when the test ends, also on failure.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_builds_and_serves_only_the_output_on_loopback() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(gongkai().arg("init").arg(&site).status().unwrap().success());
    // A free port: bind, note it, release it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = gongkai()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&site)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let stdout = child.0.stdout.take().unwrap();
    let mut line = String::new();
    let mut reader = std::io::BufReader::new(stdout);
    // Wait for "serving http://127.0.0.1:PORT/…", bounded.
    for _ in 0..50 {
        line.clear();
        std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
        if line.starts_with("serving") {
            break;
        }
    }
    assert!(
        line.starts_with(&format!("serving http://127.0.0.1:{port}/zwgk/aqsc/")),
        "{line}"
    );

    let home = http_get(port, "/zwgk/aqsc/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("Content-Type: text/html; charset=utf-8"));
    assert!(home.contains("示例区安全生产规划公开"));
    assert!(http_get(port, "/").starts_with("HTTP/1.1 302"));
    assert!(
        http_get(port, "/zwgk/aqsc/static/style.css")
            .contains("Content-Type: text/css; charset=utf-8")
    );
    assert!(http_get(port, "/zwgk/aqsc/../../site.yaml").starts_with("HTTP/1.1 403"));
    assert!(http_get(port, "/zwgk/aqsc/%2e%2e/site.yaml").starts_with("HTTP/1.1 403"));
    let missing = http_get(port, "/zwgk/aqsc/no-such-page/");
    assert!(
        missing.starts_with("HTTP/1.1 404") && missing.contains("页面不存在"),
        "{missing}"
    );
}
