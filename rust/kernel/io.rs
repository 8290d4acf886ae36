// SPDX-License-Identifier: MIT
//! I/O: port ranges and MMIO regions with checked offsets.
//!
//! Accessors with a constant offset (`read32::<0x10>()`) are checked at
//! compile time against the region size, so an out-of-bounds register
//! is a build error. Run-time offsets use `try_read32(off)`, which
//! returns `ERANGE` instead of touching memory outside the region.
//!
//! Drivers get these only from their device, inside a
//! [`Devres`](crate::devres::Devres) that is revoked when the binding
//! ends: [`IoMem`] from [`pci::Device::iomap_bar`] (a memory BAR),
//! [`IoPorts`] from [`pci::Device::request_io_bar`] (an I/O BAR). Neither
//! can be made from a raw address or port number outside this crate;
//! port ranges go through the C registry (kernel/ioport.c), which holds
//! the ports the kernel drives itself (PICs, PIT, 8042, PCI
//! configuration, COM1, ...) from boot, so a BAR placed over them is
//! refused with `EBUSY`.
//!
//! [`pci::Device::iomap_bar`]: crate::pci::Device::iomap_bar
//! [`pci::Device::request_io_bar`]: crate::pci::Device::request_io_bar

use crate::error::{code::ERANGE, Result};
use core::ptr::NonNull;

/// A mapped MMIO region of `SIZE` bytes.
///
/// Registers of QEMU's `edu` device (which the ktest boot adds), mapped
/// by [`iomap_bar`](crate::pci::Device::iomap_bar) in `probe`:
///
/// ```
/// # use core::sync::atomic::{AtomicU32, Ordering};
/// # use kernel::pci::{self, DeviceId, IdTable};
/// # use kernel::prelude::*;
/// # static ANSWER: AtomicU32 = AtomicU32::new(0);
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-mmio";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<()> {
///     const LIVENESS: usize = 0x04; // reads back the inverse of a write
///     let regs = dev.iomap_bar::<4096>(0)?;
///     let answer = regs.access(|r| {
///         r.write32::<LIVENESS>(0x1234_5678);
///         r.read32::<LIVENESS>()
///     })?;
///     // a run-time offset is checked: outside the region is ERANGE
///     let beyond = regs.access(|r| r.try_read32(4096))?;
///     if beyond != Err(ERANGE) {
///         return Err(EINVAL);
///     }
/// #   ANSWER.store(answer, Ordering::Relaxed);
///     Ok(())
/// }
/// # }
/// # let edu = pci::Registration::<Edu>::new()?;
/// assert_eq!(ANSWER.load(Ordering::Relaxed), !0x1234_5678);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `base` is 4-byte aligned and mapped (uncached, for device memory)
/// for `SIZE` bytes while this value lives (the contract of `new`).
pub struct Mmio<const SIZE: usize> {
    base: NonNull<u8>,
}

// SAFETY: MMIO accesses are single volatile instructions; the region may
// be used from any CPU (drivers serialize multi-register sequences).
unsafe impl<const SIZE: usize> Send for Mmio<SIZE> {}
// SAFETY: `&Mmio` allows only single volatile 32-bit loads and stores
// inside the mapping, which are device accesses, not Rust memory: two
// CPUs doing them at once cannot break memory safety (drivers serialize
// multi-register sequences themselves).
unsafe impl<const SIZE: usize> Sync for Mmio<SIZE> {}

impl<const SIZE: usize> Mmio<SIZE> {
    /// Wraps a mapping.
    ///
    /// # Safety
    /// `base` is mapped (uncached, for device memory) for `SIZE` bytes,
    /// 4-byte aligned, and stays mapped while this value lives.
    pub unsafe fn new(base: NonNull<u8>) -> Self {
        Mmio { base }
    }

    /// Stops the build (error E0080 with the message below) when a 32-bit
    /// register at `OFF` is misaligned or not wholly inside the region.
    /// Evaluated when the calling function is compiled to code, so a
    /// generic function that is never instantiated is not checked.
    const fn check_const<const OFF: usize>() {
        assert!(OFF.is_multiple_of(4), "MMIO offset is not 4-byte aligned");
        assert!(SIZE >= 4 && OFF <= SIZE - 4, "MMIO offset out of bounds");
    }

    /// Reads the 32-bit register at constant offset `OFF`: one volatile
    /// load, as C's `mmio_read32()` (no helper call; generic, so it is
    /// compiled into each caller and inlined there).
    pub fn read32<const OFF: usize>(&self) -> u32 {
        const { Self::check_const::<OFF>() };
        // SAFETY: OFF is in bounds and aligned (checked at compile time)
        // and the region is mapped (type invariant).
        unsafe { self.base.as_ptr().add(OFF).cast::<u32>().read_volatile() }
    }

    /// Writes the 32-bit register at constant offset `OFF`: one volatile
    /// store.
    pub fn write32<const OFF: usize>(&self, v: u32) {
        const { Self::check_const::<OFF>() };
        // SAFETY: OFF is 4-byte aligned and OFF + 4 <= SIZE (checked at
        // compile time), and the region is mapped and 4-byte aligned
        // (type invariant), so this is one aligned store inside it.
        unsafe { self.base.as_ptr().add(OFF).cast::<u32>().write_volatile(v) }
    }

    fn check(off: usize) -> Result {
        match off.checked_add(4) {
            Some(end) if end <= SIZE && off.is_multiple_of(4) => Ok(()),
            _ => Err(ERANGE),
        }
    }

    /// Reads the 32-bit register at `off`, checked at run time.
    pub fn try_read32(&self, off: usize) -> Result<u32> {
        Self::check(off)?;
        // SAFETY: `off` was checked to be in bounds and aligned.
        Ok(unsafe { self.base.as_ptr().add(off).cast::<u32>().read_volatile() })
    }

    /// Writes the 32-bit register at `off`, checked at run time.
    pub fn try_write32(&self, off: usize, v: u32) -> Result {
        Self::check(off)?;
        // SAFETY: `off` was checked to be in bounds and aligned.
        unsafe { self.base.as_ptr().add(off).cast::<u32>().write_volatile(v) };
        Ok(())
    }
}

/// An `ioremap()`ed MMIO region of `SIZE` bytes, unmapped on drop;
/// dereferences to [`Mmio<SIZE>`]. A driver gets one, in a `Devres`,
/// from [`pci::Device::iomap_bar`] (the example of [`pci::Driver`]).
///
/// [`pci::Device::iomap_bar`]: crate::pci::Device::iomap_bar
/// [`pci::Driver`]: crate::pci::Driver
pub struct IoMem<const SIZE: usize> {
    mmio: Mmio<SIZE>,
}

impl<const SIZE: usize> IoMem<SIZE> {
    /// Maps `SIZE` bytes of device memory at physical address `phys`
    /// (uncached). `ENOMEM` if no virtual space is left.
    ///
    /// # Safety
    /// `phys..phys + SIZE` is device memory (a BAR) that nothing else
    /// treats as RAM, and stays decoded while the mapping lives.
    pub(crate) unsafe fn ioremap(phys: u64) -> Result<Self> {
        // SAFETY: ioremap maps any physical range or returns NULL.
        let va = unsafe { bindings::ioremap(phys, SIZE) };
        let base = NonNull::new(va.cast::<u8>()).ok_or(crate::error::code::ENOMEM)?;
        // SAFETY: ioremap mapped SIZE bytes at base, page aligned, until
        // iounmap in drop.
        Ok(IoMem { mmio: unsafe { Mmio::new(base) } })
    }
}

impl<const SIZE: usize> core::ops::Deref for IoMem<SIZE> {
    type Target = Mmio<SIZE>;
    fn deref(&self) -> &Mmio<SIZE> {
        &self.mmio
    }
}

impl<const SIZE: usize> Drop for IoMem<SIZE> {
    fn drop(&mut self) {
        // SAFETY: the address came from ioremap and is unmapped once.
        unsafe { bindings::iounmap(self.mmio.base.as_ptr().cast()) };
    }
}

/// A claimed range of `LEN` I/O ports starting at `base`. Claiming goes
/// through the C port registry, so two drivers cannot own one port and
/// none owns a port the kernel drives.
///
/// The ports of I/O BAR 4 of the disk controller (PIIX3 IDE on QEMU's
/// `pc`, ICH9 AHCI on `q35`), claimed in `probe`:
///
/// ```
/// # use core::sync::atomic::{AtomicBool, Ordering};
/// # use kernel::pci::{self, DeviceId, IdTable};
/// # use kernel::prelude::*;
/// # static REFUSED: AtomicBool = AtomicBool::new(false);
/// # struct Ide;
/// # #[vtable]
/// # impl pci::Driver for Ide {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-ioports";
/// #     const ID_TABLE: IdTable = IdTable::new(&[
/// #         DeviceId::new(0x8086, 0x7010),
/// #         DeviceId::new(0x8086, 0x2922),
/// #         DeviceId::END,
/// #     ]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<()> {
///     let ports = dev.request_io_bar::<8>(4, c"doc-ioports")?; // BAR 4: I/O
///     let _status = ports.access(|p| p.inb::<2>())?;
///     // the ports are this binding's alone: a second claim is refused
///     let again = dev.request_io_bar::<8>(4, c"doc-ioports-again");
/// #   REFUSED.store(matches!(again, Err(e) if e == EBUSY), Ordering::Relaxed);
///     Ok(())
/// }
/// # }
/// # let ide = pci::Registration::<Ide>::new()?;
/// assert!(REFUSED.load(Ordering::Relaxed));
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `base..base + LEN` is claimed in the C registry for this value (and
/// released by its drop).
pub struct IoPorts<const LEN: u16> {
    base: u16,
}

impl<const LEN: u16> IoPorts<LEN> {
    /// Claims ports `base..base+LEN` for `name`: `EBUSY` if any is taken
    /// (by a driver or the kernel), `EINVAL` if the range wraps.
    /// Crate-private: drivers get ports from their device's I/O BAR
    /// ([`crate::pci::Device::request_io_bar`]), never by number.
    pub(crate) fn request(base: u16, name: &'static crate::str::CStr) -> Result<Self> {
        // SAFETY: `name` is a static NUL-terminated string.
        let ret = unsafe { bindings::request_region(base, LEN, name.as_ptr()) };
        crate::error::to_result(ret)?;
        Ok(IoPorts { base })
    }

    /// The first port.
    pub fn base(&self) -> u16 {
        self.base
    }

    /// Reads the byte port at constant offset `OFF`.
    pub fn inb<const OFF: u16>(&self) -> u8 {
        const { assert!(OFF < LEN, "I/O port offset out of bounds") };
        // SAFETY: the port is inside our claimed range.
        unsafe { bindings::rust_helper_inb(self.base + OFF) }
    }

    /// Writes the byte port at constant offset `OFF`.
    pub fn outb<const OFF: u16>(&self, v: u8) {
        const { assert!(OFF < LEN, "I/O port offset out of bounds") };
        // SAFETY: the port is inside our claimed range.
        unsafe { bindings::rust_helper_outb(self.base + OFF, v) }
    }

    /// Reads the byte port at `off`, checked at run time.
    pub fn try_inb(&self, off: u16) -> Result<u8> {
        if off >= LEN {
            return Err(ERANGE);
        }
        // SAFETY: the port is inside our claimed range.
        Ok(unsafe { bindings::rust_helper_inb(self.base + off) })
    }
}

impl<const LEN: u16> Drop for IoPorts<LEN> {
    fn drop(&mut self) {
        // SAFETY: we claimed exactly this range in request().
        unsafe { bindings::release_region(self.base, LEN) };
    }
}

#[crate::ktest(rust_io)]
mod tests {
    use super::*;
    use crate::alloc::{KBox, GFP_KERNEL};
    use crate::error::code::{EBUSY, ERANGE};
    use crate::ktest::Test;

    #[test]
    fn mmio_bounds(t: &mut Test) {
        let Ok(mut mem) = KBox::new([0u32; 4], GFP_KERNEL) else {
            crate::kt_assert!(t, false);
            return;
        };
        mem[1] = 0xfeed;
        {
            let base = NonNull::from(&mut *mem).cast::<u8>();
            // SAFETY: `mem` is 16 bytes, 4-aligned, and outlives `io`,
            // which this block ends before `mem` is used directly again.
            let io = unsafe { Mmio::<16>::new(base) };
            crate::kt_expect_eq!(t, io.read32::<4>(), 0xfeed);
            io.write32::<12>(7);
            crate::kt_expect_eq!(t, io.try_read32(12), Ok(7));
            crate::kt_expect_eq!(t, io.try_read32(16), Err(ERANGE));
            crate::kt_expect_eq!(t, io.try_read32(2), Err(ERANGE));
            crate::kt_expect_eq!(t, io.try_write32(usize::MAX - 1, 0), Err(ERANGE));
        }
        crate::kt_expect_eq!(t, mem[3], 7);
    }

    #[test]
    fn port_ranges_are_exclusive(t: &mut Test) {
        // 0x3f8 is COM1; pick a port range nothing on QEMU's PC uses.
        let a = IoPorts::<4>::request(0x2f0, c"rust_io test");
        crate::kt_assert!(t, a.is_ok());
        let b = IoPorts::<2>::request(0x2f2, c"rust_io overlap");
        crate::kt_expect_eq!(t, b.err(), Some(EBUSY));
        if let Ok(a) = a {
            crate::kt_expect_eq!(t, a.try_inb(4), Err(ERANGE));
        }
        let c = IoPorts::<2>::request(0x2f2, c"rust_io again");
        crate::kt_expect!(t, c.is_ok());
    }

    /// K1: the ports the kernel drives are never granted: the 8042
    /// (0x64 resets the machine), PCI configuration, COM1, the PICs.
    #[test]
    fn kernel_ports_are_refused(t: &mut Test) {
        let name = c"rust_io kernel port";
        crate::kt_expect_eq!(t, IoPorts::<1>::request(0x64, name).err(), Some(EBUSY));
        crate::kt_expect_eq!(t, IoPorts::<4>::request(0xcf8, name).err(), Some(EBUSY));
        crate::kt_expect_eq!(t, IoPorts::<1>::request(0xcf9, name).err(), Some(EBUSY));
        crate::kt_expect_eq!(t, IoPorts::<8>::request(0x3f8, name).err(), Some(EBUSY));
        crate::kt_expect_eq!(t, IoPorts::<2>::request(0x20, name).err(), Some(EBUSY));
        crate::kt_expect_eq!(t, IoPorts::<1>::request(0x92, name).err(), Some(EBUSY));
        // a range that only overlaps one is refused too
        crate::kt_expect_eq!(t, IoPorts::<16>::request(0xcf0, name).err(), Some(EBUSY));
    }
}
