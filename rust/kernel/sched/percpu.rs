// SPDX-License-Identifier: MIT
//! Per-CPU data of a policy ([`PerCpu`], reached under the runqueue
//! lock) and the CPU masks a policy reads.

use super::{Quiescent, Rq, RqLock, NR_CPUS};
use core::cell::UnsafeCell;
use core::marker::PhantomData;

/// Per-CPU state of policy `P`, reachable only under that CPU's
/// runqueue lock, in `P`'s own callbacks.
///
/// # Invariants
///
/// Element `i` is accessed only (a) by a callback of `P` that holds CPU
/// `i`'s runqueue lock (it has an `RqLock<P>`, made by `Ops::<P>`), or
/// (b) by `P`'s `init`/`exit` (a `Quiescent<P>`), while no callback of
/// `P` runs or can start. The brand `P` is what ties the proofs to this
/// data: a second policy in the same crate gets `RqLock<Q>` and
/// `Quiescent<Q>`, which this type does not accept.
pub struct PerCpu<P: ?Sized, T>([UnsafeCell<T>; NR_CPUS], PhantomData<fn() -> P>);

// SAFETY: per the invariants, each element is used by one CPU at a time:
// under its runqueue lock by `P`'s callbacks, or by `P`'s init/exit while
// none of `P`'s callbacks runs; `T: Send` because successive users may be
// on different CPUs.
unsafe impl<P: ?Sized, T: Send> Sync for PerCpu<P, T> {}

impl<P: ?Sized, T> PerCpu<P, T> {
    /// One value per CPU.
    #[inline]
    pub const fn new(v: [UnsafeCell<T>; NR_CPUS]) -> Self {
        PerCpu(v, PhantomData)
    }

    /// `rq`'s element, exclusively, under its lock.
    #[inline]
    pub fn get_mut<'b>(&'b self, rq: &Rq<'_>, _lock: &'b mut RqLock<'_, P>) -> &'b mut T {
        // SAFETY: an RqLock<P> exists only inside a callback of P made by
        // the core with rq's lock held; P's other callbacks that could
        // touch this element need that lock, and P's init/exit do not run
        // while a callback of P runs (Quiescent). The proof is borrowed
        // mutably for as long as the result lives, so this callback holds
        // only one such borrow (of any element) at a time.
        unsafe { &mut *self.0[rq.cpu()].get() }
    }

    /// `rq`'s element, shared, under its lock (balance: both held).
    #[inline]
    pub fn get<'b>(&'b self, rq: &Rq<'_>, _lock: &'b RqLock<'_, P>) -> &'b T {
        // SAFETY: an RqLock<P> exists only inside a callback of P made by
        // the core with the locks of the runqueues it passes held (both,
        // in balance), so rq's lock is held; P's other callbacks that
        // could touch this element need that lock, and P's init/exit do
        // not run while a callback of P runs. This callback's `get_mut`
        // needs the proof mutably, which it cannot have while this
        // shared borrow of it lives, so only shared borrows coexist.
        unsafe { &*self.0[rq.cpu()].get() }
    }

    /// Every CPU's element, while no callback of the policy can run.
    #[inline]
    pub fn for_each_mut(&self, _q: &mut Quiescent<P>, mut f: impl FnMut(&mut T)) {
        for cell in &self.0 {
            // SAFETY: a Quiescent<P> exists only in P's init (P not yet
            // published) and exit (P unpublished, every CPU past its
            // callbacks), and the core refuses a switch from inside any
            // policy callback or init/exit (sched_policy_switch:
            // -EDEADLK), so P cannot be published again meanwhile: no
            // callback of P runs or starts until this returns. `&mut
            // Quiescent` makes this the only such borrow.
            f(unsafe { &mut *cell.get() })
        }
    }
}

/// Builds a [`PerCpu`] from a constant expression evaluated per CPU.
#[macro_export]
macro_rules! per_cpu {
    ($e:expr) => {
        $crate::sched::PerCpu::new(
            [const { ::core::cell::UnsafeCell::new($e) }; $crate::sched::NR_CPUS],
        )
    };
}

/// The online CPUs, one bit each (read racily).
#[inline]
pub fn online_mask() -> u64 {
    // SAFETY: cpu_online_mask is an 8-aligned u64 that lives for the
    // whole run and that C changes only with atomic operations
    // (kernel/smp.c), so an atomic load of it is not a data race.
    let mask = unsafe {
        core::sync::atomic::AtomicU64::from_ptr(core::ptr::addr_of_mut!(bindings::cpu_online_mask))
    };
    mask.load(core::sync::atomic::Ordering::Relaxed)
}

/// Whether `cpu` is online.
pub fn cpu_online(cpu: usize) -> bool {
    cpu < 64 && online_mask() & (1u64 << cpu) != 0
}

/// Whether `cpu` runs its idle task (read racily, as a hint).
#[inline]
pub fn cpu_runs_idle(cpu: usize) -> bool {
    if cpu >= NR_CPUS {
        return false;
    }
    // SAFETY: cpu_data is a static array of NR_CPUS entries (cpu is in
    // range); current_task and idle are aligned pointers written with
    // WRITE_ONCE, read whole here and only compared.
    unsafe {
        let c = core::ptr::addr_of!(bindings::cpu_data[cpu]);
        core::ptr::addr_of!((*c).current_task).read_volatile()
            == core::ptr::addr_of!((*c).idle).read_volatile()
    }
}
