"""screen.py - checks of what keel shows on the display.

Each check boots QEMU with the standard VGA and a QMP socket, drives the
monitor over serial, takes a screendump (PNG) through QMP and reads it:

  fbcon banner      the text console shows the boot banner: the cells of
                    its first row (or, once the boot log is longer than
                    the screen, of the row holding the last log line)
                    are, pixel for pixel, the line drawn
                    with drivers/video/font_8x16.txt (video=1280x1024)
  no display        with -vga none the kernel says so and boots to the
                    monitor
  panic screens     the kernel panics (monitor `panic`, `panic irq` for a
                    handler of the test IRQ line, `modprobe rust_panic`
                    for a Rust panic, `logflood` then `panic` for a log
                    far larger than the ring), in plain and zlib mode;
                    zbarimg decodes the QR code, tools/panic-qr-decode.py
                    inflates it, and the text must be exactly the last N
                    bytes of the log the kernel printed on serial (N as
                    the kernel reports it)
  version cap       panic.qr_version=10: the symbol on screen is 57
                    modules wide

Serial runs with loglevel=8 so that every log byte also reaches serial;
the log is rebuilt from the serial stream by keeping the lines that start
with a printk timestamp (the monitor's prompt and echo are not logged).
"""

import importlib.util
import os
import re
import struct
import subprocess
import tempfile
import time
import zlib

from qmp import Qmp
from check import PROMPT, ROOT, Check, QemuRun, TAIL_LINES
import ktap

_spec = importlib.util.spec_from_file_location(
    "panic_qr_decode", os.path.join(ROOT, "tools", "panic-qr-decode.py"))
panic_qr_decode = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(panic_qr_decode)

FONT = os.path.join(ROOT, "drivers", "video", "font_8x16.txt")
QR_URL = "https://keel.example/panic?z="
REPORT_RE = re.compile(rb"panic screen: QR version (\d+), (\w+), (\d+) log "
                       rb"bytes, (\d+) payload bytes, complete (\d+) us")
STAMP_RE = re.compile(rb"^\[\s*\d+\.\d{6}\] ")
FBCON_FG = (0xaa, 0xaa, 0xaa)
HEADER_BG = (0xa0, 0x00, 0x00)


# ------------------------------------------------------------ QMP, PNG

def read_png(path):
    """(width, height, rows): rows[y][x] is an (r, g, b) tuple. Handles
    the 8-bit RGB/RGBA non-interlaced PNGs QEMU writes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB",
                                                                body)
            assert depth == 8 and ctype in (2, 6) and not interlace
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def zbar(path):
    """The raw bytes of the QR code zbarimg finds in the image, or None."""
    p = subprocess.run(panic_qr_decode.ZBARIMG + [path], capture_output=True)
    return p.stdout if p.returncode == 0 else None


def load_font():
    """{char: [16 row bytes]} from the font source (as tools/gen-font.py)."""
    glyphs, code, rows = {}, None, []
    with open(FONT) as f:
        lines = f.read().splitlines()
    for line in lines + ["@00 end"]:
        if not line or line == "#" or line.startswith("# "):
            continue
        if line.startswith("@"):
            if code is not None:
                glyphs[chr(code)] = [0] * 3 + [
                    sum(1 << (7 - i) for i, c in enumerate(r) if c == "#")
                    for r in rows] + [0]
            code, rows = int(line[1:3], 16), []
        else:
            rows.append(line)
    return glyphs


# ------------------------------------------------------------ runs

class ScreenRun(QemuRun):
    """A QemuRun with a display device and a QMP socket."""

    def __init__(self, args, append, name, machine="pc", vga="std"):
        base = re.sub(r"[^A-Za-z0-9]+", "-", name)
        # a short path: unix socket names are limited to 107 bytes
        self.sock = os.path.join(tempfile.mkdtemp(prefix="keel-qmp-"), "s")
        extra = ["-vga", vga, "-qmp", "unix:%s,server,nowait" % self.sock]
        super().__init__(args.kernel, append, machine=machine, smp=args.smp or 1,
                         extra=list(args.qemu_extra) + extra)
        self.png = os.path.join(args.logdir, base + ".png")

    def screendump(self):
        qmp = Qmp(self.sock)
        try:
            if os.path.exists(self.png):
                os.unlink(self.png)
            qmp.execute("screendump", filename=self.png, format="png")
        finally:
            qmp.close()
        return self.png

    def cleanup(self):
        """Remove the QMP socket and its directory."""
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        os.rmdir(os.path.dirname(self.sock))

    def raw(self):
        with self._cond:
            return bytes(self.output)


def serial_log(raw):
    """The kernel log as it reached serial: timestamped lines only."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    return b"".join(l + b"\n" for l in lines if STAMP_RE.match(l))


def _result(name, run, problems, logdir, note=None):
    if run.proc.poll() is None:
        run.kill()
    run.cleanup()
    run.save(os.path.join(logdir, name.replace(" ", "-") + ".log"))
    if not problems:
        return [Check(name, "pass")], note
    detail = ["  " + p for p in problems] + ["  last lines of the log:"]
    return [Check(name, "fail", detail + run.tail(TAIL_LINES))], note


def _command(run, cmd, expect, timeout):
    start = len(run.raw())
    run.send(cmd + "\r")
    return run.wait_for(lambda t: expect in t[start:], timeout)


# ------------------------------------------------------------ checks

def run_banner(args):
    """fbcon shows the boot banner in its first text row."""
    name = "screen fbcon shows the banner"
    run = ScreenRun(args, "video=1280x1024", name)
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    else:
        w, h, rows = read_png(run.screendump())
        if (w, h) != (1280, 1024):
            problems.append("screen is %dx%d, video= asked 1280x1024" % (w, h))
        log = serial_log(run.raw()).decode().splitlines()
        first = log[0] if log else ""
        if "booting via" not in first:
            problems.append("first log line is not the banner: %r" % first)
        problems += shown_text(rows, log, load_font())
    run.kill()
    return _result(name, run, problems, args.logdir)


def shown_text(rows, log, font):
    """Problems unless fbcon draws the log: the banner in the first text
    row, or, once the boot log has more lines than the screen has rows
    (it scrolled), the last log line in one of the rows."""
    nrows = len(rows) // 16
    if len(log) < nrows:
        return compare_text(rows, log[0], 0, font)
    last = log[-1]
    if any(not compare_text(rows, last, r, font) for r in range(nrows)):
        return []
    return ["the boot log (%d lines) scrolled past the %d text rows, and "
            "its last line %r is in none of them" % (len(log), nrows, last)]


def compare_text(rows, text, row, font, fg=FBCON_FG):
    """Problems if text row `row` of the screen is not `text` in font."""
    bad = []
    for col, ch in enumerate(text):
        glyph = font.get(ch)
        if glyph is None:
            continue
        for gy in range(16):
            for gx in range(8):
                want = fg if glyph[gy] & (0x80 >> gx) else (0, 0, 0)
                got = rows[row * 16 + gy][col * 8 + gx]
                if got != want:
                    bad.append(col)
                    break
            if bad and bad[-1] == col:
                break
    if bad:
        return ["text row %d: %d of %d cells differ from %r (first at "
                "column %d)" % (row, len(bad), len(text), text, bad[0])]
    return []


def run_no_display(args):
    """Without a display device the kernel says so and boots."""
    name = "screen no display device"
    run = ScreenRun(args, "panic.exit=1", name, vga="none")
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        problems.append("no monitor prompt")
    for want in ("fb: no display device; console on serial only",
                 "panic_screen: no framebuffer"):
        if want not in run.text:
            problems.append("missing %r" % want)
    if run.wait_for(lambda t: PROMPT in t, 1):
        run.send("panic\r")
        run.finish(args.boot_timeout)
        if run.status != ktap.EXIT_PANIC:
            problems.append("panic without a display: exit %s, want %d"
                            % (run.status, ktap.EXIT_PANIC))
    else:
        run.kill()
    return _result(name, run, problems, args.logdir)


PANIC_CASES = [
    # name, monitor commands before the panic (command, expected text),
    # the panicking command, text the report must contain
    ("monitor", [], "panic", "requested from the monitor"),
    ("irq", [], "panic irq", "requested from an interrupt handler"),
    ("rust", [], "modprobe rust_panic",
     "Rust panic at samples/rust/rust_panic.rs"),
    ("huge log", [("logflood 1500", "line 1500 of 1500")], "panic",
     "requested from the monitor"),
]


def check_decoded(data, raw, mode, report):
    """Problems with the QR payload `data` against the log in the serial
    bytes `raw` (which end before the kernel's report line)."""
    problems = []
    if mode == "zlib":
        url = QR_URL.encode()
        if not data.startswith(url):
            return ["payload does not start with the URL %r: %r"
                    % (QR_URL, data[:60])]
        parts = panic_qr_decode.split_payload(data)
        if not parts or parts[0] != url:
            return ["no digits after the URL: %r" % data[len(url):][:60]]
        try:
            text = zlib.decompress(panic_qr_decode.digits_to_bytes(parts[1]))
        except (ValueError, zlib.error) as e:
            return ["the digits do not inflate: %s" % e]
        if len(panic_qr_decode.digits_to_bytes(parts[1])) != int(report[3]):
            problems.append("%d compressed bytes decoded, kernel says %s"
                            % (len(panic_qr_decode.digits_to_bytes(
                                parts[1])), report[3].decode()))
    else:
        text = data
    log = serial_log(raw)
    if len(text) != int(report[2]):
        problems.append("QR holds %d log bytes, kernel says %s"
                        % (len(text), report[2].decode()))
    if not text or not log.endswith(text):
        problems.append("decoded text (%d bytes) is not the end of the "
                        "serial log; its last 80: %r" % (len(text),
                                                         text[-80:]))
    return problems


def strip_report_stamp(raw):
    """Serial bytes up to the 'panic screen:' line, without its stamp."""
    end = raw.index(b"panic screen: QR version")
    head = raw[:end]
    m = re.search(rb"\[\s*\d+\.\d{6}\] $", head)
    return head[:m.start()] if m else head


def run_panic(args, case, mode, machine="pc", max_version=None):
    label, setup, cmd, needle = case
    name = "screen panic %s %s%s" % (label, mode, "" if machine == "pc"
                                     else " " + machine)
    append = "loglevel=8 panic.qr=%s" % mode
    if mode == "zlib":
        append += " panic.qr_url=" + QR_URL
    if max_version:
        append += " panic.qr_version=%d" % max_version
        name = "screen panic.qr_version=%d" % max_version
    run = ScreenRun(args, append, name, machine=machine)
    run.start()
    problems = []
    if not run.wait_for(lambda t: PROMPT in t, args.boot_timeout):
        run.kill()
        return _result(name, run, ["no monitor prompt"], args.logdir)
    for c, expect in setup:
        if not _command(run, c, expect, 60):
            problems.append("%r: no %r" % (c, expect))
    run.send(cmd + "\r")
    if not run.wait_for(lambda t: "panic screen:" in t, 60):
        run.kill()
        problems.append("no 'panic screen:' line after %r" % cmd)
        return _result(name, run, problems, args.logdir)
    time.sleep(0.2)             # the line is printed after the drawing
    png = run.screendump()
    raw = run.raw()
    run.kill()
    report = REPORT_RE.search(raw)
    if needle.encode() not in raw:
        problems.append("report lacks %r" % needle)
    if not report:
        return _result(name, run, problems + ["no report line"],
                       args.logdir)
    if report.group(2).decode() != mode:
        problems.append("mode %s, want %s" % (report.group(2), mode))
    w, h, rows = read_png(png)
    if rows[0][0] != HEADER_BG:
        problems.append("no panic header at the top left (pixel %r)"
                        % (rows[0][0],))
    data = zbar(png)
    if data is None:
        problems.append("zbarimg finds no QR code in %s" % png)
    else:
        problems += check_decoded(data, strip_report_stamp(raw), mode,
                                  report.groups())
    if max_version:
        problems += check_symbol_size(rows, 17 + 4 * max_version)
    note = "screen: %s: QR v%s, %s log bytes, complete %s us after panic()" \
        % (name, report.group(1).decode(), report.group(3).decode(),
           report.group(5).decode())
    return _result(name, run, problems, args.logdir, note if args.verbose
                   else None)


def check_symbol_size(rows, want):
    """Problems unless the QR symbol on screen is `want` modules wide:
    measure the top-left finder pattern (7 modules) and the symbol."""
    h, w = len(rows), len(rows[0])
    white = (255, 255, 255)
    # the symbol sits in a white square at the right edge, centred
    # vertically: find the square along the middle row and column
    xs = [x for x in range(w) if rows[h // 2][x] == white]
    if not xs:
        return ["no white QR square on screen"]
    x0 = xs[0]
    ys = [y for y in range(h) if rows[y][x0] == white]
    y0, y1 = ys[0], ys[-1]
    dark = {(x, y) for y in range(y0, y1 + 1) for x in range(x0, w)
            if rows[y][x] == (0, 0, 0)}
    left = min(x for x, _ in dark)
    right = max(x for x, _ in dark)
    top = min(y for _, y in dark)
    run = 0
    while (left + run, top) in dark:
        run += 1
    module = run / 7
    size = (right - left + 1) / module
    if round(size) != want:
        return ["QR symbol is %.1f modules wide, want %d" % (size, want)]
    return []


def jobs(args):
    """The checks of this module as (function, args) pairs."""
    out = [(run_banner, ()), (run_no_display, ())]
    for mode in ("plain", "zlib"):
        for case in PANIC_CASES:
            out.append((run_panic, (case, mode)))
    out.append((run_panic, (PANIC_CASES[1], "zlib", "q35")))
    out.append((run_panic, (PANIC_CASES[0], "plain", "pc", 10)))
    return out
