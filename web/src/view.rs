//! The ensemble as the page draws it: plain data computed from the engine at the time shown
//! (servers with their votes, tallies and verdicts, messages at their interpolated
//! positions, cut links, clients). Pure, so that it is unit-tested natively.

use zkplay_core::election::{FINALIZE_WAIT_MS, Notification, Verdict, Vote};
use zkplay_core::event::EventKind;
use zkplay_core::msg::{Msg, Node};
use zkplay_core::server::ZabPhase;
use zkplay_core::{ServerId, ServerState, Sim, Zxid};

use crate::engine::Engine;
use crate::i18n::{Key, Lang, tr};
use crate::layout::{self, Layout, Pt};

/// More messages in flight than this and [`scene_in`] leaves their label, sender and
/// receiver texts empty (see [`fill_texts`]); the ensemble then draws them as plain dots.
pub const DETAIL_UP_TO: usize = 150;

/// More servers than this make a scene busy (see [`busy`]).
pub const BUSY_SERVERS_ABOVE: usize = 11;

/// A scene too heavy to draw every panel in every frame: more than [`BUSY_SERVERS_ABOVE`]
/// servers, or more than [`DETAIL_UP_TO`] messages in flight.
pub fn busy(sim: &Sim) -> bool {
    sim.servers().len() > BUSY_SERVERS_ABOVE || sim.in_flight().nth(DETAIL_UP_TO).is_some()
}

/// Fills in the texts [`scene_in`] left empty for message `m` (when there are many).
pub fn fill_texts(sim: &Sim, m: &mut MsgView) {
    if !m.label.is_empty() {
        return;
    }
    if let Some(x) = sim.in_flight().find(|x| x.id.0 == m.id) {
        m.label = msg_label(&x.msg);
        m.from = node_name(sim, x.from);
        m.to = node_name(sim, x.to);
    }
}

/// Lane offset between the two directions of a link, in view units.
pub const LANE: f64 = 7.0;

/// A vote as the page prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteView {
    /// Proposed leader.
    pub leader: i64,
    /// Its zxid.
    pub zxid: i64,
    /// The round.
    pub round: i64,
}

impl VoteView {
    /// `(3, 0x0)`: leader and zxid.
    pub fn short(&self) -> String {
        pair(self.leader, self.zxid)
    }
}

/// `(leader, zxid)` as in the verdicts.
pub fn pair(leader: i64, zxid: i64) -> String {
    if leader == i64::MIN {
        return "(none)".into();
    }
    format!("({leader}, {})", Zxid(zxid))
}

/// A tally of agreeing votes against the quorum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Voters whose votes agree.
    pub agree: usize,
    /// The quorum.
    pub needed: usize,
}

/// The ACKs of one proposal in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckTally {
    /// The proposal.
    pub zxid: Zxid,
    /// Voters that acknowledged it.
    pub acks: usize,
    /// The quorum.
    pub needed: usize,
}

/// How a verdict reads: the receiver changed its mind, kept it, or ignored the vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Switched to the received vote.
    Switch,
    /// Kept its own.
    Keep,
    /// Ignored the vote.
    Ignore,
    /// Noted a settled vote.
    Note,
}

impl Tone {
    /// CSS class suffix.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Switch => "switch",
            Tone::Keep => "keep",
            Tone::Ignore => "ignore",
            Tone::Note => "note",
        }
    }
}

/// The verdict a server reached on a vote it just received.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictView {
    /// The sender.
    pub from: u8,
    /// `(2, 0x0) beats (1, 0x0): switch`.
    pub text: String,
    /// How it reads.
    pub tone: Tone,
    /// 1 when fresh, fading to 0.
    pub freshness: f64,
}

/// One server as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerView {
    /// `myid`.
    pub id: u8,
    /// An observer (does not vote).
    pub observer: bool,
    /// Where it stands.
    pub at: Pt,
    /// Its state.
    pub state: ServerState,
    /// Its Zab phase.
    pub zab: ZabPhase,
    /// Its current vote (LOOKING: its proposal in the current round).
    pub vote: Option<VoteView>,
    /// LOOKING voters: votes agreeing with its proposal, against the quorum.
    pub tally: Option<Tally>,
    /// In finalizeWait: ms left.
    pub finalize_left: Option<f64>,
    /// A leader: the ACKs of each proposal in flight.
    pub acks: Vec<AckTally>,
    /// The verdict on the vote it received last, while fresh.
    pub verdict: Option<VerdictView>,
    /// acceptedEpoch.
    pub accepted_epoch: u32,
    /// currentEpoch.
    pub current_epoch: u32,
    /// Last logged zxid.
    pub last_zxid: Zxid,
}

/// One message as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MsgView {
    /// Message id.
    pub id: u64,
    /// Its kind (`NOTIFICATION`, `PROPOSAL`, …).
    pub kind: &'static str,
    /// Short label: a vote's `(leader, zxid, round)`, else the kind and key field.
    pub label: String,
    /// Where it is now.
    pub at: Pt,
    /// Sender and receiver as text (`server 1`, `client c1`).
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Held back (by a cut link or by hand).
    pub held: bool,
    /// A vote to itself.
    pub loopback: bool,
    /// For a loopback: the small circle it travels on (centre, radius).
    pub loop_circle: Option<(Pt, f64)>,
    /// Dropped: fading out (opacity).
    pub dropped: Option<f64>,
    /// 0..1 along its way.
    pub progress: f64,
    /// When it was sent and when it arrives (simulated ms).
    pub sent_at: u64,
    /// Arrival.
    pub deliver_at: u64,
    /// An election message.
    pub vote: bool,
}

/// A server link with at least one direction cut.
#[derive(Debug, Clone, PartialEq)]
pub struct CutLink {
    /// One end.
    pub a: u8,
    /// The other end.
    pub b: u8,
    /// a → b cut.
    pub ab: bool,
    /// b → a cut.
    pub ba: bool,
    /// Ends in view coordinates.
    pub pa: Pt,
    /// Other end.
    pub pb: Pt,
}

/// A client as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientView {
    /// Name.
    pub name: String,
    /// Where it stands.
    pub at: Pt,
    /// `CONNECTED`, `CONNECTING`, …
    pub state: &'static str,
    /// The server it is connected to.
    pub server: Option<u8>,
}

/// Everything the ensemble view draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Geometry.
    pub layout: Layout,
    /// Servers, voters first.
    pub servers: Vec<ServerView>,
    /// Messages in flight (and recently dropped ones).
    pub messages: Vec<MsgView>,
    /// Cut links.
    pub cuts: Vec<CutLink>,
    /// Clients.
    pub clients: Vec<ClientView>,
    /// The quorum size.
    pub quorum: usize,
    /// The established leader.
    pub leader: Option<u8>,
    /// The time shown.
    pub now: f64,
}

impl Scene {
    /// The server with `id`.
    pub fn server(&self, id: u8) -> Option<&ServerView> {
        self.servers.iter().find(|s| s.id == id)
    }
}

/// Where `node` stands in `layout`.
pub fn node_point(sim: &Sim, layout: &Layout, node: Node) -> Pt {
    match node {
        Node::Server(id) => server_point(sim, layout, id),
        Node::Client(c) => layout
            .clients
            .get(c.0 as usize)
            .copied()
            .unwrap_or(layout.center),
    }
}

fn server_point(sim: &Sim, layout: &Layout, id: ServerId) -> Pt {
    let cfg = sim.config();
    let idx = cfg.try_index(id).unwrap_or(0);
    if idx < cfg.voters as usize {
        layout.voters[idx]
    } else {
        layout
            .observers
            .get(idx - cfg.voters as usize)
            .copied()
            .unwrap_or(layout.center)
    }
}

/// A node as text.
pub fn node_name(sim: &Sim, node: Node) -> String {
    match node {
        Node::Server(id) => format!("server {id}"),
        Node::Client(c) => sim
            .clients()
            .get(c.0 as usize)
            .map(|cl| format!("client {}", cl.name))
            .unwrap_or_else(|| format!("client #{}", c.0)),
    }
}

/// A node as text, without the client's name.
pub fn node_name_plain(node: &Node) -> String {
    match node {
        Node::Server(id) => format!("Server {id}"),
        Node::Client(c) => format!("Client #{}", c.0),
    }
}

/// A message's short label.
pub fn msg_label(msg: &Msg) -> String {
    match msg {
        Msg::Vote(n) => format!("({}, {}, r{})", n.leader, Zxid(n.zxid), n.round),
        other => {
            let detail = zkplay_core::event::detail(other);
            if detail.is_empty() {
                other.kind().to_string()
            } else {
                format!("{} {detail}", other.kind())
            }
        }
    }
}

/// The text of a verdict: what the receiver did with the vote `n`, given its own proposal
/// before (`mine`) and after.
pub fn verdict_text(
    n: &Notification,
    mine: Option<(i64, i64)>,
    verdict: Verdict,
) -> (String, Tone) {
    let theirs = pair(n.leader, n.zxid);
    let mine_text = mine
        .map(|(l, z)| pair(l, z))
        .unwrap_or_else(|| "mine".into());
    match verdict {
        Verdict::Switch => (format!("{theirs} beats {mine_text}: switch"), Tone::Switch),
        // Not better because it is the same vote: it agrees.
        Verdict::Keep if mine == Some((n.leader, n.zxid)) => {
            (format!("{theirs} same as mine: keep"), Tone::Note)
        }
        Verdict::Keep => (
            format!("{theirs} loses to {mine_text}: keep mine"),
            Tone::Keep,
        ),
        Verdict::NewerRound { adopted: true } => (
            format!("newer round {}: adopt {theirs}", n.round),
            Tone::Switch,
        ),
        Verdict::NewerRound { adopted: false } => (
            format!("newer round {}: back to my own vote", n.round),
            Tone::Keep,
        ),
        Verdict::OlderRound => (format!("older round {}: ignored", n.round), Tone::Ignore),
        Verdict::Settled => (
            format!("{} says {} leads: noted", n.state.name(), n.leader),
            Tone::Note,
        ),
        Verdict::Ignored if mine == Some((n.leader, n.zxid)) => {
            (format!("{theirs} agrees: finalizing"), Tone::Note)
        }
        Verdict::Ignored => (format!("{theirs} not better: ignored"), Tone::Ignore),
    }
}

/// [`verdict_text`] in `lang` (English is [`verdict_text`] itself).
pub fn verdict_text_in(
    n: &Notification,
    mine: Option<(i64, i64)>,
    verdict: Verdict,
    lang: Lang,
) -> (String, Tone) {
    let (en, tone) = verdict_text(n, mine, verdict);
    if lang == Lang::En {
        return (en, tone);
    }
    let theirs = pair(n.leader, n.zxid);
    let mine_text = mine
        .map(|(l, z)| pair(l, z))
        .unwrap_or_else(|| Key::VMine.text(lang).into());
    let round = n.round.to_string();
    let t = |k: Key, args: &[&str]| tr(k, lang, args);
    let text = match verdict {
        Verdict::Switch => t(Key::VSwitch, &[&theirs, &mine_text]),
        Verdict::Keep if mine == Some((n.leader, n.zxid)) => t(Key::VSame, &[&theirs]),
        Verdict::Keep => t(Key::VKeep, &[&theirs, &mine_text]),
        Verdict::NewerRound { adopted: true } => t(Key::VNewerAdopt, &[&round, &theirs]),
        Verdict::NewerRound { adopted: false } => t(Key::VNewerBack, &[&round]),
        Verdict::OlderRound => t(Key::VOlder, &[&round]),
        Verdict::Settled => t(Key::VSettled, &[n.state.name(), &n.leader.to_string()]),
        Verdict::Ignored if mine == Some((n.leader, n.zxid)) => t(Key::VAgrees, &[&theirs]),
        Verdict::Ignored => t(Key::VNotBetter, &[&theirs]),
    };
    (text, tone)
}

/// How many voters' votes in `votes` agree with `reference`, as the election counts them.
pub fn agreeing(sim: &Sim, votes: &[Option<Vote>], reference: &Vote) -> usize {
    let cfg = sim.config();
    votes
        .iter()
        .enumerate()
        .filter(|(i, v)| {
            matches!(v, Some(v) if v.agrees_with(reference)) && cfg.is_voter(cfg.id_at(*i))
        })
        .count()
}

/// The tally of a LOOKING voter: recvset votes that agree with its proposal.
pub fn looking_tally(sim: &Sim, id: ServerId) -> Option<Tally> {
    let s = sim.server(id);
    if s.state != ServerState::Looking || s.observer {
        return None;
    }
    let (l, z, e) = s.fle.proposal;
    let reference = Vote::new(l, z, s.fle.logicalclock, e);
    Some(Tally {
        agree: agreeing(sim, &s.fle.recvset, &reference),
        needed: sim.config().quorum_size(),
    })
}

/// A leader's proposals in flight with their voter ACKs.
pub fn ack_tallies(sim: &Sim, id: ServerId) -> Vec<AckTally> {
    let cfg = sim.config();
    let Some(l) = sim.server(id).leader_state() else {
        return Vec::new();
    };
    l.outstanding
        .iter()
        .map(|(z, o)| AckTally {
            zxid: *z,
            acks: o.acks.iter().filter(|a| cfg.is_voter(**a)).count(),
            needed: cfg.quorum_size(),
        })
        .collect()
}

/// How far back (in events) the view looks for a message's `Sent` or a vote's history.
const LOOKBACK: usize = 20_000;

/// Builds the scene at time `now`. Verdicts show for `flash_ms` of simulated time after
/// their vote arrived, dropped messages fade out over the same time.
pub fn scene(engine: &Engine, now: f64, flash_ms: f64) -> Scene {
    scene_in(engine, now, flash_ms, Lang::En)
}

/// [`scene`] with its texts (the verdicts) in `lang`.
pub fn scene_in(engine: &Engine, now: f64, flash_ms: f64, lang: Lang) -> Scene {
    let sim = engine.sim();
    let cfg = sim.config();
    let voters = cfg.voters as usize;
    let observers = cfg.n_servers() - voters;
    let layout = layout::layout(voters, observers, sim.clients().len());
    let sim_now = sim.now().0 as f64;
    let now = now.max(sim_now);

    let timers = sim.pending_timers();
    let mut servers: Vec<ServerView> = sim
        .servers()
        .iter()
        .map(|s| {
            let vote = match s.state {
                ServerState::Down => None,
                ServerState::Looking => {
                    let (l, z, _) = s.fle.proposal;
                    (l != i64::MIN).then_some(VoteView {
                        leader: l,
                        zxid: z,
                        round: s.fle.logicalclock,
                    })
                }
                _ => Some(VoteView {
                    leader: s.current_vote.id,
                    zxid: s.current_vote.zxid,
                    round: s.current_vote.election_epoch,
                }),
            };
            let finalize_left = timers
                .iter()
                .find(|(n, k, _)| *n == Node::Server(s.id) && *k == "finalize-wait")
                .map(|(_, _, at)| (at.0 as f64 - now).clamp(0.0, FINALIZE_WAIT_MS as f64));
            ServerView {
                id: s.id.0,
                observer: s.observer,
                at: server_point(sim, &layout, s.id),
                state: s.state,
                zab: s.zab,
                vote,
                tally: looking_tally(sim, s.id),
                finalize_left,
                acks: ack_tallies(sim, s.id),
                verdict: None,
                accepted_epoch: s.disk.accepted_epoch,
                current_epoch: s.disk.current_epoch,
                last_zxid: s.last_logged_zxid(),
            }
        })
        .collect();

    // Recent events: verdicts and dropped messages.
    let events = engine.events();
    let mut dropped = Vec::new();
    let mut i = events.len();
    while i > 0 {
        i -= 1;
        let e = &events[i];
        let age = now - e.at.0 as f64;
        if age > flash_ms {
            break;
        }
        let freshness = (1.0 - age / flash_ms.max(1.0)).clamp(0.0, 1.0);
        match &e.kind {
            EventKind::Received {
                server,
                from,
                n,
                verdict,
            } => {
                let Some(sv) = servers.iter_mut().find(|s| s.id == server.0) else {
                    continue;
                };
                if sv.verdict.is_some() {
                    continue;
                }
                let mine = mine_before(events, i, *server, *verdict);
                let (text, tone) = if sim.config().is_voter(*from) {
                    verdict_text_in(n, mine, *verdict, lang)
                } else if lang == Lang::En {
                    ("observer: not counted".into(), Tone::Ignore)
                } else {
                    (Key::VObserver.text(lang).into(), Tone::Ignore)
                };
                sv.verdict = Some(VerdictView {
                    from: from.0,
                    text,
                    tone,
                    freshness,
                });
            }
            EventKind::Dropped { id, .. } => {
                if let Some(m) = sent_before(sim, &layout, events, i, id.0, e.at.0 as f64) {
                    dropped.push(MsgView {
                        dropped: Some(freshness),
                        ..m
                    });
                }
            }
            _ => {}
        }
    }

    // Many messages are drawn as dots without labels (components::ensemble): their texts
    // are left empty here, and filled in for the one hovered or selected.
    let detail = sim.in_flight().nth(DETAIL_UP_TO).is_none();
    let text = |f: &dyn Fn() -> String| if detail { f() } else { String::new() };
    let mut messages: Vec<MsgView> = sim
        .in_flight()
        .map(|m| {
            let loopback = m.from == m.to;
            let progress = layout::progress(now, m.sent_at.0 as f64, m.deliver_at.0 as f64);
            let a = node_point(sim, &layout, m.from);
            let b = node_point(sim, &layout, m.to);
            let at = if loopback {
                layout::loop_point(a, layout.center, layout.node_radius, progress.min(0.999))
            } else if m.held {
                layout::lane_point(a, b, 0.22, LANE)
            } else {
                let (s, e) =
                    layout::trimmed_segment(a, b, layout.node_radius, layout.node_radius, LANE);
                layout::lane_point(s, e, progress, 0.0)
            };
            MsgView {
                id: m.id.0,
                kind: m.msg.kind(),
                label: text(&|| msg_label(&m.msg)),
                at,
                from: text(&|| node_name(sim, m.from)),
                to: text(&|| node_name(sim, m.to)),
                held: m.held,
                loopback,
                loop_circle: loopback
                    .then(|| layout::loop_circle(a, layout.center, layout.node_radius)),
                dropped: None,
                progress,
                sent_at: m.sent_at.0,
                deliver_at: m.deliver_at.0,
                vote: matches!(m.msg, Msg::Vote(_)),
            }
        })
        .collect();
    dropped.reverse();
    messages.extend(dropped);

    let mut cuts = Vec::new();
    let ids = cfg.ids();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            let (ab, ba) = (sim.is_cut(a, b), sim.is_cut(b, a));
            if ab || ba {
                cuts.push(CutLink {
                    a: a.0,
                    b: b.0,
                    ab,
                    ba,
                    pa: server_point(sim, &layout, a),
                    pb: server_point(sim, &layout, b),
                });
            }
        }
    }

    let clients = sim
        .clients()
        .iter()
        .enumerate()
        .map(|(i, c)| ClientView {
            name: c.name.clone(),
            at: layout.clients.get(i).copied().unwrap_or(layout.center),
            state: c.state.name(),
            server: c.conn.map(|(s, _)| s.0),
        })
        .collect();

    servers.sort_by_key(|s| (s.observer, s.id));
    Scene {
        quorum: cfg.quorum_size(),
        leader: sim.established_leader().map(|l| l.id.0),
        layout,
        servers,
        messages,
        cuts,
        clients,
        now,
    }
}

/// The receiver's proposal before it judged the vote at `events[i]`.
fn mine_before(
    events: &[zkplay_core::event::Event],
    i: usize,
    server: ServerId,
    verdict: Verdict,
) -> Option<(i64, i64)> {
    // A switch (or a newer round) logs the new proposal just before the verdict: skip it.
    let mut skip = matches!(verdict, Verdict::Switch | Verdict::NewerRound { .. });
    for e in events[i.saturating_sub(LOOKBACK)..i].iter().rev() {
        if let EventKind::VoteChanged {
            server: s,
            leader,
            zxid,
            ..
        } = &e.kind
            && *s == server
        {
            if skip {
                skip = false;
                continue;
            }
            return Some((*leader, *zxid));
        }
    }
    None
}

/// A dropped message as it was when dropped, from its `Sent` event.
fn sent_before(
    sim: &Sim,
    layout: &Layout,
    events: &[zkplay_core::event::Event],
    i: usize,
    id: u64,
    dropped_at: f64,
) -> Option<MsgView> {
    for e in events[i.saturating_sub(LOOKBACK)..i].iter().rev() {
        if let EventKind::Sent {
            id: sid,
            from,
            to,
            kind,
            deliver_at,
            detail,
        } = &e.kind
            && sid.0 == id
        {
            let progress = layout::progress(dropped_at, e.at.0 as f64, deliver_at.0 as f64);
            let a = node_point(sim, layout, *from);
            let b = node_point(sim, layout, *to);
            let (s, t) =
                layout::trimmed_segment(a, b, layout.node_radius, layout.node_radius, LANE);
            return Some(MsgView {
                id,
                kind,
                label: if detail.is_empty() {
                    kind.to_string()
                } else {
                    format!("{kind} {detail}")
                },
                at: layout::lane_point(s, t, progress, 0.0),
                from: node_name(sim, *from),
                to: node_name(sim, *to),
                held: false,
                loopback: from == to,
                loop_circle: None,
                dropped: Some(1.0),
                progress,
                sent_at: e.at.0,
                deliver_at: deliver_at.0,
                vote: *kind == "NOTIFICATION",
            });
        }
    }
    None
}

/// Colour class of a message: `vote` (election), `reset` (a connection reset), `zab`
/// (quorum and learner packets, upper-case kinds) or `client` (client requests, replies and
/// watch events).
pub fn msg_class(m: &MsgView) -> &'static str {
    if m.vote {
        "vote"
    } else if m.kind == "RESET" {
        "reset"
    } else if m
        .kind
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && m.kind != "WATCHER"
    {
        "zab"
    } else {
        "client"
    }
}

/// How a batch of dots looks: its colour class ([`msg_class`]), held, dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DotLook {
    /// [`msg_class`].
    pub class: &'static str,
    /// Held back (white with a coloured ring).
    pub held: bool,
    /// Dropped (fading out, in the danger colour).
    pub dropped: bool,
}

/// A message drawn as a plain mark, in view coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dot {
    /// A vote (radius 7) or a RESET (radius 6), at its centre.
    Circle(Pt, f64),
    /// Anything else: a 12 × 12 square around its centre.
    Square(Pt),
}

/// The messages as marks grouped by look, in order of first appearance (so that drawing is
/// one path per look), leaving out `skip` (the hovered or selected one, drawn on its own).
pub fn dot_batches(msgs: &[MsgView], skip: Option<u64>) -> Vec<(DotLook, Vec<Dot>)> {
    let mut out: Vec<(DotLook, Vec<Dot>)> = Vec::new();
    for m in msgs.iter().filter(|m| Some(m.id) != skip) {
        let look = DotLook {
            class: msg_class(m),
            held: m.held,
            dropped: m.dropped.is_some(),
        };
        let dot = if m.vote || m.kind == "RESET" {
            Dot::Circle(m.at, if m.vote { 7.0 } else { 6.0 })
        } else {
            Dot::Square(m.at)
        };
        match out.iter_mut().find(|(l, _)| *l == look) {
            Some((_, dots)) => dots.push(dot),
            None => out.push((look, vec![dot])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Act, Engine};
    use zkplay_core::Input;
    use zkplay_core::election::NOTIFICATION_VERSION;

    #[test]
    fn many_messages_come_without_texts_until_one_is_picked() {
        let sc = crate::scenario::Scenario {
            voters: 51,
            ..crate::scenario::Scenario::default()
        };
        let mut e = Engine::new(crate::engine::Origin::Scenario(sc)).unwrap();
        for _ in 0..60 {
            e.step();
        }
        let s = scene(&e, e.sim().now().0 as f64, 100.0);
        assert!(s.messages.len() > DETAIL_UP_TO, "{}", s.messages.len());
        assert!(
            s.messages
                .iter()
                .all(|m| m.label.is_empty() && m.from.is_empty())
        );
        let mut m = s.messages[7].clone();
        fill_texts(e.sim(), &mut m);
        assert!(m.label.starts_with('('), "{}", m.label);
        assert!(
            m.from.contains("server") && m.to.contains("server"),
            "{m:?}"
        );
        // Drawn as plain marks: one batch per look, every message but the picked one.
        let batches = dot_batches(&s.messages, Some(s.messages[7].id));
        assert_eq!(
            batches.iter().map(|(_, d)| d.len()).sum::<usize>(),
            s.messages.len() - 1
        );
        let votes = batches.iter().find(|(l, _)| l.class == "vote").unwrap();
        assert!(!votes.0.held && !votes.0.dropped);
        assert!(
            votes
                .1
                .iter()
                .all(|d| matches!(d, Dot::Circle(_, r) if *r == 7.0))
        );
        assert!(votes.1.contains(&Dot::Circle(s.messages[0].at, 7.0)));
        // A few messages keep their texts.
        let small = scene(&Engine::default_scenario(), 0.0, 100.0);
        assert!(!small.messages.is_empty());
        assert!(small.messages.iter().all(|m| !m.label.is_empty()));
    }

    fn n(leader: i64, zxid: i64, round: i64) -> Notification {
        Notification {
            state: ServerState::Looking,
            leader,
            zxid,
            round,
            peer_epoch: 0,
            version: NOTIFICATION_VERSION,
        }
    }

    #[test]
    fn verdicts_read_like_the_issue() {
        assert_eq!(
            verdict_text(&n(2, 0, 1), Some((1, 0)), Verdict::Switch).0,
            "(2, 0x0) beats (1, 0x0): switch"
        );
        assert_eq!(
            verdict_text(&n(1, 0, 1), Some((3, 0)), Verdict::Keep),
            ("(1, 0x0) loses to (3, 0x0): keep mine".into(), Tone::Keep)
        );
        assert_eq!(
            verdict_text(&n(1, 0, 1), None, Verdict::OlderRound).0,
            "older round 1: ignored"
        );
        assert_eq!(
            verdict_text(&n(5, 0, 1), Some((5, 0)), Verdict::Keep),
            ("(5, 0x0) same as mine: keep".into(), Tone::Note)
        );
        assert_eq!(
            verdict_text(&n(5, 0, 1), Some((5, 0)), Verdict::Ignored).0,
            "(5, 0x0) agrees: finalizing"
        );
        assert_eq!(
            verdict_text(
                &n(3, 0x1_0000_0002, 4),
                None,
                Verdict::NewerRound { adopted: true }
            )
            .0,
            "newer round 4: adopt (3, 0x100000002)"
        );
    }

    #[test]
    fn the_start_shows_five_looking_servers_each_with_its_own_vote() {
        let e = Engine::default_scenario();
        let s = scene(&e, 0.0, 100.0);
        assert_eq!(s.servers.len(), 5);
        assert_eq!(s.quorum, 3);
        for sv in &s.servers {
            assert_eq!(sv.state, ServerState::Looking);
            assert_eq!(sv.vote.unwrap().leader, sv.id as i64);
            assert_eq!(sv.vote.unwrap().round, 1);
            // Nothing received yet: no agreeing vote, not even its own.
            assert_eq!(
                sv.tally,
                Some(Tally {
                    agree: 0,
                    needed: 3
                })
            );
        }
        // 25 votes: every voter to every voter, loopbacks included.
        assert_eq!(s.messages.len(), 25);
        assert_eq!(s.messages.iter().filter(|m| m.loopback).count(), 5);
        assert!(
            s.messages
                .iter()
                .all(|m| m.vote && m.label.ends_with("r1)"))
        );
    }

    #[test]
    fn messages_move_along_their_link() {
        let e = Engine::default_scenario();
        let m = e
            .sim()
            .in_flight()
            .find(|m| m.from != m.to)
            .expect("a vote between two servers")
            .clone();
        let mid = (m.sent_at.0 + m.deliver_at.0) as f64 / 2.0;
        let early = scene(&e, m.sent_at.0 as f64, 0.0);
        let half = scene(&e, mid, 0.0);
        let find = |s: &Scene| s.messages.iter().find(|v| v.id == m.id.0).unwrap().clone();
        let (a, b) = (find(&early), find(&half));
        assert_eq!(a.progress, 0.0);
        assert!((b.progress - 0.5).abs() < 1e-9);
        let from = node_point(e.sim(), &early.layout, m.from);
        assert!(b.at.dist(from) > a.at.dist(from));
    }

    #[test]
    fn tallies_verdicts_and_finalize_wait_show_during_the_election() {
        let mut e = Engine::default_scenario();
        let mut saw_verdict = false;
        let mut saw_finalize = false;
        let mut saw_full_tally = false;
        for _ in 0..400 {
            e.step();
            let now = e.sim().now().0 as f64;
            let s = scene(&e, now, 50.0);
            for sv in &s.servers {
                if let Some(v) = &sv.verdict {
                    saw_verdict = true;
                    assert!(!v.text.is_empty());
                }
                if sv.finalize_left.is_some() {
                    saw_finalize = true;
                    let t = sv.tally.unwrap();
                    assert!(t.agree >= t.needed, "finalizing with {t:?}");
                }
                if sv.tally.is_some_and(|t| t.agree >= 3) {
                    saw_full_tally = true;
                }
            }
        }
        assert!(saw_verdict && saw_finalize && saw_full_tally);
    }

    #[test]
    fn a_leader_shows_the_acks_of_its_proposals() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        let leader = e.sim().established_leader().unwrap().id;
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Connect {
                name: "c1".into(),
                server: Some(leader),
                timeout: None,
            },
            t,
        );
        let mut best = 0;
        for _ in 0..200 {
            e.step();
            let s = scene(&e, e.sim().now().0 as f64, 0.0);
            let sv = s.server(leader.0).unwrap();
            for a in &sv.acks {
                assert_eq!(a.needed, 3);
                best = best.max(a.acks);
            }
        }
        assert!(best >= 1, "createSession was proposed and acked");
    }

    #[test]
    fn cut_links_and_dropped_messages_are_drawn() {
        let mut e = Engine::default_scenario();
        e.act(
            Act::Input(Input::Link {
                from: ServerId(1),
                to: ServerId(2),
                cut: true,
            }),
            0.0,
        );
        let id = e
            .sim()
            .in_flight()
            .find(|m| m.from != m.to && !m.held)
            .unwrap()
            .id;
        e.act(Act::Input(Input::Drop(id)), 5.0);
        let s = scene(&e, 5.0, 100.0);
        assert_eq!(s.cuts.len(), 1);
        assert!(s.cuts[0].ab && !s.cuts[0].ba);
        let d = s.messages.iter().find(|m| m.id == id.0).unwrap();
        assert!(d.dropped.is_some());
        // It fades out over the flash time.
        let later = scene(&e, 55.0, 100.0);
        let d2 = later.messages.iter().find(|m| m.id == id.0).unwrap();
        assert!(d2.dropped.unwrap() < d.dropped.unwrap());
        assert!(
            scene(&e, 500.0, 100.0)
                .messages
                .iter()
                .all(|m| m.id != id.0)
        );
    }
}
