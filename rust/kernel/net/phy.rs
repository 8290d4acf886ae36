// SPDX-License-Identifier: MIT
//! PHYs (`keel/phy.h`): PHY drivers in Rust, and MDIO buses provided by
//! Rust MAC drivers.
//!
//! A PHY driver implements [`Driver`] (`#[vtable]`: the operations it
//! does not implement stay NULL in the C table and phylib uses its
//! generic ones) and registers with
//! [`module_phy_driver!`](crate::module_phy_driver), Linux's shape:
//!
//! ```ignore
//! kernel::module_phy_driver! {
//!     drivers: [PhyM88e1011],
//!     name: "m88e1011",
//!     author: "keel developers",
//!     description: "Marvell 88E1011 PHY",
//!     license: "MIT",
//! }
//! ```
//!
//! Callbacks get `&mut Device`, a handle to the C `phy_device`, and that
//! handle is exclusive: phylib calls every driver operation of a PHY
//! with the PHY's lock held (`phydev->lock`, bottom halves off: see
//! drivers/net/phy/phy.c), whether from `phy_connect`/`phy_start`/
//! `phy_stop` in any context or from the state-machine tasklet, so no two
//! operations of one PHY overlap on any CPU. The handle never makes a
//! Rust reference to the C struct itself (C changes parts of it, such as
//! the state-machine tasklet, from interrupts while an operation runs);
//! it reads and writes the fields it exposes one at a time, and C changes
//! those only under the same lock. Operations must not sleep.
//!
//! An [`MdioBus`] is reference counted in C: dropping it drops the
//! driver's reference, and an interface connected to it
//! ([`crate::net::Device::phy_connect`]) holds another until it is freed,
//! so the PHYs outlive every interface pointing at them, in either drop
//! order; under `mem::forget` of either, both stay allocated.

use crate::error::{code::*, from_result, to_result, Error, Result};
use crate::str::CStr;
use crate::types::Opaque;
use core::ffi::c_int;
use core::marker::PhantomData;

/// Standard (clause 22) register numbers.
pub mod reg {
    /// Basic mode control.
    pub const BMCR: u16 = bindings::MII_BMCR as u16;
    /// Basic mode status.
    pub const BMSR: u16 = bindings::MII_BMSR as u16;
    /// PHY identifier, high half.
    pub const PHYSID1: u16 = bindings::MII_PHYSID1 as u16;
    /// PHY identifier, low half.
    pub const PHYSID2: u16 = bindings::MII_PHYSID2 as u16;
    /// Autonegotiation advertisement.
    pub const ADVERTISE: u16 = bindings::MII_ADVERTISE as u16;
    /// Link partner ability.
    pub const LPA: u16 = bindings::MII_LPA as u16;
    /// 1000BASE-T control.
    pub const CTRL1000: u16 = bindings::MII_CTRL1000 as u16;
    /// 1000BASE-T status.
    pub const STAT1000: u16 = bindings::MII_STAT1000 as u16;
}

/// Duplex of a link.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DuplexMode {
    /// Full duplex.
    Full,
    /// Half duplex.
    Half,
    /// Not known (no link, or not resolved yet).
    Unknown,
}

/// A PHY, as phylib hands it to a driver callback: a handle, valid and
/// exclusive for the callback.
///
/// # Invariants
/// `ptr` is a registered phy_device whose lock is held by the caller of
/// the callback for as long as the handle lives; C changes the fields
/// the handle accesses only under that lock.
pub struct Device {
    ptr: core::ptr::NonNull<bindings::phy_device>,
    _not_send: core::marker::PhantomData<*mut ()>,
}

/// The generic phylib operations that take nothing but the PHY.
#[derive(Clone, Copy)]
enum Genphy {
    SoftReset,
    ConfigAneg,
    RestartAneg,
    UpdateLink,
    ReadStatus,
    Suspend,
    Resume,
}

impl Device {
    /// Runs the generic phylib operation `op` on this PHY.
    fn genphy(&mut self, op: Genphy) -> Result {
        let f: unsafe extern "C" fn(*mut bindings::phy_device) -> c_int = match op {
            Genphy::SoftReset => bindings::genphy_soft_reset,
            Genphy::ConfigAneg => bindings::genphy_config_aneg,
            Genphy::RestartAneg => bindings::genphy_restart_aneg,
            Genphy::UpdateLink => bindings::genphy_update_link,
            Genphy::ReadStatus => bindings::genphy_read_status,
            Genphy::Suspend => bindings::genphy_suspend,
            Genphy::Resume => bindings::genphy_resume,
        };
        // SAFETY: `f` is one of the genphy_* functions above, each of
        // which needs only a registered PHY with its lock held, and that
        // is what the handle is (type invariant): they access registers
        // through phy_read/phy_write (serialised by the bus's lock),
        // write `link`, `speed` and `duplex`, which C touches only under
        // the PHY's lock, and busy-wait at most (no sleep). The handle
        // holds no reference into the struct while they run.
        to_result(unsafe { f(self.as_ptr()) })
    }

    /// # Safety
    /// `ptr` is a registered phy_device whose lock the caller holds while
    /// the returned handle lives.
    unsafe fn from_raw(ptr: *mut bindings::phy_device) -> Device {
        // SAFETY: phylib never passes NULL to an operation.
        Device { ptr: unsafe { core::ptr::NonNull::new_unchecked(ptr) }, _not_send: PhantomData }
    }

    fn as_ptr(&self) -> *mut bindings::phy_device {
        self.ptr.as_ptr()
    }

    /// The PHY's 32-bit identifier (registers 2 and 3).
    pub fn phy_id(&mut self) -> u32 {
        // SAFETY: the PHY is valid (type invariant), and C writes
        // `phy_id` only when it creates the PHY, before any operation
        // runs, so this read races with nothing; no reference to the
        // struct is made.
        unsafe { (*self.as_ptr()).phy_id }
    }

    /// Reads register `reg` over MDIO.
    pub fn read(&mut self, reg: u16) -> Result<u16> {
        // SAFETY: the PHY and its bus are valid during the callback (type
        // invariant); the bus serialises transactions under its own lock.
        let v = unsafe { bindings::phy_read(self.as_ptr(), reg.into()) };
        if v < 0 {
            Err(Error::from_errno(v))
        } else {
            Ok(v as u16)
        }
    }

    /// Writes `val` to register `reg` over MDIO.
    pub fn write(&mut self, reg: u16, val: u16) -> Result {
        // SAFETY: the PHY and its bus are valid during the callback (type
        // invariant); phy_write only reads the PHY's bus and address, set
        // at creation, and mdiobus_write serialises the transaction under
        // the bus's own lock.
        to_result(unsafe { bindings::phy_write(self.as_ptr(), reg.into(), val) })
    }

    /// Clears `mask` then sets `set` in register `reg`.
    pub fn modify(&mut self, reg: u16, mask: u16, set: u16) -> Result {
        let v = self.read(reg)?;
        self.write(reg, (v & !mask) | set)
    }

    /// Whether the link is up (as last determined).
    pub fn is_link_up(&mut self) -> bool {
        // SAFETY: the PHY is valid and its lock is held (type
        // invariant), and C writes `link` only under that lock, so this
        // read races with nothing; no reference to the struct is made.
        unsafe { (*self.as_ptr()).link }
    }

    /// Records the link state.
    pub fn set_link(&mut self, up: bool) {
        // SAFETY: the PHY is valid and its lock is held (type
        // invariant), and C reads and writes `link` only under that lock,
        // so this store races with nothing; it writes the one field
        // through the raw pointer, making no reference to the struct.
        unsafe { (*self.as_ptr()).link = up };
    }

    /// Whether autonegotiation is on.
    pub fn is_autoneg_enabled(&mut self) -> bool {
        // SAFETY: the PHY is valid and its lock is held (type
        // invariant); C writes `autoneg` when it creates the PHY and in
        // genphy_config_aneg, which runs only under that lock, so this
        // read races with nothing; no reference to the struct is made.
        unsafe { (*self.as_ptr()).autoneg }
    }

    /// Records the link speed in Mb/s (0: unknown).
    pub fn set_speed(&mut self, mbps: u32) {
        let v = if mbps == 0 { bindings::SPEED_UNKNOWN } else { mbps as c_int };
        // SAFETY: the PHY is valid and its lock is held (type
        // invariant), and C reads and writes `speed` only under that
        // lock, so this store races with nothing; no reference to the
        // struct is made.
        unsafe { (*self.as_ptr()).speed = v };
    }

    /// Records the duplex.
    pub fn set_duplex(&mut self, mode: DuplexMode) {
        let v = match mode {
            DuplexMode::Full => bindings::DUPLEX_FULL as c_int,
            DuplexMode::Half => bindings::DUPLEX_HALF as c_int,
            DuplexMode::Unknown => bindings::DUPLEX_UNKNOWN,
        };
        // SAFETY: the PHY is valid and its lock is held (type
        // invariant), and C reads and writes `duplex` only under that
        // lock, so this store races with nothing; no reference to the
        // struct is made.
        unsafe { (*self.as_ptr()).duplex = v };
    }

    /// Resets the PHY through BMCR and waits for it to finish.
    pub fn genphy_soft_reset(&mut self) -> Result {
        self.genphy(Genphy::SoftReset)
    }

    /// Advertises everything and restarts autonegotiation.
    pub fn genphy_config_aneg(&mut self) -> Result {
        self.genphy(Genphy::ConfigAneg)
    }

    /// Restarts autonegotiation.
    pub fn genphy_restart_aneg(&mut self) -> Result {
        self.genphy(Genphy::RestartAneg)
    }

    /// Reads the link bit (twice: it latches low) into the link state.
    pub fn genphy_update_link(&mut self) -> Result {
        self.genphy(Genphy::UpdateLink)
    }

    /// The generic status read: link, then speed/duplex from what both
    /// ends advertise.
    pub fn genphy_read_status(&mut self) -> Result {
        self.genphy(Genphy::ReadStatus)
    }

    /// Powers the PHY down (BMCR).
    pub fn genphy_suspend(&mut self) -> Result {
        self.genphy(Genphy::Suspend)
    }

    /// Powers the PHY up (BMCR).
    pub fn genphy_resume(&mut self) -> Result {
        self.genphy(Genphy::Resume)
    }
}

/// The PHY IDs a driver handles: `phy_id & mask == id & mask`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DeviceId {
    id: u32,
    mask: u32,
}

impl DeviceId {
    /// Exactly this ID.
    pub const fn new_with_exact_mask(id: u32) -> Self {
        DeviceId { id, mask: !0 }
    }

    /// This model, any revision (the low four bits).
    pub const fn new_with_model_mask(id: u32) -> Self {
        DeviceId { id, mask: !0xf }
    }

    /// Any PHY of this vendor (OUI).
    pub const fn new_with_vendor_mask(id: u32) -> Self {
        DeviceId { id, mask: !0x3ff }
    }

    /// Whether a PHY with identifier `phy_id` matches.
    pub const fn matches(&self, phy_id: u32) -> bool {
        phy_id & self.mask == self.id & self.mask
    }
}

/// A PHY driver.
///
/// A driver for a (made-up) PHY, here on an MDIO bus whose registers are
/// an array, below QEMU's `edu` device: connecting an interface to the
/// PHY runs `config_init`.
///
/// ```
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use kernel::net::{self, phy};
/// use kernel::pci::{self, DeviceId, IdTable};
/// use kernel::prelude::*;
/// use kernel::sync::SpinLock;
///
/// static CONFIGURED: AtomicU32 = AtomicU32::new(0);
///
/// struct DocPhy;
///
/// #[vtable]
/// impl phy::Driver for DocPhy {
///     const NAME: &'static CStr = c"doc-phy";
///     const PHY_DEVICE_ID: phy::DeviceId = phy::DeviceId::new_with_model_mask(0x0012_3450);
///
///     fn config_init(dev: &mut phy::Device) -> Result {
///         dev.modify(phy::reg::ADVERTISE, 0, 0x01e0)?; // 10/100, both duplexes
///         CONFIGURED.store(dev.phy_id(), Ordering::Relaxed);
///         Ok(())
///     }
/// }
///
/// static DRIVERS: [phy::DriverVTable; 1] = [phy::create_phy_driver::<DocPhy>()];
///
/// /// A bus with one PHY, at address 1: a register file.
/// struct Regs(SpinLock<[u16; 32]>);
///
/// impl phy::MdioOps for Regs {
///     fn read(&self, addr: u8, reg: u8) -> Result<u16> {
///         match addr {
///             1 => Ok(self.0.lock_irqsave()[usize::from(reg & 31)]),
///             _ => Err(EIO), // nobody there
///         }
///     }
///
///     fn write(&self, addr: u8, reg: u8, val: u16) -> Result {
///         if addr != 1 {
///             return Err(EIO);
///         }
///         let val = if u16::from(reg) == phy::reg::BMCR { val & !0x8000 } else { val };
///         self.0.lock_irqsave()[usize::from(reg & 31)] = val; // reset: done at once
///         Ok(())
///     }
/// }
///
/// # static ADVERTISED: AtomicU32 = AtomicU32::new(0);
/// # #[derive(Default)]
/// # struct Quiet;
/// # #[vtable]
/// # impl net::DeviceOps for Quiet {
/// #     type PollState = ();
/// #     type TxState = ();
/// #     fn open(_: &net::Device, _: &Self, _: &mut (), _: &mut ()) -> Result {
/// #         Ok(())
/// #     }
/// #     fn start_xmit<'a>(_: &net::Device, _: &Self, _: &mut (), _: net::TxSkb<'a>) -> net::TxOutcome<'a> {
/// #         net::TxOutcome::Ok
/// #     }
/// #     fn interrupt(_: &net::Device, _: &Self, _: &net::Napi) -> kernel::irq::IrqReturn {
/// #         kernel::irq::IrqReturn::None
/// #     }
/// #     fn poll(_: &net::Device, _: &Self, _: &mut (), _: &mut net::PollContext<'_, ()>, n: &net::Napi, _: usize) -> usize {
/// #         n.complete_done(0);
/// #         0
/// #     }
/// # }
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-phy-mac";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<()> {
///     let mut regs = [0u16; 32];
///     regs[usize::from(phy::reg::PHYSID1)] = 0x0012;
///     regs[usize::from(phy::reg::PHYSID2)] = 0x3456;
///     let bus = phy::MdioBus::new(dev, Regs(SpinLock::new(regs)))?; // finds the PHY
/// #   let irq = dev.irq().ok_or(ENODEV)?;
/// #   let nic = net::Registration::new(dev, [2, 0, 0, 0, 0, 2], irq, c"doc-phy", Quiet)?;
///     nic.device().phy_connect(&bus)?; // resets it, then config_init
/// #   ADVERTISED.store(bus.ops().0.lock_irqsave()[usize::from(phy::reg::ADVERTISE)].into(), Ordering::Relaxed);
///     Ok(())
/// }
/// # }
/// let phy_drivers = phy::Registration::register(&DRIVERS)?;
/// # let edu = pci::Registration::<Edu>::new()?;
/// assert_eq!(CONFIGURED.load(Ordering::Relaxed), 0x0012_3456);
/// # assert_eq!(ADVERTISED.load(Ordering::Relaxed), 0x01e0);
/// # drop(edu);
/// drop(phy_drivers);
/// # Ok::<(), Error>(())
/// ```
#[crate::vtable]
pub trait Driver {
    /// The driver's name (lsdev, logs).
    const NAME: &'static CStr;
    /// The PHYs it drives.
    const PHY_DEVICE_ID: DeviceId;

    /// Resets the PHY.
    fn soft_reset(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
    /// Vendor setup after reset.
    fn config_init(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
    /// Configures and starts autonegotiation.
    fn config_aneg(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
    /// Whether autonegotiation has completed.
    fn aneg_done(_dev: &mut Device) -> Result<bool> {
        Err(EOPNOTSUPP)
    }
    /// Updates link, speed and duplex.
    fn read_status(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
    /// Powers down.
    fn suspend(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
    /// Powers up.
    fn resume(_dev: &mut Device) -> Result {
        Err(EOPNOTSUPP)
    }
}

struct Adapter<T: Driver>(core::marker::PhantomData<T>);

macro_rules! callbacks {
    ($($name:ident => $method:ident),* $(,)?) => {
        impl<T: Driver> Adapter<T> {$(
            unsafe extern "C" fn $name(phydev: *mut bindings::phy_device) -> c_int {
                // SAFETY: phylib calls operations on a registered PHY
                // bound to this driver, with the PHY's lock held for the
                // call (phy.c's phy_lock), which `dev` does not outlive.
                let mut dev = unsafe { Device::from_raw(phydev) };
                from_result(T::$method(&mut dev))
            }
        )*}
    };
}

callbacks!(
    soft_reset_cb => soft_reset,
    config_init_cb => config_init,
    config_aneg_cb => config_aneg,
    read_status_cb => read_status,
    suspend_cb => suspend,
    resume_cb => resume,
);

impl<T: Driver> Adapter<T> {
    /// The C core's `aneg_done_cb` entry point for this Rust type.
    ///
    /// # Safety
    ///
    /// Only the C core calls it, through the ops table this module
    /// registered, with the pointers it was registered for, valid for
    /// the duration of the call.
    unsafe extern "C" fn aneg_done_cb(phydev: *mut bindings::phy_device) -> c_int {
        // SAFETY: phylib calls operations on a registered PHY bound to
        // this driver, with the PHY's lock held for the call, which `dev`
        // does not outlive.
        let mut dev = unsafe { Device::from_raw(phydev) };
        match T::aneg_done(&mut dev) {
            Ok(done) => done as c_int,
            Err(e) => e.to_errno(),
        }
    }
}

/// A PHY driver as phylib sees it (C `struct phy_driver`), built by
/// [`create_phy_driver`]. Lives in a `static`; the driver core links it
/// into its lists while registered.
#[repr(transparent)]
pub struct DriverVTable(Opaque<bindings::phy_driver>);

// SAFETY: the C struct is only written by the driver core (under the
// bus lock) while registering; otherwise read-only.
unsafe impl Sync for DriverVTable {}

/// The C driver structure for `T`: operations `T` does not implement
/// are NULL, so phylib uses its generic code for them.
pub const fn create_phy_driver<T: Driver>() -> DriverVTable {
    // SAFETY: all-zero is a valid phy_driver (NULL pointers, no ops).
    let mut d: bindings::phy_driver = unsafe { core::mem::zeroed() };
    d.phy_id = T::PHY_DEVICE_ID.id;
    d.phy_id_mask = T::PHY_DEVICE_ID.mask;
    d.name = T::NAME.as_ptr();
    if T::HAS_SOFT_RESET {
        d.soft_reset = Some(Adapter::<T>::soft_reset_cb);
    }
    if T::HAS_CONFIG_INIT {
        d.config_init = Some(Adapter::<T>::config_init_cb);
    }
    if T::HAS_CONFIG_ANEG {
        d.config_aneg = Some(Adapter::<T>::config_aneg_cb);
    }
    if T::HAS_ANEG_DONE {
        d.aneg_done = Some(Adapter::<T>::aneg_done_cb);
    }
    if T::HAS_READ_STATUS {
        d.read_status = Some(Adapter::<T>::read_status_cb);
    }
    if T::HAS_SUSPEND {
        d.suspend = Some(Adapter::<T>::suspend_cb);
    }
    if T::HAS_RESUME {
        d.resume = Some(Adapter::<T>::resume_cb);
    }
    DriverVTable(Opaque::new(d))
}

/// Registered PHY drivers; unregistered on drop.
pub struct Registration {
    drivers: &'static [DriverVTable],
}

impl Registration {
    /// Registers `drivers`; each binds to the unbound PHYs it matches.
    pub fn register(drivers: &'static [DriverVTable]) -> Result<Self> {
        let n = c_int::try_from(drivers.len()).map_err(|_| EINVAL)?;
        // SAFETY: the array is 'static and DriverVTable is transparent
        // over phy_driver; the core may write into it (Opaque).
        to_result(unsafe {
            bindings::phy_drivers_register(
                drivers.as_ptr().cast::<bindings::phy_driver>().cast_mut(),
                n,
            )
        })?;
        Ok(Registration { drivers })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: registered in register() with the same array.
        unsafe {
            bindings::phy_drivers_unregister(
                self.drivers.as_ptr().cast::<bindings::phy_driver>().cast_mut(),
                self.drivers.len() as c_int,
            )
        };
    }
}

/// Declares a module that registers PHY drivers (Linux's
/// `module_phy_driver!`).
#[macro_export]
macro_rules! module_phy_driver {
    (drivers: [$($driver:ty),+ $(,)?], name: $name:literal, author: $a:literal,
     description: $d:literal, license: $l:literal $(,)?) => {
        static __PHY_DRIVERS: [$crate::net::phy::DriverVTable;
                               [$(stringify!($driver)),+].len()] =
            [$($crate::net::phy::create_phy_driver::<$driver>()),+];

        struct __PhyModule($crate::net::phy::Registration);

        impl $crate::module::Module for __PhyModule {
            fn init() -> $crate::error::Result<Self> {
                Ok(__PhyModule($crate::net::phy::Registration::register(&__PHY_DRIVERS)?))
            }
        }

        $crate::module! {
            type: __PhyModule,
            name: $name,
            author: $a,
            description: $d,
            license: $l,
        }
    };
}

/// An MDIO bus whose transactions a Rust MAC driver implements.
pub trait MdioOps: Send + Sync + 'static {
    /// Reads register `reg` of the PHY at `addr`.
    fn read(&self, addr: u8, reg: u8) -> Result<u16>;
    /// Writes `val` to register `reg` of the PHY at `addr`.
    fn write(&self, addr: u8, reg: u8, val: u16) -> Result;
}

/// The C core's `mdio_read` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn mdio_read<B: MdioOps>(
    bus: *mut bindings::mii_bus,
    addr: c_int,
    reg: c_int,
) -> c_int {
    // SAFETY: priv is the B that MdioBus::new stored; mdio_release drops
    // it only after the bus's PHYs are unregistered, when no transaction
    // can run.
    let ops = unsafe { &*(*bus).priv_.cast::<B>() };
    match ops.read(addr as u8, reg as u8) {
        Ok(v) => v.into(),
        Err(e) => e.to_errno(),
    }
}

/// The C core's `mdio_write` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn mdio_write<B: MdioOps>(
    bus: *mut bindings::mii_bus,
    addr: c_int,
    reg: c_int,
    val: u16,
) -> c_int {
    // SAFETY: priv is the B that MdioBus::new stored, dropped only once
    // no transaction can run (see mdio_read).
    let ops = unsafe { &*(*bus).priv_.cast::<B>() };
    from_result(ops.write(addr as u8, reg as u8, val))
}

/// The bus's `release` for `B`: drops the transaction implementation.
///
/// # Safety
/// Only the C core calls it, once, from the bus's last `mdiobus_put`,
/// after its PHYs were unregistered: no transaction runs or can start.
unsafe extern "C" fn mdio_release<B: MdioOps>(bus: *mut bindings::mii_bus) {
    // SAFETY: priv is the KBox<B> that MdioBus::new leaked into it, and
    // this is its only reclaim.
    drop(unsafe { crate::alloc::KBox::from_raw((*bus).priv_.cast::<B>()) });
}

/// A registered MDIO bus with the PHYs found on it. Dropping it drops the
/// driver's reference; with the last one (an interface connected to the
/// bus holds one until it is freed) the PHYs are detached and
/// unregistered and `B` is dropped.
///
/// # Invariants
/// `bus` was allocated by `new`, `priv` holds a leaked `KBox<B>` that
/// `mdio_release::<B>` reclaims, and `self` owns one reference.
pub struct MdioBus<B: MdioOps> {
    bus: core::ptr::NonNull<bindings::mii_bus>,
    _ops: PhantomData<B>,
}

// SAFETY: the bus is driven under its C lock from any CPU; B: Send+Sync.
unsafe impl<B: MdioOps> Send for MdioBus<B> {}
// SAFETY: `&MdioBus` only gives out `&B` (B: Sync) and the C pointer,
// which C uses under the bus lock.
unsafe impl<B: MdioOps> Sync for MdioBus<B> {}

impl<B: MdioOps> MdioBus<B> {
    /// Registers a bus named `mii-<parent>` below PCI device `parent`
    /// and probes it. `ENODEV` if no PHY answers.
    pub fn new(parent: &crate::pci::Device, ops: B) -> Result<Self> {
        Self::new_with_parent(parent.name().to_bytes(), parent.as_dev_ptr(), ops)
    }

    /// `new` with the parent as a name and a pointer (NULL: none; ktests).
    pub(crate) fn new_with_parent(
        name: &[u8],
        parent: *mut bindings::device,
        ops: B,
    ) -> Result<Self> {
        let ops =
            crate::alloc::KBox::into_raw(crate::alloc::KBox::new(ops, crate::alloc::GFP_KERNEL)?);
        // SAFETY: mdiobus_alloc returns NULL or a zeroed bus with one
        // reference, ours.
        let Some(bus) = core::ptr::NonNull::new(unsafe { bindings::mdiobus_alloc() }) else {
            // SAFETY: from into_raw above, not shared.
            drop(unsafe { crate::alloc::KBox::from_raw(ops) });
            return Err(ENOMEM);
        };
        let b = bus.as_ptr();
        // SAFETY: the bus is ours until registered; id is a fixed array.
        // From here the bus owns `ops` (released by mdio_release).
        unsafe {
            let id = &mut (*b).id;
            let prefix = b"mii-";
            for (i, c) in prefix.iter().chain(name.iter()).take(id.len() - 1).enumerate() {
                id[i] = *c as core::ffi::c_char;
            }
            (*b).priv_ = ops.cast();
            (*b).release = Some(mdio_release::<B>);
            (*b).read = Some(mdio_read::<B>);
            (*b).write = Some(mdio_write::<B>);
            (*b).parent = parent;
        }
        let this = MdioBus { bus, _ops: PhantomData };
        // SAFETY: fully set up; on failure `this` drops the reference
        // (the C side unregisters what it registered before failing).
        to_result(unsafe { bindings::mdiobus_register(b) })?;
        // SAFETY: registered.
        if unsafe { bindings::phy_find_first(b) }.is_null() {
            return Err(ENODEV);
        }
        Ok(this)
    }

    pub(crate) fn raw(&self) -> *mut bindings::mii_bus {
        self.bus.as_ptr()
    }

    /// The transaction implementation.
    pub fn ops(&self) -> &B {
        // SAFETY: released only by the last reference, and we own one.
        unsafe { &*(*self.bus.as_ptr()).priv_.cast::<B>() }
    }
}

impl<B: MdioOps> Drop for MdioBus<B> {
    fn drop(&mut self) {
        // SAFETY: drops the reference we own (type invariant). If it is
        // the last, the PHYs are detached and unregistered, `B` released
        // and the bus freed; otherwise a connected interface still holds
        // the bus, and does so until it is freed.
        unsafe { bindings::mdiobus_put(self.bus.as_ptr()) };
    }
}
