//! The playground's scenario: how many servers, zoo.cfg timing, the network and the seed.
//! It builds the starting simulation and has a `.zks` form for sharing and for the JS API.

use zkplay_core::{Input, ServerId, Sim, SimConfig};

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
}
