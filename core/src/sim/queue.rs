//! The engine's queue of deliveries and timers, ordered by (time, sequence number).
//!
//! Almost everything the simulation schedules is due within a few milliseconds (network
//! latency), so near entries go into a timing wheel: one FIFO bucket per millisecond of the
//! next [`WHEEL`] ms and a bitmap of the buckets in use. Within a bucket every entry has the
//! same time and the entries arrive in sequence order, so a bucket's front is its minimum.
//! Entries further out (election and session timers, ticks) go into a binary heap. The
//! minimum is the smaller of the first used bucket's front and the heap's top, so the order
//! is exactly that of one heap over (time, sequence) — only cheaper.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::SimTime;

/// Milliseconds the wheel covers (one bit of the bitmap per bucket).
const WHEEL: u64 = 64;

/// One scheduled entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry<D> {
    /// When it is due.
    pub at: SimTime,
    /// Order of scheduling (unique): breaks ties between entries due at the same time.
    pub seq: u64,
    /// What is due.
    pub due: D,
}

impl<D: Eq> Ord for Entry<D> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl<D: Eq> PartialOrd for Entry<D> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The queue. `Clone` is part of a simulation snapshot.
#[derive(Debug, Clone)]
pub(super) struct Queue<D> {
    /// Every entry in the wheel is due in `[base, base + WHEEL)`; bucket `t % WHEEL` holds
    /// the entries due at `t`.
    base: SimTime,
    buckets: Vec<VecDeque<Entry<D>>>,
    /// Bit `b` set: bucket `b` is not empty.
    used: u64,
    /// Entries outside the wheel's window when they were scheduled.
    far: BinaryHeap<Reverse<Entry<D>>>,
    seq: u64,
}

impl<D: Copy + Eq> Queue<D> {
    pub(super) fn new() -> Queue<D> {
        Queue {
            base: SimTime(0),
            buckets: (0..WHEEL).map(|_| VecDeque::new()).collect(),
            used: 0,
            far: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// Schedules `due` at `at`; `now` is the current time (nothing is scheduled before it).
    pub(super) fn push(&mut self, now: SimTime, at: SimTime, due: D) {
        self.seq += 1;
        let e = Entry {
            at,
            seq: self.seq,
            due,
        };
        if self.used == 0 {
            // An empty wheel can move its window to the present.
            self.base = now;
        }
        if at >= self.base && at.0 - self.base.0 < WHEEL {
            let b = (at.0 % WHEEL) as usize;
            self.buckets[b].push_back(e);
            self.used |= 1 << b;
        } else {
            self.far.push(Reverse(e));
        }
    }

    /// The first used bucket (the wheel's minimum is its front).
    fn first_bucket(&self) -> Option<usize> {
        if self.used == 0 {
            return None;
        }
        let start = (self.base.0 % WHEEL) as u32;
        let off = self.used.rotate_right(start).trailing_zeros();
        Some(((start + off) % WHEEL as u32) as usize)
    }

    /// The next entry, without removing it.
    pub(super) fn peek(&self) -> Option<&Entry<D>> {
        let near = self.first_bucket().and_then(|b| self.buckets[b].front());
        let far = self.far.peek().map(|Reverse(e)| e);
        match (near, far) {
            (Some(n), Some(f)) => Some(if f < n { f } else { n }),
            (n, f) => n.or(f),
        }
    }

    /// Removes and returns the next entry.
    pub(super) fn pop(&mut self) -> Option<Entry<D>> {
        let bucket = self.first_bucket();
        let near = bucket.and_then(|b| self.buckets[b].front());
        let take_far = match (near, self.far.peek()) {
            (Some(n), Some(Reverse(f))) => f < n,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        if take_far {
            return self.far.pop().map(|Reverse(e)| e);
        }
        let b = bucket?;
        let e = self.buckets[b].pop_front()?;
        if self.buckets[b].is_empty() {
            self.used &= !(1 << b);
        }
        // Everything left is due at or after `e`: the window may start there.
        self.base = e.at;
        Some(e)
    }

    /// Every entry, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Entry<D>> {
        self.buckets
            .iter()
            .flatten()
            .chain(self.far.iter().map(|Reverse(e)| e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue pops in exactly the order of one binary heap over (time, sequence), for
    /// near and far entries mixed, pushes between pops, and time jumps with an empty wheel.
    #[test]
    fn same_order_as_a_heap() {
        let mut q = Queue::new();
        let mut heap: BinaryHeap<Reverse<(SimTime, u64, u32)>> = BinaryHeap::new();
        let mut seq = 0u64;
        let mut now = SimTime(0);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rand = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut popped = 0;
        for i in 0..20_000u32 {
            let r = rand();
            if r % 3 != 0 || heap.is_empty() {
                let delay = match r % 7 {
                    0 => 0,
                    1 => 2_000 + r % 5_000,
                    2 => 63 + r % 3,
                    _ => 1 + (r >> 8) % 5,
                };
                let at = now.plus(delay);
                q.push(now, at, i);
                seq += 1;
                heap.push(Reverse((at, seq, i)));
            } else {
                let Reverse((at, s, d)) = heap.pop().expect("not empty");
                assert_eq!(q.peek().map(|e| (e.at, e.seq, e.due)), Some((at, s, d)));
                let e = q.pop().expect("same length");
                assert_eq!((e.at, e.seq, e.due), (at, s, d));
                now = at;
                popped += 1;
                if r % 11 == 0 && q.used == 0 {
                    // The clock jumps ahead (run_until with nothing due).
                    now = now.plus(r % 300);
                }
            }
            assert_eq!(q.iter().count(), heap.len());
        }
        while let Some(Reverse((at, s, d))) = heap.pop() {
            let e = q.pop().expect("same length");
            assert_eq!((e.at, e.seq, e.due), (at, s, d));
        }
        assert!(q.pop().is_none());
        assert!(popped > 5_000);
    }
}
