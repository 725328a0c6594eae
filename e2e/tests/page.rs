//! The built page (dist/) in headless Chromium: the playground loads under its CSP with only
//! its own files and no console errors, shows five servers, elects a leader when played,
//! steps back to exactly what it showed, elects a new leader when the leader is crashed
//! through the UI, and answers `window.zkplay`. Screenshots go to screenshots/.

use std::time::{Duration, Instant};

use zkplay_e2e::steps::{
    STATES, click, count, js, no_console_errors, only_own_files, set_speed, timed, wait_js,
};
use zkplay_e2e::{Browser, Error, StaticServer, Viewport, dist_dir, png_size};

/// What the page shows of the run: the ensemble's whole SVG, the clock and the position.
const SHOWN: &str = r#"
    const svg = document.querySelector('svg.ensemble');
    const clock = document.querySelector('[data-sim-time]');
    const pos = document.querySelector('[data-pos]');
    return [svg && svg.outerHTML, clock && clock.dataset.simTime, pos && pos.dataset.pos];
"#;

/// True once a leader is established (what `status` calls the leader).
const ESTABLISHED: &str = "return window.zkplay.status().leader !== null";

/// Drags from one server to another with pointer events, one event per round trip (as a
/// user's events come, each after the page has rendered the one before).
async fn drag(browser: &Browser, from: &str, to: &str) -> Result<(), Error> {
    let setup = format!(
        "const c = s => {{ const r = document.querySelector(`[data-server='${{s}}'] .shape`).getBoundingClientRect();
                          return [r.left + r.width / 2, r.top + r.height / 2]; }};
         window.__drag = {{ a: c('{from}'), b: c('{to}') }};
         window.__ev = (target, type, [x, y]) => target.dispatchEvent(new PointerEvent(type,
             {{ bubbles: true, clientX: x, clientY: y, pointerId: 1, button: 0, isPrimary: true }}));
         return 1;"
    );
    js(browser, &setup).await?;
    let steps = [
        "__ev(document.querySelector(\"[data-server='FROM']\"), 'pointerdown', __drag.a)",
        "__ev(document.querySelector('svg.ensemble'), 'pointermove', [(__drag.a[0] + __drag.b[0]) / 2, (__drag.a[1] + __drag.b[1]) / 2])",
        "__ev(document.querySelector('svg.ensemble'), 'pointermove', __drag.b)",
        "__ev(document.querySelector('svg.ensemble'), 'pointerup', __drag.b)",
    ];
    for step in steps {
        js(
            browser,
            &format!("{}; return 1;", step.replace("FROM", from)),
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    Ok(())
}

#[tokio::test]
async fn playground_elects_travels_in_time_and_survives_a_leader_crash() -> Result<(), Error> {
    let dist = dist_dir();
    let server = StaticServer::start(dist.clone())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;
    let started = Instant::now();
    browser.goto(&server.url("/")).await?;

    // Five servers, all LOOKING, votes in flight: pressing play shows the election.
    timed("five servers shown", async {
        browser.wait_for_count("[data-server]", 5).await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        js(&browser, STATES).await?,
        "1:LOOKING 2:LOOKING 3:LOOKING 4:LOOKING 5:LOOKING"
    );
    assert!(count(&browser, "[data-msg=NOTIFICATION]").await? >= 20);
    assert_eq!(browser.client().title().await?, "zkplay");
    browser.screenshot("playground-start-1366x768").await?;

    // Step forward, then back: exactly the same picture.
    timed("step forward and back", async {
        let before = js(&browser, SHOWN).await?;
        click(&browser, "[data-action=step]").await?;
        wait_js(
            &browser,
            "return document.querySelector('[data-pos]').dataset.pos",
            &"1".into(),
            5,
        )
        .await?;
        assert_ne!(js(&browser, SHOWN).await?, before);
        click(&browser, "[data-action=back]").await?;
        wait_js(
            &browser,
            "return document.querySelector('[data-pos]').dataset.pos",
            &"0".into(),
            5,
        )
        .await?;
        assert_eq!(js(&browser, SHOWN).await?, before);
        Ok(())
    })
    .await?;

    // Play at 1× for a moment (messages on their way), then fast to a leader.
    timed("play to a leader", async {
        click(&browser, "[data-action=play]").await?;
        tokio::time::sleep(Duration::from_millis(1600)).await;
        browser.screenshot("playground-election-1366x768").await?;
        set_speed(&browser, 1.0).await?;
        let leaders = "return [...document.querySelectorAll('[data-server][data-state]')].map(e => e.dataset.state).sort().join(' ')";
        wait_js(
            &browser,
            leaders,
            &"FOLLOWING FOLLOWING FOLLOWING FOLLOWING LEADING".into(),
            20,
        )
        .await?;
        // …and the leader is established (synchronized and serving).
        wait_js(&browser, ESTABLISHED, &true.into(), 20).await?;
        click(&browser, "[data-action=pause]").await?;
        browser.screenshot("playground-leader-1366x768").await?;
        // The README's picture: a fixed moment of the election (votes arriving, verdicts).
        js(&browser, "return window.zkplay.seek(16)").await?;
        // State changes fade in over 0.45 s.
        tokio::time::sleep(Duration::from_millis(700)).await;
        browser.screenshot("readme-1366x768").await?;
        let n = js(&browser, "return window.zkplay.status().horizon").await?;
        js(&browser, &format!("return window.zkplay.seek({n})")).await?;
        Ok(())
    })
    .await?;

    // Step forward then back in the middle of the run: the same picture again.
    timed("step and back mid-run", async {
        let before = js(&browser, SHOWN).await?;
        click(&browser, "[data-action=step]").await?;
        click(&browser, "[data-action=back]").await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(js(&browser, SHOWN).await?, before);
        Ok(())
    })
    .await?;

    // Crash the leader through its menu; playing on elects another one.
    timed("crash the leader, new leader", async {
        let leader = js(
            &browser,
            "return document.querySelector('[data-server][data-state=LEADING]').dataset.server",
        )
        .await?;
        let leader = leader.as_str().unwrap_or_default().to_owned();
        click(&browser, &format!("[data-server='{leader}']")).await?;
        browser.wait_for(".server-menu").await?;
        browser.screenshot("playground-menu-1366x768").await?;
        click(&browser, ".server-menu [data-action=crash]").await?;
        wait_js(
            &browser,
            &format!("return document.querySelector(\"[data-server='{leader}']\").dataset.state"),
            &"DOWN".into(),
            5,
        )
        .await?;
        click(&browser, "[data-action=play]").await?;
        let others = format!(
            "return [...document.querySelectorAll('[data-server][data-state=LEADING]')].map(e => e.dataset.server).filter(s => s !== '{leader}').length"
        );
        wait_js(&browser, &others, &1.into(), 25).await?;
        wait_js(&browser, ESTABLISHED, &true.into(), 25).await?;
        let states = js(&browser, STATES).await?;
        println!("after the crash: {states}");
        click(&browser, "[data-action=pause]").await?;
        browser.screenshot("playground-new-leader-1366x768").await?;
        Ok(())
    })
    .await?;

    // Time travel by the JS API: back to the start, and forward again.
    timed("window.zkplay", async {
        let n = js(&browser, "return window.zkplay.eventCount()").await?;
        assert!(n.as_u64().unwrap_or(0) > 50, "eventCount {n}");
        js(&browser, "return window.zkplay.seek(0)").await?;
        assert_eq!(
            js(&browser, STATES).await?,
            "1:LOOKING 2:LOOKING 3:LOOKING 4:LOOKING 5:LOOKING"
        );
        let status = js(&browser, "return window.zkplay.status()").await?;
        assert_eq!(status["servers"].as_array().map(Vec::len), Some(5));
        assert_eq!(status["position"], 0);
        js(&browser, &format!("return window.zkplay.seek({n})")).await?;
        let status = js(&browser, "return window.zkplay.status()").await?;
        assert!(status["leader"].is_u64(), "{status}");
        let loaded = js(
            &browser,
            "return window.zkplay.load('servers 3\\nstart 1 2 3\\nstatus\\n')",
        )
        .await?;
        assert_eq!(loaded["ok"], true, "{loaded}");
        browser.wait_for_count("[data-server]", 3).await?;
        js(&browser, "return window.zkplay.step(3000)").await?;
        let trace = js(&browser, "return window.zkplay.trace()").await?;
        assert!(
            trace
                .as_str()
                .unwrap_or_default()
                .contains(r#""status":{"1":"FOLLOWING","2":"LEADING","3":"FOLLOWING"},"leader":2"#),
            "{trace}"
        );
        let events = js(&browser, "return window.zkplay.events()").await?;
        assert!(
            events
                .as_str()
                .unwrap_or_default()
                .contains(r#""ev":"established""#)
        );
        let bad = js(&browser, "return window.zkplay.load('servers x')").await?;
        assert_eq!(bad["ok"], false);
        assert!(browser.wait_for("[data-notice]").await.is_ok());
        Ok(())
    })
    .await?;

    // The help dialog opens with ? and closes with Escape.
    timed("help dialog", async {
        js(&browser, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '?', bubbles: true})); return 1").await?;
        browser.wait_for("#help-dialog").await?;
        browser.screenshot("playground-help-1366x768").await?;
        js(&browser, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); return 1").await?;
        wait_js(&browser, "return document.querySelectorAll('#help-dialog').length", &0.into(), 5).await?;
        Ok(())
    })
    .await?;

    // Drag from server 1 to server 2: the link is cut (both ways); again: restored.
    timed("drag to cut a link", async {
        for want in [1, 0] {
            drag(&browser, "1", "2").await?;
            wait_js(
                &browser,
                "return document.querySelectorAll(\"[data-cut='1-2']\").length",
                &want.into(),
                5,
            )
            .await?;
            if want == 1 {
                browser.screenshot("playground-cut-1366x768").await?;
            }
        }
        Ok(())
    })
    .await?;

    // A phone held upright: everything stacks, the ring still shows every server.
    timed("phone layout", async {
        js(&browser, "window.zkplay.load('servers 5\\nconfig tickTime=2000\\nnetwork latency=20..60ms seed=1\\nstart 1 2 3 4 5 together\\n'); window.zkplay.step(40); return 1").await?;
        browser.set_viewport(Viewport::PHONE).await?;
        browser.wait_for_count("[data-server]", 5).await?;
        let phone = browser.screenshot("playground-390x844").await?;
        assert_eq!(png_size(&std::fs::read(&phone)?), Some((390, 844)));
        let wide = js(&browser, "return document.documentElement.scrollWidth").await?;
        assert!(wide.as_u64().unwrap_or(999) <= 390, "the page scrolls sideways: {wide}");
        Ok(())
    })
    .await?;

    // It ran under its Content-Security-Policy (no inline scripts), with no console errors.
    let csp = js(
        &browser,
        r#"const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]'); return m && m.content;"#,
    )
    .await?;
    assert!(
        csp.as_str()
            .unwrap_or_default()
            .contains("script-src 'self' 'wasm-unsafe-eval'"),
        "CSP: {csp}"
    );
    assert_eq!(
        js(
            &browser,
            "return document.querySelectorAll('script:not([src])').length"
        )
        .await?,
        0
    );
    no_console_errors(&browser).await?;
    browser.close().await?;
    println!("whole session: {:.2} s", started.elapsed().as_secs_f64());

    // Every request was for one of the page's own files, and each was found.
    only_own_files(&server)?;
    let requested = server.requested_paths();
    for suffix in ["/", "/boot.js", ".js", "_bg.wasm", ".css", ".svg"] {
        assert!(
            requested.iter().any(|p| p.ends_with(suffix)),
            "{suffix} never requested: {requested:?}"
        );
    }
    Ok(())
}

/// Types `line` into the open console and presses Enter.
async fn type_command(browser: &Browser, line: &str) -> Result<(), Error> {
    let input = browser.wait_for("[data-console-input]").await?;
    // A line that did not parse stays in the input to be fixed: select it all (Ctrl+A)
    // and delete it, as a user would.
    input.send_keys("\u{E009}a\u{E000}\u{E003}").await?;
    input.send_keys(&format!("{line}\u{E007}")).await?;
    Ok(())
}

/// Waits until the open console's output contains `want`.
async fn wait_output(browser: &Browser, want: &str, secs: u64) -> Result<String, Error> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let text = js(
            browser,
            "const o = document.querySelector('[data-console-output]'); return o ? o.innerText : '';",
        )
        .await?;
        let text = text.as_str().unwrap_or_default().to_owned();
        if text.contains(want) {
            return Ok(text);
        }
        if Instant::now() > deadline {
            return Err(format!("the console never printed {want:?}; it shows:\n{text}").into());
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

#[tokio::test]
async fn console_runs_zkcli_and_prints_watch_events_across_clients() -> Result<(), Error> {
    let server = StaticServer::start(dist_dir())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;
    let started = Instant::now();
    browser.goto(&server.url("/")).await?;
    browser.wait_for_count("[data-server]", 5).await?;
    click(&browser, "[data-action=run-until-leader]").await?;
    wait_js(&browser, ESTABLISHED, &true.into(), 10).await?;
    // Let the ensemble run (fast) while the clients talk to it.
    click(&browser, "[data-action=play]").await?;
    set_speed(&browser, 1.0).await?;

    // c1 on server 1, through the server's menu.
    click(&browser, "[data-server='1']").await?;
    click(&browser, ".server-menu [data-action=connect-client]").await?;
    browser.wait_for("[data-console-input]").await?;
    wait_output(&browser, "SyncConnected", 20).await?;
    type_command(&browser, "create /a x").await?;
    wait_output(&browser, "Created /a", 20).await?;
    type_command(&browser, "get /a").await?;
    wait_output(&browser, "] get /a\nx", 20).await?;
    // zkCli prints the Stat with -s.
    type_command(&browser, "get -s /a").await?;
    let out = wait_output(&browser, "numChildren = 0", 20).await?;
    assert!(out.contains("] get -s /a\nx\ncZxid = 0x"), "{out}");
    assert!(out.contains("dataLength = 1"), "{out}");
    // zkCli's error text for bad input.
    type_command(&browser, "frobnicate /a").await?;
    wait_output(&browser, "Command not found", 10).await?;
    type_command(&browser, "get -w /a").await?;
    wait_output(&browser, "] get -w /a\nx", 20).await?;

    // c2 on server 3 changes /a; c1's watch fires. (The console took the focus and scrolled
    // the page: back to the top, where the sticky bar does not cover the ring.)
    js(&browser, "window.scrollTo(0, 0); return 1").await?;
    click(&browser, "[data-server='3']").await?;
    click(&browser, ".server-menu [data-action=connect-client]").await?;
    wait_js(
        &browser,
        "const p = document.querySelector('.panel-console[data-client]'); return p && p.dataset.client",
        &"c2".into(),
        10,
    )
    .await?;
    wait_output(&browser, "SyncConnected", 20).await?;
    type_command(&browser, "set /a y").await?;
    wait_output(&browser, "] set /a y", 5).await?;
    click(&browser, "[data-session-client='c1']").await?;
    let out = wait_output(&browser, "type:NodeDataChanged path:/a", 20).await?;
    assert!(out.contains("WATCHER::"), "{out}");
    click(&browser, "[data-action=pause]").await?;
    browser.screenshot("playground-console-1366x768").await?;

    no_console_errors(&browser).await?;
    browser.close().await?;
    println!("console session: {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}
