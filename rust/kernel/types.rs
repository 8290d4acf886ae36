// SPDX-License-Identifier: MIT
//! Building blocks for wrapping C: [`Opaque`] for C-owned structs,
//! [`ScopeGuard`] for cleanup, [`ForeignOwnable`] for handing Rust
//! objects to C as `void *`.

use crate::alloc::KBox;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::mem::MaybeUninit;

/// Storage for a C struct that C code may change at any time (through a
/// lock, an interrupt, another CPU). Rust never assumes its contents are
/// initialized or unaliased; it only hands out raw pointers.
#[repr(transparent)]
pub struct Opaque<T>(UnsafeCell<MaybeUninit<T>>);

impl<T> Opaque<T> {
    /// Wraps an initialized value.
    pub const fn new(v: T) -> Self {
        Opaque(UnsafeCell::new(MaybeUninit::new(v)))
    }

    /// Uninitialized storage, for C to initialize.
    pub const fn uninit() -> Self {
        Opaque(UnsafeCell::new(MaybeUninit::uninit()))
    }

    /// A raw pointer to the C struct.
    pub const fn get(&self) -> *mut T {
        UnsafeCell::raw_get(&self.0).cast()
    }
}

/// Runs a cleanup closure when dropped, unless [`dismiss`]ed.
///
/// ```
/// use core::cell::Cell;
/// use kernel::types::ScopeGuard;
///
/// let undone = Cell::new(0);
/// {
///     let _undo = ScopeGuard::new(|| undone.set(undone.get() + 1));
///     // an early return or `?` here still runs the cleanup
/// }
/// ScopeGuard::new(|| undone.set(undone.get() + 1)).dismiss(); // success
/// assert_eq!(undone.get(), 1);
/// ```
///
/// [`dismiss`]: ScopeGuard::dismiss
pub struct ScopeGuard<F: FnOnce()>(Option<F>);

impl<F: FnOnce()> ScopeGuard<F> {
    /// Arms the guard.
    pub fn new(cleanup: F) -> Self {
        ScopeGuard(Some(cleanup))
    }

    /// Disarms the guard: the cleanup will not run.
    pub fn dismiss(mut self) {
        self.0 = None;
    }
}

impl<F: FnOnce()> Drop for ScopeGuard<F> {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

/// A Rust object that can be handed to C as a `void *` and taken back.
///
/// # Safety
/// Implementations must return from `into_foreign` a pointer that
/// `from_foreign` and `borrow` accept, and `borrow` must not outlive the
/// foreign ownership.
pub unsafe trait ForeignOwnable: Sized {
    /// What [`ForeignOwnable::borrow`] gives out.
    type Borrowed<'a>;

    /// Gives ownership to C.
    fn into_foreign(self) -> *const c_void;

    /// Takes ownership back.
    ///
    /// # Safety
    /// `ptr` came from `into_foreign` of the same type and is not used by
    /// C afterwards; it is reclaimed once.
    unsafe fn from_foreign(ptr: *const c_void) -> Self;

    /// Borrows while C still owns it.
    ///
    /// # Safety
    /// `ptr` came from `into_foreign` and is not reclaimed during `'a`.
    unsafe fn borrow<'a>(ptr: *const c_void) -> Self::Borrowed<'a>;
}

// SAFETY: into_raw/from_raw are inverse, and the box stays allocated
// while C owns it, so borrowing the pointee is valid.
unsafe impl<T: 'static> ForeignOwnable for KBox<T> {
    type Borrowed<'a> = &'a T;

    fn into_foreign(self) -> *const c_void {
        KBox::into_raw(self).cast_const().cast()
    }

    unsafe fn from_foreign(ptr: *const c_void) -> Self {
        // SAFETY: the caller guarantees ptr came from into_foreign.
        unsafe { KBox::from_raw(ptr.cast_mut().cast()) }
    }

    unsafe fn borrow<'a>(ptr: *const c_void) -> &'a T {
        // SAFETY: the caller guarantees the box is alive for 'a.
        unsafe { &*ptr.cast::<T>() }
    }
}

#[crate::ktest(rust_types)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;
    use core::cell::Cell;

    #[test]
    fn scope_guard_runs_and_dismisses(t: &mut Test) {
        let ran = Cell::new(0);
        {
            let _g = ScopeGuard::new(|| ran.set(ran.get() + 1));
        }
        crate::kt_expect_eq!(t, ran.get(), 1);
        ScopeGuard::new(|| ran.set(ran.get() + 1)).dismiss();
        crate::kt_expect_eq!(t, ran.get(), 1);
    }

    #[test]
    fn foreign_round_trip(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        if let Ok(b) = KBox::new(0x1234u32, GFP_KERNEL) {
            let p = b.into_foreign();
            // SAFETY: `p` came from into_foreign and is still owned by us.
            let v = unsafe { <KBox<u32> as ForeignOwnable>::borrow(p) };
            crate::kt_expect_eq!(t, *v, 0x1234);
            // SAFETY: reclaimed once, after the last borrow.
            drop(unsafe { KBox::<u32>::from_foreign(p) });
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    /// A C-style operations table: every method optional.
    #[crate::vtable]
    trait Ops {
        fn open(&self) -> i32 {
            0
        }
        fn close(&self) {}
    }

    struct OnlyOpen;

    #[crate::vtable]
    impl Ops for OnlyOpen {
        fn open(&self) -> i32 {
            7
        }
    }

    #[test]
    fn vtable_records_implemented_methods(t: &mut Test) {
        crate::kt_expect!(t, <OnlyOpen as Ops>::HAS_OPEN);
        crate::kt_expect!(t, !<OnlyOpen as Ops>::HAS_CLOSE);
        crate::kt_expect_eq!(t, OnlyOpen.open(), 7);
        OnlyOpen.close();
    }

    #[test]
    fn opaque_gives_stable_pointer(t: &mut Test) {
        let o = Opaque::new(5u64);
        // SAFETY: `o` was initialized and nothing else aliases it.
        crate::kt_expect_eq!(t, unsafe { *o.get() }, 5);
        crate::kt_expect_eq!(t, o.get(), o.get());
    }
}
