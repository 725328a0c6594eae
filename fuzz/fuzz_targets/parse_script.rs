//! The `.zks` parser on arbitrary text: it must return a script or an error with a line and
//! column inside the input, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    match zkplay_core::script::parse(src) {
        Ok(script) => {
            let n_lines = src.lines().count().max(1) as u32 + 1;
            for l in &script.lines {
                assert!(
                    l.line >= 1 && l.line <= n_lines,
                    "line {} of {n_lines}",
                    l.line
                );
            }
        }
        Err(e) => {
            let n_lines = src.split('\n').count() as u32;
            assert!(
                e.line >= 1 && e.line <= n_lines,
                "error line {} of {n_lines}",
                e.line
            );
            assert!(e.col >= 1, "error column {}", e.col);
            assert!(!e.message.is_empty());
        }
    }
});
