//! An absolutely positioned box. The page's Content-Security-Policy forbids inline `style`
//! attributes, so the position is set through the CSSOM after rendering instead.

use yew::prelude::*;

/// Props of [`Positioned`].
#[derive(Properties, PartialEq)]
pub struct PositionedProps {
    /// Left, in CSS pixels from the positioned parent.
    pub left: f64,
    /// Top, in CSS pixels.
    pub top: f64,
    /// Classes of the box.
    #[prop_or_default]
    pub class: Classes,
    /// Contents.
    #[prop_or_default]
    pub children: Html,
}

/// A `<div>` at (`left`, `top`).
#[component]
pub fn Positioned(props: &PositionedProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((props.left, props.top), move |&(left, top)| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("left", &format!("{left:.0}px"));
                let _ = style.set_property("top", &format!("{top:.0}px"));
            }
        });
    }
    html! { <div ref={node} class={props.class.clone()}>{ props.children.clone() }</div> }
}
