/* SPDX-License-Identifier: MIT */
/*
 * keel/completion.h - "this has happened": one side calls complete(),
 * the other waits for it. Each complete() lets one waiter through (or
 * one later wait return at once); complete_all() lets everyone through
 * until reinit_completion(). Counts saturate instead of wrapping.
 *
 * An all-zero struct completion is valid and not done; an idle one may
 * be moved (see keel/wait.h). complete() works from any context.
 */
#ifndef _KEEL_COMPLETION_H
#define _KEEL_COMPLETION_H

#include <keel/wait.h>

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

#define COMPLETION_INIT(name) \
	{                     \
		0,            \
		{             \
		}             \
	}
#define DECLARE_COMPLETION(name) struct completion name = COMPLETION_INIT(name)

static inline void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

/* Forget earlier completions. No waiter may be queued. */
static inline void reinit_completion(struct completion *c)
{
	WRITE_ONCE(c->done, 0);
}

void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* Returns 0 if timeout jiffies passed first, else jiffies left (>= 1). */
long wait_for_completion_timeout(struct completion *c, long timeout);
/* Consume a completion without sleeping; false if there is none. */
bool try_wait_for_completion(struct completion *c);
/* True if a wait would not block (racy hint). */
bool completion_done(struct completion *c);

#endif
