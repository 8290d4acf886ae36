// SPDX-License-Identifier: MIT
/*
 * serial8250.c - the 16550 UART on COM1, keel's first console.
 *
 * Output polls the transmit-holding-register-empty bit; it works before
 * interrupts exist and from the panic path. Input is read by polling
 * serial_getc(); the monitor waits for input with hlt between polls once the
 * UART receive interrupt (IRQ 4) is enabled by serial_enable_rx_irq().
 */
#include <asm/io.h>
#include <keel/printk.h>
#include <keel/serial.h>

#define COM1		0x3f8
#define REG_DATA	0	/* DLAB=0: rx/tx buffer */
#define REG_IER		1	/* DLAB=0: interrupt enable */
#define REG_DLL		0	/* DLAB=1: divisor low */
#define REG_DLM		1	/* DLAB=1: divisor high */
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */

static bool present;

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

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
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

/* Program 115200 8N1 with FIFOs and register the console. */
void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DLL, 1);	/* 115200 / 1 */
	outb(COM1 + REG_DLM, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, 0xc7);	/* enable + clear FIFOs, 14-byte */
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
	/* a missing UART reads back 0xff */
	present = inb(COM1 + REG_LSR) != 0xff;
	if (present)
		register_console(&serial_console);
}
