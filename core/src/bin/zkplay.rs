//! `zkplay`: runs `.zks` scenario scripts from the command line and prints their trace.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zkplay_core::script::{RunOptions, run};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { file, events } => {
            let (name, src) = if file == "-" {
                let mut s = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                    eprintln!("-: cannot read standard input: {e}");
                    return ExitCode::from(2);
                }
                ("-".to_string(), s)
            } else {
                match std::fs::read(&file) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(s) => (file.clone(), s),
                        Err(e) => {
                            eprintln!(
                                "{file}:1:1: the script is not valid UTF-8 (byte {})",
                                e.utf8_error().valid_up_to()
                            );
                            return ExitCode::from(2);
                        }
                    },
                    Err(e) => {
                        eprintln!("{file}: cannot read: {e}");
                        return ExitCode::from(2);
                    }
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
