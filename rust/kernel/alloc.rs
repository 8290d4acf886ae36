// SPDX-License-Identifier: MIT
//! Explicit, fallible allocation over `kmalloc`.
//!
//! Every allocation names its [`Flags`] and returns a [`Result`]: running
//! out of memory is `Err(ENOMEM)`, never a panic. There is no global
//! allocator, so nothing in the kernel can allocate behind the caller's
//! back. [`KBox`] owns one value, [`KVec`] a growable array.

use crate::error::{
    code::{EINVAL, ENOMEM},
    Result,
};
use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

/// Allocation flags (`gfp_t`).
///
/// [`GFP_KERNEL`] may sleep to find memory; [`GFP_ATOMIC`] never does,
/// and is what code holding a spin lock (or in an interrupt handler)
/// must pass: a `GFP_KERNEL` allocation there is refused with a panic.
///
/// ```
/// use kernel::prelude::*;
/// use kernel::sync::SpinLock;
///
/// let queue = SpinLock::new(KVec::new());
/// queue.lock().push(7u64, GFP_ATOMIC)?; // preemption is off in here
/// assert_eq!(queue.lock()[0], 7);
/// assert_ne!(GFP_KERNEL, GFP_ATOMIC);
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Flags(bindings::gfp_t);

/// Normal allocation in process context. It may sleep, so in atomic
/// context (a spin lock held, an interrupt handler, preemption or
/// interrupts off) it panics: "sleeping function called from invalid
/// context".
pub const GFP_KERNEL: Flags = Flags(bindings::RUST_GFP_KERNEL);
/// Allocation that must not sleep (interrupt context, locks held).
pub const GFP_ATOMIC: Flags = Flags(bindings::RUST_GFP_ATOMIC);
/// Zero the memory (combine with `|`).
pub const __GFP_ZERO: Flags = Flags(bindings::RUST_GFP_ZERO);

impl core::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl Flags {
    /// The raw `gfp_t`.
    pub fn as_raw(self) -> bindings::gfp_t {
        self.0
    }
}

/// kmalloc guarantees this alignment; larger alignments are refused.
const KMALLOC_ALIGN: usize = bindings::KMALLOC_ALIGN as usize;

/// Allocates memory for `layout`: `ENOMEM` when memory is short,
/// `EINVAL` for an alignment beyond what kmalloc guarantees (refused
/// rather than risk a misaligned value).
fn kmalloc(layout: Layout, flags: Flags) -> Result<NonNull<u8>> {
    if layout.align() > KMALLOC_ALIGN {
        return Err(EINVAL);
    }
    // SAFETY: kmalloc accepts any size and flags; it returns NULL or a
    // block of at least `size` bytes aligned to KMALLOC_ALIGN.
    NonNull::new(unsafe { bindings::kmalloc(layout.size().max(1), flags.0) }.cast()).ok_or(ENOMEM)
}

/// Frees memory from [`kmalloc`].
///
/// # Safety
/// `ptr` came from `kmalloc`/`krealloc` and is not used afterwards.
unsafe fn kfree(ptr: NonNull<u8>) {
    // SAFETY: the caller guarantees `ptr` is a live kmalloc block.
    unsafe { bindings::kfree(ptr.as_ptr().cast()) }
}

/// An owned, heap-allocated `T` (Linux's `KBox`).
///
/// ```
/// use kernel::prelude::*;
///
/// let mut b = KBox::new([0u8; 64], GFP_KERNEL)?;
/// b[63] = 7;
/// assert_eq!(b.iter().map(|&x| x as u32).sum::<u32>(), 7);
/// let on_stack: [u8; 64] = KBox::into_inner(b); // frees the heap copy
/// assert_eq!(on_stack[63], 7);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `ptr` points at a valid `T` in a kmalloc block of `T`'s layout
/// (dangling and aligned for a zero-sized `T`) that this box alone owns.
pub struct KBox<T> {
    ptr: NonNull<T>,
    _owns: PhantomData<T>,
}

// SAFETY: a KBox owns its T exclusively (no other pointer to the
// allocation exists), so sending the box sends the T: Send when T is.
unsafe impl<T: Send> Send for KBox<T> {}
// SAFETY: a `&KBox<T>` gives access only to `&T` (Deref) and to the
// address, never to the allocation itself, so sharing the box shares
// the T: Sync when T is.
unsafe impl<T: Sync> Sync for KBox<T> {}

impl<T> KBox<T> {
    /// Moves `value` to the heap. `Err(ENOMEM)` if memory is short,
    /// `Err(EINVAL)` if `T` needs more than 8-byte alignment.
    pub fn new(value: T, flags: Flags) -> Result<Self> {
        let ptr: NonNull<T> = if mem::size_of::<T>() == 0 {
            NonNull::dangling()
        } else {
            kmalloc(Layout::new::<T>(), flags)?.cast()
        };
        // SAFETY: `ptr` is valid for a write of `T` (fresh allocation of
        // its layout, or dangling for a zero-sized T).
        unsafe { ptr.as_ptr().write(value) };
        Ok(KBox { ptr, _owns: PhantomData })
    }

    /// Gives up ownership: the raw pointer, for handing to C.
    pub fn into_raw(b: Self) -> *mut T {
        let b = ManuallyDrop::new(b);
        b.ptr.as_ptr()
    }

    /// Takes ownership back from [`KBox::into_raw`].
    ///
    /// # Safety
    /// `ptr` came from `KBox::<T>::into_raw` and has not been reclaimed.
    pub unsafe fn from_raw(ptr: *mut T) -> Self {
        // SAFETY: the caller guarantees the pointer came from into_raw,
        // which never returns NULL.
        KBox { ptr: unsafe { NonNull::new_unchecked(ptr) }, _owns: PhantomData }
    }

    /// Moves the value out and frees the allocation.
    pub fn into_inner(b: Self) -> T {
        let raw = Self::into_raw(b);
        // SAFETY: `raw` points at a valid T that we own; it is read once
        // and the memory is freed without dropping it again.
        let value = unsafe { raw.read() };
        if mem::size_of::<T>() != 0 {
            // SAFETY: `raw` is a live kmalloc block no longer used.
            unsafe { kfree(NonNull::new_unchecked(raw).cast()) };
        }
        value
    }
}

impl<T> Deref for KBox<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `ptr` points at a valid T owned by this box.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> DerefMut for KBox<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: `ptr` points at a valid T, and `&mut self` is unique.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T> Drop for KBox<T> {
    fn drop(&mut self) {
        // SAFETY: the box owns a valid T; it is dropped exactly once here.
        unsafe { ptr::drop_in_place(self.ptr.as_ptr()) };
        if mem::size_of::<T>() != 0 {
            // SAFETY: the memory came from kmalloc and is not used again.
            unsafe { kfree(self.ptr.cast()) };
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for KBox<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// A growable array on the kernel heap (Linux's `KVec`). Every operation
/// that may allocate takes [`Flags`] and can fail.
///
/// ```
/// use kernel::prelude::*;
///
/// let mut v = KVec::with_capacity(2, GFP_KERNEL)?;
/// assert!(v.is_empty() && v.capacity() >= 2);
/// v.push(1u32, GFP_KERNEL)?;
/// v.extend_from_slice(&[2, 3, 4], GFP_KERNEL)?; // grows past 2
/// assert_eq!(&v[..], &[1, 2, 3, 4]);
/// assert_eq!(v.pop(), Some(4));
/// assert_eq!(v.iter().sum::<u32>(), 6);
/// v.clear();
/// assert_eq!(v.len(), 0);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
/// `len <= capacity()`; `ptr` is dangling and aligned when `cap` is 0
/// or `T` is zero-sized, otherwise a kmalloc/krealloc block of `cap`
/// `T`s that this vector alone owns; its first `len` slots hold
/// initialized values.
pub struct KVec<T> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    _owns: PhantomData<T>,
}

// SAFETY: a KVec owns its elements exclusively.
unsafe impl<T: Send> Send for KVec<T> {}
// SAFETY: `&KVec<T>` only hands out `&T`.
unsafe impl<T: Sync> Sync for KVec<T> {}

impl<T> KVec<T> {
    /// An empty vector; allocates nothing.
    pub const fn new() -> Self {
        KVec { ptr: NonNull::dangling(), len: 0, cap: 0, _owns: PhantomData }
    }

    /// An empty vector with room for `cap` elements.
    pub fn with_capacity(cap: usize, flags: Flags) -> Result<Self> {
        let mut v = Self::new();
        v.reserve(cap, flags)?;
        Ok(v)
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Elements that fit without reallocating.
    pub fn capacity(&self) -> usize {
        if mem::size_of::<T>() == 0 {
            usize::MAX
        } else {
            self.cap
        }
    }

    /// Makes room for `additional` more elements.
    pub fn reserve(&mut self, additional: usize, flags: Flags) -> Result {
        let need = self.len.checked_add(additional).ok_or(ENOMEM)?;
        if need <= self.capacity() {
            return Ok(());
        }
        let new_cap = need.max(self.cap.saturating_mul(2)).max(4);
        let layout = Layout::array::<T>(new_cap).map_err(|_| ENOMEM)?;
        if layout.align() > KMALLOC_ALIGN {
            return Err(EINVAL);
        }
        let old = if self.cap == 0 { ptr::null_mut() } else { self.ptr.as_ptr().cast() };
        // SAFETY: `old` is NULL or our live kmalloc block; krealloc keeps
        // the contents and leaves `old` untouched when it fails.
        let new = unsafe { bindings::krealloc(old, layout.size(), flags.0) };
        self.ptr = NonNull::new(new.cast()).ok_or(ENOMEM)?;
        self.cap = new_cap;
        Ok(())
    }

    /// Appends `value`; on `Err(ENOMEM)` the vector is unchanged and
    /// `value` is dropped.
    pub fn push(&mut self, value: T, flags: Flags) -> Result {
        self.reserve(1, flags)?;
        // SAFETY: reserve() made room: slot `len` is allocated and unused.
        unsafe { self.ptr.as_ptr().add(self.len).write(value) };
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: slot `len` held an initialized element, which is now
        // logically removed and read exactly once.
        Some(unsafe { self.ptr.as_ptr().add(self.len).read() })
    }

    /// Appends clones of all of `other`.
    pub fn extend_from_slice(&mut self, other: &[T], flags: Flags) -> Result
    where
        T: Clone,
    {
        self.reserve(other.len(), flags)?;
        for v in other {
            // Cannot fail: capacity was reserved above.
            self.push(v.clone(), flags)?;
        }
        Ok(())
    }

    /// Drops every element, keeping the allocation.
    pub fn clear(&mut self) {
        while self.pop().is_some() {}
    }
}

impl<T> Default for KVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Deref for KVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: the first `len` slots are initialized; `ptr` is valid
        // (or dangling and aligned when len is 0).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> DerefMut for KVec<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: the first `len` slots are initialized and `ptr` is
        // valid for them (or dangling and aligned when len is 0); the
        // vector owns them and `&mut self` makes this the only borrow.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> Drop for KVec<T> {
    fn drop(&mut self) {
        self.clear();
        if self.cap != 0 && mem::size_of::<T>() != 0 {
            // SAFETY: the buffer came from krealloc and is not used again.
            unsafe { kfree(self.ptr.cast()) };
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for KVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[crate::ktest(rust_alloc)]
mod tests {
    use super::*;
    use crate::error::code;
    use crate::ktest::{FailSlab, Test};

    #[test]
    fn kbox_holds_and_frees(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        let b = KBox::new([7u64; 4], GFP_KERNEL);
        crate::kt_assert!(t, b.is_ok());
        if let Ok(mut b) = b {
            b[1] = 9;
            crate::kt_expect_eq!(t, b[0] + b[1], 16);
            crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before + 1);
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn kbox_into_inner_and_raw(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        if let Ok(b) = KBox::new(41u32, GFP_KERNEL) {
            let raw = KBox::into_raw(b);
            // SAFETY: `raw` came from into_raw just above.
            let b = unsafe { KBox::from_raw(raw) };
            crate::kt_expect_eq!(t, KBox::into_inner(b) + 1, 42);
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn allocation_failure_is_enomem(t: &mut Test) {
        let _inject = FailSlab::next(1);
        let r = KBox::new(5u32, GFP_KERNEL);
        crate::kt_expect_eq!(t, r.err(), Some(code::ENOMEM));
        let mut v = KVec::<u8>::new();
        let _inject = FailSlab::next(1);
        crate::kt_expect_eq!(t, v.push(1, GFP_KERNEL), Err(code::ENOMEM));
        crate::kt_expect_eq!(t, v.len(), 0);
    }

    #[test]
    fn kvec_grows_and_keeps_contents(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        {
            let mut v = KVec::new();
            for i in 0..1000u32 {
                crate::kt_assert!(t, v.push(i, GFP_KERNEL).is_ok());
            }
            crate::kt_expect_eq!(t, v.len(), 1000);
            crate::kt_expect_eq!(t, v.iter().map(|&x| x as u64).sum::<u64>(), 499500);
            crate::kt_expect_eq!(t, v.pop(), Some(999));
            crate::kt_expect!(t, v.capacity() >= 999);
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn kvec_failed_grow_keeps_vector(t: &mut Test) {
        // 4 x u64 fill a 32-byte block; growing needs a new 64-byte one.
        let mut v = KVec::with_capacity(4, GFP_KERNEL).unwrap_or_default();
        for i in 0..4u64 {
            let _ = v.push(i, GFP_KERNEL);
        }
        let _inject = FailSlab::next(1);
        crate::kt_expect_eq!(t, v.push(4, GFP_KERNEL), Err(code::ENOMEM));
        crate::kt_expect_eq!(t, &v[..], &[0u64, 1, 2, 3][..]);
    }
}

/// KASAN catches, in a Rust object, the bug `01_kbox_use_after_move`
/// keeps drivers from writing: a `KBox`'s memory read after it was freed,
/// done here on purpose through the `unsafe` internals only this crate
/// may use. Built only into KASAN=1 kernels (`--cfg kasan`, rust.mk),
/// where keel's crates are instrumented with the same shadow as C.
#[cfg(kasan)]
#[crate::ktest(rust_kasan)]
mod kasan_tests {
    use super::*;
    use crate::ktest::Test;
    use core::ffi::CStr;

    /// KASAN's report count and the kind of its latest report.
    fn kasan_state() -> (u64, Option<&'static CStr>) {
        // SAFETY: both only read KASAN's counters; the kind is NULL or a
        // static string (mm/kasan.c).
        let (n, kind) = unsafe { (bindings::kasan_reports(), bindings::kasan_last_report()) };
        // SAFETY: a non-NULL kind is a NUL-terminated static string.
        (n, (!kind.is_null()).then(|| unsafe { CStr::from_ptr(kind) }))
    }

    #[test]
    fn kbox_use_after_free_is_reported(t: &mut Test) {
        let Ok(b) = KBox::new([7u64; 4], GFP_KERNEL) else {
            crate::kt_fail!(t, "KBox::new failed");
            return;
        };
        let raw = KBox::into_raw(b).cast::<u64>();
        // SAFETY: `raw` came from `KBox::into_raw` just above; this frees
        // the box.
        drop(unsafe { KBox::from_raw(raw.cast::<[u64; 4]>()) });
        let (before, _) = kasan_state();
        // SAFETY: none: the deliberate use after free KASAN must catch.
        // The freed block waits in KASAN's quarantine (not reused), so the
        // read only returns stale bytes; nothing is written.
        let v = unsafe { ptr::read_volatile(raw.add(1)) };
        let (after, kind) = kasan_state();
        crate::kt_expect_eq!(t, after, before + 1);
        crate::kt_expect_eq!(t, kind, Some(c"slab-use-after-free"));
        let _ = v;
    }

    #[test]
    fn kbox_in_bounds_use_is_quiet(t: &mut Test) {
        let (before, _) = kasan_state();
        if let Ok(mut b) = KBox::new([7u64; 4], GFP_KERNEL) {
            b[3] = 9;
            crate::kt_expect_eq!(t, b[0] + b[3], 16);
        }
        crate::kt_expect_eq!(t, kasan_state().0, before);
    }
}
