//! Sharing: the Share button (copies a link to exactly what is on screen), the box that shows
//! the link (a field to copy it from by hand when the clipboard is not allowed), and the
//! message for a link that could not be opened.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::i18n::{Key, Lang, tr};
use crate::lesson_state::{ClassAction, LinkNotice, share_fragment};
use crate::share::LinkError;
use crate::store::{Action, SimHandle, SimStore};

/// The page's address without its fragment.
pub fn page_base() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// The full link to what `store` shows.
pub fn share_link(store: &SimStore) -> String {
    format!("{}#{}", page_base(), share_fragment(store))
}

/// Writes `text` to the clipboard; `done` gets whether the browser took it.
pub fn copy_to_clipboard(text: &str, done: Callback<bool>) {
    let promise = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()).ok())
        .filter(|c| !c.is_undefined() && !c.is_null())
        .and_then(|c| {
            let write = js_sys::Reflect::get(&c, &"writeText".into()).ok()?;
            let write: js_sys::Function = write.dyn_into().ok()?;
            write.call1(&c, &JsValue::from_str(text)).ok()
        })
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = promise else {
        done.emit(false);
        return;
    };
    let ok = {
        let done = done.clone();
        Closure::once_into_js(move |_: JsValue| done.emit(true))
    };
    let err = Closure::once_into_js(move |_: JsValue| done.emit(false));
    // promise.then(ok, err), through Reflect: the closures are plain JS functions here.
    if let Some(then) = js_sys::Reflect::get(&promise, &"then".into())
        .ok()
        .and_then(|t| t.dyn_into::<js_sys::Function>().ok())
    {
        let _ = then.call2(&promise, &ok, &err);
    }
}

fn share_icon() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"
                d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4L12 5.6M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
        </svg>
    }
}

/// The Share button in the top bar.
#[component]
pub fn ShareButton() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let lang = store.class.lang;
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Pause);
            let link = share_link(&store);
            store.dispatch(Action::Class(ClassAction::Share(Some(link.clone()))));
            let s = store.clone();
            copy_to_clipboard(
                &link,
                Callback::from(move |ok| s.dispatch(Action::Class(ClassAction::Copied(ok)))),
            );
        })
    };
    html! {
        <button class="text-btn share-btn" data-action="share" title={Key::ShareTitle.text(lang)} {onclick}>
            { share_icon() }<span>{ Key::Share.text(lang) }</span>
        </button>
    }
}

/// The share box: the link, whether it was copied, and a field to copy it by hand.
#[component]
pub fn ShareBox() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let field = use_node_ref();
    let Some(link) = store.class.share.clone() else {
        return html! {};
    };
    let lang = store.class.lang;
    let close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Class(ClassAction::Share(None))))
    };
    let select = Callback::from(|e: FocusEvent| {
        if let Some(i) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            i.select();
        }
    });
    let copy = {
        let store = store.clone();
        let link = link.clone();
        let field = field.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = field.cast::<web_sys::HtmlInputElement>() {
                let _ = i.focus();
                i.select();
            }
            let s = store.clone();
            copy_to_clipboard(
                &link,
                Callback::from(move |ok| s.dispatch(Action::Class(ClassAction::Copied(ok)))),
            );
        })
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    let lesson_link = link.contains("#lesson=");
    let status = match store.class.copied {
        Some(true) => {
            html! { <p class="copy-status ok" data-copied="yes" role="status">{ "✓ " }{ Key::LinkCopied.text(lang) }</p> }
        }
        Some(false) => {
            html! { <p class="copy-status fail" data-copied="no" role="status">{ Key::CopyFailed.text(lang) }</p> }
        }
        None => html! {},
    };
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal share-modal" role="dialog" aria-modal="true" aria-labelledby="share-title" id="share-box" onclick={stop}>
                <header>
                    <h2 id="share-title">{ Key::ShareHeading.text(lang) }</h2>
                    <button class="close" aria-label={Key::Close.text(lang)} onclick={close}>{ "×" }</button>
                </header>
                <p class="muted">
                    { if lesson_link { Key::ShareLessonExplain.text(lang) } else { Key::ShareExplain.text(lang) } }
                </p>
                <div class="share-row">
                    <input ref={field} class="share-field" type="text" readonly=true value={link.clone()}
                        aria-label={Key::LinkField.text(lang)} data-share-link="" onfocus={select} />
                    <button class="primary" data-action="copy-link" onclick={copy}>{ Key::CopyLink.text(lang) }</button>
                </div>
                { status }
                <p class="muted small share-size">{ format!("{} B", link.len()) }</p>
            </div>
        </div>
    }
}

/// The message for a notice, in `lang`, and its kind (for tests and styles).
pub fn notice_text(n: &LinkNotice, lang: Lang) -> (&'static str, String) {
    match n {
        LinkNotice::Bad(LinkError::TooBig { bytes, limit }) => (
            "too-big",
            tr(
                Key::LinkTooBig,
                lang,
                &[&bytes.to_string(), &limit.to_string()],
            ),
        ),
        LinkNotice::Bad(LinkError::Malformed(why)) => {
            ("malformed", tr(Key::LinkMalformed, lang, &[why]))
        }
        LinkNotice::Bad(LinkError::BadBase64 | LinkError::Corrupt | LinkError::BadUtf8) => {
            ("damaged", Key::LinkBadData.text(lang).to_string())
        }
        LinkNotice::Bad(LinkError::UnknownVersion(v)) => {
            ("version", tr(Key::LinkUnknownVersion, lang, &[v]))
        }
        LinkNotice::UnknownLesson(name) => ("lesson", tr(Key::LinkUnknownLesson, lang, &[name])),
        LinkNotice::Script(e) => ("script", tr(Key::LinkBadScript, lang, &[e])),
    }
}

/// The message for a link that could not be opened.
#[component]
pub fn LinkNoticeBar() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let Some(notice) = store.class.notice.clone() else {
        return html! {};
    };
    let lang = store.class.lang;
    let (kind, text) = notice_text(&notice, lang);
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Class(ClassAction::DismissNotice))
        })
    };
    html! {
        <div class="notice link-notice" role="alert" data-link-error={kind}>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M12 3 2.5 20h19zM12 10v4.5M12 17.3v.2" />
            </svg>
            <span class="text">{ text }</span>
            <button class="ghost" onclick={dismiss} aria-label={Key::Dismiss.text(lang)}>{ Key::Dismiss.text(lang) }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_in_both_languages() {
        let all = [
            LinkNotice::Bad(LinkError::TooBig {
                bytes: 200_000,
                limit: 102_400,
            }),
            LinkNotice::Bad(LinkError::Malformed("x".into())),
            LinkNotice::Bad(LinkError::BadBase64),
            LinkNotice::Bad(LinkError::Corrupt),
            LinkNotice::Bad(LinkError::BadUtf8),
            LinkNotice::Bad(LinkError::UnknownVersion("\"7\"".into())),
            LinkNotice::UnknownLesson("nope".into()),
            LinkNotice::Script("link.zks:2:1: no".into()),
        ];
        for n in &all {
            let (k1, en) = notice_text(n, Lang::En);
            let (k2, zh) = notice_text(n, Lang::Zh);
            assert_eq!(k1, k2);
            assert_ne!(en, zh);
            assert!(!en.contains('{') && !zh.contains('{'), "{en} / {zh}");
        }
    }
}
