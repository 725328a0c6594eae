//! A short property-based smoke test of the parsers that fuzzing covers at length (fuzz/):
//! the script parser and the zkCli command parser never panic, and their errors point inside
//! the input. A few hundred cases, so that it stays quick in the normal suite.

use proptest::prelude::*;
use zkplay_core::script::{parse, parse_zk_command};

/// Words that make up scripts and zkCli commands, so that generated lines get past the first
/// word often enough to exercise the rest of the parser.
const WORDS: &[&str] = &[
    "servers",
    "observers",
    "config",
    "tickTime=200",
    "initLimit=10",
    "syncLimit=0",
    "network",
    "latency=1..5ms",
    "latency=9..2",
    "loss=0.5",
    "loss=2",
    "seed=0x10",
    "history",
    "zxid=0x100000009",
    "zxid=-1",
    "start",
    "together",
    "crash",
    "restart",
    "partition",
    "/",
    "->",
    "heal",
    "run",
    "500ms",
    "2s",
    "99999999999999999999s",
    "step",
    "await",
    "leader",
    "status",
    "connect",
    "c1",
    "c1:",
    "to",
    "timeout",
    "expire",
    "close",
    "create",
    "-s",
    "-e",
    "-c",
    "-t",
    "get",
    "-w",
    "ls",
    "-R",
    "stat",
    "set",
    "-v",
    "-v3",
    "delete",
    "deleteall",
    "getAcl",
    "setAcl",
    "addauth",
    "digest",
    "sync",
    "/a",
    "/a/b",
    "world:anyone:cdrwa",
    "\"",
    "\"x y\"",
    "\"\\\"\"",
    "\"\\q\"",
    "#",
    "0",
    "1",
    "3",
    "255",
    "256",
    "-1",
    "--",
    "😀",
    "汉字",
    "\t",
    "x",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..8).prop_map(|w| w.join(" ")),
        1 => any::<String>(),
    ]
}

fn script() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..12).prop_map(|ls| ls.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn script_parser_never_panics_and_points_inside(src in script()) {
        let lines = src.split('\n').count() as u32;
        match parse(&src) {
            Ok(s) => {
                for l in &s.lines {
                    prop_assert!(l.line >= 1 && l.line <= lines);
                }
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {}", e.line, lines);
                let text = src.split('\n').nth(e.line as usize - 1).unwrap_or("");
                let width = text.trim_end_matches('\r').chars().count() as u32;
                prop_assert!(e.col >= 1 && e.col <= width + 1, "col {} of {}", e.col, width);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn zkcli_parser_never_panics(text in line()) {
        if let Err(e) = parse_zk_command(&text) {
            prop_assert!(!e.message.is_empty());
        }
    }
}
