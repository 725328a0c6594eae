//! The share-link decoder on arbitrary text: it must never panic, and a link it decodes must
//! survive a round trip: encoding what it decoded gives a link that decodes to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkplay_web::share::{Link, decode, encode, encode_lesson};

fuzz_target!(|data: &[u8]| {
    let Ok(fragment) = std::str::from_utf8(data) else {
        return;
    };
    match decode(fragment) {
        Ok(Link::Scenario(s)) => {
            let again = encode(&s);
            assert_eq!(
                decode(&again),
                Ok(Link::Scenario(s)),
                "re-encoded as {again:?}"
            );
        }
        Ok(Link::Lesson {
            name,
            step,
            lang: Some(lang),
        }) => {
            let again = encode_lesson(&name, step, lang);
            assert_eq!(
                decode(&again),
                Ok(Link::Lesson {
                    name,
                    step,
                    lang: Some(lang)
                })
            );
        }
        Ok(_) | Err(_) => {}
    }
});
