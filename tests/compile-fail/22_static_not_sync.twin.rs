// twin of 22_static_not_sync.rs: a SpinLock.
//! Passing twin: the global sits behind a spinlock.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// The last link state reported by the PHY.
static LINK: SpinLock<u32> = SpinLock::new(0);

/// Records a link change (from the PHY interrupt, on any CPU).
pub fn link_changed(state: u32) {
    *LINK.lock_irqsave() = state;
}
