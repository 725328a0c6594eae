//! Lessons, share links, the recipe view, the editor and the language switch in the built page
//! (dist/) in headless Chromium: `#lesson=startup-3` walked with Next to its end leaves server
//! 2 LEADING and 1 and 3 FOLLOWING; a link copied at some step opens in a fresh browser on
//! the same server states and the same simulated time; the herd-free recipe wakes one
//! candidate per leader change and the naive one N−1; switching to 中文 changes every label
//! (bad links are in tests/hostile.rs). No console errors, no request beyond the page's own
//! files. Screenshots go to screenshots/.

use std::time::{Duration, Instant};

use serde_json::Value;
use zkplay_e2e::steps::{
    STATES, click, js, no_console_errors, only_own_files, set_speed, timed, wait_js,
};
use zkplay_e2e::{Browser, Error, StaticServer, Viewport, dist_dir};

/// What a link must reproduce: the server states, the simulated time and the position.
const SHOWN: &str = r#"
    const states = [...document.querySelectorAll('[data-server]')]
        .map(e => e.dataset.server + ':' + e.dataset.state).join(' ');
    const s = window.zkplay.status();
    return [states, document.querySelector('[data-sim-time]').dataset.simTime,
            document.querySelector('[data-pos]').dataset.pos, String(s.time),
            s.servers.map(x => x.id + ':' + x.zab + ':' + x.lastZxid + ':' + x.currentEpoch).join(' ')];
"#;

/// The lesson panel's place (`stop`, `after`, `end`) and stop.
const PLACE: &str = r#"
    const p = document.querySelector('.lesson-panel');
    return p ? p.dataset.place + ':' + p.dataset.stop : 'none';
"#;

/// Scrolls the tabs to the top of the viewport (for a screenshot of the open tab).
async fn show_tabs(browser: &Browser) -> Result<(), Error> {
    js(
        browser,
        "document.querySelector('.tabs').scrollIntoView({block: 'start'}); return 1",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(150)).await;
    Ok(())
}

/// Presses Next and waits until the lesson stands at stop `k` (or at its end for `None`).
async fn next(browser: &Browser, want: &str) -> Result<(), Error> {
    click(browser, "[data-action=lesson-next]").await?;
    wait_js(browser, PLACE, &want.into(), 30).await
}

#[tokio::test]
async fn lessons_links_recipes_and_languages() -> Result<(), Error> {
    let server = StaticServer::start(dist_dir())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;
    let started = Instant::now();

    // #lesson=startup-3 walked with Next to its end.
    timed("startup-3 with Next to the end", async {
        browser.goto(&server.url("/#lesson=startup-3&lang=en")).await?;
        browser.wait_for(".lesson-panel").await?;
        browser.wait_for_count("[data-server]", 3).await?;
        assert_eq!(js(&browser, PLACE).await?, "stop:0");
        set_speed(&browser, 0.6).await?;
        next(&browser, "stop:1").await?;
        next(&browser, "stop:2").await?;
        // The quiz: who becomes leader? Pick 2, then let the simulation answer.
        browser.wait_for("[data-quiz='2']").await?;
        click(&browser, "[data-choice='2']").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        browser.screenshot("lesson-quiz-1366x768").await?;
        next(&browser, "stop:3").await?;
        let verdict = js(
            &browser,
            "const r = document.querySelector('[data-reveal]'); return r && [r.dataset.reveal, r.dataset.verdict]",
        )
        .await?;
        assert_eq!(verdict, serde_json::json!(["2", "right"]));
        tokio::time::sleep(Duration::from_millis(500)).await;
        browser.screenshot("lesson-reveal-1366x768").await?;
        next(&browser, "stop:4").await?;
        // A presenter's clicker: PageDown is Next.
        js(&browser, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'PageDown', bubbles: true})); return 1").await?;
        wait_js(&browser, PLACE, &"stop:5".into(), 30).await?;
        next(&browser, "end:5").await?;
        assert_eq!(
            js(&browser, STATES).await?,
            "1:FOLLOWING 2:LEADING 3:FOLLOWING"
        );
        browser.wait_for("[data-lesson-end]").await?;
        browser.screenshot("lesson-end-1366x768").await?;
        // Back returns to the last stop, with the same picture as before.
        click(&browser, "[data-action=lesson-back]").await?;
        wait_js(&browser, PLACE, &"stop:5".into(), 10).await?;
        Ok(())
    })
    .await?;

    // Links copied at some step open on the same view in a fresh browser.
    let mut links: Vec<(String, Value)> = Vec::new();
    timed("copy links", async {
        // At a stop of the lesson: the short form.
        click(&browser, "[data-action=lesson-back]").await?;
        wait_js(&browser, PLACE, &"stop:4".into(), 10).await?;
        click(&browser, "[data-action=share]").await?;
        let field = browser.wait_for("[data-share-link]").await?;
        let link = field.prop("value").await?.unwrap_or_default();
        assert!(link.contains("#lesson=startup-3&step=4&lang=en"), "{link}");
        assert_eq!(js(&browser, "return window.zkplay.shareLink()").await?, link.as_str());
        browser.screenshot("share-1366x768").await?;
        js(&browser, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})); return 1").await?;
        wait_js(&browser, "return document.querySelectorAll('#share-box').length", &0.into(), 5).await?;
        links.push((link, js(&browser, SHOWN).await?));

        // Between stops, after stepping by hand: the whole scenario.
        click(&browser, "[data-action=step]").await?;
        click(&browser, "[data-action=step]").await?;
        click(&browser, "[data-action=step]").await?;
        wait_js(&browser, PLACE, &"after:4".into(), 5).await?;
        let link = js(&browser, "return window.zkplay.shareLink()").await?;
        let link = link.as_str().unwrap_or_default().to_owned();
        assert!(link.contains("#v=1&z="), "{link}");
        links.push((link, js(&browser, SHOWN).await?));

        // The playground in the middle of an election, after crashing a server by hand,
        // paused between two events, in Chinese, with the znode tree open.
        browser.goto("about:blank").await?;
        browser.goto(&server.url("/")).await?;
        browser.wait_for_count("[data-server]", 5).await?;
        js(&browser, "window.zkplay.step(60); return 1").await?;
        click(&browser, "[data-server='5']").await?;
        click(&browser, ".server-menu [data-action=crash]").await?;
        click(&browser, "[data-action=play]").await?;
        tokio::time::sleep(Duration::from_millis(700)).await;
        click(&browser, "[data-action=pause]").await?;
        click(&browser, "[data-action=lang]").await?;
        click(&browser, "[data-tab=znodes]").await?;
        let link = js(&browser, "return window.zkplay.shareLink()").await?;
        let link = link.as_str().unwrap_or_default().to_owned();
        links.push((link, js(&browser, SHOWN).await?));
        click(&browser, "[data-action=lang]").await?;
        Ok(())
    })
    .await?;

    timed("open the links in a fresh browser", async {
        let fresh = Browser::start(Viewport::DESKTOP).await?;
        for (i, (link, shown)) in links.iter().enumerate() {
            fresh.goto("about:blank").await?;
            fresh.goto(link).await?;
            fresh.wait_for("[data-server]").await?;
            wait_js(&fresh, SHOWN, shown, 15).await?;
            println!("link {i} ({} bytes): {shown}", link.len());
            if i == 2 {
                assert_eq!(
                    js(&fresh, "return document.documentElement.lang").await?,
                    "zh-CN"
                );
                assert_eq!(
                    js(&fresh, "return document.querySelector('[data-tab=znodes]').getAttribute('aria-selected')").await?,
                    "true"
                );
                fresh.screenshot("link-opened-zh-1366x768").await?;
            } else {
                fresh.wait_for(".lesson-panel[data-lesson='startup-3']").await?;
            }
        }
        no_console_errors(&fresh).await?;
        fresh.close().await?;
        Ok(())
    })
    .await?;

    // The recipe view: herd-free against naive on the same seed.
    timed("recipes side by side", async {
        js(&browser, "window.zkplay.openLink('lesson=recipe-election&step=2&lang=en'); return 1").await?;
        click(&browser, "[data-tab=recipe]").await?;
        // This run: c2 leads after c1 closed, watched only by c3, c3 by c4.
        browser.wait_for(".chain[data-root='/election']").await?;
        let watches = js(
            &browser,
            "return [...document.querySelectorAll(\".chain[data-root='/election'] .cand\")].map(c => c.dataset.client + '>' + (c.dataset.watches || '-')).join(' ')",
        )
        .await?;
        println!("recipe-election at stop 2: {watches}");
        show_tabs(&browser).await?;
        browser.screenshot("recipe-run-1366x768").await?;
        click(&browser, "[data-action=side-by-side]").await?;
        browser.wait_for("[data-duo-stop='1']").await?;
        click(&browser, "[data-action=leader-leaves]").await?;
        wait_js(
            &browser,
            "const d = document.querySelector('.duo'); return d.dataset.duoStop + ':' + d.dataset.duoPlaying",
            &"2:false".into(),
            30,
        )
        .await?;
        let side = |s: &str| {
            format!(
                "const v = document.querySelector(\"[data-side='{s}']\");
                 const c = [...v.querySelectorAll('.cand')].map(c => [c.dataset.node, c.dataset.watches || null, c.dataset.role]);
                 const n = [...v.querySelectorAll('[data-change-notified]')].map(l => Number(l.dataset.changeNotified));
                 return [c, n];"
            )
        };
        let herd = js(&browser, &side("herd-free")).await?;
        let naive = js(&browser, &side("naive")).await?;
        println!("herd-free: {herd}\nnaive: {naive}");
        let cands = |v: &Value| v[0].as_array().cloned().unwrap_or_default();
        let h = cands(&herd);
        assert_eq!(h.len(), 4, "{herd}");
        assert_eq!(h[0][2], "leader");
        for w in h.windows(2) {
            assert_eq!(w[1][1], w[0][0], "each watches only its predecessor: {herd}");
        }
        assert_eq!(herd[1], serde_json::json!([1]), "one notification per leader change");
        let n = cands(&naive);
        assert_eq!(n.len(), 4, "{naive}");
        for c in &n[1..] {
            assert_eq!(c[1], n[0][0], "everyone watches the leader: {naive}");
        }
        assert_eq!(naive[1], serde_json::json!([4]), "N−1 notifications");
        show_tabs(&browser).await?;
        browser.screenshot("recipe-side-by-side-1366x768").await?;
        Ok(())
    })
    .await?;

    // The editor: an error names its line; the text stays; fixed, it runs.
    timed("editor", async {
        click(&browser, "[data-tab=script]").await?;
        let area = browser.wait_for("[data-control=editor]").await?;
        js(
            &browser,
            "const t = document.querySelector('[data-control=editor]'); t.value = 'servers 3\\nconfig tickTime=200\\nstart 1 2 x\\nstatus\\n';
             t.dispatchEvent(new InputEvent('input', {bubbles: true})); return 1",
        )
        .await?;
        click(&browser, "[data-action=run-script]").await?;
        wait_js(
            &browser,
            "const e = document.querySelector('[data-script-error]'); return e && e.dataset.scriptError",
            &"3:11".into(),
            5,
        )
        .await?;
        assert_eq!(
            js(&browser, "return document.querySelector('[data-error-line]').dataset.errorLine").await?,
            "3"
        );
        assert!(area.prop("value").await?.unwrap_or_default().contains("start 1 2 x"));
        show_tabs(&browser).await?;
        browser.screenshot("editor-error-1366x768").await?;
        js(
            &browser,
            "const t = document.querySelector('[data-control=editor]'); t.value = t.value.replace('2 x', '2 3');
             t.dispatchEvent(new InputEvent('input', {bubbles: true})); return 1",
        )
        .await?;
        click(&browser, "[data-action=run-script]").await?;
        browser.wait_for_count("[data-server]", 3).await?;
        wait_js(&browser, "return document.querySelectorAll('[data-script-error]').length", &0.into(), 5).await?;
        js(&browser, "window.zkplay.step(5000); return 1").await?;
        assert!(js(&browser, "return window.zkplay.trace()").await?.as_str().unwrap_or_default().contains("\"leader\":"));
        // Export and download: blob: URLs the page makes itself (the CSP lets them through).
        js(
            &browser,
            "window.__blobs = []; const make = URL.createObjectURL;
             URL.createObjectURL = b => { window.__blobs.push([b.type, b.size]); return make.call(URL, b); };
             return 1",
        )
        .await?;
        click(&browser, "[data-action=export-zks]").await?;
        click(&browser, "[data-action=download-trace]").await?;
        let blobs = js(&browser, "return window.__blobs").await?;
        println!("downloads: {blobs}");
        assert_eq!(blobs[0][0], "text/plain;charset=utf-8");
        assert_eq!(blobs[0][1], "servers 3\nconfig tickTime=200\nstart 1 2 3\nstatus\n".len());
        assert_eq!(blobs[1][0], "application/x-ndjson;charset=utf-8");
        assert!(blobs[1][1].as_u64().unwrap_or(0) > 50, "{blobs}");
        // Import a .zks file: it runs.
        let file = std::env::temp_dir().join("zkplay-import.zks");
        std::fs::write(&file, "servers 4\nstart 1 2 3 4\nstatus\n")?;
        let input = browser.wait_for("[data-import-zks]").await?;
        input.send_keys(&file.display().to_string()).await?;
        browser.wait_for_count("[data-server]", 4).await?;
        let _ = std::fs::remove_file(&file);
        Ok(())
    })
    .await?;

    // Switching to 中文 changes every label; the choice is remembered.
    timed("languages", async {
        browser.goto("about:blank").await?;
        browser.goto(&server.url("/#lesson=startup-3&step=2&lang=en")).await?;
        browser.wait_for(".lesson-panel").await?;
        const LABELS: &str = r#"
            const sel = ['[data-tab]', '.topbar .text-btn span', '.speed .lbl', '.seed .lbl',
                '.legend > span:not(.sep)', '.tl-title', '.tl-legend .lg', '.tl-hint',
                '.lesson-panel .eyebrow > span:not(.count)', '.lesson-panel h2', '.lesson-panel .note',
                '.lesson-panel .question', '.lesson-panel .nav-btn span', '.stop-of', '.quiz-badge',
                '.inspector h2', '.inspector p'];
            return sel.flatMap(s => [...document.querySelectorAll(s)]
                    .filter(e => e.getClientRects().length > 0)
                    .map(e => [s, e.textContent.trim()]))
                .filter(([s, t]) => t.length > 0);
        "#;
        let en = js(&browser, LABELS).await?;
        click(&browser, "[data-action=lang]").await?;
        wait_js(&browser, "return document.documentElement.lang", &"zh-CN".into(), 5).await?;
        let zh = js(&browser, LABELS).await?;
        let (en, zh) = (en.as_array().cloned().unwrap_or_default(), zh.as_array().cloned().unwrap_or_default());
        assert_eq!(en.len(), zh.len(), "{en:?}\n{zh:?}");
        assert!(en.len() > 30, "{en:?}");
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for (e, z) in en.iter().zip(&zh) {
            let (et, zt) = (e[1].as_str().unwrap_or_default(), z[1].as_str().unwrap_or_default());
            assert_ne!(et, zt, "{} did not change", e[0]);
            // The language switch names the other language, in that language.
            assert!(cjk(zt) || (zt == "English" && et == "中文"), "{}: {zt}", e[0]);
        }
        browser.screenshot("lesson-zh-1366x768").await?;
        // Remembered: a lesson link without lang= opens in Chinese.
        browser.goto("about:blank").await?;
        browser.goto(&server.url("/#lesson=startup-3&step=1")).await?;
        browser.wait_for(".lesson-panel").await?;
        wait_js(&browser, "return document.documentElement.lang", &"zh-CN".into(), 5).await?;
        click(&browser, "[data-action=lang]").await?;
        wait_js(&browser, "return document.documentElement.lang", &"en".into(), 5).await?;
        Ok(())
    })
    .await?;

    no_console_errors(&browser).await?;
    browser.close().await?;

    // A phone held upright: the lesson under the ring, Back and Next at hand.
    timed("phone", async {
        let phone = Browser::start(Viewport::PHONE).await?;
        for (link, name) in [
            ("/#lesson=startup-3&step=2&lang=zh", "lesson-zh-390x844"),
            ("/#lesson=recipe-election&step=3&lang=en", "lesson-390x844"),
        ] {
            phone.goto("about:blank").await?;
            phone.goto(&server.url(link)).await?;
            phone.wait_for(".lesson-panel").await?;
            js(&phone, "document.querySelector('.lesson-panel').scrollIntoView({block: 'start'}); return 1").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            phone.screenshot(name).await?;
            let wide = js(&phone, "return document.documentElement.scrollWidth").await?;
            assert!(wide.as_u64().unwrap_or(999) <= 390, "the page scrolls sideways: {wide}");
            // Next is on screen.
            let next = js(&phone, "const r = document.querySelector('[data-action=lesson-next]').getBoundingClientRect(); return r.bottom <= window.innerHeight && r.top >= 0").await?;
            assert_eq!(next, true, "Next is off screen on a phone");
        }
        click(&phone, "[data-tab=recipe]").await?;
        click(&phone, "[data-action=side-by-side]").await?;
        phone.wait_for("[data-duo-stop='1']").await?;
        js(&phone, "document.querySelector('.duo').scrollIntoView({block: 'start'}); return 1").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        phone.screenshot("recipe-390x844").await?;
        no_console_errors(&phone).await?;
        phone.close().await?;
        Ok(())
    })
    .await?;
    println!("whole session: {:.2} s", started.elapsed().as_secs_f64());
    only_own_files(&server)?;
    Ok(())
}
