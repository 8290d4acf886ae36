"""replay.py - record a policy in the kernel, replay it on the host.

The `replay` tier of make check (docs/sched-replay.md):

  record    boot -smp 2, `sched record start fair_rs` (a live switch
            into the Rust weighted-fair policy, recorded from its init
            and its task_adopt calls), `sched msg N` (the messaging
            benchmark's workload), `sched fair` (a live switch away,
            which ends the recording after fair_rs's task_export
            calls), `sched record dump`; then the same for rr and eevdf
            (ended by `sched record stop`); the dumps must be complete
            (their checksums are checked by the tool) and non-trivial,
            and those of the policies with a hand-over must hold
            task_adopt records (fair_rs's also task_export ones)
  replay    build/host/sched-replay on each dump: every recorded
            decision (and every exported hand-over) must come out the
            same from the host build of kernel/sched/fair_rs.rs
            (rr.rs, eevdf.rs): "N records, 0 divergences"
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
# 80 messaging threads, each at least woken once (WF_NEW) and blocked
# once (at exit): fewer records means calls were lost
MIN_RECORDS = 160
CHANGE = ("const WAKEUP_GRANULARITY: u64 = 4 * NSEC_PER_MSEC;",
          "const WAKEUP_GRANULARITY: u64 = 0 * NSEC_PER_MSEC;")
SAME_RE = re.compile(r"^(\d+) records, 0 divergences \(policy (\w+)\)$",
                     re.M)
DIVERGE_RE = re.compile(r"^divergence at record (\d+) of (\d+) ", re.M)
WAKEUP_FLIP_RE = re.compile(r"^  task_wakeup on CPU .*\n  record: .*\n"
                            r"  expected: false \(0\)\n  got:      true \(1\)$",
                            re.M)
RACY_RE = re.compile(r"^note: (\d+) select_cpu answers matched once racy",
                     re.M)
RECORD_RE = re.compile(r"^  record: (SR .*)$", re.M)
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ?")
# the whole end line: the dump is complete only once it is all there
DUMP_END_RE = re.compile(r"sched-record end records=\d+ fnv1a=[0-9a-f]{8}"
                         r"\r?\n")

POLICIES = ("fair_rs", "rr", "eevdf")
# the kinds of records a policy's dump must hold (its hand-over)
MUST_HOLD = {"fair_rs": ("task_adopt", "task_export"),
             "eevdf": ("task_adopt",)}


def script(policy):
    """(command, text that must follow it, seconds) to record policy."""
    if policy == "fair_rs":
        end = ("sched fair", "policy fair_rs switched away", 30)
    else:
        end = ("sched record stop", "sched record: stopped", 30)
    return [
        ("sched record start " + policy, "sched record: recording", 30),
        ("sched msg %d" % MSG_LOOPS, "ok (0)", 120),
        end,
        ("sched record dump", DUMP_END_RE, 300),
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
    """Send cmd; wait for expect (a string or a regex) after it."""
    start = len(run.text)
    run.send(cmd + "\r")
    if isinstance(expect, str):
        return run.wait_for(lambda t: expect in t[start:], timeout)
    return run.wait_for(lambda t: expect.search(t, start), timeout)


def record(args, logpath):
    """Boots, records each policy, dumps; returns (problems, {policy:
    the serial output of its part of the run})."""
    run = QemuRun(args.kernel, "panic.exit=1", smp=2, extra=args.qemu_extra)
    run.start()
    problems = []
    parts, start = {}, 0
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    for policy in POLICIES if not problems else []:
        for cmd, expect, timeout in script(policy):
            if not _command(run, cmd, expect, timeout):
                problems.append("%r: no %r in the answer" % (cmd, expect))
                break
        if problems:
            break
        text = run.text
        parts[policy] = text[start:]
        start = len(text)
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
    return problems, parts


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

    problems, parts = record(args, logpath)
    name = "replay record %s, messaging x%d, -smp 2" % (
        " and ".join(POLICIES), MSG_LOOPS)
    checks.append(Check(name, "fail" if problems else "pass",
                        ["  " + p for p in problems]))
    if problems:
        return checks, None
    notes = []
    for policy in POLICIES:
        path = os.path.join(logdir, "replay-%s.log" % policy)
        with open(path, "w") as f:
            f.write(parts[policy])
        check, n, racy = same_check(tool, policy, path,
                                    dump_lines(parts[policy]))
        checks.append(check)
        notes.append("%s %d" % (policy, n) +
                     (" (%d racy idle reads resolved)" % racy if racy else ""))
    note = "replay: records replayed with 0 divergences: " + ", ".join(notes)
    checks.append(diverge_check(args, os.path.join(
        logdir, "replay-fair_rs.log"), parts["fair_rs"]))
    return checks, note


def same_check(tool, policy, path, lines):
    """The tool on policy's dump: 0 divergences. Returns (Check, N,
    racy reads resolved)."""
    p = subprocess.run([tool, path], capture_output=True, text=True)
    m = SAME_RE.search(p.stdout)
    racy = RACY_RE.search(p.stdout)
    n = int(m.group(1)) if m else 0
    detail = []
    if p.returncode != 0 or not m or m.group(2) != policy:
        detail = ["  sched-replay %s: exit %d" % (path, p.returncode)]
        detail += _lines(p.stdout + p.stderr)
    elif n < MIN_RECORDS:
        detail = ["  only %d records (expected at least %d)" %
                  (n, MIN_RECORDS)]
    for kind in MUST_HOLD.get(policy, ()):
        if not any(l.split()[2] == kind for l in lines):
            detail.append("  no %s record in the dump" % kind)
    return Check("replay %s on the host: 0 divergences" % policy,
                 "fail" if detail else "pass", detail), n, \
        int(racy.group(1)) if racy else 0


def diverge_check(args, logpath, text):
    """A changed constant in fair_rs.rs must show as a divergence."""
    name = "replay changed fair_rs (WAKEUP_GRANULARITY 0) diverges"
    work = os.path.join(args.logdir, "replay-changed")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for f in ("fair_rs.rs", "rr.rs", "eevdf.rs"):
        shutil.copy(os.path.join(ROOT, "kernel", "sched", f), work)
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
