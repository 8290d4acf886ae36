"""kselftest.py - the "kselftest" tier: Linux's own selftests on keel.

Boots keel with build/kselftest.cpio (make kselftests: the programs of
tests/kselftest/list.txt, built static from Debian's linux-source-6.1,
and tools/kselftest/runner.c as /init). The runner prints one KTAP result
per program, as Linux's run_kselftest.sh does; each is one check here,
judged against the result list.txt expects:

  expected pass, got ok         -> pass
  expected skip, got ok # SKIP  -> skip (the test's own reason)
  expected fail, got not ok     -> skip, with list.txt's reason
  anything else                 -> fail (a regression, or a test that
                                   now passes: move it to pass)

A panic, a sanitizer report, a missing result or an unclean end fails
the run.
"""

import os
import re
import time

import kselftest_list
import ktap
from check import Check, QemuRun, TAIL_LINES, sanitizer_problems

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
LIST = os.path.join(ROOT, "tests", "kselftest", "list.txt")
KSFT_SMP = 2
RESULT_RE = re.compile(r"^(ok|not ok) (\d+) selftests: ([^:]+): (\S+)"
                       r"(?: # (.*))?$")


def output_of(lines, name):
    """The '# ' lines the runner printed for test name."""
    d, prog = name.split("/", 1)
    out, inside = [], False
    for l in lines:
        if l.startswith("# selftests: %s: %s" % (d, prog)):
            inside = True
        elif inside and RESULT_RE.match(l):
            break
        elif inside:
            out.append(l)
    return out


def judge(entries, text):
    lines = ktap.strip_timestamps(text)
    results = {}
    for l in lines:
        m = RESULT_RE.match(l.strip())
        if m:
            results["%s/%s" % (m.group(3), m.group(4))] = (
                m.group(1), m.group(5) or "")
    checks = []
    for e in entries:
        name = "kselftest " + e.name
        if e.name not in results:
            checks.append(Check(name, "fail", ["  no result"]))
            continue
        ok, directive = results[e.name]
        got = ("skip" if ok == "ok" and directive.startswith("SKIP") else
               "pass" if ok == "ok" else "fail")
        if got == e.expect == "pass":
            checks.append(Check(name, "pass"))
        elif got == e.expect:
            checks.append(Check(name, "skip", [
                "known failure: " + e.reason if got == "fail" else
                "skips itself: " + e.reason]))
        else:
            detail = ["  expected %s (%s), got %s%s" % (
                e.expect, e.reason or "list.txt", got,
                " # " + directive if directive else "")]
            if got == "pass":
                detail.append("  it passes now: mark it pass in "
                              "tests/kselftest/list.txt")
            detail += ["  | " + l for l in output_of(lines, e.name)[-30:]]
            checks.append(Check(name, "fail", detail))
    return checks, lines


def run_kselftests(args, smp):
    initrd = os.path.join(os.path.dirname(args.kernel), "kselftest.cpio")
    if not os.path.exists(initrd):
        return [Check("kselftest run", "fail",
                      ["  %s does not exist (make kselftests)" % initrd])], ""
    entries = kselftest_list.read(LIST)
    limit = sum(e.seconds for e in entries) + args.boot_timeout + 60
    run = QemuRun(args.kernel, "", smp=smp, mem="512M",
                  extra=["-initrd", initrd] + args.qemu_extra)
    run.start()
    run.finish(limit)
    logname = "kselftest-smp%d.log" % smp
    run.save(os.path.join(args.logdir, logname))
    checks, lines = judge(entries, run.text)
    problems = []
    if any(m in l for l in lines for m in ktap.PANIC_MARKERS):
        problems.append("kernel panic")
    elif run.timed_out:
        problems.append("timeout: no power off after %d s" % limit)
    elif run.status != 0:
        problems.append("QEMU exited with status %s, not the clean power "
                        "off the runner asks for" % run.status)
    problems += sanitizer_problems(run.text)
    problems += [l.strip() for l in lines if "BUG:" in l]
    if problems:
        detail = ["  " + p for p in problems]
        detail.append("  last %d lines of %s:" % (
            TAIL_LINES, os.path.join(args.logdir, logname)))
        detail += run.tail()
        checks.append(Check("kselftest run", "fail", detail))
    n = {s: sum(c.status == s for c in checks) for s in
         ("pass", "skip", "fail")}
    note = ("kselftest -smp %d: %d pass, %d known failures or skips, "
            "%d unexpected in %.1fs" % (smp, n["pass"], n["skip"],
                                         n["fail"],
                                         time.monotonic() - run.started))
    return checks, note


def jobs(args):
    """The checks of this tier as (function, args) pairs."""
    return [(run_kselftests, (args.smp or KSFT_SMP,))]
