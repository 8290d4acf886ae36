// SPDX-License-Identifier: MIT
//! Interrupt handlers in Rust.
//!
//! A [`Registration`] installs a [`Handler`] on an IRQ line and removes it
//! when dropped. The handler runs in hard-IRQ context on any CPU while
//! the registering code keeps running, so it must be `Send + Sync`: data
//! it shares with process context needs a lock (usually
//! [`crate::sync::SpinLock::lock_irqsave`]) or atomics.

use crate::alloc::{Flags, KBox};
use crate::error::{to_result, Result};
use crate::str::CStr;
use core::ffi::{c_uint, c_void};

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

/// A registered handler; unregistered on drop.
pub struct Registration<H: Handler> {
    irq: u32,
    handler: KBox<H>,
}

extern "C" fn trampoline<H: Handler>(_irq: c_uint, cookie: *mut c_void) -> bindings::irqreturn {
    // SAFETY: `cookie` is the address of the KBox<H> contents given to
    // request_irq by Registration::new; free_irq runs before that box is
    // freed, so it is valid for the whole time C may call us.
    let h = unsafe { &*cookie.cast::<H>() };
    match h.handle_irq() {
        IrqReturn::None => bindings::irqreturn::IRQ_NONE,
        IrqReturn::Handled => bindings::irqreturn::IRQ_HANDLED,
    }
}

impl<H: Handler> Registration<H> {
    /// Installs `handler` on `irq` under `name`. Errors as C's
    /// `request_irq`: `EINVAL`, `ENODEV` (no controller), `EBUSY`.
    pub fn new(irq: u32, handler: H, name: &'static CStr, flags: Flags) -> Result<Self> {
        let handler = KBox::new(handler, flags)?;
        let cookie = (&*handler as *const H).cast_mut().cast::<c_void>();
        // SAFETY: trampoline::<H> matches irq_handler_t; `cookie` stays
        // valid until Drop calls free_irq; `name` is static.
        let ret =
            unsafe { bindings::request_irq(irq, Some(trampoline::<H>), name.as_ptr(), cookie) };
        to_result(ret)?;
        Ok(Registration { irq, handler })
    }

    /// The handler, for sharing state with it.
    pub fn handler(&self) -> &H {
        &self.handler
    }

    /// The IRQ line.
    pub fn irq(&self) -> u32 {
        self.irq
    }
}

impl<H: Handler> Drop for Registration<H> {
    fn drop(&mut self) {
        let cookie = (&*self.handler as *const H).cast_mut().cast::<c_void>();
        // SAFETY: we registered exactly this (irq, cookie) pair.
        unsafe { bindings::free_irq(self.irq, cookie) };
    }
}

#[crate::ktest(rust_irq)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::error::code::EINVAL;
    use crate::ktest::Test;
    use core::sync::atomic::{AtomicU32, Ordering};

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
}
