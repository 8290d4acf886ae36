// SPDX-License-Identifier: MIT
/*
 * vsprintf_test.c - formatting edge cases: every conversion, flags,
 * width/precision, extreme values, NULL strings, truncation and the C99
 * return value.
 */
#include <keel/kallsyms.h>
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/string.h>

/*
 * Formats the compiler's -Wformat rejects (on purpose: they are the edge
 * cases) go through this unchecked wrapper.
 */
static int unchecked_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define EXPECT_FMT_UNCHECKED(t, want, fmt, ...)                         \
	do {                                                            \
		char __buf[128];                                        \
		int __n = unchecked_snprintf(__buf, sizeof(__buf), fmt, \
					     ##__VA_ARGS__);            \
		KTEST_EXPECT_STREQ(t, __buf, want);                     \
		KTEST_EXPECT_EQ(t, __n, (int)strlen(want));             \
	} while (0)

#define EXPECT_FMT(t, want, fmt, ...)                                         \
	do {                                                                  \
		char __buf[128];                                              \
		int __n = snprintf(__buf, sizeof(__buf), fmt, ##__VA_ARGS__); \
		KTEST_EXPECT_STREQ(t, __buf, want);                           \
		KTEST_EXPECT_EQ(t, __n, (int)strlen(want));                   \
	} while (0)

static void fmt_integers(struct ktest *t)
{
	EXPECT_FMT(t, "0 -1 42", "%d %i %u", 0, -1, 42U);
	EXPECT_FMT(t, "-2147483648", "%d", INT_MIN);
	EXPECT_FMT(t, "2147483647", "%d", INT_MAX);
	EXPECT_FMT(t, "4294967295", "%u", UINT_MAX);
	EXPECT_FMT(t, "-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT_FMT(t, "18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT(t, "18446744073709551615", "%zu", (size_t)-1);
	EXPECT_FMT(t, "-1", "%ld", -1L);
	EXPECT_FMT(t, "-128 255", "%hhd %hhu", (signed char)-128,
		   (unsigned char)255);
}

static void fmt_hex(struct ktest *t)
{
	EXPECT_FMT(t, "ff FF", "%x %X", 255U, 255U);
	EXPECT_FMT(t, "ffffffffffffffff", "%lx", ULONG_MAX);
	EXPECT_FMT(t, "0xdead 0XBEEF", "%#x %#X", 0xdeadU, 0xbeefU);
	EXPECT_FMT(t, "0", "%#x", 0U);
	EXPECT_FMT(t, "0x0000ab", "%#08x", 0xabU);
	EXPECT_FMT(t, "17", "%o", 15U);
}

static void fmt_width_and_flags(struct ktest *t)
{
	EXPECT_FMT(t, "   42", "%5d", 42);
	EXPECT_FMT(t, "42   |", "%-5d|", 42);
	EXPECT_FMT(t, "00042", "%05d", 42);
	EXPECT_FMT(t, "-0042", "%05d", -42);
	EXPECT_FMT(t, "+42| 42|-42", "%+d|% d|% d", 42, 42, -42);
	EXPECT_FMT(t, "   -7", "%*d", 5, -7);
	EXPECT_FMT(t, "-7   |", "%*d|", -5, -7);
	EXPECT_FMT(t, "12345", "%3d", 12345);
	EXPECT_FMT_UNCHECKED(t, "42   |", "%-05d|", 42);
}

static void fmt_precision(struct ktest *t)
{
	EXPECT_FMT(t, "00042", "%.5d", 42);
	EXPECT_FMT(t, "  00042", "%7.5d", 42);
	EXPECT_FMT(t, "", "%.0d", 0);
	EXPECT_FMT(t, "abc", "%.3s", "abcdef");
	EXPECT_FMT(t, "  ab", "%4.2s", "abcdef");
	EXPECT_FMT(t, "ab", "%.*s", 2, "abcdef");
}

static void fmt_strings_and_chars(struct ktest *t)
{
	const char *null = NULL;

	EXPECT_FMT_UNCHECKED(t, "(null)", "%s", null);
	EXPECT_FMT(t, "x|  y|z  ", "%c|%3c|%-3c", 'x', 'y', 'z');
	EXPECT_FMT(t, "  hi|hi  |", "%4s|%-4s|", "hi", "hi");
	EXPECT_FMT(t, "100%", "%d%%", 100);
	EXPECT_FMT(t, "", "%s", "");
}

static void fmt_net_addresses(struct ktest *t)
{
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0xab };
	static const u8 ip[4] = { 10, 0, 2, 15 };

	EXPECT_FMT(t, "52:54:00:12:34:ab", "%pM", mac);
	EXPECT_FMT(t, "[10.0.2.15]", "[%pI4]", ip);
	EXPECT_FMT(t, "  10.0.2.15|", "%11pI4|", ip);
	EXPECT_FMT(t, "(null)", "%pM", (void *)NULL);
}

static void fmt_pointers(struct ktest *t)
{
	char want[64];

	EXPECT_FMT(t, "0000000000000000", "%p", (void *)NULL);
	EXPECT_FMT(t, "ffffffff80001234", "%p", (void *)0xffffffff80001234UL);
	snprintf(want, sizeof(want), "fmt_pointers+%#lx/", 0x10UL);
	{
		char got[96];
		unsigned long addr = (unsigned long)fmt_pointers + 0x10;

		snprintf(got, sizeof(got), "%pS", (void *)addr);
		KTEST_EXPECT_EQ(t, strncmp(got, want, strlen(want)), 0);
	}
}

static void fmt_truncation(struct ktest *t)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = snprintf(buf, sizeof(buf), "%s", "0123456789");
	KTEST_EXPECT_EQ(t, n, 10);
	KTEST_EXPECT_STREQ(t, buf, "0123456");
	n = snprintf(buf, 1, "%d", 12345);
	KTEST_EXPECT_EQ(t, n, 5);
	KTEST_EXPECT_EQ(t, buf[0], '\0');
	buf[0] = 'q';
	n = snprintf(buf, 0, "%d", 12345);
	KTEST_EXPECT_EQ(t, n, 5);
	KTEST_EXPECT_EQ(t, buf[0], 'q'); /* size 0 writes nothing */
	n = scnprintf(buf, sizeof(buf), "%s", "0123456789");
	KTEST_EXPECT_EQ(t, n, 7);
}

static void fmt_unknown_conversion(struct ktest *t)
{
	EXPECT_FMT_UNCHECKED(t, "%y 1", "%y %d", 1);
}

static struct ktest_case vsprintf_cases[] = {
	KTEST_CASE(fmt_integers),	    KTEST_CASE(fmt_hex),
	KTEST_CASE(fmt_width_and_flags),    KTEST_CASE(fmt_precision),
	KTEST_CASE(fmt_strings_and_chars),  KTEST_CASE(fmt_pointers),
	KTEST_CASE(fmt_net_addresses),	    KTEST_CASE(fmt_truncation),
	KTEST_CASE(fmt_unknown_conversion), {}
};
KTEST_SUITE(vsprintf, vsprintf_cases);
