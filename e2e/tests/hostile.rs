//! Hostile input in the built page (dist/) in headless Chromium. Markup in znode data, znode
//! paths, lesson titles and notes arrives by a share link and is shown as text on every panel,
//! never run or parsed as HTML; scripts with 0 or 300 servers, huge durations, a client name
//! with markup or a megabyte of text get an error that names their line while the text stays
//! in the editor; a bad zoo.cfg names its line and changes nothing; links that are too big,
//! not base64, not zlib, not UTF-8 or carry a bad script show a message and the default
//! scenario with nothing run. No console errors (a CSP violation is one), no request beyond
//! the page's own files.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use zkplay_e2e::steps::{STATES, click, js, no_console_errors, only_own_files, timed, wait_js};
use zkplay_e2e::{Browser, Error, StaticServer, Viewport, dist_dir};

/// Each payload, if it ever ran, would add its number to `window.__pwned`.
const HOSTILE: &str = r#"title en "<img src=x onerror=\"(window.__pwned = window.__pwned || []).push(1)\">" zh "<script>(window.__pwned = window.__pwned || []).push(2)</script>"
servers 3
config tickTime=200
start 1 2 3
note en "<img src=x onerror=\"(window.__pwned = window.__pwned || []).push(3)\"> and <b>bold</b>" zh "<script>(window.__pwned = window.__pwned || []).push(4)</script>"
connect c1 to 1
c1: create /evil "<img src=x onerror=\"(window.__pwned = window.__pwned || []).push(5)\">"
c1: create /<b>b<
c1: set /<b>b< "<svg onload=\"(window.__pwned = window.__pwned || []).push(6)\"></svg>"
c1: get -w /evil
c1: create -e /evil/<i>e< "<iframe src=javascript:alert(7)></iframe>"
pause
c1: set /evil "<script>(window.__pwned = window.__pwned || []).push(8)</script>"
"#;

/// Whatever markup could have been made from the payloads, and whether any ran.
const INJECTED: &str = r#"
    return {
        pwned: window.__pwned || null,
        img: document.querySelectorAll('img').length,
        inlineScripts: document.querySelectorAll('script:not([src])').length,
        iframes: document.querySelectorAll('iframe').length,
        bold: document.querySelectorAll('b, i').length,
        svgOnload: document.querySelectorAll('svg[onload]').length,
    };
"#;

/// The ring's servers, the clock and the position (what a link must not have moved).
const DEFAULT_SHOWN: &str = r#"
    return [document.querySelectorAll('[data-server]').length,
            document.querySelector('[data-pos]').dataset.pos];
"#;

fn clean() -> Value {
    json!({"pwned": null, "img": 0, "inlineScripts": 0, "iframes": 0, "bold": 0, "svgOnload": 0})
}

/// The page's whole visible text.
async fn page_text(browser: &Browser) -> Result<String, Error> {
    let t = js(browser, "return document.body.innerText").await?;
    Ok(t.as_str().unwrap_or_default().to_owned())
}

/// A scenario link (`#v=1&z=…`) around `bytes`, as the page writes them: zlib, then URL-safe
/// base64 without padding.
fn link_of(bytes: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6);
    format!("/#v=1&z={}", URL_SAFE_NO_PAD.encode(packed))
}

/// Puts `text` in the scenario editor and presses Run, as a user would.
async fn run_in_editor(browser: &Browser, text: &str) -> Result<(), Error> {
    click(browser, "[data-tab=script]").await?;
    browser.wait_for("[data-control=editor]").await?;
    browser
        .client()
        .execute(
            "const t = document.querySelector('[data-control=editor]'); t.value = arguments[0];
             t.dispatchEvent(new InputEvent('input', {bubbles: true})); return 1",
            vec![Value::String(text.to_owned())],
        )
        .await?;
    click(browser, "[data-action=run-script]").await?;
    Ok(())
}

/// Waits for the editor's error, checks it names `line` and that the text is still there.
async fn editor_error(browser: &Browser, line: usize, text: &str) -> Result<String, Error> {
    let want = Value::String(line.to_string());
    wait_js(
        browser,
        "const e = document.querySelector('[data-error-line]'); return e && e.dataset.errorLine",
        &want,
        20,
    )
    .await?;
    let shown = js(
        browser,
        "const e = document.querySelector('[data-script-error]'); return e ? e.innerText : ''",
    )
    .await?;
    let kept = js(
        browser,
        "return document.querySelector('[data-control=editor]').value",
    )
    .await?;
    assert_eq!(kept.as_str(), Some(text), "the editor lost the text");
    Ok(shown.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn hostile_input_is_shown_as_text_or_refused_with_its_place() -> Result<(), Error> {
    let server = StaticServer::start(dist_dir())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;

    // Markup in a script that arrives by link: shown as text on every panel, never run.
    timed("markup by link", async {
        browser.goto(&server.url("/")).await?;
        browser.wait_for_count("[data-server]", 5).await?;
        let loaded = js(
            &browser,
            &format!("return window.zkplay.load({})", Value::String(HOSTILE.into())),
        )
        .await?;
        assert_eq!(loaded["ok"], true, "{loaded}");
        let link = js(&browser, "return window.zkplay.shareLink()").await?;
        let link = link.as_str().unwrap_or_default().to_owned();
        assert!(link.contains("#v=1&z="), "{link}");
        browser.goto("about:blank").await?;
        browser.goto(&link).await?;
        browser.wait_for(".lesson-panel").await?;
        let text = page_text(&browser).await?;
        assert!(
            text.contains("<img src=x onerror=\"(window.__pwned = window.__pwned || []).push(1)\">"),
            "the title is not shown as text:\n{text}"
        );
        // Play to the pause, then past it to the end.
        click(&browser, "[data-action=lesson-next]").await?;
        wait_js(
            &browser,
            "const p = document.querySelector('.lesson-panel'); return p && p.dataset.place",
            &"stop".into(),
            30,
        )
        .await?;
        let text = page_text(&browser).await?;
        assert!(text.contains("and <b>bold</b>"), "the note is not shown as text:\n{text}");
        assert_eq!(js(&browser, INJECTED).await?, clean());
        click(&browser, "[data-action=lesson-next]").await?;
        wait_js(
            &browser,
            "const p = document.querySelector('.lesson-panel'); return p && p.dataset.place",
            &"end".into(),
            30,
        )
        .await?;
        assert_eq!(js(&browser, INJECTED).await?, clean());
        // Every panel, with the markup on it.
        for tab in ["events", "spacetime", "clients", "znodes", "script"] {
            click(&browser, &format!("[data-tab={tab}]")).await?;
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            assert_eq!(js(&browser, INJECTED).await?, clean(), "on the {tab} panel");
        }
        click(&browser, "[data-tab=znodes]").await?;
        click(&browser, "[data-znode='/evil']").await?;
        let text = page_text(&browser).await?;
        assert!(
            text.contains("<script>(window.__pwned = window.__pwned || []).push(8)</script>"),
            "/evil's data is not shown as text:\n{text}"
        );
        click(&browser, "[data-znode='/<b>b<']").await?;
        let text = page_text(&browser).await?;
        assert!(text.contains("<svg onload="), "{text}");
        // c1's console: the watch event and a `get` print the path and data as text.
        click(&browser, "[data-tab=clients]").await?;
        click(&browser, "[data-session-client='c1']").await?;
        let input = browser.wait_for("[data-console-input]").await?;
        input.send_keys("get /evil/<i>e<\u{E007}").await?;
        // The script has ended: play on so that the command runs.
        click(&browser, "[data-action=play]").await?;
        wait_js(
            &browser,
            "const o = document.querySelector('[data-console-output]'); return !!o && o.innerText.includes('<iframe src=javascript:alert(7)></iframe>')",
            &true.into(),
            20,
        )
        .await?;
        let out = js(&browser, "return document.querySelector('[data-console-output]').innerText").await?;
        assert!(
            out.as_str().unwrap_or_default().contains("type:NodeDataChanged path:/evil"),
            "{out}"
        );
        assert_eq!(js(&browser, INJECTED).await?, clean());
        browser.screenshot("hostile-markup-1366x768").await?;
        Ok(())
    })
    .await?;

    // Bad scripts in the editor: an error that names the line; the text stays; nothing runs.
    timed("bad scripts", async {
        browser.goto("about:blank").await?;
        browser.goto(&server.url("/")).await?;
        browser.wait_for_count("[data-server]", 5).await?;
        let huge: String = (0..20_000)
            .map(|i| format!("# line {i} of a long script, padded out to fifty bytes\n"))
            .collect::<String>()
            + "servers 3\nstart 1 2 x\n";
        assert!(huge.len() > 1_000_000);
        let cases: [(&str, usize, &str); 5] = [
            ("servers 0\nstart\n", 1, "servers"),
            ("servers 300\nstart\n", 1, "servers"),
            (
                "servers 3\nstart 1 2 3\nrun 99999999999999h\n",
                3,
                "duration",
            ),
            (
                "servers 3\nstart 1 2 3\nconnect <img src=x onerror=alert(1)>\n",
                3,
                "client name",
            ),
            (&huge, 20_002, "\"x\""),
        ];
        for (text, line, mentions) in cases {
            run_in_editor(&browser, text).await?;
            let shown = editor_error(&browser, line, text).await?;
            println!("line {line}: {shown}");
            assert!(shown.contains(mentions), "line {line}: {shown}");
            // The playground did not change: five servers, never stepped.
            assert_eq!(
                js(&browser, DEFAULT_SHOWN).await?,
                json!([5, "0"]),
                "{shown}"
            );
        }
        assert_eq!(js(&browser, INJECTED).await?, clean());
        browser.screenshot("hostile-script-1366x768").await?;
        Ok(())
    })
    .await?;

    // A zoo.cfg pasted into the scenario dialog: a bad one names its line and changes
    // nothing, the text stays; a good one fills in the fields and builds that ensemble.
    timed("zoo.cfg", async {
        browser.goto("about:blank").await?;
        browser.goto(&server.url("/")).await?;
        browser.wait_for_count("[data-server]", 5).await?;
        click(&browser, "[data-action=settings]").await?;
        click(&browser, ".zoo-cfg-box summary").await?;
        let paste = |text: &str| {
            browser.client().execute(
                "const t = document.querySelector('[data-zoo-cfg]'); t.value = arguments[0];
                 t.dispatchEvent(new InputEvent('input', {bubbles: true})); return 1",
                vec![Value::String(text.to_owned())],
            )
        };
        let fields = "return ['voters', 'observers', 'tick', 'init', 'sync']
            .map(c => document.querySelector(`[data-control=${c}]`).value).join(' ')";
        let before = js(&browser, fields).await?;
        let bad = "tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=a:2888:3888\n\
                   server.2=<img src=x onerror=alert(1)>\nserver.3=c:2888:3888\n";
        paste(bad).await?;
        click(&browser, "[data-action=apply-zoo-cfg]").await?;
        browser.wait_for("[data-zoo-cfg-error]").await?;
        let error = js(
            &browser,
            "return document.querySelector('[data-zoo-cfg-error]').innerText",
        )
        .await?;
        println!("zoo.cfg error: {error}");
        assert!(
            error.as_str().unwrap_or_default().contains('5'),
            "the error names line 5: {error}"
        );
        assert_eq!(js(&browser, fields).await?, before);
        assert_eq!(
            js(
                &browser,
                "return document.querySelector('[data-zoo-cfg]').value"
            )
            .await?,
            bad
        );
        assert_eq!(js(&browser, INJECTED).await?, clean());
        browser.screenshot("hostile-zoo-cfg-1366x768").await?;
        let good = "tickTime=500\ninitLimit=6\nsyncLimit=3\nserver.1=a:2888:3888\n\
                    server.2=b:2888:3888\nserver.3=c:2888:3888\nserver.4=d:2888:3888:observer\n";
        paste(good).await?;
        click(&browser, "[data-action=apply-zoo-cfg]").await?;
        wait_js(&browser, fields, &"3 1 500 6 3".into(), 5).await?;
        click(&browser, "[data-action=apply-scenario]").await?;
        browser.wait_for_count("[data-server]", 4).await?;
        js(&browser, "window.zkplay.runUntilLeader(); return 1").await?;
        let status = js(
            &browser,
            "return window.zkplay.status().servers.map(s => s.id + ':' + s.state).join(' ')",
        )
        .await?;
        let status = status.as_str().unwrap_or_default().to_owned();
        assert!(
            status.ends_with("4:OBSERVING") && status.contains("LEADING"),
            "{status}"
        );
        Ok(())
    })
    .await?;

    // Bad links: a message, the default scenario, nothing run.
    timed("bad links", async {
        let bad_script = json!({"script": "servers 300\nstart\n", "seed": 1, "pos": 9, "lang": "en", "view": "events"});
        let far = json!({"script": "servers 3\nstart 1 2 3\n", "seed": 1, "pos": 1u64 << 62, "lang": "en", "view": "events"});
        let cases = [
            (format!("/#v=1&z={}", "A".repeat(100 * 1024 + 1)), "too-big"),
            ("/#v=1&z=not*base64!".to_owned(), "damaged"),
            ("/#v=1&z=%%%".to_owned(), "damaged"),
            ("/#v=7&z=AAAA".to_owned(), "version"),
            ("/#lesson=Startup".to_owned(), "malformed"),
            ("/#lesson=no-such-lesson".to_owned(), "lesson"),
            (format!("/#v=1&z={}", URL_SAFE_NO_PAD.encode(b"plainly not zlib")), "damaged"),
            (link_of(b"{\"script\": \"\xff\xfe servers 3\"}"), "damaged"),
            ("/#lesson=%FF%FE".to_owned(), "malformed"),
            ("/#lesson=startup-3&step=1&lang=<b>zh</b>".to_owned(), "malformed"),
            (link_of(far.to_string().as_bytes()), "malformed"),
            (link_of(b"<script>alert(1)</script>"), "malformed"),
            (link_of(bad_script.to_string().as_bytes()), "script"),
        ];
        for (link, kind) in &cases {
            browser.goto("about:blank").await?;
            browser.goto(&server.url(link)).await?;
            browser.wait_for_count("[data-server]", 5).await?;
            wait_js(
                &browser,
                "const n = document.querySelector('[data-link-error]'); return n && n.dataset.linkError",
                &Value::String((*kind).into()),
                10,
            )
            .await?;
            assert_eq!(
                js(&browser, STATES).await?,
                "1:LOOKING 2:LOOKING 3:LOOKING 4:LOOKING 5:LOOKING",
                "{kind}"
            );
            assert_eq!(js(&browser, DEFAULT_SHOWN).await?, json!([5, "0"]), "{kind}");
            assert_eq!(js(&browser, INJECTED).await?, clean(), "{kind}");
        }
        // The bad script came with the link: it waits in the editor with its error.
        let kept = js(&browser, "return document.querySelector('[data-control=editor]').value").await?;
        assert_eq!(kept, "servers 300\nstart\n");
        browser.screenshot("hostile-link-1366x768").await?;
        // The notice goes away when dismissed.
        click(&browser, ".link-notice button").await?;
        wait_js(&browser, "return document.querySelectorAll('[data-link-error]').length", &0.into(), 5).await?;
        Ok(())
    })
    .await?;

    no_console_errors(&browser).await?;
    browser.close().await?;
    only_own_files(&server)?;
    Ok(())
}
