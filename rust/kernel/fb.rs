// SPDX-License-Identifier: MIT
//! Framebuffers and the panic screen (C: `keel/fb.h`, `keel/panic.h`).
//!
//! [`Framebuffer`] is a safe view of the C `struct fb_info`: every pixel
//! or rectangle write is checked against the visible area and fails with
//! `ERANGE` instead of touching memory outside the mapping. A registered
//! framebuffer lives as long as the kernel (C never unregisters one), so
//! the view is `'static` and can be kept by a driver.
//!
//! [`PanicScreen`] is what a panic-screen writer implements;
//! [`PanicScreenRegistration`] installs it in the C slot that `panic()`
//! calls, with a [`PanicReport`] (message, backtrace, context, the
//! `panic.qr*` options). The writer runs with interrupts off, maybe in
//! interrupt context: it must not allocate, sleep or wait for a lock.
//!
//! The console font used by C's fbcon is here too ([`glyph`]), so the
//! panic screen draws text with the same 8x16 glyphs.
//!
//! This module holds all of the `unsafe` the panic screen needs; the
//! writer itself (`drivers/video/panic_screen.rs`) has none.

use crate::alloc::{Flags, KBox};
use crate::error::{code::*, to_result, Result};
use crate::types::Opaque;
use core::ffi::{c_int, c_void, CStr};
use core::ptr::NonNull;

/// Width of a font glyph in pixels.
pub const FONT_WIDTH: u32 = bindings::FONT_WIDTH;
/// Height of a font glyph in pixels.
pub const FONT_HEIGHT: u32 = bindings::FONT_HEIGHT;

/// The 16 rows of the 8x16 glyph of `c` (bit 7 is the leftmost pixel).
pub fn glyph(c: u8) -> &'static [u8; 16] {
    // SAFETY: `font_8x16` is an initialized constant table (generated C)
    // that nothing writes; a shared reference to one row is sound.
    unsafe { &bindings::font_8x16[c as usize] }
}

/// A pixel colour, 0x00RRGGBB.
pub type Rgb = u32;

/// The primary framebuffer: XRGB8888 pixels, `pitch` bytes per row.
///
/// ```
/// use kernel::fb::{Framebuffer, FONT_HEIGHT, FONT_WIDTH};
/// use kernel::prelude::*;
///
/// let fb = Framebuffer::primary().ok_or(ENODEV)?; // QEMU's VGA
/// // a red "K" in the bottom right corner, on black
/// let (x, y) = (fb.width() - FONT_WIDTH, fb.height() - FONT_HEIGHT);
/// fb.draw_glyph(x, y, b'K', 0xff0000, 0)?;
/// assert_eq!(fb.pixel(x, y), Ok(0)); // the glyph's top row is blank
/// fb.put_pixel(x, y, 0x00ff00)?;
/// assert_eq!(fb.pixel(x, y), Ok(0x00ff00));
/// // nothing is drawn off screen
/// assert_eq!(fb.put_pixel(fb.width(), 0, 0xffffff), Err(ERANGE));
/// assert_eq!(fb.fill_rect(x, y, FONT_WIDTH + 1, 1, 0), Err(ERANGE));
/// # fb.fill_rect(x, y, FONT_WIDTH, FONT_HEIGHT, 0)?;
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `base` is 4-byte aligned and maps at least `stride * 4 * height`
/// bytes of pixels while the value or a copy of it may be used, and
/// `width <= stride`. For the primary framebuffer that is forever: a
/// registered `fb_info` never changes or goes away, and fb_register
/// checked `pitch >= 4 * width` and `pitch * height <= size` (the
/// alignment and `pitch % 4 == 0` are checked by `from_info`).
#[derive(Clone, Copy)]
pub struct Framebuffer {
    base: NonNull<u32>,
    width: u32,
    height: u32,
    stride: usize, // pitch in pixels
}

// SAFETY: the pixels are device memory that any CPU may write; a write
// is one volatile store of a u32 inside the mapping, so concurrent
// writers can garble the picture but not memory safety.
unsafe impl Send for Framebuffer {}
// SAFETY: a `&Framebuffer` gives only what a copy of it gives (it is
// `Copy`): single aligned volatile u32 loads and stores inside the
// mapping, which may race with other CPUs' without making any value
// invalid (every u32 is a pixel) or touching memory outside it.
unsafe impl Sync for Framebuffer {}

impl Framebuffer {
    /// The primary framebuffer, or `None` when there is no display.
    pub fn primary() -> Option<Framebuffer> {
        // SAFETY: fb_get_primary() takes no arguments and returns NULL or
        // a registered fb_info, which is never freed or changed again.
        let info = unsafe { bindings::fb_get_primary().as_ref()? };
        // SAFETY: a registered fb_info: fb_register() checked that
        // pitch >= 4 * width and that pitch * height <= size, the bytes
        // mapped at base, and a registered framebuffer is never unmapped.
        unsafe { Self::from_info(info) }
    }

    /// The view of `info`, or `None` unless it is XRGB8888 with a
    /// 4-byte aligned base and a pitch that is a whole number of pixels.
    ///
    /// # Safety
    /// `info.base` maps `info.pitch * info.height` bytes for as long as
    /// the view (or a copy of it) is used, and `info.pitch >= 4 *
    /// info.width` (what fb_register checks of a registered one).
    unsafe fn from_info(info: &bindings::fb_info) -> Option<Framebuffer> {
        if info.format != bindings::fb_format::FB_FORMAT_XRGB8888
            || !info.pitch.is_multiple_of(4)
            || !(info.base as usize).is_multiple_of(4)
        {
            return None;
        }
        Some(Framebuffer {
            base: NonNull::new(info.base.cast::<u32>())?,
            width: info.width,
            height: info.height,
            stride: info.pitch as usize / 4,
        })
    }

    /// Visible width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Visible height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    fn check(&self, x: u32, y: u32, w: u32, h: u32) -> Result {
        let right = x.checked_add(w).ok_or(ERANGE)?;
        let bottom = y.checked_add(h).ok_or(ERANGE)?;
        if right <= self.width && bottom <= self.height {
            Ok(())
        } else {
            Err(ERANGE)
        }
    }

    /// Stores `rgb` at a pixel the caller checked is visible.
    fn store(&self, x: u32, y: u32, rgb: Rgb) {
        let off = y as usize * self.stride + x as usize;
        // SAFETY: callers pass x < width and y < height (checked), so
        // `off` < stride * height: inside the mapping at base, 4-byte
        // aligned (type invariant); the store is one volatile u32.
        unsafe { self.base.as_ptr().add(off).write_volatile(rgb) }
    }

    /// Sets pixel (x, y); `ERANGE` if it is off screen.
    pub fn put_pixel(&self, x: u32, y: u32, rgb: Rgb) -> Result {
        self.check(x, y, 1, 1)?;
        self.store(x, y, rgb);
        Ok(())
    }

    /// Reads pixel (x, y); `ERANGE` if it is off screen.
    pub fn pixel(&self, x: u32, y: u32) -> Result<Rgb> {
        self.check(x, y, 1, 1)?;
        let off = y as usize * self.stride + x as usize;
        // SAFETY: check() made x < width <= stride and y < height, so
        // `off` < stride * height u32s: inside the mapping at base, which
        // is 4-byte aligned (type invariant); a volatile load of any
        // bits is a valid u32.
        Ok(unsafe { self.base.as_ptr().add(off).read_volatile() })
    }

    /// Fills the `w` x `h` rectangle at (x, y); `ERANGE` (and nothing
    /// drawn) unless all of it is on screen.
    pub fn fill_rect(&self, x: u32, y: u32, w: u32, h: u32, rgb: Rgb) -> Result {
        self.check(x, y, w, h)?;
        for row in y..y + h {
            for col in x..x + w {
                self.store(col, row, rgb);
            }
        }
        Ok(())
    }

    /// Draws the glyph of `c` with its top-left corner at (x, y);
    /// `ERANGE` (and nothing drawn) unless the whole cell is on screen.
    pub fn draw_glyph(&self, x: u32, y: u32, c: u8, fg: Rgb, bg: Rgb) -> Result {
        self.check(x, y, FONT_WIDTH, FONT_HEIGHT)?;
        for (dy, bits) in glyph(c).iter().enumerate() {
            for dx in 0..FONT_WIDTH {
                let on = bits & (0x80 >> dx) != 0;
                self.store(x + dx, y + dy as u32, if on { fg } else { bg });
            }
        }
        Ok(())
    }
}

/// The QR data mode chosen with `panic.qr=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrMode {
    /// The log tail as bytes.
    Plain,
    /// A URL, then the zlib-compressed log tail as digits.
    Zlib,
}

/// What `panic()` tells the panic screen.
pub struct PanicReport<'a>(&'a bindings::panic_report);

impl PanicReport<'_> {
    /// The panic message.
    pub fn message(&self) -> &[u8] {
        // SAFETY: C sets `msg` to a NUL-terminated string that outlives
        // the report (panic()'s own buffer).
        unsafe { CStr::from_ptr(self.0.msg) }.to_bytes()
    }

    /// Return addresses of the panicking stack, innermost first.
    pub fn trace(&self) -> &[usize] {
        let n = (self.0.nr_trace as usize).min(self.0.trace.len());
        // `unsigned long` is usize on x86_64.
        let t: &[core::ffi::c_ulong] = &self.0.trace[..n];
        // SAFETY: c_ulong and usize have the same size and alignment on
        // this target, and the slice stays borrowed from the report.
        unsafe { core::slice::from_raw_parts(t.as_ptr().cast::<usize>(), t.len()) }
    }

    /// Whether the panic happened in a hard-IRQ handler.
    pub fn in_irq(&self) -> bool {
        self.0.in_irq
    }

    /// `ktime_get_ns()` when panic() began.
    pub fn start_ns(&self) -> u64 {
        self.0.start_ns
    }

    /// The QR data mode.
    pub fn qr_mode(&self) -> QrMode {
        match self.0.qr_mode {
            bindings::panic_qr_mode::PANIC_QR_ZLIB => QrMode::Zlib,
            _ => QrMode::Plain,
        }
    }

    /// The largest QR version allowed, 1..=40.
    pub fn qr_max_version(&self) -> u8 {
        self.0.qr_max_version.clamp(1, 40) as u8
    }

    /// The URL placed before the compressed digits (may be empty).
    pub fn qr_url(&self) -> &[u8] {
        if self.0.qr_url.is_null() {
            return b"";
        }
        // SAFETY: a NUL-terminated static buffer (the panic.qr_url option).
        unsafe { CStr::from_ptr(self.0.qr_url) }.to_bytes()
    }
}

/// Formats `addr` as "function+0xoff/0xsize" (or a hex address) into
/// `buf`; returns the text.
pub fn symbolize(addr: usize, buf: &mut [u8]) -> &[u8] {
    if buf.is_empty() {
        return buf;
    }
    // SAFETY: kallsyms_format writes at most buf.len() bytes, NUL
    // included, and only reads the kernel's constant symbol table.
    unsafe { bindings::kallsyms_format(addr as _, buf.as_mut_ptr().cast(), buf.len()) };
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    &buf[..end]
}

/// Numbers a writer reports about one drawing.
#[derive(Clone, Copy, Debug, Default)]
pub struct DrawStats {
    /// QR version drawn (0: none).
    pub qr_version: u32,
    /// Newest log bytes the QR code holds.
    pub log_bytes: u32,
    /// Bytes in the data segment (compressed bytes in zlib mode).
    pub payload_bytes: u32,
    /// Time spent choosing the tail and compressing, in ns.
    pub compress_ns: u64,
    /// Time spent in QR encoding, in ns.
    pub encode_ns: u64,
    /// Time spent drawing, in ns.
    pub draw_ns: u64,
}

/// A panic-screen writer.
///
/// A writer that prints the panic message in white on red, one glyph per
/// byte (what panic() would show if it called it):
///
/// ```
/// use kernel::fb::{DrawStats, Framebuffer, PanicReport, PanicScreen, PanicScreenRegistration, Rgb};
/// use kernel::prelude::*;
///
/// struct Plain;
///
/// impl PanicScreen for Plain {
///     fn draw(&self, fb: &Framebuffer, report: &PanicReport<'_>) -> Result<DrawStats> {
///         // the panic path: no allocation, no sleeping, no locks
///         let red: Rgb = 0xaa_00_00;
///         fb.fill_rect(0, 0, fb.width(), fb.height(), red)?;
///         for (i, &c) in report.message().iter().enumerate().take((fb.width() / 8) as usize) {
///             fb.draw_glyph(i as u32 * 8, 0, c, 0xff_ff_ff, red)?;
///         }
///         Ok(DrawStats::default())
///     }
/// }
///
/// // One writer at a time: in this kernel keel's own panic screen
/// // (drivers/video/panic_screen.rs) holds the slot, if it found a display.
/// match PanicScreenRegistration::register(Plain, GFP_KERNEL) {
///     Err(e) => assert_eq!(e, EBUSY),
///     Ok(reg) => drop(reg), // installed; dropping it waits for draws and removes it
/// }
/// # Ok::<(), Error>(())
/// ```
pub trait PanicScreen: Send + Sync + 'static {
    /// Draws the screen for `report` on `fb`. Runs in the panic path:
    /// no allocation, no sleeping, no waiting for locks.
    fn draw(&self, fb: &Framebuffer, report: &PanicReport<'_>) -> Result<DrawStats>;
}

/// The writer and the C entry that points at it, in one allocation.
///
/// # Invariants
/// `entry.cookie` is the address of this `Slot` and `entry.fn_` is
/// `trampoline::<T>`; neither changes while the entry is registered.
struct Slot<T: PanicScreen> {
    entry: Opaque<bindings::panic_screen>,
    writer: T,
}

/// A writer installed in panic()'s slot; removed on drop.
///
/// # Invariants
/// `slot.entry` is installed in C's panic-screen slot from `register`
/// until `drop` has unregistered it; `panic_screen_unregister` returns
/// only when no draw that may have seen the entry still runs, so the box
/// is freed after every call into `writer` has returned. If the
/// registration is forgotten (`mem::forget`), the box is leaked and
/// stays valid for C forever.
pub struct PanicScreenRegistration<T: PanicScreen> {
    slot: KBox<Slot<T>>,
}

// SAFETY: after `register` the C entry is only read (by panic()), never
// written, so moving the registration to another task is moving a
// `KBox<T>`, which is sound for `T: Send`; unregistering (in `drop`) is
// allowed on any CPU in any context that may spin.
unsafe impl<T: PanicScreen> Send for PanicScreenRegistration<T> {}
// SAFETY: `&PanicScreenRegistration` gives out only `&T` (`writer()`),
// and `T: Sync`.
unsafe impl<T: PanicScreen> Sync for PanicScreenRegistration<T> {}

extern "C" fn trampoline<T: PanicScreen>(
    cookie: *mut c_void,
    report: *const bindings::panic_report,
    res: *mut bindings::panic_screen_result,
) -> c_int {
    // SAFETY: C calls this only through an entry `register` installed, so
    // `cookie` is the address of a live `Slot<T>` (type invariant of
    // `Slot`), kept alive until unregistering has waited for this call
    // (invariant of `PanicScreenRegistration`); only shared references
    // are made to it. C passes a report valid for the call and a result
    // that nothing else touches during it.
    let (slot, report, res) = unsafe { (&*cookie.cast::<Slot<T>>(), &*report, &mut *res) };
    let Some(fb) = Framebuffer::primary() else {
        return ENODEV.to_errno();
    };
    match slot.writer.draw(&fb, &PanicReport(report)) {
        Ok(s) => {
            res.qr_version = s.qr_version;
            res.log_bytes = s.log_bytes;
            res.payload_bytes = s.payload_bytes;
            res.compress_ns = s.compress_ns;
            res.encode_ns = s.encode_ns;
            res.draw_ns = s.draw_ns;
            0
        }
        Err(e) => e.to_errno(),
    }
}

impl<T: PanicScreen> PanicScreenRegistration<T> {
    /// Installs `writer`: `EBUSY` if another one is installed, `ENOMEM`.
    pub fn register(writer: T, flags: Flags) -> Result<Self> {
        let empty = bindings::panic_screen { fn_: None, cookie: core::ptr::null_mut() };
        let slot = KBox::new(Slot { entry: Opaque::new(empty), writer }, flags)?;
        let entry = slot.entry.get();
        // SAFETY: `entry` points into the box we own and nothing else
        // knows it yet; the cookie is the box's address, which stays put
        // while the box lives (the `Slot` invariant).
        unsafe {
            (*entry).fn_ = Some(trampoline::<T>);
            (*entry).cookie = (&*slot as *const Slot<T>).cast_mut().cast();
        }
        // SAFETY: `entry` is fully set up and stays valid and unchanged
        // until `drop` unregisters it (or forever, if forgotten).
        to_result(unsafe { bindings::panic_screen_register(entry) })?;
        Ok(PanicScreenRegistration { slot })
    }

    /// The writer.
    pub fn writer(&self) -> &T {
        &self.slot.writer
    }
}

impl<T: PanicScreen> Drop for PanicScreenRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: removes exactly the entry `register` installed and waits
        // until no draw that may have seen it still runs; the box is freed
        // only after this returns.
        unsafe { bindings::panic_screen_unregister(self.slot.entry.get()) };
    }
}

#[crate::ktest(rust_fb)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    #[test]
    fn writes_are_bounds_checked(t: &mut Test) {
        let Some(fb) = Framebuffer::primary() else {
            t.skip(c"no framebuffer");
            return;
        };
        let (w, h) = (fb.width(), fb.height());
        crate::kt_expect_eq!(t, fb.put_pixel(w, 0, 1), Err(ERANGE));
        crate::kt_expect_eq!(t, fb.put_pixel(0, h, 1), Err(ERANGE));
        crate::kt_expect_eq!(t, fb.fill_rect(w - 1, 0, 2, 1, 1), Err(ERANGE));
        crate::kt_expect_eq!(t, fb.fill_rect(0, 0, 1, u32::MAX, 1), Err(ERANGE));
        crate::kt_expect_eq!(t, fb.draw_glyph(w - 7, 0, b'A', 1, 0), Err(ERANGE));
        crate::kt_expect_eq!(t, fb.pixel(u32::MAX, 0), Err(ERANGE));
        let old = fb.pixel(w - 1, h - 1);
        crate::kt_expect_eq!(t, fb.put_pixel(w - 1, h - 1, 0x123456), Ok(()));
        crate::kt_expect_eq!(t, fb.pixel(w - 1, h - 1), Ok(0x123456));
        if let Ok(old) = old {
            let _ = fb.put_pixel(w - 1, h - 1, old);
        }
    }

    /// A base that is not 4-byte aligned is refused: the pixel stores
    /// are aligned u32 accesses.
    #[test]
    fn misaligned_base_is_refused(t: &mut Test) {
        let mut pixels = [0u32; 5];
        let base = pixels.as_mut_ptr().cast::<u8>();
        let info = |base: *mut u8| bindings::fb_info {
            name: c"ktest".as_ptr(),
            base,
            phys: 0,
            width: 2,
            height: 2,
            pitch: 8,
            format: bindings::fb_format::FB_FORMAT_XRGB8888,
            size: 16,
        };
        // SAFETY: `pixels` holds 20 bytes, so both bases have the 16
        // the infos claim behind them, with pitch 8 >= 4 * width 2; the
        // views are dropped unused before `pixels` goes.
        let (ok, odd) = unsafe {
            (Framebuffer::from_info(&info(base)), Framebuffer::from_info(&info(base.add(1))))
        };
        crate::kt_expect!(t, ok.is_some());
        crate::kt_expect!(t, odd.is_none());
    }

    #[test]
    fn glyphs_come_from_the_font(t: &mut Test) {
        // the space is blank, a missing glyph (0x01) is a hollow box
        crate::kt_expect!(t, glyph(b' ').iter().all(|&r| r == 0));
        crate::kt_expect_eq!(t, glyph(1)[3], 0x7e);
        crate::kt_expect!(t, glyph(b'A').iter().any(|&r| r != 0));
    }

    #[test]
    fn symbols_are_named(t: &mut Test) {
        let mut buf = [0u8; 64];
        let addr = bindings::ktime_get_ns as *const () as usize;
        let s = symbolize(addr, &mut buf);
        // "%#lx" prints a zero offset as "0"
        let head = &s[..s.len().min(15)];
        crate::kt_expect_eq!(t, head, b"ktime_get_ns+0/");
    }
}
