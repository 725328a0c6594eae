//! One `requestAnimationFrame` loop that reports each frame's duration while `running`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

/// The loop's state, shared by the effect and the frame callbacks.
#[derive(Default)]
struct Loop {
    /// The pending frame; dropping it cancels the loop.
    next: Option<AnimationFrame>,
    /// The frame whose callback is running (it may not be dropped from inside itself).
    running: Option<AnimationFrame>,
    /// Timestamp of the previous frame.
    last: Option<f64>,
    /// Whether the loop should go on.
    active: bool,
}

fn schedule(state: Rc<RefCell<Loop>>, on_frame: Callback<f64>) {
    let inner = state.clone();
    let handle = request_animation_frame(move |ts| {
        let dt = {
            let mut s = inner.borrow_mut();
            if !s.active {
                return;
            }
            // This callback's own handle moves aside; the one before it is dropped now.
            s.running = s.next.take();
            let dt = s.last.map_or(0.0, |last| (ts - last).max(0.0));
            s.last = Some(ts);
            dt
        };
        on_frame.emit(dt);
        if inner.borrow().active {
            schedule(inner.clone(), on_frame.clone());
        }
    });
    state.borrow_mut().next = Some(handle);
}

/// While `running`, calls `on_frame` once per animation frame with the real milliseconds
/// since the previous frame (0 for the first). Stopping, or unmounting, cancels the frame
/// that is pending.
#[hook]
pub fn use_frame_loop(running: bool, on_frame: Callback<f64>) {
    let state = use_mut_ref(Loop::default);
    // The callback may change between renders; the loop always calls the latest one.
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(running, move |&running| {
        if running {
            {
                let mut s = state.borrow_mut();
                s.active = true;
                s.last = None;
            }
            let relay = Callback::from(move |dt: f64| {
                let cb = latest.borrow().clone();
                cb.emit(dt);
            });
            schedule(state.clone(), relay);
        }
        move || {
            let mut s = state.borrow_mut();
            s.active = false;
            s.next = None;
        }
    });
}
