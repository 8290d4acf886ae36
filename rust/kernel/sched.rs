// SPDX-License-Identifier: MIT
//! Scheduling policies in safe Rust.
//!
//! A policy implements [`Policy`], whose callbacks mirror C's
//! `struct sched_policy_ops` (include/keel/sched.h), and registers with
//! [`Registration`]. `#[vtable]` records which callbacks it provides, so
//! the C ops table holds NULL for the others and the core applies its
//! documented defaults. The policy's state lives in its own statics.
//!
//! Types keep a policy honest:
//!
//! * [`TaskToken`]: the right to have a task run. Only this module
//!   creates tokens (when the core hands a task to the policy in
//!   `task_wakeup`, `task_preempt` or `task_yield`); they are neither
//!   `Copy` nor `Clone`, and `pick_next` must return one. A policy can
//!   therefore neither invent a task nor queue one twice. A
//!   `TaskToken<P>` is branded by its policy and works only inside `P`'s
//!   callbacks (checked at run time, one compare): kept in a static and
//!   used elsewhere, or after `P` was switched away, it panics.
//! * [`RqLock`]: a zero-sized proof that the runqueue lock is held,
//!   passed to the callbacks that run under it. [`PerCpu::get_mut`]
//!   requires it, so per-CPU policy state is reached only under the lock.
//! * [`TaskData`]: the policy's per-task area (`p->se`), reachable only
//!   through a token or a `&mut` the core lends for one callback.
//! * [`Handover`]: what a policy switched away from says about a task
//!   (`task_export`) and the policy switched in takes (`task_adopt`,
//!   with the task's token if it is queued); an error from `task_adopt`
//!   undoes the switch.
//!
//! The C core still validates every answer (kernel/sched/policy.c): a
//! pick of a token the policy kept after giving it up is rejected there,
//! and the task of a kept token is not freed while its policy owns it
//! (see [`TaskToken`]).
//!
//! A policy that panics in a callback, starves a task or keeps giving
//! bad answers is ejected and the core falls back to its C fair policy
//! (kernel/sched/watchdog.c); after a panic the policy's statics are
//! abandoned, never used or freed again.
//!
//! The same source builds for the host (`--cfg keel_host`), where
//! `host` provides what the C core would, so that tools/sched-replay can
//! replay a recorded trace against a policy crate, unmodified.

#[cfg(keel_host)]
pub mod host;

mod task;
pub use task::{Rq, TaskData, TaskId, TaskRef, NICE_MAX, NICE_MIN};
mod token;
#[cfg(not(keel_host))]
pub(crate) use token::with_policy_tokens;
use token::{check_tokens_usable, token_held, tokens_usable};
pub use token::{InPolicy, Quiescent, RqLock, TaskToken};
mod percpu;
pub use percpu::{cpu_online, cpu_runs_idle, online_mask, PerCpu};
mod ops;
pub use ops::{switch_to, Ops, Policy, Registration};
mod queue;
pub use queue::{Iter as TaskQueueIter, TaskQueue};
mod fifo;
pub use fifo::{Fifo, FifoHooks, FifoPolicy};
mod weight;
pub use weight::{
    nice_index, place_by_load, scaled, weight_of, Cpus, NICE_0_WEIGHT, PRIO_TO_WEIGHT,
    WEIGHT_DIVISORS,
};
// in-kernel tests (ktest, kthreads, locks): not part of the host build
#[cfg(not(keel_host))]
mod reenter_test;
#[cfg(not(keel_host))]
mod token_test;

/// The number of CPUs the kernel supports (`NR_CPUS`).
pub const NR_CPUS: usize = bindings::NR_CPUS as usize;

/// Wake-up flag: first start of the task.
pub const WF_NEW: u32 = bindings::WF_NEW;
/// Wake-up flag: woken after blocking.
pub const WF_WAKEUP: u32 = bindings::WF_WAKEUP;
/// Wake-up flag: moved here from another runqueue.
pub const WF_MIGRATED: u32 = bindings::WF_MIGRATED;
/// Wake-up flag: handed over by a policy switch.
pub const WF_SWITCH: u32 = bindings::WF_SWITCH;
/// Hand-over flag: the task is its CPU's running task.
pub const WF_RUNNING: u32 = bindings::WF_RUNNING;

/// A task's scheduling state in policy-neutral terms, handed from the
/// old policy ([`Policy::task_export`]) to the new one
/// ([`Policy::task_adopt`]) at a live switch (C's `struct
/// sched_handover`). `None`: the old policy did not say.
///
/// ```
/// use kernel::sched::Handover;
///
/// // what a weighted policy exports for a task 2 ms behind, mid-slice
/// let h = Handover { lag_ns: Some(2_000_000), slice_left_ns: Some(500_000) };
/// // a FIFO policy knows neither: the new policy picks its own defaults
/// let fifo = Handover::default();
/// assert_eq!(fifo.lag_ns, None);
/// assert!(h.lag_ns.unwrap_or(0) > 0); // owed CPU time
/// ```
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Handover {
    /// How far the task is behind its queue's zero-lag point (the
    /// weighted average vruntime), in ns of nice-0 virtual time; > 0:
    /// it is owed CPU time.
    pub lag_ns: Option<i64>,
    /// Real CPU time left in its current slice, ns.
    pub slice_left_ns: Option<u64>,
}

impl Handover {
    fn from_c(h: &bindings::sched_handover) -> Self {
        Handover {
            lag_ns: (h.valid & bindings::SH_LAG != 0).then_some(h.lag_ns),
            slice_left_ns: (h.valid & bindings::SH_SLICE != 0).then_some(h.slice_left_ns),
        }
    }

    fn to_c(self) -> bindings::sched_handover {
        bindings::sched_handover {
            valid: self.lag_ns.map_or(0, |_| bindings::SH_LAG)
                | self.slice_left_ns.map_or(0, |_| bindings::SH_SLICE),
            lag_ns: self.lag_ns.unwrap_or(0),
            slice_left_ns: self.slice_left_ns.unwrap_or(0),
        }
    }
}
