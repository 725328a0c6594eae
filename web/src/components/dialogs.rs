//! The help dialog, the scenario settings and the notice bar.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::SHORTCUTS;
use crate::i18n::{Key, state_label};
use crate::scenario::{MAX_OBSERVERS, MAX_VOTERS, Scenario, ZooCfgProblem, loss_text, parse_loss};
use crate::store::{Action, SimHandle};
use zkplay_core::ServerState;

/// What each of [`SHORTCUTS`] does, in the page's words (same order).
const SHORTCUT_KEYS: [Key; 7] = [
    Key::KeyPlayPause,
    Key::KeyStepForward,
    Key::KeyStepBack,
    Key::KeyUntilLeader,
    Key::KeyReset,
    Key::KeyHelp,
    Key::KeyEscape,
];

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
    let lang = store.class.lang;
    let t = |k: Key| k.text(lang);
    // The shapes line: chips in the text's order ({0} … {4}).
    let chip = |s: ServerState, class: &'static str| {
        html! { <span class={classes!("chip", class)}>{ state_label(s, lang) }</span> }
    };
    let chips = [
        chip(ServerState::Leading, "leading"),
        chip(ServerState::Following, "following"),
        chip(ServerState::Looking, "looking"),
        chip(ServerState::Observing, "observing"),
        chip(ServerState::Down, "down"),
    ];
    let mut shapes: Vec<Html> = Vec::new();
    let mut rest = t(Key::RingShapes);
    while let Some(open) = rest.find('{') {
        shapes.push(html! { { rest[..open].to_string() } });
        let n: usize = rest[open + 1..open + 2].parse().unwrap_or(0);
        shapes.push(chips.get(n).cloned().unwrap_or_default());
        rest = &rest[open + 3..];
    }
    shapes.push(html! { { rest.to_string() } });
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal help" role="dialog" aria-modal="true" aria-labelledby="help-title" id="help-dialog" onclick={stop}>
                <header>
                    <h2 id="help-title">{ t(Key::HelpTitle) }</h2>
                    <button class="close" aria-label={t(Key::Close)} onclick={close}>{ "×" }</button>
                </header>
                <div class="help-cols">
                    <section>
                        <h3>{ t(Key::KeyboardHeading) }</h3>
                        <table class="keys">
                            { for SHORTCUTS.iter().zip(SHORTCUT_KEYS).map(|((k, _), what)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ t(what) }</td></tr> }) }
                        </table>
                    </section>
                    <section>
                        <h3>{ t(Key::MouseHeading) }</h3>
                        <ul class="gestures">
                            <li><strong>{ t(Key::GestureServer) }</strong>{ t(Key::GestureServerWhat) }</li>
                            <li><strong>{ t(Key::GestureDrag) }</strong>{ t(Key::GestureDragWhat) }</li>
                            <li><strong>{ t(Key::GestureMessage) }</strong>{ t(Key::GestureMessageWhat) }</li>
                            <li><strong>{ t(Key::GestureTimeline) }</strong>{ t(Key::GestureTimelineWhat) }</li>
                        </ul>
                    </section>
                </div>
                <section>
                    <h3>{ t(Key::ReadingTheRing) }</h3>
                    <ul class="legend-list">
                        <li>{ for shapes }</li>
                        <li>{ t(Key::RingArcs) }</li>
                        <li>{ t(Key::RingBadge) }</li>
                        <li>{ t(Key::RingVotes) }</li>
                        <li>{ t(Key::HelpQuorum) }</li>
                    </ul>
                </section>
                <p class="muted small">{ t(Key::HelpApi) }</p>
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
    let zoo_ref = use_node_ref();
    // The outcome of the last "Apply" of a pasted zoo.cfg: applied, or why not.
    let zoo_outcome = use_state(|| None::<Result<(), ZooCfgProblem>>);
    {
        // Closing the dialog drops the pasted text, so it drops its outcome too.
        let zoo_outcome = zoo_outcome.clone();
        use_effect_with(store.ui.settings, move |_| zoo_outcome.set(None));
    }
    if !store.ui.settings {
        return html! {};
    }
    let sc = store.ui.scenario.clone();
    let lang = store.class.lang;
    let t = |k: Key| k.text(lang);
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
    // A pasted zoo.cfg fills in the fields (nothing runs until "Rebuild"); a bad one changes
    // nothing and says which line is wrong. The text stays in the box either way.
    let apply_zoo = {
        let store = store.clone();
        let sc = sc.clone();
        let zoo_ref = zoo_ref.clone();
        let zoo_outcome = zoo_outcome.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = zoo_ref.cast::<web_sys::HtmlTextAreaElement>() {
                match sc.with_zoo_cfg(&t.value()) {
                    Ok(next) => {
                        store.dispatch(Action::EditScenario(next));
                        zoo_outcome.set(Some(Ok(())));
                    }
                    Err(p) => zoo_outcome.set(Some(Err(p))),
                }
            }
        })
    };
    let zoo_message = match &*zoo_outcome {
        Some(Err(p)) => html! {
            <p class="zoo-cfg-error" role="alert" data-zoo-cfg-error="">{ p.text(lang) }</p>
        },
        Some(Ok(())) => html! {
            <span class="muted small" data-zoo-cfg-applied="">{ t(Key::ZooCfgApplied) }</span>
        },
        None => html! {},
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
                    <h2 id="settings-title">{ t(Key::ScenarioButton) }</h2>
                    <button class="close" aria-label={t(Key::Close)} onclick={close}>{ "×" }</button>
                </header>
                <form onsubmit={apply}>
                    <fieldset>
                        <legend>{ t(Key::SettingsEnsemble) }</legend>
                        { num_input(t(Key::SettingsVoters), "voters", sc.voters as u64, 1, MAX_VOTERS as u64, edit(|s, v| s.voters = v as u8)) }
                        { num_input(t(Key::SettingsObservers), "observers", sc.observers as u64, 0, MAX_OBSERVERS as u64, edit(|s, v| s.observers = v as u8)) }
                    </fieldset>
                    <fieldset>
                        <legend>{ "zoo.cfg" }</legend>
                        { num_input(t(Key::SettingsTick), "tick", sc.tick_time, 10, 60_000, edit(|s, v| s.tick_time = v)) }
                        { num_input(t(Key::SettingsInit), "init", sc.init_limit, 1, 100, edit(|s, v| s.init_limit = v)) }
                        { num_input(t(Key::SettingsSync), "sync", sc.sync_limit, 1, 100, edit(|s, v| s.sync_limit = v)) }
                        <details class="script-box zoo-cfg-box">
                            <summary title={t(Key::ZooCfgPasteTitle)}>{ t(Key::ZooCfgPaste) }</summary>
                            <textarea ref={zoo_ref} rows="6" spellcheck="false" data-zoo-cfg="" aria-label={t(Key::ZooCfgPasteTitle)} placeholder={"tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=zoo1:2888:3888\nserver.2=zoo2:2888:3888\nserver.3=zoo3:2888:3888"} />
                            <div class="form-actions">
                                <button type="button" data-action="apply-zoo-cfg" onclick={apply_zoo}>{ t(Key::ZooCfgApply) }</button>
                                { zoo_message }
                            </div>
                        </details>
                    </fieldset>
                    <fieldset>
                        <legend>{ t(Key::SettingsNetwork) }</legend>
                        { num_input(t(Key::SettingsLatencyFrom), "lat-min", sc.latency.0, 0, 10_000, edit(|s, v| { s.latency.0 = v; s.latency.1 = s.latency.1.max(v); })) }
                        { num_input(t(Key::SettingsLatencyTo), "lat-max", sc.latency.1, 0, 10_000, edit(|s, v| { s.latency.1 = v; s.latency.0 = s.latency.0.min(v); })) }
                        <label class="field">
                            <span>{ t(Key::SettingsLoss) }</span>
                            <input type="text" value={loss_text(sc.loss_ppm)} data-control="loss" onchange={on_loss} aria-label={t(Key::SettingsLossTitle)} />
                        </label>
                        { num_input(t(Key::Seed), "scenario-seed", sc.seed, 0, u64::MAX, edit(|s, v| s.seed = v)) }
                    </fieldset>
                    <div class="form-actions">
                        <button type="submit" class="primary" data-action="apply-scenario">{ t(Key::SettingsRebuild) }</button>
                        <span class="muted small">{ t(Key::SettingsRebuildHint) }</span>
                    </div>
                </form>
                <details class="script-box">
                    <summary>{ t(Key::SettingsScript) }</summary>
                    <textarea ref={script_ref} rows="7" spellcheck="false" data-control="script" defaultvalue={sc.to_script()} />
                    <button data-action="load-script" onclick={load}>{ t(Key::LoadAndStep) }</button>
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
    let dismiss_text = Key::Dismiss.text(store.class.lang);
    html! {
        <div class={classes!("notice", error.then_some("error"))} role="status" data-notice="">
            <span>{ text }</span>
            <button class="ghost" onclick={dismiss} aria-label={dismiss_text}>{ dismiss_text }</button>
        </div>
    }
}
