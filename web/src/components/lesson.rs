//! The lesson panel (title, the current notes, the quiz and its answer, Back and Next) and the
//! lesson picker. Lesson texts are data: they are shown as text, never as markup.

use wasm_bindgen::JsCast;
use yew::prelude::*;
use zkplay_core::lessons::{self, LESSONS};
use zkplay_core::script::ast::{Directive, QuizAnswer};
use zkplay_core::script::{Player, RunOptions};

use crate::i18n::{Key, Lang, tr};
use crate::lesson_state::{ClassAction, Place, place};
use crate::store::{Action, SimHandle};

/// True when a key goes to a text field, a list or a slider (the timeline's PageUp/PageDown).
fn typing_or_sliding(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(
        el.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select"
    ) || el.get_attribute("role").as_deref() == Some("slider")
        || el.get_attribute("contenteditable").is_some()
}

/// An answer label as the page shows it: `none`, `yes` and `no` in the page's language.
pub fn answer_label(label: &str, lang: Lang) -> String {
    match label {
        "none" => Key::AnswerNone.text(lang).to_string(),
        "yes" => Key::AnswerYes.text(lang).to_string(),
        "no" => Key::AnswerNo.text(lang).to_string(),
        other => other.to_string(),
    }
}

/// A choice of a quiz as its button shows it (`server 2` for a question about the leader).
pub fn choice_label(answer: &QuizAnswer, choice: &str, lang: Lang) -> String {
    match answer {
        QuizAnswer::Leader(_) if choice.bytes().all(|b| b.is_ascii_digit()) => {
            tr(Key::QuizServer, lang, &[choice])
        }
        _ => answer_label(choice, lang),
    }
}

/// What the picker shows of a lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonInfo {
    /// Its name.
    pub name: &'static str,
    /// Its title in the language asked for.
    pub title: String,
    /// Its stops.
    pub stops: usize,
    /// Its quizzes.
    pub quizzes: usize,
}

/// Every lesson of the catalogue, titled in `lang`.
pub fn catalogue(lang: Lang) -> Vec<LessonInfo> {
    LESSONS
        .iter()
        .filter_map(|l| {
            let p = Player::new(l.name, l.src, RunOptions::default()).ok()?;
            let quizzes = p
                .script()
                .lines
                .iter()
                .filter(|x| matches!(x.directive, Directive::Quiz(_)))
                .count();
            Some(LessonInfo {
                name: l.name,
                title: p.title(lang).unwrap_or(l.name).to_string(),
                stops: p.stops(),
                quizzes,
            })
        })
        .collect()
}

fn arrow(left: bool) -> Html {
    let d = if left {
        "M15 5l-7 7 7 7"
    } else {
        "M9 5l7 7-7 7"
    };
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d={d} fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// A book: the lessons button's icon.
pub fn book_icon() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="none" stroke="currentColor" stroke-width="1.9" stroke-linejoin="round"
                d="M4 5.5C6.5 4.3 9.3 4.3 12 6c2.7-1.7 5.5-1.7 8-.5V19c-2.5-1.2-5.3-1.2-8 .5-2.7-1.7-5.5-1.7-8-.5zM12 6v13.5" />
        </svg>
    }
}

/// The lesson panel, while the run is a script with narration.
#[component]
pub fn LessonPanel() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let body_ref = use_node_ref();
    let lang = store.class.lang;
    {
        // A presenter's clicker sends PageDown and PageUp: Next and Back.
        let store = store.clone();
        let active = store.class.lesson.is_some();
        use_effect_with(active, move |&active| {
            let listener = active
                .then(web_sys::window)
                .flatten()
                .and_then(|w| w.document())
                .map(|doc| {
                    let opts = gloo_events::EventListenerOptions::enable_prevent_default();
                    gloo_events::EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        let action = match e.key().as_str() {
                            "PageDown" => ClassAction::Next,
                            "PageUp" => ClassAction::Back,
                            _ => return,
                        };
                        if typing_or_sliding(e.target()) {
                            return;
                        }
                        e.prevent_default();
                        store.dispatch(Action::Class(action));
                    })
                });
            move || drop(listener)
        });
    }
    {
        // A new page starts at its top; at a quiz, the question shows.
        let page = {
            let e = store.engine();
            e.player().map(|p| (p.stop(), p.quiz().is_some()))
        };
        let name = store.class.lesson.as_ref().and_then(|l| l.name);
        let body_ref = body_ref.clone();
        use_effect_with((page, name), move |(page, _)| {
            if let Some(b) = body_ref.cast::<web_sys::Element>() {
                let at_quiz = page.is_some_and(|(_, q)| q);
                b.set_scroll_top(if at_quiz { b.scroll_height() } else { 0 });
            }
        });
    }
    let Some(lesson) = store.class.lesson.clone() else {
        return html! {};
    };
    let engine = store.engine();
    let Some(player) = engine.player() else {
        return html! {};
    };
    let at = place(&engine, &lesson);
    let k = player.stop();
    let stops = lesson.stops;
    let playing = lesson.goal.is_some() && store.playback.playing;
    let finished = matches!(at, Place::End)
        || (matches!(at, Place::AtStop(_)) && player.finished() && k == stops);
    let title = player
        .title(lang)
        .map(str::to_string)
        .or(lesson.name.map(str::to_string))
        .unwrap_or_else(|| Key::PanelLesson.text(lang).to_string());
    let notes: Vec<String> = player.notes(lang).into_iter().map(str::to_string).collect();
    let quiz = player.quiz().cloned();
    // The answer of the quiz just before this page, once the simulation has shown it.
    let reveal = player
        .reveals()
        .last()
        .filter(|(i, _, _)| *i + 1 == k || (finished && *i == k))
        .map(|(i, a, s)| (*i, a.to_string(), s.to_string()));
    let error = engine.script_error().map(str::to_string);
    let index = lesson
        .name
        .and_then(|n| LESSONS.iter().position(|l| l.name == n));
    let next_lesson = index.and_then(|i| LESSONS.get(i + 1)).map(|l| l.name);
    drop(engine);

    let dispatch = |a: ClassAction| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Class(a.clone())))
    };
    let at_stop = matches!(at, Place::AtStop(_));
    let dots = (0..=stops).map(|i| {
        let class = classes!(
            "dot",
            (i < k || (i == k && at_stop)).then_some("done"),
            (i == k).then_some("here"),
            (i == k + 1 && playing).then_some("next")
        );
        let title = if i == 0 {
            Key::LessonStartAt.text(lang).to_string()
        } else {
            tr(Key::StopOf, lang, &[&i.to_string(), &stops.to_string()])
        };
        html! { <li class={class} {title} /> }
    });
    let stop_text = if finished {
        Key::LessonEnd.text(lang).to_string()
    } else if k == 0 {
        Key::LessonStartAt.text(lang).to_string()
    } else {
        tr(Key::StopOf, lang, &[&k.to_string(), &stops.to_string()])
    };
    let place_attr = match at {
        Place::AtStop(_) => "stop",
        Place::After(_) => "after",
        Place::End => "end",
    };

    let quiz_card = quiz.as_ref().filter(|_| at_stop).map(|q| {
        let picked = lesson.picks.get(&k).cloned();
        let choices = q.choices.iter().map(|c| {
            let on = picked.as_deref() == Some(c.as_str());
            let onclick = dispatch(ClassAction::Pick {
                stop: k,
                choice: c.clone(),
            });
            html! {
                <button class={classes!("choice", on.then_some("on"))} data-choice={c.clone()}
                    aria-pressed={on.to_string()} {onclick}>
                    { choice_label(&q.answer, c, lang) }
                </button>
            }
        });
        html! {
            <div class="quiz-card" data-quiz={k.to_string()}>
                <div class="quiz-head">
                    <span class="quiz-badge">{ Key::Quiz.text(lang) }</span>
                    <p class="question">{ q.question.get(lang).to_string() }</p>
                </div>
                <div class="choices" role="group" aria-label={Key::YourAnswer.text(lang)}>{ for choices }</div>
                <p class="muted small">{ Key::QuizPick.text(lang) }</p>
            </div>
        }
    });
    let reveal_card = reveal.map(|(i, _answer, shown)| {
        let picked = lesson.picks.get(&i).cloned();
        let shown_label = answer_label(&shown, lang);
        let (class, text) = match &picked {
            Some(p) if *p == shown => ("right", tr(Key::Correct, lang, &[&shown_label])),
            Some(p) => (
                "wrong",
                tr(Key::Wrong, lang, &[&answer_label(p, lang), &shown_label]),
            ),
            None => ("none", tr(Key::QuizNoAnswer, lang, &[&shown_label])),
        };
        let mark = match class {
            "right" => "✓",
            "wrong" => "✗",
            _ => "→",
        };
        html! {
            <div class={classes!("reveal-card", class)} data-reveal={shown.clone()} data-verdict={class} role="status">
                <span class="mark" aria-hidden="true">{ mark }</span>
                <span>{ text }</span>
            </div>
        }
    });
    let body_hint = if playing {
        Some(Key::LessonPlaying)
    } else if k == 0 && at_stop && notes.is_empty() {
        Some(Key::LessonStart)
    } else if matches!(at, Place::After(_)) {
        Some(Key::LessonOff)
    } else {
        None
    };
    let next_label = if quiz.is_some() && at_stop {
        Key::ShowAnswer
    } else {
        Key::Next
    };
    let back_disabled = k == 0 && !matches!(at, Place::After(_)) && !finished;
    let end_card = finished.then(|| {
        html! {
            <div class="end-card" data-lesson-end="">
                <strong>{ Key::LessonEnd.text(lang) }</strong>
                if let Some(n) = next_lesson {
                    <button class="link-btn" data-action="next-lesson" onclick={dispatch(ClassAction::OpenLesson(n))}>
                        { tr(Key::LessonNext, lang, &[&lesson_title(n, lang)]) }{ arrow(false) }
                    </button>
                }
            </div>
        }
    });
    html! {
        <section class={classes!("lesson-panel", playing.then_some("playing"))} aria-label={Key::PanelLesson.text(lang)}
            data-lesson={lesson.name.unwrap_or_default()} data-stop={k.to_string()} data-place={place_attr}>
            <header class="lesson-head">
                <div class="eyebrow">
                    { book_icon() }
                    <span>{ Key::PanelLesson.text(lang) }</span>
                    if let Some(i) = index {
                        <span class="count">{ format!("{}/{}", i + 1, LESSONS.len()) }</span>
                    }
                    <button class="close" data-action="close-lesson" title={Key::LessonClose.text(lang)}
                        aria-label={Key::LessonClose.text(lang)} onclick={dispatch(ClassAction::CloseLesson)}>{ "×" }</button>
                </div>
                <h2 data-lesson-title="">{ title }</h2>
                <div class="progress">
                    <ol class="dots" aria-hidden="true">{ for dots }</ol>
                    <span class="stop-of" data-stop-of="">{ stop_text }</span>
                </div>
            </header>
            <div class="lesson-body" aria-live="polite" ref={body_ref}>
                { for reveal_card }
                { for notes.iter().map(|n| html! { <p class="note">{ n.clone() }</p> }) }
                { for quiz_card }
                if let Some(hint) = body_hint {
                    <p class="hint">{ hint.text(lang) }</p>
                }
                if let Some(e) = error {
                    <p class="script-error" role="alert">{ tr(Key::ScriptStopped, lang, &[&e]) }</p>
                }
                { for end_card }
            </div>
            <footer class="lesson-nav">
                <button class="nav-btn" data-action="lesson-back" title={Key::BackTitle.text(lang)}
                    disabled={back_disabled} onclick={dispatch(ClassAction::Back)}>
                    { arrow(true) }<span>{ Key::Back.text(lang) }</span>
                </button>
                <button class="nav-btn primary" data-action="lesson-next" title={Key::NextTitle.text(lang)}
                    disabled={finished} onclick={dispatch(ClassAction::Next)}>
                    <span>{ next_label.text(lang) }</span>{ arrow(false) }
                </button>
            </footer>
        </section>
    }
}

fn lesson_title(name: &str, lang: Lang) -> String {
    lessons::find(name)
        .and_then(|l| {
            Player::new(l.name, l.src, RunOptions::default())
                .ok()?
                .title(lang)
                .map(str::to_string)
        })
        .unwrap_or_else(|| name.to_string())
}

/// The lesson picker (a dialog).
#[component]
pub fn LessonPicker() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    if !store.class.picker {
        return html! {};
    }
    let lang = store.class.lang;
    let current = store.class.lesson.as_ref().and_then(|l| l.name);
    let close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Class(ClassAction::Picker(false)))
        })
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    let items = catalogue(lang).into_iter().enumerate().map(|(i, info)| {
        let onclick = {
            let store = store.clone();
            let name = info.name;
            Callback::from(move |_: MouseEvent| {
                store.dispatch(Action::Class(ClassAction::OpenLesson(name)))
            })
        };
        let on = current == Some(info.name);
        let mut meta = tr(Key::LessonStops, lang, &[&info.stops.to_string()]);
        if info.quizzes > 0 {
            meta.push_str(" · ");
            meta.push_str(&if info.quizzes == 1 {
                Key::LessonQuizOne.text(lang).to_string()
            } else {
                tr(Key::LessonQuizzes, lang, &[&info.quizzes.to_string()])
            });
        }
        html! {
            <li>
                <button class={classes!("lesson-item", on.then_some("on"))} data-open-lesson={info.name} {onclick}>
                    <span class="num">{ i + 1 }</span>
                    <span class="what">
                        <span class="t">{ info.title }</span>
                        <span class="meta">{ meta }<code>{ info.name }</code></span>
                    </span>
                    { arrow(false) }
                </button>
            </li>
        }
    });
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal lessons-modal" role="dialog" aria-modal="true" aria-labelledby="lessons-title" id="lesson-picker" onclick={stop}>
                <header>
                    <h2 id="lessons-title">{ Key::LessonsTitle.text(lang) }</h2>
                    <button class="close" aria-label={Key::Close.text(lang)} onclick={close}>{ "×" }</button>
                </header>
                <p class="muted">{ Key::LessonsIntro.text(lang) }</p>
                <ol class="lesson-list">{ for items }</ol>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_titles_in_both_languages() {
        let en = catalogue(Lang::En);
        let zh = catalogue(Lang::Zh);
        assert_eq!(en.len(), LESSONS.len());
        for (e, z) in en.iter().zip(&zh) {
            assert_ne!(e.title, e.name, "{} has no title", e.name);
            assert_ne!(e.title, z.title, "{} is titled the same in both", e.name);
            assert!(e.stops > 0, "{} has no stops", e.name);
        }
        assert_eq!(en[0].name, "startup-3");
    }

    #[test]
    fn answers_read_in_the_page_language() {
        assert_eq!(answer_label("none", Lang::Zh), "没有");
        assert_eq!(answer_label("c3", Lang::Zh), "c3");
        assert_eq!(
            choice_label(&QuizAnswer::Leader(None), "2", Lang::En),
            "server 2"
        );
        assert_eq!(choice_label(&QuizAnswer::Notified(1), "3", Lang::En), "3");
    }
}
