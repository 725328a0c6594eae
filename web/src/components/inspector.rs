//! The inspector beside the ring: the selected server's election and Zab state, its log and
//! its `srvr` output; or the selected message's fields and what can be done to it; or, with
//! nothing selected, the ensemble at a glance.

use yew::prelude::*;
use zkplay_core::election::Vote;
use zkplay_core::msg::Node;
use zkplay_core::sim::MsgId;
use zkplay_core::{Input, ServerId, ServerState, Sim, Zxid};

use crate::components::ensemble::{phase_label, state_class};
use crate::store::{Action, SimHandle, Target};
use crate::view::{self, pair};

fn vote_text(v: &Vote) -> String {
    format!("{} r{}", pair(v.id, v.zxid), v.election_epoch)
}

fn kv(k: &str, v: Html) -> Html {
    html! { <><dt>{ k.to_string() }</dt><dd>{ v }</dd></> }
}

fn server_panel(store: &SimHandle, sim: &Sim, id: u8) -> Html {
    let sid = ServerId(id);
    let Some(s) = sim.servers().iter().find(|s| s.id == sid) else {
        return html! { <p class="muted">{ "No such server." }</p> };
    };
    let cfg = sim.config();
    let state = s.state;
    let looking = state == ServerState::Looking;
    let (pl, pz, _) = s.fle.proposal;
    let reference = Vote::new(pl, pz, s.fle.logicalclock, s.fle.proposal.2);
    let vote = if looking {
        format!("{} r{}", pair(pl, pz), s.fle.logicalclock)
    } else if state == ServerState::Down {
        "—".into()
    } else {
        vote_text(&s.current_vote)
    };
    let tally = view::looking_tally(sim, sid);
    let votes = |set: &[Option<Vote>], against: Option<&Vote>| -> Html {
        let rows = cfg.ids().iter().enumerate().filter_map(|(i, &peer)| {
            let v = set.get(i).copied().flatten()?;
            let agrees = against.is_some_and(|r| v.agrees_with(r));
            let voter = cfg.is_voter(peer);
            Some(html! {
                <tr class={classes!(agrees.then_some("agree"))}>
                    <td>{ peer.0 }</td>
                    <td class="mono">{ vote_text(&v) }</td>
                    <td>{ v.state.name().to_ascii_lowercase() }</td>
                    <td>{ if !voter { "not counted" } else if agrees { "agrees" } else { "" } }</td>
                </tr>
            })
        });
        let rows: Vec<Html> = rows.collect();
        if rows.is_empty() {
            html! { <p class="muted small">{ "none" }</p> }
        } else {
            html! { <table class="votes"><thead><tr><th>{ "from" }</th><th>{ "vote" }</th><th>{ "state" }</th><th /></tr></thead><tbody>{ for rows }</tbody></table> }
        }
    };
    let committed = s.db.last_processed;
    let log: Vec<Zxid> = s.disk.log.iter().map(|t| t.txn.zxid).collect();
    let shown_log = log.len().saturating_sub(48);
    let srvr = zkplay_core::fourlw::four_letter(sim, sid, "srvr");
    let mode = zkplay_core::fourlw::mode_line(sim, sid);
    let acks = view::ack_tallies(sim, sid);
    let actions = {
        let dispatch = |a: Action| {
            let store = store.clone();
            Callback::from(move |_: MouseEvent| store.dispatch(a.clone()))
        };
        html! {
            <div class="actions">
                if s.up {
                    <button class="danger" data-action="crash" onclick={dispatch(Action::Input(Input::Crash(sid)))}>{ "Crash" }</button>
                } else {
                    <button data-action="restart" onclick={dispatch(Action::Input(Input::Start(sid)))}>{ "Restart" }</button>
                }
                <button onclick={dispatch(Action::Connect { name: format!("c{}", sim.clients().len() + 1), server: Some(id) })}>{ "Connect client" }</button>
            </div>
        }
    };
    html! {
        <div class="inspect-server" data-inspect-server={id.to_string()}>
            <header>
                <h2>{ format!("Server {id}") }</h2>
                <span class={classes!("chip", state_class(state))}>{ state.name() }</span>
                if s.observer { <span class="chip plain">{ "observer" }</span> }
            </header>
            { actions }
            <dl class="kv">
                { kv("vote", html! { <span class="mono">{ vote }</span> }) }
                { kv("Zab phase", html! { phase_label(s.zab) }) }
                { kv("logicalclock", html! { <span class="mono">{ s.fle.logicalclock }</span> }) }
                { kv("epochs", html! { <span class="mono">{ format!("accepted {} · current {}", s.disk.accepted_epoch, s.disk.current_epoch) }</span> }) }
                { kv("last zxid", html! { <span class="mono">{ s.last_logged_zxid().to_string() }</span> }) }
                { kv("Mode:", html! { <span class="mono">{ mode.unwrap_or("(not serving)") }</span> }) }
                if let Some(t) = tally {
                    { kv("agreeing", html! { <span class={classes!("mono", (t.agree >= t.needed).then_some("ok"))}>{ format!("{} of {} needed", t.agree, t.needed) }</span> }) }
                }
            </dl>
            if !acks.is_empty() {
                <h3>{ "Proposals in flight" }</h3>
                <ul class="acks">
                    { for acks.iter().map(|a| html! {
                        <li class={classes!((a.acks >= a.needed).then_some("ok"))}><span class="mono">{ a.zxid.to_string() }</span>{ format!(" ACK {}/{}", a.acks, a.needed) }</li>
                    }) }
                </ul>
            }
            if looking || s.fle.recvset.iter().any(Option::is_some) {
                <h3>{ "recvset" }<small>{ " votes this round" }</small></h3>
                { votes(&s.fle.recvset, looking.then_some(&reference)) }
            }
            if s.fle.outofelection.iter().any(Option::is_some) {
                <h3>{ "outofelection" }<small>{ " settled votes" }</small></h3>
                { votes(&s.fle.outofelection, None) }
            }
            <h3>{ "Log" }<small>{ format!(" {} txns; filled = committed", log.len()) }</small></h3>
            if log.is_empty() {
                <p class="muted small">{ "empty" }</p>
            } else {
                <div class="zxid-grid">
                    if shown_log > 0 { <span class="more">{ format!("+{shown_log}") }</span> }
                    { for log[shown_log..].iter().map(|z| html! {
                        <span class={classes!("zx", (*z <= committed).then_some("done"))} title={z.to_string()}>{ format!("{}:{}", z.epoch(), z.counter()) }</span>
                    }) }
                </div>
            }
            <h3>{ "srvr" }</h3>
            <pre class="fourlw">{ srvr }</pre>
        </div>
    }
}

fn message_panel(store: &SimHandle, sim: &Sim, id: u64) -> Html {
    let Some(m) = sim.in_flight().find(|m| m.id == MsgId(id)) else {
        return html! {
            <div class="inspect-msg">
                <header><h2>{ format!("Message #{id}") }</h2></header>
                <p class="muted">{ "Delivered, dropped, or not sent yet at this point of the timeline." }</p>
            </div>
        };
    };
    let dispatch = |a: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(a.clone()))
    };
    let both_servers = matches!((m.from, m.to), (Node::Server(_), Node::Server(_)));
    html! {
        <div class="inspect-msg" data-inspect-msg={id.to_string()}>
            <header><h2>{ m.msg.kind() }</h2><span class="chip plain">{ format!("#{id}") }</span></header>
            <div class="actions">
                <button class="danger" data-action="drop" onclick={dispatch(Action::Input(Input::Drop(MsgId(id))))}>{ "Drop" }</button>
                if m.held {
                    <button data-action="release" onclick={dispatch(Action::Input(Input::Release(MsgId(id))))}>{ "Release" }</button>
                } else {
                    <button data-action="hold" onclick={dispatch(Action::Input(Input::Hold(MsgId(id))))}>{ "Hold" }</button>
                }
            </div>
            <dl class="kv">
                { kv("from", html! { view::node_name(sim, m.from) }) }
                { kv("to", html! { view::node_name(sim, m.to) }) }
                { kv("fields", html! { <span class="mono">{ view::msg_label(&m.msg) }</span> }) }
                { kv("sent", html! { <span class="mono">{ format!("{} ms", m.sent_at.0) }</span> }) }
                { kv("arrives", html! { <span class="mono">{ if m.held { "held".to_string() } else { format!("{} ms", m.deliver_at.0) } }</span> }) }
            </dl>
            if let zkplay_core::msg::Msg::Vote(n) = &m.msg {
                <dl class="kv">
                    { kv("state", html! { n.state.name() }) }
                    { kv("leader", html! { <span class="mono">{ n.leader }</span> }) }
                    { kv("zxid", html! { <span class="mono">{ Zxid(n.zxid).to_string() }</span> }) }
                    { kv("round", html! { <span class="mono">{ n.round }</span> }) }
                    { kv("peerEpoch", html! { <span class="mono">{ n.peer_epoch }</span> }) }
                </dl>
            }
            if both_servers {
                <p class="muted small">{ "Dropping a Zab packet resets its TCP connection; a dropped vote is simply lost. Holding stalls the link behind it." }</p>
            }
        </div>
    }
}

fn overview(store: &SimHandle, sim: &Sim) -> Html {
    let leader = sim.established_leader().map(|l| l.id.0);
    html! {
        <div class="inspect-overview">
            <header><h2>{ "Ensemble" }</h2></header>
            <p class="muted small">{ "Click a server for its menu and details; drag from one server to another to cut or restore that link (Shift: one way); click a message to drop or hold it." }</p>
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
                                if leader == Some(id) { <span class="crown" title="established leader">{ "★" }</span> }
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
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let engine = store.engine();
    let sim = engine.sim();
    let body = match &store.ui.selected {
        Some(Target::Server(id)) => server_panel(&store, sim, *id),
        Some(Target::Message(id)) => message_panel(&store, sim, *id),
        _ => overview(&store, sim),
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Select(None)))
    };
    html! {
        <div class="inspector" aria-live="polite">
            if store.ui.selected.is_some() {
                <button class="close" aria-label="Back to the ensemble" title="Back to the ensemble" onclick={close}>{ "×" }</button>
            }
            { body }
        </div>
    }
}
