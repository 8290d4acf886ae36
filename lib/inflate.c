// SPDX-License-Identifier: MIT
/*
 * inflate.c - DEFLATE and gzip decoding (keel/inflate.h).
 *
 * The decoder reads the input LSB-first through a 32-bit bit buffer.
 * Huffman codes are canonical (RFC 1951 3.2.2): a code is built from
 * the count of codes of each length and the symbols in code order, and
 * decoded through a 9-bit lookup table with a bit-at-a-time fallback
 * for longer codes. Output goes into a 64 KiB window: when it is full,
 * the new half is flushed and the last 32 KiB (the longest distance a
 * match can reach back) slide to the front. Every read of the input
 * and every write of the window is bounds-checked; a malformed stream
 * ends with -EINVAL and a reason.
 */
#include <keel/errno.h>
#include <keel/inflate.h>
#include <keel/slab.h>
#include <keel/string.h>

#define MAX_BITS  15
#define FAST_BITS 9
#define WSIZE	  32768U
#define WBUF	  (2 * WSIZE)
#define NR_LITLEN 288
#define NR_DIST	  32
#define NR_CLEN	  19

struct huffman {
	u16 count[MAX_BITS + 1];
	u16 symbol[NR_LITLEN];
	u16 fast[1 << FAST_BITS]; /* len << 9 | symbol; 0: not short */
};

struct inflate_state {
	const u8 *in;
	size_t in_len, in_pos;
	u32 bitbuf;
	unsigned int bitcnt;
	u8 *win;
	size_t out_pos; /* next byte in win */
	size_t flushed; /* win[0..flushed) was handed out */
	u64 total;	/* bytes produced */
	u32 crc;
	inflate_flush_t flush;
	void *arg;
	int flush_err;
	const char *why;
	struct huffman lit, dist;
};

static const u32 crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 crc32_le(u32 crc, const u8 *p, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

static int fail(struct inflate_state *s, const char *why)
{
	if (!s->why)
		s->why = why;
	return -EINVAL;
}

/* Make n (<= 25) bits available; -EINVAL if the input ends first. */
static int need_bits(struct inflate_state *s, unsigned int n)
{
	while (s->bitcnt < n) {
		if (s->in_pos == s->in_len)
			return fail(s, "truncated deflate data");
		s->bitbuf |= (u32)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	return 0;
}

/* n bits (n <= 16) into *v. */
static int get_bits(struct inflate_state *s, unsigned int n, unsigned int *v)
{
	int err = need_bits(s, n);

	if (err)
		return err;
	*v = s->bitbuf & ((1U << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return 0;
}

/* Hand out win[flushed, out_pos) (CRC and total included). */
static int flush_window(struct inflate_state *s)
{
	size_t n = s->out_pos - s->flushed;
	const u8 *p = s->win + s->flushed;

	s->crc = crc32_le(s->crc, p, n);
	s->total += n;
	s->flushed = s->out_pos;
	s->flush_err = n ? s->flush(s->arg, p, n) : 0;
	return s->flush_err;
}

static int put_byte(struct inflate_state *s, u8 b)
{
	if (s->out_pos == WBUF) {
		int err = flush_window(s);

		if (err)
			return err;
		memmove(s->win, s->win + WBUF - WSIZE, WSIZE);
		s->out_pos = s->flushed = WSIZE;
	}
	s->win[s->out_pos++] = b;
	return 0;
}

/* Reverse the low n bits of code (Huffman codes are sent MSB first). */
static unsigned int bit_reverse(unsigned int code, unsigned int n)
{
	unsigned int r = 0;

	while (n--) {
		r = (r << 1) | (code & 1);
		code >>= 1;
	}
	return r;
}

static void build_fast(struct huffman *h, const u8 *lens, unsigned int n)
{
	unsigned int next[MAX_BITS + 2], code = 0;

	memset(h->fast, 0, sizeof(h->fast));
	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		code = (code + h->count[len - 1]) << 1;
		next[len] = code;
	}
	for (unsigned int sym = 0; sym < n; sym++) {
		unsigned int len = lens[sym], rev;

		if (!len)
			continue;
		rev = bit_reverse(next[len]++, len);
		if (len > FAST_BITS)
			continue;
		for (unsigned int i = rev; i < (1U << FAST_BITS);
		     i += 1U << len)
			h->fast[i] = (len << 9) | sym;
	}
}

/* Build h from n code lengths; -EINVAL if over-subscribed. */
static int build_huffman(struct huffman *h, const u8 *lens, unsigned int n)
{
	u16 offs[MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int sym = 0; sym < n; sym++)
		h->count[lens[sym]]++;
	h->count[0] = 0;
	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return -EINVAL;
	}
	offs[1] = 0;
	for (unsigned int len = 1; len < MAX_BITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (unsigned int sym = 0; sym < n; sym++)
		if (lens[sym])
			h->symbol[offs[lens[sym]]++] = sym;
	build_fast(h, lens, n);
	return 0;
}

/* Bit-at-a-time canonical decoding (codes longer than FAST_BITS). */
static int decode_slow(struct inflate_state *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int len = 1; len <= MAX_BITS; len++) {
		unsigned int bit;
		int count = h->count[len];

		if (get_bits(s, 1, &bit))
			return -EINVAL;
		code |= bit;
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return fail(s, "invalid Huffman code");
}

/* The next symbol of h, or -EINVAL. */
static int decode(struct inflate_state *s, const struct huffman *h)
{
	unsigned int e;

	while (s->bitcnt < FAST_BITS && s->in_pos < s->in_len) {
		s->bitbuf |= (u32)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	e = h->fast[s->bitbuf & ((1U << FAST_BITS) - 1)];
	if (e && (e >> 9) <= s->bitcnt) {
		s->bitbuf >>= e >> 9;
		s->bitcnt -= e >> 9;
		return e & 511;
	}
	return decode_slow(s, h);
}

static const u16 len_base[29] = { 3,  4,  5,  6,   7,	8,   9,	  10,  11, 13,
				  15, 17, 19, 23,  27,	31,  35,  43,  51, 59,
				  67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const u8 len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const u16 dist_base[30] = { 1,	 2,    3,    4,	    5,	   7,
				   9,	 13,   17,   25,    33,	   49,
				   65,	 97,   129,  193,   257,   385,
				   513,	 769,  1025, 1537,  2049,  3073,
				   4097, 6145, 8193, 12289, 16385, 24577 };
static const u8 dist_extra[30] = { 0, 0, 0,  0,	 1,  1,	 2,  2,	 3,  3,
				   4, 4, 5,  5,	 6,  6,	 7,  7,	 8,  8,
				   9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* Copy len bytes from dist back; -EINVAL before the start. */
static int copy_match(struct inflate_state *s, unsigned int len,
		      unsigned int dist)
{
	if (dist > s->out_pos)
		return fail(s, "distance before the start of the data");
	while (len--) {
		int err = put_byte(s, s->win[s->out_pos - dist]);

		if (err)
			return err;
	}
	return 0;
}

/* A length/distance pair after length symbol sym (257..285). */
static int do_match(struct inflate_state *s, int sym)
{
	unsigned int len, dist, extra;
	int dsym;

	sym -= 257;
	if (sym >= 29)
		return fail(s, "invalid length symbol");
	if (get_bits(s, len_extra[sym], &extra))
		return -EINVAL;
	len = len_base[sym] + extra;
	dsym = decode(s, &s->dist);
	if (dsym < 0)
		return dsym;
	if (dsym >= 30)
		return fail(s, "invalid distance symbol");
	if (get_bits(s, dist_extra[dsym], &extra))
		return -EINVAL;
	dist = dist_base[dsym] + extra;
	return copy_match(s, len, dist);
}

/* The symbols of one Huffman-coded block, up to end-of-block. */
static int inflate_codes(struct inflate_state *s)
{
	for (;;) {
		int sym = decode(s, &s->lit), err;

		if (sym < 0)
			return sym;
		if (sym < 256)
			err = put_byte(s, sym);
		else if (sym == 256)
			return 0;
		else
			err = do_match(s, sym);
		if (err)
			return err;
	}
}

static int inflate_stored(struct inflate_state *s)
{
	unsigned int len, nlen;

	/* drop the partial byte; whole bytes in the buffer go back */
	s->bitbuf = 0;
	s->in_pos -= s->bitcnt / 8;
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4)
		return fail(s, "truncated stored block");
	len = s->in[s->in_pos] | s->in[s->in_pos + 1] << 8;
	nlen = s->in[s->in_pos + 2] | s->in[s->in_pos + 3] << 8;
	s->in_pos += 4;
	if (len != (~nlen & 0xffff))
		return fail(s, "stored block length check");
	if (s->in_len - s->in_pos < len)
		return fail(s, "truncated stored block");
	while (len--) {
		int err = put_byte(s, s->in[s->in_pos++]);

		if (err)
			return err;
	}
	return 0;
}

static int inflate_fixed(struct inflate_state *s)
{
	u8 lens[NR_LITLEN];
	unsigned int i;

	for (i = 0; i < 144; i++)
		lens[i] = 8;
	for (; i < 256; i++)
		lens[i] = 9;
	for (; i < 280; i++)
		lens[i] = 7;
	for (; i < NR_LITLEN; i++)
		lens[i] = 8;
	build_huffman(&s->lit, lens, NR_LITLEN);
	memset(lens, 5, NR_DIST);
	build_huffman(&s->dist, lens, NR_DIST);
	return inflate_codes(s);
}

/* Code lengths through the code-length code (RFC 1951 3.2.7). */
static int read_lengths(struct inflate_state *s, const struct huffman *cl,
			u8 *lens, unsigned int n)
{
	unsigned int i = 0, rep, v;
	u8 val;

	while (i < n) {
		int sym = decode(s, cl);

		if (sym < 0)
			return sym;
		if (sym < 16) {
			lens[i++] = sym;
			continue;
		}
		if (sym == 16 && i == 0)
			return fail(s, "repeat with no previous length");
		val = sym == 16 ? lens[i - 1] : 0;
		if (get_bits(s, sym == 16 ? 2 : sym == 17 ? 3 : 7, &v))
			return -EINVAL;
		rep = v + (sym == 16 ? 3 : sym == 17 ? 3 : 11);
		if (i + rep > n)
			return fail(s, "code lengths overrun");
		while (rep--)
			lens[i++] = val;
	}
	return 0;
}

static int inflate_dynamic(struct inflate_state *s)
{
	static const u8 order[NR_CLEN] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					   11, 4,  12, 3, 13, 2, 14, 1, 15 };
	unsigned int nlen, ndist, ncode, v;
	u8 lens[NR_LITLEN + NR_DIST] = { 0 };

	if (get_bits(s, 5, &nlen) || get_bits(s, 5, &ndist) ||
	    get_bits(s, 4, &ncode))
		return -EINVAL;
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > 30)
		return fail(s, "too many length or distance codes");
	for (unsigned int i = 0; i < ncode; i++) {
		if (get_bits(s, 3, &v))
			return -EINVAL;
		lens[order[i]] = v;
	}
	if (build_huffman(&s->lit, lens, NR_CLEN))
		return fail(s, "bad code-length code");
	memset(lens, 0, NR_CLEN);
	if (read_lengths(s, &s->lit, lens, nlen + ndist))
		return -EINVAL;
	if (!lens[256])
		return fail(s, "no end-of-block code");
	if (build_huffman(&s->lit, lens, nlen) ||
	    build_huffman(&s->dist, lens + nlen, ndist))
		return fail(s, "over-subscribed Huffman code");
	return inflate_codes(s);
}

/* Every block of a raw DEFLATE stream, then the last flush. */
static int inflate_blocks(struct inflate_state *s)
{
	unsigned int last, type;
	int err;

	do {
		if (get_bits(s, 1, &last) || get_bits(s, 2, &type))
			return -EINVAL;
		if (type == 0)
			err = inflate_stored(s);
		else if (type == 1)
			err = inflate_fixed(s);
		else if (type == 2)
			err = inflate_dynamic(s);
		else
			err = fail(s, "invalid block type");
		if (err)
			return err;
	} while (!last);
	/* whole bytes left in the bit buffer belong to the trailer */
	s->in_pos -= s->bitcnt / 8;
	s->bitcnt = 0;
	return flush_window(s);
}

#define FTEXT	 0x01
#define FHCRC	 0x02
#define FEXTRA	 0x04
#define FNAME	 0x08
#define FCOMMENT 0x10

bool gzip_magic(const u8 *buf, size_t len)
{
	return len >= 3 && buf[0] == 0x1f && buf[1] == 0x8b && buf[2] == 8;
}

/* Skip a NUL-terminated field at *pos; false if it runs off the end. */
static bool skip_string(const u8 *in, size_t len, size_t *pos)
{
	const u8 *end = memchr(in + *pos, 0, len - *pos);

	if (!end)
		return false;
	*pos = end - in + 1;
	return true;
}

/* The gzip member header (RFC 1952 2.3): its length, or -EINVAL. */
static long gzip_header(const u8 *in, size_t len, const char **why)
{
	size_t pos = 10;
	u8 flg;

	*why = "truncated gzip header";
	if (len < 10)
		return -EINVAL;
	*why = "not gzip data (bad magic or method)";
	if (!gzip_magic(in, len))
		return -EINVAL;
	flg = in[3];
	*why = "reserved gzip flags set";
	if (flg & 0xe0)
		return -EINVAL;
	*why = "truncated gzip header";
	if (flg & FEXTRA) {
		if (len - pos < 2)
			return -EINVAL;
		pos += 2 + (in[pos] | in[pos + 1] << 8);
		if (pos > len)
			return -EINVAL;
	}
	if ((flg & FNAME) && !skip_string(in, len, &pos))
		return -EINVAL;
	if ((flg & FCOMMENT) && !skip_string(in, len, &pos))
		return -EINVAL;
	if (flg & FHCRC)
		pos += 2;
	if (pos > len)
		return -EINVAL;
	*why = NULL;
	return pos;
}

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Run the DEFLATE stream of a member whose header ended at hlen. */
static long gunzip_body(struct inflate_state *s, size_t hlen)
{
	int err;

	s->in_pos = hlen;
	err = inflate_blocks(s);
	if (err)
		return s->flush_err ? s->flush_err : err;
	if (s->in_len - s->in_pos < 8)
		return fail(s, "truncated gzip trailer");
	if (get_le32(s->in + s->in_pos) != s->crc)
		return fail(s, "gzip CRC32 mismatch");
	if (get_le32(s->in + s->in_pos + 4) != (u32)s->total)
		return fail(s, "gzip ISIZE mismatch");
	return s->in_pos + 8;
}

long gunzip(const u8 *in, size_t len, inflate_flush_t flush, void *arg,
	    const char **why)
{
	struct inflate_state *s;
	long hlen = gzip_header(in, len, why), ret;

	if (hlen < 0)
		return hlen;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->win = kmalloc(WBUF, GFP_KERNEL);
	ret = -ENOMEM;
	if (!s->win)
		goto out;
	s->in = in;
	s->in_len = len;
	s->flush = flush;
	s->arg = arg;
	ret = gunzip_body(s, hlen);
	*why = s->why;
out:
	kfree(s->win);
	kfree(s);
	return ret;
}
