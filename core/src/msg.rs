//! Everything that crosses the simulated network: election notifications, Zab quorum
//! packets, and client requests and replies.

use std::rc::Rc;

use crate::election::Notification;
use crate::txn::{Txn, WriteOp};
use crate::{ErrorCode, ServerId, SessionId, Zxid};

/// A client of the ensemble, by its index in the simulation (in order of creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub u16);

/// One end of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// A server.
    Server(ServerId),
    /// A client.
    Client(ClientId),
}

/// A message in flight.
#[derive(Debug, Clone)]
pub enum Msg {
    /// An election notification (election port).
    Vote(Notification),
    /// A Zab packet on the learner ↔ leader connection `conn`.
    Zab {
        /// The connection it belongs to (a message for a closed connection is discarded).
        conn: u32,
        /// The packet.
        pkt: ZabMsg,
    },
    /// A client → server packet on client connection `conn`.
    Request {
        /// The connection.
        conn: u32,
        /// The packet.
        req: ClientReq,
    },
    /// A server → client packet on client connection `conn`.
    Reply {
        /// The connection.
        conn: u32,
        /// The packet.
        resp: ClientResp,
    },
    /// The connection `conn` was reset (peer crashed, refused, or a packet was lost).
    Reset {
        /// The connection.
        conn: u32,
    },
}

impl Msg {
    /// A short label for views and the event log (`NOTIFICATION`, `PROPOSAL`, `getData`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Msg::Vote(_) => "NOTIFICATION",
            Msg::Zab { pkt, .. } => pkt.kind(),
            Msg::Request { req, .. } => req.kind(),
            Msg::Reply { resp, .. } => resp.kind(),
            Msg::Reset { .. } => "RESET",
        }
    }

    /// True for election and Zab discovery/sync traffic (what quiescence waits out).
    pub fn is_election_or_sync(&self) -> bool {
        match self {
            Msg::Vote(_) => true,
            Msg::Zab { pkt, .. } => !matches!(pkt, ZabMsg::Ping { .. }),
            _ => false,
        }
    }

    /// True for keep-alive traffic that never settles (pings and their answers).
    pub fn is_background(&self) -> bool {
        matches!(
            self,
            Msg::Zab {
                pkt: ZabMsg::Ping { .. },
                ..
            } | Msg::Request {
                req: ClientReq::Ping,
                ..
            } | Msg::Reply {
                resp: ClientResp::Pong { .. },
                ..
            }
        )
    }
}

/// A replicated transaction with the request id that lets the server holding the client's
/// connection answer it when it commits.
#[derive(Debug, Clone, PartialEq)]
pub struct ZTxn {
    /// The transaction (zxid, session, body).
    pub txn: Txn,
    /// The client's request id (0 for transactions no client waits for, e.g. expiry).
    pub cxid: u32,
}

/// A server's database as a snapshot ships it (tree, sessions, last processed zxid).
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The data tree.
    pub tree: crate::tree::DataTree,
    /// `sessionsWithTimeout`.
    pub sessions: std::collections::BTreeMap<SessionId, u32>,
    /// The zxid it reflects.
    pub zxid: Zxid,
}

/// Zab packets (spec/zab.md §3), as the simulation needs them.
#[derive(Debug, Clone)]
pub enum ZabMsg {
    /// FOLLOWERINFO / OBSERVERINFO: the learner's acceptedEpoch.
    LearnerInfo {
        /// acceptedEpoch (sent as `acceptedEpoch << 32`).
        accepted_epoch: u32,
        /// OBSERVERINFO rather than FOLLOWERINFO.
        observer: bool,
    },
    /// LEADERINFO: the new epoch.
    LeaderInfo {
        /// The proposed epoch.
        epoch: u32,
    },
    /// ACKEPOCH: the learner's last logged zxid and its currentEpoch (or -1).
    AckEpoch {
        /// Last logged zxid.
        last_zxid: Zxid,
        /// currentEpoch, or -1 when it had already accepted this epoch.
        current_epoch: i64,
    },
    /// DIFF: the learner's log is a prefix; PROPOSAL/COMMIT pairs follow.
    Diff {
        /// The zxid the learner will be at.
        zxid: Zxid,
    },
    /// TRUNC: drop the learner's log after `zxid`.
    Trunc {
        /// Truncate-to zxid.
        zxid: Zxid,
    },
    /// SNAP: a full snapshot follows (here: inside the packet).
    Snap {
        /// The leader's last processed zxid.
        zxid: Zxid,
        /// The snapshot.
        snapshot: Rc<Snapshot>,
    },
    /// PROPOSAL of a transaction.
    Proposal(Rc<ZTxn>),
    /// ACK of a proposal, or of NEWLEADER/UPTODATE (counter 0).
    Ack {
        /// The acknowledged zxid.
        zxid: Zxid,
    },
    /// COMMIT of a proposal.
    Commit {
        /// The committed zxid.
        zxid: Zxid,
    },
    /// INFORM: a committed transaction for an observer.
    Inform(Rc<ZTxn>),
    /// NEWLEADER.
    NewLeader {
        /// `newEpoch << 32`.
        zxid: Zxid,
    },
    /// UPTODATE: start serving.
    UpToDate,
    /// PING: leader → learner, and the learner's reply carrying its session touches.
    Ping {
        /// Leader's last proposed zxid (leader → learner).
        zxid: Zxid,
        /// Sessions touched since the last ping (learner → leader).
        touches: Vec<(SessionId, u32)>,
    },
    /// REQUEST: a write (or session / sync request) forwarded by a learner.
    Request {
        /// Session.
        session: SessionId,
        /// Request id within the session.
        cxid: u32,
        /// What is asked.
        op: ForwardedOp,
    },
    /// REVALIDATE request (learner → leader) for a reconnecting session.
    Revalidate {
        /// Session.
        session: SessionId,
        /// Its timeout.
        timeout: u32,
    },
    /// REVALIDATE answer (leader → learner).
    RevalidateReply {
        /// Session.
        session: SessionId,
        /// Whether it is still alive.
        valid: bool,
    },
    /// SYNC: the answer to a forwarded `sync`.
    Sync,
}

impl ZabMsg {
    /// The packet's name as ZooKeeper's logs print it.
    pub fn kind(&self) -> &'static str {
        match self {
            ZabMsg::LearnerInfo {
                observer: false, ..
            } => "FOLLOWERINFO",
            ZabMsg::LearnerInfo { observer: true, .. } => "OBSERVERINFO",
            ZabMsg::LeaderInfo { .. } => "LEADERINFO",
            ZabMsg::AckEpoch { .. } => "ACKEPOCH",
            ZabMsg::Diff { .. } => "DIFF",
            ZabMsg::Trunc { .. } => "TRUNC",
            ZabMsg::Snap { .. } => "SNAP",
            ZabMsg::Proposal(_) => "PROPOSAL",
            ZabMsg::Ack { .. } => "ACK",
            ZabMsg::Commit { .. } => "COMMIT",
            ZabMsg::Inform(_) => "INFORM",
            ZabMsg::NewLeader { .. } => "NEWLEADER",
            ZabMsg::UpToDate => "UPTODATE",
            ZabMsg::Ping { .. } => "PING",
            ZabMsg::Request { .. } => "REQUEST",
            ZabMsg::Revalidate { .. } => "REVALIDATE",
            ZabMsg::RevalidateReply { .. } => "REVALIDATE",
            ZabMsg::Sync => "SYNC",
        }
    }
}

/// A request a learner forwards to the leader.
#[derive(Debug, Clone)]
pub enum ForwardedOp {
    /// A write, with the requesting connection's authenticated ids (`authInfo`). The op is
    /// boxed (as in [`ClientReq::Write`], whose box it reuses) to keep [`Msg`] small.
    Write(Box<WriteOp>, Vec<crate::acl::Id>),
    /// createSession with the negotiated timeout.
    CreateSession {
        /// Negotiated timeout in ms.
        timeout: u32,
    },
    /// closeSession.
    CloseSession,
    /// sync.
    Sync,
}

/// A read a client asks of the server it is connected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOp {
    /// getData.
    GetData {
        /// Path.
        path: String,
        /// Leave a data watch.
        watch: bool,
    },
    /// exists.
    Exists {
        /// Path.
        path: String,
        /// Leave a data (or exist) watch.
        watch: bool,
    },
    /// getChildren (getChildren2: with stat).
    GetChildren {
        /// Path.
        path: String,
        /// Leave a child watch.
        watch: bool,
    },
    /// getACL.
    GetAcl {
        /// Path.
        path: String,
    },
}

/// Client → server packets.
#[derive(Debug, Clone)]
pub enum ClientReq {
    /// ConnectRequest.
    Connect {
        /// Existing session, or `SessionId(0)` for a new one.
        session: SessionId,
        /// Requested timeout.
        timeout: u64,
        /// The last zxid this client has seen.
        last_zxid: Zxid,
    },
    /// PING.
    Ping,
    /// A read.
    Read {
        /// Request id.
        xid: u32,
        /// The read.
        op: ReadOp,
    },
    /// A write.
    Write {
        /// Request id.
        xid: u32,
        /// The write (boxed: a `WriteOp` is several times the size of most messages, and
        /// every message is moved a few times on its way).
        op: Box<WriteOp>,
    },
    /// sync.
    Sync {
        /// Request id.
        xid: u32,
        /// Path (checked only for validity).
        path: String,
    },
    /// closeSession.
    Close {
        /// Request id.
        xid: u32,
    },
    /// addauth.
    AddAuth {
        /// Scheme.
        scheme: String,
        /// Auth text.
        auth: String,
    },
    /// SetWatches after a reconnect (boxed: rare and large).
    SetWatches(Box<SetWatches>),
}

/// The body of a SetWatches request.
#[derive(Debug, Clone)]
pub struct SetWatches {
    /// The last zxid the client has seen.
    pub relative_zxid: Zxid,
    /// Paths with data watches.
    pub data: Vec<String>,
    /// Paths with exist watches.
    pub exist: Vec<String>,
    /// Paths with child watches.
    pub child: Vec<String>,
}

impl ClientReq {
    /// Wire name of the request.
    pub fn kind(&self) -> &'static str {
        match self {
            ClientReq::Connect { .. } => "connect",
            ClientReq::Ping => "ping",
            ClientReq::Read { op, .. } => match op {
                ReadOp::GetData { .. } => "getData",
                ReadOp::Exists { .. } => "exists",
                ReadOp::GetChildren { .. } => "getChildren",
                ReadOp::GetAcl { .. } => "getACL",
            },
            ClientReq::Write { op, .. } => op.kind(),
            ClientReq::Sync { .. } => "sync",
            ClientReq::Close { .. } => "closeSession",
            ClientReq::AddAuth { .. } => "auth",
            ClientReq::SetWatches(_) => "setWatches",
        }
    }
}

/// The result of one operation as the server answers it.
#[derive(Debug, Clone, PartialEq)]
pub enum OpResult {
    /// The operation failed.
    Err(ErrorCode),
    /// Success with nothing more to say (delete, sync, auth, close).
    Done,
    /// create: the actual path.
    Created(String),
    /// getData.
    Data(Option<Vec<u8>>, crate::tree::Stat),
    /// exists / setData / setACL.
    Stat(crate::tree::Stat),
    /// getChildren.
    Children(Vec<String>, crate::tree::Stat),
    /// getACL.
    Acl(Vec<crate::acl::Acl>, crate::tree::Stat),
    /// multi: each sub-operation's result.
    Multi(Vec<OpResult>),
}

/// Server → client packets.
#[derive(Debug, Clone)]
pub enum ClientResp {
    /// ConnectResponse for a live session.
    Connected {
        /// The session id.
        session: SessionId,
        /// Negotiated timeout.
        timeout: u64,
    },
    /// ConnectResponse with timeout 0: the session is gone.
    Expired,
    /// The server would not take the connection (not serving, or behind the client).
    Refused,
    /// Answer to a ping.
    Pong {
        /// Server's last processed zxid.
        zxid: Zxid,
    },
    /// Answer to a request.
    Result {
        /// Request id.
        xid: u32,
        /// Server's last processed zxid (reply header).
        zxid: Zxid,
        /// The result (boxed: a Stat alone is larger than most messages).
        result: Box<OpResult>,
    },
    /// A watch notification.
    Watch(crate::watch::WatchEvent),
    /// The server closed the session's connection (expiry or close).
    Closing,
}

impl ClientResp {
    /// Wire name of the reply.
    pub fn kind(&self) -> &'static str {
        match self {
            ClientResp::Connected { .. } => "connected",
            ClientResp::Expired => "expired",
            ClientResp::Refused => "refused",
            ClientResp::Pong { .. } => "pong",
            ClientResp::Result { .. } => "reply",
            ClientResp::Watch(_) => "WATCHER",
            ClientResp::Closing => "close",
        }
    }
}
