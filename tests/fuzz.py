"""fuzz.py - the "fuzz" tier: the system-call fuzzer and hostile ELF files.

Boots keel with an initramfs whose /init is tools/fuzz/syscall_fuzz.c
(built by make as build/fuzz/syscall_fuzz) and whose /test/hello is the
valid program the ELF campaign mutates. The fuzzer prints KTAP (calls
made, ELF mutations run, memory back at its baseline) and powers off;
this side also fails the run on a kernel panic, a BUG:/WARNING: line, a
sanitizer report, a hang or an exit other than the clean power off.

make check runs a short campaign on -smp 1 and 2; `make fuzz` the full
one (docs/fuzzing.md):

    python3 tests/fuzz.py --calls 1000000 --elfs 10000 --seed 7 --smp 2
"""

import argparse
import os
import sys
import time

import ktap
from check import (Check, QemuRun, TAIL_LINES, newc_archive,
                   sanitizer_problems)

FUZZ_SMP = (1, 2)
CHECK_CALLS = 20000     # per boot in make check
CHECK_ELFS = 300
CALLS_PER_WORKER = 2000
BAD_LINES = ("BUG:", "WARNING:", "Oops", "stack-protector:")


def build_initrd(kernel, logdir, name, calls, seed, elfs, only=""):
    build = os.path.dirname(kernel)
    fuzz = os.path.join(build, "fuzz", "syscall_fuzz")
    hello = os.path.join(build, "user", "hello")
    for f in (fuzz, hello):
        if not os.path.exists(f):
            return None, "%s does not exist (make fuzz-progs)" % f
    conf = b"%d %d %d %d %s\n" % (calls, seed, elfs, CALLS_PER_WORKER,
                                  only.encode())
    with open(fuzz, "rb") as f:
        init = f.read()
    with open(hello, "rb") as f:
        hello_data = f.read()
    path = os.path.join(logdir, name + ".cpio")
    os.makedirs(logdir, exist_ok=True)
    with open(path, "wb") as f:
        f.write(newc_archive([("init", 0o100755, init),
                              ("fuzz.conf", 0o100644, conf),
                              ("test", 0o40755, b""),
                              ("test/hello", 0o100755, hello_data)]))
    return path, None


def judge(text, status, timed_out):
    v = ktap.Verdict()
    v.lines = ktap.strip_timestamps(text)
    root, problems = ktap.parse_ktap(v.lines)
    for leaf in root.leaves() if root.children else []:
        if leaf.last_line is None:
            continue
        (v.passed if leaf.ok else v.failed).append(leaf)
    if any(m in l for l in v.lines for m in ktap.PANIC_MARKERS):
        v.problems.append("kernel panic")
    elif timed_out:
        v.problems.append("timeout: no power off (QEMU killed)")
    elif status != 0:
        v.problems.append("QEMU exited with status %s, not the clean "
                          "power off the fuzzer asks for" % status)
    for l in v.lines:
        if any(m in l for m in BAD_LINES):
            v.problems.append("kernel reported: " + l.strip())
    v.problems.extend(sanitizer_problems(text))
    v.problems.extend(problems)
    return v


def run_fuzz(args, smp, calls=CHECK_CALLS, elfs=CHECK_ELFS, seed=None,
             timeout=None, only=""):
    seed = seed if seed is not None else smp
    prefix = "fuzz " if smp == 1 else "fuzz -smp %d " % smp
    name = "fuzz-smp%d" % smp
    initrd, err = build_initrd(args.kernel, args.logdir, name, calls, seed,
                               elfs, only)
    if err:
        return [Check(prefix + "run", "fail", ["  " + err])], ""
    run = QemuRun(args.kernel, "", smp=smp,
                  extra=["-initrd", initrd] + args.qemu_extra)
    run.start()
    run.finish(timeout or args.timeout)
    logname = name + ".log"
    run.save(os.path.join(args.logdir, logname))
    v = judge(run.text, None if run.timed_out else run.status,
              run.timed_out)
    checks = [Check(prefix + t.path, "pass") for t in v.passed]
    for t in v.failed:
        detail = ["  | " + l for l in ktap.case_context(v, t)]
        checks.append(Check(prefix + t.path, "fail", detail))
    if v.problems or not v.passed:
        detail = ["  " + p for p in v.problems[:20]]
        detail.append("  last %d lines of %s:" % (
            TAIL_LINES, os.path.join(args.logdir, logname)))
        detail += run.tail()
        checks.append(Check(prefix + "run", "fail", detail))
    summary = [l.strip() for l in v.lines
               if l.startswith("# calls:") or l.startswith("# ELF:") or
               l.startswith("# memory:")]
    note = "fuzz -smp %d: %s (%.1fs)" % (
        smp, "; ".join(summary) or "no summary",
        time.monotonic() - run.started)
    return checks, note


def jobs(args):
    """The checks of this tier as (function, args) pairs."""
    return [(run_fuzz, (smp,)) for smp in
            ((args.smp,) if args.smp else FUZZ_SMP)]


def main(argv):
    p = argparse.ArgumentParser(description="keel's system-call and ELF "
                                "fuzzing campaign (make fuzz)")
    p.add_argument("--kernel", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build",
        "keel.elf"))
    p.add_argument("--calls", type=int, default=1000000)
    p.add_argument("--elfs", type=int, default=10000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--only", default="", metavar="NR,NR,...",
                   help="fuzz only these system-call numbers")
    p.add_argument("--qemu-arg", action="append", default=[])
    args = p.parse_args(argv)
    args.kernel = os.path.abspath(args.kernel)
    args.logdir = os.path.join(os.path.dirname(args.kernel), "check")
    args.qemu_extra = [a for s in args.qemu_arg for a in s.split()]
    checks, note = run_fuzz(args, args.smp, args.calls, args.elfs,
                            args.seed, args.timeout, args.only)
    print(note)
    for c in checks:
        print("%-4s %s" % ({"pass": "ok", "fail": "FAIL"}[c.status],
                           c.name))
        for d in c.detail if c.status == "fail" else []:
            print(d)
    return 1 if any(c.status == "fail" for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
