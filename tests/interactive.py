"""interactive.py - checks that drive the kernel the way a person would.

Each function boots QEMU, talks to the monitor or reads what the kernel
printed, and returns ([Check], note) like the tiers in check.py:

  ktest framework   the deliberately failing ktest_selftest suite gets
                    exactly the verdicts it was written to get
  monitor           commands answer, bad input is refused, nothing breaks
  fault/panic       `fault` and `panic` print a report with a symbolized
                    backtrace naming the function, once, and exit 65
  modules           Rust modules start at boot and run their exit code at
                    `poweroff`
  first run         the QEMU command `make run INIT=monitor` prints
                    (make -n) boots with eth0 up, and `ping 10.0.2.2`
                    answers; booted without ip=, ping says "eth0 is
                    down: ifconfig eth0 dhcp", keeps trying, and works
                    after that command
  busybox shell     `make run`'s default boots busybox sh on the serial
                    console (drivers/tty/): a command, line editing
                    (erase, arrow-left insert, history), ^C ends a
                    `sleep 100`, ^Z stops one and fg resumes it, ^\
                    quits it, ^D ends cat's input, poweroff -f stops
                    QEMU
"""

import os
import shlex
import subprocess
import time

import ktap
from check import PROMPT, Check, QemuRun, TAIL_LINES

# what each case of kernel/ktest_selftest.c must come out as
SELFTEST_EXPECTED = {
    "expect_fails_but_continues": "fail",
    "assert_aborts_case": "fail",
    "abort_skipped_rest": "pass",
    "fault_is_caught": "fail",
    "panic_is_caught": "fail",
    "expected_panic_passes": "pass",
    "missing_panic_fails": "fail",
    "other_panic_fails": "fail",
    "warn_fails_case": "fail",
    "skip_is_reported": "skip",
    "still_running_after_all_that": "pass",
}


def _result(name, run, problems, logdir):
    run.save(os.path.join(logdir, name.replace(" ", "-") + ".log"))
    if not problems:
        return [Check(name, "pass")], None
    detail = ["  " + p for p in problems] + ["  last lines of the log:"]
    return [Check(name, "fail", detail + run.tail(TAIL_LINES))], None


def run_selftest(args):
    """The ktest framework reports failures, faults, panics and skips."""
    name = "ktest framework self-test"
    run = QemuRun(args.kernel, "ktest=1 ktest.filter=ktest_selftest",
                  smp=args.smp or 1, extra=args.qemu_extra)
    run.start()
    run.finish(args.timeout)
    v = ktap.judge_ktest(run.text, None if run.timed_out else run.status,
                         run.timed_out)
    got = {}
    for status, tests in (("pass", v.passed), ("fail", v.failed),
                          ("skip", v.skipped)):
        for t in tests:
            got[t.path] = status
    problems = [p for p in v.problems]
    for case, want in SELFTEST_EXPECTED.items():
        have = got.get("ktest_selftest." + case, "missing")
        if have != want:
            problems.append("%s: expected %s, got %s" % (case, want, have))
    if got.get("ktest_leak_check.no_pages_or_objects_leaked") != "pass":
        problems.append("leak check after the self-test did not pass")
    if run.status != ktap.EXIT_FAIL:
        problems.append("exit status %s, expected %d (failures reported)"
                        % (run.status, ktap.EXIT_FAIL))
    return _result(name, run, problems, args.logdir)


def _boot_to_prompt(args, append="panic.exit=1"):
    run = QemuRun(args.kernel, append, smp=args.smp or 1, extra=args.qemu_extra)
    run.start()
    return run, run.wait_for(lambda t: PROMPT in t,
                             args.boot_timeout)


def _command(run, cmd, expect, timeout=10):
    """Send one command line; wait until `expect` appears after it."""
    start = len(run.text)
    run.send(cmd + "\r")
    return run.wait_for(lambda t: expect in t[start:], timeout)


MONITOR_SCRIPT = [
    # command, text that must follow it
    ("help", "poweroff"),
    ("frobnicate", "unknown command 'frobnicate'"),
    ("meminfo now", "usage: meminfo"),
    ("meminfo", "kmalloc-64"),
    ("uptime", "uptime: "),
    ("dmesg", "booting via PVH"),
    ("irqs", "lapic"),
    ("lsdev", "[8086:1237]"),
    ("lsdev", "  pci   e1000                00:03.0"),   # bound drivers
    ("lsdev", "  pci   e1000_rs             (no device)"),
    ("ifconfig", "eth0: flags=DOWN"),
    ("netstat", "ip.in_receives"),
    ("logflood lots", "usage: logflood N"),
    ("ping 10.0.2", "usage: ping [-I IF]"),
]


def run_monitor(args):
    """The monitor answers every command and refuses bad ones."""
    name = "monitor commands"
    run, ok = _boot_to_prompt(args)
    problems = [] if ok else ["no monitor prompt"]
    for cmd, expect in MONITOR_SCRIPT if ok else []:
        if not _command(run, cmd, expect):
            problems.append("%r: no %r in the answer" % (cmd, expect))
    if ok and not _command(run, "poweroff", "powering off"):
        problems.append("poweroff did not start")
    run.finish(15)
    if run.timed_out:
        problems.append("poweroff did not stop QEMU")
    elif run.status != 0:
        problems.append("QEMU exit status %s after poweroff" % run.status)
    return _result(name, run, problems, args.logdir)


CRASHES = [
    # command, strings the report must contain
    ("fault", ["BUG: NULL pointer dereference", "page fault: vector 14",
               "RIP: 0008:", "] monitor_fault_null_deref",
               "Kernel panic - not syncing: Fatal exception: page fault in "
               "monitor_fault_null_deref"]),
    ("panic", ["Kernel panic - not syncing: requested from the monitor",
               "] cmd_panic", "] monitor_exec",
               "---[ end Kernel panic - not syncing: requested from the "
               "monitor ]---"]),
]


def run_crash(args, cmd, needles):
    """A deliberate crash gives one symbolized report and exit 65."""
    name = "monitor %s: symbolized report" % cmd
    run, ok = _boot_to_prompt(args)
    problems = [] if ok else ["no monitor prompt"]
    if ok:
        run.send(cmd + "\r")
    run.finish(args.boot_timeout)
    text = run.text
    for n in needles:
        if n not in text:
            problems.append("report lacks %r" % n)
    starts = sum(l.startswith("Kernel panic - not syncing:")
                 for l in ktap.strip_timestamps(text))
    if starts != 1:
        problems.append("'Kernel panic' header printed %d times" % starts)
    if run.timed_out or run.status != ktap.EXIT_PANIC:
        problems.append("exit status %s, expected %d (panic)"
                        % (run.status, ktap.EXIT_PANIC))
    return _result(name, run, problems, args.logdir)


def run_modules(args):
    """Rust modules start at boot and stop at power off, in order."""
    name = "rust modules init and exit"
    run, ok = _boot_to_prompt(args)
    problems = [] if ok else ["no monitor prompt"]
    if ok:
        run.send("poweroff\r")
    run.finish(15)
    lines = ktap.strip_timestamps(run.text)
    want = ["rust_minimal: init", "rust_sync: 1 name(s) registered",
            "keel: stopping modules, powering off",
            "rust_minimal: exit, numbers [72, 108, 200]"]
    at = 0
    for w in want:
        found = [i for i, l in enumerate(lines) if w in l and i >= at]
        if not found:
            problems.append("missing (in order): %r" % w)
            continue
        at = found[0]
    return _result(name, run, problems, args.logdir)


SCHED_SCRIPT = [
    # command, text that must follow it
    ("sched", "* rr"),
    # record and replay (kernel/sched/record.c; tests/replay.py replays)
    ("sched record", "sched record: stopped, 0 of 0 records"),
    ("sched record dump", "sched record dump: error -2"),
    ("sched record start no-such-policy", "sched record start: error -2"),
    ("sched record start", "sched record: recording, "),
    ("sched", "* rr"),
    ("sched msg 1", "sched msg: 1 loops under rr: "),
    ("sched record dump", "sched record dump: error -16"),
    ("sched record start", "sched record start: error -16"),
    ("sched record stop", "sched record: stopped, "),
    ("sched record dump", "sched-record end records="),
    ("sched record frob", "sched record frob: error -22"),
    ("sched record free", "sched record: stopped, 0 of 0 records"),
    ("sched fair_rs", "sched: policy fair_rs"),
    ("sched", "* fair_rs"),
    ("sched no-such-policy", "cannot switch to 'no-such-policy'"),
    ("ps", "init"),
    ("sched fair", "sched: policy fair"),
    ("sched", "* fair"),
]


EJECTED = "policy test_panic ejected after"


def _sched_ejection(run):
    """A policy that panics is ejected; the monitor keeps answering."""
    if not _command(run, "sched test_panic", "policy fair -> test_panic"):
        return ["'sched test_panic' did not switch"]
    # its 20th pick panics; an idle monitor makes about one pick a second
    for _ in range(60):
        if _command(run, "uptime", EJECTED, timeout=1) or EJECTED in run.text:
            break
    else:
        return ["test_panic was not ejected"]
    problems = []
    for cmd, expect in [
            ("sched", "test_panic (ejected: panic in a callback; abandoned)"),
            ("sched", "* fair"),
            ("sched test_panic", "cannot switch to 'test_panic'"),
            ("cpus", "ejected 1"),
            ("ps", "sched_watchdog")]:
        if not _command(run, cmd, expect):
            problems.append("%r: no %r in the answer" % (cmd, expect))
    return problems


def run_sched_policy(args):
    """sched.policy= picks the boot policy; 'sched NAME' switches live."""
    name = "sched.policy=rr and monitor 'sched' -smp 2"
    run = QemuRun(args.kernel, "panic.exit=1 sched.policy=rr", smp=2,
                  extra=args.qemu_extra)
    run.start()
    ok = run.wait_for(lambda t: PROMPT in t, args.boot_timeout)
    problems = [] if ok else ["no monitor prompt"]
    if ok and "policy fair -> rr" not in run.text:
        problems.append("sched.policy=rr did not switch to rr at boot")
    for cmd, expect in SCHED_SCRIPT if ok else []:
        if not _command(run, cmd, expect):
            problems.append("%r: no %r in the answer" % (cmd, expect))
    if ok and not problems:
        problems += _sched_ejection(run)
    if ok and not _command(run, "poweroff", "powering off"):
        problems.append("poweroff did not start")
    run.finish(15)
    if run.timed_out or run.status != 0:
        problems.append("QEMU exit status %s after poweroff" % run.status)
    return _result(name, run, problems, args.logdir)


def make_run_command(args, *make_vars):
    """The QEMU command `make run` runs (make -n), as a list; or None."""
    build = os.path.dirname(args.kernel)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(["make", "-s", "-n", "-C", root, "BUILD=" + build,
                          "run"] + list(make_vars),
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("qemu-system-"):
            return shlex.split(line) + args.qemu_extra
    return None


def run_first_ping(args):
    """`make run INIT=monitor`, then `ping 10.0.2.2`: answers at once."""
    name = "first run: make run INIT=monitor, then ping 10.0.2.2"
    cmd = make_run_command(args, "INIT=monitor")
    if cmd is None:
        return [Check(name, "fail", ["  `make -n run` printed no QEMU "
                                     "command"])], None
    run = QemuRun(args.kernel, "")
    run.cmd = cmd
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    elif not _command(run, "ping 10.0.2.2", "packet loss", 30):
        problems.append("ping did not finish")
    elif "3 packets transmitted, 3 received" not in run.text:
        problems.append("ping 10.0.2.2 did not get its 3 replies")
    run.kill()
    return _result(name, run, problems, args.logdir)


def run_ping_down(args):
    """With eth0 down, ping says why and what to type, and keeps trying."""
    name = "ping with eth0 down explains and keeps trying"
    run, ok = _boot_to_prompt(args)
    problems = [] if ok else ["no monitor prompt"]
    if ok and not _command(run, "ping -c 2 10.0.2.2", "packet loss", 15):
        problems.append("ping -c 2 did not finish")
    text = ktap.strip_timestamps(run.text)
    if ok and text.count("eth0 is down: ifconfig eth0 dhcp") != 1:
        problems.append("no single 'eth0 is down: ifconfig eth0 dhcp'")
    if ok and "2 packets transmitted, 0 received" not in run.text:
        problems.append("ping did not try twice")
    if ok and not _command(run, "ifconfig eth0 dhcp", PROMPT, 30):
        problems.append("ifconfig eth0 dhcp did not finish")
    if ok and not (_command(run, "ping -c 1 10.0.2.2", "packet loss", 15)
                   and "1 packets transmitted, 1 received" in run.text):
        problems.append("after 'ifconfig eth0 dhcp' ping still failed")
    run.kill()
    return _result(name, run, problems, args.logdir)


SHELL_PROMPT = "keel:~# "

# what is typed at busybox sh, and what must follow it; "\x7f" is DEL
# (VERASE), "\x1b[D" the left arrow, "\x1b[A" the up arrow (history)
SHELL_SCRIPT = [
    ("echo hello\r", "\r\nhello\r\n" + SHELL_PROMPT),
    ("echo helpx\x7fer\r", "\r\nhelper\r\n" + SHELL_PROMPT),
    ("echo wrld\x1b[D\x1b[D\x1b[Do\r", "\r\nworld\r\n" + SHELL_PROMPT),
    ("\x1b[A\r", "\r\nworld\r\n" + SHELL_PROMPT),
    ("tty\r", "/dev/ttyS0\r\n" + SHELL_PROMPT),
]


def _shell(run, typed, expect, timeout=10):
    """Type at the shell; wait until `expect` appears after it."""
    start = len(run.text)
    run.send(typed)
    return run.wait_for(lambda t: expect in t[start:], timeout)


def _job_control(run):
    """^C, ^Z + fg, ^\\ and ^D on jobs in the foreground group."""
    problems = []
    if not _shell(run, "sleep 100\r", "sleep 100\r\n", 5):
        return ["sleep 100 was not echoed"]
    time.sleep(1)
    if not _shell(run, "\x03", "^C\r\n" + SHELL_PROMPT, 5):
        return ["^C did not end sleep 100 within 5 s"]
    if not _shell(run, "echo rc=$?\r", "rc=130"):
        problems.append("sleep's status after ^C is not 130 (SIGINT)")
    _shell(run, "sleep 100\r", "sleep 100\r\n", 5)
    time.sleep(1)
    if not _shell(run, "\x1a", "Stopped", 5):
        problems.append("^Z did not stop sleep 100")
    elif not _shell(run, "fg\r", "sleep 100\r\n", 5):
        problems.append("fg did not resume sleep 100")
    else:
        time.sleep(0.5)
        if not _shell(run, "\x1c", "Quit", 5):
            problems.append("^\\ did not quit sleep 100")
    # type only once cat reads: before, the shell's raw mode takes it
    _shell(run, "cat\r", "cat\r\n", 5)
    time.sleep(1)
    if not (_shell(run, "typed\r", "typed\r\ntyped\r\n", 5) and
            _shell(run, "\x04", SHELL_PROMPT, 5)):
        problems.append("cat did not echo a line and end at ^D")
    return problems


def run_busybox_shell(args):
    """`make run` lands in busybox sh; editing and job control work."""
    name = "busybox shell: make run, line editing, ^C ^Z ^\\ ^D, poweroff"
    cmd = make_run_command(args)
    initrd = cmd[cmd.index("-initrd") + 1] if cmd and "-initrd" in cmd \
        else None
    if initrd is None or not os.path.exists(initrd):
        return [Check(name, "fail", ["  no initramfs for `make run` "
                                     "(make initramfs): %s" % initrd])], None
    run = QemuRun(args.kernel, "")
    run.cmd = cmd
    run.start()
    problems = []
    if not run.wait_for(lambda t: SHELL_PROMPT in t, args.boot_timeout):
        problems.append("no busybox prompt %r" % SHELL_PROMPT)
    for typed, expect in SHELL_SCRIPT if not problems else []:
        if not _shell(run, typed, expect):
            problems.append("%r: no %r after it" % (typed, expect))
    if not problems:
        problems += _job_control(run)
    if "job control turned off" in run.text:
        problems.append("busybox sh says: job control turned off")
    if not problems:
        # busybox init (PID 1) waits for SIGCHLD in sigtimedwait with it
        # blocked, and starts a new shell when this one exits
        before = run.text.count(SHELL_PROMPT)
        run.send("exit\r")
        if not run.wait_for(lambda t: t.count(SHELL_PROMPT) > before, 20):
            problems.append("exit: busybox init started no new shell")
    if not problems:
        run.send("poweroff -f\r")
    run.finish(15)
    if not problems and (run.timed_out or run.status != 0):
        problems.append("poweroff -f: QEMU exit status %s" % run.status)
    return _result(name, run, problems, args.logdir)


def jobs(args):
    """The checks of this module as (function, args) pairs."""
    out = [(run_selftest, ()), (run_monitor, ()), (run_modules, ()),
           (run_sched_policy, ()), (run_first_ping, ()),
           (run_ping_down, ()), (run_busybox_shell, ())]
    out += [(run_crash, (cmd, needles)) for cmd, needles in CRASHES]
    return out
