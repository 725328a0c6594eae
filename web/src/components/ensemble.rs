//! The ensemble: servers on a ring (observers on a row of their own), messages moving along
//! the links, verdicts, tallies and Zab phases, and direct manipulation of faults.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;
use zkplay_core::server::ZabPhase;
use zkplay_core::{Input, ServerId, ServerState};

use crate::components::dots::MessageDots;
use crate::components::positioned::Positioned;
use crate::i18n::{Key, Lang, tr};
use crate::layout::{self, LabelBox, Pt, VIEW_H, VIEW_W, place_labels};
use crate::store::{Action, SimHandle, Target};
use crate::view::{self, MsgView, Scene, ServerView};

/// More voters than this and the ring shows only ids and shapes (details in the inspector).
pub const COMPACT_ABOVE: usize = 11;
/// More messages than this and only hovered or selected ones carry a label.
pub const LABELS_UP_TO: usize = 24;
/// More messages than this and they are plain marks on a canvas under the ring
/// ([`MessageDots`]; hundreds of elements, each with its listeners, cost more than a frame:
/// BENCHMARKS.md, "animation"): only the hovered or selected one stays an element of its own.
pub const BATCH_ABOVE: usize = view::DETAIL_UP_TO;

/// A drag that started on a server.
#[derive(Debug, Clone, PartialEq)]
struct Drag {
    from: u8,
    start: (f64, f64),
    at: Pt,
    moved: bool,
}

/// `class` names of a state, for colour and shape in CSS.
pub fn state_class(s: ServerState) -> &'static str {
    match s {
        ServerState::Down => "down",
        ServerState::Looking => "looking",
        ServerState::Following => "following",
        ServerState::Leading => "leading",
        ServerState::Observing => "observing",
    }
}

/// How many of the three Zab phases (discovery, synchronization, broadcast) a server has
/// reached.
pub fn phase_index(p: ZabPhase) -> usize {
    match p {
        ZabPhase::Election => 0,
        ZabPhase::Discovery => 1,
        ZabPhase::Synchronization => 2,
        ZabPhase::Broadcast => 3,
    }
}

/// The short name of a phase for the badge.
pub fn phase_label(p: ZabPhase) -> &'static str {
    match p {
        ZabPhase::Election => "election",
        ZabPhase::Discovery => "discovery",
        ZabPhase::Synchronization => "sync",
        ZabPhase::Broadcast => "broadcast",
    }
}

pub use crate::view::msg_class;

fn client_xy(e: &MouseEvent) -> (f64, f64) {
    (e.client_x() as f64, e.client_y() as f64)
}

fn rect_of(node: &NodeRef) -> (f64, f64, f64, f64) {
    node.cast::<web_sys::Element>()
        .map(|el| {
            let r = el.get_bounding_client_rect();
            (r.left(), r.top(), r.width(), r.height())
        })
        .unwrap_or((0.0, 0.0, VIEW_W, VIEW_H))
}

fn shape(state: ServerState, r: f64) -> Html {
    match state {
        ServerState::Leading => {
            let pts: Vec<String> = (0..6)
                .map(|i| {
                    let a = std::f64::consts::PI / 3.0 * i as f64 - std::f64::consts::FRAC_PI_2;
                    format!("{:.2},{:.2}", 1.12 * r * a.cos(), 1.12 * r * a.sin())
                })
                .collect();
            html! { <polygon class="shape" points={pts.join(" ")} /> }
        }
        ServerState::Observing => {
            let d = 1.18 * r;
            html! { <polygon class="shape" points={format!("0,{:.2} {d:.2},0 0,{d:.2} {:.2},0", -d, -d)} /> }
        }
        ServerState::Down => {
            let s = 0.92 * r;
            html! {
                <>
                    <rect class="shape" x={format!("{:.2}", -s)} y={format!("{:.2}", -s)}
                        width={format!("{:.2}", 2.0 * s)} height={format!("{:.2}", 2.0 * s)}
                        rx={format!("{:.2}", r * 0.22)} />
                    <line class="strike" x1={format!("{:.2}", -s * 0.7)} y1={format!("{:.2}", s * 0.7)}
                        x2={format!("{:.2}", s * 0.7)} y2={format!("{:.2}", -s * 0.7)} />
                </>
            }
        }
        _ => html! { <circle class="shape" r={format!("{r:.2}")} /> },
    }
}

fn phase_ring(sv: &ServerView, r: f64) -> Html {
    let c = Pt::new(0.0, 0.0);
    let rr = r + 9.0;
    if let Some(left) = sv.finalize_left {
        let frac = left / zkplay_core::election::FINALIZE_WAIT_MS as f64;
        return html! {
            <g class="finalize">
                <circle class="track" r={format!("{rr:.2}")} />
                <path class="countdown" d={layout::arc_path(c, rr, 0.0, frac)} />
            </g>
        };
    }
    match sv.state {
        ServerState::Down => html! {},
        ServerState::Looking => html! { <circle class="seeking" r={format!("{rr:.2}")} /> },
        _ => {
            let reached = phase_index(sv.zab);
            html! {
                <g class="phases" data-phase={phase_label(sv.zab)}>
                    { for (0..3).map(|i| {
                        let class = if i < reached { "seg on" } else { "seg" };
                        html! { <path class={class} d={layout::arc_path(c, rr, i as f64 / 3.0 + 0.02, 1.0 / 3.0 - 0.04)} /> }
                    }) }
                </g>
            }
        }
    }
}

/// Width of a monospace `text` at `size`, padding included (DejaVu Sans Mono's advance is
/// 0.602 em; a little more covers the other monospace fonts).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62 + 18.0
}

/// Height of a verdict bubble.
const VERDICT_H: f64 = 28.0;
/// Font size of a verdict bubble's text.
const VERDICT_SIZE: f64 = 14.0;

/// Room the verdict bubbles need beside a server (the widest verdict is about 340 wide).
const VERDICT_ROOM: f64 = 356.0;
/// How near (view units) the pointer must come to a mark on the canvas to pick it.
const MARK_HIT: f64 = 9.0;
/// Screens this wide or narrower get the narrow layout (`@media (max-width: 820px)`).
const NARROW_SCREEN: f64 = 820.0;
/// Beside each server's disc on a narrow screen: its tally badge (upper right), its state
/// label (under it).
const NARROW_ROOM: f64 = 52.0;

/// Where each server's verdict bubble goes (servers without one get none): a voter's beside
/// it on the outer side (right of the ring's centre line to the right, else to the left), an
/// observer's above it; moved up or down where it would cover another bubble, the hub's text
/// or a server.
fn verdict_spots(scene: &Scene) -> Vec<(usize, Pt)> {
    let l = &scene.layout;
    let (center, r) = (l.center, l.node_radius);
    let mut who = Vec::new();
    let mut wishes = Vec::new();
    for (i, sv) in scene.servers.iter().enumerate() {
        let Some(v) = &sv.verdict else { continue };
        let w = text_width(&v.text, VERDICT_SIZE);
        let at = if sv.observer {
            Pt::new(sv.at.x, sv.at.y - r - 30.0)
        } else if sv.at.x >= center.x - 0.5 {
            Pt::new(sv.at.x + r + 14.0 + w / 2.0, sv.at.y + 8.0)
        } else {
            Pt::new(sv.at.x - r - 14.0 - w / 2.0, sv.at.y + 8.0)
        };
        who.push(i);
        wishes.push(LabelBox::new(at, w, VERDICT_H));
    }
    if who.is_empty() {
        return Vec::new();
    }
    // The hub's two lines; each server's disc with the finalizeWait countdown above it and
    // its state pill, and the vote line under that.
    let mut obstacles = vec![LabelBox::new(
        Pt::new(center.x, center.y + 4.0),
        300.0,
        76.0,
    )];
    for sv in &scene.servers {
        let (top, bottom) = (sv.at.y - r - 24.0, sv.at.y + r + 14.0);
        obstacles.push(LabelBox::new(
            Pt::new(sv.at.x, (top + bottom) / 2.0),
            2.0 * r + 8.0,
            bottom - top,
        ));
        obstacles.push(LabelBox::new(
            Pt::new(sv.at.x, sv.at.y + r + 27.0),
            130.0,
            26.0,
        ));
    }
    who.into_iter()
        .zip(place_labels(&wishes, &obstacles))
        .collect()
}

fn verdict_bubble(sv: &ServerView, at: Pt) -> Html {
    let Some(v) = &sv.verdict else {
        return html! {};
    };
    let w = text_width(&v.text, VERDICT_SIZE);
    let opacity = v.freshness.sqrt().clamp(0.0, 1.0);
    html! {
        <g class={classes!("verdict", v.tone.class())} data-verdict={sv.id.to_string()}
            transform={format!("translate({:.1},{:.1})", at.x, at.y)}
            opacity={format!("{opacity:.2}")}>
            <rect x={format!("{:.1}", -w / 2.0)} y={format!("{:.1}", -VERDICT_H / 2.0)} width={format!("{w:.1}")} height={VERDICT_H.to_string()} rx="14" />
            <text y="5" text-anchor="middle">{ v.text.clone() }</text>
        </g>
    }
}

fn server_node(
    sv: &ServerView,
    scene: &Scene,
    selected: bool,
    hovered: bool,
    on_down: Callback<(u8, PointerEvent)>,
    on_hover: Callback<Option<Target>>,
    lang: Lang,
) -> Html {
    let r = scene.layout.node_radius;
    let compact = scene.layout.voters.len() > COMPACT_ABOVE;
    let id = sv.id;
    let state = sv.state.name();
    let onpointerdown = {
        let on_down = on_down.clone();
        Callback::from(move |e: PointerEvent| on_down.emit((id, e)))
    };
    let onpointerenter = {
        let on_hover = on_hover.clone();
        Callback::from(move |_| on_hover.emit(Some(Target::Server(id))))
    };
    let onpointerleave = Callback::from(move |_| on_hover.emit(None));
    let vote = sv.vote.map(|v| format!("{} r{}", v.short(), v.round));
    let label_y = r + 24.0;
    let title = format!(
        "{}{}{}",
        tr(Key::ServerTitle, lang, &[&id.to_string(), state]),
        if sv.observer {
            Key::ObserverSuffix.text(lang)
        } else {
            ""
        },
        vote.as_ref()
            .map(|v| tr(Key::VoteSuffix, lang, &[v]))
            .unwrap_or_default()
    );
    let pill_w = state.len() as f64 * 9.6 + 18.0;
    html! {
        <g class={classes!("server", state_class(sv.state), selected.then_some("selected"), hovered.then_some("hovered"), sv.observer.then_some("observer"))}
            data-server={id.to_string()} data-state={state}
            transform={format!("translate({:.1},{:.1})", sv.at.x, sv.at.y)}
            {onpointerdown} {onpointerenter} {onpointerleave}
            role="button" aria-label={title.clone()}>
            <title>{ title }</title>
            { phase_ring(sv, r) }
            <g class="body" key={state}>
                { shape(sv.state, r) }
                <text class="sid" y={format!("{:.1}", r * 0.36)} font-size={format!("{:.1}", (r * 1.0).clamp(11.0, 38.0))}>{ id }</text>
            </g>
            if !compact {
                <g class="pill" transform={format!("translate(0,{label_y:.1})")}>
                    <rect x={format!("{:.1}", -pill_w / 2.0)} y="-11" width={format!("{pill_w:.1}")} height="22" rx="11" />
                    <text y="5">{ state }</text>
                </g>
                if let Some(v) = &vote {
                    <text class="vote" y={format!("{:.1}", label_y + 27.0)}>{ tr(Key::VoteText, lang, &[v]) }</text>
                }
                if sv.observer {
                    <text class="nocount" y={format!("{:.1}", label_y + 45.0)}>{ Key::ObserverNotCounted.text(lang) }</text>
                }
                if let Some(t) = sv.tally {
                    <g class={classes!("tally", (t.agree >= t.needed).then_some("met"))}
                        transform={format!("translate({:.1},{:.1})", r + 22.0, -r * 0.55)}>
                        <rect x="-26" y="-14" width="52" height="28" rx="14" />
                        <text y="5">{ format!("{}/{}", t.agree, t.needed) }</text>
                    </g>
                }
                if let Some(left) = sv.finalize_left {
                    <text class="finalize-left" y={format!("{:.1}", -r - 18.0)}>{ format!("finalize {left:.0} ms") }</text>
                }
                { for sv.acks.iter().take(3).enumerate().map(|(i, a)| html! {
                    <text class={classes!("ack", (a.acks >= a.needed).then_some("met"))}
                        y={format!("{:.1}", label_y + 45.0 + 17.0 * i as f64)}>
                        { format!("{} ACK {}/{}", a.zxid, a.acks, a.needed) }
                    </text>
                }) }
            } else {
                <title>{ state }</title>
            }
        </g>
    }
}

fn message(
    m: &MsgView,
    show_label: bool,
    selected: bool,
    hovered: bool,
    on_click: Callback<u64>,
    on_hover: Callback<Option<Target>>,
    lang: Lang,
) -> Html {
    let id = m.id;
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        on_click.emit(id);
    });
    let onpointerdown = Callback::from(|e: PointerEvent| e.stop_propagation());
    let onpointerenter = {
        let on_hover = on_hover.clone();
        Callback::from(move |_| on_hover.emit(Some(Target::Message(id))))
    };
    let onpointerleave = Callback::from(move |_| on_hover.emit(None));
    let class = classes!(
        "msg",
        msg_class(m),
        m.held.then_some("held"),
        m.dropped.is_some().then_some("dropped"),
        m.loopback.then_some("loopback"),
        selected.then_some("selected"),
        hovered.then_some("hovered")
    );
    let opacity = m.dropped.map_or(1.0, |f| f.clamp(0.0, 1.0));
    let label = if m.dropped.is_some() {
        format!("✕ {}", m.label)
    } else if m.held {
        tr(Key::HeldPrefix, lang, &[&m.label])
    } else {
        m.label.clone()
    };
    let w = text_width(&label, 13.0);
    let size = if m.vote { 7.0 } else { 6.0 };
    html! {
        <g {class} data-msg={m.kind} data-msg-id={id.to_string()}
            transform={format!("translate({:.1},{:.1})", m.at.x, m.at.y)}
            opacity={format!("{opacity:.2}")}
            {onclick} {onpointerdown} {onpointerenter} {onpointerleave}>
            <title>{ format!("{} {} → {}: {}", m.kind, m.from, m.to, m.label) }</title>
            <circle class="hit" r="14" />
            if m.vote || m.kind == "RESET" {
                <circle class="dot" r={format!("{size}")} />
            } else {
                <rect class="dot" x={format!("{}", -size)} y={format!("{}", -size)} width={format!("{}", 2.0 * size)} height={format!("{}", 2.0 * size)} rx="2" />
            }
            if m.dropped.is_some() {
                <path class="cross" d="M -5 -5 L 5 5 M -5 5 L 5 -5" />
            }
            if show_label || selected {
                <g class="mlabel" transform="translate(12,-12)">
                    <rect x="0" y="-10" width={format!("{w:.1}")} height="20" rx="6" />
                    <text x="8" y="4">{ label }</text>
                </g>
            }
        </g>
    }
}

fn server_menu(store: &SimHandle, id: u8, at: (f64, f64)) -> Html {
    let engine = store.engine();
    let sim = engine.sim();
    let sid = ServerId(id);
    let Some(s) = sim.servers().iter().find(|s| s.id == sid) else {
        return html! {};
    };
    let up = s.up;
    let ids: Vec<ServerId> = sim.config().ids().to_vec();
    let others: Vec<ServerId> = ids.iter().copied().filter(|&o| o != sid).collect();
    let any_cut = others
        .iter()
        .any(|&o| sim.is_cut(sid, o) || sim.is_cut(o, sid));
    let state = s.state.name();
    let n_clients = sim.clients().len();
    drop(engine);
    let lang = store.class.lang;
    let t = |k: Key| k.text(lang);

    let dispatch = |a: Action| {
        let store = store.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            store.dispatch(a.clone());
        })
    };
    let crash_or_restart = if up {
        html! { <button data-action="crash" class="danger" onclick={dispatch(Action::Input(Input::Crash(sid)))}>{ t(Key::Crash) }<small>{ t(Key::CrashHint) }</small></button> }
    } else {
        html! { <button data-action="restart" onclick={dispatch(Action::Input(Input::Start(sid)))}>{ t(Key::Restart) }<small>{ t(Key::RestartHint) }</small></button> }
    };
    let isolate = if any_cut {
        let store = store.clone();
        let others = others.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            for &o in &others {
                for (from, to) in [(sid, o), (o, sid)] {
                    store.dispatch(Action::Input(Input::Link {
                        from,
                        to,
                        cut: false,
                    }));
                }
            }
        });
        html! { <button data-action="reconnect" {onclick}>{ t(Key::Reconnect) }<small>{ t(Key::ReconnectHint) }</small></button> }
    } else {
        html! {
            <button data-action="isolate" onclick={dispatch(Action::Input(Input::Partition { sides: vec![vec![sid], others.clone()], one_way: false }))}>
                { t(Key::Isolate) }<small>{ t(Key::IsolateHint) }</small>
            </button>
        }
    };
    let connect = dispatch(Action::Connect {
        name: format!("c{}", n_clients + 1),
        server: Some(id),
    });
    let close = dispatch(Action::Menu(None));
    html! {
        <Positioned class="server-menu" left={at.0} top={at.1}>
            <div role="menu" data-menu-server={id.to_string()}>
            <header><strong>{ tr(Key::ServerN, lang, &[&id.to_string()]) }</strong><span class={classes!("chip", state.to_ascii_lowercase())}>{ state }</span></header>
            { crash_or_restart }
            { isolate }
            <button data-action="connect-client" onclick={connect}>{ t(Key::ConnectClientHere) }<small>{ t(Key::ConnectHint) }</small></button>
            <button class="ghost" data-action="close-menu" onclick={close}>{ t(Key::Close) }</button>
        </div>
        </Positioned>
    }
}

/// The ensemble view.
#[component]
pub fn Ensemble() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let svg_ref = use_node_ref();
    let wrap_ref = use_node_ref();
    let drag = use_state(|| None::<Drag>);
    let menu_at = use_state(|| (0.0, 0.0));
    // The picture depends on the window's width (below) and the canvas on its size.
    let resized = use_force_update();
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            gloo_events::EventListener::new(&w, "resize", move |_| resized.force_update())
        });
        move || drop(listener)
    });
    let lang = store.class.lang;

    let scene = {
        let engine = store.engine();
        let mut scene = view::scene_in(&engine, store.playback.now, store.flash_ms(), lang);
        let picked = [&store.ui.hovered, &store.ui.selected].map(|t| match t {
            Some(Target::Message(id)) => Some(*id),
            _ => None,
        });
        if scene.messages.len() > BATCH_ABOVE {
            for m in scene
                .messages
                .iter_mut()
                .filter(|m| picked.contains(&Some(m.id)))
            {
                view::fill_texts(engine.sim(), m);
            }
        }
        scene
    };
    let compact = scene.layout.voters.len() > COMPACT_ABOVE;
    let selected = store.ui.selected.clone();
    let hovered = store.ui.hovered.clone();

    let all_points: Vec<Pt> = scene.servers.iter().map(|s| s.at).collect();
    let ids: Vec<u8> = scene.servers.iter().map(|s| s.id).collect();

    // Verdict bubbles stand beside the servers where the screen is wide enough to show them
    // (narrow screens hide them, and keep the picture tight around the ring).
    // On a phone (the style sheet's narrow layout hides the votes and verdicts under and
    // beside the servers) the picture is cropped to the servers and their state labels.
    let screen_w = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .unwrap_or(VIEW_W);
    let view = if screen_w <= NARROW_SCREEN {
        layout::tight_view(&scene.layout, NARROW_ROOM)
    } else if !compact {
        layout::with_side_room(&scene.layout, VERDICT_ROOM)
    } else {
        scene.layout.view
    };
    let on_hover = {
        let store = store.clone();
        Callback::from(move |t: Option<Target>| store.dispatch(Action::Hover(t)))
    };
    let on_down = {
        let drag = drag.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |(id, e): (u8, PointerEvent)| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            e.stop_propagation();
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let _ = svg.set_pointer_capture(e.pointer_id());
            }
            let at = layout::client_to_view(client_xy(&e), rect_of(&svg_ref), view);
            drag.set(Some(Drag {
                from: id,
                start: client_xy(&e),
                at,
                moved: false,
            }));
        })
    };
    // Many messages are marks on a canvas, not elements: the pointer finds the nearest one
    // (which then becomes an element of its own, to click, drop or hold).
    let marks: Rc<(Vec<u64>, Vec<Pt>)> = Rc::new(if scene.messages.len() > BATCH_ABOVE {
        scene.messages.iter().map(|m| (m.id, m.at)).unzip()
    } else {
        Default::default()
    });
    let onpointermove = {
        let drag = drag.clone();
        let svg_ref = svg_ref.clone();
        let store = store.clone();
        Callback::from(move |e: PointerEvent| {
            let (x, y) = client_xy(&e);
            let at = layout::client_to_view((x, y), rect_of(&svg_ref), view);
            if let Some(d) = (*drag).clone() {
                let moved = d.moved || (x - d.start.0).hypot(y - d.start.1) > 6.0;
                drag.set(Some(Drag { at, moved, ..d }));
                return;
            }
            let (ids, points) = &*marks;
            let over_element = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest(".server, .msg, .client-node, .cut")
                        .ok()
                        .flatten()
                })
                .is_some();
            if ids.is_empty() || over_element {
                return;
            }
            let near = layout::hit(points, at, MARK_HIT).map(|i| Target::Message(ids[i]));
            let hovered_mark = matches!(store.ui.hovered, Some(Target::Message(_)));
            if near.is_some() || hovered_mark {
                store.dispatch(Action::Hover(near));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        let store = store.clone();
        let svg_ref = svg_ref.clone();
        let wrap_ref = wrap_ref.clone();
        let menu_at = menu_at.clone();
        let points = all_points.clone();
        let ids = ids.clone();
        let radius = scene.layout.node_radius;
        Callback::from(move |e: PointerEvent| {
            let Some(d) = (*drag).clone() else {
                return;
            };
            drag.set(None);
            let at = layout::client_to_view(client_xy(&e), rect_of(&svg_ref), view);
            if !d.moved {
                // The menu opens beside the server, inside the panel.
                let rect = rect_of(&svg_ref);
                let (wx, wy, ww, wh) = rect_of(&wrap_ref);
                let at = ids
                    .iter()
                    .position(|&i| i == d.from)
                    .map(|i| points[i])
                    .unwrap_or(at);
                let (x, y) =
                    layout::view_to_client(Pt::new(at.x + radius, at.y - radius), rect, view);
                let scale = (rect.2 / view.1).min(rect.3 / VIEW_H);
                let left = if x - wx + 250.0 > ww {
                    x - wx - 2.0 * radius * scale - 250.0
                } else {
                    x - wx + 10.0
                };
                menu_at.set((left.max(4.0), (y - wy).clamp(4.0, (wh - 250.0).max(4.0))));
                let open = store.ui.menu == Some(d.from);
                store.dispatch(Action::Menu((!open).then_some(d.from)));
                return;
            }
            let Some(i) = layout::hit(&points, at, (radius * 1.7).max(24.0)) else {
                return;
            };
            let (a, b) = (ServerId(d.from), ServerId(ids[i]));
            if a == b {
                return;
            }
            let (ab, ba) = {
                let engine = store.engine();
                (engine.sim().is_cut(a, b), engine.sim().is_cut(b, a))
            };
            if e.shift_key() {
                store.dispatch(Action::Input(Input::Link {
                    from: a,
                    to: b,
                    cut: !ab,
                }));
            } else {
                let cut = !(ab || ba);
                for (from, to) in [(a, b), (b, a)] {
                    store.dispatch(Action::Input(Input::Link { from, to, cut }));
                }
            }
        })
    };
    let onpointercancel = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| drag.set(None))
    };
    let on_background = {
        let store = store.clone();
        Callback::from(move |e: PointerEvent| {
            let on_svg = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.get_attribute("class").as_deref() == Some("bg"));
            if on_svg {
                store.dispatch(Action::Select(None));
            }
        })
    };
    let on_msg = {
        let store = store.clone();
        Callback::from(move |id: u64| {
            store.dispatch(Action::Pause);
            store.dispatch(Action::Select(Some(Target::Message(id))));
        })
    };

    let l = &scene.layout;
    let center = l.center;
    let hover_server = match &hovered {
        Some(Target::Server(id)) => Some(*id),
        _ => None,
    };
    // Faint links between voters, when there are few enough to read.
    let links = if scene.layout.voters.len() <= 9 {
        let v = &scene.layout.voters;
        let mut out = Vec::new();
        for i in 0..v.len() {
            for j in i + 1..v.len() {
                let (s, e) = layout::trimmed_segment(v[i], v[j], l.node_radius, l.node_radius, 0.0);
                let hot = hover_server.is_some_and(|h| h as usize == i + 1 || h as usize == j + 1);
                out.push(html! {
                    <line class={classes!("link", hot.then_some("hot"))} x1={format!("{:.1}", s.x)} y1={format!("{:.1}", s.y)} x2={format!("{:.1}", e.x)} y2={format!("{:.1}", e.y)} />
                });
            }
        }
        out
    } else {
        Vec::new()
    };
    let cuts = scene.cuts.iter().map(|c| {
        let (s, e) = layout::trimmed_segment(c.pa, c.pb, l.node_radius + 4.0, l.node_radius + 4.0, 0.0);
        let mid = Pt::new((s.x + e.x) / 2.0, (s.y + e.y) / 2.0);
        let one_way = c.ab != c.ba;
        let title = if one_way {
            let (f, t) = if c.ab { (c.a, c.b) } else { (c.b, c.a) };
            tr(Key::CutOneWay, lang, &[&f.to_string(), &t.to_string()])
        } else {
            tr(Key::CutBoth, lang, &[&c.a.to_string(), &c.b.to_string()])
        };
        // One-way: the arrowhead points at the receiver that no longer hears the sender.
        let (from, to) = if c.ab || !one_way { (s, e) } else { (e, s) };
        html! {
            <g class={classes!("cut", one_way.then_some("oneway"))} data-cut={format!("{}-{}", c.a, c.b)}>
                <title>{ title }</title>
                <line x1={format!("{:.1}", from.x)} y1={format!("{:.1}", from.y)} x2={format!("{:.1}", to.x)} y2={format!("{:.1}", to.y)}
                    marker-end={one_way.then_some("url(#arrow-cut)")} />
                <g transform={format!("translate({:.1},{:.1})", mid.x, mid.y)}>
                    <circle r="11" />
                    <path d="M -5 -5 L 5 5 M -5 5 L 5 -5" />
                </g>
            </g>
        }
    });
    let clients = scene.clients.iter().map(|c| {
        let conn = c.server.and_then(|s| scene.server(s)).map(|sv| {
            let (a, b) = layout::trimmed_segment(c.at, sv.at, 16.0, l.node_radius + 3.0, 0.0);
            html! { <line class="session" x1={format!("{:.1}", a.x)} y1={format!("{:.1}", a.y)} x2={format!("{:.1}", b.x)} y2={format!("{:.1}", b.y)} /> }
        });
        let name = c.name.clone();
        let store = store.clone();
        let onclick = Callback::from(move |_| store.dispatch(Action::ShowConsole(name.clone())));
        html! {
            <g class="client-node" data-client={c.name.clone()} data-client-state={c.state}>
                { for conn }
                <g transform={format!("translate({:.1},{:.1})", c.at.x, c.at.y)} {onclick}>
                    <rect x="-16" y="-16" width="32" height="32" rx="8" />
                    <text class="cname" y="5">{ c.name.clone() }</text>
                    <text class="cstate" y="33">{ c.state.to_ascii_lowercase() }</text>
                </g>
            </g>
        }
    });

    let label_msgs = scene.messages.len() <= LABELS_UP_TO;
    let sel_msg = match &selected {
        Some(Target::Message(id)) => Some(*id),
        _ => None,
    };
    let hov_msg = match &hovered {
        Some(Target::Message(id)) => Some(*id),
        _ => None,
    };
    let sel_server = match &selected {
        Some(Target::Server(id)) => Some(*id),
        _ => None,
    };

    let rubber = (*drag).as_ref().filter(|d| d.moved).and_then(|d| {
        let from = scene.server(d.from)?.at;
        Some(html! {
            <line class="rubber" x1={format!("{:.1}", from.x)} y1={format!("{:.1}", from.y)} x2={format!("{:.1}", d.at.x)} y2={format!("{:.1}", d.at.y)} />
        })
    });

    let (headline, subline) = match scene.leader {
        Some(l) => {
            let epoch = scene.server(l).map(|s| s.current_epoch).unwrap_or(0);
            (
                tr(Key::HubLeader, lang, &[&l.to_string()]),
                tr(
                    Key::HubEpochQuorum,
                    lang,
                    &[
                        &epoch.to_string(),
                        &scene.quorum.to_string(),
                        &scene.layout.voters.len().to_string(),
                    ],
                ),
            )
        }
        None => {
            let looking = scene
                .servers
                .iter()
                .filter(|s| s.state == ServerState::Looking)
                .count();
            let up = scene
                .servers
                .iter()
                .filter(|s| s.state != ServerState::Down)
                .count();
            let head = if looking > 0 {
                Key::Electing
            } else if up == 0 {
                Key::AllDown
            } else {
                Key::Synchronizing
            };
            (
                head.text(lang).to_string(),
                tr(
                    Key::HubQuorum,
                    lang,
                    &[
                        &scene.quorum.to_string(),
                        &scene.layout.voters.len().to_string(),
                    ],
                ),
            )
        }
    };

    let menu = store.ui.menu.map(|id| server_menu(&store, id, *menu_at));
    // Many messages: plain marks on the canvas over the ring (crate::components::dots).
    let batches = Rc::new(if scene.messages.len() > BATCH_ABOVE {
        view::dot_batches(&scene.messages, hov_msg.or(sel_msg))
    } else {
        Vec::new()
    });
    let verdicts = if compact {
        Vec::new()
    } else {
        verdict_spots(&scene)
    };

    html! {
        <div class="ensemble-wrap" ref={wrap_ref}>
            // Under the ring's SVG (whose background is transparent): servers stay on top.
            <MessageDots {batches} {view} />
            <svg ref={svg_ref} class={classes!("ensemble", compact.then_some("compact"), drag.is_some().then_some("dragging"))}
                viewBox={format!("{:.1} 0 {:.1} {VIEW_H}", view.0, view.1)} role="img"
                aria-label={Key::RingLabel.text(lang)}
                {onpointermove} {onpointerup} {onpointercancel} onpointerdown={on_background}>
                <defs>
                    <marker id="arrow-cut" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                    </marker>
                </defs>
                <rect class="bg" x={format!("{:.1}", view.0)} y="0" width={format!("{:.1}", view.1)} height={VIEW_H.to_string()} />
                <circle class="ring" cx={format!("{:.1}", center.x)} cy={format!("{:.1}", center.y)} r={format!("{:.1}", l.ring_radius)} />
                <g class="hub" transform={format!("translate({:.1},{:.1})", center.x, center.y)}>
                    <text class="headline" y="-4">{ headline }</text>
                    <text class="subline" y="24">{ subline }</text>
                </g>
                if let Some(y) = l.observer_row_y {
                    <text class="row-caption" x={format!("{:.1}", view.0 + 16.0)} y={format!("{:.1}", y - 34.0)}>{ Key::ObserversRow.text(lang) }</text>
                }
                if !scene.clients.is_empty() {
                    <text class="row-caption" x={format!("{:.1}", view.0 + 16.0)} y="16">{ Key::ClientsRow.text(lang) }</text>
                }
                <g class="links">{ for links }</g>
                <g class="cuts">{ for cuts }</g>
                <g class="clients">{ for clients }</g>
                <g class="servers">
                    { for scene.servers.iter().map(|sv| server_node(
                        sv, &scene,
                        sel_server == Some(sv.id),
                        hover_server == Some(sv.id),
                        on_down.clone(), on_hover.clone(), lang)) }
                </g>
                <g class="verdicts">
                    { for verdicts.iter().map(|&(i, at)| verdict_bubble(&scene.servers[i], at)) }
                </g>
                <g class="loops">
                    { for scene.messages.iter().filter_map(|m| m.loop_circle.map(|(c, r)| html! {
                        <circle class={classes!("loop", msg_class(m))} cx={format!("{:.1}", c.x)} cy={format!("{:.1}", c.y)} r={format!("{r:.1}")} />
                    })) }
                </g>
                <g class="messages" data-msg-count={scene.messages.len().to_string()}>
                    if scene.messages.len() > BATCH_ABOVE {
                        { for scene.messages.iter().filter(|m| Some(m.id) == hov_msg.or(sel_msg)).map(|m| message(
                            m, true, sel_msg == Some(m.id), hov_msg == Some(m.id),
                            on_msg.clone(), on_hover.clone(), lang)) }
                    } else {
                        { for scene.messages.iter().map(|m| message(
                            m,
                            label_msgs || hov_msg == Some(m.id),
                            sel_msg == Some(m.id),
                            hov_msg == Some(m.id),
                            on_msg.clone(), on_hover.clone(), lang)) }
                    }
                </g>
                { for rubber }
            </svg>
            { for menu }
        </div>
    }
}
