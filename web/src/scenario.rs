//! The playground's scenario: how many servers, zoo.cfg timing, the network and the seed.
//! It builds the starting simulation and has a `.zks` form for sharing and for the JS API.

use zkplay_core::zoocfg::{self, ZooCfgError};
use zkplay_core::{Input, ServerId, Sim, SimConfig};

use crate::i18n::{Key, Lang, fill};

/// The most voters the page draws (the 1..=51).
pub const MAX_VOTERS: u8 = 51;
/// The most observers the page draws.
pub const MAX_OBSERVERS: u8 = 9;

/// Everything that makes up a fresh run of the playground.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Voting servers, ids 1..=voters.
    pub voters: u8,
    /// Observers, ids voters+1..=voters+observers.
    pub observers: u8,
    /// zoo.cfg tickTime in ms.
    pub tick_time: u64,
    /// zoo.cfg initLimit in ticks.
    pub init_limit: u64,
    /// zoo.cfg syncLimit in ticks.
    pub sync_limit: u64,
    /// One-way link delay range in ms.
    pub latency: (u64, u64),
    /// Loss probability in parts per million.
    pub loss_ppm: u32,
    /// The seed of every random choice.
    pub seed: u64,
}

impl Default for Scenario {
    /// Five servers on a slowish network so that the election can be watched, all started at
    /// the same instant: pressing play shows the election.
    fn default() -> Self {
        Scenario {
            voters: 5,
            observers: 0,
            tick_time: 2000,
            init_limit: 10,
            sync_limit: 5,
            latency: (20, 60),
            loss_ppm: 0,
            seed: 1,
        }
    }
}

impl Scenario {
    /// The scenario with its values brought into the ranges the page supports.
    pub fn clamped(mut self) -> Scenario {
        self.voters = self.voters.clamp(1, MAX_VOTERS);
        self.observers = self.observers.min(MAX_OBSERVERS);
        self.tick_time = self.tick_time.clamp(10, 60_000);
        self.init_limit = self.init_limit.clamp(1, 100);
        self.sync_limit = self.sync_limit.clamp(1, 100);
        self.latency.0 = self.latency.0.min(10_000);
        self.latency.1 = self.latency.1.clamp(self.latency.0, 10_000);
        self.loss_ppm = self.loss_ppm.min(1_000_000);
        self
    }

    /// Observer ids.
    pub fn observer_ids(&self) -> Vec<ServerId> {
        (1..=self.observers)
            .map(|i| ServerId(self.voters + i))
            .collect()
    }

    /// The simulation's configuration.
    pub fn config(&self) -> SimConfig {
        let mut cfg = SimConfig::new(self.voters, self.observer_ids());
        cfg.tick_time = self.tick_time;
        cfg.init_limit = self.init_limit;
        cfg.sync_limit = self.sync_limit;
        cfg.latency = self.latency;
        cfg.loss_ppm = self.loss_ppm;
        cfg.seed = self.seed;
        cfg.reindex();
        cfg
    }

    /// The starting simulation: every server started at time 0, nothing delivered yet.
    pub fn build(&self) -> Sim {
        let cfg = self.config();
        let ids = cfg.ids().to_vec();
        let mut sim = Sim::new(cfg);
        for id in ids {
            sim.apply(Input::Start(id));
        }
        sim
    }

    /// The scenario as a `.zks` script (docs/scenario-script.md).
    pub fn to_script(&self) -> String {
        let mut s = format!("servers {}", self.voters);
        if self.observers > 0 {
            s.push_str(" observers");
            for id in self.observer_ids() {
                s.push_str(&format!(" {}", id.0));
            }
        }
        s.push('\n');
        s.push_str(&format!(
            "config tickTime={} initLimit={} syncLimit={}\n",
            self.tick_time, self.init_limit, self.sync_limit
        ));
        let latency = if self.latency.0 == self.latency.1 {
            format!("{}ms", self.latency.0)
        } else {
            format!("{}..{}ms", self.latency.0, self.latency.1)
        };
        s.push_str(&format!(
            "network latency={latency} loss={} seed={}\n",
            loss_text(self.loss_ppm),
            self.seed
        ));
        s.push_str("start");
        for i in 1..=(self.voters as u16 + self.observers as u16) {
            s.push_str(&format!(" {i}"));
        }
        s.push_str(" together\n");
        s
    }
}

/// Why a pasted zoo.cfg was not applied: the file itself is wrong (the core's message), or it
/// asks for more than the page draws. Each names a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZooCfgProblem {
    /// The core's zoo.cfg parser refused the file.
    Parse(ZooCfgError),
    /// More voters than [`MAX_VOTERS`]; the line of the first voter past the limit.
    TooManyVoters {
        /// 1-based line.
        line: u32,
        /// Voters in the file.
        voters: u8,
    },
    /// More observers than [`MAX_OBSERVERS`].
    TooManyObservers {
        /// 1-based line.
        line: u32,
        /// Observers in the file.
        observers: usize,
    },
    /// The page numbers observers voters+1, voters+2, …; this one is not.
    ObserverId {
        /// 1-based line.
        line: u32,
        /// The observer's id.
        id: u8,
        /// The id the page would give it.
        expected: u8,
    },
    /// A timing key outside the range of its field.
    OutOfRange {
        /// 1-based line.
        line: u32,
        /// tickTime, initLimit or syncLimit.
        key: &'static str,
        /// The file's value.
        value: u64,
        /// The field's range.
        min: u64,
        /// The field's range.
        max: u64,
    },
}

impl ZooCfgProblem {
    /// The line of the file it is about.
    pub fn line(&self) -> u32 {
        match self {
            ZooCfgProblem::Parse(e) => e.line,
            ZooCfgProblem::TooManyVoters { line, .. }
            | ZooCfgProblem::TooManyObservers { line, .. }
            | ZooCfgProblem::ObserverId { line, .. }
            | ZooCfgProblem::OutOfRange { line, .. } => *line,
        }
    }

    /// `line N: what is wrong`, in the page's language (the parser's own messages are
    /// ZooKeeper's English, like script errors).
    pub fn text(&self, lang: Lang) -> String {
        let what = match self {
            ZooCfgProblem::Parse(e) => e.message.clone(),
            ZooCfgProblem::TooManyVoters { voters, .. } => fill(
                Key::ZooCfgTooManyVoters.text(lang),
                &[&MAX_VOTERS.to_string(), &voters.to_string()],
            ),
            ZooCfgProblem::TooManyObservers { observers, .. } => fill(
                Key::ZooCfgTooManyObservers.text(lang),
                &[&MAX_OBSERVERS.to_string(), &observers.to_string()],
            ),
            ZooCfgProblem::ObserverId { id, expected, .. } => fill(
                Key::ZooCfgObserverId.text(lang),
                &[&id.to_string(), &expected.to_string()],
            ),
            ZooCfgProblem::OutOfRange {
                key,
                value,
                min,
                max,
                ..
            } => fill(
                Key::ZooCfgOutOfRange.text(lang),
                &[key, &min.to_string(), &max.to_string(), &value.to_string()],
            ),
        };
        fill(
            Key::ZooCfgLine.text(lang),
            &[&self.line().to_string(), &what],
        )
    }
}

impl Scenario {
    /// This scenario with the servers, observers and timing of a pasted zoo.cfg (the network and
    /// the seed stay). A key the file leaves out takes the value `zkplay zoocfg` would run
    /// with: tickTime 3000 (ZooKeeper's default), initLimit 10 and syncLimit 5 (the
    /// simulator's, for a standalone server). Anything the page cannot draw is an error, not
    /// clamped: the user sees why their file was not taken.
    pub fn with_zoo_cfg(&self, text: &str) -> Result<Scenario, ZooCfgProblem> {
        let cfg = zoocfg::parse(text).map_err(ZooCfgProblem::Parse)?;
        let voters = cfg.voters();
        if voters > MAX_VOTERS {
            let line = cfg
                .servers
                .iter()
                .filter(|s| !s.observer)
                .nth(MAX_VOTERS as usize)
                .map_or(cfg.last_line, |s| s.line);
            return Err(ZooCfgProblem::TooManyVoters { line, voters });
        }
        let observers: Vec<_> = cfg.servers.iter().filter(|s| s.observer).collect();
        if let Some(o) = observers.get(MAX_OBSERVERS as usize) {
            return Err(ZooCfgProblem::TooManyObservers {
                line: o.line,
                observers: observers.len(),
            });
        }
        for (i, o) in observers.iter().enumerate() {
            let expected = voters + 1 + i as u8;
            if o.id.0 != expected {
                return Err(ZooCfgProblem::ObserverId {
                    line: o.line,
                    id: o.id.0,
                    expected,
                });
            }
        }
        let field = |key: &'static str, s: Option<zoocfg::Setting>, default: u64, min, max| {
            let value = s.map_or(default, |s| s.value);
            if (min..=max).contains(&value) {
                Ok(value)
            } else {
                Err(ZooCfgProblem::OutOfRange {
                    line: s.map_or(cfg.last_line, |s| s.line),
                    key,
                    value,
                    min,
                    max,
                })
            }
        };
        let defaults = SimConfig::new(1, Vec::new());
        Ok(Scenario {
            voters,
            observers: observers.len() as u8,
            tick_time: field(
                "tickTime",
                cfg.tick_time,
                zoocfg::DEFAULT_TICK_TIME,
                10,
                60_000,
            )?,
            init_limit: field("initLimit", cfg.init_limit, defaults.init_limit, 1, 100)?,
            sync_limit: field("syncLimit", cfg.sync_limit, defaults.sync_limit, 1, 100)?,
            ..self.clone()
        })
    }
}

/// A loss probability in ppm as a decimal (`0`, `0.05`, `1`).
pub fn loss_text(ppm: u32) -> String {
    if ppm == 0 {
        return "0".into();
    }
    if ppm >= 1_000_000 {
        return "1".into();
    }
    let s = format!("0.{ppm:06}");
    s.trim_end_matches('0').to_string()
}

/// Parses a loss probability typed as a decimal or a percentage (`0.05`, `5%`) into ppm.
pub fn parse_loss(text: &str) -> Option<u32> {
    let t = text.trim();
    let (t, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 10_000.0),
        None => (t, 1_000_000.0),
    };
    let v: f64 = t.parse().ok()?;
    let ppm = (v * scale).round();
    (v >= 0.0 && ppm <= 1_000_000.0).then_some(ppm as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::ServerState;

    #[test]
    fn default_starts_five_looking_servers_with_votes_in_flight() {
        let mut sim = Scenario::default().build();
        let states = sim.server_states();
        assert_eq!(states.len(), 5);
        assert!(states.iter().all(|(_, s)| *s == ServerState::Looking));
        assert!(sim.in_flight().count() >= 20, "every vote to every voter");
        assert_eq!(sim.steps(), 0);
        assert!(sim.next_time().is_some());
    }

    #[test]
    fn script_form_parses_and_elects_the_same_way() {
        let sc = Scenario {
            observers: 2,
            loss_ppm: 50_000,
            ..Scenario::default()
        };
        let text = sc.to_script();
        assert!(text.starts_with("servers 5 observers 6 7\n"), "{text}");
        assert!(text.contains("loss=0.05 seed=1"), "{text}");
        let script = zkplay_core::script::parse(&text).expect("parses");
        assert_eq!(zkplay_core::script::runner::config_of(&script), sc.config());
    }

    #[test]
    fn loss_round_trips() {
        assert_eq!(loss_text(0), "0");
        assert_eq!(loss_text(10_000), "0.01");
        assert_eq!(loss_text(1_000_000), "1");
        assert_eq!(parse_loss("0.01"), Some(10_000));
        assert_eq!(parse_loss("5%"), Some(50_000));
        assert_eq!(parse_loss("2"), None);
        assert_eq!(parse_loss("x"), None);
    }

    #[test]
    fn clamping_keeps_the_page_in_range() {
        let sc = Scenario {
            voters: 200,
            observers: 40,
            latency: (50, 10),
            ..Scenario::default()
        }
        .clamped();
        assert_eq!((sc.voters, sc.observers), (MAX_VOTERS, MAX_OBSERVERS));
        assert_eq!(sc.latency, (50, 50));
    }

    #[test]
    fn a_pasted_zoo_cfg_sets_servers_and_timing_and_keeps_the_network() {
        let before = Scenario {
            latency: (3, 9),
            loss_ppm: 10_000,
            seed: 77,
            ..Scenario::default()
        };
        let text = "tickTime=200\ninitLimit=20\nsyncLimit=10\ndataDir=/zk\n\
                    server.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n\
                    server.4=d:2888:3888:observer\n";
        let sc = before.with_zoo_cfg(text).expect("applies");
        assert_eq!(
            sc,
            Scenario {
                voters: 3,
                observers: 1,
                tick_time: 200,
                init_limit: 20,
                sync_limit: 10,
                ..before.clone()
            }
        );
        // The page's script form agrees with `zkplay zoocfg`'s header.
        let header = zkplay_core::zoocfg::parse(text).unwrap().to_script_header();
        assert!(sc.to_script().starts_with(&header), "{}", sc.to_script());
        // Left-out keys: ZooKeeper's tickTime, the simulator's limits (standalone server).
        let sc = before.with_zoo_cfg("server.1=a:2888:3888\n").unwrap();
        assert_eq!(
            (
                sc.voters,
                sc.observers,
                sc.tick_time,
                sc.init_limit,
                sc.sync_limit
            ),
            (1, 0, 3000, 10, 5)
        );
    }

    #[test]
    fn a_bad_zoo_cfg_names_its_line_in_both_languages() {
        let sc = Scenario::default();
        let p = sc
            .with_zoo_cfg("initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.x=b:1:2\n")
            .unwrap_err();
        assert_eq!(p.line(), 4);
        assert_eq!(p.text(Lang::En), "line 4: server.x: \"x\" is not a number");
        assert_eq!(p.text(Lang::Zh), "第 4 行：server.x: \"x\" is not a number");

        // What the simulator runs but the page cannot draw is an error too, never clamped.
        let mut big = String::from("initLimit=5\nsyncLimit=2\n");
        for i in 1..=52 {
            big.push_str(&format!("server.{i}=h:1:2\n"));
        }
        let p = sc.with_zoo_cfg(&big).unwrap_err();
        assert_eq!(
            p,
            ZooCfgProblem::TooManyVoters {
                line: 54,
                voters: 52
            }
        );
        assert_eq!(
            p.text(Lang::En),
            "line 54: the page draws at most 51 voters, this file has 52"
        );
        let mut many = String::from(
            "initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=a:1:2\nserver.3=a:1:2\n",
        );
        for i in 4..=13 {
            many.push_str(&format!("server.{i}=o:1:2:observer\n"));
        }
        assert_eq!(
            sc.with_zoo_cfg(&many).unwrap_err().text(Lang::En),
            "line 15: the page draws at most 9 observers, this file has 10"
        );
        let gap = "initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=a:1:2\nserver.3=a:1:2\nserver.5=o:1:2:observer\n";
        assert_eq!(
            sc.with_zoo_cfg(gap).unwrap_err().text(Lang::En),
            "line 6: the page numbers observers right after the voters: server.5 would have to be server.4"
        );
        let slow = "tickTime=120000\nserver.1=a:1:2\n";
        assert_eq!(
            sc.with_zoo_cfg(slow).unwrap_err().text(Lang::Zh),
            "第 1 行：页面的 tickTime 取值范围是 10 到 60000，这个文件里是 120000"
        );
        let lax = "initLimit=500\nsyncLimit=2\nserver.1=a:1:2\nserver.2=a:1:2\n";
        assert_eq!(
            sc.with_zoo_cfg(lax).unwrap_err().text(Lang::En),
            "line 1: the page takes initLimit from 1 to 100, this file has 500"
        );
        // User text is only ever text: markup comes back as it was, inside the message.
        let p = sc.with_zoo_cfg("server.<b>1</b>=x\n").unwrap_err();
        assert!(
            p.text(Lang::En).contains("\"<b>1</b>\" is not a number"),
            "{}",
            p.text(Lang::En)
        );
    }
}
