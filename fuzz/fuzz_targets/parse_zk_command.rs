//! The zkCli command parser (what follows `c1:` and the page's console) on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = zkplay_core::script::parse_zk_command(text) {
        assert!(!e.message.is_empty());
    }
});
