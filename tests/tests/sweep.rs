//! A sweep of seeded random schedules — crashes, restarts, partitions and client writes — with
//! every safety invariant checked after every step. A failure prints the seed and the `.zks`
//! reproducer (the schedule is itself a script).

use zkplay_core::script::{RunOptions, run};

/// A tiny deterministic generator for schedules (independent of the simulator's own RNG).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn schedule(seed: u64) -> String {
    let mut g = Gen(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let n = [3u8, 5][g.below(2) as usize];
    let mut s = format!(
        "servers {n}\nconfig tickTime=200 initLimit=10 syncLimit=5\nnetwork latency=1..15ms seed={seed}\n"
    );
    let ids: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    s.push_str(&format!("start {} together\nconnect c1\n", ids.join(" ")));
    let mut up = vec![true; n as usize + 1];
    let mut k = 0;
    for _ in 0..12 {
        match g.below(6) {
            0 => {
                let id = 1 + g.below(n as u64) as usize;
                if up[id] && up.iter().filter(|u| **u).count() > 2 {
                    s.push_str(&format!("crash {id}\n"));
                    up[id] = false;
                } else if !up[id] {
                    s.push_str(&format!("restart {id}\n"));
                    up[id] = true;
                }
            }
            1 => {
                let a = 1 + g.below(n as u64);
                let rest: Vec<String> = (1..=n as u64)
                    .filter(|&i| i != a)
                    .map(|i| i.to_string())
                    .collect();
                s.push_str(&format!(
                    "partition {a} / {}\nrun {}ms\nheal\n",
                    rest.join(" "),
                    200 + g.below(3000)
                ));
            }
            2 => s.push_str(&format!("run {}ms\n", g.below(2000))),
            _ => {
                k += 1;
                s.push_str(&format!("c1: create -e /n{k} v\nc1: set /n{k} w\n"));
            }
        }
    }
    for (id, u) in up.iter().enumerate().skip(1) {
        if !u {
            s.push_str(&format!("restart {id}\n"));
        }
    }
    s.push_str("await leader\nstatus\n");
    s
}

#[test]
fn invariants_hold_over_200_seeded_fault_schedules() {
    for seed in 0..200 {
        let src = schedule(seed);
        if let Err(e) = run(
            "sweep.zks",
            &src,
            RunOptions {
                events: false,
                check_invariants: true,
            },
        ) {
            // Settling limits can legitimately run out under heavy faults; a safety violation can not.
            assert!(
                !e.message.contains("invariant"),
                "seed {seed}: {e}\nreproducer:\n{src}"
            );
        }
    }
}
