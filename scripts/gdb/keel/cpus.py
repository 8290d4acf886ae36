"""cpus.py - lx-cpus: keel's CPUs, which gdb thread each one is, and
what runs on it.

QEMU's gdb stub shows each virtual CPU as a thread; keel's logical CPU
number is found from the thread's GS base (utils.this_cpu()), so the
THREAD column tells which `thread N` to select to look at a CPU.
"""

import gdb

from keel import utils


def thread_of_cpu():
    """{logical CPU: gdb thread number} for the threads of the inferior."""
    found = {}
    selected = gdb.selected_thread()
    try:
        for t in gdb.selected_inferior().threads():
            t.switch()
            cpu = utils.this_cpu()
            if cpu is not None:
                found[cpu] = t.num
    finally:
        if selected is not None:
            selected.switch()
    return found


class LxCpus(gdb.Command):
    """List keel's CPUs: number, gdb thread, APIC id, running task, queue.

A '*' marks the CPU of the selected gdb thread. QUEUED is the runqueue's
nr_queued, PREEMPT the preempt count, IRQ the hard-IRQ nesting."""

    def __init__(self):
        super().__init__("lx-cpus", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: lx-cpus")
        cpu_data = utils.global_var("cpu_data")
        runqueues = utils.global_var("runqueues")
        threads = thread_of_cpu()
        here = utils.this_cpu()
        gdb.write("  CPU THREAD APIC STATE   RUNNING              QUEUED "
                  "PREEMPT IRQ     TICKS\n")
        online = utils.online_cpus()
        for c in range(utils.nr_cpus()):
            cpu = cpu_data[c]
            if c not in online and not int(cpu["online"]):
                continue
            curr = cpu["current_task"]
            running = "-"
            if int(curr):
                running = "%s [%d]" % (utils.char_array(curr["name"]),
                                       int(curr["pid"]))
            gdb.write("%s%4d %6s %4d %-7s %-20.20s %6d %7d %3d %9d\n" % (
                "*" if c == here else " ", c, threads.get(c, "-"),
                int(cpu["apic_id"]),
                "online" if int(cpu["online"]) else "offline",
                running, int(runqueues[c]["nr_queued"]),
                int(cpu["preempt_count"]), int(cpu["irq_depth"]),
                int(cpu["ticks"])))


LxCpus()
