//! Browser smoke tests: `cargo test --target wasm32-unknown-unknown -p zkplay-web` runs
//! them in headless Chromium (see .cargo/config.toml and web/webdriver.json).

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use zkplay_core::script::{RunOptions, run};
use zkplay_web::{App, ScriptErrorView, ScriptErrorViewProps, fresh_seed, show_panic_overlay};

wasm_bindgen_test_configure!(run_in_browser);

// `SCENARIOS: &[(name, script, golden)]`, written by web/build.rs.
include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// A fresh `<div>` in the test page's body to render into.
fn new_test_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Polls until `root` has at least one match for `selector`, for at most about 2 s.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("no `{selector}` after 2 s in:\n{}", root.inner_html());
}

fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

fn attrs(root: &Element, selector: &str, name: &str) -> Vec<String> {
    let found = root.query_selector_all(selector).unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
        .map(|e| attr(&e, name))
        .collect()
}

async fn click(root: &Element, selector: &str) {
    let el: HtmlElement = wait_for(root, selector).await.dyn_into().unwrap();
    el.click();
    TimeoutFuture::new(30).await;
}

#[wasm_bindgen_test]
async fn playground_shows_five_looking_servers_and_steps() {
    let root = new_test_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "[data-server]").await;

    assert_eq!(
        attrs(&root, "[data-server]", "data-server"),
        ["1", "2", "3", "4", "5"]
    );
    assert!(
        attrs(&root, "[data-server]", "data-state")
            .iter()
            .all(|s| s == "LOOKING")
    );
    // Every voter's vote to every voter is in flight, loopbacks included.
    assert_eq!(attrs(&root, "[data-msg]", "data-msg").len(), 25);
    assert_eq!(attrs(&root, "[data-pos]", "data-pos"), ["0"]);
    assert_eq!(attrs(&root, "[data-sim-time]", "data-sim-time"), ["0"]);
    let heading = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(heading.text_content().as_deref(), Some("zkplay"));

    // Step and back with the buttons.
    let before = root
        .query_selector("svg.ensemble")
        .unwrap()
        .unwrap()
        .outer_html();
    click(&root, "[data-action=step]").await;
    assert_eq!(attrs(&root, "[data-pos]", "data-pos"), ["1"]);
    click(&root, "[data-action=back]").await;
    assert_eq!(attrs(&root, "[data-pos]", "data-pos"), ["0"]);
    let after = root
        .query_selector("svg.ensemble")
        .unwrap()
        .unwrap()
        .outer_html();
    assert_eq!(before, after);

    // Run until a leader: one LEADING, four FOLLOWING, the timeline has its epoch band.
    click(&root, "[data-action=run-until-leader]").await;
    let mut states = attrs(&root, "[data-server]", "data-state");
    states.sort();
    assert_eq!(
        states,
        [
            "FOLLOWING",
            "FOLLOWING",
            "FOLLOWING",
            "FOLLOWING",
            "LEADING"
        ]
    );
    assert_eq!(attrs(&root, ".band", "data-epoch"), ["1"]);

    // The help dialog.
    click(&root, "[data-action=help]").await;
    wait_for(&root, "#help-dialog").await;

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn window_zkplay_answers() {
    let root = new_test_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "[data-server]").await;
    TimeoutFuture::new(20).await;
    let window = web_sys::window().unwrap();
    let api = js_sys::Reflect::get(&window, &"zkplay".into()).unwrap();
    let call = |name: &str, arg: wasm_bindgen::JsValue| {
        let f: js_sys::Function = js_sys::Reflect::get(&api, &name.into())
            .unwrap()
            .dyn_into()
            .unwrap();
        f.call1(&api, &arg).unwrap()
    };
    assert_eq!(
        call("eventCount", wasm_bindgen::JsValue::NULL).as_f64(),
        Some(0.0)
    );
    assert_eq!(call("step", 10.into()).as_f64(), Some(10.0));
    let status = call("status", wasm_bindgen::JsValue::NULL);
    let json = js_sys::JSON::stringify(&status)
        .unwrap()
        .as_string()
        .unwrap();
    assert!(json.contains(r#""position":10"#), "{json}");
    assert!(json.contains(r#""state":"LOOKING""#), "{json}");
    assert_eq!(call("seek", 3.into()).as_f64(), Some(3.0));
    TimeoutFuture::new(30).await;
    assert_eq!(attrs(&root, "[data-pos]", "data-pos"), ["3"]);
    let loaded = call("load", "servers 3\nstart 1 2 3\nstatus\n".into());
    let loaded = js_sys::JSON::stringify(&loaded)
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(loaded, r#"{"ok":true,"error":null}"#);
    call("step", 2000.into());
    let trace = call("trace", wasm_bindgen::JsValue::NULL)
        .as_string()
        .unwrap();
    assert!(trace.contains(r#""leader":2"#), "{trace}");
    app.destroy();
    root.remove();
    TimeoutFuture::new(20).await;
    // Unmounting removes the API.
    let gone = js_sys::Reflect::get(&window, &"zkplay".into()).unwrap();
    assert!(gone.is_undefined());
}

#[wasm_bindgen_test]
async fn script_error_is_shown_as_alert() {
    let root = new_test_root();
    let props = ScriptErrorViewProps {
        error: Some("t.zks:2:7: expected a server id".into()),
    };
    let app = yew::Renderer::<ScriptErrorView>::with_root_and_props(root.clone(), props).render();
    let error = wait_for(&root, "#script-error").await;
    assert_eq!(attr(&error, "role"), "alert");
    assert_eq!(
        error.text_content().as_deref(),
        Some("t.zks:2:7: expected a server id")
    );
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
fn panic_overlay_shows_the_message_once() {
    show_panic_overlay("boom at web/src/lib.rs:1:1");
    show_panic_overlay("a second panic");
    let document = web_sys::window().unwrap().document().unwrap();
    let overlays = document.query_selector_all(".panic-overlay").unwrap();
    assert_eq!(overlays.length(), 1);
    let overlay: HtmlElement = document
        .get_element_by_id("panic-overlay")
        .unwrap()
        .dyn_into()
        .unwrap();
    let text = overlay.text_content().unwrap();
    assert!(text.contains("zkplay stopped"), "{text}");
    assert!(text.contains("boom at web/src/lib.rs:1:1"), "{text}");
    assert!(!text.contains("a second panic"), "{text}");
    overlay.remove();
}

#[wasm_bindgen_test]
fn fresh_seeds_come_from_crypto() {
    // Two equal draws from 2^64 values would mean the entropy source is broken.
    assert_ne!(fresh_seed(), fresh_seed());
}

/// The wasm build gives every golden scenario exactly the output the native harness
/// (tests/tests/scenarios.rs) recorded: the same options, and a script whose first line is
/// `# golden: events` is compared with its low-level events followed by its trace.
#[wasm_bindgen_test]
fn scenario_traces_match_native_goldens() {
    assert!(
        !SCENARIOS.is_empty(),
        "web/build.rs found no golden scenarios"
    );
    for &(name, script, golden) in SCENARIOS {
        let events = script
            .lines()
            .next()
            .is_some_and(|l| l.trim() == "# golden: events");
        let options = RunOptions {
            events,
            check_invariants: true,
        };
        let out = run(&format!("{name}.zks"), script, options)
            .unwrap_or_else(|err| panic!("{name}: the script did not run: {err}"));
        let actual: Vec<&str> = out
            .events
            .iter()
            .chain(&out.trace)
            .map(String::as_str)
            .collect();
        let expected: Vec<&str> = golden.lines().collect();
        assert_eq!(
            actual, expected,
            "{name}: the wasm output differs from {name}.jsonl"
        );
    }
    console_log!("{} golden scenarios matched", SCENARIOS.len());
}

/// web/build.rs found every scenario that has a golden (checked natively, where the
/// scenarios folder can be read).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn golden_list_matches_the_scenarios_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut expected: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.path().file_name()?.to_str().map(str::to_owned))
                .filter_map(|name| name.strip_suffix(".zks").map(str::to_owned))
                .filter(|stem| dir.join(format!("{stem}.jsonl")).is_file())
                .collect()
        })
        .unwrap_or_default();
    expected.sort();
    let listed: Vec<&str> = SCENARIOS.iter().map(|&(name, _, _)| name).collect();
    assert_eq!(listed, expected);
}
