"""keel-gdb.py - load keel's gdb helpers (build/gdb-init sources this).

Commands: lx-dmesg, lx-ps, lx-cpus, lx-lsmod; functions: $current(),
$task(pid); a frame filter that names the policy-stack switch. Each
command's `help` says what it prints; docs/debugging.md shows a session.

There is no lx-symbols: keel loads no code at run time (no loadable
modules; Rust modules are linked into build/keel.elf), so every symbol is
in the file gdb already read.
TODO: an lx-symbols that adds each module's symbol file at its load
address, once keel loads modules at run time.
"""

import os
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keel.utils  # noqa: E402,F401
import keel.dmesg  # noqa: E402,F401
import keel.tasks  # noqa: E402,F401
import keel.cpus  # noqa: E402,F401
import keel.modules  # noqa: E402,F401
import keel.frames  # noqa: E402,F401

# Rust's own pretty printers (Debian's rust-web-gdb, installed by make
# deps): Option, slices, str, Vec, Rc/Arc and the other core/alloc types.
RUST_PRINTERS = "/usr/lib/rustlib/etc"
if os.path.exists(os.path.join(RUST_PRINTERS, "gdb_lookup.py")):
    sys.path.append(RUST_PRINTERS)
    import gdb_lookup  # noqa: E402
    gdb_lookup.register_printers(gdb.current_progspace())

gdb.write("keel: gdb helpers loaded (lx-dmesg, lx-ps, lx-cpus, lx-lsmod, "
          "$current(), $task(pid))\n")
