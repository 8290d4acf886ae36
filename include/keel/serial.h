/* SPDX-License-Identifier: MIT */
/* keel/serial.h - the COM1 console (drivers/tty/serial8250.c). */
#ifndef _KEEL_SERIAL_H
#define _KEEL_SERIAL_H

#include <keel/types.h>

void serial_init(void);
/* Next byte in the UART itself (polling), or -1 if none is waiting. */
int serial_getc(void);
/* Write directly to the UART, bypassing printk. */
void serial_puts(const char *s, size_t len);
void serial_enable_rx_irq(void);

/*
 * Take over input by the receive interrupt (IRQ 4): received bytes go to
 * a ring that the two calls below read. Requires: irq_init() done.
 */
void serial_init_irq(void);
/* Next received byte, or -1 if none has arrived. Never sleeps. */
int serial_read_char(void);
/*
 * Wait for the next received byte and return it; halts the CPU with
 * interrupts enabled while the ring is empty. Requires: not in IRQ
 * context; enables interrupts while waiting, restores them on return.
 */
int serial_wait_char(void);
/* Is a received byte waiting? (A hint: another reader may take it.) */
bool serial_rx_pending(void);
/* Woken when bytes arrive (by the receive interrupt), for wait_event. */
struct wait_queue_head *serial_rx_waitqueue(void);

#endif
