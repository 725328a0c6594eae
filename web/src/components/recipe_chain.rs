//! The recipe view: the children of a recipe's root drawn as a chain in sequence order, with an
//! arrow from each candidate's node to the node it watches, the leader (or lock holder)
//! marked, and what each leader change cost in watch notifications. A side-by-side mode runs
//! the naive and the herd-free election on the same seed, so that the herd effect shows: the
//! leader leaves, and one candidate wakes up on the left, all the others on the right.

use std::collections::BTreeMap;

use yew::prelude::*;
use zkplay_core::recipe::{GroupView, MemberView, RecipeKind, Role, Variant, groups};

use crate::engine::{Engine, Origin};
use crate::hooks::use_frame_loop;
use crate::i18n::{Key, Lang, tr};
use crate::lesson_state::{ClassAction, Goal, advance_toward, boost, step_to_stop};
use crate::store::{Action, BASE_RATE, MAX_FRAME_MS, PanelHandle};

/// Candidates in the side-by-side runs.
pub const DUO_CANDIDATES: usize = 5;

/// The last path segment: `n_0000000003` of `/election/n_0000000003`.
pub fn leaf(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The members that have a node, in sequence order (the order of the chain).
pub fn chain_order(g: &GroupView) -> Vec<&MemberView> {
    let mut ms: Vec<&MemberView> = g.members.iter().filter(|m| m.node.is_some()).collect();
    ms.sort_by(|a, b| {
        leaf(a.node.as_deref().unwrap_or("")).cmp(leaf(b.node.as_deref().unwrap_or("")))
    });
    ms
}

/// The script of one side of the side-by-side comparison: `n` candidates on a 3-server
/// ensemble, then the leader leaves `n - 1` times (a stop before each departure).
pub fn duo_script(variant: Variant, n: usize, seed: u64) -> String {
    let kind = match variant {
        Variant::HerdFree => "herd-free",
        Variant::Naive => "naive",
        Variant::NaiveChildren => "naive-children",
    };
    let mut s = format!(
        "servers 3\nconfig tickTime=200 initLimit=10 syncLimit=5\nnetwork latency=5..15ms seed={seed}\nstart\n"
    );
    let names: Vec<String> = (1..=n).map(|i| format!("c{i}")).collect();
    for (i, c) in names.iter().enumerate() {
        s.push_str(&format!("connect {c} to {}\n", i % 3 + 1));
    }
    s.push_str(&format!("recipe election {kind} {}\n", names.join(" ")));
    for c in names.iter().take(n.saturating_sub(1)) {
        s.push_str(&format!("pause\n{c}: close\n"));
    }
    s.push_str("pause\n");
    s
}

#[derive(Properties, PartialEq)]
struct ChainProps {
    group: GroupView,
    /// Unique among the chains on the page (SVG ids).
    id: AttrValue,
    lang: Lang,
}

const BOX_W: f64 = 118.0;
const BOX_H: f64 = 50.0;
const GAP: f64 = 30.0;
const ROOT_W: f64 = 100.0;

/// One group drawn as a chain.
#[component]
fn Chain(props: &ChainProps) -> Html {
    let g = &props.group;
    let lang = props.lang;
    let ms = chain_order(g);
    let index: BTreeMap<&str, usize> = ms
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((m.node.as_deref()?, i)))
        .collect();
    let x_of = |i: usize| ROOT_W + GAP + i as f64 * (BOX_W + GAP) + BOX_W / 2.0;
    let root_x = ROOT_W / 2.0;
    // Arcs above the boxes: height grows with the span.
    let spans: Vec<(usize, Option<usize>)> = ms
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let w = m.watches.as_deref()?;
            if w == g.root {
                Some((i, None))
            } else {
                index.get(w).map(|&j| (i, Some(j)))
            }
        })
        .collect();
    let arc_h = |span: f64| (16.0 + 13.0 * span).min(120.0);
    let top = 14.0
        + spans
            .iter()
            .map(|(i, j)| {
                let from = x_of(*i);
                let to = j.map_or(root_x, x_of);
                arc_h(((from - to).abs() / (BOX_W + GAP)).max(1.0))
            })
            .fold(16.0, f64::max);
    let width = x_of(ms.len().max(1) - 1) + BOX_W / 2.0 + 8.0;
    let height = top + BOX_H + 40.0;
    let latest = g.changes.last();
    let woken: Vec<&str> = latest
        .filter(|c| c.from.is_some())
        .map(|c| c.notified.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let marker = format!("arrow-{}", props.id);
    let arcs = spans.iter().map(|(i, j)| {
        let from = x_of(*i);
        let to = j.map_or(root_x, x_of);
        let h = arc_h(((from - to).abs() / (BOX_W + GAP)).max(1.0));
        let (x1, x2) = (from - 10.0, to + 10.0);
        let d = format!(
            "M{x1:.1},{top:.1} C{x1:.1},{:.1} {x2:.1},{:.1} {x2:.1},{:.1}",
            top - h,
            top - h,
            top - 3.0
        );
        let m = ms[*i];
        html! {
            <path class={classes!("watch-arc", (j.is_none()).then_some("to-root"))} d={d}
                marker-end={format!("url(#{marker})")}
                data-watch-from={leaf(m.node.as_deref().unwrap_or("")).to_string()}
                data-watch-to={leaf(m.watches.as_deref().unwrap_or("")).to_string()} />
        }
    });
    let boxes = ms.iter().enumerate().map(|(i, m)| {
        let x = x_of(i) - BOX_W / 2.0;
        let node = leaf(m.node.as_deref().unwrap_or("")).to_string();
        let first = m.role.is_first();
        let class = classes!(
            "cand",
            first.then_some("leader"),
            m.suspended.then_some("suspended"),
            woken.contains(&m.name.as_str()).then_some("woken")
        );
        let role = match m.role {
            Role::Leader => Key::RecipeLeader,
            Role::Holder => Key::RecipeHolder,
            Role::Joining => Key::RecipeJoining,
            Role::Waiting => Key::RecipeWaiting,
            Role::Left => Key::RecipeLeft,
            Role::Lost => Key::RecipeLost,
        };
        html! {
            <g class={class} data-client={m.name.clone()} data-node={node.clone()} data-role={m.role.name()}
                data-watches={m.watches.as_deref().map(|w| leaf(w).to_string())}
                data-notified={m.notifications.to_string()}>
                <rect x={format!("{x:.1}")} y={format!("{top:.1}")} width={BOX_W.to_string()} height={BOX_H.to_string()} rx="10" />
                <text class="node" x={format!("{:.1}", x + BOX_W / 2.0)} y={format!("{:.1}", top + 20.0)}>{ node }</text>
                <text class="who" x={format!("{:.1}", x + BOX_W / 2.0)} y={format!("{:.1}", top + 39.0)}>
                    { if first { format!("★ {}", m.name) } else { m.name.clone() } }
                </text>
                <text class="role" x={format!("{:.1}", x + BOX_W / 2.0)} y={format!("{:.1}", top + BOX_H + 17.0)}>{ role.text(lang) }</text>
                if m.notifications > 0 {
                    <g class="bell">
                        <circle cx={format!("{:.1}", x + BOX_W - 4.0)} cy={format!("{:.1}", top + 4.0)} r="10" />
                        <text x={format!("{:.1}", x + BOX_W - 4.0)} y={format!("{:.1}", top + 8.5)}>{ m.notifications }</text>
                        <title>{ tr(Key::RecipeNotified, lang, &[&m.notifications.to_string()]) }</title>
                    </g>
                }
            </g>
        }
    });
    let first_key = if g.kind == RecipeKind::Lock {
        Key::RecipeFirstHolder
    } else {
        Key::RecipeFirstLeader
    };
    let changes = g.changes.iter().map(|c| match &c.from {
        None => html! { <li class="first" data-change-first={c.to.clone()}>{ tr(first_key, lang, &[&c.to]) }</li> },
        Some((from, _)) => {
            let n = c.notifications();
            html! {
                <li data-change-notified={n.to_string()} class={classes!((n > 1).then_some("herd"))}>
                    <span>{
                        if n == 1 {
                            tr(Key::ChangeCostOne, lang, &[from, &c.to])
                        } else {
                            tr(Key::ChangeCost, lang, &[from, &c.to, &n.to_string()])
                        }
                    }</span>
                    <span class="tally" aria-hidden="true">{ for (0..n.min(40)).map(|_| html! { <i /> }) }</span>
                </li>
            }
        }
    });
    let total: usize = g.changes.iter().map(|c| c.notifications()).sum();
    let variant = match g.kind {
        RecipeKind::Election(Variant::HerdFree) => Key::RecipeHerdFree,
        RecipeKind::Election(Variant::Naive) => Key::RecipeNaive,
        RecipeKind::Election(Variant::NaiveChildren) => Key::RecipeNaiveChildren,
        RecipeKind::Lock => Key::RecipeLock,
    };
    let changes_title = if g.kind == RecipeKind::Lock {
        Key::RecipeHolderChanges
    } else {
        Key::RecipeChanges
    };
    html! {
        <div class="chain" data-recipe={g.kind.name()} data-root={g.root.clone()}>
            <div class="chain-head">
                <code class="root">{ g.root.clone() }</code>
                <span class="variant">{ variant.text(lang) }</span>
            </div>
            <div class="chain-scroll">
                <svg class="chain-svg" viewBox={format!("0 0 {width:.0} {height:.0}")}
                    width={format!("{width:.0}")} height={format!("{height:.0}")} role="img" aria-label={g.root.clone()}>
                    <defs>
                        <marker id={marker.clone()} viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" />
                        </marker>
                    </defs>
                    <g class="rootbox">
                        <rect x="0" y={format!("{top:.1}")} width={ROOT_W.to_string()} height={BOX_H.to_string()} rx="10" />
                        <text x={format!("{root_x:.1}")} y={format!("{:.1}", top + 30.0)}>{ g.root.clone() }</text>
                    </g>
                    { for ms.iter().enumerate().map(|(i, _)| {
                        let x = x_of(i) - BOX_W / 2.0 - GAP;
                        html! { <line class="rail" x1={format!("{x:.1}")} x2={format!("{:.1}", x + GAP)}
                            y1={format!("{:.1}", top + BOX_H / 2.0)} y2={format!("{:.1}", top + BOX_H / 2.0)} /> }
                    }) }
                    { for arcs }
                    { for boxes }
                </svg>
            </div>
            <div class="changes">
                <h4>{ changes_title.text(lang) }</h4>
                <ol>{ for changes }</ol>
                <p class="total" data-total-notified={total.to_string()}>{
                    if total == 1 {
                        Key::RecipeTotalOne.text(lang).to_string()
                    } else {
                        tr(Key::RecipeTotal, lang, &[&total.to_string()])
                    }
                }</p>
            </div>
        </div>
    }
}

/// The two runs of the side-by-side comparison and where they are heading.
struct Duo {
    seed: u64,
    sides: Vec<(Engine, BTreeMap<usize, u64>)>,
    now: f64,
    goal: Option<usize>,
    transit_ms: f64,
}

impl Duo {
    fn new(seed: u64) -> Duo {
        let sides = [Variant::HerdFree, Variant::Naive]
            .into_iter()
            .filter_map(|v| {
                let mut e = Engine::new(Origin::Script {
                    file: "recipe.zks".into(),
                    src: duo_script(v, DUO_CANDIDATES, seed),
                })
                .ok()?;
                step_to_stop(&mut e, 1);
                Some((e, BTreeMap::new()))
            })
            .collect::<Vec<_>>();
        let now = sides
            .iter()
            .map(|(e, _)| e.sim().now().0 as f64)
            .fold(0.0, f64::max);
        Duo {
            seed,
            sides,
            now,
            goal: None,
            transit_ms: 0.0,
        }
    }

    fn stop(&self) -> usize {
        self.sides
            .iter()
            .filter_map(|(e, _)| e.player().map(|p| p.stop()))
            .min()
            .unwrap_or(0)
    }

    fn last_stop(&self) -> usize {
        self.sides
            .first()
            .and_then(|(e, _)| e.player().map(|p| p.stops()))
            .unwrap_or(0)
    }

    /// One frame toward the goal; true while still on the way.
    fn frame(&mut self, dt_ms: f64, speed: f64) -> bool {
        let Some(k) = self.goal else {
            return false;
        };
        let dt = dt_ms.clamp(0.0, MAX_FRAME_MS);
        self.transit_ms += dt;
        let target = self.now + dt * BASE_RATE * speed * boost(self.transit_ms);
        let mut all = true;
        let mut shown = target;
        for (e, positions) in &mut self.sides {
            let (t, done) = advance_toward(e, self.now, target, Goal::Stop(k), positions);
            all &= done;
            if !done {
                shown = shown.min(t);
            }
        }
        self.now = if all {
            self.sides
                .iter()
                .map(|(e, _)| e.sim().now().0 as f64)
                .fold(self.now, f64::max)
        } else {
            shown.max(self.now)
        };
        if all {
            self.goal = None;
        }
        !all
    }
}

/// The side-by-side comparison.
#[component]
fn SideBySide() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let lang = store.class.lang;
    let seed = store.engine().sim().config().seed;
    let duo = use_mut_ref(|| None::<Duo>);
    let tick = use_state(|| 0u64);
    if duo.borrow().as_ref().is_none_or(|d| d.seed != seed) {
        *duo.borrow_mut() = Some(Duo::new(seed));
    }
    let playing = duo.borrow().as_ref().is_some_and(|d| d.goal.is_some());
    let speed = store.playback.speed;
    let on_frame = {
        let duo = duo.clone();
        let tick = tick.clone();
        Callback::from(move |dt: f64| {
            if let Some(d) = duo.borrow_mut().as_mut() {
                d.frame(dt, speed);
            }
            tick.set(*tick + 1);
        })
    };
    use_frame_loop(playing, on_frame);
    let leave = {
        let duo = duo.clone();
        let tick = tick.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = duo.borrow_mut().as_mut()
                && d.goal.is_none()
                && d.stop() < d.last_stop()
            {
                d.goal = Some(d.stop() + 1);
                d.transit_ms = 0.0;
            }
            tick.set(*tick + 1);
        })
    };
    let restart = {
        let duo = duo.clone();
        let tick = tick.clone();
        Callback::from(move |_: MouseEvent| {
            *duo.borrow_mut() = Some(Duo::new(seed));
            tick.set(*tick + 1);
        })
    };
    let d = duo.borrow();
    let Some(d) = d.as_ref() else {
        return html! {};
    };
    let views = d.sides.iter().enumerate().map(|(i, (e, _))| {
        let group = groups(e.sim()).into_iter().next();
        let side = if i == 0 { "herd-free" } else { "naive" };
        html! {
            <div class="duo-side" data-side={side}>
                if let Some(g) = group {
                    <Chain group={g} id={AttrValue::from(format!("duo-{side}"))} {lang} />
                }
            </div>
        }
    });
    let done = d.stop() >= d.last_stop();
    html! {
        <div class="duo" data-duo-stop={d.stop().to_string()} data-duo-playing={playing.to_string()}>
            <p class="muted small">{ tr(Key::SideBySideIntro, lang, &[&DUO_CANDIDATES.to_string()]) }</p>
            <div class="duo-bar">
                <button class="primary" data-action="leader-leaves" title={Key::LeaderLeavesTitle.text(lang)}
                    disabled={playing || done} onclick={leave}>{ Key::LeaderLeaves.text(lang) }</button>
                <button data-action="duo-restart" onclick={restart}>{ Key::Restart2.text(lang) }</button>
                if playing {
                    <span class="muted small">{ Key::SideRunning.text(lang) }</span>
                } else if done {
                    <span class="muted small">{ Key::NoLeaderLeft.text(lang) }</span>
                }
                <span class="muted small duo-seed">{ format!("{} {}", Key::Seed.text(lang), seed) }</span>
            </div>
            <div class="duo-grid">{ for views }</div>
        </div>
    }
}

/// The Recipe tab.
#[component]
pub fn RecipeView() -> Html {
    let store = use_context::<PanelHandle>().expect("the panels' store is provided by App");
    let lang = store.class.lang;
    let side = store.class.side_by_side;
    let gs = groups(store.engine().sim());
    let toggle = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Class(ClassAction::SideBySide(!side)))
        })
    };
    let open_lesson = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Class(ClassAction::OpenLesson("recipe-election")))
        })
    };
    let body = if side {
        html! { <SideBySide /> }
    } else if gs.is_empty() {
        html! {
            <div class="recipe-empty">
                <p class="muted">{ Key::RecipeEmpty.text(lang) }</p>
                <button data-action="open-recipe-lesson" onclick={open_lesson}>{ Key::RecipeOpenLesson.text(lang) }</button>
            </div>
        }
    } else {
        html! {
            <>
                <p class="muted small">{ Key::RecipeIntro.text(lang) }</p>
                { for gs.into_iter().enumerate().map(|(i, g)| html! {
                    <Chain group={g} id={AttrValue::from(format!("run-{i}"))} {lang} />
                }) }
            </>
        }
    };
    html! {
        <div class="recipe-view" data-recipe-view={if side { "side-by-side" } else { "run" }}>
            <div class="recipe-bar">
                <button class={classes!("toggle", side.then_some("on"))} data-action="side-by-side"
                    aria-pressed={side.to_string()} onclick={toggle}>
                    { if side { Key::SideBySideOff.text(lang) } else { Key::SideBySideOn.text(lang) } }
                </button>
            </div>
            { body }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_duo() -> Duo {
        let mut d = Duo::new(7);
        assert_eq!(d.sides.len(), 2);
        assert_eq!(d.stop(), 1);
        d.goal = Some(2);
        for _ in 0..5000 {
            if !d.frame(16.0, 1.0) {
                break;
            }
        }
        assert_eq!(d.stop(), 2);
        d
    }

    #[test]
    fn side_by_side_shows_one_notification_against_n_minus_one() {
        let d = run_duo();
        let herd_free = &groups(d.sides[0].0.sim())[0];
        let naive = &groups(d.sides[1].0.sim())[0];
        assert_eq!(herd_free.kind, RecipeKind::Election(Variant::HerdFree));
        assert_eq!(naive.kind, RecipeKind::Election(Variant::Naive));
        let last = |g: &GroupView| g.changes.last().map(|c| c.notifications());
        assert_eq!(last(herd_free), Some(1));
        assert_eq!(last(naive), Some(DUO_CANDIDATES - 1));
        // Herd-free: each candidate watches its predecessor in the chain.
        let chain = chain_order(herd_free);
        assert_eq!(chain.len(), DUO_CANDIDATES - 1);
        assert!(chain[0].role.is_first());
        for w in chain.windows(2) {
            assert_eq!(w[1].watches, w[0].node);
        }
        // Naive: everyone watches the leader.
        let chain = chain_order(naive);
        for m in &chain[1..] {
            assert_eq!(m.watches, chain[0].node);
        }
    }

    #[test]
    fn leaves() {
        assert_eq!(leaf("/election/n_0000000003"), "n_0000000003");
        assert_eq!(leaf("x"), "x");
        let s = duo_script(Variant::Naive, 3, 9);
        assert!(
            s.contains("recipe election naive c1 c2 c3\npause\nc1: close\n"),
            "{s}"
        );
        assert!(zkplay_core::script::parse(&s).is_ok());
    }
}
