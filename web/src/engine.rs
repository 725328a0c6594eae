//! The page's model of a run: the simulation (or a script player), everything the user did
//! to it, and a timeline that can be revisited.
//!
//! A *position* counts the steps taken since the run began: one delivered message or fired
//! timer (or, for a script, one directive boundary). The state at position `p` is the state
//! after `p` steps with every user action recorded at or before `p` applied. Reaching any
//! position is deterministic: restore the nearest snapshot (a clone every
//! [`SNAPSHOT_EVERY`] positions) and replay forward, re-applying the recorded actions.
//! Acting at a position behind the furthest one reached *forks* the timeline: the recorded
//! future (actions, events, marks) is dropped and a notice says so.
//!
//! The event log lives here, not in the simulation ([`Sim::take_events`]): it is stored once
//! for the whole timeline, so that snapshots stay small and the feed, the timeline marks and
//! the space-time diagram can show the future of a position being revisited.

use zkplay_core::client::{ClientOutput, Output};
use zkplay_core::event::{Event, EventKind};
use zkplay_core::msg::ClientId;
use zkplay_core::script::runner::ensemble_settled;
use zkplay_core::script::{Player, RunOptions, ZkCommand};
use zkplay_core::{Input, ServerId, ServerState, Sim, SimTime, Zxid};

use crate::scenario::Scenario;

/// Positions between two snapshots.
pub const SNAPSHOT_EVERY: u64 = 256;

/// How long "run until a leader is established" may run, in simulated ms.
pub const LEADER_LIMIT_MS: u64 = 120_000;

/// What a run starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The playground's scenario: servers started together, nothing delivered.
    Scenario(Scenario),
    /// A `.zks` script, played directive by directive and event by event.
    Script {
        /// File name for error messages.
        file: String,
        /// The script.
        src: String,
    },
}

/// Something the user did to the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    /// A fault or other input to the simulation.
    Input(Input),
    /// A new client session.
    Connect {
        /// Client name.
        name: String,
        /// The server it tries first.
        server: Option<ServerId>,
        /// Requested session timeout.
        timeout: Option<u64>,
    },
    /// A line typed into a client's console: run if it parsed, and shown either way.
    Command {
        /// Client name.
        client: String,
        /// The line as typed.
        text: String,
        /// The parsed command (`None`: the console shows zkCli's error, nothing runs).
        cmd: Option<ZkCommand>,
    },
}

#[derive(Debug, Clone)]
struct Recorded {
    pos: u64,
    at: SimTime,
    tag: u32,
    /// Orders it among client outputs (one counter for both).
    seq: u64,
    act: Act,
}

/// One entry of a client's console history: a line typed, or something the client printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConsoleItem<'a> {
    /// A line typed.
    Typed(&'a str),
    /// An output of the client.
    Out(&'a zkplay_core::client::Output),
}

/// A moment worth marking on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkKind {
    /// A leader was established.
    Leader(ServerId),
    /// A transaction was committed (first server to apply it).
    Commit(Zxid),
    /// A server was crashed.
    Crash(ServerId),
    /// A server was (re)started.
    Restart(ServerId),
    /// Links were cut.
    Partition,
    /// Links were restored.
    Heal,
    /// A message was dropped by hand.
    Drop,
    /// A client did something.
    Client,
}

/// A mark on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Where.
    pub pos: u64,
    /// What.
    pub kind: MarkKind,
}

/// A stretch of the timeline with an established leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// First position.
    pub start: u64,
    /// The position where the leader stopped leading; `None` while it still leads.
    pub end: Option<u64>,
    /// The epoch.
    pub epoch: u32,
    /// The leader.
    pub leader: ServerId,
}

#[derive(Clone)]
enum Driver {
    Sim(Box<Sim>),
    Player {
        player: Box<Player>,
        /// The script failed here; from then on the bare simulation runs.
        failed: bool,
    },
}

impl Driver {
    fn sim(&self) -> &Sim {
        match self {
            Driver::Sim(s) => s,
            Driver::Player { player, .. } => player.sim(),
        }
    }

    fn sim_mut(&mut self) -> &mut Sim {
        match self {
            Driver::Sim(s) => s,
            Driver::Player { player, .. } => player.sim_mut(),
        }
    }

    /// True while a script is still being played.
    fn scripted(&self) -> bool {
        matches!(self, Driver::Player { player, failed: false } if !player.finished())
    }

    /// True if a step is due at or before `t`.
    fn due(&mut self, t: f64) -> bool {
        let scripted = self.scripted();
        match self.sim_mut().next_time() {
            Some(at) => at.0 as f64 <= t,
            // A script begins its next directive, or runs out its wait, at once.
            None => scripted,
        }
    }

    /// One step; `Ok(false)` when nothing is left to do.
    fn step(&mut self) -> Result<bool, String> {
        match self {
            Driver::Sim(s) => Ok(s.step().is_some()),
            Driver::Player { player, failed } => {
                if *failed || player.finished() {
                    return Ok(player.sim_mut().step().is_some());
                }
                match player.step() {
                    Ok(true) => Ok(true),
                    Ok(false) => Ok(player.sim_mut().step().is_some()),
                    Err(e) => {
                        *failed = true;
                        Err(e.to_string())
                    }
                }
            }
        }
    }

    fn trace(&self) -> &[String] {
        match self {
            Driver::Sim(_) => &[],
            Driver::Player { player, .. } => player.trace(),
        }
    }

    fn script_line(&self) -> Option<u32> {
        match self {
            Driver::Player {
                player,
                failed: false,
            } if !player.finished() => player.current_line(),
            _ => None,
        }
    }
}

#[derive(Clone)]
struct Snap {
    pos: u64,
    applied: usize,
    driver: Driver,
}

/// A run with its timeline.
pub struct Engine {
    origin: Origin,
    driver: Driver,
    pos: u64,
    acts: Vec<Recorded>,
    /// Actions applied to the current state (a prefix of `acts`).
    applied: usize,
    horizon: u64,
    log: Vec<Event>,
    /// `ev_end[p]`: the length of `log` once position `p` is complete.
    ev_end: Vec<usize>,
    /// `times[p]`: simulated time at position `p`.
    times: Vec<u64>,
    /// Every client output on the timeline: (position, sequence number, output, whether the
    /// script's own command line produced it).
    outputs: Vec<(u64, u64, ClientOutput, bool)>,
    /// The next sequence number for a recorded action or a client output.
    seq: u64,
    marks: Vec<Mark>,
    bands: Vec<Band>,
    last_commit: Zxid,
    snaps: Vec<Snap>,
    next_tag: u32,
    notice: Option<String>,
    script_error: Option<String>,
    /// Steps the last seek replayed (at most [`SNAPSHOT_EVERY`] for a jump back).
    replayed: u64,
    /// Bumped by every fork: views that keep logs of their own start them over.
    generation: u64,
}

impl Engine {
    /// A run of `origin` at position 0. Fails only for a script that does not parse.
    pub fn new(origin: Origin) -> Result<Engine, String> {
        let mut driver = match &origin {
            Origin::Scenario(sc) => Driver::Sim(Box::new(sc.build())),
            Origin::Script { file, src } => {
                let opts = RunOptions {
                    events: true,
                    check_invariants: false,
                };
                let mut player = Player::new(file, src, opts).map_err(|e| e.to_string())?;
                // The consoles show the script's clients too.
                player.keep_client_outputs();
                Driver::Player {
                    player: Box::new(player),
                    failed: false,
                }
            }
        };
        let log = driver.sim_mut().take_events();
        let now = driver.sim().now().0;
        let mut engine = Engine {
            origin,
            snaps: Vec::new(),
            driver,
            pos: 0,
            acts: Vec::new(),
            applied: 0,
            horizon: 0,
            ev_end: vec![log.len()],
            log,
            times: vec![now],
            outputs: Vec::new(),
            marks: Vec::new(),
            bands: Vec::new(),
            last_commit: Zxid(0),
            next_tag: 1,
            notice: None,
            script_error: None,
            replayed: 0,
            generation: 0,
            seq: 0,
        };
        engine.snaps.push(engine.snap());
        Ok(engine)
    }

    /// The playground's default run.
    pub fn default_scenario() -> Engine {
        Engine::new(Origin::Scenario(Scenario::default())).expect("a scenario always builds")
    }

    fn snap(&self) -> Snap {
        Snap {
            pos: self.pos,
            applied: self.applied,
            driver: self.driver.clone(),
        }
    }

    // ----- reading -----

    /// What the run started from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The simulation in its current state.
    pub fn sim(&self) -> &Sim {
        self.driver.sim()
    }

    /// The current position.
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The furthest position reached on this timeline.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    /// Simulated time at position `p` (clamped to the timeline).
    pub fn time_at(&self, p: u64) -> u64 {
        let i = (p.min(self.horizon)) as usize;
        self.times.get(i).copied().unwrap_or(0)
    }

    /// Every event up to the current position, in order.
    pub fn events(&self) -> &[Event] {
        &self.log[..self.ev_end_at(self.pos)]
    }

    /// Every event on the timeline, the future of the current position included.
    pub fn all_events(&self) -> &[Event] {
        &self.log
    }

    /// The position at which event number `i` of [`Engine::all_events`] happened.
    pub fn pos_of_event(&self, i: usize) -> u64 {
        // ev_end is non-decreasing; the first position whose end is past i.
        self.ev_end.partition_point(|&end| end <= i) as u64
    }

    /// The length of the log once position `p` is complete.
    pub fn ev_end_at(&self, p: u64) -> usize {
        let i = (p.min(self.horizon)) as usize;
        self.ev_end[i].min(self.log.len())
    }

    /// Client outputs up to the current position: (position, output).
    pub fn outputs(&self) -> impl Iterator<Item = (u64, &ClientOutput)> {
        let pos = self.pos;
        self.outputs
            .iter()
            .filter(move |(p, ..)| *p <= pos)
            .map(|(p, _, o, _)| (*p, o))
    }

    /// What client `name`'s console shows up to the current position, in order: the lines
    /// typed into it and what the client printed.
    pub fn console(&self, name: &str) -> Vec<ConsoleItem<'_>> {
        let id = self.sim().client_by_name(name);
        let mut items: Vec<(u64, ConsoleItem<'_>)> = self.acts[..self.applied]
            .iter()
            .filter_map(|r| match &r.act {
                Act::Command { client, text, .. } if client == name => {
                    Some((r.seq, ConsoleItem::Typed(text.as_str())))
                }
                _ => None,
            })
            .collect();
        for (_, seq, o, typed) in self
            .outputs
            .iter()
            .filter(|(p, _, o, _)| *p <= self.pos && Some(o.client) == id)
        {
            // A script's command shows as if typed at the prompt, right before its result.
            if let (true, Output::Result { text, .. }) = (*typed, &o.output) {
                items.push((*seq, ConsoleItem::Typed(text.as_str())));
            }
            items.push((*seq, ConsoleItem::Out(&o.output)));
        }
        items.sort_by_key(|(seq, _)| *seq);
        items.into_iter().map(|(_, i)| i).collect()
    }

    /// Bumped by every fork (and new for every engine): logs kept outside must start over.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Marks on the whole timeline.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// Leadership bands on the whole timeline.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The notice to show (a fork, a script error), if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Clears the notice.
    pub fn dismiss_notice(&mut self) {
        self.notice = None;
    }

    /// The script's error, if the script failed.
    pub fn script_error(&self) -> Option<&str> {
        self.script_error.as_deref()
    }

    /// The script's trace so far (empty for the scenario).
    pub fn trace(&self) -> &[String] {
        self.driver.trace()
    }

    /// The line of the script directive running now, while a script plays.
    pub fn script_line(&self) -> Option<u32> {
        self.driver.script_line()
    }

    /// Number of snapshots kept.
    pub fn snapshot_count(&self) -> usize {
        self.snaps.len()
    }

    /// True if the recorded future holds something beyond the current position.
    pub fn has_future(&self) -> bool {
        self.pos < self.horizon || self.applied < self.acts.len()
    }

    // ----- moving -----

    /// Takes one step (first applying actions recorded at this position). Returns false if
    /// nothing was left to do.
    pub fn step(&mut self) -> bool {
        self.flush_pending();
        self.step_once()
    }

    /// Steps until position `p` on the timeline (or one step back from where we are), via the
    /// nearest snapshot. `p` is clamped to the timeline.
    pub fn seek(&mut self, p: u64) {
        let p = p.min(self.horizon);
        // The nearest snapshot at or before p, if going back, or if it is ahead of us.
        let i = self.snaps.partition_point(|s| s.pos <= p).saturating_sub(1);
        let back = p < self.pos || (p == self.pos && self.applied > self.applied_through(p));
        if back || self.snaps[i].pos > self.pos {
            let s = self.snaps[i].clone();
            self.pos = s.pos;
            self.applied = s.applied;
            self.driver = s.driver;
        }
        let restored = self.pos;
        while self.pos < p {
            self.flush_pending();
            if !self.step_once() {
                break;
            }
        }
        self.flush_pending();
        self.replayed = self.pos - restored;
    }

    /// Steps the last [`Engine::seek`] replayed.
    pub fn last_seek_replayed(&self) -> u64 {
        self.replayed
    }

    /// Number of actions recorded at or before position `p`.
    fn applied_through(&self, p: u64) -> usize {
        self.acts.partition_point(|a| a.pos <= p)
    }

    /// Moves simulated time on from `view_now` to `target` (ms), taking every step due by
    /// then, at most `cap` of them. Returns the time to show: `target`, or the time of the
    /// last step if the cap was hit.
    pub fn advance(&mut self, view_now: f64, target: f64, cap: usize) -> f64 {
        let mut n = 0;
        loop {
            if let Some(a) = self.acts.get(self.applied)
                && a.pos == self.pos
            {
                if a.at.0 as f64 <= target {
                    self.apply_next();
                    continue;
                }
                return target;
            }
            if n >= cap {
                return view_now.max(self.sim().now().0 as f64);
            }
            if !self.driver.due(target) {
                return target;
            }
            if !self.step_once() {
                return target;
            }
            n += 1;
        }
    }

    /// Steps until a leader is established and the ensemble has settled (or the limit of
    /// simulated time passes, or `max_steps` steps). Returns true if it got there.
    pub fn run_until_leader(&mut self, max_steps: usize) -> bool {
        self.flush_pending();
        let limit = self.sim().now().0 + LEADER_LIMIT_MS;
        for _ in 0..max_steps {
            if self.leader_settled() {
                return true;
            }
            if self.sim().now().0 > limit || !self.step_once() {
                break;
            }
        }
        self.leader_settled()
    }

    fn leader_settled(&self) -> bool {
        self.sim().established_leader().is_some() && ensemble_settled(self.sim())
    }

    /// Applies `act` now, at simulated time `view_now` (the time shown, which may be past the
    /// last step). Acting behind the end of the timeline forks it.
    pub fn act(&mut self, act: Act, view_now: f64) {
        self.flush_pending();
        // Bring the clock to the moment shown; anything due by then happens first.
        let t = SimTime(view_now.max(0.0).floor() as u64).max(self.sim().now());
        while self.driver.due(t.0 as f64) && !self.driver.scripted() {
            if !self.step_once() {
                break;
            }
        }
        if !self.driver.scripted() {
            self.driver.sim_mut().run_until(t);
        }
        if self.has_future() {
            self.fork();
        }
        let rec = Recorded {
            pos: self.pos,
            at: self.sim().now(),
            tag: self.next_tag,
            seq: self.seq,
            act,
        };
        self.seq += 1;
        self.next_tag += 1;
        self.acts.push(rec);
        self.apply_next();
    }

    /// The console tag the next command will get.
    pub fn next_tag(&self) -> u32 {
        self.next_tag
    }

    /// Drops everything recorded after the current position.
    fn fork(&mut self) {
        let p = self.pos;
        let dropped_steps = self.horizon - p;
        let dropped_acts = self.acts.len() - self.applied;
        self.acts.truncate(self.applied);
        self.horizon = p;
        let end = self.ev_end[p as usize];
        self.log.truncate(end);
        self.ev_end.truncate(p as usize + 1);
        self.times.truncate(p as usize + 1);
        self.outputs.retain(|(q, ..)| *q <= p);
        self.generation += 1;
        self.marks.retain(|m| m.pos <= p);
        self.bands.retain(|b| b.start <= p);
        for b in &mut self.bands {
            if b.end.is_some_and(|e| e > p) {
                b.end = None;
            }
        }
        self.snaps.retain(|s| s.pos <= p);
        self.last_commit = self
            .marks
            .iter()
            .filter_map(|m| match m.kind {
                MarkKind::Commit(z) => Some(z),
                _ => None,
            })
            .max()
            .unwrap_or(Zxid(0));
        let plural =
            |n: u64, word: &str| format!("{n} later {word}{}", if n == 1 { "" } else { "s" });
        let what = match (dropped_steps, dropped_acts as u64) {
            (0, a) => plural(a, "action"),
            (s, 0) => plural(s, "step"),
            (s, a) => format!("{} and {}", plural(s, "step"), plural(a, "action")),
        };
        self.notice = Some(format!(
            "Timeline forked at step {p}: you acted in the past, so the old future ({what}) was dropped."
        ));
    }

    fn flush_pending(&mut self) {
        while self
            .acts
            .get(self.applied)
            .is_some_and(|a| a.pos == self.pos)
        {
            self.apply_next();
        }
    }

    /// Applies `acts[applied]`, which is recorded at the current position.
    fn apply_next(&mut self) {
        let rec = self.acts[self.applied].clone();
        let frontier = self.applied + 1 == self.acts.len() && self.pos == self.horizon;
        self.applied += 1;
        let sim = self.driver.sim_mut();
        // Only sets the clock: nothing was due before this moment when it was recorded.
        if sim.next_time().is_none_or(|t| t > rec.at) {
            sim.run_until(rec.at);
        }
        match rec.act {
            Act::Input(input) => sim.apply(input),
            Act::Connect {
                name,
                server,
                timeout,
            } => {
                let id = sim.add_client(&name);
                sim.client_do(id, |c, ctx| c.connect(ctx, server, timeout));
            }
            Act::Command {
                client,
                text,
                cmd: Some(cmd),
            } => {
                if let Some(id) = sim.client_by_name(&client) {
                    sim.client_do(id, |c, ctx| c.exec(ctx, rec.tag, &text, cmd));
                }
            }
            Act::Command { cmd: None, .. } => {}
        }
        self.absorb(frontier);
        if frontier {
            self.times[self.pos as usize] = self.sim().now().0;
        }
    }

    /// One driver step, with its events absorbed. False if nothing happened.
    fn step_once(&mut self) -> bool {
        let frontier = self.pos == self.horizon && self.applied == self.acts.len();
        let stepped = match self.driver.step() {
            Ok(s) => s,
            Err(e) => {
                if frontier {
                    self.notice = Some(format!("The script stopped: {e}"));
                    self.script_error = Some(e);
                }
                true
            }
        };
        if !stepped {
            return false;
        }
        self.pos += 1;
        if frontier {
            self.horizon = self.pos;
            self.ev_end.push(self.log.len());
            self.times.push(self.sim().now().0);
        }
        self.absorb(frontier);
        if self.pos.is_multiple_of(SNAPSHOT_EVERY)
            && self.snaps.last().is_some_and(|s| s.pos < self.pos)
        {
            let snap = self.snap();
            self.snaps.push(snap);
        }
        true
    }

    /// Takes the events (and client outputs) the last change produced: at the frontier they
    /// join the timeline, in a replay they are already on it.
    fn absorb(&mut self, frontier: bool) {
        let scripted = self.driver.scripted();
        let sim = self.driver.sim_mut();
        let events = sim.take_events();
        // While a script plays, its runner takes the client outputs for its trace, and keeps
        // them for the consoles.
        let mut outputs: Vec<(ClientOutput, bool)> = Vec::new();
        if let Driver::Player { player, .. } = &mut self.driver {
            // Consoles are closed to typing while the script plays: a result is a script line's.
            outputs.extend(player.take_client_outputs().into_iter().map(|o| {
                let typed = matches!(o.output, Output::Result { .. });
                (o, typed)
            }));
        }
        if !scripted {
            let sim = self.driver.sim_mut();
            outputs.extend(sim.take_client_outputs().into_iter().map(|o| (o, false)));
        }
        if !frontier {
            return;
        }
        let pos = self.pos;
        for e in &events {
            self.scan(pos, e);
        }
        self.log.extend(events);
        self.ev_end[pos as usize] = self.log.len();
        for (o, typed) in outputs {
            self.outputs.push((pos, self.seq, o, typed));
            self.seq += 1;
        }
    }

    /// Turns a new event into timeline marks and bands.
    fn scan(&mut self, pos: u64, e: &Event) {
        let mark = |kind| Mark { pos, kind };
        match &e.kind {
            EventKind::Input(input) => {
                let kind = match input {
                    Input::Crash(id) => Some(MarkKind::Crash(*id)),
                    Input::Start(id) => Some(MarkKind::Restart(*id)),
                    Input::Partition { .. } | Input::Link { cut: true, .. } => {
                        Some(MarkKind::Partition)
                    }
                    Input::Heal | Input::Link { cut: false, .. } => Some(MarkKind::Heal),
                    Input::Drop(_) => Some(MarkKind::Drop),
                    _ => None,
                };
                if let Some(k) = kind {
                    self.marks.push(mark(k));
                }
            }
            EventKind::Established { leader, epoch } => {
                self.marks.push(mark(MarkKind::Leader(*leader)));
                self.bands.push(Band {
                    start: pos,
                    end: None,
                    epoch: *epoch,
                    leader: *leader,
                });
            }
            EventKind::StateChanged {
                server,
                from: ServerState::Leading,
                ..
            } => {
                for b in &mut self.bands {
                    if b.leader == *server && b.end.is_none() {
                        b.end = Some(pos);
                    }
                }
            }
            EventKind::Committed { zxid, .. } if *zxid > self.last_commit => {
                self.last_commit = *zxid;
                self.marks.push(mark(MarkKind::Commit(*zxid)));
            }
            _ => {}
        }
    }

    /// The client id of `name`, if that client exists now.
    pub fn client_id(&self, name: &str) -> Option<ClientId> {
        self.sim().client_by_name(name)
    }
}

/// For lessons and share links (crate::lesson_state, crate::link).
impl Engine {
    /// The script player, when the run is a script.
    pub fn player(&self) -> Option<&Player> {
        match &self.driver {
            Driver::Player { player, .. } => Some(player),
            Driver::Sim(_) => None,
        }
    }

    /// The actions applied to the state shown, in order: (position, simulated ms, action).
    pub fn applied_acts(&self) -> impl Iterator<Item = (u64, u64, &Act)> {
        self.acts[..self.applied]
            .iter()
            .map(|r| (r.pos, r.at.0, &r.act))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything the view shows, to compare two states.
    fn shown(e: &Engine) -> String {
        let sim = e.sim();
        let states: Vec<String> = sim
            .servers()
            .iter()
            .map(|s| {
                format!(
                    "{}:{}:{:?}:{}:{:?}",
                    s.id,
                    s.state.name(),
                    s.fle.proposal,
                    s.fle.logicalclock,
                    s.zab
                )
            })
            .collect();
        let msgs: Vec<String> = sim
            .in_flight()
            .map(|m| {
                format!(
                    "{:?}>{:?}@{}..{}",
                    m.from, m.to, m.sent_at.0, m.deliver_at.0
                )
            })
            .collect();
        format!(
            "{} t={} {states:?} {msgs:?} ev={}",
            e.pos(),
            sim.now().0,
            e.events().len()
        )
    }

    #[test]
    fn default_run_elects_a_leader_with_four_followers() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        let states = e.sim().server_states();
        let leading = states
            .iter()
            .filter(|(_, s)| *s == ServerState::Leading)
            .count();
        let following = states
            .iter()
            .filter(|(_, s)| *s == ServerState::Following)
            .count();
        assert_eq!((leading, following), (1, 4));
        assert!(e.bands().len() == 1 && e.bands()[0].end.is_none());
        assert!(
            e.marks()
                .iter()
                .any(|m| matches!(m.kind, MarkKind::Leader(_)))
        );
        assert_eq!(e.horizon(), e.pos());
    }

    #[test]
    fn stepping_back_and_seeking_show_exactly_the_past_state() {
        let mut e = Engine::default_scenario();
        let mut states = vec![shown(&e)];
        for _ in 0..600 {
            assert!(e.step());
            states.push(shown(&e));
        }
        assert!(e.snapshot_count() >= 3);
        for p in [599, 0, 300, 256, 255, 512, 1, 600, 42] {
            e.seek(p);
            assert_eq!(shown(&e), states[p as usize], "at {p}");
        }
        // Forward again from the past replays the same future.
        e.seek(10);
        for (p, state) in states.iter().enumerate().take(41).skip(11) {
            e.step();
            assert_eq!(&shown(&e), state, "replay at {p}");
        }
        assert_eq!(e.horizon(), 600);
        assert!(e.notice().is_none());
    }

    #[test]
    fn seeking_back_replays_at_most_one_snapshot_interval() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        while e.pos() < 3000 {
            assert!(e.step());
        }
        assert_eq!(e.snapshot_count() as u64, 3000 / SNAPSHOT_EVERY + 1);
        for p in [2999, 7, 1500, 256, 2048, 1] {
            e.seek(p);
            assert_eq!(e.pos(), p);
            assert!(e.last_seek_replayed() < SNAPSHOT_EVERY, "seek {p}");
        }
    }

    /// `cargo test --release -p zkplay-web seek_timing -- --ignored --nocapture`
    #[test]
    #[ignore = "a timing, not a check"]
    fn seek_timing() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Connect {
                name: "c1".into(),
                server: Some(ServerId(1)),
                timeout: None,
            },
            t,
        );
        let start = std::time::Instant::now();
        while e.pos() < 200_000 {
            if !e.step() {
                break;
            }
        }
        println!(
            "200k steps: {:?}, {} snapshots",
            start.elapsed(),
            e.snapshot_count()
        );
        let mut worst = std::time::Duration::ZERO;
        for i in 0..200u64 {
            let p = (i * 7919 * 31) % e.horizon();
            let t = std::time::Instant::now();
            e.seek(p);
            worst = worst.max(t.elapsed());
        }
        println!("worst of 200 seeks: {worst:?}");
    }

    #[test]
    fn acting_in_the_past_forks_and_actions_replay() {
        let mut e = Engine::default_scenario();
        for _ in 0..100 {
            e.step();
        }
        let now = e.sim().now().0 as f64;
        e.act(Act::Input(Input::Crash(ServerId(5))), now + 0.5);
        assert_eq!(e.sim().server(ServerId(5)).state, ServerState::Down);
        let crashed = shown(&e);
        for _ in 0..50 {
            e.step();
        }
        let later = shown(&e);
        // Revisit: the crash is replayed at its position, and so is what followed.
        e.seek(100);
        assert_eq!(shown(&e), crashed);
        e.seek(150);
        assert_eq!(shown(&e), later);
        e.seek(99);
        assert_ne!(e.sim().server(ServerId(5)).state, ServerState::Down);
        assert!(e.notice().is_none());
        // Acting at 99 drops the crash and the 51 steps after it.
        let now = e.sim().now().0 as f64;
        e.act(Act::Input(Input::Crash(ServerId(1))), now);
        assert_eq!(e.horizon(), 99);
        assert!(e.notice().unwrap().contains("forked at step 99"));
        assert!(
            e.marks()
                .iter()
                .all(|m| m.kind != MarkKind::Crash(ServerId(5)))
        );
        e.seek(0);
        e.seek(99);
        assert_eq!(e.sim().server(ServerId(1)).state, ServerState::Down);
        assert_ne!(e.sim().server(ServerId(5)).state, ServerState::Down);
    }

    #[test]
    fn advance_paces_steps_by_simulated_time() {
        let mut e = Engine::default_scenario();
        // Latency is 20..60 ms: only the votes to self (no delay) arrive in the first 10 ms.
        let shown_at = e.advance(0.0, 10.0, 1000);
        assert_eq!(shown_at, 10.0);
        assert_eq!(e.pos(), 5);
        assert_eq!(e.sim().now().0, 0);
        let shown_at = e.advance(10.0, 70.0, 1000);
        assert_eq!(shown_at, 70.0);
        assert!(e.pos() > 0);
        assert!(e.sim().now().0 <= 70);
        // The cap holds the clock at the last step taken.
        let before = e.pos();
        let shown_at = e.advance(70.0, 100_000.0, 3);
        assert_eq!(e.pos(), before + 3);
        assert_eq!(shown_at, e.sim().now().0 as f64);
    }

    #[test]
    fn events_link_back_to_their_positions() {
        let mut e = Engine::default_scenario();
        for _ in 0..20 {
            e.step();
        }
        let n = e.events().len();
        assert!(n > 20);
        assert_eq!(e.pos_of_event(n - 1), 20);
        // Starting the servers happened before the first step.
        assert_eq!(e.pos_of_event(0), 0);
        assert_eq!(e.pos_of_event(e.ev_end_at(0)), 1);
        e.seek(5);
        assert_eq!(e.events().len(), e.ev_end_at(5));
        assert_eq!(e.all_events().len(), n);
    }

    #[test]
    fn clients_and_commands_replay_deterministically() {
        let mut e = Engine::default_scenario();
        assert!(e.run_until_leader(100_000));
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Connect {
                name: "c1".into(),
                server: Some(ServerId(1)),
                timeout: None,
            },
            t,
        );
        // Typed at once, before the session is even connected, then again once it is.
        let cmd = zkplay_core::script::parse_zk_command("ls /").unwrap();
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Command {
                client: "c1".into(),
                text: "ls /".into(),
                cmd: Some(cmd),
            },
            t,
        );
        for _ in 0..40 {
            e.step();
        }
        let cmd = zkplay_core::script::parse_zk_command("create /a x").unwrap();
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Command {
                client: "c1".into(),
                text: "create /a x".into(),
                cmd: Some(cmd),
            },
            t,
        );
        for _ in 0..60 {
            e.step();
        }
        let outs: Vec<String> = e
            .outputs()
            .map(|(_, o)| format!("{:?}", o.output))
            .collect();
        assert!(
            outs.iter().any(|o| o.contains("Created(\"/a\")")),
            "{outs:?}"
        );
        assert!(
            e.marks()
                .iter()
                .any(|m| matches!(m.kind, MarkKind::Commit(_)))
        );
        let end = shown(&e);
        let p = e.pos();
        e.seek(0);
        e.seek(p);
        assert_eq!(shown(&e), end);
        assert_eq!(e.outputs().count(), outs.len());
    }

    #[test]
    fn scripts_play_step_by_step_and_then_run_on() {
        let origin = Origin::Script {
            file: "t.zks".into(),
            src: "servers 3\nstart 1 2 3 together\nstatus\ncrash 2\nstatus\n".into(),
        };
        let mut e = Engine::new(origin).unwrap();
        let mut n = 0;
        while e.script_line().is_some() || n == 0 {
            assert!(e.step());
            n += 1;
            assert!(n < 100_000);
        }
        assert_eq!(e.trace().len(), 2, "{:?}", e.trace());
        assert!(
            e.marks()
                .iter()
                .any(|m| m.kind == MarkKind::Crash(ServerId(2)))
        );
        let p = e.pos();
        let end = shown(&e);
        e.seek(1);
        e.seek(p);
        assert_eq!(shown(&e), end);
        assert!(e.step(), "the ensemble runs on after the script");
        let bad = Engine::new(Origin::Script {
            file: "bad.zks".into(),
            src: "servers x\n".into(),
        });
        assert!(bad.err().unwrap().starts_with("bad.zks:1:9:"));
    }

    #[test]
    fn consoles_show_a_scripts_clients_as_if_typed() {
        let src = "servers 3\nconfig tickTime=200\nstart 1 2 3\nconnect c1 to 1\nc1: create /a x\n\
                   connect c2 to 2\nc1: get -w /a\nc2: set /a y\nc2: get /nope\n";
        let origin = Origin::Script {
            file: "t.zks".into(),
            src: src.into(),
        };
        let mut e = Engine::new(origin).unwrap();
        let mut n = 0;
        while e.script_line().is_some() || n == 0 {
            assert!(e.step());
            n += 1;
        }
        let text = |e: &Engine, name: &str| {
            crate::panels::console::ConsoleLog::of(e, name)
                .unwrap()
                .text()
        };
        let c1 = text(&e, "c1");
        assert!(
            c1.contains("(CONNECTED) 0] create /a x\nCreated /a\n"),
            "{c1}"
        );
        assert!(c1.contains("(CONNECTED) 1] get -w /a\nx\n"), "{c1}");
        assert!(
            c1.contains("WatchedEvent state:SyncConnected type:NodeDataChanged path:/a"),
            "{c1}"
        );
        let c2 = text(&e, "c2");
        assert!(c2.contains("(CONNECTED) 0] set /a y\n"), "{c2}");
        assert!(
            c2.contains("(CONNECTED) 1] get /nope\nNode does not exist: /nope\n"),
            "{c2}"
        );
        assert!(!c2.contains("create /a"), "{c2}");
        // The trace is the script's, as `zkplay run` writes it.
        let run = zkplay_core::script::run("t.zks", src, RunOptions::default()).unwrap();
        assert_eq!(e.trace(), &run.trace[..]);
        // Earlier on the timeline, the console shows only what had happened.
        let end = e.pos();
        e.seek(end / 2);
        let half = text(&e, "c1");
        assert!(c1.starts_with(half.trim_end_matches('\n')), "{half}");
        e.seek(end);
        assert_eq!(text(&e, "c1"), c1);
    }
}
