//! The page's language: the context every component reads ([`use_lang`]), the switch in the
//! top bar, and where the choice comes from — a link's `lang=`, else the choice remembered in
//! `localStorage`, else the browser's languages when one of them is English or Chinese.

use yew::Reducible;
use yew::prelude::*;

use std::rc::Rc;

use crate::i18n::{Key, Lang, detect, lang_of_tag};
use crate::lesson_state::ClassAction;
use crate::store::{Action, SimHandle, SimStore};

/// The `localStorage` key of the remembered language.
pub const STORAGE_KEY: &str = "zkplay.lang";

/// The page's language (English outside the app, e.g. a panel rendered alone in a test).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The language remembered in `localStorage`, if any.
pub fn remembered() -> Option<Lang> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let v = storage.get_item(STORAGE_KEY).ok()??;
    Lang::from_code(&v)
}

/// Remembers `lang` in `localStorage` (silently nothing where storage is not allowed).
pub fn remember(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
}

/// The browser's preferred language, if English or Chinese.
pub fn browser() -> Option<Lang> {
    let nav = web_sys::window()?.navigator();
    let tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .chain(nav.language())
        .collect();
    tags.iter().find_map(|t| lang_of_tag(t))
}

/// The language to start in when no link names one.
pub fn initial() -> Lang {
    remembered()
        .or_else(browser)
        .unwrap_or_else(|| detect(std::iter::empty()))
}

/// Marks the document's language (`<html lang>`), for fonts, hyphenation and screen readers.
pub fn mark_document(lang: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute(
            "lang",
            match lang {
                Lang::En => "en",
                Lang::Zh => "zh-CN",
            },
        );
    }
}

/// The language switch: names the other language, in that language.
#[component]
pub fn LangSwitch() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let lang = store.class.lang;
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let other = lang.other();
            remember(other);
            store.dispatch(Action::Class(ClassAction::SetLang(other)));
        })
    };
    let title = Key::LanguageSwitchTitle.text(lang);
    html! {
        <button class="text-btn lang-btn" data-action="lang" data-lang={lang.code()} {title}
            aria-label={title} {onclick}>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"
                    d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3.5 9h17M3.5 15h17M12 3c-2.6 2.6-3.6 5.6-3.6 9s1 6.4 3.6 9M12 3c2.6 2.6 3.6 5.6 3.6 9s-1 6.4-3.6 9" />
            </svg>
            <span class="lang-name">{ Key::LanguageSwitch.text(lang) }</span>
        </button>
    }
}

/// The store the page starts with: the language ([`initial`]), then the link in the address
/// bar, if any (which may name a language of its own).
pub fn startup_store() -> SimStore {
    let mut store = SimStore::new();
    store.class.lang = initial();
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if hash.len() <= 1 {
        return store;
    }
    let next = Rc::new(store).reduce(Action::Class(ClassAction::OpenLink(hash)));
    Rc::unwrap_or_clone(next)
}
