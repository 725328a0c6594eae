//! The tabs under the timeline: event feed, space-time diagram, clients with their consoles,
//! and the znode tree.

use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::ServerId;
use zkplay_core::sim::MsgId;

use crate::panels::znode_tree::ServerChoice;
use crate::panels::{
    ConsoleLog, ConsolePanel, FeedLog, FeedPanel, Names, SessionsPanel, SpaceTimePanel, SpanLog,
    ZnodeTreePanel, lanes_for, session_rows, tree_view,
};
use crate::store::{Action, PanelHandle, SimHandle, Tab, Target};

/// The incremental logs the feed and the space-time diagram read, kept in step with the
/// engine's event log (started over for a new run or a forked timeline).
struct LogCache {
    engine: usize,
    generation: u64,
    lang: crate::i18n::Lang,
    feed: Rc<FeedLog>,
    spans: Rc<SpanLog>,
}

impl LogCache {
    fn new() -> LogCache {
        LogCache {
            engine: 0,
            generation: 0,
            lang: crate::i18n::Lang::En,
            feed: Rc::new(FeedLog::new()),
            spans: Rc::new(SpanLog::new()),
        }
    }

    fn check(&mut self, store: &SimHandle, generation: u64) {
        let ptr = Rc::as_ptr(&store.engine) as usize;
        let lang = store.class.lang;
        if ptr != self.engine || generation != self.generation || lang != self.lang {
            *self = LogCache::new();
            self.engine = ptr;
            self.generation = generation;
            self.lang = lang;
            self.feed = Rc::new(FeedLog::with_strings(crate::panels::feed::strings_for(
                lang,
            )));
        }
    }

    /// The feed reads the whole timeline: the current entry is marked, the future shows.
    fn feed(&mut self, store: &SimHandle) -> Rc<FeedLog> {
        let engine = store.engine();
        self.check(store, engine.generation());
        let all = engine.all_events();
        if all.len() > self.feed.len() {
            let names = Names::from_sim(engine.sim());
            let from = self.feed.len();
            Rc::make_mut(&mut self.feed).extend(&all[from..], &names);
        }
        self.feed.clone()
    }

    /// The diagram reads up to the moment shown.
    fn spans(&mut self, store: &SimHandle) -> Rc<SpanLog> {
        let engine = store.engine();
        self.check(store, engine.generation());
        let upto = engine.ev_end_at(engine.pos());
        let all = &engine.all_events()[..upto];
        if self.spans.len() > upto {
            Rc::make_mut(&mut self.spans).truncate(upto);
        } else if self.spans.len() < upto {
            let from = self.spans.len();
            Rc::make_mut(&mut self.spans).extend(&all[from..]);
        }
        self.spans.clone()
    }
}

#[component]
fn Feed() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let cache = use_mut_ref(LogCache::new);
    let feed = cache.borrow_mut().feed(&store);
    let (current, selected) = {
        let e = store.engine();
        let sel = match &store.ui.selected {
            Some(Target::Server(id)) => Some(*id),
            _ => None,
        };
        (e.ev_end_at(e.pos()), sel)
    };
    let on_seek = {
        let store = store.clone();
        Callback::from(move |i: usize| {
            let p = store.engine().pos_of_event(i);
            store.dispatch(Action::Seek(p));
        })
    };
    html! { <FeedPanel {feed} current={Some(current)} server={selected} {on_seek} /> }
}

#[component]
fn SpaceTime() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let cache = use_mut_ref(LogCache::new);
    let spans = cache.borrow_mut().spans(&store);
    let (lanes, span_ms) = {
        let e = store.engine();
        let latency = e.sim().config().latency.1;
        (lanes_for(e.sim(), true), (latency * 14).max(400))
    };
    let highlight = match (&store.ui.hovered, &store.ui.selected) {
        (Some(Target::Message(id)), _) | (_, Some(Target::Message(id))) => Some(MsgId(*id)),
        _ => None,
    };
    let on_hover = {
        let store = store.clone();
        Callback::from(move |m: Option<MsgId>| {
            store.dispatch(Action::Hover(m.map(|m| Target::Message(m.0))))
        })
    };
    let on_select = {
        let store = store.clone();
        Callback::from(move |m: MsgId| {
            store.dispatch(Action::Pause);
            store.dispatch(Action::Select(Some(Target::Message(m.0))));
        })
    };
    html! {
        <SpaceTimePanel {spans} {lanes} now={store.playback.now as u64} {span_ms} {highlight} {on_hover} {on_select} />
    }
}

#[component]
fn Clients() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let engine = store.engine();
    let sim = engine.sim();
    let servers: Vec<u8> = sim.config().ids().iter().map(|s| s.0).collect();
    let console = store
        .ui
        .console
        .clone()
        .or_else(|| sim.clients().last().map(|c| c.name.clone()));
    let on_select = {
        let store = store.clone();
        Callback::from(move |name: String| store.dispatch(Action::ShowConsole(name)))
    };
    let on_add_session = {
        let store = store.clone();
        Callback::from(move |(name, server): (String, Option<u8>)| {
            store.dispatch(Action::Connect { name, server })
        })
    };
    let panel = console.as_ref().and_then(|name| {
        let log = ConsoleLog::of(&engine, name)?;
        let on_command = {
            let store = store.clone();
            let client = name.clone();
            Callback::from(move |text: String| {
                store.dispatch(Action::Command {
                    client: client.clone(),
                    text,
                })
            })
        };
        Some(html! {
            <ConsolePanel client={AttrValue::from(name.clone())} log={Rc::new(log)} {on_command}
                disabled={engine.script_line().is_some()} />
        })
    });
    html! {
        <div class="clients-tab">
            <SessionsPanel sessions={session_rows(sim)} {servers} selected={console.clone().map(AttrValue::from)}
                {on_select} {on_add_session} />
            if let Some(panel) = panel {
                { panel }
            } else {
                <p class="muted empty-tab">{ crate::i18n::Key::NoSessions.text(store.class.lang) }</p>
            }
        </div>
    }
}

#[component]
fn Znodes() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let picked = use_state(|| None::<u8>);
    let engine = store.engine();
    let sim = engine.sim();
    let servers: Vec<ServerChoice> = sim
        .servers()
        .iter()
        .map(|s| ServerChoice {
            id: s.id.0,
            state: s.state.name(),
        })
        .collect();
    // The server picked here, else the selected one, else the leader, else the first.
    let id = (*picked)
        .or(match &store.ui.selected {
            Some(Target::Server(id)) => Some(*id),
            _ => None,
        })
        .or(sim.established_leader().map(|l| l.id.0))
        .or(servers.first().map(|s| s.id))
        .unwrap_or(1);
    let tree = Rc::new(tree_view(sim, ServerId(id)));
    let on_pick_server = {
        let picked = picked.clone();
        Callback::from(move |id: u8| picked.set(Some(id)))
    };
    html! { <ZnodeTreePanel {servers} {tree} {on_pick_server} /> }
}

/// The tab bar and the open tab.
#[component]
pub fn Tabs() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let tab = store.ui.tab;
    let lang = store.class.lang;
    let body = match tab {
        Tab::Events => html! { <Feed /> },
        Tab::Clients => html! { <Clients /> },
        Tab::Znodes => html! { <Znodes /> },
        Tab::SpaceTime => html! { <SpaceTime /> },
        Tab::Recipe => html! { <super::RecipeView /> },
        Tab::Script => html! { <super::ScriptEditor /> },
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
                            { t.label(lang) }
                        </button>
                    }
                }) }
            </div>
            <div class="tab-body" role="tabpanel" aria-labelledby={format!("tab-{}", tab.id())}>{ body }</div>
        </section>
    }
}
