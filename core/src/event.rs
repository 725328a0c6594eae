//! The low-level event log: everything a view animates or a test inspects, in order.
//! `zkplay run --events` prints it as JSON lines (format in docs/events.md).

use crate::election::{Notification, Verdict};
use crate::msg::{Msg, Node, ZabMsg};
use crate::server::{SyncMode, ZabPhase};
use crate::sim::{Input, MsgId};
use crate::{ServerId, ServerState, SessionId, SimTime, Zxid};

/// One logged event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: EventKind,
}

/// The kinds of events.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// An input was applied.
    Input(Input),
    /// A message was put on the wire.
    Sent {
        /// Message id.
        id: MsgId,
        /// Sender.
        from: Node,
        /// Receiver.
        to: Node,
        /// Short kind label.
        kind: &'static str,
        /// Scheduled arrival.
        deliver_at: SimTime,
        /// Key fields, compact (`"LOOKING 2 0x0 r1 e0"`).
        detail: String,
    },
    /// A message arrived.
    Delivered {
        /// Message id.
        id: MsgId,
    },
    /// A message was lost.
    Dropped {
        /// Message id.
        id: MsgId,
        /// Why.
        why: &'static str,
    },
    /// An election notification waits in a capacity-1 queue for an unreachable peer.
    Queued {
        /// Sender.
        from: ServerId,
        /// Unreachable receiver.
        to: ServerId,
    },
    /// A timer fired.
    Timer {
        /// Whose.
        node: Node,
        /// Which.
        kind: &'static str,
    },
    /// A server process started.
    Started {
        /// Server.
        server: ServerId,
    },
    /// A server changed state.
    StateChanged {
        /// Server.
        server: ServerId,
        /// Before.
        from: ServerState,
        /// After.
        to: ServerState,
    },
    /// A server's Zab phase changed.
    ZabPhaseChanged {
        /// Server.
        server: ServerId,
        /// New phase.
        phase: ZabPhase,
    },
    /// A LOOKING server changed its proposal.
    VoteChanged {
        /// Server.
        server: ServerId,
        /// Proposed leader.
        leader: i64,
        /// Its zxid.
        zxid: i64,
        /// Round.
        round: i64,
        /// Its epoch.
        peer_epoch: i64,
    },
    /// A notification was judged by the election loop.
    Received {
        /// Receiver.
        server: ServerId,
        /// Sender.
        from: ServerId,
        /// The notification.
        n: Notification,
        /// The judgement.
        verdict: Verdict,
    },
    /// A server left the election with a leader.
    Decided {
        /// Server.
        server: ServerId,
        /// Leader.
        leader: i64,
        /// Leader's zxid.
        zxid: i64,
        /// Round.
        round: i64,
    },
    /// A leader fixed the new epoch.
    EpochDecided {
        /// Leader.
        server: ServerId,
        /// Epoch.
        epoch: u32,
    },
    /// The leader chose how to synchronise a learner.
    SyncChosen {
        /// Leader.
        leader: ServerId,
        /// Learner.
        learner: ServerId,
        /// DIFF, TRUNC or SNAP.
        mode: SyncMode,
    },
    /// A learner truncated its log.
    Truncated {
        /// Learner.
        server: ServerId,
        /// Truncated to.
        zxid: Zxid,
    },
    /// A learner finished synchronising (UPTODATE).
    Synced {
        /// Learner.
        server: ServerId,
        /// Leader.
        leader: ServerId,
        /// How.
        mode: SyncMode,
    },
    /// A leader started serving.
    Established {
        /// Leader.
        leader: ServerId,
        /// Epoch.
        epoch: u32,
    },
    /// A proposal was made.
    Proposed {
        /// Leader.
        leader: ServerId,
        /// Its zxid.
        zxid: Zxid,
    },
    /// The leader counted an ACK.
    Acked {
        /// Leader.
        leader: ServerId,
        /// From.
        from: ServerId,
        /// Zxid.
        zxid: Zxid,
    },
    /// A server applied a committed transaction.
    Committed {
        /// Server.
        server: ServerId,
        /// Zxid.
        zxid: Zxid,
    },
    /// The leader expired a session.
    SessionExpired {
        /// Leader.
        leader: ServerId,
        /// Session.
        session: SessionId,
    },
    /// A remark worth showing (why a server gave up, …).
    Note {
        /// Server.
        server: ServerId,
        /// Text.
        text: &'static str,
    },
}

fn vote_detail(n: &Notification) -> String {
    format!(
        "{} {} {} r{} e{}",
        n.state.name(),
        n.leader,
        Zxid(n.zxid),
        n.round,
        n.peer_epoch
    )
}

/// Compact key fields of a message for logs and labels.
pub fn detail(m: &Msg) -> String {
    match m {
        Msg::Vote(n) => vote_detail(n),
        Msg::Zab { pkt, .. } => match pkt {
            ZabMsg::LearnerInfo { accepted_epoch, .. } => {
                format!("{}", Zxid::new(*accepted_epoch, 0))
            }
            ZabMsg::LeaderInfo { epoch } => format!("{}", Zxid::new(*epoch, 0)),
            ZabMsg::AckEpoch {
                last_zxid,
                current_epoch,
            } => format!("{last_zxid} {current_epoch}"),
            ZabMsg::Diff { zxid } | ZabMsg::Trunc { zxid } | ZabMsg::Snap { zxid, .. } => {
                zxid.to_string()
            }
            ZabMsg::Proposal(t) | ZabMsg::Inform(t) => t.txn.zxid.to_string(),
            ZabMsg::Ack { zxid } | ZabMsg::Commit { zxid } | ZabMsg::NewLeader { zxid } => {
                zxid.to_string()
            }
            ZabMsg::Ping { zxid, .. } => zxid.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn node(n: &Node) -> serde_json::Value {
    match n {
        Node::Server(s) => serde_json::json!(s.0),
        Node::Client(c) => serde_json::json!(format!("c#{}", c.0)),
    }
}

impl Event {
    /// The event as one JSON object (see docs/events.md).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let t = self.at.0;
        match &self.kind {
            EventKind::Input(i) => json!({"t": t, "ev": "input", "input": format!("{i:?}")}),
            EventKind::Sent {
                id,
                from,
                to,
                kind,
                deliver_at,
                detail,
            } => json!({
                "t": t, "ev": "sent", "id": id.0, "from": node(from), "to": node(to), "kind": kind,
                "deliver_at": deliver_at.0, "detail": detail}),
            EventKind::Delivered { id } => json!({"t": t, "ev": "delivered", "id": id.0}),
            EventKind::Dropped { id, why } => {
                json!({"t": t, "ev": "dropped", "id": id.0, "why": why})
            }
            EventKind::Queued { from, to } => {
                json!({"t": t, "ev": "queued", "from": from.0, "to": to.0})
            }
            EventKind::Timer { node: n, kind } => {
                json!({"t": t, "ev": "timer", "node": node(n), "kind": kind})
            }
            EventKind::Started { server } => json!({"t": t, "ev": "started", "server": server.0}),
            EventKind::StateChanged { server, from, to } => {
                json!({"t": t, "ev": "state", "server": server.0, "from": from.name(), "to": to.name()})
            }
            EventKind::ZabPhaseChanged { server, phase } => {
                json!({"t": t, "ev": "phase", "server": server.0, "phase": phase.name()})
            }
            EventKind::VoteChanged {
                server,
                leader,
                zxid,
                round,
                peer_epoch,
            } => json!({
                "t": t, "ev": "vote", "server": server.0, "leader": leader, "zxid": Zxid(*zxid).to_string(),
                "round": round, "peer_epoch": peer_epoch}),
            EventKind::Received {
                server,
                from,
                n,
                verdict,
            } => json!({
                "t": t, "ev": "recv", "server": server.0, "from": from.0, "n": vote_detail(n),
                "verdict": format!("{verdict:?}")}),
            EventKind::Decided {
                server,
                leader,
                zxid,
                round,
            } => json!({
                "t": t, "ev": "decided", "server": server.0, "leader": leader, "zxid": Zxid(*zxid).to_string(),
                "round": round}),
            EventKind::EpochDecided { server, epoch } => {
                json!({"t": t, "ev": "epoch", "server": server.0, "epoch": epoch})
            }
            EventKind::SyncChosen {
                leader,
                learner,
                mode,
            } => json!({
                "t": t, "ev": "sync", "leader": leader.0, "learner": learner.0, "mode": mode.name()}),
            EventKind::Truncated { server, zxid } => {
                json!({"t": t, "ev": "truncated", "server": server.0, "zxid": zxid.to_string()})
            }
            EventKind::Synced {
                server,
                leader,
                mode,
            } => json!({
                "t": t, "ev": "synced", "server": server.0, "leader": leader.0, "mode": mode.name()}),
            EventKind::Established { leader, epoch } => {
                json!({"t": t, "ev": "established", "leader": leader.0, "epoch": epoch})
            }
            EventKind::Proposed { leader, zxid } => {
                json!({"t": t, "ev": "proposed", "leader": leader.0, "zxid": zxid.to_string()})
            }
            EventKind::Acked { leader, from, zxid } => {
                json!({"t": t, "ev": "acked", "leader": leader.0, "from": from.0, "zxid": zxid.to_string()})
            }
            EventKind::Committed { server, zxid } => {
                json!({"t": t, "ev": "committed", "server": server.0, "zxid": zxid.to_string()})
            }
            EventKind::SessionExpired { leader, session } => {
                json!({"t": t, "ev": "session_expired", "leader": leader.0, "session": session.to_string()})
            }
            EventKind::Note { server, text } => {
                json!({"t": t, "ev": "note", "server": server.0, "text": text})
            }
        }
    }
}
