//! Every conformance case recorded from a real ZooKeeper 3.8 ensemble
//! (tests/conformance/cases, copied from the shared conformance suite) must give exactly its
//! expected trace, compared as compare.py compares them.

use zkplay_tests::{compare_traces, read_lines, run_file, scripts_in, tests_dir};

#[test]
fn conformance_cases_match_real_zookeeper() {
    let dir = tests_dir().join("conformance/cases");
    let only = std::env::var("CASE").ok();
    let mut failures = Vec::new();
    let mut n = 0;
    for script in scripts_in(&dir) {
        let name = script.file_stem().unwrap().to_string_lossy().to_string();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        n += 1;
        let expected = read_lines(&dir.join(format!("{name}.expected.jsonl")));
        match run_file(&script, false) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(actual) => {
                let d = compare_traces(&expected, &actual);
                if !d.is_empty() {
                    failures.push(format!("{name}:\n{}", d.join("\n")));
                }
            }
        }
    }
    assert!(n > 0, "no conformance cases found");
    assert!(
        failures.is_empty(),
        "{} of {n} cases differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
