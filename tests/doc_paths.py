#!/usr/bin/env python3
"""doc_paths.py - find repository paths named in the docs that do not exist.

A doc (README.md, docs/*.md) names a file when a token in it, backticked
or not, starts with one of the repository's top-level source directories
(TOP_DIRS) followed by a slash: `kernel/sched/core.c`, drivers/net/,
tests/compile-fail/*.rs. Such a token must exist in the tree: a file, a
directory, or, when it holds a glob (`*`, `?`, `[...]`, `{a,b}`), at least
one match. Not checked: URLs; build outputs (anything under build/, and
object files such as `drivers/net/e1000.o` that exist only after make);
Rust paths (`kernel::sched`); the ratio unit "rust/c"; placeholders
(`tests/compile-fail/NN_name.rs`); a file the line tells the reader to
create ("Create `samples/rust/rust_hello.rs`"); and paths in another
project's tree when the line says so just before the path ("Linux's
kernel/sched/fair.c", "(Linux: include/linux/memblock.h)").

Run: python3 tests/doc_paths.py [ROOT]; prints DOC:LINE: PATH per missing
path and exits 1 if there is any. make check runs it through
tests/test_doc_paths.py (the unit tier).
"""

import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOP_DIRS = ("arch", "kernel", "mm", "lib", "drivers", "net", "include",
            "rust", "tests", "tools", "docs", "sched", "fs", "samples")

URL_RE = re.compile(r"[a-zA-Z][\w+.-]*://\S+")
PATH_RE = re.compile(r"(?<![\w./:@-])((?:%s)/[\w./*?\[\]{},+-]*)"
                     % "|".join(TOP_DIRS))
# A path in another project's tree, said so just before it on the line.
FOREIGN_RE = re.compile(r"(Linux|Linux's|linux|xv6|xv6's|Rust-for-Linux"
                        r"|RfL|QEMU's|QEMU)\W{0,3}$")
# Said just before a path: the reader is to create it.
CREATE_RE = re.compile(r"\b[Cc]reate\W{0,3}$")
PLACEHOLDER_RE = re.compile(r"(?:^|[/_.-])(?:NN+|N|X+|NAME)(?:[/_.-]|$)")
BUILD_OUTPUTS = (".o", ".a", ".elf", ".rlib", ".rmeta", ".d", ".sym",
                 ".map", ".bin")
NOT_PATHS = {"rust/c"}
TRAILING = ".,;:)]}'\"`"


def docs(root):
    """The docs the check reads, relative to root."""
    out = ["README.md"] if os.path.exists(os.path.join(root,
                                                       "README.md")) else []
    out += sorted(os.path.relpath(p, root)
                  for p in glob.glob(os.path.join(root, "docs", "*.md")))
    return out


def _expand_braces(path):
    m = re.search(r"\{([^{}]*)\}", path)
    if not m:
        return [path]
    out = []
    for alt in m.group(1).split(","):
        out += _expand_braces(path[:m.start()] + alt + path[m.end():])
    return out


def _clean(tok):
    # Strip sentence punctuation, but keep a balanced closing bracket/brace.
    while tok and tok[-1] in TRAILING:
        if tok[-1] == "}" and tok.count("{") >= tok.count("}"):
            break
        if tok[-1] == "]" and tok.count("[") >= tok.count("]"):
            break
        tok = tok[:-1]
    return tok


def exists(root, path):
    """Whether path (relative to root, globs allowed) names something."""
    for p in _expand_braces(path):
        full = os.path.join(root, p)
        if any(c in p for c in "*?["):
            if glob.glob(full):
                return True
        elif os.path.exists(full):
            return True
    return False


def paths_in(text):
    """(line number, path) for every repository path named in text."""
    for n, line in enumerate(text.splitlines(), 1):
        line = URL_RE.sub(" ", line)
        for m in PATH_RE.finditer(line):
            tok = _clean(m.group(1))
            before = line[:m.start()].rstrip("`( ")
            if ("/" not in tok or tok in NOT_PATHS
                    or tok.endswith(BUILD_OUTPUTS)
                    or PLACEHOLDER_RE.search(tok)
                    or FOREIGN_RE.search(before)
                    or CREATE_RE.search(before)):
                continue
            yield n, tok


def missing(root=ROOT):
    """(doc, line, path) for every named path that does not exist."""
    out = []
    for doc in docs(root):
        with open(os.path.join(root, doc), encoding="utf-8") as f:
            text = f.read()
        for n, path in paths_in(text):
            if not exists(root, path):
                out.append((doc, n, path))
    return out


def main(argv):
    root = argv[1] if len(argv) > 1 else ROOT
    bad = missing(root)
    for doc, n, path in bad:
        print("%s:%d: %s does not exist" % (doc, n, path))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
