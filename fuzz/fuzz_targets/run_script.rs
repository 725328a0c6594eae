//! The whole runner on small scripts, with every invariant checked after every step: a run
//! must end (bounded inputs keep it fast) without a panic, and a script that ran must run
//! the same way twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkplay_core::script::{Directive, RunOptions};

/// Longest script tried.
const MAX_BYTES: usize = 4096;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_BYTES {
        return;
    }
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(script) = zkplay_core::script::parse(src) else {
        return;
    };
    // Keep each run to milliseconds: few servers, short waits, few steps.
    for l in &script.lines {
        let too_big = match &l.directive {
            Directive::Servers { voters, observers } => *voters as usize + observers.len() > 9,
            Directive::Run(ms) => *ms > 120_000,
            Directive::Step(n) => *n > 10_000,
            Directive::Config(c) => [c.tick_time, c.min_session_timeout, c.max_session_timeout]
                .iter()
                .flatten()
                .any(|&v| v > 10_000 || v == 0),
            _ => false,
        };
        if too_big {
            return;
        }
    }
    let opts = RunOptions {
        events: false,
        check_invariants: true,
    };
    let a = zkplay_core::script::run("fuzz.zks", src, opts);
    let b = zkplay_core::script::run("fuzz.zks", src, opts);
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(a.trace, b.trace, "two runs differ"),
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "two runs fail differently");
            assert!(
                !a.message.contains("invariant violated") || uses_history(&script),
                "{a}"
            );
        }
        (a, b) => panic!("one run failed: {:?} / {:?}", a.err(), b.err()),
    }
});

/// `history` presets a server's log with no-op transactions that no other server has, so
/// safety is only promised for scripts without it.
fn uses_history(script: &zkplay_core::script::Script) -> bool {
    script
        .lines
        .iter()
        .any(|l| matches!(l.directive, Directive::History { .. }))
}
