// SPDX-License-Identifier: MIT
/*
 * serial8250.c - the 16550 UART on COM1, keel's first console.
 *
 * Output polls the transmit-holding-register-empty bit; it works before
 * interrupts exist and from the panic path. Input can be polled with
 * serial_getc(); once serial_init_irq() ran, the receive interrupt
 * (IRQ 4) moves bytes into rx_ring and wakes rx_wait, from which
 * serial_read_char() and serial_wait_char() take them. A task waiting
 * for input sleeps on rx_wait (so the CPU runs other tasks); without
 * the interrupt, or where sleeping is not allowed, it waits with hlt.
 *
 * Locking: rx_lock (taken with interrupts off) guards the ring; the
 * handler runs with interrupts off and takes it plainly.
 */
#include <asm/cpu.h>
#include <asm/io.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/lockdep.h>
#include <keel/printk.h>
#include <keel/serial.h>
#include <keel/spinlock.h>
#include <keel/wait.h>

#define COM1		 0x3f8
#define REG_DATA	 0 /* DLAB=0: rx/tx buffer */
#define REG_IER		 1 /* DLAB=0: interrupt enable */
#define REG_DLL		 0 /* DLAB=1: divisor low */
#define REG_DLM		 1 /* DLAB=1: divisor high */
#define REG_FCR		 2
#define REG_LCR		 3
#define REG_MCR		 4
#define REG_LSR		 5
#define LSR_DR		 0x01 /* data ready */
#define LSR_THRE	 0x20 /* transmit holding register empty */
#define LCR_DLAB	 0x80
#define LCR_8N1		 0x03
#define MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the IRQ line on PCs */

#define COM1_IRQ     4
#define RX_RING_SIZE 256 /* a power of two */

static bool present;
static bool rx_irq_on;
static DEFINE_SPINLOCK(rx_lock);
static DECLARE_WAIT_QUEUE_HEAD(rx_wait); /* tasks waiting for input */
static u8 rx_ring[RX_RING_SIZE];
static unsigned int rx_head, rx_tail; /* free-running; head - tail used */
static u64 rx_dropped;

static void serial_putc(char c)
{
	unsigned int spins = 100000;

	while (!(inb(COM1 + REG_LSR) & LSR_THRE) && --spins)
		;
	outb(COM1 + REG_DATA, c);
}

static void serial_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static void serial_write_raw(struct console *con, const char *s, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++)
		serial_putc(s[i]);
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
	.write_raw = serial_write_raw,
};

int serial_getc(void)
{
	if (!present || !(inb(COM1 + REG_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + REG_DATA);
}

void serial_puts(const char *s, size_t len)
{
	serial_write(&serial_console, s, len);
}

void serial_enable_rx_irq(void)
{
	outb(COM1 + REG_IER, 0x01);
}

/* Append c to the ring, dropping it if full. */
static void rx_push(u8 c)
{
	lockdep_assert_held(&rx_lock);

	if (rx_head - rx_tail == RX_RING_SIZE) {
		rx_dropped++;
		return;
	}
	rx_ring[rx_head++ % RX_RING_SIZE] = c;
}

/* Oldest byte of the ring or -1. */
static int rx_pop(void)
{
	lockdep_assert_held(&rx_lock);

	if (rx_head == rx_tail)
		return -1;
	return rx_ring[rx_tail++ % RX_RING_SIZE];
}

static enum irqreturn serial_rx_irq(unsigned int irq, void *cookie)
{
	enum irqreturn ret = IRQ_NONE;
	int c;

	spin_lock(&rx_lock);
	while ((c = serial_getc()) >= 0) {
		rx_push(c);
		ret = IRQ_HANDLED;
	}
	spin_unlock(&rx_lock);
	if (ret == IRQ_HANDLED)
		wake_up(&rx_wait);
	return ret;
}

int serial_read_char(void)
{
	unsigned long flags;
	int c;

	spin_lock_irqsave(&rx_lock, flags);
	c = rx_pop();
	spin_unlock_irqrestore(&rx_lock, flags);
	if (c < 0 && !rx_irq_on)
		c = serial_getc();
	return c;
}

bool serial_rx_pending(void)
{
	if (READ_ONCE(rx_head) != READ_ONCE(rx_tail))
		return true;
	return !rx_irq_on && present && (inb(COM1 + REG_LSR) & LSR_DR);
}

struct wait_queue_head *serial_rx_waitqueue(void)
{
	return &rx_wait;
}

int serial_wait_char(void)
{
	unsigned long flags;
	int c;

	WARN_ON_ONCE(in_irq());
	if (rx_irq_on && !irqs_disabled() && !in_atomic()) {
		wait_event(rx_wait, (c = serial_read_char()) >= 0);
		return c;
	}
	flags = local_irq_save();
	for (;;) {
		spin_lock(&rx_lock);
		c = rx_pop();
		spin_unlock(&rx_lock);
		if (c < 0 && !rx_irq_on)
			c = serial_getc(); /* woken by the tick instead */
		if (c >= 0)
			break;
		/* sti's one-instruction shadow: no wake-up is lost */
		__asm__ __volatile__("sti; hlt; cli" : : : "memory");
	}
	local_irq_restore(flags);
	return c;
}

void serial_init_irq(void)
{
	int err;

	if (!present)
		return;
	err = request_irq(COM1_IRQ, serial_rx_irq, "ttyS0", rx_ring);
	if (err) {
		pr_warn("ttyS0: no receive interrupt (%s); polling\n",
			errname(err));
		return;
	}
	rx_irq_on = true;
	serial_enable_rx_irq();
}

/* Program 115200 8N1 with FIFOs and register the console. */
void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DLL, 1); /* 115200 / 1 */
	outb(COM1 + REG_DLM, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xc7); /* enable + clear FIFOs, 14-byte */
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
	/* a missing UART reads back 0xff */
	present = inb(COM1 + REG_LSR) != 0xff;
	if (present)
		register_console(&serial_console);
}
