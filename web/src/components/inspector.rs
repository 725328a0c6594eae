//! The inspector beside the ring: the selected server's election and Zab state, its log and
//! its `srvr` output; or the selected message's fields and what can be done to it; or, with
//! nothing selected, the ensemble at a glance.

use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::election::Vote;
use zkplay_core::sim::MsgId;
use zkplay_core::{Input, ServerId, ServerState, Sim};

use crate::components::ensemble::state_class;
use crate::i18n::{Key, Lang, tr};
use crate::panels::{InspectorPanel, inspect_message, inspect_server};
use crate::store::{Action, PanelHandle, SimHandle, Target};
use crate::view::pair;

fn vote_text(v: &Vote) -> String {
    format!("{} r{}", pair(v.id, v.zxid), v.election_epoch)
}

fn server_actions(store: &SimHandle, sim: &Sim, id: u8) -> Html {
    let sid = ServerId(id);
    let lang = store.class.lang;
    let t = |k: Key| k.text(lang);
    let Some(s) = sim.servers().iter().find(|s| s.id == sid) else {
        return html! { <p class="muted">{ t(Key::NoSuchServer) }</p> };
    };
    let dispatch = |a: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(a.clone()))
    };
    html! {
        <div class="actions" data-actions-server={id.to_string()}>
            if s.up {
                <button class="danger" data-action="crash" onclick={dispatch(Action::Input(Input::Crash(sid)))}>{ t(Key::Crash) }</button>
            } else {
                <button data-action="restart" onclick={dispatch(Action::Input(Input::Start(sid)))}>{ t(Key::Restart) }</button>
            }
            <button data-action="connect-client" onclick={dispatch(Action::Connect { name: format!("c{}", sim.clients().len() + 1), server: Some(id) })}>{ t(Key::ConnectAClient) }</button>
        </div>
    }
}

fn message_actions(store: &SimHandle, held: bool, id: u64) -> Html {
    let t = |k: Key| k.text(store.class.lang);
    let dispatch = |a: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(a.clone()))
    };
    html! {
        <div class="actions" data-actions-msg={id.to_string()}>
            <button class="danger" data-action="drop" onclick={dispatch(Action::Input(Input::Drop(MsgId(id))))}>{ t(Key::Drop) }</button>
            if held {
                <button data-action="release" onclick={dispatch(Action::Input(Input::Release(MsgId(id))))}>{ t(Key::Release) }</button>
            } else {
                <button data-action="hold" onclick={dispatch(Action::Input(Input::Hold(MsgId(id))))}>{ t(Key::Hold) }</button>
            }
        </div>
    }
}

fn overview(store: &SimHandle, sim: &Sim, lang: Lang) -> Html {
    let leader = sim.established_leader().map(|l| l.id.0);
    html! {
        <div class="inspect-overview">
            <header><h2>{ Key::PanelEnsemble.text(lang) }</h2></header>
            <p class="muted small">{ Key::OverviewHelp.text(lang) }</p>
            <ul class="roster">
                { for sim.servers().iter().map(|s| {
                    let id = s.id.0;
                    let store = store.clone();
                    let onclick = Callback::from(move |_| store.dispatch(Action::Select(Some(Target::Server(id)))));
                    let vote = match s.state {
                        ServerState::Down => String::new(),
                        ServerState::Looking => format!("{} r{}", pair(s.fle.proposal.0, s.fle.proposal.1), s.fle.logicalclock),
                        _ => vote_text(&s.current_vote),
                    };
                    html! {
                        <li>
                            <button class="roster-row" {onclick} data-roster={id.to_string()}>
                                <span class="rid">{ id }</span>
                                <span class={classes!("chip", state_class(s.state))}>{ s.state.name() }</span>
                                <span class="mono small">{ vote }</span>
                                if leader == Some(id) { <span class="crown" title={Key::EstablishedLeader.text(lang)}>{ "★" }</span> }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// The inspector.
#[component]
pub fn Inspector() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let engine = store.engine();
    let sim = engine.sim();
    let lang = store.class.lang;
    let body = match &store.ui.selected {
        Some(Target::Server(id)) => {
            let server = Some(Rc::new(inspect_server(sim, ServerId(*id))));
            html! { <>{ server_actions(&store, sim, *id) }<InspectorPanel {server} /></> }
        }
        Some(Target::Message(id)) => match inspect_message(sim, MsgId(*id)) {
            Some(m) => {
                let held = m.held;
                let message = Some(Rc::new(m));
                html! { <>{ message_actions(&store, held, *id) }<InspectorPanel {message} /></> }
            }
            None => html! {
                <div class="inspect-msg">
                    <header><h2>{ tr(Key::MessageN, lang, &[&id.to_string()]) }</h2></header>
                    <p class="muted">{ Key::MessageGone.text(lang) }</p>
                </div>
            },
        },
        _ => overview(&store, sim, lang),
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Select(None)))
    };
    html! {
        <div class="inspector" aria-live="polite">
            if store.ui.selected.is_some() {
                <button class="close" aria-label={Key::BackToEnsemble.text(lang)} title={Key::BackToEnsemble.text(lang)} onclick={close}>{ "×" }</button>
            }
            { body }
        </div>
    }
}
