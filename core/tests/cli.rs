//! The `zkplay` command line on hostile input: errors are `file:line:col: message` with exit
//! status 2, and `check` runs and reports.

use std::io::Write;
use std::process::{Command, Stdio};

fn zkplay(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zkplay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zkplay runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("zkplay ends");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn invalid_utf8_on_stdin_and_in_a_file_names_line_and_column() {
    let (code, out, err) = zkplay(&["run", "-"], b"servers 3\nstart 1 \xff\n");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.trim(),
        "-:2:9: the script is not valid UTF-8 (byte 0xff)"
    );
    let path = std::env::temp_dir().join(format!("zkplay-cli-{}.zks", std::process::id()));
    std::fs::write(&path, b"servers 3\n\xe2\x82").expect("write script");
    let name = path.to_string_lossy().into_owned();
    let (code, _, err) = zkplay(&["run", &name], b"");
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        format!("{name}:2:1: the script is not valid UTF-8 (byte 0xe2)")
    );
}

#[test]
fn script_errors_exit_with_status_2() {
    let (code, _, err) = zkplay(&["run", "-"], b"servers 300\n");
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "-:1:9: expected the number of voting servers (1..255), found \"300\""
    );
}

#[test]
fn check_runs_seeds_and_reports_them() {
    let (code, out, err) = zkplay(
        &[
            "check",
            "--seeds",
            "3",
            "--servers",
            "3",
            "--ops",
            "20",
            "--jobs",
            "2",
        ],
        b"",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with(
            "zkplay check: 3 seeds (3 servers, 0 observers, 20 ops) on 2 thread(s): 3 passed"
        ),
        "{out}"
    );
    let (code, out, _) = zkplay(&["check", "--seeds", "1", "--print-schedules"], b"");
    assert_eq!(code, 0);
    assert!(
        out.contains("servers 5\n") && out.ends_with("await leader\n"),
        "{out}"
    );
    let (code, _, err) = zkplay(&["check", "--servers", "0"], b"");
    assert_eq!(code, 2, "{err}");
}
