//! The classroom side of the store: the page's language, the lesson being walked through
//! (Next and Back from stop to stop, quiz answers), share links, the scenario editor's text,
//! and the recipe view's mode. [`SimStore`] holds one [`Classroom`]; its actions are
//! [`ClassAction`]s, reduced here.
//!
//! A lesson is a script with narration (`title`, `note`, `pause`, `quiz`): the engine plays it
//! like any script, event by event. *Next* plays on, with the animation, until the player
//! reaches the next stop (or the end), and stops exactly there; *Back* goes to the previous
//! stop through the engine's timeline. Any script with narration gets the lesson panel, the
//! catalogue's lessons ([`zkplay_core::lessons`]) also have a name for links.

use std::collections::BTreeMap;
use std::rc::Rc;

use zkplay_core::lessons;

use crate::engine::{Engine, Origin};
use crate::i18n::Lang;
use crate::link::{self, OpenError};
use crate::share;
use crate::store::{BASE_RATE, MAX_FRAME_MS, STEPS_PER_FRAME, SimStore, Tab};

/// After this long (real ms) on the way to a stop, playback speeds up, doubling every
/// [`BOOST_DOUBLING_MS`]: a long wait (a session timeout) still takes only a few seconds.
pub const BOOST_AFTER_MS: f64 = 1500.0;
/// See [`BOOST_AFTER_MS`].
pub const BOOST_DOUBLING_MS: f64 = 350.0;
/// The most steps stepping to a stop may take (opening a lesson link).
pub const MAX_STOP_STEPS: u64 = 2_000_000;

/// Where Next is heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The stop with this index (1-based).
    Stop(usize),
    /// The end of the script.
    End,
}

/// A script with narration being walked through.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// The catalogue name, for a lesson of the catalogue.
    pub name: Option<&'static str>,
    /// How many stops the script has.
    pub stops: usize,
    /// Known positions of stops (stop index → position); 0 is the start.
    pub positions: BTreeMap<usize, u64>,
    /// Where Next is heading, while it plays.
    pub goal: Option<Goal>,
    /// Real ms since Next was pressed.
    pub transit_ms: f64,
    /// The user's answers: quiz stop → the choice.
    pub picks: BTreeMap<usize, String>,
}

impl Lesson {
    /// The lesson for `engine`'s script, if it has narration.
    pub fn for_engine(engine: &Engine) -> Option<Lesson> {
        let Origin::Script { src, .. } = engine.origin() else {
            return None;
        };
        let player = engine.player()?;
        let narrated = player
            .script()
            .lines
            .iter()
            .any(|l| l.directive.is_narration());
        if !narrated {
            return None;
        }
        let name = lessons::LESSONS
            .iter()
            .find(|l| l.src == src.as_str())
            .map(|l| l.name);
        Some(Lesson {
            name,
            stops: player.stops(),
            positions: BTreeMap::from([(0, 0)]),
            goal: None,
            transit_ms: 0.0,
            picks: BTreeMap::new(),
        })
    }
}

/// A message about a link the page could not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkNotice {
    /// The link is bad.
    Bad(share::LinkError),
    /// It names a lesson that does not exist.
    UnknownLesson(String),
    /// Its script does not parse (`file:line:col: message`); the editor has the script.
    Script(String),
}

/// The classroom state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Classroom {
    /// The page's language.
    pub lang: Lang,
    /// The lesson, when the run is a script with narration.
    pub lesson: Option<Lesson>,
    /// A link that could not be opened.
    pub notice: Option<LinkNotice>,
    /// The lesson picker is open.
    pub picker: bool,
    /// The share box is open, with this link.
    pub share: Option<String>,
    /// Whether the link went to the clipboard (`None` until the browser says).
    pub copied: Option<bool>,
    /// The editor's text when it differs from the script running.
    pub draft: Option<String>,
    /// Why the draft did not run (`file:line:col: message`).
    pub draft_error: Option<String>,
    /// The recipe view shows naive and herd-free side by side.
    pub side_by_side: bool,
}

impl Classroom {
    /// What carries over to a new run: everything but the lesson (a new one is found for a
    /// script with narration; a restarted lesson keeps its answers).
    pub fn for_engine(&self, engine: &Engine) -> Classroom {
        let mut lesson = Lesson::for_engine(engine);
        if let (Some(new), Some(old)) = (&mut lesson, &self.lesson)
            && new.name.is_some()
            && new.name == old.name
        {
            new.picks = old.picks.clone();
        }
        Classroom {
            lesson,
            share: None,
            ..self.clone()
        }
    }
}

/// The classroom's actions.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassAction {
    /// Switch the language.
    SetLang(Lang),
    /// Open a lesson of the catalogue at its start.
    OpenLesson(&'static str),
    /// Open a link's fragment (with or without `#`).
    OpenLink(String),
    /// Play on to the next stop.
    Next,
    /// Back to the previous stop.
    Back,
    /// Answer the quiz at a stop.
    Pick {
        /// The stop.
        stop: usize,
        /// The choice.
        choice: String,
    },
    /// Leave the lesson (the run stays).
    CloseLesson,
    /// Open or close the lesson picker.
    Picker(bool),
    /// Show the share box with this link, or close it.
    Share(Option<String>),
    /// The clipboard took the link, or refused it.
    Copied(bool),
    /// The editor's text changed.
    EditDraft(String),
    /// Run the editor's text.
    ApplyDraft,
    /// Throw the draft away: the editor shows the script running.
    RevertDraft,
    /// Dismiss the link message.
    DismissNotice,
    /// The recipe view's side-by-side mode.
    SideBySide(bool),
}

/// The position at which stop `k` is reached on `engine`'s timeline (the first position
/// whose stop count is `k`), found by going there; the engine is left there. `None` if the
/// run has no player or never gets to stop `k`.
pub fn seek_stop(engine: &mut Engine, k: usize, hint: Option<u64>) -> Option<u64> {
    engine.player()?;
    let stop_at = |e: &mut Engine, p: u64| {
        e.seek(p);
        e.player().map_or(0, |pl| pl.stop())
    };
    if k == 0 {
        engine.seek(0);
        return Some(0);
    }
    if let Some(p) = hint
        && p <= engine.horizon()
        && stop_at(engine, p) == k
        && (p == 0 || stop_at(engine, p - 1) < k)
    {
        engine.seek(p);
        return Some(p);
    }
    // Stops only grow along a timeline: the first position with stop ≥ k.
    let (mut lo, mut hi) = (0u64, engine.horizon());
    if stop_at(engine, hi) < k {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if stop_at(engine, mid) >= k {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    engine.seek(lo);
    (engine.player()?.stop() == k).then_some(lo)
}

/// Steps `engine` until its player has reached stop `k` (or the script ends, fails, or
/// [`MAX_STOP_STEPS`] pass). Returns the stop reached.
pub fn step_to_stop(engine: &mut Engine, k: usize) -> usize {
    let mut n = 0;
    while let Some(p) = engine.player() {
        if p.stop() >= k || p.finished() || engine.script_error().is_some() || n >= MAX_STOP_STEPS {
            break;
        }
        if !engine.step() {
            break;
        }
        n += 1;
    }
    engine.player().map_or(0, |p| p.stop())
}

/// True once `goal` is reached (or can no longer be: the script failed).
pub fn reached(engine: &Engine, goal: Goal) -> bool {
    let Some(p) = engine.player() else {
        return true;
    };
    if engine.script_error().is_some() {
        return true;
    }
    match goal {
        Goal::Stop(k) => p.stop() >= k || p.finished(),
        Goal::End => p.finished(),
    }
}

/// Where the lesson stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Exactly at stop `k` (0: the start).
    AtStop(usize),
    /// On the way from stop `k` (or after it, e.g. after stepping by hand).
    After(usize),
    /// The script has run to its end.
    End,
}

/// Where `lesson` stands on `engine`.
pub fn place(engine: &Engine, lesson: &Lesson) -> Place {
    let Some(p) = engine.player() else {
        return Place::End;
    };
    let k = p.stop();
    if lesson.goal.is_none() && lesson.positions.get(&k) == Some(&engine.pos()) {
        return Place::AtStop(k);
    }
    if p.finished() || engine.script_error().is_some() {
        return Place::End;
    }
    Place::After(k)
}

/// The boost of playback speed after `transit_ms` real ms on the way to a stop.
pub fn boost(transit_ms: f64) -> f64 {
    if transit_ms > BOOST_AFTER_MS {
        2f64.powf(((transit_ms - BOOST_AFTER_MS) / BOOST_DOUBLING_MS).min(30.0))
    } else {
        1.0
    }
}

/// Plays `engine` from the time shown, `now`, toward `target` (ms), one step at a time, at
/// most [`STEPS_PER_FRAME`] steps, stopping at once when `goal` is reached. Records in
/// `positions` the stops passed. Returns the time to show and whether the goal was reached
/// (the time is then exactly the time of the stop's step).
pub fn advance_toward(
    engine: &mut Engine,
    mut now: f64,
    target: f64,
    goal: Goal,
    positions: &mut BTreeMap<usize, u64>,
) -> (f64, bool) {
    let mut done = reached(engine, goal);
    if !done {
        for _ in 0..STEPS_PER_FRAME {
            let before = engine.pos();
            let stop_before = engine.player().map_or(0, |p| p.stop());
            now = engine.advance(now, target, 1);
            if engine.pos() == before {
                break;
            }
            if let Some(p) = engine.player()
                && p.stop() == stop_before + 1
            {
                positions.insert(p.stop(), engine.pos());
            }
            if reached(engine, goal) {
                done = true;
                break;
            }
        }
    }
    if done {
        // Stand exactly at the stop: the time of its step (what a link to it shows).
        now = engine.sim().now().0 as f64;
    }
    (now, done)
}

/// A frame while Next plays toward a stop: like the store's frame, but one step at a time so
/// that it stops exactly at the stop, and faster the longer the way. `None` when no lesson is
/// playing toward a stop (the store's own frame runs).
pub fn frame(store: &SimStore, dt_ms: f64) -> Option<SimStore> {
    let goal = store.class.lesson.as_ref()?.goal?;
    if !store.playback.playing {
        return None;
    }
    let mut next = store.changed();
    let dt = dt_ms.clamp(0.0, MAX_FRAME_MS);
    let lesson = next.class.lesson.as_mut()?;
    lesson.transit_ms += dt;
    let now = next.playback.now;
    let target = now + dt * BASE_RATE * next.playback.speed * boost(lesson.transit_ms);
    let (now, done) = advance_toward(
        &mut next.engine.borrow_mut(),
        now,
        target,
        goal,
        &mut lesson.positions,
    );
    if done {
        lesson.goal = None;
        next.playback.playing = false;
    }
    next.playback.now = now;
    Some(next)
}

/// Replaces the run with a decoded link's run; a link that cannot be opened leaves the
/// default scenario and a message.
fn open_link(store: &SimStore, fragment: &str) -> SimStore {
    let opened = share::decode(fragment)
        .map_err(OpenError::Link)
        .and_then(link::open);
    let mut next = match opened {
        Ok(None) => return store.changed(),
        Ok(Some(o)) => {
            let mut next = store.replace_engine(o.engine, crate::scenario::Scenario::default());
            let playground = match next.engine().origin() {
                Origin::Scenario(sc) => Some(sc.clone()),
                Origin::Script { .. } => None,
            };
            if let Some(sc) = playground {
                next.ui.scenario = sc;
            }
            next.playback.now = o.time;
            if let Some(lang) = o.lang {
                next.class.lang = lang;
            }
            if let Some(tab) = o.tab {
                next.ui.tab = tab;
            }
            if let Some(lesson) = &mut next.class.lesson {
                // Known stops on the way (a lesson link stands at its stop).
                let engine = next.engine.borrow();
                if let (Some((_, _)), Some(p)) = (o.lesson, engine.player()) {
                    lesson.positions.insert(p.stop(), engine.pos());
                }
            }
            next.class.notice = None;
            next
        }
        Err(e) => {
            let mut next = store.replace_engine(
                Engine::default_scenario(),
                crate::scenario::Scenario::default(),
            );
            next.class.notice = Some(match e {
                OpenError::Link(e) => LinkNotice::Bad(e),
                OpenError::UnknownLesson(n) => {
                    next.class.picker = true;
                    LinkNotice::UnknownLesson(n)
                }
                OpenError::Script { error, script } => {
                    next.class.draft = Some(script);
                    next.class.draft_error = Some(error.clone());
                    next.ui.tab = Tab::Script;
                    LinkNotice::Script(error)
                }
            });
            next
        }
    };
    next.class.share = None;
    next
}

/// The share link's fragment (without `#`) for what `store` shows.
pub fn share_fragment(store: &SimStore) -> String {
    let engine = store.engine();
    let lang = store.class.lang;
    if let Some(lesson) = &store.class.lesson
        && let Some(name) = lesson.name
        && let Place::AtStop(k) = place(&engine, lesson)
        && engine.applied_acts().next().is_none()
        && store.playback.now == engine.sim().now().0 as f64
    {
        let view = if store.ui.tab == Tab::Events {
            ""
        } else {
            store.ui.tab.id()
        };
        return share::encode_lesson_view(name, k as u32, lang, view);
    }
    share::encode(&link::scenario_of(
        &engine,
        store.playback.now,
        lang,
        store.ui.tab,
    ))
}

/// Reduces a classroom action.
pub fn reduce(store: Rc<SimStore>, action: ClassAction) -> Rc<SimStore> {
    let next = match action {
        ClassAction::SetLang(lang) => {
            let mut next = (*store).clone();
            next.class.lang = lang;
            next.class.share = None;
            next
        }
        ClassAction::OpenLesson(name) => {
            let mut next = open_link(&store, &share::encode_lesson(name, 0, store.class.lang));
            next.class.picker = false;
            next
        }
        ClassAction::OpenLink(fragment) => open_link(&store, &fragment),
        ClassAction::Next => {
            let Some(stops) = store.class.lesson.as_ref().map(|l| l.stops) else {
                return store;
            };
            if let Some(goal) = store.class.lesson.as_ref().and_then(|l| l.goal) {
                // Next again while playing: straight to the stop.
                let mut next = store.changed();
                let found = {
                    let mut engine = next.engine.borrow_mut();
                    let mut n = 0;
                    while !reached(&engine, goal) && n < MAX_STOP_STEPS && engine.step() {
                        n += 1;
                    }
                    engine.player().map(|p| (p.stop(), engine.pos()))
                };
                next.playback.playing = false;
                let now = next.engine().sim().now().0 as f64;
                next.playback.now = now;
                if let Some(l) = &mut next.class.lesson {
                    l.goal = None;
                    if let (Goal::Stop(k), Some((stop, pos))) = (goal, found)
                        && stop == k
                    {
                        l.positions.insert(k, pos);
                    }
                }
                return Rc::new(next);
            }
            let goal = {
                let engine = store.engine();
                match engine.player() {
                    Some(p) if !p.finished() && engine.script_error().is_none() => {
                        Some(if p.stop() < stops {
                            Goal::Stop(p.stop() + 1)
                        } else {
                            Goal::End
                        })
                    }
                    _ => None,
                }
            };
            let Some(goal) = goal else {
                return store;
            };
            let mut next = store.changed();
            if let Some(l) = &mut next.class.lesson {
                l.goal = Some(goal);
                l.transit_ms = 0.0;
            }
            next.playback.playing = true;
            next
        }
        ClassAction::Back => {
            let Some(lesson) = store.class.lesson.clone() else {
                return store;
            };
            let k = match place(&store.engine(), &lesson) {
                Place::AtStop(k) => k.saturating_sub(1),
                Place::After(k) => k,
                Place::End => store.engine().player().map_or(0, |p| p.stop()),
            };
            let mut next = store.changed();
            next.playback.playing = false;
            let found = {
                let mut engine = next.engine.borrow_mut();
                let hint = lesson.positions.get(&k).copied();
                seek_stop(&mut engine, k, hint)
            };
            let now = next.engine().sim().now().0 as f64;
            next.playback.now = now;
            if let Some(l) = &mut next.class.lesson {
                l.goal = None;
                if let Some(p) = found {
                    l.positions.insert(k, p);
                }
            }
            next
        }
        ClassAction::Pick { stop, choice } => {
            let mut next = (*store).clone();
            if let Some(l) = &mut next.class.lesson {
                l.picks.insert(stop, choice);
            }
            next
        }
        ClassAction::CloseLesson => {
            let mut next = (*store).clone();
            next.class.lesson = None;
            next
        }
        ClassAction::Picker(open) => {
            let mut next = (*store).clone();
            next.class.picker = open;
            next
        }
        ClassAction::Share(link) => {
            let mut next = (*store).clone();
            next.class.share = link;
            next.class.copied = None;
            next
        }
        ClassAction::Copied(ok) => {
            let mut next = (*store).clone();
            next.class.copied = Some(ok);
            next
        }
        ClassAction::EditDraft(text) => {
            let mut next = (*store).clone();
            next.class.draft = Some(text);
            next
        }
        ClassAction::ApplyDraft => {
            let Some(src) = store.class.draft.clone() else {
                return store;
            };
            let origin = match link::playground_of(&src) {
                Some(sc) => Origin::Scenario(sc),
                None => Origin::Script {
                    file: "script.zks".into(),
                    src: src.clone(),
                },
            };
            match Engine::new(origin) {
                Ok(engine) => {
                    let sc = match engine.origin() {
                        Origin::Scenario(sc) => sc.clone(),
                        _ => store.ui.scenario.clone(),
                    };
                    let mut next = store.replace_engine(engine, sc);
                    next.class.draft = None;
                    next.class.draft_error = None;
                    next
                }
                Err(e) => {
                    let mut next = (*store).clone();
                    next.class.draft_error = Some(e);
                    next
                }
            }
        }
        ClassAction::RevertDraft => {
            let mut next = (*store).clone();
            next.class.draft = None;
            next.class.draft_error = None;
            next
        }
        ClassAction::DismissNotice => {
            let mut next = (*store).clone();
            next.class.notice = None;
            next
        }
        ClassAction::SideBySide(on) => {
            let mut next = (*store).clone();
            next.class.side_by_side = on;
            next
        }
    };
    Rc::new(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Action;
    use yew::Reducible;
    use zkplay_core::ServerState;

    fn states(s: &SimStore) -> String {
        s.engine()
            .sim()
            .server_states()
            .into_iter()
            .map(|(id, st)| format!("{}:{}", id.0, st.name()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Frames of 16 ms until Next has arrived (at most `max` frames).
    fn play(mut s: Rc<SimStore>, max: usize) -> Rc<SimStore> {
        for _ in 0..max {
            if !s.playback.playing {
                break;
            }
            s = s.reduce(Action::Frame { dt_ms: 16.0 });
        }
        assert!(!s.playback.playing, "Next did not arrive in {max} frames");
        s
    }

    fn class(s: Rc<SimStore>, a: ClassAction) -> Rc<SimStore> {
        s.reduce(Action::Class(a))
    }

    #[test]
    fn next_walks_startup_3_stop_by_stop_and_back_returns() {
        let s = class(
            Rc::new(SimStore::new()),
            ClassAction::OpenLesson("startup-3"),
        );
        let lesson = s.class.lesson.clone().expect("a lesson");
        assert_eq!(lesson.name, Some("startup-3"));
        assert_eq!(lesson.stops, 5);
        assert_eq!(place(&s.engine(), &lesson), Place::AtStop(0));
        let mut s = s;
        let mut seen = Vec::new();
        for k in 1..=5 {
            s = play(class(s, ClassAction::Next), 3000);
            let l = s.class.lesson.clone().unwrap();
            assert_eq!(place(&s.engine(), &l), Place::AtStop(k));
            assert_eq!(s.playback.now, s.engine().sim().now().0 as f64);
            seen.push((s.engine().pos(), s.playback.now, states(&s)));
        }
        // Stop 2 is the quiz "who becomes leader?".
        s = class(s, ClassAction::Back);
        s = class(s, ClassAction::Back);
        s = class(s, ClassAction::Back);
        let l = s.class.lesson.clone().unwrap();
        assert_eq!(place(&s.engine(), &l), Place::AtStop(2));
        assert!(s.engine().player().unwrap().quiz().is_some());
        assert_eq!(
            (s.engine().pos(), s.playback.now, states(&s)),
            seen[1].clone()
        );
        s = class(
            s,
            ClassAction::Pick {
                stop: 2,
                choice: "3".into(),
            },
        );
        s = play(class(s, ClassAction::Next), 3000);
        let r: Vec<(usize, String, String)> = s
            .engine()
            .player()
            .unwrap()
            .reveals()
            .into_iter()
            .map(|(i, a, sh)| (i, a.to_string(), sh.to_string()))
            .collect();
        assert_eq!(r, [(2, "2".to_string(), "2".to_string())]);
        assert_eq!(
            s.class
                .lesson
                .as_ref()
                .unwrap()
                .picks
                .get(&2)
                .map(String::as_str),
            Some("3")
        );
        // On to the end: 2 leads, 1 and 3 follow.
        for _ in 0..4 {
            s = play(class(s, ClassAction::Next), 3000);
        }
        assert_eq!(
            place(&s.engine(), s.class.lesson.as_ref().unwrap()),
            Place::End
        );
        assert_eq!(states(&s), "1:FOLLOWING 2:LEADING 3:FOLLOWING");
        let engine = s.engine();
        let leaders = engine
            .sim()
            .servers()
            .iter()
            .filter(|x| x.state == ServerState::Leading)
            .count();
        assert_eq!(leaders, 1);
    }

    #[test]
    fn a_lesson_link_opens_at_its_stop_and_shares_the_same_link() {
        let s = class(
            Rc::new(SimStore::new()),
            ClassAction::OpenLink("#lesson=startup-3&step=3&lang=zh".into()),
        );
        assert_eq!(s.class.lang, Lang::Zh);
        let l = s.class.lesson.clone().unwrap();
        assert_eq!(place(&s.engine(), &l), Place::AtStop(3));
        assert_eq!(share_fragment(&s), "lesson=startup-3&step=3&lang=zh");
        let r = s.clone().reduce(Action::SetTab(Tab::Recipe));
        let f = share_fragment(&r);
        assert_eq!(f, "lesson=startup-3&step=3&lang=zh&view=recipe");
        let o = class(Rc::new(SimStore::new()), ClassAction::OpenLink(f));
        assert_eq!(o.ui.tab, Tab::Recipe);
        assert_eq!(o.engine().pos(), s.engine().pos());
        // The same place as walking there with Next.
        let mut w = class(
            Rc::new(SimStore::new()),
            ClassAction::OpenLesson("startup-3"),
        );
        for _ in 0..3 {
            w = play(class(w, ClassAction::Next), 3000);
        }
        assert_eq!(w.engine().pos(), s.engine().pos());
        assert_eq!(w.playback.now, s.playback.now);
        assert_eq!(states(&w), states(&s));
        // Back from a link finds the earlier stops.
        let b = class(s, ClassAction::Back);
        assert_eq!(
            place(&b.engine(), b.class.lesson.as_ref().unwrap()),
            Place::AtStop(2)
        );
    }

    #[test]
    fn between_stops_the_link_is_a_scenario_that_reopens_as_the_lesson() {
        let mut s = class(
            Rc::new(SimStore::new()),
            ClassAction::OpenLesson("startup-3"),
        );
        s = play(class(s, ClassAction::Next), 3000);
        s = s.reduce(Action::StepN(17));
        let f = share_fragment(&s);
        assert!(f.starts_with("v=1&z="), "{f}");
        let o = class(Rc::new(SimStore::new()), ClassAction::OpenLink(f));
        assert_eq!(o.engine().pos(), s.engine().pos());
        assert_eq!(o.playback.now, s.playback.now);
        assert_eq!(states(&o), states(&s));
        assert_eq!(
            o.class.lesson.as_ref().and_then(|l| l.name),
            Some("startup-3")
        );
    }

    #[test]
    fn bad_links_show_a_message_and_the_default_scenario() {
        let start = Rc::new(SimStore::new());
        for bad in [
            "#v=9&z=AAAA",
            "#v=1&z=%%%",
            "#v=1&z=AAAA",
            "#hello",
            "#lesson=nope",
            "#lesson=startup-3&step=x",
        ] {
            let s = class(start.clone(), ClassAction::OpenLink(bad.into()));
            assert!(s.class.notice.is_some(), "{bad}");
            assert_eq!(s.engine().pos(), 0);
            assert_eq!(s.engine().sim().servers().len(), 5, "{bad}");
            assert!(s.class.lesson.is_none());
        }
        let s = class(start.clone(), ClassAction::OpenLink("#lesson=nope".into()));
        assert!(s.class.picker, "an unknown lesson opens the list");
        let s = class(s, ClassAction::DismissNotice);
        assert!(s.class.notice.is_none());
    }

    #[test]
    fn the_draft_survives_an_error_and_runs_when_fixed() {
        let s = class(
            Rc::new(SimStore::new()),
            ClassAction::EditDraft("servers 3\nstart 1 2 x\n".into()),
        );
        let s = class(s, ClassAction::ApplyDraft);
        assert_eq!(s.class.draft.as_deref(), Some("servers 3\nstart 1 2 x\n"));
        let err = s.class.draft_error.clone().unwrap();
        assert!(err.starts_with("script.zks:2:"), "{err}");
        assert_eq!(s.engine().sim().servers().len(), 5, "the run is kept");
        let s = class(s, ClassAction::EditDraft("servers 3\nstart 1 2 3\n".into()));
        let s = class(s, ClassAction::ApplyDraft);
        assert!(s.class.draft.is_none() && s.class.draft_error.is_none());
        assert_eq!(s.engine().sim().servers().len(), 3);
        assert!(s.class.lesson.is_none(), "no narration, no lesson");
    }

    #[test]
    fn every_lesson_walks_to_its_end_with_next() {
        for l in lessons::LESSONS {
            let mut s = class(Rc::new(SimStore::new()), ClassAction::OpenLesson(l.name));
            let stops = s.class.lesson.as_ref().unwrap().stops;
            for k in 1..=stops + 1 {
                s = play(class(s, ClassAction::Next), 20_000);
                let want = if k > stops {
                    Place::End
                } else {
                    Place::AtStop(k)
                };
                assert_eq!(
                    place(&s.engine(), s.class.lesson.as_ref().unwrap()),
                    want,
                    "{} at {k}",
                    l.name
                );
            }
            assert!(s.engine().script_error().is_none(), "{}", l.name);
        }
    }
}
