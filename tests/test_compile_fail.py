"""test_compile_fail.py - self-tests of the compile-fail runner's verdicts.

The runner (tests/compile_fail.py) must never let a case pass because it
merely failed: these tests feed its judging code canned rustc results
(and, end to end, a fake compiler) and state the verdict a reviewer would
give. No rustc is run here; the compile-fail tier itself does that.
"""

import json
import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compile_fail as cf  # noqa: E402


def diag_line(level, code, message):
    """One line of rustc --error-format=json output."""
    return json.dumps({"$message_type": "diagnostic", "level": level,
                       "code": {"code": code, "explanation": None}
                       if code else None,
                       "message": message, "spans": [], "children": [],
                       "rendered": "%s: %s\n" % (level, message)})


ABORT = diag_line("error", None, "aborting due to 1 previous error")
MORE = diag_line("failure-note", None,
                 "For more information about this error, try "
                 "`rustc --explain E0382`.")


def diags(*lines):
    return cf.parse_diagnostics("\n".join(lines) + "\n")


class ParseTest(unittest.TestCase):
    def test_expect_forms(self):
        self.assertEqual(cf.parse_expect("// expect: E0382"), "E0382")
        self.assertEqual(cf.parse_expect("//expect:E0080  "), "E0080")
        self.assertEqual(cf.parse_expect("// expect: lint unsafe_code"),
                         "unsafe_code")
        self.assertEqual(cf.parse_expect("// expect: lint clippy::foo_bar"),
                         "clippy::foo_bar")

    def test_bad_expect_is_none(self):
        for line in ("// expect: error", "// expect: E382", "//! E0382",
                     "// expect: unsafe_code", ""):
            self.assertIsNone(cf.parse_expect(line), line)

    def test_header(self):
        expect, meta = cf.parse_case_text(
            "// expect: E0382\n// class: use after move\n"
            "// rule: moves\n//! doc\n// class: ignored\n")
        self.assertEqual(expect, "E0382")
        self.assertEqual(meta, {"class": "use after move", "rule": "moves"})

    def test_diagnostics(self):
        d = diags(diag_line("error", "E0382", "use of moved value: `b`"),
                  diag_line("error", "unsafe_code", "usage of an `unsafe` "
                            "block"), ABORT, MORE,
                  "thread 'rustc' panicked at compiler/foo.rs")
        self.assertEqual([(x.level, x.code) for x in d],
                         [("error", "E0382"), ("error", "unsafe_code"),
                          ("error", None), ("failure-note", None),
                          ("raw", None)])
        self.assertTrue(cf.is_summary(d[2]) and cf.is_summary(d[3]))
        self.assertFalse(cf.is_summary(d[0]))


class EnvTest(unittest.TestCase):
    def test_jobserver_variables_are_dropped(self):
        saved = dict(os.environ)
        try:
            os.environ["MAKEFLAGS"] = " -j2 --jobserver-auth=3,4"
            os.environ["MFLAGS"] = "-j2"
            env = cf.clean_env({"RUSTC_BOOTSTRAP": "1"})
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.assertNotIn("MAKEFLAGS", env)
        self.assertNotIn("MFLAGS", env)
        self.assertEqual(env["RUSTC_BOOTSTRAP"], "1")


class JudgeCaseTest(unittest.TestCase):
    def test_expected_code_passes(self):
        d = diags(diag_line("error", "E0382", "use of moved value: `b`"),
                  diag_line("error", "E0382", "use of moved value: `c`"),
                  ABORT, MORE)
        self.assertEqual(cf.judge_case("E0382", 1, d), [])

    def test_expected_lint_passes(self):
        d = diags(diag_line("error", "unsafe_code",
                            "usage of an `unsafe` block"), ABORT)
        self.assertEqual(cf.judge_case("unsafe_code", 1, d), [])

    def test_case_that_compiles_fails(self):
        p = cf.judge_case("E0382", 0, [])
        self.assertTrue(p)
        self.assertIn("compiled", p[0])

    def test_wrong_code_fails(self):
        d = diags(diag_line("error", "E0499", "cannot borrow twice"), ABORT)
        p = cf.judge_case("E0382", 1, d)
        self.assertTrue(p)
        self.assertTrue(any("E0499" in x for x in p))

    def test_extra_code_fails(self):
        d = diags(diag_line("error", "E0382", "use of moved value"),
                  diag_line("error", "missing_docs", "missing documentation"),
                  ABORT)
        p = cf.judge_case("E0382", 1, d)
        self.assertTrue(any("missing_docs" in x for x in p))

    def test_lint_case_with_ecode_fails(self):
        d = diags(diag_line("error", "E0133", "use of mutable static is "
                            "unsafe"), ABORT)
        self.assertTrue(cf.judge_case("unsafe_code", 1, d))

    def test_error_without_code_fails(self):
        d = diags(diag_line("error", None, "cannot find crate `kernel`"),
                  ABORT)
        self.assertTrue(cf.judge_case("E0382", 1, d))

    def test_failure_without_error_fails(self):
        self.assertTrue(cf.judge_case("E0382", 1, diags(ABORT)))

    def test_compiler_crash_fails(self):
        d = diags(diag_line("error", "E0382", "use of moved value"),
                  "error: internal compiler error: unexpected panic")
        self.assertTrue(cf.judge_case("E0382", 101, d))

    def test_warning_in_case_fails(self):
        d = diags(diag_line("error", "E0382", "use of moved value"),
                  diag_line("warning", "dead_code", "unused function"), ABORT)
        self.assertTrue(cf.judge_case("E0382", 1, d))


class JudgeTwinTest(unittest.TestCase):
    def test_clean_twin_passes(self):
        self.assertEqual(cf.judge_twin(0, []), [])

    def test_twin_that_fails_fails(self):
        d = diags(diag_line("error", "E0382", "use of moved value"), ABORT)
        self.assertTrue(cf.judge_twin(1, d))

    def test_twin_with_warning_fails(self):
        d = diags(diag_line("warning", "unused_variables", "unused `x`"))
        self.assertTrue(cf.judge_twin(0, d))


FAKE_RUSTC = r'''
import json, re, sys
src = open(sys.argv[-1]).read()
rc = int(re.search(r"// fake-rc: (\d+)", src).group(1))
for level, code, msg in re.findall(r"// fake-diag: (\S+) (\S+) (.*)", src):
    print(json.dumps({"level": level, "message": msg,
                      "code": None if code == "-" else {"code": code}}),
          file=sys.stderr)
sys.exit(rc)
'''


class EndToEndTest(unittest.TestCase):
    """discover() and run_cases() over a directory, with a fake rustc
    that reports whatever each snippet's `// fake-*` comments say."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        fake = os.path.join(self.dir, "fake_rustc.py")
        with open(fake, "w") as f:
            f.write(FAKE_RUSTC)
        self.argv = [sys.executable, fake]

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(textwrap.dedent(text).lstrip())

    def verdicts(self):
        cases, problems = cf.discover(self.dir)
        results = cf.run_cases(cases, self.argv, {}, root=self.dir)
        return {r.check_name: r.ok for r in results}, problems

    def test_verdicts(self):
        self.write("good.rs", """
            // expect: E0382
            // fake-rc: 1
            // fake-diag: error E0382 use of moved value
            """)
        self.write("good.twin.rs", "// fake-rc: 0\n")
        self.write("compiles.rs", "// expect: E0382\n// fake-rc: 0\n")
        self.write("compiles.twin.rs", "// fake-rc: 0\n")
        self.write("wrong.rs", """
            // expect: E0382
            // fake-rc: 1
            // fake-diag: error E0505 cannot move out
            """)
        self.write("wrong.twin.rs", "// fake-rc: 0\n")
        self.write("badtwin.rs", """
            // expect: lint unsafe_code
            // fake-rc: 1
            // fake-diag: error unsafe_code usage of an unsafe block
            """)
        self.write("badtwin.twin.rs", """
            // fake-rc: 1
            // fake-diag: error E0433 failed to resolve
            """)
        got, problems = self.verdicts()
        self.assertEqual(problems, [])
        self.assertEqual(got, {
            "compile-fail badtwin (lint unsafe_code)": True,
            "compile-fail badtwin twin": False,
            "compile-fail compiles (E0382)": False,
            "compile-fail compiles twin": True,
            "compile-fail good (E0382)": True,
            "compile-fail good twin": True,
            "compile-fail wrong (E0382)": False,
            "compile-fail wrong twin": True,
        })

    def test_no_cases_is_a_problem(self):
        self.assertEqual(len(cf.discover(self.dir)[1]), 1)
        self.assertEqual(len(cf.discover(self.dir + "/missing")[1]), 1)

    def test_incomplete_cases_are_problems(self):
        self.write("lonely.rs", "// expect: E0382\n")
        self.write("orphan.twin.rs", "// fake-rc: 0\n")
        self.write("noexpect.rs", "//! no expect line\n")
        self.write("noexpect.twin.rs", "// fake-rc: 0\n")
        self.write("twinexpect.rs", "// expect: E0382\n")
        self.write("twinexpect.twin.rs", "// expect: E0382\n")
        cases, problems = cf.discover(self.dir)
        self.assertEqual([c.name for c in cases], ["twinexpect"])
        text = "\n".join(problems)
        for name in ("lonely.rs", "orphan.twin.rs", "noexpect.rs",
                     "twinexpect.twin.rs"):
            self.assertIn(name, text)


if __name__ == "__main__":
    unittest.main()
