//! The seeds' election examples as assertions over the trace (the goldens in scenarios/ pin the
//! full traces; these say what must hold whatever the timing).

use serde_json::Value;
use zkplay_core::script::{RunOptions, run};

fn last_status(src: &str) -> Value {
    let out = run("t.zks", src, RunOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let line = out
        .trace
        .iter()
        .rev()
        .find(|l| l.contains("\"status\""))
        .expect("a status line");
    serde_json::from_str(line).unwrap()
}

#[test]
fn in_order_start_of_n_voters_elects_the_first_quorums_largest_id() {
    for n in 2..=9u8 {
        let ids: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let src = format!(
            "servers {n}\nnetwork seed={n}\nstart {}\nstatus\n",
            ids.join(" ")
        );
        let st = last_status(&src);
        let expected = n / 2 + 1;
        assert_eq!(st["leader"], expected, "{n} voters started in order: {st}");
        assert_eq!(st["epoch"], 1);
        for i in 1..=n {
            let want = if i == expected {
                "LEADING"
            } else {
                "FOLLOWING"
            };
            assert_eq!(st["status"][i.to_string()], want, "{n} voters, server {i}");
        }
    }
}

#[test]
fn together_elects_the_largest_id_for_many_seeds() {
    for seed in 0..20 {
        for n in [3u8, 5, 7] {
            let ids: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            let src = format!(
                "servers {n}\nnetwork latency=1..20ms seed={seed}\nstart {} together\nstatus\n",
                ids.join(" ")
            );
            assert_eq!(last_status(&src)["leader"], n, "seed {seed}, {n} voters");
        }
    }
}

#[test]
fn a_restarted_old_leader_rejoins_as_follower() {
    let st = last_status("servers 5\nstart 1 2 3 4 5\ncrash 3\nrestart 3\nstatus\n");
    assert_eq!(st["status"]["3"], "FOLLOWING");
    assert_eq!(st["leader"], 5, "4 and 5 tie on zxid; 5 has the larger id");
    assert_eq!(st["epoch"], 2);
}

#[test]
fn two_of_three_down_leaves_the_survivor_looking_until_a_restart() {
    let src = "servers 3\nstart 1 2 3\ncrash 2\ncrash 3\nstatus\nrestart 3\nstatus\n";
    let out = run("t.zks", src, RunOptions::default()).unwrap();
    let a: Value = serde_json::from_str(&out.trace[0]).unwrap();
    let b: Value = serde_json::from_str(&out.trace[1]).unwrap();
    assert_eq!(a["status"]["1"], "LOOKING");
    assert_eq!(a["leader"], Value::Null);
    assert_ne!(b["leader"], Value::Null);
}

#[test]
fn script_errors_name_the_place_and_run_nothing() {
    let err = run("bad.zks", "servers 3\nstart 1 x\n", RunOptions::default())
        .err()
        .expect("an error");
    let text = err.to_string();
    assert!(text.starts_with("bad.zks:2:"), "{text}");
}
