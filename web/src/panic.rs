//! A panic hook that shows an overlay instead of leaving a blank or frozen page.

use std::panic::PanicHookInfo;

/// The id of the overlay element that a panic puts on the page.
const OVERLAY_ID: &str = "panic-overlay";

/// Installs the page's panic hook: the panic goes to the console (with a stack trace) and
/// an overlay tells the reader that the page stopped. Call it before rendering.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show_panic_overlay(&info.to_string());
    }));
}

/// Puts the panic overlay (`#panic-overlay`) on the page with `message`. Only the first
/// panic is shown: after it, the wasm instance is no longer usable.
pub fn show_panic_overlay(message: &str) {
    // Inside a panic hook nothing may panic again, so every DOM failure is ignored.
    let _ = try_show_overlay(message);
}

fn try_show_overlay(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    if document.get_element_by_id(OVERLAY_ID).is_some() {
        return Some(());
    }
    let overlay = document.create_element("div").ok()?;
    overlay.set_id(OVERLAY_ID);
    overlay.set_class_name("panic-overlay");
    overlay.set_attribute("role", "alert").ok()?;

    let title = document.create_element("h2").ok()?;
    title.set_text_content(Some("zkplay stopped"));
    let hint = document.create_element("p").ok()?;
    hint.set_text_content(Some(
        "The page hit an internal error and cannot go on. Reload it to start over; \
         the browser console has the details.",
    ));
    let detail = document.create_element("pre").ok()?;
    detail.set_text_content(Some(message));
    // A link back to the page reloads it: a fresh start, without any script of ours.
    let reset = document.create_element("a").ok()?;
    reset.set_class_name("reload");
    reset.set_attribute("href", ".").ok()?;
    reset.set_text_content(Some("Reload and start over"));

    for child in [&title, &hint, &detail, &reset] {
        overlay.append_child(child).ok()?;
    }
    document.body()?.append_child(&overlay).ok()?;
    Some(())
}
