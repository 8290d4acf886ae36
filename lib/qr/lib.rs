// SPDX-License-Identifier: MIT
//! `qr`: a QR code (model 2) encoder that allocates nothing.
//!
//! Written for keel's panic screen, which runs when the kernel can no
//! longer allocate, so every byte the encoder touches is in a buffer the
//! caller hands it ([`buffer_len`] says how big). It covers ISO/IEC 18004
//! as far as a kernel needs: versions 1 to 40; byte and numeric segments,
//! mixed in one symbol; error-correction levels L, M, Q and H with
//! Reed-Solomon codes over GF(256); all eight masks, the one with the
//! lowest penalty score chosen (or a fixed one); format and version
//! information.
//!
//! A third segment kind, [`Segment::BinaryDigits`], carries arbitrary
//! bytes in a numeric segment: every 13 bits become 4 decimal digits, as
//! Linux's drm_panic does for its compressed-log URLs (numeric mode spends
//! 10 bits per 3 digits, so this costs 13.33 bits per 13, against 16 for
//! base64 in byte mode). See [`binary_digits`] for the exact rule.
//!
//! How an encode goes: pick the smallest version in the allowed range that
//! holds the segments; write mode, count and data bits, terminator and pad
//! bytes into the codeword area; compute each block's error correction and
//! interleave the blocks in place; draw the function patterns and the
//! codewords into the module grid (one byte per module: bit 0 dark, bit 1
//! function module); try the masks, keep the best.
//!
//! The crate is `no_std` and `forbid(unsafe_code)`; the host runs its
//! tests (`rustc --test`), including round trips through `zbarimg`.

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

/// Error-correction level: how much of the symbol can be lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ecc {
    /// About 7% of codewords recoverable.
    Low,
    /// About 15%.
    Medium,
    /// About 25%.
    Quartile,
    /// About 30%.
    High,
}

impl Ecc {
    fn index(self) -> usize {
        self as usize
    }

    /// The two bits of the format information.
    fn format_bits(self) -> u32 {
        match self {
            Ecc::Low => 1,
            Ecc::Medium => 0,
            Ecc::Quartile => 3,
            Ecc::High => 2,
        }
    }
}

/// A piece of data with its encoding mode.
#[derive(Clone, Copy, Debug)]
pub enum Segment<'a> {
    /// Bytes, in byte mode (8 bits each).
    Bytes(&'a [u8]),
    /// ASCII decimal digits, in numeric mode (10 bits per 3 digits).
    Numeric(&'a [u8]),
    /// Arbitrary bytes turned into decimal digits ([`binary_digits`]) and
    /// carried in numeric mode.
    BinaryDigits(&'a [u8]),
}

/// Why an encode failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The segments do not fit in the largest version allowed.
    DataTooLong,
    /// The buffer is smaller than [`buffer_len`] of the version needed.
    BufferTooSmall,
    /// A version outside 1..=40, min above max, or a mask above 7.
    InvalidArgument,
    /// A [`Segment::Numeric`] byte that is not an ASCII digit.
    NotADigit,
}

/// Smallest and largest version.
pub const MIN_VERSION: u8 = 1;
/// Largest version (177 x 177 modules).
pub const MAX_VERSION: u8 = 40;

/// Side of a symbol of `version`, in modules.
pub const fn size(version: u8) -> usize {
    17 + 4 * version as usize
}

/// Bytes of buffer an encode at `version` needs: one per module plus the
/// codewords. 35035 for version 40.
pub const fn buffer_len(version: u8) -> usize {
    size(version) * size(version) + total_codewords(version)
}

// Error-correction codewords per block, by level then version.
const ECC_PER_BLOCK: [[u8; 41]; 4] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
        30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

// Error-correction blocks, by level then version.
const ECC_BLOCKS: [[u8; 41]; 4] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32,
        35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// Modules available for data and error correction at `version`.
const fn raw_data_modules(version: u8) -> usize {
    let v = version as usize;
    let mut n = (16 * v + 128) * v + 64;
    if v >= 2 {
        let align = v / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if v >= 7 {
            n -= 36;
        }
    }
    n
}

const fn total_codewords(version: u8) -> usize {
    raw_data_modules(version) / 8
}

/// Data codewords (bytes) a symbol of `version` and `ecc` holds.
pub fn data_codewords(version: u8, ecc: Ecc) -> usize {
    let e = ecc.index();
    let v = version as usize;
    total_codewords(version) - ECC_PER_BLOCK[e][v] as usize * ECC_BLOCKS[e][v] as usize
}

/// Width of the character-count field of a mode at a version.
fn count_bits(numeric: bool, version: u8) -> usize {
    let tier = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    if numeric {
        [10, 12, 14][tier]
    } else {
        [8, 16, 16][tier]
    }
}

/// Decimal digits that carry a final group of `bits` (< 13) bits.
const fn tail_digits(bits: usize) -> usize {
    bits.div_ceil(3)
}

/// Number of digits [`Segment::BinaryDigits`] makes of `len` bytes.
///
/// The bytes are read as one big-endian bit string and cut into 13-bit
/// groups, each written as 4 decimal digits (0000..8191, zero-padded). A
/// last group of r < 13 bits is written with the fewest digits that can
/// hold 2^r - 1, zero-padded: 1 digit for 1-3 bits, 2 for 4-6, 3 for 7-9,
/// 4 for 10-12. A decoder splits the digits into groups of 4 from the
/// start (the last group has 1 to 4 digits); the last group holds r bits,
/// r in 1-3, 4-6, 7-9 or 10-13 by its digit count, and the one r in that
/// range that makes the bit total a multiple of 8 is the right one (the
/// ranges are shorter than 8, so it is unique).
pub const fn binary_digits(len: usize) -> usize {
    let bits = len * 8;
    bits / 13 * 4 + tail_digits(bits % 13)
}

/// Bits a numeric segment of `digits` digits spends on data.
fn numeric_data_bits(digits: usize) -> usize {
    digits / 3 * 10 + [0, 4, 7][digits % 3]
}

impl Segment<'_> {
    /// Characters as counted in the segment header.
    fn chars(&self) -> usize {
        match *self {
            Segment::Bytes(b) | Segment::Numeric(b) => b.len(),
            Segment::BinaryDigits(b) => binary_digits(b.len()),
        }
    }

    fn is_numeric(&self) -> bool {
        !matches!(self, Segment::Bytes(_))
    }

    /// Bits this segment takes at `version` (header included), or None if
    /// its count does not fit the count field.
    pub fn bits(&self, version: u8) -> Option<usize> {
        let cb = count_bits(self.is_numeric(), version);
        let n = self.chars();
        if n >= 1 << cb {
            return None;
        }
        let data = if self.is_numeric() { numeric_data_bits(n) } else { n * 8 };
        Some(4 + cb + data)
    }
}

/// Bits all `segs` take at `version`, or None if one cannot be encoded.
pub fn total_bits(segs: &[Segment<'_>], version: u8) -> Option<usize> {
    let mut sum = 0;
    for s in segs {
        sum += s.bits(version)?;
    }
    Some(sum)
}

/// Whether `segs` fit in a symbol of `version` and `ecc`.
pub fn fits(segs: &[Segment<'_>], version: u8, ecc: Ecc) -> bool {
    matches!(total_bits(segs, version), Some(b) if b <= data_codewords(version, ecc) * 8)
}

/// Appends bits, most significant first, to a byte buffer.
struct BitWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl BitWriter<'_> {
    fn put(&mut self, val: u32, n: usize) {
        for i in (0..n).rev() {
            let bit = (val >> i) & 1;
            let byte = self.len / 8;
            if self.len.is_multiple_of(8) {
                self.buf[byte] = 0;
            }
            self.buf[byte] |= (bit as u8) << (7 - self.len % 8);
            self.len += 1;
        }
    }
}

/// The digits of [`Segment::BinaryDigits`], in order.
struct DigitIter<'a> {
    data: &'a [u8],
    bit: usize, // next bit of data to read
    group: [u8; 4],
    left: usize, // digits of `group` not yet given, from the end
}

impl<'a> DigitIter<'a> {
    fn new(data: &'a [u8]) -> Self {
        DigitIter { data, bit: 0, group: [0; 4], left: 0 }
    }

    fn refill(&mut self) -> bool {
        let total = self.data.len() * 8;
        if self.bit >= total {
            return false;
        }
        let n = (total - self.bit).min(13);
        let mut v = 0u32;
        for _ in 0..n {
            let b = (self.data[self.bit / 8] >> (7 - self.bit % 8)) & 1;
            v = v << 1 | b as u32;
            self.bit += 1;
        }
        let digits = if n == 13 { 4 } else { tail_digits(n) };
        for i in 0..digits {
            self.group[i] = (v % 10) as u8;
            v /= 10;
        }
        self.left = digits;
        true
    }
}

impl Iterator for DigitIter<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.left == 0 && !self.refill() {
            return None;
        }
        self.left -= 1;
        Some(self.group[self.left])
    }
}

/// Writes digits in numeric mode: groups of 3 in 10 bits, then 2 in 7 or
/// 1 in 4.
fn put_digits(w: &mut BitWriter<'_>, digits: impl Iterator<Item = u8>) {
    let (mut acc, mut n) = (0u32, 0);
    for d in digits {
        acc = acc * 10 + d as u32;
        n += 1;
        if n == 3 {
            w.put(acc, 10);
            acc = 0;
            n = 0;
        }
    }
    match n {
        1 => w.put(acc, 4),
        2 => w.put(acc, 7),
        _ => {}
    }
}

/// Writes the data codewords: segments, terminator, padding.
fn write_data(segs: &[Segment<'_>], version: u8, ecc: Ecc, out: &mut [u8]) {
    let cap = data_codewords(version, ecc);
    let mut w = BitWriter { buf: &mut out[..cap], len: 0 };
    for s in segs {
        let numeric = s.is_numeric();
        w.put(if numeric { 1 } else { 4 }, 4);
        w.put(s.chars() as u32, count_bits(numeric, version));
        match *s {
            Segment::Bytes(b) => b.iter().for_each(|&c| w.put(c as u32, 8)),
            Segment::Numeric(b) => put_digits(&mut w, b.iter().map(|c| c - b'0')),
            Segment::BinaryDigits(b) => put_digits(&mut w, DigitIter::new(b)),
        }
    }
    let terminator = (cap * 8 - w.len).min(4);
    w.put(0, terminator);
    w.put(0, (8 - w.len % 8) % 8);
    let mut pad = 0xec;
    while w.len < cap * 8 {
        w.put(pad, 8);
        pad ^= 0xec ^ 0x11;
    }
}

/// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
fn gf_mul(a: u8, b: u8) -> u8 {
    let mut r: u8 = 0;
    for i in (0..8).rev() {
        r = (r << 1) ^ if r & 0x80 != 0 { 0x1d } else { 0 };
        if (b >> i) & 1 != 0 {
            r ^= a;
        }
    }
    r
}

/// The Reed-Solomon generator polynomial of `degree` (coefficients from
/// the highest power down, the leading 1 left out).
fn rs_divisor(degree: usize, out: &mut [u8; 30]) {
    out.fill(0);
    out[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            out[j] = gf_mul(out[j], root);
            if j + 1 < degree {
                out[j] ^= out[j + 1];
            }
        }
        root = gf_mul(root, 2);
    }
}

/// The error-correction codewords of `data` for `divisor`.
fn rs_remainder(data: &[u8], divisor: &[u8], out: &mut [u8]) {
    out.fill(0);
    let n = divisor.len();
    for &b in data {
        let factor = b ^ out[0];
        out.copy_within(1..n, 0);
        out[n - 1] = 0;
        for i in 0..n {
            out[i] ^= gf_mul(divisor[i], factor);
        }
    }
}

/// Adds error correction and interleaves blocks: `cw[..data]` holds the
/// data codewords on entry, `cw[..total]` the final sequence on return.
/// `tmp` (at least `total` bytes) is scratch.
fn add_ecc_and_interleave(version: u8, ecc: Ecc, cw: &mut [u8], tmp: &mut [u8]) {
    let (e, v) = (ecc.index(), version as usize);
    let blocks = ECC_BLOCKS[e][v] as usize;
    let ecc_len = ECC_PER_BLOCK[e][v] as usize;
    let total = total_codewords(version);
    let short_blocks = blocks - total % blocks;
    let short_data = total / blocks - ecc_len;
    let data_len = data_codewords(version, ecc);
    let mut divisor = [0u8; 30];
    rs_divisor(ecc_len, &mut divisor);
    let mut start = 0;
    for j in 0..blocks {
        let len = short_data + usize::from(j >= short_blocks);
        let block = &cw[start..start + len];
        for (i, &b) in block.iter().enumerate() {
            let pos = if i < short_data {
                i * blocks + j
            } else {
                short_data * blocks + j - short_blocks
            };
            tmp[pos] = b;
        }
        let mut rem = [0u8; 30];
        rs_remainder(block, &divisor[..ecc_len], &mut rem[..ecc_len]);
        for (k, &b) in rem[..ecc_len].iter().enumerate() {
            tmp[data_len + k * blocks + j] = b;
        }
        start += len;
    }
    cw[..total].copy_from_slice(&tmp[..total]);
}

const DARK: u8 = 1;
const FUNCTION: u8 = 2;

/// The module grid being built.
struct Grid<'a> {
    size: usize,
    m: &'a mut [u8],
}

impl Grid<'_> {
    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        self.m[y * self.size + x] = FUNCTION | u8::from(dark);
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        self.m[y * self.size + x] & DARK != 0
    }

    fn draw_finder(&mut self, cx: usize, cy: usize) {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if x < 0 || y < 0 || x >= self.size as i32 || y >= self.size as i32 {
                    continue;
                }
                let dist = dx.abs().max(dy.abs());
                self.set_function(x as usize, y as usize, dist != 2 && dist != 4);
            }
        }
    }

    fn draw_alignment(&mut self, cx: usize, cy: usize) {
        for dy in 0..5 {
            for dx in 0..5 {
                let dist = (dx as i32 - 2).abs().max((dy as i32 - 2).abs());
                self.set_function(cx + dx - 2, cy + dy - 2, dist != 1);
            }
        }
    }

    fn draw_format(&mut self, ecc: Ecc, mask: u8) {
        let bits = format_info(ecc, mask);
        let bit = |i: usize| (bits >> i) & 1 != 0;
        let s = self.size;
        for i in 0..6 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(s - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, s - 15 + i, bit(i));
        }
        self.set_function(8, s - 8, true);
    }

    fn draw_version(&mut self, version: u8) {
        if version < 7 {
            return;
        }
        let bits = version_info(version);
        for i in 0..18 {
            let dark = (bits >> i) & 1 != 0;
            let (a, b) = (self.size - 11 + i % 3, i / 3);
            self.set_function(a, b, dark);
            self.set_function(b, a, dark);
        }
    }

    fn draw_function_patterns(&mut self, version: u8, ecc: Ecc) {
        let s = self.size;
        for i in 0..s {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        self.draw_finder(3, 3);
        self.draw_finder(s - 4, 3);
        self.draw_finder(3, s - 4);
        let mut pos = [0usize; 7];
        let n = alignment_positions(version, &mut pos);
        for i in 0..n {
            for j in 0..n {
                let corner = (i == 0 && (j == 0 || j == n - 1)) || (i == n - 1 && j == 0);
                if !corner {
                    self.draw_alignment(pos[i], pos[j]);
                }
            }
        }
        self.draw_format(ecc, 0); // placeholder, redrawn with the mask
        self.draw_version(version);
    }

    /// Places the codewords in the zigzag order of the standard.
    fn draw_codewords(&mut self, cw: &[u8]) {
        let s = self.size;
        let total_bits = cw.len() * 8;
        let mut i = 0;
        let mut right = s - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            for vert in 0..s {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { s - 1 - vert } else { vert };
                    let cell = &mut self.m[y * s + x];
                    if *cell & FUNCTION == 0 && i < total_bits {
                        *cell = (cw[i / 8] >> (7 - i % 8)) & 1;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    /// XORs mask `mask` onto the data modules (applying it twice undoes it).
    fn apply_mask(&mut self, mask: u8) {
        let s = self.size;
        for y in 0..s {
            for x in 0..s {
                let flip = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let cell = &mut self.m[y * s + x];
                if flip && *cell & FUNCTION == 0 {
                    *cell ^= DARK;
                }
            }
        }
    }

    /// The penalty score of the standard's four rules (lower is better).
    fn penalty(&self) -> u32 {
        let s = self.size;
        let mut score = 0;
        for pass in 0..2 {
            let at = |a: usize, b: usize| {
                if pass == 0 {
                    self.dark(b, a)
                } else {
                    self.dark(a, b)
                }
            };
            for a in 0..s {
                let (mut run, mut prev) = (0u32, false);
                let mut window = 0u32; // the last 11 modules, newest in bit 0
                for b in 0..s {
                    let d = at(a, b);
                    if b > 0 && d == prev {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += run - 2;
                        }
                        run = 1;
                        prev = d;
                    }
                    window = (window << 1 | u32::from(d)) & 0x7ff;
                    // dark-light-dark-dark-dark-light-dark with four light
                    // modules on one side (rule 3)
                    if b >= 10 && (window == 0x5d0 || window == 0x05d) {
                        score += 40;
                    }
                }
                if run >= 5 {
                    score += run - 2;
                }
            }
        }
        let mut dark = 0usize;
        for y in 0..s {
            for x in 0..s {
                let d = self.dark(x, y);
                dark += usize::from(d);
                if x + 1 < s
                    && y + 1 < s
                    && d == self.dark(x + 1, y)
                    && d == self.dark(x, y + 1)
                    && d == self.dark(x + 1, y + 1)
                {
                    score += 3;
                }
            }
        }
        let total = s * s;
        let k = (dark * 20).abs_diff(total * 10).div_ceil(total) - 1;
        score + 10 * k as u32
    }
}

/// The 15 format-information bits: level and mask with their BCH code.
fn format_info(ecc: Ecc, mask: u8) -> u32 {
    let data = ecc.format_bits() << 3 | mask as u32;
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    (data << 10 | rem) ^ 0x5412
}

/// The 18 version-information bits (versions 7 and up).
fn version_info(version: u8) -> u32 {
    let mut rem = version as u32;
    for _ in 0..12 {
        rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
    }
    (version as u32) << 12 | rem
}

/// Centres of the alignment patterns on each axis; returns how many.
fn alignment_positions(version: u8, out: &mut [usize; 7]) -> usize {
    if version == 1 {
        return 0;
    }
    let v = version as usize;
    let n = v / 7 + 2;
    let step = (v * 8 + n * 3 + 5) / (n * 4 - 4) * 2;
    out[0] = 6;
    let mut pos = size(version) - 7;
    for i in (1..n).rev() {
        out[i] = pos;
        pos -= step;
    }
    n
}

/// An encoded symbol; its modules live in the caller's buffer.
pub struct QrCode<'a> {
    version: u8,
    ecc: Ecc,
    mask: u8,
    size: usize,
    modules: &'a [u8],
}

impl QrCode<'_> {
    /// The version, 1..=40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Modules per side.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The error-correction level.
    pub fn ecc(&self) -> Ecc {
        self.ecc
    }

    /// The mask used, 0..=7.
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// Whether module (x, y) is dark; outside the symbol is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.modules[y * self.size + x] & DARK != 0
    }
}

/// Encodes `segs` in the smallest version in `min_version..=max_version`
/// that holds them, at level `ecc`, with `mask` or (None) the mask of
/// lowest penalty, using `buf` (at least [`buffer_len`] of the chosen
/// version) for everything.
pub fn encode<'a>(
    segs: &[Segment<'_>],
    ecc: Ecc,
    min_version: u8,
    max_version: u8,
    mask: Option<u8>,
    buf: &'a mut [u8],
) -> Result<QrCode<'a>, Error> {
    if min_version < MIN_VERSION || max_version > MAX_VERSION || min_version > max_version {
        return Err(Error::InvalidArgument);
    }
    if matches!(mask, Some(m) if m > 7) {
        return Err(Error::InvalidArgument);
    }
    for s in segs {
        if let Segment::Numeric(d) = s {
            if !d.iter().all(u8::is_ascii_digit) {
                return Err(Error::NotADigit);
            }
        }
    }
    let version =
        (min_version..=max_version).find(|&v| fits(segs, v, ecc)).ok_or(Error::DataTooLong)?;
    if buf.len() < buffer_len(version) {
        return Err(Error::BufferTooSmall);
    }
    let size = size(version);
    let (modules, rest) = buf.split_at_mut(size * size);
    let total = total_codewords(version);
    // the codewords first go to the start of `rest`; the module area is
    // free until drawing, so it serves as interleaving scratch
    write_data(segs, version, ecc, rest);
    add_ecc_and_interleave(version, ecc, &mut rest[..total], modules);
    let mut grid = Grid { size, m: modules };
    grid.m.fill(0);
    grid.draw_function_patterns(version, ecc);
    grid.draw_codewords(&rest[..total]);
    let mask = match mask {
        Some(m) => m,
        None => {
            let (mut best, mut best_score) = (0, u32::MAX);
            for m in 0..8 {
                grid.apply_mask(m);
                grid.draw_format(ecc, m);
                let score = grid.penalty();
                if score < best_score {
                    best = m;
                    best_score = score;
                }
                grid.apply_mask(m);
            }
            best
        }
    };
    grid.apply_mask(mask);
    grid.draw_format(ecc, mask);
    let Grid { m, .. } = grid;
    Ok(QrCode { version, ecc, mask, size, modules: m })
}

#[cfg(test)]
mod tests;
