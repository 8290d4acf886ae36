"""user.py - the "user" tier: keel's user-space test programs.

Boots keel with build/user-tests.cpio as the initramfs (make
user-tests): its /init (tests/user/init.c) runs each static musl
program of tests/user as a child, nests their KTAP subtests under its own
plan and powers the machine off with reboot(2). Each leaf case is one
check; a panic, a hang, a missing or short plan, or any exit other than
the clean power off (status 0) fails the run. Runs on -smp 1 and 2 (or
--smp N).
"""

import os
import time

import ktap
from check import Check, QemuRun, TAIL_LINES

USER_SMP = (1, 2)


def judge(text, status, timed_out):
    v = ktap.Verdict()
    v.lines = ktap.strip_timestamps(text)
    root, problems = ktap.parse_ktap(v.lines)
    for leaf in root.leaves() if root.children else []:
        if leaf.last_line is None:
            continue
        if leaf.skip_reason is not None:
            v.skipped.append(leaf)
        elif leaf.ok:
            v.passed.append(leaf)
        else:
            v.failed.append(leaf)
    if any(m in l for l in v.lines for m in ktap.PANIC_MARKERS):
        v.problems.append("kernel panic")
    elif timed_out:
        v.problems.append("timeout: no power off (QEMU killed)")
    elif status != 0:
        v.problems.append("QEMU exited with status %s, not the clean "
                          "power off /init asks for" % status)
    v.problems.extend(problems)
    return v


def run_user(args, smp):
    initrd = os.path.join(os.path.dirname(args.kernel), "user-tests.cpio")
    prefix = "user " if smp == 1 else "user -smp %d " % smp
    if not os.path.exists(initrd):
        return [Check(prefix + "run", "fail",
                      ["  %s does not exist (make user-tests)" % initrd])], ""
    run = QemuRun(args.kernel, "", smp=smp,
                  extra=["-initrd", initrd] + args.qemu_extra)
    run.start()
    run.finish(args.timeout)
    logname = "user-smp%d.log" % smp
    run.save(os.path.join(args.logdir, logname))
    v = judge(run.text, None if run.timed_out else run.status,
              run.timed_out)
    checks = [Check(prefix + t.path, "pass") for t in v.passed]
    checks += [Check(prefix + t.path, "skip", [t.skip_reason])
               for t in v.skipped]
    for t in v.failed:
        detail = ["  | " + l for l in ktap.case_context(v, t)]
        checks.append(Check(prefix + t.path, "fail", detail))
    if v.problems:
        detail = ["  " + p for p in v.problems]
        detail.append("  last %d lines of %s:" % (
            TAIL_LINES, os.path.join(args.logdir, logname)))
        detail += run.tail()
        checks.append(Check(prefix + "run", "fail", detail))
    note = "user -smp %d: %d passed, %d failed in %.1fs" % (
        smp, len(v.passed), len(v.failed), time.monotonic() - run.started)
    return checks, note


def jobs(args):
    """The checks of this tier as (function, args) pairs."""
    return [(run_user, (smp,)) for smp in
            ((args.smp,) if args.smp else USER_SMP)]
