"""modules.py - lx-lsmod: keel's modules and registered drivers.

keel has no loadable modules: every module is built in and registered as
an initcall (keel/init.h; Rust's module! macro emits the same struct
initcall), in the boot table (.initcall.*) or the on-demand one
(monitor `modprobe`). A module runs once its `started` flag is set.
Drivers are registered on a bus (keel/device.h): each bus keeps its
drivers and its devices, and a device's `driver` names the one bound.

A function is Rust's when its symbol has a path (`e1000_rs::...`):
C symbols never contain "::".
"""

import re

import gdb

from keel import utils

# The driver struct of each bus, which holds the struct device_driver as
# its member `driver` (keel/pci.h, keel/phy.h).
BUS_DRIVER_TYPES = {
    "pci": "struct pci_driver",
    "mdio": "struct phy_driver",
}


def function_name(addr):
    """The name of the function at addr, or None."""
    if not addr:
        return None
    try:
        block = gdb.block_for_pc(addr)
    except RuntimeError:
        block = None
    while block is not None and block.function is None:
        block = block.superblock
    if block is not None:
        return block.function.name
    out = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    m = re.match(r"(\S+) in section", out)
    return m.group(1) if m else None


def language_of(addr):
    """"Rust" or "C" for the function at addr, "?" if unknown."""
    name = function_name(addr)
    if name is None:
        return "?"
    return "Rust" if "::" in name else "C"


def initcalls(start, end):
    """Yield each struct initcall * of the table between two symbols."""
    first = utils.global_var(start).address
    last = utils.global_var(end).address
    ptr_t = utils.lookup_type("struct initcall").pointer()
    n = (int(last) - int(first)) // ptr_t.sizeof
    table = first.cast(ptr_t.pointer())
    for i in range(n):
        yield table[i]


def modules():
    """(name, load, running, language, init function) of every initcall."""
    for load, start, end in (
            ("boot", "__initcall_start", "__initcall_end"),
            ("on_demand", "__initcall_ondemand_start",
             "__initcall_ondemand_end")):
        for c in initcalls(start, end):
            started = c["started"]
            running = bool(int(started) and int(started.dereference()))
            init = int(c["init"])
            yield (utils.c_string(c["name"]), load, running,
                   language_of(init), function_name(init) or "?")


def buses():
    """Every struct bus_type variable with a name, as (name, value)."""
    out = gdb.execute("info variables -q -n -t ^struct bus_type$",
                      to_string=True)
    found = []
    path = None
    for line in out.splitlines():
        m = re.match(r"File (.*):$", line)
        if m:
            path = m.group(1)
            continue
        m = re.match(r"\d+:\s+(static )?struct bus_type (\w+);", line)
        if not m or path is None:
            continue
        bus = utils.file_static(path, m.group(2)) if m.group(1) else \
            utils.global_var(m.group(2))
        if int(bus["name"]):
            found.append((utils.c_string(bus["name"]), bus))
    return found


def driver_language(bus_name, drv):
    """Rust or C: the language of the first callback the driver sets."""
    typename = BUS_DRIVER_TYPES.get(bus_name)
    if typename is None:
        return "?"
    outer = utils.container_of(drv, typename, "driver").dereference()
    for f in outer.type.strip_typedefs().fields():
        t = f.type.strip_typedefs()
        if t.code == gdb.TYPE_CODE_PTR and \
                t.target().code == gdb.TYPE_CODE_FUNC and int(outer[f.name]):
            return language_of(int(outer[f.name]))
    return "?"


def drivers():
    """(bus, driver name, language, [bound device names]) per driver."""
    for bus_name, bus in buses():
        devs = list(utils.list_for_each_entry(bus["devices"],
                                              "struct device", "bus_node"))
        for drv in utils.list_for_each_entry(bus["drivers"],
                                             "struct device_driver", "node"):
            bound = [utils.char_array(d["name"]) for d in devs
                     if int(d["driver"]) == int(drv)]
            yield (bus_name, utils.c_string(drv["name"]),
                   driver_language(bus_name, drv), bound)


class LxLsmod(gdb.Command):
    """List keel's built-in modules and the drivers registered on each bus.

MODULES: every initcall (C's and Rust's module!), how it loads (boot or
on_demand, started by `modprobe`), whether it runs, its language and
init function. DRIVERS: bus, driver, language, the devices bound to it."""

    def __init__(self):
        super().__init__("lx-lsmod", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: lx-lsmod")
        gdb.write("MODULE                   LOAD      STATE    LANG  INIT\n")
        for name, load, running, lang, init in modules():
            gdb.write("%-24s %-9s %-8s %-5s %s\n" % (
                name, load, "running" if running else "off", lang, init))
        gdb.write("\nBUS   DRIVER                   LANG  DEVICES\n")
        for bus, name, lang, bound in drivers():
            gdb.write("%-5s %-24s %-5s %s\n" % (
                bus, name, lang, " ".join(bound) or "-"))


LxLsmod()
