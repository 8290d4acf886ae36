// SPDX-License-Identifier: MIT
//! DMA: memory shared with a device, and descriptor rings.
//!
//! [`Ring<T, N>`] is `N` elements of a plain-data type `T` (a hardware
//! descriptor) in coherent DMA memory, indexed by [`RingIndex<N>`]: an
//! index that is always below `N`, so no access needs a bounds check
//! and none can be out of bounds. [`Buffers<SIZE, N>`] is `N` DMA buffers
//! of `SIZE` bytes each, filled and read by copying, so driver code never
//! holds a reference into memory the device may be writing.
//!
//! Only [`Pod`] types ("plain old data": every bit pattern valid, no
//! padding, every field naturally aligned, aligned to at most a page) can
//! live in DMA memory; [`pod_struct!`](crate::pod_struct) declares such a
//! struct in a driver crate and checks all of it at compile time. It is
//! the only way to implement `Pod` outside this crate.
//!
//! [`dma_read!`](crate::dma_read)/[`dma_write!`](crate::dma_write) access
//! one field of an entry with one volatile load or store. They expand to
//! safe code: the field is found by running `|e| &e.field` on a zeroed
//! local copy and checking that the result lies inside it, so no
//! reference to memory the device may be writing is ever made.
//!
//! As in C (`keel/dma.h`), DMA here is cache-coherent and the device
//! address is the physical address; element reads and writes are
//! volatile, so they happen in program order with respect to MMIO.

use crate::alloc::Flags;
use crate::error::{code::*, Result};
use core::marker::PhantomData;
use core::ptr::NonNull;

/// Types that may be shared with a device: any bit pattern is a valid
/// value and there are no padding bytes.
///
/// # Safety
/// Implementors must be `#[repr(C)]` (or primitive) with no padding and
/// no field for which some bit pattern is invalid. Use
/// [`pod_struct!`](crate::pod_struct) instead of implementing it.
pub unsafe trait Pod: Copy + Send + Sync + 'static {}

macro_rules! impl_pod {
    ($($t:ty),*) => {$(
        // SAFETY: primitive integers accept every bit pattern.
        unsafe impl Pod for $t {}
    )*};
}
impl_pod!(u8, u16, u32, u64, i8, i16, i32, i64, usize, isize);

// SAFETY: an array of Pod has no padding between elements and every bit
// pattern of each element is valid.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}

/// The alignment `dma_alloc_coherent` guarantees (a page): no [`Pod`]
/// type may need more, so every element of a [`Ring`] is aligned.
pub const DMA_ALIGN: usize = 1 << bindings::PAGE_SHIFT;

/// A value of `T` with every byte zero (valid: `T` is [`Pod`]).
fn zeroed<T: Pod>() -> T {
    // SAFETY: `T: Pod` accepts every bit pattern, all-zero included.
    unsafe { core::mem::zeroed() }
}

/// Declares a `#[repr(C)]` struct of [`Pod`] fields and implements
/// [`Pod`] for it:
///
/// ```
/// kernel::pod_struct! {
///     /// A legacy receive descriptor.
///     pub struct RxDesc {
///         pub addr: u64,
///         pub length: u16,
///         pub csum: u16,
///         pub status: u8,
///         pub errors: u8,
///         pub special: u16,
///     }
/// }
///
/// // laid out as the hardware reads it: no padding, fields in order
/// assert_eq!(core::mem::size_of::<RxDesc>(), 16);
/// assert_eq!(core::mem::offset_of!(RxDesc, status), 12);
/// ```
///
/// The macro declares the struct itself, so the layout is its own: the
/// caller's attributes (doc comments, `#[allow]`, extra derives) are
/// kept, but a `#[repr(..)]` is refused. Checked at compile time
/// (error E0080 names the rule broken):
/// - every field type is [`Pod`]: a primitive integer, an array of Pod
///   or another `pod_struct!` (E0277 otherwise);
/// - no padding: the size is the sum of the fields' sizes;
/// - every field at its natural alignment: its offset is a multiple of
///   its alignment, and so is the struct's alignment (so it stays aligned
///   in every element of an array or ring);
/// - the struct's alignment is at most [`DMA_ALIGN`].
///
/// This is the only way to implement `Pod` outside the kernel crate, and
/// it is sound for any input: whatever the caller writes, the type that
/// gets `Pod` is the struct declared here, with the checks above.
#[macro_export]
#[allow_internal_unsafe]
macro_rules! pod_struct {
    (@attr repr $($rest:tt)*) => {
        const _: () = ::core::panic!(
            "pod_struct!: the layout is pod_struct!'s own (repr(C)); \
             no #[repr(packed)], #[repr(align)] or other repr"
        );
    };
    (@attr $($rest:tt)*) => {};
    ($(#[$($a:tt)*])* $vis:vis struct $name:ident {
        $($(#[$fm:meta])* $fvis:vis $f:ident : $t:ty),* $(,)?
    }) => {
        $($crate::pod_struct!(@attr $($a)*);)*
        $(#[$($a)*])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis struct $name { $($(#[$fm])* $fvis $f: $t),* }

        const _: () = {
            ::core::assert!(
                ::core::mem::size_of::<$name>() == 0 $(+ ::core::mem::size_of::<$t>())*,
                "pod_struct!: the struct has padding"
            );
            ::core::assert!(
                ::core::mem::align_of::<$name>() <= $crate::dma::DMA_ALIGN,
                "pod_struct!: aligned beyond what DMA memory guarantees (a page)"
            );
            $(::core::assert!(
                ::core::mem::offset_of!($name, $f).is_multiple_of(::core::mem::align_of::<$t>())
                    && ::core::mem::align_of::<$name>()
                        .is_multiple_of(::core::mem::align_of::<$t>()),
                ::core::concat!(
                    "pod_struct!: field `", ::core::stringify!($f),
                    "` is not at its natural alignment"
                )
            );)*
        };

        // `$name` is the struct declared above, not another type of that
        // name (left if an attribute such as `#[cfg(..)]` removed ours):
        // its fields are exactly the declared ones (the pattern names
        // them all, and a union's field access would need `unsafe`), each
        // of exactly the declared type: `__field_type` infers it from the
        // field alone (no expected type, so no coercion), and
        // `PhantomData` converts to no other type.
        const _: () = {
            #[allow(dead_code)]
            fn __pod_struct_fields(__v: &$name) {
                let $name { $($f: _),* } = __v;
                $(
                    let __p = $crate::dma::__field_type(__v.$f);
                    let _: ::core::marker::PhantomData<$t> = __p;
                )*
            }
        };

        // SAFETY: `$name` is the struct declared just above by this
        // macro (the fields check right above fails to compile for any
        // other type): repr(C) with no repr of the caller's (refused above),
        // every field Pod (the where clause does not hold otherwise), no
        // padding, every field at its natural alignment, and aligned to
        // at most DMA_ALIGN (the const assertions above fail to compile
        // otherwise). So every bit pattern is a valid `$name`, and it is
        // Copy + Send + Sync + 'static because its fields are.
        unsafe impl $crate::dma::Pod for $name where $($t: $crate::dma::Pod),* {}
    };
}

/// The type of `_v`, for `pod_struct!`'s check that a field has exactly
/// the declared type (by value: a field of a packed struct has no
/// reference).
#[doc(hidden)]
pub const fn __field_type<T: Copy>(_v: T) -> PhantomData<T> {
    PhantomData
}

/// Coherent DMA memory for `count` values of `T`, zeroed; freed on drop.
struct Coherent<T: Pod> {
    cpu: NonNull<T>,
    dma: u64,
    bytes: usize,
}

// SAFETY: the allocation is owned memory; accesses go through volatile
// element copies that are valid from any CPU.
unsafe impl<T: Pod> Send for Coherent<T> {}
// SAFETY: `&Coherent` gives only the raw CPU address, never a reference
// into the memory, and any bits there are a valid T (T: Pod), so what
// the device writes meanwhile cannot make a value invalid. Between CPUs,
// its owners keep accesses race-free in the kernel's memory model:
// Ring does one volatile load or store per element or field (Linux's
// READ_ONCE/WRITE_ONCE, which the kernel treats as marked accesses);
// Buffers copies bytes plainly only for writes through `&mut Buffers`
// (exclusive) and for reads through `&Buffers`, which no CPU write can
// overlap while a shared borrow exists.
unsafe impl<T: Pod> Sync for Coherent<T> {}

impl<T: Pod> Coherent<T> {
    fn new(count: usize, flags: Flags) -> Result<Self> {
        const { assert!(core::mem::align_of::<T>() <= DMA_ALIGN, "DMA element over-aligned") };
        let bytes = count.checked_mul(core::mem::size_of::<T>()).ok_or(EINVAL)?;
        if bytes == 0 {
            return Err(EINVAL);
        }
        let mut dma = 0u64;
        // SAFETY: dma_alloc_coherent returns NULL or `bytes` bytes of
        // page-aligned (so `T`-aligned: align_of::<T>() <= DMA_ALIGN,
        // asserted above), zeroed memory and writes the device address.
        let cpu = unsafe { bindings::dma_alloc_coherent(bytes, &mut dma, flags.as_raw()) };
        let cpu = NonNull::new(cpu.cast::<T>()).ok_or(ENOMEM)?;
        Ok(Coherent { cpu, dma, bytes })
    }
}

impl<T: Pod> Drop for Coherent<T> {
    fn drop(&mut self) {
        // SAFETY: the memory came from dma_alloc_coherent with this size
        // and nothing uses it after the owner is dropped.
        unsafe { bindings::dma_free_coherent(self.bytes, self.cpu.as_ptr().cast(), self.dma) };
    }
}

/// An index into a ring of `N` entries: always `< N`. `N` must be a
/// power of two (checked at compile time), which makes wrapping a mask.
/// One entry of a ring always stays empty, so that `prod == cons`
/// means empty, never full (as `keel/ring.h` in C).
///
/// ```
/// use kernel::dma::RingIndex;
///
/// type Idx = RingIndex<8>;
/// let cons = Idx::new(6).ok_or(kernel::error::code::EINVAL)?;
/// let prod = cons.add(3); // wraps: 6 + 3 = 9 -> 1
/// assert_eq!(prod.get(), 1);
/// assert_eq!(Idx::used(prod, cons), 3);
/// assert_eq!(Idx::free(prod, cons), 4); // 8 - 1 kept empty - 3 used
/// assert_eq!(Idx::ZERO.prev().get(), 7);
/// assert_eq!(Idx::new(8), None);
/// # Ok::<(), kernel::error::Error>(())
/// ```
///
/// # Invariants
/// The index is below `N`: `new` checks it, `add`/`next`/`prev` mask
/// with `N - 1`, and `ZERO`/`Default` give 0, which is below every `N`
/// a [`Ring`] or [`Buffers`] accepts (a power of two >= 2, checked at
/// compile time when one is made).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RingIndex<const N: usize>(usize);

impl<const N: usize> RingIndex<N> {
    const MASK: usize = {
        assert!(N >= 2 && N.is_power_of_two(), "ring size must be a power of two");
        N - 1
    };

    /// The first entry.
    pub const ZERO: Self = RingIndex(0);

    /// `i` as an index, or `None` if `i >= N`.
    pub const fn new(i: usize) -> Option<Self> {
        if i <= Self::MASK {
            Some(RingIndex(i))
        } else {
            None
        }
    }

    /// The index as a number (`< N`).
    pub const fn get(self) -> usize {
        self.0
    }

    /// `k` entries on, wrapping.
    pub const fn add(self, k: usize) -> Self {
        RingIndex(self.0.wrapping_add(k) & Self::MASK)
    }

    /// The next entry.
    pub const fn next(self) -> Self {
        self.add(1)
    }

    /// The previous entry.
    pub const fn prev(self) -> Self {
        RingIndex(self.0.wrapping_sub(1) & Self::MASK)
    }

    /// Entries filled by a producer at `prod` not yet taken by a
    /// consumer at `cons`.
    pub const fn used(prod: Self, cons: Self) -> usize {
        prod.0.wrapping_sub(cons.0) & Self::MASK
    }

    /// Entries a producer at `prod` may still fill.
    pub const fn free(prod: Self, cons: Self) -> usize {
        Self::MASK - Self::used(prod, cons)
    }
}

/// `N` values of `T` in coherent DMA memory, indexed by `RingIndex<N>`.
///
/// ```
/// use kernel::dma::{Ring, RingIndex};
/// use kernel::prelude::*;
///
/// kernel::pod_struct! {
///     struct TxDesc {
///         addr: u64,
///         length: u16,
///         cmd: u8,
///         status: u8,
///         special: u32,
///     }
/// }
///
/// let ring = Ring::<TxDesc, 8>::new(GFP_KERNEL)?; // zeroed
/// let i = RingIndex::ZERO.add(3);
/// // what a driver hands the device, one volatile store per field
/// kernel::dma_write!(ring, i, addr = 0x1000, length = 60, cmd = 0x0b);
/// // what the device wrote back (here: the CPU plays the device)
/// ring.update(i, |d| d.status = 1);
/// assert_eq!(kernel::dma_read!(ring, i, status), 1);
/// assert_eq!(ring.read(i).length, 60);
/// assert_eq!(Ring::<TxDesc, 8>::bytes(), 8 * 16);
/// assert_eq!(ring.dma_handle() % 4096, 0); // page aligned for the NIC
/// # Ok::<(), Error>(())
/// ```
pub struct Ring<T: Pod, const N: usize> {
    mem: Coherent<T>,
    _t: PhantomData<T>,
}

impl<T: Pod, const N: usize> Ring<T, N> {
    /// Allocates the ring, zeroed. `ENOMEM` if memory is short.
    pub fn new(flags: Flags) -> Result<Self> {
        let _ = RingIndex::<N>::MASK; // N must be a power of two
        Ok(Ring { mem: Coherent::new(N, flags)?, _t: PhantomData })
    }

    /// The device address of entry 0.
    pub fn dma_handle(&self) -> u64 {
        self.mem.dma
    }

    /// The ring's size in bytes.
    pub const fn bytes() -> usize {
        N * core::mem::size_of::<T>()
    }

    /// The address of entry `i`: in bounds (`i < N`) and aligned for `T`
    /// (the allocation is page-aligned, `align_of::<T>() <= DMA_ALIGN` and
    /// `size_of::<T>()` is a multiple of its alignment).
    #[inline]
    fn entry(&self, i: RingIndex<N>) -> *mut T {
        // SAFETY: i < N (RingIndex invariant) and the allocation holds N
        // elements, so the offset stays inside it.
        unsafe { self.mem.cpu.as_ptr().add(i.get()) }
    }

    /// Reads entry `i` (volatile).
    #[inline]
    pub fn read(&self, i: RingIndex<N>) -> T {
        // SAFETY: `entry` is in bounds and aligned for T; a volatile copy
        // of a Pod value is valid for any bits the device may have
        // written, and no reference to the DMA memory is made.
        unsafe { self.entry(i).read_volatile() }
    }

    /// Writes entry `i` (volatile).
    #[inline]
    pub fn write(&self, i: RingIndex<N>, v: T) {
        // SAFETY: `entry` is in bounds, aligned for T and in writable
        // memory this ring owns; any Pod value may be stored.
        unsafe { self.entry(i).write_volatile(v) }
    }

    /// Applies `f` to a copy of entry `i` and writes the result back.
    #[inline]
    pub fn update(&self, i: RingIndex<N>, f: impl FnOnce(&mut T)) {
        let mut v = self.read(i);
        f(&mut v);
        self.write(i, v);
    }

    /// The address of the `F` inside entry `i` that `field` projects to
    /// (see [`field_offset`]): in bounds and aligned for `F`.
    #[inline]
    fn field_ptr<F: Pod>(&self, i: RingIndex<N>, field: impl FnOnce(&T) -> &F) -> *mut F {
        let off = field_offset(field);
        // SAFETY: `entry(i)` is in bounds and aligned for T; `off` is
        // such that `off + size_of::<F>() <= size_of::<T>()` (checked by
        // field_offset), so the result stays inside entry i.
        unsafe { self.entry(i).cast::<u8>().add(off).cast::<F>() }
    }

    /// Reads the field of entry `i` that `field` selects, with one
    /// volatile load; used by [`dma_read!`](crate::dma_read).
    #[doc(hidden)]
    #[inline]
    pub fn read_field<F: Pod>(&self, i: RingIndex<N>, field: impl FnOnce(&T) -> &F) -> F {
        let p = self.field_ptr(i, field);
        // SAFETY: `p` is in bounds and aligned for F (field_ptr); F is
        // Pod, so whatever bits the device wrote are a valid F.
        unsafe { p.read_volatile() }
    }

    /// Writes the field of entry `i` that `field` selects, with one
    /// volatile store; used by [`dma_write!`](crate::dma_write).
    #[doc(hidden)]
    #[inline]
    pub fn write_field<F: Pod>(&self, i: RingIndex<N>, field: impl FnOnce(&T) -> &F, v: F) {
        let p = self.field_ptr(i, field);
        // SAFETY: `p` is in bounds and aligned for F (field_ptr), in
        // writable memory this ring owns; any bits of a Pod T are valid,
        // so storing an F into part of an entry leaves a valid T.
        unsafe { p.write_volatile(v) }
    }
}

/// The byte offset inside a `T` of the `F` that `field` returns, given a
/// `T`: `field` sees a zeroed local `T`, never DMA memory. Panics unless
/// the result lies wholly inside that `T` at an offset (and `T`
/// alignment) that keeps an `F` aligned, whatever `field` does (e.g. a
/// `Deref` impl reached by auto-deref that returns some other memory).
/// For a plain field access, `|e| &e.status`, the check folds away.
#[inline(always)]
fn field_offset<T: Pod, F: Pod>(field: impl FnOnce(&T) -> &F) -> usize {
    let probe = zeroed::<T>();
    let base = core::ptr::addr_of!(probe) as usize;
    let at = field(&probe) as *const F as usize;
    let off = at.wrapping_sub(base);
    let fits = match off.checked_add(core::mem::size_of::<F>()) {
        Some(end) => end <= core::mem::size_of::<T>(),
        None => false,
    };
    let aligned = off.is_multiple_of(core::mem::align_of::<F>())
        && core::mem::align_of::<T>().is_multiple_of(core::mem::align_of::<F>());
    assert!(fits && aligned, "dma: the selected field is not a field of the entry");
    off
}

/// Reads one field of a ring entry (a single volatile load, as C's
/// `desc->status`): `dma_read!(ring, i, status)`.
///
/// Expands to safe code ([`Ring::read_field`] with the projection
/// `|e| &e.status` applied to a local copy), so the caller's tokens never
/// reach an `unsafe` block.
#[macro_export]
macro_rules! dma_read {
    ($ring:expr, $i:expr, $field:ident) => {
        $crate::dma::Ring::read_field(&$ring, $i, |__e| &__e.$field)
    };
}

/// Writes fields of a ring entry, one volatile store each, in order:
/// `dma_write!(ring, i, length = len, cmd = CMD, status = 0)`.
///
/// Safe code, like [`dma_read!`](crate::dma_read): each store is a
/// [`Ring::write_field`].
#[macro_export]
macro_rules! dma_write {
    ($ring:expr, $i:expr, $($field:ident = $v:expr),+ $(,)?) => {{
        let __ring = &$ring;
        let __i = $i;
        $(
            let __v = $v;
            $crate::dma::Ring::write_field(__ring, __i, |__e| &__e.$field, __v);
        )+
    }};
}

/// `N` DMA buffers of `SIZE` bytes each, in one coherent allocation.
///
/// ```
/// use kernel::dma::{Buffers, RingIndex};
/// use kernel::prelude::*;
///
/// let mut bufs = Buffers::<2048, 4>::new(GFP_KERNEL)?;
/// let i = RingIndex::ZERO.add(1);
/// bufs.write_from(i, b"frame")?; // a frame to send
/// let mut got = [0u8; 5];
/// bufs.read_into(i, &mut got)?;
/// assert_eq!(&got, b"frame");
/// // buffer i starts i * SIZE bytes into the device's view
/// assert_eq!(bufs.dma_handle(i) - bufs.dma_handle(RingIndex::ZERO), 2048);
/// assert_eq!(bufs.write_from(i, &[0; 2049]), Err(EMSGSIZE));
/// # Ok::<(), Error>(())
/// ```
pub struct Buffers<const SIZE: usize, const N: usize> {
    mem: Coherent<[u8; SIZE]>,
}

impl<const SIZE: usize, const N: usize> Buffers<SIZE, N> {
    /// Allocates the buffers, zeroed. `ENOMEM` if memory is short.
    pub fn new(flags: Flags) -> Result<Self> {
        let _ = RingIndex::<N>::MASK;
        Ok(Buffers { mem: Coherent::new(N, flags)? })
    }

    /// The device address of buffer `i`.
    #[inline]
    pub fn dma_handle(&self, i: RingIndex<N>) -> u64 {
        self.mem.dma + (i.get() * SIZE) as u64
    }

    /// Copies `src` to the start of buffer `i`; `EMSGSIZE` if it does not
    /// fit. `&mut self`: the copy is a plain one, so no other CPU may be
    /// reading or writing the buffers meanwhile (the device may; that is
    /// the DMA contract the driver keeps with the hardware).
    #[inline]
    pub fn write_from(&mut self, i: RingIndex<N>, src: &[u8]) -> Result {
        if src.len() > SIZE {
            return Err(EMSGSIZE);
        }
        // SAFETY: buffer i (i < N) has SIZE >= src.len() bytes; the copy
        // goes through raw pointers, never a reference to DMA memory, and
        // cannot overlap `src` (driver memory).
        unsafe {
            let dst = self.mem.cpu.as_ptr().add(i.get()).cast::<u8>();
            core::ptr::copy_nonoverlapping(src.as_ptr(), dst, src.len());
        }
        Ok(())
    }

    /// The CPU address of buffer `i` (`SIZE` bytes, valid while `self`
    /// lives), for kernel-crate copies into memory that is not a Rust
    /// slice yet (an skb's tail). Making the pointer is safe.
    #[inline]
    pub(crate) fn buffer_ptr(&self, i: RingIndex<N>) -> *const u8 {
        self.mem.cpu.as_ptr().wrapping_add(i.get()).cast::<u8>()
    }

    /// Copies the first `dst.len()` bytes of buffer `i` into `dst`;
    /// `EMSGSIZE` if `dst` is longer than a buffer.
    #[inline]
    pub fn read_into(&self, i: RingIndex<N>, dst: &mut [u8]) -> Result {
        if dst.len() > SIZE {
            return Err(EMSGSIZE);
        }
        // SAFETY: buffer i (i < N, RingIndex invariant) has SIZE >=
        // dst.len() bytes inside the allocation; the copy goes through
        // raw pointers, never a reference to DMA memory, into `dst`
        // (driver memory, so no overlap); u8 has no invalid bit patterns.
        unsafe {
            let src = self.mem.cpu.as_ptr().add(i.get()).cast::<u8>();
            core::ptr::copy_nonoverlapping(src, dst.as_mut_ptr(), dst.len());
        }
        Ok(())
    }
}

#[crate::ktest(rust_dma)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;

    crate::pod_struct! {
        /// A descriptor shaped like the e1000's.
        struct Desc {
            addr: u64,
            len: u16,
            csum: u16,
            status: u8,
            errors: u8,
            special: u16,
        }
    }

    crate::pod_struct! {
        /// The part of `Outer` that `Outer` derefs to.
        struct Inner {
            x: u32,
            y: u32,
        }
    }

    crate::pod_struct! {
        /// An entry with a `Deref` impl, so `dma_read!(ring, i, x)` finds
        /// `x` only by auto-deref: the projection then runs the impl.
        struct Outer {
            tag: u64,
            inner: Inner,
        }
    }

    /// What `Outer::deref` last saw in `inner.x` (u32::MAX: not called).
    static DEREF_SAW: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(u32::MAX);
    /// Whether `Outer::deref` answers with memory outside `self`.
    static DEREF_ELSEWHERE: core::sync::atomic::AtomicBool =
        core::sync::atomic::AtomicBool::new(false);
    static ELSEWHERE: Inner = Inner { x: 7, y: 7 };

    impl core::ops::Deref for Outer {
        type Target = Inner;
        fn deref(&self) -> &Inner {
            DEREF_SAW.store(self.inner.x, core::sync::atomic::Ordering::Relaxed);
            if DEREF_ELSEWHERE.load(core::sync::atomic::Ordering::Relaxed) {
                &ELSEWHERE
            } else {
                &self.inner
            }
        }
    }

    /// dma_read!/dma_write! run the field projection (and so any Deref
    /// impl it reaches) on a zeroed local copy, never on a reference to
    /// DMA memory the device may be writing: the impl sees x == 0 although
    /// the entry holds 0x55. (The old macros made `&*entry` for it.)
    #[test]
    fn projection_never_sees_dma_memory(t: &mut Test) {
        let Ok(r) = Ring::<Outer, 4>::new(GFP_KERNEL) else {
            crate::kt_fail!(t, "no ring");
            return;
        };
        let i = RingIndex::new(2).unwrap_or_default();
        r.update(i, |e| e.inner.x = 0x55);
        DEREF_ELSEWHERE.store(false, core::sync::atomic::Ordering::Relaxed);
        crate::kt_expect_eq!(t, crate::dma_read!(r, i, x), 0x55);
        crate::kt_expect_eq!(t, DEREF_SAW.load(core::sync::atomic::Ordering::Relaxed), 0);
        crate::dma_write!(r, i, y = 9u32);
        crate::kt_expect_eq!(t, r.read(i).inner.y, 9);
        crate::kt_expect_eq!(t, DEREF_SAW.load(core::sync::atomic::Ordering::Relaxed), 0);
    }

    /// A projection that answers with memory outside the entry (here a
    /// Deref impl returning a static) is refused with a panic, before
    /// `read_field`/`write_field` touch the ring. The case calls
    /// `field_offset` (what both do first) with the projection the macros
    /// build, so that the abandoned frames own no ring.
    #[test]
    fn foreign_projection_panics(t: &mut Test) {
        DEREF_ELSEWHERE.store(true, core::sync::atomic::Ordering::Relaxed);
        t.expect_panic(c"not a field of the entry");
        let off = field_offset::<Outer, u32>(|e| &e.x);
        crate::kt_fail!(t, "a foreign projection gave offset {}", off);
    }

    #[test]
    fn ring_index_wraps(t: &mut Test) {
        type I = RingIndex<8>;
        crate::kt_expect_eq!(t, I::new(8), None);
        let last = I::new(7).unwrap_or_default();
        crate::kt_expect_eq!(t, last.next(), I::ZERO);
        crate::kt_expect_eq!(t, I::ZERO.prev(), last);
        crate::kt_expect_eq!(t, last.add(10).get(), 1);
    }

    #[test]
    fn ring_index_counts(t: &mut Test) {
        type I = RingIndex<256>;
        let p = |i| I::new(i).unwrap_or_default();
        crate::kt_expect_eq!(t, I::used(p(0), p(0)), 0);
        crate::kt_expect_eq!(t, I::free(p(0), p(0)), 255);
        crate::kt_expect_eq!(t, I::used(p(3), p(250)), 9);
        crate::kt_expect_eq!(t, I::free(p(249), p(250)), 0);
        crate::kt_expect_eq!(t, I::used(p(249), p(250)), 255);
    }

    #[test]
    fn ring_round_trip_and_free(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        match Ring::<Desc, 16>::new(GFP_KERNEL) {
            Ok(r) => {
                let i = RingIndex::new(15).unwrap_or_default();
                crate::kt_expect_eq!(t, r.read(i).addr, 0); // zeroed
                r.update(i, |d| {
                    d.addr = 0x1234_5678_9abc;
                    d.status = 3;
                });
                crate::kt_expect_eq!(t, r.read(i).addr, 0x1234_5678_9abc);
                crate::kt_expect_eq!(t, r.read(i).status, 3);
                crate::dma_write!(r, i, len = 1514u16, errors = 2);
                crate::kt_expect_eq!(t, crate::dma_read!(r, i, len), 1514);
                crate::kt_expect_eq!(t, crate::dma_read!(r, i, status), 3);
                crate::kt_expect_eq!(t, crate::dma_read!(r, i, errors), 2);
                crate::kt_expect_eq!(t, Ring::<Desc, 16>::bytes(), 256);
                crate::kt_expect!(t, r.dma_handle() % 4096 == 0);
            }
            Err(e) => crate::kt_fail!(t, "no ring: {}", e),
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn buffers_copy_in_and_out(t: &mut Test) {
        let Ok(mut b) = Buffers::<2048, 4>::new(GFP_KERNEL) else {
            crate::kt_fail!(t, "no buffers");
            return;
        };
        let i = RingIndex::new(3).unwrap_or_default();
        crate::kt_expect_eq!(t, b.dma_handle(i) - b.dma_handle(RingIndex::ZERO), 3 * 2048);
        crate::kt_expect_eq!(t, b.write_from(i, b"keel"), Ok(()));
        let mut out = [0u8; 4];
        crate::kt_expect_eq!(t, b.read_into(i, &mut out), Ok(()));
        crate::kt_expect_eq!(t, &out, b"keel");
        let big = [0u8; 2049];
        crate::kt_expect_eq!(t, b.write_from(i, &big), Err(EMSGSIZE));
    }
}
