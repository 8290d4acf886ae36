// expect: E0596
// class: two CPUs copying into one DMA buffer at once (a data race)
// c-bug: memcpy into a shared TX buffer from the xmit path on one CPU while the poll on another CPU rewrites it: torn frames, a race the compiler may miscompile
// rule: `Buffers::write_from` takes `&mut self`: writing a buffer needs exclusive access, so a `Buffers` shared through an `Arc` (or a static) can be read but not written
//! Compile-fail case: a buffer written through a shared handle.
#![no_std]
#![forbid(unsafe_code)]

use kernel::dma::{Buffers, RingIndex};
use kernel::sync::Arc;

/// Copies a frame into buffer 0 from any context holding the handle.
pub fn fill(bufs: &Arc<Buffers<2048, 4>>, frame: &[u8]) {
    let _ = bufs.write_from(RingIndex::ZERO, frame);
}
