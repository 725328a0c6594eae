//! Zab as ZooKeeper 3.8 implements it (spec/zab.md): discovery (epoch agreement),
//! synchronization (DIFF / TRUNC / SNAP, NEWLEADER, UPTODATE) and broadcast (PROPOSAL, ACK,
//! COMMIT, INFORM), with the leader's tick loop and the learners' read timeouts.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::event::EventKind;
use crate::msg::{Msg, Node, Snapshot, ZTxn, ZabMsg};
use crate::server::{Ctx, Role, Server, SyncMode, TimerKind, ZabPhase};
use crate::{ServerId, ServerState, SessionId, SimTime, Zxid};

/// Where a leader's handler for one learner stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HandlerStage {
    /// FOLLOWERINFO received; waiting for a quorum to fix the epoch.
    WaitEpoch,
    /// LEADERINFO sent; waiting for ACKEPOCH.
    WaitAckEpoch,
    /// ACKEPOCH received; waiting for a quorum of them.
    WaitEpochQuorum,
    /// Sync and NEWLEADER sent; waiting for the learner's ACK.
    WaitNewLeaderAck,
    /// NEWLEADER acked; waiting for the leader to start serving.
    WaitServing,
    /// UPTODATE sent: broadcast.
    Broadcast,
}

/// The leader's view of one learner (`LearnerHandler`).
#[derive(Debug, Clone)]
pub struct Handler {
    /// The connection.
    pub conn: u32,
    /// An observer.
    pub observer: bool,
    /// Stage.
    pub stage: HandlerStage,
    /// The learner's last logged zxid (from ACKEPOCH).
    pub peer_last: Zxid,
    /// Tick by which the next packet must arrive for the learner to count as synced.
    pub ack_deadline_tick: u64,
    /// Receives live PROPOSAL/COMMIT (or INFORM) traffic.
    pub forwarding: bool,
}

/// A proposal waiting for its quorum.
#[derive(Debug, Clone)]
pub struct Outstanding {
    /// The transaction.
    pub txn: Rc<ZTxn>,
    /// Voters that acknowledged it (the leader included once logged).
    pub acks: Vec<ServerId>,
    /// When it was proposed.
    pub proposed_at: SimTime,
}

/// Who waits for a `sync` to complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncWaiter {
    /// A learner that forwarded it.
    Learner(ServerId),
    /// A client connection on the leader.
    Local {
        /// Connection.
        conn: u32,
        /// Request id.
        xid: u32,
    },
}

/// The leader's session tracker.
#[derive(Debug, Clone, Default)]
pub struct SessionTracker {
    /// Expiry time per live session.
    pub expiry: BTreeMap<SessionId, SimTime>,
    /// Sessions being closed.
    pub closing: std::collections::BTreeSet<SessionId>,
}

/// LEADING state.
#[derive(Debug, Clone)]
pub struct LeaderState {
    /// Handlers by learner id.
    pub handlers: BTreeMap<ServerId, Handler>,
    /// The new epoch once decided.
    pub epoch: Option<u32>,
    candidate: i64,
    /// Voters (leader included) whose FOLLOWERINFO counted for the epoch.
    pub connecting: Vec<ServerId>,
    /// Voters (leader included) whose ACKEPOCH counted.
    pub electing: Vec<ServerId>,
    /// A quorum acknowledged the epoch.
    pub epoch_acked: bool,
    /// Voters (leader included) that acknowledged NEWLEADER.
    pub newleader_acks: Vec<ServerId>,
    /// Serving clients (broadcast).
    pub serving: bool,
    /// `tick` of the leader loop.
    pub tick: u64,
    half: bool,
    /// (currentEpoch, lastProcessedZxid) when leadership began.
    pub summary: (u32, Zxid),
    /// Last zxid proposed.
    pub last_proposed: Zxid,
    /// Last zxid committed.
    pub last_committed: Zxid,
    /// Proposals waiting for a quorum.
    pub outstanding: BTreeMap<Zxid, Outstanding>,
    /// The tree requests are validated against: committed state plus outstanding proposals.
    pub prep: crate::server::Db,
    /// Parked syncs, by the zxid whose commit releases them.
    pub syncs: Vec<(Zxid, SyncWaiter)>,
    /// Sessions.
    pub tracker: SessionTracker,
}

/// Where a learner stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LearnerPhase {
    /// FOLLOWERINFO sent, waiting for LEADERINFO.
    Discovery,
    /// Receiving the sync.
    Sync,
    /// Broadcast.
    Broadcast,
}

/// FOLLOWING / OBSERVING state.
#[derive(Debug, Clone)]
pub struct LearnerState {
    /// The leader.
    pub leader: ServerId,
    /// Connection to it.
    pub conn: u32,
    /// Phase.
    pub phase: LearnerPhase,
    /// Connection attempts so far.
    pub tries: u32,
    /// The new epoch.
    pub epoch: u32,
    /// Last packet from the leader.
    pub last_heard: SimTime,
    /// NEWLEADER processed (read timeout becomes syncLimit).
    pub seen_newleader: bool,
    /// Proposals received during sync, not yet logged.
    pub sync_buf: Vec<Rc<ZTxn>>,
    /// Zxids committed after NEWLEADER, applied at UPTODATE.
    pub sync_committed: Vec<Zxid>,
    /// Logged proposals waiting for their COMMIT.
    pub pending: std::collections::VecDeque<Rc<ZTxn>>,
    /// Session touches to report with the next ping.
    pub touches: BTreeMap<SessionId, u32>,
    /// Client syncs forwarded to the leader, oldest first: (connection, request id).
    pub pending_syncs: std::collections::VecDeque<(u32, u32)>,
    /// Reconnecting sessions waiting for REVALIDATE: session → (connection, timeout).
    pub revalidating: BTreeMap<SessionId, (u32, u64)>,
}

fn quorum_of(ctx: &Ctx, set: &[ServerId]) -> bool {
    ctx.cfg
        .is_quorum(set.iter().filter(|s| ctx.cfg.is_voter(**s)).count())
}

impl Server {
    fn tick_ms(ctx: &Ctx) -> u64 {
        ctx.cfg.tick_time
    }

    fn send_zab(ctx: &mut Ctx, to: ServerId, conn: u32, pkt: ZabMsg) {
        ctx.send(Node::Server(to), Msg::Zab { conn, pkt });
    }

    /// The leader's state, if leading.
    pub fn leader_state(&self) -> Option<&LeaderState> {
        match &self.role {
            Role::Leader(l) => Some(l),
            _ => None,
        }
    }

    /// The learner's state, if following or observing.
    pub fn learner_state(&self) -> Option<&LearnerState> {
        match &self.role {
            Role::Learner(l) => Some(l),
            _ => None,
        }
    }

    // ===== leader =====

    pub(crate) fn become_leading(&mut self, ctx: &mut Ctx) {
        self.set_state(ctx, ServerState::Leading);
        self.set_zab(ctx, ZabPhase::Discovery);
        let mut l = LeaderState {
            handlers: BTreeMap::new(),
            epoch: None,
            candidate: self.disk.accepted_epoch as i64 + 1,
            connecting: vec![self.id],
            electing: Vec::new(),
            epoch_acked: false,
            newleader_acks: Vec::new(),
            serving: false,
            tick: 0,
            half: false,
            summary: (self.disk.current_epoch, self.db.last_processed),
            last_proposed: Zxid(0),
            last_committed: Zxid(0),
            outstanding: BTreeMap::new(),
            prep: self.db.clone(),
            syncs: Vec::new(),
            tracker: SessionTracker::default(),
        };
        l.tick = 0;
        self.role = Role::Leader(Box::new(l));
        let at = ctx.now.plus(ctx.cfg.init_limit * Self::tick_ms(ctx));
        self.set_timer(ctx, TimerKind::LeaderWait, at);
        self.maybe_decide_epoch(ctx);
    }

    fn leader_mut(&mut self) -> Option<&mut LeaderState> {
        match &mut self.role {
            Role::Leader(l) => Some(l),
            _ => None,
        }
    }

    fn maybe_decide_epoch(&mut self, ctx: &mut Ctx) {
        let Some(l) = self.leader_mut() else { return };
        if l.epoch.is_some() || !quorum_of(ctx, &l.connecting) {
            return;
        }
        let epoch = l.candidate as u32;
        l.epoch = Some(epoch);
        self.disk.accepted_epoch = epoch;
        ctx.event(EventKind::EpochDecided {
            server: self.id,
            epoch,
        });
        let me = self.id;
        let Some(l) = self.leader_mut() else { return };
        l.electing.push(me);
        let waiting: Vec<(ServerId, u32)> = l
            .handlers
            .iter()
            .filter(|(_, h)| h.stage == HandlerStage::WaitEpoch)
            .map(|(s, h)| (*s, h.conn))
            .collect();
        for (sid, conn) in waiting {
            if let Some(h) = l.handlers.get_mut(&sid) {
                h.stage = HandlerStage::WaitAckEpoch;
            }
            Self::send_zab(ctx, sid, conn, ZabMsg::LeaderInfo { epoch });
        }
        let at = ctx.now.plus(ctx.cfg.init_limit * Self::tick_ms(ctx));
        self.set_timer(ctx, TimerKind::LeaderWait, at);
        self.maybe_finish_epoch_ack(ctx);
    }

    fn maybe_finish_epoch_ack(&mut self, ctx: &mut Ctx) {
        let Some(l) = self.leader_mut() else { return };
        if l.epoch_acked || l.epoch.is_none() || !quorum_of(ctx, &l.electing) {
            return;
        }
        l.epoch_acked = true;
        let epoch = l.epoch.unwrap_or(0);
        self.disk.current_epoch = epoch;
        self.set_zab(ctx, ZabPhase::Synchronization);
        let me = self.id;
        let Some(l) = self.leader_mut() else { return };
        l.newleader_acks.push(me);
        let waiting: Vec<ServerId> = l
            .handlers
            .iter()
            .filter(|(_, h)| h.stage == HandlerStage::WaitEpochQuorum)
            .map(|(s, _)| *s)
            .collect();
        for sid in waiting {
            self.sync_learner(ctx, sid);
        }
        let at = ctx.now.plus(ctx.cfg.init_limit * Self::tick_ms(ctx));
        self.set_timer(ctx, TimerKind::LeaderWait, at);
        self.maybe_start_serving(ctx);
    }

    /// `syncFollower` + NEWLEADER for one learner.
    fn sync_learner(&mut self, ctx: &mut Ctx, sid: ServerId) {
        let committed_log: Vec<Rc<ZTxn>> = self.disk.log.clone();
        let last = self.db.last_processed;
        let Some(l) = self.leader_mut() else { return };
        let Some(h) = l.handlers.get(&sid) else {
            return;
        };
        let (conn, peer, observer) = (h.conn, h.peer_last, h.observer);
        let epoch = l.epoch.unwrap_or(0);
        // The committed log: everything this leader logged up to its last commit.
        let upto = if l.serving { l.last_committed } else { last };
        let log: Vec<&Rc<ZTxn>> = committed_log
            .iter()
            .filter(|t| t.txn.zxid <= upto)
            .collect();
        let (min_c, max_c) = match (log.first(), log.last()) {
            (Some(a), Some(b)) => (a.txn.zxid, b.txn.zxid),
            _ => (last, last),
        };
        let new_epoch_zxid = |z: Zxid| z.counter() == 0;
        let mut pkts: Vec<ZabMsg> = Vec::new();
        let mut mode = SyncMode::Diff;
        if last == peer {
            pkts.push(ZabMsg::Diff { zxid: peer });
        } else if peer > max_c && !new_epoch_zxid(peer) {
            mode = SyncMode::Trunc;
            pkts.push(ZabMsg::Trunc { zxid: max_c });
        } else if min_c <= peer && peer <= max_c {
            let mut first: Option<ZabMsg> = None;
            let mut prev = Zxid(0);
            let mut snap = false;
            let mut body = Vec::new();
            for p in &log {
                let z = p.txn.zxid;
                if z < peer {
                    prev = z;
                    continue;
                }
                if first.is_none() {
                    if z == peer {
                        first = Some(ZabMsg::Diff { zxid: max_c });
                        continue;
                    }
                    if new_epoch_zxid(peer) {
                        first = Some(ZabMsg::Diff { zxid: max_c });
                    } else if z > peer {
                        if z.epoch() != peer.epoch() {
                            snap = true;
                            break;
                        }
                        mode = SyncMode::Trunc;
                        first = Some(ZabMsg::Trunc { zxid: prev });
                    }
                }
                body.push(ZabMsg::Proposal(Rc::clone(p)));
                body.push(ZabMsg::Commit { zxid: z });
            }
            if snap {
                mode = SyncMode::Snap;
            } else {
                pkts.push(first.unwrap_or(ZabMsg::Diff { zxid: max_c }));
                pkts.extend(body);
            }
        } else {
            mode = SyncMode::Snap;
        }
        if mode == SyncMode::Snap {
            pkts.clear();
            let snapshot = Snapshot {
                tree: self.db.tree.clone(),
                sessions: self.db.sessions.clone(),
                zxid: last,
            };
            pkts.push(ZabMsg::Snap {
                zxid: last,
                snapshot: Rc::new(snapshot),
            });
        }
        ctx.event(EventKind::SyncChosen {
            leader: self.id,
            learner: sid,
            mode,
        });
        for p in pkts {
            Self::send_zab(ctx, sid, conn, p);
        }
        let Some(l) = self.leader_mut() else { return };
        // From here the learner also receives live traffic: proposals still outstanding.
        if !observer {
            let outstanding: Vec<Rc<ZTxn>> =
                l.outstanding.values().map(|o| Rc::clone(&o.txn)).collect();
            for t in outstanding {
                Self::send_zab(ctx, sid, conn, ZabMsg::Proposal(t));
            }
        }
        if let Some(h) = l.handlers.get_mut(&sid) {
            h.forwarding = true;
            h.stage = HandlerStage::WaitNewLeaderAck;
        }
        Self::send_zab(
            ctx,
            sid,
            conn,
            ZabMsg::NewLeader {
                zxid: Zxid::new(epoch, 0),
            },
        );
    }

    fn maybe_start_serving(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        let Some(l) = self.leader_mut() else { return };
        if l.serving || !l.epoch_acked || !quorum_of(ctx, &l.newleader_acks) {
            return;
        }
        let epoch = l.epoch.unwrap_or(0);
        l.serving = true;
        let start = Zxid::new(epoch, 0);
        l.last_committed = start;
        l.last_proposed = start;
        self.db.last_processed = start;
        let Some(l) = self.leader_mut() else { return };
        l.prep = crate::server::Db {
            tree: l.prep.tree.clone(),
            sessions: l.prep.sessions.clone(),
            last_processed: start,
        };
        self.current_vote.peer_epoch = epoch as i64;
        self.set_zab(ctx, ZabPhase::Broadcast);
        ctx.event(EventKind::Established {
            leader: self.id,
            epoch,
        });
        // A new leader tracks every known session afresh.
        let sessions: Vec<(SessionId, u32)> =
            self.db.sessions.iter().map(|(s, t)| (*s, *t)).collect();
        let tick = Self::tick_ms(ctx);
        let Some(l) = self.leader_mut() else { return };
        for (s, t) in sessions {
            l.tracker.expiry.insert(s, bucket(now.plus(t as u64), tick));
        }
        let ready: Vec<(ServerId, u32)> = l
            .handlers
            .iter()
            .filter(|(_, h)| h.stage == HandlerStage::WaitServing)
            .map(|(s, h)| (*s, h.conn))
            .collect();
        for (sid, conn) in ready {
            if let Some(h) = l.handlers.get_mut(&sid) {
                h.stage = HandlerStage::Broadcast;
            }
            Self::send_zab(ctx, sid, conn, ZabMsg::UpToDate);
        }
        self.cancel_timer(TimerKind::LeaderWait);
        self.set_timer(ctx, TimerKind::LeaderTick, now.plus(tick / 2));
        self.set_timer(ctx, TimerKind::SessionTick, bucket(now, tick));
    }

    pub(crate) fn on_leader_wait_timeout(&mut self, ctx: &mut Ctx) {
        if let Some(l) = self.leader_state()
            && !l.serving
        {
            ctx.event(EventKind::Note {
                server: self.id,
                text: "no quorum within initLimit: leader gives up",
            });
            self.become_looking(ctx);
        }
    }

    pub(crate) fn on_leader_tick(&mut self, ctx: &mut Ctx) {
        let me = self.id;
        let now = ctx.now;
        let tick_ms = Self::tick_ms(ctx);
        let sync_ms = ctx.cfg.sync_limit * tick_ms;
        let Some(l) = self.leader_mut() else { return };
        l.half = !l.half;
        let mut lost_quorum = false;
        if !l.half {
            l.tick += 1;
            let tick = l.tick;
            let mut synced = vec![me];
            synced.extend(
                l.handlers
                    .iter()
                    .filter(|(_, h)| !h.observer && tick <= h.ack_deadline_tick)
                    .map(|(s, _)| *s),
            );
            lost_quorum = !quorum_of(ctx, &synced);
        }
        if lost_quorum {
            ctx.event(EventKind::Note {
                server: me,
                text: "not sufficient followers synced: leader steps down",
            });
            self.become_looking(ctx);
            return;
        }
        let Some(l) = self.leader_mut() else { return };
        let stale = l
            .outstanding
            .values()
            .next()
            .is_some_and(|o| now.0.saturating_sub(o.proposed_at.0) >= sync_ms);
        let zxid = l.last_proposed;
        let mut close = Vec::new();
        let mut ping = Vec::new();
        for (sid, h) in &l.handlers {
            if h.stage < HandlerStage::WaitNewLeaderAck {
                continue;
            }
            if stale && !h.observer {
                close.push((*sid, h.conn));
            } else {
                ping.push((*sid, h.conn));
            }
        }
        for (sid, conn) in close {
            l.handlers.remove(&sid);
            ctx.send(Node::Server(sid), Msg::Reset { conn });
        }
        for (sid, conn) in ping {
            Self::send_zab(
                ctx,
                sid,
                conn,
                ZabMsg::Ping {
                    zxid,
                    touches: Vec::new(),
                },
            );
        }
        self.set_timer(ctx, TimerKind::LeaderTick, now.plus(tick_ms / 2));
    }

    fn leader_on_zab(&mut self, ctx: &mut Ctx, sid: ServerId, conn: u32, pkt: ZabMsg) {
        let sync_limit = ctx.cfg.sync_limit;
        let init_limit = ctx.cfg.init_limit;
        if let ZabMsg::LearnerInfo {
            accepted_epoch,
            observer,
        } = pkt
        {
            // A (re)connecting learner gets a fresh handler.
            let Some(l) = self.leader_mut() else { return };
            if let Some(old) = l.handlers.remove(&sid) {
                ctx.send(Node::Server(sid), Msg::Reset { conn: old.conn });
            }
            let tick = l.tick;
            l.handlers.insert(
                sid,
                Handler {
                    conn,
                    observer,
                    stage: HandlerStage::WaitEpoch,
                    peer_last: Zxid(0),
                    ack_deadline_tick: tick + init_limit + sync_limit,
                    forwarding: false,
                },
            );
            if let Some(epoch) = l.epoch {
                if let Some(h) = l.handlers.get_mut(&sid) {
                    h.stage = HandlerStage::WaitAckEpoch;
                }
                Self::send_zab(ctx, sid, conn, ZabMsg::LeaderInfo { epoch });
            } else {
                if l.candidate <= accepted_epoch as i64 {
                    l.candidate = accepted_epoch as i64 + 1;
                }
                if ctx.cfg.is_voter(sid) && !l.connecting.contains(&sid) {
                    l.connecting.push(sid);
                }
                self.maybe_decide_epoch(ctx);
            }
            return;
        }
        let Some(l) = self.leader_mut() else { return };
        let Some(h) = l.handlers.get_mut(&sid) else {
            return;
        };
        if h.conn != conn {
            return;
        }
        h.ack_deadline_tick = l.tick + sync_limit;
        match pkt {
            ZabMsg::AckEpoch {
                last_zxid,
                current_epoch,
            } => {
                if h.stage != HandlerStage::WaitAckEpoch {
                    return;
                }
                h.peer_last = last_zxid;
                h.stage = HandlerStage::WaitEpochQuorum;
                if current_epoch != -1 {
                    let (se, sz) = l.summary;
                    let more_recent =
                        crate::election::more_recent(current_epoch, last_zxid.0, se as i64, sz.0);
                    if more_recent {
                        ctx.event(EventKind::Note {
                            server: sid,
                            text: "follower is ahead of the leader",
                        });
                        l.handlers.remove(&sid);
                        ctx.send(Node::Server(sid), Msg::Reset { conn });
                        return;
                    }
                    if last_zxid.0 != -1 && ctx.cfg.is_voter(sid) && !l.electing.contains(&sid) {
                        l.electing.push(sid);
                    }
                }
                if l.epoch_acked {
                    self.sync_learner(ctx, sid);
                } else {
                    self.maybe_finish_epoch_ack(ctx);
                }
            }
            ZabMsg::Ack { zxid } if zxid.counter() == 0 => {
                if h.stage != HandlerStage::WaitNewLeaderAck {
                    return;
                }
                if l.serving {
                    h.stage = HandlerStage::Broadcast;
                    Self::send_zab(ctx, sid, conn, ZabMsg::UpToDate);
                } else {
                    h.stage = HandlerStage::WaitServing;
                    if ctx.cfg.is_voter(sid) && !l.newleader_acks.contains(&sid) {
                        l.newleader_acks.push(sid);
                    }
                    self.maybe_start_serving(ctx);
                }
            }
            ZabMsg::Ack { zxid } => self.process_ack(ctx, sid, zxid),
            ZabMsg::Ping { touches, .. } => {
                let tick = ctx.cfg.tick_time;
                let now = ctx.now;
                if let Some(l) = self.leader_mut() {
                    for (s, t) in touches {
                        if l.tracker.expiry.contains_key(&s) && !l.tracker.closing.contains(&s) {
                            l.tracker.expiry.insert(s, bucket(now.plus(t as u64), tick));
                        }
                    }
                }
            }
            ZabMsg::Request { session, cxid, op } => {
                self.leader_on_request(ctx, Some(sid), session, cxid, op)
            }
            ZabMsg::Revalidate { session, timeout } => {
                let valid = self.revalidate_session(ctx, session, timeout as u64);
                Self::send_zab(ctx, sid, conn, ZabMsg::RevalidateReply { session, valid });
            }
            _ => {}
        }
    }

    /// True if the session is alive; touches it.
    pub(crate) fn revalidate_session(
        &mut self,
        ctx: &Ctx,
        session: SessionId,
        timeout: u64,
    ) -> bool {
        let tick = ctx.cfg.tick_time;
        let now = ctx.now;
        let Some(l) = self.leader_mut() else {
            return false;
        };
        let valid =
            l.tracker.expiry.contains_key(&session) && !l.tracker.closing.contains(&session);
        if valid {
            l.tracker
                .expiry
                .insert(session, bucket(now.plus(timeout), tick));
        }
        valid
    }

    /// `processAck`: counts an acknowledgement and commits what has a quorum, in order.
    pub(crate) fn process_ack(&mut self, ctx: &mut Ctx, sid: ServerId, zxid: Zxid) {
        let Some(l) = self.leader_mut() else { return };
        if zxid <= l.last_committed {
            return;
        }
        let Some(p) = l.outstanding.get_mut(&zxid) else {
            return;
        };
        if ctx.cfg.is_voter(sid) && !p.acks.contains(&sid) {
            p.acks.push(sid);
        }
        ctx.event(EventKind::Acked {
            leader: self.id,
            from: sid,
            zxid,
        });
        let mut z = zxid;
        while self.try_to_commit(ctx, z) {
            z = Zxid(z.0 + 1);
        }
    }

    fn try_to_commit(&mut self, ctx: &mut Ctx, zxid: Zxid) -> bool {
        let Some(l) = self.leader_mut() else {
            return false;
        };
        if l.outstanding.contains_key(&Zxid(zxid.0 - 1)) {
            return false;
        }
        let Some(p) = l.outstanding.get(&zxid) else {
            return false;
        };
        if !quorum_of(ctx, &p.acks) {
            return false;
        }
        let p = l.outstanding.remove(&zxid).expect("checked");
        l.last_committed = zxid;
        for (&sid, h) in l.handlers.iter().filter(|(_, h)| h.forwarding) {
            let pkt = if h.observer {
                ZabMsg::Inform(Rc::clone(&p.txn))
            } else {
                ZabMsg::Commit { zxid }
            };
            Self::send_zab(ctx, sid, h.conn, pkt);
        }
        ctx.event(EventKind::Committed {
            server: self.id,
            zxid,
        });
        self.apply_committed(ctx, &p.txn);
        // Syncs parked behind this zxid complete now.
        let Some(l) = self.leader_mut() else {
            return true;
        };
        if l.syncs.is_empty() {
            return true;
        }
        let (ready, rest): (Vec<_>, Vec<_>) = l.syncs.drain(..).partition(|(z, _)| *z <= zxid);
        l.syncs = rest;
        for (_, w) in ready {
            self.complete_sync(ctx, w);
        }
        true
    }

    /// Proposes a prepared transaction to the followers and logs it locally.
    pub(crate) fn propose(&mut self, ctx: &mut Ctx, t: Rc<ZTxn>) {
        let now = ctx.now;
        let me = self.id;
        let zxid = t.txn.zxid;
        let Some(l) = self.leader_mut() else { return };
        l.last_proposed = zxid;
        l.outstanding.insert(
            zxid,
            Outstanding {
                txn: Rc::clone(&t),
                acks: Vec::new(),
                proposed_at: now,
            },
        );
        for (&sid, h) in l
            .handlers
            .iter()
            .filter(|(_, h)| h.forwarding && !h.observer)
        {
            Self::send_zab(ctx, sid, h.conn, ZabMsg::Proposal(Rc::clone(&t)));
        }
        ctx.event(EventKind::Proposed { leader: me, zxid });
        self.disk.log.push(t);
        self.process_ack(ctx, me, zxid);
    }

    pub(crate) fn on_session_tick(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        let tick = ctx.cfg.tick_time;
        let Some(l) = self.leader_mut() else { return };
        let expired: Vec<SessionId> = l
            .tracker
            .expiry
            .iter()
            .filter(|(s, at)| **at <= now && !l.tracker.closing.contains(s))
            .map(|(s, _)| *s)
            .collect();
        for s in expired {
            ctx.event(EventKind::SessionExpired {
                leader: self.id,
                session: s,
            });
            self.leader_on_request(ctx, None, s, 0, crate::msg::ForwardedOp::CloseSession);
        }
        self.set_timer(ctx, TimerKind::SessionTick, now.plus(tick));
    }

    // ===== learners =====

    pub(crate) fn become_following(&mut self, ctx: &mut Ctx) {
        self.set_state(ctx, ServerState::Following);
        self.start_learner(ctx);
    }

    pub(crate) fn become_observing(&mut self, ctx: &mut Ctx) {
        self.set_state(ctx, ServerState::Observing);
        self.start_learner(ctx);
    }

    fn start_learner(&mut self, ctx: &mut Ctx) {
        self.set_zab(ctx, ZabPhase::Discovery);
        let leader = ServerId(self.current_vote.id as u8);
        let conn = ctx.new_conn();
        self.role = Role::Learner(Box::new(LearnerState {
            leader,
            conn,
            phase: LearnerPhase::Discovery,
            tries: 1,
            epoch: 0,
            last_heard: ctx.now,
            seen_newleader: false,
            sync_buf: Vec::new(),
            sync_committed: Vec::new(),
            pending: Default::default(),
            touches: BTreeMap::new(),
            pending_syncs: Default::default(),
            revalidating: BTreeMap::new(),
        }));
        let observer = self.observer;
        Self::send_zab(
            ctx,
            leader,
            conn,
            ZabMsg::LearnerInfo {
                accepted_epoch: self.disk.accepted_epoch,
                observer,
            },
        );
        let at = ctx.now.plus(ctx.cfg.init_limit * Self::tick_ms(ctx));
        self.set_timer(ctx, TimerKind::LearnerRead, at);
    }

    fn learner_mut(&mut self) -> Option<&mut LearnerState> {
        match &mut self.role {
            Role::Learner(l) => Some(l),
            _ => None,
        }
    }

    pub(crate) fn on_learner_read_timeout(&mut self, ctx: &mut Ctx) {
        let tick = Self::tick_ms(ctx);
        let (init, sync) = (ctx.cfg.init_limit * tick, ctx.cfg.sync_limit * tick);
        let now = ctx.now;
        let Some(l) = self.learner_mut() else { return };
        let limit = if l.seen_newleader { sync } else { init };
        let deadline = l.last_heard.plus(limit);
        if now >= deadline {
            ctx.event(EventKind::Note {
                server: self.id,
                text: "no packet from the leader within the limit",
            });
            self.become_looking(ctx);
        } else {
            self.set_timer(ctx, TimerKind::LearnerRead, deadline);
        }
    }

    pub(crate) fn on_learner_connect_retry(&mut self, ctx: &mut Ctx) {
        let conn = ctx.new_conn();
        let accepted = self.disk.accepted_epoch;
        let observer = self.observer;
        let Some(l) = self.learner_mut() else { return };
        l.conn = conn;
        let leader = l.leader;
        Self::send_zab(
            ctx,
            leader,
            conn,
            ZabMsg::LearnerInfo {
                accepted_epoch: accepted,
                observer,
            },
        );
    }

    pub(crate) fn on_zab_reset(&mut self, ctx: &mut Ctx, sid: ServerId, conn: u32) {
        match &mut self.role {
            Role::Learner(l) if l.conn == conn && l.leader == sid => {
                if l.phase == LearnerPhase::Discovery && l.tries < 5 {
                    l.tries += 1;
                    let at = ctx.now.plus(100);
                    self.set_timer(ctx, TimerKind::LearnerConnect, at);
                } else {
                    ctx.event(EventKind::Note {
                        server: self.id,
                        text: "connection to the leader lost",
                    });
                    self.become_looking(ctx);
                }
            }
            Role::Leader(l) if l.handlers.get(&sid).is_some_and(|h| h.conn == conn) => {
                l.handlers.remove(&sid);
            }
            _ => {}
        }
    }

    pub(crate) fn on_zab(&mut self, ctx: &mut Ctx, sid: ServerId, conn: u32, pkt: ZabMsg) {
        match self.state {
            ServerState::Leading => self.leader_on_zab(ctx, sid, conn, pkt),
            ServerState::Following | ServerState::Observing => {
                self.learner_on_zab(ctx, sid, conn, pkt)
            }
            _ => {
                // Nobody listens on the quorum port: refuse.
                if matches!(pkt, ZabMsg::LearnerInfo { .. }) {
                    ctx.send(Node::Server(sid), Msg::Reset { conn });
                }
            }
        }
    }

    fn learner_on_zab(&mut self, ctx: &mut Ctx, sid: ServerId, conn: u32, pkt: ZabMsg) {
        if let ZabMsg::LearnerInfo { .. } = pkt {
            ctx.send(Node::Server(sid), Msg::Reset { conn });
            return;
        }
        let now = ctx.now;
        let is_follower = !self.observer;
        let Some(l) = self.learner_mut() else { return };
        if l.conn != conn || l.leader != sid {
            return;
        }
        l.last_heard = now;
        match pkt {
            ZabMsg::LeaderInfo { epoch } => {
                l.phase = LearnerPhase::Sync;
                l.epoch = epoch;
                let last = self.db.last_processed;
                let current = if epoch > self.disk.accepted_epoch {
                    let c = self.disk.current_epoch as i64;
                    self.disk.accepted_epoch = epoch;
                    c
                } else if epoch == self.disk.accepted_epoch {
                    -1
                } else {
                    ctx.event(EventKind::Note {
                        server: self.id,
                        text: "leader's epoch is older than ours",
                    });
                    self.become_looking(ctx);
                    return;
                };
                self.set_zab(ctx, ZabPhase::Synchronization);
                Self::send_zab(
                    ctx,
                    sid,
                    conn,
                    ZabMsg::AckEpoch {
                        last_zxid: last,
                        current_epoch: current,
                    },
                );
            }
            ZabMsg::Diff { .. } => {
                self.sync_mode = SyncMode::Diff;
            }
            ZabMsg::Trunc { zxid } => {
                self.sync_mode = SyncMode::Trunc;
                self.disk.log.retain(|t| t.txn.zxid <= zxid);
                self.reload_db();
                ctx.event(EventKind::Truncated {
                    server: self.id,
                    zxid,
                });
            }
            ZabMsg::Snap { zxid, snapshot } => {
                self.sync_mode = SyncMode::Snap;
                self.db = crate::server::Db {
                    tree: snapshot.tree.clone(),
                    sessions: snapshot.sessions.clone(),
                    last_processed: zxid,
                };
                self.disk.log.clear();
                self.disk.snapshot = Some(snapshot);
                self.delivered.clear();
            }
            ZabMsg::Proposal(t) => {
                if l.phase == LearnerPhase::Broadcast {
                    let z = t.txn.zxid;
                    l.pending.push_back(Rc::clone(&t));
                    self.disk.log.push(t);
                    if is_follower {
                        Self::send_zab(ctx, sid, conn, ZabMsg::Ack { zxid: z });
                    }
                } else {
                    l.sync_buf.push(t);
                }
            }
            ZabMsg::Commit { zxid } => {
                if l.phase == LearnerPhase::Broadcast {
                    self.learner_commit(ctx, zxid);
                } else if l.seen_newleader {
                    l.sync_committed.push(zxid);
                } else if let Some(pos) = l.sync_buf.iter().position(|t| t.txn.zxid == zxid) {
                    let t = l.sync_buf.remove(pos);
                    self.log_and_apply(ctx, t);
                }
            }
            ZabMsg::Inform(t) => {
                if l.phase == LearnerPhase::Broadcast {
                    self.log_and_apply(ctx, t);
                } else {
                    l.sync_committed.push(t.txn.zxid);
                    l.sync_buf.push(t);
                }
            }
            ZabMsg::NewLeader { zxid } => {
                l.seen_newleader = true;
                let read_deadline = now.plus(ctx.cfg.sync_limit * ctx.cfg.tick_time);
                let epoch = zxid.epoch();
                self.disk.current_epoch = epoch;
                if self.sync_mode == SyncMode::Snap {
                    let snap = Snapshot {
                        tree: self.db.tree.clone(),
                        sessions: self.db.sessions.clone(),
                        zxid: self.db.last_processed,
                    };
                    self.disk.snapshot = Some(Rc::new(snap));
                }
                Self::send_zab(ctx, sid, conn, ZabMsg::Ack { zxid });
                // From NEWLEADER on, the socket timeout is syncLimit ticks.
                self.set_timer(ctx, TimerKind::LearnerRead, read_deadline);
            }
            ZabMsg::UpToDate => {
                l.phase = LearnerPhase::Broadcast;
                let epoch = l.epoch;
                let buf = std::mem::take(&mut l.sync_buf);
                let committed = std::mem::take(&mut l.sync_committed);
                self.current_vote.peer_epoch = epoch as i64;
                self.set_zab(ctx, ZabPhase::Broadcast);
                Self::send_zab(
                    ctx,
                    sid,
                    conn,
                    ZabMsg::Ack {
                        zxid: Zxid::new(epoch, 0),
                    },
                );
                for t in buf {
                    let z = t.txn.zxid;
                    if let Some(l) = self.learner_mut() {
                        l.pending.push_back(Rc::clone(&t));
                    }
                    self.disk.log.push(t);
                    if is_follower {
                        Self::send_zab(ctx, sid, conn, ZabMsg::Ack { zxid: z });
                    }
                }
                for z in committed {
                    self.learner_commit(ctx, z);
                }
                ctx.event(EventKind::Synced {
                    server: self.id,
                    leader: sid,
                    mode: self.sync_mode,
                });
            }
            ZabMsg::Ping { .. } => {
                let touches: Vec<(SessionId, u32)> =
                    std::mem::take(&mut l.touches).into_iter().collect();
                Self::send_zab(
                    ctx,
                    sid,
                    conn,
                    ZabMsg::Ping {
                        zxid: Zxid(0),
                        touches,
                    },
                );
            }
            ZabMsg::Sync => {
                if let Some((cconn, xid)) = l.pending_syncs.pop_front() {
                    self.complete_sync(ctx, SyncWaiter::Local { conn: cconn, xid });
                }
            }
            ZabMsg::RevalidateReply { session, valid } => {
                if let Some((cconn, timeout)) = l.revalidating.remove(&session) {
                    self.finish_reconnect(ctx, cconn, session, timeout, valid);
                }
            }
            _ => {}
        }
    }

    /// COMMIT in broadcast: the oldest logged proposal must be the committed one.
    fn learner_commit(&mut self, ctx: &mut Ctx, zxid: Zxid) {
        let Some(l) = self.learner_mut() else { return };
        match l.pending.front() {
            Some(t) if t.txn.zxid == zxid => {
                let t = l.pending.pop_front().expect("front");
                self.apply_committed(ctx, &t);
            }
            _ => {
                // ZooKeeper's follower exits on an out-of-order commit; here it rejoins.
                ctx.event(EventKind::Note {
                    server: self.id,
                    text: "COMMIT for an unexpected zxid",
                });
                self.become_looking(ctx);
            }
        }
    }

    fn log_and_apply(&mut self, ctx: &mut Ctx, t: Rc<ZTxn>) {
        if t.txn.zxid <= self.db.last_processed {
            return;
        }
        self.disk.log.push(Rc::clone(&t));
        self.apply_committed(ctx, &t);
    }
}

/// The expiry bucket for an instant: the next multiple of tickTime strictly above it.
pub fn bucket(t: SimTime, tick: u64) -> SimTime {
    SimTime((t.0 / tick + 1) * tick)
}
