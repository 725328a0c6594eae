//! The help dialog, the scenario settings and the notice bar.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::SHORTCUTS;
use crate::scenario::{MAX_OBSERVERS, MAX_VOTERS, Scenario, loss_text, parse_loss};
use crate::store::{Action, SimHandle};

/// The help dialog (`?`).
#[component]
pub fn Help() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    if !store.ui.help {
        return html! {};
    }
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ToggleHelp))
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal help" role="dialog" aria-modal="true" aria-labelledby="help-title" id="help-dialog" onclick={stop}>
                <header>
                    <h2 id="help-title">{ "How to drive the ensemble" }</h2>
                    <button class="close" aria-label="Close" onclick={close}>{ "×" }</button>
                </header>
                <div class="help-cols">
                    <section>
                        <h3>{ "Keyboard" }</h3>
                        <table class="keys">
                            { for SHORTCUTS.iter().map(|(k, what)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr> }) }
                        </table>
                    </section>
                    <section>
                        <h3>{ "Mouse" }</h3>
                        <ul class="gestures">
                            <li><strong>{ "Click a server" }</strong>{ ": crash, restart, isolate, connect a client." }</li>
                            <li><strong>{ "Drag server → server" }</strong>{ ": cut or restore that link; hold Shift for one way." }</li>
                            <li><strong>{ "Click a message" }</strong>{ ": pause, then drop it or hold it and release it later." }</li>
                            <li><strong>{ "Drag the timeline" }</strong>{ ": see exactly any past moment; acting there forks the timeline." }</li>
                        </ul>
                    </section>
                </div>
                <section>
                    <h3>{ "Reading the ring" }</h3>
                    <ul class="legend-list">
                        <li><span class="chip leading">{ "LEADING" }</span>{ " hexagon · " }<span class="chip following">{ "FOLLOWING" }</span>{ " circle · " }<span class="chip looking">{ "LOOKING" }</span>{ " dashed ring · " }<span class="chip observing">{ "OBSERVING" }</span>{ " diamond · " }<span class="chip down">{ "DOWN" }</span>{ " crossed square" }</li>
                        <li>{ "The ring's three arcs are the Zab phases: discovery, synchronization, broadcast. A shrinking arc is finalizeWait counting down." }</li>
                        <li>{ "A LOOKING voter's badge counts the votes that agree with its own proposal against the quorum; observers are never counted." }</li>
                        <li>{ "Votes read (leader, zxid, round). When one arrives, the receiver says what it made of it: switch, keep mine, or ignored." }</li>
                    </ul>
                </section>
                <p class="muted small">{ "For scripts and teaching: window.zkplay has load(script), step(n), seek(position), status(), trace(), events() and eventCount()." }</p>
            </div>
        </div>
    }
}

fn num_input(
    label: &str,
    control: &str,
    value: u64,
    min: u64,
    max: u64,
    on: Callback<u64>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        if let Some(i) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            && let Ok(v) = i.value().trim().parse::<u64>()
        {
            on.emit(v.clamp(min, max));
        }
    });
    html! {
        <label class="field">
            <span>{ label.to_string() }</span>
            <input type="number" min={min.to_string()} max={max.to_string()} value={value.to_string()} data-control={control.to_string()} {onchange} />
        </label>
    }
}

/// The scenario settings: servers, timing, network, seed, and a script to load.
#[component]
pub fn Settings() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let script_ref = use_node_ref();
    if !store.ui.settings {
        return html! {};
    }
    let sc = store.ui.scenario.clone();
    let edit = |f: fn(&mut Scenario, u64)| {
        let store = store.clone();
        let sc = sc.clone();
        Callback::from(move |v: u64| {
            let mut next = sc.clone();
            f(&mut next, v);
            store.dispatch(Action::EditScenario(next));
        })
    };
    let on_loss = {
        let store = store.clone();
        let sc = sc.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                && let Some(ppm) = parse_loss(&i.value())
            {
                let mut next = sc.clone();
                next.loss_ppm = ppm;
                store.dispatch(Action::EditScenario(next));
            }
        })
    };
    let apply = {
        let store = store.clone();
        let sc = sc.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            store.dispatch(Action::Rebuild(sc.clone()));
        })
    };
    let load = {
        let store = store.clone();
        let script_ref = script_ref.clone();
        Callback::from(move |_| {
            if let Some(t) = script_ref.cast::<web_sys::HtmlTextAreaElement>() {
                store.dispatch(Action::LoadScript(t.value()));
                store.dispatch(Action::ToggleSettings);
            }
        })
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ToggleSettings))
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal settings" role="dialog" aria-modal="true" aria-labelledby="settings-title" id="settings-dialog" onclick={stop}>
                <header>
                    <h2 id="settings-title">{ "Scenario" }</h2>
                    <button class="close" aria-label="Close" onclick={close}>{ "×" }</button>
                </header>
                <form onsubmit={apply}>
                    <fieldset>
                        <legend>{ "Ensemble" }</legend>
                        { num_input("Voters", "voters", sc.voters as u64, 1, MAX_VOTERS as u64, edit(|s, v| s.voters = v as u8)) }
                        { num_input("Observers", "observers", sc.observers as u64, 0, MAX_OBSERVERS as u64, edit(|s, v| s.observers = v as u8)) }
                    </fieldset>
                    <fieldset>
                        <legend>{ "zoo.cfg" }</legend>
                        { num_input("tickTime (ms)", "tick", sc.tick_time, 10, 60_000, edit(|s, v| s.tick_time = v)) }
                        { num_input("initLimit (ticks)", "init", sc.init_limit, 1, 100, edit(|s, v| s.init_limit = v)) }
                        { num_input("syncLimit (ticks)", "sync", sc.sync_limit, 1, 100, edit(|s, v| s.sync_limit = v)) }
                    </fieldset>
                    <fieldset>
                        <legend>{ "Network" }</legend>
                        { num_input("Latency from (ms)", "lat-min", sc.latency.0, 0, 10_000, edit(|s, v| { s.latency.0 = v; s.latency.1 = s.latency.1.max(v); })) }
                        { num_input("to (ms)", "lat-max", sc.latency.1, 0, 10_000, edit(|s, v| { s.latency.1 = v; s.latency.0 = s.latency.0.min(v); })) }
                        <label class="field">
                            <span>{ "Loss" }</span>
                            <input type="text" value={loss_text(sc.loss_ppm)} data-control="loss" onchange={on_loss} aria-label="Loss probability (0 to 1, or a percentage)" />
                        </label>
                        { num_input("Seed", "scenario-seed", sc.seed, 0, u64::MAX, edit(|s, v| s.seed = v)) }
                    </fieldset>
                    <div class="form-actions">
                        <button type="submit" class="primary" data-action="apply-scenario">{ "Rebuild the ensemble" }</button>
                        <span class="muted small">{ "Starts a fresh run: every server starts at once." }</span>
                    </div>
                </form>
                <details class="script-box">
                    <summary>{ "Or load a .zks script" }</summary>
                    <textarea ref={script_ref} rows="7" spellcheck="false" data-control="script" defaultvalue={sc.to_script()} />
                    <button data-action="load-script" onclick={load}>{ "Load and play step by step" }</button>
                </details>
            </div>
        </div>
    }
}

/// The notice bar: a forked timeline, a script that stopped or did not load.
#[component]
pub fn Notice() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let text = store
        .ui
        .error
        .clone()
        .or_else(|| store.engine().notice().map(str::to_string));
    let Some(text) = text else {
        return html! {};
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::DismissNotice))
    };
    let error = store.ui.error.is_some();
    html! {
        <div class={classes!("notice", error.then_some("error"))} role="status" data-notice="">
            <span>{ text }</span>
            <button class="ghost" onclick={dismiss} aria-label="Dismiss">{ "Dismiss" }</button>
        </div>
    }
}
