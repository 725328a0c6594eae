//! The built page (dist/) in headless Chromium: it loads under its CSP, lists the
//! servers, logs no errors and fetches nothing but its own files.

use std::collections::BTreeSet;

use fantoccini::Locator;
use zkplay_e2e::{Browser, Error, StaticServer, Viewport, dist_dir, png_size};

#[tokio::test]
async fn page_lists_servers_with_only_its_own_files_and_no_errors() -> Result<(), Error> {
    let dist = dist_dir();
    let server = StaticServer::start(dist.clone())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;
    browser.goto(&server.url("/")).await?;

    // The app rendered the default scenario: three servers in id order.
    let servers = browser.wait_for_count("#servers li.server", 3).await?;
    let mut ids = Vec::new();
    for server in &servers {
        ids.push(server.attr("data-id").await?.unwrap_or_default());
        let state = server.attr("data-state").await?.unwrap_or_default();
        let shown = server
            .find(Locator::Css(".server-state"))
            .await?
            .text()
            .await?;
        assert_eq!(
            shown, state,
            "a server shows a state other than its data-state"
        );
    }
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(browser.client().title().await?, "zkplay");
    assert!(
        browser
            .client()
            .find_all(Locator::Id("panic-overlay"))
            .await?
            .is_empty()
    );
    assert!(
        browser
            .client()
            .find_all(Locator::Id("script-error"))
            .await?
            .is_empty()
    );

    // It ran under its Content-Security-Policy (no inline scripts), not around it.
    let csp = browser
        .client()
        .execute(
            r#"const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
               return m && m.content;"#,
            vec![],
        )
        .await?;
    let csp = csp.as_str().unwrap_or_default();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "CSP: {csp:?}"
    );
    let inline_scripts = browser
        .client()
        .execute(
            "return document.querySelectorAll('script:not([src])').length;",
            vec![],
        )
        .await?;
    assert_eq!(
        inline_scripts, 0,
        "the page has inline scripts, which its CSP blocks"
    );

    let desktop = browser.screenshot("home-1366x768").await?;
    assert_eq!(png_size(&std::fs::read(&desktop)?), Some((1366, 768)));
    browser.set_viewport(Viewport::PHONE).await?;
    browser.wait_for("#servers li.server").await?;
    let phone = browser.screenshot("home-390x844").await?;
    assert_eq!(png_size(&std::fs::read(&phone)?), Some((390, 844)));

    let console = browser.console_messages().await?;
    for message in &console {
        println!("console {}: {}", message.level, message.message);
    }
    let severe: Vec<_> = console.iter().filter(|m| m.level == "SEVERE").collect();
    assert!(severe.is_empty(), "browser console errors: {severe:#?}");
    browser.close().await?;

    // Every request was for one of the page's own files, and each was found.
    let requests = server.requests();
    println!("requests: {requests:#?}");
    assert!(
        requests.iter().all(|r| r.ends_with(" 200")),
        "failed requests: {requests:#?}"
    );
    let own_files: BTreeSet<String> = std::fs::read_dir(&dist)?
        .map(|entry| Ok(format!("/{}", entry?.file_name().to_string_lossy())))
        .collect::<Result<_, std::io::Error>>()?;
    let requested = server.requested_paths();
    for path in &requested {
        assert!(
            path == "/" || own_files.contains(path),
            "requested {path}, not a file of dist/"
        );
    }
    for suffix in ["/", "/boot.js", ".js", "_bg.wasm", ".css", ".svg"] {
        assert!(
            requested.iter().any(|p| p.ends_with(suffix)),
            "{suffix} never requested: {requested:?}"
        );
    }
    Ok(())
}
