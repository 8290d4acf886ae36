"""replay.py - record a policy in the kernel, replay it on the host.

The `replay` tier of make check (docs/scheduler.md, "Record and replay"):

  record    boot -smp 2, `sched record start fair_rs` (a live switch
            into the Rust weighted-fair policy, recorded from its init),
            `sched msg N` (the messaging benchmark's workload), `sched
            record stop`, `sched record dump`; the dump must be complete
            (its checksum is checked by the tool) and non-trivial
  replay    build/host/sched-replay on the serial log: every recorded
            decision must come out the same from the host build of
            sched/policies/fair_rs.rs: "N records, 0 divergences"
  diverge   the same trace against a copy of fair_rs.rs with one
            constant changed (WAKEUP_GRANULARITY 4 -> 0 ms), built with
            `make sched-replay REPLAY_POLICIES=... REPLAY_OUT=...`: the
            tool must exit 1 naming a divergence at a record of the
            trace, the record it prints must be that record's line, and
            it must be a task_wakeup that answered false and now answers
            true: the constant is used only there, to decide whether a
            woken task preempts, and a smaller one can only say yes more
            often (the policy's state does not depend on that answer)
"""

import os
import re
import shutil
import subprocess

from check import PROMPT, Check, QemuRun, TAIL_LINES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MSG_LOOPS = 3
MIN_RECORDS = 200
CHANGE = ("const WAKEUP_GRANULARITY: u64 = 4 * NSEC_PER_MSEC;",
          "const WAKEUP_GRANULARITY: u64 = 0 * NSEC_PER_MSEC;")
SAME_RE = re.compile(r"^(\d+) records, 0 divergences \(policy fair_rs\)$",
                     re.M)
DIVERGE_RE = re.compile(r"^divergence at record (\d+) of (\d+) ", re.M)
WAKEUP_FLIP_RE = re.compile(r"^  task_wakeup on CPU .*\n  record: .*\n"
                            r"  expected: false \(0\)\n  got:      true \(1\)$",
                            re.M)
RECORD_RE = re.compile(r"^  record: (SR .*)$", re.M)
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ?")

SCRIPT = [
    # command, text that must follow it, seconds
    ("sched record start fair_rs", "sched record: recording", 30),
    ("sched msg %d" % MSG_LOOPS, "ok (0)", 120),
    ("sched record stop", "sched record: stopped", 30),
    ("sched record dump", "sched-record end", 300),
]


def _make(args, *targets):
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    build = os.path.dirname(os.path.abspath(args.kernel))
    return subprocess.run(["make", "--no-print-directory", "-C", ROOT,
                           "BUILD=" + build] + list(targets), env=env,
                          capture_output=True, text=True)


def _lines(text, n=TAIL_LINES):
    return ["  | " + l for l in text.rstrip().splitlines()[-n:]]


def _command(run, cmd, expect, timeout):
    start = len(run.text)
    run.send(cmd + "\r")
    return run.wait_for(lambda t: expect in t[start:], timeout)


def record(args, logpath):
    """Boots, records, dumps; returns (problems, serial text)."""
    run = QemuRun(args.kernel, "panic.exit=1", smp=2, extra=args.qemu_extra)
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    for cmd, expect, timeout in SCRIPT if not problems else []:
        if not _command(run, cmd, expect, timeout):
            problems.append("%r: no %r in the answer" % (cmd, expect))
            break
    if not problems and not _command(run, "poweroff", "powering off", 10):
        problems.append("poweroff did not start")
    run.finish(15)
    run.save(logpath)
    text = run.text
    if "truncated=1" in text:
        problems.append("the trace is truncated: the ring filled up")
    if any(m in text for m in ("Kernel panic", "WARNING:")):
        problems.append("panic or warning during the run")
    if problems:
        problems += ["last lines of %s:" % logpath] + run.tail()
    return problems, text


def dump_lines(text):
    """The SR lines of the serial log, timestamps removed."""
    out = []
    for line in text.splitlines():
        line = TIMESTAMP_RE.sub("", line.rstrip())
        if line.startswith("SR "):
            out.append(line)
    return out


def run_replay(args):
    """The replay tier: [Check], note."""
    logdir = args.logdir
    os.makedirs(logdir, exist_ok=True)
    logpath = os.path.join(logdir, "replay.log")
    checks = []
    b = _make(args, "sched-replay")
    if b.returncode:
        return [Check("replay build sched-replay", "fail",
                      _lines(b.stdout + b.stderr))], None
    tool = os.path.join(os.path.dirname(args.kernel), "host", "sched-replay")

    problems, text = record(args, logpath)
    name = "replay record fair_rs, messaging x%d, -smp 2" % MSG_LOOPS
    checks.append(Check(name, "fail" if problems else "pass",
                        ["  " + p for p in problems]))
    if problems:
        return checks, None

    p = subprocess.run([tool, logpath], capture_output=True, text=True)
    m = SAME_RE.search(p.stdout)
    n = int(m.group(1)) if m else 0
    detail = []
    if p.returncode != 0 or not m:
        detail = ["  sched-replay %s: exit %d" % (logpath, p.returncode)]
        detail += _lines(p.stdout + p.stderr)
    elif n < MIN_RECORDS:
        detail = ["  only %d records (expected at least %d)" %
                  (n, MIN_RECORDS)]
    checks.append(Check("replay fair_rs on the host: 0 divergences",
                        "fail" if detail else "pass", detail))
    note = "replay: %d records recorded and replayed, %s" % (
        n, "0 divergences" if not detail else "FAILED")

    checks.append(diverge_check(args, logpath, text))
    return checks, note


def diverge_check(args, logpath, text):
    """A changed constant in fair_rs.rs must show as a divergence."""
    name = "replay changed fair_rs (WAKEUP_GRANULARITY 0) diverges"
    work = os.path.join(args.logdir, "replay-changed")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for f in ("fair_rs.rs", "rr.rs"):
        shutil.copy(os.path.join(ROOT, "sched", "policies", f), work)
    path = os.path.join(work, "fair_rs.rs")
    with open(path) as fh:
        src = fh.read()
    if src.count(CHANGE[0]) != 1:
        return Check(name, "fail", ["  %r not found once in fair_rs.rs" %
                                    CHANGE[0]])
    with open(path, "w") as fh:
        fh.write(src.replace(*CHANGE))
    out = os.path.join(work, "out")
    b = _make(args, "sched-replay", "REPLAY_POLICIES=" + work,
              "REPLAY_OUT=" + out)
    if b.returncode:
        return Check(name, "fail", _lines(b.stdout + b.stderr))
    p = subprocess.run([os.path.join(out, "sched-replay"), logpath],
                       capture_output=True, text=True)
    d, r = DIVERGE_RE.search(p.stdout), RECORD_RE.search(p.stdout)
    lines = dump_lines(text)
    problems = []
    if p.returncode != 1 or not d or not r:
        problems.append("expected exit 1 and a divergence report, got "
                        "exit %d" % p.returncode)
    else:
        k, n = int(d.group(1)), int(d.group(2))
        if n != len(lines) or k >= n:
            problems.append("record %d of %d, but the dump has %d" %
                            (k, n, len(lines)))
        elif lines[k] != r.group(1):
            problems.append("the record shown is not record %d: %r" %
                            (k, lines[k]))
        elif not WAKEUP_FLIP_RE.search(p.stdout):
            problems.append("expected a task_wakeup answering true "
                            "instead of false")
    if problems:
        return Check(name, "fail", ["  " + x for x in problems] +
                     _lines(p.stdout + p.stderr))
    print("replay: the changed policy diverges at record %s of %s" %
          (d.group(1), d.group(2)), flush=True)
    return Check(name, "pass")


def jobs(args):
    """The checks of this module as (function, args) pairs."""
    return [(run_replay, ())]
