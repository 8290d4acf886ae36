// SPDX-License-Identifier: MIT
/*
 * pit.c - the 8254 programmable interval timer, as a known-frequency
 * reference (1.193182 MHz) and as a fallback periodic tick on IRQ 0.
 *
 * TSC calibration uses channel 2, whose gate and output the keyboard
 * controller's port 0x61 exposes: in mode 0 the output rises when the
 * count reaches zero, so the TSC can be read at both ends of a window
 * without any interrupt. Channel 0 drives ISA IRQ 0.
 *
 * Locking: none; callers are time_init() on one CPU with interrupts off.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>

#define PIT_CH0	       0x40
#define PIT_CH2	       0x42
#define PIT_MODE       0x43
#define PORT_B	       0x61
#define PORT_B_GATE2   0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2    0x20

#define MODE_CH0_ONESHOT 0x30 /* ch 0, lo/hi byte, mode 0 */
#define MODE_CH0_RATE	 0x34 /* ch 0, lo/hi byte, mode 2 */
#define MODE_CH2_ONESHOT 0xb0 /* ch 2, lo/hi byte, mode 0 */

#define MAX_POLLS 50000000UL /* far beyond any window we use */

u64 pit_measure_tsc(unsigned int ms, u64 *error)
{
	u32 latch = PIT_HZ / 1000 * ms;
	unsigned long polls = 0;
	u64 t0, prev, now;

	if (!latch || latch > 0xffff)
		return 0;
	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_MODE, MODE_CH2_ONESHOT);
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8); /* counting starts now, OUT2 low */
	t0 = prev = now = rdtsc();
	/* OUT2 rose between the last two reads: bracket it with the TSC */
	while (!(inb(PORT_B) & PORT_B_OUT2)) {
		if (++polls == MAX_POLLS)
			return 0;
		prev = now;
		now = rdtsc();
	}
	*error = rdtsc() - prev;
	return now - t0;
}

void pit_start_periodic(unsigned int hz)
{
	u32 div = (PIT_HZ + hz / 2) / hz;

	if (div > 0xffff)
		div = 0xffff;
	outb(PIT_MODE, MODE_CH0_RATE);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
}

void pit_stop(void)
{
	outb(PIT_MODE, MODE_CH0_ONESHOT);
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);
}
