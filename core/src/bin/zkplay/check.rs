//! `zkplay check`: runs seeds of the fault checker on worker threads, shrinks failures and
//! writes their reproducers.

use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use zkplay_core::check::{CheckConfig, Outcome, check_seed, run_checked, schedule, shrink_failure};

use crate::CheckArgs;

/// Candidate runs the shrinker may try per failure.
const SHRINK_BUDGET: usize = 4000;

struct Failure {
    seed: u64,
    message: String,
    shrunk: String,
}

pub fn main(args: CheckArgs) -> ExitCode {
    let cfg = CheckConfig {
        servers: args.servers,
        observers: args.observers,
        ops: args.ops,
    };
    if let Err(e) = cfg.validate() {
        eprintln!("zkplay check: {e}");
        return ExitCode::from(2);
    }
    if args.print_schedules {
        for i in 0..args.seeds {
            print!("{}", schedule(&cfg, args.start_seed.wrapping_add(i)));
        }
        return ExitCode::SUCCESS;
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // Panics are caught and reported per seed; keep the default hook from printing each one
    // (the shrinker reproduces a panic many times).
    std::panic::set_hook(Box::new(|_| {}));

    let next = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let (steps, passed, settle) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let n_failed = AtomicUsize::new(0);
    let failures: Mutex<Vec<Failure>> = Mutex::new(Vec::new());
    let first_settle: Mutex<Option<(u64, String)>> = Mutex::new(None);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= args.seeds {
                        break;
                    }
                    let seed = args.start_seed.wrapping_add(i);
                    let (src, report) = check_seed(&cfg, seed);
                    steps.fetch_add(report.steps, Ordering::Relaxed);
                    match report.outcome {
                        Outcome::Pass => {
                            passed.fetch_add(1, Ordering::Relaxed);
                        }
                        Outcome::Settle(msg) => {
                            settle.fetch_add(1, Ordering::Relaxed);
                            if args.verbose {
                                println!("seed {seed}: settle limit: {msg}");
                            }
                            let mut f = first_settle.lock().expect("lock");
                            if f.as_ref().is_none_or(|(s, _)| seed < *s) {
                                *f = Some((seed, msg));
                            }
                        }
                        Outcome::Failure(message) => {
                            if n_failed.fetch_add(1, Ordering::Relaxed) + 1 >= args.max_failures {
                                stop.store(true, Ordering::Relaxed);
                            }
                            let shrunk = shrink_failure(&src, SHRINK_BUDGET);
                            failures.lock().expect("lock").push(Failure {
                                seed,
                                message,
                                shrunk,
                            });
                        }
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let (passed, settle, steps) = (passed.into_inner(), settle.into_inner(), steps.into_inner());
    let mut failures = failures.into_inner().expect("lock");
    failures.sort_by_key(|f| f.seed);
    let run = passed + settle + failures.len() as u64;
    println!(
        "zkplay check: {run} seeds ({} servers, {} observers, {} ops) on {jobs} thread(s): \
         {passed} passed, {settle} hit a settle limit, {} failed",
        cfg.servers,
        cfg.observers,
        cfg.ops,
        failures.len()
    );
    println!(
        "time {elapsed:.2} s: {:.0} seeds/s, {:.2} M steps/s ({steps} steps)",
        run as f64 / elapsed,
        steps as f64 / elapsed / 1e6
    );
    if let Some((seed, msg)) = first_settle.into_inner().expect("lock") {
        println!("first settle-limit seed: {seed}: {msg}");
    }
    let mut status = ExitCode::SUCCESS;
    if !failures.is_empty()
        && let Err(e) = std::fs::create_dir_all(&args.out_dir)
    {
        eprintln!("{}: cannot create: {e}", args.out_dir.display());
    }
    for f in &failures {
        status = ExitCode::from(1);
        let path = args
            .out_dir
            .join(format!("check-failure-seed{}.zks", f.seed));
        let outcome = match run_checked(&f.shrunk).outcome {
            Outcome::Failure(m) => m,
            other => format!("(the shrunk script no longer fails: {other:?})"),
        };
        println!("\nFAILED seed {}: {}", f.seed, f.message);
        println!("shrunk reproducer ({}):", path.display());
        print!("{}", f.shrunk);
        println!("which fails with: {outcome}");
        let text = format!(
            "# zkplay check: seed {} ({} servers, {} observers, {} ops), shrunk.\n\
             # Original failure: {}\n# Shrunk failure: {}\n{}",
            f.seed, cfg.servers, cfg.observers, cfg.ops, f.message, outcome, f.shrunk
        );
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("{}: cannot write: {e}", path.display());
        }
    }
    status
}
