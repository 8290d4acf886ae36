#!/usr/bin/env python3
"""build.py - build the kselftest initramfs (make kselftests).

    build.py BUILD_DIR LIST RUNNER

Extracts the selftests named in LIST (tests/kselftest/list.txt) from
Debian's linux-source-6.1 tarball into BUILD_DIR/kselftest/src (once),
compiles each program static with gcc and glibc as its own Makefile
would (the flags below), and writes BUILD_DIR/kselftest.cpio: RUNNER
(tools/kselftest/runner.c, built by make) as /init, each program as
/kselftest/DIR/PROG, /kselftest/list, and Debian's busybox in /bin
(with /bin/sh and /usr/bin/true, which some tests execute). Sources are taken as they are,
never patched.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tests"))
import kselftest_list  # noqa: E402

TARBALL = "/usr/src/linux-source-6.1.tar.xz"
BUSYBOX = "/bin/busybox"
BUSYBOX_LINKS = ("sh", "true", "false", "cat", "echo", "ls", "sleep")
TOP = "linux-source-6.1"
SELFTESTS = TOP + "/tools/testing/selftests"
# Headers some tests include from the kernel tree itself.
EXTRA = [TOP + "/arch/x86/include/asm/desc_defs.h"]

# Per-directory flags, from each directory's Makefile.
DIR_FLAGS = {
    "timers": ["-O3", "-lrt", "-lpthread", "-lm"],
    "x86": ["-O2", "-std=gnu99", "-pthread", "-no-pie", "-DCAN_BUILD_64",
            "-lrt", "-ldl"],
    "exec": ["-Wno-nonnull", "-D_GNU_SOURCE"],
    "proc": ["-O2", "-Wno-unused-function", "-D_GNU_SOURCE"],
    "mincore": [],
    "sigaltstack": [],
}
# Per-program extras (x86/Makefile's rules).
PROG_FLAGS = {
    "x86/check_initial_reg_state": ["-Wl,-ereal_start"],
    "x86/sysret_ss_attrs": ["@x86/thunks.S"],
}


def extract(src):
    stamp = os.path.join(src, ".extracted")
    if os.path.exists(stamp):
        return
    os.makedirs(src, exist_ok=True)
    members = [SELFTESTS + "/kselftest.h", SELFTESTS + "/kselftest_harness.h"]
    members += [SELFTESTS + "/" + d for d in DIR_FLAGS] + EXTRA
    subprocess.run(["tar", "-xf", TARBALL, "-C", src] + members, check=True)
    open(stamp, "w").close()


def build(build_dir, tests):
    src = os.path.join(build_dir, "kselftest", "src")
    bindir = os.path.join(build_dir, "kselftest", "bin")  # DIR_PROG
    os.makedirs(bindir, exist_ok=True)
    extract(src)
    root = os.path.join(src, SELFTESTS)
    for t in tests:
        d, prog = t.name.split("/", 1)
        out = os.path.join(bindir, t.name.replace("/", "_"))
        cfile = os.path.join(root, d, prog + ".c")
        if os.path.exists(out) and os.path.getmtime(out) >= \
                os.path.getmtime(cfile):
            continue
        extra = []
        for f in PROG_FLAGS.get(t.name, []):
            extra.append(os.path.join(root, f[1:]) if f.startswith("@")
                         else f)
        cmd = (["gcc", "-static", "-Wall", "-I" + root,
                "-I" + os.path.join(root, d), "-o", out, cfile] + extra +
               DIR_FLAGS[d])
        print("  KSFT    %s" % t.name, flush=True)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            sys.exit("build.py: %s failed:\n%s" % (" ".join(cmd),
                                                   r.stderr[-2000:]))
    return bindir


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    build_dir, listfile, runner = argv
    tests = kselftest_list.read(listfile)
    bindir = build(build_dir, tests)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                    "tests"))
    from check import newc_archive
    with open(BUSYBOX, "rb") as f:
        busybox = f.read()
    # Debian's busybox for the tests that run a shell or /bin/true
    entries = [("init", 0o100755, open(runner, "rb").read()),
               ("bin", 0o40755, b""),
               ("bin/busybox", 0o100755, busybox)]
    entries += [("bin/" + a, 0o120777, b"busybox") for a in BUSYBOX_LINKS]
    entries += [("usr", 0o40755, b""), ("usr/bin", 0o40755, b""),
                ("usr/bin/true", 0o120777, b"/bin/busybox")]
    entries += [("kselftest", 0o40755, b""),
               ("kselftest/list", 0o100644,
                "".join("%s %d %s\n" % (t.name, t.seconds, " ".join(t.args))
                        for t in tests).encode())]
    for d in sorted({t.name.split("/")[0] for t in tests}):
        entries.append(("kselftest/" + d, 0o40755, b""))
    for t in tests:
        with open(os.path.join(bindir, t.name.replace("/", "_")), "rb") as f:
            entries.append(("kselftest/" + t.name, 0o100755, f.read()))
    out = os.path.join(build_dir, "kselftest.cpio")
    with open(out + ".tmp", "wb") as f:
        f.write(newc_archive(entries))
    os.replace(out + ".tmp", out)
    print("  CPIO    %s (%d programs)" % (out, len(tests)))


if __name__ == "__main__":
    main(sys.argv[1:])
