// twin of 16_mutate_shared_arc.rs: Arc<Mutex<_>>.
//! Passing twin: the shared list has a mutex inside the `Arc`.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sync::{Arc, Mutex};

/// Adds a listener to a list other CPUs hold references to.
pub fn add_listener(list: &Arc<Mutex<KVec<u32>>>, id: u32) -> Result {
    list.lock().push(id, GFP_KERNEL)
}
