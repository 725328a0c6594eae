//! Lessons (assets/lessons/NAME.zks) run as golden tests in both languages: the lesson
//! transcript — trace lines and the texts shown, in order — against
//! tests/lessons/NAME.{en,zh}.jsonl. `UPDATE_EXPECT=1 cargo test -p zkplay-tests --test
//! lessons` rewrites them. Each quiz's answer must be what the simulation shows, narration
//! must not change the run, and each lesson's key facts are asserted.

use std::path::PathBuf;

use serde_json::Value;
use zkplay_core::lessons::{LESSONS, find};
use zkplay_core::script::lesson::{Lang, Shown};
use zkplay_core::script::{Directive, Player, PlayerEvent, RunOptions, parse, run};
use zkplay_tests::{read_lines, tests_dir};

fn opts(events: bool) -> RunOptions {
    RunOptions {
        events,
        check_invariants: true,
    }
}

fn lessons_dir() -> PathBuf {
    tests_dir().join("../assets/lessons")
}

fn played(name: &str, src: &str) -> Player {
    let mut p =
        Player::new(&format!("{name}.zks"), src, opts(false)).unwrap_or_else(|e| panic!("{e}"));
    p.run_to_end().unwrap_or_else(|e| panic!("{e}"));
    p
}

fn check_golden(name: &str, lang: Lang, actual: &[String]) -> Result<(), String> {
    let golden = tests_dir()
        .join("lessons")
        .join(format!("{name}.{}.jsonl", lang.code()));
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().unwrap_or(&golden)).map_err(|e| e.to_string())?;
        let mut text = actual.join("\n");
        text.push('\n');
        std::fs::write(&golden, text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = read_lines(&golden);
    if expected != actual {
        for i in 0..expected.len().max(actual.len()) {
            let (e, a) = (expected.get(i), actual.get(i));
            if e != a {
                return Err(format!(
                    "{} differs from its golden (UPDATE_EXPECT=1 rewrites it) at line {}:\n  - {}\n  + {}",
                    golden.display(),
                    i + 1,
                    e.map_or("", |s| s),
                    a.map_or("", |s| s)
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_lesson_file_is_in_the_catalogue_and_back() {
    let mut files: Vec<String> = std::fs::read_dir(lessons_dir())
        .expect("assets/lessons")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.strip_suffix(".zks").map(str::to_string)
        })
        .collect();
    files.sort();
    let mut names: Vec<String> = LESSONS.iter().map(|l| l.name.to_string()).collect();
    names.sort();
    assert_eq!(files, names);
    for l in LESSONS {
        let on_disk = std::fs::read_to_string(lessons_dir().join(format!("{}.zks", l.name)))
            .expect("lesson file");
        assert_eq!(on_disk, l.src, "{}", l.name);
        assert!(find(l.name).is_some());
        assert!(
            l.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}: a lesson name travels in links: [a-z0-9-]",
            l.name
        );
    }
}

#[test]
fn lessons_are_golden_in_both_languages_and_quizzes_come_true() {
    let mut failures = Vec::new();
    for l in LESSONS {
        let p = played(l.name, l.src);
        // The run does not depend on the language; the transcript's texts do.
        for lang in Lang::ALL {
            let t = p.transcript(lang);
            if let Err(e) = check_golden(l.name, lang, &t) {
                failures.push(e);
            }
        }
        // Quizzes: revealed, and the simulation showed the answer.
        let reveals = p.reveals();
        let quizzes = p
            .shown()
            .filter(|s| matches!(s, Shown::Stop { quiz: Some(_), .. }))
            .count();
        assert_eq!(reveals.len(), quizzes, "{}: every quiz is revealed", l.name);
        for (stop, answer, shown) in reveals {
            if answer != shown {
                failures.push(format!(
                    "{}: the quiz at stop {stop} says {answer}, the simulation shows {shown}",
                    l.name
                ));
            }
        }
        assert_eq!(p.stop(), p.stops(), "{}", l.name);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_text_is_written_in_both_languages() {
    for l in LESSONS {
        let script = parse(l.src).unwrap_or_else(|e| panic!("{}: {e}", l.name));
        let mut titles = 0;
        for line in &script.lines {
            let texts = match &line.directive {
                Directive::Title(t) => {
                    titles += 1;
                    t
                }
                Directive::Note(t) => t,
                Directive::Quiz(q) => {
                    assert!(
                        q.choices.contains(&q.answer.label()),
                        "{}:{}: the answer is among the choices",
                        l.name,
                        line.line
                    );
                    &q.question
                }
                _ => continue,
            };
            for lang in Lang::ALL {
                let t = texts.exactly(lang).unwrap_or_default();
                assert!(
                    !t.trim().is_empty(),
                    "{}:{}: no {} text",
                    l.name,
                    line.line,
                    lang.code()
                );
            }
            let zh = texts.exactly(Lang::Zh).unwrap_or_default();
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}:{}: the zh text is not Chinese",
                l.name,
                line.line
            );
        }
        assert_eq!(titles, 1, "{}: one title", l.name);
    }
}

/// The script with every narration line blanked (so line numbers stay).
fn without_narration(src: &str) -> String {
    let script = parse(src).expect("parses");
    let narration: Vec<u32> = script
        .lines
        .iter()
        .filter(|l| l.directive.is_narration())
        .map(|l| l.line)
        .collect();
    src.split('\n')
        .enumerate()
        .map(|(i, l)| {
            if narration.contains(&(i as u32 + 1)) {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn narration_changes_neither_the_run_nor_the_trace() {
    for l in LESSONS {
        let with = run(l.name, l.src, opts(true)).unwrap_or_else(|e| panic!("{e}"));
        let without =
            run(l.name, &without_narration(l.src), opts(true)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(with.trace, without.trace, "{}", l.name);
        assert_eq!(with.events, without.events, "{}", l.name);
        assert_eq!(with.sim.steps(), without.sim.steps(), "{}", l.name);
    }
}

#[test]
fn the_player_stops_at_each_pause_and_runs_to_the_kth() {
    let l = find("startup-3").expect("startup-3");
    let mut p = Player::new("startup-3.zks", l.src, opts(false)).unwrap();
    let total = p.stops();
    assert!(total >= 3);
    // Stepping reports each stop once, in order, and nothing runs at a stop.
    let mut seen = Vec::new();
    loop {
        let steps = p.sim().steps();
        match p.step_event().unwrap() {
            PlayerEvent::Paused { index } => {
                assert_eq!(p.sim().steps(), steps, "a stop runs nothing");
                assert_eq!(p.stop(), index);
                seen.push(index);
            }
            PlayerEvent::Stepped => {}
            PlayerEvent::Finished => break,
        }
    }
    assert_eq!(seen, (1..=total).collect::<Vec<_>>());
    // Running to the k-th stop gives the same state as stepping there.
    for k in 0..=total {
        let mut a = Player::new("startup-3.zks", l.src, opts(false)).unwrap();
        assert!(a.run_to_stop(k).unwrap());
        assert_eq!(a.stop(), k);
        let mut b = Player::new("startup-3.zks", l.src, opts(false)).unwrap();
        while b.stop() < k {
            b.step().unwrap();
        }
        assert_eq!(a.trace(), b.trace());
        assert_eq!(a.sim().steps(), b.sim().steps());
        assert_eq!(a.transcript(Lang::Zh), b.transcript(Lang::Zh));
    }
    let mut a = Player::new("startup-3.zks", l.src, opts(false)).unwrap();
    assert!(!a.run_to_stop(total + 1).unwrap());
    assert!(a.finished());
    // The notes since the last stop, and the title, in either language.
    let mut p = Player::new("startup-3.zks", l.src, opts(false)).unwrap();
    p.run_to_stop(1).unwrap();
    assert!(p.title(Lang::En).is_some_and(|t| t.contains("three")));
    assert!(p.title(Lang::Zh).is_some_and(|t| t.contains("三")));
    p.step().unwrap();
    assert!(p.notes(Lang::En).is_empty() || p.current_note(Lang::En).is_some());
    p.run_to_stop(2).unwrap();
    assert!(!p.notes(Lang::Zh).is_empty());
    assert_eq!(p.notes(Lang::Zh).len(), p.notes(Lang::En).len());
}

// ----- key facts of each lesson -----

fn run_lesson(name: &str, events: bool) -> zkplay_core::script::RunOutput {
    let l = find(name).unwrap_or_else(|| panic!("no lesson {name}"));
    run(name, l.src, opts(events)).unwrap_or_else(|e| panic!("{e}"))
}

fn statuses(trace: &[String]) -> Vec<Value> {
    trace
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("status").is_some())
        .collect()
}

fn last_status(name: &str) -> Value {
    let out = run_lesson(name, false);
    statuses(&out.trace).pop().expect("a status line")
}

#[test]
fn startup_3_ends_with_2_leading_and_1_and_3_following() {
    let s = last_status("startup-3");
    assert_eq!(s["status"]["1"], "FOLLOWING");
    assert_eq!(s["status"]["2"], "LEADING");
    assert_eq!(s["status"]["3"], "FOLLOWING");
}

#[test]
fn started_together_3_leads() {
    let s = last_status("startup-together");
    assert_eq!(s["leader"], 3);
}

#[test]
fn quorum_lessons_lose_the_leader_exactly_past_the_tolerated_crashes() {
    for (name, n, tolerated) in [("why-2n1-4", 4, 1), ("why-2n1-5", 5, 2)] {
        let out = run_lesson(name, false);
        for s in statuses(&out.trace) {
            let down = (1..=n)
                .filter(|i| s["status"][i.to_string()] == "DOWN")
                .count();
            assert_eq!(
                s["leader"].is_null(),
                down > tolerated,
                "{name}: {down} of {n} down: {s}"
            );
        }
    }
}

#[test]
fn the_9_9_9_8_8_re_election_elects_3() {
    let out = run_lesson("reelection-5", true);
    let all = statuses(&out.trace);
    assert_eq!(all.first().expect("status")["leader"], 2);
    let last = all.last().expect("status");
    assert_eq!(last["leader"], 3);
    assert_eq!(last["status"]["1"], "DOWN");
    assert_eq!(last["status"]["2"], "DOWN");
    // 4 and 5, holding 0x200000008, switch to 3's vote with 0x200000009.
    let events = out.events.join("\n");
    for s in [4, 5] {
        assert!(
            out.events
                .iter()
                .any(|e| e.contains(&format!("\"server\":{s},\"from\":3,"))
                    && e.contains("LOOKING 3 0x200000009")
                    && e.contains("\"verdict\":\"Switch\"")),
            "{s} switches to 3: {}",
            events.len()
        );
    }
}

#[test]
fn zk1_with_0x42_beats_zk3_with_0x1c() {
    let s = last_status("zxid-vs-id");
    assert_eq!(s["leader"], 1);
}

#[test]
fn after_the_election_every_zab_step_happens() {
    let out = run_lesson("after-election", true);
    let events = out.events.join("\n");
    for kind in [
        "FOLLOWERINFO",
        "LEADERINFO",
        "ACKEPOCH",
        "NEWLEADER",
        "UPTODATE",
        "PROPOSAL",
        "\"ACK\"",
        "COMMIT",
    ] {
        assert!(events.contains(kind), "no {kind}");
    }
    for mode in [
        "\"mode\":\"diff\"",
        "\"mode\":\"snap\"",
        "\"mode\":\"trunc\"",
    ] {
        assert!(events.contains(mode), "no {mode}");
    }
}

#[test]
fn observers_never_lead_and_serve_reads() {
    let out = run_lesson("observers", false);
    for s in statuses(&out.trace) {
        assert_ne!(s["status"]["4"], "LEADING");
    }
    assert!(
        out.trace
            .iter()
            .any(|l| l.contains("\"client\":\"reader\"") && l.contains("\"data\""))
    );
}

#[test]
fn recipe_lessons_cost_one_notification_herd_free_and_n_minus_1_naive() {
    let out = run_lesson("recipe-election", false);
    let groups = zkplay_core::recipe::groups(&out.sim);
    let herd = groups
        .iter()
        .find(|g| g.root == "/election")
        .expect("herd-free group");
    let naive = groups
        .iter()
        .find(|g| g.root == "/naive")
        .expect("naive group");
    for c in herd.changes.iter().skip(1) {
        assert_eq!(c.notifications(), 1, "{c:?}");
    }
    let n = naive.members.len();
    assert_eq!(naive.changes[1].notifications(), n - 1);
    let out = run_lesson("recipe-lock", false);
    let g = &zkplay_core::recipe::groups(&out.sim)[0];
    let order: Vec<&str> = g.changes.iter().map(|c| c.to.as_str()).collect();
    assert_eq!(order, ["alice", "bob", "carol"]);
}
