//! The whole page: one store, the frame loop, the keyboard, `window.zkplay`, and the layout.

use yew::prelude::*;

use super::{Controls, Ensemble, Help, Inspector, Legend, Notice, Settings, Tabs, Timeline};
use crate::hooks::{Shortcut, use_frame_loop, use_keyboard};
use crate::store::{Action, SimHandle, SimStore};

/// The zkplay page.
#[component]
pub fn App() -> Html {
    let store = use_reducer(SimStore::new);

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

    html! {
        <ContextProvider<SimHandle> context={store.clone()}>
            <div class="app">
                <Controls />
                <Notice />
                <main class="stage">
                    <section class="panel ensemble-panel" aria-label="Ensemble">
                        <Ensemble />
                        <Legend />
                    </section>
                    <aside class="panel inspector-panel" aria-label="Inspector">
                        <Inspector />
                    </aside>
                </main>
                <section class="panel timeline-panel" aria-label="Timeline">
                    <Timeline />
                </section>
                <Tabs />
                <Help />
                <Settings />
            </div>
        </ContextProvider<SimHandle>>
    }
}
