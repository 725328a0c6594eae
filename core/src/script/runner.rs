//! Runs a parsed script against a [`Sim`] and produces its JSON-lines trace
//! (spec: docs/scenario-script.md).

use serde_json::{Map, Value, json};

use crate::client::{CmdValue, Output};
use crate::config::SimConfig;
use crate::msg::ClientId;
use crate::script::ast::{Directive, Script};
use crate::sim::{Input, Sim};
use crate::tree::Stat;
use crate::{ServerId, ServerState, SessionId, SimTime};

/// How long `start`, `crash`, `restart`, `await leader` and client lines may run before the
/// script fails: 60 s of simulated time.
pub const SETTLE_LIMIT_MS: u64 = 60_000;

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
    let script = crate::script::parse(src).map_err(|e| RunError {
        file: file.to_string(),
        line: e.line,
        col: e.col,
        message: e.message.clone(),
    })?;
    let mut r = Runner::new(&script, opts);
    for line in &script.lines {
        r.exec(line.line, &line.directive)
            .map_err(|message| RunError {
                file: file.to_string(),
                line: line.line,
                col: 1,
                message,
            })?;
        if let Some((step, v)) = r.sim.violation() {
            let message = format!("invariant violated at step {step}: {v}");
            return Err(RunError {
                file: file.to_string(),
                line: line.line,
                col: 1,
                message,
            });
        }
    }
    let events = if opts.events {
        r.sim
            .events()
            .iter()
            .map(|e| e.to_json().to_string())
            .collect()
    } else {
        Vec::new()
    };
    Ok(RunOutput {
        trace: r.trace,
        events,
        sim: r.sim,
    })
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
pub struct Runner {
    /// The simulation.
    pub sim: Sim,
    /// Trace lines so far.
    pub trace: Vec<String>,
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
        }
    }

    /// Runs one directive.
    pub fn exec(&mut self, line: u32, d: &Directive) -> Result<(), String> {
        let mut own: Option<ClientId> = None;
        match d {
            Directive::Servers { .. }
            | Directive::Config(_)
            | Directive::Network(_)
            | Directive::History { .. } => {}
            Directive::Start { servers, together } => {
                if *together {
                    for s in servers {
                        self.sim.apply(Input::Start(*s));
                    }
                    self.settle("start")?;
                } else {
                    for s in servers {
                        self.sim.apply(Input::Start(*s));
                        self.settle("start")?;
                    }
                }
            }
            Directive::Crash(s) => {
                self.sim.apply(Input::Crash(*s));
                self.settle("crash")?;
            }
            Directive::Restart(s) => {
                self.sim.apply(Input::Start(*s));
                self.settle("restart")?;
            }
            Directive::Partition { sides, one_way } => {
                self.sim.apply(Input::Partition {
                    sides: sides.clone(),
                    one_way: *one_way,
                });
            }
            Directive::Heal => self.sim.apply(Input::Heal),
            Directive::Run(ms) => {
                let t = self.sim.now().plus(*ms);
                self.sim.run_until(t);
            }
            Directive::Step(n) => {
                for _ in 0..*n {
                    if self.sim.step().is_none() {
                        break;
                    }
                }
            }
            Directive::AwaitLeader => {
                let limit = self.sim.now().plus(SETTLE_LIMIT_MS);
                if !self.sim.run_while_not(limit, |s| {
                    ensemble_settled(s) && s.established_leader().is_some()
                }) {
                    return Err(
                        "await leader: no leader established within 60 s of simulated time".into(),
                    );
                }
            }
            Directive::Status => {
                self.flush(None);
                let line_json = status_json(&self.sim, line);
                self.trace.push(line_json);
                return Ok(());
            }
            Directive::Connect {
                client,
                server,
                timeout,
            } => {
                let id = self.sim.add_client(client);
                own = Some(id);
                self.sim
                    .client_do(id, |c, ctx| c.connect(ctx, *server, *timeout));
                self.settle("connect")?;
            }
            Directive::Client { client, text, cmd } => {
                let id = self
                    .sim
                    .client_by_name(client)
                    .ok_or_else(|| format!("unknown client {client}"))?;
                own = Some(id);
                let cmd = cmd.clone();
                self.sim
                    .client_do(id, |c, ctx| c.exec(ctx, line, text, cmd));
                let limit = self.sim.now().plus(SETTLE_LIMIT_MS);
                let done = self.sim.run_while_not(limit, |s| {
                    !s.client(id).busy() && s.no_client_work_in_flight()
                });
                if !done {
                    return Err(format!(
                        "{client}: the command did not finish within 60 s of simulated time"
                    ));
                }
            }
            Directive::Expire(client) => {
                let id = self
                    .sim
                    .client_by_name(client)
                    .ok_or_else(|| format!("unknown client {client}"))?;
                self.sim.client_do(id, |c, ctx| c.set_frozen(ctx, true));
                let session = self.sim.client(id).session;
                let limit = self.sim.now().plus(SETTLE_LIMIT_MS * 2);
                let gone = self.sim.run_while_not(limit, |s| !s.session_known(session));
                self.sim.client_do(id, |c, ctx| c.set_frozen(ctx, false));
                if !gone {
                    return Err(format!(
                        "expire {client}: the ensemble did not expire the session within 120 s"
                    ));
                }
                let limit = self.sim.now().plus(SETTLE_LIMIT_MS);
                self.sim.run_while_not(limit, |s| {
                    s.client(id).state == crate::client::ClientState::Closed
                });
                self.settle("expire")?;
            }
        }
        self.flush(own);
        Ok(())
    }

    fn settle(&mut self, what: &str) -> Result<(), String> {
        let limit = self.sim.now().plus(SETTLE_LIMIT_MS);
        if self.sim.run_while_not(limit, ensemble_settled) {
            Ok(())
        } else {
            Err(format!(
                "{what}: the ensemble did not settle within 60 s of simulated time"
            ))
        }
    }

    /// Appends the client outputs produced so far: the directive's own client first, then the
    /// others in the order they were created.
    fn flush(&mut self, own: Option<ClientId>) {
        let outs = self.sim.take_client_outputs();
        if outs.is_empty() {
            return;
        }
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

/// The quiescence rule of the scenario language.
pub fn ensemble_settled(sim: &Sim) -> bool {
    let cfg = sim.config();
    let running_voters = sim
        .servers()
        .iter()
        .filter(|s| s.up && cfg.is_voter(s.id))
        .count();
    let servers_ok = if cfg.is_quorum(running_voters) {
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
        }) && sim.no_election_traffic()
    } else {
        sim.servers()
            .iter()
            .filter(|s| s.up)
            .all(|s| s.state == ServerState::Looking)
    };
    servers_ok && clients_settled(sim)
}

fn clients_settled(sim: &Sim) -> bool {
    let any_serving = sim.servers().iter().any(|s| s.is_serving());
    sim.clients().iter().all(|c| {
        use crate::client::ClientState::*;
        match c.state {
            Closed | NotConnected => true,
            Connected => c.established && !c.busy(),
            Connecting => !any_serving || c.frozen,
        }
    }) && sim.no_client_work_in_flight()
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
