//! The scenario editor: the script of the run on screen, editable, with line numbers; Run
//! starts over with it, an error names its line and column and marks the line; `.zks` files
//! import and export, and the JSON-lines trace downloads. The text typed is kept in the store
//! until it runs, so an error or a change of tab never loses it.
//!
//! Downloads are `blob:` URLs made here: nothing is fetched, and the page's CSP allows them
//! (they are navigations of a download link, not scripts, styles or connections).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::engine::Origin;
use crate::i18n::{Key, tr};
use crate::lesson_state::ClassAction;
use crate::link::script_of;
use crate::store::{Action, PanelHandle};

/// A script error split into (file, line, column, message), from `file:line:col: message`.
pub fn split_error(e: &str) -> Option<(String, u32, u32, String)> {
    let mut parts = e.splitn(4, ':');
    let file = parts.next()?.to_string();
    let line: u32 = parts.next()?.trim().parse().ok()?;
    let col: u32 = parts.next()?.trim().parse().ok()?;
    let message = parts.next()?.trim_start().to_string();
    Some((file, line, col, message))
}

/// The byte range of line `line` (1-based) of `text`, for selecting it.
pub fn line_range(text: &str, line: u32) -> Option<(usize, usize)> {
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            return Some((start, start + l.len()));
        }
        start += l.len() + 1;
    }
    None
}

/// UTF-16 offset of byte offset `at` in `text` (what a textarea's selection counts).
fn utf16_at(text: &str, at: usize) -> u32 {
    text[..at.min(text.len())].encode_utf16().count() as u32
}

/// Offers `text` as a file download named `name`, through a `blob:` URL.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a").and_then(|e| {
        e.dyn_into::<web_sys::HtmlAnchorElement>()
            .map_err(Into::into)
    }) {
        a.set_href(&url);
        a.set_download(name);
        let _ = a.set_attribute("data-download", name);
        if let Some(body) = document.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Reads the first file of a file input as text and hands it to `done` (an error as `Err`).
fn read_file(input: &web_sys::HtmlInputElement, done: Callback<Result<String, ()>>) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let Ok(reader) = web_sys::FileReader::new() else {
        done.emit(Err(()));
        return;
    };
    let r = reader.clone();
    let onload = Closure::once_into_js(move |_: web_sys::Event| {
        match r.result().ok().and_then(|v| v.as_string()) {
            Some(text) => done.emit(Ok(text)),
            None => done.emit(Err(())),
        }
    });
    reader.set_onloadend(Some(onload.unchecked_ref()));
    if reader.read_as_text(&file).is_err() {
        reader.set_onloadend(None);
    }
    input.set_value("");
}

/// The Script tab.
#[component]
pub fn ScriptEditor() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let area = use_node_ref();
    let import_failed = use_state(|| false);
    let lang = store.class.lang;
    let (running_text, running_line, run_error, trace, file_name) = {
        let e = store.engine();
        let name = store
            .class
            .lesson
            .as_ref()
            .and_then(|l| l.name)
            .map(|n| format!("{n}.zks"))
            .unwrap_or_else(|| "scenario.zks".into());
        (
            script_of(e.origin()),
            e.script_line(),
            e.script_error().map(str::to_string),
            matches!(e.origin(), Origin::Script { .. }).then(|| e.trace().join("\n")),
            name,
        )
    };
    let edited = store.class.draft.is_some();
    let text = store.class.draft.clone().unwrap_or(running_text);
    // An error of the draft if there is one; else the running script's, if it stopped.
    let error = store
        .class
        .draft_error
        .clone()
        .or(if edited { None } else { run_error });
    let located = error.as_deref().and_then(split_error);
    let err_line = located.as_ref().map(|(_, l, _, _)| *l);
    let lines: Vec<&str> = text.split('\n').collect();
    let n_lines = lines.len();
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 2;

    let oninput = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                store.dispatch(Action::Class(ClassAction::EditDraft(t.value())));
            }
        })
    };
    let run = {
        let store = store.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if store.class.draft.is_none() {
                store.dispatch(Action::Class(ClassAction::EditDraft(text.clone())));
            }
            store.dispatch(Action::Class(ClassAction::ApplyDraft));
        })
    };
    let revert = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Class(ClassAction::RevertDraft)))
    };
    let go_to_error = {
        let area = area.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if let (Some(t), Some(l)) = (area.cast::<web_sys::HtmlTextAreaElement>(), err_line)
                && let Some((a, b)) = line_range(&text, l)
            {
                let _ = t.focus();
                let _ = t.set_selection_range(utf16_at(&text, a), utf16_at(&text, b));
            }
        })
    };
    let on_import = {
        let store = store.clone();
        let import_failed = import_failed.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let store = store.clone();
                let import_failed = import_failed.clone();
                read_file(
                    &input,
                    Callback::from(move |r: Result<String, ()>| match r {
                        Ok(text) => {
                            import_failed.set(false);
                            store.dispatch(Action::Class(ClassAction::EditDraft(text)));
                            store.dispatch(Action::Class(ClassAction::ApplyDraft));
                        }
                        Err(()) => import_failed.set(true),
                    }),
                );
            }
        })
    };
    let export = {
        let text = text.clone();
        let name = file_name.clone();
        Callback::from(move |_: MouseEvent| download(&name, "text/plain;charset=utf-8", &text))
    };
    let has_trace = trace.as_deref().is_some_and(|t| !t.is_empty());
    let download_trace = {
        let trace = trace.clone().unwrap_or_default();
        let name = file_name.trim_end_matches(".zks").to_string() + ".trace.jsonl";
        Callback::from(move |_: MouseEvent| {
            let mut t = trace.clone();
            if !t.is_empty() {
                t.push('\n');
            }
            download(&name, "application/x-ndjson;charset=utf-8", &t)
        })
    };

    let gutter = (1..=n_lines).map(|i| {
        let class = classes!(
            (Some(i as u32) == err_line).then_some("err"),
            (!edited && Some(i as u32) == running_line).then_some("running")
        );
        html! { <li {class}>{ i }</li> }
    });
    let backdrop = lines.iter().enumerate().map(|(i, l)| {
        let err = Some(i as u32 + 1) == err_line;
        let running = !edited && Some(i as u32 + 1) == running_line;
        html! {
            <div class={classes!("ln", err.then_some("err"), running.then_some("running"))}
                data-error-line={err.then(|| (i + 1).to_string())}>
                { if l.is_empty() { " ".to_string() } else { (*l).to_string() } }
            </div>
        }
    });
    let status = if edited {
        html! { <span class="pill edited" data-editor-state="edited">{ Key::EditorEdited.text(lang) }</span> }
    } else {
        html! { <span class="pill running" data-editor-state="running">{ Key::EditorRunning.text(lang) }</span> }
    };
    html! {
        <div class="editor" data-editor="">
            <div class="editor-bar">
                <div class="editor-title">
                    <strong>{ Key::EditorScriptLabel.text(lang) }</strong>
                    { status }
                    <span class="muted small">{ tr(Key::EditorLines, lang, &[&n_lines.to_string()]) }</span>
                </div>
                <div class="editor-actions">
                    <button class="primary" data-action="run-script" onclick={run}>{ Key::RunScript.text(lang) }</button>
                    if edited {
                        <button data-action="revert-script" onclick={revert}>{ Key::EditorRevert.text(lang) }</button>
                    }
                    <label class="file-btn" data-action="import-zks">
                        <input type="file" accept=".zks,.txt,text/plain" onchange={on_import} data-import-zks="" />
                        <span>{ Key::ImportZks.text(lang) }</span>
                    </label>
                    <button data-action="export-zks" onclick={export}>{ Key::ExportZks.text(lang) }</button>
                    <button data-action="download-trace" disabled={!has_trace}
                        title={if has_trace { Key::DownloadTrace.text(lang) } else { Key::EditorNoTrace.text(lang) }}
                        onclick={download_trace}>{ Key::DownloadTrace.text(lang) }</button>
                </div>
            </div>
            <p class="muted small editor-intro">{ Key::EditorIntro.text(lang) }</p>
            if let Some((_, line, col, message)) = &located {
                <button class="script-error editor-error" role="alert" data-script-error={format!("{line}:{col}")}
                    title={tr(Key::EditorGoToLine, lang, &[&line.to_string()])} onclick={go_to_error}>
                    <span class="where">{ tr(Key::ScriptErrorAt, lang, &[&line.to_string(), &col.to_string(), message]) }</span>
                    <code class="raw">{ error.clone().unwrap_or_default() }</code>
                </button>
            } else if let Some(e) = &error {
                <p class="script-error" role="alert">{ e.clone() }</p>
            }
            if *import_failed {
                <p class="script-error" role="alert">{ Key::ImportFailed.text(lang) }</p>
            }
            <div class="editor-frame">
                <ol class="gutter" aria-hidden="true">{ for gutter }</ol>
                <div class="code">
                    <div class="backdrop" aria-hidden="true">{ for backdrop }</div>
                    <textarea ref={area} spellcheck="false" wrap="off" autocomplete="off"
                        rows={n_lines.to_string()} cols={width.to_string()}
                        aria-label={Key::EditorScriptLabel.text(lang)} data-control="editor"
                        value={text.clone()} {oninput} />
                </div>
            </div>
            <p class="muted small">{ Key::EditorSyntax.text(lang) }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_split_into_line_and_column() {
        assert_eq!(
            split_error("script.zks:12:7: expected a server id, found \"x\""),
            Some((
                "script.zks".into(),
                12,
                7,
                "expected a server id, found \"x\"".into()
            ))
        );
        assert_eq!(
            split_error("a.zks:3:1: c1: ls: bad"),
            Some(("a.zks".into(), 3, 1, "c1: ls: bad".into()))
        );
        assert_eq!(split_error("no location here"), None);
        assert_eq!(split_error("f:x:1: m"), None);
    }

    #[test]
    fn lines_are_found_for_selection() {
        let t = "servers 3\n\nstart 1 2 x\n";
        assert_eq!(line_range(t, 1), Some((0, 9)));
        assert_eq!(line_range(t, 2), Some((10, 10)));
        assert_eq!(&t[12..22], "tart 1 2 x");
        assert_eq!(line_range(t, 3), Some((11, 22)));
        assert_eq!(line_range(t, 9), None);
        assert_eq!(utf16_at("汉字x", 6), 2);
    }
}
