//! Many messages in flight drawn on a canvas under the ring's SVG. An SVG path with
//! thousands of marks cost most of a frame (its text built, parsed, laid out and painted every
//! frame: BENCHMARKS.md, "animation"); here the marks are composed in wasm from one stamp per
//! look and handed to the canvas in one call.

use std::cell::RefCell;
use std::f64::consts::TAU;
use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, ImageData, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};
use yew::prelude::*;

use crate::layout::VIEW_H;
use crate::view::{Dot, DotLook};

/// The marks, grouped by look ([`crate::view::dot_batches`]).
pub type Batches = Vec<(DotLook, Vec<Dot>)>;

/// Props of [`MessageDots`].
#[derive(Properties, PartialEq)]
pub struct MessageDotsProps {
    /// What to draw.
    pub batches: Rc<Batches>,
    /// The ring's `viewBox`: its left edge and width (its height is [`VIEW_H`]).
    pub view: (f64, f64),
}

/// The colours of the marks, read once from the page's style sheet (the `--m-*` and
/// `--danger` custom properties that the SVG marks use).
struct Palette {
    vote: String,
    zab: String,
    client: String,
    reset: String,
    danger: String,
}

impl Palette {
    fn read(el: &web_sys::Element) -> Palette {
        let style = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
        let var = |name: &str, fallback: &str| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| fallback.to_string())
        };
        Palette {
            vote: var("--m-vote", "#8a3f9e"),
            zab: var("--m-zab", "#3a9bd9"),
            client: var("--m-client", "#3d4756"),
            reset: var("--m-reset", "#9aa3b0"),
            danger: var("--danger", "#d55e00"),
        }
    }

    /// Fill, stroke and stroke width of a look: the colours of `.msg .dot` in style.css, with
    /// the thinner outline that suits a crowd of marks.
    fn style(&self, look: DotLook) -> (&str, &str, f64) {
        let m = match look.class {
            "vote" => &self.vote,
            "zab" => &self.zab,
            "reset" => &self.reset,
            _ => &self.client,
        };
        if look.dropped {
            (&self.danger, "#fff", 1.2)
        } else if look.held {
            ("#fff", m, 3.0)
        } else if look.class == "zab" {
            (m, "#1b5e8c", 1.2)
        } else {
            (m, "#fff", 1.2)
        }
    }
}

/// A mark as pixels, `side` × `side`, centred on the mark: runs of visible pixels per row
/// (RGBA, not premultiplied), each either fully opaque (copied) or not (blended).
struct Stamp {
    look: DotLook,
    /// From the mark's centre to the stamp's corner, in device pixels.
    off: f64,
    /// Width and height in pixels.
    side: i32,
    runs: Vec<Run>,
}

struct Run {
    dy: i32,
    dx: i32,
    opaque: bool,
    /// 4 bytes a pixel.
    px: Vec<u8>,
}

impl Stamp {
    /// Cuts an RGBA image of `side` × `side` pixels into runs.
    fn from_rgba(look: DotLook, side: usize, rgba: &[u8]) -> Stamp {
        let mut runs = Vec::new();
        for y in 0..side {
            let row = &rgba[y * side * 4..(y + 1) * side * 4];
            let mut x = 0;
            while x < side {
                let a = row[x * 4 + 3];
                if a == 0 {
                    x += 1;
                    continue;
                }
                let opaque = a == 255;
                let start = x;
                while x < side && row[x * 4 + 3] != 0 && (row[x * 4 + 3] == 255) == opaque {
                    x += 1;
                }
                runs.push(Run {
                    dy: y as i32,
                    dx: start as i32,
                    opaque,
                    px: row[start * 4..x * 4].to_vec(),
                });
            }
        }
        Stamp {
            look,
            off: side as f64 / 2.0,
            side: side as i32,
            runs,
        }
    }

    /// Puts the stamp with its corner at (`x`, `y`) into `buf` (`w` × `h` RGBA), clipped.
    fn blit(&self, buf: &mut [u8], w: i32, h: i32, x: i32, y: i32) {
        if x >= 0 && y >= 0 && x + self.side <= w && y + self.side <= h {
            // Wholly inside (nearly every mark): no clipping per run.
            let (base, stride) = ((y * w + x) as usize * 4, w as usize * 4);
            for run in &self.runs {
                let at = base + run.dy as usize * stride + run.dx as usize * 4;
                let dst = &mut buf[at..at + run.px.len()];
                if run.opaque {
                    dst.copy_from_slice(&run.px);
                } else {
                    for (d, s) in dst.chunks_exact_mut(4).zip(run.px.chunks_exact(4)) {
                        over(d, s);
                    }
                }
            }
            return;
        }
        for run in &self.runs {
            let row = y + run.dy;
            if row < 0 || row >= h {
                continue;
            }
            let n = (run.px.len() / 4) as i32;
            let (x0, x1) = ((x + run.dx).max(0), (x + run.dx + n).min(w));
            if x0 >= x1 {
                continue;
            }
            let src = &run.px[((x0 - x - run.dx) * 4) as usize..((x1 - x - run.dx) * 4) as usize];
            let at = ((row * w + x0) * 4) as usize;
            let dst = &mut buf[at..at + src.len()];
            if run.opaque {
                dst.copy_from_slice(src);
            } else {
                for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                    over(d, s);
                }
            }
        }
    }
}

/// `src` over `dst`, both RGBA not premultiplied.
fn over(dst: &mut [u8], src: &[u8]) {
    let sa = src[3] as u32;
    let da = dst[3] as u32;
    if da == 0 {
        dst.copy_from_slice(src);
        return;
    }
    if da == 255 {
        for i in 0..3 {
            dst[i] = ((src[i] as u32 * sa + dst[i] as u32 * (255 - sa) + 127) / 255) as u8;
        }
        return;
    }
    // Alpha of the result, times 255; each channel weighted by its share of it.
    let keep = da * (255 - sa) / 255;
    let oa = sa + keep;
    for i in 0..3 {
        dst[i] = ((src[i] as u32 * sa + dst[i] as u32 * keep) / oa.max(1)) as u8;
    }
    dst[3] = oa.min(255) as u8;
}

/// The mark of `look` (a circle of radius `r`, or a 12-unit square if `r` is 0) drawn by
/// the browser at `k` device pixels per unit, read back as pixels.
fn stamp(palette: &Palette, look: DotLook, r: f64, k: f64) -> Option<Stamp> {
    let (fill, stroke, width) = palette.style(look);
    let half = if r > 0.0 { r } else { 6.0 } + width / 2.0 + 1.0;
    let side = (2.0 * half * k).ceil().max(1.0);
    let el = OffscreenCanvas::new(side as u32, side as u32).ok()?;
    let ctx: OffscreenCanvasRenderingContext2d =
        el.get_context("2d").ok().flatten()?.dyn_into().ok()?;
    let _ = ctx.set_transform(k, 0.0, 0.0, k, side / 2.0, side / 2.0);
    ctx.begin_path();
    if r > 0.0 {
        let _ = ctx.arc(0.0, 0.0, r, 0.0, TAU);
    } else {
        ctx.rect(-6.0, -6.0, 12.0, 12.0);
    }
    ctx.set_fill_style_str(fill);
    ctx.fill();
    ctx.set_stroke_style_str(stroke);
    ctx.set_line_width(width);
    ctx.stroke();
    let data = ctx.get_image_data(0.0, 0.0, side, side).ok()?.data();
    Some(Stamp::from_rgba(look, side as usize, &data))
}

/// Up to this many marks the canvas has the screen's pixel density; above it, one pixel per
/// CSS pixel.
const SHARP_UP_TO: usize = 1000;

/// What the canvas keeps between draws: the colours, the stamps for the current scale, and
/// the pixels (composed here and handed over in one call: thousands of browser drawing calls
/// a frame cost more than the frame).
#[derive(Default)]
struct Cache {
    palette: Option<Palette>,
    /// Device pixels per view unit the stamps were made for.
    k: f64,
    stamps: Vec<Stamp>,
    pixels: Vec<u8>,
}

/// Draws `batches` over the whole canvas, mapping the `viewBox` as the SVG does
/// (`xMidYMid meet`), sharp at the screen's pixel ratio.
fn draw(el: &HtmlCanvasElement, cache: &RefCell<Cache>, batches: &Batches, view: (f64, f64)) {
    let (w, h) = (el.client_width() as f64, el.client_height() as f64);
    if w <= 0.0 || h <= 0.0 || view.1 <= 0.0 {
        return;
    }
    // Sharp at the screen's pixel ratio, but a crowd of marks at one pixel per CSS pixel: on a
    // high-density screen that is a quarter of the pixels to compose, and the dots' edges are
    // all that softens.
    let marks: usize = batches.iter().map(|(_, d)| d.len()).sum();
    let dpr = if marks > SHARP_UP_TO {
        1.0
    } else {
        web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .max(1.0)
    };
    let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if el.width() != pw {
        el.set_width(pw);
    }
    if el.height() != ph {
        el.set_height(ph);
    }
    let Some(ctx) = el
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    if batches.is_empty() {
        ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
        return;
    }
    let scale = (w / view.1).min(h / VIEW_H);
    let k = dpr * scale;
    let x0 = dpr * ((w - view.1 * scale) / 2.0 - view.0 * scale);
    let y0 = dpr * (h - VIEW_H * scale) / 2.0;
    let mut cache = cache.borrow_mut();
    let cache = &mut *cache;
    let palette = cache.palette.get_or_insert_with(|| Palette::read(el));
    if cache.k != k {
        cache.k = k;
        cache.stamps.clear();
    }
    cache.pixels.clear();
    cache.pixels.resize(pw as usize * ph as usize * 4, 0);
    for (look, dots) in batches {
        let Some(first) = dots.first() else {
            continue;
        };
        if !cache.stamps.iter().any(|s| s.look == *look) {
            let radius = match *first {
                Dot::Circle(_, r) => r,
                Dot::Square(_) => 0.0,
            };
            match stamp(palette, *look, radius, k) {
                Some(s) => cache.stamps.push(s),
                None => continue,
            }
        }
        let Some(st) = cache.stamps.iter().find(|s| s.look == *look) else {
            continue;
        };
        for dot in dots {
            let p = match *dot {
                Dot::Circle(p, _) | Dot::Square(p) => p,
            };
            // Whole device pixels: the stamp is copied, never resampled.
            let x = (x0 + p.x * k - st.off).round() as i32;
            let y = (y0 + p.y * k - st.off).round() as i32;
            st.blit(&mut cache.pixels, pw as i32, ph as i32, x, y);
        }
    }
    if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&cache.pixels), pw, ph) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
}

/// The canvas of message marks; it draws again after every render (the ensemble renders
/// again when the window is resized).
#[component]
pub fn MessageDots(props: &MessageDotsProps) -> Html {
    let canvas = use_node_ref();
    let cache = use_mut_ref(Cache::default);
    {
        let canvas = canvas.clone();
        let batches = props.batches.clone();
        let view = props.view;
        use_effect(move || {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                draw(&el, &cache, &batches, view);
            }
        });
    }
    let count: usize = props.batches.iter().map(|(_, d)| d.len()).sum();
    html! {
        <canvas ref={canvas} class="dots" aria-hidden="true" data-dots={count.to_string()} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOK: DotLook = DotLook {
        class: "vote",
        held: false,
        dropped: false,
    };

    /// A 3 × 3 stamp: a plus sign, opaque red in the middle row, half-transparent blue above
    /// and below the centre.
    fn plus() -> Stamp {
        let (o, red, blue) = ([0, 0, 0, 0], [255, 0, 0, 255], [0, 0, 255, 128]);
        let px = [o, blue, o, red, red, red, o, blue, o].concat();
        Stamp::from_rgba(LOOK, 3, &px)
    }

    fn at(buf: &[u8], w: i32, x: i32, y: i32) -> [u8; 4] {
        let i = ((y * w + x) * 4) as usize;
        [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]
    }

    #[test]
    fn a_stamp_keeps_only_its_visible_pixels_in_runs() {
        let s = plus();
        assert_eq!(s.off, 1.5);
        let runs: Vec<_> = s
            .runs
            .iter()
            .map(|r| (r.dy, r.dx, r.opaque, r.px.len() / 4))
            .collect();
        assert_eq!(runs, [(0, 1, false, 1), (1, 0, true, 3), (2, 1, false, 1)]);
    }

    #[test]
    fn stamps_are_clipped_at_the_edges_and_blended_over_each_other() {
        let (w, h) = (4, 3);
        let mut buf = vec![0u8; (w * h * 4) as usize];
        let s = plus();
        // Half off the left edge: only what falls inside is written.
        s.blit(&mut buf, w, h, -1, 0);
        assert_eq!(at(&buf, w, 0, 1), [255, 0, 0, 255]);
        assert_eq!(at(&buf, w, 1, 1), [255, 0, 0, 255]);
        assert_eq!(at(&buf, w, 0, 0), [0, 0, 255, 128]);
        assert_eq!(at(&buf, w, 2, 1), [0, 0, 0, 0]);
        // Off the bottom right: nothing beyond the buffer, no panic.
        s.blit(&mut buf, w, h, 3, 2);
        assert_eq!(at(&buf, w, 3, 2), [0, 0, 0, 0]);
        s.blit(&mut buf, w, h, 10, 10);
        // Half-transparent blue over opaque red: purple, opaque.
        s.blit(&mut buf, w, h, 0, 0);
        let p = at(&buf, w, 1, 0);
        assert_eq!(p, [0, 0, 255, 128], "over a transparent pixel it is copied");
        let mut red = [255, 0, 0, 255];
        over(&mut red, &[0, 0, 255, 128]);
        assert_eq!(red[3], 255);
        assert!(
            red[0] > 100 && red[0] < 160 && red[2] > 100 && red[2] < 160,
            "{red:?}"
        );
        // Translucent over translucent: more opaque than either.
        let mut a = [0, 255, 0, 128];
        over(&mut a, &[0, 0, 255, 128]);
        assert!(a[3] > 128 && a[1] > 0 && a[2] > a[1], "{a:?}");
    }
}
