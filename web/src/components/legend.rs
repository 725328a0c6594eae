//! The legend under the ring: what shapes, colours and message dots mean.

use yew::prelude::*;

use crate::components::lang::use_lang;
use crate::i18n::Key;

fn swatch(shape: &str, class: &str) -> Html {
    let body = match shape {
        "hex" => html! { <polygon points="8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5" /> },
        "diamond" => html! { <polygon points="8,1 15,8 8,15 1,8" /> },
        "square" => {
            html! { <><rect x="2" y="2" width="12" height="12" rx="2" /><line x1="4" y1="12" x2="12" y2="4" /></> }
        }
        "dashed" => html! { <circle cx="8" cy="8" r="6" class="dash" /> },
        "dot" => html! { <circle cx="8" cy="8" r="4.5" /> },
        "sq" => html! { <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" /> },
        _ => html! { <circle cx="8" cy="8" r="6" /> },
    };
    html! { <svg class={classes!("sw", class.to_string())} viewBox="0 0 16 16" aria-hidden="true">{ body }</svg> }
}

/// The legend.
#[component]
pub fn Legend() -> Html {
    let lang = use_lang();
    let t = |k: Key| k.text(lang);
    html! {
        <div class="legend" aria-label={t(Key::PanelLegend)}>
            <span>{ swatch("hex", "leading") }{ t(Key::LegendLeading) }</span>
            <span>{ swatch("circle", "following") }{ t(Key::LegendFollowing) }</span>
            <span>{ swatch("dashed", "looking") }{ t(Key::LegendLooking) }</span>
            <span>{ swatch("diamond", "observing") }{ t(Key::LegendObserving) }</span>
            <span>{ swatch("square", "down") }{ t(Key::LegendDown) }</span>
            <span class="sep" />
            <span>{ swatch("dot", "m-vote") }{ t(Key::LegendVote) }</span>
            <span>{ swatch("sq", "m-zab") }{ t(Key::LegendZab) }</span>
            <span>{ swatch("sq", "m-client") }{ t(Key::LegendClient) }</span>
            <span class="hint">{ t(Key::LegendHint) }</span>
        </div>
    }
}
