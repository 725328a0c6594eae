//! The client-facing side of a server: connections, sessions, reads answered locally,
//! writes forwarded to the leader, `sync`, watches, and answering committed requests.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::acl::Id;
use crate::event::EventKind;
use crate::msg::{
    ClientId, ClientReq, ClientResp, ForwardedOp, Msg, Node, OpResult, ReadOp, ZTxn, ZabMsg,
};
use crate::server::{Ctx, Latency, Role, Server};
use crate::txn::{Txn, TxnBody};
use crate::watch::ConnId;
use crate::zab::{SyncWaiter, bucket};
use crate::{ErrorCode, ServerId, ServerState, SessionId, SimTime, Zxid};

/// What a connection waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// The createSession transaction.
    CreateSession,
    /// A write or close with this request id.
    Request(u32),
}

/// One client connection on a server.
#[derive(Debug, Clone)]
pub struct ClientConn {
    /// The client.
    pub client: ClientId,
    /// Its session (0 until created).
    pub session: SessionId,
    /// Negotiated timeout.
    pub timeout: u64,
    /// Authenticated ids (`addauth`), plus the connection's ip identity.
    pub auth: Vec<Id>,
    /// Established (ConnectResponse sent).
    pub established: bool,
    /// What `stat` and `cons` report about the connection.
    pub stats: ConnStats,
    /// Requests in the server's pipeline (createSession, writes, close, sync), oldest first:
    /// their count is the connection's `queued` and adds to the server's `Outstanding`.
    pub waiting: VecDeque<Waiting>,
}

/// A request of a connection that is waiting in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Its request id (0 for the createSession of a new session).
    pub xid: u32,
    /// When it arrived.
    pub arrived: SimTime,
    /// Its `lop` code (`CREA`, `SETD`, `SESS`, …).
    pub op: &'static str,
}

/// A connection's counters (`ServerCnxn`): what `stat` and `cons` print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnStats {
    /// When the server accepted the connection (`est`).
    pub established_at: SimTime,
    /// Packets read from it (`recved`).
    pub received: u64,
    /// Packets written to it (`sent`).
    pub sent: u64,
    /// The last completed operation (`lop`; `NA` before the first).
    pub last_op: &'static str,
    /// Its request id (`lcxid`; -1 before the first; pings and SetWatches leave it alone).
    pub last_cxid: i64,
    /// The zxid of its answer (`lzxid`; -1 before the first).
    pub last_zxid: Zxid,
    /// When it was answered (`lresp`).
    pub last_response: SimTime,
    /// Its latency (`llat`).
    pub last_latency: u64,
    /// Every completed operation's latency (`minlat`, `avglat`, `maxlat`).
    pub latency: Latency,
}

impl ConnStats {
    /// Counters of a connection accepted at `at`.
    pub fn new(at: SimTime) -> ConnStats {
        ConnStats {
            established_at: at,
            received: 0,
            sent: 0,
            last_op: "NA",
            last_cxid: -1,
            last_zxid: Zxid(-1),
            last_response: SimTime(0),
            last_latency: 0,
            latency: Latency::default(),
        }
    }
}

/// The `lop` code of a write (`FinalRequestProcessor`).
fn write_op_code(op: &crate::txn::WriteOp) -> &'static str {
    use crate::txn::WriteOp;
    match op {
        WriteOp::Create { .. } => "CREA",
        WriteOp::Delete { .. } | WriteOp::DeleteContainer { .. } => "DELE",
        WriteOp::SetData { .. } => "SETD",
        WriteOp::SetAcl { .. } => "SETA",
        WriteOp::Check { .. } => "CHEC",
        WriteOp::Multi(_) => "MULT",
    }
}

/// The `lop` code of a read.
fn read_op_code(op: &ReadOp) -> &'static str {
    match op {
        ReadOp::GetData { .. } => "GETD",
        ReadOp::Exists { .. } => "EXIS",
        ReadOp::GetChildren { .. } => "GETC",
        ReadOp::GetAcl { .. } => "GETA",
    }
}

impl Server {
    fn conn_for_session(&self, session: SessionId) -> Option<u32> {
        self.conns
            .iter()
            .find(|(_, c)| c.session == session)
            .map(|(k, _)| *k)
    }

    /// Sends a reply on a connection, counting it as a packet sent (except `Closing`, which
    /// is ZooKeeper closing the socket rather than a packet).
    fn reply(&mut self, ctx: &mut Ctx, conn: u32, resp: ClientResp) {
        if let Some(c) = self.conns.get_mut(&conn) {
            if !matches!(resp, ClientResp::Closing) {
                c.stats.sent += 1;
                self.stats.packets_sent += 1;
            }
            ctx.send(Node::Client(c.client), Msg::Reply { conn, resp });
        }
    }

    /// Counts a packet read from connection `conn` (0: a connection not kept).
    fn count_received(&mut self, conn: u32) {
        self.stats.packets_received += 1;
        if let Some(c) = self.conns.get_mut(&conn) {
            c.stats.received += 1;
        }
    }

    /// A request went into the pipeline: it waits until `finish_request`.
    fn start_request(&mut self, now: SimTime, conn: u32, xid: u32, op: &'static str) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.waiting.push_back(Waiting {
                xid,
                arrived: now,
                op,
            });
        }
    }

    /// `FinalRequestProcessor.updateStats`: a request of `conn` is answered now. A waiting
    /// request is found by its xid; the others (pings, reads, SetWatches) took no time.
    /// `cxid` < 0 marks the special xids that leave `lcxid` alone.
    fn finish_request(
        &mut self,
        now: SimTime,
        conn: u32,
        waiting: Option<u32>,
        cxid: i64,
        op: &'static str,
        zxid: Zxid,
    ) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let found = waiting.and_then(|xid| c.waiting.iter().position(|w| w.xid == xid));
        let (arrived, op) = match found.and_then(|i| c.waiting.remove(i)) {
            Some(w) => (w.arrived, w.op),
            None => (now, op),
        };
        let ms = now.0.saturating_sub(arrived.0);
        self.stats.latency.add(ms);
        let st = &mut c.stats;
        if cxid >= 0 {
            st.last_cxid = cxid;
        }
        st.last_zxid = zxid;
        st.last_op = op;
        st.last_response = now;
        st.last_latency = ms;
        st.latency.add(ms);
    }

    /// Requests of this server's clients waiting in its pipeline (`Outstanding`).
    pub fn outstanding_requests(&self) -> usize {
        self.conns.values().map(|c| c.waiting.len()).sum()
    }

    fn next_session_id(&mut self) -> SessionId {
        self.session_counter += 1;
        let clock = self.started_at.0 & 0xff_ffff_ffff;
        SessionId(((self.id.0 as u64) << 56) | (clock << 16) | self.session_counter)
    }

    pub(crate) fn on_client_reset(&mut self, _ctx: &mut Ctx, conn: u32) {
        if self.conns.remove(&conn).is_some() {
            self.watches.remove_connection(ConnId(conn));
        }
    }

    pub(crate) fn on_client_request(
        &mut self,
        ctx: &mut Ctx,
        client: ClientId,
        conn: u32,
        req: ClientReq,
    ) {
        if let ClientReq::Connect {
            session,
            timeout,
            last_zxid,
        } = req
        {
            if !self.is_serving() || last_zxid > self.db.last_processed {
                if self.is_serving() {
                    // Read, then refused: the server's counters saw the packet.
                    self.count_received(0);
                }
                ctx.send(
                    Node::Client(client),
                    Msg::Reply {
                        conn,
                        resp: ClientResp::Refused,
                    },
                );
                return;
            }
            let timeout = ctx.cfg.negotiate_timeout(timeout);
            let auth = vec![Id {
                scheme: "ip".into(),
                id: "127.0.0.1".into(),
            }];
            self.conns.insert(
                conn,
                ClientConn {
                    client,
                    session,
                    timeout,
                    auth,
                    established: false,
                    stats: ConnStats::new(ctx.now),
                    waiting: VecDeque::new(),
                },
            );
            self.count_received(conn);
            if session.0 == 0 {
                let id = self.next_session_id();
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.session = id;
                }
                self.start_request(ctx.now, conn, 0, "SESS");
                self.submit(
                    ctx,
                    id,
                    0,
                    ForwardedOp::CreateSession {
                        timeout: timeout as u32,
                    },
                );
            } else {
                self.reconnect(ctx, conn, session, timeout);
            }
            return;
        }
        if !self.conns.contains_key(&conn) {
            ctx.send(Node::Client(client), Msg::Reset { conn });
            return;
        }
        self.count_received(conn);
        let Some(cc) = self.conns.get(&conn) else {
            return;
        };
        if !cc.established {
            return;
        }
        let session = cc.session;
        self.touch(ctx, session, cc.timeout);
        match req {
            ClientReq::Connect { .. } => {}
            ClientReq::Ping => {
                let zxid = self.db.last_processed;
                self.finish_request(ctx.now, conn, None, -2, "PING", zxid);
                self.reply(ctx, conn, ClientResp::Pong { zxid });
            }
            ClientReq::Read { xid, op } => {
                let result = self.read(conn, &op);
                let zxid = self.db.last_processed;
                self.finish_request(ctx.now, conn, None, xid as i64, read_op_code(&op), zxid);
                self.reply(
                    ctx,
                    conn,
                    ClientResp::Result {
                        xid,
                        zxid,
                        result: Box::new(result),
                    },
                );
            }
            ClientReq::Write { xid, op } => {
                let auth = self
                    .conns
                    .get(&conn)
                    .map(|c| c.auth.clone())
                    .unwrap_or_default();
                self.start_request(ctx.now, conn, xid, write_op_code(&op));
                self.submit(ctx, session, xid, ForwardedOp::Write(op, auth))
            }
            ClientReq::Close { xid } => {
                self.start_request(ctx.now, conn, xid, "CLOS");
                self.submit(ctx, session, xid, ForwardedOp::CloseSession)
            }
            ClientReq::Sync { xid, .. } => {
                self.start_request(ctx.now, conn, xid, "SYNC");
                self.sync(ctx, conn, session, xid);
            }
            ClientReq::AddAuth { scheme, auth } => {
                let zxid = self.db.last_processed;
                let result = match crate::acl::auth_id(&scheme, &auth) {
                    Some(id) => {
                        if let Some(c) = self.conns.get_mut(&conn)
                            && !c.auth.contains(&id)
                        {
                            c.auth.push(id);
                        }
                        OpResult::Done
                    }
                    None => OpResult::Err(ErrorCode::AuthFailed),
                };
                self.reply(
                    ctx,
                    conn,
                    ClientResp::Result {
                        xid: 0,
                        zxid,
                        result: Box::new(result),
                    },
                );
            }
            ClientReq::SetWatches(w) => {
                let events = self.watches.set_watches(
                    ConnId(conn),
                    w.relative_zxid,
                    &w.data,
                    &w.exist,
                    &w.child,
                    &self.db.tree,
                );
                for ev in events {
                    self.reply(ctx, conn, ClientResp::Watch(ev));
                }
                // ZooKeeper answers SetWatches with an empty reply, which the simulated
                // client does not need: it is only counted.
                let zxid = self.db.last_processed;
                self.finish_request(ctx.now, conn, None, -8, "SETW", zxid);
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.stats.sent += 1;
                    self.stats.packets_sent += 1;
                }
            }
        }
    }

    /// A client's `sync`: the leader queues it behind outstanding proposals; a learner
    /// forwards it to the leader.
    fn sync(&mut self, ctx: &mut Ctx, conn: u32, session: SessionId, xid: u32) {
        match &mut self.role {
            Role::Leader(_) => self.leader_on_request(ctx, None, session, xid, ForwardedOp::Sync),
            Role::Learner(l) => {
                l.pending_syncs.push_back((conn, xid));
                let (leader, lconn) = (l.leader, l.conn);
                ctx.send(
                    Node::Server(leader),
                    Msg::Zab {
                        conn: lconn,
                        pkt: ZabMsg::Request {
                            session,
                            cxid: xid,
                            op: ForwardedOp::Sync,
                        },
                    },
                );
            }
            Role::None => {}
        }
    }

    fn read(&mut self, conn: u32, op: &ReadOp) -> OpResult {
        let auth = self
            .conns
            .get(&conn)
            .map(|c| c.auth.clone())
            .unwrap_or_default();
        let tree = &self.db.tree;
        match op {
            ReadOp::GetData { path, watch } => match tree.get_data(path, &auth) {
                Ok((data, stat)) => {
                    if *watch {
                        self.watches.add_data_watch(path, ConnId(conn));
                    }
                    OpResult::Data(data, stat)
                }
                Err(e) => OpResult::Err(e),
            },
            ReadOp::Exists { path, watch } => {
                let r = tree.exists(path);
                if *watch {
                    self.watches.add_data_watch(path, ConnId(conn));
                }
                match r {
                    Some(stat) => OpResult::Stat(stat),
                    None => OpResult::Err(ErrorCode::NoNode),
                }
            }
            ReadOp::GetChildren { path, watch } => match tree.get_children(path, &auth) {
                Ok((children, stat)) => {
                    if *watch {
                        self.watches.add_child_watch(path, ConnId(conn));
                    }
                    OpResult::Children(children, stat)
                }
                Err(e) => OpResult::Err(e),
            },
            ReadOp::GetAcl { path } => match tree.get_acl(path, &auth) {
                Ok((acl, stat)) => OpResult::Acl(acl, stat),
                Err(e) => OpResult::Err(e),
            },
        }
    }

    /// Records client activity for the session (leader: its tracker; learner: the touch table).
    fn touch(&mut self, ctx: &Ctx, session: SessionId, timeout: u64) {
        let tick = ctx.cfg.tick_time;
        let now = ctx.now;
        match &mut self.role {
            Role::Leader(l) => {
                if l.tracker.expiry.contains_key(&session) && !l.tracker.closing.contains(&session)
                {
                    l.tracker
                        .expiry
                        .insert(session, bucket(now.plus(timeout), tick));
                }
            }
            Role::Learner(l) => {
                l.touches.insert(session, timeout as u32);
            }
            Role::None => {}
        }
    }

    fn reconnect(&mut self, ctx: &mut Ctx, conn: u32, session: SessionId, timeout: u64) {
        match &mut self.role {
            Role::Leader(_) => {
                let valid = self.revalidate_session(ctx, session, timeout);
                self.finish_reconnect(ctx, conn, session, timeout, valid);
            }
            Role::Learner(l) => {
                l.revalidating.insert(session, (conn, timeout));
                let (leader, lconn) = (l.leader, l.conn);
                ctx.send(
                    Node::Server(leader),
                    Msg::Zab {
                        conn: lconn,
                        pkt: ZabMsg::Revalidate {
                            session,
                            timeout: timeout as u32,
                        },
                    },
                );
            }
            Role::None => {}
        }
    }

    pub(crate) fn finish_reconnect(
        &mut self,
        ctx: &mut Ctx,
        conn: u32,
        session: SessionId,
        timeout: u64,
        valid: bool,
    ) {
        if valid {
            if let Some(c) = self.conns.get_mut(&conn) {
                c.established = true;
            }
            self.reply(ctx, conn, ClientResp::Connected { session, timeout });
        } else {
            self.reply(ctx, conn, ClientResp::Expired);
            self.conns.remove(&conn);
        }
    }

    /// Sends a request into the write pipeline: locally on the leader, forwarded otherwise.
    fn submit(&mut self, ctx: &mut Ctx, session: SessionId, cxid: u32, op: ForwardedOp) {
        match &self.role {
            Role::Leader(_) => self.leader_on_request(ctx, None, session, cxid, op),
            Role::Learner(l) => {
                let (leader, lconn) = (l.leader, l.conn);
                ctx.send(
                    Node::Server(leader),
                    Msg::Zab {
                        conn: lconn,
                        pkt: ZabMsg::Request { session, cxid, op },
                    },
                );
            }
            Role::None => {}
        }
    }

    /// The leader's PrepRequestProcessor: assigns the next zxid, validates against the tree of
    /// committed-plus-outstanding state, and proposes (error transactions included).
    pub(crate) fn leader_on_request(
        &mut self,
        ctx: &mut Ctx,
        from: Option<ServerId>,
        session: SessionId,
        cxid: u32,
        op: ForwardedOp,
    ) {
        let tick = ctx.cfg.tick_time;
        let now = ctx.now;
        let Role::Leader(l) = &mut self.role else {
            return;
        };
        if !l.serving {
            return;
        }
        if let ForwardedOp::Sync = op {
            let waiter = match from {
                Some(sid) => SyncWaiter::Learner(sid),
                None => SyncWaiter::Local {
                    conn: self.conn_for_session(session).unwrap_or(0),
                    xid: cxid,
                },
            };
            let Role::Leader(l) = &mut self.role else {
                return;
            };
            if l.outstanding.is_empty() {
                self.complete_sync(ctx, waiter);
            } else {
                let at = l.last_proposed;
                l.syncs.push((at, waiter));
            }
            return;
        }
        let zxid = Zxid(l.last_proposed.0 + 1);
        if zxid.counter() == u32::MAX {
            ctx.event(EventKind::Note {
                server: self.id,
                text: "zxid counter rolled over: new election",
            });
            self.become_looking(ctx);
            return;
        }
        let alive =
            l.tracker.expiry.contains_key(&session) && !l.tracker.closing.contains(&session);
        let body = match op {
            ForwardedOp::CreateSession { timeout } => {
                l.tracker
                    .expiry
                    .insert(session, bucket(now.plus(timeout as u64), tick));
                TxnBody::CreateSession {
                    timeout_ms: timeout,
                }
            }
            ForwardedOp::CloseSession => {
                l.tracker.closing.insert(session);
                l.prep.tree.prep_close_session(session)
            }
            ForwardedOp::Write(w, auth) => {
                if !alive {
                    TxnBody::Error(ErrorCode::SessionExpired)
                } else {
                    l.prep.tree.prep(&w, session, &auth, zxid)
                }
            }
            ForwardedOp::Sync => unreachable!("handled above"),
        };
        let Role::Leader(l) = &mut self.role else {
            return;
        };
        let t = Rc::new(ZTxn {
            txn: Txn {
                zxid,
                session,
                body,
            },
            cxid,
        });
        l.prep.apply(&t.txn, false);
        self.propose(ctx, t);
    }

    pub(crate) fn complete_sync(&mut self, ctx: &mut Ctx, w: SyncWaiter) {
        match w {
            SyncWaiter::Learner(sid) => {
                if let Role::Leader(l) = &self.role
                    && let Some(h) = l.handlers.get(&sid)
                {
                    ctx.send(
                        Node::Server(sid),
                        Msg::Zab {
                            conn: h.conn,
                            pkt: ZabMsg::Sync,
                        },
                    );
                }
            }
            SyncWaiter::Local { conn, xid } => {
                let zxid = self.db.last_processed;
                self.finish_request(ctx.now, conn, Some(xid), xid as i64, "SYNC", zxid);
                self.reply(
                    ctx,
                    conn,
                    ClientResp::Result {
                        xid,
                        zxid,
                        result: Box::new(OpResult::Done),
                    },
                );
            }
        }
    }

    /// A transaction committed on this server: apply it, fire watches, answer the client.
    pub(crate) fn apply_committed(&mut self, ctx: &mut Ctx, t: &ZTxn) {
        if t.txn.zxid <= self.db.last_processed && self.state != ServerState::Leading {
            return;
        }
        let applied = self.db.apply(&t.txn, !self.watches.is_empty());
        if let (TxnBody::CloseSession { .. }, Role::Leader(l)) = (&t.txn.body, &mut self.role) {
            l.tracker.expiry.remove(&t.txn.session);
            l.tracker.closing.remove(&t.txn.session);
        }
        if t.cxid != crate::server::PRESET_CXID {
            self.delivered.push(t.txn.zxid);
        }
        if self.state != ServerState::Leading {
            ctx.event(EventKind::Committed {
                server: self.id,
                zxid: t.txn.zxid,
            });
        }
        let conns = &self.conns;
        let events = self.watches.trigger(&applied.triggers, |c, acl| {
            conns
                .get(&c.0)
                .is_some_and(|cc| crate::acl::can_read(acl, &cc.auth))
        });
        for (conn, ev) in events {
            self.reply(ctx, conn.0, ClientResp::Watch(ev));
        }
        let session = t.txn.session;
        let Some(conn) = self.conn_for_session(session) else {
            return;
        };
        let zxid = t.txn.zxid;
        match &t.txn.body {
            TxnBody::CreateSession { .. } => {
                let timeout = self.conns.get(&conn).map(|c| c.timeout).unwrap_or(0);
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.established = true;
                }
                self.finish_request(ctx.now, conn, Some(0), 0, "SESS", zxid);
                self.reply(ctx, conn, ClientResp::Connected { session, timeout });
            }
            TxnBody::CloseSession { .. } => {
                if t.cxid != 0 {
                    let cxid = t.cxid;
                    self.finish_request(ctx.now, conn, Some(cxid), cxid as i64, "CLOS", zxid);
                    self.reply(
                        ctx,
                        conn,
                        ClientResp::Result {
                            xid: t.cxid,
                            zxid,
                            result: Box::new(OpResult::Done),
                        },
                    );
                }
                self.reply(ctx, conn, ClientResp::Closing);
                self.conns.remove(&conn);
                self.watches.remove_connection(ConnId(conn));
            }
            _ => {
                if t.cxid != 0 && t.cxid != crate::server::PRESET_CXID {
                    let result = applied.result;
                    let cxid = t.cxid;
                    self.finish_request(ctx.now, conn, Some(cxid), cxid as i64, "NA", zxid);
                    self.reply(
                        ctx,
                        conn,
                        ClientResp::Result {
                            xid: t.cxid,
                            zxid,
                            result: Box::new(result),
                        },
                    );
                }
            }
        }
    }
}
