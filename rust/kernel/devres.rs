// SPDX-License-Identifier: MIT
//! Device-managed, revocable resources: [`Devres<T>`], after
//! Rust-for-Linux's `rust/kernel/devres.rs`.
//!
//! A resource that belongs to a device binding (an MMIO mapping, a port
//! range, an IRQ registration) must not outlive the binding: once the
//! driver is unbound, the device may be given to another driver and its
//! mappings undone. A `Devres<T>` holds such a `T` for the binding that
//! created it. When the binding ends (after the driver's `remove` and
//! the drop of its per-device state, or when `probe` fails) the kernel
//! crate *revokes* every `Devres` of the binding: it waits for accesses
//! in progress on other CPUs, then drops the `T` (unmapping, releasing
//! the ports, freeing the IRQ). Every later access returns
//! `Err(ENXIO)`, whoever still holds a handle, a clone in a static
//! included.
//!
//! Access is scoped: [`Devres::access`] runs a closure with `&T`; the
//! reference cannot leave the closure (the borrow checker ties it to the
//! closure's argument), and since there is no guard value there is
//! nothing to `mem::forget`. Take the access once per operation (a
//! poll, a transmit), not once per register: it costs two atomic
//! read-modify-writes.
//!
//! # The revocation scheme (keel has no RCU)
//!
//! Each resource has one atomic word: a `REVOKED` bit, a `DROPPED` bit
//! and a count of accesses in progress. An access adds one to the count
//! and looks at the bit it got back: if `REVOKED` was set it takes its
//! one back and returns `ENXIO`, else it runs and then takes its one
//! back. Revocation sets `REVOKED`, then waits until the count is zero,
//! then drops the value and sets `DROPPED`. All three are
//! read-modify-writes of one location, so they are totally ordered: an
//! access either sees `REVOKED` or was counted before it was set, and
//! then revocation waits for it (its release decrement synchronises
//! with revocation's acquire load, so the access happens before the
//! drop).
//!
//! The end of a binding runs in process context, so revocation waits by
//! sleeping: an access in progress may be anywhere, in an interrupt
//! handler on another CPU or in a task preempted on this one, and it
//! gets to finish. An access that ends the binding itself would wait for
//! itself: that hangs the unbinding task (not undefined behaviour) and
//! is reported every 5 s. Dropping the last handle drops the value at
//! once: no access can be in progress then, since each borrows a handle.

use crate::alloc::{Flags, KBox};
use crate::error::{code::*, Result};
use crate::sync::SpinLock;
use core::cell::UnsafeCell;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use core::sync::atomic::{fence, AtomicU32, AtomicUsize, Ordering};

const REVOKED: usize = 1 << (usize::BITS - 1);
const DROPPED: usize = 1 << (usize::BITS - 2);
const ACCESSES: usize = DROPPED - 1;

/// The type-independent part of a resource; first field of `Inner<T>`,
/// so the binding's list can hold any resource as `NonNull<Header>`.
#[repr(C)]
struct Header {
    /// `REVOKED | DROPPED | accesses in progress`.
    state: AtomicUsize,
    /// `Devres` handles alive.
    handles: AtomicUsize,
    /// Owners of the allocation: the handles count as one, the
    /// binding's list entry as another.
    refs: AtomicUsize,
    /// Drops the value (`Inner::<T>::drop_value`).
    drop_value: unsafe fn(NonNull<Header>),
    /// Frees the allocation (`Inner::<T>::free`).
    free: unsafe fn(NonNull<Header>),
}

/// # Invariants
/// `value` is initialised until `hdr.state` has `DROPPED`; it is dropped
/// once, by the revocation that set `REVOKED`, when no access runs.
#[repr(C)]
struct Inner<T> {
    hdr: Header,
    value: UnsafeCell<ManuallyDrop<T>>,
}

impl<T> Inner<T> {
    /// # Safety
    /// `h` is the header of a live `Inner<T>`, `REVOKED` is set by the
    /// caller, no access runs or can start, and this is called once.
    unsafe fn drop_value(h: NonNull<Header>) {
        let inner = h.cast::<Inner<T>>();
        // SAFETY: per the contract the value is initialised and nobody
        // else can reach it; it is never used again.
        unsafe { ManuallyDrop::drop(&mut *(*inner.as_ptr()).value.get()) };
    }

    /// # Safety
    /// `h` is the header of an `Inner<T>` from `KBox::into_raw` whose
    /// `refs` just reached zero.
    unsafe fn free(h: NonNull<Header>) {
        // SAFETY: per the contract this was the last owner.
        drop(unsafe { KBox::from_raw(h.cast::<Inner<T>>().as_ptr()) });
    }
}

impl Header {
    /// Revokes: no access can start afterwards, the ones in progress are
    /// waited for, the value is dropped. Idempotent. `may_wait` (process
    /// context, the end of a binding): sleep until accesses in progress
    /// ended and, if another caller revokes, until it dropped the value.
    /// Without it (the last handle's drop: no access can be in progress,
    /// since each one borrows a handle) nothing is waited for.
    fn revoke(h: NonNull<Header>, may_wait: bool) {
        // SAFETY: callers hold one of the owners (`refs`).
        let hdr = unsafe { h.as_ref() };
        let prev = hdr.state.fetch_or(REVOKED, Ordering::AcqRel);
        if prev & REVOKED != 0 {
            // Another revocation is under way. The end of a binding waits
            // until it has released the value (process context, so it
            // sleeps; the other one may be a task on this CPU). The last
            // handle's drop need not wait and must not: it may run in an
            // interrupt on top of that other revocation.
            while may_wait && hdr.state.load(Ordering::Acquire) & DROPPED == 0 {
                crate::time::msleep(1);
            }
            return;
        }
        let mut waited_ms = 0u32;
        while hdr.state.load(Ordering::Acquire) & ACCESSES != 0 {
            if !may_wait {
                core::hint::spin_loop();
                continue;
            }
            // process context (the end of a binding): sleep, so that an
            // access preempted on this CPU can finish
            crate::time::msleep(1);
            waited_ms += 1;
            if waited_ms.is_multiple_of(5000) {
                crate::pr_warn!(
                    "devres: revocation waited {} s for an access (revoked from inside one?)\n",
                    waited_ms / 1000
                );
            }
        }
        // SAFETY: we set REVOKED (so no access starts: each one backs
        // out on seeing it) and saw the count at zero with acquire
        // ordering after every access's release decrement, so no access
        // runs; only the caller that set REVOKED gets here.
        unsafe { (hdr.drop_value)(h) };
        hdr.state.fetch_or(DROPPED, Ordering::Release);
    }

    /// Gives up one owner; the last frees the allocation.
    ///
    /// # Safety
    /// The caller owns one of `refs` and does not use `h` afterwards.
    unsafe fn put(h: NonNull<Header>) {
        // SAFETY: the caller's reference keeps the header alive.
        let hdr = unsafe { h.as_ref() };
        if hdr.refs.fetch_sub(1, Ordering::Release) == 1 {
            fence(Ordering::Acquire);
            // SAFETY: the count reached zero: we were the last owner; the
            // value was dropped by then (both owners revoke first).
            unsafe { (hdr.free)(h) };
        }
    }
}

/// Resources one binding may hold at once (revoked ones are reused).
const MAX_RESOURCES: usize = 16;

struct Entries {
    /// Set when the binding ended: nothing more is added.
    closed: bool,
    slots: [Option<NonNull<Header>>; MAX_RESOURCES],
}

/// The resources of one device binding, revoked together when it ends.
pub(crate) struct DevresList {
    entries: SpinLock<Entries>,
}

// SAFETY: the list only holds counted references to resources whose
// values are Send + Sync (Devres::new's bound); revoking or freeing them
// from any CPU is allowed.
unsafe impl Send for DevresList {}
// SAFETY: all access to the entries is under the spinlock.
unsafe impl Sync for DevresList {}

impl DevresList {
    pub(crate) const fn new() -> Self {
        DevresList {
            entries: SpinLock::new(Entries { closed: false, slots: [None; MAX_RESOURCES] }),
        }
    }

    /// Adds a resource (taking over one of its `refs`); `ENXIO` if the
    /// binding has ended, `ENOSPC` if it holds too many resources.
    fn add(&self, h: NonNull<Header>) -> Result {
        let mut reclaimed = [None; MAX_RESOURCES];
        let ret = {
            let mut e = self.entries.lock_irqsave();
            if e.closed {
                Err(ENXIO)
            } else {
                // entries whose value is gone hold only memory: drop them
                for (slot, out) in e.slots.iter_mut().zip(reclaimed.iter_mut()) {
                    if let Some(p) = *slot {
                        // SAFETY: the list owns one of p's refs.
                        if unsafe { p.as_ref() }.state.load(Ordering::Acquire) & DROPPED != 0 {
                            *out = slot.take();
                        }
                    }
                }
                match e.slots.iter_mut().find(|s| s.is_none()) {
                    Some(slot) => {
                        *slot = Some(h);
                        Ok(())
                    }
                    None => Err(ENOSPC),
                }
            }
        };
        for p in reclaimed.into_iter().flatten() {
            // SAFETY: taken out of the list, which owned one ref of it.
            unsafe { Header::put(p) };
        }
        ret
    }

    /// Ends the binding: revokes every resource (waiting for accesses on
    /// other CPUs) and releases the list's references. Process context.
    pub(crate) fn revoke_all(&self) {
        let slots = {
            let mut e = self.entries.lock_irqsave();
            e.closed = true;
            core::mem::replace(&mut e.slots, [None; MAX_RESOURCES])
        };
        for p in slots.into_iter().flatten() {
            Header::revoke(p, true);
            // SAFETY: taken out of the list, which owned one ref of it.
            unsafe { Header::put(p) };
        }
    }
}

impl Drop for DevresList {
    fn drop(&mut self) {
        self.revoke_all();
    }
}

/// A resource of a device binding, revoked when the binding ends.
///
/// Cloning gives another handle to the same resource. The value is
/// dropped when the binding ends or when the last handle is dropped,
/// whichever comes first; afterwards [`access`](Self::access) returns
/// `ENXIO`.
///
/// ```
/// # use kernel::pci::{self, DeviceId, IdTable};
/// # use kernel::prelude::*;
/// use kernel::devres::Devres;
/// use kernel::sync::SpinLock;
///
/// /// A handle kept where it may outlive the binding.
/// static KEPT: SpinLock<Option<Devres<u32>>> = SpinLock::new(None);
///
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = Devres<u32>;
/// #     const NAME: &'static CStr = c"doc-devres";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<Devres<u32>> {
///     let res = Devres::new(dev, 42u32, GFP_KERNEL)?;
///     *KEPT.lock() = Some(res.clone());
///     Ok(res)
/// }
/// # }
/// let driver = pci::Registration::<Edu>::new()?; // binds to edu
/// let kept = KEPT.lock().take().ok_or(ENODEV)?;
/// assert_eq!(kept.access(|v| *v + 1), Ok(43));
/// drop(driver); // the binding ends: every handle is revoked
/// assert!(kept.is_revoked());
/// assert_eq!(kept.access(|v| *v), Err(ENXIO));
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `inner` is a live `Inner<T>` of which this handle owns one of
/// `handles` (and the handles together one of `refs`).
pub struct Devres<T: Send + Sync + 'static> {
    inner: NonNull<Inner<T>>,
}

// SAFETY: a handle gives `&T` to closures on its CPU (T: Sync) and may
// make the revocation that drops T on any CPU (T: Send).
unsafe impl<T: Send + Sync + 'static> Send for Devres<T> {}
// SAFETY: shared handles give only `&T` (T: Sync).
unsafe impl<T: Send + Sync + 'static> Sync for Devres<T> {}

impl<T: Send + Sync + 'static> Devres<T> {
    /// Puts `value` under the binding of `list`. On error `value` is
    /// dropped.
    pub(crate) fn new_in(list: &DevresList, value: T, flags: Flags) -> Result<Self> {
        let inner = Inner {
            hdr: Header {
                state: AtomicUsize::new(0),
                handles: AtomicUsize::new(1),
                refs: AtomicUsize::new(2), // the handles, the list
                drop_value: Inner::<T>::drop_value,
                free: Inner::<T>::free,
            },
            value: UnsafeCell::new(ManuallyDrop::new(value)),
        };
        let raw = KBox::into_raw(KBox::new(inner, flags)?);
        // SAFETY: into_raw never returns NULL.
        let inner = unsafe { NonNull::new_unchecked(raw) };
        let this = Devres { inner };
        if let Err(e) = list.add(inner.cast()) {
            // the list did not take its reference: give it up here;
            // dropping `this` then revokes (drops the value) and frees
            // SAFETY: the list's ref, never handed to the list.
            unsafe { Header::put(inner.cast()) };
            drop(this);
            return Err(e);
        }
        Ok(this)
    }

    /// Puts `value` (for example an [`irq::Registration`]) under the
    /// binding of `dev`, which is being probed: it is dropped when the
    /// binding ends, if no handle dropped it earlier.
    ///
    /// [`irq::Registration`]: crate::irq::Registration
    pub fn new(dev: &crate::pci::Device, value: T, flags: Flags) -> Result<Self> {
        Self::new_in(dev.devres()?, value, flags)
    }

    fn hdr(&self) -> &Header {
        // SAFETY: the allocation lives while this handle does (invariant).
        unsafe { &self.inner.as_ref().hdr }
    }

    /// Runs `f` with the resource, unless it was revoked: `ENXIO` then.
    /// Revocation (the end of the binding) waits until `f` returns; `f`
    /// must not end the binding itself (that would wait for itself: a
    /// hang, reported every 5 s).
    ///
    /// The cost is two atomic read-modify-writes: one access per
    /// operation (a poll, a transmit), not one per register.
    #[inline]
    pub fn access<R>(&self, f: impl FnOnce(&T) -> R) -> Result<R> {
        let state = &self.hdr().state;
        if state.fetch_add(1, Ordering::Acquire) & REVOKED != 0 {
            state.fetch_sub(1, Ordering::Release);
            return Err(ENXIO);
        }
        /// Ends the access even if `f` unwinds (keel aborts, but the
        /// count must not depend on that).
        struct End<'a>(&'a AtomicUsize);
        impl Drop for End<'_> {
            #[inline]
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::Release);
            }
        }
        let _end = End(state);
        // SAFETY: we are counted in `state` and REVOKED was clear when we
        // were, so revocation waits for `_end` before dropping the value
        // (type invariant); the reference is only lent to `f`, whose
        // signature keeps it from escaping, and T: Sync allows sharing.
        let value: &T = unsafe { &*self.inner.as_ref().value.get() };
        Ok(f(value))
    }

    /// Whether the resource was revoked (racy: it may be revoked right
    /// after this returns false).
    pub fn is_revoked(&self) -> bool {
        self.hdr().state.load(Ordering::Acquire) & REVOKED != 0
    }
}

impl<T: Send + Sync + 'static> Clone for Devres<T> {
    fn clone(&self) -> Self {
        // The handles' share of `refs` stays one: only `handles` grows.
        self.hdr().handles.fetch_add(1, Ordering::Relaxed);
        Devres { inner: self.inner }
    }
}

impl<T: Send + Sync + 'static> Drop for Devres<T> {
    fn drop(&mut self) {
        if self.hdr().handles.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        // The last handle: nobody can access any more (an access needs a
        // handle borrowed for its duration), so the value goes now.
        Header::revoke(self.inner.cast(), false);
        // SAFETY: the handles' ref, given up by the last handle.
        unsafe { Header::put(self.inner.cast()) };
    }
}

#[crate::ktest(rust_devres)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;
    use core::sync::atomic::AtomicBool;

    static DROPPED_VALUE: AtomicU32 = AtomicU32::new(0);

    struct Res(u32);

    impl Drop for Res {
        fn drop(&mut self) {
            DROPPED_VALUE.fetch_add(1, Ordering::Relaxed);
        }
    }

    static KEPT: SpinLock<Option<Devres<Res>>> = SpinLock::new(None);

    #[test]
    fn revoked_at_end_of_binding(t: &mut Test) {
        DROPPED_VALUE.store(0, Ordering::Relaxed);
        let before = crate::ktest::slab_objects();
        let list = DevresList::new();
        let Ok(r) = Devres::new_in(&list, Res(7), GFP_KERNEL) else {
            crate::kt_fail!(t, "no devres");
            return;
        };
        crate::kt_expect_eq!(t, r.access(|v| v.0), Ok(7));
        // as mem::forget would, but given back at the end (the leak check)
        let forgotten = core::mem::ManuallyDrop::new(r.clone());
        *KEPT.lock_irqsave() = Some(r.clone());
        drop(r);
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 0);
        list.revoke_all(); // the binding ends
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 1);
        let kept = KEPT.lock_irqsave().take();
        if let Some(k) = &kept {
            crate::kt_expect!(t, k.is_revoked());
            crate::kt_expect_eq!(t, k.access(|v| v.0), Err(ENXIO));
        }
        drop(kept);
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 1);
        // the forgotten handle keeps the small shell, not the value
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before + 1);
        drop(core::mem::ManuallyDrop::into_inner(forgotten));
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 1);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
        // a binding that ended takes no more resources
        crate::kt_expect_eq!(t, Devres::new_in(&list, Res(8), GFP_KERNEL).err(), Some(ENXIO));
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn last_handle_drops_value_early(t: &mut Test) {
        DROPPED_VALUE.store(0, Ordering::Relaxed);
        let before = crate::ktest::slab_objects();
        let list = DevresList::new();
        for i in 0..2 * MAX_RESOURCES as u32 {
            // revoked entries are reused: no ENOSPC
            match Devres::new_in(&list, Res(i), GFP_KERNEL) {
                Ok(r) => drop(r),
                Err(e) => crate::kt_fail!(t, "round {}: {}", i, e),
            }
        }
        crate::kt_expect_eq!(t, DROPPED_VALUE.load(Ordering::Relaxed), 2 * MAX_RESOURCES as u32);
        drop(list);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    struct Spin;

    static SPIN: SpinLock<Option<Devres<Spin>>> = SpinLock::new(None);
    static SPIN_ENTERED: AtomicBool = AtomicBool::new(false);
    static SPIN_FINISHED: AtomicBool = AtomicBool::new(false);
    /// Whether the access had finished when the value was dropped.
    static SPIN_DROPPED_AFTER: AtomicU32 = AtomicU32::new(0);

    impl Drop for Spin {
        fn drop(&mut self) {
            let after = if SPIN_FINISHED.load(Ordering::Acquire) { 1 } else { 2 };
            SPIN_DROPPED_AFTER.store(after, Ordering::Release);
        }
    }

    /// On another CPU: one access of 100 ms.
    fn hold_access() -> i32 {
        let r = SPIN.lock_irqsave().take();
        if let Some(r) = r {
            let _ = r.access(|_| {
                SPIN_ENTERED.store(true, Ordering::Release);
                crate::time::mdelay(100);
                SPIN_FINISHED.store(true, Ordering::Release);
            });
        }
        0
    }

    /// Revocation on this CPU while another CPU is inside an access: it
    /// waits, and drops the value only after the access ended.
    #[test]
    fn revocation_waits_for_access_on_other_cpu(t: &mut Test) {
        if crate::kthread::num_online_cpus() < 2 {
            t.skip(c"needs two CPUs");
            return;
        }
        SPIN_ENTERED.store(false, Ordering::Relaxed);
        SPIN_FINISHED.store(false, Ordering::Relaxed);
        SPIN_DROPPED_AFTER.store(0, Ordering::Relaxed);
        let list = DevresList::new();
        let Ok(r) = Devres::new_in(&list, Spin, GFP_KERNEL) else {
            crate::kt_fail!(t, "no devres");
            return;
        };
        *SPIN.lock_irqsave() = Some(r);
        let cpu = crate::kthread::num_online_cpus() - 1;
        let th = crate::kthread::Thread::run_on_cpu(c"devres-hold", cpu, hold_access);
        for _ in 0..5000 {
            if SPIN_ENTERED.load(Ordering::Acquire) {
                break;
            }
            crate::time::msleep(1);
        }
        crate::kt_expect!(t, SPIN_ENTERED.load(Ordering::Acquire));
        list.revoke_all(); // the binding ends while the access runs
        crate::kt_expect!(t, SPIN_FINISHED.load(Ordering::Acquire));
        crate::kt_expect_eq!(t, SPIN_DROPPED_AFTER.load(Ordering::Acquire), 1);
        if let Ok(th) = th {
            th.stop();
        }
        drop(SPIN.lock_irqsave().take());
    }
}
