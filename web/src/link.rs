//! The page's side of share links ([`crate::share`] is the format): what a link says about the
//! run on screen, and the run a link asks for.
//!
//! A scenario link carries the script text of the run (the playground's scenario in its `.zks`
//! form, a lesson's script, or the user's own), the position, the simulated time shown, the
//! actions the user took on the timeline (as short texts, [`act_text`]), the language and the
//! open tab. Opening it builds the same run, replays the same actions at the same positions
//! and times, and stops at the same position: the same server states and the same simulated
//! time. A lesson standing at one of its stops gets the short form, `#lesson=NAME&step=K`.
//!
//! Nothing from a link runs until it has been decoded and checked in full: a bad link, an
//! action that does not parse or a script that does not parse leaves the default scenario.

use zkplay_core::lessons;
use zkplay_core::script::parse_zk_command;
use zkplay_core::script::runner::config_of;
use zkplay_core::sim::MsgId;
use zkplay_core::{Input, ServerId};

use crate::engine::{Act, Engine, Origin};
use crate::i18n::Lang;
use crate::scenario::Scenario as Playground;
use crate::share::{self, Link, SharedAct};
use crate::store::Tab;

/// The most steps opening a link may take (a link from a real session is far below this).
pub const MAX_OPEN_STEPS: u64 = 2_000_000;

/// The file name scripts from links get in error messages.
pub const LINK_FILE: &str = "link.zks";

/// An action as a link carries it: `start 2`, `crash 2`, `partition 1 2 / 3`,
/// `partition 1 -> 2 3`, `link 1 2 cut`, `link 1 2 restore`, `heal`, `drop 7`, `hold 7`,
/// `release 7`, `connect c1 to 2 timeout 4000`, `c1: create /a x`.
pub fn act_text(act: &Act) -> String {
    let ids = |s: &[ServerId]| {
        s.iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match act {
        Act::Input(i) => match i {
            Input::Start(s) => format!("start {}", s.0),
            Input::Crash(s) => format!("crash {}", s.0),
            Input::Partition { sides, one_way } => {
                let sep = if *one_way { " -> " } else { " / " };
                let sides: Vec<String> = sides.iter().map(|s| ids(s)).collect();
                format!("partition {}", sides.join(sep))
            }
            Input::Link { from, to, cut } => format!(
                "link {} {} {}",
                from.0,
                to.0,
                if *cut { "cut" } else { "restore" }
            ),
            Input::Heal => "heal".into(),
            Input::Drop(m) => format!("drop {}", m.0),
            Input::Hold(m) => format!("hold {}", m.0),
            Input::Release(m) => format!("release {}", m.0),
        },
        Act::Connect {
            name,
            server,
            timeout,
        } => {
            let mut s = format!("connect {name}");
            if let Some(id) = server {
                s.push_str(&format!(" to {}", id.0));
            }
            if let Some(t) = timeout {
                s.push_str(&format!(" timeout {t}"));
            }
            s
        }
        Act::Command { client, text, .. } => format!("{client}: {text}"),
    }
}

fn client_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

/// Parses what [`act_text`] writes.
pub fn parse_act(text: &str) -> Result<Act, String> {
    let bad = || format!("not an action: {}", shorten(text));
    if let Some((name, line)) = text.split_once(": ")
        && client_name_ok(name)
    {
        return Ok(Act::Command {
            client: name.to_string(),
            text: line.to_string(),
            cmd: parse_zk_command(line).ok(),
        });
    }
    let words: Vec<&str> = text.split(' ').collect();
    let id = |w: &str| -> Result<ServerId, String> {
        match w.parse::<u8>() {
            Ok(n) if n > 0 && w.bytes().all(|b| b.is_ascii_digit()) => Ok(ServerId(n)),
            _ => Err(bad()),
        }
    };
    let msg = |w: &str| -> Result<MsgId, String> {
        if w.bytes().all(|b| b.is_ascii_digit()) {
            w.parse::<u64>().map(MsgId).map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let input = |i: Input| Ok(Act::Input(i));
    match words.as_slice() {
        ["start", s] => input(Input::Start(id(s)?)),
        ["crash", s] => input(Input::Crash(id(s)?)),
        ["heal"] => input(Input::Heal),
        ["drop", m] => input(Input::Drop(msg(m)?)),
        ["hold", m] => input(Input::Hold(msg(m)?)),
        ["release", m] => input(Input::Release(msg(m)?)),
        ["link", a, b, how] => {
            let cut = match *how {
                "cut" => true,
                "restore" => false,
                _ => return Err(bad()),
            };
            input(Input::Link {
                from: id(a)?,
                to: id(b)?,
                cut,
            })
        }
        ["partition", rest @ ..] if !rest.is_empty() => {
            let one_way = rest.contains(&"->");
            if one_way && rest.contains(&"/") {
                return Err(bad());
            }
            let sep = if one_way { "->" } else { "/" };
            let sides = rest
                .split(|w| *w == sep)
                .map(|side| {
                    if side.is_empty() {
                        Err(bad())
                    } else {
                        side.iter().map(|w| id(w)).collect::<Result<Vec<_>, _>>()
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            if sides.len() < 2 || (one_way && sides.len() != 2) {
                return Err(bad());
            }
            input(Input::Partition { sides, one_way })
        }
        ["connect", name, rest @ ..] if client_name_ok(name) => {
            let (mut server, mut timeout) = (None, None);
            let mut rest = rest;
            loop {
                match rest {
                    [] => break,
                    ["to", s, tail @ ..] if server.is_none() => {
                        server = Some(id(s)?);
                        rest = tail;
                    }
                    ["timeout", t, tail @ ..] if timeout.is_none() => {
                        if !t.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(bad());
                        }
                        timeout = Some(t.parse::<u64>().map_err(|_| bad())?);
                        rest = tail;
                    }
                    _ => return Err(bad()),
                }
            }
            Ok(Act::Connect {
                name: name.to_string(),
                server,
                timeout,
            })
        }
        _ => Err(bad()),
    }
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// The playground scenario whose `.zks` form is exactly `script`, if it is one: the page
/// builds that scenario (servers started together, nothing delivered) rather than playing the
/// script, so that positions mean the same as where the link was made.
pub fn playground_of(script: &str) -> Option<Playground> {
    let parsed = zkplay_core::script::parse(script).ok()?;
    let cfg = config_of(&parsed);
    let observers = cfg.observers.len();
    let sc = Playground {
        voters: cfg.voters,
        observers: u8::try_from(observers).ok()?,
        tick_time: cfg.tick_time,
        init_limit: cfg.init_limit,
        sync_limit: cfg.sync_limit,
        latency: cfg.latency,
        loss_ppm: cfg.loss_ppm,
        seed: cfg.seed,
    };
    (sc.clone().clamped() == sc && sc.to_script() == script).then_some(sc)
}

/// The script text of a run: the playground scenario's `.zks` form, or the script.
pub fn script_of(origin: &Origin) -> String {
    match origin {
        Origin::Scenario(sc) => sc.to_script(),
        Origin::Script { src, .. } => src.clone(),
    }
}

/// The tab a view name in a link stands for.
pub fn tab_of_view(view: &str) -> Option<Tab> {
    Tab::ALL.iter().copied().find(|t| t.id() == view)
}

/// What a scenario link says about `engine` shown at `time` (ms), in `lang`, with `tab` open.
pub fn scenario_of(engine: &Engine, time: f64, lang: Lang, tab: Tab) -> share::Scenario {
    let acts = engine
        .applied_acts()
        .map(|(pos, at, act)| SharedAct {
            pos,
            at,
            what: act_text(act),
        })
        .collect();
    let now = engine.sim().now().0 as f64;
    share::Scenario {
        script: script_of(engine.origin()),
        seed: engine.sim().config().seed,
        position: engine.pos(),
        time: if time > now && time.is_finite() {
            time
        } else {
            0.0
        },
        acts,
        lang,
        view: tab.id().to_string(),
    }
}

/// Why a link could not be opened: the link itself, or a lesson it names that does not exist,
/// or a script in it that does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// The link is bad.
    Link(share::LinkError),
    /// `#lesson=NAME` names no lesson.
    UnknownLesson(String),
    /// The link's script does not parse (`file:line:col: message`); the editor gets it.
    Script {
        /// The error.
        error: String,
        /// The script, so that it is not lost.
        script: String,
    },
}

/// A run a link asks for, ready to show.
pub struct Opened {
    /// The run, at the link's position.
    pub engine: Engine,
    /// The simulated time to show.
    pub time: f64,
    /// The language the link names, if any.
    pub lang: Option<Lang>,
    /// The tab to open, if the link names one.
    pub tab: Option<Tab>,
    /// For a lesson link: the lesson and the stop.
    pub lesson: Option<(&'static str, u32)>,
}

/// Builds the run for a decoded link. `Ok(None)` for an empty link.
pub fn open(link: Link) -> Result<Option<Opened>, OpenError> {
    match link {
        Link::Empty => Ok(None),
        Link::Lesson {
            name,
            step,
            lang,
            view,
        } => {
            let Some(lesson) = lessons::find(&name) else {
                return Err(OpenError::UnknownLesson(name));
            };
            let engine = Engine::new(Origin::Script {
                file: format!("{}.zks", lesson.name),
                src: lesson.src.to_string(),
            })
            .map_err(|error| OpenError::Script {
                error,
                script: lesson.src.to_string(),
            })?;
            let mut opened = Opened {
                engine,
                time: 0.0,
                lang,
                tab: view.as_deref().and_then(tab_of_view),
                lesson: Some((lesson.name, step)),
            };
            crate::lesson_state::step_to_stop(&mut opened.engine, step as usize);
            opened.time = opened.engine.sim().now().0 as f64;
            Ok(Some(opened))
        }
        Link::Scenario(sc) => {
            // Check every action before anything runs.
            let acts = sc
                .acts
                .iter()
                .map(|a| parse_act(&a.what).map(|act| (a.pos, a.at, act)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|why| OpenError::Link(share::LinkError::Malformed(why)))?;
            if acts.windows(2).any(|w| w[1].0 < w[0].0) || sc.position > MAX_OPEN_STEPS {
                return Err(OpenError::Link(share::LinkError::Malformed(
                    "the actions or the position are out of order".into(),
                )));
            }
            let origin = match playground_of(&sc.script) {
                Some(pg) if pg.seed == sc.seed => Origin::Scenario(pg),
                _ => Origin::Script {
                    file: LINK_FILE.into(),
                    src: sc.script.clone(),
                },
            };
            let mut engine = Engine::new(origin).map_err(|error| OpenError::Script {
                error,
                script: sc.script.clone(),
            })?;
            for (pos, at, act) in acts {
                while engine.pos() < pos {
                    if !engine.step() {
                        break;
                    }
                }
                engine.act(act, at as f64);
            }
            while engine.pos() < sc.position {
                if !engine.step() {
                    break;
                }
            }
            let now = engine.sim().now().0 as f64;
            Ok(Some(Opened {
                engine,
                time: sc.time.max(now),
                lang: Some(sc.lang),
                tab: tab_of_view(&sc.view),
                lesson: None,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_as_text() {
        let acts = [
            Act::Input(Input::Start(ServerId(2))),
            Act::Input(Input::Crash(ServerId(12))),
            Act::Input(Input::Heal),
            Act::Input(Input::Drop(MsgId(77))),
            Act::Input(Input::Hold(MsgId(0))),
            Act::Input(Input::Release(MsgId(9))),
            Act::Input(Input::Link {
                from: ServerId(1),
                to: ServerId(3),
                cut: true,
            }),
            Act::Input(Input::Link {
                from: ServerId(3),
                to: ServerId(1),
                cut: false,
            }),
            Act::Input(Input::Partition {
                sides: vec![vec![ServerId(1), ServerId(2)], vec![ServerId(3)]],
                one_way: false,
            }),
            Act::Input(Input::Partition {
                sides: vec![vec![ServerId(1)], vec![ServerId(2)], vec![ServerId(3)]],
                one_way: false,
            }),
            Act::Input(Input::Partition {
                sides: vec![vec![ServerId(4)], vec![ServerId(2), ServerId(5)]],
                one_way: true,
            }),
            Act::Connect {
                name: "c1".into(),
                server: None,
                timeout: None,
            },
            Act::Connect {
                name: "c2".into(),
                server: Some(ServerId(3)),
                timeout: Some(4000),
            },
            Act::Command {
                client: "c1".into(),
                text: "create /a \"x: y\"".into(),
                cmd: parse_zk_command("create /a \"x: y\"").ok(),
            },
            Act::Command {
                client: "c1".into(),
                text: "frobnicate".into(),
                cmd: None,
            },
        ];
        for a in acts {
            let t = act_text(&a);
            assert_eq!(parse_act(&t), Ok(a), "{t}");
        }
    }

    #[test]
    fn bad_actions_are_errors() {
        for bad in [
            "",
            "crash",
            "crash 0",
            "crash x",
            "crash 1 2",
            "crash 300",
            "drop -1",
            "link 1 2 maybe",
            "partition",
            "partition 1",
            "partition 1 / 2 -> 3",
            "partition 1 -> 2 -> 3",
            "partition / 1",
            "connect",
            "connect c1 to",
            "connect c1 to 1 to 2",
            "connect c1 timeout -4",
            "connect a:b",
            "reboot 1",
            ": ls /",
        ] {
            assert!(parse_act(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_playground_travels_as_its_script() {
        let sc = Playground {
            voters: 3,
            observers: 1,
            seed: 99,
            ..Playground::default()
        };
        assert_eq!(playground_of(&sc.to_script()), Some(sc.clone()));
        assert_eq!(
            playground_of(&Playground::default().to_script()),
            Some(Playground::default())
        );
        // Any other script is played as a script.
        assert_eq!(playground_of("servers 3\nstart 1 2 3\n"), None);
        assert_eq!(playground_of(&format!("{}status\n", sc.to_script())), None);
        assert_eq!(playground_of("servers x"), None);
    }

    fn shown(e: &Engine, time: f64) -> String {
        let states: Vec<String> = e
            .sim()
            .server_states()
            .into_iter()
            .map(|(id, s)| format!("{}:{}", id.0, s.name()))
            .collect();
        let msgs = e.sim().in_flight().count();
        format!(
            "pos={} now={} time={time} {states:?} msgs={msgs} clients={}",
            e.pos(),
            e.sim().now().0,
            e.sim().clients().len()
        )
    }

    #[test]
    fn a_link_reopens_the_same_run_with_the_same_actions() {
        let mut e = Engine::default_scenario();
        for _ in 0..30 {
            e.step();
        }
        let t = e.sim().now().0 as f64 + 3.5;
        e.act(Act::Input(Input::Crash(ServerId(5))), t);
        assert!(e.run_until_leader(200_000));
        let t = e.sim().now().0 as f64 + 1.0;
        e.act(
            Act::Connect {
                name: "c1".into(),
                server: Some(ServerId(2)),
                timeout: None,
            },
            t,
        );
        for _ in 0..40 {
            e.step();
        }
        let t = e.sim().now().0 as f64;
        e.act(
            Act::Command {
                client: "c1".into(),
                text: "create /a x".into(),
                cmd: parse_zk_command("create /a x").ok(),
            },
            t,
        );
        for _ in 0..25 {
            e.step();
        }
        let time = e.sim().now().0 as f64 + 0.75;
        let sc = scenario_of(&e, time, Lang::Zh, Tab::Znodes);
        assert_eq!(sc.acts.len(), 3);
        let fragment = share::encode(&sc);
        let opened = open(share::decode(&fragment).unwrap()).unwrap().unwrap();
        assert!(matches!(opened.engine.origin(), Origin::Scenario(_)));
        assert_eq!(shown(&opened.engine, opened.time), shown(&e, time));
        assert_eq!(opened.lang, Some(Lang::Zh));
        assert_eq!(opened.tab, Some(Tab::Znodes));
        assert_eq!(
            opened.engine.sim().established_leader().map(|l| l.id),
            e.sim().established_leader().map(|l| l.id)
        );
    }

    #[test]
    fn a_script_link_reopens_at_its_position() {
        let src = "servers 3\nstart 1 2 3\nconnect c1\nc1: create /x 1\nstatus\n";
        let mut e = Engine::new(Origin::Script {
            file: "s.zks".into(),
            src: src.into(),
        })
        .unwrap();
        for _ in 0..57 {
            e.step();
        }
        let sc = scenario_of(&e, 0.0, Lang::En, Tab::Events);
        let opened = open(share::decode(&share::encode(&sc)).unwrap())
            .unwrap()
            .unwrap();
        assert!(matches!(opened.engine.origin(), Origin::Script { .. }));
        assert_eq!(
            shown(&opened.engine, opened.time),
            shown(&e, e.sim().now().0 as f64)
        );
    }

    #[test]
    fn bad_links_open_nothing() {
        let sc = share::Scenario {
            script: "servers 3\nstart 1 2 3\n".into(),
            seed: 1,
            position: 5,
            time: 0.0,
            acts: vec![SharedAct {
                pos: 1,
                at: 0,
                what: "reboot 1".into(),
            }],
            lang: Lang::En,
            view: String::new(),
        };
        assert!(matches!(
            open(Link::Scenario(sc.clone())),
            Err(OpenError::Link(_))
        ));
        let broken = share::Scenario {
            script: "servers 3\nfrobnicate\n".into(),
            acts: Vec::new(),
            ..sc
        };
        match open(Link::Scenario(broken)) {
            Err(OpenError::Script { error, script }) => {
                assert!(error.starts_with("link.zks:2:1:"), "{error}");
                assert!(script.contains("frobnicate"));
            }
            _ => panic!("a script that does not parse opens nothing"),
        }
        assert!(matches!(
            open(Link::Lesson {
                name: "no-such-lesson".into(),
                step: 1,
                lang: None,
                view: None
            }),
            Err(OpenError::UnknownLesson(_))
        ));
        assert!(matches!(open(Link::Empty), Ok(None)));
    }
}
