//! Four-letter words against small simulated ensembles.

use super::*;
use crate::Input;
use crate::script::{RunOptions, run};
use crate::server::Latency;

fn sim_of(src: &str) -> Sim {
    match run("t.zks", src, RunOptions::default()) {
        Ok(out) => out.sim,
        Err(e) => panic!("{e}\n--- in ---\n{src}"),
    }
}

fn line_of<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} line in:\n{out}"))
}

const S1: ServerId = ServerId(1);
const S2: ServerId = ServerId(2);
const S3: ServerId = ServerId(3);

#[test]
fn srvr_mode_per_server() {
    let sim = sim_of("servers 3\nstart 1 2 3\n");
    for (id, mode) in [(S1, "follower"), (S2, "leader"), (S3, "follower")] {
        assert_eq!(mode_line(&sim, id), Some(mode), "server {id}");
        let out = four_letter(&sim, id, "srvr");
        assert_eq!(line_of(&out, "Mode:"), format!("Mode: {mode}"));
        assert!(
            out.starts_with(&format!("Zookeeper version: {VERSION}\n")),
            "{out}"
        );
    }
    // Only the leader reports proposal sizes; none yet.
    let leader = four_letter(&sim, S2, "srvr");
    assert_eq!(
        line_of(&leader, "Proposal sizes"),
        "Proposal sizes last/min/max: -1/-1/-1"
    );
    assert!(!four_letter(&sim, S1, "srvr").contains("Proposal sizes"));
}

#[test]
fn a_fresh_follower_answers_srvr_like_zookeeper() {
    let sim = sim_of("servers 3\nstart 1 2 3\n");
    assert_eq!(
        four_letter(&sim, S3, "srvr"),
        format!(
            "Zookeeper version: {VERSION}\n\
             Latency min/avg/max: 0/0.0/0\n\
             Received: 1\n\
             Sent: 0\n\
             Connections: 1\n\
             Outstanding: 0\n\
             Zxid: 0x100000000\n\
             Mode: follower\n\
             Node count: 5\n"
        )
    );
}

#[test]
fn zxid_and_node_count_follow_writes() {
    let mut sim = sim_of("servers 3\nstart 1 2 3\nconnect c1 to 1\n");
    // The createSession is 0x100000001; the tree still has its 4 nodes (5 with the root twice).
    for id in [S1, S2, S3] {
        let out = four_letter(&sim, id, "srvr");
        assert_eq!(line_of(&out, "Zxid:"), "Zxid: 0x100000001", "{id}");
        assert_eq!(line_of(&out, "Node count:"), "Node count: 5", "{id}");
    }
    let id = sim.client_by_name("c1").expect("c1");
    sim.client_do(id, |c, ctx| {
        c.exec(
            ctx,
            9,
            "create /a x",
            crate::script::ZkCommand::Create {
                sequential: false,
                ephemeral: false,
                container: false,
                path: "/a".into(),
                data: Some("x".into()),
                acl: None,
            },
        )
    });
    let t = sim.now().plus(1000);
    sim.run_until(t);
    for id in [S1, S2, S3] {
        let out = four_letter(&sim, id, "srvr");
        assert_eq!(line_of(&out, "Zxid:"), "Zxid: 0x100000002", "{id}");
        assert_eq!(line_of(&out, "Node count:"), "Node count: 6", "{id}");
    }
    // Proposals: createSession (32 + 4 + 12) and create /a x with world:anyone (87 bytes).
    let leader = four_letter(&sim, S2, "srvr");
    assert_eq!(
        line_of(&leader, "Proposal sizes"),
        "Proposal sizes last/min/max: 87/48/87"
    );
    let mntr = four_letter(&sim, S2, "mntr");
    assert!(mntr.contains("zk_last_proposal_size\t87\n"), "{mntr}");
    assert!(mntr.contains("zk_min_proposal_size\t48\n"), "{mntr}");
    assert!(mntr.contains("zk_global_sessions\t1\n"), "{mntr}");
    // The client's server counted its packets and its connection.
    let s1 = four_letter(&sim, S1, "srvr");
    assert_eq!(line_of(&s1, "Connections:"), "Connections: 2");
    let cons = four_letter(&sim, S1, "cons");
    let first = cons.lines().next().unwrap_or_default();
    assert!(
        first.contains(",lop=CREA,") && first.contains(",lcxid=0x1,"),
        "{cons}"
    );
    assert!(first.contains(",lzxid=0x100000002,"), "{cons}");
}

#[test]
fn asking_counts_the_question_and_the_answer() {
    let mut sim = sim_of("servers 3\nstart 1 2 3\n");
    let first = ask(&mut sim, S1, "srvr");
    assert_eq!(line_of(&first, "Received:"), "Received: 1");
    assert_eq!(line_of(&first, "Sent:"), "Sent: 0");
    let second = ask(&mut sim, S1, "srvr");
    assert_eq!(line_of(&second, "Received:"), "Received: 2");
    assert_eq!(line_of(&second, "Sent:"), "Sent: 1");
    // zkServer.sh status runs srvr too.
    assert_eq!(status(&mut sim, S1), Some("follower"));
    assert_eq!(
        line_of(&four_letter(&sim, S1, "srvr"), "Received:"),
        "Received: 4"
    );
    // A server that is not serving has no statistics to count in.
    let mut sim = sim_of("servers 3\nstart 1\n");
    ask(&mut sim, S1, "srvr");
    assert_eq!(sim.server(S1).stats.packets_received, 0);
}

#[test]
fn mntr_peer_states() {
    let sim = sim_of("servers 3 observers 4\nstart 1 2 3 4\n");
    for (id, state, peer) in [
        (S1, "follower", "following - broadcast"),
        (S2, "leader", "leading - broadcast"),
        (ServerId(4), "observer", "observing - broadcast"),
    ] {
        let out = four_letter(&sim, id, "mntr");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], format!("zk_version\t{VERSION}"));
        assert_eq!(lines[1], format!("zk_server_state\t{state}"));
        assert_eq!(lines[2], format!("zk_peer_state\t{peer}"));
        assert!(out.contains("zk_znode_count\t5\n"), "{out}");
    }
    let leader = four_letter(&sim, S2, "mntr");
    for l in [
        "zk_learners\t3",
        "zk_synced_followers\t2",
        "zk_synced_non_voting_followers\t0",
        "zk_synced_observers\t1",
        "zk_pending_syncs\t0",
    ] {
        assert!(leader.contains(&format!("{l}\n")), "{l}\n{leader}");
    }
    assert!(four_letter(&sim, S1, "mntr").ends_with("zk_synced_observers\t0\n"));
    assert!(!four_letter(&sim, ServerId(4), "mntr").contains("synced"));

    let looking = sim_of("servers 3\nstart 1\n");
    assert_eq!(detailed_peer_state(looking.server(S1)), "looking");
}

#[test]
fn a_learner_shows_its_sync_mode_until_newleader() {
    let mut sim = sim_of("servers 3\nstart 1 2\nconnect c1\nc1: create /a x\n");
    sim.apply(Input::Start(S3));
    let mut seen = Vec::new();
    for _ in 0..10_000 {
        let p = detailed_peer_state(sim.server(S3));
        if seen.last() != Some(&p) {
            seen.push(p);
        }
        if sim.server(S3).is_serving() || sim.step().is_none() {
            break;
        }
    }
    assert_eq!(seen.first().map(String::as_str), Some("looking"));
    assert_eq!(
        seen.last().map(String::as_str),
        Some("following - broadcast")
    );
    assert!(
        seen.iter()
            .any(|p| p == "following - synchronization - diff"
                || p == "following - synchronization - snap"),
        "{seen:?}"
    );
}

#[test]
fn down_and_not_serving_servers() {
    let sim = sim_of("servers 3\nstart 1\n");
    // Server 1 runs but has no quorum: LOOKING.
    for w in ["srvr", "stat", "mntr", "conf", "cons"] {
        assert_eq!(four_letter(&sim, S1, w), format!("{NOT_SERVING}\n"), "{w}");
    }
    assert_eq!(four_letter(&sim, S1, "ruok"), "imok");
    assert_eq!(mode_line(&sim, S1), None);
    // Server 3 never started: the connection is refused, even for ruok.
    let refused = "nc: connect to 127.0.0.1 port 2183 (tcp) failed: Connection refused";
    assert_eq!(four_letter(&sim, S3, "ruok"), refused);
    assert_eq!(four_letter(&sim, S3, "srvr"), refused);
    assert_eq!(mode_line(&sim, S3), None);
    // Words the simulation does not answer, and unknown servers.
    assert_eq!(four_letter(&sim, S1, "envi"), "");
    assert_eq!(
        four_letter(&sim, ServerId(9), "ruok"),
        refused.replace("2183", "2189")
    );
}

#[test]
fn conf_lists_the_configuration() {
    let sim = sim_of(
        "servers 3 observers 4\nconfig tickTime=200 initLimit=20 syncLimit=10\nstart 1 2 3 4\n",
    );
    assert_eq!(
        four_letter(&sim, ServerId(4), "conf"),
        "clientPort=2184\n\
         secureClientPort=-1\n\
         dataDir=/var/lib/zookeeper/4/version-2\n\
         dataDirSize=0\n\
         dataLogDir=/var/lib/zookeeper/4/version-2\n\
         dataLogSize=0\n\
         tickTime=200\n\
         maxClientCnxns=60\n\
         minSessionTimeout=400\n\
         maxSessionTimeout=4000\n\
         clientPortListenBacklog=-1\n\
         serverId=4\n\
         initLimit=20\n\
         syncLimit=10\n\
         electionAlg=3\n\
         electionPort=3891\n\
         quorumPort=2891\n\
         peerType=1\n\
         membership: \n\
         server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\n\
         server.2=127.0.0.1:2889:3889:participant;0.0.0.0:2182\n\
         server.3=127.0.0.1:2890:3890:participant;0.0.0.0:2183\n\
         server.4=127.0.0.1:2891:3891:observer;0.0.0.0:2184\n\
         version=0"
    );
    // Java's HashMap order: 17 shares 1's bucket in a 16-bucket table.
    let cfg = SimConfig::new(3, vec![ServerId(17)]);
    let text = membership(&cfg);
    let ids: Vec<&str> = text
        .lines()
        .map(|l| l.split('=').next().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        ["server.1", "server.17", "server.2", "server.3", "version"]
    );
}

#[test]
fn stat_and_cons_list_connections() {
    let sim = sim_of("servers 3\nstart 1 2 3\nconnect c1 to 3\n");
    let stat = four_letter(&sim, S3, "stat");
    let conn = sim.next_conn_id();
    let lines: Vec<&str> = stat.lines().collect();
    assert_eq!(lines[1], "Clients:");
    assert!(
        lines[2].starts_with(" /127.0.0.1:") && lines[2].ends_with("[1](queued=0,recved=1,sent=1)"),
        "{stat}"
    );
    assert_eq!(
        lines[3],
        format!(" /127.0.0.1:{}[0](queued=0,recved=1,sent=0)", 32768 + conn)
    );
    assert_eq!(lines[4], "");
    assert!(lines[5].starts_with("Latency min/avg/max: "), "{stat}");
    let cons = four_letter(&sim, S3, "cons");
    let first = cons.lines().next().unwrap_or_default();
    assert!(first.contains(",lop=SESS,"), "{cons}");
    assert!(
        first.contains(",to=30000,") || first.contains(",to=40000,"),
        "{cons}"
    );
    assert!(cons.ends_with("(queued=0,recved=1,sent=0)\n\n"), "{cons}");
}

#[test]
fn outstanding_requests_while_a_write_waits() {
    let mut sim = sim_of("servers 3\nstart 1 2 3\nconnect c1 to 1\n");
    let id = sim.client_by_name("c1").expect("c1");
    sim.client_do(id, |c, ctx| {
        c.exec(
            ctx,
            9,
            "create /a",
            crate::script::ZkCommand::Create {
                sequential: false,
                ephemeral: false,
                container: false,
                path: "/a".into(),
                data: None,
                acl: None,
            },
        )
    });
    let mut saw = false;
    for _ in 0..1000 {
        let out = four_letter(&sim, S1, "stat");
        if line_of(&out, "Outstanding:") == "Outstanding: 1" {
            assert!(out.contains("[1](queued=1,"), "{out}");
            saw = true;
        }
        if sim.step().is_none() || sim.server(S1).db.last_processed.counter() == 2 {
            break;
        }
    }
    assert!(saw);
    let out = four_letter(&sim, S1, "srvr");
    assert_eq!(line_of(&out, "Outstanding:"), "Outstanding: 0");
    // The create took two network round trips at least: a positive latency.
    let max: u64 = line_of(&out, "Latency")
        .rsplit('/')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    assert!(max > 0, "{out}");
}

#[test]
fn java_numbers() {
    assert_eq!(java_double(0.0), "0.0");
    assert_eq!(java_double(1.5), "1.5");
    assert_eq!(java_double(3.0), "3.0");
    assert_eq!(java_double(1e7), "1.0E7");
    assert_eq!(java_double(12_345_678.5), "1.23456785E7");
    assert_eq!(java_double(0.0005), "5.0E-4");
    let avg = |samples: &[u64]| {
        let mut l = Latency::default();
        for &s in samples {
            l.add(s);
        }
        java_double(avg_latency(&l))
    };
    assert_eq!(avg(&[]), "0.0");
    assert_eq!(avg(&[1, 2]), "1.5");
    assert_eq!(avg(&[0, 0, 1]), "0.3333");
    assert_eq!(avg(&[0, 1, 1]), "0.6667");
    assert_eq!(avg(&[4, 4]), "4.0");
    // 1/32 = 0.03125 exactly: half-up gives 0.0313.
    let mut v = vec![0; 31];
    v.push(1);
    assert_eq!(avg(&v), "0.0313");
}

#[test]
fn words_parse() {
    for w in FourLetterWord::ALL {
        assert_eq!(FourLetterWord::parse(w.as_str()), Some(w));
        assert_eq!(w.to_string(), w.as_str());
    }
    assert_eq!(FourLetterWord::parse("SRVR"), None);
    assert_eq!(FourLetterWord::parse("envi"), None);
}
