//! The incremental player (what the page animates) is the same run as `run`, event for event.

use zkplay_core::script::{Player, RunOptions, run};
use zkplay_tests::{scripts_in, tests_dir};

#[test]
fn stepping_the_player_gives_the_same_trace_and_state_as_run() {
    for path in scripts_in(&tests_dir().join("scenarios")) {
        let src = std::fs::read_to_string(&path).unwrap();
        let opts = RunOptions {
            events: true,
            check_invariants: false,
        };
        let whole = run("s.zks", &src, opts).unwrap();
        let mut p = Player::new("s.zks", &src, opts).unwrap();
        let mut steps = 0u64;
        while p.step().unwrap() {
            steps += 1;
        }
        assert!(p.finished());
        assert!(
            steps as usize >= p.script().lines.len(),
            "{}",
            path.display()
        );
        assert_eq!(p.trace(), &whole.trace[..], "{}", path.display());
        assert_eq!(p.sim().events(), whole.sim.events(), "{}", path.display());
        assert_eq!(p.sim().steps(), whole.sim.steps());
    }
}

#[test]
fn the_player_stops_between_events_with_state_visible() {
    let mut p = Player::new(
        "s.zks",
        "servers 3\nstart 1 2 3 together\nstatus\n",
        RunOptions::default(),
    )
    .unwrap();
    // Begin `servers`, then `start`: three servers LOOKING with votes in flight.
    p.step().unwrap();
    p.step().unwrap();
    p.step().unwrap();
    assert_eq!(p.current_line(), Some(2));
    assert!(p.sim().in_flight().count() > 0);
    assert!(p.trace().is_empty());
    p.run_to_end().unwrap();
    assert_eq!(p.trace().len(), 1);
}
