"""rust_lint.py - the Rust tiers of make check (run by tests/check.py).

  rust-lint  four checks, one count each:
               rustfmt --check (rustfmt.toml) over keel's own .rs files;
               clippy on every keel crate (`make clippy`: clippy-driver
               with rust/rust.mk's own flags, -Dwarnings);
               tools/check-unsafe.py (SAFETY comments in rust/kernel, no
               unsafe and #![forbid(unsafe_code)] everywhere else);
               rustdoc of the kernel, macros and lib/ crates (`make
               rustdoc`: broken intra-doc links are errors); and, when
               Debian's rust-analyzer (rust-web-analyzer) is installed,
               `rust-analyzer diagnostics` over the rust-project.json
               `make rust-analyzer` writes: no error in any crate (an
               editor would show the same; skipped when not installed).
  rust-host  every .rs file with a `#[cfg(test)] mod host_tests` is
             pure-logic, dependency-free code that also builds on its
             own for the host: `rustc --edition 2021 --test` it, run it,
             and count each #[test] as a check. A file that does not
             build, a crash, or a run without tests is a failed check.
             Files in MAKE_BUILT_TESTS link keel crates built for the
             host instead (tools/sched-replay): a make target builds
             their test binary.

The tools are Debian's, called by absolute path (/usr/bin), never the
rustup toolchain that may come first in PATH.
"""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUSTC = "/usr/bin/rustc"
RUSTFMT = "/usr/bin/rustfmt"
RUST_ANALYZER = "/usr/bin/rust-analyzer"
# "at crate kernel, file /x.rs: Error RustcHardError("E0432") from ..."
RA_ERROR_RE = re.compile(r"at crate .*?: Error .*$", re.M)
DETAIL_LINES = 40

# keel's own Rust sources (rust/bindings and rust/uapi are generated
# except for lib.rs)
RUST_DIRS = ("rust/kernel", "rust/macros", "samples", "drivers", "kernel",
             "tools", "tests/compile-fail")
RUST_FILES = ("rust/bindings/lib.rs", "rust/uapi/lib.rs",
              "rust/compiler_builtins.rs")
HOST_TEST_DIRS = ("rust", "samples", "drivers", "kernel", "tools")
# Host tests that link keel crates built for the host (the kernel crate
# with --cfg keel_host and the policies): built by a make target.
MAKE_BUILT_TESTS = {
    "tools/sched-replay/main.rs": ("sched-replay-test", "host/sched-replay-test"),
}
HOST_TEST_RE = re.compile(r"#\[cfg\(test\)\]\s*mod\s+host_tests\b")
LIBTEST_RE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)\b")


def _walk_rs(rel_dir):
    out = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, rel_dir)):
        out += [os.path.join(dirpath, f) for f in files if f.endswith(".rs")]
    return out


def rust_sources():
    """Every .rs file keel owns, sorted (relative to ROOT)."""
    files = [os.path.join(ROOT, f) for f in RUST_FILES
             if os.path.exists(os.path.join(ROOT, f))]
    for d in RUST_DIRS:
        files += _walk_rs(d)
    return sorted(os.path.relpath(f, ROOT) for f in set(files))


def _tail(text, n=DETAIL_LINES):
    lines = text.rstrip().splitlines()
    out = ["  | " + l for l in lines[:n]]
    if len(lines) > n:
        out.append("  | ... (%d more lines)" % (len(lines) - n))
    return out


def _make(args, target):
    """Runs `make target` for the kernel's build directory."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    build = os.path.dirname(os.path.abspath(args.kernel))
    return subprocess.run(["make", "--no-print-directory", "-C", ROOT,
                           "BUILD=" + build, target], env=env,
                          capture_output=True, text=True)


def rustfmt_hunks(out):
    """rustfmt --check output split into its "Diff in FILE:LINE:" hunks,
    each once (a module reached from its crate root and also named on
    the command line is reported twice)."""
    hunks, seen = [], set()
    for line in out.splitlines():
        if line.startswith("Diff in "):
            hunks.append([line])
        elif hunks:
            hunks[-1].append(line)
    out = []
    for h in hunks:
        if tuple(h) not in seen:
            seen.add(tuple(h))
            out.append(h)
    return out


def check_rustfmt(make_check):
    name = "rust-lint rustfmt --check"
    files = rust_sources()
    if not os.path.exists(os.path.join(ROOT, "rustfmt.toml")):
        return make_check(name, "fail", ["  rustfmt.toml is missing"])
    p = subprocess.run([RUSTFMT, "--check", "--edition", "2021",
                        "--color", "never",
                        "--config-path", os.path.join(ROOT, "rustfmt.toml")]
                       + files, cwd=ROOT, capture_output=True, text=True)
    if p.returncode == 0:
        return make_check(name, "pass")
    hunks = rustfmt_hunks(p.stdout)
    dirty = sorted({h[0].split()[2].rstrip(":").rsplit(":", 1)[0]
                    for h in hunks})
    detail = ["  rustfmt would change: " + ", ".join(
        os.path.relpath(d, ROOT) for d in dirty)] if dirty else []
    detail += _tail("\n".join(l for h in hunks for l in h) + p.stderr)
    detail.append("  (fix: %s --edition 2021 FILE...)" % RUSTFMT)
    return make_check(name, "fail", detail)


def check_make_target(make_check, args, target, name, hint):
    p = _make(args, target)
    if p.returncode == 0:
        return make_check(name, "pass")
    lines = [l for l in (p.stdout + p.stderr).splitlines()
             if not re.match(r"\s*= (help|note): ", l)]
    return make_check(name, "fail", _tail("\n".join(lines)) +
                      ["  (rerun: make %s; %s)" % (target, hint)])


def rust_analyzer_errors(output):
    """The error lines of `rust-analyzer diagnostics` output (its progress
    lines end in carriage returns, not newlines)."""
    return [m.group(0) for m in RA_ERROR_RE.finditer(
        output.replace("\r", "\n"))]


def check_rust_analyzer(make_check, args):
    name = "rust-lint rust-analyzer diagnostics (every crate resolves)"
    if not os.path.exists(RUST_ANALYZER):
        return make_check(name, "skip", ["%s is not installed (Debian "
                                         "package rust-web-analyzer; make "
                                         "deps)" % RUST_ANALYZER])
    p = _make(args, "rust-analyzer")
    if p.returncode != 0:
        return make_check(name, "fail", _tail(p.stdout + p.stderr) +
                          ["  (rerun: make rust-analyzer)"])
    p = subprocess.run([RUST_ANALYZER, "diagnostics", ROOT], cwd=ROOT,
                       capture_output=True, text=True)
    errors = rust_analyzer_errors(p.stdout + p.stderr)
    if not errors and p.returncode == 0:
        return make_check(name, "pass")
    return make_check(name, "fail", _tail("\n".join(errors) or p.stderr) +
                      ["  (rerun: make rust-analyzer && %s diagnostics .)"
                       % RUST_ANALYZER])


def check_unsafe(make_check):
    name = "rust-lint unsafe audit (tools/check-unsafe.py)"
    p = subprocess.run(["python3", os.path.join(ROOT, "tools",
                                                "check-unsafe.py"),
                        "--root", ROOT], capture_output=True, text=True)
    if p.returncode == 0:
        return make_check(name, "pass")
    return make_check(name, "fail", _tail(p.stdout + p.stderr))


def run_lint(args, make_check):
    """The rust-lint tier: [Check], note."""
    checks = [
        check_rustfmt(make_check),
        check_make_target(make_check, args, "clippy",
                          "rust-lint clippy (make clippy, -Dwarnings)",
                          "fix the code; a targeted #[allow(clippy::x)] "
                          "needs a comment saying why"),
        check_unsafe(make_check),
        check_make_target(make_check, args, "rustdoc",
                          "rust-lint rustdoc (kernel, macros, lib crates)",
                          "docs in build/doc"),
        check_rust_analyzer(make_check, args),
    ]
    nfail = sum(c.status == "fail" for c in checks)
    return checks, "rust-lint: rustfmt, clippy, unsafe audit, rustdoc, " \
        "rust-analyzer over %d files, %d failed" % (len(rust_sources()),
                                                    nfail)


# ---------------------------------------------------------------- host

def host_test_files():
    """Files to build with rustc --test: those with a
    `#[cfg(test)] mod host_tests`, and the root of every plain library
    crate (lib/<name>/lib.rs, which rust/rust.mk also builds for the
    kernel)."""
    out = []
    for d in HOST_TEST_DIRS:
        for f in _walk_rs(d):
            with open(f, encoding="utf-8") as fh:
                if HOST_TEST_RE.search(fh.read()):
                    out.append(os.path.relpath(f, ROOT))
    libs = os.path.join(ROOT, "lib")
    for name in sorted(os.listdir(libs)) if os.path.isdir(libs) else []:
        root = os.path.join(libs, name, "lib.rs")
        if os.path.isfile(root):
            out.append(os.path.relpath(root, ROOT))
    return sorted(out)


def host_crate_name(rel):
    """lib/qr/lib.rs -> qr; rust/kernel/fmt_buf.rs -> rust_kernel_fmt_buf."""
    if os.path.basename(rel) == "lib.rs":
        return os.path.basename(os.path.dirname(rel))
    return re.sub(r"\W", "_", os.path.splitext(rel)[0])


def parse_libtest(out):
    """libtest's output -> ({test: status}, {test: failure lines}).

    status is "pass", "fail" or "skip" (ignored tests)."""
    results = {}
    for line in out.splitlines():
        m = LIBTEST_RE.match(line)
        if m:
            results[m.group(1)] = {"ok": "pass", "FAILED": "fail",
                                   "ignored": "skip"}[m.group(2)]
    details = {}
    current = None
    for line in out.splitlines():
        m = re.match(r"^---- (\S+) stdout ----$", line)
        if m:
            current = m.group(1)
            details[current] = []
        elif current and (line.startswith("failures:") or
                          line.startswith("---- ")):
            current = None
        elif current:
            details[current].append(line)
    return results, details


def run_host_file(rel, outdir, make_check, args=None):
    """Builds and runs one file's host tests: [Check]."""
    crate = host_crate_name(rel)
    exe = os.path.join(outdir, crate)
    if rel in MAKE_BUILT_TESTS:
        target, out = MAKE_BUILT_TESTS[rel]
        build = _make(args, target)
        exe = os.path.join(os.path.dirname(os.path.abspath(args.kernel)),
                           out)
    else:
        # -O: the QR tests draw and decode hundreds of symbols
        build = subprocess.run([RUSTC, "--edition", "2021", "--test", "-O",
                                "-Dwarnings", "--crate-name", crate, "-o",
                                exe, os.path.join(ROOT, rel)],
                               capture_output=True, text=True)
    if build.returncode:
        return [make_check("rust-host %s (build)" % rel, "fail",
                           _tail(build.stderr))]
    env = dict(os.environ, RUST_BACKTRACE="0")
    # cwd: tests may write scratch files (images for zbarimg)
    run = subprocess.run([exe, "--test-threads", "2"], capture_output=True,
                         text=True, timeout=300, env=env, cwd=outdir)
    results, details = parse_libtest(run.stdout)
    checks = []
    for test, status in sorted(results.items()):
        detail = ["  | " + l for l in details.get(test, [])] \
            if status == "fail" else ["ignored"]
        checks.append(make_check("rust-host %s %s" % (rel, test), status,
                                 detail if status != "pass" else None))
    summary = re.search(r"^test result: (ok|FAILED)\.", run.stdout, re.M)
    if not results or not summary or \
            (run.returncode != 0 and all(s != "fail"
                                         for s in results.values())):
        checks.append(make_check("rust-host %s (run)" % rel, "fail",
                                 ["  exit status %d, %d tests listed" %
                                  (run.returncode, len(results))] +
                                 _tail(run.stdout + run.stderr)))
    return checks


def run_host(args, make_check):
    """The rust-host tier: [Check], note."""
    files = host_test_files()
    if not files:
        return [make_check("rust-host", "fail", [
            "  no file has a #[cfg(test)] mod host_tests"])], None
    outdir = os.path.join(os.path.dirname(os.path.abspath(args.kernel)),
                          "rust-host")
    os.makedirs(outdir, exist_ok=True)
    checks = []
    for rel in files:
        checks += run_host_file(rel, outdir, make_check, args)
    nfail = sum(c.status == "fail" for c in checks)
    return checks, "rust-host: %d host tests in %d files, %d failed" % (
        len(checks), len(files), nfail)
