//! The timeline under the ring: leadership epochs as bands, elections between them, marks
//! for commits, crashes, partitions and drops, and a cursor to drag through time.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::controls::format_ms;
use crate::engine::{Engine, MarkKind};
use crate::i18n::{Key, Lang, tr};
use crate::store::{Action, SimHandle};

/// The position under a pointer at `client_x` on a track spanning `left..left+width`, for a
/// timeline of `horizon` positions.
pub fn pos_at(client_x: f64, left: f64, width: f64, horizon: u64) -> u64 {
    if width <= 0.0 {
        return 0;
    }
    let f = ((client_x - left) / width).clamp(0.0, 1.0);
    (f * horizon as f64).round() as u64
}

/// A mark's class and description in `lang`.
pub fn mark_info(kind: &MarkKind, lang: Lang) -> (&'static str, String) {
    let t = |k: Key, a: &str| tr(k, lang, &[a]);
    match kind {
        MarkKind::Leader(id) => ("leader", t(Key::MarkLeader, &id.to_string())),
        MarkKind::Commit(z) => ("commit", t(Key::MarkCommit, &z.to_string())),
        MarkKind::Crash(id) => ("crash", t(Key::MarkCrash, &id.to_string())),
        MarkKind::Restart(id) => ("restart", t(Key::MarkRestart, &id.to_string())),
        MarkKind::Partition => ("partition", t(Key::MarkCut, "")),
        MarkKind::Heal => ("heal", t(Key::MarkHealed, "")),
        MarkKind::Drop => ("drop", t(Key::MarkDrop, "")),
        MarkKind::Client => ("client", t(Key::MarkClient, "")),
    }
}

fn pct(p: u64, h: u64) -> f64 {
    p as f64 / h.max(1) as f64 * 100.0
}

/// Which half of the timeline's drawing a [`Bands`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Leadership bands (under the part of the timeline still to come).
    Bands,
    /// Marks (over it).
    Marks,
}

/// Properties of [`Bands`]: what its drawing depends on, so that moving along the timeline
/// (a seek, a step) does not draw the bands and marks of a long run again.
#[derive(Properties, Clone)]
pub struct BandsProps {
    /// The run (read, not compared: the fields below say when it changed).
    pub engine: Rc<RefCell<Engine>>,
    /// The furthest position reached.
    pub horizon: u64,
    /// Language.
    pub lang: Lang,
    /// Bumped by every fork.
    pub generation: u64,
    /// Number of marks.
    pub marks: usize,
    /// Number of bands.
    pub bands: usize,
    /// The last band is still open.
    pub open_band: bool,
    /// What to draw.
    pub part: Part,
    /// Go to a position (a click on a mark).
    #[prop_or_default]
    pub on_seek: Callback<u64>,
}

impl PartialEq for BandsProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &o.engine)
            && (
                self.horizon,
                self.lang,
                self.generation,
                self.marks,
                self.bands,
            ) == (o.horizon, o.lang, o.generation, o.marks, o.bands)
            && (self.open_band, self.part) == (o.open_band, o.part)
            && self.on_seek == o.on_seek
    }
}

/// The bands or the marks of the timeline.
#[component]
pub fn Bands(props: &BandsProps) -> Html {
    let e = props.engine.borrow();
    let (horizon, lang) = (props.horizon, props.lang);
    let h = horizon.max(1);
    // Drawn in SVG with percentages: the page's CSP forbids inline styles.
    let bands = e.bands().iter().map(|b| {
        let end = b.end.unwrap_or(horizon);
        let (l, w) = (pct(b.start, h), pct(end.saturating_sub(b.start), h));
        let band = tr(
            Key::TlBand,
            lang,
            &[&b.epoch.to_string(), &b.leader.to_string()],
        );
        let label = if w > 9.0 {
            band.clone()
        } else if w > 3.0 {
            format!("e{}", b.epoch)
        } else {
            String::new()
        };
        html! {
            <g class="band" data-epoch={b.epoch.to_string()}>
                <title>{ format!("{band} · {}–{}", b.start, end) }</title>
                <rect x={format!("{l:.3}%")} y="6" width={format!("{w:.3}%")} height="24" />
                <line x1={format!("{l:.3}%")} x2={format!("{l:.3}%")} y1="6" y2="30" />
                if !label.is_empty() {
                    <text x={format!("{:.3}%", l + 0.4)} y="22">{ label }</text>
                }
            </g>
        }
    });
    // Many commits in a row would hide the rest: keep one per 0.25 %.
    let mut last_commit = -1.0;
    let marks = e.marks().iter().filter_map(|m| {
        let x = pct(m.pos, h);
        if matches!(m.kind, MarkKind::Commit(_)) {
            if x - last_commit < 0.25 {
                return None;
            }
            last_commit = x;
        }
        let (class, text) = mark_info(&m.kind, lang);
        let seek = {
            let on_seek = props.on_seek.clone();
            let p = m.pos;
            Callback::from(move |ev: MouseEvent| {
                ev.stop_propagation();
                on_seek.emit(p);
            })
        };
        let down = Callback::from(|ev: PointerEvent| ev.stop_propagation());
        let xs = format!("{x:.3}%");
        let shape = match class {
            "commit" => html! { <line x1={xs.clone()} x2={xs.clone()} y1="9" y2="27" /> },
            "leader" => html! { <circle cx={xs.clone()} cy="30" r="4.5" /> },
            "partition" | "heal" => html! { <rect x={xs.clone()} y="1" width="8" height="8" transform="translate(-4,0)" /> },
            _ => html! { <circle cx={xs.clone()} cy="6" r="5" /> },
        };
        Some(html! {
            <g class={classes!("mark", class)} data-mark={class} onclick={seek} onpointerdown={down}>
                <title>{ tr(Key::MarkAt, lang, &[&m.pos.to_string(), &text]) }</title>
                <rect class="mark-hit" x={xs} y="0" width="10" height="36" transform="translate(-5,0)" />
                { shape }
            </g>
        })
    });
    match props.part {
        Part::Bands => html! { <>{ for bands }</> },
        Part::Marks => html! { <>{ for marks }</> },
    }
}

/// The timeline.
#[component]
pub fn Timeline() -> Html {
    let store = use_context::<SimHandle>().expect("the store is provided by App");
    let track = use_node_ref();
    let scrubbing = use_state(|| false);
    let lang = store.class.lang;
    let e = store.engine();
    let (pos, horizon) = (e.pos(), e.horizon());
    let h = horizon.max(1);
    let seek_to = {
        let store = store.clone();
        let track = track.clone();
        move |x: f64| {
            if let Some(el) = track.cast::<web_sys::Element>() {
                let r = el.get_bounding_client_rect();
                let horizon = store.engine().horizon();
                store.dispatch(Action::Seek(pos_at(x, r.left(), r.width(), horizon)));
            }
        }
    };
    let onpointerdown = {
        let seek_to = seek_to.clone();
        let scrubbing = scrubbing.clone();
        let track = track.clone();
        Callback::from(move |ev: PointerEvent| {
            if ev.button() != 0 {
                return;
            }
            if let Some(el) = track.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
            scrubbing.set(true);
            seek_to(ev.client_x() as f64);
        })
    };
    let onpointermove = {
        let scrubbing = scrubbing.clone();
        Callback::from(move |ev: PointerEvent| {
            if *scrubbing {
                seek_to(ev.client_x() as f64);
            }
        })
    };
    let stop = {
        let scrubbing = scrubbing.clone();
        Callback::from(move |_: PointerEvent| scrubbing.set(false))
    };
    let onkeydown = {
        let store = store.clone();
        Callback::from(move |ev: KeyboardEvent| {
            let horizon = store.engine().horizon();
            let pos = store.engine().pos();
            let step = (horizon / 20).max(1);
            let target = match ev.key().as_str() {
                "Home" => 0,
                "End" => horizon,
                "PageUp" => pos.saturating_sub(step),
                "PageDown" => (pos + step).min(horizon),
                _ => return,
            };
            ev.prevent_default();
            store.dispatch(Action::Seek(target));
        })
    };

    let on_seek = {
        let store = store.clone();
        use_callback((), move |p: u64, _| store.dispatch(Action::Seek(p)))
    };
    let cur = pct(pos, h);
    let t_now = e.time_at(pos);
    let t_end = e.time_at(horizon);
    html! {
        <div class="timeline" data-timeline="">
            <div class="tl-head">
                <span class="tl-title">{ Key::PanelTimeline.text(lang) }</span>
                <span class="tl-legend">
                    <span class="lg band-lg">{ Key::TlLeader.text(lang) }</span>
                    <span class="lg elect-lg">{ Key::TlElecting.text(lang) }</span>
                    <span class="lg commit-lg">{ Key::TlCommit.text(lang) }</span>
                    <span class="lg crash-lg">{ Key::TlCrash.text(lang) }</span>
                    <span class="lg partition-lg">{ Key::TlCutHeal.text(lang) }</span>
                </span>
                <span class="tl-hint">{ Key::TlHint.text(lang) }</span>
            </div>
            <div class="track" ref={track} role="slider" tabindex="0"
                aria-label={Key::TimelinePosition.text(lang)} aria-valuemin="0" aria-valuemax={horizon.to_string()} aria-valuenow={pos.to_string()}
                {onpointerdown} {onpointermove} onpointerup={stop.clone()} onpointercancel={stop} {onkeydown}>
                <svg class="tl-svg" width="100%" height="36" aria-hidden="true">
                    <defs>
                        <pattern id="electing" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="8" height="8" class="el-bg" />
                            <rect width="3" height="8" class="el-stripe" />
                        </pattern>
                    </defs>
                    <rect class="lane" x="0" y="6" width="100%" height="24" rx="6" />
                    <Bands engine={store.engine.clone()} {horizon} {lang} generation={e.generation()}
                        marks={e.marks().len()} bands={e.bands().len()} open_band={e.bands().last().is_some_and(|b| b.end.is_none())} part={Part::Bands} />
                    <rect class="future" x={format!("{cur:.3}%")} y="6" width={format!("{:.3}%", 100.0 - cur)} height="24" />
                    <Bands engine={store.engine.clone()} {horizon} {lang} generation={e.generation()}
                        marks={e.marks().len()} bands={e.bands().len()} open_band={e.bands().last().is_some_and(|b| b.end.is_none())} part={Part::Marks} {on_seek} />
                    <line class="cursor" x1={format!("{cur:.3}%")} x2={format!("{cur:.3}%")} y1="2" y2="34" />
                    <circle class="knob" cx={format!("{cur:.3}%")} cy="4" r="5.5" />
                </svg>
            </div>
            <div class="tl-foot">
                <span>{ "0 ms" }</span>
                <span class="tl-now">{ tr(Key::TlStepAt, lang, &[&pos.to_string(), &format_ms(t_now as f64)]) }</span>
                <span>{ tr(Key::TlStepAt, lang, &[&horizon.to_string(), &format_ms(t_end as f64)]) }</span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_positions_map_to_steps() {
        assert_eq!(pos_at(100.0, 100.0, 500.0, 1000), 0);
        assert_eq!(pos_at(350.0, 100.0, 500.0, 1000), 500);
        assert_eq!(pos_at(900.0, 100.0, 500.0, 1000), 1000);
        assert_eq!(pos_at(50.0, 100.0, 500.0, 1000), 0);
        assert_eq!(pos_at(50.0, 100.0, 0.0, 1000), 0);
    }
}
