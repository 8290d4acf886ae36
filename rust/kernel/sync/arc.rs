// SPDX-License-Identifier: MIT
//! [`Arc`]: a reference-counted pointer on the C `refcount_t`.

use crate::alloc::{Flags, KBox};
use crate::error::Result;
use crate::types::Opaque;
use core::marker::PhantomData;
use core::ops::Deref;
use core::ptr::NonNull;

struct ArcInner<T> {
    refcount: Opaque<bindings::refcount_t>,
    data: T,
}

/// A reference-counted pointer on the C `refcount_t` (saturating: an
/// overflow leaks the object instead of freeing it early).
///
/// ```
/// use kernel::prelude::*;
/// use kernel::sync::{Arc, SpinLock};
///
/// let a = Arc::new(SpinLock::new(5), GFP_KERNEL)?;
/// let b = a.clone();
/// assert_eq!(Arc::count(&a), 2);
/// assert!(Arc::ptr_eq(&a, &b));
///
/// *b.lock() += 1; // both point at one counter
/// drop(b);
/// assert_eq!(Arc::count(&a), 1);
/// assert_eq!(*a.lock(), 6);
/// # Ok::<(), Error>(())
/// ```
pub struct Arc<T> {
    ptr: NonNull<ArcInner<T>>,
    _owns: PhantomData<ArcInner<T>>,
}

// SAFETY: an Arc gives shared access to T from any CPU and may drop it
// on any CPU, so T must be Send + Sync.
unsafe impl<T: Send + Sync> Send for Arc<T> {}
// SAFETY: sharing an Arc lets other CPUs clone it (shared access to T,
// and a drop there), so T must be Send + Sync too.
unsafe impl<T: Send + Sync> Sync for Arc<T> {}

impl<T> Arc<T> {
    /// Allocates `data` with a count of one.
    pub fn new(data: T, flags: Flags) -> Result<Self> {
        let inner = ArcInner { refcount: Opaque::new(bindings::refcount_t { refs: 1 }), data };
        let raw = KBox::into_raw(KBox::new(inner, flags)?);
        // SAFETY: into_raw never returns NULL.
        Ok(Arc { ptr: unsafe { NonNull::new_unchecked(raw) }, _owns: PhantomData })
    }

    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: the allocation lives while any Arc to it exists, and
        // `self` is one.
        unsafe { self.ptr.as_ref() }
    }

    /// The current count (racy; for tests and diagnostics).
    pub fn count(this: &Self) -> i32 {
        // SAFETY: refcount is a valid refcount_t inside a live ArcInner.
        unsafe { bindings::rust_helper_refcount_read(this.inner().refcount.get()) }
    }

    /// Whether two Arcs point at the same object.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }
}

impl<T> Clone for Arc<T> {
    fn clone(&self) -> Self {
        // SAFETY: we hold a reference, so the count is at least one.
        unsafe { bindings::rust_helper_refcount_inc(self.inner().refcount.get()) };
        Arc { ptr: self.ptr, _owns: PhantomData }
    }
}

impl<T> Deref for Arc<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner().data
    }
}

impl<T> Drop for Arc<T> {
    fn drop(&mut self) {
        // SAFETY: we hold one reference, which this call gives up.
        let last =
            unsafe { bindings::rust_helper_refcount_dec_and_test(self.inner().refcount.get()) };
        if last {
            // SAFETY: the count reached zero, so no other Arc exists; the
            // pointer came from KBox::into_raw in Arc::new.
            drop(unsafe { KBox::from_raw(self.ptr.as_ptr()) });
        }
    }
}
