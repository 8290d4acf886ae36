/* SPDX-License-Identifier: MIT */
/* keel/serial.h - the COM1 console (drivers/tty/serial8250.c). */
#ifndef _KEEL_SERIAL_H
#define _KEEL_SERIAL_H

#include <keel/types.h>

void serial_init(void);
/* Next received byte, or -1 if none is waiting. */
int serial_getc(void);
/* Write directly to the UART, bypassing printk. */
void serial_puts(const char *s, size_t len);
void serial_enable_rx_irq(void);

#endif
