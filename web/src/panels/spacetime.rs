//! The space-time diagram: one horizontal lane per server (and optionally per client), time
//! running left to right, one arrow per message from (sender, sent_at) to (receiver,
//! delivered_at), labelled by kind; lost messages end in a cross where they were dropped,
//! messages still in flight end at their position now. Each lane is tinted by the server's
//! state over time.
//!
//! [`SpanLog`] collects the messages from the event log incrementally; [`layout`] turns the
//! ones in a [`Window`] into [`Arrow`]s with plain geometry (tested natively);
//! [`SpaceTimePanel`] draws them as SVG and reports hovers (`on_hover`) so that the ring can
//! highlight the same message, and highlights `highlight` in turn.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::event::{Event as SimEvent, EventKind};
use zkplay_core::msg::Node;
use zkplay_core::sim::{Input, MsgId};
use zkplay_core::{ServerId, ServerState, Sim};

use super::{LogCursor, Names};

/// User-facing strings, in English ([`EN_TEXT`]) and Simplified Chinese ([`ZH_TEXT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub pings: &'static str,
    pub dropped: &'static str,
    pub in_flight: &'static str,
    pub held: &'static str,
    pub ms: &'static str,
    pub window: &'static str,
    pub empty: &'static str,
    pub label: &'static str,
}

/// The diagram in English.
pub const EN_TEXT: Texts = Texts {
    zoom_in: "zoom in",
    zoom_out: "zoom out",
    pings: "pings",
    dropped: "lost",
    in_flight: "in flight",
    held: "held",
    ms: "ms",
    window: "window",
    empty: "No messages in this window.",
    label: "space-time diagram",
};

/// The diagram in Simplified Chinese.
pub const ZH_TEXT: Texts = Texts {
    zoom_in: "放大",
    zoom_out: "缩小",
    pings: "心跳",
    dropped: "丢失",
    in_flight: "在途",
    held: "已扣住",
    ms: "毫秒",
    window: "时间窗",
    empty: "这个时间窗里没有消息。",
    label: "时空图",
};

/// The diagram's strings in `lang`.
pub fn texts(lang: crate::i18n::Lang) -> &'static Texts {
    match lang {
        crate::i18n::Lang::En => &EN_TEXT,
        crate::i18n::Lang::Zh => &ZH_TEXT,
    }
}

/// How a message's life ended (so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Still on its way (or held).
    InFlight,
    /// Delivered at this time (event index).
    Delivered {
        /// Simulated ms.
        at: u64,
        /// Event index.
        index: usize,
    },
    /// Lost at this time.
    Dropped {
        /// Simulated ms.
        at: u64,
        /// Event index.
        index: usize,
        /// Why (`lost`, `dropped by hand`, `server crashed`).
        why: &'static str,
    },
}

/// One message's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Its id.
    pub id: MsgId,
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// Kind (`NOTIFICATION`, `PROPOSAL`, `getData`, …).
    pub kind: &'static str,
    /// Key fields (`LOOKING 2 0x0 r1 e0`).
    pub detail: String,
    /// Sent at (ms).
    pub sent_at: u64,
    /// Scheduled arrival (ms).
    pub deliver_at: u64,
    /// Index of its Sent event.
    pub index: usize,
    /// How it ended.
    pub end: End,
}

impl Span {
    /// Keep-alive traffic.
    pub fn is_ping(&self) -> bool {
        matches!(self.kind, "PING" | "ping" | "pong")
    }
}

/// A server's state change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    /// Event index.
    pub index: usize,
    /// When.
    pub at: u64,
    /// Which server.
    pub server: ServerId,
    /// Its new state.
    pub state: ServerState,
}

/// Every message and state change read from the event log so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanLog {
    spans: Vec<Span>,
    by_id: BTreeMap<u64, usize>,
    states: Vec<StateChange>,
    holds: Vec<(usize, u64, bool)>,
    /// (index of the ending event, span), in event order.
    ends: Vec<(usize, usize)>,
    cursor: LogCursor,
}

// Events hold no floating-point values, so equality is reflexive; `Eq` lets `Rc<SpanLog>`
// props compare by pointer first.
impl Eq for SpanLog {}

impl SpanLog {
    /// Empty.
    pub fn new() -> SpanLog {
        SpanLog::default()
    }

    /// Messages, in sending order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// State changes, in order.
    pub fn states(&self) -> &[StateChange] {
        &self.states
    }

    /// Number of events read.
    pub fn len(&self) -> usize {
        self.cursor.seen()
    }

    /// True before any event was read.
    pub fn is_empty(&self) -> bool {
        self.cursor.seen() == 0
    }

    /// The message with id `id`.
    pub fn span(&self, id: MsgId) -> Option<&Span> {
        self.by_id.get(&id.0).map(|&i| &self.spans[i])
    }

    /// Held by hand now (a Hold with no Release after it).
    pub fn is_held(&self, id: MsgId) -> bool {
        self.holds
            .iter()
            .rev()
            .find(|(_, m, _)| *m == id.0)
            .is_some_and(|(_, _, hold)| *hold)
    }

    /// Reads the next events of the log (`events[0]` has index [`SpanLog::len`]).
    pub fn extend(&mut self, events: &[SimEvent]) {
        for e in events {
            self.push(e);
        }
    }

    /// Forgets the events from index `n` on. Costs what is forgotten.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.cursor.seen() {
            return;
        }
        let keep = self.spans.partition_point(|s| s.index < n);
        for s in self.spans.drain(keep..) {
            self.by_id.remove(&s.id.0);
        }
        while let Some(&(end, span)) = self.ends.last() {
            if end < n {
                break;
            }
            if let Some(s) = self.spans.get_mut(span) {
                s.end = End::InFlight;
            }
            self.ends.pop();
        }
        let k = self.states.partition_point(|c| c.index < n);
        self.states.truncate(k);
        let k = self.holds.partition_point(|h| h.0 < n);
        self.holds.truncate(k);
        self.cursor.truncate(n);
    }

    /// Brings the log in line with the whole event log `events`: keeps what is still the
    /// same (see [`LogCursor`]), forgets the rest and reads what is new.
    pub fn sync(&mut self, events: &[SimEvent]) {
        let keep = self.cursor.common_prefix(events);
        self.truncate(keep);
        let from = self.cursor.seen();
        self.extend(&events[from..]);
    }

    fn push(&mut self, e: &SimEvent) {
        let index = self.cursor.seen();
        self.cursor.note(e);
        match &e.kind {
            EventKind::Sent {
                id,
                from,
                to,
                kind,
                deliver_at,
                detail,
            } => {
                self.by_id.insert(id.0, self.spans.len());
                self.spans.push(Span {
                    id: *id,
                    from: *from,
                    to: *to,
                    kind,
                    detail: detail.clone(),
                    sent_at: e.at.0,
                    deliver_at: deliver_at.0,
                    index,
                    end: End::InFlight,
                });
            }
            EventKind::Delivered { id } => {
                if let Some(&i) = self.by_id.get(&id.0) {
                    self.spans[i].end = End::Delivered { at: e.at.0, index };
                    self.ends.push((index, i));
                }
            }
            EventKind::Dropped { id, why } => {
                if let Some(&i) = self.by_id.get(&id.0) {
                    self.spans[i].end = End::Dropped {
                        at: e.at.0,
                        index,
                        why,
                    };
                    self.ends.push((index, i));
                }
            }
            EventKind::StateChanged { server, to, .. } => self.states.push(StateChange {
                index,
                at: e.at.0,
                server: *server,
                state: *to,
            }),
            EventKind::Input(Input::Hold(id)) => self.holds.push((index, id.0, true)),
            EventKind::Input(Input::Release(id)) => self.holds.push((index, id.0, false)),
            _ => {}
        }
    }
}

/// A lane of the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// Whose.
    pub node: Node,
    /// Its label (`server 1`, `c1`).
    pub label: String,
}

/// Lanes for every server of `sim` (id order), then every client if `clients`.
pub fn lanes_for(sim: &Sim, clients: bool) -> Vec<Lane> {
    let names = Names::from_sim(sim);
    let mut ids: Vec<ServerId> = sim.config().ids().to_vec();
    ids.sort();
    let mut lanes: Vec<Lane> = ids
        .into_iter()
        .map(|s| Lane {
            node: Node::Server(s),
            label: names.node(Node::Server(s)),
        })
        .collect();
    if clients {
        lanes.extend(sim.clients().iter().map(|c| Lane {
            node: Node::Client(c.id),
            label: c.name.clone(),
        }));
    }
    lanes
}

/// A time range in simulated ms, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First ms shown.
    pub start: u64,
    /// Last ms shown.
    pub end: u64,
}

impl Window {
    /// `span` ms ending at `now` (starting at 0 until `now` reaches `span`).
    pub fn ending_at(now: u64, span: u64) -> Window {
        let span = span.max(1);
        let end = now.max(span);
        Window {
            start: end - span,
            end,
        }
    }

    /// Length in ms.
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(self.start).max(1)
    }

    /// Never empty (a window is at least 1 ms long).
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// The diagram's geometry in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Total width.
    pub width: f64,
    /// Room for lane labels on the left.
    pub left: f64,
    /// Margin on the right.
    pub right: f64,
    /// Room for the time axis on top.
    pub top: f64,
    /// Distance between lanes.
    pub lane_gap: f64,
}

impl Default for Geometry {
    fn default() -> Geometry {
        Geometry {
            width: 1000.0,
            left: 80.0,
            right: 16.0,
            top: 28.0,
            lane_gap: 36.0,
        }
    }
}

impl Geometry {
    /// Total height for `lanes` lanes.
    pub fn height(&self, lanes: usize) -> f64 {
        self.top + self.lane_gap * lanes.max(1) as f64 + 8.0
    }

    /// The y of lane `i`.
    pub fn lane_y(&self, i: usize) -> f64 {
        self.top + self.lane_gap * (i as f64 + 0.5)
    }

    /// The x of time `t` (ms, fractional allowed) in window `w`.
    pub fn x(&self, w: Window, t: f64) -> f64 {
        let plot = self.width - self.left - self.right;
        self.left + (t - w.start as f64) / w.len() as f64 * plot
    }

    /// The plot's left and right edges.
    pub fn plot_x(&self) -> (f64, f64) {
        (self.left, self.width - self.right)
    }
}

/// How an arrow is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Delivered: solid, with a head.
    Delivered,
    /// Lost: ends in a cross.
    Dropped,
    /// On its way: ends at its position now.
    InFlight,
    /// Held (by hand or behind a cut link), or overdue: dashed.
    Held,
}

impl Fate {
    /// CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Fate::Delivered => "delivered",
            Fate::Dropped => "dropped",
            Fate::InFlight => "inflight",
            Fate::Held => "held",
        }
    }
}

/// One message as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// The message.
    pub id: MsgId,
    /// Its kind.
    pub kind: &'static str,
    /// Tooltip: kind, detail, ends, times, fate.
    pub title: String,
    /// Start (clipped to the window).
    pub x1: f64,
    /// Start y.
    pub y1: f64,
    /// End (clipped to the window).
    pub x2: f64,
    /// End y.
    pub y2: f64,
    /// Sender and receiver are the same lane: drawn as a small arc.
    pub loopback: bool,
    /// How it ended.
    pub fate: Fate,
    /// The end is the real end (not clipped away): draw the head / cross there.
    pub ends_here: bool,
    /// Its label: the kind, or a vote's `(leader, zxid, rN)`.
    pub label: String,
    /// The label has room (it overlaps no other label and the arrow is long enough).
    pub labelled: bool,
}

/// The short label of a message: a vote's `(leader, zxid, rROUND)` (from its detail
/// `LOOKING 2 0x0 r1 e0`), else its kind.
pub fn short_label(kind: &str, detail: &str) -> String {
    if kind == "NOTIFICATION" {
        let w: Vec<&str> = detail.split_whitespace().collect();
        if let [_, leader, zxid, round, ..] = w.as_slice() {
            return format!("({leader}, {zxid}, {round})");
        }
    }
    kind.to_string()
}

/// Width of a label in user units (10 px monospace).
pub const LABEL_CHAR_W: f64 = 6.1;
/// Height of a label in user units.
pub const LABEL_H: f64 = 12.0;

/// Where a label goes: left, top, width, height (just above the arrow's middle).
pub fn label_box(a: &Arrow) -> (f64, f64, f64, f64) {
    let (mx, my) = ((a.x1 + a.x2) / 2.0 + 4.0, (a.y1 + a.y2) / 2.0 - 3.0);
    (
        mx,
        my - LABEL_H + 2.0,
        a.label.chars().count() as f64 * LABEL_CHAR_W,
        LABEL_H,
    )
}

/// Marks which arrows get a label: in order, an arrow at least `min_len` long whose label
/// box overlaps none already placed.
pub fn place_labels(arrows: &mut [Arrow], min_len: f64) {
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for a in arrows.iter_mut() {
        let len = ((a.x2 - a.x1).powi(2) + (a.y2 - a.y1).powi(2)).sqrt();
        let b = label_box(a);
        let free = placed
            .iter()
            .all(|p| b.0 + b.2 <= p.0 || p.0 + p.2 <= b.0 || b.1 + b.3 <= p.1 || p.1 + p.3 <= b.1);
        a.labelled = len >= min_len && free && placed.len() < 200;
        if a.labelled {
            placed.push(b);
        }
    }
}

/// Clips the segment to `xmin..=xmax`; None if nothing is left.
pub fn clip_segment(
    (x1, y1): (f64, f64),
    (x2, y2): (f64, f64),
    xmin: f64,
    xmax: f64,
) -> Option<((f64, f64), (f64, f64))> {
    let (lo, hi) = (x1.min(x2), x1.max(x2));
    if hi < xmin || lo > xmax {
        return None;
    }
    let at = |x: f64| {
        if (x2 - x1).abs() < f64::EPSILON {
            y1
        } else {
            y1 + (y2 - y1) * (x - x1) / (x2 - x1)
        }
    };
    let cx1 = x1.clamp(xmin, xmax);
    let cx2 = x2.clamp(xmin, xmax);
    Some(((cx1, at(cx1)), (cx2, at(cx2))))
}

/// The three corners of an arrowhead of `size` at (x2, y2), pointing along the segment.
pub fn arrowhead(x1: f64, y1: f64, x2: f64, y2: f64, size: f64) -> [(f64, f64); 3] {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x2 - ux * size, y2 - uy * size);
    let (px, py) = (-uy * size * 0.5, ux * size * 0.5);
    [(x2, y2), (bx + px, by + py), (bx - px, by - py)]
}

/// "Nice" tick times (1, 2, 5 × 10^k ms apart), at most about `max` of them, in the window.
pub fn ticks(w: Window, max: usize) -> Vec<u64> {
    let max = max.max(1) as u64;
    let raw = w.len().div_ceil(max).max(1);
    let mut step = 1u64;
    'outer: loop {
        for m in [1, 2, 5] {
            if step * m >= raw {
                step *= m;
                break 'outer;
            }
        }
        step *= 10;
    }
    let first = w.start.div_ceil(step) * step;
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= w.end)
        .collect()
}

/// What [`layout`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Draw pings and pongs too.
    pub pings: bool,
    /// The language of the arrows' titles.
    pub lang: crate::i18n::Lang,
}

/// The arrows of the messages of `log` that cross window `w` between `lanes`, at time `now`.
pub fn layout(
    log: &SpanLog,
    lanes: &[Lane],
    w: Window,
    now: u64,
    g: &Geometry,
    opts: Options,
) -> Vec<Arrow> {
    let t = texts(opts.lang);
    let lane_of: BTreeMap<Node, usize> =
        lanes.iter().enumerate().map(|(i, l)| (l.node, i)).collect();
    let label_of = |n: Node| {
        lane_of
            .get(&n)
            .map(|&i| lanes[i].label.clone())
            .unwrap_or_default()
    };
    let (xmin, xmax) = g.plot_x();
    let mut out = Vec::new();
    for s in log.spans() {
        if s.sent_at > w.end || (s.is_ping() && !opts.pings) {
            continue;
        }
        let (Some(&a), Some(&b)) = (lane_of.get(&s.from), lane_of.get(&s.to)) else {
            continue;
        };
        let held = log.is_held(s.id);
        // Where it ends, at what fraction of its way, and how.
        let (end_t, frac, fate) = match s.end {
            End::Delivered { at, .. } => (at, 1.0, Fate::Delivered),
            End::Dropped { at, .. } => {
                let f = progress(s.sent_at, s.deliver_at, at);
                (at, f, Fate::Dropped)
            }
            End::InFlight if held || now >= s.deliver_at => {
                let f = progress(s.sent_at, s.deliver_at, now).min(0.85);
                (now, f, Fate::Held)
            }
            End::InFlight => (now, progress(s.sent_at, s.deliver_at, now), Fate::InFlight),
        };
        if end_t < w.start {
            continue;
        }
        let (ya, yb) = (g.lane_y(a), g.lane_y(b));
        let x1 = g.x(w, s.sent_at as f64);
        let x2 = g.x(w, end_t as f64);
        let y2 = ya + (yb - ya) * frac;
        let loopback = a == b;
        let Some(((cx1, cy1), (cx2, cy2))) = clip_segment((x1, ya), (x2, y2), xmin, xmax) else {
            continue;
        };
        let ends_here = (cx2 - x2).abs() < 1e-6;
        let fate_text = match fate {
            Fate::Delivered => String::new(),
            Fate::Dropped => match s.end {
                End::Dropped { why, .. } => format!(" — {} ({why})", t.dropped),
                _ => String::new(),
            },
            Fate::InFlight => format!(" — {}", t.in_flight),
            Fate::Held => format!(" — {}", t.held),
        };
        let title = format!(
            "#{} {} {}\n{} → {}\n{}–{} {}{}",
            s.id.0,
            s.kind,
            s.detail,
            label_of(s.from),
            label_of(s.to),
            s.sent_at,
            end_t,
            t.ms,
            fate_text
        );
        out.push(Arrow {
            id: s.id,
            kind: s.kind,
            title,
            x1: cx1,
            y1: cy1,
            x2: cx2,
            y2: cy2,
            loopback,
            fate,
            ends_here,
            label: short_label(s.kind, &s.detail),
            labelled: false,
        });
    }
    place_labels(&mut out, 24.0);
    out
}

fn progress(sent: u64, deliver: u64, t: u64) -> f64 {
    if deliver <= sent {
        1.0
    } else {
        ((t.saturating_sub(sent)) as f64 / (deliver - sent) as f64).clamp(0.0, 1.0)
    }
}

/// Stretches of one server's state inside the window: (from, to, state).
pub fn state_segments(
    changes: &[StateChange],
    server: ServerId,
    w: Window,
    now: u64,
) -> Vec<(u64, u64, ServerState)> {
    let mut out = Vec::new();
    let mut cur: Option<(u64, ServerState)> = None;
    for c in changes.iter().filter(|c| c.server == server) {
        if let Some((t0, st)) = cur {
            push_segment(&mut out, t0, c.at, st, w);
        }
        cur = Some((c.at, c.state));
    }
    if let Some((t0, st)) = cur {
        push_segment(&mut out, t0, now.max(t0), st, w);
    }
    out
}

fn push_segment(
    out: &mut Vec<(u64, u64, ServerState)>,
    t0: u64,
    t1: u64,
    st: ServerState,
    w: Window,
) {
    let (a, b) = (t0.max(w.start), t1.min(w.end));
    if a < b {
        out.push((a, b, st));
    }
}

// ----- component -----

/// Props of [`SpaceTimePanel`].
#[derive(Properties, PartialEq)]
pub struct SpaceTimePanelProps {
    /// The messages ([`SpanLog`], kept in step with the event log by the page).
    pub spans: Rc<SpanLog>,
    /// Lanes, top to bottom ([`lanes_for`]).
    pub lanes: Vec<Lane>,
    /// The simulated time shown (ms).
    pub now: u64,
    /// Window length in ms at zoom 1 (the window ends at `now`).
    #[prop_or(1000)]
    pub span_ms: u64,
    /// The message to highlight (hovered on the ring, or selected).
    #[prop_or_default]
    pub highlight: Option<MsgId>,
    /// The pointer entered (Some) or left (None) a message's arrow.
    #[prop_or_default]
    pub on_hover: Callback<Option<MsgId>>,
    /// A message's arrow was clicked.
    #[prop_or_default]
    pub on_select: Callback<MsgId>,
}

/// The space-time diagram as SVG: lanes tinted by state, time ticks, one arrow per message
/// (`data-arrow="ID"`, `data-kind="KIND"`), zoom and a pings toggle.
#[component]
pub fn SpaceTimePanel(props: &SpaceTimePanelProps) -> Html {
    let zoom = use_state(|| 0i32);
    let pings = use_state(|| false);
    let lang = crate::components::lang::use_lang();
    let t = texts(lang);
    let g = Geometry::default();
    let span = scaled_span(props.span_ms, *zoom);
    let w = Window::ending_at(props.now, span);
    let arrows = layout(
        &props.spans,
        &props.lanes,
        w,
        props.now,
        &g,
        Options {
            pings: *pings,
            lang,
        },
    );
    let height = g.height(props.lanes.len());
    let (xmin, xmax) = g.plot_x();

    let lanes = props.lanes.iter().enumerate().map(|(i, l)| {
        let y = g.lane_y(i);
        let segments = match l.node {
            Node::Server(s) => state_segments(props.spans.states(), s, w, props.now),
            Node::Client(_) => Vec::new(),
        };
        html! {
            <g class="st-lane" data-lane={l.label.clone()}>
                <text class="st-lane-label" x={fmt(xmin - 8.0)} y={fmt(y + 4.0)} text-anchor="end">{ l.label.clone() }</text>
                <line class="st-lane-line" x1={fmt(xmin)} y1={fmt(y)} x2={fmt(xmax)} y2={fmt(y)} />
                { for segments.into_iter().map(|(a, b, st)| html! {
                    <rect class={classes!("st-state", format!("st-{}", st.name().to_lowercase()))}
                        x={fmt(g.x(w, a as f64))} y={fmt(y - 3.0)}
                        width={fmt((g.x(w, b as f64) - g.x(w, a as f64)).max(0.5))} height="6">
                        <title>{ st.name() }</title>
                    </rect>
                }) }
            </g>
        }
    });

    let ticks_html = ticks(w, 8).into_iter().map(|t| {
        let x = g.x(w, t as f64);
        html! {
            <g class="st-tick">
                <line x1={fmt(x)} y1={fmt(g.top - 6.0)} x2={fmt(x)} y2={fmt(height - 8.0)} />
                <text x={fmt(x)} y={fmt(g.top - 10.0)} text-anchor="middle">{ format!("{t}") }</text>
            </g>
        }
    });

    let any = !arrows.is_empty();
    let arrows_html = arrows.into_iter().map(|a| {
        let hi = props.highlight == Some(a.id);
        let class = classes!(
            "st-arrow",
            format!("st-{}", a.fate.class()),
            format!("kind-{}", a.kind.to_lowercase()),
            hi.then_some("highlight")
        );
        let enter = {
            let cb = props.on_hover.clone();
            let id = a.id;
            Callback::from(move |_: MouseEvent| cb.emit(Some(id)))
        };
        let leave = {
            let cb = props.on_hover.clone();
            Callback::from(move |_: MouseEvent| cb.emit(None))
        };
        let click = {
            let cb = props.on_select.clone();
            let id = a.id;
            Callback::from(move |_: MouseEvent| cb.emit(id))
        };
        let shape = if a.loopback {
            let lift = 14.0;
            let mx = (a.x1 + a.x2) / 2.0;
            let x2 = if (a.x2 - a.x1).abs() < 6.0 { a.x1 + 6.0 } else { a.x2 };
            html! { <path class="st-shape" d={format!("M{} {} Q{} {} {} {}", fmt(a.x1), fmt(a.y1), fmt(mx + 3.0), fmt(a.y1 - lift), fmt(x2), fmt(a.y2))} fill="none" /> }
        } else {
            html! { <line class="st-shape" x1={fmt(a.x1)} y1={fmt(a.y1)} x2={fmt(a.x2)} y2={fmt(a.y2)} /> }
        };
        let end = if !a.ends_here || a.loopback {
            html! {}
        } else {
            match a.fate {
                Fate::Delivered => {
                    let pts = arrowhead(a.x1, a.y1, a.x2, a.y2, 7.0)
                        .iter()
                        .map(|(x, y)| format!("{},{}", fmt(*x), fmt(*y)))
                        .collect::<Vec<_>>()
                        .join(" ");
                    html! { <polygon class="st-head" points={pts} /> }
                }
                Fate::Dropped => html! {
                    <path class="st-cross" d={format!("M{} {} l8 8 m0 -8 l-8 8", fmt(a.x2 - 4.0), fmt(a.y2 - 4.0))} />
                },
                Fate::InFlight | Fate::Held => html! { <circle class="st-dot" cx={fmt(a.x2)} cy={fmt(a.y2)} r="3.5" /> },
            }
        };
        let label = (a.labelled || hi).then(|| {
            let (x, y, _, h) = label_box(&a);
            html! {
                <text class="st-label" x={fmt(x)} y={fmt(y + h - 2.0)}>{ a.label.clone() }</text>
            }
        });
        html! {
            <g key={a.id.0} {class} data-arrow={a.id.0.to_string()} data-kind={a.kind}
                onmouseenter={enter} onmouseleave={leave} onclick={click}>
                <title>{ a.title.clone() }</title>
                // A wide invisible stroke makes thin arrows easy to point at.
                <line class="st-hit" x1={fmt(a.x1)} y1={fmt(a.y1)} x2={fmt(a.x2)} y2={fmt(a.y2)} />
                { shape }
                { end }
                { for label }
            </g>
        }
    });

    let zoom_in = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set((*zoom + 1).min(8)))
    };
    let zoom_out = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set((*zoom - 1).max(-8)))
    };
    let toggle_pings = {
        let pings = pings.clone();
        Callback::from(move |_: Event| pings.set(!*pings))
    };

    html! {
        <section class="panel-spacetime">
            <div class="st-controls">
                <button type="button" onclick={zoom_in} aria-label={t.zoom_in}>{ "+" }</button>
                <button type="button" onclick={zoom_out} aria-label={t.zoom_out}>{ "−" }</button>
                <span class="muted">{ format!("{} {}–{} {}", t.window, w.start, w.end, t.ms) }</span>
                <label><input type="checkbox" checked={*pings} onchange={toggle_pings} />{ t.pings }</label>
            </div>
            <svg class="st-svg" viewBox={format!("0 0 {} {}", fmt(g.width), fmt(height))}
                preserveAspectRatio="xMinYMin meet" role="img" aria-label={t.label}>
                { for ticks_html }
                { for lanes }
                <line class="st-now" x1={fmt(g.x(w, props.now as f64))} y1={fmt(g.top - 6.0)}
                    x2={fmt(g.x(w, props.now as f64))} y2={fmt(height - 8.0)} />
                { for arrows_html }
            </svg>
            if !any { <p class="empty">{ t.empty }</p> }
        </section>
    }
}

/// The window length at zoom level `zoom` (each level halves or doubles it).
pub fn scaled_span(span: u64, zoom: i32) -> u64 {
    let s = span.max(1) as f64 * 2f64.powi(-zoom);
    (s.round() as u64).max(1)
}

/// A coordinate with at most two decimals.
fn fmt(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::script::{RunOptions, run};

    fn sim_log(src: &str) -> (SpanLog, Vec<Lane>, u64, Vec<SimEvent>) {
        let out = run(
            "t.zks",
            src,
            RunOptions {
                events: true,
                ..Default::default()
            },
        )
        .unwrap();
        let mut log = SpanLog::new();
        log.extend(out.sim.events());
        (
            log,
            lanes_for(&out.sim, true),
            out.sim.now().0,
            out.sim.events().to_vec(),
        )
    }

    #[test]
    fn windows_and_geometry() {
        assert_eq!(
            Window::ending_at(300, 1000),
            Window {
                start: 0,
                end: 1000
            }
        );
        assert_eq!(
            Window::ending_at(5000, 1000),
            Window {
                start: 4000,
                end: 5000
            }
        );
        let g = Geometry::default();
        let w = Window {
            start: 1000,
            end: 2000,
        };
        assert_eq!(g.x(w, 1000.0), g.left);
        assert_eq!(g.x(w, 2000.0), g.width - g.right);
        assert_eq!(g.x(w, 1500.0), g.left + (g.width - g.left - g.right) / 2.0);
        assert_eq!(g.lane_y(0), g.top + g.lane_gap / 2.0);
        assert_eq!(g.lane_y(2) - g.lane_y(1), g.lane_gap);
        assert_eq!(g.height(3), g.top + 3.0 * g.lane_gap + 8.0);
        assert_eq!(scaled_span(1000, 1), 500);
        assert_eq!(scaled_span(1000, -2), 4000);
        assert_eq!(fmt(1.0), "1");
        assert_eq!(fmt(1.234), "1.23");
    }

    #[test]
    fn clipping_and_heads() {
        assert_eq!(
            clip_segment((0.0, 0.0), (10.0, 10.0), 5.0, 20.0),
            Some(((5.0, 5.0), (10.0, 10.0)))
        );
        assert_eq!(clip_segment((0.0, 0.0), (4.0, 4.0), 5.0, 20.0), None);
        assert_eq!(
            clip_segment((10.0, 0.0), (30.0, 20.0), 0.0, 20.0),
            Some(((10.0, 0.0), (20.0, 10.0)))
        );
        let h = arrowhead(0.0, 0.0, 10.0, 0.0, 4.0);
        assert_eq!(h[0], (10.0, 0.0));
        assert_eq!(h[1], (6.0, 2.0));
        assert_eq!(h[2], (6.0, -2.0));
    }

    #[test]
    fn labels_do_not_overlap() {
        assert_eq!(
            short_label("NOTIFICATION", "LOOKING 2 0x0 r1 e0"),
            "(2, 0x0, r1)"
        );
        assert_eq!(short_label("PROPOSAL", "0x100000002"), "PROPOSAL");
        let arrow = |x1: f64, y1: f64, x2: f64, y2: f64| Arrow {
            id: MsgId(0),
            kind: "ACK",
            title: String::new(),
            x1,
            y1,
            x2,
            y2,
            loopback: false,
            fate: Fate::Delivered,
            ends_here: true,
            label: "ACK".into(),
            labelled: false,
        };
        let mut a = vec![
            arrow(0.0, 0.0, 100.0, 40.0),
            arrow(2.0, 0.0, 102.0, 40.0),
            arrow(0.0, 100.0, 100.0, 140.0),
            arrow(0.0, 200.0, 5.0, 200.0),
        ];
        place_labels(&mut a, 24.0);
        let got: Vec<bool> = a.iter().map(|a| a.labelled).collect();
        assert_eq!(got, [true, false, true, false]);
        let b = label_box(&a[0]);
        assert_eq!(b, (54.0, 7.0, 3.0 * LABEL_CHAR_W, LABEL_H));
    }

    #[test]
    fn nice_ticks() {
        let w = Window {
            start: 0,
            end: 1000,
        };
        assert_eq!(ticks(w, 5), [0, 200, 400, 600, 800, 1000]);
        let w = Window {
            start: 1234,
            end: 1300,
        };
        assert_eq!(ticks(w, 4), [1240, 1260, 1280, 1300]);
        let w = Window { start: 0, end: 3 };
        assert_eq!(ticks(w, 10), [0, 1, 2, 3]);
    }

    #[test]
    fn election_messages_become_arrows() {
        let (log, lanes, now, events) = sim_log("servers 3\nstart 1 2 3 together\nrun 300ms\n");
        assert_eq!(lanes.len(), 3);
        let votes: Vec<&Span> = log
            .spans()
            .iter()
            .filter(|s| s.kind == "NOTIFICATION")
            .collect();
        assert!(votes.len() >= 9, "{}", votes.len());
        assert!(votes.iter().all(|s| matches!(s.end, End::Delivered { .. })));
        // Loopback votes are there too.
        assert!(votes.iter().any(|s| s.from == s.to));
        let g = Geometry::default();
        let w = Window::ending_at(now, now.max(1));
        let arrows = layout(&log, &lanes, w, now, &g, Options::default());
        assert_eq!(
            arrows.len(),
            log.spans().iter().filter(|s| !s.is_ping()).count()
        );
        for a in &arrows {
            let s = log.span(a.id).unwrap();
            assert!(a.x1 <= a.x2 + 1e-9);
            let ia = lanes.iter().position(|l| l.node == s.from).unwrap();
            assert_eq!(a.y1, g.lane_y(ia));
            if a.fate == Fate::Delivered {
                let ib = lanes.iter().position(|l| l.node == s.to).unwrap();
                assert_eq!(a.y2, g.lane_y(ib));
                assert_eq!(a.loopback, ia == ib);
            }
        }
        // A window before anything happened shows nothing; a later one only what crosses it.
        let none = layout(
            &log,
            &lanes,
            Window { start: 0, end: 0 },
            now,
            &g,
            Options::default(),
        );
        assert!(none.iter().all(|a| log.span(a.id).unwrap().sent_at == 0));
        // Truncating and reading again gives the same spans.
        let mut again = log.clone();
        again.truncate(events.len() / 3);
        again.extend(&events[events.len() / 3..]);
        assert_eq!(again.spans(), log.spans());
        let mut s = SpanLog::new();
        s.sync(&events[..10]);
        s.sync(&events);
        assert_eq!(s.spans(), log.spans());
    }

    #[test]
    fn dropped_and_in_flight_messages() {
        // Crashing a server drops what is in flight to and from it.
        let (log, lanes, now, _) = sim_log("servers 3\nstart 1 2 3 together\nstep 3\ncrash 3\n");
        let dropped: Vec<&Span> = log
            .spans()
            .iter()
            .filter(|s| matches!(s.end, End::Dropped { .. }))
            .collect();
        assert!(!dropped.is_empty());
        let g = Geometry::default();
        let w = Window::ending_at(now, 100_000);
        let arrows = layout(
            &log,
            &lanes,
            w,
            now,
            &g,
            Options {
                pings: true,
                ..Options::default()
            },
        );
        let a = arrows.iter().find(|a| a.id == dropped[0].id).unwrap();
        assert_eq!(a.fate, Fate::Dropped);
        assert!(a.title.contains("lost (server crashed)"), "{}", a.title);

        let span = Span {
            id: MsgId(1),
            from: lanes[0].node,
            to: lanes[1].node,
            kind: "PROPOSAL",
            detail: String::new(),
            sent_at: 0,
            deliver_at: 100,
            index: 0,
            end: End::InFlight,
        };
        let mut l = SpanLog::new();
        l.by_id.insert(1, 0);
        l.spans.push(span);
        let w = Window { start: 0, end: 100 };
        let a = &layout(&l, &lanes, w, 50, &g, Options::default())[0];
        assert_eq!(a.fate, Fate::InFlight);
        assert_eq!(a.x2, g.x(w, 50.0));
        assert_eq!(a.y2, (g.lane_y(0) + g.lane_y(1)) / 2.0);
        // Overdue (held behind a cut link): dashed, stopped short of the receiver.
        let a = &layout(&l, &lanes, w, 100, &g, Options::default())[0];
        assert_eq!(a.fate, Fate::Held);
        assert!(a.y2 < g.lane_y(1));
    }

    #[test]
    fn state_tints() {
        let (log, _, now, _) = sim_log("servers 3\nstart 1 2 3\ncrash 2\nawait leader\n");
        let w = Window { start: 0, end: now };
        let segs = state_segments(log.states(), ServerId(2), w, now);
        let states: Vec<ServerState> = segs.iter().map(|s| s.2).collect();
        assert_eq!(states.first(), Some(&ServerState::Looking));
        assert!(states.contains(&ServerState::Leading));
        assert_eq!(states.last(), Some(&ServerState::Down));
        assert!(segs.windows(2).all(|p| p[0].1 <= p[1].0));
    }
}
