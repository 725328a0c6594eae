//! The whole page.

use yew::prelude::*;

use super::ScenarioPage;
use crate::{DEFAULT_FILE, DEFAULT_SCRIPT};

/// The zkplay page: a header and the default scenario.
#[component]
pub fn App() -> Html {
    html! {
        <div class="page">
            <header class="masthead">
                <h1>{ "zkplay" }</h1>
                <p class="tagline">{ "A deterministic ZooKeeper ensemble simulator" }</p>
            </header>
            <ScenarioPage file={DEFAULT_FILE} script={DEFAULT_SCRIPT} />
        </div>
    }
}
