#!/usr/bin/env python3
"""rustdoc-test-builder.py - keep each doctest's source instead of building it.

rustdoc --test calls this in place of rustc (--test-builder), once per
example, with the test program on stdin and `-o DIR/NAME/rust_out`
(NAME from --persist-doctests: rust_kernel_sync_arc_rs_56_0, the file and
line of the example). The program is written to DIR/NAME.rs, where
tools/gen-doctests.py turns every one into a ktest case; nothing is
compiled here, since a doctest cannot be linked as a host binary.
"""

import os
import sys


def main(argv):
    out = None
    for i, a in enumerate(argv):
        if a == "-o" and i + 1 < len(argv):
            out = argv[i + 1]
        elif a.startswith("-o") and len(a) > 2:
            out = a[2:]
    if out is None or "-" not in argv:
        print("rustdoc-test-builder: expected `-o PATH -` from rustdoc "
              "--test, got: %s" % " ".join(argv), file=sys.stderr)
        return 2
    test_dir = os.path.dirname(out)
    name = os.path.basename(test_dir)
    source = sys.stdin.read()
    with open(os.path.join(os.path.dirname(test_dir), name + ".rs"), "w") as f:
        f.write(source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
