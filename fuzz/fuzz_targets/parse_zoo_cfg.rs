//! The zoo.cfg parser on arbitrary bytes: it must return a configuration or an error whose line
//! lies inside the input, never panic; and a configuration's `.zks` header must parse with the
//! script parser into the same ensemble and timing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkplay_core::zoocfg;

fuzz_target!(|data: &[u8]| {
    let text = match zoocfg::decode_utf8(data.to_vec()) {
        Ok(t) => t,
        Err(e) => {
            // Count lines of the bytes the way the parser does (\n, \r, \r\n).
            let lossy = String::from_utf8_lossy(data);
            let n = zoocfg::line_count(&lossy);
            assert!(
                e.line >= 1 && e.line <= n,
                "UTF-8 error line {} of {n}",
                e.line
            );
            return;
        }
    };
    let n = zoocfg::line_count(&text);
    match zoocfg::parse(&text) {
        Ok(cfg) => {
            assert!(cfg.last_line >= 1 && cfg.last_line <= n);
            for s in &cfg.servers {
                assert!(s.line >= 1 && s.line <= n, "server line {} of {n}", s.line);
            }
            let header = cfg.to_script_header();
            let script = match zkplay_core::script::parse(&header) {
                Ok(s) => s,
                Err(e) => panic!("header {header:?} does not parse: {e:?}"),
            };
            let sim = zkplay_core::script::runner::config_of(&script);
            assert_eq!(sim.voters, cfg.voters());
            assert_eq!(sim.observers, cfg.observers());
            assert_eq!(sim.tick_time, cfg.tick_time());
            if let Some(l) = cfg.init_limit {
                assert_eq!(sim.init_limit, l.value);
            }
            if let Some(l) = cfg.sync_limit {
                assert_eq!(sim.sync_limit, l.value);
            }
            assert_eq!(
                sim.min_session_timeout,
                cfg.min_session_timeout.map(|s| s.value)
            );
            assert_eq!(
                sim.max_session_timeout,
                cfg.max_session_timeout.map(|s| s.value)
            );
        }
        Err(e) => {
            assert!(e.line >= 1 && e.line <= n, "error line {} of {n}", e.line);
            assert!(!e.message.is_empty());
        }
    }
});
