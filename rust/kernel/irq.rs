// SPDX-License-Identifier: MIT
//! Interrupt handlers in Rust.
//!
//! A [`Registration`] installs a [`Handler`] on an IRQ line and removes it
//! when dropped (here on the ktest's software-triggered line):
//!
//! ```
//! use core::sync::atomic::{AtomicU32, Ordering};
//! use kernel::irq::{Handler, IrqReturn, Registration};
//! use kernel::ktest::TestIrq;
//! use kernel::prelude::*;
//! use kernel::sync::Arc;
//!
//! struct Count(Arc<AtomicU32>);
//!
//! impl Handler for Count {
//!     fn handle_irq(&self) -> IrqReturn {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!         IrqReturn::Handled
//!     }
//! }
//!
//! let line = TestIrq::get();
//! let count = Arc::new(AtomicU32::new(0), GFP_KERNEL)?;
//! let reg = Registration::new(line.irq(), Count(count.clone()), c"doctest", GFP_KERNEL)?;
//! line.raise()?;
//! line.raise()?;
//! drop(reg); // unregistered: the handler can run no more
//! assert_eq!(count.load(Ordering::Relaxed), 2);
//! # Ok::<(), Error>(())
//! ```
//! The handler runs in hard-IRQ context on any CPU while
//! the registering code keeps running, so it must be `Send + Sync`: data
//! it shares with process context needs a lock (usually
//! [`crate::sync::SpinLock::lock_irqsave`]) or atomics.
//!
//! A handler may reach its own `Registration` (through a static or an
//! `Arc`) and drop it while it runs. The handler's memory must outlive
//! that call, so the registration and the trampoline agree through the
//! counters next to the handler on who frees it: `Drop` frees it when no
//! call is running, otherwise the last running call does when it returns.
//!
//! On SMP this relies on two promises of kernel/irq.c. `free_irq` waits
//! for calls running on other CPUs (Linux's `synchronize_irq`) but not
//! for the call it is made from (it tracks which lines each CPU is
//! dispatching). And a dispatch calls a handler with the cookie that was
//! registered together with it: a freed slot stays reserved ("draining")
//! until every dispatch that may have loaded the old handler pointer has
//! left the line, so `request_irq` cannot pair a new cookie with a
//! trampoline still being called (before that fix, K3, a
//! `trampoline::<A>` could be handed a `Slot<B>`).

use crate::alloc::{Flags, KBox};
use crate::error::{to_result, Result};
use crate::str::CStr;
use core::ffi::{c_uint, c_void};
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// What a handler tells the IRQ layer (the values of C's `enum
/// irqreturn`, so converting costs nothing).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum IrqReturn {
    /// The interrupt was not from this device.
    None = bindings::irqreturn::IRQ_NONE as u32,
    /// The interrupt was handled.
    Handled = bindings::irqreturn::IRQ_HANDLED as u32,
}

/// An interrupt handler.
pub trait Handler: Send + Sync + 'static {
    /// Called in hard-IRQ context with interrupts disabled; must not
    /// sleep or allocate with `GFP_KERNEL`.
    fn handle_irq(&self) -> IrqReturn;
}

/// The heap part of a registration, whose address is the C cookie (never
/// zero-sized, so two registrations never share a cookie).
struct Slot<H> {
    handler: H,
    /// Calls of the handler running now (more than one if nested).
    running: AtomicU32,
    /// Set when the `Registration` was dropped during a call: the last
    /// running call frees the slot.
    orphaned: AtomicBool,
}

/// A registered handler; unregistered on drop.
pub struct Registration<H: Handler> {
    irq: u32,
    /// From `KBox::into_raw`; reclaimed by `Drop`, or by the trampoline
    /// (see `Slot::orphaned`).
    slot: NonNull<Slot<H>>,
}

// SAFETY: a Registration owns its slot as a KBox would, and H is Send.
unsafe impl<H: Handler> Send for Registration<H> {}
// SAFETY: `&Registration` only gives out `&H`, and H is Sync.
unsafe impl<H: Handler> Sync for Registration<H> {}

extern "C" fn trampoline<H: Handler>(_irq: c_uint, cookie: *mut c_void) -> bindings::irqreturn {
    let raw = cookie.cast::<Slot<H>>();
    // SAFETY: kernel/irq.c calls trampoline::<H> only with the cookie
    // registered together with it (the (handler, cookie) pair of one
    // slot, which is not reused while a dispatch that loaded this handler
    // runs), and Registration::<H>::new registers it only with a
    // `Slot<H>` from KBox::into_raw. That slot is freed only after
    // free_irq returned: by Drop when no call of ours runs, or else by
    // the last running call (below). free_irq returns only once calls on
    // other CPUs have ended, so a call that was already dispatched is
    // on this CPU's stack, counted in `running`, and keeps it alive.
    let slot = unsafe { &*raw };
    slot.running.fetch_add(1, Ordering::AcqRel);
    let ret = slot.handler.handle_irq();
    let last = slot.running.fetch_sub(1, Ordering::AcqRel) == 1;
    if last && slot.orphaned.load(Ordering::Acquire) {
        // SAFETY: `raw` came from KBox::into_raw in Registration::new.
        // The Registration was dropped during this call, after free_irq
        // returned, and left the slot to us (`orphaned`): no call can
        // start (the handler is unpublished and its slot reserved until
        // drained), calls on other CPUs ended before free_irq returned,
        // this was the last one on this CPU (`running` reached zero),
        // and `slot` is not used after this.
        drop(unsafe { KBox::from_raw(raw) });
    }
    match ret {
        IrqReturn::None => bindings::irqreturn::IRQ_NONE,
        IrqReturn::Handled => bindings::irqreturn::IRQ_HANDLED,
    }
}

impl<H: Handler> Registration<H> {
    /// Installs `handler` on `irq` under `name`. Errors as C's
    /// `request_irq`: `EINVAL`, `ENODEV` (no controller), `EBUSY`.
    pub fn new(irq: u32, handler: H, name: &'static CStr, flags: Flags) -> Result<Self> {
        let slot = Slot { handler, running: AtomicU32::new(0), orphaned: AtomicBool::new(false) };
        let raw = KBox::into_raw(KBox::new(slot, flags)?);
        // SAFETY: trampoline::<H> matches irq_handler_t; `raw` stays
        // valid until after Drop calls free_irq; `name` is static.
        let ret =
            unsafe { bindings::request_irq(irq, Some(trampoline::<H>), name.as_ptr(), raw.cast()) };
        if let Err(e) = to_result(ret) {
            // SAFETY: from into_raw above; C did not keep it.
            drop(unsafe { KBox::from_raw(raw) });
            return Err(e);
        }
        // SAFETY: into_raw never returns NULL.
        Ok(Registration { irq, slot: unsafe { NonNull::new_unchecked(raw) } })
    }

    fn slot(&self) -> &Slot<H> {
        // SAFETY: the slot lives until this Registration is dropped.
        unsafe { self.slot.as_ref() }
    }

    /// The handler, for sharing state with it.
    pub fn handler(&self) -> &H {
        &self.slot().handler
    }

    /// The IRQ line.
    pub fn irq(&self) -> u32 {
        self.irq
    }
}

impl<H: Handler> Drop for Registration<H> {
    fn drop(&mut self) {
        // SAFETY: we registered exactly this (irq, cookie) pair, once;
        // free_irq may be called from one of the line's own handlers
        // (it then skips waiting for this CPU's calls, handled below).
        unsafe { bindings::free_irq(self.irq, self.slot.as_ptr().cast()) };
        // No new call can start now. One may be running: this drop is
        // then inside the handler (or an interrupt nested in it), and the
        // handler still holds `&self` to the slot.
        let slot = self.slot();
        if slot.running.load(Ordering::Acquire) != 0 {
            slot.orphaned.store(true, Ordering::Release);
            return;
        }
        // SAFETY: from into_raw in new(); free_irq returned, so no call
        // can start and none runs on another CPU, and `running` is zero,
        // so none runs on this one; the slot is not used again.
        drop(unsafe { KBox::from_raw(self.slot.as_ptr()) });
    }
}

#[crate::ktest(rust_irq)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::error::code::EINVAL;
    use crate::ktest::Test;
    use crate::sync::SpinLock;

    struct Counter(AtomicU32);

    impl Handler for Counter {
        fn handle_irq(&self) -> IrqReturn {
            self.0.fetch_add(1, Ordering::Relaxed);
            IrqReturn::Handled
        }
    }

    #[test]
    fn bad_line_is_rejected(t: &mut Test) {
        let r = Registration::new(100000, Counter(AtomicU32::new(0)), c"bad", GFP_KERNEL);
        crate::kt_expect_eq!(t, r.err(), Some(EINVAL));
    }

    #[test]
    fn handler_runs_on_interrupt(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let line = crate::ktest::TestIrq::get();
        match Registration::new(line.irq(), Counter(AtomicU32::new(0)), c"rust_irq", GFP_KERNEL) {
            Ok(reg) => {
                crate::kt_expect_eq!(t, line.raise(), Ok(()));
                crate::kt_expect_eq!(t, line.raise(), Ok(()));
                crate::kt_expect_eq!(t, reg.handler().0.load(Ordering::Relaxed), 2);
            }
            Err(e) => crate::kt_fail!(t, "request failed: {}", e),
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// Unregisters itself on its first interrupt, then goes on using its
    /// own state, which must stay allocated until it returns.
    struct OneShot(AtomicU32);

    static ONE_SHOT: SpinLock<Option<Registration<OneShot>>> = SpinLock::new(None);
    static ONE_SHOT_DROPPED: AtomicBool = AtomicBool::new(false);
    static ONE_SHOT_ALIVE_AFTER_UNREGISTER: AtomicBool = AtomicBool::new(false);

    impl Handler for OneShot {
        fn handle_irq(&self) -> IrqReturn {
            let reg = ONE_SHOT.lock().take();
            drop(reg);
            self.0.fetch_add(1, Ordering::Relaxed);
            let alive = !ONE_SHOT_DROPPED.load(Ordering::Relaxed);
            ONE_SHOT_ALIVE_AFTER_UNREGISTER.store(alive, Ordering::Relaxed);
            IrqReturn::Handled
        }
    }

    impl Drop for OneShot {
        fn drop(&mut self) {
            ONE_SHOT_DROPPED.store(true, Ordering::Relaxed);
        }
    }

    #[test]
    fn handler_may_drop_its_own_registration(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let line = crate::ktest::TestIrq::get();
        let oneshot = OneShot(AtomicU32::new(0));
        match Registration::new(line.irq(), oneshot, c"rust_irq_oneshot", GFP_KERNEL) {
            Ok(reg) => *ONE_SHOT.lock_irqsave() = Some(reg),
            Err(e) => {
                crate::kt_fail!(t, "request failed: {}", e);
                return;
            }
        }
        crate::kt_expect_eq!(t, line.raise(), Ok(()));
        crate::kt_expect!(t, ONE_SHOT.lock_irqsave().is_none());
        // The handler's memory was freed after it returned, not while it
        // still used it.
        crate::kt_expect!(t, ONE_SHOT_ALIVE_AFTER_UNREGISTER.load(Ordering::Relaxed));
        crate::kt_expect!(t, ONE_SHOT_DROPPED.load(Ordering::Relaxed));
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }
}
