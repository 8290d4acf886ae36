// SPDX-License-Identifier: MIT
//! `deflate`: a zlib-format (RFC 1950) compressor that allocates nothing.
//!
//! keel's panic screen compresses the tail of the kernel log into a QR
//! code at a moment when nothing may be allocated, so the output buffer
//! and the match-finder tables come from the caller ([`WORK_WORDS`] words
//! of work space). The stream is standard: a zlib header, one DEFLATE
//! (RFC 1951) block with the fixed Huffman codes, and the Adler-32 of the
//! input, so `zlib.decompress` in Python, `zlib-flate` or any inflate
//! reads it.
//!
//! Matching is LZ77 over a 32 KiB window with hash chains: the three
//! bytes at each position are hashed, `head` holds the newest position of
//! each hash and `prev` links each position to the previous one with the
//! same hash. The search is greedy and bounded ([`MAX_CHAIN`] candidates,
//! stop at a match of [`NICE_LEN`]), which keeps the time per input byte
//! flat; kernel logs repeat whole phrases (timestamps, prefixes), where
//! greedy matching already does most of the work. Dynamic Huffman codes
//! would save roughly another fifth and are left out for simplicity.
//!
//! [`compress`] fails with [`Error::OutputFull`] as soon as the output
//! buffer is full, so "what is the longest tail that fits in N bytes"
//! costs little per try.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

/// Largest match distance (the DEFLATE window).
pub const WINDOW: usize = 32768;
const WINDOW_MASK: usize = WINDOW - 1;
const HASH_BITS: u32 = 14;
const HASH_SIZE: usize = 1 << HASH_BITS;
/// Words (u32) of work space [`compress`] needs: the hash heads and the
/// chain links.
pub const WORK_WORDS: usize = HASH_SIZE + WINDOW;
/// Candidates looked at per position, at most.
pub const MAX_CHAIN: usize = 48;
/// A match this long ends the search.
pub const NICE_LEN: usize = 128;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

/// Why [`compress`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The output buffer is too small for the compressed stream.
    OutputFull,
    /// The work space is shorter than [`WORK_WORDS`].
    WorkTooSmall,
}

// Length codes 257..=285: base length and extra bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] =
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
// Distance codes 0..=29: base distance and extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Writes bits least significant first, as DEFLATE packs them.
struct BitOut<'a> {
    out: &'a mut [u8],
    pos: usize,
    acc: u64,
    nbits: u32,
}

impl BitOut<'_> {
    fn put(&mut self, bits: u32, n: u32) -> Result<(), Error> {
        self.acc |= (bits as u64) << self.nbits;
        self.nbits += n;
        while self.nbits >= 8 {
            self.byte(self.acc as u8)?;
            self.acc >>= 8;
            self.nbits -= 8;
        }
        Ok(())
    }

    fn byte(&mut self, b: u8) -> Result<(), Error> {
        let slot = self.out.get_mut(self.pos).ok_or(Error::OutputFull)?;
        *slot = b;
        self.pos += 1;
        Ok(())
    }

    /// Pads to a byte boundary.
    fn align(&mut self) -> Result<(), Error> {
        if self.nbits > 0 {
            self.put(0, 8 - self.nbits)?;
        }
        Ok(())
    }

    /// A Huffman code: sent most significant bit first.
    fn code(&mut self, code: u32, len: u32) -> Result<(), Error> {
        self.put(code.reverse_bits() >> (32 - len), len)
    }

    /// A literal/length symbol in the fixed code (RFC 1951 3.2.6).
    fn symbol(&mut self, sym: u32) -> Result<(), Error> {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + sym - 144, 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xc0 + sym - 280, 8),
        }
    }

    fn matched(&mut self, len: usize, dist: usize) -> Result<(), Error> {
        let l = LEN_BASE.iter().rposition(|&b| b as usize <= len).unwrap_or(0);
        self.symbol(257 + l as u32)?;
        self.put((len - LEN_BASE[l] as usize) as u32, LEN_EXTRA[l] as u32)?;
        let d = DIST_BASE.iter().rposition(|&b| b as usize <= dist).unwrap_or(0);
        self.code(d as u32, 5)?;
        self.put((dist - DIST_BASE[d] as usize) as u32, DIST_EXTRA[d] as u32)
    }
}

/// Adler-32 of `data` (RFC 1950 9).
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    b << 16 | a
}

fn hash(data: &[u8], i: usize) -> usize {
    let v = (data[i] as u32) << 16 | (data[i + 1] as u32) << 8 | data[i + 2] as u32;
    (v.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize
}

/// The hash chains: positions are stored plus one, 0 meaning none.
struct Chains<'a> {
    head: &'a mut [u32],
    prev: &'a mut [u32],
}

impl Chains<'_> {
    fn insert(&mut self, data: &[u8], i: usize) {
        if i + MIN_MATCH <= data.len() {
            let h = hash(data, i);
            self.prev[i & WINDOW_MASK] = self.head[h];
            self.head[h] = i as u32 + 1;
        }
    }

    /// The longest earlier match for position i: (length, distance).
    fn longest(&self, data: &[u8], i: usize) -> (usize, usize) {
        let (mut best, mut dist) = (0, 0);
        if i + MIN_MATCH > data.len() {
            return (0, 0);
        }
        let max = (data.len() - i).min(MAX_MATCH);
        let mut cand = self.head[hash(data, i)];
        for _ in 0..MAX_CHAIN {
            if cand == 0 {
                break;
            }
            let p = cand as usize - 1;
            // only positions still linked: a slot is reused WINDOW later
            if i - p >= WINDOW {
                break;
            }
            if data[p + best.min(max - 1)] == data[i + best.min(max - 1)] {
                let len = data[p..p + max]
                    .iter()
                    .zip(&data[i..i + max])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best {
                    best = len;
                    dist = i - p;
                    if len >= NICE_LEN.min(max) {
                        break;
                    }
                }
            }
            cand = self.prev[p & WINDOW_MASK];
        }
        (best, dist)
    }
}

/// Compresses `input` into `out` as a zlib stream; returns its length.
///
/// `work` must hold at least [`WORK_WORDS`] words; its contents on entry
/// do not matter. Nothing outside `out[..returned]` is written on
/// success; on [`Error::OutputFull`] `out` holds a truncated stream.
pub fn compress(input: &[u8], out: &mut [u8], work: &mut [u32]) -> Result<usize, Error> {
    if work.len() < WORK_WORDS {
        return Err(Error::WorkTooSmall);
    }
    let (head, rest) = work.split_at_mut(HASH_SIZE);
    head.fill(0);
    let mut chains = Chains { head, prev: &mut rest[..WINDOW] };
    let mut w = BitOut { out, pos: 0, acc: 0, nbits: 0 };
    // zlib header: deflate, 32 KiB window, no dictionary, check bits
    w.byte(0x78)?;
    w.byte(0x01)?;
    w.put(1, 1)?; // BFINAL
    w.put(1, 2)?; // BTYPE 01: fixed Huffman codes
    let mut i = 0;
    while i < input.len() {
        let (len, dist) = chains.longest(input, i);
        if len >= MIN_MATCH {
            w.matched(len, dist)?;
            for k in i..i + len {
                chains.insert(input, k);
            }
            i += len;
        } else {
            w.symbol(input[i] as u32)?;
            chains.insert(input, i);
            i += 1;
        }
    }
    w.symbol(256)?; // end of block
    w.align()?;
    for b in adler32(input).to_be_bytes() {
        w.byte(b)?;
    }
    Ok(w.pos)
}

#[cfg(test)]
mod tests;
