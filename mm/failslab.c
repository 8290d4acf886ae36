// SPDX-License-Identifier: MIT
/*
 * failslab.c - make allocations fail on purpose, to exercise the error
 * paths of their callers.
 *
 * Every kmalloc(), kmem_cache_alloc() and alloc_pages() call without
 * __GFP_NOFAIL_INJECT asks should_fail_alloc() once. It fails:
 *   - the fail_nth-th call from the moment of configuration (one shot:
 *     fail_nth reads back as the calls still to go, 0 once it fired);
 *   - each call with probability percent, from an xorshift64 generator
 *     reseeded by every failslab_set() (from the config's seed, or a
 *     fixed one) so a run is reproducible;
 *   - in both cases at most `times` failures per configuration when
 *     times is not 0.
 * The command line (failslab=N, failslab.prob=P, failslab.times=T,
 * failslab.seed=S; failslab.verbose=1 prints a stack for each failure)
 * only
 * takes effect at failslab_init(), once boot's own allocations are done;
 * tests call failslab_set() directly and must switch it off again.
 *
 * failslab_lock (irqsave) protects the state; a disabled injector costs
 * one READ_ONCE.
 */
#include <keel/bug.h>
#include <keel/cmdline.h>
#include <keel/lockdep.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/string.h>

#include "internal.h"

#define XORSHIFT_SEED 0x9e3779b97f4a7c15ULL

static struct failslab_config config; /* fail_nth: calls to go */
static struct failslab_config boot_config;
static unsigned long injected_now; /* since the last failslab_set */
static unsigned long injected_total;
static u64 rng;
static bool active;
static bool verbose; /* failslab.verbose=1: a stack for each failure */
static DEFINE_SPINLOCK(failslab_lock);

static u64 xorshift64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Can this configuration still inject? */
static bool config_active(void)
{
	lockdep_assert_held(&failslab_lock);

	if (config.times && injected_now >= config.times)
		return false;
	return config.fail_nth || config.probability;
}

/*
 * True if the allocation asking must fail. Never for __GFP_NOFAIL_INJECT.
 * Takes failslab_lock when injection is on.
 */
bool should_fail_alloc(gfp_t gfp)
{
	unsigned long flags;
	bool fail = false;

	if ((gfp & __GFP_NOFAIL_INJECT) || !READ_ONCE(active))
		return false;
	spin_lock_irqsave(&failslab_lock, flags);
	if (config_active()) {
		if (config.fail_nth && --config.fail_nth == 0)
			fail = true;
		if (!fail && config.probability &&
		    xorshift64() % 100 < config.probability)
			fail = true;
	}
	if (fail) {
		injected_now++;
		injected_total++;
	}
	WRITE_ONCE(active, config_active());
	spin_unlock_irqrestore(&failslab_lock, flags);
	if (fail && READ_ONCE(verbose)) {
		pr_info("failslab: failing this allocation (gfp %#x)\n",
			(unsigned int)gfp);
		dump_stack();
	}
	return fail;
}

/* Replace the configuration; all zero switches injection off. */
void failslab_set(const struct failslab_config *cfg)
{
	unsigned long flags;

	spin_lock_irqsave(&failslab_lock, flags);
	config = *cfg;
	if (config.probability > 100)
		config.probability = 100;
	injected_now = 0;
	rng = config.seed ? config.seed : XORSHIFT_SEED;
	WRITE_ONCE(active, config_active());
	spin_unlock_irqrestore(&failslab_lock, flags);
}

void failslab_get(struct failslab_config *cfg)
{
	unsigned long flags;

	spin_lock_irqsave(&failslab_lock, flags);
	*cfg = config;
	spin_unlock_irqrestore(&failslab_lock, flags);
}

unsigned long failslab_injected(void)
{
	return READ_ONCE(injected_total);
}

/* Apply the command-line settings; from here on allocations may fail. */
void failslab_init(void)
{
	if (!boot_config.fail_nth && !boot_config.probability)
		return;
	failslab_set(&boot_config);
	pr_info("failslab: nth=%lu probability=%u%% times=%lu\n",
		boot_config.fail_nth, boot_config.probability,
		boot_config.times);
}

static int parse_ulong(const char *val, unsigned long *out)
{
	unsigned long long v;
	int err = val ? kstrtoull(val, 0, &v) : -EINVAL;

	if (!err)
		*out = v;
	return err;
}

static int parse_nth(const char *val)
{
	return parse_ulong(val, &boot_config.fail_nth);
}
cmdline_param("failslab", parse_nth);

static int parse_prob(const char *val)
{
	unsigned int p;
	int err = val ? kstrtouint(val, 0, &p) : -EINVAL;

	if (err)
		return err;
	if (p > 100)
		return -ERANGE;
	boot_config.probability = p;
	return 0;
}
cmdline_param("failslab.prob", parse_prob);

static int parse_times(const char *val)
{
	return parse_ulong(val, &boot_config.times);
}
cmdline_param("failslab.times", parse_times);

static int parse_seed(const char *val)
{
	unsigned long long v;
	int err = val ? kstrtoull(val, 0, &v) : -EINVAL;

	if (!err)
		boot_config.seed = v;
	return err;
}
cmdline_param("failslab.seed", parse_seed);

static int parse_verbose(const char *val)
{
	return val ? kstrtobool(val, &verbose) : -EINVAL;
}
cmdline_param("failslab.verbose", parse_verbose);

/*
 * "P" or "P:SEED": fail P percent of the allocations (1..100), from
 * generator seed SEED (default: the fixed seed). Other fields zero.
 */
int failslab_parse_rate(const char *val, struct failslab_config *cfg)
{
	char buf[48], *colon;
	unsigned long long seed = 0;
	unsigned int p;
	int err;

	if (!val || strlcpy(buf, val, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		err = kstrtoull(colon + 1, 0, &seed);
		if (err)
			return err;
	}
	err = kstrtouint(buf, 0, &p);
	if (err)
		return err;
	if (p > 100)
		return -ERANGE;
	*cfg = (struct failslab_config){ .probability = p, .seed = seed };
	return 0;
}
