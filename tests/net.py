"""net.py - integration tests of the network path, run by check.py.

Each check boots QEMU with real network backends and drives the kernel
from the monitor and from the host:

  user     QEMU user networking (slirp): the DHCP lease (10.0.2.15), a
           host -> guest UDP echo through hostfwd for every payload size
           from 1 to 1472 bytes (content verified), `ping 10.0.2.2` from
           the guest, and link off/on from QMP (`set_link`) reported by
           the PHY driver ("eth0: link down", "eth0: link up 1000Mbps
           full")
  inject   a socket backend whose other end is this script: 100,000
           frames (crafted malformed ones of every kind, valid pings and
           UDP echoes in between, then random junk); the kernel must keep
           running, answer the valid traffic, move each stack counter by
           exactly the expected amount, and end with the same kmalloc
           objects and bytes as it started
  mixed    two NICs on one QEMU hub, the first driven by the C driver
           and the second by the Rust one, pinging each other
  q35      the PCI tests on q35, where configuration space is reached
           through ECAM and QEMU's edu device takes an MSI

user and inject run once per e1000 implementation (e1000.impl=c|rust).
Frames on the socket backend are length-prefixed (4 bytes, big endian),
as QEMU's net/socket.c sends and expects them.
"""

import os
import random
import re
import socket
import struct
import tempfile
import threading
import time

import ktap
from qmp import Qmp, QmpError
from check import PROMPT, Check, QemuRun, TAIL_LINES

IMPLS = ("c", "rust")
DRIVER_NAME = {"c": "e1000", "rust": "e1000_rs"}
PHY_DRIVER = "Marvell 88E1011"
GUEST_MAC = bytes.fromhex("525400770002")
PEER_MAC = bytes.fromhex("020000000001")
GUEST_IP = bytes([192, 168, 77, 2])
PEER_IP = bytes([192, 168, 77, 1])
INJECT_TOTAL = 100000
RANDOM_FRAMES = 20000
INJECT_CHUNK = 128          # frames per burst; the RX ring has 256
LINE_RE = re.compile(r"^\s*(\S+)\s+(-?\d+)\s*$")


# ------------------------------------------------------------ helpers

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def command(run, cmd, timeout=30):
    """Run a monitor command; return its output lines (no timestamps)."""
    start = len(run.text)
    run.send(cmd + "\r")
    ok = run.wait_for(lambda t: PROMPT in t[start + len(cmd):], timeout)
    out = run.text[start:]
    lines = ktap.strip_timestamps(out)
    return ok, [l for l in lines if not l.startswith(PROMPT)]


def counters(run):
    """netstat as {name: value}."""
    ok, lines = command(run, "netstat")
    out = {}
    for l in lines:
        m = LINE_RE.match(l)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out if ok else None


def nic_counters(run, ifname):
    """ifconfig's RX/TX counters as {"rx_packets": n, ...}."""
    ok, lines = command(run, "ifconfig " + ifname)
    out = {}
    for l in lines:
        m = re.match(r"\s*(RX|TX) (.*)", l)
        if not m:
            continue
        words = m.group(2).split()
        for k, v in zip(words[::2], words[1::2]):
            out["%s_%s" % (m.group(1).lower(), k)] = int(v)
    return out if ok else None


def slab_usage(run):
    """meminfo's per-cache (objects, bytes)."""
    ok, lines = command(run, "meminfo")
    out = {}
    for l in lines:
        w = l.split()
        if len(w) == 7 and w[1].isdigit() and w[2].isdigit():
            out[w[0]] = (int(w[2]), int(w[3]))
    return out if ok else None


def boot(args, append, extra, name):
    run = QemuRun(args.kernel, "panic.exit=1 " + append, smp=args.smp or 1,
                  extra=list(extra) + list(args.qemu_extra))
    run.start()
    ok = run.wait_for(lambda t: PROMPT in t, args.boot_timeout)
    return run, ok


def finish(run, name, args, results):
    """Power off, save the log, and turn results into Checks."""
    if run.proc.poll() is None:
        run.send("poweroff\r")
        run.finish(15)
        if run.timed_out:
            results.append(("poweroff", ["poweroff did not stop QEMU"]))
    run.save(os.path.join(args.logdir, name.replace(" ", "-") + ".log"))
    lines = ktap.strip_timestamps(run.text)
    crash = [l for l in lines if any(m in l for m in ktap.PANIC_MARKERS)
             or "WARNING:" in l or "UBSAN: " in l or "BUG: KASAN: " in l]
    checks = []
    for cname, problems in results:
        if crash:
            problems = problems + ["kernel reported: " + crash[0]]
        if problems:
            detail = ["  " + p for p in problems] + [
                "  last lines of %s.log:" % name.replace(" ", "-")]
            checks.append(Check("%s: %s" % (name, cname), "fail",
                                detail + run.tail(TAIL_LINES)))
        else:
            checks.append(Check("%s: %s" % (name, cname), "pass"))
    return checks


# ------------------------------------------------------------ user net

def udp_echo_problems(port):
    """Send 1..1472-byte datagrams to the guest's echo service."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    problems = []
    try:
        for n in range(1, 1473):
            data = bytes((i * 31 + n) & 0xff for i in range(n))
            for attempt in range(3):    # slirp may drop the first ones
                s.sendto(data, ("127.0.0.1", port))
                try:
                    reply, _ = s.recvfrom(4096)
                    break
                except socket.timeout:
                    reply = None
            if reply != data:
                problems.append("%d-byte echo: %s" % (
                    n, "no reply" if reply is None else
                    "%d bytes back, different content" % len(reply)))
                if len(problems) > 5:
                    break
    finally:
        s.close()
    return problems


def run_user(args, impl):
    """DHCP, UDP echo, ping and link changes over QEMU user networking."""
    name = "net user %s" % impl
    port = free_port()
    qmp_path = os.path.join(tempfile.mkdtemp(prefix="keel-qmp-"), "qmp")
    extra = ["-netdev", "user,id=n0,hostfwd=udp:127.0.0.1:%d-:7" % port,
             "-device", "e1000,netdev=n0",
             "-qmp", "unix:%s,server=on,wait=off" % qmp_path]
    run, ok = boot(args, "ip=dhcp e1000.impl=" + impl, extra, name)
    results = []
    if not ok:
        results.append(("boot", ["no monitor prompt"]))
        return finish(run, name, args, results), None

    # DHCP lease and the driver that bound
    p = []
    if "lease 10.0.2.15" not in run.text:
        p.append("no 'lease 10.0.2.15' in the boot log")
    _, lines = command(run, "ifconfig eth0")
    text = "\n".join(lines)
    if "inet 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2 (dhcp)" \
            not in text:
        p.append("ifconfig eth0 does not show the lease")
    if "driver %s\n" % DRIVER_NAME[impl] not in text + "\n":
        p.append("eth0 is not driven by %s" % DRIVER_NAME[impl])
    results.append(("dhcp lease 10.0.2.15", p))

    # host -> guest UDP echo, 1..1472 bytes
    results.append(("udp echo 1..1472 bytes", udp_echo_problems(port)))

    # guest ping
    _, lines = command(run, "ping -c 3 10.0.2.2", timeout=20)
    p = []
    if not any("3 packets transmitted, 3 received" in l for l in lines):
        p.append("ping 10.0.2.2: not 3 replies out of 3")
    results.append(("ping 10.0.2.2", p))

    # link off/on from the QEMU side, seen by the PHY driver
    p = []
    try:
        qmp = Qmp(qmp_path)
        start = len(run.text)
        qmp.execute("set_link", name="n0", up=False)
        if not run.wait_for(lambda t: "eth0: link down" in t[start:], 10):
            p.append("no 'eth0: link down' after set_link off")
        start = len(run.text)
        qmp.execute("set_link", name="n0", up=True)
        if not run.wait_for(
                lambda t: "eth0: link up 1000Mbps full" in t[start:], 10):
            p.append("no 'eth0: link up 1000Mbps full' after set_link on")
        qmp.close()
    except (OSError, ValueError, QmpError) as e:
        p.append("QMP: %s" % e)
    _, lines = command(run, "lsdev")
    if not any(PHY_DRIVER in l for l in lines):
        p.append("the PHY is not bound to %r" % PHY_DRIVER)
    _, lines = command(run, "ping -c 1 10.0.2.2", timeout=20)
    if not any("1 packets transmitted, 1 received" in l for l in lines):
        p.append("no ping reply after the link came back")
    results.append(("link off/on seen by the PHY driver", p))
    return finish(run, name, args, results), None


# ------------------------------------------------------------ frames

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, proto, payload, src=PEER_MAC):
    return dst + src + struct.pack("!H", proto) + payload


def ipv4(payload, proto, src=PEER_IP, dst=GUEST_IP, ihl=5, version=4,
         tot_len=None, frag=0x4000, good_csum=True, ttl=64):
    if tot_len is None:
        tot_len = ihl * 4 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, tot_len,
                      0x1234, frag, ttl, proto, 0, src, dst)
    hdr += b"\0" * max(0, ihl * 4 - 20)
    c = csum(hdr[:ihl * 4]) if ihl >= 5 else csum(hdr)
    if not good_csum:
        c ^= 0x5a5a
    hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def icmp(type_, payload, ident=0x4242, seq=0, good_csum=True):
    msg = struct.pack("!BBHHH", type_, 0, 0, ident, seq) + payload
    c = csum(msg) ^ (0 if good_csum else 0x1111)
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def udp(payload, dport, sport=40000, length=None, good_csum=True,
        src=PEER_IP, dst=GUEST_IP):
    length = 8 + len(payload) if length is None else length
    msg = struct.pack("!HHHH", sport, dport, length, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 17, 8 + len(payload))
    c = csum(pseudo + msg) or 0xffff
    if not good_csum:
        c = c ^ 0x0f0f or 1
    return msg[:6] + struct.pack("!H", c) + msg[8:]


def arp(op, sha, sip, tha, tip, hrd=1, pro=0x0800, hln=6, pln=4):
    return struct.pack("!HHBBH", hrd, pro, hln, pln, op) + sha[:hln] + \
        sip + tha[:hln] + tip


BCAST = b"\xff" * 6
IP_PATH = {"eth.in_frames": 1, "ip.in_receives": 1}
ICMP_PATH = dict(IP_PATH, **{"ip.in_delivers": 1, "icmp.in_msgs": 1})
UDP_PATH = dict(IP_PATH, **{"ip.in_delivers": 1})


def malformed_kinds():
    """(name, frame builder, counters each frame moves)."""
    g, other_ip = GUEST_IP, bytes([192, 168, 77, 99])
    junk = bytes(range(32))
    return [
        ("unknown ethertype", lambda: eth(GUEST_MAC, 0x88b5, junk),
         {"eth.in_frames": 1, "eth.in_unknown_proto": 1}),
        ("broadcast storm", lambda: eth(BCAST, 0x1234, junk),
         {"eth.in_frames": 1, "eth.in_unknown_proto": 1}),
        ("multicast, not joined",
         lambda: eth(bytes.fromhex("01005e000001"), 0x0800, junk), {}),
        ("unicast to another MAC",
         lambda: eth(bytes.fromhex("020000000099"), 0x0800, junk), {}),
        ("oversized frame", lambda: eth(GUEST_MAC, 0x0800, b"\0" * 1600),
         {}),
        ("arp: bad hardware type", lambda: eth(BCAST, 0x0806, arp(
            1, PEER_MAC, PEER_IP, b"\0" * 6, g, hrd=6)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_malformed": 1}),
        ("arp: bad opcode", lambda: eth(BCAST, 0x0806, arp(
            9, PEER_MAC, PEER_IP, b"\0" * 6, g)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_malformed": 1}),
        ("arp: bad address length", lambda: eth(BCAST, 0x0806, arp(
            1, PEER_MAC + b"\0\0", PEER_IP, b"\0" * 8, g, hln=8)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_malformed": 1}),
        ("arp: broadcast sender", lambda: eth(BCAST, 0x0806, arp(
            1, BCAST, PEER_IP, b"\0" * 6, g)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_malformed": 1}),
        ("arp: request for another host", lambda: eth(BCAST, 0x0806, arp(
            1, bytes.fromhex("020000000050"), bytes([192, 168, 77, 50]),
            b"\0" * 6, other_ip)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_not_for_us": 1}),
        ("arp: reply for another host", lambda: eth(GUEST_MAC, 0x0806, arp(
            2, bytes.fromhex("020000000051"), bytes([192, 168, 77, 51]),
            GUEST_MAC, other_ip)),
         {"eth.in_frames": 1, "arp.in": 1, "arp.in_not_for_us": 1}),
        ("ip: version 6", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            junk, 17, version=6)),
         dict(IP_PATH, **{"ip.in_hdr_errors": 1})),
        ("ip: header length 4", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            junk, 17, ihl=4)),
         dict(IP_PATH, **{"ip.in_hdr_errors": 1})),
        ("ip: header past the frame", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            b"", 17, ihl=15)[:20]),
         dict(IP_PATH, **{"ip.in_truncated": 1})),
        ("ip: bad checksum", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            junk, 17, good_csum=False)),
         dict(IP_PATH, **{"ip.in_csum_errors": 1})),
        ("ip: total length past the frame", lambda: eth(
            GUEST_MAC, 0x0800, ipv4(junk, 17, tot_len=1000)),
         dict(IP_PATH, **{"ip.in_truncated": 1})),
        ("ip: total length below the header", lambda: eth(
            GUEST_MAC, 0x0800, ipv4(junk, 17, tot_len=12)),
         dict(IP_PATH, **{"ip.in_hdr_errors": 1})),
        ("ip: first fragment", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 7), 17, frag=0x2000)),
         dict(IP_PATH, **{"ip.in_frags_dropped": 1})),
        ("ip: later fragment", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            junk, 17, frag=100)),
         dict(IP_PATH, **{"ip.in_frags_dropped": 1})),
        ("ip: for another host", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 7, dst=other_ip), 17, dst=other_ip)),
         dict(IP_PATH, **{"ip.in_addr_errors": 1})),
        ("ip: broadcast source", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 7), 17, src=BCAST[:4])),
         dict(IP_PATH, **{"ip.in_addr_errors": 1})),
        ("ip: unknown protocol", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            junk, 6)),
         dict(IP_PATH, **{"ip.in_unknown_protos": 1})),
        ("icmp: bad checksum", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            icmp(8, junk, good_csum=False), 1)),
         dict(ICMP_PATH, **{"icmp.in_csum_errors": 1})),
        ("icmp: truncated", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            b"\x08\0\xf7\xff", 1)),
         dict(ICMP_PATH, **{"icmp.in_errors": 1})),
        ("icmp: unknown type", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            icmp(13, junk), 1)), dict(ICMP_PATH)),
        ("icmp: echo to broadcast", lambda: eth(BCAST, 0x0800, ipv4(
            icmp(8, junk), 1, dst=bytes([192, 168, 77, 255]))),
         dict(ICMP_PATH, **{"icmp.in_echos": 1})),
        ("udp: length past the packet", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 7, length=500), 17)),
         dict(UDP_PATH, **{"udp.in_errors": 1})),
        ("udp: length below the header", lambda: eth(
            GUEST_MAC, 0x0800, ipv4(udp(junk, 7, length=4), 17)),
         dict(UDP_PATH, **{"udp.in_errors": 1})),
        ("udp: bad checksum", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 7, good_csum=False), 17)),
         dict(UDP_PATH, **{"udp.in_csum_errors": 1})),
        ("udp: closed port", lambda: eth(GUEST_MAC, 0x0800, ipv4(
            udp(junk, 9999), 17)),
         dict(UDP_PATH, **{"udp.no_ports": 1})),
    ]


class Peer:
    """The host end of a QEMU socket backend: sends frames, collects the
    guest's, answers ARP requests for PEER_IP."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.conn = None
        self.frames = []
        self.cond = threading.Condition()
        self.lock = threading.Lock()

    def accept(self, timeout):
        self.listener.settimeout(timeout)
        self.conn, _ = self.listener.accept()
        self.conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            try:
                chunk = self.conn.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while len(buf) >= 4:
                n = struct.unpack("!I", buf[:4])[0]
                if len(buf) < 4 + n:
                    break
                frame, buf = buf[4:4 + n], buf[4 + n:]
                self._got(frame)

    def _got(self, frame):
        if frame[12:14] == b"\x08\x06" and frame[20:22] == b"\0\x01" and \
                frame[38:42] == PEER_IP:
            self.send(eth(frame[6:12], 0x0806, arp(
                2, PEER_MAC, PEER_IP, frame[22:28], frame[28:32])))
        with self.cond:
            self.frames.append(frame)
            self.cond.notify_all()

    def send(self, frame):
        with self.lock:
            self.conn.sendall(struct.pack("!I", len(frame)) + frame)

    def send_many(self, frames):
        data = b"".join(struct.pack("!I", len(f)) + f for f in frames)
        with self.lock:
            self.conn.sendall(data)

    def send_paced(self, frames, first_marker, timeout):
        """Send frames in chunks, each followed by a ping whose reply
        says the guest took the chunk. QEMU's e1000 drops what it has
        queued beyond the free receive descriptors when the driver
        returns buffers (hw/net/e1000.c: a flush delivers without
        asking can_receive), so a chunk must fit the ring. Returns the
        number of markers sent, or -1 if one went unanswered."""
        markers = 0
        for at in range(0, len(frames), INJECT_CHUNK):
            seq = first_marker + markers
            self.send_many(frames[at:at + INJECT_CHUNK] + [ping_frame(seq)])
            markers += 1
            if not self.wait_for_new(is_echo_reply(seq), timeout):
                return -1
        return markers

    def wait_for_new(self, pred, timeout):
        """Like wait_for, looking only at frames from the newest on."""
        deadline = time.monotonic() + timeout
        with self.cond:
            seen = max(0, len(self.frames) - 4)
            while True:
                if any(pred(f) for f in self.frames[seen:]):
                    return True
                seen = max(seen, len(self.frames) - 4)
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)

    def wait_for(self, pred, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not any(pred(f) for f in self.frames):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def close(self):
        for s in (self.conn, self.listener):
            if s:
                s.close()


def is_echo_reply(seq):
    def pred(f):
        return f[12:14] == b"\x08\x00" and f[23] == 1 and f[34] == 0 and \
            struct.unpack("!H", f[40:42])[0] == seq
    return pred


def ping_frame(seq):
    payload = bytes((seq + i) & 0xff for i in range(40))
    return eth(GUEST_MAC, 0x0800, ipv4(icmp(8, payload, seq=seq), 1))


def echo_frame(seq):
    payload = struct.pack("!I", seq) + bytes(range(60))
    return eth(GUEST_MAC, 0x0800, ipv4(udp(payload, 7, sport=41000), 17))


VALID_PING = dict(ICMP_PATH, **{"icmp.in_echos": 1,
                                "icmp.out_echo_reps": 1,
                                "ip.out_requests": 1})
VALID_ECHO = dict(UDP_PATH, **{"udp.in_datagrams": 1,
                               "udp.out_datagrams": 1,
                               "ip.out_requests": 1})


def build_inject_plan(rng):
    """Frames for the counted phase and the counter deltas they cause."""
    kinds = malformed_kinds()
    n_valid_ping, n_valid_echo = 400, 400
    n_each = (INJECT_TOTAL - RANDOM_FRAMES - n_valid_ping - n_valid_echo -
              1) // len(kinds)
    plan = []
    expect = {}
    for name, build, deltas in kinds:
        plan += [build() for _ in range(n_each)]
        for k, v in deltas.items():
            expect[k] = expect.get(k, 0) + v * n_each
    rng.shuffle(plan)
    valid = [("ping", s, ping_frame(s)) for s in range(n_valid_ping)] + \
        [("echo", s, echo_frame(s)) for s in range(n_valid_echo)]
    for kind, seq, frame in valid:
        plan.insert(rng.randrange(len(plan) + 1), frame)
        for k, v in (VALID_PING if kind == "ping" else VALID_ECHO).items():
            expect[k] = expect.get(k, 0) + v
    oversized = n_each
    return plan, expect, valid, oversized, len(kinds) * n_each


def random_frames(rng, n):
    out = []
    for _ in range(n):
        dst = GUEST_MAC if rng.random() < 0.7 else BCAST
        proto = rng.choice((0x0800, 0x0806, rng.randrange(0x600, 0x10000)))
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0,
                                                                      200)))
        if proto == 0x0800 and body and rng.random() < 0.5:
            body = bytes([0x45]) + body[1:]     # look like IPv4
        out.append(eth(dst, proto, body, src=bytes([2]) + bytes(
            rng.randrange(256) for _ in range(5))))
    return out


def compare_counters(before, after, expect):
    problems = []
    for k in sorted(set(before) | set(after)):
        if k in ("skb.live", "arp.entries", "udp.queued"):
            continue
        got = after.get(k, 0) - before.get(k, 0)
        want = expect.get(k, 0)
        if got != want:
            problems.append("%s moved by %d, expected %d" % (k, got, want))
    return problems


def run_inject(args, impl):
    """100,000 injected frames: survive, count right, leak nothing."""
    name = "net inject %s" % impl
    rng = random.Random(20240606)
    peer = Peer()
    extra = ["-netdev", "socket,id=n1,connect=127.0.0.1:%d" % peer.port,
             "-device", "e1000,netdev=n1,mac=52:54:00:77:00:02"]
    run = QemuRun(args.kernel, "panic.exit=1 ip=192.168.77.2/24 "
                  "e1000.impl=" + impl, smp=args.smp or 1,
                  extra=extra + list(args.qemu_extra))
    run.start()
    results = []
    try:
        peer.accept(args.boot_timeout)
        ok = run.wait_for(lambda t: PROMPT in t, args.boot_timeout)
    except OSError:
        ok = False
    if not ok:
        results.append(("boot", ["no monitor prompt or no connection"]))
        peer.close()
        return finish(run, name, args, results), None
    results += inject_phases(run, peer, rng, impl)
    peer.close()
    return finish(run, name, args, results), None


def inject_phases(run, peer, rng, impl):
    problems, survive = [], []
    # the guest learns the peer's MAC from a request for its address
    peer.send(eth(BCAST, 0x0806, arp(1, PEER_MAC, PEER_IP, b"\0" * 6,
                                     GUEST_IP)))
    if not peer.wait_for(lambda f: f[12:14] == b"\x08\x06" and
                         f[20:22] == b"\0\x02", 10):
        return [("setup", ["no ARP reply from the guest"])]
    slab0, net0 = slab_usage(run), counters(run)
    nic0 = nic_counters(run, "eth0")
    plan, expect, valid, oversized, n_bad = build_inject_plan(rng)
    t0 = time.monotonic()
    markers = peer.send_paced(plan, 10000, 30)
    if markers < 0:
        return [("counted malformed frames", ["a marker ping went "
                                              "unanswered: the guest "
                                              "stopped processing"])]
    expect = dict(expect)
    for k, v in VALID_PING.items():
        expect[k] = expect.get(k, 0) + v * markers
    net1, nic1 = counters(run), nic_counters(run, "eth0")
    if net1 is None or nic1 is None:
        return [("counted malformed frames", ["monitor stopped answering"])]
    problems += compare_counters(net0, net1, expect)
    problems += valid_replies(peer, valid)
    stack_frames = expect.get("eth.in_frames", 0)
    got = nic1["rx_packets"] - nic0["rx_packets"]
    if got != stack_frames:
        problems.append("NIC RX packets moved by %d, expected %d" % (
            got, stack_frames))
    got = nic1["rx_length"] - nic0["rx_length"]
    if got != oversized:
        problems.append("NIC length errors moved by %d, expected %d "
                        "(oversized frames)" % (got, oversized))
    counted = ["counted %d malformed frames of %d kinds in %.1fs" % (
        n_bad, len(malformed_kinds()), time.monotonic() - t0), problems]

    # phase 2: random junk, then the same checks of health and memory
    junk = random_frames(rng, RANDOM_FRAMES)
    markers = peer.send_paced(junk, 20000, 30)
    if markers < 0:
        survive.append("a ping between random frames went unanswered")
    net2 = counters(run)
    if net2 is None:
        survive.append("monitor stopped answering")
    elif markers >= 0:
        got = net2["eth.in_frames"] - net1["eth.in_frames"]
        if got != len(junk) + markers:
            survive.append("eth.in_frames moved by %d for %d random "
                           "frames + %d pings" % (got, len(junk), markers))
        for k in ("skb.live", "udp.queued"):
            if net2.get(k) != 0:
                survive.append("%s is %s after the run" % (k, net2.get(k)))
    slab1 = slab_usage(run)
    if slab0 is None or slab1 is None:
        survive.append("no meminfo")
    elif slab0 != slab1:
        diff = ["%s %s -> %s" % (c, slab0.get(c), slab1.get(c))
                for c in sorted(set(slab0) | set(slab1))
                if slab0.get(c) != slab1.get(c)]
        survive.append("kmalloc objects/bytes changed: " + ", ".join(diff))
    return [tuple(counted),
            ("100,000 frames: still running, nothing leaked", survive)]


def valid_replies(peer, valid):
    """Every valid ping and echo in the flood got its exact answer."""
    with peer.cond:
        frames = list(peer.frames)
    pings, echoes = {}, {}
    for f in frames:
        if f[12:14] != b"\x08\x00" or len(f) < 42:
            continue
        if f[23] == 1 and f[34] == 0:
            pings[struct.unpack("!H", f[40:42])[0]] = f[42:]
        elif f[23] == 17 and len(f) >= 46:
            echoes[struct.unpack("!I", f[42:46])[0]] = f[42:]
    missing = []
    for kind, seq, frame in valid:
        want = frame[42:]
        have = (pings if kind == "ping" else echoes).get(seq)
        if have != want:
            missing.append("%s %d" % (kind, seq))
    if missing:
        return ["%d valid requests got no exact reply (first: %s)" % (
            len(missing), missing[0])]
    return []


# ------------------------------------------------------------ mixed

def run_mixed(args):
    """Two NICs, C and Rust drivers, on one hub, talking to each other."""
    name = "net mixed c+rust"
    extra = ["-netdev", "hubport,id=h0,hubid=0",
             "-netdev", "hubport,id=h1,hubid=0",
             "-device", "e1000,netdev=h0,mac=52:54:00:99:00:01",
             "-device", "e1000,netdev=h1,mac=52:54:00:99:00:02"]
    run, ok = boot(args, "e1000.impl=c,rust "
                   "ip=10.9.0.1/24,10.9.0.2/24", extra, name)
    results = []
    if not ok:
        results.append(("boot", ["no monitor prompt"]))
        return finish(run, name, args, results), None
    p = []
    _, lines = command(run, "lspci")
    text = "\n".join(lines)
    for slot, drv in (("00:03.0", "e1000"), ("00:04.0", "e1000_rs")):
        if not re.search(r"%s .* %s$" % (slot, drv), text, re.M):
            p.append("%s is not bound to %s" % (slot, drv))
    for src, dst in (("eth0", "10.9.0.2"), ("eth1", "10.9.0.1")):
        _, lines = command(run, "ping -I %s -c 2 %s" % (src, dst), 20)
        if not any("2 packets transmitted, 2 received" in l
                   for l in lines):
            p.append("ping -I %s %s failed" % (src, dst))
    results.append(("C and Rust drivers in one boot", p))
    return finish(run, name, args, results), None


# ------------------------------------------------------------ q35

def run_pci_q35(args):
    """PCI on q35: ECAM config access, MSI, the driver model's tests."""
    name = "pci q35 ecam+msi"
    run = QemuRun(args.kernel, "ktest=1 ktest.filter=pci*", machine="q35",
                  smp=args.smp or 1, extra=["-device", "edu"] +
                  list(args.qemu_extra))
    run.start()
    run.finish(args.timeout)
    v = ktap.judge_ktest(run.text, None if run.timed_out else run.status,
                         run.timed_out)
    problems = list(v.problems)
    if "pci: ECAM at " not in run.text:
        problems.append("no 'pci: ECAM at' line: config space not via ECAM")
    for t in v.failed + v.skipped:
        problems.append("%s: %s" % (t.path, "skipped" if t in v.skipped
                                    else "failed"))
    if not any(t.path.startswith("pci_msi.") for t in v.passed):
        problems.append("no pci_msi case passed")
    run.save(os.path.join(args.logdir, name.replace(" ", "-") + ".log"))
    if problems:
        return [Check(name, "fail", ["  " + p for p in problems] +
                      run.tail(TAIL_LINES))], None
    return [Check(name, "pass")], None


def jobs(args):
    """The checks of this module as (function, args) pairs."""
    out = [(run_inject, (impl,)) for impl in IMPLS]
    out += [(run_user, (impl,)) for impl in IMPLS]
    out.append((run_mixed, ()))
    out.append((run_pci_q35, ()))
    return out
