//! `window.zkplay`: a small JavaScript API for tests, benchmarks and teachers who embed the
//! page. Every call goes through the store's actions (dispatching is synchronous), so the
//! page shows what the API did.
//!
//! - `load(scriptText)` → `{ok, error}`: replaces the run with a `.zks` script, paused at
//!   its start.
//! - `step(n = 1)` → the position after `n` steps.
//! - `seek(position)` → the position reached (clamped to the timeline).
//! - `status()` → every server's state, vote, epochs and phase, the leader, time and position.
//! - `trace()` → the script's JSON-lines trace so far (empty for the playground scenario).
//! - `events()` → the low-level events so far, as `zkplay run --events` prints them.
//! - `eventCount()` → the position: steps taken to reach the state shown.
//! - `play()`, `pause()`, `runUntilLeader()`.
//! - `shareLink()` → the link to exactly what the page shows (what the Share button copies):
//!   `…#lesson=NAME&step=K&lang=zh` at a lesson's stop, else `…#v=1&z=…` (crate::link).
//! - `openLink(fragment)` → opens a link's fragment in this page, as loading it would.
//! - `bench({servers = 5, writes = 10000})` → `{servers, writes, messages, steps, ms}`: runs `zkplay bench`'s message
//!   workload (zkplay_core::bench) in this page's wasm, apart from the run shown, with the
//!   event log, invariants and trace off; `ms` is `performance.now()` around the run, the
//!   script's parsing excluded (as natively). For BENCHMARKS.md's browser figures.

use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use zkplay_core::{ServerState, Sim, Zxid};

use crate::engine::Engine;
use crate::store::{Action, SimHandle};

/// The status of every server as `status()` returns it.
pub fn status_json(engine: &Engine, shown_time: f64, playing: bool) -> Value {
    let sim: &Sim = engine.sim();
    let servers: Vec<Value> = sim
        .servers()
        .iter()
        .map(|s| {
            let vote = match s.state {
                ServerState::Down => Value::Null,
                ServerState::Looking => json!({
                    "leader": s.fle.proposal.0,
                    "zxid": Zxid(s.fle.proposal.1).to_string(),
                    "round": s.fle.logicalclock,
                }),
                _ => json!({
                    "leader": s.current_vote.id,
                    "zxid": Zxid(s.current_vote.zxid).to_string(),
                    "round": s.current_vote.election_epoch,
                }),
            };
            json!({
                "id": s.id.0,
                "state": s.state.name(),
                "observer": s.observer,
                "zab": s.zab.name(),
                "vote": vote,
                "logicalclock": s.fle.logicalclock,
                "acceptedEpoch": s.disk.accepted_epoch,
                "currentEpoch": s.disk.current_epoch,
                "lastZxid": s.last_logged_zxid().to_string(),
            })
        })
        .collect();
    let leader = sim.established_leader();
    json!({
        "servers": servers,
        "leader": leader.map(|l| l.id.0),
        "epoch": leader.map(|l| l.disk.current_epoch),
        "time": shown_time,
        "simTime": sim.now().0,
        "position": engine.pos(),
        "horizon": engine.horizon(),
        "playing": playing,
        "clients": sim.clients().iter().map(|c| json!({"name": c.name, "state": c.state.name()})).collect::<Vec<_>>(),
    })
}

fn to_js(v: &Value) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(v, &ser).unwrap_or(JsValue::NULL)
}

/// Keeps the API's closures alive; dropping it removes `window.zkplay`.
pub struct Api {
    _closures: Vec<Closure<dyn FnMut(JsValue) -> JsValue>>,
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::delete_property(w.as_ref(), &"zkplay".into());
        }
    }
}

/// Installs `window.zkplay` over `store`.
pub fn install(store: SimHandle) -> Api {
    let object = js_sys::Object::new();
    let mut closures = Vec::new();
    let mut add = |name: &str, f: Box<dyn FnMut(JsValue) -> JsValue>| {
        let c = Closure::wrap(f);
        let _ = js_sys::Reflect::set(&object, &name.into(), c.as_ref().unchecked_ref());
        closures.push(c);
    };
    {
        let store = store.clone();
        add(
            "load",
            Box::new(move |src: JsValue| {
                let src = src.as_string().unwrap_or_default();
                store.dispatch(Action::DismissNotice);
                store.dispatch(Action::LoadScript(src));
                let error = store.ui.error.clone();
                to_js(&json!({"ok": error.is_none(), "error": error}))
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "step",
            Box::new(move |n: JsValue| {
                let n = n.as_f64().unwrap_or(1.0).max(0.0) as u64;
                store.dispatch(Action::StepN(n));
                JsValue::from_f64(store.engine().pos() as f64)
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "seek",
            Box::new(move |p: JsValue| {
                let p = p.as_f64().unwrap_or(0.0).max(0.0) as u64;
                store.dispatch(Action::Seek(p));
                JsValue::from_f64(store.engine().pos() as f64)
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "status",
            Box::new(move |_| {
                let v = status_json(&store.engine(), store.playback.now, store.playback.playing);
                to_js(&v)
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "trace",
            Box::new(move |_| {
                let e = store.engine();
                let mut text = e.trace().join("\n");
                if !text.is_empty() {
                    text.push('\n');
                }
                JsValue::from_str(&text)
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "events",
            Box::new(move |_| {
                let e = store.engine();
                let mut text = String::new();
                for ev in e.events() {
                    text.push_str(&ev.to_json().to_string());
                    text.push('\n');
                }
                JsValue::from_str(&text)
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "eventCount",
            Box::new(move |_| JsValue::from_f64(store.engine().pos() as f64)),
        );
    }
    {
        let store = store.clone();
        add(
            "play",
            Box::new(move |_| {
                if !store.playback.playing {
                    store.dispatch(Action::TogglePlay);
                }
                JsValue::TRUE
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "pause",
            Box::new(move |_| {
                store.dispatch(Action::Pause);
                JsValue::TRUE
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "runUntilLeader",
            Box::new(move |_| {
                store.dispatch(Action::RunUntilLeader);
                let leader = store.engine().sim().established_leader().map(|l| l.id.0);
                leader.map_or(JsValue::NULL, |l| JsValue::from_f64(l as f64))
            }),
        );
    }
    {
        let store = store.clone();
        add(
            "shareLink",
            Box::new(move |_| JsValue::from_str(&crate::components::share::share_link(&store))),
        );
    }
    {
        let store = store.clone();
        add(
            "openLink",
            Box::new(move |f: JsValue| {
                let f = f.as_string().unwrap_or_default();
                store.dispatch(Action::Class(crate::lesson_state::ClassAction::OpenLink(f)));
                JsValue::from_f64(store.engine().pos() as f64)
            }),
        );
    }
    add("bench", Box::new(|args: JsValue| to_js(&bench(&args))));
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(w.as_ref(), &"zkplay".into(), &object);
    }
    Api {
        _closures: closures,
    }
}

/// `bench({servers, writes})`.
fn bench(args: &JsValue) -> Value {
    let arg = |key: &str, default: f64| {
        if !args.is_object() {
            return default;
        }
        js_sys::Reflect::get(args, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(default)
    };
    let servers = arg("servers", 5.0).clamp(1.0, 255.0) as u8;
    let writes = arg("writes", 10_000.0).clamp(0.0, 1e7) as u32;
    let src = zkplay_core::bench::workload(servers, writes);
    let script = match zkplay_core::script::parse(&src) {
        Ok(s) => s,
        Err(e) => return json!({"error": e.message}),
    };
    let clock = web_sys::window().and_then(|w| w.performance());
    let now = || clock.as_ref().map_or(0.0, |p| p.now());
    let t = now();
    let run = zkplay_core::bench::run_workload(&script);
    let ms = now() - t;
    match run {
        Ok(r) => json!({
            "servers": servers,
            "writes": writes,
            "messages": r.messages,
            "steps": r.steps,
            "ms": ms,
        }),
        Err(e) => json!({"error": e}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lists_every_server() {
        let mut e = Engine::default_scenario();
        let v = status_json(&e, 0.0, false);
        assert_eq!(v["servers"].as_array().unwrap().len(), 5);
        assert_eq!(v["servers"][0]["state"], "LOOKING");
        assert_eq!(v["servers"][0]["vote"]["leader"], 1);
        assert_eq!(v["leader"], Value::Null);
        assert!(e.run_until_leader(100_000));
        let v = status_json(&e, 0.0, false);
        assert!(v["leader"].is_u64());
        assert_eq!(v["epoch"], 1);
        assert_eq!(v["position"], e.pos());
    }
}
