// SPDX-License-Identifier: MIT
/*
 * checksum_test.c - the Internet checksum against RFC 1071's example, a
 * real IPv4 header, a UDP datagram checked by hand, and a bytewise
 * reference over every length and alignment.
 */
#include <keel/checksum.h>
#include <keel/ktest.h>
#include <keel/string.h>

/* Bytewise reference: sum big-endian 16-bit words, fold, complement. */
static u16 ref_csum(const u8 *p, size_t len)
{
	u32 sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static void rfc1071_example(struct ktest *t)
{
	/* RFC 1071 1.4: the sum of these words is 0xddf2 */
	static const u8 data[] = { 0x00, 0x01, 0xf2, 0x03,
				   0xf4, 0xf5, 0xf6, 0xf7 };
	__sum16 c = csum_fold(csum_partial(data, sizeof(data), 0));

	KTEST_EXPECT_EQ(t, ntohs(c), 0x220d);
	KTEST_EXPECT_EQ(t, ntohs(c), ref_csum(data, sizeof(data)));
}

static void ipv4_header(struct ktest *t)
{
	u8 iph[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
		       0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
		       0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	KTEST_EXPECT_EQ(t, ip_fast_csum(iph, 5), 0); /* valid as is */
	iph[10] = iph[11] = 0;
	KTEST_EXPECT_EQ(t, ntohs(ip_fast_csum(iph, 5)), 0xb861);
	iph[8] = 0x3f; /* TTL changed: the old checksum is now wrong */
	iph[10] = 0xb8;
	iph[11] = 0x61;
	KTEST_EXPECT_NE(t, ip_fast_csum(iph, 5), 0);
}

static void udp_pseudo_header(struct ktest *t)
{
	/* 10.0.2.15:7 -> 10.0.2.2:5000, payload "hi"; computed by hand */
	u8 udp[10] = {
		0x00, 0x07, 0x13, 0x88, 0x00, 0x0a, 0x00, 0x00, 'h', 'i'
	};
	__be32 s = htonl(0x0a00020f), d = htonl(0x0a000202);
	__sum16 c = csum_tcpudp_magic(s, d, 10, 17,
				      csum_partial(udp, sizeof(udp), 0));
	u32 sum = 0x0a00 + 0x020f + 0x0a00 + 0x0202 + 17 + 10 + 0x0007 +
		  0x1388 + 0x000a + 0x6869;

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	KTEST_EXPECT_EQ(t, ntohs(c), (u16)~sum);
	memcpy(&udp[6], &c, 2); /* with it in place, the total is 0 */
	KTEST_EXPECT_EQ(
		t, csum_tcpudp_magic(s, d, 10, 17, csum_partial(udp, 10, 0)),
		0);
}

static void matches_reference_everywhere(struct ktest *t)
{
	static u8 buf[80];
	u32 x = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = x >> 16;
	}
	for (size_t off = 0; off < 4; off++) {
		for (size_t len = 0; len + off <= sizeof(buf); len++) {
			u16 got = ntohs(
				csum_fold(csum_partial(buf + off, len, 0)));

			if (got != ref_csum(buf + off, len)) {
				KTEST_EXPECT_EQ(t, got,
						ref_csum(buf + off, len));
				return;
			}
		}
	}
}

static void partial_sums_chain(struct ktest *t)
{
	static const u8 data[] = "keel checksums chain in pieces!";
	size_t n = sizeof(data) - 1; /* odd */
	u32 whole = csum_partial(data, n, 0);
	u32 split = csum_partial(data + 8, n - 8, csum_partial(data, 8, 0));

	KTEST_EXPECT_EQ(t, csum_fold(whole), csum_fold(split));
}

static struct ktest_case checksum_cases[] = {
	KTEST_CASE(rfc1071_example),
	KTEST_CASE(ipv4_header),
	KTEST_CASE(udp_pseudo_header),
	KTEST_CASE(matches_reference_everywhere),
	KTEST_CASE(partial_sums_chain),
	{}
};
KTEST_SUITE(checksum, checksum_cases);
