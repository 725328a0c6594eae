//! A short property-based smoke test of the parsers that fuzzing covers at length (fuzz/):
//! the script parser, the zkCli command parser and the zoo.cfg parser never panic, and their
//! errors point inside the input; a zoo.cfg that parses gives a header the script parser takes.
//! A few hundred cases, so that it stays quick in the normal suite.

use proptest::prelude::*;
use zkplay_core::script::{parse, parse_zk_command, runner::config_of};
use zkplay_core::zoocfg;

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

/// Pieces of zoo.cfg lines: keys, separators, values and the characters the properties syntax
/// treats specially.
const CFG_PIECES: &[&str] = &[
    "server.1",
    "server.2",
    "server.3",
    "server.4",
    "server.5",
    "server.0",
    "server.256",
    "server.x",
    "server.",
    "Server.1",
    "tickTime",
    "ticktime",
    "initLimit",
    "syncLimit",
    "minSessionTimeout",
    "maxSessionTimeout",
    "electionAlg",
    "peerType",
    "standaloneEnabled",
    "multiAddress.enabled",
    "clientPort",
    "clientPortAddress",
    "dataDir",
    "group.1",
    "weight.1",
    "dynamicConfigFile",
    "=",
    ":",
    " ",
    "\t",
    "\\",
    "\\u0041",
    "\\ud83d",
    "#",
    "!",
    "\n",
    "\r",
    "\r\n",
    "zoo1",
    "[::1]",
    "[",
    "]:",
    "2888",
    "3888",
    "2181",
    ";",
    "|",
    ":observer",
    ":participant",
    "observer",
    "true",
    "false",
    "0",
    "-1",
    "3",
    "5",
    "10",
    "2000",
    "2147483648",
    "99999999999999999999",
    "汉字",
    "\u{feff}",
];

fn cfg_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(CFG_PIECES), 0..60).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
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

    #[test]
    fn zoocfg_parser_never_panics_and_its_header_parses(text in cfg_text()) {
        let lines = zoocfg::line_count(&text);
        match zoocfg::parse(&text) {
            Ok(cfg) => {
                let header = cfg.to_script_header();
                let script = parse(&header);
                prop_assert!(script.is_ok(), "{:?} gave {:?}: {:?}", text, header, script);
                let sim = config_of(&script.unwrap());
                prop_assert_eq!(sim.voters, cfg.voters());
                prop_assert_eq!(sim.observers, cfg.observers());
                prop_assert_eq!(sim.tick_time, cfg.tick_time());
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {}", e.line, lines);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn zoocfg_comments_change_nothing(noise in cfg_text(), bang in any::<bool>()) {
        // Whatever follows `#` or `!` on a line is a comment, even a trailing backslash.
        let noise: String = noise.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        let good = "initLimit=10\nsyncLimit=5\nserver.1=a:2888:3888\nserver.2=b:2888:3888:observer\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n";
        let mark = if bang { "!" } else { "#" };
        let text = format!("  {mark}{noise}\n{good}\t{mark}{noise}\n");
        let cfg = zoocfg::parse(&text);
        prop_assert!(cfg.is_ok(), "{:?}: {:?}", text, cfg);
        prop_assert_eq!(
            cfg.unwrap().to_script_header(),
            "servers 3\nconfig tickTime=3000 initLimit=10 syncLimit=5\n"
        );
    }
}
