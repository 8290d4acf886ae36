/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched/sched_cmds.h - the parts of the monitor's "sched" command
 * (sched_cmds.c) that live beside what they drive. argv[0] is the
 * subcommand; each returns 0 or -errno and says why it failed.
 */
#ifndef _KERNEL_SCHED_SCHED_CMDS_H
#define _KERNEL_SCHED_SCHED_CMDS_H

/* "record [start [NAME]|stop|dump|free]" (record.c). */
int sched_record_cmd(int argc, char **argv);
/* "msg [N]": the messaging workload, N loops (sched_bench.c). */
int sched_msg_cmd(int argc, char **argv);

#endif
