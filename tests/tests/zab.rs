//! Zab behaviour that the goldens show, asserted over the low-level events so that what must
//! hold is stated, not just recorded: each sync mode happens where ZooKeeper would choose it,
//! observers get INFORM and never ACK a proposal, and the /election recipe's notification
//! counts.

use serde_json::Value;
use zkplay_tests::{run_file, tests_dir};

fn run(name: &str) -> Vec<Value> {
    let path = tests_dir().join("scenarios").join(format!("{name}.zks"));
    run_file(&path, true)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn events<'a>(v: &'a [Value], ev: &str) -> Vec<&'a Value> {
    v.iter().filter(|e| e["ev"] == ev).collect()
}

fn result(v: &[Value], line: u64) -> &Value {
    v.iter()
        .find(|e| e["line"] == line && e.get("cmd").is_some())
        .unwrap_or_else(|| panic!("no result for line {line}"))
}

#[test]
fn diff_snap_and_trunc_each_happen_where_zookeeper_chooses_them() {
    let v = run("zab-trunc");
    let modes: Vec<(u64, u64, &str)> = events(&v, "sync")
        .iter()
        .map(|e| {
            (
                e["leader"].as_u64().unwrap(),
                e["learner"].as_u64().unwrap(),
                e["mode"].as_str().unwrap(),
            )
        })
        .collect();
    // First election: 1 is exactly at the leader's zxid (DIFF); 3 starts later with an empty
    // log against a leader that already serves epoch 1 (SNAP).
    assert!(modes.contains(&(2, 1, "diff")), "{modes:?}");
    assert!(modes.contains(&(2, 3, "snap")), "{modes:?}");
    // The old leader comes back with /b that nobody else logged: TRUNC to the last commit.
    assert!(modes.contains(&(3, 2, "trunc")), "{modes:?}");
    let t = events(&v, "truncated");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["zxid"], "0x100000002");
    assert_eq!(
        result(&v, 19)["children"],
        serde_json::json!(["a", "zookeeper"]),
        "/b must be gone"
    );
}

#[test]
fn a_quorum_acked_proposal_survives_the_leaders_crash() {
    let v = run("zab-acked-survives");
    assert_eq!(result(&v, 12)["ok"], true);
    let status = v.iter().find(|e| e.get("status").is_some()).unwrap();
    assert_eq!(status["leader"], 1, "server 1 holds the newest zxid");
    let get = result(&v, 17);
    assert_eq!(get["data"], "yes");
    assert_eq!(get["stat"]["czxid"], "0x100000004");
}

#[test]
fn observers_get_inform_and_never_ack() {
    let v = run("zab-observer-inform");
    let sent = events(&v, "sent");
    let to4 = |k: &str| {
        sent.iter()
            .filter(|e| e["to"] == 4 && e["kind"] == k)
            .count()
    };
    let from4 = |k: &str| {
        sent.iter()
            .filter(|e| e["from"] == 4 && e["kind"] == k)
            .collect::<Vec<_>>()
    };
    assert!(
        to4("INFORM") >= 2,
        "createSession and the create reach the observer as INFORM"
    );
    assert_eq!(to4("PROPOSAL"), 0);
    assert_eq!(to4("COMMIT"), 0);
    assert_eq!(from4("OBSERVERINFO").len(), 1);
    // Its only ACKs are those of NEWLEADER and UPTODATE (counter 0), never of a proposal.
    for a in from4("ACK") {
        assert!(a["detail"].as_str().unwrap().ends_with("00000000"), "{a}");
    }
    // The write was forwarded by the observer to the leader.
    assert!(!from4("REQUEST").is_empty());
}

#[test]
fn a_lagging_follower_serves_stale_data_until_sync() {
    let v = run("zab-stale-read-sync");
    assert_eq!(result(&v, 12)["stat"]["version"], 1);
    assert_eq!(
        result(&v, 13)["data"],
        "v1",
        "stale read from the lagging follower"
    );
    assert_eq!(result(&v, 15)["ok"], true);
    assert_eq!(result(&v, 16)["data"], "v2");
}

#[test]
fn election_recipe_herd_free_notifies_one_and_naive_notifies_all() {
    let v = run("recipe-election-4");
    let deleted = |prefix: &str| {
        v.iter()
            .filter(|e| {
                e["event"] == "NodeDeleted"
                    && e["path"].as_str().is_some_and(|p| p.starts_with(prefix))
            })
            .count()
    };
    assert_eq!(
        deleted("/election/"),
        1,
        "herd-free: only the successor hears of the leader's exit"
    );
    assert_eq!(deleted("/naive/"), 3, "naive: all N-1 candidates wake up");
}
