// SPDX-License-Identifier: MIT
//! panic_screen: when the kernel panics, draw a screen a person can
//! photograph: a header, the panic message, the backtrace, and a QR code
//! holding as much of the end of the kernel log as fits.
//!
//! Two data modes (`panic.qr=`, parsed in C and passed in the report):
//!
//! - **plain**: the newest log bytes, as one byte segment;
//! - **zlib**: the longest log tail whose zlib stream fits, turned into
//!   digits in a numeric segment after the `panic.qr_url=` URL (a byte
//!   segment), as Linux's drm_panic does. `tools/panic-qr-decode.py`
//!   turns the decoded text back into the log.
//!
//! `panic.qr_version=` caps the symbol size (default 40). Every buffer is
//! allocated when the module starts; at panic time the writer takes them
//! with a try-lock (another CPU cannot hold it: panic() stopped them and
//! only one panic draws), so the panic path allocates nothing and waits
//! for nothing. The QR code is as large as the screen allows next to a
//! text column of at least 32 characters. docs/panic.md has the details.

#![no_std]
#![forbid(unsafe_code)]

use core::fmt::Write;
use kernel::fb::{
    self, DrawStats, Framebuffer, PanicReport, PanicScreen, PanicScreenRegistration, QrMode, Rgb,
    FONT_HEIGHT, FONT_WIDTH,
};
use kernel::prelude::*;
use kernel::print::{log_tail, MsgBuf};
use kernel::sync::SpinLock;
use kernel::time::ktime_get_ns;
use qr::{Ecc, Segment};

module! {
    type: PanicScreenModule,
    name: "panic_screen",
    author: "keel developers",
    description: "panic screen with a QR code of the kernel log",
    license: "MIT",
}

/// The log ring's size (keel/printk.h LOG_BUF_SIZE): the most there is.
const LOG_MAX: usize = 1 << 16;
/// Room for the compressed tail (a version-40 symbol holds under 3 KiB).
const Z_MAX: usize = 4096;
/// Modules of light margin around the symbol (the standard's minimum).
const QUIET: u32 = 4;
/// The text column keeps at least this many characters.
const TEXT_MIN_COLS: u32 = 32;
/// Binary search on the tail length stops this close to the best.
const TAIL_GRANULE: usize = 32;

const BG: Rgb = 0x00_00_00;
const FG: Rgb = 0xc0_c0_c0;
const BRIGHT: Rgb = 0xff_ff_ff;
const HEAD_BG: Rgb = 0xa0_00_00;
const DIM: Rgb = 0x80_80_80;
const QR_LIGHT: Rgb = 0xff_ff_ff;
const QR_DARK: Rgb = 0x00_00_00;

struct Buffers {
    log: KVec<u8>,
    z: KVec<u8>,
    qr: KVec<u8>,
    work: KVec<u32>,
}

struct Writer {
    bufs: SpinLock<Buffers>,
}

/// A vector of `n` default values.
fn filled<T: Copy + Default>(n: usize) -> Result<KVec<T>> {
    let mut v = KVec::with_capacity(n, GFP_KERNEL)?;
    let chunk = [T::default(); 64];
    while v.len() < n {
        let k = (n - v.len()).min(chunk.len());
        v.extend_from_slice(&chunk[..k], GFP_KERNEL)?;
    }
    Ok(v)
}

/// The largest `n <= hi` with `ok(n)`, for `ok` true up to some point.
fn largest(hi: usize, ok: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, hi + 1); // ok(lo) holds, ok(hi) does not
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The longest tail of `log` whose zlib stream fits in `out`, within
/// TAIL_GRANULE bytes: returns (tail length, stream length), the stream
/// left in `out`.
fn fit_tail(log: &[u8], out: &mut [u8], work: &mut [u32]) -> Result<(usize, usize)> {
    let tail = |t: usize| &log[log.len() - t..];
    let mut try_len = |t: usize| deflate::compress(tail(t), out, work);
    if let Ok(n) = try_len(log.len()) {
        return Ok((log.len(), n));
    }
    let (mut lo, mut hi) = (0, log.len());
    while hi - lo > TAIL_GRANULE {
        let mid = lo + (hi - lo) / 2;
        match try_len(mid) {
            Ok(_) => lo = mid,
            Err(deflate::Error::OutputFull) => hi = mid,
            Err(deflate::Error::WorkTooSmall) => return Err(EINVAL),
        }
    }
    let n = try_len(lo).map_err(|_| ENOSPC)?;
    Ok((lo, n))
}

/// Lines of text in the column left of the QR code.
struct Text<'a> {
    fb: &'a Framebuffer,
    cols: u32,
    rows: u32,
    row: u32,
    col: u32,
}

impl Text<'_> {
    fn put(&mut self, s: &[u8], fg: Rgb) {
        self.put_on(s, fg, BG);
    }

    fn put_on(&mut self, s: &[u8], fg: Rgb, bg: Rgb) {
        for &c in s {
            if c == b'\n' {
                self.newline();
                continue;
            }
            if self.col == self.cols {
                self.newline();
            }
            if self.row < self.rows {
                let c = if c.is_ascii_graphic() || c == b' ' { c } else { b'?' };
                let (x, y) = (self.col * FONT_WIDTH, self.row * FONT_HEIGHT);
                let _ = self.fb.draw_glyph(x, y, c, fg, bg);
            }
            self.col += 1;
        }
    }

    fn line(&mut self, s: &[u8], fg: Rgb) {
        self.put(s, fg);
        self.newline();
    }

    fn newline(&mut self) {
        self.row += 1;
        self.col = 0;
    }
}

/// Where the symbol goes: (x, y, pixels per module).
fn qr_place(fb: &Framebuffer, modules: u32) -> Option<(u32, u32, u32)> {
    let (w, h) = (fb.width(), fb.height());
    let side = modules + 2 * QUIET;
    let room = h.min(w.saturating_sub(TEXT_MIN_COLS * FONT_WIDTH));
    let scale = room / side;
    if scale == 0 {
        return None;
    }
    let px = side * scale;
    Some((w - px, (h - px) / 2, scale))
}

fn draw_qr(fb: &Framebuffer, code: &qr::QrCode<'_>, x0: u32, y0: u32, scale: u32) -> Result {
    let side = code.size() as u32 + 2 * QUIET;
    fb.fill_rect(x0, y0, side * scale, side * scale, QR_LIGHT)?;
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.is_dark(x, y) {
                let px = x0 + (x as u32 + QUIET) * scale;
                let py = y0 + (y as u32 + QUIET) * scale;
                fb.fill_rect(px, py, scale, scale, QR_DARK)?;
            }
        }
    }
    Ok(())
}

fn draw_text(fb: &Framebuffer, report: &PanicReport<'_>, cols: u32, stats: &DrawStats) {
    let _ = fb.fill_rect(0, 0, cols * FONT_WIDTH, FONT_HEIGHT, HEAD_BG);
    let mut t = Text { fb, cols, rows: fb.height() / FONT_HEIGHT, row: 0, col: 0 };
    t.put_on(b" KERNEL PANIC - keel cannot go on", BRIGHT, HEAD_BG);
    t.newline();
    t.newline();
    t.line(b"Kernel panic - not syncing:", FG);
    t.line(report.message(), BRIGHT);
    if report.in_irq() {
        t.line(b"(in an interrupt handler)", FG);
    }
    t.newline();
    t.line(b"Call trace:", FG);
    let mut sym = [0u8; 96];
    for &addr in report.trace() {
        t.put(b" ", FG);
        // a return address points after the call: name the call
        t.line(fb::symbolize(addr.wrapping_sub(1), &mut sym), FG);
    }
    t.newline();
    let mut info = MsgBuf::<160>::new();
    let mode = match report.qr_mode() {
        QrMode::Plain => "plain text",
        QrMode::Zlib => "zlib, as digits after the URL",
    };
    let _ = write!(
        info,
        "QR code (version {}): the last {} bytes of the kernel log, {}.",
        stats.qr_version, stats.log_bytes, mode
    );
    t.line(info.as_bytes(), DIM);
    t.line(b"Decode a photo: tools/panic-qr-decode.py (docs/panic.md)", DIM);
}

impl Writer {
    fn render(&self, fb: &Framebuffer, report: &PanicReport<'_>) -> Result<DrawStats> {
        let mut guard = self.bufs.try_lock().ok_or(EBUSY)?;
        let Buffers { log, z, qr, work } = &mut *guard;
        let maxv = report.qr_max_version();
        let url = report.qr_url();
        let t0 = ktime_get_ns();
        let mut stats = DrawStats::default();
        let mut segs = [Segment::Bytes(b""), Segment::Bytes(b"")];
        let nsegs = match report.qr_mode() {
            QrMode::Plain => {
                let cap =
                    largest(log.len(), |n| qr::fits(&[Segment::Bytes(&log[..n])], maxv, Ecc::Low));
                let n = log_tail(&mut log[..cap]);
                stats.log_bytes = n as u32;
                stats.payload_bytes = n as u32;
                segs[0] = Segment::Bytes(&log[..n]);
                1
            }
            QrMode::Zlib => {
                let n = log_tail(&mut log[..]);
                let with_url = |c: usize| {
                    let digits = Segment::BinaryDigits(&z[..c]);
                    if url.is_empty() {
                        qr::fits(&[digits], maxv, Ecc::Low)
                    } else {
                        qr::fits(&[Segment::Bytes(url), digits], maxv, Ecc::Low)
                    }
                };
                let zcap = largest(z.len(), with_url);
                let (tail, zlen) = fit_tail(&log[..n], &mut z[..zcap], work)?;
                stats.log_bytes = tail as u32;
                stats.payload_bytes = zlen as u32;
                let digits = Segment::BinaryDigits(&z[..zlen]);
                if url.is_empty() {
                    segs[0] = digits;
                    1
                } else {
                    segs = [Segment::Bytes(url), digits];
                    2
                }
            }
        };
        let t1 = ktime_get_ns();
        let code = qr::encode(&segs[..nsegs], Ecc::Low, 1, maxv, None, qr).map_err(|_| ENOSPC)?;
        let t2 = ktime_get_ns();
        stats.qr_version = code.version() as u32;
        fb.fill_rect(0, 0, fb.width(), fb.height(), BG)?;
        let text_px = match qr_place(fb, code.size() as u32) {
            Some((x, y, scale)) => {
                draw_qr(fb, &code, x, y, scale)?;
                x
            }
            None => {
                stats.qr_version = 0;
                fb.width()
            }
        };
        draw_text(fb, report, text_px / FONT_WIDTH, &stats);
        let t3 = ktime_get_ns();
        stats.compress_ns = t1 - t0;
        stats.encode_ns = t2 - t1;
        stats.draw_ns = t3 - t2;
        Ok(stats)
    }
}

impl PanicScreen for Writer {
    fn draw(&self, fb: &Framebuffer, report: &PanicReport<'_>) -> Result<DrawStats> {
        self.render(fb, report)
    }
}

struct PanicScreenModule {
    _reg: Option<PanicScreenRegistration<Writer>>,
}

impl Module for PanicScreenModule {
    fn init() -> Result<Self> {
        if Framebuffer::primary().is_none() {
            pr_info!("panic_screen: no framebuffer; panics are reported on serial only\n");
            return Ok(PanicScreenModule { _reg: None });
        }
        let bufs = Buffers {
            log: filled(LOG_MAX)?,
            z: filled(Z_MAX)?,
            qr: filled(qr::buffer_len(qr::MAX_VERSION))?,
            work: filled(deflate::WORK_WORDS)?,
        };
        let kib = (LOG_MAX + Z_MAX + qr::buffer_len(40) + deflate::WORK_WORDS * 4) >> 10;
        let writer = Writer { bufs: SpinLock::new(bufs) };
        let reg = PanicScreenRegistration::register(writer, GFP_KERNEL)?;
        pr_info!("panic_screen: ready, {} KiB of buffers set aside\n", kib);
        Ok(PanicScreenModule { _reg: Some(reg) })
    }
}
