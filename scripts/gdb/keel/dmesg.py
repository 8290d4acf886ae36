"""dmesg.py - lx-dmesg: the kernel log ring of a stopped keel.

printk (kernel/printk.c) writes every line, timestamp included, to a
byte ring, struct log_ring (kernel/logring.c): head counts every byte
ever written, the newest `size` bytes are kept, byte i at buf[i % size].
This reads the same ring, so it shows what `dmesg` on the console would,
debug-level lines too (they reach the ring but not the console).
"""

import gdb

from keel import utils


def ring_text():
    """The bytes the ring holds, oldest first, as str.

    Once the ring has wrapped its oldest line is cut at the front; it is
    dropped, as log_ring_read() drops it, so every line shown is whole.
    """
    ring = utils.file_static("kernel/printk.c", "log_ring")
    size = int(ring["size"])
    head = int(ring["head"])
    buf = int(ring["buf"])
    if size == 0 or buf == 0:
        raise gdb.GdbError("lx-dmesg: the log ring is not set up")
    held = min(head, size)
    start = head - held
    inferior = gdb.selected_inferior()
    first = start % size
    chunk = min(held, size - first)
    data = bytes(inferior.read_memory(buf + first, chunk))
    if held > chunk:
        data += bytes(inferior.read_memory(buf, held - chunk))
    if start > 0:
        nl = data.find(b"\n")
        data = data[nl + 1:] if nl >= 0 else data
    return data.decode("utf-8", "replace")


class LxDmesg(gdb.Command):
    """Print the kernel log ring (what printk kept), oldest line first.

lx-dmesg [N]: only the last N lines."""

    def __init__(self):
        super().__init__("lx-dmesg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        text = ring_text()
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1 or (argv and not argv[0].isdigit()):
            raise gdb.GdbError("usage: lx-dmesg [LINES]")
        if argv:
            lines = text.splitlines(True)
            text = "".join(lines[-int(argv[0]):]) if int(argv[0]) else ""
        gdb.write(text)
        if text and not text.endswith("\n"):
            gdb.write("\n")


LxDmesg()
