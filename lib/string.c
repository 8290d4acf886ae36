// SPDX-License-Identifier: MIT
/*
 * string.c - memory and string routines for a freestanding kernel, plus the
 * small parsers (kstrto*, memparse, glob_match) that the command line, the
 * monitor and the test filter share. Parsers return 0 or -EINVAL/-ERANGE and
 * never write the result on error.
 */
#include <keel/errno.h>
#include <keel/kasan.h>
#include <keel/string.h>

#define RET_IP ((unsigned long)__builtin_return_address(0))

void *__memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n)
			     :
			     : "memory");
	return ret;
}

void *__memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return __memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/*
 * Eight bytes a step, then the tail: QEMU's TCG runs a rep string
 * instruction one element at a time, so stosq zeroes the 1.1 GiB of
 * KASAN shadow an 8 GiB machine needs about 8 times faster than stosb.
 */
void *__memset(void *dst, int c, size_t n)
{
	unsigned long v = 0x0101010101010101UL * (unsigned char)c;
	size_t words = n >> 3, tail = n & 7;
	void *ret = dst;

	__asm__ __volatile__("rep stosq"
			     : "+D"(dst), "+c"(words)
			     : "a"(v)
			     : "memory");
	__asm__ __volatile__("rep stosb"
			     : "+D"(dst), "+c"(tail)
			     : "a"(c)
			     : "memory");
	return ret;
}

/* With KASAN the public ones check both ranges first (this file is not
 * instrumented: the compiler sees no access in rep movsb). */
void *memcpy(void *dst, const void *src, size_t n)
{
	if (KEEL_KASAN) {
		kasan_check_range(src, n, false, RET_IP);
		kasan_check_range(dst, n, true, RET_IP);
	}
	return __memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	if (KEEL_KASAN) {
		kasan_check_range(src, n, false, RET_IP);
		kasan_check_range(dst, n, true, RET_IP);
	}
	return __memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	if (KEEL_KASAN)
		kasan_check_range(dst, n, true, RET_IP);
	return __memset(dst, c, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

/* Copy at most size-1 bytes and terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Shell-style match: '*' any run, '?' any one character. */
bool glob_match(const char *pat, const char *str)
{
	const char *back_pat = NULL, *back_str = NULL;

	for (;;) {
		if (*pat == '*') {
			back_pat = ++pat;
			back_str = str;
			continue;
		}
		if (*str && (*pat == '?' || *pat == *str)) {
			pat++;
			str++;
			continue;
		}
		if (!*str && !*pat)
			return true;
		if (!back_pat || !*back_str)
			return false;
		pat = back_pat;
		str = ++back_str;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parse an unsigned number, stopping at the first non-digit. Base 0 picks
 * 16 for "0x", 8 for a leading 0, else 10. Returns characters consumed
 * (0 if none) and -ERANGE on overflow.
 */
static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	const char *p = s;
	unsigned long long v = 0;
	int d;

	if (!base) {
		base = 10;
		if (p[0] == '0') {
			base = 8;
			if ((p[1] == 'x' || p[1] == 'X') &&
			    digit_value(p[2]) < 16) {
				base = 16;
				p += 2;
			}
		}
	} else if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
	}
	for (; (d = digit_value(*p)) < (int)base; p++) {
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = v;
	return p - s;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v;
	int n;

	if (*s == '+')
		s++;
	n = parse_ull(s, base, &v);
	if (n < 0)
		return n;
	if (n == 0 || s[n] != '\0')
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (*s == '-') {
		err = kstrtoull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0 - v);
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int err = kstrtoull(s, base, &v);

	if (err)
		return err;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "on") ||
	    !strcmp(s, "yes") || !strcmp(s, "true")) {
		*res = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "off") ||
	    !strcmp(s, "no") || !strcmp(s, "false")) {
		*res = false;
		return 0;
	}
	return -EINVAL;
}

/* "64M", "8G", "4096", "2k": a size with an optional K/M/G suffix. */
int memparse(const char *s, unsigned long long *res)
{
	unsigned long long v;
	unsigned int shift = 0;
	int n = parse_ull(s, 0, &v);

	if (n <= 0)
		return n ? n : -EINVAL;
	switch (s[n]) {
	case 'G': /* NOLINT(bugprone-branch-clone): the cases fall through */
	case 'g':
		shift += 10;
		/* fall through */
	case 'M':
	case 'm':
		shift += 10;
		/* fall through */
	case 'K':
	case 'k':
		shift += 10;
		n++;
		break;
	}
	if (s[n] != '\0')
		return -EINVAL;
	if (shift && v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*res = v << shift;
	return 0;
}
