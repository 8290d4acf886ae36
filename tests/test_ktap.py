"""test_ktap.py - keel's KTAP read by Linux's kunit_parser rules.

The fixtures in tests/fixtures/ktap/ are serial logs keel printed
(tests/fixtures/ktap/README.md says how each was made): a passing run, a
run of the deliberately failing ktest_selftest suite and a run whose QEMU
was killed in the middle. ktap.kunit_check() must find the counts Linux's
tools/testing/kunit/kunit_parser.py gives for them (worked out from its
rules, written beside each test) and no place where the two parsers read
the log differently. The mutation tests change one line of a real log the
way a change to kernel/ktest.c could, and each must be caught.
Run: python3 -m unittest tests/test_ktap.py
"""

import io
import json
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import ktap  # noqa: E402
import ktest  # noqa: E402  (tools/ktest.py)

FIXTURES = os.path.join(HERE, "fixtures", "ktap")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return f.read()


def counts(passed=0, failed=0, crashed=0, skipped=0, errors=0):
    return {"passed": passed, "failed": failed, "crashed": crashed,
            "skipped": skipped, "errors": errors}


def replace_line(text, pattern, new):
    """text with the first line matching pattern (a regex on the line
    after its timestamp) replaced by new (None: deleted; a callable:
    called with the line's text after the timestamp)."""
    out, done = [], False
    for line in text.split("\n"):
        m = ktap.TIMESTAMP_RE.match(line)
        body = line[m.end():] if m else line
        if not done and re.search(pattern, body):
            done = True
            if new is None:
                continue
            body = new(body) if callable(new) else new
            line = (m.group(0) if m else "") + body
        out.append(line)
    assert done, pattern
    return "\n".join(out)


class KunitRulesOnRealLogs(unittest.TestCase):
    def test_passing_run(self):
        # irq, softirq and rust_irq on one CPU: 14 ok, three cases
        # "ok N name # SKIP needs two CPUs"; kunit_parser counts the
        # directive as skipped.
        c, problems = ktap.kunit_check(fixture("pass.log"))
        self.assertEqual(problems, [])
        self.assertEqual(c, counts(passed=14, skipped=3))
        v = ktap.judge_ktest(fixture("pass.log"), ktap.SAVED_LOG)
        self.assertTrue(v.ok, v.problems)

    def test_failing_run(self):
        # ktest_selftest: 3 ok, 7 not ok, 1 SKIP; plus the leak check.
        c, problems = ktap.kunit_check(fixture("fail.log"))
        self.assertEqual(problems, [])
        self.assertEqual(c, counts(passed=4, failed=7, skipped=1))
        v = ktap.judge_ktest(fixture("fail.log"), ktap.SAVED_LOG)
        self.assertFalse(v.ok)
        self.assertEqual(v.problems, [])
        self.assertEqual(len(v.failed), 7)

    def test_crashed_run(self):
        # Killed after rust_irq's plan "1..3": kunit_parser counts its 3
        # missing cases as crashed with an error each, one more error for
        # its missing result line, and the never-started ktest_leak_check
        # suite (4 planned, 3 seen) as one more crashed test and error.
        c, problems = ktap.kunit_check(fixture("crash.log"))
        self.assertEqual(problems, [])
        self.assertEqual(c, counts(passed=10, skipped=3, crashed=4,
                                   errors=5))
        v = ktap.judge_ktest(fixture("crash.log"), ktap.SAVED_LOG)
        self.assertFalse(v.ok)
        self.assertTrue(any("run finished" in p for p in v.problems))
        self.assertTrue(any("rust_irq: 0 results for 3 planned" in p
                            for p in v.problems), v.problems)

    def test_totals_line_as_kselftest_prints_it(self):
        for name, want in (("pass.log", (14, 0, 3)), ("fail.log", (4, 7, 1))):
            root, _ = ktap.parse_ktap(ktap.strip_timestamps(fixture(name)))
            self.assertEqual(root.totals, {"pass": want[0], "fail": want[1],
                                           "xfail": 0, "xpass": 0,
                                           "skip": want[2], "error": 0})


class KunitRulesCatchChanges(unittest.TestCase):
    """One line of a real log changed; kunit_check must object."""

    def assertDiffers(self, text, words):
        _, problems = ktap.kunit_check(text)
        self.assertTrue(any(words in p for p in problems),
                        "%r not in %r" % (words, problems))

    def test_lowercase_skip_directive(self):
        text = replace_line(fixture("pass.log"), r"# SKIP needs",
                            lambda l: l.replace("# SKIP", "# skip"))
        self.assertDiffers(text, "upper case")

    def test_subtest_header_missing(self):
        text = replace_line(fixture("pass.log"), r"# Subtest: softirq", None)
        self.assertDiffers(text, "'# Subtest:' is not the line right after")

    def test_line_between_version_and_subtest_header(self):
        text = replace_line(fixture("pass.log"), r"# Subtest: softirq",
                            lambda l: "cpu1: hello\n[    0.070000] " + l)
        self.assertDiffers(text, "'# Subtest:' is not the line right after")

    def test_plan_after_first_result(self):
        text = replace_line(fixture("pass.log"), r"^    1\.\.5$", None)
        text = replace_line(text, r"^    ok 1 tasklet_runs",
                            lambda l: l + "\n[    0.070000]     1..5")
        self.assertDiffers(text, "plan comes after the first result")

    def test_wider_timestamp_shifts_kunit_prefix(self):
        text = replace_line(fixture("pass.log"), r"^    ok 2 bh_disable",
                            lambda l: l)
        text = re.sub(r"\[    0\.(\d+)\](     ok 2 bh_disable)",
                      r"[     0.\1]\2", text)
        self.assertDiffers(text, "kunit_parser sees")

    def test_stray_result_shaped_line(self):
        text = replace_line(fixture("pass.log"), r"^    ok 1 tasklet_runs",
                            lambda l: l + "\n[    0.070000]   ok 9 stray")
        self.assertDiffers(text, "reads '  ok 9 stray' as a KTAP result")

    def test_result_name_with_hash(self):
        text = replace_line(fixture("pass.log"), r"^    ok 1 tasklet_runs",
                            lambda l: l.replace("ok 1 tasklet",
                                                "ok 1 #tasklet"))
        self.assertTrue(ktap.kunit_check(text)[1])

    def test_early_version_string_moves_kunit_start(self):
        text = replace_line(fixture("pass.log"), r"^command line:",
                            lambda l: l + "\n[    0.000000] TAP version 13")
        self.assertDiffers(text, "kunit_parser starts at line")

    def test_end_marker_inside_the_run(self):
        text = replace_line(fixture("pass.log"), r"^    ok 1 tasklet_runs",
                            lambda l: l + "\n[    0.070000] reboot: "
                            "System halted")
        self.assertDiffers(text, "ends kunit_parser's input")

    def test_totals_disagree(self):
        text = replace_line(fixture("pass.log"), r"^# Totals:",
                            lambda l: l.replace("pass:14", "pass:15"))
        self.assertDiffers(text, "'# Totals:' says pass:15")

    def test_totals_missing(self):
        text = replace_line(fixture("pass.log"), r"^# Totals:", None)
        self.assertDiffers(text, "no '# Totals:' line")

    def test_misnumbered_result_is_a_kunit_error(self):
        text = replace_line(fixture("pass.log"), r"^    ok 2 bh_disable",
                            lambda l: l.replace("ok 2", "ok 3"))
        c, _ = ktap.kunit_check(text)
        self.assertEqual(c["errors"], 1)


class FrontEnd(unittest.TestCase):
    """tools/ktest.py parse on the same logs."""

    def parse(self, name, *flags):
        out = io.StringIO()
        args = ktest.parse_args(["parse", os.path.join(FIXTURES, name)]
                                + list(flags))
        rc = ktest.report(fixture(name), ktap.SAVED_LOG, False, args.json,
                          out)
        return rc, out.getvalue()

    def test_tree_and_summary(self):
        rc, out = self.parse("fail.log")
        self.assertEqual(rc, 1)
        self.assertIn("[FAILED] ktest_selftest\n", out)
        self.assertIn("    [SKIPPED] skip_is_reported (deliberately "
                      "skipped)\n", out)
        self.assertIn("EXPECTATION FAILED at kernel/ktest_selftest.c", out)
        self.assertTrue(out.endswith("Testing complete. Ran 12 tests: "
                                     "passed: 4, failed: 7, skipped: 1\n"))

    def test_crash_shows_missing_tests(self):
        rc, out = self.parse("crash.log")
        self.assertEqual(rc, 1)
        self.assertIn("[CRASHED] rust_irq\n", out)
        self.assertIn("crashed: 4", out)

    def test_json(self):
        rc, out = self.parse("pass.log", "--json")
        self.assertEqual(rc, 0)
        doc = json.loads(out)
        self.assertEqual(doc["summary"]["passed"], 14)
        irq = [g for g in doc["sub_groups"] if g["name"] == "irq"][0]
        statuses = {c["status"] for c in irq["test_cases"]}
        self.assertEqual(statuses, {"PASS", "SKIP"})


if __name__ == "__main__":
    unittest.main()
