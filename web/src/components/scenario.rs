//! One script, run once, with everything it produced.

use yew::prelude::*;

use super::{ScriptErrorView, ServerList, TraceView};
use crate::RunView;

/// Props of [`ScenarioPage`].
#[derive(Properties, PartialEq)]
pub struct ScenarioPageProps {
    /// The file name used in error messages.
    pub file: AttrValue,
    /// The script source.
    pub script: AttrValue,
}

/// Runs `script` and shows the servers, the script itself, and the trace or the error.
#[component]
pub fn ScenarioPage(props: &ScenarioPageProps) -> Html {
    let view = use_memo(
        (props.file.clone(), props.script.clone()),
        |(file, script)| RunView::run(file, script),
    );
    html! {
        <main class="layout">
            <section class="panel" id="servers-panel" aria-labelledby="servers-title">
                <h2 id="servers-title">{ "Servers" }</h2>
                <ServerList servers={view.servers.clone()} />
            </section>
            <section class="panel" id="script-panel" aria-labelledby="script-title">
                <h2 id="script-title">{ "Script " }<span class="file">{ props.file.clone() }</span></h2>
                <pre id="script" class="code">{ props.script.clone() }</pre>
                <ScriptErrorView error={view.error.clone().map(AttrValue::from)} />
            </section>
            <section class="panel wide" id="trace-panel" aria-labelledby="trace-title">
                <h2 id="trace-title">{ "Trace" }</h2>
                <TraceView lines={view.trace.clone()} />
            </section>
        </main>
    }
}
