// SPDX-License-Identifier: MIT
//! [`MsgBuf`]: a fixed-size buffer that `core::fmt` writes into.
//!
//! The print macros, the ktest failure messages and the panic handler
//! format into one of these on the stack, then hand the bytes to C. It
//! never allocates and never fails: text that does not fit is cut at a
//! character boundary (the contents stay valid UTF-8), later writes are
//! dropped so the kept text is one unbroken prefix, and `truncated()`
//! says so. One byte is always kept free for the NUL of [`terminate`].
//!
//! The file depends on `core` alone, so it also builds on its own for
//! the host, where `host_tests` runs:
//! `rustc --edition 2021 --test rust/kernel/fmt_buf.rs` (the `rust-host`
//! tier of `make check`).
//!
//! [`terminate`]: MsgBuf::terminate

use core::ffi::CStr;
use core::fmt;

/// A fixed buffer of `N` bytes (`N - 1` of text plus a NUL) that
/// `core::fmt` writes into, truncating when full.
///
/// ```
/// use core::fmt::Write;
/// use kernel::print::MsgBuf;
///
/// let mut buf = MsgBuf::<8>::new();
/// let _ = write!(buf, "{}{}", "eth", 12345); // never fails, truncates
/// assert_eq!(buf.as_bytes(), b"eth1234");
/// assert!(buf.truncated());
/// assert_eq!(buf.terminate().to_bytes(), b"eth1234");
/// ```
pub struct MsgBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
    truncated: bool,
}

/// Whether `b` continues a multi-byte UTF-8 sequence (`0b10xx_xxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xc0 == 0x80
}

impl<const N: usize> MsgBuf<N> {
    /// Bytes of text the buffer holds (one is kept for the NUL).
    pub const CAPACITY: usize = {
        assert!(N > 0, "MsgBuf needs room for the NUL");
        N - 1
    };

    /// An empty buffer.
    pub const fn new() -> Self {
        // Evaluating CAPACITY rejects N == 0 at compile time.
        let _ = Self::CAPACITY;
        MsgBuf { buf: [0; N], len: 0, truncated: false }
    }

    /// The text written so far (valid UTF-8, without a NUL).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Whether some text did not fit and was dropped.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Copies as much of `s` as fits, cut at a character boundary.
    /// Returns whether all of it fit.
    fn push_str(&mut self, s: &str) -> bool {
        let room = Self::CAPACITY - self.len;
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        n == s.len()
    }

    /// If text was dropped, replaces the end of the buffer with `marker`
    /// (e.g. `"...\n"`) so a reader sees the cut; does nothing otherwise.
    /// The kept text is shortened at a character boundary.
    pub fn end_truncated_with(&mut self, marker: &str) {
        if !self.truncated {
            return;
        }
        let mut keep = self.len.min(Self::CAPACITY.saturating_sub(marker.len()));
        while keep > 0 && keep < self.len && is_continuation(self.buf[keep]) {
            keep -= 1;
        }
        self.len = keep;
        self.push_str(marker);
    }

    /// The contents as a C string: NUL-terminated, with every interior
    /// NUL replaced by `?` (C would stop reading there).
    pub fn terminate(&mut self) -> &CStr {
        let end = self.len;
        for b in &mut self.buf[..end] {
            if *b == 0 {
                *b = b'?';
            }
        }
        self.buf[end] = 0;
        CStr::from_bytes_until_nul(&self.buf[..=end]).unwrap_or(c"")
    }
}

impl<const N: usize> Default for MsgBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Write for MsgBuf<N> {
    /// Never fails: what does not fit is dropped and recorded.
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if !self.truncated && !self.push_str(s) {
            self.truncated = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod host_tests {
    use super::MsgBuf;
    use core::fmt::Write;

    fn text<const N: usize>(b: &MsgBuf<N>) -> &str {
        core::str::from_utf8(b.as_bytes()).expect("MsgBuf holds valid UTF-8")
    }

    #[test]
    fn formats_like_core_fmt() {
        let mut b = MsgBuf::<32>::new();
        write!(b, "{}-{:04x}-{:>3}|{:<2}|", 42, 0xbeef_u32, "x", 'y').unwrap();
        assert_eq!(text(&b), "42-beef-  x|y |");
        assert!(!b.truncated());
    }

    #[test]
    fn fills_to_capacity_exactly() {
        let mut b = MsgBuf::<8>::new();
        assert_eq!(MsgBuf::<8>::CAPACITY, 7);
        b.write_str("1234567").unwrap();
        assert_eq!(text(&b), "1234567");
        assert!(!b.truncated(), "exactly CAPACITY bytes fit");
        b.write_str("").unwrap();
        assert!(!b.truncated(), "an empty write always fits");
        b.write_str("8").unwrap();
        assert_eq!(text(&b), "1234567");
        assert!(b.truncated());
    }

    #[test]
    fn cuts_at_the_boundary() {
        let mut b = MsgBuf::<8>::new();
        write!(b, "{}", 1234567890_u64).unwrap();
        assert_eq!(text(&b), "1234567");
        assert!(b.truncated());
    }

    #[test]
    fn drops_writes_after_a_cut() {
        let mut b = MsgBuf::<8>::new();
        b.write_str("abcd").unwrap();
        b.write_str("efghij").unwrap();
        b.write_str("z").unwrap();
        assert_eq!(text(&b), "abcdefg", "no later text spliced after the cut");
        assert!(b.truncated());
    }

    #[test]
    fn never_splits_a_utf8_character() {
        // CAPACITY 5: "ab" + 3-byte euro sign fits exactly.
        let mut b = MsgBuf::<6>::new();
        b.write_str("ab\u{20ac}").unwrap();
        assert_eq!(text(&b), "ab\u{20ac}");
        assert!(!b.truncated());

        // "abc" leaves 2 bytes: the euro sign is dropped whole.
        let mut b = MsgBuf::<6>::new();
        b.write_str("abc\u{20ac}d").unwrap();
        assert_eq!(text(&b), "abc");
        assert!(b.truncated());

        // 4-byte characters, cut inside the second one.
        let mut b = MsgBuf::<8>::new();
        b.write_str("\u{1f980}\u{1f980}").unwrap();
        assert_eq!(b.as_bytes().len(), 4);
        b.write_str("x").unwrap();
        assert_eq!(text(&b), "\u{1f980}");
    }

    #[test]
    fn marker_ends_a_cut_message() {
        let mut b = MsgBuf::<16>::new();
        for _ in 0..10 {
            b.write_str("yy").unwrap();
        }
        b.end_truncated_with("...\n");
        assert_eq!(text(&b), "yyyyyyyyyyy...\n");
        assert_eq!(b.as_bytes().len(), MsgBuf::<16>::CAPACITY);
    }

    #[test]
    fn marker_cut_respects_utf8() {
        // 2-byte characters: the cut for the marker falls inside one.
        let mut b = MsgBuf::<12>::new();
        b.write_str("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}").unwrap();
        assert!(b.truncated());
        assert_eq!(text(&b), "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}");
        // Room for ".." would keep 9 bytes: half of the fifth character.
        b.end_truncated_with("..");
        assert_eq!(text(&b), "\u{e9}\u{e9}\u{e9}\u{e9}..");
    }

    #[test]
    fn marker_leaves_a_whole_message_alone() {
        let mut b = MsgBuf::<16>::new();
        b.write_str("short").unwrap();
        b.end_truncated_with("...\n");
        assert_eq!(text(&b), "short");
    }

    #[test]
    fn marker_longer_than_the_buffer_is_cut() {
        let mut b = MsgBuf::<4>::new();
        b.write_str("abcdef").unwrap();
        b.end_truncated_with("[cut]");
        assert_eq!(text(&b), "[cu");
    }

    #[test]
    fn terminate_replaces_interior_nul() {
        let mut b = MsgBuf::<16>::new();
        b.write_str("a\0b\0").unwrap();
        assert_eq!(b.terminate().to_bytes(), b"a?b?");
        assert_eq!(b.terminate().to_bytes_with_nul(), b"a?b?\0");
    }

    #[test]
    fn terminate_empty_and_full() {
        let mut b = MsgBuf::<1>::new();
        b.write_str("x").unwrap();
        assert!(b.truncated());
        assert_eq!(b.terminate().to_bytes(), b"");

        let mut b = MsgBuf::<4>::new();
        b.write_str("abcd").unwrap();
        assert_eq!(b.terminate().to_bytes_with_nul(), b"abc\0");
    }
}
