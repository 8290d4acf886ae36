// SPDX-License-Identifier: MIT
//! Host tests of the QR encoder (`rustc --edition 2021 --test lib/qr/lib.rs`).
//!
//! Known vectors from the standard's worked example and its tables, then
//! round trips: random payloads in every version, level and mask are
//! encoded, drawn into a PBM file and read back by Debian's `zbarimg`,
//! which must return exactly the bytes put in.

use super::*;
use std::process::Command;

/// The data and error-correction codewords of a single-block symbol.
fn codewords(segs: &[Segment<'_>], version: u8, ecc: Ecc) -> Vec<u8> {
    let total = total_codewords(version);
    let mut cw = vec![0u8; total];
    let mut tmp = vec![0u8; total];
    write_data(segs, version, ecc, &mut cw);
    add_ecc_and_interleave(version, ecc, &mut cw, &mut tmp);
    cw
}

#[test]
fn standard_example_1m_numeric() {
    // ISO/IEC 18004 worked example: "01234567" as 1-M.
    let cw = codewords(&[Segment::Numeric(b"01234567")], 1, Ecc::Medium);
    let data = [
        0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec,
        0x11,
    ];
    let ecc = [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55];
    assert_eq!(&cw[..16], &data);
    assert_eq!(&cw[16..], &ecc);
}

#[test]
fn format_and_version_information() {
    assert_eq!(format_info(Ecc::Low, 0), 0b111011111000100);
    assert_eq!(format_info(Ecc::Medium, 0), 0b101010000010010);
    assert_eq!(version_info(7), 0x07c94);
    assert_eq!(version_info(40), 0x28c69);
}

#[test]
fn capacities() {
    assert_eq!(total_codewords(1), 26);
    assert_eq!(total_codewords(40), 3706);
    assert_eq!(data_codewords(1, Ecc::Low), 19);
    assert_eq!(data_codewords(1, Ecc::High), 9);
    assert_eq!(data_codewords(40, Ecc::Low), 2956);
    assert_eq!(data_codewords(40, Ecc::High), 1276);
    let big = [0u8; 2954];
    assert!(fits(&[Segment::Bytes(&big[..2953])], 40, Ecc::Low));
    assert!(!fits(&[Segment::Bytes(&big)], 40, Ecc::Low));
    let digits = [b'7'; 7090];
    assert!(fits(&[Segment::Numeric(&digits[..7089])], 40, Ecc::Low));
    assert!(!fits(&[Segment::Numeric(&digits)], 40, Ecc::Low));
    assert!(fits(&[Segment::Numeric(&digits[..41])], 1, Ecc::Low));
    assert!(!fits(&[Segment::Numeric(&digits[..42])], 1, Ecc::Low));
    assert_eq!(buffer_len(40), 177 * 177 + 3706);
}

#[test]
fn alignment_pattern_centres() {
    let mut p = [0usize; 7];
    assert_eq!(alignment_positions(1, &mut p), 0);
    assert_eq!(alignment_positions(2, &mut p), 2);
    assert_eq!(&p[..2], &[6, 18]);
    assert_eq!(alignment_positions(7, &mut p), 3);
    assert_eq!(&p[..3], &[6, 22, 38]);
    assert_eq!(alignment_positions(32, &mut p), 6);
    assert_eq!(&p[..6], &[6, 34, 60, 86, 112, 138]);
    assert_eq!(alignment_positions(40, &mut p), 7);
    assert_eq!(&p[..7], &[6, 30, 58, 86, 114, 142, 170]);
}

/// The inverse of [`binary_digits`]' rule, as a photo decoder does it.
fn digits_to_bytes(digits: &[u8]) -> Vec<u8> {
    if digits.is_empty() {
        return Vec::new();
    }
    let groups = (digits.len() - 1) / 4; // full groups before the last
    let last = digits.len() - groups * 4; // 1..=4 digits
    let ranges = [(1, 3), (4, 6), (7, 9), (10, 13)];
    let (lo, hi) = ranges[last - 1];
    let r = (lo..=hi).find(|r| (13 * groups + r) % 8 == 0).expect("bad digit count");
    let mut bits = Vec::new();
    let mut push = |chunk: &[u8], n: usize| {
        let v = chunk.iter().fold(0u32, |a, &d| a * 10 + (d - b'0') as u32);
        assert!(v < 1 << n, "group {} does not fit {} bits", v, n);
        for i in (0..n).rev() {
            bits.push((v >> i) & 1);
        }
    };
    for g in 0..groups {
        push(&digits[g * 4..g * 4 + 4], 13);
    }
    push(&digits[groups * 4..], r);
    bits.chunks(8).map(|c| c.iter().fold(0u8, |a, &b| a << 1 | b as u8)).collect()
}

#[test]
fn binary_digits_round_trip() {
    let mut rng = Rng(7);
    for len in 0..200 {
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let digits: Vec<u8> = DigitIter::new(&data).map(|d| d + b'0').collect();
        assert_eq!(digits.len(), binary_digits(len));
        assert_eq!(digits_to_bytes(&digits), data, "len {}", len);
    }
    // 0xff 0xff: 13 ones (8191), then 3 ones (7)
    let d: Vec<u8> = DigitIter::new(&[0xff, 0xff]).collect();
    assert_eq!(d, [8, 1, 9, 1, 7]);
}

#[test]
fn errors() {
    let mut buf = vec![0u8; buffer_len(40)];
    let big = [0u8; 100];
    assert_eq!(
        encode(&[Segment::Bytes(&big)], Ecc::Low, 1, 2, None, &mut buf).err(),
        Some(Error::DataTooLong)
    );
    assert_eq!(
        encode(&[Segment::Numeric(b"12a")], Ecc::Low, 1, 40, None, &mut buf).err(),
        Some(Error::NotADigit)
    );
    assert_eq!(
        encode(&[Segment::Bytes(b"x")], Ecc::Low, 0, 40, None, &mut buf).err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(
        encode(&[Segment::Bytes(b"x")], Ecc::Low, 1, 40, Some(8), &mut buf).err(),
        Some(Error::InvalidArgument)
    );
    assert_eq!(
        encode(&[Segment::Bytes(&big)], Ecc::Low, 10, 40, None, &mut buf[..100]).err(),
        Some(Error::BufferTooSmall)
    );
    let q = encode(&[Segment::Bytes(b"x")], Ecc::High, 5, 40, Some(3), &mut buf).unwrap();
    assert_eq!((q.version(), q.size(), q.mask(), q.ecc()), (5, 37, 3, Ecc::High));
}

/// xorshift64: deterministic test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Draws `q` (4 pixels a module, 4 modules of quiet zone) as a PBM.
fn write_pbm(q: &QrCode<'_>, path: &str) {
    const SCALE: usize = 4;
    let n = (q.size() + 8) * SCALE;
    let mut out = format!("P4\n{} {}\n", n, n).into_bytes();
    for py in 0..n {
        let mut row = vec![0u8; n.div_ceil(8)];
        for px in 0..n {
            let (x, y) = ((px / SCALE) as isize - 4, (py / SCALE) as isize - 4);
            if x >= 0 && y >= 0 && q.is_dark(x as usize, y as usize) {
                row[px / 8] |= 0x80 >> (px % 8);
            }
        }
        out.extend_from_slice(&row);
    }
    std::fs::write(path, out).unwrap();
}

/// What zbarimg reads from the image: with --raw and -Sbinary, exactly
/// the bytes of the symbol (no newline is added).
fn zbar(path: &str) -> Vec<u8> {
    let out = Command::new("zbarimg")
        .args(["-q", "--raw", "-Sbinary", path])
        .output()
        .expect("zbarimg (Debian zbar-tools) must be installed");
    assert!(out.status.success(), "zbarimg found no code in {}", path);
    out.stdout
}

fn round_trip(
    segs: &[Segment<'_>],
    ecc: Ecc,
    min: u8,
    mask: Option<u8>,
    tag: &str,
) -> (u8, Vec<u8>) {
    let mut buf = vec![0u8; buffer_len(40)];
    let q = encode(segs, ecc, min, 40, mask, &mut buf).unwrap();
    let path =
        format!("{}/qr-test-{}-{}.pbm", std::env::temp_dir().display(), std::process::id(), tag);
    write_pbm(&q, &path);
    let got = zbar(&path);
    std::fs::remove_file(&path).ok();
    (q.version(), got)
}

const LEVELS: [Ecc; 4] = [Ecc::Low, Ecc::Medium, Ecc::Quartile, Ecc::High];

#[test]
fn zbar_reads_random_bytes_in_every_version() {
    let mut rng = Rng(0x5eed);
    for v in 1..=40u8 {
        let ecc = LEVELS[v as usize % 4];
        // fill between half and all of the symbol
        let cap = data_codewords(v, ecc) - 3;
        let len = cap / 2 + rng.below(cap / 2);
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let (ver, got) = round_trip(&[Segment::Bytes(&data)], ecc, v, None, "bytes");
        assert_eq!(ver, v);
        assert_eq!(got, data, "version {} {:?}", v, ecc);
    }
}

#[test]
fn zbar_reads_every_mask_and_level() {
    let mut rng = Rng(99);
    for mask in 0..8u8 {
        for ecc in LEVELS {
            let len = 1 + rng.below(120);
            let data: Vec<u8> = (0..len).map(|_| b' ' + rng.below(95) as u8).collect();
            let (_, got) = round_trip(&[Segment::Bytes(&data)], ecc, 1, Some(mask), "mask");
            assert_eq!(got, data, "mask {} {:?}", mask, ecc);
        }
    }
}

#[test]
fn zbar_reads_numeric_and_mixed_segments() {
    let mut rng = Rng(1234);
    for i in 0..12 {
        let n = 1 + rng.below(if i < 6 { 60 } else { 3000 });
        let digits: Vec<u8> = (0..n).map(|_| b'0' + rng.below(10) as u8).collect();
        let (_, got) = round_trip(&[Segment::Numeric(&digits)], Ecc::Medium, 1, None, "num");
        assert_eq!(got, digits);
        let url = b"https://example.org/keel/panic?z=";
        let (_, got) = round_trip(
            &[Segment::Bytes(url), Segment::Numeric(&digits)],
            LEVELS[i % 4],
            1,
            None,
            "mixed",
        );
        assert_eq!(&got[..url.len()], url);
        assert_eq!(&got[url.len()..], &digits[..]);
    }
}

#[test]
fn zbar_reads_binary_as_digits() {
    let mut rng = Rng(42);
    for len in [0usize, 1, 2, 5, 13, 100, 1000, 2800] {
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let url = b"https://keel.example/p?z=";
        let (_, got) = round_trip(
            &[Segment::Bytes(url), Segment::BinaryDigits(&data)],
            Ecc::Low,
            1,
            None,
            "bin",
        );
        assert_eq!(&got[..url.len()], url);
        assert_eq!(digits_to_bytes(&got[url.len()..]), data, "len {}", len);
    }
    // the largest payload of a version-40 L symbol behind a short URL
    let url = b"u";
    let fits_len = (0..4000)
        .rev()
        .find(|&n| fits(&[Segment::Bytes(url), Segment::BinaryDigits(&vec![0; n])], 40, Ecc::Low))
        .unwrap();
    let data: Vec<u8> = (0..fits_len).map(|_| rng.next() as u8).collect();
    let (v, got) =
        round_trip(&[Segment::Bytes(url), Segment::BinaryDigits(&data)], Ecc::Low, 1, None, "max");
    assert_eq!(v, 40);
    assert_eq!(digits_to_bytes(&got[1..]), data);
}
