"""tasks.py - keel's tasks in gdb: lx-ps, $current(), $task(pid).

Every task, the idle tasks too, is on task_list (kernel/sched/task.c)
from creation until it is freed; `ps` walks the same list. A task's
state is derived from its fields exactly as task_state() in
kernel/sched/core.c does, so lx-ps agrees with the monitor's `ps`.
"""

import gdb

from keel import utils

# include/keel/sched.h: p->state and p->flags
TASK_NEW = 2
TASK_DEAD = 3
PF_IDLE = 0x1
PF_KTHREAD = 0x2


def task_state(p):
    """"new", "running", "runnable", "blocked" or "dead" (task_state())."""
    state = int(p["state"])
    if state == TASK_DEAD:
        return "dead"
    if state == TASK_NEW:
        return "new"
    if int(p["on_cpu"]):
        return "running"
    if int(p["on_rq"]):
        return "runnable"
    return "blocked"


def policy_name():
    """The name of the scheduling policy in force."""
    ops = utils.file_static("kernel/sched/policy.c", "ops")
    if int(ops) == 0:
        return "-"
    return utils.c_string(ops["name"])


def task_policy(p, active):
    """Which policy schedules p: its CPU's idle loop, or the active one."""
    if int(p["flags"]) & PF_IDLE:
        return "idle"
    ctx = p["policy_ctx"]
    if int(ctx):
        return "%s (in %s init/exit)" % (active, utils.c_string(ctx["name"]))
    return active


def all_tasks():
    """Every task on task_list (idle tasks included), in `ps` order."""
    head = utils.global_var("task_list")
    yield from utils.list_for_each_entry(head, "struct task", "tasks")


def shown_pid(p):
    """The pid `ps` shows: 0 for an idle task, else p->pid."""
    return 0 if int(p["flags"]) & PF_IDLE else int(p["pid"])


def find_task(pid):
    """The struct task * with this pid (0: the boot CPU's idle), or None."""
    for p in all_tasks():
        if shown_pid(p) == pid:
            return p
    return None


def current_task(cpu=None):
    """The running task of cpu (default: the CPU gdb has selected)."""
    if cpu is None:
        cpu = utils.this_cpu()
        if cpu is None:
            raise gdb.GdbError("$current: no CPU selected")
    if not 0 <= cpu < utils.nr_cpus():
        raise gdb.GdbError("$current: no CPU %d (NR_CPUS is %d)"
                           % (cpu, utils.nr_cpus()))
    p = utils.global_var("cpu_data")[cpu]["current_task"]
    if int(p) == 0:
        raise gdb.GdbError("$current: CPU %d runs no task yet" % cpu)
    return p


class LxPs(gdb.Command):
    """List keel's tasks: pid, name, state, CPU, nice, policy, address.

In task_list order, as the monitor's `ps`; idle tasks show pid 0 and
state "idle" unless they run. STATE and CPU are the values `ps` on the
monitor prints; POLICY is the scheduling policy that decides for the
task."""

    def __init__(self):
        super().__init__("lx-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: lx-ps")
        active = policy_name()
        gdb.write("  PID NAME            STATE    CPU NICE POLICY     "
                  "TASK\n")
        for p in all_tasks():
            state = task_state(p)
            idle = int(p["flags"]) & PF_IDLE
            if idle and state != "running":
                state = "idle"
            gdb.write("%5d %-15s %-8s %3d %4d %-10s 0x%x\n" % (
                shown_pid(p), utils.char_array(p["name"]),
                state, int(p["cpu"]), int(p["nice"]),
                task_policy(p, active), int(p)))


class Current(gdb.Function):
    """$current([CPU]): the struct task * running on CPU.

Without an argument, the CPU of the selected gdb thread. Example:
  p $current()->name"""

    def __init__(self):
        super().__init__("current")

    def invoke(self, cpu=None):
        return current_task(None if cpu is None else int(cpu))


class Task(gdb.Function):
    """$task(PID): the struct task * with that pid (0: CPU 0's idle task).

Example: p *$task(1)"""

    def __init__(self):
        super().__init__("task")

    def invoke(self, pid):
        p = find_task(int(pid))
        if p is None:
            raise gdb.GdbError("$task: no task with pid %d" % int(pid))
        return p


LxPs()
Current()
Task()
