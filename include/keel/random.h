/* SPDX-License-Identifier: MIT */
/*
 * keel/random.h - random bytes for the kernel and /dev/urandom
 * (drivers/char/random.c).
 *
 * NOT cryptographic: a xoshiro256** generator seeded at boot from the
 * TSC and, where the CPU has it, RDRAND, reseeded the same way every
 * 64 KiB of output. Good for hash seeds, AT_RANDOM and test data; not
 * for keys. TODO: a real CRNG (ChaCha20 over an entropy pool fed by
 * interrupt timings and RDSEED), as Linux's random.c.
 */
#ifndef _KEEL_RANDOM_H
#define _KEEL_RANDOM_H

#include <keel/types.h>

/* Fill buf with len pseudo-random bytes; any context, never sleeps. */
void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);

#endif
