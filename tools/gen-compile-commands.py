#!/usr/bin/env python3
"""gen-compile-commands.py - write compile_commands.json for clangd and
clang-tidy from the Makefile's own compiler and flags.

`make compile_commands.json` calls this with $(CC), $(CFLAGS),
$(ASFLAGS), $(BUILD) and the source list, so the database always says
what the build does (nothing is duplicated here, nothing is built).
Each entry is the command the Makefile's pattern rules run:

    $(CC) $(CFLAGS) -c src.c -o $(BUILD)/src.o      (.c)
    $(CC) $(ASFLAGS) -c src.S -o $(BUILD)/src.o     (.S)

except for the few gcc spellings that clang (clangd, clang-tidy) refuses
as errors: the stack protector's guard location (-mstack-protector-guard*)
and -ftrivial-auto-var-init=zero (clang 14 wants an extra opt-in flag).
They change the code gcc generates, not what the source means, so the
tools read the sources as the build compiles them without them.
"""

import argparse
import fnmatch
import json
import os
import shlex
import sys


CLANG_REFUSES = ("-mstack-protector-guard*", "-ftrivial-auto-var-init=*")


def for_clang(flags):
    """flags (a shell string) as a list, without those clang refuses."""
    return [f for f in shlex.split(flags)
            if not any(fnmatch.fnmatchcase(f, g) for g in CLANG_REFUSES)]


def entries(directory, build, cc, cflags, asflags, sources):
    """The compile database entries, one per source, in source order."""
    out = []
    for src in sources:
        base, ext = os.path.splitext(src)
        if ext == ".c":
            flags = cflags
        elif ext == ".S":
            flags = asflags
        else:
            raise ValueError("%s: not a .c or .S file" % src)
        obj = os.path.join(build, base + ".o")
        out.append({
            "directory": directory,
            "file": os.path.join(directory, src),
            "output": os.path.join(directory, obj),
            "arguments": shlex.split(cc) + for_clang(flags) +
            ["-c", src, "-o", obj],
        })
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cc", required=True)
    p.add_argument("--cflags", required=True)
    p.add_argument("--asflags", required=True)
    p.add_argument("--build", required=True, help="the Makefile's $(BUILD)")
    p.add_argument("--directory", default=os.getcwd())
    p.add_argument("-o", "--output", required=True)
    p.add_argument("sources", nargs="+")
    args = p.parse_args(argv)
    db = entries(os.path.abspath(args.directory), args.build, args.cc,
                 args.cflags, args.asflags, args.sources)
    tmp = args.output + ".tmp"
    with open(tmp, "w") as f:
        json.dump(db, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.output)
    print("  GEN     %s (%d files)" % (args.output, len(db)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
