// SPDX-License-Identifier: MIT
//! PCI drivers: an ID table, a [`Driver`] trait (`probe`/`remove`) and a
//! [`Registration`] with the driver core (`keel/pci.h`).
//!
//! `probe` gets a [`Device`] and returns the driver's per-device state;
//! the kernel crate keeps it (boxed, as the C `drvdata`) and drops it
//! after `remove`, so a driver cannot leak its state or reach it after
//! the device is gone. [`module_pci_driver!`](crate::module_pci_driver)
//! makes a module that registers one driver.

use crate::alloc::{KBox, GFP_KERNEL};
use crate::error::{to_result, Result};
use crate::io::IoMem;
use crate::str::CStr;
use crate::types::Opaque;
use core::ffi::c_int;
use core::marker::PhantomData;

/// One entry of an ID table (C `struct pci_device_id`).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::pci_device_id);

impl DeviceId {
    /// Matches one vendor/device pair.
    pub const fn new(vendor: u16, device: u16) -> Self {
        DeviceId(bindings::pci_device_id { vendor, device, class: 0, class_mask: 0 })
    }

    /// Matches any device of `class` under `mask` (class << 8 | prog-if).
    pub const fn with_class(class: u32, mask: u32) -> Self {
        DeviceId(bindings::pci_device_id {
            vendor: 0xffff,
            device: 0xffff,
            class,
            class_mask: mask,
        })
    }

    /// The terminating (all-zero) entry.
    pub const END: Self =
        DeviceId(bindings::pci_device_id { vendor: 0, device: 0, class: 0, class_mask: 0 });

    /// The vendor ID this entry matches.
    pub fn vendor(&self) -> u16 {
        self.0.vendor
    }

    /// The device ID this entry matches.
    pub fn device(&self) -> u16 {
        self.0.device
    }
}

/// A driver's ID table; the last entry must be [`DeviceId::END`].
#[derive(Clone, Copy)]
pub struct IdTable(&'static [DeviceId]);

impl IdTable {
    /// Wraps `ids`, checking (at compile time when used in a constant)
    /// that it ends with [`DeviceId::END`].
    pub const fn new(ids: &'static [DeviceId]) -> Self {
        assert!(!ids.is_empty(), "an ID table needs at least its END entry");
        let last = ids[ids.len() - 1].0;
        assert!(
            last.vendor == 0 && last.device == 0 && last.class_mask == 0,
            "an ID table must end with DeviceId::END"
        );
        IdTable(ids)
    }
}

/// A PCI function, as the driver core hands it to a driver.
#[repr(transparent)]
pub struct Device(Opaque<bindings::pci_dev>);

impl Device {
    /// # Safety
    /// `ptr` is a registered PCI device, valid for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::pci_dev) -> &'a Device {
        // SAFETY: Device is repr(transparent) over the C struct and the
        // caller guarantees validity.
        unsafe { &*ptr.cast::<Device>() }
    }

    fn raw(&self) -> &bindings::pci_dev {
        // SAFETY: the identity, BAR and IRQ fields are written by the PCI
        // scan before any driver exists and never change afterwards.
        unsafe { &*self.0.get() }
    }

    /// The generic device (for parenting a net or MDIO device).
    pub(crate) fn as_dev_ptr(&self) -> *mut bindings::device {
        // SAFETY: `dev` is a field of the live pci_dev.
        unsafe { core::ptr::addr_of_mut!((*self.0.get()).dev) }
    }

    /// The vendor ID.
    pub fn vendor_id(&self) -> u16 {
        self.raw().vendor
    }

    /// The device ID.
    pub fn device_id(&self) -> u16 {
        self.raw().device
    }

    /// "bb:ss.f".
    pub fn name(&self) -> &CStr {
        // SAFETY: the name is a NUL-terminated array set at registration.
        unsafe { CStr::from_ptr(self.raw().dev.name.as_ptr()) }
    }

    /// The legacy interrupt (INTx) as an IRQ number, if wired.
    pub fn irq(&self) -> Option<u32> {
        match self.raw().irq {
            0 => None,
            irq => Some(irq),
        }
    }

    /// Turns on memory and I/O decoding for the device's BARs.
    pub fn enable_device(&self) -> Result {
        // SAFETY: the device is valid; config space access is locked in C.
        to_result(unsafe { bindings::pci_enable_device(self.0.get()) })
    }

    /// Lets the device master the bus (DMA).
    pub fn set_master(&self) {
        // SAFETY: as in enable_device.
        unsafe { bindings::pci_set_master(self.0.get()) }
    }

    /// Maps the first `SIZE` bytes of memory BAR `bar`. `ENODEV` if the
    /// BAR is missing, an I/O BAR or smaller than `SIZE`.
    pub fn iomap_bar<const SIZE: usize>(&self, bar: usize) -> Result<IoMem<SIZE>> {
        let raw = self.raw();
        if bar >= raw.bar.len() || raw.bar_is_io[bar] || raw.bar_size[bar] < SIZE as u64 {
            return Err(crate::error::code::ENODEV);
        }
        // SAFETY: the range is (part of) a memory BAR the PCI scan sized,
        // device memory decoded while the driver is bound.
        unsafe { IoMem::ioremap(raw.bar[bar]) }
    }
}

/// A PCI driver.
#[crate::vtable]
pub trait Driver: Sized + 'static {
    /// Per-device state, from `probe` until after `remove`.
    type Data: Send + 'static;

    /// The driver's name: what `lspci` shows and `driver_override`
    /// (e.g. `e1000.impl=`) selects.
    const NAME: &'static CStr;

    /// The devices the driver handles.
    const ID_TABLE: IdTable;

    /// Sets up a matching device. An error leaves it unbound; whatever
    /// was set up must be owned by values dropped on the way out.
    fn probe(dev: &Device, id: &DeviceId) -> Result<Self::Data>;

    /// Called before the state is dropped (which undoes the rest).
    fn remove(_data: &Self::Data) {}
}

/// The C core's `probe_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn probe_callback<T: Driver>(
    pdev: *mut bindings::pci_dev,
    id: *const bindings::pci_device_id,
) -> c_int {
    // SAFETY: the driver core passes a registered device, bound to us for
    // the duration of the call, and the entry of our table that matched.
    let (dev, id) = unsafe { (Device::from_raw(pdev), &*id.cast::<DeviceId>()) };
    match T::probe(dev, id).and_then(|data| KBox::new(data, GFP_KERNEL)) {
        Ok(data) => {
            // SAFETY: drvdata belongs to the bound driver; remove_callback
            // takes the box back.
            unsafe { (*pdev).drvdata = KBox::into_raw(data).cast() };
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// The C core's `remove_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn remove_callback<T: Driver>(pdev: *mut bindings::pci_dev) {
    // SAFETY: drvdata was set by probe_callback::<T> for this device and
    // is reclaimed once, here; the core clears it afterwards.
    let data = unsafe { KBox::<T::Data>::from_raw((*pdev).drvdata.cast()) };
    T::remove(&data);
    drop(data);
}

/// A registered PCI driver; unregistered (each device removed) on drop.
pub struct Registration<T: Driver> {
    drv: KBox<Opaque<bindings::pci_driver>>,
    _t: PhantomData<T>,
}

// SAFETY: the C driver struct is only touched by the driver core, under
// the bus lock, and by Drop; nothing in it is tied to a CPU.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: shared references expose nothing.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver; it binds to every matching unbound device.
    pub fn new() -> Result<Self> {
        let drv = bindings::pci_driver {
            name: T::NAME.as_ptr(),
            id_table: T::ID_TABLE.0.as_ptr().cast(),
            probe: Some(probe_callback::<T>),
            remove: Some(remove_callback::<T>),
            // SAFETY: all-zero is a valid (unregistered) device_driver.
            driver: unsafe { core::mem::zeroed() },
        };
        let drv = KBox::new(Opaque::new(drv), GFP_KERNEL)?;
        // SAFETY: the struct is boxed (stable address) until Drop
        // unregisters it; its name and table are 'static.
        to_result(unsafe { bindings::pci_register_driver(drv.get()) })?;
        Ok(Registration { drv, _t: PhantomData })
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in new(); unregistering removes every device
        // (running remove_callback) before the box is freed.
        unsafe { bindings::pci_unregister_driver(self.drv.get()) };
    }
}

/// Declares a module that registers one PCI driver:
///
/// ```ignore
/// kernel::module_pci_driver! {
///     type: E1000Rs,
///     name: "e1000_rs",
///     author: "keel developers",
///     description: "Intel 82540EM",
///     license: "MIT",
/// }
/// ```
#[macro_export]
macro_rules! module_pci_driver {
    (type: $t:ty, name: $name:literal, author: $a:literal,
     description: $d:literal, license: $l:literal $(,)?) => {
        struct __PciModule($crate::pci::Registration<$t>);

        impl $crate::module::Module for __PciModule {
            fn init() -> $crate::error::Result<Self> {
                Ok(__PciModule($crate::pci::Registration::new()?))
            }
        }

        $crate::module! {
            type: __PciModule,
            name: $name,
            author: $a,
            description: $d,
            license: $l,
        }
    };
}

#[crate::ktest(rust_pci)]
mod tests {
    use super::*;
    use crate::error::code::ENODEV;
    use crate::ktest::Test;
    use core::sync::atomic::{AtomicU32, Ordering};

    static PROBES: AtomicU32 = AtomicU32::new(0);
    static DROPS: AtomicU32 = AtomicU32::new(0);
    static REMOVED_VENDOR: AtomicU32 = AtomicU32::new(0);

    struct HostBridge;

    struct Bound(u16);

    impl Drop for Bound {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[crate::vtable]
    impl Driver for HostBridge {
        type Data = Bound;
        const NAME: &'static CStr = c"rust-ktest-bridge";
        const ID_TABLE: IdTable =
            IdTable::new(&[DeviceId::with_class(0x060000, 0xffff00), DeviceId::END]);

        fn probe(dev: &Device, _id: &DeviceId) -> Result<Bound> {
            PROBES.fetch_add(1, Ordering::Relaxed);
            Ok(Bound(dev.vendor_id()))
        }

        fn remove(data: &Bound) {
            REMOVED_VENDOR.store(data.0.into(), Ordering::Relaxed);
        }
    }

    struct Refuses;

    #[crate::vtable]
    impl Driver for Refuses {
        type Data = ();
        const NAME: &'static CStr = c"rust-ktest-refuses";
        const ID_TABLE: IdTable =
            IdTable::new(&[DeviceId::with_class(0x060000, 0xffff00), DeviceId::END]);

        fn probe(_dev: &Device, _id: &DeviceId) -> Result<()> {
            PROBES.fetch_add(1, Ordering::Relaxed);
            Err(ENODEV)
        }
    }

    #[test]
    fn binds_and_drops_state(t: &mut Test) {
        PROBES.store(0, Ordering::Relaxed);
        DROPS.store(0, Ordering::Relaxed);
        let before = crate::ktest::slab_objects();
        match Registration::<HostBridge>::new() {
            Ok(reg) => {
                crate::kt_expect_eq!(t, PROBES.load(Ordering::Relaxed), 1);
                crate::kt_expect_eq!(t, DROPS.load(Ordering::Relaxed), 0);
                drop(reg);
                crate::kt_expect_eq!(t, DROPS.load(Ordering::Relaxed), 1);
                crate::kt_expect_eq!(t, REMOVED_VENDOR.load(Ordering::Relaxed), 0x8086);
            }
            Err(e) => crate::kt_fail!(t, "register failed: {}", e),
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn failed_probe_keeps_nothing(t: &mut Test) {
        PROBES.store(0, Ordering::Relaxed);
        let before = crate::ktest::slab_objects();
        let reg = Registration::<Refuses>::new();
        crate::kt_expect!(t, reg.is_ok());
        crate::kt_expect_eq!(t, PROBES.load(Ordering::Relaxed), 1);
        drop(reg);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }
}
