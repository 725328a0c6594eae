//! `zkplay`: runs `.zks` scenario scripts from the command line and prints their trace; turns a
//! zoo.cfg into a `.zks` header.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkplay_core::script::source::decode_utf8;
use zkplay_core::script::{RunOptions, run};

// The simulator allocates small payloads (paths, request and reply bodies) on every
// message; mimalloc's thread-local free lists serve them far faster than glibc's malloc.
// Only this binary chooses it: the core library stays allocator-agnostic.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A deterministic ZooKeeper 3.8 ensemble simulator.
///
/// Scripts (.zks) describe an ensemble (servers, config, network), what happens to it
/// (start, crash, restart, partition, heal, run, step) and what clients do (connect, zkCli
/// commands, close, expire). The trace is printed as JSON lines, one object per line.
#[derive(Parser)]
#[command(name = "zkplay", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a script and print its trace (JSON lines). Exit status 2 on a script error.
    Run {
        /// The script; `-` reads standard input.
        file: String,
        /// Also print the low-level events (sent, delivered, timers, state changes, votes, …),
        /// each as a JSON object with an "ev" key, before the trace.
        #[arg(long)]
        events: bool,
    },
    /// Fault checker: per seed, run a random schedule of crashes, restarts, partitions (also
    /// one-way), message loss and client work with every safety invariant checked after every
    /// step. A failing schedule is shrunk and written to check-failure-seed<N>.zks. Exit
    /// status 1 if any seed fails.
    Check(CheckArgs),
    /// Benchmarks of the native core: delivered messages per second (5 and 51 servers,
    /// elections plus client writes) and seek cost (rebuilding a run up to an event, from the
    /// start or from snapshots). Prints figures; never fails on timing.
    Bench(BenchArgs),
    /// Read a ZooKeeper zoo.cfg and print the equivalent .zks header (`servers …` and
    /// `config …`). Exit status 2, with `FILE:LINE: message`, if the file is not one the
    /// simulator can run.
    Zoocfg {
        /// The zoo.cfg file; `-` reads standard input.
        file: String,
    },
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Client writes in the message workload.
    #[arg(long, default_value_t = 10_000)]
    writes: u32,
    /// Runs of each message workload (the best one is reported).
    #[arg(long, default_value_t = 3)]
    repeat: u32,
    /// Events in the seek benchmark's run.
    #[arg(long, default_value_t = 100_000)]
    seek_events: u64,
    /// A snapshot every this many events in the seek benchmark.
    #[arg(long, default_value_t = 5_000)]
    snapshot_every: u64,
    /// Ensemble sizes of the message workload.
    #[arg(long, value_delimiter = ',', default_values_t = [5u8, 51])]
    servers: Vec<u8>,
    /// Only one benchmark: `messages` or `seek`.
    #[arg(long)]
    only: Option<String>,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Number of seeds to run.
    #[arg(long, default_value_t = 1000)]
    seeds: u64,
    /// First seed.
    #[arg(long, default_value_t = 0)]
    start_seed: u64,
    /// Voting servers per schedule.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=255))]
    servers: u8,
    /// Observers per schedule (ids after the voters).
    #[arg(long, default_value_t = 0)]
    observers: u8,
    /// Client commands per schedule.
    #[arg(long, default_value_t = 200)]
    ops: u32,
    /// Worker threads (default: the number of CPUs).
    #[arg(long)]
    jobs: Option<usize>,
    /// Stop after this many failures.
    #[arg(long, default_value_t = 1)]
    max_failures: usize,
    /// Where to write reproducers.
    #[arg(long, default_value = ".")]
    out_dir: std::path::PathBuf,
    /// Print each seed's schedule (a script `zkplay run` takes) instead of running it.
    #[arg(long)]
    print_schedules: bool,
    /// Print the message of every seed that hits a settle limit.
    #[arg(long)]
    verbose: bool,
}

#[path = "zkplay/bench.rs"]
mod bench;
#[path = "zkplay/check.rs"]
mod check;

/// The bytes of FILE (`-`: standard input) and the name to report; a read error is printed
/// and gives exit status 2.
fn read_input(file: &str) -> Result<(String, Vec<u8>), ExitCode> {
    if file == "-" {
        let mut b = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut b) {
            eprintln!("-: cannot read standard input: {e}");
            return Err(ExitCode::from(2));
        }
        Ok(("-".to_string(), b))
    } else {
        match std::fs::read(file) {
            Ok(b) => Ok((file.to_string(), b)),
            Err(e) => {
                eprintln!("{file}: cannot read: {e}");
                Err(ExitCode::from(2))
            }
        }
    }
}

/// `zkplay zoocfg FILE`.
fn zoocfg(file: &str) -> ExitCode {
    let (name, bytes) = match read_input(file) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match zkplay_core::zoocfg::decode_utf8(bytes).and_then(|t| zkplay_core::zoocfg::parse(&t)) {
        Ok(cfg) => {
            print!("{}", cfg.to_script_header());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{name}:{}: {}", e.line, e.message);
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::main(args),
        Command::Bench(args) => bench::main(args),
        Command::Zoocfg { file } => zoocfg(&file),
        Command::Run { file, events } => {
            let (name, bytes) = match read_input(&file) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let src = match decode_utf8(&name, bytes) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            match run(
                &name,
                &src,
                RunOptions {
                    events,
                    check_invariants: false,
                },
            ) {
                Ok(out) => {
                    let stdout = std::io::stdout();
                    let mut w = std::io::BufWriter::new(stdout.lock());
                    for l in out.events.iter().chain(out.trace.iter()) {
                        if writeln!(w, "{l}").is_err() {
                            return ExitCode::from(1);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
