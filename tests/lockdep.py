"""lockdep.py - the ktests on the lock-validating kernel, run by check.py.

The lockdep tier boots build/lockdep/keel.elf (`make LOCKDEP=1`, which
`make check` builds) with ktest=1 on -smp 2 and requires two things:
every case passes as on the plain kernel, and the lock validator
(kernel/lockdep.c) reports nothing, except inside the `lockdep` suite,
whose cases provoke their reports on purpose and count them
themselves. A report elsewhere is a failure that carries its text.
"""

import os
import re

import ktap

# The first line of each kind of report kernel/lockdep.c prints.
REPORT_RE = re.compile(r"WARNING: (possible circular locking dependency "
                       r"detected|inconsistent lock state|held lock freed)")
SUBTEST_RE = re.compile(r"^ {4}# Subtest: (\S+)")
# The suite whose cases report on purpose.
EXPECTING_SUITE = "lockdep"
REPORT_LINES = 40


def lockdep_kernel(args):
    """build/lockdep/keel.elf beside the kernel check.py was given."""
    return os.path.join(os.path.dirname(args.kernel), "lockdep", "keel.elf")


def unexpected_reports(text):
    """[(suite, [report lines])] for each report outside EXPECTING_SUITE."""
    lines = ktap.strip_timestamps(text)
    suite, out = None, []
    for i, line in enumerate(lines):
        m = SUBTEST_RE.match(line)
        if m:
            suite = m.group(1)
        elif REPORT_RE.search(line) and suite != EXPECTING_SUITE:
            body = lines[max(0, i - 1):i + REPORT_LINES]
            out.append((suite or "(boot)", body))
    return out


def run_lockdep(args, check, run_ktest):
    """The ktest run on the LOCKDEP=1 kernel, plus one check for reports."""
    kernel = lockdep_kernel(args)
    if not os.path.exists(kernel):
        return [check("lockdep kernel", "fail",
                      ["  %s does not exist (make LOCKDEP=1)" % kernel])], None
    largs = type(args)(**vars(args))
    largs.kernel = kernel
    largs.logdir = os.path.join(os.path.dirname(kernel), "check")
    checks, note = run_ktest(largs, 2)
    for c in checks:
        c.name = "lockdep " + c.name
    log = os.path.join(largs.logdir, "ktest-smp2.log")
    with open(log, errors="replace") as f:
        found = unexpected_reports(f.read())
    if found:
        detail = []
        for suite, body in found:
            detail.append("  in suite %s:" % suite)
            detail += ["  | " + l for l in body]
        checks.append(check("lockdep no validator reports", "fail", detail))
    else:
        checks.append(check("lockdep no validator reports", "pass"))
    return checks, "lockdep: " + (note or "")
