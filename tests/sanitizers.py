"""sanitizers.py - the ktests on the sanitizer kernel, run by check.py.

The sanitizers tier boots build/sanitizers/keel.elf (`make KASAN=1
LOCKDEP=1 UBSAN=1 BUILD=build/sanitizers`, which `make check` builds) with
ktest=1 on -smp 2 and requires what the ktest tier requires of any
kernel: every case passes and no sanitizer report appears that no case
asked for (check.sanitizer_problems: KASAN's, the lock validator's and
UBSAN's reports; the cases that provoke theirs on purpose are
check.EXPECTED_REPORTS and UBSAN's "(expected)" lines).
"""

import os


def sanitizer_kernel(args):
    """build/sanitizers/keel.elf beside the kernel check.py was given."""
    return os.path.join(os.path.dirname(args.kernel), "sanitizers",
                        "keel.elf")


def run_sanitizers(args, check, run_ktest):
    """The ktest run on the sanitizer kernel; its checks are prefixed."""
    kernel = sanitizer_kernel(args)
    if not os.path.exists(kernel):
        return [check("sanitizers kernel", "fail",
                      ["  %s does not exist (make check builds it)" %
                       kernel])], None
    sargs = type(args)(**vars(args))
    sargs.kernel = kernel
    sargs.logdir = os.path.join(os.path.dirname(kernel), "check")
    checks, note = run_ktest(sargs, 2)
    for c in checks:
        c.name = "sanitizers " + c.name
    return checks, "sanitizers (KASAN, LOCKDEP, UBSAN): " + (note or "")
