// SPDX-License-Identifier: MIT
/*
 * sched_cmds.c - the scheduler's monitor commands: "ps" and "cpus" (the
 * tables of show.c) and "sched", which lists the policies, switches to
 * one live, and hands "sched record ..." to record.c and "sched msg N"
 * to the messaging workload in sched_bench.c.
 */
#include <keel/errno.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/string.h>

#include "sched_cmds.h"

static int cmd_ps(int argc, char **argv)
{
	sched_show_tasks();
	return 0;
}
MONITOR_CMD(ps, NULL, "tasks: state, CPU, nice, runtime (also per CPU)", 0, 0,
	    cmd_ps);

static int cmd_cpus(int argc, char **argv)
{
	sched_show_cpus();
	return 0;
}
MONITOR_CMD(cpus, NULL, "CPUs: running task, queue, ticks, IPIs; policy", 0, 0,
	    cmd_cpus);

/*
 * "sched": list the policies; "sched NAME": switch to NAME live;
 * "sched record ..." and "sched msg N": sched_cmds.h.
 */
static int cmd_sched(int argc, char **argv)
{
	int err;

	if (argc > 1 && !strcmp(argv[1], "record"))
		return sched_record_cmd(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "msg"))
		return sched_msg_cmd(argc - 1, argv + 1);
	if (argc == 1) {
		sched_policy_list();
		return 0;
	}
	err = sched_policy_switch_to(argv[1]);
	if (err)
		pr_err("monitor: sched: cannot switch to '%s': %d\n", argv[1],
		       err);
	else
		monitor_printf("sched: policy %s\n", sched_policy_name());
	return err;
}
MONITOR_CMD(sched, "[NAME | record start [NAME]|stop|dump|free | msg N]",
	    "list policies / switch live / record decisions / messaging run", 0,
	    3, cmd_sched);
