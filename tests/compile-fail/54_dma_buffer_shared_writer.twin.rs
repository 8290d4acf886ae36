// twin of 54_dma_buffer_shared_writer.rs: the writer owns the buffers.
//! Passing twin: the buffers are written through an exclusive borrow.
#![no_std]
#![forbid(unsafe_code)]

use kernel::dma::{Buffers, RingIndex};

/// Copies a frame into buffer 0; the caller holds the buffers exclusively.
pub fn fill(bufs: &mut Buffers<2048, 4>, frame: &[u8]) {
    let _ = bufs.write_from(RingIndex::ZERO, frame);
}
