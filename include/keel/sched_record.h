/* SPDX-License-Identifier: MIT */
/*
 * keel/sched_record.h - recording a policy's decisions for replay.
 *
 * While recording, every call into one policy (the one named at start)
 * appends a fixed-size struct sched_rec to a ring allocated at start:
 * the callback, its arguments, every input the policy can read through
 * kernel::sched at that moment, and its answer. Calls into the policy
 * are serialised by one global lock meanwhile (a debug mode: all CPUs
 * take turns inside the policy), so the order of the records is the
 * order of their effects. `sched record dump` prints the ring as text;
 * tools/sched-replay feeds it to a host build of the policy and reports
 * the first decision that differs. docs/sched-replay.md has
 * the format and the limits.
 */
#ifndef _KEEL_SCHED_RECORD_H
#define _KEEL_SCHED_RECORD_H

#include <keel/sched.h>

/* Records in the ring `sched record start` allocates (168 bytes each). */
#define SCHED_REC_DEFAULT_RECORDS 16384
#define SCHED_REC_FORMAT	  2 /* version of the dump's text format */

/* What a record is: the callback the core invoked. */
enum sched_rec_kind {
	SREC_INIT,
	SREC_TASK_NEW,
	SREC_TASK_DEAD,
	SREC_TASK_WAKEUP,
	SREC_TASK_BLOCKED,
	SREC_TASK_PREEMPT,
	SREC_TASK_YIELD,
	SREC_TASK_DEQUEUE,
	SREC_TASK_TICK,
	SREC_PICK_NEXT,
	SREC_SELECT_CPU,
	SREC_BALANCE,
	SREC_TASK_EXPORT, /* at a switch away, the last records */
	SREC_TASK_ADOPT,  /* at the switch in, after task_new */
	SREC_NR_KINDS,
};

/* A runqueue as the policy sees it (rq, or dst/src of balance). */
struct sched_rec_rq {
	s32 cpu;	  /* -1: no runqueue argument */
	s32 curr_pid;	  /* rq->curr */
	u64 curr_runtime; /* rq->curr->runtime_ns */
	u32 nr_queued;	  /* rq->nr_queued */
	u32 curr_idle;	  /* rq->curr is the CPU's idle task */
	s32 oncpu_pid[2]; /* queued tasks still on a CPU (0: none) */
};

/*
 * One callback. Results: task_new's and task_adopt's return,
 * task_wakeup/task_tick 0/1, select_cpu's CPU, pick_next/balance the pid
 * of the task returned (0: NULL, -1: not a task queued there, so not
 * dereferenced); 0 otherwise. failed: the callback panicked and was
 * unwound by the guard (result 0: the core used its default). h: the
 * hand-over, what task_adopt received or what task_export filled in.
 * idle and idle_after bracket the policy's own racy reads of which CPUs
 * run their idle task (other CPUs switch without the record lock).
 */
struct sched_rec {
	u32 seq;   /* global order, from 0 */
	u16 kind;  /* enum sched_rec_kind */
	u16 cpu;   /* the CPU that made the call */
	u32 flags; /* WF_* (task_wakeup, select_cpu, task_export/adopt) */
	u32 arg;   /* select_cpu: prev_cpu */
	s32 pid;   /* the task argument (0: none) */
	s32 nice;  /* ... its nice, cpu, on_cpu, allowed, runtime */
	u32 task_cpu;
	u32 on_cpu;
	u64 allowed;
	u64 runtime_ns;
	u64 online; /* cpu_online_mask */
	u64 idle;   /* CPUs whose current task is their idle task */
	struct sched_rec_rq rq, src;
	s64 result;
	u32 failed;
	u32 h_valid; /* SH_* */
	s64 h_lag_ns;
	u64 h_slice_left_ns;
	u64 idle_after; /* idle, read again after the call */
};

/*
 * Start recording calls into ops in a ring of nr records (0: the
 * default). Does not switch policies: the caller switches ops in next,
 * so the trace starts with its init. Returns 0, -EBUSY (recording
 * already), -EINVAL or -ENOMEM (no ring; nothing changes).
 */
int sched_record_start(const struct sched_policy_ops *ops, unsigned int nr);
/*
 * Monitor `sched record start [POLICY]`: start recording POLICY (the
 * active one if NULL) and switch it in live, first switching to another
 * registered policy if it is the active one, so the trace starts from
 * the policy's init. Returns 0 or -errno (then nothing is recorded).
 */
int sched_record_start_policy(const char *name);
/* Stop recording (the ring stays until the next start or free). */
void sched_record_stop(void);
/* Print the ring over the console, one line per record, with markers. */
int sched_record_dump(void);
/* Free the ring (stops recording first). */
void sched_record_free(void);

struct sched_record_status {
	bool recording;
	bool truncated;	      /* the ring filled up: recording stopped */
	bool switched_away;   /* a policy switch stopped it */
	unsigned int records; /* in the ring */
	unsigned int capacity;
};
void sched_record_status(struct sched_record_status *st);
/* Copy record i (i < records); returns 0 or -ENOENT. */
int sched_record_get(unsigned int i, struct sched_rec *out);

/*
 * The messaging workload of sched_bench.c (hackbench-like: 4 groups of
 * 10 senders and 10 receivers, loops messages per sender and receiver)
 * under the active policy; returns 0 or -errno. Monitor `sched msg N`.
 */
int sched_messaging_run(unsigned int loops, u64 *elapsed_ns);

#endif
