// SPDX-License-Identifier: MIT
//! Network devices (`keel/netdevice.h`): packet buffers, the operations
//! a NIC driver implements, NAPI, and registration as `eth<N>`.
//!
//! A driver implements [`DeviceOps`] on its per-interface state `T` and
//! registers it with [`Registration::new`]. The kernel crate does the
//! plumbing that C drivers write by hand, so a Rust driver cannot get it
//! wrong: it requests the (shared) interrupt line before calling
//! [`DeviceOps::open`] and enables NAPI after it (kicking one poll),
//! and it disables NAPI before [`DeviceOps::stop`] and frees the line
//! after. In hard-IRQ context it calls [`DeviceOps::interrupt`] with a
//! [`Napi`] to schedule; in the NET_RX softirq it calls
//! [`DeviceOps::poll`]. Every callback gets `&Device` and `&T` borrowed
//! for the call only, so nothing can outlive the interface; the receive
//! path's own state ([`DeviceOps::PollState`]) comes as `&mut`, without
//! a lock, because that ordering makes its users exclusive. Dropping the
//! registration unregisters the interface (closing it first), then drops
//! `T`.
//!
//! Packets are [`SkBuff`]s: owned, freed on drop, handed on by value.

use crate::error::{code::*, from_result, to_result, Result};
use crate::irq::IrqReturn;
use crate::str::CStr;
use crate::types::Opaque;
use core::ffi::{c_int, c_uint, c_void};
use core::marker::PhantomData;
use core::ptr::NonNull;

pub mod phy;

/// Ethernet address length.
pub const ETH_ALEN: usize = 6;

/// An owned packet buffer (C `struct sk_buff`); freed when dropped.
pub struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: an skb has one owner at a time and may be freed on any CPU.
unsafe impl Send for SkBuff {}

impl SkBuff {
    fn raw(&self) -> &bindings::sk_buff {
        // SAFETY: we own the skb; its header is valid until we free it.
        unsafe { self.0.as_ref() }
    }

    /// Bytes of packet data.
    #[inline]
    pub fn len(&self) -> usize {
        self.raw().len as usize
    }

    /// Whether the packet is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The packet data.
    #[inline]
    pub fn data(&self) -> &[u8] {
        let s = self.raw();
        // SAFETY: data..data+len lies inside the buffer (skb invariant)
        // and we own the skb, so nothing else writes it meanwhile.
        unsafe { core::slice::from_raw_parts(s.data, s.len as usize) }
    }

    /// Extends the data by `len` bytes at the end and returns them
    /// (uninitialised contents: zero them or copy over them), or `None`
    /// if the buffer has no room.
    #[inline]
    pub fn put(&mut self, len: usize) -> Option<&mut [u8]> {
        // SAFETY: we own the skb exclusively (`&mut self`).
        let s = unsafe { self.0.as_mut() };
        let headroom = s.data as usize - s.head as usize;
        let tailroom = (s.size as usize).checked_sub(headroom + s.len as usize)?;
        if len > tailroom {
            return None;
        }
        // SAFETY: tail..tail+len is inside the buffer (checked above),
        // and the slice borrows `self` mutably, so nobody else sees it.
        unsafe {
            let tail = s.data.add(s.len as usize);
            s.len += len as c_uint;
            Some(core::slice::from_raw_parts_mut(tail, len))
        }
    }

    fn into_raw(self) -> *mut bindings::sk_buff {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }

    /// # Safety
    /// `p` is NULL or a valid skb whose ownership the caller gives us.
    unsafe fn from_raw(p: *mut bindings::sk_buff) -> Option<Self> {
        NonNull::new(p).map(SkBuff)
    }

    /// # Safety
    /// `p` is a valid (non-NULL) skb whose ownership the caller gives us.
    unsafe fn from_raw_nonnull(p: *mut bindings::sk_buff) -> Self {
        // SAFETY: the caller guarantees p is not NULL.
        SkBuff(unsafe { NonNull::new_unchecked(p) })
    }
}

impl Drop for SkBuff {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: we own the skb and free it once.
        unsafe { bindings::kfree_skb(self.0.as_ptr()) };
    }
}

/// Interface counters a driver reports (C `struct net_device_stats`).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Frames received and passed up.
    pub rx_packets: u64,
    /// Frames sent.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Bad frames received.
    pub rx_errors: u64,
    /// Frames that could not be sent.
    pub tx_errors: u64,
    /// Good frames dropped (no memory).
    pub rx_dropped: u64,
    /// Frames dropped on the way out.
    pub tx_dropped: u64,
    /// Runts, giants and frames over several buffers.
    pub rx_length_errors: u64,
    /// Bad CRC.
    pub rx_crc_errors: u64,
    /// Frames the NIC dropped for want of a buffer.
    pub rx_missed_errors: u64,
}

/// A network interface, borrowed for the duration of a callback.
#[repr(transparent)]
pub struct Device(Opaque<bindings::net_device>);

impl Device {
    /// # Safety
    /// `ptr` is a registered net_device, valid for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Device {
        // SAFETY: repr(transparent); validity is the caller's promise.
        unsafe { &*ptr.cast::<Device>() }
    }

    fn ptr(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// The interface name, e.g. "eth0".
    pub fn name(&self) -> &str {
        // SAFETY: the name is a NUL-terminated array inside the device.
        let c = unsafe { CStr::from_ptr((*self.ptr()).name.as_ptr()) };
        c.to_str().unwrap_or("?")
    }

    /// The station address.
    pub fn mac(&self) -> [u8; ETH_ALEN] {
        // SAFETY: written before registration, read-only afterwards.
        unsafe { (*self.ptr()).dev_addr }
    }

    /// A receive buffer for a frame of `len` bytes (headroom reserved),
    /// or `None` when memory is short.
    #[inline]
    pub fn alloc_skb(&self, len: usize) -> Option<SkBuff> {
        let len = c_uint::try_from(len).ok()?;
        // SAFETY: the device is valid; the new skb becomes ours.
        unsafe { SkBuff::from_raw(bindings::netdev_alloc_skb(self.ptr(), len)) }
    }

    /// Passes a received frame (starting at its Ethernet header) to the
    /// stack. For [`DeviceOps::poll`] (softirq context).
    #[inline]
    pub fn receive(&self, skb: SkBuff) {
        let p = skb.into_raw();
        // SAFETY: p is a valid skb we own; its dev field must name this
        // interface, which netdev_alloc_skb set; the stack takes it.
        unsafe {
            (*p).dev = self.ptr();
            bindings::netif_receive_skb(p)
        }
    }

    /// Stops the core from calling `start_xmit` (ring full).
    pub fn stop_queue(&self) {
        // SAFETY: a byte flag the core reads; plain stores suffice on x86
        // and the core reads it with READ_ONCE.
        unsafe { core::ptr::addr_of_mut!((*self.ptr()).queue_stopped).write_volatile(true) }
    }

    /// Lets the core call `start_xmit` again.
    pub fn wake_queue(&self) {
        // SAFETY: as in stop_queue.
        unsafe { core::ptr::addr_of_mut!((*self.ptr()).queue_stopped).write_volatile(false) }
    }

    /// Whether the queue is stopped.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: as in stop_queue.
        unsafe { core::ptr::addr_of!((*self.ptr()).queue_stopped).read_volatile() }
    }

    /// Connects the first PHY on `bus` to this interface (soft reset,
    /// config_init; the generic driver if no PHY driver claimed it).
    pub fn phy_connect<B: phy::MdioOps>(&self, bus: &phy::MdioBus<B>) -> Result {
        // SAFETY: the bus is registered while `bus` lives.
        let phydev = unsafe { bindings::phy_find_first(bus.raw()) };
        if phydev.is_null() {
            return Err(ENODEV);
        }
        // SAFETY: both devices are valid; phylib records the link and the
        // MDIO bus detaches the PHY before it can be freed.
        to_result(unsafe { bindings::phy_connect_direct(self.ptr(), phydev, None) })
    }

    fn phydev(&self) -> *mut bindings::phy_device {
        // SAFETY: set by phy_connect, cleared by disconnect, both in
        // process context where no other callback of ours runs.
        unsafe { (*self.ptr()).phydev }
    }

    /// Starts autonegotiation on the connected PHY. `EINVAL` if none.
    pub fn phy_start(&self) -> Result {
        let phydev = self.phydev();
        if phydev.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: phydev is the attached, live PHY.
        to_result(unsafe { bindings::phy_start(phydev) })
    }

    /// Stops and detaches the PHY, if one is connected.
    pub fn phy_disconnect(&self) {
        let phydev = self.phydev();
        if !phydev.is_null() {
            // SAFETY: as in phy_start.
            unsafe { bindings::phy_disconnect(phydev) };
        }
    }

    /// Tells phylib the MAC saw a link change (from `interrupt`).
    #[inline]
    pub fn phy_mac_interrupt(&self) {
        // SAFETY: phy_mac_interrupt accepts NULL and any attached PHY.
        unsafe { bindings::phy_mac_interrupt(self.phydev()) }
    }
}

/// NAPI, as a driver's callbacks see it.
#[repr(transparent)]
pub struct Napi(Opaque<bindings::napi_struct>);

impl Napi {
    /// Schedules a poll (from `interrupt`). False if already scheduled.
    #[inline]
    pub fn schedule(&self) -> bool {
        // SAFETY: the napi lives in the registered device's private area.
        unsafe { bindings::napi_schedule(self.0.get()) }
    }

    /// Ends polling (from `poll`, when it did less than its budget);
    /// returns true when the driver may unmask its interrupts.
    #[inline]
    pub fn complete_done(&self, work: usize) -> bool {
        // SAFETY: as in schedule.
        unsafe { bindings::napi_complete_done(self.0.get(), work as c_int) }
    }
}

/// What `start_xmit` did with a frame.
pub enum TxOutcome {
    /// Queued for sending (or dropped and counted): consumed.
    Ok,
    /// The ring is full; the frame is given back (the core drops it).
    Busy(SkBuff),
}

/// The operations of a network interface. `Self` is the interface's
/// state, shared between process context, the interrupt and the poll:
/// it is `Sync`, and mutable parts go behind locks or atomics.
/// [`DeviceOps::PollState`] is the exception: state only the receive
/// path uses (the receive ring), handed out mutably without a lock.
#[crate::vtable]
pub trait DeviceOps: Sized + Send + Sync + 'static {
    /// What only `poll` (and `open`/`stop`) use. They get it as `&mut`
    /// without locking because they never overlap: NAPI never runs two
    /// polls of one device at once, `open` runs before polling is
    /// enabled and `stop` after it is disabled.
    type PollState: Default + Send + 'static;

    /// What only the transmit path uses (the transmit ring). The core
    /// calls `start_xmit` with the device's transmit lock held, so it
    /// gets it as `&mut`; `poll` reaches it through [`TxQueue::lock`],
    /// which takes the same lock; `open`/`stop` get it while no transmit
    /// can run (the device is down).
    type TxState: Default + Send + 'static;

    /// Brings the hardware up; the IRQ line is already requested, and
    /// polling starts afterwards (with one poll to pick up whatever
    /// arrived meanwhile).
    fn open(dev: &Device, this: &Self, rx: &mut Self::PollState, tx: &mut Self::TxState) -> Result;

    /// Brings it down; transmits and polling have stopped, and the IRQ
    /// line is freed afterwards.
    fn stop(
        _dev: &Device,
        _this: &Self,
        _rx: &mut Self::PollState,
        _tx: &mut Self::TxState,
    ) -> Result {
        Ok(())
    }

    /// Sends one frame (starting at its Ethernet header).
    fn start_xmit(dev: &Device, this: &Self, tx: &mut Self::TxState, skb: SkBuff) -> TxOutcome;

    /// The driver's counters.
    fn get_stats(_dev: &Device, _this: &Self) -> Stats {
        Stats::default()
    }

    /// Hard-IRQ handler (shared line): acknowledge the device, schedule
    /// `napi` for received frames; `IrqReturn::None` if not ours.
    fn interrupt(dev: &Device, this: &Self, napi: &Napi) -> IrqReturn;

    /// Passes up to `budget` received frames to `dev.receive()`; returns
    /// how many. Fewer than `budget`: call `napi.complete_done()`.
    fn poll(
        dev: &Device,
        this: &Self,
        rx: &mut Self::PollState,
        tx: &TxQueue<'_, Self::TxState>,
        napi: &Napi,
        budget: usize,
    ) -> usize;
}

/// The transmit state, as the poll sees it: reachable only through
/// [`TxQueue::lock`], which holds the device's transmit lock.
pub struct TxQueue<'a, S> {
    ndev: *mut bindings::net_device,
    state: &'a core::cell::UnsafeCell<S>,
}

impl<S> TxQueue<'_, S> {
    /// Takes the transmit lock (interrupts off) until the guard drops.
    #[inline]
    pub fn lock(&self) -> TxGuard<'_, S> {
        // SAFETY: ndev is the registered device the poll runs for.
        let flags = unsafe { bindings::rust_helper_netif_tx_lock(self.ndev) };
        TxGuard { queue: self, flags, _not_send: PhantomData }
    }
}

/// Exclusive access to the transmit state; unlocks on drop. `!Send`.
pub struct TxGuard<'a, S> {
    queue: &'a TxQueue<'a, S>,
    flags: core::ffi::c_ulong,
    _not_send: PhantomData<*mut ()>,
}

impl<S> core::ops::Deref for TxGuard<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        // SAFETY: the transmit lock is held: start_xmit (which runs under
        // it) and other lock holders cannot touch the state meanwhile.
        unsafe { &*self.queue.state.get() }
    }
}

impl<S> core::ops::DerefMut for TxGuard<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        // SAFETY: as in deref; the guard is unique (&mut self).
        unsafe { &mut *self.queue.state.get() }
    }
}

impl<S> Drop for TxGuard<'_, S> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: taken in lock() with these flags.
        unsafe { bindings::rust_helper_netif_tx_unlock(self.queue.ndev, self.flags) };
    }
}

/// What the interface's C private area holds (16-byte aligned, so `T`
/// may need no more).
#[repr(C)]
struct Priv<T: DeviceOps> {
    data: T,
    napi: bindings::napi_struct,
    poll_state: core::cell::UnsafeCell<T::PollState>,
    tx_state: core::cell::UnsafeCell<T::TxState>,
    irq: u32,
    irq_name: *const core::ffi::c_char,
}

/// The poll state of a registered device.
///
/// # Safety
/// `ndev` was registered by `Registration::<T>`, and the caller is one
/// of the exclusive users (poll, or open/stop while polling is off).
unsafe fn poll_state<'a, T: DeviceOps>(ndev: *mut bindings::net_device) -> &'a mut T::PollState {
    // SAFETY: the private area holds an initialised Priv<T>; exclusivity
    // is the caller's promise.
    unsafe { &mut *(*(*ndev).priv_.cast::<Priv<T>>()).poll_state.get() }
}

/// The transmit state's cell of a registered device.
///
/// # Safety
/// `ndev` was registered by `Registration::<T>`.
unsafe fn tx_cell<'a, T: DeviceOps>(
    ndev: *mut bindings::net_device,
) -> &'a core::cell::UnsafeCell<T::TxState> {
    // SAFETY: the private area holds an initialised Priv<T>.
    unsafe { &(*(*ndev).priv_.cast::<Priv<T>>()).tx_state }
}

/// # Safety
/// `ndev` is a net_device registered by `Registration::<T>`.
unsafe fn parts<'a, T: DeviceOps>(
    ndev: *mut bindings::net_device,
) -> (&'a Device, &'a T, &'a Napi) {
    // SAFETY: the private area holds a Priv<T> whose data pointer stays
    // valid until the registration is dropped, after unregistration.
    unsafe {
        let p = (*ndev).priv_.cast::<Priv<T>>();
        let napi = &*core::ptr::addr_of_mut!((*p).napi).cast::<Napi>();
        (Device::from_raw(ndev), &(*p).data, napi)
    }
}

/// The C core's `irq_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn irq_callback<T: DeviceOps>(
    _irq: c_uint,
    cookie: *mut c_void,
) -> bindings::irqreturn {
    // SAFETY: the cookie is our net_device, requested in open_callback
    // and freed in stop_callback, both while it is registered.
    let (dev, this, napi) = unsafe { parts::<T>(cookie.cast()) };
    match T::interrupt(dev, this, napi) {
        IrqReturn::None => bindings::irqreturn::IRQ_NONE,
        IrqReturn::Handled => bindings::irqreturn::IRQ_HANDLED,
    }
}

/// The C core's `open_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn open_callback<T: DeviceOps>(ndev: *mut bindings::net_device) -> c_int {
    // SAFETY: the core calls ndo_open on a registered device.
    let (dev, this, napi) = unsafe { parts::<T>(ndev) };
    // SAFETY: the private area was initialised by Registration::new.
    let (irq, name) = unsafe {
        let p = (*ndev).priv_.cast::<Priv<T>>();
        ((*p).irq, (*p).irq_name)
    };
    // SAFETY: the IRQ cookie stays valid until stop_callback frees the
    // line (or the error path below).
    let err = unsafe { bindings::request_irq(irq, Some(irq_callback::<T>), name, ndev.cast()) };
    if err != 0 {
        return err;
    }
    // SAFETY: polling is still disabled and the device is not up (the
    // core transmits only once open returns), so open has both states
    // to itself.
    let r = T::open(dev, this, unsafe { poll_state::<T>(ndev) }, unsafe {
        &mut *tx_cell::<T>(ndev).get()
    });
    // SAFETY: napi was added by Registration::new. Interrupts that came
    // before polling was on were masked by the driver and their
    // napi_schedule refused: one poll now picks them up and unmasks.
    unsafe {
        if r.is_err() {
            bindings::free_irq(irq, ndev.cast());
        } else {
            bindings::napi_enable(napi.0.get());
            bindings::local_bh_disable();
            bindings::napi_schedule(napi.0.get());
            bindings::local_bh_enable();
        }
    }
    from_result(r)
}

/// The C core's `stop_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn stop_callback<T: DeviceOps>(ndev: *mut bindings::net_device) -> c_int {
    // SAFETY: the core calls ndo_stop on a registered, open device.
    let (dev, this, napi) = unsafe { parts::<T>(ndev) };
    // SAFETY: enabled in open_callback; on return no poll runs.
    unsafe { bindings::napi_disable(napi.0.get()) };
    // SAFETY: polling is off and dev_close cleared IFF_UP under the
    // transmit lock, so no transmit runs: stop has both states to itself.
    let r = T::stop(dev, this, unsafe { poll_state::<T>(ndev) }, unsafe {
        &mut *tx_cell::<T>(ndev).get()
    });
    // SAFETY: requested in open_callback.
    unsafe {
        let irq = (*(*ndev).priv_.cast::<Priv<T>>()).irq;
        bindings::free_irq(irq, ndev.cast());
    }
    from_result(r)
}

/// The C core's `xmit_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn xmit_callback<T: DeviceOps>(
    skb: *mut bindings::sk_buff,
    ndev: *mut bindings::net_device,
) -> bindings::netdev_tx_t {
    // SAFETY: the core gives us the skb (never NULL) and a registered
    // device, and holds its transmit lock: the transmit state is ours.
    let (dev, this, tx, skb) = unsafe {
        let (dev, this, _) = parts::<T>(ndev);
        (dev, this, &mut *tx_cell::<T>(ndev).get(), SkBuff::from_raw_nonnull(skb))
    };
    match T::start_xmit(dev, this, tx, skb) {
        TxOutcome::Ok => bindings::netdev_tx_t::NETDEV_TX_OK,
        TxOutcome::Busy(skb) => {
            let _ = skb.into_raw(); // the core still owns it on BUSY
            bindings::netdev_tx_t::NETDEV_TX_BUSY
        }
    }
}

/// The C core's `stats_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn stats_callback<T: DeviceOps>(
    ndev: *mut bindings::net_device,
    out: *mut bindings::net_device_stats,
) {
    // SAFETY: a registered device and a stats struct to fill.
    let (dev, this, _) = unsafe { parts::<T>(ndev) };
    let s = T::get_stats(dev, this);
    // SAFETY: `out` is valid for writes.
    unsafe {
        *out = bindings::net_device_stats {
            rx_packets: s.rx_packets,
            tx_packets: s.tx_packets,
            rx_bytes: s.rx_bytes,
            tx_bytes: s.tx_bytes,
            rx_errors: s.rx_errors,
            tx_errors: s.tx_errors,
            rx_dropped: s.rx_dropped,
            tx_dropped: s.tx_dropped,
            rx_length_errors: s.rx_length_errors,
            rx_crc_errors: s.rx_crc_errors,
            rx_missed_errors: s.rx_missed_errors,
        }
    };
}

/// The C core's `poll_callback` entry point for this Rust type.
///
/// # Safety
///
/// Only the C core calls it, through the ops table this module
/// registered, with the pointers it was registered for, valid for
/// the duration of the call.
unsafe extern "C" fn poll_callback<T: DeviceOps>(
    napi: *mut bindings::napi_struct,
    budget: c_int,
) -> c_int {
    // SAFETY: the NET_RX softirq polls a napi we added, of a registered
    // device (napi is disabled before the device goes away), and never
    // two polls of one napi at once, so the poll state is ours.
    let (dev, this, napi, rx, ndev) = unsafe {
        let ndev = (*napi).dev;
        let (dev, this, napi) = parts::<T>(ndev);
        (dev, this, napi, poll_state::<T>(ndev), ndev)
    };
    // SAFETY: the device is registered; TxQueue only hands the state out
    // under its transmit lock.
    let tx = TxQueue { ndev, state: unsafe { tx_cell::<T>(ndev) } };
    T::poll(dev, this, rx, &tx, napi, budget.max(0) as usize) as c_int
}

struct Vtable<T>(PhantomData<T>);

impl<T: DeviceOps> Vtable<T> {
    const OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: Some(open_callback::<T>),
        ndo_stop: Some(stop_callback::<T>),
        ndo_start_xmit: Some(xmit_callback::<T>),
        ndo_get_stats: if T::HAS_GET_STATS { Some(stats_callback::<T>) } else { None },
    };
}

/// A registered network interface; unregistered on drop.
pub struct Registration<T: DeviceOps> {
    ndev: NonNull<bindings::net_device>,
    _t: PhantomData<T>,
}

// SAFETY: the registration may be dropped on any CPU; T is Send + Sync.
unsafe impl<T: DeviceOps> Send for Registration<T> {}
// SAFETY: shared references only reach T (Sync) and read-only fields.
unsafe impl<T: DeviceOps> Sync for Registration<T> {}

impl<T: DeviceOps> Registration<T> {
    /// Registers an Ethernet interface with address `mac`, child of PCI
    /// device `parent`, taking interrupts on `irq` (named `irq_name`);
    /// `data` becomes the state every callback sees.
    pub fn new(
        parent: &crate::pci::Device,
        mac: [u8; ETH_ALEN],
        irq: u32,
        irq_name: &'static CStr,
        data: T,
    ) -> Result<Self> {
        const { assert!(core::mem::align_of::<Priv<T>>() <= 16, "DeviceOps state over-aligned") };
        // SAFETY: alloc_etherdev returns NULL or a zeroed net_device with
        // a private area of the requested size, 16-byte aligned.
        let ndev =
            NonNull::new(unsafe { bindings::alloc_etherdev(core::mem::size_of::<Priv<T>>()) })
                .ok_or(ENOMEM)?;
        let p = ndev.as_ptr();
        // SAFETY: the device is ours until registered; the private area
        // is large enough for Priv<T> and suitably aligned.
        unsafe {
            let priv_ = (*p).priv_.cast::<Priv<T>>();
            priv_.write(Priv {
                data,
                napi: core::mem::zeroed(),
                poll_state: core::cell::UnsafeCell::new(T::PollState::default()),
                tx_state: core::cell::UnsafeCell::new(T::TxState::default()),
                irq,
                irq_name: irq_name.as_ptr(),
            });
            (*p).dev_addr = mac;
            (*p).netdev_ops = &Vtable::<T>::OPS;
            (*p).dev.parent = parent.as_dev_ptr();
            bindings::netif_napi_add(
                p,
                core::ptr::addr_of_mut!((*priv_).napi),
                Some(poll_callback::<T>),
            );
        }
        // SAFETY: fully initialised above.
        let err = unsafe { bindings::register_netdev(p) };
        if err != 0 {
            // SAFETY: never registered: free what we made.
            unsafe { Self::free(p) };
            return Err(crate::error::Error::from_errno(err));
        }
        Ok(Registration { ndev, _t: PhantomData })
    }

    /// # Safety
    /// `p` is not (or no longer) registered and its Priv<T> initialised.
    unsafe fn free(p: *mut bindings::net_device) {
        // SAFETY: Priv<T> was written by new() and is dropped in place,
        // once, before its memory goes.
        unsafe {
            core::ptr::drop_in_place((*p).priv_.cast::<Priv<T>>());
            bindings::free_netdev(p);
        }
    }

    /// The interface.
    pub fn device(&self) -> &Device {
        // SAFETY: registered until self is dropped.
        unsafe { Device::from_raw(self.ndev.as_ptr()) }
    }

    /// The state the callbacks see.
    pub fn data(&self) -> &T {
        // SAFETY: as in device().
        unsafe { parts::<T>(self.ndev.as_ptr()).1 }
    }
}

impl<T: DeviceOps> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: unregister closes the device (stop_callback) and
        // removes it; no callback can run afterwards, so T may go.
        unsafe {
            bindings::unregister_netdev(self.ndev.as_ptr());
            Self::free(self.ndev.as_ptr());
        }
    }
}

#[crate::ktest(rust_net)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;

    #[test]
    fn skb_put_respects_the_buffer(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        // SAFETY: alloc_skb returns NULL or a fresh skb we now own.
        let skb = unsafe { SkBuff::from_raw(bindings::alloc_skb(100, GFP_KERNEL.as_raw())) };
        let Some(mut skb) = skb else {
            crate::kt_fail!(t, "no skb");
            return;
        };
        crate::kt_expect!(t, skb.is_empty());
        if let Some(b) = skb.put(60) {
            b.copy_from_slice(&[7u8; 60]);
        }
        crate::kt_expect_eq!(t, skb.len(), 60);
        crate::kt_expect!(t, skb.put(41).is_none()); // 40 bytes left
        crate::kt_expect_eq!(t, skb.put(40).map(|b| b.len()), Some(40));
        crate::kt_expect_eq!(t, skb.data()[59], 7);
        drop(skb);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }
}
