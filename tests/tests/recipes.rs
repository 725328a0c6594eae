//! Recipes in motion (core/src/recipe.rs): the election recipe herd-free costs one watch
//! notification per leader change and the naive ones N−1; leadership passes in sequence
//! order as sessions close or expire; the lock is never held by two live clients, across
//! server crashes, leader changes, unlocks and expiries.

use zkplay_core::recipe::{GroupView, Role, groups};
use zkplay_core::script::{Player, RunOptions, run};

fn opts() -> RunOptions {
    RunOptions {
        events: false,
        check_invariants: true,
    }
}

fn election(variant: &str, n: usize, leave: &[&str]) -> GroupView {
    let mut src = String::from("servers 5\nconfig tickTime=200 initLimit=10 syncLimit=5\nstart\n");
    let names: Vec<String> = (1..=n).map(|i| format!("c{i}")).collect();
    for (i, c) in names.iter().enumerate() {
        src.push_str(&format!("connect {c} to {} timeout 2000\n", i % 5 + 1));
    }
    src.push_str(&format!("recipe election {variant} {}\n", names.join(" ")));
    for l in leave {
        src.push_str(l);
        src.push('\n');
    }
    let out = run("e.zks", &src, opts()).unwrap_or_else(|e| panic!("{e}\n{src}"));
    let mut g = groups(&out.sim);
    assert_eq!(g.len(), 1);
    g.remove(0)
}

fn leaders(g: &GroupView) -> Vec<&str> {
    g.changes.iter().map(|c| c.to.as_str()).collect()
}

#[test]
fn herd_free_costs_one_notification_per_leader_change() {
    let g = election(
        "herd-free",
        6,
        &["c1: close", "expire c2", "c3: close", "recipe resign c4"],
    );
    assert_eq!(leaders(&g), ["c1", "c2", "c3", "c4", "c5"]);
    for c in &g.changes[1..] {
        assert_eq!(c.notifications(), 1, "{c:?}");
        assert_eq!(
            c.notified,
            std::slice::from_ref(&c.to),
            "only the successor wakes"
        );
    }
    // Each waiting candidate watches its predecessor only.
    let live: Vec<_> = g.members.iter().filter(|m| !m.role.is_over()).collect();
    assert_eq!(live[0].role, Role::Leader);
    assert_eq!(live[0].watches, None);
    for w in live.windows(2) {
        assert_eq!(w[1].role, Role::Waiting);
        assert_eq!(w[1].watches, w[0].node);
    }
}

#[test]
fn naive_costs_n_minus_1_notifications_per_leader_change() {
    for variant in ["naive", "naive-children"] {
        let g = election(variant, 5, &["c1: close", "expire c2", "c3: close"]);
        assert_eq!(leaders(&g), ["c1", "c2", "c3", "c4"], "{variant}");
        // 5 candidates, then 4, then 3: each change wakes every survivor.
        let costs: Vec<usize> = g.changes[1..].iter().map(|c| c.notifications()).collect();
        assert_eq!(costs, [4, 3, 2], "{variant}");
        let live: Vec<_> = g.members.iter().filter(|m| !m.role.is_over()).collect();
        for m in &live[1..] {
            let want = if variant == "naive" {
                live[0].node.clone()
            } else {
                Some("/election".to_string())
            };
            assert_eq!(m.watches, want, "{variant}");
        }
    }
}

#[test]
fn a_middle_candidate_leaving_wakes_only_its_successor_and_changes_no_leader() {
    let g = election("herd-free", 4, &["c2: close", "c1: close"]);
    assert_eq!(leaders(&g), ["c1", "c3"]);
    assert_eq!(g.changes[1].notifications(), 1);
    let c3 = g.members.iter().find(|m| m.name == "c3").unwrap();
    // One notification for c2 leaving (re-watch c1), one for c1 leaving (lead).
    assert_eq!(c3.notifications, 2);
    let c4 = g.members.iter().find(|m| m.name == "c4").unwrap();
    assert_eq!(c4.notifications, 0);
    assert_eq!(c4.watches, c3.node);
}

#[test]
fn a_candidate_survives_its_servers_crash_and_the_recipe_re_creates_a_missing_root() {
    let src = "servers 3\nconfig tickTime=200 initLimit=10 syncLimit=5\nstart\n\
               connect a to 1 timeout 4000\nconnect b to 2 timeout 4000\n\
               recipe election herd-free path=/app/leader a b\ncrash 1\ncrash 2\nrestart 1\n\
               restart 2\na: close\n";
    let out = run("s.zks", src, opts()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.trace
            .iter()
            .any(|l| l.contains("\"cmd\":\"create /app/leader\"")
                || l.contains("\"err\":\"NONODE\""))
    );
    let g = &groups(&out.sim)[0];
    assert_eq!(leaders(g), ["a", "b"]);
}

/// Steps a lock scenario event by event and checks that at most one client that is running
/// (not paused by `expire`) and connected believes it holds the lock.
fn check_mutual_exclusion(src: &str) -> Vec<String> {
    let mut p = Player::new("lock.zks", src, opts()).unwrap_or_else(|e| panic!("{e}"));
    let mut holders_seen = Vec::new();
    while p.step().unwrap_or_else(|e| panic!("{e}")) {
        let holding: Vec<&str> = p
            .sim()
            .clients()
            .iter()
            .filter(|c| !c.frozen)
            .filter_map(|c| {
                let r = c.recipe()?;
                (r.role == Role::Holder && !r.suspended).then_some(c.name.as_str())
            })
            .collect();
        assert!(
            holding.len() <= 1,
            "two holders at {:?}: {holding:?}",
            p.sim().now()
        );
        if let Some(h) = holding.first()
            && holders_seen.last() != Some(&h.to_string())
        {
            holders_seen.push(h.to_string());
        }
    }
    holders_seen
}

#[test]
fn the_lock_is_never_held_twice_across_crashes() {
    let src = "servers 5\nconfig tickTime=200 initLimit=10 syncLimit=5\nstart\n\
               connect a to 1 timeout 3000\nconnect b to 2 timeout 3000\n\
               connect c to 3 timeout 3000\nconnect d to 4 timeout 3000\n\
               recipe lock a b c d\n\
               crash 1\ncrash 3\nrestart 1\nrestart 3\n\
               recipe unlock a\n\
               crash 2\nrestart 2\n\
               expire b\n\
               crash 4\nrestart 4\n\
               c: close\n\
               recipe lock a\n\
               recipe unlock d\n";
    let holders = check_mutual_exclusion(src);
    assert_eq!(holders, ["a", "b", "c", "d", "a"]);
    for seed in 1..=6u64 {
        let src = format!(
            "servers 3\nconfig tickTime=200 initLimit=10 syncLimit=5\n\
             network latency=1..20ms seed={seed}\nstart\n\
             connect a to 1 timeout 2000\nconnect b to 2 timeout 2000\nconnect c to 3 timeout 2000\n\
             recipe lock a b c\ncrash {s1}\nrestart {s1}\nrecipe unlock a\ncrash {s2}\n\
             restart {s2}\nexpire b\nrecipe lock a\n",
            s1 = seed % 3 + 1,
            s2 = (seed + 1) % 3 + 1
        );
        let holders = check_mutual_exclusion(&src);
        assert_eq!(holders, ["a", "b", "c"], "seed {seed}");
    }
}

#[test]
fn recipe_lines_are_checked_when_parsing() {
    for (src, msg) in [
        (
            "servers 3\nconnect a\nrecipe election a",
            "expected a variant (herd-free, naive or naive-children)",
        ),
        (
            "servers 3\nconnect a\nrecipe lock b",
            "client \"b\" is used before \"connect b\"",
        ),
        (
            "servers 3\nconnect a\nrecipe lock a\nrecipe lock a",
            "already runs the lock recipe (line 3)",
        ),
        (
            "servers 3\nconnect a\nrecipe election naive a\nrecipe unlock a",
            "is not running the lock recipe",
        ),
        ("servers 3\nconnect a\nrecipe lock path=/ a", "other than /"),
        (
            "servers 3\nconnect a\nrecipe lock",
            "expected a client name",
        ),
    ] {
        let e = zkplay_core::script::parse(src).expect_err(src);
        assert!(e.message.contains(msg), "{src}: {}", e.message);
    }
    // Unlocking, or a new session under the name, frees the client for another recipe.
    zkplay_core::script::parse(
        "servers 3\nconnect a\nrecipe lock a\nrecipe unlock a\nrecipe election naive a\n\
         connect a\nrecipe lock a\n",
    )
    .unwrap();
}
