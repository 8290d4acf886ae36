// SPDX-License-Identifier: MIT
//! PCI drivers: an ID table, a [`Driver`] trait (`probe`/`remove`) and a
//! [`Registration`] with the driver core (`keel/pci.h`).
//!
//! `probe` gets a [`Device`] and returns the driver's per-device state;
//! the kernel crate keeps it (boxed, as the C `drvdata`) and drops it
//! after `remove`, so a driver cannot leak its state or reach it after
//! the device is gone. [`module_pci_driver!`](crate::module_pci_driver)
//! makes a module that registers one driver.
//!
//! The device's resources (BAR mappings, port ranges, and whatever the
//! driver puts in [`Devres::new`]) belong to the binding: they come
//! wrapped in a [`Devres`], and when the binding ends (after `remove`
//! and the drop of the per-device state, or when `probe` fails) every
//! one is revoked: accesses still in progress on other CPUs are waited
//! for, the resource is released, and handles the driver kept (in a
//! static, or forgotten) only get `ENXIO` from then on.

use crate::alloc::{KBox, GFP_KERNEL};
use crate::devres::{Devres, DevresList};
use crate::error::{code::*, to_result, Result};
use crate::io::{IoMem, IoPorts};
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
///
/// ```
/// use kernel::pci::{DeviceId, IdTable};
///
/// const IDS: &[DeviceId] = &[
///     DeviceId::new(0x8086, 0x100e), // QEMU's e1000
///     DeviceId::with_class(0x020000, 0xffff00), // or any Ethernet controller
///     DeviceId::END,
/// ];
/// const TABLE: IdTable = IdTable::new(IDS); // a missing END fails to build
/// assert_eq!((IDS[0].vendor(), IDS[0].device()), (0x8086, 0x100e));
/// ```
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
///
/// ```
/// # use core::sync::atomic::{AtomicU32, Ordering};
/// # use kernel::pci::{self, DeviceId, IdTable};
/// # use kernel::prelude::*;
/// # static SEEN: AtomicU32 = AtomicU32::new(0);
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-pci-device";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<()> {
///     let name = dev.name().to_str().unwrap_or("?"); // "bb:ss.f"
///     pr_info!("{}: {:04x}:{:04x}\n", name, dev.vendor_id(), dev.device_id());
///     dev.enable_device()?;
///     dev.set_master(); // it may do DMA
///     let ids = (u32::from(dev.vendor_id()) << 16) | u32::from(dev.device_id());
/// #   SEEN.store(ids, Ordering::Relaxed);
///     Ok(())
/// }
/// # }
/// # let edu = pci::Registration::<Edu>::new()?;
/// // QEMU's `edu` device, which the ktest boot adds
/// assert_eq!(SEEN.load(Ordering::Relaxed), 0x1234_11e8);
/// # Ok::<(), Error>(())
/// ```
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

    /// The C struct, as a raw pointer: C changes some of its fields
    /// (`irq` when MSI is enabled, `driver`, `drvdata`, the list node and
    /// the embedded `struct device`) while drivers hold `&Device`, so no
    /// reference to the whole struct is ever made; each accessor reads
    /// one field by value.
    fn ptr(&self) -> *mut bindings::pci_dev {
        self.0.get()
    }

    /// BAR `bar`'s base, size and whether it is an I/O BAR, or `None` for
    /// a BAR number out of range.
    fn bar(&self, bar: usize) -> Option<(u64, u64, bool)> {
        if bar >= bindings::PCI_NUM_BARS as usize {
            return None;
        }
        let p = self.ptr();
        // SAFETY: `p` is the live pci_dev (from_raw's contract) and
        // `bar` is in range; the BAR fields are written by the PCI scan
        // before any driver exists and never change afterwards; they are
        // read by value, without a reference to the struct.
        Some(unsafe { ((*p).bar[bar], (*p).bar_size[bar], (*p).bar_is_io[bar]) })
    }

    /// The generic device (for parenting a net or MDIO device).
    pub(crate) fn as_dev_ptr(&self) -> *mut bindings::device {
        // SAFETY: `dev` is a field of the live pci_dev.
        unsafe { core::ptr::addr_of_mut!((*self.0.get()).dev) }
    }

    /// The vendor ID.
    pub fn vendor_id(&self) -> u16 {
        // SAFETY: a field of the live pci_dev, written by the PCI scan
        // before any driver exists and never changed; read by value.
        unsafe { (*self.ptr()).vendor }
    }

    /// The device ID.
    pub fn device_id(&self) -> u16 {
        // SAFETY: a field of the live pci_dev, written by the PCI scan
        // before any driver exists and never changed; read by value.
        unsafe { (*self.ptr()).device }
    }

    /// "bb:ss.f".
    pub fn name(&self) -> &CStr {
        // SAFETY: the name is a NUL-terminated array inside the live
        // pci_dev, set at registration and never changed; the reference
        // covers only its bytes, not the struct around them.
        unsafe { CStr::from_ptr(core::ptr::addr_of!((*self.ptr()).dev.name).cast()) }
    }

    /// The legacy interrupt (INTx) as an IRQ number, if wired.
    pub fn irq(&self) -> Option<u32> {
        // SAFETY: a field of the live pci_dev, read by value; C changes it
        // only when this device's driver enables MSI, from its own probe.
        match unsafe { (*self.ptr()).irq } {
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
        // SAFETY: `&Device` is the live pci_dev the core bound to this
        // driver; pci_set_master only reads the device's address fields
        // and reads and writes its command register through the config
        // accessors, each access under C's config lock.
        unsafe { bindings::pci_set_master(self.0.get()) }
    }

    /// The resources of the binding being probed (`ENXIO` if none).
    pub(crate) fn devres(&self) -> Result<&DevresList> {
        // SAFETY: drvdata is a field of the live pci_dev, read through a
        // raw pointer (it changes only around probe and remove, on the
        // task that runs them, which is the caller's).
        let p = unsafe { (*self.0.get()).drvdata };
        if p.is_null() {
            return Err(ENXIO);
        }
        // SAFETY: a `&Device` exists only during probe_callback::<T>,
        // which set drvdata to its Binding<T::Data> before calling probe;
        // `devres` is that repr(C) struct's first field, and the binding
        // outlives the probe call this borrow is tied to.
        Ok(unsafe { &*p.cast::<DevresList>() })
    }

    /// Maps the first `SIZE` bytes of memory BAR `bar`, for as long as
    /// the binding lasts. `ENODEV` if the BAR is missing, unassigned, an
    /// I/O BAR or smaller than `SIZE`; `ENOMEM` if no virtual space is
    /// left.
    pub fn iomap_bar<const SIZE: usize>(&self, bar: usize) -> Result<Devres<IoMem<SIZE>>> {
        let (base, size, is_io) = self.bar(bar).ok_or(ENODEV)?;
        // base 0: firmware left the BAR unassigned; it decodes nothing
        if is_io || size < SIZE as u64 || base == 0 {
            return Err(ENODEV);
        }
        let list = self.devres()?;
        // SAFETY: the range is (part of) a memory BAR the PCI scan sized,
        // device memory decoded while the driver is bound; the mapping is
        // revoked (unmapped) when the binding ends.
        let mem = unsafe { IoMem::ioremap(base) }?;
        Devres::new_in(list, mem, GFP_KERNEL)
    }

    /// Claims the first `LEN` ports of I/O BAR `bar` for `name`, for as
    /// long as the binding lasts. `ENODEV` if the BAR is missing, a
    /// memory BAR or shorter than `LEN`; `EBUSY` if a port in it is
    /// claimed already (the kernel's own ports always are).
    pub fn request_io_bar<const LEN: u16>(
        &self,
        bar: usize,
        name: &'static CStr,
    ) -> Result<Devres<IoPorts<LEN>>> {
        let (base, size, is_io) = self.bar(bar).ok_or(ENODEV)?;
        if !is_io || size < u64::from(LEN) {
            return Err(ENODEV);
        }
        let base = u16::try_from(base).map_err(|_| ENODEV)?;
        let list = self.devres()?;
        Devres::new_in(list, IoPorts::request(base, name)?, GFP_KERNEL)
    }
}

/// What the C `drvdata` of a device bound to a Rust driver points to.
/// `repr(C)` with the resource list first, so [`Device::devres`] finds
/// it without knowing `D`.
#[repr(C)]
struct Binding<D> {
    devres: DevresList,
    data: Option<D>,
}

/// A PCI driver.
///
/// A driver for QEMU's `edu` device (which the ktest boot adds): `probe`
/// maps its registers and keeps them in its per-device state.
///
/// ```
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use kernel::devres::Devres;
/// use kernel::io::IoMem;
/// use kernel::pci::{self, DeviceId, IdTable};
/// use kernel::prelude::*;
///
/// struct Edu;
///
/// struct EduState {
///     regs: Devres<IoMem<4096>>,
/// }
///
/// static PROBED: AtomicU32 = AtomicU32::new(0);
///
/// #[vtable]
/// impl pci::Driver for Edu {
///     type Data = EduState;
///     const NAME: &'static CStr = c"doc-edu";
///     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
///
///     fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<EduState> {
///         let regs = dev.iomap_bar::<4096>(0)?;
///         // the identification register: 0x010000ed for edu 1.0
///         let id = regs.access(|r| r.read32::<0x00>())?;
///         if id & 0xff != 0xed {
///             return Err(ENODEV);
///         }
///         PROBED.fetch_add(1, Ordering::Relaxed);
///         Ok(EduState { regs })
///     }
/// }
///
/// let driver = pci::Registration::<Edu>::new()?; // probes the edu device
/// assert_eq!(PROBED.load(Ordering::Relaxed), 1);
/// drop(driver); // unbinds: the state is dropped, the mapping revoked
/// # Ok::<(), Error>(())
/// ```
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
    let binding = Binding::<T::Data> { devres: DevresList::new(), data: None };
    let raw = match KBox::new(binding, GFP_KERNEL) {
        Ok(b) => KBox::into_raw(b),
        Err(e) => return e.to_errno(),
    };
    // SAFETY: drvdata belongs to the driver being bound; it points to the
    // binding from here until remove_callback (or the failure below)
    // takes the box back.
    unsafe { (*pdev).drvdata = raw.cast() };
    // SAFETY: the driver core passes a registered device, bound to us for
    // the duration of the call, and the entry of our table that matched.
    let (dev, id) = unsafe { (Device::from_raw(pdev), &*id.cast::<DeviceId>()) };
    match T::probe(dev, id) {
        Ok(data) => {
            // SAFETY: `raw` is the live binding; probe is over, so the
            // only other reference into it is the resources' list, a
            // different field; the old `None` needs no drop.
            unsafe { core::ptr::addr_of_mut!((*raw).data).write(Some(data)) };
            0
        }
        Err(e) => {
            // SAFETY: from into_raw above; probe's `&Device` is gone, so
            // nothing else refers to the binding.
            let binding = unsafe { KBox::from_raw(raw) };
            // whatever the driver kept of the failed binding is revoked
            binding.devres.revoke_all();
            drop(binding);
            // SAFETY: `pdev` is the live device being probed and drvdata
            // belongs to the driver being bound; it is read only through
            // a `&Device` of this probe (gone) and by remove_callback,
            // which the core never calls after a failed probe (it clears
            // drvdata too).
            unsafe { (*pdev).drvdata = core::ptr::null_mut() };
            e.to_errno()
        }
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
    // SAFETY: drvdata was set by probe_callback::<T> for this device (to
    // a Binding<T::Data> whose probe succeeded) and is reclaimed once,
    // here; the core clears it afterwards.
    let mut binding = unsafe { KBox::<Binding<T::Data>>::from_raw((*pdev).drvdata.cast()) };
    if let Some(data) = binding.data.take() {
        T::remove(&data);
        // The state goes first: its drop may still use the resources
        // (e.g. a net device's stop() quiescing the hardware).
        drop(data);
    }
    // Then the binding's resources, including clones kept elsewhere.
    binding.devres.revoke_all();
    drop(binding);
}

/// A registered PCI driver; unregistered (each device removed) on drop.
///
/// ```
/// # use core::sync::atomic::{AtomicBool, Ordering};
/// # use kernel::pci::{self, DeviceId, IdTable};
/// # use kernel::prelude::*;
/// # static REMOVED: AtomicBool = AtomicBool::new(false);
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-pci-registration";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// #     fn probe(_dev: &pci::Device, _id: &DeviceId) -> Result<()> {
/// #         Ok(())
/// #     }
/// fn remove(_data: &()) {
///     REMOVED.store(true, Ordering::Relaxed);
/// }
/// # }
/// let driver = pci::Registration::<Edu>::new()?; // binds to each edu
/// assert!(!REMOVED.load(Ordering::Relaxed));
/// drop(driver); // unbinds from each: remove, then the state's drop
/// assert!(REMOVED.load(Ordering::Relaxed));
/// # Ok::<(), Error>(())
/// ```
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
    use crate::ktest::Test;
    use crate::sync::SpinLock;
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

    /// Binds to a device with an I/O BAR (PIIX3 IDE on `pc`, ICH9 AHCI
    /// on `q35`) and keeps a clone of its ports in a static.
    struct PortUser;

    static PORTS: SpinLock<Option<Devres<IoPorts<8>>>> = SpinLock::new(None);
    static PORT_BASE: AtomicU32 = AtomicU32::new(0);
    static PORT_RESULTS: AtomicU32 = AtomicU32::new(0);

    #[crate::vtable]
    impl Driver for PortUser {
        type Data = Devres<IoPorts<8>>;
        const NAME: &'static CStr = c"rust-ktest-ports";
        const ID_TABLE: IdTable = IdTable::new(&[
            DeviceId::new(0x8086, 0x7010),
            DeviceId::new(0x8086, 0x2922),
            DeviceId::END,
        ]);

        fn probe(dev: &Device, _id: &DeviceId) -> Result<Self::Data> {
            let bar = (0..6).find(|&b| matches!(dev.bar(b), Some((_, size, true)) if size >= 8));
            let bar = bar.ok_or(ENODEV)?;
            let ports = dev.request_io_bar::<8>(bar, c"rust-ktest-ports")?;
            let mut ok = 0;
            // the ports are ours and readable
            ok += u32::from(ports.access(|p| p.try_inb(0).is_ok()) == Ok(true));
            // a second claim of the same BAR is refused, so is a memory
            // mapping of an I/O BAR
            let again = dev.request_io_bar::<8>(bar, c"rust-ktest-again");
            ok += u32::from(again.err() == Some(EBUSY));
            ok += u32::from(dev.iomap_bar::<8>(bar).err() == Some(ENODEV));
            PORT_RESULTS.store(ok, Ordering::Relaxed);
            PORT_BASE.store(ports.access(|p| p.base().into()).unwrap_or(0), Ordering::Relaxed);
            *PORTS.lock_irqsave() = Some(ports.clone());
            Ok(ports)
        }
    }

    /// K1/K2: ports come from the device's own I/O BAR; when the binding
    /// ends they are revoked (a clone kept in a static gets ENXIO) and
    /// released (the range can be claimed again).
    #[test]
    fn io_bar_is_granted_and_revoked_at_unbind(t: &mut Test) {
        PORT_RESULTS.store(0, Ordering::Relaxed);
        PORT_BASE.store(0, Ordering::Relaxed);
        let reg = Registration::<PortUser>::new();
        crate::kt_expect!(t, reg.is_ok());
        let base = PORT_BASE.load(Ordering::Relaxed);
        if base == 0 {
            drop(reg);
            t.skip(c"no device with an I/O BAR bound");
            return;
        }
        crate::kt_expect_eq!(t, PORT_RESULTS.load(Ordering::Relaxed), 3);
        let kept = PORTS.lock_irqsave().take();
        if let Some(k) = &kept {
            crate::kt_expect!(t, k.access(|p| p.try_inb(0)).is_ok());
        }
        drop(reg); // unbind
        if let Some(k) = &kept {
            crate::kt_expect!(t, k.is_revoked());
            crate::kt_expect_eq!(t, k.access(|p| p.try_inb(0)).err(), Some(ENXIO));
        }
        // released at unbind, although a handle is still alive
        let again = IoPorts::<8>::request(base as u16, c"rust-ktest-again");
        crate::kt_expect!(t, again.is_ok());
        drop(again);
        drop(kept);
    }

    /// Binds to QEMU's `edu` device and keeps a clone of its registers.
    struct MmioUser;

    const EDU_ID: usize = 0x00; // reads 0x010000ed
    static EDU: SpinLock<Option<Devres<IoMem<4096>>>> = SpinLock::new(None);
    static EDU_ID_READ: AtomicU32 = AtomicU32::new(0);

    #[crate::vtable]
    impl Driver for MmioUser {
        type Data = ();
        const NAME: &'static CStr = c"rust-ktest-mmio";
        const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);

        fn probe(dev: &Device, _id: &DeviceId) -> Result<()> {
            let regs = dev.iomap_bar::<4096>(0)?;
            EDU_ID_READ.store(regs.access(|r| r.read32::<EDU_ID>())?, Ordering::Relaxed);
            // the driver keeps only the static's clone: the binding still
            // owns the mapping
            *EDU.lock_irqsave() = Some(regs);
            Ok(())
        }
    }

    /// K2: an MMIO mapping kept past the binding (in a static) is revoked
    /// and unmapped at unbind; accessing it is refused, not a fault.
    #[test]
    fn iomem_is_revoked_at_unbind(t: &mut Test) {
        EDU_ID_READ.store(0, Ordering::Relaxed);
        let reg = Registration::<MmioUser>::new();
        crate::kt_expect!(t, reg.is_ok());
        if EDU_ID_READ.load(Ordering::Relaxed) == 0 {
            drop(reg);
            t.skip(c"no edu device");
            return;
        }
        crate::kt_expect_eq!(t, EDU_ID_READ.load(Ordering::Relaxed) & 0xff, 0xed);
        let kept = EDU.lock_irqsave().take();
        if let Some(k) = &kept {
            crate::kt_expect_eq!(t, k.access(|r| r.read32::<EDU_ID>() & 0xff), Ok(0xed));
        }
        drop(reg); // unbind: the mapping is gone
        if let Some(k) = &kept {
            crate::kt_expect_eq!(t, k.access(|r| r.read32::<EDU_ID>()).err(), Some(ENXIO));
        }
        drop(kept);
    }

    /// A probe that fails after mapping: what it kept is revoked too.
    struct FailsAfterMap;

    #[crate::vtable]
    impl Driver for FailsAfterMap {
        type Data = ();
        const NAME: &'static CStr = c"rust-ktest-mapfail";
        const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);

        fn probe(dev: &Device, _id: &DeviceId) -> Result<()> {
            let regs = dev.iomap_bar::<4096>(0)?;
            *EDU.lock_irqsave() = Some(regs.clone());
            Err(EIO)
        }
    }

    #[test]
    fn failed_probe_revokes_its_resources(t: &mut Test) {
        drop(EDU.lock_irqsave().take());
        let reg = Registration::<FailsAfterMap>::new();
        crate::kt_expect!(t, reg.is_ok());
        let kept = EDU.lock_irqsave().take();
        match &kept {
            Some(k) => crate::kt_expect_eq!(t, k.access(|_| ()).err(), Some(ENXIO)),
            None => t.skip(c"no edu device"),
        }
        drop(kept);
        drop(reg);
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
