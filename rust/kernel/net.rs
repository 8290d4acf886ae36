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
//! registration unregisters the interface (closing it first and
//! detaching its PHY) and drops its reference to the C `net_device`; `T`
//! is dropped with the last reference. The C core and the IRQ trampoline
//! hold one around every callback, so a callback that drops its own
//! registration (through a static) keeps `T` and the device until it
//! returns (irq.rs's rule).
//!
//! Packets are [`SkBuff`]s: owned, freed on drop, handed on by value.
//! Every byte between `data` and `data + len` is initialised: the ways to
//! extend a buffer ([`SkBuff::put`], [`SkBuff::put_copy`],
//! [`SkBuff::put_from_dma`]) write the bytes they add. Frames are passed
//! up only from the poll, through [`PollContext::receive`]; the poll's
//! transmit lock ([`PollContext::lock_tx`]) borrows the same context
//! mutably, so neither a second lock nor a receive (which may transmit,
//! re-entering `start_xmit`) can happen while a [`TxGuard`] lives.

use crate::error::{code::*, from_result, to_result, Result};
use crate::irq::IrqReturn;
use crate::str::CStr;
use crate::types::Opaque;
use core::ffi::{c_int, c_uint, c_void};
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

pub mod phy;

/// Ethernet address length.
pub const ETH_ALEN: usize = 6;

/// An owned packet buffer (C `struct sk_buff`); freed when dropped.
///
/// # Invariants
/// The pointer is a valid skb that this value alone owns (C keeps no
/// use of it). Its data, `data..data + len`, lies inside its buffer
/// `head..head + size` (the skb invariant C keeps), and every byte of it
/// was written: C builds frames with skb_put and fills them, and
/// `put`/`put_copy`/`put_from_dma` write what they add.
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
        // SAFETY: data..data+len lies inside the buffer (skb invariant);
        // every byte of it was written (type invariant: C builds frames
        // with skb_put and fills them, and put/put_copy/put_from_dma
        // write what they add); we own the skb, so nothing else writes
        // it while the slice borrows `self`.
        unsafe { core::slice::from_raw_parts(s.data, s.len as usize) }
    }

    /// Extends the data by `len` bytes at the end and returns the new
    /// tail (uninitialised), or `None` if the buffer has no room.
    #[inline]
    fn put_raw(&mut self, len: usize) -> Option<*mut u8> {
        // SAFETY: we own the skb exclusively (`&mut self`).
        let s = unsafe { self.0.as_mut() };
        let headroom = s.data as usize - s.head as usize;
        let tailroom = (s.size as usize).checked_sub(headroom + s.len as usize)?;
        if len > tailroom {
            return None;
        }
        // SAFETY: tail = data + len is inside the buffer (data..data+len
        // is, skb invariant), and so is tail + len (checked above).
        let tail = unsafe { s.data.add(s.len as usize) };
        s.len += len as c_uint;
        Some(tail)
    }

    /// Extends the data by `len` zeroed bytes at the end and returns
    /// them to be filled, or `None` if the buffer has no room. (To copy
    /// bytes in, [`SkBuff::put_copy`] and [`SkBuff::put_from_dma`] cost
    /// no zeroing.)
    #[inline]
    pub fn put(&mut self, len: usize) -> Option<&mut [u8]> {
        let tail = self.put_raw(len)?;
        // SAFETY: tail..tail+len is inside the buffer (put_raw) and ours
        // (`&mut self`); it is zeroed before the slice is made, and the
        // slice borrows `self` mutably, so nobody else sees it.
        unsafe {
            core::ptr::write_bytes(tail, 0, len);
            Some(core::slice::from_raw_parts_mut(tail, len))
        }
    }

    /// Appends a copy of `src`; `EMSGSIZE` (nothing appended) if the
    /// buffer has no room for it.
    #[inline]
    pub fn put_copy(&mut self, src: &[u8]) -> Result {
        let tail = self.put_raw(src.len()).ok_or(EMSGSIZE)?;
        // SAFETY: tail..tail+src.len() is inside the buffer (put_raw),
        // ours, and cannot overlap `src` (borrowed while we hold `&mut
        // self`, so not our own data).
        unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), tail, src.len()) };
        Ok(())
    }

    /// Appends the first `len` bytes of DMA buffer `i` of `bufs` (a
    /// received frame); `EMSGSIZE` (nothing appended) if `len` is more
    /// than a buffer or than the room left.
    #[inline]
    pub fn put_from_dma<const SIZE: usize, const N: usize>(
        &mut self,
        bufs: &crate::dma::Buffers<SIZE, N>,
        i: crate::dma::RingIndex<N>,
        len: usize,
    ) -> Result {
        if len > SIZE {
            return Err(EMSGSIZE);
        }
        let tail = self.put_raw(len).ok_or(EMSGSIZE)?;
        // SAFETY: buffer i holds SIZE >= len bytes while `bufs` lives
        // (Buffers::buffer_ptr), read through a raw pointer (DMA memory,
        // any bits are valid u8s); tail..tail+len is inside our buffer
        // (put_raw), and kmalloc memory never overlaps DMA buffers.
        unsafe { core::ptr::copy_nonoverlapping(bufs.buffer_ptr(i), tail, len) };
        Ok(())
    }

    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
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

    pub(crate) fn ptr(&self) -> *mut bindings::net_device {
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

    fn queue_flag(&self) -> &AtomicBool {
        // SAFETY: queue_stopped is a bool inside the device, valid while
        // `self` is, aligned for AtomicBool (same size and alignment), and
        // accessed by C only with __atomic builtins (netif_stop_queue,
        // netif_wake_queue, netif_queue_stopped).
        unsafe { AtomicBool::from_ptr(core::ptr::addr_of_mut!((*self.ptr()).queue_stopped)) }
    }

    /// Stops the core from calling `start_xmit` (ring full).
    #[inline]
    pub fn stop_queue(&self) {
        self.queue_flag().store(true, Ordering::Relaxed);
    }

    /// Lets the core call `start_xmit` again.
    #[inline]
    pub fn wake_queue(&self) {
        self.queue_flag().store(false, Ordering::Relaxed);
    }

    /// Whether the queue is stopped.
    #[inline]
    pub fn queue_stopped(&self) -> bool {
        self.queue_flag().load(Ordering::Relaxed)
    }

    /// Connects the first PHY on `bus` to this interface (soft reset,
    /// config_init; the generic driver if no PHY driver claimed it). The
    /// interface keeps the bus (and its PHYs) alive until it is freed,
    /// whichever of the two is dropped first. `EBUSY` if the PHY is
    /// attached or the interface was connected to another bus; `ENODEV`
    /// once the interface is unregistered (a `get_stats` that dropped its
    /// own registration). Sleeps.
    pub fn phy_connect<B: phy::MdioOps>(&self, bus: &phy::MdioBus<B>) -> Result {
        // SAFETY: both are valid; netdev_phy_connect takes a reference
        // to the bus that the device drops only when it is freed, so the
        // PHY it attaches outlives the device's pointer to it; and it
        // refuses a device that unregister_netdev has released (under the
        // mutex that release holds while it detaches the PHY), so no PHY
        // is still attached when the device goes.
        to_result(unsafe { bindings::netdev_phy_connect(self.ptr(), bus.raw()) })
    }

    fn phydev(&self) -> *mut bindings::phy_device {
        // SAFETY: the field is inside the device (valid while `self`
        // is), pointer-aligned, and C writes it only with __atomic
        // stores (phy_connect_direct, phy_detach_locked).
        unsafe { AtomicPtr::from_ptr(core::ptr::addr_of_mut!((*self.ptr()).phydev)) }
            .load(Ordering::Relaxed)
    }

    /// Starts autonegotiation on the connected PHY. `EINVAL` if none.
    pub fn phy_start(&self) -> Result {
        let phydev = self.phydev();
        if phydev.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: a non-NULL phydev of a device registered from Rust was
        // attached by netdev_phy_connect, which keeps its bus (and so the
        // PHY) allocated until the device is freed, after `self`. It may
        // have been detached since: phy_start checks that under the PHY's
        // lock and returns EINVAL.
        to_result(unsafe { bindings::phy_start(phydev) })
    }

    /// Stops and detaches the PHY, if one is connected.
    pub fn phy_disconnect(&self) {
        let phydev = self.phydev();
        if !phydev.is_null() {
            // SAFETY: a non-NULL phydev of a device registered from Rust
            // was attached by netdev_phy_connect, which keeps its bus (and
            // so the PHY) allocated until the device is freed, after
            // `self`; detaching an already detached PHY does nothing but
            // stop it again.
            unsafe { bindings::phy_disconnect(phydev) };
        }
    }

    /// Tells phylib the MAC saw a link change (from `interrupt`).
    #[inline]
    pub fn phy_mac_interrupt(&self) {
        // SAFETY: phy_mac_interrupt accepts NULL, and a non-NULL phydev
        // stays allocated until the device is freed, after `self`
        // (netdev_phy_connect holds its bus for the device); it only
        // reads the state and schedules the state machine.
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
        // SAFETY: a `&Napi` is lent only to the callbacks of a
        // registered device whose private area holds the napi, so it is
        // valid; napi_complete_done changes its state and list link only
        // under napi_lock, and unlinking a napi that is off the list is
        // harmless, so any callback may call it at any time.
        unsafe { bindings::napi_complete_done(self.0.get(), work as c_int) }
    }
}

/// The frame [`DeviceOps::start_xmit`] is given, branded with the call's
/// lifetime `'a`: [`TxOutcome::Busy`] takes only a `TxSkb<'a>`, and the
/// only one there is is the one given, so the skb the core gets back on
/// `Busy` is the one it passed (C's NETDEV_TX_BUSY contract). Reading it
/// goes through `Deref` to `&SkBuff`; there is no `&mut SkBuff` (that
/// would allow swapping the frame out), but [`TxSkb::into_skb`] takes the
/// frame over for good (then the call must return [`TxOutcome::Ok`]).
/// Dropping it frees the frame.
///
/// # Invariants
/// `'a` is invariant and no safe code can make a `TxSkb`: only
/// `xmit_callback` does, once per call.
pub struct TxSkb<'a> {
    skb: SkBuff,
    _brand: PhantomData<fn(&'a ()) -> &'a ()>,
}

impl TxSkb<'_> {
    /// Takes the frame over (to keep it past the call, or to drop it).
    #[inline]
    pub fn into_skb(self) -> SkBuff {
        self.skb
    }
}

impl core::ops::Deref for TxSkb<'_> {
    type Target = SkBuff;
    #[inline]
    fn deref(&self) -> &SkBuff {
        &self.skb
    }
}

/// What `start_xmit` did with a frame.
pub enum TxOutcome<'a> {
    /// Queued for sending (or dropped and counted): consumed.
    Ok,
    /// The ring is full; the very frame `start_xmit` got is given back
    /// (the core drops it and counts it).
    Busy(TxSkb<'a>),
}

/// The operations of a network interface. `Self` is the interface's
/// state, shared between process context, the interrupt and the poll:
/// it is `Sync`, and mutable parts go behind locks or atomics.
/// [`DeviceOps::PollState`] is the exception: state only the receive
/// path uses (the receive ring), handed out mutably without a lock.
///
/// A loopback NIC: a frame it is given to send comes back in as received
/// at its next interrupt. It is registered as an interface of the PCI
/// device it drives (here QEMU's `edu`), then brought up and given a
/// frame, as the stack would.
///
/// ```
/// use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
/// use kernel::irq::IrqReturn;
/// use kernel::net::{self, DeviceOps, Napi, PollContext, SkBuff, Stats, TxOutcome, TxSkb};
/// use kernel::pci::{self, DeviceId, IdTable};
/// use kernel::prelude::*;
/// # use kernel::ktest::{NetUp, TestIrq};
/// # use kernel::sync::SpinLock;
///
/// #[derive(Default)]
/// struct Loopback {
///     looped: AtomicU64,
/// }
///
/// #[vtable]
/// impl DeviceOps for Loopback {
///     type PollState = ();
///     type TxState = Option<SkBuff>; // the frame "on the wire"
///
///     fn open(_: &net::Device, _: &Self, _rx: &mut (), _tx: &mut Option<SkBuff>) -> Result {
///         Ok(())
///     }
///
///     fn start_xmit<'a>(
///         _: &net::Device,
///         _: &Self,
///         tx: &mut Option<SkBuff>,
///         skb: TxSkb<'a>,
///     ) -> TxOutcome<'a> {
///         if tx.is_some() {
///             return TxOutcome::Busy(skb); // the core drops it and counts it
///         }
///         *tx = Some(skb.into_skb());
///         TxOutcome::Ok
///     }
///
///     fn interrupt(_: &net::Device, _: &Self, napi: &Napi) -> IrqReturn {
///         napi.schedule(); // the work is done in the poll
///         IrqReturn::Handled
///     }
///
///     fn poll(
///         _: &net::Device,
///         this: &Self,
///         _rx: &mut (),
///         ctx: &mut PollContext<'_, Option<SkBuff>>,
///         napi: &Napi,
///         budget: usize,
///     ) -> usize {
///         let frame = ctx.lock_tx().take(); // the transmit lock, for one statement
///         let done = match frame {
///             Some(skb) => {
///                 ctx.receive(skb); // up the stack, as if it came in
///                 this.looped.fetch_add(1, Ordering::Relaxed);
///                 1
///             }
///             None => 0,
///         };
///         if done < budget {
///             napi.complete_done(done);
///         }
///         done
///     }
///
///     fn get_stats(_: &net::Device, this: &Self) -> Stats {
///         let n = this.looped.load(Ordering::Relaxed);
///         Stats { tx_packets: n, rx_packets: n, ..Stats::default() }
///     }
/// }
///
/// const MAC: [u8; 6] = [0x02, 0, 0, 0x6b, 0x64, 0x01]; // locally administered
///
/// # static LINE: AtomicU32 = AtomicU32::new(0);
/// # static NIC: SpinLock<Option<net::Registration<Loopback>>> = SpinLock::new(None);
/// # struct Edu;
/// # #[vtable]
/// # impl pci::Driver for Edu {
/// #     type Data = ();
/// #     const NAME: &'static CStr = c"doc-net";
/// #     const ID_TABLE: IdTable = IdTable::new(&[DeviceId::new(0x1234, 0x11e8), DeviceId::END]);
/// fn probe(dev: &pci::Device, _id: &DeviceId) -> Result<()> {
///     // the device's IRQ is dev.irq(); this example takes the ktest line
/// #   let irq = LINE.load(Ordering::Relaxed);
///     let nic = net::Registration::new(dev, MAC, irq, c"doc-loop", Loopback::default())?;
///     pr_info!("{}: {:02x?}\n", nic.device().name(), nic.device().mac());
/// #   *NIC.lock() = Some(nic);
///     Ok(())
/// }
/// # }
/// # let line = TestIrq::get();
/// # LINE.store(line.irq(), Ordering::Relaxed);
/// # let edu = pci::Registration::<Edu>::new()?;
/// # let nic = NIC.lock().take().ok_or(ENODEV)?;
/// // up, link on (ifconfig), then a frame to send, as the stack builds one
/// let up = NetUp::new(&nic)?;
/// let mut skb = nic.device().alloc_skb(60).ok_or(ENOMEM)?;
/// skb.put_copy(&MAC)?; // to itself
/// skb.put_copy(&MAC)?; // from itself
/// skb.put_copy(&[0x88, 0xb5])?; // an EtherType for experiments
/// skb.put(46).ok_or(EMSGSIZE)?.fill(0x5a); // the payload, padded to 60
/// assert_eq!(skb.len(), 60);
/// up.xmit(skb)?; // start_xmit puts it on the "wire"
/// line.raise()?; // the NIC interrupts: NAPI polls, the frame comes back
/// # let end = kernel::time::Instant::now();
/// # while nic.data().looped.load(Ordering::Relaxed) == 0 && end.elapsed_ns() < 1_000_000_000 {
/// #     kernel::time::msleep(1);
/// # }
/// assert_eq!(nic.data().looped.load(Ordering::Relaxed), 1);
/// # drop(up);
/// # drop(nic);
/// # Ok::<(), Error>(())
/// ```
#[crate::vtable]
pub trait DeviceOps: Sized + Send + Sync + 'static {
    /// What only `poll` (and `open`/`stop`) use. They get it as `&mut`
    /// without locking because they never overlap: NAPI never runs two
    /// polls of one device at once, `open` runs before polling is
    /// enabled and `stop` after it is disabled.
    type PollState: Default + Send + 'static;

    /// What only the transmit path uses (the transmit ring). The core
    /// calls `start_xmit` with the device's transmit lock held, so it
    /// gets it as `&mut`; `poll` reaches it through
    /// [`PollContext::lock_tx`], which takes the same lock; `open`/`stop`
    /// get it while no transmit can run (the device is down).
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

    /// Sends one frame (starting at its Ethernet header). On a full
    /// ring, returns `TxOutcome::Busy(skb)` with the frame it was given.
    fn start_xmit<'a>(
        dev: &Device,
        this: &Self,
        tx: &mut Self::TxState,
        skb: TxSkb<'a>,
    ) -> TxOutcome<'a>;

    /// The driver's counters.
    fn get_stats(_dev: &Device, _this: &Self) -> Stats {
        Stats::default()
    }

    /// Hard-IRQ handler (shared line): acknowledge the device, schedule
    /// `napi` for received frames; `IrqReturn::None` if not ours.
    fn interrupt(dev: &Device, this: &Self, napi: &Napi) -> IrqReturn;

    /// Passes up to `budget` received frames to `ctx.receive()`; returns
    /// how many. Fewer than `budget`: call `napi.complete_done()` (a poll
    /// that does not is reported, and the core completes it: no further
    /// poll until the next `napi.schedule()`). Returns above `budget`
    /// count as `budget`.
    fn poll(
        dev: &Device,
        this: &Self,
        rx: &mut Self::PollState,
        ctx: &mut PollContext<'_, Self::TxState>,
        napi: &Napi,
        budget: usize,
    ) -> usize;
}

/// What only a NAPI poll has: the right to pass frames up
/// ([`PollContext::receive`]) and the transmit state behind the device's
/// transmit lock ([`PollContext::lock_tx`]). Only the poll trampoline
/// makes one, so frames cannot be passed up from the interrupt, from
/// `start_xmit` or from process context. `!Send`.
///
/// # Invariants
/// `ndev` is the registered device whose poll runs now, and `state` its
/// transmit state's cell, which only its transmit lock's holder uses.
pub struct PollContext<'a, S> {
    ndev: *mut bindings::net_device,
    state: &'a core::cell::UnsafeCell<S>,
}

impl<S> PollContext<'_, S> {
    /// Takes the transmit lock (interrupts off) until the guard drops.
    /// The guard borrows the context mutably: no second lock and no
    /// [`PollContext::receive`] (which may transmit on this device, and
    /// so take the lock again inside `start_xmit`) while it lives.
    #[inline]
    pub fn lock_tx(&mut self) -> TxGuard<'_, S> {
        // SAFETY: ndev is the registered device the poll runs for (type
        // invariant).
        let flags = unsafe { bindings::rust_helper_netif_tx_lock(self.ndev) };
        TxGuard { ndev: self.ndev, state: self.state, flags, _ctx: PhantomData }
    }

    /// Passes a received frame (starting at its Ethernet header) to the
    /// stack, which may answer it at once (ARP, ICMP) through this or any
    /// device's `start_xmit`.
    #[inline]
    pub fn receive(&mut self, skb: SkBuff) {
        let p = skb.into_raw();
        // SAFETY: p is a valid skb we own; its dev field must name this
        // interface (type invariant: the polled device); the stack takes
        // it. We hold no transmit lock (a TxGuard borrows `self`).
        unsafe {
            (*p).dev = self.ndev;
            bindings::netif_receive_skb(p)
        }
    }
}

/// Exclusive access to the transmit state; unlocks on drop. `!Send`.
///
/// # Invariants
/// The transmit lock of `ndev` is held, taken with `flags`.
pub struct TxGuard<'a, S> {
    ndev: *mut bindings::net_device,
    state: &'a core::cell::UnsafeCell<S>,
    flags: core::ffi::c_ulong,
    _ctx: PhantomData<&'a mut ()>,
}

impl<S> core::ops::Deref for TxGuard<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        // SAFETY: the transmit lock is held (type invariant):
        // start_xmit, which runs under it, cannot touch the state
        // meanwhile, and the guard is the poll's only one (it borrows the
        // PollContext mutably).
        unsafe { &*self.state.get() }
    }
}

impl<S> core::ops::DerefMut for TxGuard<'_, S> {
    fn deref_mut(&mut self) -> &mut S {
        // SAFETY: the lock is held and this guard is the only way to the
        // state while it lives (see deref); `&mut self` makes the
        // reference unique.
        unsafe { &mut *self.state.get() }
    }
}

impl<S> Drop for TxGuard<'_, S> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: taken in lock_tx() with these flags (type invariant).
        unsafe { bindings::rust_helper_netif_tx_unlock(self.ndev, self.flags) };
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
/// `ndev` is a net_device made by `Registration::<T>` that stays
/// allocated for `'a` (a reference to it is held).
unsafe fn parts<'a, T: DeviceOps>(
    ndev: *mut bindings::net_device,
) -> (&'a Device, &'a T, &'a Napi) {
    // SAFETY: the private area holds a Priv<T>, dropped only by the
    // device's last reference (drop_priv), which the caller's outlives.
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
    let ndev = cookie.cast::<bindings::net_device>();
    // SAFETY: the cookie is our net_device, requested in open_callback
    // and freed in stop_callback; free_irq waits for calls running on
    // other CPUs, so the device and T stay allocated for this call. The
    // handler cannot free them itself: dropping the `Registration` starts
    // with unregister_netdev, whose first step is might_sleep(), a panic
    // in hard-IRQ context before anything is torn down.
    let (dev, this, napi) = unsafe { parts::<T>(ndev) };
    let r = T::interrupt(dev, this, napi);
    match r {
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
    // SAFETY: the core calls ndo_open on a registered device and holds a
    // reference to it for the call (dev_open).
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
    // SAFETY: the core calls ndo_stop on a registered, open device and
    // holds a reference to it for the call (dev_close).
    let (dev, this, napi) = unsafe { parts::<T>(ndev) };
    // SAFETY: enabled in open_callback. napi_disable waits for a poll
    // running on another CPU and panics if called from inside the poll
    // itself, so on return no poll runs and none can start.
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
    // device it holds a reference to (dev_queue_xmit), and holds its
    // transmit lock: the transmit state is ours.
    let (dev, this, tx, skb) = unsafe {
        let (dev, this, _) = parts::<T>(ndev);
        (dev, this, &mut *tx_cell::<T>(ndev).get(), SkBuff::from_raw_nonnull(skb))
    };
    // The brand: this TxSkb is the only value of its type the driver can
    // have, so Busy hands back exactly `skb`.
    let skb = TxSkb { skb, _brand: PhantomData };
    match T::start_xmit(dev, this, tx, skb) {
        TxOutcome::Ok => bindings::netdev_tx_t::NETDEV_TX_OK,
        TxOutcome::Busy(skb) => {
            // the core still owns it on BUSY (and frees it)
            let _ = skb.skb.into_raw();
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
    // SAFETY: a registered device, which dev_get_stats holds a
    // reference to for the call, and a stats struct to fill.
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
    // device it holds a reference to for the call (net_rx_action). A
    // napi is polled only between napi_enable and napi_disable (which
    // waits for a running poll), never twice at once (it is off the poll
    // list while POLLING), so the poll state is ours.
    let (dev, this, napi, rx, ndev) = unsafe {
        let ndev = (*napi).dev;
        let (dev, this, napi) = parts::<T>(ndev);
        (dev, this, napi, poll_state::<T>(ndev), ndev)
    };
    // SAFETY: the device is the one polled (PollContext invariant), and
    // PollContext only hands the state out under its transmit lock.
    let mut ctx = PollContext { ndev, state: unsafe { tx_cell::<T>(ndev) } };
    let budget = budget.max(0) as usize;
    T::poll(dev, this, rx, &mut ctx, napi, budget).min(budget) as c_int
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

/// The net_device's `priv_destructor` for `T`: drops the private area.
///
/// # Safety
/// Only the C core calls it, once, from the device's last `dev_put`:
/// no callback runs or can start, and nothing uses the area afterwards.
unsafe extern "C" fn drop_priv<T: DeviceOps>(ndev: *mut bindings::net_device) {
    // SAFETY: Registration::new wrote a Priv<T> there before installing
    // this destructor; it is dropped once, before the memory goes.
    unsafe { core::ptr::drop_in_place((*ndev).priv_.cast::<Priv<T>>()) };
}

/// A registered network interface; unregistered on drop.
///
/// # Invariants
/// `ndev` was registered by `new`, its private area holds a `Priv<T>`
/// dropped by `drop_priv::<T>`, and the registration owns one reference
/// to it (the one `alloc_etherdev` gave), dropped by `Drop`.
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
        Self::new_with_parent(parent.as_dev_ptr(), mac, irq, irq_name, data)
    }

    /// `new`, with the parent as a pointer (NULL: none; ktests).
    fn new_with_parent(
        parent: *mut bindings::device,
        mac: [u8; ETH_ALEN],
        irq: u32,
        irq_name: &'static CStr,
        data: T,
    ) -> Result<Self> {
        const { assert!(core::mem::align_of::<Priv<T>>() <= 16, "DeviceOps state over-aligned") };
        // SAFETY: alloc_etherdev returns NULL or a zeroed net_device with
        // a private area of the requested size, 16-byte aligned, and one
        // reference, ours.
        let ndev =
            NonNull::new(unsafe { bindings::alloc_etherdev(core::mem::size_of::<Priv<T>>()) })
                .ok_or(ENOMEM)?;
        let p = ndev.as_ptr();
        // SAFETY: the device is ours until registered; the private area
        // is large enough for Priv<T> and suitably aligned. The
        // destructor is installed once Priv<T> is written.
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
            (*p).priv_destructor = Some(drop_priv::<T>);
            (*p).dev_addr = mac;
            (*p).netdev_ops = &Vtable::<T>::OPS;
            (*p).dev.parent = parent;
            bindings::netif_napi_add(
                p,
                core::ptr::addr_of_mut!((*priv_).napi),
                Some(poll_callback::<T>),
            );
        }
        // SAFETY: fully initialised above.
        let err = unsafe { bindings::register_netdev(p) };
        if err != 0 {
            // SAFETY: never registered: drop our (only) reference, which
            // drops Priv<T> and frees the device.
            unsafe { bindings::free_netdev(p) };
            return Err(crate::error::Error::from_errno(err));
        }
        Ok(Registration { ndev, _t: PhantomData })
    }

    /// The interface.
    pub fn device(&self) -> &Device {
        // SAFETY: we own a reference (type invariant) until dropped.
        unsafe { Device::from_raw(self.ndev.as_ptr()) }
    }

    /// The state the callbacks see.
    pub fn data(&self) -> &T {
        // SAFETY: `ndev` was made by Registration::<T>::new and we own a
        // reference to it until dropped (type invariant), so it stays
        // allocated, its Priv<T> with it, while `&self` is borrowed.
        unsafe { parts::<T>(self.ndev.as_ptr()).1 }
    }
}

impl<T: DeviceOps> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: unregister closes the device (stop_callback: NAPI off,
        // IRQ freed) and detaches its PHY; afterwards no callback can
        // start. Dropping our reference frees the device and drops T now,
        // or, if a callback still runs (this drop may be inside one), when
        // the reference the core or the IRQ trampoline holds for it goes.
        unsafe {
            bindings::unregister_netdev(self.ndev.as_ptr());
            bindings::free_netdev(self.ndev.as_ptr());
        }
    }
}

#[crate::ktest(rust_net)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;
    use crate::sync::SpinLock;
    use core::sync::atomic::AtomicU32;

    const MAC: [u8; ETH_ALEN] = [0x02, 0, 0, 0x6b, 0x74, 0x01];

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
        crate::kt_expect_eq!(t, skb.put_copy(&[1u8; 41]), Err(EMSGSIZE));
        crate::kt_expect_eq!(t, skb.put_copy(&[9u8; 20]), Ok(()));
        crate::kt_expect_eq!(t, skb.put(20).map(|b| b.len()), Some(20));
        crate::kt_expect_eq!(t, skb.data()[59], 7);
        crate::kt_expect_eq!(t, skb.data()[79], 9);
        drop(skb);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// U6: the bytes `put` hands out are zeroed, not what the heap held
    /// (a freed skb's 0xa5s, which the next allocation of its size class
    /// gets back).
    #[test]
    fn skb_put_hands_out_no_stale_bytes(t: &mut Test) {
        for _ in 0..4 {
            // SAFETY: alloc_skb returns NULL or a fresh skb we now own.
            let skb = unsafe { SkBuff::from_raw(bindings::alloc_skb(200, GFP_KERNEL.as_raw())) };
            if let Some(mut skb) = skb {
                if let Some(b) = skb.put(200) {
                    b.fill(0xa5);
                }
            }
        }
        // SAFETY: alloc_skb returns NULL or a fresh skb we now own.
        let skb = unsafe { SkBuff::from_raw(bindings::alloc_skb(200, GFP_KERNEL.as_raw())) };
        let Some(mut skb) = skb else {
            crate::kt_fail!(t, "no skb");
            return;
        };
        let stale = skb.put(200).map_or(200, |b| b.iter().filter(|&&x| x != 0).count());
        crate::kt_expect_eq!(t, stale, 0);
        crate::kt_expect!(t, skb.data().iter().all(|&x| x == 0));
    }

    /// An interface that does nothing.
    pub(super) struct Quiet;

    #[crate::vtable]
    impl DeviceOps for Quiet {
        type PollState = ();
        type TxState = ();

        fn open(_: &Device, _: &Self, _rx: &mut (), _tx: &mut ()) -> Result {
            Ok(())
        }

        fn start_xmit<'a>(_: &Device, _: &Self, _tx: &mut (), _: TxSkb<'a>) -> TxOutcome<'a> {
            TxOutcome::Ok
        }

        fn interrupt(_: &Device, _: &Self, _: &Napi) -> IrqReturn {
            IrqReturn::None
        }

        fn poll(
            _: &Device,
            _: &Self,
            _rx: &mut (),
            _: &mut PollContext<'_, ()>,
            napi: &Napi,
            _: usize,
        ) -> usize {
            napi.complete_done(0);
            0
        }
    }

    pub(super) fn quiet() -> Result<Registration<Quiet>> {
        Registration::new_with_parent(core::ptr::null_mut(), MAC, 0, c"ktest", Quiet)
    }

    /// Drops its own registration from `get_stats`, then goes on using
    /// its state, which must stay allocated until it returns.
    struct SelfDrop(u32);

    static SELF_DROP: SpinLock<Option<Registration<SelfDrop>>> = SpinLock::new(None);
    static SELF_DROP_DROPPED: AtomicBool = AtomicBool::new(false);
    static SELF_DROP_ALIVE_AFTER: AtomicBool = AtomicBool::new(false);
    static SELF_DROP_CALLS: AtomicU32 = AtomicU32::new(0);

    impl Drop for SelfDrop {
        fn drop(&mut self) {
            SELF_DROP_DROPPED.store(true, Ordering::Relaxed);
        }
    }

    #[crate::vtable]
    impl DeviceOps for SelfDrop {
        type PollState = ();
        type TxState = ();

        fn open(_: &Device, _: &Self, _rx: &mut (), _tx: &mut ()) -> Result {
            Ok(())
        }

        fn start_xmit<'a>(_: &Device, _: &Self, _tx: &mut (), _: TxSkb<'a>) -> TxOutcome<'a> {
            TxOutcome::Ok
        }

        fn get_stats(dev: &Device, this: &Self) -> Stats {
            SELF_DROP_CALLS.fetch_add(1, Ordering::Relaxed);
            let reg = SELF_DROP.lock().take();
            drop(reg);
            let alive =
                !SELF_DROP_DROPPED.load(Ordering::Relaxed) && this.0 == 0x5eed && dev.mac() == MAC;
            SELF_DROP_ALIVE_AFTER.store(alive, Ordering::Relaxed);
            Stats { rx_packets: u64::from(this.0), ..Stats::default() }
        }

        fn interrupt(_: &Device, _: &Self, _: &Napi) -> IrqReturn {
            IrqReturn::None
        }

        fn poll(
            _: &Device,
            _: &Self,
            _rx: &mut (),
            _: &mut PollContext<'_, ()>,
            _: &Napi,
            _: usize,
        ) -> usize {
            0
        }
    }

    /// U9: a registration dropped inside its own callback keeps the
    /// device and `T` until the callback (and the core around it) is done.
    #[test]
    fn registration_dropped_in_its_own_callback(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        SELF_DROP_DROPPED.store(false, Ordering::Relaxed);
        SELF_DROP_ALIVE_AFTER.store(false, Ordering::Relaxed);
        SELF_DROP_CALLS.store(0, Ordering::Relaxed);
        let reg = match Registration::new_with_parent(
            core::ptr::null_mut(),
            MAC,
            0,
            c"ktest",
            SelfDrop(0x5eed),
        ) {
            Ok(reg) => reg,
            Err(e) => {
                crate::kt_fail!(t, "register failed: {}", e);
                return;
            }
        };
        let ndev = reg.device().ptr();
        *SELF_DROP.lock() = Some(reg);
        // SAFETY: all-zero is a valid net_device_stats.
        let mut st: bindings::net_device_stats = unsafe { core::mem::zeroed() };
        // SAFETY: ndev is registered (its registration is in SELF_DROP);
        // dev_get_stats holds a reference for the call.
        unsafe { bindings::dev_get_stats(ndev, &mut st) };
        crate::kt_expect_eq!(t, SELF_DROP_CALLS.load(Ordering::Relaxed), 1);
        crate::kt_expect!(t, SELF_DROP.lock().is_none());
        crate::kt_expect!(t, SELF_DROP_ALIVE_AFTER.load(Ordering::Relaxed));
        crate::kt_expect_eq!(t, st.rx_packets, 0x5eed);
        crate::kt_expect!(t, SELF_DROP_DROPPED.load(Ordering::Relaxed));
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// A PHY at address 3 as a register file (generic clause 22 PHY).
    struct FakeMdio(SpinLock<[u16; 32]>);

    impl FakeMdio {
        fn new() -> Self {
            let mut regs = [0u16; 32];
            regs[usize::from(phy::reg::PHYSID1)] = 0x0022;
            regs[usize::from(phy::reg::PHYSID2)] = 0x1556;
            regs[usize::from(phy::reg::BMSR)] =
                (bindings::BMSR_ANEGCAPABLE | bindings::BMSR_ESTATEN) as u16;
            FakeMdio(SpinLock::new(regs))
        }
    }

    impl phy::MdioOps for FakeMdio {
        fn read(&self, addr: u8, reg: u8) -> Result<u16> {
            if addr != 3 {
                return Err(EIO);
            }
            Ok(self.0.lock_irqsave()[usize::from(reg & 31)])
        }

        fn write(&self, addr: u8, reg: u8, val: u16) -> Result {
            if addr != 3 {
                return Err(EIO);
            }
            let v = if u16::from(reg) == phy::reg::BMCR { val & !0x8000 } else { val };
            self.0.lock_irqsave()[usize::from(reg & 31)] = v;
            Ok(())
        }
    }

    fn fake_bus() -> Result<phy::MdioBus<FakeMdio>> {
        phy::MdioBus::new_with_parent(b"ktest", core::ptr::null_mut(), FakeMdio::new())
    }

    /// U7: the interface dropped before the bus leaves no PHY pointing
    /// at the freed net_device.
    #[test]
    fn phy_link_undone_when_interface_goes_first(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let (bus, reg) = match (fake_bus(), quiet()) {
            (Ok(bus), Ok(reg)) => (bus, reg),
            _ => {
                crate::kt_fail!(t, "no bus or interface");
                return;
            }
        };
        crate::kt_expect_eq!(t, reg.device().phy_connect(&bus), Ok(()));
        // SAFETY: the bus is registered and has a PHY (MdioBus::new).
        let phydev = unsafe { bindings::phy_find_first(bus.raw()) };
        // SAFETY: the PHY lives as long as the bus, which we hold.
        crate::kt_expect!(t, unsafe { (*phydev).attached_dev } == reg.device().ptr());
        drop(reg);
        // SAFETY: the PHY lives as long as the bus, which we still hold;
        // the field is read by value.
        crate::kt_expect!(t, unsafe { (*phydev).attached_dev }.is_null());
        drop(bus);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// U7: the bus dropped before the interface stays until the
    /// interface goes: its PHY can still be started.
    #[test]
    fn phy_bus_stays_while_an_interface_uses_it(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let (bus, reg) = match (fake_bus(), quiet()) {
            (Ok(bus), Ok(reg)) => (bus, reg),
            _ => {
                crate::kt_fail!(t, "no bus or interface");
                return;
            }
        };
        crate::kt_expect_eq!(t, reg.device().phy_connect(&bus), Ok(()));
        drop(bus);
        crate::kt_expect_eq!(t, reg.device().phy_start(), Ok(()));
        reg.device().phy_mac_interrupt();
        drop(reg);
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// Drops its own registration from `get_stats`, then connects the
    /// (unregistered, about to be freed) interface to the bus in
    /// `LATE_BUS` and starts the PHY: what safe code may do there.
    struct LateConnect;

    static LATE_REG: SpinLock<Option<Registration<LateConnect>>> = SpinLock::new(None);
    static LATE_BUS: crate::sync::Mutex<Option<phy::MdioBus<FakeMdio>>> =
        crate::sync::Mutex::new(None);
    static LATE_CONNECT: SpinLock<Option<Result>> = SpinLock::new(None);

    #[crate::vtable]
    impl DeviceOps for LateConnect {
        type PollState = ();
        type TxState = ();

        fn open(_: &Device, _: &Self, _rx: &mut (), _tx: &mut ()) -> Result {
            Ok(())
        }

        fn start_xmit<'a>(_: &Device, _: &Self, _tx: &mut (), _: TxSkb<'a>) -> TxOutcome<'a> {
            TxOutcome::Ok
        }

        fn get_stats(dev: &Device, _: &Self) -> Stats {
            let reg = LATE_REG.lock().take();
            drop(reg);
            let bus = LATE_BUS.lock();
            let r = bus.as_ref().map_or(Err(ENODEV), |bus| dev.phy_connect(bus));
            if r.is_ok() {
                let _ = dev.phy_start();
            }
            *LATE_CONNECT.lock() = Some(r);
            Stats::default()
        }

        fn interrupt(_: &Device, _: &Self, _: &Napi) -> IrqReturn {
            IrqReturn::None
        }

        fn poll(
            _: &Device,
            _: &Self,
            _rx: &mut (),
            _: &mut PollContext<'_, ()>,
            _: &Napi,
            _: usize,
        ) -> usize {
            0
        }
    }

    /// A PHY connected to an interface after `unregister_netdev` detached
    /// its PHY (here from `get_stats`, after the callback dropped its own
    /// registration; or from `get_stats` on one CPU while another drops
    /// it) stayed attached when the interface was freed: the PHY kept a
    /// pointer to the freed net_device, which the bus's teardown (and a
    /// started state machine) wrote through. `phy_connect` on an
    /// unregistered interface must be refused.
    #[test]
    fn phy_connect_after_unregister_is_refused(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let (bus, reg) = match (
            fake_bus(),
            Registration::new_with_parent(core::ptr::null_mut(), MAC, 0, c"ktest", LateConnect),
        ) {
            (Ok(bus), Ok(reg)) => (bus, reg),
            _ => {
                crate::kt_fail!(t, "no bus or interface");
                return;
            }
        };
        // SAFETY: the bus is registered and has a PHY (MdioBus::new).
        let phydev = unsafe { bindings::phy_find_first(bus.raw()) };
        let ndev = reg.device().ptr();
        *LATE_BUS.lock() = Some(bus);
        *LATE_REG.lock() = Some(reg);
        *LATE_CONNECT.lock() = None;
        // SAFETY: all-zero is a valid net_device_stats.
        let mut st: bindings::net_device_stats = unsafe { core::mem::zeroed() };
        // SAFETY: ndev is registered (its registration is in LATE_REG);
        // dev_get_stats holds a reference for the call.
        unsafe { bindings::dev_get_stats(ndev, &mut st) };
        crate::kt_expect!(t, LATE_REG.lock().is_none());
        // the interface is freed now
        crate::kt_expect_eq!(t, *LATE_CONNECT.lock(), Some(Err(ENODEV)));
        // SAFETY: the PHY lives as long as the bus, which LATE_BUS holds.
        let dangling = unsafe { (*phydev).attached_dev };
        crate::kt_expect!(t, dangling.is_null());
        let bus = LATE_BUS.lock().take();
        if dangling.is_null() {
            drop(bus);
            crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
        } else {
            // dropping the bus would write through the dangling pointer
            core::mem::forget(bus);
        }
    }

    /// U8: what `Busy` carries is the frame given (the brand does it at
    /// compile time: compile-fail case 49; this checks the plumbing).
    #[test]
    fn tx_busy_hands_back_the_frame(t: &mut Test) {
        // SAFETY: alloc_skb returns NULL or a fresh skb we now own.
        let skb = unsafe { SkBuff::from_raw(bindings::alloc_skb(64, GFP_KERNEL.as_raw())) };
        let Some(skb) = skb else {
            crate::kt_fail!(t, "no skb");
            return;
        };
        let p = skb.0.as_ptr();
        fn busy<'a>(skb: TxSkb<'a>) -> TxOutcome<'a> {
            TxOutcome::Busy(skb)
        }
        match busy(TxSkb { skb, _brand: PhantomData }) {
            TxOutcome::Busy(back) => crate::kt_expect!(t, back.skb.0.as_ptr() == p),
            TxOutcome::Ok => crate::kt_fail!(t, "not busy"),
        }
    }
}

/// U13's root cause, at run time: the transmit lock taken twice on one
/// CPU. Safe code cannot do it (`PollContext::lock_tx` borrows the
/// context mutably, compile-fail case 52); two contexts made here can.
/// The spinlock must refuse (panic "recursion") instead of handing out a
/// second `&mut` to the transmit state; that is the lock fix of the sync
/// branch, so this suite fails until it is merged.
#[crate::ktest(rust_net_lock)]
mod lock_tests {
    use super::*;
    use crate::ktest::Test;

    #[test]
    fn tx_lock_twice_is_refused(t: &mut Test) {
        let reg = match super::tests::quiet() {
            Ok(reg) => reg,
            Err(e) => {
                crate::kt_fail!(t, "register failed: {}", e);
                return;
            }
        };
        let ndev = reg.device().ptr();
        // SAFETY: ndev is registered by a Registration<Quiet>.
        let cell = unsafe { tx_cell::<super::tests::Quiet>(ndev) };
        let mut a = PollContext { ndev, state: cell };
        let mut b = PollContext { ndev, state: cell };
        // The panic abandons `reg` (its net_device and private data) with
        // the transmit lock held: it stays registered, never used again.
        t.leak_allow(1, 1, c"the interface abandoned by the expected panic");
        t.expect_panic(c"recursion");
        let ga = a.lock_tx();
        let gb = b.lock_tx();
        crate::kt_fail!(t, "two transmit guards at once");
        drop(gb);
        drop(ga);
        drop(reg);
    }
}
