// SPDX-License-Identifier: MIT
//! Host tests of the compressor (`rustc --edition 2021 --test
//! lib/deflate/lib.rs`): every stream is inflated twice, by the small
//! fixed-Huffman inflater below and by Python's `zlib.decompress` (the
//! reference the issue names), and must give the input back.

use super::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Reads bits least significant first.
struct BitIn<'a> {
    data: &'a [u8],
    pos: usize, // in bits
}

impl BitIn<'_> {
    fn bits(&mut self, n: u32) -> u32 {
        let mut v = 0;
        for k in 0..n {
            let bit = (self.data[self.pos / 8] >> (self.pos % 8)) & 1;
            v |= (bit as u32) << k;
            self.pos += 1;
        }
        v
    }

    /// A fixed-code literal/length symbol, read MSB first.
    fn symbol(&mut self) -> u32 {
        let mut code = 0;
        for len in 1..=9 {
            code = code << 1 | self.bits(1);
            match (len, code) {
                (7, 0..=23) => return code + 256,
                (8, 0x30..=0xbf) => return code - 0x30,
                (8, 0xc0..=0xc7) => return code - 0xc0 + 280,
                (9, 0x190..=0x1ff) => return code - 0x190 + 144,
                _ => {}
            }
        }
        panic!("bad fixed code");
    }
}

/// Inflates a zlib stream of fixed-Huffman blocks and checks its Adler-32.
fn inflate(z: &[u8]) -> Vec<u8> {
    assert_eq!(z[0], 0x78);
    assert_eq!((z[0] as u32 * 256 + z[1] as u32) % 31, 0);
    let mut r = BitIn { data: z, pos: 16 };
    let mut out = Vec::new();
    loop {
        let last = r.bits(1);
        assert_eq!(r.bits(2), 1, "only fixed-Huffman blocks are made");
        loop {
            let sym = r.symbol();
            if sym < 256 {
                out.push(sym as u8);
            } else if sym == 256 {
                break;
            } else {
                let l = (sym - 257) as usize;
                let len = LEN_BASE[l] as usize + r.bits(LEN_EXTRA[l] as u32) as usize;
                let mut d = 0;
                for _ in 0..5 {
                    d = d << 1 | r.bits(1);
                }
                let d = d as usize;
                let dist = DIST_BASE[d] as usize + r.bits(DIST_EXTRA[d] as u32) as usize;
                assert!(dist <= out.len() && dist <= WINDOW);
                for _ in 0..len {
                    out.push(out[out.len() - dist]);
                }
            }
        }
        if last == 1 {
            break;
        }
    }
    let end = r.pos.div_ceil(8);
    assert_eq!(z.len(), end + 4, "trailing bytes after the Adler-32");
    assert_eq!(u32::from_be_bytes(z[end..end + 4].try_into().unwrap()), adler32(&out));
    out
}

/// Python's zlib.decompress of each stream (one python3 for all: it
/// takes most of a second to start). Streams go in and out as a 4-byte
/// big-endian length and the bytes.
fn python_inflate(streams: &[Vec<u8>]) -> Vec<Vec<u8>> {
    const SCRIPT: &str = "import sys, zlib\n\
        i, o = sys.stdin.buffer, sys.stdout.buffer\n\
        while h := i.read(4):\n\
        \x20   d = zlib.decompress(i.read(int.from_bytes(h, 'big')))\n\
        \x20   o.write(len(d).to_bytes(4, 'big') + d)\n";
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut input = Vec::new();
    for z in streams {
        input.extend((z.len() as u32).to_be_bytes());
        input.extend(z);
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "zlib.decompress refused a stream");
    let (mut res, mut rest) = (Vec::new(), &out.stdout[..]);
    while !rest.is_empty() {
        let n = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        res.push(rest[4..4 + n].to_vec());
        rest = &rest[4 + n..];
    }
    res
}

fn compress_vec(input: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; input.len() * 2 + 64];
    let mut work = vec![0u32; WORK_WORDS];
    let n = compress(input, &mut out, &mut work).unwrap();
    out.truncate(n);
    out
}

/// Compresses each input, inflates it both ways; returns the sizes.
fn check(inputs: &[&[u8]]) -> Vec<usize> {
    let streams: Vec<Vec<u8>> = inputs.iter().map(|i| compress_vec(i)).collect();
    for (z, i) in streams.iter().zip(inputs) {
        assert_eq!(&inflate(z), i);
    }
    let back = python_inflate(&streams);
    assert_eq!(back.len(), inputs.len());
    for (b, i) in back.iter().zip(inputs) {
        assert_eq!(b, i);
    }
    streams.iter().map(Vec::len).collect()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Text shaped like keel's log: timestamps, prefixes, numbers.
fn log_like(lines: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let words =
        ["rust_print:", "pci", "bound to", "irq", "mm:", "pages", "free", "ok", "KTAP", "fbcon"];
    let mut s = String::new();
    for i in 0..lines {
        s += &format!("[{:5}.{:06}] ", i / 100, rng.next() % 1_000_000);
        for _ in 0..(rng.next() % 8) {
            s += words[(rng.next() % words.len() as u64) as usize];
            s += " ";
        }
        s += &format!("{:#x}\n", rng.next() % 65536);
    }
    s.into_bytes()
}

#[test]
fn known_small_streams() {
    // the empty input: header, an empty fixed block, Adler-32 of nothing
    assert_eq!(compress_vec(b""), [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    check(&[b"a", b"abc"]);
}

#[test]
fn round_trips() {
    let mut rng = Rng(3);
    let mut inputs = vec![vec![0u8; 1000], vec![b'x'; 70000]]; // runs
    inputs.push((0..5000).map(|_| rng.next() as u8).collect());
    for len in [1, 2, 3, 4, 5, 100, 257, 258, 259, 4096] {
        inputs.push((0..len).map(|_| b'a' + (rng.next() % 3) as u8).collect());
    }
    check(&inputs.iter().map(Vec::as_slice).collect::<Vec<_>>());
}

#[test]
fn window_edges() {
    // a phrase repeated at exactly the window distance and just beyond
    let mut rng = Rng(11);
    let phrase: Vec<u8> = (0..64).map(|_| rng.next() as u8).collect();
    let mut inputs = Vec::new();
    for gap in [WINDOW - 64, WINDOW - 63, WINDOW - 65, WINDOW, WINDOW + 1] {
        let mut data = phrase.clone();
        data.extend((0..gap).map(|_| rng.next() as u8));
        data.extend(&phrase);
        inputs.push(data);
    }
    check(&inputs.iter().map(Vec::as_slice).collect::<Vec<_>>());
}

#[test]
fn log_text_compresses() {
    let log = log_like(1500, 5); // about 64 KiB
    assert!(log.len() > 50000);
    let n = check(&[&log])[0];
    assert!(n * 2 < log.len(), "log text should compress at least 2:1, got {} -> {}", log.len(), n);
}

#[test]
fn output_full_is_reported() {
    let log = log_like(300, 9);
    let full = compress_vec(&log);
    let mut work = vec![0u32; WORK_WORDS];
    for room in [0, 1, 2, 10, full.len() / 2, full.len() - 1] {
        let mut out = vec![0xaau8; full.len() + 16];
        assert_eq!(compress(&log, &mut out[..room], &mut work), Err(Error::OutputFull));
        assert!(out[room..].iter().all(|&b| b == 0xaa), "wrote past the buffer");
    }
    let mut out = vec![0u8; full.len()];
    assert_eq!(compress(&log, &mut out, &mut work), Ok(full.len()));
    assert_eq!(out, full);
    assert_eq!(compress(&log, &mut out, &mut work[..100]), Err(Error::WorkTooSmall));
}
