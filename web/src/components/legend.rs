//! The legend under the ring: what shapes, colours and message dots mean.

use yew::prelude::*;

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
    html! {
        <div class="legend" aria-label="Legend">
            <span>{ swatch("hex", "leading") }{ "leading" }</span>
            <span>{ swatch("circle", "following") }{ "following" }</span>
            <span>{ swatch("dashed", "looking") }{ "looking" }</span>
            <span>{ swatch("diamond", "observing") }{ "observing" }</span>
            <span>{ swatch("square", "down") }{ "down" }</span>
            <span class="sep" />
            <span>{ swatch("dot", "m-vote") }{ "vote" }</span>
            <span>{ swatch("sq", "m-zab") }{ "Zab" }</span>
            <span>{ swatch("sq", "m-client") }{ "client" }</span>
            <span class="hint">{ "drag server→server to cut a link · Shift: one way" }</span>
        </div>
    }
}
