#!/usr/bin/env python3
"""ktest.py - run keel's in-kernel tests and read their results.

A front end like Linux's kunit.py, over the parser make check uses
(tests/ktap.py) and its QEMU runner (tests/check.py):

  tools/ktest.py run [--filter GLOB] [--smp N] [--qemu-arg ARGS]...
        boot build/keel.elf with ktest=1, save the serial log, print the
        results tree and a summary
  tools/ktest.py parse [LOG]
        the same for a saved serial log (or standard input)

With --json either prints one JSON document instead (the KernelCI-style
groups kunit.py --json writes, plus keel's summary and run problems).
The exit status is 0 when every case passed or was skipped and the run
itself went right, 1 otherwise, 2 on bad usage.
"""

import argparse
import json
import os
import shlex
import signal
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import ktap  # noqa: E402

STATUS_WORDS = {"pass": "PASSED", "fail": "FAILED", "skip": "SKIPPED",
                "crash": "CRASHED"}
JSON_STATUS = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP",
               "crash": "ERROR"}


def status_of(test):
    """pass, fail, skip or crash (no result line: the run was cut short)."""
    if test.last_line is None:
        return "crash"
    if test.skip_reason is not None:
        return "skip"
    return "pass" if test.ok else "fail"


def missing_cases(test):
    """How many results test's plan promised but the log never printed."""
    return max(0, (test.plan or 0) - len(test.children))


def tree_lines(verdict, test, depth=0):
    """The results tree below test, one line a test; failures with context."""
    out = []
    for child in test.children:
        status = status_of(child)
        line = "%s[%s] %s" % ("    " * depth, STATUS_WORDS[status],
                              child.name)
        if status == "skip" and not child.children:
            line += " (%s)" % child.skip_reason
        out.append(line)
        if child.children or child.plan is not None:
            out += tree_lines(verdict, child, depth + 1)
        elif status == "fail":
            out += ["%s  | %s" % ("    " * depth, l)
                    for l in ktap.case_context(verdict, child, before=0)[:-1]
                    if not ktap.SUBTEST_RE.match(l) and
                    not ktap.PLAN_RE.match(l)]
    for _ in range(missing_cases(test)):
        out.append("%s[CRASHED] (a planned test that never reported)"
                   % ("    " * depth))
    return out


def summary_line(counts):
    """'Ran N tests: passed: P, ...' as kunit.py words it."""
    total = sum(counts[k] for k in ("passed", "failed", "crashed",
                                    "skipped"))
    return "Ran %d tests: %s" % (total, ", ".join(
        "%s: %d" % (k, n) for k, n in counts.items() if n))


def group_json(verdict, test):
    """One KernelCI-style group: sub_groups for suites, test_cases."""
    group = {"name": test.name or "keel", "sub_groups": [], "test_cases": []}
    for child in test.children:
        if child.children or child.plan is not None:
            group["sub_groups"].append(group_json(verdict, child))
            continue
        case = {"name": child.name, "status": JSON_STATUS[status_of(child)]}
        if case["status"] == "FAIL":
            case["log"] = "\n".join(ktap.case_context(verdict, child,
                                                      before=0))
        elif case["status"] == "SKIP":
            case["misc"] = {"reason": child.skip_reason}
        group["test_cases"].append(case)
    return group


def report(text, exit_status, timed_out, as_json, out=sys.stdout):
    """Judge a log, print it (tree or JSON); returns the exit status."""
    verdict = ktap.judge_ktest(text, exit_status, timed_out)
    root, _ = ktap.parse_ktap(verdict.lines)
    counts, compat = ktap.kunit_check(text)
    ok = verdict.ok
    if as_json:
        doc = group_json(verdict, root)
        doc["name"] = "keel ktest"
        doc["summary"] = dict(counts, ok=ok)
        doc["totals_line"] = root.totals
        doc["problems"] = verdict.problems
        doc["kunit_parser_differences"] = compat
        json.dump(doc, out, indent=1)
        out.write("\n")
        return 0 if ok else 1
    for line in tree_lines(verdict, root):
        print(line, file=out)
    print("=" * 60, file=out)
    for p in verdict.problems:
        print("run problem: " + p, file=out)
    for p in compat:
        print("kunit_parser would differ: " + p, file=out)
    print("Testing complete. " + summary_line(counts), file=out)
    return 0 if ok else 1


def cmd_parse(args):
    if args.log == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(args.log, errors="replace") as f:
                text = f.read()
        except OSError as e:
            print("ktest.py: %s: %s" % (args.log, e.strerror),
                  file=sys.stderr)
            return 2
    return report(text, ktap.SAVED_LOG, False, args.json)


def cmd_run(args):
    import check
    kernel = os.path.abspath(args.kernel)
    if not os.path.exists(kernel):
        print("ktest.py: %s does not exist (run make)" % kernel,
              file=sys.stderr)
        return 2
    extra = [a for s in args.qemu_arg for a in shlex.split(s)]
    run = check.boot_ktest(kernel, args.filter, args.smp, extra,
                           args.timeout)
    run.save(args.log)
    if not args.json:
        print("serial log: %s" % os.path.relpath(args.log))
    status = None if run.timed_out else run.status
    return report(run.text, status, run.timed_out, args.json)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="tools/ktest.py",
        description="run keel's in-kernel tests (ktest) and read KTAP logs")
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="boot the kernel with ktest=1")
    run.add_argument("--kernel", default=os.path.join(ROOT, "build",
                                                      "keel.elf"))
    run.add_argument("--filter", metavar="GLOB",
                     help="suites (GLOB) or cases (SUITE.CASE) to run")
    run.add_argument("--smp", type=int, default=1, help="CPUs (default 1)")
    run.add_argument("--qemu-arg", action="append", default=[],
                     metavar="ARGS", help="extra QEMU arguments "
                     "(repeatable)")
    run.add_argument("--timeout", type=float, default=300,
                     help="seconds before the run counts as hung")
    run.add_argument("--log", default=os.path.join(ROOT, "build",
                                                   "ktest.log"),
                     help="where to save the serial log "
                     "(default build/ktest.log)")
    run.add_argument("--json", action="store_true",
                     help="print JSON instead of the results tree")
    parse = sub.add_parser("parse", help="read a saved serial log")
    parse.add_argument("log", nargs="?", default="-",
                       help="the log file (default: standard input)")
    parse.add_argument("--json", action="store_true",
                       help="print JSON instead of the results tree")
    args = p.parse_args(argv)
    if args.cmd == "run" and args.smp < 1:
        p.error("--smp must be at least 1")
    return args


def main(argv=None):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `| head` ends quietly
    args = parse_args(argv)
    return cmd_run(args) if args.cmd == "run" else cmd_parse(args)


if __name__ == "__main__":
    sys.exit(main())
