"""busybox.py - the "busybox" tier: the busybox script suite.

Boots keel with build/initramfs.cpio.gz (make initramfs) and
init=/bbtest/runner (tests/busybox/runner.c), which runs every script
tests/busybox/NAME.sh with busybox sh inside keel and prints its
output as "bb:NAME:|LINE" lines and its status as "bb:NAME:exit N".
Each script is one check: its lines and status must equal
tests/busybox/NAME.expected, which tests/busybox/gen-expected made
by running the same script with the same busybox on the host. A script
whose header says "# keel-skip: REASON" (a case that cannot work yet)
still runs: it counts as a skip with that reason unless its output is
right after all (then it passes, and the line can go). A panic, a hang,
a script that stalls, or a runner that does not finish fails the run.
Runs on -smp 1 and 2 (or --smp N).
"""

import difflib
import gzip
import os
import re
import time

import ktap
from check import Check, QemuRun, TAIL_LINES

BB_SMP = (1, 2)
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "busybox")
LINE = re.compile(r"^bb:([A-Za-z0-9_-]+):(\||exit |timeout)(.*)$")


def scripts():
    """[(name, skip reason or None)] in the order the runner runs them."""
    out = []
    for f in sorted(os.listdir(HERE)):
        if not f.endswith(".sh"):
            continue
        reason = None
        with open(os.path.join(HERE, f)) as fh:
            for line in fh:
                m = re.match(r"#\s*keel-skip:\s*(.*)", line)
                if m:
                    reason = m.group(1).strip()
                if not line.startswith("#"):
                    break
        out.append((f[:-3], reason))
    return out


def collect(text):
    """{name: [lines]} from the serial log, the last line "exit N"."""
    got = {}
    for raw in text.splitlines():
        m = LINE.match(raw.rstrip("\r"))
        if not m:
            continue
        name, kind, rest = m.groups()
        lines = got.setdefault(name, [])
        if kind == "|":
            lines.append(rest)
        elif kind == "exit ":
            lines.append("exit " + rest)
        else:
            lines.append("<timeout: no output for the runner's IDLE_SECS>")
    return got


def judge_script(name, got, prefix):
    with open(os.path.join(HERE, name + ".expected")) as fh:
        want = fh.read().splitlines()
    if got == want:
        return Check(prefix + name, "pass")
    diff = list(difflib.unified_diff(want, got, "expected (host)",
                                     "keel", lineterm="", n=1))
    detail = ["  | " + l for l in diff[:40]]
    if len(diff) > 40:
        detail.append("  | ... %d more diff lines" % (len(diff) - 40))
    detail.append("  keel's last lines of %s:" % name)
    detail += ["  > " + l for l in got[-5:]]
    return Check(prefix + name, "fail", detail)


def run_busybox(args, smp):
    initrd = os.path.join(os.path.dirname(args.kernel), "initramfs.cpio.gz")
    prefix = "busybox " if smp == 1 else "busybox -smp %d " % smp
    if not os.path.exists(initrd):
        return [Check(prefix + "run", "fail",
                      ["  %s does not exist (make initramfs)" % initrd])], ""
    with gzip.open(initrd) as fh:
        if b"bbtest/runner" not in fh.read():
            return [Check(prefix + "run", "fail",
                          ["  %s has no /bbtest/runner (make initramfs)"
                           % initrd])], ""
    run = QemuRun(args.kernel, "init=/bbtest/runner", smp=smp,
                  extra=["-initrd", initrd] + args.qemu_extra)
    run.start()
    run.finish(args.timeout)
    logname = "busybox-smp%d.log" % smp
    run.save(os.path.join(args.logdir, logname))
    text = run.text
    got = collect(text)
    checks = []
    for name, reason in scripts():
        lines = got.get(name)
        if reason is not None:
            check = judge_script(name, lines or [], prefix)
            if check.status == "fail":
                check = Check(prefix + name, "skip", [reason])
            checks.append(check)
        elif lines is None:
            checks.append(Check(prefix + name, "fail",
                                ["  no output: the runner did not run it"]))
        else:
            checks.append(judge_script(name, lines, prefix))
    problems = []
    if any(m in text for m in ktap.PANIC_MARKERS):
        problems.append("kernel panic")
    elif run.timed_out:
        problems.append("timeout: no power off (QEMU killed)")
    elif "bb-runner: done" not in text:
        problems.append("the runner did not finish")
    if problems:
        detail = ["  " + p for p in problems]
        detail.append("  last %d lines of %s:" % (
            TAIL_LINES, os.path.join(args.logdir, logname)))
        detail += run.tail()
        checks.append(Check(prefix + "run", "fail", detail))
    passed = sum(c.status == "pass" for c in checks)
    note = "busybox -smp %d: %d of %d scripts passed in %.1fs" % (
        smp, passed, len(checks), time.monotonic() - run.started)
    return checks, note


def jobs(args):
    """The checks of this tier as (function, args) pairs."""
    return [(run_busybox, (smp,)) for smp in
            ((args.smp,) if args.smp else BB_SMP)]
