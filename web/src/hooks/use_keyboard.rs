//! The page's keyboard shortcuts, listened for on the whole document.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Space: play or pause.
    PlayPause,
    /// →: one step forward.
    Step,
    /// ←: one step back.
    Back,
    /// ?: the help dialog.
    Help,
    /// Escape: close dialogs and menus.
    Escape,
    /// L: run until a leader is established.
    RunUntilLeader,
    /// R: reset.
    Reset,
}

/// Every shortcut with its key as the help dialog lists it.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "Play / pause"),
    ("→", "Step one event forward"),
    ("←", "Step one event back (time travel)"),
    ("L", "Run until a leader is established"),
    ("R", "Reset the run (same seed)"),
    ("?", "Show or hide this help"),
    ("Esc", "Close menus and dialogs"),
];

/// The shortcut for a `KeyboardEvent.key`, if any.
pub fn shortcut_for(key: &str) -> Option<Shortcut> {
    Some(match key {
        " " | "Spacebar" => Shortcut::PlayPause,
        "ArrowRight" => Shortcut::Step,
        "ArrowLeft" => Shortcut::Back,
        "?" => Shortcut::Help,
        "Escape" => Shortcut::Escape,
        "l" | "L" => Shortcut::RunUntilLeader,
        "r" | "R" => Shortcut::Reset,
        _ => return None,
    })
}

/// True when keys typed go to a text field (the console, the settings), not to shortcuts.
fn typing(e: &KeyboardEvent) -> bool {
    let Some(target) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match target.tag_name().to_ascii_lowercase().as_str() {
        // Sliders, checkboxes and buttons do not take text.
        "input" => matches!(
            target.get_attribute("type").unwrap_or_default().as_str(),
            "" | "text" | "number" | "search"
        ),
        "textarea" | "select" => true,
        _ => target.has_attribute("contenteditable"),
    }
}

/// Calls `on_shortcut` for each shortcut key pressed anywhere on the page (not while typing
/// in a field, and not with Ctrl, Alt or Meta held).
#[hook]
pub fn use_keyboard(on_shortcut: Callback<Shortcut>) {
    let latest = use_mut_ref(|| on_shortcut.clone());
    *latest.borrow_mut() = on_shortcut;
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let listener = document.map(|d| {
            EventListener::new_with_options(
                &d,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(e) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if e.ctrl_key() || e.alt_key() || e.meta_key() {
                        return;
                    }
                    let Some(s) = shortcut_for(&e.key()) else {
                        return;
                    };
                    if typing(e) && s != Shortcut::Escape {
                        return;
                    }
                    // Space would scroll the page and arrows would move a focused slider.
                    e.prevent_default();
                    let cb = latest.borrow().clone();
                    cb.emit(s);
                },
            )
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_shortcuts() {
        assert_eq!(shortcut_for(" "), Some(Shortcut::PlayPause));
        assert_eq!(shortcut_for("ArrowRight"), Some(Shortcut::Step));
        assert_eq!(shortcut_for("ArrowLeft"), Some(Shortcut::Back));
        assert_eq!(shortcut_for("?"), Some(Shortcut::Help));
        assert_eq!(shortcut_for("x"), None);
        assert_eq!(SHORTCUTS.len(), 7);
    }
}
