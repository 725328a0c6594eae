//! Browser figures (BENCHMARKS.md, "Browser figures"): the built page (dist/) in headless
//! Chromium. They print figures and never fail on timing; they do check behaviour: the wasm
//! run delivers exactly the messages the native one does, the seek scenario really reaches
//! its length and every seek lands on its position showing what stepping there showed, the
//! animation scenario really has at least 500 messages in flight while it is measured.
//!
//! - first render: navigation start to the first contentful paint (the page's body is empty
//!   until the app renders, so that is the first app paint);
//! - wasm throughput: `window.zkplay.bench` runs `zkplay bench`'s message workload
//!   (zkplay_core::bench) in the page, and this process runs the same workload natively
//!   right before and after it, alternating, best of each;
//! - seek: random positions of a 100 000-step run through `window.zkplay.seek`, timed from
//!   the call to the end of the next rendered frame;
//! - animation: 51 servers electing, played at 1×, twice: the first wave of votes (2 550 in
//!   flight, links slow enough that none arrives while measured) and the whole election (up
//!   to about 11 000 in flight); frame times from `requestAnimationFrame` timestamps recorded
//!   in the page, and long animation frames split into script and rendering.
//!
//! Two sizes. `ZKPLAY_BENCH=full` (scripts/bench-browser.sh, with `--release`) gives the
//! figures BENCHMARKS.md records: 10 000 writes, best of 3, 200 seeks, 10 s of animation.
//! Without it (scripts/test.sh, a debug build) a short run checks the same behaviour in a few
//! seconds each and prints the figures it got; the native side of a debug build is counted
//! but not timed.
//!
//! Diagnostics: `ZKPLAY_BENCH_TABS=1` also times seeks with each tab open in turn;
//! `ZKPLAY_BENCH_TAB=NAME` (`recipe`, `znodes`, …) opens that tab before the animation.

use std::time::Instant;

use serde_json::{Value, json};
use zkplay_core::bench::{run_workload, workload};
use zkplay_e2e::steps::{js, wait_js};
use zkplay_e2e::{Browser, Error, StaticServer, Viewport, dist_dir};

/// How much each figure runs.
#[derive(Debug, Clone, Copy)]
struct Plan {
    full: bool,
    /// Writes of the message workload.
    writes: u32,
    /// Runs of each side (native, wasm), best of them.
    repeat: usize,
    /// Seeks to random positions.
    seeks: usize,
    /// Real milliseconds of animation recorded.
    animate_ms: u64,
}

impl Plan {
    fn from_env() -> Plan {
        if std::env::var("ZKPLAY_BENCH").as_deref() == Ok("full") {
            Plan {
                full: true,
                writes: 10_000,
                repeat: 3,
                seeks: 200,
                animate_ms: 10_000,
            }
        } else {
            Plan {
                full: false,
                writes: 300,
                repeat: 1,
                seeks: 20,
                animate_ms: 2_000,
            }
        }
    }
}

/// Positions of the seek scenario.
const SEEK_EVENTS: u64 = 100_000;

/// The animation scenario: 51 servers started together, every one LOOKING and broadcasting
/// its vote to the other 50, on links slow enough that the votes stay in flight for a while.
fn election_51(latency: &str) -> String {
    let ids: Vec<String> = (1..=51).map(|i| i.to_string()).collect();
    format!(
        "servers 51\nconfig tickTime=2000 initLimit=10 syncLimit=5\n\
         network latency={} seed=1\nstart {} together\n",
        latency,
        ids.join(" ")
    )
}

async fn js_with(browser: &Browser, script: &str, args: Vec<Value>) -> Result<Value, Error> {
    Ok(browser.client().execute(script, args).await?)
}

/// Mean, p95 and worst of `xs` (milliseconds).
fn summary(xs: &[f64]) -> String {
    if xs.is_empty() {
        return "no samples".into();
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let p = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    format!(
        "mean {mean:.2} ms, p50 {:.2} ms, p95 {:.2} ms, worst {:.2} ms (n = {})",
        p(0.5),
        p(0.95),
        v[v.len() - 1],
        v.len()
    )
}

fn p95(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 * 0.95).ceil() as usize).clamp(1, v.len().max(1)) - 1)
        .copied()
        .unwrap_or(f64::NAN)
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

#[tokio::test]
async fn browser_figures() -> Result<(), Error> {
    let plan = Plan::from_env();
    println!(
        "browser figures ({}, test binary: {} build)",
        if plan.full {
            "ZKPLAY_BENCH=full"
        } else {
            "short run; ZKPLAY_BENCH=full for the recorded figures"
        },
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    let server = StaticServer::start(dist_dir())?;
    let browser = Browser::start(Viewport::DESKTOP).await?;

    first_render(&browser, &server).await?;
    throughput(&browser, plan).await?;
    seek(&browser, plan).await?;
    // The first wave: links of 700–900 ms keep the 2 550 votes of the start in flight for
    // all of the 10 s at 1× (500 simulated ms). The whole election: on 200–600 ms links the
    // servers that learn of a better vote broadcast it again, up to 11 000 in flight.
    animation(&browser, plan, "700..900ms", "the first wave of votes").await?;
    animation(&browser, plan, "200..600ms", "the whole election").await?;

    let severe = browser.severe_console_messages().await?;
    assert!(severe.is_empty(), "browser console errors: {severe:#?}");
    browser.close().await?;
    Ok(())
}

/// Navigation start to the first contentful paint, from the page's own timing entries.
async fn first_render(browser: &Browser, server: &StaticServer) -> Result<(), Error> {
    browser.goto(&server.url("/")).await?;
    browser.wait_for_count("[data-server]", 5).await?;
    // Paint timing entries arrive a little after the paint.
    for _ in 0..100 {
        let fcp = js(
            browser,
            "return performance.getEntriesByName('first-contentful-paint').length",
        )
        .await?;
        if fcp != 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let timing = js(
        browser,
        r#"const nav = performance.getEntriesByType('navigation')[0];
           const paint = n => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : null; };
           return { fp: paint('first-paint'), fcp: paint('first-contentful-paint'),
                    dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                    wasm: (performance.getEntriesByType('resource').find(r => r.name.endsWith('.wasm')) || {}).responseEnd };"#,
    )
    .await?;
    println!(
        "first render (localhost, fresh profile): first contentful paint {:.0} ms after \
         navigation start (first paint {:.0} ms, DOMContentLoaded {:.0} ms, wasm loaded {:.0} ms, \
         load event {:.0} ms)",
        f(&timing["fcp"]),
        f(&timing["fp"]),
        f(&timing["dcl"]),
        f(&timing["wasm"]),
        f(&timing["load"]),
    );
    assert!(timing["fcp"].is_f64() || timing["fcp"].is_u64(), "{timing}");
    Ok(())
}

/// Messages per second of the message workload in the page's wasm, against the same
/// workload natively in this process, alternating.
async fn throughput(browser: &Browser, plan: Plan) -> Result<(), Error> {
    for servers in [5u8, 51] {
        let script = zkplay_core::script::parse(&workload(servers, plan.writes))
            .map_err(|e| format!("workload: {}", e.message))?;
        // One untimed run of each first: the native caches, and wasm's tier-up from the
        // baseline compiler to the optimizing one.
        run_workload(&script)?;
        js_with(
            browser,
            "return window.zkplay.bench(arguments[0])",
            vec![json!({"servers": servers, "writes": plan.writes})],
        )
        .await?;
        let (mut best_native, mut best_wasm) = (f64::INFINITY, f64::INFINITY);
        let mut counts = None;
        for _ in 0..plan.repeat {
            let t = Instant::now();
            let native = run_workload(&script)?;
            best_native = best_native.min(t.elapsed().as_secs_f64() * 1e3);
            let wasm = js_with(
                browser,
                "return window.zkplay.bench(arguments[0])",
                vec![json!({"servers": servers, "writes": plan.writes})],
            )
            .await?;
            assert!(wasm["error"].is_null(), "{wasm}");
            best_wasm = best_wasm.min(f(&wasm["ms"]));
            // The same messages and steps in wasm as natively: the simulation is deterministic.
            assert_eq!(wasm["messages"], native.messages, "{servers} servers");
            assert_eq!(wasm["steps"], native.steps, "{servers} servers");
            counts = Some(native);
        }
        let run = counts.expect("at least one run");
        let rate = |ms: f64| run.messages as f64 / ms / 1e3;
        let native = if cfg!(debug_assertions) {
            "native: not timed (a debug build)".to_string()
        } else {
            format!(
                "native {:.2} M/s ({best_native:.0} ms); ratio wasm/native {:.2} (target ≥ 0.5)",
                rate(best_native),
                best_native / best_wasm
            )
        };
        println!(
            "wasm throughput, {servers} servers, election + {} writes: {} messages, {} steps; \
             wasm {:.2} M messages/s ({best_wasm:.0} ms); {native} (best of {})",
            plan.writes,
            run.messages,
            run.steps,
            rate(best_wasm),
            plan.repeat
        );
    }
    Ok(())
}

/// What the page shows of the run: the ensemble's SVG, the clock, the position and the status.
const SHOWN: &str = r#"
    const svg = document.querySelector('svg.ensemble');
    const s = window.zkplay.status();
    // The furthest position reached grows while stepping there; the rest must not differ.
    delete s.horizon;
    return [svg && svg.outerHTML, document.querySelector('[data-sim-time]').dataset.simTime,
            document.querySelector('[data-pos]').dataset.pos, JSON.stringify(s)];
"#;

/// Seeks to each of `arguments[0]` in turn; for each: [position reached, ms in the call, ms
/// until the DOM was updated, ms until the next frame began, ms until it was painted].
const SEEKS: &str = r#"
    const targets = arguments[0];
    const z = window.zkplay;
    const now = () => performance.now();
    // The end of a rendered frame: a message posted from its requestAnimationFrame callback
    // arrives once the frame's style, layout and paint are done.
    const frame = () => new Promise(done => requestAnimationFrame(() => {
        const raf = now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => done([raf, now()]);
        ch.port2.postMessage(0);
    }));
    return (async () => {
        await frame();
        const out = [];
        for (const p of targets) {
            const t0 = now();
            const got = z.seek(p);
            const t1 = now();
            const painted = frame();
            // Yew renders in a microtask: done by the time a timeout fires.
            await new Promise(r => setTimeout(r, 0));
            const t2 = now();
            const [raf, end] = await painted;
            out.push([got, t1 - t0, t2 - t0, raf - t0, end - t0]);
        }
        return out;
    })();
"#;

/// A position-independent pseudo-random sequence (no clock, no OS randomness).
fn positions(n: usize, below: u64, mut state: u64) -> Vec<u64> {
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % below
        })
        .collect()
}

async fn seek(browser: &Browser, plan: Plan) -> Result<(), Error> {
    let loaded = js_with(
        browser,
        "return window.zkplay.load(arguments[0])",
        vec![json!(workload(5, 20_000))],
    )
    .await?;
    assert_eq!(loaded["ok"], true, "{loaded}");
    // Step there at the frontier, keeping what a few positions on the way showed.
    let checkpoints = [1u64, 255, 256, 257, 40_000, 77_777, SEEK_EVENTS - 1];
    let mut shown = Vec::new();
    let t = Instant::now();
    let mut at = 0;
    for &c in &checkpoints {
        let pos = js(browser, &format!("return window.zkplay.step({})", c - at)).await?;
        assert_eq!(pos, c);
        at = c;
        shown.push(js(browser, SHOWN).await?);
    }
    let end = js(browser, "return window.zkplay.step(1)").await?;
    assert_eq!(
        end, SEEK_EVENTS,
        "the run is shorter than {SEEK_EVENTS} steps"
    );
    let memory = js(
        browser,
        "return performance.memory ? performance.memory.usedJSHeapSize : null",
    )
    .await?;
    println!(
        "seek: a {SEEK_EVENTS}-step run (5 servers, the message workload) stepped in the page in \
         {:.1} s; JS heap {:.0} MB",
        t.elapsed().as_secs_f64(),
        f(&memory) / 1e6
    );

    let targets = positions(plan.seeks, SEEK_EVENTS + 1, 7);
    let out = js_with(browser, SEEKS, vec![json!(targets)]).await?;
    let rows = out.as_array().ok_or("seek results")?;
    assert_eq!(rows.len(), targets.len());
    let (mut call, mut busy, mut raw) = (Vec::new(), Vec::new(), Vec::new());
    let (mut render, mut paint) = (Vec::new(), Vec::new());
    for (row, &p) in rows.iter().zip(&targets) {
        assert_eq!(row[0], p, "seek({p}) landed elsewhere");
        let (c, dom, raf, end) = (f(&row[1]), f(&row[2]), f(&row[3]), f(&row[4]));
        call.push(c);
        raw.push(end);
        render.push(dom - c);
        paint.push(end - raf);
        // Without the wait for the display's next frame: the seek and Yew's render, then
        // that frame's own work. (If the frame began before the timeout fired, it already
        // carried the new DOM, and everything up to its end counts.)
        busy.push(if raf >= dom { dom + (end - raf) } else { end });
    }
    println!(
        "seek in the page, {} random positions of {SEEK_EVENTS}: from the call to the next \
         frame painted, without waiting for vsync: {}",
        targets.len(),
        summary(&busy)
    );
    println!(
        "    the seek call alone (engine and store): {}",
        summary(&call)
    );
    println!("    then Yew's render (to the DOM): {}", summary(&render));
    println!("    the frame (style, layout, paint): {}", summary(&paint));
    println!(
        "    including the wait for the next frame: {}",
        summary(&raw)
    );

    if std::env::var("ZKPLAY_BENCH_TABS").is_ok() {
        for tab in [
            "spacetime",
            "clients",
            "znodes",
            "recipe",
            "script",
            "events",
        ] {
            js(
                browser,
                &format!("document.querySelector('[data-tab={tab}]').click(); return 1"),
            )
            .await?;
            let out = js_with(
                browser,
                SEEKS,
                vec![json!(positions(10, SEEK_EVENTS + 1, 3))],
            )
            .await?;
            let rows = out.as_array().ok_or("seek results")?;
            let r: Vec<f64> = rows.iter().map(|r| f(&r[2]) - f(&r[1])).collect();
            let p: Vec<f64> = rows.iter().map(|r| f(&r[4]) - f(&r[3])).collect();
            let c: Vec<f64> = rows.iter().map(|r| f(&r[1])).collect();
            println!(
                "tab {tab}: call {}\n  render {}\n  paint {}",
                summary(&c),
                summary(&r),
                summary(&p)
            );
        }
    }
    // Every checkpoint shows, after a seek from afar, exactly what stepping there showed.
    for (i, &c) in checkpoints.iter().enumerate().rev() {
        js(browser, &format!("return window.zkplay.seek({c})")).await?;
        let again = js(browser, SHOWN).await?;
        if again != shown[i] {
            for k in 0..4 {
                if again[k] != shown[i][k] {
                    let (a, b) = (again[k].to_string(), shown[i][k].to_string());
                    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                    let near =
                        |t: &str| t[at.saturating_sub(200)..(at + 200).min(t.len())].to_string();
                    println!(
                        "part {k} differs at byte {at}:\n seek: {}\n step: {}",
                        near(&a),
                        near(&b)
                    );
                }
            }
            panic!("seek({c}) shows something else than stepping there did");
        }
    }
    Ok(())
}

/// Records `arguments[0]` ms of frames while playing: requestAnimationFrame timestamps, and
/// per frame the time from its start to the end of its paint; the number of messages drawn
/// every 250 ms.
const ANIMATE: &str = r#"
    const ms = arguments[0];
    const z = window.zkplay;
    const now = () => performance.now();
    return new Promise(finish => {
        const ts = [], busy = [], counts = [], loaf = [];
        // Long animation frames (over 50 ms) split into their tasks, their
        // requestAnimationFrame callbacks with microtasks (the engine's steps and Yew's
        // render), and style, layout and paint.
        let observer = null;
        if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
            observer = new PerformanceObserver(list => {
                for (const e of list.getEntries()) {
                    const end = e.startTime + e.duration;
                    const sl = e.styleAndLayoutStart || end;
                    const rs = e.renderStart || sl;
                    loaf.push([e.duration, rs - e.startTime, sl - rs, end - sl]);
                }
            });
            observer.observe({type: 'long-animation-frame'});
        }
        const count = () => counts.push(Number(document.querySelector('[data-msg-count]').dataset.msgCount));
        count();
        z.play();
        const start = now();
        const iv = setInterval(count, 250);
        const tick = t => {
            ts.push(t);
            const ch = new MessageChannel();
            ch.port1.onmessage = () => busy.push(now() - t);
            ch.port2.postMessage(0);
            if (t - start < ms) {
                requestAnimationFrame(tick);
            } else {
                clearInterval(iv);
                count();
                z.pause();
                setTimeout(() => {
                    if (observer) { observer.disconnect(); }
                    finish({ts, busy, counts, loaf, position: z.status().position});
                }, 50);
            }
        };
        requestAnimationFrame(tick);
    });
"#;

async fn animation(browser: &Browser, plan: Plan, latency: &str, what: &str) -> Result<(), Error> {
    let loaded = js_with(
        browser,
        "return window.zkplay.load(arguments[0])",
        vec![json!(election_51(latency))],
    )
    .await?;
    assert_eq!(loaded["ok"], true, "{loaded}");
    browser.wait_for_count("[data-server]", 51).await?;
    if let Ok(tab) = std::env::var("ZKPLAY_BENCH_TAB") {
        js(
            browser,
            &format!("document.querySelector('[data-tab={tab}]').click(); return 1"),
        )
        .await?;
    }
    // Past the start directive: every server LOOKING, every vote on its way.
    js(browser, "return window.zkplay.step(60)").await?;
    let before = js(
        browser,
        "return Number(document.querySelector('[data-msg-count]').dataset.msgCount)",
    )
    .await?;
    let out = js_with(browser, ANIMATE, vec![json!(plan.animate_ms)]).await?;
    let ts: Vec<f64> = out["ts"].as_array().ok_or("ts")?.iter().map(f).collect();
    let busy: Vec<f64> = out["busy"]
        .as_array()
        .ok_or("busy")?
        .iter()
        .map(f)
        .collect();
    let counts: Vec<u64> = out["counts"]
        .as_array()
        .ok_or("counts")?
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    let intervals: Vec<f64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
    let (lo, hi) = (
        counts.iter().min().copied().unwrap_or(0),
        counts.iter().max().copied().unwrap_or(0),
    );
    println!(
        "animation, 51 servers electing ({what}, links of {latency}) at 1×, {:.1} s recorded: \
         {} frames, {} to {} messages drawn ({before} at the start), position {} at the end",
        plan.animate_ms as f64 / 1e3,
        ts.len(),
        lo,
        hi,
        out["position"]
    );
    println!(
        "    frame time (requestAnimationFrame intervals): {}; p95 {:.2} ms (target ≤ 16.7 ms)",
        summary(&intervals),
        p95(&intervals)
    );
    println!(
        "    per frame, its start to its paint done: {}",
        summary(&busy)
    );
    if let Some(loaf) = out["loaf"].as_array().filter(|l| !l.is_empty()) {
        let col = |i: usize| -> Vec<f64> { loaf.iter().map(|e| f(&e[i])).collect() };
        println!(
            "    long animation frames (over 50 ms): {} of them; mean {:.1} ms = tasks {:.1} + \
             animation-frame callbacks (engine and Yew's render) {:.1} + style, layout and \
             paint {:.1}",
            loaf.len(),
            mean(&col(0)),
            mean(&col(1)),
            mean(&col(2)),
            mean(&col(3))
        );
    }
    // The marks are really on the canvas under the ring: one per message, and pixels.
    let drawn = js(
        browser,
        "const c = document.querySelector('canvas.dots');
         const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let lit = 0; for (let i = 3; i < px.length; i += 4) { if (px[i]) { lit++; } }
         return [Number(c.dataset.dots), Number(document.querySelector('[data-msg-count]').dataset.msgCount), lit];",
    )
    .await?;
    let (dots, msgs, lit) = (f(&drawn[0]), f(&drawn[1]), f(&drawn[2]));
    assert_eq!(
        dots, msgs,
        "every message in flight is a mark on the canvas"
    );
    assert!(
        lit > 10_000.0,
        "the canvas shows almost nothing: {lit} pixels"
    );
    // A mark is picked by pointing at it: it becomes an element of its own, with its label.
    let spot = js(
        browser,
        "const c = document.querySelector('canvas.dots'), r = c.getBoundingClientRect();
         const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, k = c.width / r.width;
         for (let y = 0; y < c.height; y += 3) { for (let x = 0; x < c.width; x += 3) {
           if (px[(y * c.width + x) * 4 + 3] !== 255) { continue; }
           const cx = r.left + x / k, cy = r.top + y / k, el = document.elementFromPoint(cx, cy);
           if (el && el.classList.contains('bg')) {
             el.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, clientX: cx, clientY: cy}));
             return [cx, cy];
           } } }
         return null;",
    )
    .await?;
    assert!(spot.is_array(), "no mark to point at");
    wait_js(
        browser,
        "const m = document.querySelectorAll('.messages [data-msg]');
         return m.length === 1 && m[0].textContent.length > 0;",
        &true.into(),
        5,
    )
    .await?;
    // What the measured frames showed (paused where the recording stopped).
    browser
        .screenshot(&format!(
            "animation-51-{}-1366x768",
            latency.replace("..", "-")
        ))
        .await?;
    assert!(
        lo >= 500,
        "fewer than 500 messages in flight while measuring: {counts:?}"
    );
    assert!(
        out["position"].as_u64().unwrap_or(0) > 60,
        "the run did not move while playing: {out}"
    );
    Ok(())
}
