//! The error of a script that did not run.

use yew::prelude::*;

/// Props of [`ScriptErrorView`].
#[derive(Properties, PartialEq)]
pub struct ScriptErrorViewProps {
    /// `file:line:col: message`, or `None` when the script ran.
    pub error: Option<AttrValue>,
}

/// Shows the script error (`#script-error`), or nothing.
#[component]
pub fn ScriptErrorView(props: &ScriptErrorViewProps) -> Html {
    match &props.error {
        Some(error) => html! {
            <p id="script-error" class="script-error" role="alert">{ error.clone() }</p>
        },
        None => html! {},
    }
}
