#!/usr/bin/env python3
"""Turn `nm -n` output of the first link into the kernel symbol table.

Usage: gen-ksyms.py < nm-output > ksyms.S
Reads text symbols (t/T/W), keeps them sorted, and emits an assembly file
placing kallsyms_num, kallsyms_addrs, kallsyms_offsets and kallsyms_names
in .rodata.ksyms, the section kernel.ld puts last in rodata. With empty
input it emits an empty table for the first link.
"""
import sys

syms = []
for line in sys.stdin:
    parts = line.split()
    if len(parts) != 3 or parts[1] not in "tTwW":
        continue
    addr, name = int(parts[0], 16), parts[2]
    if name.startswith((".L", "__ksym_")) or addr < 0xffffffff80000000:
        continue
    syms.append((addr, name))
syms.sort()

out = sys.stdout
out.write("\t.section .rodata.ksyms, \"a\"\n\t.p2align 3\n")
out.write("\t.globl kallsyms_num, kallsyms_addrs, kallsyms_offsets, kallsyms_names\n")
out.write(f"kallsyms_num:\n\t.quad {len(syms)}\n")
out.write("kallsyms_addrs:\n")
for addr, _ in syms:
    out.write(f"\t.quad {addr:#x}\n")
out.write("kallsyms_offsets:\n")
off = 0
for _, name in syms:
    out.write(f"\t.long {off}\n")
    off += len(name) + 1
out.write("kallsyms_names:\n")
for _, name in syms:
    out.write(f"\t.asciz \"{name}\"\n")
