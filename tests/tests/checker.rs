//! Bugs the fault checker (`zkplay check`) found, each as a test named `<area>_bug_NN` with a
//! postmortem, and a short run of the checker itself.

use zkplay_core::check::{CheckConfig, Outcome, check_seed};
use zkplay_core::event::EventKind;
use zkplay_core::msg::Node;
use zkplay_core::script::parse_zk_command;
use zkplay_core::script::runner::{RunOptions, Runner};
use zkplay_core::sim::Input;
use zkplay_core::{ServerId, Sim, SimConfig, SimTime};

/// Runs `src`'s directives with invariants checked after every step.
fn new_test_runner(src: &str) -> Runner {
    let script = zkplay_core::script::parse(src).expect("test script parses");
    let mut r = Runner::new(
        &script,
        RunOptions {
            events: false,
            check_invariants: true,
        },
    );
    for l in &script.lines {
        r.exec(l.line, &l.directive).expect("test script runs");
    }
    r
}

#[test]
fn sim_bug_01() {
    // Postmortem: `zkplay check` seed 310 (5 servers, loss=0.01) found two serving followers
    // that disagreed at one delivery: one had skipped a transaction. A lost packet on a Zab
    // connection reset the connection, but the packets already behind it on the same link
    // were still delivered before the reset arrived, so the follower applied COMMIT n+1
    // without PROPOSAL n. TCP never delivers past a gap; the engine now drops everything on a
    // connection after a lost packet, only the resets get through.
    let mut r = new_test_runner(
        "servers 3\nnetwork latency=1..9ms seed=3\nstart 1 2 3\nconnect c1 to 1\nconnect c2 to 2\n",
    );
    for (name, path, tag) in [("c1", "/a", 9), ("c2", "/b", 10)] {
        let id = r.sim.client_by_name(name).expect("connected");
        let text = format!("create {path} x");
        let cmd = parse_zk_command(&text).expect("command parses");
        r.sim.client_do(id, |c, ctx| c.exec(ctx, tag, &text, cmd));
    }
    // Lose the first of two proposals on their way to follower 3.
    let mut dropped = false;
    for _ in 0..300 {
        r.sim.step();
        let to_3: Vec<_> = r
            .sim
            .in_flight()
            .filter(|m| m.msg.kind() == "PROPOSAL" && m.to == Node::Server(ServerId(3)))
            .map(|m| m.id)
            .collect();
        if !dropped && to_3.len() >= 2 {
            r.sim.apply(Input::Drop(to_3[0]));
            dropped = true;
        }
    }
    assert!(dropped, "two proposals to server 3 were in flight at once");
    assert_eq!(r.sim.violation(), None);
    let delivered: Vec<_> = r.sim.servers().iter().map(|s| s.delivered.len()).collect();
    assert_eq!(delivered, [4, 4, 4], "every server applied both creates");
}

#[test]
fn sim_bug_02() {
    // Postmortem: `zkplay check` seed 160 (5 servers, loss=0.01) ended "settled" with a
    // follower seven transactions behind its leader. A PING to it was lost, and so was one of
    // the two resets that loss sends: the leader dropped the follower, which never learnt and
    // went on serving stale data until its read timeout. A reset stands for both ends of the
    // connection noticing the break, so the engine no longer loses resets.
    let mut cfg = SimConfig::new(1, vec![]);
    cfg.loss_ppm = 1_000_000;
    let mut sim = Sim::new(cfg);
    sim.apply(Input::Start(ServerId(1)));
    sim.run_until(SimTime(1_000));
    let c1 = sim.add_client("c1");
    sim.client_do(c1, |c, ctx| c.connect(ctx, None, None));
    sim.run_until(SimTime(1_100));
    let mut resets = Vec::new();
    let (mut lost, mut delivered) = (Vec::new(), Vec::new());
    for e in sim.events() {
        match &e.kind {
            EventKind::Sent {
                id, kind: "RESET", ..
            } => resets.push(*id),
            EventKind::Dropped { id, why: "lost" } => lost.push(*id),
            EventKind::Delivered { id } => delivered.push(*id),
            _ => {}
        }
    }
    assert!(!lost.is_empty(), "every packet is lost");
    assert!(resets.len() >= 2, "each loss resets both ends");
    for r in &resets {
        assert!(!lost.contains(r), "a reset was lost");
        assert!(delivered.contains(r), "a reset did not arrive");
    }
}

#[test]
fn client_bug_01() {
    // Postmortem: `zkplay check` seed 8 hit "c1: the command did not finish within 60 s". A
    // client whose connection was lost while its `close` waited for the closeSession reply
    // became CLOSED but kept the command running and its ping timer armed; the timer found
    // no connection and re-armed itself 1 ms later, forever. The client now finishes the
    // `close` (as ZooKeeper.close() returns normally) and cancels its timers. Golden:
    // tests/scenarios/client-close-connection-lost.zks.
    let path = zkplay_tests::tests_dir()
        .join("scenarios")
        .join("client-close-connection-lost.zks");
    let trace = zkplay_tests::run_file(&path, false).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        trace
            .iter()
            .any(|l| l.contains(r#""cmd":"close","ok":true"#)),
        "{trace:?}"
    );
    let r = new_test_runner(&std::fs::read_to_string(&path).expect("golden script"));
    let c1 = r.sim.client(r.sim.client_by_name("c1").expect("c1"));
    assert_eq!(c1.state, zkplay_core::client::ClientState::Closed);
    assert!(!c1.busy());
}

#[test]
fn checker_passes_a_few_seeds_of_each_shape() {
    for (servers, observers) in [(1, 0), (3, 1), (5, 0)] {
        let cfg = CheckConfig {
            servers,
            observers,
            ops: 60,
        };
        for seed in 0..8 {
            let (src, r) = check_seed(&cfg, seed);
            if let Outcome::Failure(e) = r.outcome {
                panic!("{servers}+{observers} seed {seed}: {e}\n{src}");
            }
        }
    }
}
