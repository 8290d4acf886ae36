"""utils.py - what every keel gdb helper needs: types, statics, lists.

Everything is read from the debug info of build/keel.elf, so a helper
keeps working when a structure gains a field; what it cannot find it
reports as a gdb.GdbError naming the symbol, rather than guessing.
"""

import gdb


def lookup_type(name):
    """gdb.Type for a C type name ("struct task"), or GdbError."""
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise gdb.GdbError("keel: no type %r in the debug info "
                           "(is build/keel.elf loaded?)" % name)


def file_static(path, name):
    """The value of a file-scope static variable of a C file of keel.

    path is the file as the compiler saw it ("kernel/printk.c"); statics
    of the same name in other files (there are several `ops`) are not
    confused with it.
    """
    try:
        return gdb.parse_and_eval("'%s'::%s" % (path, name))
    except gdb.error:
        raise gdb.GdbError("keel: no static %s in %s" % (name, path))


def global_var(name):
    """The value of a global variable, or GdbError."""
    sym = gdb.lookup_global_symbol(name)
    if sym is None:
        sym = gdb.lookup_symbol(name)[0]
    if sym is None:
        raise gdb.GdbError("keel: no global %s" % name)
    return sym.value()


def container_of(ptr, typename, member):
    """The struct typename (a pointer to it) that holds ptr at member."""
    t = lookup_type(typename)
    for f in t.fields():
        if f.name == member:
            offset = f.bitpos // 8
            break
    else:
        raise gdb.GdbError("keel: %s has no member %s" % (typename, member))
    addr = int(ptr.cast(gdb.lookup_type("unsigned long")))
    return gdb.Value(addr - offset).cast(t.pointer())


def list_for_each_entry(head, typename, member, limit=100000):
    """Yield each entry (a pointer to typename) of a struct list_head.

    head is the list_head (a value, not a pointer). A list that does not
    come back to its head within limit entries (memory being changed
    under a stopped CPU, or a corrupted list) raises GdbError instead of
    looping forever.
    """
    head_addr = int(head.address)
    node = head["next"]
    for _ in range(limit):
        if int(node) == head_addr:
            return
        if int(node) == 0:
            raise gdb.GdbError("keel: NULL in the list at 0x%x" % head_addr)
        yield container_of(node, typename, member)
        node = node["next"]
    raise gdb.GdbError("keel: list at 0x%x has no end" % head_addr)


def c_string(ptr, limit=256):
    """A C string (a char pointer) as a Python str ("" for NULL)."""
    if int(ptr) == 0:
        return ""
    try:
        return ptr.string(errors="replace")[:limit]
    except gdb.error:
        return "<unreadable 0x%x>" % int(ptr)


def char_array(value):
    """A char[N] field (task name, device name) up to its first NUL."""
    n = value.type.strip_typedefs().range()[1] + 1
    data = bytes(int(value[i]) & 0xff for i in range(n))
    return data.split(b"\0", 1)[0].decode("utf-8", "replace")


def nr_cpus():
    """NR_CPUS: the length of cpu_data[]."""
    return global_var("cpu_data").type.range()[1] + 1


def online_cpus():
    """The logical numbers of the online CPUs (cpu_online_mask)."""
    mask = int(global_var("cpu_online_mask"))
    return [c for c in range(nr_cpus()) if mask >> c & 1]


def this_cpu():
    """The logical CPU the selected gdb thread runs, or None.

    keel points %gs at the CPU's struct cpu (cpu->self at %gs:0), so the
    GS base names the CPU whatever QEMU numbers its threads; before
    smp_prepare_boot_cpu() it is 0 and the thread number is used
    (QEMU's thread N is the N-th CPU, the boot CPU first).
    """
    cpu_data = global_var("cpu_data")
    try:
        gs = int(gdb.parse_and_eval("$gs_base"))
    except gdb.error:
        gs = 0
    base = int(cpu_data[0].address)
    size = cpu_data[0].type.sizeof
    if gs and base <= gs < base + size * nr_cpus() and \
            (gs - base) % size == 0:
        return (gs - base) // size
    thread = gdb.selected_thread()
    if thread is None:
        return None
    return thread.num - 1
