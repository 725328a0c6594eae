//! Shrinking a failing schedule: delta debugging over its lines, simpler lines, other seeds.

use super::{FILE, Outcome, run_checked};

/// Shrinks a failing script by delta debugging over its lines: removes chunks, then single
/// lines, while `fails` still holds, and returns the smallest script found. `fails` must hold
/// for `src` itself. At most `budget` candidate runs are tried.
pub fn shrink(src: &str, budget: usize, mut fails: impl FnMut(&str) -> bool) -> String {
    let mut lines: Vec<&str> = src
        .lines()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .collect();
    let mut tries = 0;
    let join = |ls: &[&str]| {
        let mut out = String::new();
        for l in ls {
            out.push_str(l);
            out.push('\n');
        }
        out
    };
    let mut n = 2usize;
    while lines.len() >= 2 && tries < budget {
        let chunk = lines.len().div_ceil(n);
        let mut reduced = false;
        let mut start = 0;
        while start < lines.len() && tries < budget {
            let end = (start + chunk).min(lines.len());
            let candidate: Vec<&str> = lines[..start]
                .iter()
                .chain(&lines[end..])
                .copied()
                .collect();
            tries += 1;
            if !candidate.is_empty() && fails(&join(&candidate)) {
                lines = candidate;
                reduced = true;
                // Keep the chunk size; the next chunk now starts where this one did.
            } else {
                start = end;
            }
        }
        if reduced {
            n = n.saturating_sub(1).max(2);
        } else if chunk <= 1 {
            break;
        } else {
            n = (n * 2).min(lines.len());
        }
    }
    join(&lines)
}

/// Shrinks a failing schedule: first cuts it after the line where it failed, then runs
/// [`shrink`] with "still fails" meaning "still ends in a [`Outcome::Failure`]".
pub fn shrink_failure(src: &str, budget: usize) -> String {
    let cut = match run_checked(src).outcome {
        Outcome::Failure(msg) => failing_line(&msg)
            .map(|n| {
                let mut out: String = src.lines().take(n).collect::<Vec<_>>().join("\n");
                out.push('\n');
                out
            })
            .filter(|c| run_checked(c).outcome.is_failure())
            .unwrap_or_else(|| src.to_string()),
        _ => return src.to_string(),
    };
    let fails = |c: &str| run_checked(c).outcome.is_failure();
    let mut best = shrink(&cut, budget / 2, fails);
    // Simplify the lines that stay, then delete again.
    let simpler = simplify_lines(&best, fails);
    if simpler != best {
        best = shrink(&simpler, budget / 4, fails);
    }
    // With message loss or random latencies every line moves the random choices of all that
    // follow, so deleting any one line may hide the bug while a shorter script still shows
    // it under another seed: try a few.
    let mut tries = budget / 4;
    for seed in 1..=RESEED_TRIES {
        if tries == 0 {
            break;
        }
        let Some(reseeded) = with_seed(&best, seed) else {
            break;
        };
        tries = tries.saturating_sub(1);
        if fails(&reseeded) {
            let shorter = shrink(&reseeded, tries.min(budget / 8), fails);
            tries = tries.saturating_sub(budget / 8);
            if shorter.lines().count() < best.lines().count() {
                best = shorter;
            }
        }
    }
    best
}

/// Alternative seeds the shrinker tries.
const RESEED_TRIES: u64 = 40;

/// `src` with its `network` line's seed set to `seed` (None without a seed).
fn with_seed(src: &str, seed: u64) -> Option<String> {
    let mut found = false;
    let out: String = src
        .lines()
        .map(|l| {
            if l.starts_with("network ") && l.contains(" seed=") {
                found = true;
                let words: Vec<String> = l
                    .split_whitespace()
                    .map(|w| {
                        if w.starts_with("seed=") {
                            format!("seed={seed}")
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                format!("{}\n", words.join(" "))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    found.then_some(out)
}

/// Replaces lines by simpler versions while the script still fails.
fn simplify_lines(src: &str, fails: impl Fn(&str) -> bool) -> String {
    let mut kept: Vec<String> = src.lines().map(str::to_string).collect();
    for i in 0..kept.len() {
        for simpler in simplified(&kept[i]) {
            let mut candidate = kept.clone();
            candidate[i] = simpler;
            let text: String = candidate.iter().map(|l| format!("{l}\n")).collect();
            if fails(&text) {
                kept = candidate;
                break;
            }
        }
    }
    kept.iter().map(|l| format!("{l}\n")).collect()
}

/// Simpler versions of a schedule line, simplest first: no message loss, default latency,
/// no first server or timeout for a client, shorter pauses.
fn simplified(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.first() {
        Some(&"network") => {
            let without = |key: &str| {
                words
                    .iter()
                    .filter(|w| !w.starts_with(key))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut v = Vec::new();
            if line.contains("loss=") {
                v.push(without("loss="));
            }
            if line.contains("latency=") {
                v.push(without("latency=").replacen("network", "network latency=2ms", 1));
            }
            v
        }
        Some(&"connect") if words.len() > 2 => vec![words[..2].join(" ")],
        Some(&"run") => vec!["run 10ms".to_string()],
        _ => Vec::new(),
    }
}

fn failing_line(msg: &str) -> Option<usize> {
    let rest = msg.strip_prefix(FILE)?.strip_prefix(':')?;
    rest.split(':').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrink_finds_a_minimal_failing_subset() {
        let src: String = (0..40).map(|i| format!("l{i}\n")).collect();
        let out = shrink(&src, 10_000, |c| c.contains("l7\n") && c.contains("l31\n"));
        assert_eq!(out, "l7\nl31\n");
    }
}
