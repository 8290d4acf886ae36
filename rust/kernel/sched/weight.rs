// SPDX-License-Identifier: MIT
//! Nice levels as weights, CPU masks as iterators and fair.c's placement
//! rule: what weighted policies (fair_rs, eevdf) share.
//!
//! The weights are Linux's `sched_prio_to_weight[]` (nice 0 is 1024, each
//! step about 1.25x, so one nice level is about 10% of CPU time); C's
//! kernel/sched/fair.c has the same table.

use super::{cpu_runs_idle, online_mask, TaskRef, NICE_MIN, NR_CPUS, WF_NEW};
use core::num::NonZeroU64;

/// The weight of a nice-0 task: virtual time runs at CPU time for it.
pub const NICE_0_WEIGHT: u64 = 1024;

/// Linux's sched_prio_to_weight[], nice -20 .. 19.
///
/// ```
/// use kernel::sched::{NICE_0_WEIGHT, PRIO_TO_WEIGHT, WEIGHT_DIVISORS};
///
/// assert_eq!(PRIO_TO_WEIGHT[20], NICE_0_WEIGHT); // nice 0
/// // one nice level is about 1.25x the CPU time
/// let r = PRIO_TO_WEIGHT[20] * 100 / PRIO_TO_WEIGHT[21];
/// assert!((120..=130).contains(&r));
/// assert_eq!(WEIGHT_DIVISORS[39].get(), 15); // nice 19, never zero
/// ```
pub const PRIO_TO_WEIGHT: [u64; 40] = [
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906, 3121, 2501, 1991, 1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87,
    70, 56, 45, 36, 29, 23, 18, 15,
];

/// The same weights as divisors: never zero, so a division needs no
/// zero check.
pub const WEIGHT_DIVISORS: [NonZeroU64; 40] = {
    let mut w = [NonZeroU64::MIN; 40];
    let mut i = 0;
    while i < 40 {
        w[i] = match NonZeroU64::new(PRIO_TO_WEIGHT[i]) {
            Some(x) => x,
            None => panic!("a zero weight"),
        };
        i += 1;
    }
    w
};

/// `t`'s index in the weight tables (its nice level + 20).
#[inline]
pub fn nice_index(t: &TaskRef) -> usize {
    (t.nice() - NICE_MIN) as usize
}

/// `t`'s weight, from its nice level.
#[inline]
pub fn weight_of(t: &TaskRef) -> u64 {
    PRIO_TO_WEIGHT[nice_index(t)]
}

/// `ns` of `t`'s CPU time as virtual time: `ns * NICE_0_WEIGHT / weight`.
#[inline]
pub fn scaled(ns: u64, t: &TaskRef) -> i64 {
    (ns * NICE_0_WEIGHT / WEIGHT_DIVISORS[nice_index(t)]) as i64
}

/// The CPUs of a mask (one bit each), lowest first (C's for_each_cpu).
pub struct Cpus(pub u64);

impl Iterator for Cpus {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let cpu = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        (cpu < NR_CPUS).then_some(cpu)
    }
}

/// fair.c's placement of a waking task `t`: its previous CPU if that is
/// idle (not for a new task), else the first idle allowed CPU, else the
/// allowed CPU with the shortest queue (the previous one on a tie).
/// `queued(cpu)` is the policy's queue length there (read racily); a CPU
/// is idle if it runs its idle task with nothing queued.
#[inline]
pub fn place_by_load(
    t: &TaskRef,
    prev_cpu: usize,
    flags: u32,
    queued: impl Fn(usize) -> usize,
) -> usize {
    let allowed = t.allowed() & online_mask();
    let idle = |cpu: usize| cpu_runs_idle(cpu) && queued(cpu) == 0;
    if flags & WF_NEW == 0 && prev_cpu < 64 && allowed & (1 << prev_cpu) != 0 && idle(prev_cpu) {
        return prev_cpu;
    }
    if let Some(cpu) = Cpus(allowed).find(|&c| idle(c)) {
        return cpu;
    }
    let (mut best, mut best_nr) = (prev_cpu, usize::MAX);
    for cpu in Cpus(allowed) {
        let nr = queued(cpu) + 1;
        if nr < best_nr || (nr == best_nr && cpu == prev_cpu) {
            best = cpu;
            best_nr = nr;
        }
    }
    best
}
