//! Runs a parsed script against a [`Sim`] and produces its JSON-lines trace
//! (spec: docs/scenario-script.md).

use serde_json::{Map, Value, json};

use crate::client::{CmdValue, Output};
use crate::config::SimConfig;
use crate::msg::ClientId;
use crate::script::ast::{Directive, Script};
use crate::script::lesson::{Lang, Narration, Quiz, Shown};
use crate::sim::{Input, Sim};
use crate::tree::Stat;
use crate::{ServerId, ServerState, SessionId, SimTime};

/// How long `start`, `crash`, `restart`, `await leader` and client lines may run before the
/// script fails: 60 s of simulated time.
pub const SETTLE_LIMIT_MS: u64 = 60_000;

/// The most simulation steps one directive may take (about a few seconds of work): keeps
/// `run 99999999999s` and `step 4000000000` from running for hours.
pub const MAX_DIRECTIVE_STEPS: u64 = 10_000_000;

/// What running a script produced.
pub struct RunOutput {
    /// The JSON-lines trace, one object per line, without trailing newlines.
    pub trace: Vec<String>,
    /// Low-level events as JSON lines (only with `RunOptions::events`).
    pub events: Vec<String>,
    /// The simulation as the script left it.
    pub sim: Sim,
}

/// Options for [`run`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Also record low-level events (sent, delivered, state changes, …).
    pub events: bool,
    /// Check the safety invariants after every step; a violation fails the run.
    pub check_invariants: bool,
}

/// A script that failed to parse or failed while running; `Display` gives `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// The file name as given.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for RunError {}

/// Parses and runs `src` (named `file` in error messages).
pub fn run(file: &str, src: &str, opts: RunOptions) -> Result<RunOutput, RunError> {
    let mut p = Player::new(file, src, opts)?;
    p.run_to_end()?;
    let events = if opts.events {
        p.runner
            .sim
            .events()
            .iter()
            .map(|e| e.to_json().to_string())
            .collect()
    } else {
        Vec::new()
    };
    Ok(RunOutput {
        trace: p.runner.trace,
        events,
        sim: p.runner.sim,
    })
}

/// Plays a script one simulation event at a time, for views that animate it: the same run,
/// event for event, as [`run`], which is this player run to its end. Cloning it is a
/// snapshot of the run (the page's time travel).
#[derive(Clone)]
pub struct Player {
    file: String,
    /// Shared, so that a snapshot (`Player: Clone`) does not copy the script.
    script: std::rc::Rc<Script>,
    runner: Runner,
    /// Index of the next directive to begin.
    pc: usize,
    /// Line of the directive running now.
    current: Option<u32>,
    /// What the narration lines showed.
    narration: Narration,
}

/// What one [`Player::step_event`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayerEvent {
    /// One simulation event, or the beginning of a directive (narration included).
    Stepped,
    /// Reached a `pause` or `quiz`: the `index`-th stop (1-based), where a lesson waits for
    /// Next.
    Paused {
        /// The stop's index.
        index: usize,
    },
    /// Every directive has run to its end (nothing was done).
    Finished,
}

impl Player {
    /// Parses `src`; nothing runs until [`Player::step`].
    pub fn new(file: &str, src: &str, opts: RunOptions) -> Result<Player, RunError> {
        let script = crate::script::parse(src).map_err(|e| RunError {
            file: file.to_string(),
            line: e.line,
            col: e.col,
            message: e.message.clone(),
        })?;
        let runner = Runner::new(&script, opts);
        Ok(Player {
            file: file.to_string(),
            script: std::rc::Rc::new(script),
            runner,
            pc: 0,
            current: None,
            narration: Narration::default(),
        })
    }

    /// The parsed script.
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// The simulation.
    pub fn sim(&self) -> &Sim {
        &self.runner.sim
    }

    /// The simulation, to apply inputs or drive clients between steps.
    pub fn sim_mut(&mut self) -> &mut Sim {
        &mut self.runner.sim
    }

    /// The trace so far.
    pub fn trace(&self) -> &[String] {
        &self.runner.trace
    }

    /// From now on, keeps every client output (command results, watch and state events)
    /// after the trace has used it, for [`Player::take_client_outputs`]: a view shows the
    /// script's clients in their consoles. The run and its trace do not change.
    pub fn keep_client_outputs(&mut self) {
        self.runner.kept.get_or_insert_with(Vec::new);
    }

    /// Takes the client outputs kept since the last call, in the order they happened.
    pub fn take_client_outputs(&mut self) -> Vec<crate::client::ClientOutput> {
        self.runner
            .kept
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The line of the directive that is running (or last ran).
    pub fn current_line(&self) -> Option<u32> {
        self.current
    }

    /// Index of the next directive to begin (directives before it have begun).
    pub fn position(&self) -> usize {
        self.pc
    }

    /// True when every directive has run to its end.
    pub fn finished(&self) -> bool {
        self.pc >= self.script.lines.len() && !self.runner.busy()
    }

    /// Advances by one simulation event, or begins the next directive. Returns false when the
    /// script has finished.
    pub fn step(&mut self) -> Result<bool, RunError> {
        Ok(self.step_event()? != PlayerEvent::Finished)
    }

    /// [`Player::step`], saying whether it reached a stop (`pause` or `quiz`).
    pub fn step_event(&mut self) -> Result<PlayerEvent, RunError> {
        let mut event = PlayerEvent::Stepped;
        if self.runner.busy() {
            let line = self.current.unwrap_or(0);
            self.runner.poll().map_err(|m| self.error(line, m))?;
        } else if let Some(l) = self.script.lines.get(self.pc) {
            let (line, d) = (l.line, l.directive.clone());
            self.pc += 1;
            self.current = Some(line);
            if d.is_narration() {
                let r = &self.runner;
                if let Some(index) = self.narration.on_line(line, &d, &r.sim, &r.trace) {
                    event = PlayerEvent::Paused { index };
                }
            } else {
                self.runner
                    .begin(line, &d)
                    .map_err(|m| self.error(line, m))?;
            }
        } else {
            // The end of the script shows the answer of a quiz after its last stop.
            self.narration.reveal(&self.runner.sim, &self.runner.trace);
            return Ok(PlayerEvent::Finished);
        }
        if let Some((step, v)) = self.runner.sim.violation() {
            let message = format!("invariant violated at step {step}: {v}");
            return Err(self.error(self.current.unwrap_or(0), message));
        }
        Ok(event)
    }

    /// Runs every remaining directive to its end.
    pub fn run_to_end(&mut self) -> Result<(), RunError> {
        while self.step()? {}
        Ok(())
    }

    /// Runs until the `k`-th stop (1-based) has been reached, or to the end of the script if
    /// it has fewer. Returns whether the stop was reached; `k = 0` does nothing.
    pub fn run_to_stop(&mut self, k: usize) -> Result<bool, RunError> {
        while self.narration.stop < k {
            if self.step_event()? == PlayerEvent::Finished {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How many stops (`pause` and `quiz` lines) the script has.
    pub fn stops(&self) -> usize {
        self.script
            .lines
            .iter()
            .filter(|l| matches!(l.directive, Directive::Pause | Directive::Quiz(_)))
            .count()
    }

    /// The last stop reached (1-based; 0 before the first).
    pub fn stop(&self) -> usize {
        self.narration.stop
    }

    /// The lesson's title in `lang`, if the script has one.
    pub fn title(&self, lang: Lang) -> Option<&str> {
        self.script.lines.iter().find_map(|l| match &l.directive {
            Directive::Title(t) => Some(t.get(lang)),
            _ => None,
        })
    }

    /// Everything the narration has shown so far, in order.
    pub fn shown(&self) -> impl Iterator<Item = &Shown> {
        self.narration.items.iter().map(|(_, s)| s)
    }

    /// The notes of the current page of a lesson, in `lang`: those shown since the last stop,
    /// or, when the player stands at a stop, those that led up to it.
    pub fn notes(&self, lang: Lang) -> Vec<&str> {
        let items = &self.narration.items;
        let is_stop = |s: &Shown| matches!(s, Shown::Stop { .. });
        let mut end = items.len();
        if items.last().is_some_and(|(_, s)| is_stop(s)) {
            end -= 1;
        }
        let from = items[..end]
            .iter()
            .rposition(|(_, s)| is_stop(s))
            .map_or(0, |i| i + 1);
        items[from..end]
            .iter()
            .filter_map(|(_, s)| match s {
                Shown::Note { texts, .. } => Some(texts.get(lang)),
                _ => None,
            })
            .collect()
    }

    /// The latest note, in `lang`.
    pub fn current_note(&self, lang: Lang) -> Option<&str> {
        self.narration
            .items
            .iter()
            .rev()
            .find_map(|(_, s)| match s {
                Shown::Note { texts, .. } => Some(texts.get(lang)),
                _ => None,
            })
    }

    /// The quiz the player is stopped at, until the next directive runs.
    pub fn quiz(&self) -> Option<&Quiz> {
        match self.narration.items.last() {
            Some((_, Shown::Stop { quiz: Some(q), .. })) => Some(q),
            _ => None,
        }
    }

    /// The answers revealed so far: (stop of the quiz, its answer, what the simulation showed).
    pub fn reveals(&self) -> Vec<(usize, &str, &str)> {
        self.shown()
            .filter_map(|s| match s {
                Shown::Reveal {
                    index,
                    answer,
                    shown,
                } => Some((*index, answer.as_str(), shown.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The lesson transcript so far in `lang`: the trace lines and the narration (title,
    /// notes, stops, quizzes and their reveals), interleaved as they happened.
    pub fn transcript(&self, lang: Lang) -> Vec<String> {
        self.narration.transcript(&self.runner.trace, lang)
    }

    fn error(&self, line: u32, message: String) -> RunError {
        RunError {
            file: self.file.clone(),
            line,
            col: 1,
            message,
        }
    }
}

/// Builds the configuration from the set-up lines that precede the first ensemble event.
pub fn config_of(script: &Script) -> SimConfig {
    let mut cfg = SimConfig::new(3, Vec::new());
    for l in &script.lines {
        match &l.directive {
            Directive::Servers { voters, observers } => {
                cfg.voters = *voters;
                cfg.observers = observers.clone();
            }
            Directive::Config(c) => {
                if let Some(v) = c.tick_time {
                    cfg.tick_time = v;
                }
                if let Some(v) = c.init_limit {
                    cfg.init_limit = v;
                }
                if let Some(v) = c.sync_limit {
                    cfg.sync_limit = v;
                }
                if c.min_session_timeout.is_some() {
                    cfg.min_session_timeout = c.min_session_timeout;
                }
                if c.max_session_timeout.is_some() {
                    cfg.max_session_timeout = c.max_session_timeout;
                }
            }
            Directive::Network(n) => {
                if let Some(l) = n.latency {
                    cfg.latency = l;
                }
                if let Some(p) = n.loss_ppm {
                    cfg.loss_ppm = p;
                }
                if let Some(s) = n.seed {
                    cfg.seed = s;
                }
            }
            _ => {}
        }
    }
    cfg.reindex();
    cfg
}

/// Executes directives one by one, keeping the trace.
#[derive(Clone)]
pub struct Runner {
    /// The simulation.
    pub sim: Sim,
    /// Trace lines so far.
    pub trace: Vec<String>,
    wait: Wait,
    own: Option<ClientId>,
    record_trace: bool,
    /// Client outputs kept for a view after the trace has taken them (see
    /// [`Player::keep_client_outputs`]); `None` when nobody asked.
    kept: Option<Vec<crate::client::ClientOutput>>,
    begun_at_step: u64,
    max_steps: u64,
}

/// What the running directive waits for.
#[derive(Debug, Clone)]
enum Wait {
    /// Nothing: the directive is complete and flushed.
    Idle,
    /// Flush the outputs, then idle.
    Finish,
    Settle {
        what: &'static str,
        limit: SimTime,
    },
    StartInOrder {
        rest: Vec<ServerId>,
        limit: SimTime,
    },
    Until(SimTime),
    Steps(u32),
    AwaitLeader {
        limit: SimTime,
    },
    Command {
        id: ClientId,
        client: String,
        limit: SimTime,
    },
    ExpireGone {
        id: ClientId,
        session: SessionId,
        client: String,
        limit: SimTime,
    },
    ExpireClosed {
        id: ClientId,
        limit: SimTime,
    },
    /// A `recipe` line: `current` volunteers; `rest` (reversed) follow, one at a time.
    RecipeJoin {
        current: ClientId,
        rest: Vec<ClientId>,
        spec: crate::recipe::RecipeSpec,
        line: u32,
        limit: SimTime,
    },
    /// `recipe resign`/`recipe unlock`: until the client's recipe has come to rest.
    RecipeSettle {
        id: ClientId,
        client: String,
        limit: SimTime,
    },
}

impl Runner {
    /// A runner for `script`'s configuration (history presets applied).
    pub fn new(script: &Script, opts: RunOptions) -> Runner {
        let cfg = config_of(script);
        let mut sim = Sim::new(cfg);
        sim.set_record_events(opts.events);
        sim.set_check_invariants(opts.check_invariants);
        for l in &script.lines {
            if let Directive::History { server, zxid } = &l.directive {
                sim.preset_history(*server, *zxid);
            }
        }
        Runner {
            sim,
            trace: Vec::new(),
            wait: Wait::Idle,
            own: None,
            record_trace: true,
            kept: None,
            begun_at_step: 0,
            max_steps: MAX_DIRECTIVE_STEPS,
        }
    }

    /// Runs one directive to its end.
    pub fn exec(&mut self, line: u32, d: &Directive) -> Result<(), String> {
        self.begin(line, d)?;
        while !self.poll()? {}
        Ok(())
    }

    /// Turns the trace off or on (the fault checker never reads it): client outputs are
    /// still taken from the simulation, but no trace lines are built.
    pub fn set_record_trace(&mut self, on: bool) {
        self.record_trace = on;
    }

    /// Sets the most steps one directive may take ([`MAX_DIRECTIVE_STEPS`] by default).
    pub fn set_max_directive_steps(&mut self, n: u64) {
        self.max_steps = n;
    }

    /// True while a directive is still running (waiting for the ensemble or a client).
    pub fn busy(&self) -> bool {
        !matches!(self.wait, Wait::Idle)
    }

    /// Starts a directive: applies what happens at once and records what it waits for.
    pub fn begin(&mut self, line: u32, d: &Directive) -> Result<(), String> {
        self.own = None;
        self.begun_at_step = self.sim.steps();
        let now = self.sim.now();
        let limit = now.plus(SETTLE_LIMIT_MS);
        self.wait = match d {
            Directive::Servers { .. }
            | Directive::Config(_)
            | Directive::Network(_)
            | Directive::History { .. } => Wait::Finish,
            Directive::Start { servers, together } => {
                if *together {
                    for s in servers {
                        self.sim.apply(Input::Start(*s));
                    }
                    Wait::Settle {
                        what: "start",
                        limit,
                    }
                } else {
                    let mut rest: Vec<ServerId> = servers.iter().rev().copied().collect();
                    match rest.pop() {
                        Some(first) => {
                            self.sim.apply(Input::Start(first));
                            Wait::StartInOrder { rest, limit }
                        }
                        None => Wait::Finish,
                    }
                }
            }
            Directive::Crash(s) => {
                self.sim.apply(Input::Crash(*s));
                Wait::Settle {
                    what: "crash",
                    limit,
                }
            }
            Directive::Restart(s) => {
                self.sim.apply(Input::Start(*s));
                Wait::Settle {
                    what: "restart",
                    limit,
                }
            }
            Directive::Partition { sides, one_way } => {
                self.sim.apply(Input::Partition {
                    sides: sides.clone(),
                    one_way: *one_way,
                });
                Wait::Finish
            }
            Directive::Heal => {
                self.sim.apply(Input::Heal);
                Wait::Finish
            }
            Directive::Run(ms) => Wait::Until(now.plus(*ms)),
            Directive::Step(n) => Wait::Steps(*n),
            Directive::AwaitLeader => Wait::AwaitLeader { limit },
            Directive::Status => {
                self.flush(None);
                let line_json = status_json(&self.sim, line);
                self.trace.push(line_json);
                Wait::Idle
            }
            Directive::FourLetter { server, word } => {
                self.flush(None);
                let output = crate::fourlw::ask(&mut self.sim, *server, word.as_str());
                self.trace
                    .push(four_letter_json(line, *server, word.as_str(), &output));
                Wait::Idle
            }
            Directive::Mode(server) => {
                self.flush(None);
                let mode = crate::fourlw::status(&mut self.sim, *server);
                self.trace.push(mode_json(line, *server, mode));
                Wait::Idle
            }
            Directive::Connect {
                client,
                server,
                timeout,
            } => {
                let id = self.sim.add_client(client);
                self.own = Some(id);
                self.sim
                    .client_do(id, |c, ctx| c.connect(ctx, *server, *timeout));
                Wait::Settle {
                    what: "connect",
                    limit,
                }
            }
            Directive::Client { client, text, cmd } => {
                let id = self
                    .sim
                    .client_by_name(client)
                    .ok_or_else(|| format!("unknown client {client}"))?;
                self.own = Some(id);
                let cmd = cmd.clone();
                self.sim
                    .client_do(id, |c, ctx| c.exec(ctx, line, text, cmd));
                Wait::Command {
                    id,
                    client: client.clone(),
                    limit,
                }
            }
            Directive::Title(_) | Directive::Note(_) | Directive::Pause | Directive::Quiz(_) => {
                // Narration runs nothing and prints nothing.
                Wait::Idle
            }
            Directive::Recipe { spec, clients } => {
                let mut ids = Vec::with_capacity(clients.len());
                for c in clients.iter().rev() {
                    ids.push(
                        self.sim
                            .client_by_name(c)
                            .ok_or_else(|| format!("unknown client {c}"))?,
                    );
                }
                match ids.pop() {
                    Some(current) => {
                        self.own = Some(current);
                        self.sim
                            .client_do(current, |c, ctx| c.recipe_start(ctx, line, spec));
                        Wait::RecipeJoin {
                            current,
                            rest: ids,
                            spec: spec.clone(),
                            line,
                            limit,
                        }
                    }
                    None => Wait::Finish,
                }
            }
            Directive::RecipeLeave(client) => {
                let id = self
                    .sim
                    .client_by_name(client)
                    .ok_or_else(|| format!("unknown client {client}"))?;
                self.own = Some(id);
                self.sim.client_do(id, |c, ctx| c.recipe_leave(ctx, line));
                Wait::RecipeSettle {
                    id,
                    client: client.clone(),
                    limit,
                }
            }
            Directive::Expire(client) => {
                let id = self
                    .sim
                    .client_by_name(client)
                    .ok_or_else(|| format!("unknown client {client}"))?;
                self.sim.client_do(id, |c, ctx| c.set_frozen(ctx, true));
                let session = self.sim.client(id).session;
                Wait::ExpireGone {
                    id,
                    session,
                    client: client.clone(),
                    limit: now.plus(SETTLE_LIMIT_MS * 2),
                }
            }
        };
        Ok(())
    }

    /// Moves the running directive on by at most one simulation event. Returns true when the
    /// directive has finished (its outputs are then in the trace).
    pub fn poll(&mut self) -> Result<bool, String> {
        use crate::sim::Advance;
        if self.busy() && self.sim.steps() - self.begun_at_step > self.max_steps {
            // `run 99999999999s` or `step 4000000000` on a live ensemble: stop, clearly.
            self.wait = Wait::Idle;
            return Err(format!(
                "gave up after {} steps (simulated time {} ms): \
                 ask for less simulated time or fewer steps",
                self.max_steps,
                self.sim.now().0
            ));
        }
        // The waits that most steps are spent in (a client command, settling), stepped in
        // place: the wait state is neither moved out nor rebuilt.
        match self.wait {
            Wait::Command { id, limit, .. } => {
                match self.sim.advance(limit, |s| {
                    !s.client(id).busy() && s.no_client_work_in_flight()
                }) {
                    Advance::Done => self.wait = Wait::Finish,
                    Advance::Stepped => {}
                    Advance::Exhausted => {
                        let Wait::Command { client, .. } =
                            std::mem::replace(&mut self.wait, Wait::Idle)
                        else {
                            unreachable!("matched above")
                        };
                        return Err(format!(
                            "{client}: the command did not finish within 60 s of simulated time"
                        ));
                    }
                }
                return Ok(false);
            }
            Wait::Settle { what, limit } => {
                match self.sim.advance(limit, ensemble_settled) {
                    Advance::Done => self.wait = Wait::Finish,
                    Advance::Stepped => {}
                    Advance::Exhausted => {
                        self.wait = Wait::Idle;
                        return Err(format!(
                            "{what}: the ensemble did not settle within 60 s of simulated time"
                        ));
                    }
                }
                return Ok(false);
            }
            _ => {}
        }
        let wait = std::mem::replace(&mut self.wait, Wait::Idle);
        let next = match wait {
            Wait::Idle => return Ok(true),
            Wait::Finish => {
                let own = self.own;
                self.flush(own);
                return Ok(true);
            }
            Wait::Settle { .. } | Wait::Command { .. } => unreachable!("stepped in place above"),
            Wait::StartInOrder { mut rest, limit } => {
                match self.sim.advance(limit, ensemble_settled) {
                    Advance::Done => match rest.pop() {
                        Some(next) => {
                            self.sim.apply(Input::Start(next));
                            Wait::StartInOrder {
                                rest,
                                limit: self.sim.now().plus(SETTLE_LIMIT_MS),
                            }
                        }
                        None => Wait::Finish,
                    },
                    Advance::Stepped => Wait::StartInOrder { rest, limit },
                    Advance::Exhausted => {
                        return Err(
                            "start: the ensemble did not settle within 60 s of simulated time"
                                .into(),
                        );
                    }
                }
            }
            Wait::Until(t) => match self.sim.advance(t, |_| false) {
                Advance::Stepped => Wait::Until(t),
                _ => Wait::Finish,
            },
            Wait::Steps(n) => {
                if n == 0 || self.sim.step().is_none() || n == 1 {
                    Wait::Finish
                } else {
                    Wait::Steps(n - 1)
                }
            }
            Wait::AwaitLeader { limit } => {
                match self.sim.advance(limit, |s| {
                    ensemble_settled(s) && s.established_leader().is_some()
                }) {
                    Advance::Done => Wait::Finish,
                    Advance::Stepped => Wait::AwaitLeader { limit },
                    Advance::Exhausted => {
                        return Err(
                            "await leader: no leader established within 60 s of simulated time"
                                .into(),
                        );
                    }
                }
            }
            Wait::ExpireGone {
                id,
                session,
                client,
                limit,
            } => match self.sim.advance(limit, |s| !s.session_known(session)) {
                Advance::Done => {
                    self.sim.client_do(id, |c, ctx| c.set_frozen(ctx, false));
                    Wait::ExpireClosed {
                        id,
                        limit: self.sim.now().plus(SETTLE_LIMIT_MS),
                    }
                }
                Advance::Stepped => Wait::ExpireGone {
                    id,
                    session,
                    client,
                    limit,
                },
                Advance::Exhausted => {
                    self.sim.client_do(id, |c, ctx| c.set_frozen(ctx, false));
                    return Err(format!(
                        "expire {client}: the ensemble did not expire the session within 120 s"
                    ));
                }
            },
            Wait::RecipeJoin {
                current,
                mut rest,
                spec,
                line,
                limit,
            } => match self.sim.advance(limit, |s| recipe_at_rest(s, current)) {
                Advance::Done => {
                    self.flush(Some(current));
                    match rest.pop() {
                        Some(next) => {
                            self.own = Some(next);
                            self.sim
                                .client_do(next, |c, ctx| c.recipe_start(ctx, line, &spec));
                            Wait::RecipeJoin {
                                current: next,
                                rest,
                                spec,
                                line,
                                limit: self.sim.now().plus(SETTLE_LIMIT_MS),
                            }
                        }
                        None => Wait::Finish,
                    }
                }
                Advance::Stepped => Wait::RecipeJoin {
                    current,
                    rest,
                    spec,
                    line,
                    limit,
                },
                Advance::Exhausted => {
                    let name = self.sim.client(current).name.clone();
                    return Err(format!(
                        "recipe: {name} did not come to rest within 60 s of simulated time"
                    ));
                }
            },
            Wait::RecipeSettle { id, client, limit } => {
                match self.sim.advance(limit, |s| recipe_at_rest(s, id)) {
                    Advance::Done => Wait::Finish,
                    Advance::Stepped => Wait::RecipeSettle { id, client, limit },
                    Advance::Exhausted => {
                        return Err(format!(
                            "recipe: {client} did not come to rest within 60 s of simulated time"
                        ));
                    }
                }
            }
            Wait::ExpireClosed { id, limit } => {
                match self.sim.advance(limit, |s| {
                    s.client(id).state == crate::client::ClientState::Closed
                }) {
                    Advance::Stepped => Wait::ExpireClosed { id, limit },
                    _ => Wait::Settle {
                        what: "expire",
                        limit: self.sim.now().plus(SETTLE_LIMIT_MS),
                    },
                }
            }
        };
        self.wait = next;
        Ok(false)
    }

    /// Takes the client outputs produced so far into the trace (and keeps them for a view
    /// that asked).
    fn flush(&mut self, own: Option<ClientId>) {
        let outs = self.sim.take_client_outputs();
        if outs.is_empty() {
            return;
        }
        if self.record_trace {
            self.trace_outputs(own, &outs);
        }
        if let Some(kept) = &mut self.kept {
            kept.extend(outs);
        }
    }

    /// Writes `outs` into the trace: `own`'s first, then every other client's in the order
    /// the clients were created.
    fn trace_outputs(&mut self, own: Option<ClientId>, outs: &[crate::client::ClientOutput]) {
        let names: std::collections::BTreeMap<SessionId, String> = self
            .sim
            .clients()
            .iter()
            .filter(|c| c.session.0 != 0)
            .map(|c| (c.session, c.name.clone()))
            .collect();
        let mut order: Vec<ClientId> = Vec::new();
        if let Some(o) = own {
            order.push(o);
        }
        for c in self.sim.clients() {
            if Some(c.id) != own {
                order.push(c.id);
            }
        }
        for cid in order {
            for o in outs.iter().filter(|o| o.client == cid) {
                let name = &self.sim.client(cid).name;
                self.trace.push(output_json(name, &o.output, &names));
            }
        }
    }
}

/// A recipe client has come to rest (waiting, leading, holding or over) and no client work
/// is in flight.
fn recipe_at_rest(sim: &Sim, id: ClientId) -> bool {
    let c = sim.client(id);
    let rest = c.recipe().is_none_or(|r| r.settled() || r.role.is_over())
        || c.state == crate::client::ClientState::Closed;
    rest && !c.busy() && sim.no_client_work_in_flight()
}

/// The quiescence rule of the scenario language.
pub fn ensemble_settled(sim: &Sim) -> bool {
    let cfg = sim.config();
    let running_voters = sim
        .servers()
        .iter()
        .filter(|s| s.up && cfg.is_voter(s.id))
        .count();
    let servers_ok = if cfg.is_quorum(running_voters) {
        // The O(1) counter first: while an election runs, most steps stop here.
        if !sim.no_election_traffic() {
            return false;
        }
        let Some(l) = sim.established_leader() else {
            return false;
        };
        let epoch = l.disk.current_epoch;
        sim.servers().iter().filter(|s| s.up).all(|s| {
            s.is_serving()
                && s.current_vote.id == l.id.0 as i64
                && s.disk.current_epoch == epoch
                && (s.id == l.id
                    || s.state
                        == if cfg.is_voter(s.id) {
                            ServerState::Following
                        } else {
                            ServerState::Observing
                        })
        })
    } else {
        sim.servers()
            .iter()
            .filter(|s| s.up)
            .all(|s| s.state == ServerState::Looking)
    };
    servers_ok && clients_settled(sim)
}

fn clients_settled(sim: &Sim) -> bool {
    if !sim.no_client_work_in_flight() {
        return false;
    }
    let any_serving = sim.servers().iter().any(|s| s.is_serving());
    sim.clients().iter().all(|c| {
        use crate::client::ClientState::*;
        match c.state {
            Closed | NotConnected => true,
            Connected => c.established && !c.busy(),
            Connecting => !any_serving || c.frozen,
        }
    })
}

/// The `status` line.
pub fn status_json(sim: &Sim, line: u32) -> String {
    let mut status = Map::new();
    for (id, st) in sim.server_states() {
        status.insert(id.0.to_string(), Value::String(st.name().to_string()));
    }
    let (leader, epoch) = match sim.established_leader() {
        Some(l) => (
            json!(l.id.0),
            json!(
                l.leader_state()
                    .and_then(|x| x.epoch)
                    .unwrap_or(l.disk.current_epoch)
            ),
        ),
        None => (Value::Null, Value::Null),
    };
    let mut o = Map::new();
    o.insert("line".into(), json!(line));
    o.insert("status".into(), Value::Object(status));
    o.insert("leader".into(), leader);
    o.insert("epoch".into(), epoch);
    Value::Object(o).to_string()
}

/// The `4lw` line: `{"line":L,"server":2,"4lw":"srvr","output":"…"}`.
pub fn four_letter_json(line: u32, server: ServerId, word: &str, output: &str) -> String {
    let mut o = Map::new();
    o.insert("line".into(), json!(line));
    o.insert("server".into(), json!(server.0));
    o.insert("4lw".into(), json!(word));
    o.insert("output".into(), json!(output));
    Value::Object(o).to_string()
}

/// The `mode` line: `{"line":L,"server":2,"mode":"leader"}` (`null` without a Mode line).
pub fn mode_json(line: u32, server: ServerId, mode: Option<&str>) -> String {
    let mut o = Map::new();
    o.insert("line".into(), json!(line));
    o.insert("server".into(), json!(server.0));
    o.insert("mode".into(), json!(mode));
    Value::Object(o).to_string()
}

/// A stat as the trace prints it.
pub fn stat_json(s: &Stat, names: &std::collections::BTreeMap<SessionId, String>) -> Value {
    let mut o = Map::new();
    o.insert("czxid".into(), json!(s.czxid.to_string()));
    o.insert("mzxid".into(), json!(s.mzxid.to_string()));
    o.insert("pzxid".into(), json!(s.pzxid.to_string()));
    o.insert("version".into(), json!(s.version));
    o.insert("cversion".into(), json!(s.cversion));
    o.insert("aversion".into(), json!(s.aversion));
    o.insert("dataLength".into(), json!(s.data_length));
    o.insert("numChildren".into(), json!(s.num_children));
    let owner = if s.ephemeral_owner.0 == 0 {
        Value::Null
    } else {
        names
            .get(&s.ephemeral_owner)
            .map(|n| json!(n))
            .unwrap_or_else(|| json!(s.ephemeral_owner.to_string()))
    };
    o.insert("ephemeralOwner".into(), owner);
    Value::Object(o)
}

fn output_json(
    client: &str,
    out: &Output,
    names: &std::collections::BTreeMap<SessionId, String>,
) -> String {
    let mut o = Map::new();
    match out {
        Output::State(s) => {
            o.insert("client".into(), json!(client));
            o.insert("state".into(), json!(s.name()));
        }
        Output::Watch(ev) => {
            o.insert("client".into(), json!(client));
            o.insert("event".into(), json!(ev.kind.name()));
            o.insert("path".into(), json!(ev.path));
        }
        Output::Recipe(n) => {
            o.insert("client".into(), json!(client));
            o.insert("recipe".into(), json!(n.recipe));
            o.insert("role".into(), json!(n.role.name()));
            if let Some(node) = &n.node {
                o.insert("node".into(), json!(node));
            }
            if let Some(w) = &n.watches {
                o.insert("watches".into(), json!(w));
            }
        }
        Output::Result { tag, text, outcome } => {
            o.insert("line".into(), json!(tag));
            o.insert("client".into(), json!(client));
            o.insert("cmd".into(), json!(text));
            o.insert("ok".into(), json!(outcome.is_ok()));
            match outcome {
                Err(e) => {
                    o.insert("err".into(), json!(e.name()));
                }
                Ok(CmdValue::Done) => {}
                Ok(CmdValue::Created(p)) => {
                    o.insert("path".into(), json!(p));
                }
                Ok(CmdValue::Data(d, s)) => {
                    let data = match d {
                        Some(b) => json!(String::from_utf8_lossy(b)),
                        None => Value::Null,
                    };
                    o.insert("data".into(), data);
                    o.insert("stat".into(), stat_json(s, names));
                }
                Ok(CmdValue::Children(c, s)) => {
                    o.insert("children".into(), json!(c));
                    if let Some(s) = s {
                        o.insert("stat".into(), stat_json(s, names));
                    }
                }
                Ok(CmdValue::Paths(p)) => {
                    o.insert("paths".into(), json!(p));
                }
                Ok(CmdValue::Acl(a, s)) => {
                    o.insert("acl".into(), json!(a));
                    o.insert("stat".into(), stat_json(s, names));
                }
                Ok(CmdValue::Stat(s)) => {
                    o.insert("stat".into(), stat_json(s, names));
                }
            }
        }
    }
    Value::Object(o).to_string()
}

#[allow(dead_code)]
fn _unused(_: ServerId, _: SimTime) {}
