//! Golden scenarios: tests/scenarios/NAME.zks runs against NAME.jsonl. A script whose first
//! line is `# golden: events` is compared with its low-level events too (`zkplay run
//! --events`). `UPDATE_EXPECT=1 cargo test -p zkplay-tests --test scenarios` rewrites them.

use zkplay_tests::{read_lines, run_file, scripts_in, tests_dir};

fn check(script: &std::path::Path) -> Result<(), String> {
    let src = std::fs::read_to_string(script).map_err(|e| e.to_string())?;
    let events = src
        .lines()
        .next()
        .is_some_and(|l| l.trim() == "# golden: events");
    let actual = run_file(script, events)?;
    let again = run_file(script, events)?;
    if actual != again {
        return Err("two runs of the same script gave different output".into());
    }
    let golden = script.with_extension("jsonl");
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        let mut text = actual.join("\n");
        text.push('\n');
        std::fs::write(&golden, text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = read_lines(&golden);
    if expected != actual {
        let mut d = String::from("differs from its golden (UPDATE_EXPECT=1 rewrites it):");
        for i in 0..expected.len().max(actual.len()) {
            let (e, a) = (expected.get(i), actual.get(i));
            if e != a {
                d.push_str(&format!(
                    "\n  line {}:\n  - {}\n  + {}",
                    i + 1,
                    e.map_or("", |s| s),
                    a.map_or("", |s| s)
                ));
                break;
            }
        }
        return Err(d);
    }
    Ok(())
}

#[test]
fn golden_scenarios() {
    let dir = tests_dir().join("scenarios");
    let mut failures = Vec::new();
    let scripts = scripts_in(&dir);
    assert!(!scripts.is_empty());
    for s in &scripts {
        if let Err(e) = check(s) {
            failures.push(format!("{}: {e}", s.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
