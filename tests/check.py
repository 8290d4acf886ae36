#!/usr/bin/env python3
"""check.py - keel's test runner: everything `make check` runs.

Tiers, in order (each check counts as one test in the final line):
  unit    the runner's own self-tests (tests/test_*.py, unittest)
  format  clang-format --dry-run --Werror over the C sources (one check)
  tidy    clang-tidy with .clang-tidy over every C file of
          compile_commands.json (make tidy): one check, failed by any
          finding; skipped when clang-tidy is not installed
  rust-lint, rust-host
          rustfmt, clippy, the unsafe audit and rustdoc (one check each),
          and the Rust host unit tests (one per #[test]; files with a
          host_tests module and the lib/*/ crates): tests/rust_lint.py
  compile-fail
          the Rust safety suite (tests/compile_fail.py): each driver
          snippet in tests/compile-fail/ must fail with its declared
          rustc error, and its twin must compile; one check each
  ktest   boot with ktest=1, parse the KTAP on serial; one count per case,
          plus one failure if the run itself went wrong (panic, hang,
          missing plan, fewer results than planned, odd exit status, a
          sanitizer report not marked expected), and one check that
          Linux's kunit_parser rules read the log as ktap.py does
          (ktap.kunit_check: same results, "# Totals:" right); once per
          entry of KTEST_RUNS (-cpu qemu64 with -smp 1, 2 and 4, and
          -cpu max with -smp 2: NX, 1 GiB pages, RDRAND and the rest of
          what TCG offers), or only with --smp N (qemu64) / --cpu CPU
  boot    boot without tests on several machines and check the banner and
          the RAM size the kernel reports against -m; boot with too little
          RAM and check for the refusal message and a clean halt
  interactive
          drive the monitor like a person (tests/interactive.py): commands,
          deliberate fault and panic reports, the ktest framework's
          self-test, Rust module init/exit; and make run's busybox shell
          on the console tty (line editing, ^C/^Z/^\\/^D, job control)
  screen  screendumps through QMP (tests/screen.py): the framebuffer
          console, and panic screens whose QR code zbarimg decodes
  net     real traffic through both e1000 drivers (tests/net.py): DHCP,
          UDP echo, ping, link changes, 100,000 injected frames
  kselftest  Linux's kselftests (tests/kselftest/list.txt) against
          the results the list expects (tests/kselftest.py)
  fuzz    the system-call fuzzer and hostile ELF files (tests/fuzz.py,
          tools/fuzz): a short campaign on -smp 1 and 2
  user    boot with the user-test initramfs (make user-tests): static
          musl programs in tests/user print KTAP, one count per case, on
          -smp 1 and 2 (tests/user.py)
  busybox the busybox script suite (tests/busybox.py): tests/busybox/*.sh
          run by busybox sh inside keel (make initramfs,
          init=/bbtest/runner), each script's output compared with its
          .expected file made on the host; one check per script, on
          -smp 1 and 2
  replay  record the Rust fair and rr policies under the messaging
          workload in QEMU, replay the traces on the host
          (tests/replay.py): zero divergences, and a deliberately
          changed policy diverges
  gdb     batch gdb against a halted QEMU (tests/debugger.py): a
          breakpoint in the Rust e1000 probe, a Rust local and a C
          struct, a backtrace across call_on_stack, and keel's gdb
          helpers (lx-ps, lx-dmesg, ...) against the serial console
  sanitizers
          the ktests (-smp 2) on build/sanitizers/keel.elf, the kernel
          built with KASAN=1 LOCKDEP=1 UBSAN=1 (tests/sanitizers.py):
          every case passes and no sanitizer report comes from a case
          that did not provoke it on purpose

QEMU instances run two at a time. Every serial log is kept under
build/check/. The last line printed is always "N passed, N failed" (with
", N skipped" when some were skipped); the exit status is 1 if anything
failed.
"""

import argparse
import concurrent.futures
import gzip
import fnmatch
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import rust_lint  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = "qemu-system-x86_64"
MAX_PARALLEL = 2
TAIL_LINES = 30
C_DIRS = ("arch", "drivers", "include", "kernel", "lib", "mm", "net",
          "rust/helpers", "tests/c-bugs")

BANNER_RE = re.compile(r"keel \S+ \([^)]*\) booting")
RAM_RE = re.compile(r"keel: (\d+) MiB RAM")
PROMPT = "keel> "
LOWMEM_MSG = "keel needs at least 32 MiB of RAM"
WARN_MARKERS = ("WARNING:", "UBSAN: ", "BUG: KASAN: ")
# A sanitizer report no test asked for fails any ktest run it appears in.
# UBSAN prints the ones a case expects as "UBSAN (expected): ..."
# (lib/ubsan.c); KASAN and the lock validator have no such marker, so the
# cases that provoke theirs on purpose are listed (suite.case globs).
UBSAN_MARKER = "UBSAN: "
SANITIZER_MARKERS = (UBSAN_MARKER, "BUG: KASAN: ",
                     "WARNING: possible circular locking dependency detected",
                     "WARNING: inconsistent lock state",
                     "WARNING: held lock freed")
# ubsan.object_too_small reads past a 6-byte global on purpose: in the
# combined sanitizer kernel KASAN's global red zone reports it as well.
EXPECTED_REPORTS = ("lockdep.*", "kasan.*", "kasan_vmap.*",
                    "slab.kfree_misuse_refused",
                    "c_bugs_kasan.*", "rust_kasan.*", "rust_lockdep.*",
                    "ubsan.object_too_small")
SUBTEST_RE = re.compile(r"^ {4}# Subtest: (\S+)")
CASE_RE = re.compile(r"^ {4}(?:not )?ok \d+ (\S+)")
RAM_TOLERANCE_MIB = 2
KTEST_SMP = (1, 2, 4)
# (cpu, smp) of each ktest boot: every CPU count on the baseline model,
# and the richest model TCG has once.
KTEST_RUNS = tuple(("qemu64", n) for n in KTEST_SMP) + (("max", 2),)


class Check:
    """The outcome of one counted check."""

    def __init__(self, name, status, detail=None):
        self.name = name
        self.status = status        # "pass", "fail" or "skip"
        self.detail = detail or []  # lines shown when it failed


class QemuRun:
    """One QEMU boot with serial on a pipe."""

    def __init__(self, kernel, append, mem="256M", machine="pc",
                 cpu="qemu64", smp=1, extra=()):
        self.cmd = [QEMU, "-machine", machine, "-cpu", cpu, "-m", mem,
                    "-smp", str(smp), "-kernel", kernel,
                    "-display", "none", "-monitor", "none",
                    "-serial", "stdio", "-device", "isa-debug-exit",
                    "-no-reboot", "-append", append] + list(extra)
        self.output = bytearray()
        self.stderr = b""
        self.status = None
        self.timed_out = False
        self.killed = False         # by us, on purpose
        self._cond = threading.Condition()

    @property
    def text(self):
        with self._cond:
            return self.output.decode("utf-8", "replace")

    def _reader(self, stream):
        while True:
            chunk = os.read(stream.fileno(), 4096)
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self.output += chunk
                self._cond.notify_all()

    def start(self):
        self._eof = False
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self._thread = threading.Thread(target=self._reader,
                                        args=(self.proc.stdout,),
                                        daemon=True)
        self._thread.start()
        self._errthread = threading.Thread(target=self._read_stderr,
                                           daemon=True)
        self._errthread.start()
        self.started = time.monotonic()

    def _read_stderr(self):
        self.stderr = self.proc.stderr.read()

    def wait_for(self, pred, timeout):
        """Wait until pred(text) is true or QEMU's output ends.

        Returns True if pred became true within timeout seconds.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if pred(self.output.decode("utf-8", "replace")):
                    return True
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    return False
                self._cond.wait(min(left, 0.5))

    def send(self, s):
        try:
            self.proc.stdin.write(s.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def finish(self, timeout):
        """Wait for QEMU to exit; kill it (timed_out) after timeout."""
        try:
            self.status = self.proc.wait(timeout=max(timeout, 0))
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.kill()
        self._thread.join(5)
        self._errthread.join(5)
        return self.status

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.status = self.proc.wait()

    def save(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(self.text)
            if self.stderr:
                f.write("\n--- qemu stderr ---\n")
                f.write(self.stderr.decode("utf-8", "replace"))

    def tail(self, n=TAIL_LINES):
        lines = ktap.strip_timestamps(self.text)
        out = ["  | " + l for l in lines[-n:]]
        if not lines:
            out.append("  | (no serial output)")
        for l in self.stderr.decode("utf-8", "replace").splitlines()[-5:]:
            out.append("  qemu: " + l)
        return out


# ---------------------------------------------------------------- ktest

def boot_ktest(kernel, glob, smp, extra, timeout, cpu="qemu64"):
    """Boot kernel with ktest=1 (ktest.filter=glob) until QEMU exits.

    Returns the finished QemuRun; tools/ktest.py boots the same way.
    """
    append = "ktest=1"
    if glob:
        append += " ktest.filter=" + glob
    # edu: QEMU's teaching PCI device, for the MSI tests (pci_msi)
    run = QemuRun(kernel, append, smp=smp, cpu=cpu,
                  extra=["-device", "edu"] + extra)
    run.start()
    run.finish(timeout)
    return run


def ktest_runs(args):
    """The (cpu, smp) pairs to boot: KTEST_RUNS, or what --cpu/--smp say."""
    if args.cpu:
        return [(args.cpu, args.smp or 2)]
    if args.smp:
        return [("qemu64", args.smp)]
    return list(KTEST_RUNS)


def ktest_label(cpu, smp):
    """'' for qemu64 -smp 1, else e.g. '-smp 2' or 'max -smp 2'."""
    label = "" if cpu == "qemu64" else cpu
    if smp != 1 or label:
        label = (label + " -smp %d" % smp).strip()
    return label


def sanitizer_problems(text):
    """One problem per unexpected sanitizer report, with its next line.

    A report belongs to the case whose result line comes next; an
    unmarked UBSAN report is unexpected anywhere, a KASAN or lock
    validator report outside EXPECTED_REPORTS' cases.
    """
    lines = ktap.strip_timestamps(text)
    suite, pending, out = None, [], []

    def problem(i):
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        return "sanitizer report: %s / %s" % (lines[i].strip(), nxt)

    for i, l in enumerate(lines):
        m = SUBTEST_RE.match(l)
        if m:
            suite = m.group(1)
        elif any(mk in l for mk in SANITIZER_MARKERS):
            if UBSAN_MARKER in l:
                out.append(problem(i))
            else:
                pending.append(i)
        elif CASE_RE.match(l) and pending:
            case = "%s.%s" % (suite, CASE_RE.match(l).group(1))
            if not any(fnmatch.fnmatchcase(case, g)
                       for g in EXPECTED_REPORTS):
                out += [problem(j) + " (in %s)" % case for j in pending]
            pending = []
    return out + [problem(j) for j in pending]


def run_ktest(args, smp=1, cpu="qemu64"):
    """Boot with ktest=1 on smp CPUs; returns Checks (one per case)."""
    run = boot_ktest(args.kernel, args.filter, smp, args.qemu_extra,
                     args.timeout, cpu)
    label = ktest_label(cpu, smp)
    logname = "ktest%s%s.log" % ("" if cpu == "qemu64" else "-" + cpu,
                                 "" if smp == 1 else "-smp%d" % smp)
    run.save(os.path.join(args.logdir, logname))
    status = None if run.timed_out else run.status
    v = ktap.judge_ktest(run.text, status, run.timed_out)
    prefix = "ktest %s " % label if label else "ktest "
    checks = []
    for t in v.passed:
        checks.append(Check(prefix + t.path, "pass"))
    for t in v.skipped:
        checks.append(Check(prefix + t.path, "skip", [t.skip_reason]))
    for t in v.failed:
        detail = ["  | " + l for l in ktap.case_context(v, t)]
        checks.append(Check(prefix + t.path, "fail", detail))
    v.problems += sanitizer_problems(run.text)
    ran = [t for t in v.passed + v.failed + v.skipped
           if not t.path.startswith("ktest_leak_check")]
    if args.filter and not ran and not v.problems:
        v.problems.append("--filter %r matched no test case" % args.filter)
    if v.problems:
        detail = ["  " + p for p in v.problems]
        detail.append("  last %d lines of %s:" % (TAIL_LINES, os.path.join(
            args.logdir, logname)))
        detail += run.tail()
        checks.append(Check(prefix + "run", "fail", detail))
    else:
        checks.append(kunit_compat_check(prefix, run.text))
    elapsed = time.monotonic() - run.started
    note = "ktest %s: %d passed, %d failed, %d skipped in %.1fs" % (
        label or "-smp 1", len(v.passed), len(v.failed), len(v.skipped),
        elapsed)
    if v.problems:
        note += " (run failed: %s)" % v.problems[0]
    return checks, note


def kunit_compat_check(prefix, text):
    """One check: Linux's kunit_parser rules read the log as ktap.py does."""
    counts, problems = ktap.kunit_check(text)
    name = prefix + "KTAP as kunit_parser reads it"
    if not problems:
        return Check(name, "pass")
    return Check(name, "fail", ["  " + p for p in problems] + [
        "  kunit_parser counts: " + ", ".join(
            "%s %d" % kv for kv in counts.items())])


# ---------------------------------------------------------------- boot

def mem_mib(mem):
    """'-m' value (256M, 8G, 512) to MiB."""
    m = re.fullmatch(r"(\d+)([MmGg]?)", mem)
    if not m:
        raise ValueError("bad memory size %r" % mem)
    n = int(m.group(1))
    return n * 1024 if m.group(2) in ("G", "g") else n


def judge_boot(text, status, timed_out, mem):
    """Judge a normal boot's log. Returns a list of problems (empty: ok).

    status is QEMU's exit status, or None when we stopped it after the
    boot got far enough (then timed_out says whether it got there).
    """
    lines = ktap.strip_timestamps(text)
    problems = []
    banners = [l for l in lines if BANNER_RE.search(l)]
    if not banners:
        problems.append("no banner 'keel <version> (<rev>) booting'")
    elif len(banners) > 1:
        problems.append("banner printed %d times: the machine rebooted"
                        % len(banners))
    ram = [int(m.group(1)) for m in map(RAM_RE.search, lines) if m]
    want = mem_mib(mem)
    if not ram:
        problems.append("no 'keel: <N> MiB RAM' line")
    elif not want - RAM_TOLERANCE_MIB <= ram[0] <= want:
        problems.append("kernel reports %d MiB RAM, expected %d (-m %s, "
                        "tolerance %d MiB)" % (ram[0], want, mem,
                                               RAM_TOLERANCE_MIB))
    if any(m in l for l in lines for m in ktap.PANIC_MARKERS) or \
            status == ktap.EXIT_PANIC:
        problems.append("kernel panic")
    warns = [l for l in lines if any(m in l for m in WARN_MARKERS)]
    if warns:
        problems.append("warning during boot: " + warns[0].strip())
    if timed_out:
        problems.append("timeout: boot did not finish")
    elif status not in (None, 0, ktap.EXIT_PANIC):
        problems.append("QEMU exited with status %d" % status)
    return problems


def judge_lowmem(text, still_running):
    """Judge a boot with too little RAM: refuse clearly, then halt."""
    lines = ktap.strip_timestamps(text)
    problems = []
    if not any(LOWMEM_MSG in l for l in lines):
        problems.append("no '%s' message" % LOWMEM_MSG)
    if sum(bool(BANNER_RE.search(l)) for l in lines) > 1:
        problems.append("banner printed more than once: the machine "
                        "rebooted")
    if any(RAM_RE.search(l) for l in lines):
        problems.append("boot went on after refusing")
    if any(m in l for l in lines for m in ktap.PANIC_MARKERS):
        problems.append("kernel panic instead of a halt")
    if not still_running:
        problems.append("QEMU exited instead of halting (triple fault "
                        "or reset?)")
    return problems


BOOT_CONFIGS = [
    # name, -m, -machine, -cpu, -smp (None: --smp or 1)
    ("boot pc qemu64 256M", "256M", "pc", "qemu64", None),
    ("boot pc qemu64 32M", "32M", "pc", "qemu64", None),
    ("boot pc qemu64 8G", "8G", "pc", "qemu64", None),
    ("boot q35 qemu64 256M -smp 4", "256M", "q35", "qemu64", 4),
    ("boot pc max 256M -smp 2", "256M", "pc", "max", 2),
]


def run_boot(args, name, mem, machine, cpu, smp=None):
    """Boot to the monitor, power off through it, judge the log."""
    smp = smp or args.smp or 1
    run = QemuRun(args.kernel, "panic.exit=1", mem=mem, machine=machine,
                  cpu=cpu, smp=smp, extra=args.qemu_extra)
    run.start()
    booted = run.wait_for(lambda t: RAM_RE.search(t) or "panic" in t,
                          args.boot_timeout)
    timed_out = False
    status = None
    extra = []
    if booted and run.wait_for(lambda t: PROMPT in t, 10):
        run.send("poweroff\n")
        status = run.finish(15)
        if run.timed_out:
            extra.append("'poweroff' at the monitor did not stop QEMU")
            status = None
    elif booted:
        # no monitor prompt: either it powered off or it sits somewhere
        if run.proc.poll() is not None:
            status = run.finish(1)
        else:
            run.kill()
            status = None
    else:
        timed_out = run.proc.poll() is None
        if timed_out:
            run.kill()
        else:
            status = run.finish(1)
    run.save(os.path.join(args.logdir, name.replace(" ", "-") + ".log"))
    problems = extra + judge_boot(run.text, status, timed_out, mem)
    return boot_check(name, run, problems, args)


def run_lowmem(args, name="boot pc qemu64 24M refuses"):
    """Boot with 24 MiB: expect the refusal message and a halt."""
    run = QemuRun(args.kernel, "panic.exit=1", mem="24M", smp=args.smp or 1,
                  extra=args.qemu_extra)
    run.start()
    seen = run.wait_for(lambda t: LOWMEM_MSG in t or "MiB RAM" in t,
                        args.boot_timeout)
    if seen:
        # a halted CPU keeps QEMU running; a triple fault ends it
        time.sleep(2)
    still_running = run.proc.poll() is None
    run.kill()
    run.save(os.path.join(args.logdir, "boot-24M.log"))
    problems = judge_lowmem(run.text, still_running)
    return boot_check(name, run, problems, args)


def newc_archive(entries):
    """A cpio newc archive of (name, mode, data) entries and a trailer."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(
            list(entries) + [("TRAILER!!!", 0, b"")], 1):
        nb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0]
        out += b"070701" + b"".join(b"%08X" % v for v in fields) + nb
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


INITRD_TREE = [("etc", 0o40755, b""),
               ("etc/hostname", 0o100644, b"keel-initrd\n"),
               ("etc/motd", 0o120777, b"hostname")]


def run_initrd(args, name, broken):
    """Boot with an -initrd (gzip cpio); the monitor's cat reads it back.
    broken: the gzip member is cut short, so the first archive (raw)
    must be there and the error line must be printed."""
    raw = newc_archive(INITRD_TREE)
    member = gzip.compress(newc_archive(
        [("second", 0o100600, b"from the gzip member\n")]), mtime=0)
    data = raw + member[:len(member) // 2] if broken else raw + member
    path = os.path.join(args.logdir, name.replace(" ", "-") + ".cpio")
    with open(path, "wb") as f:
        f.write(data)
    run = QemuRun(args.kernel, "panic.exit=1", smp=args.smp or 1,
                  extra=list(args.qemu_extra) + ["-initrd", path])
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    for cmd, want in (("cat /etc/motd", "keel-initrd"),
                      ("cat /second", "from the gzip member")):
        if problems:
            break
        run.send(cmd + "\n")
        if broken and cmd.endswith("second"):
            want = "-ENOENT"
        if not run.wait_for(lambda t: want in t.split(cmd, 1)[-1], 10):
            problems.append("'%s' did not print %r" % (cmd, want))
    expect = ["initramfs: 4 entries unpacked" if not broken else
              "initramfs: truncated deflate data",
              "initramfs: freed "]
    problems += ["no line %r" % e for e in expect if e not in run.text]
    run.send("poweroff\n")
    status = run.finish(15)
    run.save(os.path.join(args.logdir, name.replace(" ", "-") + ".log"))
    problems += judge_boot(run.text, status, run.timed_out, "256M")
    return boot_check(name, run, problems, args)


def boot_check(name, run, problems, args):
    if not problems:
        return [Check(name, "pass")], None
    detail = ["  " + p for p in problems]
    detail.append("  last lines of the serial log:")
    detail += run.tail()
    return [Check(name, "fail", detail)], None


# ---------------------------------------------------------------- unit, format

def run_unit(args):
    """The runner's own unittest self-tests, counted one by one."""
    loader = unittest.TestLoader()
    suite = loader.discover(os.path.dirname(os.path.abspath(__file__)),
                            pattern="test_*.py")
    tests = [t.id() for t in _iter_tests(suite)]  # run() empties suite
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    bad = {}
    for test, tb in result.failures + result.errors:
        bad[test.id()] = tb.rstrip().splitlines()
    skipped = {t.id(): r for t, r in result.skipped}
    checks = []
    for tid in tests:
        if tid in bad:
            checks.append(Check("unit " + tid, "fail",
                                ["  " + l for l in bad.pop(tid)]))
        elif tid in skipped:
            checks.append(Check("unit " + tid, "skip", [skipped[tid]]))
        else:
            checks.append(Check("unit " + tid, "pass"))
    for tid, tb in bad.items():     # import errors and the like
        checks.append(Check("unit " + tid, "fail", ["  " + l for l in tb]))
    n = sum(c.status == "fail" for c in checks)
    return checks, "unit: %d self-tests, %d failed" % (len(checks), n)


def _iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _iter_tests(t)
        else:
            yield t


def c_sources():
    out = []
    for d in C_DIRS:
        for dirpath, _, files in os.walk(os.path.join(ROOT, d)):
            out += [os.path.join(dirpath, f) for f in files
                    if f.endswith((".c", ".h"))]
    return sorted(out)


def normalize_spacing(text):
    """Lines with each run of spaces/tabs after the indentation made one
    space: hand-aligned columns then compare equal to clang-format's."""
    out = []
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        indent = line[:len(line) - len(body)]
        out.append(indent + re.sub(r"[ \t]+", " ", body).rstrip())
    return out


def format_problems(original, formatted):
    """Differences clang-format wants beyond alignment (unified diff)."""
    import difflib
    return [l for l in difflib.unified_diff(normalize_spacing(original),
                                            normalize_spacing(formatted),
                                            "now", "clang-format", n=0,
                                            lineterm="")]


def long_lines(text, limit=80):
    """Line numbers over limit columns (tabs of 8), string literals
    excepted as in checkpatch."""
    return [i + 1 for i, l in enumerate(text.split("\n"))
            if len(l.expandtabs(8)) > limit and '"' not in l]


def format_exempt():
    path = os.path.join(ROOT, "tests", "format-exempt.txt")
    try:
        with open(path) as f:
            return {l.split()[0] for l in f
                    if l.strip() and not l.startswith("#")}
    except FileNotFoundError:
        return set()


def format_files():
    """The C files the format tier checks (and `make format` rewrites)."""
    exempt = format_exempt()
    return [f for f in c_sources() if os.path.relpath(f, ROOT) not in exempt]


def run_format(args):
    """clang-format --dry-run --Werror over every C file: one check.

    A file passes when clang-format changes nothing but the width of
    whitespace inside lines, and no line (without a string) is over 80
    columns. Files listed in tests/format-exempt.txt are skipped.
    """
    name = "format clang-format (Linux style)"
    tool = shutil.which("clang-format")
    if not tool:
        return [Check(name, "fail", ["  clang-format not installed "
                                     "(make deps)"])], None
    files = format_files()
    p = subprocess.run([tool, "--style=file", "--dry-run", "--Werror"] +
                       files, cwd=ROOT, capture_output=True, text=True)
    dirty = sorted({l.split(":")[0] for l in p.stderr.splitlines()
                    if ": error:" in l})
    if p.returncode and not dirty:
        return [Check(name, "fail", ["  clang-format failed:"] +
                      ["  " + l for l in p.stderr.splitlines()[:20]])], None
    detail = []
    for f in files:
        with open(f) as fh:
            text = fh.read()
        rel = os.path.relpath(f, ROOT)
        diff = []
        if f in dirty or os.path.abspath(f) in dirty:
            fmt = subprocess.run([tool, "--style=file", f], cwd=ROOT,
                                 capture_output=True, text=True).stdout
            diff = format_problems(text, fmt)
        longs = long_lines(text)
        if diff:
            detail.append("  %s: clang-format would change:" % rel)
            detail += ["    " + l for l in diff[2:22]]
        if longs:
            detail.append("  %s: lines over 80 columns: %s" % (
                rel, " ".join(map(str, longs[:10]))))
    note = "format: %d C files checked, %d exempt (tests/format-exempt.txt)"\
        % (len(files), len(format_exempt()))
    if detail:
        detail.append("  (fix with clang-format -i FILE, keeping hand "
                      "alignment if you like)")
        return [Check(name, "fail", detail)], note
    return [Check(name, "pass")], note


TIDY_FINDING_RE = re.compile(r"^(\S+?):(\d+):(\d+): (warning|error): "
                             r"(.*)$", re.M)


def tidy_findings(output):
    """The distinct "file:line:col: warning|error: text [check]" lines of
    clang-tidy output, paths relative to the tree."""
    out = set()
    for m in TIDY_FINDING_RE.finditer(output):
        path = os.path.relpath(os.path.join(ROOT, m.group(1)), ROOT)
        out.add("%s:%s:%s: %s" % (path, m.group(2), m.group(3),
                                  m.group(5)))
    return sorted(out)


def run_tidy(args):
    """clang-tidy over the C files of compile_commands.json: one check."""
    name = "tidy: clang-tidy (.clang-tidy) over the C sources"
    tidy = shutil.which("clang-tidy")
    if not tidy:
        return [Check(name, "skip", ["clang-tidy is not installed (make "
                                     "deps)"])], None
    build = os.path.dirname(args.kernel)
    p = subprocess.run(["make", "--no-print-directory", "-C", ROOT,
                        "BUILD=" + build, "compile_commands.json"],
                       capture_output=True, text=True)
    if p.returncode:
        return [Check(name, "fail", ["  make compile_commands.json failed:"]
                      + ["  | " + l for l in p.stderr.splitlines()[-10:]])
                ], None
    with open(os.path.join(ROOT, "compile_commands.json")) as f:
        files = sorted({e["file"] for e in json.load(f)
                        if e["file"].endswith(".c")})
    start = time.monotonic()

    def one(path):
        return subprocess.run([tidy, "-p", ROOT, "--quiet", path], cwd=ROOT,
                              capture_output=True, text=True)
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(one, files))
    findings = tidy_findings("".join(r.stdout for r in results))
    broken = [f for f, r in zip(files, results) if r.returncode and
              not tidy_findings(r.stdout)]
    note = "tidy: %d C files, %d findings in %.0fs" % (
        len(files), len(findings), time.monotonic() - start)
    if not findings and not broken:
        return [Check(name, "pass")], note
    detail = ["  " + l for l in findings[:60]]
    if len(findings) > 60:
        detail.append("  ... (%d more)" % (len(findings) - 60))
    detail += ["  clang-tidy failed on %s" % os.path.relpath(f, ROOT)
               for f in broken]
    detail.append("  (fix the code, or silence a wrong finding in place "
                  "with NOLINTNEXTLINE(check) and why; rerun: make tidy)")
    return [Check(name, "fail", detail)], note


def run_compile_fail(args):
    """The compile-fail suite, one check per case and per twin."""
    import compile_fail
    results, note = compile_fail.tier(ROOT, os.path.dirname(args.kernel))
    return [Check(*r) for r in results], note


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description="run keel's tests")
    p.add_argument("--kernel", default=os.path.join(ROOT, "build",
                                                    "keel.elf"))
    p.add_argument("--filter", metavar="GLOB",
                   help="run only matching ktest suites/cases "
                   "(ktest.filter=)")
    p.add_argument("--smp", type=int, default=None,
                   help="CPUs for QEMU (default: ktest with 1, 2 and 4, "
                   "boots with 1)")
    p.add_argument("--cpu", default=None,
                   help="ktest only on this QEMU CPU model (with --smp N "
                   "or 2; default: qemu64 on -smp 1, 2, 4 and max on 2)")
    p.add_argument("--qemu-arg", action="append", default=[],
                   metavar="ARGS", help="extra QEMU arguments (repeatable)")
    p.add_argument("--timeout", type=float, default=180,
                   help="seconds before the ktest boot counts as hung")
    p.add_argument("--boot-timeout", type=float, default=60,
                   help="seconds for a plain boot to reach the RAM line")
    p.add_argument("--only", action="append",
                   choices=("unit", "format", "tidy", "rust-lint",
                            "rust-host",
                            "compile-fail", "ktest", "boot", "interactive",
                            "screen", "net", "replay", "gdb", "sanitizers", "user",
                            "busybox", "kselftest", "fuzz"),
                   help="run only these tiers (repeatable)")
    p.add_argument("-j", "--jobs", type=int, default=MAX_PARALLEL,
                   help="QEMU instances at once (default 2)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every check and keep going loudly")
    p.add_argument("--format-files", action="store_true",
                   help="print the C files the format tier checks, one a "
                   "line, and exit (make format)")
    args = p.parse_args(argv)
    args.kernel = os.path.abspath(args.kernel)
    args.logdir = os.path.join(os.path.dirname(args.kernel), "check")
    args.qemu_extra = [a for s in args.qemu_arg for a in shlex.split(s)]
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.format_files:
        for f in format_files():
            print(os.path.relpath(f, ROOT))
        return 0
    tiers = args.only or ["unit", "format", "tidy", "rust-lint", "rust-host",
                          "compile-fail", "ktest", "boot", "interactive",
                          "screen", "net", "replay", "gdb", "sanitizers", "user",
                          "busybox", "kselftest", "fuzz"]
    checks = []

    def report(result):
        new, note = result
        checks.extend(new)
        if note:
            print(note, flush=True)
        for c in new:
            if c.status == "fail" or args.verbose:
                print("%-4s %s" % ({"pass": "ok", "fail": "FAIL",
                                     "skip": "skip"}[c.status], c.name),
                      flush=True)

    if "unit" in tiers:
        report(run_unit(args))
    if "format" in tiers:
        report(run_format(args))
    if "tidy" in tiers:
        report(run_tidy(args))
    if "rust-lint" in tiers:
        report(rust_lint.run_lint(args, Check))
    if "rust-host" in tiers:
        report(rust_lint.run_host(args, Check))
    if "compile-fail" in tiers:
        report(run_compile_fail(args))
    qemu_tiers = [t for t in tiers
                  if t in ("ktest", "boot", "interactive", "screen", "net",
                           "replay", "gdb", "sanitizers", "user",
                           "busybox", "kselftest", "fuzz")]
    if qemu_tiers and not os.path.exists(args.kernel):
        checks.append(Check("kernel image", "fail",
                            ["  %s does not exist (run make)" %
                             args.kernel]))
        qemu_tiers = []
    jobs = []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        if "ktest" in qemu_tiers:
            for cpu, smp in ktest_runs(args):
                jobs.append(pool.submit(run_ktest, args, smp, cpu))
        if "boot" in qemu_tiers:
            for cfg in BOOT_CONFIGS:
                jobs.append(pool.submit(run_boot, args, *cfg))
            jobs.append(pool.submit(run_lowmem, args))
            jobs.append(pool.submit(run_initrd, args, "boot initrd", False))
            jobs.append(pool.submit(run_initrd, args,
                                    "boot initrd broken gzip", True))
        if "interactive" in qemu_tiers:
            import interactive
            for fn, fargs in interactive.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "screen" in qemu_tiers:
            import screen
            for fn, fargs in screen.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "net" in qemu_tiers:
            import net
            for fn, fargs in net.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "replay" in qemu_tiers:
            import replay
            for fn, fargs in replay.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "user" in qemu_tiers:
            import user
            for fn, fargs in user.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "busybox" in qemu_tiers:
            import busybox
            for fn, fargs in busybox.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "kselftest" in qemu_tiers:
            import kselftest
            for fn, fargs in kselftest.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "fuzz" in qemu_tiers:
            import fuzz
            for fn, fargs in fuzz.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "gdb" in qemu_tiers:
            import debugger
            for fn, fargs in debugger.jobs(args):
                jobs.append(pool.submit(fn, args, *fargs))
        if "sanitizers" in qemu_tiers:
            import sanitizers
            jobs.append(pool.submit(sanitizers.run_sanitizers, args, Check,
                                    run_ktest))
        for job in concurrent.futures.as_completed(jobs):
            report(job.result())
    return summarize(checks)


def summarize(checks):
    failed = [c for c in checks if c.status == "fail"]
    if failed:
        print("\n==== %d failed check%s ====" % (
            len(failed), "" if len(failed) == 1 else "s"))
        for c in failed:
            print("\nFAIL %s" % c.name)
            for line in c.detail:
                print(line)
        print()
    npass = sum(c.status == "pass" for c in checks)
    nskip = sum(c.status == "skip" for c in checks)
    line = "%d passed, %d failed" % (npass, len(failed))
    if nskip:
        line += ", %d skipped" % nskip
    print(line, flush=True)
    return 1 if failed or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
