//! What the end-to-end tests do to the page, shared by every test file: run JavaScript, poll
//! until the page shows something, click as a user would, and the checks every session ends
//! with (no console errors, no request beyond the page's own files).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;

use crate::{Browser, Error, StaticServer, dist_dir};

/// `id:STATE` of every server the ring shows, in id order.
pub const STATES: &str = r#"
    return [...document.querySelectorAll('[data-server]')]
        .map(e => e.dataset.server + ':' + e.dataset.state).join(' ');
"#;

/// Runs `script` (a function body: it `return`s its value) in the page.
pub async fn js(browser: &Browser, script: &str) -> Result<Value, Error> {
    Ok(browser.client().execute(script, vec![]).await?)
}

/// Polls `script` until it returns `want`, for at most `secs` seconds.
pub async fn wait_js(
    browser: &Browser,
    script: &str,
    want: &Value,
    secs: u64,
) -> Result<(), Error> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let got = js(browser, script).await?;
        if &got == want {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("`{script}` gave {got}, not {want}, after {secs} s").into());
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

/// How many elements match `selector` now.
pub async fn count(browser: &Browser, selector: &str) -> Result<usize, Error> {
    Ok(browser
        .client()
        .find_all(Locator::Css(selector))
        .await?
        .len())
}

/// Waits for `selector` and clicks it, after bringing it to the middle of the viewport (the
/// sticky top bar would otherwise catch a click on an element scrolled just under it).
pub async fn click(browser: &Browser, selector: &str) -> Result<(), Error> {
    let el = browser.wait_for(selector).await?;
    browser
        .client()
        .execute(
            "arguments[0].scrollIntoView({block: 'center', inline: 'center'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    el.click().await?;
    Ok(())
}

/// Sets the speed slider as a user would (an `input` event).
pub async fn set_speed(browser: &Browser, slider: f64) -> Result<(), Error> {
    js(
        browser,
        &format!(
            "const r = document.querySelector('[data-control=speed]'); r.value = '{slider}';
             r.dispatchEvent(new InputEvent('input', {{bubbles: true}})); return r.value;"
        ),
    )
    .await?;
    Ok(())
}

/// Runs `f` and prints how long it took under `what`.
pub async fn timed<T>(what: &str, f: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let start = Instant::now();
    let out = f.await;
    println!("{what}: {:.2} s", start.elapsed().as_secs_f64());
    out
}

/// Prints everything the browser logged and checks that nothing was at level SEVERE and that
/// the panic overlay is not showing.
pub async fn no_console_errors(browser: &Browser) -> Result<(), Error> {
    let console = browser.console_messages().await?;
    for m in &console {
        println!("console {}: {}", m.level, m.message);
    }
    let severe: Vec<_> = console.iter().filter(|m| m.level == "SEVERE").collect();
    assert!(severe.is_empty(), "browser console errors: {severe:#?}");
    assert!(
        browser
            .client()
            .find_all(Locator::Id("panic-overlay"))
            .await?
            .is_empty(),
        "the panic overlay is showing"
    );
    Ok(())
}

/// Every request `server` saw was for one of dist/'s files, and each was found.
pub fn only_own_files(server: &StaticServer) -> Result<(), Error> {
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.ends_with(" 200")),
        "failed requests: {requests:#?}"
    );
    let own: BTreeSet<String> = std::fs::read_dir(dist_dir())?
        .map(|entry| Ok(format!("/{}", entry?.file_name().to_string_lossy())))
        .collect::<Result<_, std::io::Error>>()?;
    for path in server.requested_paths() {
        assert!(
            path == "/" || own.contains(&path),
            "requested {path}, not a file of dist/"
        );
    }
    Ok(())
}
