//! The discrete-event engine: one queue of deliveries and timers ordered by (time, sequence),
//! a network of FIFO links with latency, loss and partitions, and the servers and clients
//! that react to it.

mod queue;

use crate::client::{Client, ClientTimer};
use crate::config::SimConfig;
use crate::event::{Event, EventKind};
use crate::msg::{ClientId, Msg, Node};
use crate::rng::SimRng;
use crate::server::{Ctx, Out, Server, TimerKind};
use crate::{ServerId, ServerState, SimTime};

/// Identifies one message for its whole life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgId(pub u64);

/// A message on its way.
#[derive(Debug, Clone)]
pub struct InFlight {
    /// Its id.
    pub id: MsgId,
    /// Sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// When it was sent.
    pub sent_at: SimTime,
    /// When it arrives (for a held message: when it would have).
    pub deliver_at: SimTime,
    /// The message.
    pub msg: Msg,
    /// Held back by a partition or by the user; delivered once released.
    pub held: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Deliver {
        slot: u32,
        id: u64,
    },
    ServerTimer {
        idx: u8,
        kind: TimerKind,
        tgen: u32,
    },
    ClientTimer {
        client: u16,
        kind: ClientTimer,
        tgen: u32,
    },
}

/// A fault or an action from outside: what scripts, the page and the checker apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Start (or restart) a server.
    Start(ServerId),
    /// Kill a server: memory lost, dataDir (log, epochs) kept.
    Crash(ServerId),
    /// Cut links: two-sided between every pair of sides, or only from the first side to the
    /// second when `one_way`.
    Partition {
        /// The sides.
        sides: Vec<Vec<ServerId>>,
        /// Cut only the first side's messages to the second.
        one_way: bool,
    },
    /// Cut or restore one directed link.
    Link {
        /// Sender side.
        from: ServerId,
        /// Receiver side.
        to: ServerId,
        /// True to cut, false to restore.
        cut: bool,
    },
    /// Restore every link.
    Heal,
    /// Drop one message in flight.
    Drop(MsgId),
    /// Hold a message in flight: it and everything sent after it on the same link wait (a
    /// stalled TCP connection keeps its order).
    Hold(MsgId),
    /// Release a held message and the link behind it.
    Release(MsgId),
}

/// What one [`Sim::advance`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// The condition holds.
    Done,
    /// One event was processed; the condition did not hold before it.
    Stepped,
    /// Nothing is due by the limit and the condition does not hold.
    Exhausted,
}

/// What one [`Sim::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepReport {
    /// A message was delivered.
    Delivered(MsgId),
    /// A timer fired.
    Timer,
}

/// Counts of messages in flight and not held (see [`Sim::no_client_work_in_flight`] and
/// friends).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct InFlightCounts {
    /// Neither keep-alive nor election notification.
    client_work: u32,
    /// Not keep-alive.
    not_background: u32,
    /// Election notification or Zab sync traffic.
    election_or_sync: u32,
}

impl InFlightCounts {
    fn add(&mut self, msg: &Msg, sign: i32) {
        let bump = |c: &mut u32| *c = c.wrapping_add_signed(sign);
        let background = msg.is_background();
        if !background && !matches!(msg, Msg::Vote(_)) {
            bump(&mut self.client_work);
        }
        if !background {
            bump(&mut self.not_background);
        }
        if msg.is_election_or_sync() {
            bump(&mut self.election_or_sync);
        }
    }

    /// The counts by scanning every slot (to check the kept ones in debug builds).
    fn scan(slots: &[Option<InFlight>]) -> InFlightCounts {
        let mut c = InFlightCounts::default();
        for m in slots.iter().flatten().filter(|m| !m.held) {
            c.add(&m.msg, 1);
        }
        c
    }
}

/// Which servers' state may have changed since the invariants were last checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Touched {
    Nothing,
    Server(usize),
    All,
}

/// The simulated ensemble and its clients. Cloning it is a snapshot (time travel).
#[derive(Clone)]
pub struct Sim {
    cfg: SimConfig,
    now: SimTime,
    queue: queue::Queue<Due>,
    rng: SimRng,
    servers: Vec<Server>,
    clients: Vec<Client>,
    slots: Vec<Option<InFlight>>,
    free_slots: Vec<u32>,
    next_msg: u64,
    next_conn: u32,
    /// Last delivery time per directed link, indexed by node index × node index.
    link_last: Vec<SimTime>,
    link_width: usize,
    /// Directed server links that are cut, as a bitmap over server indices.
    cut: Vec<bool>,
    /// Connections broken by a lost packet, as a bitmap over connection ids: nothing more is
    /// delivered on them (TCP never delivers past a gap), only their resets.
    broken_conns: Vec<u64>,
    events: Vec<Event>,
    record_events: bool,
    out: Out,
    steps: u64,
    delivered: u64,
    outputs: Vec<crate::client::ClientOutput>,
    checker: Option<crate::invariants::Checker>,
    /// Which servers changed since the invariants were last checked.
    touched: Touched,
    /// Links stalled by a held message (node index × width + node index).
    stalled: Vec<usize>,
    /// Messages in flight and not held, by class, so that the runner's settling predicates
    /// (asked before every step) cost O(1) instead of a scan of every slot.
    counts: InFlightCounts,
    violation: Option<(u64, String)>,
}

impl Sim {
    /// A simulation of `cfg`; no server runs until started.
    pub fn new(cfg: SimConfig) -> Sim {
        let n = cfg.n_servers();
        let servers = cfg.ids().iter().map(|&id| Server::new(id, &cfg)).collect();
        let mut sim = Sim {
            rng: SimRng::new(cfg.seed),
            now: SimTime(0),
            queue: queue::Queue::new(),
            servers,
            clients: Vec::new(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            next_msg: 1,
            next_conn: 1,
            link_last: Vec::new(),
            link_width: 0,
            cut: vec![false; n * n],
            broken_conns: Vec::new(),
            events: Vec::new(),
            record_events: true,
            out: Out::default(),
            steps: 0,
            delivered: 0,
            outputs: Vec::new(),
            checker: None,
            touched: Touched::All,
            stalled: Vec::new(),
            counts: InFlightCounts::default(),
            violation: None,
            cfg,
        };
        sim.resize_links();
        sim
    }

    /// Checks the safety invariants after every step from now on; the first violation is kept.
    pub fn set_check_invariants(&mut self, on: bool) {
        self.checker = on.then(crate::invariants::Checker::default);
    }

    /// The first invariant violation seen: (step, description).
    pub fn violation(&self) -> Option<&(u64, String)> {
        self.violation.as_ref()
    }

    fn after_step(&mut self) {
        if self.violation.is_some() {
            return;
        }
        if let Some(mut c) = self.checker.take() {
            // A step runs one handler, so only its server can have changed; a client's step
            // changes no server at all. Inputs may change any server.
            let res = match self.touched {
                Touched::Nothing => Ok(()),
                Touched::Server(idx) => c.check_server(self, idx),
                Touched::All => c.check(self),
            };
            if let Err(e) = res {
                self.violation = Some((self.steps, e));
            }
            self.touched = Touched::Nothing;
            self.checker = Some(c);
        }
    }

    /// Turns the event log on or off (the fault checker runs without it).
    pub fn set_record_events(&mut self, on: bool) {
        self.record_events = on;
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Number of steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Number of messages delivered so far (steps that were not timers).
    pub fn messages_delivered(&self) -> u64 {
        self.delivered
    }

    /// Every server, in configuration order (voters first).
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// One server.
    pub fn server(&self, id: ServerId) -> &Server {
        &self.servers[self.cfg.index(id)]
    }

    /// One server, for the crate's own bookkeeping (four-letter-word counters).
    pub(crate) fn server_mut(&mut self, id: ServerId) -> &mut Server {
        let idx = self.cfg.index(id);
        &mut self.servers[idx]
    }

    /// The id the next connection will get (none is allocated).
    pub fn next_conn_id(&self) -> u32 {
        self.next_conn.wrapping_add(1)
    }

    /// Every client, in order of creation.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Every server and its state, in id order.
    pub fn server_states(&self) -> Vec<(ServerId, ServerState)> {
        let mut v: Vec<_> = self.servers.iter().map(|s| (s.id, s.state)).collect();
        v.sort();
        v
    }

    /// Messages on their way (held ones included), in sending order.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> {
        let mut v: Vec<&InFlight> = self.slots.iter().flatten().collect();
        v.sort_by_key(|m| m.id);
        v.into_iter()
    }

    /// The event log so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes the event log recorded so far, leaving it empty: for views that keep their own
    /// log, so that a clone of the simulation (a snapshot) does not copy the whole history.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// True if the directed server link is cut.
    pub fn is_cut(&self, from: ServerId, to: ServerId) -> bool {
        let n = self.cfg.n_servers();
        self.cut[self.cfg.index(from) * n + self.cfg.index(to)]
    }

    /// The established leader, if exactly one server leads in the broadcast phase and a
    /// quorum of voters follows it.
    pub fn established_leader(&self) -> Option<&Server> {
        // Runs before every step while the runner settles: no allocation.
        let mut leaders = self
            .servers
            .iter()
            .filter(|s| s.state == ServerState::Leading);
        let l = leaders.next()?;
        if leaders.next().is_some() || !l.is_serving() {
            return None;
        }
        let following = self
            .servers
            .iter()
            .filter(|s| {
                self.cfg.is_voter(s.id) && s.is_serving() && s.current_vote.id == l.id.0 as i64
            })
            .count();
        self.cfg.is_quorum(following).then_some(l)
    }

    // ----- inputs -----

    /// Applies an input now.
    pub fn apply(&mut self, input: Input) {
        self.touched = Touched::All;
        if self.record_events {
            self.log(EventKind::Input(input.clone()));
        }
        match input {
            Input::Start(id) => self.start_server(id),
            Input::Crash(id) => self.crash_server(id),
            Input::Partition { sides, one_way } => {
                let n = self.cfg.n_servers();
                for (i, a) in sides.iter().enumerate() {
                    for (j, b) in sides.iter().enumerate() {
                        if i == j || (one_way && !(i == 0 && j == 1)) {
                            continue;
                        }
                        for &x in a {
                            for &y in b {
                                let (xi, yi) = (self.cfg.index(x), self.cfg.index(y));
                                self.cut[xi * n + yi] = true;
                            }
                        }
                    }
                }
                if !one_way && sides.len() >= 2 {
                    // Servers named on no side keep every link.
                }
            }
            Input::Link { from, to, cut } => {
                let n = self.cfg.n_servers();
                let (a, b) = (self.cfg.index(from), self.cfg.index(to));
                self.cut[a * n + b] = cut;
                if !cut {
                    self.release_links();
                }
            }
            Input::Heal => {
                self.cut.iter_mut().for_each(|c| *c = false);
                self.release_links();
            }
            Input::Drop(id) => {
                if let Some(slot) = self.slot_of(id) {
                    self.drop_slot(slot, "dropped by hand");
                }
            }
            Input::Hold(id) => {
                if let Some(slot) = self.slot_of(id) {
                    let (from, to) = {
                        let m = self.slots[slot as usize].as_mut().expect("live slot");
                        if !m.held {
                            self.counts.add(&m.msg, -1);
                        }
                        m.held = true;
                        (m.from, m.to)
                    };
                    let link = self.link_of(from, to);
                    if !self.stalled.contains(&link) {
                        self.stalled.push(link);
                    }
                }
            }
            Input::Release(id) => {
                if let Some(slot) = self.slot_of(id) {
                    let (from, to) = {
                        let m = self.slots[slot as usize].as_ref().expect("live slot");
                        (m.from, m.to)
                    };
                    let link = self.link_of(from, to);
                    self.stalled.retain(|l| *l != link);
                    self.release_links();
                }
            }
        }
    }

    fn link_of(&self, from: Node, to: Node) -> usize {
        self.node_index(from) * self.link_width + self.node_index(to)
    }

    /// True if a held message stalls the link from `from` to `to`.
    pub fn is_stalled(&self, from: Node, to: Node) -> bool {
        self.stalled.contains(&self.link_of(from, to))
    }

    fn start_server(&mut self, id: ServerId) {
        let idx = self.cfg.index(id);
        if self.servers[idx].up {
            return;
        }
        self.with_server(idx, |s, ctx| s.start(ctx));
        self.flush_unsent_to(idx);
    }

    fn crash_server(&mut self, id: ServerId) {
        let idx = self.cfg.index(id);
        if !self.servers[idx].up {
            return;
        }
        let node = Node::Server(id);
        // Connections of the dead process are reset: each peer learns of it after one delay.
        let mut resets = Vec::new();
        for slot in 0..self.slots.len() {
            let Some(m) = &self.slots[slot] else { continue };
            if m.from == node || m.to == node {
                self.drop_slot(slot as u32, "server crashed");
            }
        }
        for c in self.servers[idx].open_connections() {
            resets.push(c);
        }
        self.with_server(idx, |s, ctx| s.crash(ctx));
        for (peer, conn) in resets {
            self.send_raw(node, peer, Msg::Reset { conn });
        }
        // Election queues of the dead process are gone; queues towards it stay with the peers.
    }

    // ----- the loop -----

    /// Delivers the next pending message or fires the next timer; `None` when nothing is left.
    pub fn step(&mut self) -> Option<StepReport> {
        let r = self.step_inner();
        if r.is_some() && self.checker.is_some() {
            self.after_step();
        }
        r
    }

    fn step_inner(&mut self) -> Option<StepReport> {
        loop {
            let e = self.queue.pop()?;
            match e.due {
                Due::Deliver { slot, id } => {
                    let live =
                        matches!(&self.slots[slot as usize], Some(m) if m.id.0 == id && !m.held);
                    if !live {
                        continue;
                    }
                    self.now = e.at;
                    self.steps += 1;
                    self.delivered += 1;
                    let m = self.slots[slot as usize].take().expect("live slot");
                    self.free_slots.push(slot);
                    self.counts.add(&m.msg, -1);
                    self.deliver(m.from, m.to, m.id, m.msg);
                    return Some(StepReport::Delivered(MsgId(id)));
                }
                Due::ServerTimer { idx, kind, tgen } => {
                    let s = &self.servers[idx as usize];
                    if !s.up || s.timer_gen(kind) != tgen {
                        continue;
                    }
                    self.now = e.at;
                    self.steps += 1;
                    if self.record_events {
                        self.log(EventKind::Timer {
                            node: Node::Server(s.id),
                            kind: kind.name(),
                        });
                    }
                    self.with_server(idx as usize, |s, ctx| s.on_timer(ctx, kind));
                    return Some(StepReport::Timer);
                }
                Due::ClientTimer { client, kind, tgen } => {
                    let c = &self.clients[client as usize];
                    if c.timer_gen(kind) != tgen {
                        continue;
                    }
                    self.now = e.at;
                    self.steps += 1;
                    if self.record_events {
                        self.log(EventKind::Timer {
                            node: Node::Client(ClientId(client)),
                            kind: kind.name(),
                        });
                    }
                    self.with_client(client as usize, |c, ctx| c.on_timer(ctx, kind));
                    return Some(StepReport::Timer);
                }
            }
        }
    }

    /// Every live timer: (whose, which, when), in firing order.
    pub fn pending_timers(&self) -> Vec<(Node, &'static str, SimTime)> {
        let mut v: Vec<(SimTime, u64, Node, &'static str)> = self
            .queue
            .iter()
            .filter_map(|e| match e.due {
                Due::ServerTimer { idx, kind, tgen } => {
                    let s = &self.servers[idx as usize];
                    (s.up && s.timer_gen(kind) == tgen).then_some((
                        e.at,
                        e.seq,
                        Node::Server(s.id),
                        kind.name(),
                    ))
                }
                Due::ClientTimer { client, kind, tgen } => (self.clients[client as usize]
                    .timer_gen(kind)
                    == tgen)
                    .then_some((e.at, e.seq, Node::Client(ClientId(client)), kind.name())),
                Due::Deliver { .. } => None,
            })
            .collect();
        v.sort();
        v.into_iter().map(|(at, _, n, k)| (n, k, at)).collect()
    }

    /// The time of the next live queue entry, if any.
    pub fn next_time(&mut self) -> Option<SimTime> {
        while let Some(e) = self.queue.peek() {
            let live = match e.due {
                Due::Deliver { slot, id } => {
                    matches!(&self.slots[slot as usize], Some(m) if m.id.0 == id && !m.held)
                }
                Due::ServerTimer { idx, kind, tgen } => {
                    let s = &self.servers[idx as usize];
                    s.up && s.timer_gen(kind) == tgen
                }
                Due::ClientTimer { client, kind, tgen } => {
                    self.clients[client as usize].timer_gen(kind) == tgen
                }
            };
            if live {
                return Some(e.at);
            }
            self.queue.pop();
        }
        None
    }

    /// Runs every event due at or before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while matches!(self.next_time(), Some(at) if at <= t) {
            self.step();
        }
        if t > self.now {
            self.now = t;
        }
    }

    /// One move towards `done`: reports `Done` if it already holds, otherwise steps once if an
    /// event is due by `limit`, otherwise moves the clock to `limit` and reports whether `done`
    /// holds then (`Done`) or not (`Exhausted`). `run_while_not` is this in a loop.
    pub fn advance(&mut self, limit: SimTime, done: impl Fn(&Sim) -> bool) -> Advance {
        if done(self) {
            return Advance::Done;
        }
        match self.next_time() {
            Some(at) if at <= limit => {
                self.step();
                Advance::Stepped
            }
            _ => {
                if limit > self.now {
                    self.now = limit;
                }
                if done(self) {
                    Advance::Done
                } else {
                    Advance::Exhausted
                }
            }
        }
    }

    /// Steps until `done` holds (checked before each step) or `limit` of simulated time passes.
    /// Returns whether `done` held.
    pub fn run_while_not(&mut self, limit: SimTime, done: impl Fn(&Sim) -> bool) -> bool {
        loop {
            match self.advance(limit, &done) {
                Advance::Done => return true,
                Advance::Stepped => {}
                Advance::Exhausted => return false,
            }
        }
    }

    // ----- internals -----

    fn node_index(&self, n: Node) -> usize {
        match n {
            Node::Server(id) => self.cfg.index(id),
            Node::Client(c) => self.cfg.n_servers() + c.0 as usize,
        }
    }

    fn resize_links(&mut self) {
        let w = self.cfg.n_servers() + self.clients.len();
        if w <= self.link_width {
            return;
        }
        let new_w = w.next_power_of_two().max(8);
        let mut v = vec![SimTime(0); new_w * new_w];
        for a in 0..self.link_width {
            for b in 0..self.link_width {
                v[a * new_w + b] = self.link_last[a * self.link_width + b];
            }
        }
        self.link_last = v;
        self.link_width = new_w;
    }

    fn server_link_cut(&self, from: Node, to: Node) -> bool {
        match (from, to) {
            (Node::Server(a), Node::Server(b)) if a != b => {
                let n = self.cfg.n_servers();
                self.cut[self.cfg.index(a) * n + self.cfg.index(b)]
            }
            _ => false,
        }
    }

    fn node_up(&self, n: Node) -> bool {
        match n {
            Node::Server(id) => self.servers[self.cfg.index(id)].up,
            Node::Client(_) => true,
        }
    }

    fn alloc_slot(&mut self, m: InFlight) -> u32 {
        if !m.held {
            self.counts.add(&m.msg, 1);
        }
        if let Some(s) = self.free_slots.pop() {
            self.slots[s as usize] = Some(m);
            s
        } else {
            self.slots.push(Some(m));
            (self.slots.len() - 1) as u32
        }
    }

    fn slot_of(&self, id: MsgId) -> Option<u32> {
        self.slots
            .iter()
            .position(|m| matches!(m, Some(m) if m.id == id))
            .map(|s| s as u32)
    }

    fn drop_slot(&mut self, slot: u32, why: &'static str) {
        if let Some(m) = self.slots[slot as usize].take() {
            self.free_slots.push(slot);
            if !m.held {
                self.counts.add(&m.msg, -1);
            }
            if self.record_events {
                self.log(EventKind::Dropped { id: m.id, why });
            }
            // A lost packet on a TCP connection breaks the connection: both ends learn of it.
            let conn = match &m.msg {
                Msg::Zab { conn, .. } | Msg::Request { conn, .. } | Msg::Reply { conn, .. } => {
                    Some(*conn)
                }
                _ => None,
            };
            if let Some(conn) = conn
                && why != "server crashed"
            {
                let (word, bit) = (conn as usize / 64, conn % 64);
                if self.broken_conns.len() <= word {
                    self.broken_conns.resize(word + 1, 0);
                }
                self.broken_conns[word] |= 1 << bit;
                self.send_raw(m.to, m.from, Msg::Reset { conn });
                self.send_raw(m.from, m.to, Msg::Reset { conn });
            }
        }
    }

    /// Puts a message on the wire (or holds it behind a cut link).
    fn send_raw(&mut self, from: Node, to: Node, msg: Msg) {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        let (fi, ti) = (self.node_index(from), self.node_index(to));
        let latency = if from == to {
            0
        } else {
            self.rng
                .range_inclusive(self.cfg.latency.0, self.cfg.latency.1)
        };
        let link = fi * self.link_width + ti;
        let deliver_at = self.now.plus(latency).max(self.link_last[link]);
        self.link_last[link] = deliver_at;
        let held = self.server_link_cut(from, to) || self.stalled.contains(&link);
        if self.record_events {
            self.log(EventKind::Sent {
                id,
                from,
                to,
                kind: msg.kind(),
                deliver_at,
                detail: crate::event::detail(&msg),
            });
        }
        // A reset stands for both ends noticing a broken connection: it is never lost itself.
        let lost = !held
            && from != to
            && self.cfg.loss_ppm > 0
            && !matches!(msg, Msg::Reset { .. })
            && self.rng.chance_ppm(self.cfg.loss_ppm);
        let slot = self.alloc_slot(InFlight {
            id,
            from,
            to,
            sent_at: self.now,
            deliver_at,
            msg,
            held,
        });
        if lost {
            self.drop_slot(slot, "lost");
            return;
        }
        if !held {
            self.push(deliver_at, Due::Deliver { slot, id: id.0 });
        }
    }

    fn push(&mut self, at: SimTime, due: Due) {
        self.queue.push(self.now, at, due);
    }

    fn release_links(&mut self) {
        let mut released = Vec::new();
        for slot in 0..self.slots.len() {
            if let Some(m) = &self.slots[slot]
                && m.held
                && !self.server_link_cut(m.from, m.to)
                && !self.is_stalled(m.from, m.to)
            {
                released.push((m.id, slot as u32));
            }
        }
        released.sort();
        for (id, slot) in released {
            let (fi, ti) = {
                let m = self.slots[slot as usize].as_ref().expect("held slot");
                (self.node_index(m.from), self.node_index(m.to))
            };
            let latency = self
                .rng
                .range_inclusive(self.cfg.latency.0, self.cfg.latency.1);
            let link = fi * self.link_width + ti;
            let at = self.now.plus(latency).max(self.link_last[link]);
            self.link_last[link] = at;
            let m = self.slots[slot as usize].as_mut().expect("held slot");
            m.held = false;
            m.deliver_at = at;
            self.counts.add(&m.msg, 1);
            self.push(at, Due::Deliver { slot, id: id.0 });
        }
        for idx in 0..self.servers.len() {
            if self.servers[idx].up {
                self.flush_unsent_to(idx);
            }
        }
    }

    /// Peers' election queues towards server `idx` are sent now that it can be reached.
    fn flush_unsent_to(&mut self, idx: usize) {
        let to = self.cfg.id_at(idx);
        for from_idx in 0..self.servers.len() {
            if from_idx == idx || !self.servers[from_idx].up {
                continue;
            }
            let from = self.cfg.id_at(from_idx);
            if self.server_link_cut(Node::Server(from), Node::Server(to)) {
                continue;
            }
            if let Some(n) = self.servers[from_idx].fle.unsent[idx].take() {
                self.send_raw(Node::Server(from), Node::Server(to), Msg::Vote(n));
            }
        }
    }

    fn deliver(&mut self, from: Node, to: Node, id: MsgId, msg: Msg) {
        if let Msg::Zab { conn, .. } | Msg::Request { conn, .. } | Msg::Reply { conn, .. } = msg
            && self.conn_broken(conn)
        {
            // Sent behind a lost packet on the same connection: TCP would never deliver it.
            if self.record_events {
                self.log(EventKind::Dropped {
                    id,
                    why: "connection reset",
                });
            }
            return;
        }
        if self.record_events {
            self.log(EventKind::Delivered { id });
        }
        if !self.node_up(to) {
            return;
        }
        match to {
            Node::Server(sid) => {
                let idx = self.cfg.index(sid);
                self.with_server(idx, |s, ctx| s.on_message(ctx, from, msg));
            }
            Node::Client(c) => {
                self.with_client(c.0 as usize, |cl, ctx| cl.on_message(ctx, msg));
            }
        }
    }

    fn conn_broken(&self, conn: u32) -> bool {
        self.broken_conns
            .get(conn as usize / 64)
            .is_some_and(|w| w & (1 << (conn % 64)) != 0)
    }

    fn with_server(&mut self, idx: usize, f: impl FnOnce(&mut Server, &mut Ctx)) {
        self.touched = match self.touched {
            Touched::Nothing => Touched::Server(idx),
            Touched::Server(i) if i == idx => Touched::Server(i),
            _ => Touched::All,
        };
        {
            let mut ctx = Ctx {
                now: self.now,
                cfg: &self.cfg,
                out: &mut self.out,
                rng: &mut self.rng,
                next_conn: &mut self.next_conn,
                record: self.record_events,
            };
            f(&mut self.servers[idx], &mut ctx);
        }
        self.process_out(Node::Server(self.cfg.id_at(idx)));
    }

    pub(crate) fn with_client(&mut self, idx: usize, f: impl FnOnce(&mut Client, &mut Ctx)) {
        {
            let mut ctx = Ctx {
                now: self.now,
                cfg: &self.cfg,
                out: &mut self.out,
                rng: &mut self.rng,
                next_conn: &mut self.next_conn,
                record: self.record_events,
            };
            f(&mut self.clients[idx], &mut ctx);
        }
        self.process_out(Node::Client(ClientId(idx as u16)));
    }

    /// Applies what the handler that just ran left in `self.out` (its buffers are kept, so
    /// the loop allocates none).
    fn process_out(&mut self, me: Node) {
        // What the handler decided (state, votes) is logged before what it sent.
        if !self.out.events.is_empty() {
            let mut events = std::mem::take(&mut self.out.events);
            for ev in events.drain(..) {
                self.log(ev);
            }
            self.out.events = events;
        }
        let mut sends = std::mem::take(&mut self.out.sends);
        for (to, msg) in sends.drain(..) {
            if let (Node::Server(a), Node::Server(b), Msg::Vote(n)) = (me, to, &msg) {
                // Election messages to a peer that cannot be reached wait in a capacity-1 queue.
                if a != b && (!self.node_up(to) || self.server_link_cut(me, to)) {
                    let (ai, bi) = (self.cfg.index(a), self.cfg.index(b));
                    self.servers[ai].fle.unsent[bi] = Some(*n);
                    if self.record_events {
                        self.log(EventKind::Queued { from: a, to: b });
                    }
                    continue;
                }
            }
            if !self.node_up(to) {
                // Connection refused: the sender learns at once (after one delay).
                if let Msg::Zab { conn, .. } | Msg::Request { conn, .. } = msg {
                    self.send_raw(to, me, Msg::Reset { conn });
                }
                continue;
            }
            self.send_raw(me, to, msg);
        }
        self.out.sends = sends;
        let now = self.now;
        match me {
            Node::Server(id) => {
                let idx = self.cfg.index(id) as u8;
                for (kind, at, tgen) in self.out.timers.drain(..) {
                    self.queue
                        .push(now, at, Due::ServerTimer { idx, kind, tgen });
                }
                assert!(
                    self.out.client_timers.is_empty(),
                    "client timer from a server"
                );
            }
            Node::Client(c) => {
                assert!(self.out.timers.is_empty(), "server timer from a client");
                for (kind, at, tgen) in self.out.client_timers.drain(..) {
                    self.queue.push(
                        now,
                        at,
                        Due::ClientTimer {
                            client: c.0,
                            kind,
                            tgen,
                        },
                    );
                }
            }
        }
        if !self.out.outputs.is_empty() {
            self.outputs.append(&mut self.out.outputs);
        }
    }

    fn log(&mut self, kind: EventKind) {
        if self.record_events {
            self.events.push(Event { at: self.now, kind });
        }
    }

    // ----- clients -----

    /// Adds a client (not yet connected) and returns its id.
    pub fn add_client(&mut self, name: &str) -> ClientId {
        let id = ClientId(self.clients.len() as u16);
        self.clients.push(Client::new(id, name, &self.cfg));
        self.resize_links();
        id
    }

    /// Mutable access to a client for issuing commands; the client's outputs are processed.
    pub fn client_do(&mut self, id: ClientId, f: impl FnOnce(&mut Client, &mut Ctx)) {
        self.with_client(id.0 as usize, f);
    }

    /// The client by name.
    pub fn client_by_name(&self, name: &str) -> Option<ClientId> {
        self.clients
            .iter()
            .rposition(|c| c.name == name)
            .map(|i| ClientId(i as u16))
    }

    /// One client.
    pub fn client(&self, id: ClientId) -> &Client {
        &self.clients[id.0 as usize]
    }

    /// Takes the client-visible outputs (results, watch and state events) produced so far.
    pub fn take_client_outputs(&mut self) -> Vec<crate::client::ClientOutput> {
        std::mem::take(&mut self.outputs)
    }

    /// True when no client request, reply, Zab broadcast traffic or connection reset is in
    /// flight (election notifications and keep-alive pings excluded).
    pub fn no_client_work_in_flight(&self) -> bool {
        debug_assert_eq!(self.counts, InFlightCounts::scan(&self.slots));
        self.counts.client_work == 0
    }

    /// True if any running server still knows the session (tracker, database or connection).
    pub fn session_known(&self, session: crate::SessionId) -> bool {
        self.servers.iter().filter(|s| s.up).any(|s| {
            s.db.sessions.contains_key(&session)
                || s.conns.values().any(|c| c.session == session)
                || s.leader_state()
                    .is_some_and(|l| l.tracker.expiry.contains_key(&session))
        })
    }

    /// Presets a server's dataDir as if `zxid` had been logged (see `Server::preset_history`).
    pub fn preset_history(&mut self, id: ServerId, zxid: crate::Zxid) {
        if let Some(idx) = self.cfg.try_index(id) {
            self.servers[idx].preset_history(zxid);
        }
    }

    /// True when nothing but keep-alive traffic is in flight.
    pub fn only_background_in_flight(&self) -> bool {
        debug_assert_eq!(self.counts, InFlightCounts::scan(&self.slots));
        self.counts.not_background == 0
    }

    /// True when no election or sync message is in flight (held ones excluded).
    pub fn no_election_traffic(&self) -> bool {
        debug_assert_eq!(self.counts, InFlightCounts::scan(&self.slots));
        self.counts.election_or_sync == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_and_messages_in_flight_are_visible() {
        let mut sim = Sim::new(SimConfig::new(3, vec![]));
        sim.apply(Input::Start(ServerId(1)));
        sim.apply(Input::Start(ServerId(2)));
        // Both servers broadcast their first vote and arm their election timeout.
        assert!(sim.in_flight().any(|m| m.msg.kind() == "NOTIFICATION"));
        let timers = sim.pending_timers();
        assert!(
            timers
                .iter()
                .any(|(n, k, _)| *n == Node::Server(ServerId(1)) && *k == "election-timeout")
        );
        // Crashing a server drops what is in flight from and to it.
        sim.apply(Input::Crash(ServerId(2)));
        assert!(
            sim.in_flight()
                .all(|m| m.from != Node::Server(ServerId(2)) && m.to != Node::Server(ServerId(2)))
        );
        assert!(
            sim.pending_timers()
                .iter()
                .all(|(n, _, _)| *n != Node::Server(ServerId(2)))
        );
    }

    #[test]
    fn same_seed_same_run_and_links_are_fifo() {
        let run = |seed| {
            let mut cfg = SimConfig::new(5, vec![]);
            cfg.seed = seed;
            cfg.latency = (1, 30);
            let mut sim = Sim::new(cfg);
            for i in 1..=5 {
                sim.apply(Input::Start(ServerId(i)));
            }
            let mut order = Vec::new();
            let mut last: std::collections::BTreeMap<(Node, Node), MsgId> = Default::default();
            while sim.now() < SimTime(5_000) {
                let pending: Vec<(MsgId, Node, Node)> =
                    sim.in_flight().map(|m| (m.id, m.from, m.to)).collect();
                match sim.step() {
                    Some(StepReport::Delivered(id)) => {
                        let (_, f, t) = pending
                            .into_iter()
                            .find(|p| p.0 == id)
                            .expect("was in flight");
                        if let Some(prev) = last.insert((f, t), id) {
                            assert!(
                                prev < id,
                                "link {f:?}->{t:?} delivered {id:?} after {prev:?}"
                            );
                        }
                        order.push(id);
                    }
                    Some(StepReport::Timer) => {}
                    None => break,
                }
            }
            (order, sim.server_states())
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3).0, run(4).0);
    }

    #[test]
    fn held_messages_stall_their_link_and_keep_its_order() {
        let mut sim = Sim::new(SimConfig::new(3, vec![]));
        sim.apply(Input::Start(ServerId(1)));
        sim.apply(Input::Start(ServerId(2)));
        let (a, b) = (Node::Server(ServerId(2)), Node::Server(ServerId(1)));
        let first = sim
            .in_flight()
            .find(|m| m.from == a && m.to == b)
            .map(|m| m.id)
            .expect("2 votes to 1");
        sim.apply(Input::Hold(first));
        assert!(sim.is_stalled(a, b));
        // Run a while: nothing on the stalled link arrives, later sends queue up behind it.
        sim.run_until(SimTime(1000));
        assert!(sim.in_flight().any(|m| m.id == first && m.held));
        let before: Vec<MsgId> = sim
            .in_flight()
            .filter(|m| m.from == a && m.to == b)
            .map(|m| m.id)
            .collect();
        assert!(before.len() >= 2, "later votes wait behind the held one");
        sim.apply(Input::Release(first));
        let mut delivered = Vec::new();
        while let Some(r) = sim.step() {
            if let StepReport::Delivered(id) = r
                && before.contains(&id)
            {
                delivered.push(id);
            }
            if sim.now() > SimTime(5000) {
                break;
            }
        }
        assert_eq!(delivered, before, "released in sending order");
    }

    #[test]
    fn a_clone_is_a_snapshot_with_the_same_future() {
        let mut sim = Sim::new(SimConfig::new(5, vec![]));
        for i in 1..=5 {
            sim.apply(Input::Start(ServerId(i)));
        }
        sim.run_until(SimTime(50));
        let mut snap = sim.clone();
        sim.run_until(SimTime(3000));
        snap.run_until(SimTime(3000));
        assert_eq!(sim.events(), snap.events());
        assert_eq!(sim.server_states(), snap.server_states());
    }
}
