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
use kernel::{dma_read, dma_write};

kernel::module_pci_driver! {
    type: E1000Rs,
    name: "e1000_rs",
    author: "keel developers",
    description: "Intel 82540EM (e1000) network driver, in Rust",
    license: "MIT",
}

const MMIO_SIZE: usize = 0x20000;
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

// Registers (byte offsets in BAR0); see drivers/net/e1000_hw.h.
const CTRL: usize = 0x0000;
const STATUS: usize = 0x0008;
const EERD: usize = 0x0014;
const MDIC: usize = 0x0020;
const ICR: usize = 0x00c0;
const IMS: usize = 0x00d0;
const IMC: usize = 0x00d8;
const RCTL: usize = 0x0100;
const TCTL: usize = 0x0400;
const TIPG: usize = 0x0410;
const RDBAL: usize = 0x2800;
const RDBAH: usize = 0x2804;
const RDLEN: usize = 0x2808;
const RDH: usize = 0x2810;
const RDT: usize = 0x2818;
const RDTR: usize = 0x2820;
const TDBAL: usize = 0x3800;
const TDBAH: usize = 0x3804;
const TDLEN: usize = 0x3808;
const TDH: usize = 0x3810;
const TDT: usize = 0x3818;
const MPC: usize = 0x4010;
const ROC: usize = 0x40ac;
const MTA: usize = 0x5200;
const RAL0: usize = 0x5400;
const RAH0: usize = 0x5404;

const CTRL_SLU: u32 = 1 << 6;
const CTRL_RST: u32 = 1 << 26;
const EERD_START: u32 = 1;
const EERD_DONE: u32 = 1 << 4;
const MDIC_OP_WRITE: u32 = 1 << 26;
const MDIC_OP_READ: u32 = 1 << 27;
const MDIC_READY: u32 = 1 << 28;
const MDIC_ERROR: u32 = 1 << 30;
const ICR_TXDW: u32 = 1 << 0;
const ICR_LSC: u32 = 1 << 2;
const ICR_RXDMT0: u32 = 1 << 4;
const ICR_RXO: u32 = 1 << 6;
const ICR_RXT0: u32 = 1 << 7;
const IMS_RX: u32 = ICR_RXT0 | ICR_RXO | ICR_RXDMT0;
const RCTL_EN: u32 = 1 << 1;
const RCTL_BAM: u32 = 1 << 15;
const RCTL_SECRC: u32 = 1 << 26;
const TCTL_EN: u32 = 1 << 1;
const TCTL_PSP: u32 = 1 << 3;
const TCTL_CT: u32 = 0x0f << 4;
const TCTL_COLD: u32 = 0x40 << 12;
const TIPG_DEFAULT: u32 = 0x0060_200a;
const RAH_AV: u32 = 1 << 31;

const RXD_STAT_DD: u8 = 1 << 0;
const RXD_STAT_EOP: u8 = 1 << 1;
const TXD_CMD_EOP: u8 = 1 << 0;
const TXD_CMD_IFCS: u8 = 1 << 1;
const TXD_CMD_RS: u8 = 1 << 3;
const TXD_STAT_DD: u8 = 1 << 0;

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
        if v & MDIC_ERROR != 0 {
            return Err(EIO);
        }
        if v & MDIC_READY != 0 {
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
        let cmd = u32::from(reg) << 16 | u32::from(addr) << 21 | MDIC_OP_READ;
        self.hw.access(|hw| mdic(hw, cmd))?
    }

    fn write(&self, addr: u8, reg: u8, val: u16) -> Result {
        let cmd = u32::from(val) | u32::from(reg) << 16 | u32::from(addr) << 21;
        self.hw.access(|hw| mdic(hw, cmd | MDIC_OP_WRITE).map(|_| ()))?
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
        if icr & ICR_LSC != 0 {
            dev.phy_mac_interrupt();
        }
        // TXDW is always latched; it only matters with the queue stopped
        if icr & IMS_RX != 0 || (icr & ICR_TXDW != 0 && dev.queue_stopped()) {
            hw.write32::<IMC>(IMS_RX);
            napi.schedule();
        }
    }

    fn irq_disable(hw: &Regs) {
        hw.write32::<IMC>(!0);
        hw.read32::<ICR>();
    }

    /// Station address, no multicast, link forced up on the MAC side.
    fn configure_mac(hw: &Regs, mac: &[u8; 6]) {
        hw.write32::<CTRL>(hw.read32::<CTRL>() | CTRL_SLU);
        for i in 0..128 {
            let _ = hw.try_write32(MTA + 4 * i, 0);
        }
        hw.write32::<RAL0>(u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]));
        hw.write32::<RAH0>(u32::from(mac[4]) | u32::from(mac[5]) << 8 | RAH_AV);
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
        hw.write32::<RCTL>(RCTL_EN | RCTL_BAM | RCTL_SECRC);
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
        hw.write32::<TIPG>(TIPG_DEFAULT);
        hw.write32::<TCTL>(TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
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
            hw.write32::<IMC>(ICR_TXDW);
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
            this.hw.access(|hw| hw.write32::<IMS>(IMS_RX | ICR_LSC))?;
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
            let _ = this.hw.access(|hw| hw.write32::<IMS>(ICR_TXDW));
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
                hw.write32::<IMS>(IMS_RX);
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
    hw.write32::<TCTL>(TCTL_PSP);
    hw.read32::<STATUS>(); // flush the writes
    mdelay(1);
    hw.write32::<CTRL>(hw.read32::<CTRL>() | CTRL_RST);
    for _ in 0..10 {
        mdelay(1);
        if hw.read32::<CTRL>() & CTRL_RST == 0 {
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
        hw.write32::<EERD>(word << 8 | EERD_START);
        let mut v = hw.read32::<EERD>();
        for _ in 0..1000 {
            if v & EERD_DONE != 0 {
                break;
            }
            udelay(1);
            v = hw.read32::<EERD>();
        }
        if v & EERD_DONE == 0 {
            break;
        }
        mac[2 * word as usize..2 * word as usize + 2]
            .copy_from_slice(&((v >> 16) as u16).to_le_bytes());
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
