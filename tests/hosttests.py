"""hosttests.py - run the host tests of keel's plain Rust library crates.

Every lib/<name>/lib.rs (rust/rust.mk builds them for the kernel too) is
compiled for the host with `/usr/bin/rustc --edition 2021 --test` and
run; each Rust test is one check ("host qr::tests::capacities"). A crate
that does not compile, a test binary that crashes, or a crate without
tests fails. The QR tests need zbarimg and the deflate tests python3.
"""

import glob
import os
import re
import subprocess
import time

from check import ROOT, Check

RUSTC = "/usr/bin/rustc"
RESULT_RE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)", re.M)


def run_crate(path, outdir):
    name = os.path.basename(os.path.dirname(path))
    exe = os.path.join(outdir, name + "-test")
    p = subprocess.run([RUSTC, "--edition", "2021", "--test", "-O",
                        "--crate-name", name, "-o", exe, path],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        return [Check("host %s: compile" % name, "fail",
                      ["  " + l for l in p.stderr.splitlines()[-30:]])]
    p = subprocess.run([exe, "--test-threads", "2"], capture_output=True,
                       text=True, cwd=outdir)
    checks = []
    for test, verdict in RESULT_RE.findall(p.stdout):
        if verdict == "ok":
            checks.append(Check("host %s::%s" % (name, test), "pass"))
        elif verdict == "ignored":
            checks.append(Check("host %s::%s" % (name, test), "skip",
                                ["ignored"]))
        else:
            block = re.search(r"---- %s stdout ----\n(.*?)(?:\n\n|\Z)"
                              % re.escape(test), p.stdout, re.S)
            detail = block.group(1).splitlines()[:20] if block else []
            checks.append(Check("host %s::%s" % (name, test), "fail",
                                ["  " + l for l in detail]))
    if not checks or (p.returncode and all(c.status != "fail"
                                           for c in checks)):
        checks.append(Check("host %s: run" % name, "fail",
                            ["  exit status %d, %d tests" % (
                                p.returncode, len(checks))] +
                            ["  " + l for l in (p.stdout + p.stderr)
                             .splitlines()[-20:]]))
    return checks


def run_host(args):
    outdir = os.path.join(os.path.dirname(args.kernel), "hosttest")
    os.makedirs(outdir, exist_ok=True)
    start = time.monotonic()
    checks = []
    crates = sorted(glob.glob(os.path.join(ROOT, "lib", "*", "lib.rs")))
    for path in crates:
        checks += run_crate(path, outdir)
    failed = sum(c.status == "fail" for c in checks)
    return checks, "host: %d Rust tests in %d crates, %d failed in %.1fs" % (
        len(checks), len(crates), failed, time.monotonic() - start)
