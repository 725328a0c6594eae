//! The top bar: transport controls, speed, the clock, the seed, settings and help.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::Origin;
use crate::i18n::{Key, tr};
use crate::lesson_state::ClassAction;
use crate::store::{Action, SimHandle, slider_from_speed, speed_from_slider, speed_label};

use super::lesson::book_icon;
use super::{LangSwitch, ShareButton};

/// An icon as an inline SVG path (no font or file needed).
pub fn icon(name: &str) -> Html {
    let d = match name {
        "play" => "M7 4.5v15l12.5-7.5z",
        "pause" => "M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z",
        "step" => "M5 5v14l10-7zM16.5 5h3v14h-3z",
        "back" => "M19 5v14L9 12zM4.5 5h3v14h-3z",
        "reset" => "M12 5a7 7 0 1 1-6.6 4.7l1.9.7A5 5 0 1 0 12 7v3L7.5 6 12 2z",
        "leader" => "M3 8l4.5 3.5L12 5l4.5 6.5L21 8l-2 10H5zM5.5 20h13v1.6h-13z",
        "dice" => {
            "M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2.5 3a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm9 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM12 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm-4.5 4.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm9 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"
        }
        "settings" => "M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M16 4v4M10 10v4M18 16v4",
        "help" => {
            "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 14.2a1.2 1.2 0 1 1 0-2.4 1.2 1.2 0 0 1 0 2.4zm1.3-4.6v.7h-2.4v-1c0-1.3 1.9-1.7 1.9-2.9a1 1 0 0 0-2-.1H8.4a3.4 3.4 0 0 1 6.8.1c0 1.8-1.9 2.4-1.9 3.2z"
        }
        _ => "",
    };
    let stroke = name == "settings";
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            if stroke {
                <path d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
            } else {
                <path d={d} fill="currentColor" />
            }
        </svg>
    }
}

/// Milliseconds with a thousands separator and one decimal when there is a fraction.
pub fn format_ms(ms: f64) -> String {
    let whole = ms.floor() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = ms - whole as f64;
    if frac >= 0.05 {
        format!("{grouped}.{} ms", ((frac * 10.0).floor() as u64).min(9))
    } else {
        format!("{grouped} ms")
    }
}

/// The top bar.
#[component]
pub fn Controls() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let playing = store.playback.playing;
    let (pos, horizon, seed, scripted, line) = {
        let e = store.engine();
        let seed = e.sim().config().seed;
        (
            e.pos(),
            e.horizon(),
            seed,
            matches!(e.origin(), Origin::Script { .. }),
            e.script_line(),
        )
    };
    let now = store.playback.now;
    let on = |a: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(a.clone()))
    };
    let on_speed = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let v: f64 = input.value().parse().unwrap_or(0.0);
                store.dispatch(Action::SetSpeed(speed_from_slider(v)));
            }
        })
    };
    let on_seed = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                && let Ok(seed) = input.value().trim().parse::<u64>()
            {
                store.dispatch(Action::Reset { seed: Some(seed) });
            }
        })
    };
    let new_seed = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Reset {
                seed: Some(crate::fresh_seed() % 1_000_000),
            })
        })
    };
    let lang = store.class.lang;
    let t = |k: Key| k.text(lang);
    let (play_action, play_label, play_icon) = if playing {
        ("pause", t(Key::PauseTitle), "pause")
    } else {
        ("play", t(Key::PlayTitle), "play")
    };
    let open_lessons = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Class(ClassAction::Picker(true)))
        })
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <circle cx="16" cy="16" r="11" class="logo-ring" />
                    <circle cx="16" cy="5" r="3.4" class="logo-lead" />
                    <circle cx="26.5" cy="20" r="3.4" />
                    <circle cx="5.5" cy="20" r="3.4" />
                    <circle cx="16" cy="27" r="3.4" />
                </svg>
                <h1>{ "zkplay" }</h1>
                <span class="tag">{ t(Key::Tagline) }</span>
            </div>
            <div class="transport" role="toolbar" aria-label={t(Key::PlaybackLabel)}>
                <button class="icon-btn" data-action="reset" title={t(Key::ResetTitle)} aria-label={t(Key::Reset)} onclick={on(Action::Reset { seed: None })}>{ icon("reset") }</button>
                <button class="icon-btn" data-action="back" title={t(Key::StepBackTitle)} aria-label={t(Key::StepBack)} disabled={pos == 0} onclick={on(Action::Back)}>{ icon("back") }</button>
                <button class={classes!("icon-btn", "primary", playing.then_some("on"))} data-action={play_action} title={play_label} aria-label={play_label} onclick={on(Action::TogglePlay)}>{ icon(play_icon) }</button>
                <button class="icon-btn" data-action="step" title={t(Key::StepForwardTitle)} aria-label={t(Key::Step)} onclick={on(Action::Step)}>{ icon("step") }</button>
                <button class="text-btn" data-action="run-until-leader" title={t(Key::UntilLeaderTitle)} onclick={on(Action::RunUntilLeader)}>{ icon("leader") }<span>{ t(Key::UntilLeader) }</span></button>
            </div>
            <label class="speed" title={t(Key::SpeedTitle)}>
                <span class="lbl">{ t(Key::Speed) }</span>
                <input type="range" min="-1" max="1" step="0.01" aria-label={t(Key::Speed)}
                    data-control="speed"
                    value={format!("{:.2}", slider_from_speed(store.playback.speed))} oninput={on_speed} />
                <output>{ speed_label(store.playback.speed) }</output>
            </label>
            <div class="clock" data-sim-time={format!("{}", now.floor() as u64)} title={t(Key::SimulatedTime)}>
                <span class="t">{ format_ms(now) }</span>
                <span class="pos" data-pos={pos.to_string()}>
                    { tr(Key::StepN, lang, &[&pos.to_string()]) }
                    if horizon > pos { <span class="of">{ format!(" / {horizon}") }</span> }
                    if let Some(l) = line { <span class="line">{ format!(" · {}", tr(Key::LineN, lang, &[&l.to_string()])) }</span> }
                </span>
            </div>
            <div class="seed">
                if scripted {
                    <span class="lbl">{ t(Key::ScriptLabel) }</span>
                } else {
                    <label>
                        <span class="lbl">{ t(Key::Seed) }</span>
                        <input type="number" min="0" value={seed.to_string()} aria-label={t(Key::Seed)} data-control="seed" onchange={on_seed} />
                    </label>
                    <button class="icon-btn small" title={t(Key::NewSeedTitle)} aria-label={t(Key::NewSeed)} data-action="new-seed" onclick={new_seed}>{ icon("dice") }</button>
                }
            </div>
            <div class="end">
                <button class="text-btn" data-action="lessons" title={t(Key::PickALesson)} onclick={open_lessons}>{ book_icon() }<span>{ t(Key::Lessons) }</span></button>
                <ShareButton />
                <button class="text-btn" data-action="settings" title={t(Key::ScenarioTitle)} onclick={on(Action::ToggleSettings)}>{ icon("settings") }<span>{ t(Key::ScenarioButton) }</span></button>
                <LangSwitch />
                <button class="icon-btn" data-action="help" title={t(Key::HelpButtonTitle)} aria-label={t(Key::PanelHelp)} onclick={on(Action::ToggleHelp)}>{ icon("help") }</button>
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_with_separators() {
        assert_eq!(format_ms(0.0), "0 ms");
        assert_eq!(format_ms(1234.0), "1,234 ms");
        assert_eq!(format_ms(1234567.25), "1,234,567.2 ms");
        assert_eq!(format_ms(12.96), "12.9 ms");
    }
}
