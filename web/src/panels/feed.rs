//! The event feed: the simulation's low-level events ([`SimEvent`], `zkplay_core::event::Event`) told in plain language,
//! e.g. "server 1 received (2, 0x0, round 1) from server 2 — better: switch",
//! "leader 2 chose SNAP for server 3", "COMMIT 0x100000002 on server 1", "server 3 crashed".
//!
//! Every sentence comes from one [`Strings`] table ([`EN`]): a zh-CN table is another
//! `Strings` value, and [`FeedLog::with_strings`] picks it. Templates name their blanks
//! (`{server}`), so a translation may reorder them.
//!
//! [`FeedLog`] is built incrementally from the event log (the page keeps one and feeds it the
//! new events; [`FeedLog::sync`] handles a timeline that was cut back). Each entry keeps its
//! event index, which [`FeedPanel`] hands to `on_seek` when the entry is clicked.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::election::{Notification, Verdict};
use zkplay_core::event::{Event as SimEvent, EventKind};
use zkplay_core::msg::Node;
use zkplay_core::sim::Input;
use zkplay_core::{ServerId, ServerState, Zxid};

use super::{LogCursor, Names, hex};

/// Every sentence of the feed, as a template with named blanks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    /// A server: `{id}`.
    pub server: &'static str,
    /// A leader: `{id}`.
    pub leader: &'static str,
    /// A vote: `{leader}`, `{zxid}`, `{round}`.
    pub vote: &'static str,
    /// A vote naming no leader (an observer's).
    pub no_vote: &'static str,
    /// `{server}`: the input that starts a server.
    pub start: &'static str,
    /// `{server}`: the process is up.
    pub started: &'static str,
    /// `{server}`.
    pub crashed: &'static str,
    /// `{sides}` (`1 2 | 3`).
    pub partition: &'static str,
    /// `{from}`, `{to}` (server lists).
    pub partition_one_way: &'static str,
    /// `{from}`, `{to}`.
    pub link_cut: &'static str,
    /// `{from}`, `{to}`.
    pub link_restored: &'static str,
    /// Every link restored.
    pub heal: &'static str,
    /// `{id}`.
    pub drop_by_hand: &'static str,
    /// `{id}`.
    pub hold: &'static str,
    /// `{id}`.
    pub release: &'static str,
    /// `{from}`, `{to}`, `{kind}`, `{detail}`.
    pub sent: &'static str,
    /// `{from}`, `{to}`, `{kind}`, `{detail}`.
    pub delivered: &'static str,
    /// `{from}`, `{to}`, `{kind}`, `{why}`.
    pub dropped: &'static str,
    /// `{from}`, `{to}`.
    pub queued: &'static str,
    /// `{node}`, `{kind}`.
    pub timer: &'static str,
    /// `{server}`, `{state}`.
    pub state: &'static str,
    /// `{server}`, `{phase}`.
    pub phase: &'static str,
    /// `{server}`, `{vote}`.
    pub vote_changed: &'static str,
    /// `{server}`, `{vote}`, `{from}`, `{verdict}`.
    pub received: &'static str,
    /// `{server}`, `{state}`, `{vote}`, `{from}`, `{verdict}`: a vote of a settled server.
    pub received_settled: &'static str,
    /// `{round}`.
    pub verdict_newer_adopt: &'static str,
    /// `{round}`.
    pub verdict_newer_keep: &'static str,
    /// Older round.
    pub verdict_older: &'static str,
    /// Better vote.
    pub verdict_switch: &'static str,
    /// Not better.
    pub verdict_keep: &'static str,
    /// A settled vote recorded.
    pub verdict_settled: &'static str,
    /// Ignored.
    pub verdict_ignored: &'static str,
    /// `{server}`, `{leader}`, `{zxid}`, `{round}`.
    pub decided: &'static str,
    /// `{leader}`, `{epoch}`.
    pub epoch: &'static str,
    /// `{leader}`, `{mode}`, `{learner}`.
    pub sync_chosen: &'static str,
    /// `{server}`, `{zxid}`.
    pub truncated: &'static str,
    /// `{server}`, `{leader}`, `{mode}`.
    pub synced: &'static str,
    /// `{server}`, `{epoch}`.
    pub established: &'static str,
    /// `{leader}`, `{zxid}`.
    pub proposed: &'static str,
    /// `{leader}`, `{zxid}`, `{from}`.
    pub acked: &'static str,
    /// `{zxid}`, `{server}`.
    pub committed: &'static str,
    /// `{leader}`, `{session}`, `{client}`.
    pub session_expired: &'static str,
    /// `{server}`, `{text}`.
    pub note: &'static str,
    /// Category names, in [`Category::ALL`] order.
    pub categories: [&'static str; 9],
    /// "Show:" before the category toggles.
    pub show: &'static str,
    /// Shown when the filter hides everything.
    pub nothing: &'static str,
    /// `{n}`: entries not shown above the visible ones.
    pub earlier: &'static str,
    /// Tooltip of an entry.
    pub seek_hint: &'static str,
}

/// English.
pub const EN: Strings = Strings {
    server: "server {id}",
    leader: "leader {id}",
    vote: "({leader}, {zxid}, round {round})",
    no_vote: "(no leader)",
    start: "starting {server}",
    started: "{server} started",
    crashed: "{server} crashed",
    partition: "network partitioned: {sides}",
    partition_one_way: "messages from {from} to {to} are cut",
    link_cut: "link {from} → {to} cut",
    link_restored: "link {from} → {to} restored",
    heal: "network healed: every link restored",
    drop_by_hand: "message #{id} dropped by hand",
    hold: "message #{id} held",
    release: "message #{id} released",
    sent: "{from} sent {kind} {detail} to {to}",
    delivered: "{to} received {kind} {detail} from {from}",
    dropped: "{kind} from {from} to {to} lost ({why})",
    queued: "{from} queued its vote for unreachable {to}",
    timer: "timer {kind} fired on {node}",
    state: "{server} is {state}",
    phase: "{server} entered {phase}",
    vote_changed: "{server} now proposes {vote}",
    received: "{server} received {vote} from {from} — {verdict}",
    received_settled: "{server} received {state} vote {vote} from {from} — {verdict}",
    verdict_newer_adopt: "newer round: jump to round {round}, adopt it",
    verdict_newer_keep: "newer round: jump to round {round}, keep own vote",
    verdict_older: "older round: ignore, answer with mine",
    verdict_switch: "better: switch",
    verdict_keep: "not better: keep mine",
    verdict_settled: "recorded",
    verdict_ignored: "ignored",
    decided: "{server} decided: {leader} leads ({zxid}, round {round})",
    epoch: "{leader} chose epoch {epoch}",
    sync_chosen: "{leader} chose {mode} for {learner}",
    truncated: "{server} truncated its log to {zxid}",
    synced: "{server} is in sync with {leader} ({mode})",
    established: "{server} is LEADING (epoch {epoch}) and serves clients",
    proposed: "{leader} proposed {zxid}",
    acked: "{leader} got ACK {zxid} from {from}",
    committed: "COMMIT {zxid} on {server}",
    session_expired: "{leader} expired session {session}{client}",
    note: "{server}: {text}",
    categories: [
        "actions", "states", "election", "zab", "commits", "sessions", "messages", "timers",
        "pings",
    ],
    show: "Show:",
    nothing: "No events match the filter yet.",
    earlier: "{n} earlier entries not shown",
    seek_hint: "Go to this moment",
};

/// The feed in Simplified Chinese (protocol names stay as ZooKeeper spells them).
pub const ZH: Strings = Strings {
    server: "服务器 {id}",
    leader: "leader {id}",
    vote: "({leader}, {zxid}, 第 {round} 轮)",
    no_vote: "(没有 leader)",
    start: "正在启动 {server}",
    started: "{server} 已启动",
    crashed: "{server} 宕机了",
    partition: "网络被分区：{sides}",
    partition_one_way: "从 {from} 到 {to} 的消息被切断",
    link_cut: "链路 {from} → {to} 已切断",
    link_restored: "链路 {from} → {to} 已恢复",
    heal: "网络已恢复：所有链路都已接通",
    drop_by_hand: "手动丢弃了消息 #{id}",
    hold: "扣住了消息 #{id}",
    release: "放行了消息 #{id}",
    sent: "{from} 向 {to} 发送了 {kind} {detail}",
    delivered: "{to} 收到了 {from} 发来的 {kind} {detail}",
    dropped: "{from} 发往 {to} 的 {kind} 丢失了（{why}）",
    queued: "{from} 把发给 {to} 的选票放进队列（对方不可达）",
    timer: "{node} 上的定时器 {kind} 触发",
    state: "{server} 进入 {state}",
    phase: "{server} 进入 {phase} 阶段",
    vote_changed: "{server} 现在提议 {vote}",
    received: "{server} 收到 {from} 的选票 {vote} —— {verdict}",
    received_settled: "{server} 收到 {from}（{state}）的选票 {vote} —— {verdict}",
    verdict_newer_adopt: "更新的轮次：跳到第 {round} 轮，改投它",
    verdict_newer_keep: "更新的轮次：跳到第 {round} 轮，坚持自己的票",
    verdict_older: "过期的轮次：忽略，并回复我的选票",
    verdict_switch: "更好：改投",
    verdict_keep: "不更好：坚持原票",
    verdict_settled: "已记下",
    verdict_ignored: "忽略",
    decided: "{server} 做出决定：{leader} 当选（{zxid}，第 {round} 轮）",
    epoch: "{leader} 选定了纪元 {epoch}",
    sync_chosen: "{leader} 对 {learner} 采用 {mode}",
    truncated: "{server} 把日志截断到 {zxid}",
    synced: "{server} 已与 {leader} 同步（{mode}）",
    established: "{server} 成为 LEADING（纪元 {epoch}），开始为客户端服务",
    proposed: "{leader} 提议了 {zxid}",
    acked: "{leader} 收到 {from} 对 {zxid} 的 ACK",
    committed: "{server} 上 COMMIT {zxid}",
    session_expired: "{leader} 让会话 {session}{client} 过期",
    note: "{server}：{text}",
    categories: [
        "操作",
        "状态",
        "选举",
        "Zab",
        "提交",
        "会话",
        "消息",
        "定时器",
        "心跳",
    ],
    show: "显示：",
    nothing: "还没有符合筛选条件的事件。",
    earlier: "前面还有 {n} 条没有显示",
    seek_hint: "跳到这一刻",
};

/// The feed's strings in `lang`.
pub fn strings_for(lang: crate::i18n::Lang) -> Strings {
    match lang {
        crate::i18n::Lang::En => EN,
        crate::i18n::Lang::Zh => ZH,
    }
}

/// Fills `{name}` blanks of `template`.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match args.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What an entry is about; the filter works on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// The user's (or the script's) actions: start, crash, partitions, drops.
    Actions,
    /// Server states, Zab phases.
    States,
    /// Votes received and judged, proposals changed, decisions.
    Election,
    /// Discovery and synchronisation: epochs, sync modes, establishment.
    Zab,
    /// Proposals, ACKs, commits.
    Commits,
    /// Session expiry.
    Sessions,
    /// Messages sent and delivered (and lost).
    Messages,
    /// Timers.
    Timers,
    /// Keep-alive traffic and its timers.
    Pings,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 9] = [
        Category::Actions,
        Category::States,
        Category::Election,
        Category::Zab,
        Category::Commits,
        Category::Sessions,
        Category::Messages,
        Category::Timers,
        Category::Pings,
    ];

    /// Shown unless the user says otherwise (messages, timers and pings are hidden).
    pub fn shown_by_default(self) -> bool {
        !matches!(
            self,
            Category::Messages | Category::Timers | Category::Pings
        )
    }

    /// CSS class suffix and stable name.
    pub fn key(self) -> &'static str {
        match self {
            Category::Actions => "actions",
            Category::States => "states",
            Category::Election => "election",
            Category::Zab => "zab",
            Category::Commits => "commits",
            Category::Sessions => "sessions",
            Category::Messages => "messages",
            Category::Timers => "timers",
            Category::Pings => "pings",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter(u16);

impl Default for Filter {
    fn default() -> Filter {
        let mut f = Filter(0);
        for c in Category::ALL {
            if c.shown_by_default() {
                f = f.with(c, true);
            }
        }
        f
    }
}

impl Filter {
    /// Does the filter show `c`?
    pub fn shows(self, c: Category) -> bool {
        self.0 & c.bit() != 0
    }
    /// The filter with `c` shown or hidden.
    pub fn with(self, c: Category, on: bool) -> Filter {
        if on {
            Filter(self.0 | c.bit())
        } else {
            Filter(self.0 & !c.bit())
        }
    }
}

/// One line of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// Index of the event in the log (what `on_seek` gets).
    pub index: usize,
    /// Simulated time in ms.
    pub at: u64,
    /// What it is about.
    pub category: Category,
    /// The sentence.
    pub text: String,
    /// Servers involved (for highlighting).
    pub servers: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SentInfo {
    index: usize,
    from: Node,
    to: Node,
    kind: &'static str,
    detail: String,
}

/// The feed so far, built event by event.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedLog {
    strings: Strings,
    entries: Vec<FeedEntry>,
    sent: BTreeMap<u64, SentInfo>,
    cursor: LogCursor,
}

// Events hold no floating-point values, so equality is reflexive; `Eq` lets `Rc<FeedLog>`
// props compare by pointer first.
impl Eq for FeedLog {}

impl Default for FeedLog {
    fn default() -> FeedLog {
        FeedLog::with_strings(EN)
    }
}

fn is_ping(kind: &str) -> bool {
    matches!(kind, "PING" | "ping" | "pong")
}

impl FeedLog {
    /// An empty feed in English.
    pub fn new() -> FeedLog {
        FeedLog::default()
    }

    /// An empty feed in another language.
    pub fn with_strings(strings: Strings) -> FeedLog {
        FeedLog {
            strings,
            entries: Vec::new(),
            sent: BTreeMap::new(),
            cursor: LogCursor::default(),
        }
    }

    /// Entries so far, oldest first.
    pub fn entries(&self) -> &[FeedEntry] {
        &self.entries
    }

    /// Number of events read.
    pub fn len(&self) -> usize {
        self.cursor.seen()
    }

    /// True before any event was read.
    pub fn is_empty(&self) -> bool {
        self.cursor.seen() == 0
    }

    /// The strings in use.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// Reads the next events of the log (`events[0]` has index [`FeedLog::len`]).
    pub fn extend(&mut self, events: &[SimEvent], names: &Names) {
        for e in events {
            self.push(e, names);
        }
    }

    /// Forgets the events from index `n` on (the timeline was cut back). Costs what is
    /// forgotten.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.cursor.seen() {
            return;
        }
        let keep = self.entries.partition_point(|e| e.index < n);
        self.entries.truncate(keep);
        // Message ids grow with the events that sent them: forget from the back.
        while let Some(entry) = self.sent.last_entry() {
            if entry.get().index < n {
                break;
            }
            entry.remove();
        }
        self.cursor.truncate(n);
    }

    /// Brings the feed in line with the whole event log `events`: keeps what is still the
    /// same (see [`LogCursor`]), forgets the rest and reads what is new.
    pub fn sync(&mut self, events: &[SimEvent], names: &Names) {
        let keep = self.cursor.common_prefix(events);
        self.truncate(keep);
        let from = self.cursor.seen();
        self.extend(&events[from..], names);
    }

    fn push(&mut self, e: &SimEvent, names: &Names) {
        let index = self.cursor.seen();
        if let Some((category, text, servers)) = self.describe(index, e, names) {
            self.entries.push(FeedEntry {
                index,
                at: e.at.0,
                category,
                text,
                servers,
            });
        }
        self.cursor.note(e);
    }

    fn server(&self, id: ServerId) -> String {
        fill(self.strings.server, &[("id", &id.0.to_string())])
    }

    fn leader_label(&self, id: ServerId) -> String {
        fill(self.strings.leader, &[("id", &id.0.to_string())])
    }

    fn node(&self, n: Node, names: &Names) -> String {
        match n {
            Node::Server(s) => self.server(s),
            Node::Client(c) => names.client(c),
        }
    }

    /// `(2, 0x0, round 1)`.
    pub fn vote_text(&self, leader: i64, zxid: i64, round: i64) -> String {
        if leader == i64::MIN {
            return self.strings.no_vote.to_string();
        }
        fill(
            self.strings.vote,
            &[
                ("leader", &leader.to_string()),
                ("zxid", &Zxid(zxid).to_string()),
                ("round", &round.to_string()),
            ],
        )
    }

    fn verdict(&self, v: Verdict, n: &Notification) -> String {
        let s = &self.strings;
        match v {
            Verdict::NewerRound { adopted: true } => {
                fill(s.verdict_newer_adopt, &[("round", &n.round.to_string())])
            }
            Verdict::NewerRound { adopted: false } => {
                fill(s.verdict_newer_keep, &[("round", &n.round.to_string())])
            }
            Verdict::OlderRound => s.verdict_older.to_string(),
            Verdict::Switch => s.verdict_switch.to_string(),
            Verdict::Keep => s.verdict_keep.to_string(),
            Verdict::Settled => s.verdict_settled.to_string(),
            Verdict::Ignored => s.verdict_ignored.to_string(),
        }
    }

    fn servers_list(&self, side: &[ServerId]) -> String {
        side.iter()
            .map(|s| s.0.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn describe(
        &mut self,
        index: usize,
        e: &SimEvent,
        names: &Names,
    ) -> Option<(Category, String, Vec<u8>)> {
        let s = self.strings;
        let sv = |id: ServerId| vec![id.0];
        let node_servers = |a: Node, b: Node| {
            [a, b]
                .iter()
                .filter_map(|n| match n {
                    Node::Server(s) => Some(s.0),
                    Node::Client(_) => None,
                })
                .collect::<Vec<u8>>()
        };
        Some(match &e.kind {
            EventKind::Input(input) => match input {
                Input::Start(id) => (
                    Category::Actions,
                    fill(s.start, &[("server", &self.server(*id))]),
                    sv(*id),
                ),
                Input::Crash(id) => (
                    Category::Actions,
                    fill(s.crashed, &[("server", &self.server(*id))]),
                    sv(*id),
                ),
                Input::Partition { sides, one_way } => {
                    let all: Vec<u8> = sides.iter().flatten().map(|x| x.0).collect();
                    let text = if *one_way && sides.len() == 2 {
                        fill(
                            s.partition_one_way,
                            &[
                                ("from", &self.servers_list(&sides[0])),
                                ("to", &self.servers_list(&sides[1])),
                            ],
                        )
                    } else {
                        let sides = sides
                            .iter()
                            .map(|x| self.servers_list(x))
                            .collect::<Vec<_>>()
                            .join(" | ");
                        fill(s.partition, &[("sides", &sides)])
                    };
                    (Category::Actions, text, all)
                }
                Input::Link { from, to, cut } => (
                    Category::Actions,
                    fill(
                        if *cut { s.link_cut } else { s.link_restored },
                        &[("from", &self.server(*from)), ("to", &self.server(*to))],
                    ),
                    vec![from.0, to.0],
                ),
                Input::Heal => (Category::Actions, s.heal.to_string(), Vec::new()),
                Input::Drop(id) => (
                    Category::Actions,
                    fill(s.drop_by_hand, &[("id", &id.0.to_string())]),
                    Vec::new(),
                ),
                Input::Hold(id) => (
                    Category::Actions,
                    fill(s.hold, &[("id", &id.0.to_string())]),
                    Vec::new(),
                ),
                Input::Release(id) => (
                    Category::Actions,
                    fill(s.release, &[("id", &id.0.to_string())]),
                    Vec::new(),
                ),
                // Inputs added to the core later are not told until they are taught.
                #[allow(unreachable_patterns)]
                _ => return None,
            },
            EventKind::Sent {
                id,
                from,
                to,
                kind,
                detail,
                ..
            } => {
                self.sent.insert(
                    id.0,
                    SentInfo {
                        index,
                        from: *from,
                        to: *to,
                        kind,
                        detail: detail.clone(),
                    },
                );
                (
                    if is_ping(kind) {
                        Category::Pings
                    } else {
                        Category::Messages
                    },
                    fill(
                        s.sent,
                        &[
                            ("from", &self.node(*from, names)),
                            ("to", &self.node(*to, names)),
                            ("kind", kind),
                            ("detail", detail),
                        ],
                    )
                    .replace("  ", " "),
                    node_servers(*from, *to),
                )
            }
            EventKind::Delivered { id } => {
                // Kept after delivery: a timeline cut back between send and delivery needs it.
                let m = self.sent.get(&id.0)?.clone();
                (
                    if is_ping(m.kind) {
                        Category::Pings
                    } else {
                        Category::Messages
                    },
                    fill(
                        s.delivered,
                        &[
                            ("from", &self.node(m.from, names)),
                            ("to", &self.node(m.to, names)),
                            ("kind", m.kind),
                            ("detail", &m.detail),
                        ],
                    )
                    .replace("  ", " "),
                    node_servers(m.from, m.to),
                )
            }
            EventKind::Dropped { id, why } => {
                let m = self.sent.get(&id.0)?.clone();
                (
                    if is_ping(m.kind) {
                        Category::Pings
                    } else {
                        Category::Actions
                    },
                    fill(
                        s.dropped,
                        &[
                            ("from", &self.node(m.from, names)),
                            ("to", &self.node(m.to, names)),
                            ("kind", m.kind),
                            ("why", why),
                        ],
                    ),
                    node_servers(m.from, m.to),
                )
            }
            EventKind::Queued { from, to } => (
                Category::Election,
                fill(
                    s.queued,
                    &[("from", &self.server(*from)), ("to", &self.server(*to))],
                ),
                vec![from.0, to.0],
            ),
            EventKind::Timer { node, kind } => (
                if matches!(*kind, "client-ping" | "leader-tick") {
                    Category::Pings
                } else {
                    Category::Timers
                },
                fill(
                    s.timer,
                    &[("node", &self.node(*node, names)), ("kind", kind)],
                ),
                node_servers(*node, *node).into_iter().take(1).collect(),
            ),
            EventKind::Started { server } => (
                Category::States,
                fill(s.started, &[("server", &self.server(*server))]),
                sv(*server),
            ),
            EventKind::StateChanged { server, to, .. } => (
                Category::States,
                fill(
                    s.state,
                    &[("server", &self.server(*server)), ("state", to.name())],
                ),
                sv(*server),
            ),
            EventKind::ZabPhaseChanged { server, phase } => (
                Category::States,
                fill(
                    s.phase,
                    &[("server", &self.server(*server)), ("phase", phase.name())],
                ),
                sv(*server),
            ),
            EventKind::VoteChanged {
                server,
                leader,
                zxid,
                round,
                ..
            } => (
                Category::Election,
                fill(
                    s.vote_changed,
                    &[
                        ("server", &self.server(*server)),
                        ("vote", &self.vote_text(*leader, *zxid, *round)),
                    ],
                ),
                sv(*server),
            ),
            EventKind::Received {
                server,
                from,
                n,
                verdict,
            } => {
                let vote = self.vote_text(n.leader, n.zxid, n.round);
                let verdict = self.verdict(*verdict, n);
                let (server_s, from_s) = (self.server(*server), self.server(*from));
                let text = if n.state == ServerState::Looking {
                    fill(
                        s.received,
                        &[
                            ("server", &server_s),
                            ("vote", &vote),
                            ("from", &from_s),
                            ("verdict", &verdict),
                        ],
                    )
                } else {
                    fill(
                        s.received_settled,
                        &[
                            ("server", &server_s),
                            ("state", n.state.name()),
                            ("vote", &vote),
                            ("from", &from_s),
                            ("verdict", &verdict),
                        ],
                    )
                };
                (Category::Election, text, vec![server.0, from.0])
            }
            EventKind::Decided {
                server,
                leader,
                zxid,
                round,
            } => (
                Category::Election,
                fill(
                    s.decided,
                    &[
                        ("server", &self.server(*server)),
                        (
                            "leader",
                            &u8::try_from(*leader)
                                .map(|l| self.server(ServerId(l)))
                                .unwrap_or_else(|_| leader.to_string()),
                        ),
                        ("zxid", &Zxid(*zxid).to_string()),
                        ("round", &round.to_string()),
                    ],
                ),
                sv(*server),
            ),
            EventKind::EpochDecided { server, epoch } => (
                Category::Zab,
                fill(
                    s.epoch,
                    &[
                        ("leader", &self.leader_label(*server)),
                        ("epoch", &epoch.to_string()),
                    ],
                ),
                sv(*server),
            ),
            EventKind::SyncChosen {
                leader,
                learner,
                mode,
            } => (
                Category::Zab,
                fill(
                    s.sync_chosen,
                    &[
                        ("leader", &self.leader_label(*leader)),
                        ("mode", &mode.name().to_uppercase()),
                        ("learner", &self.server(*learner)),
                    ],
                ),
                vec![leader.0, learner.0],
            ),
            EventKind::Truncated { server, zxid } => (
                Category::Zab,
                fill(
                    s.truncated,
                    &[
                        ("server", &self.server(*server)),
                        ("zxid", &zxid.to_string()),
                    ],
                ),
                sv(*server),
            ),
            EventKind::Synced {
                server,
                leader,
                mode,
            } => (
                Category::Zab,
                fill(
                    s.synced,
                    &[
                        ("server", &self.server(*server)),
                        ("leader", &self.leader_label(*leader)),
                        ("mode", &mode.name().to_uppercase()),
                    ],
                ),
                vec![server.0, leader.0],
            ),
            EventKind::Established { leader, epoch } => (
                Category::Zab,
                fill(
                    s.established,
                    &[
                        ("server", &self.server(*leader)),
                        ("epoch", &epoch.to_string()),
                    ],
                ),
                sv(*leader),
            ),
            EventKind::Proposed { leader, zxid } => (
                Category::Commits,
                fill(
                    s.proposed,
                    &[
                        ("leader", &self.leader_label(*leader)),
                        ("zxid", &zxid.to_string()),
                    ],
                ),
                sv(*leader),
            ),
            EventKind::Acked { leader, from, zxid } => (
                Category::Commits,
                fill(
                    s.acked,
                    &[
                        ("leader", &self.leader_label(*leader)),
                        ("zxid", &zxid.to_string()),
                        ("from", &self.server(*from)),
                    ],
                ),
                vec![leader.0, from.0],
            ),
            EventKind::Committed { server, zxid } => (
                Category::Commits,
                fill(
                    s.committed,
                    &[
                        ("zxid", &zxid.to_string()),
                        ("server", &self.server(*server)),
                    ],
                ),
                sv(*server),
            ),
            EventKind::SessionExpired { leader, session } => (
                Category::Sessions,
                fill(
                    s.session_expired,
                    &[
                        ("leader", &self.leader_label(*leader)),
                        ("session", &hex(session.0 as i64)),
                        (
                            "client",
                            &names
                                .session(*session)
                                .map(|c| format!(" ({c})"))
                                .unwrap_or_default(),
                        ),
                    ],
                ),
                sv(*leader),
            ),
            EventKind::Note { server, text } => (
                Category::States,
                fill(s.note, &[("server", &self.server(*server)), ("text", text)]),
                sv(*server),
            ),
            // Events added to the core later are not told until they are taught.
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }
}

/// The entries `filter` shows, optionally only those involving `server`.
pub fn filtered(entries: &[FeedEntry], filter: Filter, server: Option<u8>) -> Vec<&FeedEntry> {
    entries
        .iter()
        .filter(|e| filter.shows(e.category) && server.is_none_or(|s| e.servers.contains(&s)))
        .collect()
}

/// What the feed draws: the last `limit` entries that `filter` and `server` let through among
/// those up to event `upto` (all of them for `None`), oldest first, and how many earlier ones
/// that leaves out. The feed follows the timeline: after a seek into the past it ends there.
pub fn window(
    entries: &[FeedEntry],
    filter: Filter,
    server: Option<u8>,
    upto: Option<usize>,
    limit: usize,
) -> (usize, Vec<&FeedEntry>) {
    let end = upto.map_or(entries.len(), |u| entries.partition_point(|e| e.index <= u));
    let passes =
        |e: &&FeedEntry| filter.shows(e.category) && server.is_none_or(|s| e.servers.contains(&s));
    let mut shown: Vec<&FeedEntry> = entries[..end]
        .iter()
        .rev()
        .filter(passes)
        .take(limit)
        .collect();
    shown.reverse();
    let earlier = match shown.first() {
        Some(first) => entries[..end]
            .iter()
            .take_while(|e| e.index < first.index)
            .filter(passes)
            .count(),
        None => 0,
    };
    (earlier, shown)
}

/// `12.345 s` for a simulated time in ms.
pub fn time_label(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

// ----- component -----

/// Props of [`FeedPanel`].
#[derive(Properties, PartialEq)]
pub struct FeedPanelProps {
    /// The feed ([`FeedLog`], kept in step with the event log by the page).
    pub feed: Rc<FeedLog>,
    /// The event index of the moment shown, to mark the current entry.
    #[prop_or_default]
    pub current: Option<usize>,
    /// Only entries involving this server (e.g. the selected one).
    #[prop_or_default]
    pub server: Option<u8>,
    /// At most this many entries are drawn (the latest up to the moment shown).
    #[prop_or(50)]
    pub limit: usize,
    /// An entry was clicked: go to its event.
    pub on_seek: Callback<usize>,
}

/// The event feed: category toggles (messages, timers and pings hidden by default) and the
/// latest matching entries, each a button (`data-event="INDEX"`) that seeks to its moment.
#[component]
pub fn FeedPanel(props: &FeedPanelProps) -> Html {
    let filter = use_state(Filter::default);
    let list_ref = use_node_ref();
    let strings = *props.feed.strings();
    let (skipped, shown) = window(
        props.feed.entries(),
        *filter,
        props.server,
        props.current,
        props.limit,
    );
    let last_index = shown.last().map(|e| e.index);

    {
        let list_ref = list_ref.clone();
        use_effect_with(last_index, move |_| {
            if let Some(el) = list_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let toggles = Category::ALL.iter().enumerate().map(|(i, c)| {
        let on = filter.shows(*c);
        let onchange = {
            let filter = filter.clone();
            let c = *c;
            Callback::from(move |_: Event| filter.set(filter.with(c, !filter.shows(c))))
        };
        html! {
            <label class={classes!("feed-toggle", format!("cat-{}", c.key()))}>
                <input type="checkbox" checked={on} {onchange} data-feed-category={c.key()} />
                { strings.categories[i] }
            </label>
        }
    });

    // Rows without keys: after a seek every entry differs, and patching the same 50 rows is
    // cheaper than replacing them (BENCHMARKS.md, "seek").
    let items = shown.iter().map(|e| {
        let onclick = {
            let cb = props.on_seek.clone();
            let i = e.index;
            Callback::from(move |_: MouseEvent| cb.emit(i))
        };
        let current = props.current == Some(e.index);
        html! {
            <li class={classes!("feed-entry", format!("cat-{}", e.category.key()), current.then_some("current"))}>
                <button type="button" class="feed-button" data-event={e.index.to_string()} title={strings.seek_hint} {onclick}>
                    <span class="feed-time">{ time_label(e.at) }</span>
                    <span class="feed-text">{ e.text.clone() }</span>
                </button>
            </li>
        }
    });

    html! {
        <section class="panel-feed">
            <div class="feed-filter" role="group">
                <span class="muted">{ strings.show }</span>
                { for toggles }
            </div>
            if shown.is_empty() {
                <p class="empty">{ strings.nothing }</p>
            } else {
                <ol class="feed-list" ref={list_ref}>
                    if skipped > 0 {
                        <li class="feed-more muted">{ fill(strings.earlier, &[("n", &skipped.to_string())]) }</li>
                    }
                    { for items }
                </ol>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::script::{RunOptions, run};

    fn events(src: &str) -> (Vec<SimEvent>, Names) {
        let out = run(
            "t.zks",
            src,
            RunOptions {
                events: true,
                ..Default::default()
            },
        )
        .unwrap();
        (out.sim.events().to_vec(), Names::from_sim(&out.sim))
    }

    #[test]
    fn fill_blanks() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{b}{a}", &[("a", "x"), ("b", "y")]), "yx");
        assert_eq!(fill("{missing} {", &[]), "{missing} {");
    }

    #[test]
    fn filter_bits() {
        let f = Filter::default();
        assert!(f.shows(Category::Election) && f.shows(Category::Commits));
        assert!(!f.shows(Category::Messages) && !f.shows(Category::Pings));
        assert!(!f.shows(Category::Timers));
        let g = f
            .with(Category::Pings, true)
            .with(Category::Election, false);
        assert!(g.shows(Category::Pings) && !g.shows(Category::Election));
    }

    #[test]
    fn an_election_in_plain_english() {
        let src =
            "servers 3\nstart 1 2 3\nconnect c1 to 1\nc1: create /a x\ncrash 2\nawait leader\n";
        let (ev, names) = events(src);
        let mut feed = FeedLog::new();
        feed.extend(&ev, &names);
        assert_eq!(feed.len(), ev.len());
        let texts: Vec<&str> = feed.entries().iter().map(|e| e.text.as_str()).collect();
        let has = |t: &str| texts.contains(&t);
        assert!(has("server 1 started"), "{texts:#?}");
        assert!(
            has("server 1 received (2, 0x0, round 1) from server 2 — better: switch"),
            "{texts:#?}"
        );
        assert!(has("server 2 is LEADING"), "{texts:#?}");
        assert!(
            has("server 2 is LEADING (epoch 1) and serves clients"),
            "{texts:#?}"
        );
        assert!(has("leader 2 chose epoch 1"), "{texts:#?}");
        assert!(has("COMMIT 0x100000002 on server 1"), "{texts:#?}");
        assert!(has("server 2 crashed"), "{texts:#?}");
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("leader 2 chose ") && t.ends_with(" for server 3")),
            "{texts:#?}"
        );
        // Indices point at the events they describe, in order.
        for e in feed.entries() {
            assert_eq!(ev[e.index].at.0, e.at);
        }
        assert!(feed.entries().windows(2).all(|w| w[0].index < w[1].index));
        // Messages are there, but hidden by default.
        let all = feed.entries().len();
        let shown = filtered(feed.entries(), Filter::default(), None).len();
        assert!(shown < all);
        assert!(
            feed.entries()
                .iter()
                .any(|e| e.category == Category::Messages
                    && e.text.starts_with("server 1 received NOTIFICATION LOOKING"))
        );
        let only3 = filtered(feed.entries(), Filter::default(), Some(3));
        assert!(!only3.is_empty() && only3.iter().all(|e| e.servers.contains(&3)));
    }

    #[test]
    fn the_window_ends_at_the_moment_shown() {
        let (ev, names) = events(
            "servers 3\nstart\nconnect c1\nc1: create /a\nc1: set /a b\ncrash 1\nawait leader\n",
        );
        let mut feed = FeedLog::new();
        feed.extend(&ev, &names);
        let all = feed.entries();
        for filter in [
            Filter::default(),
            Filter::default().with(Category::Messages, true),
        ] {
            for server in [None, Some(2)] {
                let every = filtered(all, filter, server);
                for upto in [
                    None,
                    Some(0),
                    Some(all.len() / 3),
                    Some(all[all.len() / 2].index),
                    Some(usize::MAX),
                ] {
                    for limit in [1, 5, 300] {
                        let (earlier, shown) = window(all, filter, server, upto, limit);
                        let until: Vec<&FeedEntry> = every
                            .iter()
                            .copied()
                            .filter(|e| upto.is_none_or(|u| e.index <= u))
                            .collect();
                        let start = until.len().saturating_sub(limit);
                        assert_eq!(shown, until[start..].to_vec(), "{upto:?} {limit}");
                        assert_eq!(earlier, start, "{upto:?} {limit}");
                    }
                }
            }
        }
    }

    #[test]
    fn incremental_truncate_and_sync_agree_with_a_fresh_build() {
        let (ev, names) = events("servers 3\nstart\nconnect c1\nc1: create /a\n");
        let mut whole = FeedLog::new();
        whole.extend(&ev, &names);
        let mut parts = FeedLog::new();
        let mid = ev.len() / 2;
        parts.extend(&ev[..mid], &names);
        parts.extend(&ev[mid..], &names);
        assert_eq!(parts, whole);

        let mut cut = whole.clone();
        cut.truncate(mid);
        let mut fresh = FeedLog::new();
        fresh.extend(&ev[..mid], &names);
        assert_eq!(cut.entries(), fresh.entries());
        cut.extend(&ev[mid..], &names);
        assert_eq!(cut.entries(), whole.entries());

        // sync: growth, then a shorter log, then a different one.
        let mut s = FeedLog::new();
        s.sync(&ev[..mid], &names);
        s.sync(&ev, &names);
        assert_eq!(s.entries(), whole.entries());
        s.sync(&ev[..3], &names);
        assert_eq!(s.len(), 3);
        let mut other = ev[..5].to_vec();
        other[2].at = zkplay_core::SimTime(99_999);
        s.sync(&other, &names);
        assert_eq!(s.len(), 5);
        assert!(s.entries().iter().any(|e| e.at == 99_999));
    }

    #[test]
    fn session_expiry_names_the_client() {
        let (ev, names) =
            events("servers 3\nstart\nconnect c1 timeout 4000\nc1: create -e /e\nexpire c1\n");
        let mut feed = FeedLog::new();
        feed.extend(&ev, &names);
        assert!(
            feed.entries()
                .iter()
                .any(|e| e.category == Category::Sessions && e.text.ends_with("(c1)")),
            "{:#?}",
            feed.entries()
        );
    }

    #[test]
    fn times() {
        assert_eq!(time_label(0), "0.000 s");
        assert_eq!(time_label(12_345), "12.345 s");
    }
}
