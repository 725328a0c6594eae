//! The page's one store: the run (an [`Engine`]), playback and UI state, and the actions
//! that change them. `App` holds it with `use_reducer` and shares it through a context.
//!
//! The engine is mutable state behind `Rc<RefCell<…>>` (a simulation is not cheap to clone
//! per action); every action that changes it returns a new store with a new `version`, which
//! is what re-renders the page.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::prelude::*;
use zkplay_core::script::parse_zk_command;
use zkplay_core::{Input, ServerId};

use crate::engine::{Act, Engine, Origin};
use crate::scenario::Scenario;

/// Simulated milliseconds per real millisecond at speed 1×: one second on screen shows
/// 50 ms of the ensemble, so that a message on a 20–60 ms link can be followed by eye.
pub const BASE_RATE: f64 = 0.05;
/// Slowest speed.
pub const MIN_SPEED: f64 = 0.1;
/// Fastest speed.
pub const MAX_SPEED: f64 = 10.0;
/// The most steps one frame may take (keeps a frame short on busy runs).
pub const STEPS_PER_FRAME: usize = 400;
/// A frame longer than this (a background tab, a pause in the debugger) counts as this.
pub const MAX_FRAME_MS: f64 = 100.0;
/// How long a verdict or a dropped message stays on screen, in real milliseconds.
pub const FLASH_REAL_MS: f64 = 1500.0;
/// How many steps "run until a leader" may take.
pub const LEADER_MAX_STEPS: usize = 400_000;

/// The speed for a position of the speed slider (-1..=1, log scale): 10^s.
pub fn speed_from_slider(s: f64) -> f64 {
    10f64.powf(s.clamp(-1.0, 1.0))
}

/// The slider position for a speed.
pub fn slider_from_speed(speed: f64) -> f64 {
    speed.clamp(MIN_SPEED, MAX_SPEED).log10()
}

/// `0.1×`, `1×`, `2.5×`.
pub fn speed_label(speed: f64) -> String {
    let s = if speed < 0.995 {
        format!("{speed:.2}")
    } else if speed < 9.95 {
        format!("{speed:.1}")
    } else {
        format!("{speed:.0}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}×")
}

/// Something the user can select or hover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A server by id.
    Server(u8),
    /// A message in flight by id.
    Message(u64),
    /// A client by name.
    Client(String),
}

/// The tabs under the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The znode tree.
    Znodes,
    /// Clients and their consoles.
    Clients,
    /// The event feed.
    Events,
    /// The space-time diagram.
    SpaceTime,
    /// Recipe clients as a chain of watches (crate::components::recipe_chain).
    Recipe,
    /// The scenario editor (crate::components::editor).
    Script,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 6] = [
        Tab::Events,
        Tab::SpaceTime,
        Tab::Clients,
        Tab::Znodes,
        Tab::Recipe,
        Tab::Script,
    ];

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Znodes => "Znode tree",
            Tab::Clients => "Clients",
            Tab::Events => "Event feed",
            Tab::SpaceTime => "Space-time",
            Tab::Recipe => "Recipes",
            Tab::Script => "Script",
        }
    }

    /// Its title in `lang`.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Key;
        match self {
            Tab::Znodes => Key::PanelZnodes,
            Tab::Clients => Key::PanelClients,
            Tab::Events => Key::PanelEvents,
            Tab::SpaceTime => Key::PanelSpaceTime,
            Tab::Recipe => Key::PanelRecipe,
            Tab::Script => Key::TabScript,
        }
        .text(lang)
    }

    /// Its id (for ARIA and tests).
    pub fn id(self) -> &'static str {
        match self {
            Tab::Znodes => "znodes",
            Tab::Clients => "clients",
            Tab::Events => "events",
            Tab::SpaceTime => "spacetime",
            Tab::Recipe => "recipe",
            Tab::Script => "script",
        }
    }
}

/// Playback state.
#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// Playing (the frame loop runs).
    pub playing: bool,
    /// Speed, 0.1..=10.
    pub speed: f64,
    /// The simulated time shown, in ms (at or after the engine's clock).
    pub now: f64,
    /// (position, time shown) before each single step, for stepping back to the same view.
    back: Vec<(u64, f64)>,
}

/// What the user is looking at.
#[derive(Debug, Clone, PartialEq)]
pub struct UiState {
    /// Selected server, message or client.
    pub selected: Option<Target>,
    /// Hovered server or message.
    pub hovered: Option<Target>,
    /// The server whose fault menu is open.
    pub menu: Option<u8>,
    /// The open tab.
    pub tab: Tab,
    /// The help dialog is open.
    pub help: bool,
    /// The scenario settings are open.
    pub settings: bool,
    /// The scenario the settings edit (applied on rebuild).
    pub scenario: Scenario,
    /// An error to show (a script that failed to load).
    pub error: Option<String>,
    /// The client whose console is shown.
    pub console: Option<String>,
}

/// The store.
#[derive(Clone)]
pub struct SimStore {
    /// The run.
    pub engine: Rc<RefCell<Engine>>,
    /// Bumped by every change of the engine.
    pub version: u64,
    /// Playback.
    pub playback: Playback,
    /// UI state.
    pub ui: UiState,
    /// Language, lesson, share links, the editor's text (crate::lesson_state).
    pub class: crate::lesson_state::Classroom,
    /// Bumped by every action other than a frame that changed the store.
    edits: u64,
    /// Real milliseconds played (the sum of the frames' durations).
    real_ms: f64,
}

impl PartialEq for SimStore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine)
            && self.version == other.version
            && self.edits == other.edits
            && self.playback == other.playback
            && self.ui == other.ui
            && self.class == other.class
    }
}

/// The store as components get it from the context.
pub type SimHandle = UseReducerHandle<SimStore>;

/// While a busy scene plays, the panels beside and under the ring follow it this often (real
/// milliseconds) instead of every frame; the ring, the clock and the timeline still move every
/// frame. Anything the user does shows at once.
pub const PANEL_EVERY_MS: f64 = 100.0;

/// The store as the panels beside and under the ring get it: equal (so nothing re-renders)
/// while its [`SimStore::panel_key`] stays the same.
#[derive(Clone)]
pub struct PanelHandle {
    store: SimHandle,
    key: PanelKey,
}

/// See [`SimStore::panel_key`].
pub type PanelKey = (u64, bool, u64);

impl PanelHandle {
    /// The store, for the panels' context.
    pub fn new(store: SimHandle) -> PanelHandle {
        let key = store.panel_key();
        PanelHandle { store, key }
    }
}

impl PartialEq for PanelHandle {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl std::ops::Deref for PanelHandle {
    type Target = SimHandle;
    fn deref(&self) -> &SimHandle {
        &self.store
    }
}

/// Actions (STYLE §4).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A frame of `dt_ms` real milliseconds passed.
    Frame {
        /// Real milliseconds since the last frame.
        dt_ms: f64,
    },
    /// One step forward (pauses).
    Step,
    /// `n` steps forward (pauses).
    StepN(u64),
    /// One step back (pauses).
    Back,
    /// Play or pause.
    TogglePlay,
    /// Pause.
    Pause,
    /// Set the speed.
    SetSpeed(f64),
    /// Replace the run with a script.
    LoadScript(String),
    /// Start the run over, with a new seed if given.
    Reset {
        /// The seed.
        seed: Option<u64>,
    },
    /// Start over with a new scenario.
    Rebuild(Scenario),
    /// Apply an input (a fault) now.
    Input(Input),
    /// Open a client session.
    Connect {
        /// Name.
        name: String,
        /// The server to try first.
        server: Option<u8>,
    },
    /// Run a zkCli command in a client's console.
    Command {
        /// Client name.
        client: String,
        /// The command line.
        text: String,
    },
    /// Select something (or nothing).
    Select(Option<Target>),
    /// Hover something (or nothing).
    Hover(Option<Target>),
    /// Go to a position on the timeline (pauses).
    Seek(u64),
    /// Run until a leader is established.
    RunUntilLeader,
    /// Open a tab.
    SetTab(Tab),
    /// Open or close the help dialog.
    ToggleHelp,
    /// Open or close the scenario settings.
    ToggleSettings,
    /// Edit the scenario settings.
    EditScenario(Scenario),
    /// Open the fault menu of a server (or close it).
    Menu(Option<u8>),
    /// Close whatever is open (Escape).
    Escape,
    /// Dismiss the notice and the error.
    DismissNotice,
    /// Show a client's console.
    ShowConsole(String),
    /// Language, lessons, share links, the editor (crate::lesson_state).
    Class(crate::lesson_state::ClassAction),
}

impl SimStore {
    /// The default store: the default scenario at its start, paused.
    pub fn new() -> SimStore {
        SimStore::with_engine(Engine::default_scenario(), Scenario::default())
    }

    pub(crate) fn with_engine(engine: Engine, scenario: Scenario) -> SimStore {
        let now = engine.sim().now().0 as f64;
        SimStore {
            engine: Rc::new(RefCell::new(engine)),
            version: 0,
            playback: Playback {
                playing: false,
                speed: 1.0,
                now,
                back: Vec::new(),
            },
            ui: UiState {
                selected: None,
                hovered: None,
                menu: None,
                tab: Tab::Events,
                help: false,
                settings: false,
                scenario,
                error: None,
                console: None,
            },
            class: crate::lesson_state::Classroom::default(),
            edits: 0,
            real_ms: 0.0,
        }
    }

    /// What the panels beside and under the ring follow: every change while paused or while
    /// the scene is light; while a busy scene ([`crate::view::busy`]) plays, every action but
    /// only every [`PANEL_EVERY_MS`] of frames.
    pub fn panel_key(&self) -> PanelKey {
        let busy = self.playback.playing && crate::view::busy(self.engine().sim());
        if busy {
            (self.edits, true, (self.real_ms / PANEL_EVERY_MS) as u64)
        } else {
            (self.edits, false, self.version)
        }
    }

    /// The engine, to read.
    pub fn engine(&self) -> Ref<'_, Engine> {
        self.engine.borrow()
    }

    /// How long a verdict stays, in simulated ms, at the current speed.
    pub fn flash_ms(&self) -> f64 {
        FLASH_REAL_MS * BASE_RATE * self.playback.speed
    }

    pub(crate) fn changed(&self) -> SimStore {
        let mut next = self.clone();
        next.version += 1;
        next
    }

    fn clock_to_engine(&mut self) {
        let t = self.engine.borrow().sim().now().0 as f64;
        self.playback.now = self.playback.now.max(t);
    }

    fn act(mut self, act: Act) -> SimStore {
        self.engine.borrow_mut().act(act, self.playback.now);
        self.clock_to_engine();
        self.playback.back.clear();
        self.ui.menu = None;
        self
    }

    pub(crate) fn replace_engine(&self, engine: Engine, scenario: Scenario) -> SimStore {
        let mut next = SimStore::with_engine(engine, scenario);
        next.version = self.version + 1;
        next.edits = self.edits;
        next.real_ms = self.real_ms;
        next.playback.speed = self.playback.speed;
        next.ui.tab = self.ui.tab;
        next.class = self.class.for_engine(&next.engine.borrow());
        next
    }
}

impl Default for SimStore {
    fn default() -> Self {
        SimStore::new()
    }
}

impl Reducible for SimStore {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let frame = match action {
            Action::Frame { dt_ms } => Some(dt_ms.clamp(0.0, MAX_FRAME_MS)),
            _ => None,
        };
        let mut next = self.clone().apply(action);
        if Rc::ptr_eq(&next, &self) {
            return next;
        }
        drop(self);
        let s = Rc::make_mut(&mut next);
        match frame {
            Some(dt) => s.real_ms += dt,
            None => s.edits += 1,
        }
        next
    }
}

impl SimStore {
    fn apply(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            Action::Frame { dt_ms } => {
                if let Some(next) = crate::lesson_state::frame(&self, dt_ms) {
                    return Rc::new(next);
                }
                if !self.playback.playing {
                    return self;
                }
                let mut next = self.changed();
                let dt = dt_ms.clamp(0.0, MAX_FRAME_MS);
                let target = next.playback.now + dt * BASE_RATE * next.playback.speed;
                let now = next.playback.now;
                next.playback.now = next
                    .engine
                    .borrow_mut()
                    .advance(now, target, STEPS_PER_FRAME);
                next.playback.back.clear();
                next
            }
            Action::Step => {
                let mut next = self.changed();
                next.playback.playing = false;
                let pos = next.engine.borrow().pos();
                next.playback.back.push((pos, next.playback.now));
                next.engine.borrow_mut().step();
                next.clock_to_engine();
                next
            }
            Action::StepN(n) => {
                let mut next = self.changed();
                next.playback.playing = false;
                for _ in 0..n {
                    if !next.engine.borrow_mut().step() {
                        break;
                    }
                }
                next.clock_to_engine();
                next.playback.back.clear();
                next
            }
            Action::Back => {
                let mut next = self.changed();
                next.playback.playing = false;
                let pos = next.engine.borrow().pos();
                if pos == 0 {
                    return self;
                }
                let remembered = match next.playback.back.last() {
                    Some(&(p, t)) if p + 1 == pos => {
                        next.playback.back.pop();
                        Some(t)
                    }
                    _ => {
                        next.playback.back.clear();
                        None
                    }
                };
                next.engine.borrow_mut().seek(pos - 1);
                let t = next.engine.borrow().sim().now().0 as f64;
                next.playback.now = remembered.map_or(t, |r| r.max(t));
                next
            }
            Action::TogglePlay => {
                let mut next = (*self).clone();
                next.playback.playing = !next.playback.playing;
                next.playback.back.clear();
                next
            }
            Action::Pause => {
                if !self.playback.playing {
                    return self;
                }
                let mut next = (*self).clone();
                next.playback.playing = false;
                next
            }
            Action::SetSpeed(s) => {
                let mut next = (*self).clone();
                next.playback.speed = s.clamp(MIN_SPEED, MAX_SPEED);
                next
            }
            Action::LoadScript(src) => {
                match Engine::new(Origin::Script {
                    file: "script.zks".into(),
                    src,
                }) {
                    Ok(engine) => self.replace_engine(engine, self.ui.scenario.clone()),
                    Err(e) => {
                        let mut next = (*self).clone();
                        next.ui.error = Some(e);
                        next
                    }
                }
            }
            Action::Reset { seed } => {
                let origin = self.engine.borrow().origin().clone();
                let (origin, scenario) = match (origin, seed) {
                    (Origin::Scenario(mut sc), seed) => {
                        if let Some(seed) = seed {
                            sc.seed = seed;
                        }
                        (Origin::Scenario(sc.clone()), sc)
                    }
                    (script, _) => (script, self.ui.scenario.clone()),
                };
                match Engine::new(origin) {
                    Ok(engine) => self.replace_engine(engine, scenario),
                    Err(_) => self.replace_engine(Engine::default_scenario(), Scenario::default()),
                }
            }
            Action::Rebuild(sc) => {
                let sc = sc.clamped();
                let engine = Engine::new(Origin::Scenario(sc.clone()))
                    .unwrap_or_else(|_| Engine::default_scenario());
                let mut next = self.replace_engine(engine, sc);
                next.ui.settings = false;
                next
            }
            Action::Input(input) => self.changed().act(Act::Input(input)),
            Action::Connect { name, server } => {
                let mut next = self.changed().act(Act::Connect {
                    name: name.clone(),
                    server: server.map(ServerId),
                    timeout: None,
                });
                next.ui.console = Some(name);
                next.ui.tab = Tab::Clients;
                next
            }
            Action::Command { client, text } => {
                // A line that does not parse is kept too: the console shows zkCli's error.
                let cmd = parse_zk_command(&text).ok();
                self.changed().act(Act::Command { client, text, cmd })
            }
            Action::Select(t) => {
                let mut next = (*self).clone();
                next.ui.selected = t;
                next.ui.menu = None;
                next
            }
            Action::Hover(t) => {
                if self.ui.hovered == t {
                    return self;
                }
                let mut next = (*self).clone();
                next.ui.hovered = t;
                next
            }
            Action::Seek(p) => {
                let mut next = self.changed();
                next.playback.playing = false;
                next.engine.borrow_mut().seek(p);
                next.playback.now = next.engine.borrow().sim().now().0 as f64;
                next.playback.back.clear();
                next
            }
            Action::RunUntilLeader => {
                let mut next = self.changed();
                next.playback.playing = false;
                next.engine.borrow_mut().run_until_leader(LEADER_MAX_STEPS);
                next.clock_to_engine();
                next.playback.back.clear();
                next
            }
            Action::SetTab(tab) => {
                let mut next = (*self).clone();
                next.ui.tab = tab;
                next
            }
            Action::ToggleHelp => {
                let mut next = (*self).clone();
                next.ui.help = !next.ui.help;
                next
            }
            Action::ToggleSettings => {
                let mut next = (*self).clone();
                next.ui.settings = !next.ui.settings;
                if next.ui.settings
                    && let Origin::Scenario(sc) = self.engine.borrow().origin()
                {
                    next.ui.scenario = sc.clone();
                }
                next
            }
            Action::EditScenario(sc) => {
                let mut next = (*self).clone();
                next.ui.scenario = sc;
                next
            }
            Action::Menu(m) => {
                let mut next = (*self).clone();
                next.ui.menu = m;
                if let Some(id) = m {
                    next.ui.selected = Some(Target::Server(id));
                }
                next
            }
            Action::Escape => {
                let mut next = (*self).clone();
                next.class.picker = false;
                next.class.share = None;
                next.ui.help = false;
                next.ui.menu = None;
                next.ui.settings = false;
                next
            }
            Action::DismissNotice => {
                let mut next = self.changed();
                next.engine.borrow_mut().dismiss_notice();
                next.ui.error = None;
                next
            }
            Action::Class(a) => return crate::lesson_state::reduce(self, a),
            Action::ShowConsole(name) => {
                let mut next = (*self).clone();
                next.ui.console = Some(name);
                next.ui.tab = Tab::Clients;
                next
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::ServerState;

    fn run(store: Rc<SimStore>, actions: Vec<Action>) -> Rc<SimStore> {
        actions.into_iter().fold(store, |s, a| s.reduce(a))
    }

    fn states(s: &SimStore) -> Vec<ServerState> {
        s.engine()
            .sim()
            .server_states()
            .into_iter()
            .map(|(_, st)| st)
            .collect()
    }

    #[test]
    fn speed_is_logarithmic_from_a_tenth_to_ten() {
        assert!((speed_from_slider(-1.0) - 0.1).abs() < 1e-12);
        assert!((speed_from_slider(0.0) - 1.0).abs() < 1e-12);
        assert!((speed_from_slider(1.0) - 10.0).abs() < 1e-9);
        assert!((slider_from_speed(speed_from_slider(0.37)) - 0.37).abs() < 1e-12);
        assert_eq!(speed_label(1.0), "1×");
        assert_eq!(speed_label(0.1), "0.1×");
        assert_eq!(speed_label(2.5), "2.5×");
        assert_eq!(speed_label(10.0), "10×");
    }

    #[test]
    fn frames_advance_time_only_while_playing() {
        let s = Rc::new(SimStore::new());
        let paused = run(s.clone(), vec![Action::Frame { dt_ms: 16.0 }]);
        assert!(Rc::ptr_eq(&s, &paused), "a paused frame changes nothing");
        let s = run(
            s,
            vec![
                Action::TogglePlay,
                Action::Frame { dt_ms: 100.0 },
                Action::Frame { dt_ms: 1000.0 },
            ],
        );
        // 100 ms + a long frame capped at 100 ms, at 0.05 sim-ms per ms.
        assert!((s.playback.now - 10.0).abs() < 1e-9);
        let s = run(
            s,
            vec![Action::SetSpeed(10.0), Action::Frame { dt_ms: 100.0 }],
        );
        assert!((s.playback.now - 60.0).abs() < 1e-9);
        assert!(s.engine().pos() > 0);
    }

    #[test]
    fn panels_follow_a_busy_scene_ten_times_a_second_and_every_action_at_once() {
        // Five servers: light, the panels follow every frame.
        let mut s = run(Rc::new(SimStore::new()), vec![Action::TogglePlay]);
        let mut keys = vec![s.panel_key()];
        for _ in 0..5 {
            s = s.reduce(Action::Frame { dt_ms: 16.0 });
            keys.push(s.panel_key());
        }
        keys.dedup();
        assert_eq!(keys.len(), 6, "{keys:?}");

        // 51 servers voting: busy.
        let busy = Scenario {
            voters: 51,
            ..Scenario::default()
        };
        let mut s = run(
            Rc::new(SimStore::new()),
            vec![Action::Rebuild(busy), Action::StepN(60), Action::TogglePlay],
        );
        assert!(crate::view::busy(s.engine().sim()));
        let start = s.panel_key();
        let mut changes = 0;
        let mut last = start;
        for _ in 0..25 {
            s = s.reduce(Action::Frame { dt_ms: 16.0 });
            if s.panel_key() != last {
                changes += 1;
                last = s.panel_key();
            }
        }
        // 400 ms of frames: the panels move 4 times, not 25.
        assert_eq!(changes, 4);
        // Anything the user does shows at once, and pausing brings the panels up to date.
        let before = s.panel_key();
        let s = s.reduce(Action::Hover(Some(Target::Server(3))));
        assert_ne!(s.panel_key(), before);
        let before = s.panel_key();
        let s = s.reduce(Action::Pause);
        assert_ne!(s.panel_key(), before);
        // A paused frame changes nothing.
        let before = s.panel_key();
        let s = s.reduce(Action::Frame { dt_ms: 16.0 });
        assert_eq!(s.panel_key(), before);
    }

    #[test]
    fn play_reaches_one_leader_and_four_followers() {
        let mut s = run(
            Rc::new(SimStore::new()),
            vec![Action::TogglePlay, Action::SetSpeed(10.0)],
        );
        for _ in 0..2000 {
            s = s.reduce(Action::Frame { dt_ms: 16.0 });
            if s.engine().sim().established_leader().is_some() {
                break;
            }
        }
        let st = states(&s);
        assert_eq!(st.iter().filter(|x| **x == ServerState::Leading).count(), 1);
        assert_eq!(
            st.iter().filter(|x| **x == ServerState::Following).count(),
            4
        );
    }

    #[test]
    fn step_then_back_shows_the_same_state_and_time() {
        let s = run(
            Rc::new(SimStore::new()),
            vec![
                Action::TogglePlay,
                Action::Frame { dt_ms: 90.0 },
                Action::Pause,
            ],
        );
        let (pos, now) = (s.engine().pos(), s.playback.now);
        let s = run(
            s,
            vec![Action::Step, Action::Step, Action::Back, Action::Back],
        );
        assert_eq!(s.engine().pos(), pos);
        assert_eq!(s.playback.now, now);
        let s = s.reduce(Action::Back);
        assert_eq!(s.engine().pos(), pos - 1);
    }

    #[test]
    fn crashing_the_leader_leads_to_a_new_one() {
        let s = run(Rc::new(SimStore::new()), vec![Action::RunUntilLeader]);
        let old = s.engine().sim().established_leader().unwrap().id;
        let s = run(
            s,
            vec![Action::Input(Input::Crash(old)), Action::RunUntilLeader],
        );
        let new = s.engine().sim().established_leader().unwrap().id;
        assert_ne!(old, new);
    }

    #[test]
    fn bad_scripts_keep_the_run_and_show_the_error() {
        let s = run(
            Rc::new(SimStore::new()),
            vec![Action::LoadScript("servers 3\nfrobnicate\n".into())],
        );
        assert!(
            s.ui.error
                .as_deref()
                .unwrap()
                .starts_with("script.zks:2:1:")
        );
        assert_eq!(s.engine().sim().servers().len(), 5);
        let s = s.reduce(Action::LoadScript("servers 3\nstart 1 2 3\n".into()));
        assert_eq!(s.engine().sim().servers().len(), 3);
        assert!(s.ui.error.is_none());
    }

    #[test]
    fn reset_with_a_seed_rebuilds_the_scenario() {
        let s = run(
            Rc::new(SimStore::new()),
            vec![Action::RunUntilLeader, Action::Reset { seed: Some(7) }],
        );
        assert_eq!(s.engine().pos(), 0);
        assert_eq!(s.engine().sim().config().seed, 7);
        let sc = Scenario {
            voters: 3,
            observers: 2,
            ..Scenario::default()
        };
        let s = s.reduce(Action::Rebuild(sc));
        assert_eq!(s.engine().sim().servers().len(), 5);
        assert_eq!(s.engine().sim().config().voters, 3);
    }
}
