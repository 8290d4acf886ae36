#!/usr/bin/env python3
"""compile_fail.py - run the compile-fail safety suite (tests/compile-fail/).

Each case NAME.rs is a small driver crate that must NOT compile. Its first
line says how it must fail:

    // expect: E0382              every error rustc reports has this code
    // expect: lint unsafe_code   every error is this lint (lints have no
                                  E-code; rustc names them in the JSON
                                  "code" field instead)

and its twin NAME.twin.rs (the corrected driver) must compile with no
diagnostic at all. "Fails" is not enough: a case passes only if rustc
exits with status 1 and every error it reports carries the expected code,
so a case broken by a typo, a missing doc comment or a changed kernel API
shows up as a wrong code instead of passing quietly.

Both are compiled exactly as rust/rust.mk compiles a driver crate: the
flags come from `make print-rust-driver-flags` (never copied here), plus
--crate-name, --emit=obj (code generation, so that const checks inside
generic kernel functions such as Mmio::read32::<OFF> are evaluated) and
--error-format=json. The kernel crate must have been built (make) first.

Optional header lines `// class:`, `// c-bug:` and `// rule:` describe the
case; --markdown turns them and rustc's actual messages into the table of
docs/rust-safety.md.

Usage: python3 tests/compile_fail.py [--build DIR] [-v] [--markdown] [NAME...]
make check runs it as the `compile-fail` tier (one check per case and one
per twin) through tier().
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE_DIR = os.path.join(ROOT, "tests", "compile-fail")
TWIN_SUFFIX = ".twin.rs"
MAX_PARALLEL = 2            # rustc processes at once
# make's jobserver variables: under `make -jN check` they name pipe fds
# that our subprocesses do not inherit, and rustc warns about them.
JOBSERVER_VARS = ("MAKEFLAGS", "MFLAGS", "CARGO_MAKEFLAGS")
RUSTC_TIMEOUT = 120         # seconds per compile

EXPECT_RE = re.compile(r"//\s*expect:\s*(?:(E\d{4})|lint\s+([a-z_]+(?:::[a-z_]+)?))\s*$")
META_RE = re.compile(r"//\s*(class|c-bug|rule):\s*(.*\S)\s*$")


class Case:
    """A failing snippet, its expected error and its passing twin."""

    def __init__(self, name, path, twin, expect, meta):
        self.name = name        # file name without .rs
        self.path = path
        self.twin = twin
        self.expect = expect    # "E0382" or a lint name such as "unsafe_code"
        self.meta = meta        # {"class": ..., "c-bug": ..., "rule": ...}


class Diag:
    """One top-level diagnostic from rustc --error-format=json."""

    def __init__(self, level, code, message, rendered=""):
        self.level = level      # "error", "warning", ... or "raw" (not JSON)
        self.code = code        # "E0382", "unsafe_code" or None
        self.message = message
        self.rendered = rendered or message

    def __repr__(self):
        return "Diag(%r, %r, %r)" % (self.level, self.code, self.message)


class Result:
    """The verdict on one compile: a case or a twin."""

    def __init__(self, case, twin, problems, diags, seconds):
        self.case = case
        self.twin = twin
        self.problems = problems
        self.diags = diags
        self.seconds = seconds

    @property
    def ok(self):
        return not self.problems

    @property
    def check_name(self):
        if self.twin:
            return "compile-fail %s twin" % self.case.name
        return "compile-fail %s (%s)" % (self.case.name, expect_text(
            self.case.expect))


def expect_text(expect):
    return expect if re.fullmatch(r"E\d{4}", expect) else "lint " + expect


# ------------------------------------------------------------ parsing

def parse_expect(line):
    """The error code or lint name a first line declares, or None."""
    m = EXPECT_RE.match(line.strip())
    if not m:
        return None
    return m.group(1) or m.group(2)


def parse_case_text(text):
    """(expect, meta) from a case file's text; expect None if missing."""
    lines = text.splitlines()
    expect = parse_expect(lines[0]) if lines else None
    meta = {}
    for line in lines[1:]:     # the header: the leading `//` comments
        if not line.startswith("//") or line.startswith(("//!", "///")):
            break
        m = META_RE.match(line.strip())
        if m:
            meta[m.group(1)] = m.group(2)
    return expect, meta


def discover(case_dir=CASE_DIR):
    """The cases in case_dir, sorted, and a list of problems found.

    A case without a twin, a twin without a case, a case without an
    `// expect:` first line and a twin with one are all problems: a case
    that cannot be judged must not pass by being skipped.
    """
    try:
        files = sorted(f for f in os.listdir(case_dir) if f.endswith(".rs"))
    except OSError as e:
        return [], ["cannot list the cases: %s" % e]
    twins = {f[:-len(TWIN_SUFFIX)] for f in files if f.endswith(TWIN_SUFFIX)}
    cases, problems = [], []
    for f in files:
        path = os.path.join(case_dir, f)
        with open(path) as fh:
            text = fh.read()
        expect, meta = parse_case_text(text)
        if f.endswith(TWIN_SUFFIX):
            name = f[:-len(TWIN_SUFFIX)]
            if expect:
                problems.append("%s: a twin must compile; it has an "
                                "'// expect:' line" % f)
            if not os.path.exists(os.path.join(case_dir, name + ".rs")):
                problems.append("%s: twin of a case that does not exist" % f)
            continue
        name = f[:-3]
        if not expect:
            problems.append("%s: first line must be '// expect: E0xxx' or "
                            "'// expect: lint NAME'" % f)
            continue
        if name not in twins:
            problems.append("%s: no passing twin %s%s" % (f, name,
                                                          TWIN_SUFFIX))
            continue
        cases.append(Case(name, path,
                          os.path.join(case_dir, name + TWIN_SUFFIX),
                          expect, meta))
    if not cases and not problems:
        problems.append("no cases in %s" % case_dir)
    return cases, problems


def parse_diagnostics(stderr):
    """rustc's JSON diagnostics (one object a line) as Diags.

    Lines that are not JSON (a compiler crash, a message from the loader)
    become Diags of level "raw" so that they cannot go unnoticed.
    """
    diags = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except ValueError:
            diags.append(Diag("raw", None, line.strip()))
            continue
        if not isinstance(d, dict) or "level" not in d:
            diags.append(Diag("raw", None, line.strip()))
            continue
        code = d.get("code") or {}
        diags.append(Diag(d["level"], code.get("code"), d.get("message", ""),
                          d.get("rendered") or ""))
    return diags


def is_summary(d):
    """rustc's closing lines, which repeat what the errors said."""
    return d.level == "failure-note" or (
        d.level == "error" and d.code is None and
        d.message.startswith("aborting due to"))


# ------------------------------------------------------------ verdicts

def judge_case(expect, returncode, diags):
    """Problems with a compile that must fail with `expect` (empty: ok)."""
    label = expect_text(expect)
    if returncode == 0:
        return ["compiled, but must fail with %s" % label]
    problems = []
    if returncode != 1:
        problems.append("rustc exited with status %d (a compiler crash?)"
                        % returncode)
    real = [d for d in diags if not is_summary(d)]
    errors = [d for d in real if d.level.startswith("error")]
    if not errors:
        problems.append("rustc failed without reporting an error")
    for d in real:
        if d.level.startswith("error") and d.code == expect:
            continue
        if d.level in ("note", "help"):
            continue
        what = d.code or "no code"
        problems.append("unexpected %s (%s): %s" % (d.level, what,
                                                    d.message))
    if problems and errors:
        problems.insert(0, "must fail with %s only" % label)
    return problems


def judge_twin(returncode, diags):
    """Problems with a compile that must succeed cleanly (empty: ok)."""
    problems = []
    if returncode != 0:
        problems.append("rustc exited with status %d: the twin must "
                        "compile" % returncode)
    for d in diags:
        if is_summary(d):
            continue
        problems.append("%s (%s): %s" % (d.level, d.code or "no code",
                                         d.message))
    return problems


# ------------------------------------------------------------ compiling

def clean_env(extra=None):
    """The environment for make and rustc: ours without make's jobserver
    variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in JOBSERVER_VARS}
    env.update(extra or {})
    return env


def driver_flags(root=ROOT, build=None):
    """(env, argv) that compile a driver crate, from rust/rust.mk.

    Asks make (`print-rust-driver-flags`) so that the flags live in one
    place. env holds the variables rust.mk sets (RUSTC_BOOTSTRAP...);
    argv is the compiler and its flags, paths relative to root.
    """
    cmd = ["make", "-s", "--no-print-directory", "-C", root]
    if build:
        cmd.append("BUILD=" + os.path.abspath(build))
    cmd.append("print-rust-driver-flags")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                       env=clean_env())
    if p.returncode:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stderr))
    values = {}
    for line in p.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key] = value
    missing = [k for k in ("RUSTC", "RUST_ENV", "RUST_DRIVER_FLAGS")
               if k not in values]
    if missing:
        raise RuntimeError("make print-rust-driver-flags did not print %s"
                           % ", ".join(missing))
    env = dict(a.split("=", 1) for a in shlex.split(values["RUST_ENV"]))
    argv = [values["RUSTC"]] + shlex.split(values["RUST_DRIVER_FLAGS"])
    return env, argv


def setup_problems(argv, root=ROOT):
    """Why the crates that cases link against are not usable, if so."""
    problems = []
    externs = [a.split("=", 1)[1] for a in argv
               if re.match(r"(kernel|macros)=", a)]
    kernel_src = os.path.join(root, "rust", "kernel")
    newest = max((os.path.getmtime(os.path.join(d, f))
                  for d, _, fs in os.walk(kernel_src) for f in fs
                  if f.endswith(".rs")), default=0)
    for path in externs:
        full = os.path.join(root, path)
        if not os.path.exists(full):
            problems.append("%s is missing: run make first" % path)
        elif full.endswith(".rmeta") and os.path.getmtime(full) < newest:
            problems.append("%s is older than rust/kernel/: run make "
                            "first" % path)
    return problems


def crate_name(path):
    stem = os.path.basename(path)[:-3]
    return "cf_" + re.sub(r"\W", "_", stem)


def compile_one(argv, env, path, outdir, root=ROOT):
    """Compiles one snippet; returns (returncode, diags, seconds)."""
    name = crate_name(path)
    cmd = argv + ["--crate-name", name, "--error-format=json",
                  "--emit=obj=" + os.path.join(outdir, name + ".o"), path]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=root, env=clean_env(env),
                           capture_output=True, text=True,
                           timeout=RUSTC_TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, [Diag("raw", None, "rustc timed out after %d s"
                         % RUSTC_TIMEOUT)], RUSTC_TIMEOUT
    return p.returncode, parse_diagnostics(p.stderr), \
        time.monotonic() - start


def run_cases(cases, argv, env, root=ROOT, jobs=MAX_PARALLEL):
    """Compiles every case and twin (jobs at a time); list of Results."""
    def one(case, twin):
        with tempfile.TemporaryDirectory(prefix="keel-cfail-") as out:
            path = case.twin if twin else case.path
            rc, diags, secs = compile_one(argv, env, path, out, root)
        if twin:
            problems = judge_twin(rc, diags)
        else:
            problems = judge_case(case.expect, rc, diags)
        return Result(case, twin, problems, diags, secs)

    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        futures = [pool.submit(one, c, twin) for c in cases
                   for twin in (False, True)]
        return [f.result() for f in futures]


def detail_lines(r, max_rendered=25):
    """What a human needs to see about a failed Result."""
    out = ["  %s: %s" % (os.path.relpath(r.case.twin if r.twin
                                          else r.case.path, ROOT), p)
           for p in r.problems]
    rendered = "\n".join(d.rendered.rstrip() for d in r.diags
                         if not is_summary(d)).splitlines()
    out += ["  | " + l for l in rendered[:max_rendered]]
    if len(rendered) > max_rendered:
        out.append("  | ... (%d more lines)" % (len(rendered) - max_rendered))
    return out


def tier(root=ROOT, build=None, case_dir=CASE_DIR):
    """The make check tier: ([(name, status, detail)], note)."""
    start = time.monotonic()
    cases, problems = discover(case_dir)
    checks = [("compile-fail suite", "fail", ["  " + p]) for p in problems]
    try:
        env, argv = driver_flags(root, build)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        return checks + [("compile-fail setup", "fail",
                          ["  " + l for l in str(e).splitlines()])], None
    bad = setup_problems(argv, root)
    if bad:
        return checks + [("compile-fail setup", "fail",
                          ["  " + p for p in bad])], None
    results = run_cases(cases, argv, env, root)
    for r in results:
        checks.append((r.check_name, "pass" if r.ok else "fail",
                       [] if r.ok else detail_lines(r)))
    nbad = sum(not r.ok for r in results) + len(problems)
    note = "compile-fail: %d cases, %d twins, %d failed in %.1fs" % (
        len(cases), len(cases), nbad, time.monotonic() - start)
    return checks, note


# ------------------------------------------------------------ docs table

def first_message(r):
    errors = [d for d in r.diags
              if d.level.startswith("error") and not is_summary(d)]
    return errors[0].message if errors else ""


def markdown(results):
    """Rows for docs/rust-safety.md from the cases' headers and rustc."""
    rows = ["| case | bug class | C bug it corresponds to | keel API rule "
            "that rejects it | rustc error |",
            "|---|---|---|---|---|"]
    for r in results:
        if r.twin:
            continue
        m = r.case.meta
        msg = first_message(r).replace("|", "\\|")
        rows.append("| `%s` | %s | %s | %s | %s: \"%s\" |" % (
            r.case.name, m.get("class", ""), m.get("c-bug", ""),
            m.get("rule", "").replace("|", "\\|"),
            expect_text(r.case.expect), msg))
    return "\n".join(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description="run the compile-fail suite")
    p.add_argument("names", nargs="*", help="only these cases")
    p.add_argument("--build", help="build directory (default: make's)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show rustc's output for passing cases too")
    p.add_argument("--markdown", action="store_true",
                   help="print the docs/rust-safety.md table")
    args = p.parse_args(argv)
    cases, problems = discover()
    if args.names:
        cases = [c for c in cases if c.name in args.names]
        if not cases:
            print("no case named %s" % " ".join(args.names))
            return 1
    for prob in problems:
        print("FAIL %s" % prob)
    env, flags = driver_flags(ROOT, args.build)
    bad = setup_problems(flags, ROOT)
    if bad:
        print("\n".join(bad))
        return 1
    results = run_cases(cases, flags, env)
    if args.markdown:
        print(markdown(results))
    for r in results:
        print("%-4s %s  %.2fs" % ("ok" if r.ok else "FAIL", r.check_name,
                                  r.seconds))
        if not r.ok or args.verbose:
            print("\n".join(detail_lines(r)))
    npass = sum(r.ok for r in results)
    nbad = len(results) - npass + len(problems)
    print("%d passed, %d failed" % (npass, nbad))
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main())
