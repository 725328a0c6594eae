//! The classroom in the browser (wasm32, headless Chromium): every lesson gives its golden
//! transcript in both languages, as natively; a lesson link opens the lesson panel at its
//! stop, in its language; Next plays to the next stop and the quiz shows its answer; the
//! language switch relabels the page and is remembered; `shareLink()` names the stop; a bad
//! link shows its message over the default scenario.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use zkplay_core::lessons::LESSONS;
use zkplay_core::script::lesson::Lang;
use zkplay_core::script::{Player, RunOptions};
use zkplay_web::App;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! goldens {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../../tests/lessons/", $name, ".en.jsonl")),
            include_str!(concat!("../../tests/lessons/", $name, ".zh.jsonl")),
        )),*]
    };
}

/// `(lesson, English transcript, Chinese transcript)`, as tests/tests/lessons.rs keeps them.
const GOLDENS: &[(&str, &str, &str)] = goldens!(
    "startup-3",
    "startup-together",
    "why-2n1-4",
    "why-2n1-5",
    "reelection-5",
    "zxid-vs-id",
    "after-election",
    "observers",
    "znodes",
    "watches",
    "sessions",
    "recipe-election",
    "recipe-lock",
);

#[wasm_bindgen_test]
fn every_lesson_gives_its_golden_transcript_in_both_languages() {
    assert_eq!(
        GOLDENS.len(),
        LESSONS.len(),
        "a lesson without its golden here"
    );
    for l in LESSONS {
        let (_, en, zh) = GOLDENS
            .iter()
            .find(|(n, _, _)| *n == l.name)
            .unwrap_or_else(|| panic!("no golden for {}", l.name));
        let mut p = Player::new(&format!("{}.zks", l.name), l.src, RunOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        p.run_to_end().unwrap_or_else(|e| panic!("{e}"));
        for (lang, golden) in [(Lang::En, en), (Lang::Zh, zh)] {
            let got = p.transcript(lang);
            let want: Vec<&str> = golden.lines().collect();
            assert_eq!(got, want, "{} in {}", l.name, lang.code());
        }
    }
}

fn new_test_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..300 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("no `{selector}` after 3 s in:\n{}", root.inner_html());
}

async fn click(root: &Element, selector: &str) {
    let el: HtmlElement = wait_for(root, selector).await.dyn_into().unwrap();
    el.click();
    TimeoutFuture::new(30).await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn set_hash(hash: &str) {
    let _ = web_sys::window().unwrap().location().set_hash(hash);
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn api(name: &str) -> wasm_bindgen::JsValue {
    let window = web_sys::window().unwrap();
    let api = js_sys::Reflect::get(&window, &"zkplay".into()).unwrap();
    let f: js_sys::Function = js_sys::Reflect::get(&api, &name.into())
        .unwrap()
        .dyn_into()
        .unwrap();
    f.call0(&api).unwrap()
}

#[wasm_bindgen_test]
async fn a_lesson_link_opens_at_its_stop_and_next_shows_the_answer() {
    let _ = storage().remove_item("zkplay.lang");
    set_hash("lesson=startup-3&step=2&lang=zh");
    let root = new_test_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    let panel = wait_for(&root, ".lesson-panel").await;
    assert_eq!(panel.get_attribute("data-stop").as_deref(), Some("2"));
    assert_eq!(panel.get_attribute("data-place").as_deref(), Some("stop"));
    wait_for(&root, "[data-quiz='2']").await;
    TimeoutFuture::new(20).await;
    let html_lang = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap()
        .get_attribute("lang");
    assert_eq!(html_lang.as_deref(), Some("zh-CN"));
    assert_eq!(text(&root, "[data-tab=events]"), "事件流");
    assert_eq!(
        text(&root, "[data-lesson-title]"),
        "服务器启动：三台服务器依次启动"
    );

    // Answer, then Next (twice: the second goes straight to the stop).
    click(&root, "[data-choice='2']").await;
    click(&root, "[data-action=lesson-next]").await;
    click(&root, "[data-action=lesson-next]").await;
    let reveal = wait_for(&root, "[data-reveal]").await;
    assert_eq!(reveal.get_attribute("data-reveal").as_deref(), Some("2"));
    assert_eq!(
        reveal.get_attribute("data-verdict").as_deref(),
        Some("right")
    );
    let panel = wait_for(&root, ".lesson-panel").await;
    assert_eq!(panel.get_attribute("data-stop").as_deref(), Some("3"));

    // English, remembered, and carried in the link.
    click(&root, "[data-action=lang]").await;
    assert_eq!(text(&root, "[data-tab=events]"), "Event feed");
    assert_eq!(
        storage().get_item("zkplay.lang").unwrap().as_deref(),
        Some("en")
    );
    let link = api("shareLink").as_string().unwrap();
    assert!(link.ends_with("#lesson=startup-3&step=3&lang=en"), "{link}");
    app.destroy();
    root.remove();
    set_hash("");
    let _ = storage().remove_item("zkplay.lang");
    TimeoutFuture::new(20).await;
}

#[wasm_bindgen_test]
async fn a_bad_link_shows_its_message_over_the_default_scenario() {
    set_hash("v=9&z=AAAA");
    let root = new_test_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    let notice = wait_for(&root, "[data-link-error]").await;
    assert_eq!(
        notice.get_attribute("data-link-error").as_deref(),
        Some("version")
    );
    let servers = root.query_selector_all("[data-server]").unwrap().length();
    assert_eq!(servers, 5);
    assert!(root.query_selector(".lesson-panel").unwrap().is_none());
    app.destroy();
    root.remove();
    set_hash("");
    TimeoutFuture::new(20).await;
}
