// SPDX-License-Identifier: MIT
/*
 * initramfs_test.c - the cpio unpacker and the gzip decoder on crafted
 * archives: good ones (raw, gzip with stored, fixed and dynamic
 * Huffman blocks, concatenated) and broken ones (each must stop with
 * its error and keep what came before, never fault).
 */
#include <keel/inflate.h>
#include <keel/printk.h>
#include <keel/slab.h>

#include "initramfs.h"
#include "vfs_test_util.h"

/*
 * A cpio archive (made with Python's zlib) of: d/ (0755), d/hello (60
 * lines, see expected_hello), l -> d/hello, the trailer, zero padding
 * to 512 bytes; gzip level 9 (dynamic Huffman) and Z_FIXED.
 */
static const u8 gz_dynamic[219] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0x97,
	0xcd, 0x0a, 0x82, 0x40, 0x14, 0x85, 0x67, 0xdd, 0x53, 0x5c, 0x9f, 0xa0,
	0x3b, 0xfe, 0xd3, 0xce, 0x4a, 0x21, 0x68, 0x25, 0xbd, 0x40, 0xe5, 0x94,
	0xd6, 0xe4, 0x94, 0x65, 0x7f, 0x4f, 0x1f, 0x0a, 0x46, 0x42, 0x90, 0xcd,
	0x2e, 0xba, 0x67, 0x71, 0x19, 0x18, 0x3e, 0x0e, 0x7c, 0xbb, 0x83, 0x1e,
	0x7a, 0xc8, 0xb1, 0x8e, 0xeb, 0x54, 0xd7, 0xe6, 0xe1, 0x18, 0xdf, 0x87,
	0xa3, 0x5e, 0xcc, 0xe6, 0x91, 0x30, 0x7c, 0xed, 0x73, 0xab, 0xeb, 0xf3,
	0xc0, 0xee, 0xd4, 0x37, 0xb2, 0xba, 0xf6, 0xf9, 0xcf, 0xbe, 0x7e, 0x2a,
	0xa4, 0x54, 0x8c, 0x31, 0x99, 0xe5, 0x02, 0x70, 0x00, 0xa7, 0x54, 0xc0,
	0xa1, 0xcc, 0x96, 0x5b, 0x58, 0x14, 0xea, 0x92, 0xc3, 0x4a, 0x5d, 0x61,
	0x53, 0xee, 0xf6, 0x47, 0x50, 0x67, 0x51, 0xd4, 0xdf, 0x72, 0x7e, 0xbf,
	0x41, 0xa2, 0xd6, 0xbd, 0x9a, 0xe1, 0x1a, 0x8c, 0xa9, 0xc1, 0x58, 0x1a,
	0x8c, 0xad, 0xc1, 0x38, 0x1a, 0x8c, 0xab, 0xc1, 0x90, 0x6b, 0x72, 0x4d,
	0xae, 0xc9, 0x35, 0xb9, 0x26, 0xd7, 0xe4, 0x9a, 0x5c, 0x93, 0x6b, 0x72,
	0xfd, 0x43, 0xae, 0x5b, 0x3b, 0xc5, 0xab, 0x6e, 0xc0, 0xa3, 0xa8, 0xe3,
	0x2e, 0xf2, 0xbe, 0xdd, 0x45, 0x92, 0x35, 0x4b, 0xa5, 0xd5, 0xeb, 0x7f,
	0xe0, 0x75, 0xf7, 0xd8, 0xb0, 0x79, 0xcc, 0xe2, 0x60, 0x32, 0x0d, 0x63,
	0xc3, 0x30, 0x18, 0xe5, 0x2f, 0xf3, 0x00, 0x4c, 0x27, 0x9c, 0x79, 0x00,
	0x10, 0x00, 0x00,
};
static const u8 gz_fixed[223] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x33, 0x30,
	0x37, 0x30, 0x37, 0x30, 0x34, 0x00, 0x03, 0x33, 0x53, 0x10, 0x69, 0x62,
	0xe8, 0xea, 0x62, 0x80, 0x1d, 0x18, 0x1a, 0x90, 0x07, 0x8c, 0x60, 0x8c,
	0x14, 0x06, 0x03, 0x64, 0xfb, 0xcc, 0x40, 0xa4, 0x85, 0xa1, 0xa3, 0x09,
	0x51, 0xf6, 0x39, 0x1b, 0x13, 0x6b, 0x9f, 0x05, 0xdc, 0x3e, 0xfd, 0x8c,
	0xd4, 0x9c, 0x9c, 0x7c, 0x06, 0x06, 0x86, 0x9c, 0xcc, 0xbc, 0x54, 0x05,
	0x03, 0x2b, 0x85, 0x92, 0x8c, 0x54, 0x85, 0xc2, 0xd2, 0xcc, 0xe4, 0x6c,
	0x85, 0xa4, 0xa2, 0xfc, 0xf2, 0x3c, 0x85, 0xb4, 0xfc, 0x0a, 0x85, 0xac,
	0xd2, 0xdc, 0x82, 0x62, 0x85, 0xfc, 0xb2, 0xd4, 0x22, 0xb0, 0x74, 0x4e,
	0x62, 0x55, 0xa5, 0x42, 0x4a, 0x7e, 0x3a, 0x17, 0x58, 0x8f, 0x21, 0x19,
	0x7a, 0x8c, 0xc8, 0xd0, 0x63, 0x4c, 0x86, 0x1e, 0x13, 0x32, 0xf4, 0x98,
	0x92, 0xa1, 0xc7, 0x8c, 0x0c, 0x3d, 0xa3, 0x61, 0x3d, 0x1a, 0xd6, 0xa3,
	0x61, 0x3d, 0x1a, 0xd6, 0xa3, 0x61, 0x3d, 0x1a, 0xd6, 0xa3, 0x61, 0x3d,
	0x1a, 0xd6, 0xa3, 0x61, 0x3d, 0x1a, 0xd6, 0x43, 0x28, 0xac, 0x51, 0xfa,
	0x29, 0xe6, 0x20, 0xd2, 0xd1, 0xd0, 0xcd, 0x8d, 0xc8, 0x7e, 0x91, 0x39,
	0xa9, 0xfd, 0xa2, 0x1c, 0x06, 0x58, 0x4f, 0x05, 0xc5, 0x5e, 0x0b, 0x02,
	0xfa, 0xc9, 0xed, 0x8f, 0x39, 0xc1, 0x18, 0x21, 0x41, 0x8e, 0x9e, 0x3e,
	0xae, 0x41, 0x8a, 0x8a, 0x8a, 0x0c, 0xa3, 0x60, 0x44, 0x02, 0x00, 0x4c,
	0x27, 0x9c, 0x79, 0x00, 0x10, 0x00, 0x00,
};

/* What d/hello holds in the archives above. */
static size_t expected_hello(char *buf, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < 60; i++)
		n += snprintf(
			buf + n, size - n,
			"line %d: the quick brown fox jumps over the lazy dog\n",
			i % 7);
	return n;
}

struct arc {
	u8 *buf;
	size_t len;
	u32 ino;
};

static void arc_put(struct arc *a, const void *p, size_t n)
{
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void arc_pad(struct arc *a)
{
	while (a->len & 3)
		a->buf[a->len++] = 0;
}

/* A newc header with namesize and filesize as given (may lie). */
static void arc_header_ino(struct arc *a, u32 ino, u32 nlink, u32 mode,
			   u32 filesize, u32 rdev, u32 namesize)
{
	char h[CPIO_HDR_LEN + 1];

	snprintf(h, sizeof(h),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 0, 0, nlink, 0, filesize, 0, 0, MAJOR(rdev),
		 MINOR(rdev), namesize, 0);
	arc_put(a, h, CPIO_HDR_LEN);
}

static void arc_header(struct arc *a, u32 mode, u32 filesize, u32 rdev,
		       u32 namesize)
{
	arc_header_ino(a, ++a->ino, 1, mode, filesize, rdev, namesize);
}

static void arc_add(struct arc *a, const char *name, u32 mode, const char *data,
		    u32 rdev)
{
	size_t dlen = data ? strlen(data) : 0;

	arc_header(a, mode, dlen, rdev, strlen(name) + 1);
	arc_put(a, name, strlen(name) + 1);
	arc_pad(a);
	arc_put(a, data, dlen);
	arc_pad(a);
}

static void arc_trailer(struct arc *a)
{
	arc_add(a, "TRAILER!!!", 0, NULL, 0);
}

static int arc_init(struct ktest *t)
{
	struct arc *a = kzalloc(sizeof(*a), GFP_KERNEL);
	int err;

	if (!a)
		return -ENOMEM;
	a->buf = kzalloc(16384, GFP_KERNEL);
	if (!a->buf) {
		kfree(a);
		return -ENOMEM;
	}
	t->priv = a;
	err = vfs_test_init(t);
	if (err) { /* no arc_exit after a failed init */
		kfree(a->buf);
		kfree(a);
	}
	return err;
}

static void arc_exit(struct ktest *t)
{
	struct arc *a = t->priv;

	vfs_test_exit(t);
	kfree(a->buf);
	kfree(a);
}

static int unpack(struct arc *a, struct unpack_result *res)
{
	return unpack_archive(a->buf, a->len, "/kt", res);
}

static long mode_of(const char *name)
{
	struct kstat st;
	int err = vfs_statx(AT_FDCWD, name, AT_SYMLINK_NOFOLLOW, &st);

	return err ? err : st.mode;
}

static void cpio_raw_entries(struct ktest *t)
{
	struct arc *a = t->priv;
	struct unpack_result res;
	struct kstat st;
	char buf[32];

	arc_add(a, "./dir", S_IFDIR | 0750, NULL, 0);
	arc_add(a, "dir/file", S_IFREG | 0640, "contents", 0);
	arc_add(a, "dir/empty", S_IFREG | 0600, NULL, 0);
	arc_add(a, "link", S_IFLNK | 0777, "dir/file", 0);
	arc_add(a, "null", S_IFCHR | 0666, NULL, MKDEV(1, 3));
	arc_trailer(a);
	KTEST_EXPECT_EQ(t, unpack(a, &res), 0);
	KTEST_EXPECT_NULL(t, res.why);
	KTEST_EXPECT_EQ(t, res.entries, 5UL);
	KTEST_EXPECT_EQ(t, res.archives, 1UL);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/link", buf, sizeof(buf)), 8);
	KTEST_EXPECT_STREQ(t, buf, "contents");
	/* modes as archived, not less the umask */
	KTEST_EXPECT_EQ(t, mode_of("/kt/dir"), S_IFDIR | 0750);
	KTEST_EXPECT_EQ(t, mode_of("/kt/dir/file"), S_IFREG | 0640);
	KTEST_EXPECT_EQ(t, mode_of("/kt/link"), S_IFLNK | 0777);
	KTEST_ASSERT_EQ(t, vfs_statx(AT_FDCWD, "/kt/null", 0, &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFCHR | 0666);
	KTEST_EXPECT_EQ(t, st.rdev, (dev_t)MKDEV(1, 3));
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/dir/empty", buf, sizeof(buf)), 0);
}

static void check_hello_tree(struct ktest *t)
{
	char *want = kmalloc(4096, GFP_KERNEL),
	     *got = kmalloc(4096, GFP_KERNEL);
	size_t n;

	KTEST_ASSERT_TRUE(t, want && got);
	n = expected_hello(want, 4096);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/l", got, 4096), (ssize_t)n);
	KTEST_EXPECT_MEMEQ(t, got, want, n);
	KTEST_EXPECT_EQ(t, mode_of("/kt/d"), S_IFDIR | 0755);
	kfree(want);
	kfree(got);
}

/* A hard-linked pair, GNU cpio style: the data comes with the last. */
static void arc_add_link(struct arc *a, const char *name, const char *data)
{
	size_t dlen = strlen(data);

	arc_header_ino(a, 4242, 2, S_IFREG | 0644, dlen, 0, strlen(name) + 1);
	arc_put(a, name, strlen(name) + 1);
	arc_pad(a);
	arc_put(a, data, dlen);
	arc_pad(a);
}

static void cpio_hard_links(struct ktest *t)
{
	struct arc *a = t->priv;
	struct unpack_result res;
	struct kstat s1, s2;
	char buf[16];

	arc_add_link(a, "one", "");
	arc_add_link(a, "two", "shared");
	arc_trailer(a);
	KTEST_EXPECT_EQ(t, unpack(a, &res), 0);
	KTEST_ASSERT_EQ(t, vfs_statx(AT_FDCWD, "/kt/one", 0, &s1), 0);
	KTEST_ASSERT_EQ(t, vfs_statx(AT_FDCWD, "/kt/two", 0, &s2), 0);
	KTEST_EXPECT_EQ(t, s1.ino, s2.ino);
	KTEST_EXPECT_EQ(t, s1.nlink, 2U);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/one", buf, sizeof(buf)), 6);
	KTEST_EXPECT_STREQ(t, buf, "shared");
}

static void gzip_dynamic_and_fixed(struct ktest *t)
{
	struct unpack_result res;

	KTEST_EXPECT_EQ(
		t, unpack_archive(gz_dynamic, sizeof(gz_dynamic), "/kt", &res),
		0);
	KTEST_EXPECT_EQ(t, res.entries, 3UL);
	check_hello_tree(t);
	KTEST_ASSERT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/d/hello"), 0);
	KTEST_EXPECT_EQ(
		t, unpack_archive(gz_fixed, sizeof(gz_fixed), "/kt", &res), 0);
	check_hello_tree(t);
}

/* data as a gzip member of stored blocks of at most 100 bytes. */
static void arc_put_gzip_stored(struct arc *a, const u8 *data, size_t len)
{
	static const u8 hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	u32 crc = crc32_le(0, data, len);
	size_t off = 0;

	arc_put(a, hdr, sizeof(hdr));
	do {
		u16 n = min(len - off, (size_t)100);
		u8 b[5] = { off + n == len, n, n >> 8, ~n, (u16)~n >> 8 };

		arc_put(a, b, 5);
		arc_put(a, data + off, n);
		off += n;
	} while (off < len);
	arc_put(a, &crc, 4);
	arc_put(a, &(u32){ len }, 4);
}

static void gzip_stored_concatenated(struct ktest *t)
{
	struct arc *a = t->priv, inner = { .buf = kzalloc(2048, GFP_KERNEL) };
	struct unpack_result res;
	char buf[16];

	KTEST_ASSERT_NOT_NULL(t, inner.buf);
	arc_add(a, "first", S_IFREG | 0644, "raw", 0);
	arc_trailer(a);
	memset(a->buf + a->len, 0, 64); /* padding between the two */
	a->len += 64;
	arc_add(&inner, "second", S_IFREG | 0644, "from gzip", 0);
	arc_add(&inner, "first", S_IFREG | 0644, "replaced", 0);
	arc_trailer(&inner);
	arc_put_gzip_stored(a, inner.buf, inner.len);
	kfree(inner.buf);
	KTEST_EXPECT_EQ(t, unpack(a, &res), 0);
	KTEST_EXPECT_NULL(t, res.why);
	KTEST_EXPECT_EQ(t, res.archives, 2UL);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/second", buf, sizeof(buf)), 9);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/first", buf, sizeof(buf)), 8);
	KTEST_EXPECT_STREQ(t, buf, "replaced");
}

/* Unpack a; expect -EINVAL with why containing reason; "ok" exists. */
static void expect_broken(struct ktest *t, struct arc *a, const char *reason)
{
	struct unpack_result res;

	KTEST_EXPECT_EQ(t, unpack(a, &res), -EINVAL);
	KTEST_ASSERT_NOT_NULL(t, res.why);
	if (!strstr(res.why, reason))
		ktest_fail(t, __FILE__, __LINE__, "why \"%s\", wanted \"%s\"",
			   res.why, reason);
	KTEST_EXPECT_EQ(t, lookup_ok("/kt/ok"), true);
}

static void cpio_truncated_header(struct ktest *t)
{
	struct arc *a = t->priv;

	arc_add(a, "ok", S_IFREG | 0644, "fine", 0);
	arc_add(a, "cut", S_IFREG | 0644, "x", 0);
	a->len -= 80; /* into the second header */
	expect_broken(t, a, "truncated");
}

static void cpio_truncated_body(struct ktest *t)
{
	struct arc *a = t->priv;

	arc_add(a, "ok", S_IFREG | 0644, "fine", 0);
	arc_header(a, S_IFREG | 0644, 100000, 0, 4);
	arc_put(a, "big\0", 4);
	arc_put(a, "only a little", 13);
	expect_broken(t, a, "truncated");
	/* what arrived of the cut file is there */
	KTEST_EXPECT_EQ(t, lookup_ok("/kt/big"), true);
}

static void cpio_bad_magic_and_hex(struct ktest *t)
{
	struct arc *a = t->priv;
	size_t at;

	arc_add(a, "ok", S_IFREG | 0644, "fine", 0);
	at = a->len;
	arc_add(a, "bad", S_IFREG | 0644, "x", 0);
	a->buf[at + 5] = '7'; /* 070707: the old binary-ish format */
	expect_broken(t, a, "bad cpio magic");
	a->buf[at + 5] = '1';
	a->buf[at + 6 + 8 * 6 + 3] = 'g'; /* in filesize */
	do_unlinkat(AT_FDCWD, "/kt/ok");
	expect_broken(t, a, "bad hex digit");
}

static void cpio_sizes_out_of_range(struct ktest *t)
{
	struct arc *a = t->priv;
	size_t start;

	arc_add(a, "ok", S_IFREG | 0644, "fine", 0);
	start = a->len;
	arc_header(a, S_IFREG | 0644, 0, 0, 0xffffffff);
	arc_put(a, "n\0\0\0", 4);
	expect_broken(t, a, "name size out of range");
	a->len = start;
	arc_header(a, S_IFREG | 0644, 0, 0, 1);
	arc_put(a, "\0\0\0\0", 4);
	expect_broken(t, a, "name size out of range");
	a->len = start;
	arc_header(a, S_IFREG | 0644, 0xfffffff0, 0, 4);
	arc_put(a, "big\0", 4);
	expect_broken(t, a, "file size too large");
	a->len = start;
	arc_header(a, S_IFLNK | 0777, 5000, 0, 4);
	arc_put(a, "lnk\0", 4);
	expect_broken(t, a, "symlink target too long");
}

static void cpio_name_overrun(struct ktest *t)
{
	struct arc *a = t->priv;

	arc_add(a, "ok", S_IFREG | 0644, "fine", 0);
	/* the name size runs past the name into the data: no NUL */
	arc_header(a, S_IFREG | 0644, 0, 0, 8);
	arc_put(a, "abcdefgh", 8);
	expect_broken(t, a, "not NUL-terminated");
}

static void cpio_bad_entries_skipped(struct ktest *t)
{
	struct arc *a = t->priv;
	struct unpack_result res;

	arc_add(a, "../escape", S_IFREG | 0644, "no", 0);
	arc_add(a, "nodir/file", S_IFREG | 0644, "no", 0);
	arc_add(a, "a/../../b", S_IFDIR | 0755, NULL, 0);
	arc_add(a, "ok", S_IFREG | 0644, "yes", 0);
	arc_trailer(a);
	KTEST_EXPECT_EQ(t, unpack(a, &res), 0);
	KTEST_EXPECT_EQ(t, res.skipped, 3UL);
	KTEST_EXPECT_EQ(t, res.entries, 1UL);
	KTEST_EXPECT_EQ(t, lookup_ok("/escape"), false);
	KTEST_EXPECT_EQ(t, lookup_ok("/kt/ok"), true);
}

static void gzip_broken(struct ktest *t)
{
	u8 *copy = kmalloc(sizeof(gz_dynamic), GFP_KERNEL);
	struct unpack_result res;
	size_t n = sizeof(gz_dynamic);

	KTEST_ASSERT_NOT_NULL(t, copy);
	memcpy(copy, gz_dynamic, n);
	copy[n - 8] ^= 1; /* CRC32 */
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "gzip CRC32 mismatch");
	copy[n - 8] ^= 1;
	copy[n - 4] ^= 1; /* ISIZE */
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "gzip ISIZE mismatch");
	copy[n - 4] ^= 1;
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n - 30, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "truncated deflate data");
	KTEST_EXPECT_EQ(t, unpack_archive(copy, 6, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "truncated gzip header");
	copy[3] = 0xe0; /* reserved flags */
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "reserved gzip flags set");
	copy[3] = 0;
	copy[10] |= 6; /* block type 3 */
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "invalid block type");
	memcpy(copy, "garbage!", 8);
	KTEST_EXPECT_EQ(t, unpack_archive(copy, n, "/kt", &res), -EINVAL);
	KTEST_EXPECT_STREQ(t, res.why, "neither cpio nor gzip data");
	kfree(copy);
}

/* Random byte flips in a good gzip archive: errors, never a fault. */
static void gzip_mutations_never_fault(struct ktest *t)
{
	u8 *copy = kmalloc(sizeof(gz_dynamic), GFP_KERNEL);
	u32 seed = 12345;
	int failed = 0;

	KTEST_ASSERT_NOT_NULL(t, copy);
	for (int round = 0; round < 300; round++) {
		struct unpack_result res;
		char dir[16];

		memcpy(copy, gz_dynamic, sizeof(gz_dynamic));
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			copy[10 + (seed >> 8) % (sizeof(gz_dynamic) - 10)] ^=
				1 << ((seed >> 4) & 7);
		}
		snprintf(dir, sizeof(dir), "/kt/%d", round);
		KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, dir, 0755), 0);
		failed += unpack_archive(copy, sizeof(gz_dynamic), dir, &res) <
			  0;
	}
	kfree(copy);
	/* a flipped bit almost always shows (CRC32 at worst) */
	KTEST_EXPECT_GT(t, failed, 290);
}

static struct ktest_case initramfs_cases[] = {
	KTEST_CASE(cpio_raw_entries),
	KTEST_CASE(cpio_hard_links),
	KTEST_CASE(gzip_dynamic_and_fixed),
	KTEST_CASE(gzip_stored_concatenated),
	KTEST_CASE(cpio_truncated_header),
	KTEST_CASE(cpio_truncated_body),
	KTEST_CASE(cpio_bad_magic_and_hex),
	KTEST_CASE(cpio_sizes_out_of_range),
	KTEST_CASE(cpio_name_overrun),
	KTEST_CASE(cpio_bad_entries_skipped),
	KTEST_CASE(gzip_broken),
	KTEST_CASE(gzip_mutations_never_fault),
	{}
};
KTEST_SUITE(initramfs, initramfs_cases, .init = arc_init, .exit = arc_exit);
