"""debugger.py - the gdb tier: keel under a real debugger.

One QEMU boot, halted at reset with a gdb stub, and one batch gdb that
loads keel's helpers (scripts/gdb/keel-gdb.py) as build/gdb-init does:

  probe        a breakpoint on the Rust e1000 driver's probe is hit
  backtrace    from there the backtrace runs through C (do_initcalls)
               and across call_on_stack's stack switch into start_kernel
               and pvh_start, with no "Backtrace stopped"
  policy stack a breakpoint in the Rust fair_rs policy's pick_next (the
               boot selects it): the backtrace crosses policy_guard_enter,
               named by the helpers' frame filter, into the C core
  variables    a Rust local (irq) and a C struct (the same pci_dev, in
               C) print, and agree with each other and with QEMU's NIC
  lx-ps        at a breakpoint in the monitor's `cpus` command, the
               tasks equal those `ps` printed on the serial console
  lx-dmesg     every log line the console showed is in the ring gdb
               reads, in the same order, up to the newest
  lx-cpus      the CPUs online and what runs on them
  lx-lsmod     modules and drivers, against `lsdev` on the console
  functions    $current() is the task running the monitor, $task(pid)

Each is one check. The serial console is a pipe (QemuRun); gdb's output
is split by "@@name" markers echoed between the commands.
"""

import os
import re
import shutil
import socket
import subprocess
import threading

from check import PROMPT, ROOT, Check, QemuRun, TAIL_LINES

E1000_VENDOR, E1000_DEVICE = 0x8086, 0x100E  # QEMU's "e1000" (82540EM)
SMP = 2  # default; --smp N overrides
PS_ROW = re.compile(r"^\s*(\d+) (\S+)\s+(\S+)\s+(\d+)\s+(-?\d+)\s")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d{6}\] ")

GDB_SCRIPT = """\
set pagination off
set confirm off
set width 0
set architecture i386:x86-64
file {kernel}
source {root}/scripts/gdb/keel-gdb.py
target remote 127.0.0.1:{port}
python
import re
out = gdb.execute("info functions -q -n ^e1000_rs::.*::probe$", False, True)
gdb.execute("break " + re.findall(r"fn (e1000_rs::\\S+::probe)\\(", out)[0])
end
continue
echo @@probe\\n
bt
echo @@rust-local\\n
next
p irq
echo @@c-struct\\n
set language c
p *(struct pci_dev *)pdev
set language auto
delete
python
out = gdb.execute("info functions -q -n ^kernel::sched::.*::pick_next<fair_rs::FairRs>$", False, True)
gdb.execute("break " + re.findall(r"fn (kernel::sched::\\S+)\\(", out)[0])
end
continue
echo @@policy-bt\\n
bt
delete
break sched_show_cpus
continue
echo @@lx-ps\\n
lx-ps
echo @@lx-dmesg\\n
lx-dmesg
echo @@lx-cpus\\n
lx-cpus
echo @@lx-lsmod\\n
lx-lsmod
echo @@current\\n
p $current()->name
p $current()->pid
p $task(1)->name
echo @@end\\n
kill
"""


def free_port():
    """A TCP port nothing listens on now (for QEMU's gdb stub)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sections(out):
    """{marker: text after it} of gdb's output."""
    parts = {}
    name = "start"
    for line in out.splitlines():
        m = re.match(r"^@@(\S+)$", line)
        if m:
            name = m.group(1)
            parts[name] = []
            continue
        parts.setdefault(name, []).append(line)
    return {k: "\n".join(v) for k, v in parts.items()}


def serial_block(text, cmd):
    """The lines the monitor printed for cmd (up to the next prompt)."""
    at = text.rfind(PROMPT + cmd)
    if at < 0:
        return []
    body = text[at + len(PROMPT + cmd):]
    end = body.find(PROMPT)
    return [l.rstrip("\r") for l in body[:end if end >= 0 else None]
            .splitlines()[1:]]


def ps_rows(lines):
    """{(pid, name): (state, cpu)} of a `ps` or lx-ps table."""
    rows = {}
    for l in lines:
        m = PS_ROW.match(l)
        if m:
            rows[(int(m.group(1)), m.group(2))] = (m.group(3),
                                                   int(m.group(4)))
    return rows


def check_probe(s):
    out = s.get("probe", "")
    if not re.search(r"^#0\s+e1000_rs::\S+::probe ", out, re.M):
        return ["the probe breakpoint was not hit; gdb says:", out[:400]]
    return []


def check_backtrace(s):
    out = s.get("probe", "")
    frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)", out, re.M)
    problems = []
    want = ["e1000_rs::", "pci_bus_probe", "do_initcalls",
            "start_kernel_late", "call_on_stack", "start_kernel",
            "pvh_start"]
    at = 0
    for w in want:
        hit = [i for i, f in enumerate(frames) if i >= at and
               (f.startswith(w) if w.endswith("::") else f == w)]
        if not hit:
            problems.append("no frame %s after frame %d" % (w, at))
            break
        at = hit[0] + 1
    if "Backtrace stopped" in out:
        problems.append("the backtrace stopped early")
    return problems + (["backtrace:", out] if problems else [])


def check_policy_backtrace(s):
    out = s.get("policy-bt", "")
    problems = []
    if not re.search(r"^#0\s+kernel::sched::\S+pick_next<fair_rs::FairRs>",
                     out, re.M):
        problems.append("the breakpoint in fair_rs's pick_next was not hit")
    elif not re.search(r"^#1\s.* policy_guard_enter \[policy stack switch\]",
                       out, re.M):
        problems.append("frame #1 is not the named policy stack switch")
    elif not re.search(r"^#\d+\s.*\bpolicy_pick_next ", out, re.M):
        problems.append("no policy_pick_next (the C caller) after the switch")
    if "Backtrace stopped" in out or "corrupt stack" in out:
        problems.append("the backtrace stopped early")
    return problems + (["backtrace:", out] if problems else [])


def check_variables(s):
    problems = []
    local = re.search(r"^\$\d+ = (\d+)$", s.get("rust-local", ""), re.M)
    cstruct = s.get("c-struct", "")
    vendor = re.search(r"vendor = (\d+)", cstruct)
    device = re.search(r"device = (\d+)", cstruct)
    irq = re.search(r"\birq = (\d+)", cstruct)
    if not local:
        problems.append("the Rust local irq did not print: %r"
                        % s.get("rust-local", "")[:300])
    if not (vendor and device and irq):
        problems.append("struct pci_dev did not print: %r" % cstruct[:300])
    elif (int(vendor.group(1)), int(device.group(1))) != \
            (E1000_VENDOR, E1000_DEVICE):
        problems.append("pci_dev is %s:%s, not QEMU's e1000"
                        % (vendor.group(1), device.group(1)))
    elif local and local.group(1) != irq.group(1):
        problems.append("Rust irq = %s but pci_dev.irq = %s"
                        % (local.group(1), irq.group(1)))
    return problems


def check_ps(s, text):
    want = ps_rows(serial_block(text, "ps"))
    got = ps_rows(s.get("lx-ps", "").splitlines())
    problems = []
    if not want:
        return ["no `ps` table on the console"]
    if set(got) != set(want):
        problems.append("tasks differ: ps %s, lx-ps %s"
                        % (sorted(want), sorted(got)))
    init = [k for k in got if k[1] == "init"]
    if not init or got[init[0]][0] != "running":
        problems.append("lx-ps does not show init running (the monitor)")
    return problems


def check_dmesg(s, text):
    ring = s.get("lx-dmesg", "").splitlines()
    console = [l.rstrip("\r") for l in text.splitlines()
               if TIMESTAMP.match(l)]
    if not console:
        return ["no log lines on the console"]
    if not ring:
        return ["lx-dmesg printed nothing"]
    # the console lines from the ring's oldest on (the ring may have
    # dropped older ones), in order, each found in the ring
    first = next((i for i, l in enumerate(console) if l == ring[0]), 0)
    at = 0
    for l in console[first:]:
        try:
            at = ring.index(l, at) + 1
        except ValueError:
            return ["console line not in lx-dmesg (in order): %r" % l]
    if ring[-1] != console[-1] and console[-1] not in ring[-5:]:
        return ["lx-dmesg ends %r, the console %r" % (ring[-1],
                                                      console[-1])]
    return []


def check_cpus(s, smp):
    out = s.get("lx-cpus", "").splitlines()
    rows = [l for l in out if re.match(r"^[ *]\s*\d+ ", l)]
    problems = []
    online = [l for l in rows if " online " in l]
    if len(online) != smp:
        problems.append("%d CPUs online in lx-cpus, QEMU has %d"
                        % (len(online), smp))
    here = [l for l in rows if l.startswith("*")]
    if len(here) != 1 or "init [1]" not in here[0]:
        problems.append("the selected CPU does not run init: %r" % here)
    return problems + (["lx-cpus:"] + out if problems else [])


def check_lsmod(s, text):
    out = s.get("lx-lsmod", "")
    problems = []
    if not re.search(r"^e1000_rs\s+boot\s+running\s+Rust ", out, re.M):
        problems.append("lx-lsmod: no running Rust module e1000_rs")
    lsdev = serial_block(text, "lsdev")
    bound = re.findall(r"^(\S+)\s+(\S+)\s+(?:Rust|C)\s+(\S.*)$", out, re.M)
    if not bound:
        problems.append("lx-lsmod lists no drivers")
    for bus, drv, devs in bound:
        for dev in devs.split():
            if dev == "-":
                continue
            if not any(dev in l and l.rstrip().endswith(" " + drv)
                       for l in lsdev):
                problems.append("lx-lsmod binds %s to %s; lsdev does not"
                                % (dev, drv))
    if not any(d == "e1000_rs" and devs != "-" for _, d, devs in bound):
        problems.append("lx-lsmod: e1000_rs bound to no device")
    return problems + (["lx-lsmod:", out] if problems else [])


def check_functions(s):
    vals = re.findall(r"^\$\d+ = (.*)$", s.get("current", ""), re.M)
    if len(vals) != 3 or not vals[0].startswith('"init"') or \
            vals[1] != "1" or not vals[2].startswith('"init"'):
        return ["$current()/$task(1): %r" % s.get("current", "")[:300]]
    return []


def run_gdb_session(args):
    """Boot halted, drive gdb and the console; one check per aspect."""
    names = ["probe breakpoint in Rust", "backtrace across call_on_stack",
             "backtrace across the policy stack", "Rust local and C struct",
             "lx-ps matches ps", "lx-dmesg matches the console", "lx-cpus",
             "lx-lsmod matches lsdev", "$current() and $task()"]
    names = ["gdb: " + n for n in names]
    if shutil.which("gdb") is None:
        return [Check(n, "skip") for n in names], \
            "gdb: not installed (make deps installs it)"
    port = free_port()
    smp = args.smp or SMP
    run = QemuRun(args.kernel, "e1000.impl=rust sched.policy=fair_rs "
                  "panic.exit=1", smp=smp,
                  extra=["-netdev", "user,id=n0", "-device",
                         "e1000,netdev=n0", "-gdb",
                         "tcp:127.0.0.1:%d" % port, "-S"]
                  + list(args.qemu_extra))
    run.start()
    os.makedirs(args.logdir, exist_ok=True)
    script = os.path.join(args.logdir, "gdb-session.gdb")
    with open(script, "w") as f:
        f.write(GDB_SCRIPT.format(kernel=args.kernel, root=ROOT, port=port))
    gdb = subprocess.Popen(["gdb", "-nx", "-q", "-batch", "-x", script],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
    out = []
    reader = threading.Thread(target=lambda: out.append(
        gdb.stdout.read().decode("utf-8", "replace")), daemon=True)
    reader.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    for cmd, expect in (("ps", "PID NAME"), ("lsdev", "e1000_rs")):
        start = len(run.text)
        run.send(cmd + "\r")
        if not run.wait_for(lambda t: expect in t[start:] and
                            PROMPT in t[start + len(cmd):], 15):
            problems.append("%s: no answer on the console" % cmd)
    run.send("cpus\r")  # gdb stops here, in sched_show_cpus
    try:
        gdb.wait(timeout=60)
    except subprocess.TimeoutExpired:
        problems.append("gdb did not finish")
        gdb.kill()
        gdb.wait()
    reader.join(5)
    run.kill()
    run.finish(5)
    text = run.text
    gdb_out = out[0] if out else ""
    run.save(os.path.join(args.logdir, "gdb-session.log"))
    with open(os.path.join(args.logdir, "gdb-session.out"), "w") as f:
        f.write(gdb_out)
    s = sections(gdb_out)
    results = [check_probe(s), check_backtrace(s), check_policy_backtrace(s),
               check_variables(s),
               check_ps(s, text), check_dmesg(s, text), check_cpus(s, smp),
               check_lsmod(s, text), check_functions(s)]
    checks = []
    tail = run.tail(TAIL_LINES)
    for name, p in zip(names, results):
        p = problems + p
        if not p:
            checks.append(Check(name, "pass"))
            continue
        detail = ["  " + l for l in p] + [
            "  gdb's output: build/check/gdb-session.out"]
        if tail:  # the console once, under the first failure
            detail += ["  last lines of the console:"] + tail
            tail = None
        checks.append(Check(name, "fail", detail))
    return checks, None


def jobs(args):
    """The checks of this module as (function, args) pairs."""
    return [(run_gdb_session, ())]
