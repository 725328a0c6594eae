//! A ZooKeeper server as a synchronous state machine: it receives (now, message or timer),
//! changes its state, and writes what it sends and the timers it sets into an [`Out`] buffer.
//! Roles live in their own modules: [`election`](crate::election) for LOOKING,
//! [`zab`](crate::zab) for LEADING / FOLLOWING / OBSERVING, [`serve`](crate::serve) for clients.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::client::{ClientOutput, ClientTimer};
use crate::config::SimConfig;
use crate::election::{Fle, Notification, Vote};
use crate::event::EventKind;
use crate::msg::{Msg, Node, Snapshot, ZTxn};
use crate::rng::SimRng;
use crate::serve::ClientConn;
use crate::tree::DataTree;
use crate::txn::{Txn, TxnBody};
use crate::watch::WatchManager;
use crate::zab::{LeaderState, LearnerState};
use crate::{ServerId, ServerState, SessionId, SimTime, Zxid};

/// A server's timers; each kind has at most one live instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimerKind {
    /// The election loop's receive timeout.
    ElectionPoll,
    /// finalizeWait.
    Finalize,
    /// An observer's random delay before it looks for a new leader.
    ObserverDelay,
    /// The leader's loop, every tickTime/2.
    LeaderTick,
    /// The leader's discovery / sync waits (initLimit ticks).
    LeaderWait,
    /// The learner's socket read timeout.
    LearnerRead,
    /// The learner's retry of a refused connection to the leader.
    LearnerConnect,
    /// The leader's session expiry check (every tickTime).
    SessionTick,
}

const N_TIMERS: usize = 8;

impl TimerKind {
    fn slot(self) -> usize {
        self as usize
    }
    /// Name used in the event log.
    pub fn name(self) -> &'static str {
        match self {
            TimerKind::ElectionPoll => "election-timeout",
            TimerKind::Finalize => "finalize-wait",
            TimerKind::ObserverDelay => "observer-delay",
            TimerKind::LeaderTick => "leader-tick",
            TimerKind::LeaderWait => "init-limit",
            TimerKind::LearnerRead => "read-timeout",
            TimerKind::LearnerConnect => "connect-retry",
            TimerKind::SessionTick => "session-expiry",
        }
    }
}

/// The Zab phase a server is in (`ZabState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZabPhase {
    /// LOOKING (or down).
    Election,
    /// Agreeing on the new epoch.
    Discovery,
    /// Bringing learners up to date.
    Synchronization,
    /// Serving.
    Broadcast,
}

impl ZabPhase {
    /// Lower-case name as mntr prints it.
    pub fn name(self) -> &'static str {
        match self {
            ZabPhase::Election => "election",
            ZabPhase::Discovery => "discovery",
            ZabPhase::Synchronization => "synchronization",
            ZabPhase::Broadcast => "broadcast",
        }
    }
}

/// How a learner was last synchronised (`SyncMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SyncMode {
    /// Not synchronising.
    None,
    /// Missing transactions were sent.
    Diff,
    /// A full snapshot was sent.
    Snap,
    /// The learner's log was truncated.
    Trunc,
}

impl SyncMode {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            SyncMode::None => "none",
            SyncMode::Diff => "diff",
            SyncMode::Snap => "snap",
            SyncMode::Trunc => "trunc",
        }
    }
}

/// Request latencies in simulated ms (ZooKeeper's `AvgMinMaxCounter` for a server, and the
/// per-connection figures `cons` prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    /// Number of samples.
    pub count: u64,
    /// Sum of the samples.
    pub total: u64,
    /// Smallest sample (`u64::MAX` before the first).
    pub min: u64,
    /// Largest sample (0 before the first).
    pub max: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Latency {
            count: 0,
            total: 0,
            min: u64::MAX,
            max: 0,
        }
    }
}

impl Latency {
    /// Adds one sample.
    pub fn add(&mut self, ms: u64) {
        self.count += 1;
        self.total = self.total.saturating_add(ms);
        self.min = self.min.min(ms);
        self.max = self.max.max(ms);
    }

    /// The smallest sample, 0 before the first (as ZooKeeper reports it).
    pub fn min_or_zero(&self) -> u64 {
        if self.count == 0 { 0 } else { self.min }
    }
}

/// ZooKeeper's `ServerStats` for the server's current role. ZooKeeper builds a new
/// `ZooKeeperServer`, and with it new statistics, each time a peer starts leading, following
/// or observing, so these start from zero at every role change.
#[derive(Debug, Clone, Default)]
pub struct ServerStats {
    /// When the current role began (`zk_uptime` counts from here).
    pub since: SimTime,
    /// Packets read from client connections (requests, pings, connect requests, and
    /// four-letter words).
    pub packets_received: u64,
    /// Packets written to client connections (replies, pongs, connect responses, watch
    /// notifications, four-letter-word answers).
    pub packets_sent: u64,
    /// Request latency: from a request's arrival to its answer, in simulated ms.
    pub latency: Latency,
    /// A leader: when it started serving (`Leader.leaderStartTime`, for `zk_leader_uptime`).
    pub leader_since: Option<SimTime>,
}

/// The most no-op transactions a `history` preset logs (the rest is a snapshot).
pub const PRESET_MAX_TXNS: u32 = 1000;

/// The request id marking the no-op transactions `history` presets; they are not real
/// deliveries, so the invariant checker does not compare them.
pub const PRESET_CXID: u32 = u32::MAX;

/// What survives a crash: the dataDir.
#[derive(Debug, Clone, Default)]
pub struct Disk {
    /// Last epoch agreed to in discovery.
    pub accepted_epoch: u32,
    /// Last epoch whose NEWLEADER was processed.
    pub current_epoch: u32,
    /// The transaction log: every logged transaction, committed or not, in zxid order.
    pub log: Vec<Rc<ZTxn>>,
    /// The latest snapshot (after a SNAP sync).
    pub snapshot: Option<Rc<Snapshot>>,
}

/// The in-memory database.
#[derive(Debug, Clone)]
pub struct Db {
    /// The data tree.
    pub tree: DataTree,
    /// `sessionsWithTimeout`: every live session and its timeout.
    pub sessions: BTreeMap<SessionId, u32>,
    /// The last transaction applied to the tree.
    pub last_processed: Zxid,
}

impl Db {
    fn empty() -> Db {
        Db {
            tree: DataTree::new(),
            sessions: BTreeMap::new(),
            last_processed: Zxid(0),
        }
    }

    /// Applies a committed transaction (session bookkeeping included) and returns what the
    /// tree reports; the watch triggers only if `triggers` (someone may be watching).
    pub fn apply(&mut self, t: &Txn, triggers: bool) -> crate::tree::Applied {
        match &t.body {
            TxnBody::CreateSession { timeout_ms } => {
                self.sessions.insert(t.session, *timeout_ms);
            }
            TxnBody::CloseSession { .. } => {
                self.sessions.remove(&t.session);
            }
            _ => {}
        }
        if t.zxid > self.last_processed {
            self.last_processed = t.zxid;
        }
        if triggers {
            self.tree.apply(t)
        } else {
            crate::tree::Applied {
                result: self.tree.apply_untriggered(t),
                triggers: Vec::new(),
            }
        }
    }
}

/// The current role's state.
#[derive(Debug, Clone)]
pub enum Role {
    /// Down or LOOKING.
    None,
    /// LEADING.
    Leader(Box<LeaderState>),
    /// FOLLOWING or OBSERVING.
    Learner(Box<LearnerState>),
}

/// Buffer a handler writes its effects into; the engine applies them after it returns.
#[derive(Debug, Default, Clone)]
pub struct Out {
    /// Messages to send.
    pub sends: Vec<(Node, Msg)>,
    /// Server timers: kind, when, generation.
    pub timers: Vec<(TimerKind, SimTime, u32)>,
    /// Client timers: kind, when, generation.
    pub client_timers: Vec<(ClientTimer, SimTime, u32)>,
    /// Events for the log.
    pub events: Vec<EventKind>,
    /// What clients show their user.
    pub outputs: Vec<ClientOutput>,
}

/// What a handler may use: the time, the configuration, the output buffer and the RNG.
pub struct Ctx<'a> {
    /// Current time.
    pub now: SimTime,
    /// The configuration.
    pub cfg: &'a SimConfig,
    /// Effects.
    pub out: &'a mut Out,
    /// The simulation's RNG.
    pub rng: &'a mut SimRng,
    /// Connection id counter.
    pub next_conn: &'a mut u32,
    /// Whether events are recorded.
    pub record: bool,
}

impl Ctx<'_> {
    /// Sends a message.
    pub fn send(&mut self, to: Node, msg: Msg) {
        self.out.sends.push((to, msg));
    }

    /// Sends an election notification.
    pub fn send_vote(&mut self, _from: &Server, to: ServerId, n: Notification) {
        self.out.sends.push((Node::Server(to), Msg::Vote(n)));
    }

    /// A fresh connection id.
    pub fn new_conn(&mut self) -> u32 {
        *self.next_conn += 1;
        *self.next_conn
    }

    /// Records an event.
    pub fn event(&mut self, e: EventKind) {
        if self.record {
            self.out.events.push(e);
        }
    }

    pub(crate) fn note_vote(&mut self, s: &Server) {
        if self.record {
            let (leader, zxid, peer_epoch) = s.fle.proposal;
            self.out.events.push(EventKind::VoteChanged {
                server: s.id,
                leader,
                zxid,
                round: s.fle.logicalclock,
                peer_epoch,
            });
        }
    }

    pub(crate) fn note_verdict(
        &mut self,
        s: &Server,
        from: ServerId,
        n: &Notification,
        verdict: crate::election::Verdict,
    ) {
        if self.record {
            self.out.events.push(EventKind::Received {
                server: s.id,
                from,
                n: *n,
                verdict,
            });
        }
    }

    pub(crate) fn note_decided(&mut self, s: &Server) {
        if self.record {
            self.out.events.push(EventKind::Decided {
                server: s.id,
                leader: s.current_vote.id,
                zxid: s.current_vote.zxid,
                round: s.current_vote.election_epoch,
            });
        }
    }
}

/// One ZooKeeper server.
#[derive(Debug, Clone)]
pub struct Server {
    /// `myid`.
    pub id: ServerId,
    /// Configured as an observer.
    pub observer: bool,
    /// The process is running.
    pub up: bool,
    /// Peer state.
    pub state: ServerState,
    /// Zab phase.
    pub zab: ZabPhase,
    /// How this server was last synchronised (learners).
    pub sync_mode: SyncMode,
    /// The dataDir.
    pub disk: Disk,
    /// Election state.
    pub fle: Fle,
    /// `QuorumPeer.currentVote`.
    pub current_vote: Vote,
    /// The in-memory database.
    pub db: Db,
    /// Role state.
    pub role: Role,
    /// Client connections, by connection id.
    pub conns: BTreeMap<u32, ClientConn>,
    /// Server-side watches.
    pub watches: WatchManager,
    /// Ghost state for invariant checks: the zxids this server delivered, in order.
    pub delivered: crate::invariants::Delivered,
    gens: [u32; N_TIMERS],
    /// Sessions created by this server since it started (for session ids).
    pub session_counter: u64,
    /// When the process last started.
    pub started_at: SimTime,
    /// Statistics of the current role (what `srvr`, `stat` and `mntr` report).
    pub stats: ServerStats,
}

impl Server {
    /// A server that has never run.
    pub fn new(id: ServerId, cfg: &SimConfig) -> Server {
        Server {
            id,
            observer: !cfg.is_voter(id),
            up: false,
            state: ServerState::Down,
            zab: ZabPhase::Election,
            sync_mode: SyncMode::None,
            disk: Disk::default(),
            fle: Fle::new(cfg.n_servers()),
            current_vote: Vote::new(id.0 as i64, 0, -1, 0),
            db: Db::empty(),
            role: Role::None,
            conns: BTreeMap::new(),
            watches: WatchManager::default(),
            delivered: Default::default(),
            gens: [0; N_TIMERS],
            session_counter: 0,
            started_at: SimTime(0),
            stats: ServerStats::default(),
        }
    }

    /// Presets the dataDir as if `zxid` had been logged (a lesson shortcut): the log gets
    /// no-op transactions of that epoch up to it, and both epochs become its epoch. At most
    /// [`PRESET_MAX_TXNS`] are logged; anything older is a snapshot (of an empty tree) at the
    /// zxid before them, so a preset costs the same for any counter.
    pub fn preset_history(&mut self, zxid: Zxid) {
        self.disk.log.clear();
        let first = zxid.counter().saturating_sub(PRESET_MAX_TXNS - 1).max(1);
        for c in first..=zxid.counter() {
            let z = Zxid::new(zxid.epoch(), c);
            let txn = Txn {
                zxid: z,
                session: SessionId(0),
                body: TxnBody::Error(crate::ErrorCode::NoNode),
            };
            self.disk.log.push(Rc::new(ZTxn {
                txn,
                cxid: PRESET_CXID,
            }));
        }
        let snapshot_at = if zxid.counter() == 0 {
            (zxid.0 > 0).then_some(zxid)
        } else {
            (first > 1).then(|| Zxid::new(zxid.epoch(), first - 1))
        };
        self.disk.snapshot = snapshot_at.map(|z| {
            Rc::new(Snapshot {
                tree: DataTree::new(),
                sessions: BTreeMap::new(),
                zxid: z,
            })
        });
        self.disk.accepted_epoch = zxid.epoch();
        self.disk.current_epoch = zxid.epoch();
        self.reload_db();
    }

    /// The zxid this server votes with: the last transaction in its database after replaying
    /// the log (logged-but-uncommitted proposals included).
    pub fn last_logged_zxid(&self) -> Zxid {
        self.db.last_processed
    }

    /// True when this server answers clients (LEADING/FOLLOWING/OBSERVING in broadcast).
    pub fn is_serving(&self) -> bool {
        self.up && self.zab == ZabPhase::Broadcast && self.state != ServerState::Looking
    }

    pub(crate) fn timer_gen(&self, kind: TimerKind) -> u32 {
        self.gens[kind.slot()]
    }

    pub(crate) fn set_timer(&mut self, ctx: &mut Ctx, kind: TimerKind, at: SimTime) {
        self.gens[kind.slot()] = self.gens[kind.slot()].wrapping_add(1);
        ctx.out.timers.push((kind, at, self.gens[kind.slot()]));
    }

    pub(crate) fn cancel_timer(&mut self, kind: TimerKind) {
        self.gens[kind.slot()] = self.gens[kind.slot()].wrapping_add(1);
    }

    fn cancel_all_timers(&mut self) {
        for g in &mut self.gens {
            *g = g.wrapping_add(1);
        }
    }

    /// Rebuilds the database from the dataDir: snapshot, then every logged transaction after it.
    pub(crate) fn reload_db(&mut self) {
        let mut db = match &self.disk.snapshot {
            Some(s) => Db {
                tree: s.tree.clone(),
                sessions: s.sessions.clone(),
                last_processed: s.zxid,
            },
            None => Db::empty(),
        };
        self.delivered.clear();
        for t in &self.disk.log {
            if t.txn.zxid > db.last_processed {
                db.apply(&t.txn, false);
                if t.cxid != PRESET_CXID {
                    self.delivered.push(t.txn.zxid);
                }
            }
        }
        self.db = db;
    }

    /// Brings the in-memory database forward with every logged transaction not yet applied
    /// (what a server does when it drops back to LOOKING).
    pub(crate) fn fast_forward(&mut self) {
        let from = self.db.last_processed;
        let start = self.disk.log.partition_point(|t| t.txn.zxid <= from);
        for i in start..self.disk.log.len() {
            let t = Rc::clone(&self.disk.log[i]);
            self.db.apply(&t.txn, false);
            if t.cxid != PRESET_CXID {
                self.delivered.push(t.txn.zxid);
            }
        }
    }

    /// Connections a crash resets: (peer, connection id).
    pub fn open_connections(&self) -> Vec<(Node, u32)> {
        let mut v: Vec<(Node, u32)> = self
            .conns
            .iter()
            .map(|(&c, cc)| (Node::Client(cc.client), c))
            .collect();
        match &self.role {
            Role::Leader(l) => v.extend(
                l.handlers
                    .iter()
                    .map(|(&sid, h)| (Node::Server(sid), h.conn)),
            ),
            Role::Learner(l) => v.push((Node::Server(l.leader), l.conn)),
            Role::None => {}
        }
        v
    }

    // ----- lifecycle -----

    pub(crate) fn start(&mut self, ctx: &mut Ctx) {
        self.up = true;
        self.started_at = ctx.now;
        self.session_counter = 0;
        self.fle = Fle::new(ctx.cfg.n_servers());
        self.reload_db();
        self.current_vote = Vote::new(
            self.id.0 as i64,
            self.db.last_processed.0,
            -1,
            self.disk.current_epoch as i64,
        );
        ctx.event(EventKind::Started { server: self.id });
        self.become_looking(ctx);
    }

    pub(crate) fn crash(&mut self, ctx: &mut Ctx) {
        self.up = false;
        let from = self.state;
        self.state = ServerState::Down;
        self.zab = ZabPhase::Election;
        self.sync_mode = SyncMode::None;
        self.role = Role::None;
        self.conns.clear();
        self.watches = WatchManager::default();
        self.cancel_all_timers();
        ctx.event(EventKind::StateChanged {
            server: self.id,
            from,
            to: ServerState::Down,
        });
    }

    pub(crate) fn set_state(&mut self, ctx: &mut Ctx, to: ServerState) {
        if self.state != to {
            if matches!(
                to,
                ServerState::Leading | ServerState::Following | ServerState::Observing
            ) {
                self.stats = ServerStats {
                    since: ctx.now,
                    ..ServerStats::default()
                };
            }
            ctx.event(EventKind::StateChanged {
                server: self.id,
                from: self.state,
                to,
            });
            self.state = to;
        }
    }

    pub(crate) fn set_zab(&mut self, ctx: &mut Ctx, to: ZabPhase) {
        if self.zab != to {
            if to == ZabPhase::Broadcast && self.state == ServerState::Leading {
                self.stats.leader_since = Some(ctx.now);
            }
            ctx.event(EventKind::ZabPhaseChanged {
                server: self.id,
                phase: to,
            });
            self.zab = to;
        }
    }

    /// Leaves any role and runs a new election.
    pub(crate) fn become_looking(&mut self, ctx: &mut Ctx) {
        let was_observing = self.state == ServerState::Observing;
        self.leave_role(ctx);
        self.set_state(ctx, ServerState::Looking);
        self.set_zab(ctx, ZabPhase::Election);
        self.sync_mode = SyncMode::None;
        if was_observing {
            // Observers wait a random 0..200 ms before looking again.
            let delay = ctx.rng.range_inclusive(0, 200);
            self.set_timer(ctx, TimerKind::ObserverDelay, ctx.now.plus(delay));
        } else {
            self.start_election(ctx);
        }
    }

    /// Tears down the current role: client connections closed, Zab connections dropped.
    fn leave_role(&mut self, ctx: &mut Ctx) {
        for (conn, cc) in std::mem::take(&mut self.conns) {
            ctx.send(Node::Client(cc.client), Msg::Reset { conn });
        }
        self.watches = WatchManager::default();
        match std::mem::replace(&mut self.role, Role::None) {
            Role::Leader(l) => {
                for (sid, h) in &l.handlers {
                    ctx.send(Node::Server(*sid), Msg::Reset { conn: h.conn });
                }
            }
            Role::Learner(l) => {
                ctx.send(Node::Server(l.leader), Msg::Reset { conn: l.conn });
            }
            Role::None => {}
        }
        for k in [
            TimerKind::LeaderTick,
            TimerKind::LeaderWait,
            TimerKind::LearnerRead,
            TimerKind::LearnerConnect,
            TimerKind::SessionTick,
            TimerKind::ElectionPoll,
            TimerKind::Finalize,
            TimerKind::ObserverDelay,
        ] {
            self.cancel_timer(k);
        }
        if self.state != ServerState::Looking && self.state != ServerState::Down {
            // Shutting the server down fast-forwards the database with the logged proposals.
            self.fast_forward();
        }
    }

    // ----- dispatch -----

    pub(crate) fn on_message(&mut self, ctx: &mut Ctx, from: Node, msg: Msg) {
        match (from, msg) {
            (Node::Server(sid), Msg::Vote(n)) => self.on_notification(ctx, sid, n),
            (Node::Server(sid), Msg::Zab { conn, pkt }) => self.on_zab(ctx, sid, conn, pkt),
            (Node::Server(sid), Msg::Reset { conn }) => self.on_zab_reset(ctx, sid, conn),
            (Node::Client(c), Msg::Request { conn, req }) => {
                self.on_client_request(ctx, c, conn, req)
            }
            (Node::Client(_), Msg::Reset { conn }) => self.on_client_reset(ctx, conn),
            _ => {}
        }
    }

    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: TimerKind) {
        match kind {
            TimerKind::ElectionPoll => self.on_poll_timeout(ctx),
            TimerKind::Finalize => self.on_finalize_timeout(ctx),
            TimerKind::ObserverDelay => {
                if self.state == ServerState::Looking {
                    self.start_election(ctx);
                }
            }
            TimerKind::LeaderTick => self.on_leader_tick(ctx),
            TimerKind::LeaderWait => self.on_leader_wait_timeout(ctx),
            TimerKind::LearnerRead => self.on_learner_read_timeout(ctx),
            TimerKind::LearnerConnect => self.on_learner_connect_retry(ctx),
            TimerKind::SessionTick => self.on_session_tick(ctx),
        }
    }
}
