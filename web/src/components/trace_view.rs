//! The run's trace, one JSON object per line.

use yew::prelude::*;

/// Props of [`TraceView`].
#[derive(Properties, PartialEq)]
pub struct TraceViewProps {
    /// The trace lines.
    pub lines: Vec<String>,
}

/// Shows the trace in `<pre id="trace">`, or says that there is none.
#[component]
pub fn TraceView(props: &TraceViewProps) -> Html {
    if props.lines.is_empty() {
        return html! { <p id="trace" class="empty">{ "The run produced no trace lines." }</p> };
    }
    html! { <pre id="trace" class="code">{ props.lines.join("\n") }</pre> }
}
