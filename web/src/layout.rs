//! Geometry of the ensemble view, as pure functions over the SVG's `viewBox` coordinates
//! (unit-tested natively): where servers, observers and clients stand, where a message is
//! on its way, how a link is drawn, and how a pointer position maps into the picture.

/// Width of the ensemble's `viewBox`.
pub const VIEW_W: f64 = 1000.0;
/// Height of the ensemble's `viewBox`.
pub const VIEW_H: f64 = 660.0;

/// A point in `viewBox` coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    /// Horizontal, growing to the right.
    pub x: f64,
    /// Vertical, growing downwards.
    pub y: f64,
}

impl Pt {
    /// The point (x, y).
    pub const fn new(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }

    /// Distance to `other`.
    pub fn dist(self, other: Pt) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// Where everything of one ensemble stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Centre of the voters' ring.
    pub center: Pt,
    /// Radius of the voters' ring.
    pub ring_radius: f64,
    /// Radius of one server's disc.
    pub node_radius: f64,
    /// Voters, in id order, clockwise from the top.
    pub voters: Vec<Pt>,
    /// Observers, in id order, on their own row below the ring.
    pub observers: Vec<Pt>,
    /// Clients, in creation order, on a row above the ring.
    pub clients: Vec<Pt>,
    /// The y of the observers' row (for its caption), if there are observers.
    pub observer_row_y: Option<f64>,
    /// The part of the picture worth showing: `(x, width)`; the height is [`VIEW_H`].
    /// Narrow screens gain from not drawing empty margins beside the ring.
    pub view: (f64, f64),
}

impl Layout {
    /// The SVG `viewBox` attribute.
    pub fn view_box(&self) -> String {
        format!("{:.1} 0 {:.1} {VIEW_H}", self.view.0, self.view.1)
    }
}

/// `l`'s view, widened so that every voter has `room` free beside its disc on the outer side
/// (for labels there), still centred on the ring.
pub fn with_side_room(l: &Layout, room: f64) -> (f64, f64) {
    let half = l
        .voters
        .iter()
        .map(|p| (p.x - l.center.x).abs() + l.node_radius + room)
        .fold(l.view.1 / 2.0, f64::max);
    (l.center.x - half, 2.0 * half)
}

/// The `viewBox` (left edge, width) cropped to the servers and clients with `room` beside
/// each disc (narrow screens, where the labels beside the servers are hidden); never wider
/// than the layout's own view.
pub fn tight_view(l: &Layout, room: f64) -> (f64, f64) {
    let half = l
        .voters
        .iter()
        .chain(&l.observers)
        .map(|p| (p.x - l.center.x).abs() + l.node_radius + room)
        .chain(l.clients.iter().map(|p| (p.x - l.center.x).abs() + 24.0))
        .fold(0.0, f64::max)
        .min(l.view.1 / 2.0);
    (l.center.x - half, 2.0 * half)
}

/// Radius of a server's disc for `n` voters on a ring of radius `ring`: large for a few
/// servers, small enough for 51 not to overlap.
pub fn node_radius(n: usize, ring: f64) -> f64 {
    if n <= 1 {
        return 46.0;
    }
    let spacing = 2.0 * std::f64::consts::PI * ring / n as f64;
    (spacing * 0.34).clamp(9.0, 46.0)
}

/// Lays out `voters` servers on a ring, `observers` on a row of their own beneath it and
/// `clients` on a row above it.
pub fn layout(voters: usize, observers: usize, clients: usize) -> Layout {
    let top = if clients > 0 { 100.0 } else { 34.0 };
    let bottom = if observers > 0 {
        VIEW_H - 120.0
    } else {
        VIEW_H - 30.0
    };
    // The ring fits between the rows, with room for the labels under each server.
    let ring_radius = ((bottom - top) / 2.0 - 60.0).clamp(110.0, 300.0);
    let center = Pt::new(VIEW_W / 2.0, (top + bottom) / 2.0 - 10.0);
    let node_radius = node_radius(voters, ring_radius);
    let voter_pts: Vec<Pt> = (0..voters)
        .map(|i| ring_point(center, ring_radius, i, voters))
        .collect();
    let row_y = VIEW_H - 58.0;
    let observer_pts = row(observers, row_y, VIEW_W * 0.18, VIEW_W * 0.82, 120.0);
    let client_pts = row(clients, 46.0, VIEW_W * 0.15, VIEW_W * 0.85, 150.0);
    // Wide enough for every disc and the labels beside and under it, centred on the ring.
    let margin = node_radius + 120.0;
    let half = voter_pts
        .iter()
        .chain(&observer_pts)
        .chain(&client_pts)
        .map(|p: &Pt| (p.x - center.x).abs() + margin)
        .fold(200.0, f64::max)
        .min(VIEW_W / 2.0);
    Layout {
        center,
        ring_radius,
        node_radius,
        voters: voter_pts,
        observers: observer_pts,
        clients: client_pts,
        observer_row_y: (observers > 0).then_some(row_y),
        view: (center.x - half, 2.0 * half),
    }
}

/// The `i`-th of `n` points on a circle, clockwise from twelve o'clock.
pub fn ring_point(center: Pt, radius: f64, i: usize, n: usize) -> Pt {
    let angle = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n as f64;
    Pt::new(
        center.x + radius * angle.cos(),
        center.y + radius * angle.sin(),
    )
}

/// `n` points spread evenly on a horizontal row between `x0` and `x1`, at most `gap` apart,
/// centred.
pub fn row(n: usize, y: f64, x0: f64, x1: f64, gap: f64) -> Vec<Pt> {
    if n == 0 {
        return Vec::new();
    }
    let step = if n == 1 {
        0.0
    } else {
        ((x1 - x0) / (n - 1) as f64).min(gap)
    };
    let width = step * (n - 1) as f64;
    let start = (x0 + x1) / 2.0 - width / 2.0;
    (0..n)
        .map(|i| Pt::new(start + step * i as f64, y))
        .collect()
}

/// How far a message is on its way at `now`: 0 when sent, 1 on arrival, clamped.
pub fn progress(now: f64, sent_at: f64, deliver_at: f64) -> f64 {
    if deliver_at <= sent_at {
        return if now >= deliver_at { 1.0 } else { 0.0 };
    }
    ((now - sent_at) / (deliver_at - sent_at)).clamp(0.0, 1.0)
}

/// The point a fraction `t` of the way from `a` to `b`, moved `offset` to the right of the
/// direction of travel, so that messages going each way on one link use separate lanes.
pub fn lane_point(a: Pt, b: Pt, t: f64, offset: f64) -> Pt {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    let (nx, ny) = if len > 0.0 {
        (-dy / len, dx / len)
    } else {
        (0.0, 0.0)
    };
    Pt::new(a.x + dx * t + nx * offset, a.y + dy * t + ny * offset)
}

/// The ends of the segment from `a` to `b` cut back by `ra` at `a` and `rb` at `b` (so that a
/// link starts and ends at the discs' rims), moved `offset` to the right.
pub fn trimmed_segment(a: Pt, b: Pt, ra: f64, rb: f64, offset: f64) -> (Pt, Pt) {
    let len = a.dist(b);
    if len <= ra + rb {
        return (a, b);
    }
    (
        lane_point(a, b, ra / len, offset),
        lane_point(a, b, 1.0 - rb / len, offset),
    )
}

/// Where a loopback message (a server's vote to itself) is at progress `t`: on a small loop
/// that leaves the disc on the side facing away from the ring's centre.
pub fn loop_point(node: Pt, center: Pt, r: f64, t: f64) -> Pt {
    let (c, loop_r) = loop_circle(node, center, r);
    // Start and end on the rim side of the loop; go round once.
    let base = (node.y - c.y).atan2(node.x - c.x);
    let a = base + 2.0 * std::f64::consts::PI * t;
    Pt::new(c.x + loop_r * a.cos(), c.y + loop_r * a.sin())
}

/// The centre and radius of a server's loopback circle.
pub fn loop_circle(node: Pt, center: Pt, r: f64) -> (Pt, f64) {
    let (dx, dy) = (node.x - center.x, node.y - center.y);
    let len = dx.hypot(dy);
    let (ux, uy) = if len > 0.0 {
        (dx / len, dy / len)
    } else {
        (0.0, -1.0)
    };
    let loop_r = (r * 0.55).max(7.0);
    (
        Pt::new(node.x + ux * r * 1.25, node.y + uy * r * 1.25),
        loop_r,
    )
}

/// The `d` of an SVG arc path: `frac` (0..=1) of a circle of radius `r` round `c`, clockwise
/// from twelve o'clock.
pub fn arc_path(c: Pt, r: f64, start_frac: f64, frac: f64) -> String {
    let frac = frac.clamp(0.0, 1.0);
    if frac >= 0.9999 {
        // A full circle as two half arcs (an arc cannot end where it starts).
        return format!(
            "M {:.2} {:.2} A {r:.2} {r:.2} 0 1 1 {:.2} {:.2} A {r:.2} {r:.2} 0 1 1 {:.2} {:.2}",
            c.x,
            c.y - r,
            c.x,
            c.y + r,
            c.x,
            c.y - r
        );
    }
    let at = |f: f64| {
        let a = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * f;
        Pt::new(c.x + r * a.cos(), c.y + r * a.sin())
    };
    let (p0, p1) = (at(start_frac), at(start_frac + frac));
    let large = if frac > 0.5 { 1 } else { 0 };
    format!(
        "M {:.2} {:.2} A {r:.2} {r:.2} 0 {large} 1 {:.2} {:.2}",
        p0.x, p0.y, p1.x, p1.y
    )
}

/// Maps a pointer position in CSS pixels (`client`) to `viewBox` coordinates, for an SVG
/// whose box on screen is `rect` = (left, top, width, height), that shows `view` = (x, width)
/// of the picture, and that keeps its aspect ratio centred
/// (`preserveAspectRatio="xMidYMid meet"`, the default).
pub fn client_to_view(client: (f64, f64), rect: (f64, f64, f64, f64), view: (f64, f64)) -> Pt {
    let (left, top, width, height) = rect;
    if width <= 0.0 || height <= 0.0 {
        return Pt::new(0.0, 0.0);
    }
    let scale = (width / view.1).min(height / VIEW_H);
    let pad_x = (width - view.1 * scale) / 2.0;
    let pad_y = (height - VIEW_H * scale) / 2.0;
    Pt::new(
        view.0 + (client.0 - left - pad_x) / scale,
        (client.1 - top - pad_y) / scale,
    )
}

/// The inverse of [`client_to_view`]: where a `viewBox` point is on screen, in CSS pixels.
pub fn view_to_client(p: Pt, rect: (f64, f64, f64, f64), view: (f64, f64)) -> (f64, f64) {
    let (left, top, width, height) = rect;
    let scale = (width / view.1).min(height / VIEW_H);
    let pad_x = (width - view.1 * scale) / 2.0;
    let pad_y = (height - VIEW_H * scale) / 2.0;
    (
        left + pad_x + (p.x - view.0) * scale,
        top + pad_y + p.y * scale,
    )
}

/// The index of the point in `points` within `radius` of `p` (the nearest one), if any.
pub fn hit(points: &[Pt], p: Pt, radius: f64) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .map(|(i, q)| (i, q.dist(p)))
        .filter(|&(_, d)| d <= radius)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// An axis-aligned box in `viewBox` coordinates: its centre and half its width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    /// The centre.
    pub c: Pt,
    /// Half the width.
    pub hw: f64,
    /// Half the height.
    pub hh: f64,
}

impl LabelBox {
    /// The box of width `w` and height `h` centred on `c`.
    pub fn new(c: Pt, w: f64, h: f64) -> LabelBox {
        LabelBox {
            c,
            hw: w / 2.0,
            hh: h / 2.0,
        }
    }

    /// True if the two boxes share more than their edges.
    pub fn overlaps(&self, o: &LabelBox) -> bool {
        self.overlap(o) > 0.0
    }

    /// The area the two boxes share.
    pub fn overlap(&self, o: &LabelBox) -> f64 {
        let span = |a: f64, ha: f64, b: f64, hb: f64| {
            ((a + ha).min(b + hb) - (a - ha).max(b - hb)).max(0.0)
        };
        span(self.c.x, self.hw, o.c.x, o.hw) * span(self.c.y, self.hh, o.c.y, o.hh)
    }
}

/// How far [`place_labels`] moves a label up or down, at most, in steps of a little more than
/// its height.
const LABEL_TRIES: usize = 5;

/// Places labels (the verdict bubbles) so that they do not cover one another or the
/// `obstacles`: each goes where it wishes if that spot is free, else to the nearest free spot
/// straight above or below it (at most [`LABEL_TRIES`] steps away), else to the spot there
/// that covers the least (other labels count three times). Spots that would stick out of the
/// picture's height are not taken. Earlier labels are placed first.
pub fn place_labels(wishes: &[LabelBox], obstacles: &[LabelBox]) -> Vec<Pt> {
    let mut placed: Vec<LabelBox> = Vec::with_capacity(wishes.len());
    for w in wishes {
        let step = w.hh * 2.0 + 4.0;
        let covered = |b: &LabelBox| {
            let o: f64 = obstacles.iter().map(|o| b.overlap(o)).sum();
            let p: f64 = placed.iter().map(|o| b.overlap(o)).sum();
            o + 3.0 * p
        };
        let mut best = (f64::INFINITY, *w);
        for k in (0..=LABEL_TRIES).flat_map(|k| [k as f64, -(k as f64)]) {
            let b = LabelBox {
                c: Pt::new(w.c.x, w.c.y + k * step),
                ..*w
            };
            if k != 0.0 && (b.c.y - b.hh < 0.0 || b.c.y + b.hh > VIEW_H) {
                continue;
            }
            let c = covered(&b);
            if c < best.0 {
                best = (c, b);
            }
            if c == 0.0 {
                break;
            }
        }
        placed.push(best.1);
    }
    placed.into_iter().map(|b| b.c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_room_widens_the_view_around_the_ring() {
        for n in [1, 3, 5, 11] {
            let l = layout(n, 2, 1);
            let (x, w) = with_side_room(&l, 300.0);
            assert!(w >= l.view.1);
            assert!(close(x + w / 2.0, l.center.x));
            for p in &l.voters {
                assert!(p.x - l.node_radius - 300.0 >= x - 1e-9);
                assert!(p.x + l.node_radius + 300.0 <= x + w + 1e-9);
            }
        }
    }

    #[test]
    fn a_tight_view_crops_to_the_servers_and_keeps_every_one() {
        for (n, obs, clients) in [(3, 0, 0), (5, 0, 0), (5, 1, 0), (51, 0, 0), (5, 0, 2)] {
            let l = layout(n, obs, clients);
            let (x, w) = tight_view(&l, 28.0);
            assert!(w <= l.view.1 + 1e-9, "{n}: {w} > {}", l.view.1);
            assert!(close(x + w / 2.0, l.center.x));
            for p in l.voters.iter().chain(&l.observers) {
                assert!(p.x - l.node_radius - 28.0 >= x - 1e-9, "{n}: {p:?}");
                assert!(p.x + l.node_radius + 28.0 <= x + w + 1e-9, "{n}: {p:?}");
            }
            for p in &l.clients {
                assert!(p.x >= x && p.x <= x + w);
            }
        }
        // Five servers alone: noticeably tighter than the full view (a larger ring on a phone).
        let l = layout(5, 0, 0);
        assert!(tight_view(&l, 28.0).1 < 0.85 * l.view.1);
    }

    #[test]
    fn labels_make_room_for_each_other_and_for_obstacles() {
        let b = |x: f64, y: f64| LabelBox::new(Pt::new(x, y), 300.0, 28.0);
        let hub = LabelBox::new(Pt::new(500.0, 330.0), 260.0, 70.0);
        // Two wide labels wishing for nearly the same spot, one of them on the hub.
        let wishes = [
            b(400.0, 400.0),
            b(600.0, 405.0),
            b(500.0, 330.0),
            b(500.0, 100.0),
        ];
        let at = place_labels(&wishes, &[hub]);
        let placed: Vec<LabelBox> = at
            .iter()
            .zip(&wishes)
            .map(|(c, w)| LabelBox { c: *c, ..*w })
            .collect();
        for (i, p) in placed.iter().enumerate() {
            assert!(!p.overlaps(&hub), "label {i} covers the hub: {p:?}");
            for q in &placed[..i] {
                assert!(!p.overlaps(q), "{p:?} covers {q:?}");
            }
            // Only moved up or down, and not far.
            assert_eq!(p.c.x, wishes[i].c.x);
            assert!((p.c.y - wishes[i].c.y).abs() <= 5.0 * 32.0);
            assert!(p.c.y - p.hh >= 0.0 && p.c.y + p.hh <= VIEW_H);
        }
        // A free spot is kept as it is.
        assert_eq!(at[0], wishes[0].c);
        assert_eq!(at[3], wishes[3].c);
        // With no free spot near, a label stays where it wished.
        let wall = LabelBox::new(Pt::new(500.0, 330.0), 1000.0, 1000.0);
        assert_eq!(
            place_labels(&[b(500.0, 330.0)], &[wall]),
            vec![Pt::new(500.0, 330.0)]
        );
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn five_voters_sit_on_the_ring_clockwise_from_the_top() {
        let l = layout(5, 0, 0);
        assert_eq!(l.voters.len(), 5);
        for p in &l.voters {
            assert!(close(p.dist(l.center), l.ring_radius));
        }
        // Server 1 at twelve o'clock, server 2 to its right.
        assert!(close(l.voters[0].x, l.center.x));
        assert!(l.voters[0].y < l.center.y);
        assert!(l.voters[1].x > l.center.x);
        // Everything, labels included, stays inside the picture, which is narrower than
        // the whole view box for a small ring.
        assert!(l.view.1 < VIEW_W && l.view.0 > 0.0);
        assert!(close(l.view.0 + l.view.1 / 2.0, l.center.x));
        for p in &l.voters {
            assert!(p.x - l.node_radius - 60.0 >= l.view.0);
            assert!(p.x + l.node_radius + 60.0 <= l.view.0 + l.view.1);
            assert!(p.y - l.node_radius >= 0.0 && p.y + l.node_radius + 50.0 <= VIEW_H);
        }
    }

    #[test]
    fn discs_never_overlap_up_to_51_servers() {
        for n in [1, 2, 3, 5, 7, 9, 15, 25, 51] {
            let l = layout(n, 3, 2);
            for i in 0..n {
                for j in i + 1..n {
                    let d = l.voters[i].dist(l.voters[j]);
                    assert!(d > 2.0 * l.node_radius, "n={n}: {i} and {j} overlap");
                }
            }
        }
        assert_eq!(node_radius(3, 250.0), 46.0);
        assert!(node_radius(51, 250.0) < 12.0);
    }

    #[test]
    fn observers_and_clients_stand_apart_from_the_ring() {
        let l = layout(5, 2, 3);
        assert_eq!(l.observers.len(), 2);
        assert_eq!(l.clients.len(), 3);
        for o in &l.observers {
            assert!(o.dist(l.center) > l.ring_radius + l.node_radius);
            assert!(o.y > l.center.y);
        }
        for c in &l.clients {
            assert!(c.y < l.center.y - l.ring_radius);
        }
        assert!(l.observer_row_y.is_some());
        assert!(layout(5, 0, 0).observer_row_y.is_none());
    }

    #[test]
    fn rows_are_centred_and_capped() {
        let r = row(3, 10.0, 0.0, 1000.0, 100.0);
        assert_eq!(
            r,
            vec![
                Pt::new(400.0, 10.0),
                Pt::new(500.0, 10.0),
                Pt::new(600.0, 10.0)
            ]
        );
        assert_eq!(row(1, 5.0, 0.0, 100.0, 10.0), vec![Pt::new(50.0, 5.0)]);
        assert!(row(0, 5.0, 0.0, 100.0, 10.0).is_empty());
    }

    #[test]
    fn progress_interpolates_and_clamps() {
        assert!(close(progress(15.0, 10.0, 20.0), 0.5));
        assert!(close(progress(5.0, 10.0, 20.0), 0.0));
        assert!(close(progress(25.0, 10.0, 20.0), 1.0));
        // A loopback (no delay) is either not yet or fully delivered.
        assert!(close(progress(10.0, 10.0, 10.0), 1.0));
        assert!(close(progress(9.0, 10.0, 10.0), 0.0));
    }

    #[test]
    fn lanes_separate_the_two_directions() {
        let (a, b) = (Pt::new(0.0, 0.0), Pt::new(100.0, 0.0));
        let there = lane_point(a, b, 0.5, 5.0);
        let back = lane_point(b, a, 0.5, 5.0);
        assert!(close(there.x, 50.0) && close(back.x, 50.0));
        assert!(close(there.y, 5.0) && close(back.y, -5.0));
        let (s, e) = trimmed_segment(a, b, 10.0, 20.0, 0.0);
        assert!(close(s.x, 10.0) && close(e.x, 80.0));
    }

    #[test]
    fn loopback_goes_round_outside_the_disc() {
        let center = Pt::new(500.0, 400.0);
        let node = Pt::new(500.0, 100.0);
        let (c, r) = loop_circle(node, center, 40.0);
        assert!(c.y < node.y, "the loop is on the outer side");
        let start = loop_point(node, center, 40.0, 0.0);
        let end = loop_point(node, center, 40.0, 1.0);
        assert!(start.dist(end) < 1e-6);
        let half = loop_point(node, center, 40.0, 0.5);
        assert!(close(half.dist(c), r));
        assert!(half.y < start.y);
    }

    #[test]
    fn arcs_are_valid_paths() {
        let c = Pt::new(0.0, 0.0);
        assert_eq!(
            arc_path(c, 10.0, 0.0, 0.25),
            "M 0.00 -10.00 A 10.00 10.00 0 0 1 10.00 0.00"
        );
        assert!(arc_path(c, 10.0, 0.0, 0.75).contains(" 0 1 1 "));
        assert_eq!(arc_path(c, 10.0, 0.0, 1.0).matches(" A ").count(), 2);
    }

    #[test]
    fn pointer_positions_map_into_the_view_box() {
        // A box twice the view box: the scale is 2, no padding.
        let full = (0.0, VIEW_W);
        let rect = (10.0, 20.0, 2.0 * VIEW_W, 2.0 * VIEW_H);
        let p = client_to_view((1010.0, 20.0 + VIEW_H), rect, full);
        assert!(close(p.x, 500.0) && close(p.y, VIEW_H / 2.0));
        // A wider box: letterboxed horizontally.
        let rect = (0.0, 0.0, 2000.0, VIEW_H);
        let p = client_to_view((1000.0, VIEW_H / 2.0), rect, full);
        assert!(close(p.x, 500.0) && close(p.y, VIEW_H / 2.0));
        let p = client_to_view((500.0, 0.0), rect, full);
        assert!(close(p.x, 0.0));
        let (x, y) = view_to_client(Pt::new(250.0, 100.0), rect, full);
        let back = client_to_view((x, y), rect, full);
        assert!(close(back.x, 250.0) && close(back.y, 100.0));
        // Only the middle of the picture shown, in a box of its shape: scale 1.
        let view = (200.0, 600.0);
        let rect = (0.0, 0.0, 600.0, VIEW_H);
        let p = client_to_view((300.0, 10.0), rect, view);
        assert!(close(p.x, 500.0) && close(p.y, 10.0));
        let (x, y) = view_to_client(Pt::new(250.0, 100.0), rect, view);
        let back = client_to_view((x, y), rect, view);
        assert!(close(back.x, 250.0) && close(back.y, 100.0));
    }

    #[test]
    fn hits_pick_the_nearest_point_in_reach() {
        let pts = [Pt::new(0.0, 0.0), Pt::new(10.0, 0.0)];
        assert_eq!(hit(&pts, Pt::new(7.0, 0.0), 5.0), Some(1));
        assert_eq!(hit(&pts, Pt::new(4.0, 0.0), 5.0), Some(0));
        assert_eq!(hit(&pts, Pt::new(50.0, 0.0), 5.0), None);
    }
}
