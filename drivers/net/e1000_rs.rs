// SPDX-License-Identifier: MIT
//! e1000_rs: Rust driver for the Intel 82540EM (QEMU's `-device e1000`),
//! the twin of `drivers/net/e1000.c`: same registers, same ring sizes,
//! same copy-in/copy-out data path, same interrupt handling, so the two
//! can be compared line for line and in `make bench`.
//!
//! What the Rust version leaves to the type system: descriptor rings are
//! `Ring<Desc, 256>` indexed by `RingIndex<256>` (never out of bounds,
//! no bounds checks), registers are `Mmio` accesses with offsets checked
//! at compile time, reached only through the binding's `Devres` (one
//! access per poll, transmit or interrupt: the register helpers take the
//! `&Regs` it lends; after the binding ended an access is refused
//! instead of touching an unmapped BAR), the rings exist only between open and stop (an
//! `Option`) and are freed by dropping them, the receive ring is reachable
//! only from the poll and the transmit ring only under the core's
//! transmit lock (`kernel::net`'s `PollState`/`TxState`), and the IRQ
//! line and NAPI are requested and released by `kernel::net` around
//! `open`/`stop`. The crate has no `unsafe`.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use kernel::devres::Devres;
use kernel::dma::{Buffers, Ring, RingIndex};
use kernel::io::IoMem;
use kernel::irq::IrqReturn;
use kernel::net::{self, phy, Napi, PollContext, Stats, TxOutcome, TxSkb};
use kernel::pci;
use kernel::prelude::*;
use kernel::sync::SpinLock;
use kernel::time::{mdelay, udelay};
use kernel::{dma_read, dma_write, uapi};

kernel::module_pci_driver! {
    type: E1000Rs,
    name: "e1000_rs",
    author: "keel developers",
    description: "Intel 82540EM (e1000) network driver, in Rust",
    license: "MIT",
}

const MMIO_SIZE: usize = uapi::E1000_MMIO_SIZE as usize;
const RING_SIZE: usize = 256;
const BUF_SIZE: usize = 2048;
const ETH_HLEN: usize = 14;

type Idx = RingIndex<RING_SIZE>;
/// The register BAR, while an access holds it.
type Regs = IoMem<MMIO_SIZE>;
/// The register BAR as the binding owns it.
type Hw = Devres<Regs>;
/// The first register page, which holds MDIC: all the MDIO bus needs.
const MDIO_MMIO_SIZE: usize = 0x1000;

// Registers and their bits come from drivers/net/e1000_hw.h, the C twin's
// header, through kernel::uapi (`u32`, as register values are). Offsets
// are `usize` for the `IoMem` accessors, descriptor bits `u8` as the
// descriptor fields are. TCTL's collision threshold and distance are the
// values e1000.c writes.
const CTRL: usize = uapi::E1000_CTRL as usize;
const STATUS: usize = uapi::E1000_STATUS as usize;
const EERD: usize = uapi::E1000_EERD as usize;
const MDIC: usize = uapi::E1000_MDIC as usize;
const ICR: usize = uapi::E1000_ICR as usize;
const IMS: usize = uapi::E1000_IMS as usize;
const IMC: usize = uapi::E1000_IMC as usize;
const RCTL: usize = uapi::E1000_RCTL as usize;
const TCTL: usize = uapi::E1000_TCTL as usize;
const TIPG: usize = uapi::E1000_TIPG as usize;
const RDBAL: usize = uapi::E1000_RDBAL as usize;
const RDBAH: usize = uapi::E1000_RDBAH as usize;
const RDLEN: usize = uapi::E1000_RDLEN as usize;
const RDH: usize = uapi::E1000_RDH as usize;
const RDT: usize = uapi::E1000_RDT as usize;
const RDTR: usize = uapi::E1000_RDTR as usize;
const TDBAL: usize = uapi::E1000_TDBAL as usize;
const TDBAH: usize = uapi::E1000_TDBAH as usize;
const TDLEN: usize = uapi::E1000_TDLEN as usize;
const TDH: usize = uapi::E1000_TDH as usize;
const TDT: usize = uapi::E1000_TDT as usize;
const MPC: usize = uapi::E1000_MPC as usize;
const ROC: usize = uapi::E1000_ROC as usize;
const MTA: usize = uapi::E1000_MTA as usize;
const RAL0: usize = uapi::E1000_RAL0 as usize;
const RAH0: usize = uapi::E1000_RAH0 as usize;

const TCTL_CT: u32 = 0x0f << uapi::E1000_TCTL_CT_SHIFT;
const TCTL_COLD: u32 = 0x40 << uapi::E1000_TCTL_COLD_SHIFT;

const RXD_STAT_DD: u8 = uapi::E1000_RXD_STAT_DD as u8;
const RXD_STAT_EOP: u8 = uapi::E1000_RXD_STAT_EOP as u8;
const TXD_CMD_EOP: u8 = uapi::E1000_TXD_CMD_EOP as u8;
const TXD_CMD_IFCS: u8 = uapi::E1000_TXD_CMD_IFCS as u8;
const TXD_CMD_RS: u8 = uapi::E1000_TXD_CMD_RS as u8;
const TXD_STAT_DD: u8 = uapi::E1000_TXD_STAT_DD as u8;

kernel::pod_struct! {
    /// A legacy receive descriptor.
    struct RxDesc {
        addr: u64,
        length: u16,
        csum: u16,
        status: u8,
        errors: u8,
        special: u16,
    }
}

kernel::pod_struct! {
    /// A legacy transmit descriptor.
    struct TxDesc {
        addr: u64,
        length: u16,
        cso: u8,
        cmd: u8,
        status: u8,
        css: u8,
        special: u16,
    }
}

/// One MDIC transaction: the data, or `EIO`/`ETIMEDOUT`.
fn mdic(hw: &IoMem<MDIO_MMIO_SIZE>, cmd: u32) -> Result<u16> {
    hw.write32::<MDIC>(cmd);
    for _ in 0..1000 {
        let v = hw.read32::<MDIC>();
        if v & uapi::E1000_MDIC_ERROR != 0 {
            return Err(EIO);
        }
        if v & uapi::E1000_MDIC_READY != 0 {
            return Ok(v as u16);
        }
        udelay(1);
    }
    Err(ETIMEDOUT)
}

/// The PHY's registers, reached through MDIC. The bus has its own
/// mapping of the first register page, so it shares nothing with the
/// interface's state.
struct Mdio {
    hw: Devres<IoMem<MDIO_MMIO_SIZE>>,
}

impl phy::MdioOps for Mdio {
    fn read(&self, addr: u8, reg: u8) -> Result<u16> {
        let cmd = u32::from(reg) << uapi::E1000_MDIC_REG_SHIFT
            | u32::from(addr) << uapi::E1000_MDIC_PHY_SHIFT
            | uapi::E1000_MDIC_OP_READ;
        self.hw.access(|hw| mdic(hw, cmd))?
    }

    fn write(&self, addr: u8, reg: u8, val: u16) -> Result {
        let cmd = u32::from(val)
            | u32::from(reg) << uapi::E1000_MDIC_REG_SHIFT
            | u32::from(addr) << uapi::E1000_MDIC_PHY_SHIFT;
        self.hw.access(|hw| mdic(hw, cmd | uapi::E1000_MDIC_OP_WRITE).map(|_| ()))?
    }
}

struct RxRing {
    desc: Ring<RxDesc, RING_SIZE>,
    bufs: Buffers<BUF_SIZE, RING_SIZE>,
    next: Idx,
}

struct TxRing {
    desc: Ring<TxDesc, RING_SIZE>,
    bufs: Buffers<BUF_SIZE, RING_SIZE>,
    next: Idx,
    clean: Idx,
}

/// The receive ring: only open, stop and the poll use it, never at once
/// (kernel::net hands it to them as `&mut`, no lock needed).
#[derive(Default)]
struct RxState {
    ring: Option<RxRing>,
}

/// Receive counters: written by the poll only, read by get_stats. One
/// writer needs no read-modify-write atomics, just untorn loads and
/// stores (what C gets from aligned u64 accesses).
#[derive(Default)]
struct RxCounters {
    packets: AtomicU64,
    bytes: AtomicU64,
    errors: AtomicU64,
    length_errors: AtomicU64,
    dropped: AtomicU64,
}

/// Adds `n` to a counter that only one context writes.
#[inline]
fn add(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Relaxed).wrapping_add(n), Relaxed);
}

/// The transmit ring: start_xmit has it under the core's transmit lock,
/// the poll takes that lock to reclaim (kernel::net::PollContext::lock_tx).
#[derive(Default)]
struct TxState {
    ring: Option<TxRing>,
}

/// Transmit counters: written under the transmit lock (one writer at a
/// time), read by get_stats.
#[derive(Default)]
struct TxCounters {
    packets: AtomicU64,
    bytes: AtomicU64,
    errors: AtomicU64,
}

#[derive(Default)]
struct HwStats {
    open: bool,
    oversize: u64,
    mpc_base: u32,
}

/// One interface: what every callback sees.
struct E1000 {
    hw: Hw,
    mii: phy::MdioBus<Mdio>,
    rx_stats: RxCounters,
    tx_stats: TxCounters,
    hw_stats: SpinLock<HwStats>,
}

impl E1000 {
    /// The interrupt was ours: pass link changes on, poll for frames.
    #[inline(never)]
    fn handle_irq(hw: &Regs, dev: &net::Device, napi: &Napi, icr: u32) {
        if icr & uapi::E1000_ICR_LSC != 0 {
            dev.phy_mac_interrupt();
        }
        // TXDW is always latched; it only matters with the queue stopped
        if icr & uapi::E1000_IMS_RX != 0 || (icr & uapi::E1000_ICR_TXDW != 0 && dev.queue_stopped())
        {
            hw.write32::<IMC>(uapi::E1000_IMS_RX);
            napi.schedule();
        }
    }

    fn irq_disable(hw: &Regs) {
        hw.write32::<IMC>(!0);
        hw.read32::<ICR>();
    }

    /// Station address, no multicast, link forced up on the MAC side.
    fn configure_mac(hw: &Regs, mac: &[u8; 6]) {
        hw.write32::<CTRL>(hw.read32::<CTRL>() | uapi::E1000_CTRL_SLU);
        for i in 0..128 {
            let _ = hw.try_write32(MTA + 4 * i, 0);
        }
        hw.write32::<RAL0>(u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]));
        hw.write32::<RAH0>(u32::from(mac[4]) | u32::from(mac[5]) << 8 | uapi::E1000_RAH_AV);
    }

    fn configure_rx(hw: &Regs, rx: &RxRing) {
        let mut i = Idx::ZERO;
        for _ in 0..RING_SIZE {
            rx.desc.write(i, RxDesc { addr: rx.bufs.dma_handle(i), ..RX_ZERO });
            i = i.next();
        }
        hw.write32::<RDBAL>(rx.desc.dma_handle() as u32);
        hw.write32::<RDBAH>((rx.desc.dma_handle() >> 32) as u32);
        hw.write32::<RDLEN>(Ring::<RxDesc, RING_SIZE>::bytes() as u32);
        hw.write32::<RDH>(0);
        hw.write32::<RDT>(RING_SIZE as u32 - 1); // all but one
        hw.write32::<RDTR>(0);
        hw.write32::<RCTL>(uapi::E1000_RCTL_EN | uapi::E1000_RCTL_BAM | uapi::E1000_RCTL_SECRC);
    }

    fn configure_tx(hw: &Regs, tx: &TxRing) {
        let mut i = Idx::ZERO;
        for _ in 0..RING_SIZE {
            dma_write!(tx.desc, i, addr = tx.bufs.dma_handle(i));
            i = i.next();
        }
        hw.write32::<TDBAL>(tx.desc.dma_handle() as u32);
        hw.write32::<TDBAH>((tx.desc.dma_handle() >> 32) as u32);
        hw.write32::<TDLEN>(Ring::<TxDesc, RING_SIZE>::bytes() as u32);
        hw.write32::<TDH>(0);
        hw.write32::<TDT>(0);
        hw.write32::<TIPG>(uapi::E1000_TIPG_DEFAULT);
        hw.write32::<TCTL>(uapi::E1000_TCTL_EN | uapi::E1000_TCTL_PSP | TCTL_CT | TCTL_COLD);
    }

    /// Quiesces the device and frees the rings (stop, or a failed open).
    fn down(&self, rx: &mut RxState, tx: &mut TxState) {
        // Err: the binding ended and the device is not ours to touch
        let _ = self.hw.access(|hw| {
            Self::irq_disable(hw);
            hw.write32::<RCTL>(0);
            hw.write32::<TCTL>(0);
        });
        self.hw_stats.lock_irqsave().open = false;
        rx.ring = None;
        tx.ring = None;
    }

    /// Reclaims descriptors the device finished; restarts a stopped
    /// queue. From the poll.
    #[inline]
    fn tx_complete(hw: &Regs, dev: &net::Device, ctx: &mut PollContext<'_, TxState>) {
        let mut tx = ctx.lock_tx();
        let Some(ring) = tx.ring.as_mut() else { return };
        clean_tx(ring);
        if dev.queue_stopped() && Idx::free(ring.next, ring.clean) > 0 {
            hw.write32::<IMC>(uapi::E1000_ICR_TXDW);
            dev.wake_queue();
        }
    }

    /// Passes up to `budget` frames up; returns how many descriptors
    /// were used.
    #[inline]
    fn clean_rx(
        &self,
        hw: &Regs,
        dev: &net::Device,
        ctx: &mut PollContext<'_, TxState>,
        rx: &mut RxState,
        budget: usize,
    ) -> usize {
        let Some(ring) = rx.ring.as_mut() else { return 0 };
        let st = &self.rx_stats;
        let mut work = 0;
        while work < budget {
            let i = ring.next;
            let status = dma_read!(ring.desc, i, status);
            if status & RXD_STAT_DD == 0 {
                break;
            }
            let len = usize::from(dma_read!(ring.desc, i, length));
            if dma_read!(ring.desc, i, errors) != 0
                || status & RXD_STAT_EOP == 0
                || !(ETH_HLEN..=BUF_SIZE).contains(&len)
            {
                add(&st.errors, 1);
                if status & RXD_STAT_EOP == 0 || len < ETH_HLEN {
                    add(&st.length_errors, 1);
                }
            } else if let Some(mut skb) = dev.alloc_skb(len) {
                let _ = skb.put_from_dma(&ring.bufs, i, len);
                add(&st.packets, 1);
                add(&st.bytes, len as u64);
                ctx.receive(skb);
            } else {
                add(&st.dropped, 1);
            }
            dma_write!(ring.desc, i, status = 0);
            ring.next = i.next();
            work += 1;
        }
        if work > 0 {
            // hand the descriptors back, the one before `next` last
            hw.write32::<RDT>(ring.next.prev().get() as u32);
        }
        work
    }
}

const RX_ZERO: RxDesc = RxDesc { addr: 0, length: 0, csum: 0, status: 0, errors: 0, special: 0 };

fn clean_tx(ring: &mut TxRing) {
    while ring.clean != ring.next && dma_read!(ring.desc, ring.clean, status) & TXD_STAT_DD != 0 {
        ring.clean = ring.clean.next();
    }
}

#[vtable]
impl net::DeviceOps for E1000 {
    type PollState = RxState;
    type TxState = TxState;

    fn open(
        dev: &net::Device,
        this: &Self,
        rx_state: &mut RxState,
        tx_state: &mut TxState,
    ) -> Result {
        let rx = RxRing {
            desc: Ring::new(GFP_KERNEL)?,
            bufs: Buffers::new(GFP_KERNEL)?,
            next: Idx::ZERO,
        };
        let tx = TxRing {
            desc: Ring::new(GFP_KERNEL)?,
            bufs: Buffers::new(GFP_KERNEL)?,
            next: Idx::ZERO,
            clean: Idx::ZERO,
        };
        let mac = dev.mac();
        this.hw.access(|hw| {
            Self::irq_disable(hw);
            Self::configure_mac(hw, &mac);
            Self::configure_tx(hw, &tx);
            Self::configure_rx(hw, &rx);
            let mut st = this.hw_stats.lock_irqsave();
            st.mpc_base = hw.read32::<MPC>();
            st.open = true;
            drop(st);
            hw.read32::<ROC>();
        })?;
        rx_state.ring = Some(rx);
        tx_state.ring = Some(tx);
        dev.wake_queue();
        let r = dev.phy_connect(&this.mii).and_then(|()| {
            this.hw.access(|hw| hw.write32::<IMS>(uapi::E1000_IMS_RX | uapi::E1000_ICR_LSC))?;
            dev.phy_start().inspect_err(|_| dev.phy_disconnect())
        });
        if r.is_err() {
            this.down(rx_state, tx_state);
        }
        r
    }

    fn stop(dev: &net::Device, this: &Self, rx: &mut RxState, tx: &mut TxState) -> Result {
        dev.phy_disconnect();
        this.down(rx, tx);
        Ok(())
    }

    #[inline]
    fn start_xmit<'a>(
        dev: &net::Device,
        this: &Self,
        tx: &mut TxState,
        skb: TxSkb<'a>,
    ) -> TxOutcome<'a> {
        let len = skb.len();
        let st = &this.tx_stats;
        let Some(ring) = tx.ring.as_mut() else { return TxOutcome::Busy(skb) };
        if len == 0 || len > BUF_SIZE {
            add(&st.errors, 1);
            return TxOutcome::Ok; // dropped (skb freed on return)
        }
        clean_tx(ring);
        if Idx::free(ring.next, ring.clean) == 0 {
            // wake us when the device writes a descriptor back
            dev.stop_queue();
            let _ = this.hw.access(|hw| hw.write32::<IMS>(uapi::E1000_ICR_TXDW));
            return TxOutcome::Busy(skb);
        }
        let i = ring.next;
        let _ = ring.bufs.write_from(i, skb.data());
        dma_write!(
            ring.desc,
            i,
            length = len as u16,
            cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS,
            status = 0
        );
        ring.next = i.next();
        // the one register access of a transmit
        if this.hw.access(|hw| hw.write32::<TDT>(ring.next.get() as u32)).is_err() {
            add(&st.errors, 1); // the binding ended: dropped
            return TxOutcome::Ok;
        }
        add(&st.packets, 1);
        add(&st.bytes, len as u64);
        TxOutcome::Ok
    }

    fn get_stats(_dev: &net::Device, this: &Self) -> Stats {
        let mut hw = this.hw_stats.lock_irqsave();
        let mut missed = 0;
        if hw.open {
            let (roc, mpc) = this
                .hw
                .access(|r| (r.read32::<ROC>(), r.read32::<MPC>()))
                .unwrap_or((0, hw.mpc_base));
            hw.oversize += u64::from(roc);
            missed = u64::from(mpc.wrapping_sub(hw.mpc_base));
        }
        let (rx, tx) = (&this.rx_stats, &this.tx_stats);
        Stats {
            rx_packets: rx.packets.load(Relaxed),
            tx_packets: tx.packets.load(Relaxed),
            rx_bytes: rx.bytes.load(Relaxed),
            tx_bytes: tx.bytes.load(Relaxed),
            rx_errors: rx.errors.load(Relaxed) + hw.oversize,
            tx_errors: tx.errors.load(Relaxed),
            rx_dropped: rx.dropped.load(Relaxed),
            tx_dropped: 0,
            rx_length_errors: rx.length_errors.load(Relaxed) + hw.oversize,
            rx_crc_errors: 0,
            rx_missed_errors: missed,
        }
    }

    #[inline]
    fn interrupt(dev: &net::Device, this: &Self, napi: &Napi) -> IrqReturn {
        let handled = this.hw.access(|hw| {
            let icr = hw.read32::<ICR>(); // reading acknowledges
            if icr == 0 {
                return IrqReturn::None; // another device on the shared line
            }
            Self::handle_irq(hw, dev, napi, icr);
            IrqReturn::Handled
        });
        handled.unwrap_or(IrqReturn::None)
    }

    #[inline]
    fn poll(
        dev: &net::Device,
        this: &Self,
        rx: &mut RxState,
        ctx: &mut PollContext<'_, TxState>,
        napi: &Napi,
        budget: usize,
    ) -> usize {
        // one access for the whole poll; none left: nothing to do
        let work = this.hw.access(|hw| {
            Self::tx_complete(hw, dev, ctx);
            let work = this.clean_rx(hw, dev, ctx, rx, budget);
            if work < budget && napi.complete_done(work) {
                hw.write32::<IMS>(uapi::E1000_IMS_RX);
            }
            work
        });
        // revoked: the device is gone; complete, so nothing polls again
        work.unwrap_or_else(|_| {
            napi.complete_done(0);
            0
        })
    }
}

/// Global reset (8254x manual 14.4): quiesce receive and transmit, set
/// CTRL.RST, wait for it to clear, mask everything again.
fn reset_hw(hw: &Regs) -> Result {
    hw.write32::<IMC>(!0);
    hw.read32::<ICR>();
    hw.write32::<RCTL>(0);
    hw.write32::<TCTL>(uapi::E1000_TCTL_PSP);
    hw.read32::<STATUS>(); // flush the writes
    mdelay(1);
    hw.write32::<CTRL>(hw.read32::<CTRL>() | uapi::E1000_CTRL_RST);
    for _ in 0..10 {
        mdelay(1);
        if hw.read32::<CTRL>() & uapi::E1000_CTRL_RST == 0 {
            hw.write32::<IMC>(!0);
            hw.read32::<ICR>();
            return Ok(());
        }
    }
    Err(ETIMEDOUT)
}

/// The MAC address: EEPROM words 0-2, else what RAL0/RAH0 hold.
fn read_mac(hw: &Regs) -> Result<[u8; 6]> {
    let mut mac = [0u8; 6];
    for word in 0..3u32 {
        hw.write32::<EERD>(word << uapi::E1000_EERD_ADDR_SHIFT | uapi::E1000_EERD_START);
        let mut v = hw.read32::<EERD>();
        for _ in 0..1000 {
            if v & uapi::E1000_EERD_DONE != 0 {
                break;
            }
            udelay(1);
            v = hw.read32::<EERD>();
        }
        if v & uapi::E1000_EERD_DONE == 0 {
            break;
        }
        mac[2 * word as usize..2 * word as usize + 2]
            .copy_from_slice(&((v >> uapi::E1000_EERD_DATA_SHIFT) as u16).to_le_bytes());
    }
    if mac[0] & 1 == 0 && mac != [0; 6] {
        return Ok(mac);
    }
    let ral = hw.read32::<RAL0>().to_le_bytes();
    let rah = hw.read32::<RAH0>().to_le_bytes();
    mac = [ral[0], ral[1], ral[2], ral[3], rah[0], rah[1]];
    if mac[0] & 1 == 0 && mac != [0; 6] {
        Ok(mac)
    } else {
        Err(EIO)
    }
}

struct E1000Rs;

#[vtable]
impl pci::Driver for E1000Rs {
    type Data = net::Registration<E1000>;
    const NAME: &'static CStr = c"e1000_rs";
    const ID_TABLE: pci::IdTable = pci::IdTable::new(&[
        pci::DeviceId::new(0x8086, 0x100e), // 82540EM, QEMU's "e1000"
        pci::DeviceId::END,
    ]);

    fn probe(pdev: &pci::Device, _id: &pci::DeviceId) -> Result<Self::Data> {
        let irq = pdev.irq().ok_or(ENXIO)?;
        pdev.enable_device()?;
        pdev.set_master();
        let hw: Hw = pdev.iomap_bar(0)?;
        let mac = hw.access(|r| reset_hw(r).and_then(|()| read_mac(r)))??;
        let mii = phy::MdioBus::new(pdev, Mdio { hw: pdev.iomap_bar(0)? })?;
        let data = E1000 {
            hw,
            mii,
            rx_stats: RxCounters::default(),
            tx_stats: TxCounters::default(),
            hw_stats: SpinLock::new(HwStats::default()),
        };
        net::Registration::new(pdev, mac, irq, c"e1000_rs", data)
    }
}
