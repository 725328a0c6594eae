//! Browser tests of the panels (web/src/panels/): each component rendered with sample data
//! from a real simulation, its hooks and its callbacks checked in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown -p zkplay-web`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::Callback;
use zkplay_core::client::Output;
use zkplay_core::script::{RunOptions, RunOutput, run};
use zkplay_core::sim::MsgId;
use zkplay_core::{Input, ServerId};
use zkplay_web::panels::console::{SessionRow, connect_string, session_rows};
use zkplay_web::panels::znode_tree::ServerChoice;
use zkplay_web::panels::{
    ConsoleLog, ConsolePanel, ConsolePanelProps, FeedLog, FeedPanel, FeedPanelProps,
    InspectorPanel, InspectorPanelProps, Names, SessionsPanel, SessionsPanelProps, SpaceTimePanel,
    SpaceTimePanelProps, SpanLog, ZnodeTreePanel, ZnodeTreePanelProps, inspect_message,
    inspect_server, lanes_for, tree_view,
};

wasm_bindgen_test_configure!(run_in_browser);

fn new_test_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Polls until `root` has a match for `selector`, for at most about 2 s.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("no `{selector}` after 2 s in:\n{}", root.inner_html());
}

/// Lets Yew render what the last event scheduled.
async fn settle() {
    TimeoutFuture::new(30).await;
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

fn attr(e: &Element, name: &str) -> String {
    e.get_attribute(name).unwrap_or_default()
}

fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

fn click(e: &Element) {
    e.clone().dyn_into::<HtmlElement>().unwrap().click();
}

fn dispatch(e: &Element, kind: &str, bubbles: bool) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(bubbles);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    e.dispatch_event(&ev).unwrap();
}

/// Types `value` into an input as a user would (value, then an `input` event).
fn type_into(e: &Element, value: &str) {
    let input: HtmlInputElement = e.clone().dyn_into().unwrap();
    input.set_value(value);
    dispatch(e, "input", true);
}

fn recorder<T: 'static>() -> (Rc<RefCell<Vec<T>>>, Callback<T>) {
    let got = Rc::new(RefCell::new(Vec::new()));
    let sink = got.clone();
    (got, Callback::from(move |v: T| sink.borrow_mut().push(v)))
}

fn sample(src: &str) -> RunOutput {
    run(
        "sample.zks",
        src,
        RunOptions {
            events: true,
            check_invariants: false,
        },
    )
    .unwrap()
}

const SCRIPT: &str = "servers 3\nstart 1 2 3\nconnect c1 to 1\nconnect c2 to 3\n\
                      c1: create /a x\nc1: create -e /a/lock held\nc2: get -w /a\n";

#[wasm_bindgen_test]
async fn console_prints_zkcli_text_and_keeps_bad_lines() {
    let mut out = sample(SCRIPT);
    // A client added the way the page adds one, with its console fed by its outputs.
    let sim = &mut out.sim;
    let id = sim.add_client("c3");
    sim.client_do(id, |c, ctx| c.connect(ctx, Some(ServerId(2)), None));
    let mut log = ConsoleLog::new(connect_string(&sim.client(id).servers));
    let pump = |sim: &mut zkplay_core::Sim, log: &mut ConsoleLog| {
        for _ in 0..300 {
            if sim.step().is_none() {
                break;
            }
            for o in sim.take_client_outputs() {
                if o.client == id {
                    log.push(&o.output);
                }
            }
        }
    };
    pump(sim, &mut log);
    let zkplay_web::panels::console::Typed::Run(cmd) = log.type_line("get -s /a") else {
        panic!("get -s /a did not parse");
    };
    sim.client_do(id, |c, ctx| c.exec(ctx, 1, "get -s /a", cmd));
    pump(sim, &mut log);
    log.type_line("set /a");
    log.push(&Output::Watch(zkplay_core::watch::WatchEvent {
        kind: zkplay_core::watch::EventType::NodeDataChanged,
        path: "/a".into(),
    }));

    let root = new_test_root();
    let (commands, on_command) = recorder::<String>();
    let props = ConsolePanelProps {
        client: "c3".into(),
        log: Rc::new(log),
        on_command,
        disabled: false,
    };
    let app = yew::Renderer::<ConsolePanel>::with_root_and_props(root.clone(), props).render();
    let output = wait_for(&root, "[data-console-output]").await;
    let shown = text(&output);
    assert!(
        shown
            .contains("[zk: 127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181(CONNECTED) 0] get -s /ax"),
        "{shown}"
    );
    assert!(shown.contains("cZxid = 0x100000003"), "{shown}");
    assert!(
        shown.contains("ctime = Thu Jan 01 00:00:00 UTC 1970"),
        "{shown}"
    );
    assert!(shown.contains("set [-s] [-v version] path data"), "{shown}");
    assert!(
        shown.contains("WATCHER::WatchedEvent state:SyncConnected type:NodeDataChanged path:/a"),
        "{shown}"
    );
    assert_eq!(all(&root, ".cl-err").len(), 1);
    let prompt = wait_for(&root, ".console-prompt").await;
    assert!(
        text(&prompt).ends_with("(CONNECTED) 2] "),
        "{}",
        text(&prompt)
    );

    // A line that does not parse is sent (the log prints zkCli's message) and stays in the
    // input; a good one is sent and the input clears.
    let input = wait_for(&root, "[data-console-input]").await;
    let run_button = wait_for(&root, ".console-run").await;
    type_into(&input, "set /a");
    settle().await;
    click(&run_button);
    settle().await;
    let value = |e: &Element| e.clone().dyn_into::<HtmlInputElement>().unwrap().value();
    assert_eq!(value(&input), "set /a");
    type_into(&input, "get /a");
    settle().await;
    click(&run_button);
    settle().await;
    assert_eq!(value(&input), "");
    assert_eq!(*commands.borrow(), ["set /a", "get /a"]);
    // Blank lines are not sent.
    click(&run_button);
    settle().await;
    assert_eq!(commands.borrow().len(), 2);

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn sessions_list_and_add_session() {
    let out = sample(SCRIPT);
    let rows: Vec<SessionRow> = session_rows(&out.sim);
    let root = new_test_root();
    let (added, on_add_session) = recorder::<(String, Option<u8>)>();
    let (selected, on_select) = recorder::<String>();
    let props = SessionsPanelProps {
        sessions: rows,
        servers: vec![1, 2, 3],
        selected: Some("c1".into()),
        on_select,
        on_add_session,
    };
    let app = yew::Renderer::<SessionsPanel>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "tr[data-session-client]").await;
    let trs = all(&root, "tr[data-session-client]");
    let names: Vec<String> = trs.iter().map(|t| attr(t, "data-session-client")).collect();
    assert_eq!(names, ["c1", "c2"]);
    assert!(trs.iter().all(|t| attr(t, "data-state") == "CONNECTED"));
    assert!(trs[0].class_name().contains("selected"));
    let first = text(&trs[0]);
    assert!(first.contains("0x"), "{first}");
    assert!(first.contains(" ms"), "{first}");
    assert_eq!(all(&root, ".countdown").len(), 4);
    click(&trs[1]);
    settle().await;
    assert_eq!(*selected.borrow(), ["c2"]);

    // The suggested name is the first free cN; pick server 2 and add.
    let name = wait_for(&root, ".add-session-name").await;
    assert_eq!(
        name.clone().dyn_into::<HtmlInputElement>().unwrap().value(),
        "c3"
    );
    let select = wait_for(&root, ".add-session-server").await;
    js_set_value(&select, "2");
    dispatch(&select, "change", true);
    settle().await;
    click(&wait_for(&root, "[data-action=add-session]").await);
    settle().await;
    assert_eq!(*added.borrow(), [("c3".to_string(), Some(2))]);
    // A bad name disables the button.
    type_into(&name, "9lives");
    settle().await;
    let button = wait_for(&root, "[data-action=add-session]").await;
    assert!(button.has_attribute("disabled"));

    app.destroy();
    root.remove();
}

/// Sets a `<select>`'s value through the structural `value` setter.
fn js_set_value(e: &Element, v: &str) {
    let input: HtmlInputElement = e.clone().unchecked_into();
    input.set_value(v);
}

#[wasm_bindgen_test]
async fn znode_tree_marks_owners_and_watches() {
    let out = sample(SCRIPT);
    // c2 is connected to server 3: its watch lives there.
    let tree = Rc::new(tree_view(&out.sim, ServerId(3)));
    let root = new_test_root();
    let (picked, on_pick_server) = recorder::<u8>();
    let props = ZnodeTreePanelProps {
        servers: out
            .sim
            .server_states()
            .into_iter()
            .map(|(id, st)| ServerChoice {
                id: id.0,
                state: st.name(),
            })
            .collect(),
        tree,
        on_pick_server,
    };
    let app = yew::Renderer::<ZnodeTreePanel>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "[data-znode]").await;
    let paths: Vec<String> = all(&root, "[data-znode]")
        .iter()
        .map(|e| attr(e, "data-znode"))
        .collect();
    // /zookeeper starts collapsed.
    assert_eq!(paths, ["/", "/a", "/a/lock", "/zookeeper"]);
    let lock = wait_for(&root, "[data-znode='/a/lock']").await;
    assert!(lock.class_name().contains("ephemeral"));
    assert!(text(&lock).contains("c1"), "{}", text(&lock));
    assert!(text(&lock).contains("held"));
    let a = wait_for(&root, "[data-znode='/a']").await;
    assert!(a.class_name().contains("watched"));
    assert!(text(&a).contains("c2 data"), "{}", text(&a));

    // Stat on click.
    click(&a);
    let detail = wait_for(&root, "[data-znode-detail='/a']").await;
    let d = text(&detail);
    assert!(d.contains("cZxid = 0x100000003"), "{d}");
    assert!(d.contains("numChildren = 1"), "{d}");

    // Expanding /zookeeper shows its children.
    let zk = wait_for(&root, "[data-znode='/zookeeper'] .znode-toggle").await;
    click(&zk);
    wait_for(&root, "[data-znode='/zookeeper/config']").await;

    // The picker reports the server chosen.
    let select = wait_for(&root, ".tree-server").await;
    js_set_value(&select, "1");
    dispatch(&select, "change", true);
    settle().await;
    assert_eq!(*picked.borrow(), [1]);

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn feed_entries_seek_to_their_event() {
    let out =
        sample("servers 3\nstart 1 2 3\nconnect c1\nc1: create /a x\ncrash 2\nawait leader\n");
    let mut feed = FeedLog::new();
    feed.extend(out.sim.events(), &Names::from_sim(&out.sim));
    let root = new_test_root();
    let (seeks, on_seek) = recorder::<usize>();
    let props = FeedPanelProps {
        feed: Rc::new(feed),
        current: None,
        server: None,
        limit: 1000,
        on_seek,
    };
    let app = yew::Renderer::<FeedPanel>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "[data-event]").await;
    let entries = all(&root, "[data-event]");
    let texts: Vec<String> = entries.iter().map(text).collect();
    assert!(
        texts.iter().any(|t| t.ends_with("server 2 crashed")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with("COMMIT 0x100000002 on server 1")),
        "{texts:?}"
    );
    // Raw messages are hidden by default.
    assert!(!texts.iter().any(|t| t.contains(" sent ")), "{texts:?}");
    let crash = entries
        .iter()
        .find(|e| text(e).ends_with("server 2 crashed"))
        .unwrap();
    let index: usize = attr(crash, "data-event").parse().unwrap();
    click(crash);
    settle().await;
    assert_eq!(*seeks.borrow(), [index]);

    // Showing messages adds them.
    let toggle = wait_for(&root, "[data-feed-category=messages]").await;
    click(&toggle);
    settle().await;
    let more = all(&root, "[data-event]");
    assert!(more.len() > entries.len());
    assert!(more.iter().any(|e| text(e).contains(" sent NOTIFICATION")));

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn spacetime_arrows_hover_and_highlight() {
    let out = sample("servers 3\nstart 1 2 3\n");
    let mut spans = SpanLog::new();
    spans.extend(out.sim.events());
    let spans = Rc::new(spans);
    let now = out.sim.now().0;
    let root = new_test_root();
    let (hovers, on_hover) = recorder::<Option<MsgId>>();
    let (picks, on_select) = recorder::<MsgId>();
    let lanes = lanes_for(&out.sim, false);
    let first_vote = spans
        .spans()
        .iter()
        .find(|s| s.kind == "NOTIFICATION")
        .unwrap()
        .id;
    let props = SpaceTimePanelProps {
        spans: spans.clone(),
        lanes: lanes.clone(),
        now,
        span_ms: now.max(1),
        highlight: Some(first_vote),
        on_hover,
        on_select,
    };
    let app = yew::Renderer::<SpaceTimePanel>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "[data-arrow]").await;
    assert_eq!(all(&root, ".st-lane").len(), 3);
    let arrows = all(&root, "[data-arrow]");
    assert!(arrows.len() >= 9, "{}", arrows.len());
    let hi = all(&root, ".st-arrow.highlight");
    assert_eq!(hi.len(), 1);
    assert_eq!(attr(&hi[0], "data-arrow"), first_vote.0.to_string());
    assert_eq!(attr(&hi[0], "data-kind"), "NOTIFICATION");

    let target = &arrows[1];
    let id = MsgId(attr(target, "data-arrow").parse().unwrap());
    dispatch(target, "mouseenter", false);
    dispatch(target, "mouseleave", false);
    // SVG elements have no click(): a bubbling click event does it.
    dispatch(target, "click", true);
    settle().await;
    assert_eq!(*hovers.borrow(), [Some(id), None]);
    assert_eq!(*picks.borrow(), [id]);

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn inspector_shows_server_and_message() {
    let mut out = sample(SCRIPT);
    out.sim.apply(Input::Crash(ServerId(3)));
    out.sim.apply(Input::Start(ServerId(3)));
    let msg = out
        .sim
        .in_flight()
        .find(|m| m.msg.kind() == "NOTIFICATION")
        .map(|m| m.id)
        .unwrap();
    let props = InspectorPanelProps {
        server: Some(Rc::new(inspect_server(&out.sim, ServerId(1)))),
        message: inspect_message(&out.sim, msg).map(Rc::new),
    };
    let root = new_test_root();
    let app = yew::Renderer::<InspectorPanel>::with_root_and_props(root.clone(), props).render();
    let server = wait_for(&root, "[data-inspect-server='1']").await;
    assert_eq!(attr(&server, "data-state"), "FOLLOWING");
    let mode = wait_for(&root, "[data-mode]").await;
    assert_eq!(text(&mode), "Mode: follower");
    let srvr = wait_for(&root, "[data-fourlw=srvr]").await;
    assert!(text(&srvr).contains("Zxid: 0x"), "{}", text(&srvr));
    // createSession ×2, two creates: four committed cells in epoch 1.
    assert_eq!(all(&root, ".zxid-cell.committed").len(), 4);
    let m = wait_for(&root, "[data-inspect-msg]").await;
    let t = text(&m);
    assert!(t.contains("NOTIFICATION"), "{t}");
    assert!(t.contains("server 3"), "{t}");
    assert!(t.contains("electionEpoch"), "{t}");

    app.destroy();
    root.remove();
}
