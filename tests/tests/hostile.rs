//! Hostile scripts: huge, malformed or absurd input gives a clear `file:line:col:` error or
//! runs in bounded time; nothing panics or hangs.

use std::time::{Duration, Instant};

use zkplay_core::script::runner::{RunOptions, Runner, SETTLE_LIMIT_MS};
use zkplay_core::script::source::decode_utf8;
use zkplay_core::script::{RunError, RunOutput, parse, run};

fn check_run(src: &str) -> Result<RunOutput, RunError> {
    run(
        "hostile.zks",
        src,
        RunOptions {
            events: false,
            check_invariants: true,
        },
    )
}

fn check_error(src: &str, expected: &str) {
    match check_run(src) {
        Ok(_) => panic!("ran, expected {expected}"),
        Err(e) => assert_eq!(e.to_string(), expected),
    }
}

/// Runs `src` with a small per-directive step limit (the default, 10 million steps, takes
/// seconds in an optimised build and far longer in a test build).
fn run_with_step_limit(src: &str, limit: u64) -> Result<(), String> {
    let script = parse(src).map_err(|e| e.message)?;
    let mut r = Runner::new(&script, RunOptions::default());
    r.set_max_directive_steps(limit);
    for l in &script.lines {
        r.exec(l.line, &l.directive)
            .map_err(|e| format!("{}: {e}", l.line))?;
    }
    Ok(())
}

#[test]
fn a_megabyte_script_parses_and_its_error_names_the_last_line() {
    let mut src = String::from("servers 3\nstart 1 2 3\nconnect c1\n");
    while src.len() < 1_000_000 {
        src.push_str("# a comment line that only makes the script longer\n");
    }
    src.push_str("c1: create /a \"x\"\nfrobnicate 1\n");
    let n = src.lines().count();
    let t = Instant::now();
    let Err(e) = check_run(&src) else {
        panic!("frobnicate is no directive")
    };
    assert!(
        e.to_string()
            .starts_with(&format!("hostile.zks:{n}:1: expected a directive")),
        "{e}"
    );
    assert!(e.to_string().ends_with("found \"frobnicate\""), "{e}");
    assert!(t.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_megabyte_of_data_and_a_megabyte_line_run() {
    let big = "y".repeat(1_000_000);
    let out = check_run(&format!(
        "servers 3\nstart 1 2 3\nconnect c1\nc1: create /a \"{big}\"\nc1: get /a\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.trace.last().is_some_and(|l| l.contains(&big)));
    // A megabyte of words on one line: an error at the first bad word, found at once.
    let line = "x ".repeat(500_000);
    check_error(
        &format!("servers 3\nstart {line}\n"),
        "hostile.zks:2:7: expected a server id, found \"x\"",
    );
}

#[test]
fn zero_or_300_servers_are_errors() {
    check_error(
        "servers 0\nstart\n",
        "hostile.zks:1:9: expected the number of voting servers (1..255), found \"0\"",
    );
    check_error(
        "servers 300\n",
        "hostile.zks:1:9: expected the number of voting servers (1..255), found \"300\"",
    );
    check_error(
        "servers 3 observers 300\n",
        "hostile.zks:1:21: expected a server id, found \"300\" (server ids are 1..255)",
    );
}

#[test]
fn huge_durations_and_step_counts_stop_with_an_error() {
    // 10^14 ms of simulated time, u64::MAX ms, four billion steps: each directive stops at
    // the step limit with an error on its line instead of running for days.
    for (directive, line) in [
        ("run 99999999999s", 3),
        ("run 18446744073709551615", 3),
        ("step 4294967295", 3),
    ] {
        let src = format!("servers 3\nstart 1 2 3\n{directive}\nstatus\n");
        let t = Instant::now();
        let e = run_with_step_limit(&src, 50_000).expect_err(directive);
        assert!(
            e.starts_with(&format!("{line}: gave up after 50000 steps")),
            "{directive}: {e}"
        );
        assert!(t.elapsed() < Duration::from_secs(20), "{directive}");
    }
    // A duration that does not fit in 64 bits is a parse error.
    check_error(
        "servers 3\nrun 99999999999999999999s\n",
        "hostile.zks:2:5: expected a duration such as 500ms or 2s, found \"99999999999999999999s\"",
    );
    // Settling never waits longer than its limit, however slow the ensemble.
    assert_eq!(SETTLE_LIMIT_MS, 60_000);
}

#[test]
fn absurd_history_zxids_run_in_bounded_time() {
    let t = Instant::now();
    // Four billion no-op transactions are not materialised: a preset keeps the last
    // thousand and a snapshot before them.
    let out = check_run("servers 3\nhistory 1 zxid=0x1ffffffff\nstart 1 2 3\nstatus\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.trace[0],
        r#"{"line":4,"status":{"1":"LEADING","2":"FOLLOWING","3":"FOLLOWING"},"leader":1,"epoch":2}"#
    );
    // The largest epoch: the next one overflows a signed zxid, as it would in ZooKeeper.
    // Whatever the ensemble does then, the run ends with a trace or an error on a line.
    for src in [
        "servers 3\nhistory 1 zxid=0x7fffffffffffffff\nstart 1 2 3\nstatus\n",
        "servers 3\nhistory 1 zxid=0x7fffffff00000000\nhistory 2 zxid=0x7fffffff00000000\n\
         history 3 zxid=0x7fffffff00000000\nstart 1 2 3\nconnect c1\nc1: create /a\nstatus\n",
    ] {
        if let Err(e) = check_run(src) {
            assert!(e.to_string().starts_with("hostile.zks:"), "{e}");
        }
    }
    // A zxid that does not fit in a signed 64-bit integer is a parse error.
    check_error(
        "servers 3\nhistory 1 zxid=0x8000000000000000\n",
        "hostile.zks:2:11: expected zxid=VALUE with a hexadecimal (0x…) or decimal zxid, \
         found \"zxid=0x8000000000000000\"",
    );
    assert!(t.elapsed() < Duration::from_secs(30));
}

#[test]
fn invalid_utf8_is_an_error_with_its_position() {
    let e = decode_utf8("s.zks", b"servers 3\nstart 1 \xff\n".to_vec()).expect_err("invalid");
    assert_eq!(
        e.to_string(),
        "s.zks:2:9: the script is not valid UTF-8 (byte 0xff)"
    );
}

#[test]
fn history_bug_01() {
    // Postmortem: the run_script fuzz target ran out of memory (2 GB) after 90 s on a golden
    // script mutated to `history 1 zxid=0x050000004`: a preset logged one no-op transaction
    // per counter value, 1.3 billion of them. A preset now logs at most the last
    // PRESET_MAX_TXNS and puts a snapshot before them.
    let src = "servers 5\nhistory 1 zxid=0x050000004\nhistory 2 zxid=0x100000009\n\
               history 3 zxid=0x100000009\nhistory 3 zxid=0x100000008\n\
               history 5 zxid=0x100000008\nstart 3 4 5 together\nstatus\n";
    let t = Instant::now();
    let out = check_run(src).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.trace.len(), 1);
    let log = &out.sim.servers()[0].disk.log;
    assert!(log.len() <= zkplay_core::server::PRESET_MAX_TXNS as usize);
    assert!(t.elapsed() < Duration::from_secs(20));
}
