//! The tabs under the timeline: event feed, space-time diagram, clients with their consoles,
//! and the znode tree.

use wasm_bindgen::JsCast;
use yew::prelude::*;
use zkplay_core::event::{Event as SimEvent, EventKind};
use zkplay_core::{Input, ServerState, Zxid};

use crate::store::{Action, SimHandle, Tab};
use crate::view::pair;

/// How many feed entries are shown (the latest ones).
pub const FEED_MAX: usize = 150;

/// An event in plain language, or `None` for the low-level ones the feed leaves out.
pub fn describe(e: &SimEvent) -> Option<(&'static str, String)> {
    Some(match &e.kind {
        EventKind::Input(i) => (
            "input",
            match i {
                Input::Start(s) => format!("You started server {s}"),
                Input::Crash(s) => format!("You crashed server {s}"),
                Input::Partition { sides, one_way } => {
                    let sides: Vec<String> = sides
                        .iter()
                        .map(|s| {
                            s.iter()
                                .map(|x| x.to_string())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect();
                    format!(
                        "You cut the network: {}",
                        sides.join(if *one_way { " → " } else { " / " })
                    )
                }
                Input::Link { from, to, cut } => {
                    if *cut {
                        format!("You cut the link {from} → {to}")
                    } else {
                        format!("You restored the link {from} → {to}")
                    }
                }
                Input::Heal => "You healed every link".into(),
                Input::Drop(id) => format!("You dropped message #{}", id.0),
                Input::Hold(id) => format!("You held message #{}", id.0),
                Input::Release(id) => format!("You released message #{}", id.0),
            },
        ),
        EventKind::StateChanged { server, from, to } => (
            "state",
            format!(
                "Server {server} is {} (was {})",
                to.name(),
                from.name().to_ascii_lowercase()
            ),
        ),
        EventKind::Received {
            server,
            from,
            n,
            verdict,
        } if n.state == ServerState::Looking => {
            let (text, _) = crate::view::verdict_text(n, None, *verdict);
            (
                "vote",
                format!(
                    "Server {server} got {}'s vote {} r{}: {text}",
                    from,
                    pair(n.leader, n.zxid),
                    n.round
                ),
            )
        }
        EventKind::Decided {
            server,
            leader,
            zxid,
            round,
        } => (
            "decided",
            format!(
                "Server {server} decided: {} leads (zxid {}, round {round})",
                leader,
                Zxid(*zxid)
            ),
        ),
        EventKind::EpochDecided { server, epoch } => {
            ("zab", format!("Leader {server} settled on epoch {epoch}"))
        }
        EventKind::SyncChosen {
            leader,
            learner,
            mode,
        } => (
            "zab",
            format!(
                "Leader {leader} syncs server {learner} by {}",
                mode.name().to_ascii_uppercase()
            ),
        ),
        EventKind::Synced { server, leader, .. } => (
            "zab",
            format!("Server {server} is up to date with leader {leader}"),
        ),
        EventKind::Established { leader, epoch } => (
            "leader",
            format!("Server {leader} is the established leader of epoch {epoch}"),
        ),
        EventKind::Proposed { leader, zxid } => ("zab", format!("Leader {leader} proposed {zxid}")),
        EventKind::Committed { server, zxid } => {
            ("commit", format!("Server {server} committed {zxid}"))
        }
        EventKind::Dropped { id, why } => ("drop", format!("Message #{} lost: {why}", id.0)),
        EventKind::SessionExpired { session, .. } => {
            ("client", format!("Session {session} expired"))
        }
        EventKind::Note { server, text } => ("note", format!("Server {server}: {text}")),
        EventKind::Timer { kind, node, .. } if *kind == "finalize-wait" => (
            "timer",
            format!(
                "{}: finalizeWait is over",
                crate::view::node_name_plain(node)
            ),
        ),
        _ => return None,
    })
}

#[component]
fn Feed() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let engine = store.engine();
    let events = engine.events();
    let mut rows: Vec<(usize, &'static str, String, u64)> = Vec::new();
    for (i, e) in events.iter().enumerate().rev() {
        if let Some((class, text)) = describe(e) {
            rows.push((i, class, text, e.at.0));
            if rows.len() >= FEED_MAX {
                break;
            }
        }
    }
    let rows: Vec<Html> = rows
        .into_iter()
        .map(|(i, class, text, at)| {
            let p = engine.pos_of_event(i);
            let store = store.clone();
            let onclick = Callback::from(move |_| store.dispatch(Action::Seek(p)));
            html! {
                <li class={classes!("feed-row", class)}>
                    <button {onclick} title={format!("go to step {p}")}>
                        <span class="ft">{ format!("{at} ms") }</span>
                        <span class="fx">{ text }</span>
                    </button>
                </li>
            }
        })
        .collect();
    if rows.is_empty() {
        return html! { <p class="muted empty-tab">{ "Nothing has happened yet. Press play (Space) or step (→)." }</p> };
    }
    html! { <ol class="feed" data-feed="">{ for rows }</ol> }
}

#[component]
fn Clients() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let engine = store.engine();
    let sim = engine.sim();
    let server_ids: Vec<u8> = sim.config().ids().iter().map(|s| s.0).collect();
    let chosen = use_state(|| 1u8);
    let input_ref = use_node_ref();
    let console = store
        .ui
        .console
        .clone()
        .or_else(|| sim.clients().last().map(|c| c.name.clone()));
    let add = {
        let store = store.clone();
        let chosen = chosen.clone();
        let n = sim.clients().len();
        Callback::from(move |_| {
            store.dispatch(Action::Connect {
                name: format!("c{}", n + 1),
                server: Some(*chosen),
            })
        })
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                chosen.set(sel.value().parse().unwrap_or(1));
            }
        })
    };
    let outputs: Vec<String> = match &console {
        Some(name) => {
            let id = sim.client_by_name(name);
            engine
                .outputs()
                .filter(|(_, o)| Some(o.client) == id)
                .map(|(_, o)| format!("{:?}", o.output))
                .collect()
        }
        None => Vec::new(),
    };
    let onsubmit = {
        let store = store.clone();
        let input_ref = input_ref.clone();
        let console = console.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = input_ref.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(client) = console.clone() {
                let text = input.value();
                if !text.trim().is_empty() {
                    store.dispatch(Action::Command { client, text });
                }
                input.set_value("");
            }
        })
    };
    html! {
        <div class="clients-tab">
            <div class="client-list">
                <div class="add-client">
                    <label>{ "New session on " }
                        <select onchange={on_choose} aria-label="Server">
                            { for server_ids.iter().map(|id| html! { <option value={id.to_string()} selected={*id == *chosen}>{ format!("server {id}") }</option> }) }
                        </select>
                    </label>
                    <button data-action="add-client" onclick={add}>{ "Connect" }</button>
                </div>
                <ul>
                    { for sim.clients().iter().map(|c| {
                        let name = c.name.clone();
                        let store = store.clone();
                        let onclick = Callback::from(move |_| store.dispatch(Action::ShowConsole(name.clone())));
                        html! {
                            <li class={classes!((console.as_deref() == Some(c.name.as_str())).then_some("on"))}>
                                <button {onclick}>
                                    <strong>{ c.name.clone() }</strong>
                                    <span class="muted small">{ format!(" {} · {}", c.state.name().to_ascii_lowercase(), c.conn.map(|(s, _)| format!("server {s}")).unwrap_or_else(|| "no server".into())) }</span>
                                    if c.session.0 != 0 { <span class="mono small">{ format!(" · session {} · timeout {} ms", c.session, c.timeout) }</span> }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
            if let Some(name) = console {
                <div class="console">
                    <pre class="console-out" data-console-output="">{ outputs.join("\n") }</pre>
                    <form class="console-in" {onsubmit}>
                        <span class="prompt">{ format!("[{name}] ") }</span>
                        <input ref={input_ref} type="text" data-console-input="" spellcheck="false" autocomplete="off"
                            placeholder="zkCli command, e.g. create /a x" aria-label="zkCli command" />
                    </form>
                </div>
            } else {
                <p class="muted empty-tab">{ "No clients yet: connect one to a server to use zkCli." }</p>
            }
        </div>
    }
}

#[component]
fn Placeholder(props: &PlaceholderProps) -> Html {
    html! { <p class="muted empty-tab">{ props.text.clone() }</p> }
}

#[derive(Properties, PartialEq)]
struct PlaceholderProps {
    text: AttrValue,
}

/// The tab bar and the open tab.
#[component]
pub fn Tabs() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let tab = store.ui.tab;
    let body = match tab {
        Tab::Events => html! { <Feed /> },
        Tab::Clients => html! { <Clients /> },
        Tab::Znodes => {
            html! { <Placeholder text="The znode tree of a chosen server comes with the data panels." /> }
        }
        Tab::SpaceTime => {
            html! { <Placeholder text="The space-time diagram comes with the data panels." /> }
        }
    };
    html! {
        <section class="tabs panel">
            <div class="tab-bar" role="tablist">
                { for Tab::ALL.iter().map(|&t| {
                    let store = store.clone();
                    let onclick = Callback::from(move |_| store.dispatch(Action::SetTab(t)));
                    html! {
                        <button role="tab" id={format!("tab-{}", t.id())} data-tab={t.id()}
                            aria-selected={(t == tab).to_string()} class={classes!((t == tab).then_some("on"))} {onclick}>
                            { t.title() }
                        </button>
                    }
                }) }
            </div>
            <div class="tab-body" role="tabpanel" aria-labelledby={format!("tab-{}", tab.id())}>{ body }</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;

    #[test]
    fn the_election_reads_in_plain_language() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        let lines: Vec<String> = e
            .events()
            .iter()
            .filter_map(describe)
            .map(|(_, t)| t)
            .collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("is the established leader of epoch 1"))
        );
        assert!(lines.iter().any(|l| l.contains(": switch")), "{lines:#?}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Server 1 is LOOKING") || l.contains("is FOLLOWING"))
        );
    }
}
