// SPDX-License-Identifier: MIT
/*
 * vsprintf.c - the formatter behind printk and snprintf.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %% with flags - 0 + space #, width,
 * precision (also '*'), and length modifiers hh h l ll z t. %pS prints a
 * kernel text address as symbol+offset/size, %pM the 6-byte MAC address
 * and %pI4 the 4-byte IPv4 address (network order) the pointer points
 * at, as Linux does. Output is always
 * NUL-terminated when size > 0; the return value is the length the full
 * output would have had (C99), so callers can detect truncation.
 */
#include <keel/kallsyms.h>
#include <keel/printk.h>
#include <keel/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	int width;
	int prec; /* -1: none */
	bool left;
	bool zero;
	bool plus;
	bool space;
	bool alt; /* '#': 0x prefix for hex */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, sp->prec) : strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, total;
	char sign = 0;
	bool prefix = sp->alt && base == 16 && v;

	if (neg)
		sign = '-';
	else if (sp->plus)
		sign = '+';
	else if (sp->space)
		sign = ' ';
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	zeros = sp->prec > n ? sp->prec - n : 0;
	total = n + zeros + (sign != 0) + 2 * prefix;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	if (sign)
		put(o, sign);
	if (prefix) {
		put(o, '0');
		put(o, upper ? 'X' : 'x');
	}
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static void put_symbol(struct out *o, unsigned long addr, const struct spec *sp)
{
	char sym[128];

	kallsyms_format(addr, sym, sizeof(sym));
	put_str(o, sym, sp);
}

/* %pM: aa:bb:cc:dd:ee:ff */
static void put_mac(struct out *o, const u8 *a, const struct spec *sp)
{
	char s[18];

	if (!a) {
		put_str(o, "(null)", sp);
		return;
	}
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1],
		 a[2], a[3], a[4], a[5]);
	put_str(o, s, sp);
}

/* %pI4: a.b.c.d from four bytes in network order */
static void put_ipv4(struct out *o, const u8 *a, const struct spec *sp)
{
	char s[16];

	if (!a) {
		put_str(o, "(null)", sp);
		return;
	}
	snprintf(s, sizeof(s), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	put_str(o, s, sp);
}

static int parse_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else if (*fmt == '0')
			sp->zero = true;
		else if (*fmt == '+')
			sp->plus = true;
		else if (*fmt == ' ')
			sp->space = true;
		else if (*fmt == '#')
			sp->alt = true;
		else
			break;
	}
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		fmt++;
	} else {
		sp->width = parse_int(&fmt);
	}
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			sp->prec = va_arg(*ap, int);
			fmt++;
		} else {
			sp->prec = parse_int(&fmt);
		}
		if (sp->prec < 0)
			sp->prec = -1;
	}
	return fmt;
}

/* Length modifier: 0 int, 1 char, 2 short, 3 long, 4 long long/size_t. */
static const char *parse_length(const char *fmt, int *len)
{
	*len = 0;
	if (fmt[0] == 'h') {
		*len = fmt[1] == 'h' ? 1 : 2;
		return fmt + (fmt[1] == 'h' ? 2 : 1);
	}
	if (fmt[0] == 'l') {
		*len = fmt[1] == 'l' ? 4 : 3;
		return fmt + (fmt[1] == 'l' ? 2 : 1);
	}
	if (fmt[0] == 'z' || fmt[0] == 't') {
		*len = 4;
		return fmt + 1;
	}
	return fmt;
}

static unsigned long long fetch_unsigned(int len, va_list *ap)
{
	switch (len) {
	case 1: return (unsigned char)va_arg(*ap, unsigned int);
	case 2: return (unsigned short)va_arg(*ap, unsigned int);
	case 3: return va_arg(*ap, unsigned long);
	case 4: return va_arg(*ap, unsigned long long);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(int len, va_list *ap)
{
	switch (len) {
	case 1: return (signed char)va_arg(*ap, int);
	case 2: return (short)va_arg(*ap, int);
	case 3: return va_arg(*ap, long);
	case 4: return va_arg(*ap, long long);
	default: return va_arg(*ap, int);
	}
}

static const char *format_pointer(struct out *o, const char *fmt,
				  struct spec *sp, va_list *ap)
{
	void *p = va_arg(*ap, void *);

	if (*fmt == 'S' || *fmt == 's') {
		put_symbol(o, (unsigned long)p, sp);
		return fmt + 1;
	}
	if (*fmt == 'M') {
		put_mac(o, p, sp);
		return fmt + 1;
	}
	if (fmt[0] == 'I' && fmt[1] == '4') {
		put_ipv4(o, p, sp);
		return fmt + 2;
	}
	sp->zero = true;
	if (!sp->width)
		sp->width = 16;
	put_num(o, (unsigned long)p, false, 16, false, sp);
	return fmt;
}

static void format_one(struct out *o, char conv, int len, struct spec *sp,
		       va_list *ap)
{
	long long s;

	switch (conv) {
	case 'd':
	case 'i':
		s = fetch_signed(len, ap);
		put_num(o, s < 0 ? 0ULL - (unsigned long long)s : (u64)s, s < 0,
			10, false, sp);
		break;
	case 'u':
		put_num(o, fetch_unsigned(len, ap), false, 10, false, sp);
		break;
	case 'x':
	case 'X':
		put_num(o, fetch_unsigned(len, ap), false, 16, conv == 'X', sp);
		break;
	case 'o':
		put_num(o, fetch_unsigned(len, ap), false, 8, false, sp);
		break;
	case 'c': {
		char c[2] = { (char)va_arg(*ap, int), 0 };

		sp->prec = 1;
		put_str(o, c, sp);
		break;
	}
	case 's': put_str(o, va_arg(*ap, const char *), sp); break;
	case '%': put(o, '%'); break;
	default: /* unknown conversion: print it literally */
		put(o, '%');
		if (conv)
			put(o, conv);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { .buf = buf, .size = size };
	struct spec sp;
	va_list ap;
	int len;

	va_copy(ap, args);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		fmt = parse_length(fmt, &len);
		if (*fmt == 'p') {
			fmt = format_pointer(&o, fmt + 1, &sp, &ap);
			continue;
		}
		format_one(&o, *fmt, len, &sp, &ap);
		if (*fmt)
			fmt++;
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT_MAX ? INT_MAX : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Like snprintf, but returns the bytes actually stored (without NUL). */
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (!size)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}
