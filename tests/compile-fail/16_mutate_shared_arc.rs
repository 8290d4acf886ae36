// expect: E0596
// class: mutating a reference-counted object that other holders share
// c-bug: list_add() on a refcounted object's list without its lock while other CPUs walk it
// rule: `Arc<T>` implements `Deref` but not `DerefMut`: shared ownership gives shared access only
//! Compile-fail case: a listener list behind an `Arc` grown without a lock.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sync::Arc;

/// Adds a listener to a list other CPUs hold references to.
pub fn add_listener(list: &Arc<KVec<u32>>, id: u32) -> Result {
    list.push(id, GFP_KERNEL)
}
