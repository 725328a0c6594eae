//! The whole page: one store, the frame loop, the keyboard, `window.zkplay`, and the layout.

use yew::prelude::*;

use super::lang::{mark_document, startup_store};
use super::{
    Controls, Ensemble, Help, Inspector, Legend, LessonPanel, LessonPicker, LinkNoticeBar, Notice,
    Settings, ShareBox, Tabs, Timeline,
};
use crate::hooks::{Shortcut, use_frame_loop, use_keyboard};
use crate::i18n::{Key, Lang};
use crate::lesson_state::ClassAction;
use crate::store::{Action, PanelHandle, SimHandle};

/// The zkplay page.
#[component]
pub fn App() -> Html {
    // The language and the run come from the link, if any (crate::link).
    let store = use_reducer(startup_store);
    let lang: Lang = store.class.lang;
    use_effect_with(lang, |&lang| mark_document(lang));
    {
        // A link pasted into the address bar of the open page.
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "hashchange", move |_| {
                    let hash = web_sys::window()
                        .and_then(|w| w.location().hash().ok())
                        .unwrap_or_default();
                    store.dispatch(Action::Class(ClassAction::OpenLink(hash)));
                })
            });
            move || drop(listener)
        });
    }

    let on_frame = {
        let store = store.clone();
        Callback::from(move |dt_ms: f64| store.dispatch(Action::Frame { dt_ms }))
    };
    use_frame_loop(store.playback.playing, on_frame);

    let on_key = {
        let store = store.clone();
        Callback::from(move |s: Shortcut| {
            store.dispatch(match s {
                Shortcut::PlayPause => Action::TogglePlay,
                Shortcut::Step => Action::Step,
                Shortcut::Back => Action::Back,
                Shortcut::Help => Action::ToggleHelp,
                Shortcut::Escape => Action::Escape,
                Shortcut::RunUntilLeader => Action::RunUntilLeader,
                Shortcut::Reset => Action::Reset { seed: None },
            })
        })
    };
    use_keyboard(on_key);

    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let api = crate::api::install(store);
            move || drop(api)
        });
    }

    let lesson = store.class.lesson.is_some();
    let panels = PanelHandle::new(store.clone());
    html! {
        <ContextProvider<SimHandle> context={store.clone()}>
        <ContextProvider<PanelHandle> context={panels}>
        <ContextProvider<Lang> context={lang}>
            <div class={classes!("app", format!("lang-{}", lang.code()))}>
                <Controls />
                <LinkNoticeBar />
                <Notice />
                <main class={classes!("stage", lesson.then_some("with-lesson"))}>
                    <section class="panel ensemble-panel" aria-label={Key::PanelEnsemble.text(lang)}>
                        <Ensemble />
                        <Legend />
                    </section>
                    <aside class="panel inspector-panel" aria-label={Key::PanelInspector.text(lang)}>
                        <LessonPanel />
                        <Inspector />
                    </aside>
                </main>
                <section class="panel timeline-panel" aria-label={Key::PanelTimeline.text(lang)}>
                    <Timeline />
                </section>
                <Tabs />
                <Help />
                <Settings />
                <LessonPicker />
                <ShareBox />
            </div>
        </ContextProvider<Lang>>
        </ContextProvider<PanelHandle>>
        </ContextProvider<SimHandle>>
    }
}
