//! Lists the golden scenarios for the browser determinism test (web/tests/browser.rs).
//!
//! Every `tests/scenarios/NAME.zks` that has a sibling `NAME.jsonl` becomes one entry of
//! `$OUT_DIR/scenarios.rs`: `(name, script, golden)`, both files pulled in with
//! `include_str!`. wasm has no file system, so the files must be compiled in.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = manifest_dir.join("../tests/scenarios");
    // A directory is scanned as a whole: adding, removing or editing a file reruns this.
    println!("cargo::rerun-if-changed={}", dir.display());

    let mut code = String::from("/// `(name, script, golden)` for each golden scenario.\n");
    code.push_str("pub const SCENARIOS: &[(&str, &str, &str)] = &[\n");
    for (name, zks, jsonl) in goldens(&dir) {
        writeln!(
            code,
            "    ({name:?}, include_str!({zks:?}), include_str!({jsonl:?})),",
            zks = zks.display().to_string(),
            jsonl = jsonl.display().to_string(),
        )
        .expect("writing to a String");
    }
    code.push_str("];\n");

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("scenarios.rs");
    fs::write(&out, code).unwrap_or_else(|err| panic!("writing {}: {err}", out.display()));
}

/// `(name, script path, golden path)` for every script with a golden, sorted by name.
fn goldens(dir: &Path) -> Vec<(String, PathBuf, PathBuf)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zks"))
        .filter_map(|zks| {
            let jsonl = zks.with_extension("jsonl");
            let name = zks.file_stem()?.to_str()?.to_owned();
            let zks = zks.canonicalize().ok()?;
            let jsonl = jsonl.canonicalize().ok()?;
            Some((name, zks, jsonl))
        })
        .collect();
    found.sort();
    found
}
