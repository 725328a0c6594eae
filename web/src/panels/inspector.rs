//! The inspector: the selected server's state, vote, logicalclock, recvset and
//! outofelection (votes that agree with its proposal marked, with the tally against the
//! quorum), acceptedEpoch/currentEpoch, last zxid, its transaction log as a zxid grid (one row
//! per epoch), the leader's proposals waiting for ACKs and its learners, the learner's
//! leader, `srvr`/`mntr` and `Mode:` (core/src/fourlw.rs); and the selected message's fields.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::election::Vote;
use zkplay_core::fourlw::{NOT_RUNNING, four_letter, mode_line};
use zkplay_core::msg::{ClientReq, ClientResp, ForwardedOp, Msg, OpResult, ReadOp, ZabMsg};
use zkplay_core::server::PRESET_CXID;
use zkplay_core::sim::MsgId;
use zkplay_core::{ServerId, ServerState, Sim, Zxid};

use super::{Names, hex};

/// User-facing strings, in English ([`EN_TEXT`]) and Simplified Chinese ([`ZH_TEXT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub nothing: &'static str,
    pub state: &'static str,
    pub phase: &'static str,
    pub sync: &'static str,
    pub vote: &'static str,
    pub proposal: &'static str,
    pub logicalclock: &'static str,
    pub epochs: &'static str,
    pub last_zxid: &'static str,
    pub recvset: &'static str,
    pub outofelection: &'static str,
    pub agree: &'static str,
    pub quorum: &'static str,
    pub no_votes: &'static str,
    pub log: &'static str,
    pub log_empty: &'static str,
    pub committed: &'static str,
    pub logged: &'static str,
    pub preset: &'static str,
    pub earlier: &'static str,
    pub outstanding: &'static str,
    pub learners: &'static str,
    pub leader: &'static str,
    pub observer: &'static str,
    pub message: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub sent: &'static str,
    pub due: &'static str,
    pub held: &'static str,
    pub ms: &'static str,
    pub server: &'static str,
}

/// The inspector in English.
pub const EN_TEXT: Texts = Texts {
    nothing: "Click a server to inspect it.",
    state: "state",
    phase: "Zab phase",
    sync: "last sync",
    vote: "current vote",
    proposal: "proposal",
    logicalclock: "logicalclock",
    epochs: "acceptedEpoch / currentEpoch",
    last_zxid: "last zxid",
    recvset: "recvset",
    outofelection: "outofelection",
    agree: "agree with the proposal",
    quorum: "quorum",
    no_votes: "no votes",
    log: "transaction log",
    log_empty: "empty",
    committed: "committed",
    logged: "logged, not committed",
    preset: "preset history",
    earlier: "earlier transactions not shown",
    outstanding: "proposals waiting for ACKs",
    learners: "learners",
    leader: "leader",
    observer: "observer",
    message: "message",
    from: "from",
    to: "to",
    sent: "sent at",
    due: "arrives at",
    held: "held",
    ms: "ms",
    server: "server",
};

/// The inspector in Simplified Chinese.
pub const ZH_TEXT: Texts = Texts {
    nothing: "点击一台服务器来查看它。",
    state: "状态",
    phase: "Zab 阶段",
    sync: "上次同步",
    vote: "当前选票",
    proposal: "提议",
    logicalclock: "logicalclock（选举轮次）",
    epochs: "acceptedEpoch / currentEpoch（纪元）",
    last_zxid: "最新 zxid",
    recvset: "recvset（本轮收到的选票）",
    outofelection: "outofelection（已结束选举者的选票）",
    agree: "票与提议一致",
    quorum: "法定人数",
    no_votes: "没有选票",
    log: "事务日志",
    log_empty: "空",
    committed: "已提交",
    logged: "已记录，未提交",
    preset: "预设历史",
    earlier: "条更早的事务未显示",
    outstanding: "等待 ACK 的提议",
    learners: "learner（跟随者与观察者）",
    leader: "leader（领导者）",
    observer: "观察者",
    message: "消息",
    from: "发送方",
    to: "接收方",
    sent: "发送于",
    due: "到达于",
    held: "已扣住",
    ms: "毫秒",
    server: "服务器",
};

/// The inspector's strings in `lang`.
pub fn texts(lang: crate::i18n::Lang) -> &'static Texts {
    match lang {
        crate::i18n::Lang::En => &EN_TEXT,
        crate::i18n::Lang::Zh => &ZH_TEXT,
    }
}

/// How many log cells the grid shows at most (the latest).
pub const GRID_LIMIT: usize = 240;

/// A vote as the inspector lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRow {
    /// From which server.
    pub from: u8,
    /// Proposed leader (`i64::MIN` for none).
    pub leader: i64,
    /// Its zxid.
    pub zxid: i64,
    /// The round.
    pub round: i64,
    /// Its peer epoch.
    pub peer_epoch: i64,
    /// The state it was cast in.
    pub state: ServerState,
    /// It agrees with the inspected server's proposal.
    pub agrees: bool,
    /// The sender votes (is not an observer).
    pub voter: bool,
}

/// One cell of the zxid grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Applied (committed, or replayed from the log).
    Committed,
    /// In the log, not committed yet.
    Logged,
    /// A `history` preset.
    Preset,
}

/// A row of the zxid grid: one epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// The epoch.
    pub epoch: u32,
    /// (counter, state) in zxid order.
    pub cells: Vec<(u32, CellState)>,
}

/// A proposal in flight at the leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Its zxid.
    pub zxid: i64,
    /// Voters that acknowledged it.
    pub acks: Vec<u8>,
    /// The quorum.
    pub needed: usize,
}

/// The selected server, as the inspector shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInspect {
    /// `myid`.
    pub id: u8,
    /// An observer.
    pub observer: bool,
    /// Running.
    pub up: bool,
    /// Peer state.
    pub state: ServerState,
    /// Zab phase name.
    pub phase: &'static str,
    /// Last sync mode name.
    pub sync_mode: &'static str,
    /// Current vote: (leader, zxid, round, peer epoch).
    pub vote: (i64, i64, i64, i64),
    /// The election's proposal: (leader, zxid, peer epoch).
    pub proposal: (i64, i64, i64),
    /// logicalclock.
    pub logicalclock: i64,
    /// Votes received this round.
    pub recvset: Vec<VoteRow>,
    /// Settled votes from outside the election.
    pub outofelection: Vec<VoteRow>,
    /// Voters in recvset that agree with the proposal.
    pub agree: usize,
    /// The quorum size.
    pub quorum: usize,
    /// acceptedEpoch.
    pub accepted_epoch: u32,
    /// currentEpoch.
    pub current_epoch: u32,
    /// Last zxid in the database.
    pub last_zxid: i64,
    /// The transaction log by epoch (latest [`GRID_LIMIT`] entries).
    pub grid: Vec<GridRow>,
    /// Log entries left out of the grid.
    pub grid_skipped: usize,
    /// Leader: proposals waiting for their quorum.
    pub pending: Vec<Pending>,
    /// Leader: learners and their handler stage.
    pub learners: Vec<(u8, String)>,
    /// Learner: its leader.
    pub leader: Option<u8>,
    /// `srvr` as the server answers it now.
    pub srvr: String,
    /// `mntr` as the server answers it now.
    pub mntr: String,
    /// `zkServer.sh status`'s `Mode:` line, or its error.
    pub mode: String,
}

fn vote_row(from: u8, v: &Vote, proposal: Option<&Vote>, voter: bool) -> VoteRow {
    VoteRow {
        from,
        leader: v.id,
        zxid: v.zxid,
        round: v.election_epoch,
        peer_epoch: v.peer_epoch,
        state: v.state,
        agrees: proposal.is_some_and(|p| p.agrees_with(v)),
        voter,
    }
}

/// Server `id` of `sim`, for the inspector.
pub fn inspect_server(sim: &Sim, id: ServerId) -> ServerInspect {
    let cfg = sim.config();
    let s = sim.server(id);
    let fle = &s.fle;
    let looking = s.up && s.state == ServerState::Looking;
    let mut proposal_vote = Vote::new(
        fle.proposal.0,
        fle.proposal.1,
        fle.logicalclock,
        fle.proposal.2,
    );
    proposal_vote.state = ServerState::Looking;
    let recvset: Vec<VoteRow> = fle
        .recvset
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let from = cfg.id_at(i);
            v.as_ref().map(|v| {
                vote_row(
                    from.0,
                    v,
                    looking.then_some(&proposal_vote),
                    cfg.is_voter(from),
                )
            })
        })
        .collect();
    // Settled votes agree when they name the proposed leader (what checkLeader counts).
    let outofelection: Vec<VoteRow> = fle
        .outofelection
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let from = cfg.id_at(i);
            v.as_ref().map(|v| {
                let mut r = vote_row(from.0, v, None, cfg.is_voter(from));
                r.agrees = looking && v.id == fle.proposal.0;
                r
            })
        })
        .collect();
    let agree = recvset.iter().filter(|r| r.agrees && r.voter).count();

    // The log as a grid, committed cells marked.
    let applied: BTreeSet<Zxid> = s.delivered.iter().copied().collect();
    let log = &s.disk.log;
    let skipped = log.len().saturating_sub(GRID_LIMIT);
    let mut grid: Vec<GridRow> = Vec::new();
    for t in &log[skipped..] {
        let z = t.txn.zxid;
        let st = if t.cxid == PRESET_CXID {
            CellState::Preset
        } else if applied.contains(&z) {
            CellState::Committed
        } else {
            CellState::Logged
        };
        match grid.last_mut() {
            Some(row) if row.epoch == z.epoch() => row.cells.push((z.counter(), st)),
            _ => grid.push(GridRow {
                epoch: z.epoch(),
                cells: vec![(z.counter(), st)],
            }),
        }
    }

    let (pending, learners) = match s.leader_state() {
        Some(l) => (
            l.outstanding
                .values()
                .map(|o| Pending {
                    zxid: o.txn.txn.zxid.0,
                    acks: o.acks.iter().map(|a| a.0).collect(),
                    needed: cfg.quorum_size(),
                })
                .collect(),
            l.handlers
                .iter()
                .map(|(sid, h)| (sid.0, format!("{:?}", h.stage)))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };

    ServerInspect {
        id: id.0,
        observer: s.observer,
        up: s.up,
        state: s.state,
        phase: s.zab.name(),
        sync_mode: s.sync_mode.name(),
        vote: (
            s.current_vote.id,
            s.current_vote.zxid,
            s.current_vote.election_epoch,
            s.current_vote.peer_epoch,
        ),
        proposal: fle.proposal,
        logicalclock: fle.logicalclock,
        recvset,
        outofelection,
        agree,
        quorum: cfg.quorum_size(),
        accepted_epoch: s.disk.accepted_epoch,
        current_epoch: s.disk.current_epoch,
        last_zxid: s.last_logged_zxid().0,
        grid,
        grid_skipped: skipped,
        pending,
        learners,
        leader: s.learner_state().map(|l| l.leader.0),
        srvr: four_letter(sim, id, "srvr"),
        mntr: four_letter(sim, id, "mntr"),
        mode: match mode_line(sim, id) {
            Some(m) => format!("Mode: {m}"),
            None => NOT_RUNNING.to_string(),
        },
    }
}

/// A message in flight, for the inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInspect {
    /// Id.
    pub id: u64,
    /// Kind.
    pub kind: &'static str,
    /// Sender label.
    pub from: String,
    /// Receiver label.
    pub to: String,
    /// Sent at (ms).
    pub sent_at: u64,
    /// Arrives at (ms).
    pub deliver_at: u64,
    /// Held back.
    pub held: bool,
    /// Its fields: (name, value).
    pub fields: Vec<(&'static str, String)>,
}

/// The message `id` if it is in flight in `sim`.
pub fn inspect_message(sim: &Sim, id: MsgId) -> Option<MessageInspect> {
    let names = Names::from_sim(sim);
    let m = sim.in_flight().find(|m| m.id == id)?;
    Some(MessageInspect {
        id: m.id.0,
        kind: m.msg.kind(),
        from: names.node(m.from),
        to: names.node(m.to),
        sent_at: m.sent_at.0,
        deliver_at: m.deliver_at.0,
        held: m.held,
        fields: message_fields(&m.msg, &names),
    })
}

fn z(v: Zxid) -> String {
    hex(v.0)
}

fn leader_id(v: i64) -> String {
    if v == i64::MIN {
        "none".to_string()
    } else {
        v.to_string()
    }
}

/// The fields of a message, by the names ZooKeeper gives them.
pub fn message_fields(msg: &Msg, names: &Names) -> Vec<(&'static str, String)> {
    let session = |s: zkplay_core::SessionId| {
        let h = hex(s.0 as i64);
        match names.session(s) {
            Some(c) => format!("{h} ({c})"),
            None => h,
        }
    };
    match msg {
        Msg::Vote(n) => vec![
            ("state", n.state.name().to_string()),
            ("leader", leader_id(n.leader)),
            ("zxid", hex(n.zxid)),
            ("electionEpoch", n.round.to_string()),
            ("peerEpoch", n.peer_epoch.to_string()),
            ("version", n.version.to_string()),
        ],
        Msg::Zab { conn, pkt } => {
            let mut f = vec![
                ("type", pkt.kind().to_string()),
                ("connection", conn.to_string()),
            ];
            match pkt {
                ZabMsg::LearnerInfo { accepted_epoch, .. } => {
                    f.push(("acceptedEpoch", accepted_epoch.to_string()));
                }
                ZabMsg::LeaderInfo { epoch } => f.push(("newEpoch", epoch.to_string())),
                ZabMsg::AckEpoch {
                    last_zxid,
                    current_epoch,
                } => {
                    f.push(("lastLoggedZxid", z(*last_zxid)));
                    f.push(("currentEpoch", current_epoch.to_string()));
                }
                ZabMsg::Diff { zxid }
                | ZabMsg::Trunc { zxid }
                | ZabMsg::Ack { zxid }
                | ZabMsg::Commit { zxid }
                | ZabMsg::NewLeader { zxid } => f.push(("zxid", z(*zxid))),
                ZabMsg::Snap { zxid, snapshot } => {
                    f.push(("zxid", z(*zxid)));
                    f.push(("znodes", snapshot.tree.len().to_string()));
                    f.push(("sessions", snapshot.sessions.len().to_string()));
                }
                ZabMsg::Proposal(t) | ZabMsg::Inform(t) => {
                    f.push(("zxid", z(t.txn.zxid)));
                    f.push(("txn", t.txn.body.kind().to_string()));
                    f.push(("session", session(t.txn.session)));
                    f.push(("cxid", t.cxid.to_string()));
                }
                ZabMsg::Ping { zxid, touches } => {
                    f.push(("zxid", z(*zxid)));
                    f.push(("session touches", touches.len().to_string()));
                }
                ZabMsg::Request {
                    session: s,
                    cxid,
                    op,
                } => {
                    f.push(("session", session(*s)));
                    f.push(("cxid", cxid.to_string()));
                    f.push((
                        "op",
                        match op {
                            ForwardedOp::Write(w, _) => match w.path() {
                                Some(p) => format!("{} {p}", w.kind()),
                                None => w.kind().to_string(),
                            },
                            ForwardedOp::CreateSession { timeout } => {
                                format!("createSession {timeout} ms")
                            }
                            ForwardedOp::CloseSession => "closeSession".to_string(),
                            ForwardedOp::Sync => "sync".to_string(),
                        },
                    ));
                }
                ZabMsg::Revalidate {
                    session: s,
                    timeout,
                } => {
                    f.push(("session", session(*s)));
                    f.push(("timeout", timeout.to_string()));
                }
                ZabMsg::RevalidateReply { session: s, valid } => {
                    f.push(("session", session(*s)));
                    f.push(("valid", valid.to_string()));
                }
                ZabMsg::UpToDate | ZabMsg::Sync => {}
                #[allow(unreachable_patterns)]
                _ => {}
            }
            f
        }
        Msg::Request { conn, req } => {
            let mut f = vec![
                ("type", req.kind().to_string()),
                ("connection", conn.to_string()),
            ];
            match req {
                ClientReq::Connect {
                    session: s,
                    timeout,
                    last_zxid,
                } => {
                    f.push(("sessionId", session(*s)));
                    f.push(("timeOut", timeout.to_string()));
                    f.push(("lastZxidSeen", z(*last_zxid)));
                }
                ClientReq::Read { xid, op } => {
                    f.push(("xid", xid.to_string()));
                    let (path, watch) = match op {
                        ReadOp::GetData { path, watch }
                        | ReadOp::Exists { path, watch }
                        | ReadOp::GetChildren { path, watch } => (path, Some(*watch)),
                        ReadOp::GetAcl { path } => (path, None),
                    };
                    f.push(("path", path.clone()));
                    if let Some(w) = watch {
                        f.push(("watch", w.to_string()));
                    }
                }
                ClientReq::Write { xid, op } => {
                    f.push(("xid", xid.to_string()));
                    if let Some(p) = op.path() {
                        f.push(("path", p.to_string()));
                    }
                }
                ClientReq::Sync { xid, path } => {
                    f.push(("xid", xid.to_string()));
                    f.push(("path", path.clone()));
                }
                ClientReq::Close { xid } => f.push(("xid", xid.to_string())),
                ClientReq::AddAuth { scheme, .. } => f.push(("scheme", scheme.clone())),
                ClientReq::SetWatches(w) => {
                    f.push(("relativeZxid", z(w.relative_zxid)));
                    f.push(("dataWatches", w.data.join(", ")));
                    f.push(("existWatches", w.exist.join(", ")));
                    f.push(("childWatches", w.child.join(", ")));
                }
                ClientReq::Ping => {}
                #[allow(unreachable_patterns)]
                _ => {}
            }
            f
        }
        Msg::Reply { conn, resp } => {
            let mut f = vec![
                ("type", resp.kind().to_string()),
                ("connection", conn.to_string()),
            ];
            match resp {
                ClientResp::Connected {
                    session: s,
                    timeout,
                } => {
                    f.push(("sessionId", session(*s)));
                    f.push(("timeOut", timeout.to_string()));
                }
                ClientResp::Pong { zxid } => f.push(("zxid", z(*zxid))),
                ClientResp::Result { xid, zxid, result } => {
                    f.push(("xid", xid.to_string()));
                    f.push(("zxid", z(*zxid)));
                    f.push(("result", result_summary(result)));
                }
                ClientResp::Watch(ev) => {
                    f.push(("event", ev.kind.name().to_string()));
                    f.push(("path", ev.path.clone()));
                }
                ClientResp::Expired | ClientResp::Refused | ClientResp::Closing => {}
                #[allow(unreachable_patterns)]
                _ => {}
            }
            f
        }
        Msg::Reset { conn } => vec![
            ("type", "RESET".to_string()),
            ("connection", conn.to_string()),
        ],
        #[allow(unreachable_patterns)]
        other => vec![("type", other.kind().to_string())],
    }
}

fn result_summary(r: &OpResult) -> String {
    match r {
        OpResult::Err(e) => e.name().to_string(),
        OpResult::Done => "OK".to_string(),
        OpResult::Created(p) => format!("created {p}"),
        OpResult::Data(d, _) => format!("{} bytes", d.as_ref().map_or(0, Vec::len)),
        OpResult::Stat(s) => format!("stat mzxid {}", hex(s.mzxid.0)),
        OpResult::Children(c, _) => format!("[{}]", c.join(", ")),
        OpResult::Acl(a, _) => format!("{} ACL entries", a.len()),
        OpResult::Multi(rs) => format!("multi of {}", rs.len()),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

/// `(2, 0x0, round 1)` or `(none)`.
pub fn vote_label(leader: i64, zxid: i64, round: i64) -> String {
    if leader == i64::MIN {
        "(none)".to_string()
    } else {
        format!("({leader}, {}, round {round})", hex(zxid))
    }
}

// ----- component -----

/// Props of [`InspectorPanel`].
#[derive(Properties, PartialEq)]
pub struct InspectorPanelProps {
    /// The selected server ([`inspect_server`]).
    #[prop_or_default]
    pub server: Option<Rc<ServerInspect>>,
    /// The selected message in flight ([`inspect_message`]).
    #[prop_or_default]
    pub message: Option<Rc<MessageInspect>>,
}

/// The inspector: the selected server (`data-inspect-server="ID"`) and the selected message
/// (`data-inspect-msg="ID"`).
#[component]
pub fn InspectorPanel(props: &InspectorPanelProps) -> Html {
    let t = texts(crate::components::lang::use_lang());
    let server = props.server.as_deref().map(|s| server_html(s, t));
    let message = props.message.as_deref().map(|m| message_html(m, t));
    html! {
        <section class="panel-inspector">
            if server.is_none() && message.is_none() {
                <p class="empty">{ t.nothing }</p>
            }
            { for server }
            { for message }
        </section>
    }
}

fn votes_html(title: &str, rows: &[VoteRow], t: &Texts) -> Html {
    html! {
        <div class="votes">
            <h3>{ title }</h3>
            if rows.is_empty() {
                <p class="muted">{ t.no_votes }</p>
            } else {
                <table class="vote-table">
                    <tbody>
                        { for rows.iter().map(|r| html! {
                            <tr class={classes!(r.agrees.then_some("agree"), (!r.voter).then_some("observer"))}
                                data-vote-from={r.from.to_string()}>
                                <td>{ r.from }</td>
                                <td class="mono">{ vote_label(r.leader, r.zxid, r.round) }</td>
                                <td>{ r.state.name() }</td>
                                <td>{ if r.agrees { "✓" } else { "" } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

fn server_html(s: &ServerInspect, t: &Texts) -> Html {
    let looking = s.up && s.state == ServerState::Looking;
    let grid = s.grid.iter().map(|row| {
        html! {
            <div class="zxid-row">
                <span class="zxid-epoch mono">{ format!("e{}", row.epoch) }</span>
                { for row.cells.iter().map(|(c, st)| {
                    let (class, what) = match st {
                        CellState::Committed => ("committed", t.committed),
                        CellState::Logged => ("logged", t.logged),
                        CellState::Preset => ("preset", t.preset),
                    };
                    let zx = hex(Zxid::new(row.epoch, *c).0);
                    html! { <span class={classes!("zxid-cell", class)} title={format!("{zx} {what}")}>{ c }</span> }
                }) }
            </div>
        }
    });
    html! {
        <div class="inspect-server" data-inspect-server={s.id.to_string()} data-state={s.state.name()}>
            <h3>
                { format!("{} {}", t.server, s.id) }
                if s.observer { <span class="badge">{ t.observer }</span> }
            </h3>
            <dl class="kv">
                <dt>{ t.state }</dt><dd><span class={classes!("state-chip", format!("st-{}", s.state.name().to_lowercase()))}>{ s.state.name() }</span></dd>
                <dt>{ t.phase }</dt><dd>{ s.phase }</dd>
                <dt>{ t.sync }</dt><dd>{ s.sync_mode }</dd>
                <dt>{ t.vote }</dt><dd class="mono">{ format!("{} e{}", vote_label(s.vote.0, s.vote.1, s.vote.2), s.vote.3) }</dd>
                if looking {
                    <dt>{ t.proposal }</dt><dd class="mono">{ format!("{} e{}", vote_label(s.proposal.0, s.proposal.1, s.logicalclock), s.proposal.2) }</dd>
                }
                <dt>{ t.logicalclock }</dt><dd class="mono">{ s.logicalclock }</dd>
                <dt>{ t.epochs }</dt><dd class="mono">{ format!("{} / {}", s.accepted_epoch, s.current_epoch) }</dd>
                <dt>{ t.last_zxid }</dt><dd class="mono">{ hex(s.last_zxid) }</dd>
                if let Some(l) = s.leader {
                    <dt>{ t.leader }</dt><dd>{ l }</dd>
                }
            </dl>
            if looking {
                <p class="tally" data-tally={format!("{}/{}", s.agree, s.quorum)}>
                    { format!("{} {} — {} {}", s.agree, t.agree, t.quorum, s.quorum) }
                </p>
            }
            { votes_html(t.recvset, &s.recvset, t) }
            { votes_html(t.outofelection, &s.outofelection, t) }
            if !s.pending.is_empty() {
                <div class="pending">
                    <h3>{ t.outstanding }</h3>
                    <ul>
                        { for s.pending.iter().map(|p| html! {
                            <li class="mono">{ format!("{}: {}/{} ACK [{}]", hex(p.zxid), p.acks.len(), p.needed,
                                p.acks.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")) }</li>
                        }) }
                    </ul>
                </div>
            }
            if !s.learners.is_empty() {
                <div class="learners">
                    <h3>{ t.learners }</h3>
                    <ul>{ for s.learners.iter().map(|(id, st)| html! { <li>{ format!("{id}: {st}") }</li> }) }</ul>
                </div>
            }
            <div class="zxid-grid">
                <h3>{ t.log }</h3>
                if s.grid.is_empty() { <p class="muted">{ t.log_empty }</p> }
                if s.grid_skipped > 0 { <p class="muted">{ format!("{} {}", s.grid_skipped, t.earlier) }</p> }
                { for grid }
            </div>
            <p class="mode-line mono" data-mode="">{ s.mode.clone() }</p>
            <details class="fourlw">
                <summary>{ "srvr" }</summary>
                <pre class="code" data-fourlw="srvr">{ s.srvr.clone() }</pre>
            </details>
            <details class="fourlw">
                <summary>{ "mntr" }</summary>
                <pre class="code" data-fourlw="mntr">{ s.mntr.clone() }</pre>
            </details>
        </div>
    }
}

fn message_html(m: &MessageInspect, t: &Texts) -> Html {
    html! {
        <div class="inspect-msg" data-inspect-msg={m.id.to_string()}>
            <h3>{ format!("{} #{} {}", t.message, m.id, m.kind) }</h3>
            <dl class="kv">
                <dt>{ t.from }</dt><dd>{ m.from.clone() }</dd>
                <dt>{ t.to }</dt><dd>{ m.to.clone() }</dd>
                <dt>{ t.sent }</dt><dd class="mono">{ format!("{} {}", m.sent_at, t.ms) }</dd>
                <dt>{ t.due }</dt><dd class="mono">{ format!("{} {}", m.deliver_at, t.ms) }</dd>
                if m.held { <dt>{ t.held }</dt><dd>{ "✓" }</dd> }
                { for m.fields.iter().map(|(k, v)| html! { <><dt>{ *k }</dt><dd class="mono">{ v.clone() }</dd></> }) }
            </dl>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::Input;
    use zkplay_core::script::run;

    #[test]
    fn a_follower_after_writes() {
        let src = "servers 3\nstart 1 2 3\nconnect c1\nc1: create /a x\nc1: set /a y\n";
        let out = run("t.zks", src, Default::default()).unwrap();
        let s = inspect_server(&out.sim, ServerId(1));
        assert_eq!(s.state, ServerState::Following);
        assert_eq!(s.leader, Some(2));
        assert_eq!(s.phase, "broadcast");
        assert_eq!((s.accepted_epoch, s.current_epoch), (1, 1));
        assert_eq!(s.vote.0, 2);
        assert_eq!(s.mode, "Mode: follower");
        assert!(s.srvr.contains("Mode: follower"), "{}", s.srvr);
        assert!(s.mntr.contains("zk_server_state\tfollower"), "{}", s.mntr);
        // createSession, create, setData: epoch 1, counters 1..3, all committed.
        assert_eq!(
            s.grid,
            [GridRow {
                epoch: 1,
                cells: vec![
                    (1, CellState::Committed),
                    (2, CellState::Committed),
                    (3, CellState::Committed)
                ]
            }]
        );
        assert_eq!(s.last_zxid, 0x1_0000_0003);
        let l = inspect_server(&out.sim, ServerId(2));
        assert_eq!(l.state, ServerState::Leading);
        assert_eq!(l.mode, "Mode: leader");
        let learners: Vec<u8> = l.learners.iter().map(|x| x.0).collect();
        assert_eq!(learners, [1, 3]);
        assert!(l.pending.is_empty());
    }

    #[test]
    fn a_looking_server_shows_its_tally() {
        let mut sim = Sim::new(zkplay_core::SimConfig::new(5, Vec::new()));
        for i in 1..=5 {
            sim.apply(Input::Start(ServerId(i)));
        }
        for _ in 0..40 {
            sim.step();
        }
        let looking: Vec<ServerInspect> = (1..=5)
            .map(|i| inspect_server(&sim, ServerId(i)))
            .filter(|s| s.state == ServerState::Looking)
            .collect();
        assert!(!looking.is_empty());
        assert!(looking.iter().any(|s| s.agree > 0));
        for s in &looking {
            assert_eq!(s.quorum, 3);
            assert!(!s.recvset.is_empty());
            assert_eq!(
                s.agree,
                s.recvset.iter().filter(|r| r.agrees).count(),
                "{s:?}"
            );
            for r in &s.recvset {
                assert_eq!(
                    r.agrees,
                    r.leader == s.proposal.0
                        && r.zxid == s.proposal.1
                        && r.peer_epoch == s.proposal.2
                        && r.round == s.logicalclock
                );
            }
            assert_eq!(s.mode, NOT_RUNNING);
        }
    }

    #[test]
    fn down_server_and_message_fields() {
        let src = "servers 3\nstart 1 2 3\ncrash 3\n";
        let mut out = run("t.zks", src, Default::default()).unwrap();
        let s = inspect_server(&out.sim, ServerId(3));
        assert!(!s.up);
        assert_eq!(s.state, ServerState::Down);
        assert!(s.srvr.contains("Connection refused"));
        // A restarted server's first vote, in flight.
        out.sim.apply(Input::Start(ServerId(3)));
        let m = out
            .sim
            .in_flight()
            .find(|m| m.msg.kind() == "NOTIFICATION")
            .map(|m| m.id)
            .unwrap();
        let mi = inspect_message(&out.sim, m).unwrap();
        assert_eq!(mi.kind, "NOTIFICATION");
        assert_eq!(mi.from, "server 3");
        let f: Vec<&str> = mi.fields.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            f,
            [
                "state",
                "leader",
                "zxid",
                "electionEpoch",
                "peerEpoch",
                "version"
            ]
        );
        assert_eq!(mi.fields[0].1, "LOOKING");
        assert!(inspect_message(&out.sim, MsgId(u64::MAX)).is_none());
        assert_eq!(vote_label(i64::MIN, 0, 0), "(none)");
        assert_eq!(vote_label(2, 0x1_0000_0000, 3), "(2, 0x100000000, round 3)");
    }
}
