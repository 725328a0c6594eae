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

#[test]
fn zoocfg_prints_the_header_or_file_line_message() {
    let cfg = b"tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/lib/zookeeper\n\
                clientPort=2181\nserver.1=zoo1:2888:3888\nserver.2=zoo2:2888:3888\n\
                server.3=zoo3:2888:3888\nserver.4=zoo4:2888:3888:observer\n";
    let (code, out, err) = zkplay(&["zoocfg", "-"], cfg);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "servers 3 observers 4\nconfig tickTime=2000 initLimit=10 syncLimit=5\n"
    );
    // What it prints is a script header `zkplay run` takes.
    let script = format!("{out}start\nstatus\n");
    let (code, trace, err) = zkplay(&["run", "-"], script.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(trace.contains("\"4\":\"OBSERVING\""), "{trace}");

    let path = std::env::temp_dir().join(format!("zkplay-cli-{}.cfg", std::process::id()));
    std::fs::write(
        &path,
        b"initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.x=b:1:2\n",
    )
    .expect("write zoo.cfg");
    let name = path.to_string_lossy().into_owned();
    let (code, out, err) = zkplay(&["zoocfg", &name], b"");
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.trim(),
        format!("{name}:4: server.x: \"x\" is not a number")
    );
    std::fs::write(&path, b"server.1=a:1:2\nserver.2=b:1:2\nsyncLimit=5\n").expect("write");
    let (code, _, err) = zkplay(&["zoocfg", &name], b"");
    std::fs::remove_file(&path).ok();
    assert_eq!(
        (code, err.trim()),
        (2, format!("{name}:3: initLimit is not set").as_str())
    );

    let (code, _, err) = zkplay(&["zoocfg", "-"], b"dataDir=/zk\nserver.1=\xff\n");
    assert_eq!(code, 2);
    assert_eq!(err.trim(), "-:2: the file is not valid UTF-8 (byte 0xff)");
    let (code, _, err) = zkplay(&["zoocfg", "/nonexistent/zoo.cfg"], b"");
    assert_eq!(code, 2);
    assert!(
        err.starts_with("/nonexistent/zoo.cfg: cannot read"),
        "{err}"
    );
}
