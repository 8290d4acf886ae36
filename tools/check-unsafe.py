#!/usr/bin/env python3
"""check-unsafe.py - audit every `unsafe` in keel's Rust code.

keel's layering rule (docs/rust.md, docs/rust-safety.md): only the `kernel` crate
(and the generated `bindings`) may use `unsafe`, and there every use
carries its argument. This script checks that, on the tokens of each
file (comments, strings and char literals are skipped, so the word in
prose or in a string never counts):

  rust/kernel   every `unsafe` block, impl, extern block or attribute has
                a comment containing `SAFETY:` on the lines just above it
                (attribute lines may sit between), either above the line
                of the `unsafe` or above the first line of the statement
                that line continues. Every `unsafe fn` and `unsafe trait`
                has a `# Safety` heading in its doc comment; methods of a
                trait impl are exempt (the trait documents the contract).
                `unsafe fn(..)` pointer types carry no obligation.
                A `SAFETY:` comment or `# Safety` section states its own
                argument: one whose text begins with a reference to
                another ("as above", "as in read", "as for Send", "as
                with", "same as", "see above", "ditto", or "as" and a
                name from the code: "as from_raw", "as task()") fails.
  SAFE_DIRS     rust/macros, samples, drivers, kernel (the policies in
                kernel/sched), tools (host tools in Rust, e.g.
                tools/sched-replay): no `unsafe` token at
                all, and every crate root (a file no other audited file
                declares with `mod name;`) has `#![forbid(unsafe_code)]`
                (`deny` is not enough: an `allow` could undo it).

rust/bindings (generated) and rust/compiler_builtins.rs (a stand-in for
a library crate) are not audited; tests/compile-fail holds deliberate
violations and is not audited either.

Usage: check-unsafe.py [--root DIR]. Prints one `path:line: problem`
per finding and a summary; exits 1 if anything was found (or there was
nothing to audit), 0 otherwise. Python standard library only.
"""

import argparse
import os
import re
import sys

KERNEL_DIR = "rust/kernel"
SAFE_DIRS = ("rust/macros", "samples", "drivers", "kernel", "tools")

SAFETY_RE = re.compile(r"SAFETY:")
SAFETY_DOC_RE = re.compile(r"^\s*#\s+Safety\s*$", re.M)
# An argument that points elsewhere instead of being stated: "as
# above", "as in read", "same as", ... or "as" followed by a name from
# the code ("as from_raw", "as get_mut", "as task()", "as [`lock`]").
BY_REFERENCE_RE = re.compile(
    r"^\W*(as\s+(above|in|for|with)\b|same\s+as\b|see\s+above\b|ditto\b"
    r"|as\s+(\[?`[^`]+`\]?|\w*_\w*\b(\(\))?|\w+\(\)|\w+(::\w+)+))",
    re.I)


class Token:
    """One token: kind is 'ident', 'lit', 'lifetime' or 'punct'."""

    def __init__(self, kind, text, line, end_line):
        self.kind = kind
        self.text = text
        self.line = line
        self.end_line = end_line

    def __repr__(self):
        return "%s(%r@%d)" % (self.kind, self.text, self.line)


class Comment:
    """One comment with its first and last line; doc for ///, //!, /** and
    /*! comments."""

    def __init__(self, text, line, end_line, doc):
        self.text = text
        self.line = line
        self.end_line = end_line
        self.doc = doc


def _is_ident_start(c):
    return c == "_" or c.isalpha()


def _is_ident_char(c):
    return c == "_" or c.isalnum()


def _skip_quoted(src, i, quote):
    """Index after the closing `quote` of a literal opened before i
    (backslash escapes honoured)."""
    n = len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        i += 1
    return n


def _raw_string_end(src, i):
    """src[i] is the first `#` or the `"` of a raw string; returns the
    index after it, or None if this is not a raw string."""
    j = i
    while j < len(src) and src[j] == "#":
        j += 1
    if j >= len(src) or src[j] != '"':
        return None
    close = '"' + "#" * (j - i)
    end = src.find(close, j + 1)
    return len(src) if end < 0 else end + len(close)


def lex(src):
    """Splits Rust source into (tokens, comments)."""
    tokens, comments = [], []
    i, line, n = 0, 1, len(src)

    def emit(kind, start, end, start_line):
        tokens.append(Token(kind, src[start:end], start_line,
                            start_line + src.count("\n", start, end)))

    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            end = src.find("\n", i)
            end = n if end < 0 else end
            text = src[i:end]
            doc = (text.startswith("///") and not text.startswith("////")) \
                or text.startswith("//!")
            comments.append(Comment(text, line, line, doc))
            i = end
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            text = src[i:j]
            doc = (text.startswith("/**") and not text.startswith("/***")
                   and text != "/**/") or text.startswith("/*!")
            end_line = line + text.count("\n")
            comments.append(Comment(text, line, end_line, doc))
            line, i = end_line, j
        elif _is_ident_start(c):
            j = i + 1
            while j < n and _is_ident_char(src[j]):
                j += 1
            word = src[i:j]
            end = None
            if word == "r" and src.startswith("#", j) and j + 1 < n \
                    and _is_ident_start(src[j + 1]):
                k = j + 1                           # raw identifier r#name
                while k < n and _is_ident_char(src[k]):
                    k += 1
                emit("ident", i, k, line)
                i = k
                continue
            if word in ("r", "br", "cr") and j < n and src[j] in '#"':
                end = _raw_string_end(src, j)
            elif word in ("b", "c") and j < n and src[j] == '"':
                end = _skip_quoted(src, j + 1, '"')
            elif word == "b" and j < n and src[j] == "'":
                end = _skip_quoted(src, j + 1, "'")
            if end is not None:
                emit("lit", i, end, line)
                line += src.count("\n", i, end)
                i = end
            else:
                emit("ident", i, j, line)
                i = j
        elif c == '"':
            end = _skip_quoted(src, i + 1, '"')
            emit("lit", i, end, line)
            line += src.count("\n", i, end)
            i = end
        elif c == "'":
            if i + 1 < n and src[i + 1] == "\\":
                end = _skip_quoted(src, i + 1, "'")
                emit("lit", i, end, line)
                i = end
            elif i + 2 < n and src[i + 2] == "'":
                emit("lit", i, i + 3, line)
                i += 3
            else:                                   # lifetime or label
                j = i + 1
                while j < n and _is_ident_char(src[j]):
                    j += 1
                emit("lifetime", i, j, line)
                i = j
        elif c.isdigit():
            j = i + 1
            while j < n and _is_ident_char(src[j]):
                j += 1
            emit("lit", i, j, line)
            i = j
        else:
            emit("punct", i, i + 1, line)
            i += 1
    return tokens, comments


class Source:
    """A lexed file with per-line facts for the comment checks."""

    def __init__(self, text):
        self.tokens, self.comments = lex(text)
        self.code_lines = set()
        self.first_tok = {}
        self.last_tok = {}
        for t in self.tokens:
            self.code_lines.update(range(t.line, t.end_line + 1))
            self.first_tok.setdefault(t.line, t)
            self.last_tok[t.end_line] = t
        self.comment_at = {}
        for c in self.comments:
            for ln in range(c.line, c.end_line + 1):
                self.comment_at.setdefault(ln, []).append(c)

    def comment_only(self, ln):
        return ln in self.comment_at and ln not in self.code_lines

    def attribute_line(self, ln):
        t = self.first_tok.get(ln)
        return ln in self.code_lines and t is not None and t.text == "#"

    def comments_above(self, ln):
        """The comments on the lines just above line ln: the unbroken run
        of comment-only lines, attribute lines allowed in between."""
        found = []
        k = ln - 1
        while k >= 1:
            if self.comment_only(k):
                for c in self.comment_at[k]:
                    if c not in found:
                        found.append(c)
            elif not self.attribute_line(k):
                break
            k -= 1
        return found

    def statement_start(self, ln):
        """The first line of the statement or item that line ln belongs
        to: walk up over code lines that do not end with `;`, `{` or `}`
        (and are not attributes), and over comments inside the statement;
        a blank line ends the walk."""
        k = ln - 1
        while k >= 1:
            if self.comment_only(k):
                k -= 1
                continue
            if k not in self.code_lines:
                return ln
            last = self.last_tok.get(k)
            if self.attribute_line(k) or \
                    (last is not None and last.text in (";", "{", "}")):
                return ln
            ln = k
            k -= 1
        return ln


def _next(tokens, i):
    return tokens[i] if i < len(tokens) else None


def unsafe_kind(tokens, i):
    """What the `unsafe` at tokens[i] introduces: 'block', 'impl', 'fn',
    'fn-type', 'trait', 'extern-block', 'attribute' or 'other'."""
    j = i + 1
    t = _next(tokens, j)
    if t is None:
        return "other"
    if t.text == "{":
        return "block"
    if t.text == "impl":
        return "impl"
    if t.text == "trait" or (t.text == "auto" and
                             getattr(_next(tokens, j + 1), "text", "") ==
                             "trait"):
        return "trait"
    if t.text == "(":
        return "attribute"
    if t.text == "extern":
        j += 1
        if getattr(_next(tokens, j), "kind", "") == "lit":
            j += 1
        t = _next(tokens, j)
        if t is not None and t.text == "{":
            return "extern-block"
    if t is not None and t.text == "fn":
        after = _next(tokens, j + 1)
        if after is not None and after.kind == "ident":
            return "fn"
        return "fn-type"
    return "other"


def _is_trait_impl(header):
    """Whether the tokens before a `{` open an `impl Trait for Type`."""
    k = 0
    while k < len(header) and header[k].text == "#":   # outer attributes
        depth, k = 0, k + 1
        while k < len(header):
            depth += {"[": 1, "]": -1}.get(header[k].text, 0)
            k += 1
            if depth == 0:
                break
    rest = header[k:]
    while rest and rest[0].text in ("unsafe", "default"):
        rest = rest[1:]
    if not rest or rest[0].text != "impl":
        return False
    # `for` names the type, unless it opens a `for<'a>` bound
    return any(a.text == "for" and (b is None or b.text != "<")
               for a, b in zip(rest, rest[1:] + [None]))


def _comment_body(c):
    """The text of a comment without its markers (`//`, `///`, `//!`,
    `/*`, `*/` and leading `*` of block comment lines)."""
    t = c.text
    if t.startswith("//"):
        return t.lstrip("/").lstrip("!")
    t = t[2:-2] if t.endswith("*/") else t[2:]
    t = t.lstrip("*!")
    return "\n".join(ln.strip().lstrip("*") for ln in t.split("\n"))


def by_reference_problems(src):
    """SAFETY comments and `# Safety` sections that argue by reference:
    [(line, message)]. The text checked is what follows `SAFETY:` (or,
    if nothing does, the next comment line), or the first non-empty
    line of a `# Safety` section."""
    problems = []
    comments = sorted(src.comments, key=lambda c: c.line)
    by_line = {c.line: c for c in comments}
    for idx, c in enumerate(comments):
        body = _comment_body(c)
        m = SAFETY_RE.search(body)
        if m and not c.doc:
            rest = body[m.end():].strip()
            nxt = by_line.get(c.end_line + 1)
            if not rest and nxt is not None and not nxt.doc:
                rest = _comment_body(nxt).strip()
            if BY_REFERENCE_RE.match(rest):
                problems.append((c.line, "`SAFETY:` comment argues by "
                                 "reference (%r): state the argument for "
                                 "this unsafe use itself" %
                                 " ".join(rest.split())[:40]))
            continue
        if c.doc and SAFETY_DOC_RE.match(body):
            for d in comments[idx + 1:]:
                if not d.doc or d.line > c.line + 20:
                    break
                first = _comment_body(d).strip()
                if first:
                    if BY_REFERENCE_RE.match(first):
                        problems.append((d.line, "`# Safety` section "
                                         "argues by reference (%r): "
                                         "state the contract itself" %
                                         first[:40]))
                    break
    return problems


def audit_kernel_source(text):
    """Problems in one file of the kernel crate: [(line, message)]."""
    src = Source(text)
    toks = src.tokens
    problems = by_reference_problems(src)
    stack = []          # one bool per open brace: inside a trait impl?
    stmt_start = 0      # index of the first token after ; { }
    for i, t in enumerate(toks):
        if t.text == "{" and t.kind == "punct":
            stack.append(_is_trait_impl(toks[stmt_start:i]))
            stmt_start = i + 1
            continue
        if t.text == "}" and t.kind == "punct":
            if stack:
                stack.pop()
            stmt_start = i + 1
            continue
        if t.text == ";" and t.kind == "punct":
            stmt_start = i + 1
            continue
        if t.kind != "ident" or t.text != "unsafe":
            continue
        kind = unsafe_kind(toks, i)
        if kind == "fn-type":
            continue
        if kind in ("fn", "trait"):
            if kind == "fn" and stack and stack[-1]:
                continue
            docs = [c for c in src.comments_above(src.statement_start(t.line))
                    if c.doc]
            if not any(SAFETY_DOC_RE.search(c.text.replace("///", "")
                                            .replace("/**", ""))
                       for c in docs):
                problems.append((t.line, "`unsafe %s` without a `# Safety` "
                                 "section in its doc comment" % kind))
            continue
        lines = [t.line, src.statement_start(t.line)]
        if not any(SAFETY_RE.search(c.text)
                   for ln in lines for c in src.comments_above(ln)):
            what = {"block": "block", "impl": "impl",
                    "extern-block": "extern block",
                    "attribute": "attribute"}.get(kind, "use")
            problems.append((t.line, "`unsafe` %s without a `// SAFETY:` "
                             "comment just above" % what))
    return sorted(problems)


FORBID = ["#", "!", "[", "forbid", "("]


def has_forbid_unsafe(tokens):
    """Whether the tokens contain `#![forbid(..., unsafe_code, ...)]`."""
    texts = [t.text for t in tokens]
    for i in range(len(texts) - len(FORBID) + 1):
        if texts[i:i + len(FORBID)] != FORBID:
            continue
        j = i + len(FORBID)
        while j < len(texts) and texts[j] != ")":
            if texts[j] == "unsafe_code":
                return True
            j += 1
    return False


def audit_safe_source(text, is_root):
    """Problems in a file of a crate that must not use unsafe."""
    tokens, _ = lex(text)
    problems = [(t.line, "`unsafe` in a crate that must not use it "
                 "(only rust/kernel may)")
                for t in tokens if t.kind == "ident" and t.text == "unsafe"]
    if is_root and not has_forbid_unsafe(tokens):
        problems.append((1, "crate root without #![forbid(unsafe_code)]"))
    return problems


def declared_modules(path, text):
    """Files that `mod name;` items in `path` refer to (those that exist
    or not: the caller intersects with real files)."""
    tokens, _ = lex(text)
    out = set()
    d = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    for a, b, c in zip(tokens, tokens[1:], tokens[2:]):
        if a.text == "mod" and b.kind == "ident" and c.text == ";":
            for base in (d, os.path.join(d, stem)):
                out.add(os.path.normpath(os.path.join(base, b.text + ".rs")))
                out.add(os.path.normpath(os.path.join(base, b.text,
                                                      "mod.rs")))
    return out


def rust_files(root, rel_dir):
    out = []
    for dirpath, _, files in os.walk(os.path.join(root, rel_dir)):
        out += [os.path.join(dirpath, f) for f in files if f.endswith(".rs")]
    return sorted(out)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def audit_tree(root):
    """Audits the tree at root: (problem lines, summary line)."""
    out = []
    kernel = rust_files(root, KERNEL_DIR)
    if not kernel:
        return ["%s: no Rust files to audit" % KERNEL_DIR], None
    sites = 0
    for path in kernel:
        text = read(path)
        sites += sum(t.kind == "ident" and t.text == "unsafe"
                     for t in lex(text)[0])
        out += ["%s:%d: %s" % (os.path.relpath(path, root), ln, msg)
                for ln, msg in audit_kernel_source(text)]
    safe = [p for d in SAFE_DIRS for p in rust_files(root, d)]
    texts = {p: read(p) for p in safe}
    children = set()
    for p, text in texts.items():
        children |= declared_modules(p, text)
    roots = 0
    for p, text in texts.items():
        is_root = os.path.normpath(p) not in children
        roots += is_root
        out += ["%s:%d: %s" % (os.path.relpath(p, root), ln, msg)
                for ln, msg in audit_safe_source(text, is_root)]
    summary = ("check-unsafe: %d kernel files (%d unsafe sites), %d files "
               "in %d safe crates" % (len(kernel), sites, len(safe), roots))
    return out, summary


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), help="keel source tree")
    args = p.parse_args(argv)
    problems, summary = audit_tree(args.root)
    for line in problems:
        print(line)
    if summary:
        print(summary + (": %d problems" % len(problems) if problems
                         else ": ok"))
    return 1 if problems or not summary else 0


if __name__ == "__main__":
    sys.exit(main())
