// SPDX-License-Identifier: MIT
/*
 * random.c - keel's pseudo-random numbers (keel/random.h): not
 * cryptographic, see there.
 *
 * One xoshiro256** state for the machine (Blackman and Vigna's
 * generator: 256 bits of state, period 2^256 - 1), behind a spinlock
 * with interrupts off so any context may call. The seed mixes the TSC
 * and RDRAND (CPUID.1:ECX bit 30) through splitmix64, so that an
 * all-zero state cannot happen.
 */
#include <asm/cpu.h>
#include <keel/random.h>
#include <keel/spinlock.h>
#include <keel/string.h>

#define RESEED_BYTES 65536

static u64 s[4];
static bool seeded;
static size_t since_seed;
static DEFINE_SPINLOCK(random_lock);

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool rdrand64(u64 *v)
{
	u32 a, b, c, d;
	bool ok = false;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 30)))
		return false;
	for (int i = 0; i < 10 && !ok; i++)
		asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

/* New seed mixed into the state; random_lock held. */
static void reseed(void)
{
	u64 x = rdtsc(), r;

	if (rdrand64(&r))
		x ^= r;
	for (int i = 0; i < 4; i++)
		s[i] ^= splitmix64(&x);
	if (!(s[0] | s[1] | s[2] | s[3]))
		s[0] = 1;
	seeded = true;
	since_seed = 0;
}

static u64 next(void)
{
	u64 result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned long flags;
	u8 *p = buf;

	spin_lock_irqsave(&random_lock, flags);
	if (!seeded || since_seed >= RESEED_BYTES)
		reseed();
	since_seed += len;
	while (len) {
		u64 v = next();
		size_t n = min(len, sizeof(v));

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	spin_unlock_irqrestore(&random_lock, flags);
}

u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}
