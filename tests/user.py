"""user.py - the "user" tier: keel's user-space test programs.

Boots keel with build/user-tests.cpio as the initramfs (make
user-tests): its /init (tests/user/init.c) runs each static musl
program of tests/user as a child, nests their KTAP subtests under its own
plan and powers the machine off with reboot(2). Each leaf case is one
check; a panic, a hang, a missing or short plan, or any exit other than
the clean power off (status 0) fails the run. Runs on -smp 1 and 2 (or
--smp N). (The SMAP ktest runs in the ktest tier's -cpu max boot.)
"""

import os
import re
import socket
import threading
import time

import ktap
from check import Check, QemuRun, TAIL_LINES, sanitizer_problems

USER_SMP = (1, 2)


def judge(text, status, timed_out):
    v = ktap.Verdict()
    v.lines = ktap.strip_timestamps(text)
    root, problems = ktap.parse_ktap(v.lines)
    for leaf in root.leaves() if root.children else []:
        if leaf.last_line is None:
            continue
        if leaf.skip_reason is not None:
            v.skipped.append(leaf)
        elif leaf.ok:
            v.passed.append(leaf)
        else:
            v.failed.append(leaf)
    if any(m in l for l in v.lines for m in ktap.PANIC_MARKERS):
        v.problems.append("kernel panic")
    elif timed_out:
        v.problems.append("timeout: no power off (QEMU killed)")
    elif status != 0:
        v.problems.append("QEMU exited with status %s, not the clean "
                          "power off /init asks for" % status)
    v.problems.extend(problems)
    # a sanitizer kernel (make check-sanitizers): any report fails
    v.problems.extend(sanitizer_problems(text))
    return v


GUEST_UDP_PORT = 7777       # tests/user/udp.c's HOST_PORT


class HostPeer:
    """The host end of udp.c's exchange through slirp: sends a hello to
    the guest's forwarded port until the guest answers, echoes every
    datagram back to where it came from."""

    def __init__(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        self.fwd_port = s.getsockname()[1]
        s.close()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(0.3)
        self.heard = False
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop:
            if not self.heard:
                try:
                    self.sock.sendto(b"keel-host-hello",
                                     ("127.0.0.1", self.fwd_port))
                except OSError:
                    pass
            try:
                data, peer = self.sock.recvfrom(4096)
            except (socket.timeout, OSError):
                continue
            self.heard = True
            try:
                self.sock.sendto(data, peer)
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


def run_user(args, smp):
    initrd = os.path.join(os.path.dirname(args.kernel), "user-tests.cpio")
    prefix = "user " if smp == 1 else "user -smp %d " % smp
    if not os.path.exists(initrd):
        return [Check(prefix + "run", "fail",
                      ["  %s does not exist (make user-tests)" % initrd])], ""
    peer = HostPeer()
    # ip=dhcp and a NIC whose host side forwards the peer to udp.c
    net = ["-netdev", "user,id=n0,hostfwd=udp:127.0.0.1:%d-:%d" % (
        peer.fwd_port, GUEST_UDP_PORT), "-device", "e1000,netdev=n0"]
    run = QemuRun(args.kernel, "ip=dhcp", smp=smp,
                  extra=["-initrd", initrd] + net + args.qemu_extra)
    run.start()
    peer.thread.start()
    run.finish(args.timeout)
    peer.close()
    logname = "user-smp%d.log" % smp
    run.save(os.path.join(args.logdir, logname))
    v = judge(run.text, None if run.timed_out else run.status,
              run.timed_out)
    checks = [Check(prefix + t.path, "pass") for t in v.passed]
    checks += [Check(prefix + t.path, "skip", [t.skip_reason])
               for t in v.skipped]
    for t in v.failed:
        detail = ["  | " + l for l in ktap.case_context(v, t)]
        checks.append(Check(prefix + t.path, "fail", detail))
    if v.problems:
        detail = ["  " + p for p in v.problems]
        detail.append("  last %d lines of %s:" % (
            TAIL_LINES, os.path.join(args.logdir, logname)))
        detail += run.tail()
        checks.append(Check(prefix + "run", "fail", detail))
    # syscalls.c calls acct twice: one log line, in the words
    logged = re.findall(r"keel: unimplemented syscall 163 \(acct\) from "
                        r"\d+ syscalls\r?$", run.text, re.M)
    checks.append(Check(prefix + "unimplemented syscall logged once",
                        "pass" if len(logged) == 1 else "fail",
                        ["  %d log lines for acct, want 1" % len(logged)]))
    note = "user -smp %d: %d passed, %d failed in %.1fs" % (
        smp, len(v.passed), len(v.failed), time.monotonic() - run.started)
    return checks, note


def jobs(args):
    """The checks of this tier as (function, args) pairs."""
    return [(run_user, (smp,)) for smp in
            ((args.smp,) if args.smp else USER_SMP)]
