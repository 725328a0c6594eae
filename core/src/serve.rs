//! The client-facing side of a server: connections, sessions, reads answered locally,
//! writes forwarded to the leader, `sync`, watches, and answering committed requests.

use std::rc::Rc;

use crate::acl::Id;
use crate::event::EventKind;
use crate::msg::{
    ClientId, ClientReq, ClientResp, ForwardedOp, Msg, Node, OpResult, ReadOp, ZTxn, ZabMsg,
};
use crate::server::{Ctx, Role, Server};
use crate::txn::{Txn, TxnBody};
use crate::watch::ConnId;
use crate::zab::{SyncWaiter, bucket};
use crate::{ErrorCode, ServerId, ServerState, SessionId, Zxid};

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
}

impl Server {
    fn conn_for_session(&self, session: SessionId) -> Option<u32> {
        self.conns
            .iter()
            .find(|(_, c)| c.session == session)
            .map(|(k, _)| *k)
    }

    fn reply(&self, ctx: &mut Ctx, conn: u32, resp: ClientResp) {
        if let Some(c) = self.conns.get(&conn) {
            ctx.send(Node::Client(c.client), Msg::Reply { conn, resp });
        }
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
                },
            );
            if session.0 == 0 {
                let id = self.next_session_id();
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.session = id;
                }
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
        let Some(cc) = self.conns.get(&conn) else {
            ctx.send(Node::Client(client), Msg::Reset { conn });
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
                self.reply(ctx, conn, ClientResp::Pong { zxid });
            }
            ClientReq::Read { xid, op } => {
                let result = self.read(conn, &op);
                let zxid = self.db.last_processed;
                self.reply(ctx, conn, ClientResp::Result { xid, zxid, result });
            }
            ClientReq::Write { xid, op } => {
                let auth = self
                    .conns
                    .get(&conn)
                    .map(|c| c.auth.clone())
                    .unwrap_or_default();
                self.submit(ctx, session, xid, ForwardedOp::Write(op, auth))
            }
            ClientReq::Close { xid } => self.submit(ctx, session, xid, ForwardedOp::CloseSession),
            ClientReq::Sync { xid, .. } => match &mut self.role {
                Role::Leader(_) => {
                    self.leader_on_request(ctx, None, session, xid, ForwardedOp::Sync)
                }
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
            },
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
                        result,
                    },
                );
            }
            ClientReq::SetWatches {
                relative_zxid,
                data,
                exist,
                child,
            } => {
                let events = self.watches.set_watches(
                    ConnId(conn),
                    relative_zxid,
                    &data,
                    &exist,
                    &child,
                    &self.db.tree,
                );
                for ev in events {
                    self.reply(ctx, conn, ClientResp::Watch(ev));
                }
            }
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
        l.prep.apply(&t.txn);
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
                self.reply(
                    ctx,
                    conn,
                    ClientResp::Result {
                        xid,
                        zxid,
                        result: OpResult::Done,
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
        let applied = self.db.apply(&t.txn);
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
                self.reply(ctx, conn, ClientResp::Connected { session, timeout });
            }
            TxnBody::CloseSession { .. } => {
                if t.cxid != 0 {
                    self.reply(
                        ctx,
                        conn,
                        ClientResp::Result {
                            xid: t.cxid,
                            zxid,
                            result: OpResult::Done,
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
                    self.reply(
                        ctx,
                        conn,
                        ClientResp::Result {
                            xid: t.cxid,
                            zxid,
                            result,
                        },
                    );
                }
            }
        }
    }
}
