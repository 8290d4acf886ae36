#!/usr/bin/env python3
"""insnprof.py - guest instructions per kernel function under QEMU icount.

How docs/benchmarks.md attributes a Rust/C difference to functions:

  insnprof.py run --filter sched_pipe_same_cpu --out c.txt
  insnprof.py run --filter sched_pipe_same_cpu_rs --out rs.txt
  insnprof.py diff c.txt rs.txt --per 100000
  insnprof.py annotate rs.txt --per 200000 'fair_rs::put_curr'

`run` builds tools/insnprof/plugin.c (a QEMU TCG plugin) into
build/insnprof/, boots the kernel as `make bench` does (-smp 2, icount
shift=0) with `bench=1 bench.filter=GLOB`, and writes how often each
kernel instruction ran. Both boots are identical up to the case, so
`diff` (per function, B - A, divided by --per, e.g. the case's
iterations) shows where the extra instructions of one side go;
`annotate` prints a function's disassembly with each instruction's
count. Host tool: Python standard library, gcc, objdump, nm.
"""

import argparse
import bisect
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PLUGIN_SRC = os.path.join(ROOT, "tools", "insnprof", "plugin.c")
DEMANGLE_HASH = re.compile(r"::h[0-9a-f]{16}$")


def build_plugin(build):
    out = os.path.join(build, "insnprof", "plugin.so")
    if (not os.path.exists(out) or
            os.path.getmtime(out) < os.path.getmtime(PLUGIN_SRC)):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-Wall",
                        "-o", out, PLUGIN_SRC], check=True)
    return out


def cmd_run(args):
    plugin = build_plugin(os.path.dirname(os.path.abspath(args.kernel)))
    append = "bench=1 bench.filter=" + args.filter
    cmd = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64",
           "-m", "256M", "-smp", str(args.smp), "-kernel", args.kernel,
           "-display", "none", "-monitor", "none", "-serial", "stdio",
           "-device", "isa-debug-exit", "-no-reboot", "-append", append,
           "-icount", "shift=0", "-plugin", plugin]
    env = dict(os.environ, INSNPROF_OUT=os.path.abspath(args.out))
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       env=env, timeout=args.timeout)
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if "BENCH" in line:
            print(line.strip())
    return 0 if os.path.exists(args.out) else 1


def symbols(elf):
    """Sorted (address, name) of the text symbols."""
    out = subprocess.run(["nm", "-n", "-C", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16),
                         DEMANGLE_HASH.sub("", parts[2])))
    return syms


def per_function(path, syms):
    addrs = [a for a, _ in syms]
    out = {}
    with open(path) as f:
        for line in f:
            key, count = line.split()
            if key == "outside":
                name = "<outside the kernel image>"
            else:
                i = bisect.bisect_right(addrs, int(key, 16)) - 1
                name = syms[i][1] if i >= 0 else "?"
            out[name] = out.get(name, 0) + int(count)
    return out


def cmd_diff(args):
    syms = symbols(args.kernel)
    a, b = per_function(args.a, syms), per_function(args.b, syms)
    n = args.per
    print("%12s %12s %12s  function (per %g)" % ("A", "B", "B - A", n))
    print("%12.1f %12.1f %+12.1f  (all)" % (sum(a.values()) / n,
                                             sum(b.values()) / n,
                                             (sum(b.values()) -
                                              sum(a.values())) / n))
    names = sorted(set(a) | set(b),
                   key=lambda k: -abs(b.get(k, 0) - a.get(k, 0)))
    for k in names[:args.top]:
        print("%12.2f %12.2f %+12.2f  %s" % (a.get(k, 0) / n,
                                              b.get(k, 0) / n,
                                              (b.get(k, 0) - a.get(k, 0)) / n,
                                              k))
    return 0


def cmd_annotate(args):
    counts = {}
    with open(args.counts) as f:
        for line in f:
            key, count = line.split()
            if key != "outside":
                counts[int(key, 16)] = int(count)
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-C",
                          args.kernel], capture_output=True, text=True,
                         check=True).stdout
    wanted = set(args.function)
    on, total = False, 0.0
    for line in dis.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            if on:
                print("  %.2f instructions per call\n" % total)
            on = DEMANGLE_HASH.sub("", m.group(1)) in wanted
            total = 0.0
            if on:
                print(line)
            continue
        m = re.match(r"^\s*([0-9a-f]+):", line)
        if on and m:
            c = counts.get(int(m.group(1), 16), 0) / args.per
            total += c
            print("%8.2f %s" % (c, line) if c else "%8s %s" % ("", line))
    if on:
        print("  %.2f instructions per call" % total)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernel", default=os.path.join(ROOT, "build",
                                                    "keel.elf"))
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="boot one benchmark case, count")
    r.add_argument("--filter", required=True, help="bench.filter=GLOB")
    r.add_argument("--out", required=True)
    r.add_argument("--smp", type=int, default=2)
    r.add_argument("--timeout", type=int, default=600)
    d = sub.add_parser("diff", help="per-function counts, B - A")
    d.add_argument("a")
    d.add_argument("b")
    d.add_argument("--per", type=float, default=1)
    d.add_argument("--top", type=int, default=30)
    a = sub.add_parser("annotate", help="disassembly with counts")
    a.add_argument("counts")
    a.add_argument("function", nargs="+")
    a.add_argument("--per", type=float, default=1)
    args = p.parse_args(argv)
    return {"run": cmd_run, "diff": cmd_diff,
            "annotate": cmd_annotate}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
