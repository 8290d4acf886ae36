// SPDX-License-Identifier: MIT
/*
 * serial8250_test.c - the COM1 receive path by interrupt.
 *
 * The UART's loopback mode (MCR bit 4) feeds transmitted bytes back to
 * the receiver, which raises IRQ 4 like a byte from the wire. While the
 * loop is closed nothing reaches the console, so the case prints nothing
 * until the UART is back to normal.
 */
#include <asm/cpu.h>
#include <asm/io.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/serial.h>
#include <keel/time.h>

#define COM1	    0x3f8
#define REG_DATA    0
#define REG_MCR	    4
#define REG_LSR	    5
#define MCR_LOOP    0x10
#define LSR_TEMT    0x40 /* transmitter completely empty */
#define COM1_IRQ    4
#define DEADLINE_NS NSEC_PER_SEC

static void drain_input(void)
{
	while (serial_read_char() >= 0)
		;
}

/* Send s through the loop; returns the bytes read back by interrupt. */
static unsigned int loopback(const char *s, unsigned int n, char *out)
{
	u8 mcr = inb(COM1 + REG_MCR);
	unsigned int got = 0;
	u64 t0;

	while (!(inb(COM1 + REG_LSR) & LSR_TEMT))
		cpu_relax();
	outb(COM1 + REG_MCR, mcr | MCR_LOOP);
	for (unsigned int i = 0; i < n; i++) {
		outb(COM1 + REG_DATA, s[i]);
		t0 = ktime_get_ns();
		while (got <= i && ktime_get_ns() - t0 < DEADLINE_NS) {
			int c = serial_read_char();

			if (c >= 0)
				out[got++] = c;
		}
	}
	outb(COM1 + REG_MCR, mcr);
	return got;
}

static void received_bytes_arrive_by_irq_in_order(struct ktest *t)
{
	u64 irqs = irq_count(COM1_IRQ);
	char out[4] = { 0 };
	unsigned int got;

	drain_input();
	got = loopback("keel", 4, out);
	KTEST_EXPECT_EQ(t, got, 4U);
	KTEST_EXPECT_MEMEQ(t, out, "keel", 4);
	KTEST_EXPECT_GE(t, irq_count(COM1_IRQ), irqs + 4);
}

static void read_char_empty_is_minus_one(struct ktest *t)
{
	drain_input();
	KTEST_EXPECT_EQ(t, serial_read_char(), -1);
}

/*
 * With interrupts off the byte's IRQ stays pending and the ring empty, so
 * serial_wait_char() must sleep, be woken by IRQ 4, and hand the caller
 * back its interrupts-off state.
 */
static void wait_char_sleeps_until_irq(struct ktest *t)
{
	u8 mcr = inb(COM1 + REG_MCR);
	unsigned long flags;
	bool still_off;
	int c;

	drain_input();
	while (!(inb(COM1 + REG_LSR) & LSR_TEMT))
		cpu_relax();
	flags = local_irq_save();
	outb(COM1 + REG_MCR, mcr | MCR_LOOP);
	outb(COM1 + REG_DATA, 'z');
	c = serial_wait_char();
	still_off = irqs_disabled();
	outb(COM1 + REG_MCR, mcr);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, c, 'z');
	KTEST_EXPECT_TRUE(t, still_off);
}

static struct ktest_case serial_cases[] = {
	KTEST_CASE(received_bytes_arrive_by_irq_in_order),
	KTEST_CASE(read_char_empty_is_minus_one),
	KTEST_CASE(wait_char_sleeps_until_irq),
	{}
};
KTEST_SUITE(serial8250, serial_cases);
