"""test_rust_lint.py - the parsing in tests/rust_lint.py: libtest's
report and rustfmt's diff output, on canned text."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rust_lint  # noqa: E402

LIBTEST = """
running 3 tests
test host_tests::a ... ok
test host_tests::b ... FAILED
test host_tests::c ... ignored, not on the host

failures:

---- host_tests::b stdout ----

thread 'host_tests::b' panicked at rust/kernel/fmt_buf.rs:9:5:
assertion failed: false

failures:
    host_tests::b

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured
"""


class LibTest(unittest.TestCase):
    def test_statuses(self):
        results, _ = rust_lint.parse_libtest(LIBTEST)
        self.assertEqual(results, {"host_tests::a": "pass",
                                   "host_tests::b": "fail",
                                   "host_tests::c": "skip"})

    def test_failure_detail(self):
        _, details = rust_lint.parse_libtest(LIBTEST)
        self.assertIn("assertion failed: false",
                      "\n".join(details["host_tests::b"]))
        self.assertNotIn("host_tests::a", details)

    def test_nothing_listed(self):
        self.assertEqual(rust_lint.parse_libtest("error: no tests\n"),
                         ({}, {}))


class Rustfmt(unittest.TestCase):
    def test_hunks_deduplicated(self):
        hunk = "Diff in /k/time.rs:8:\n-a  \n+a\n"
        other = "Diff in /k/io.rs:3:\n-b\n+ b\n"
        hunks = rust_lint.rustfmt_hunks(hunk + other + hunk)
        self.assertEqual([h[0] for h in hunks],
                         ["Diff in /k/time.rs:8:", "Diff in /k/io.rs:3:"])


class Sources(unittest.TestCase):
    def test_keel_sources_listed(self):
        files = rust_lint.rust_sources()
        for f in ("rust/kernel/lib.rs", "rust/macros/lib.rs",
                  "rust/bindings/lib.rs", "rust/compiler_builtins.rs"):
            self.assertIn(f, files)
        self.assertFalse([f for f in files if f.startswith("build/")])

    def test_host_test_files_found(self):
        self.assertIn("rust/kernel/fmt_buf.rs", rust_lint.host_test_files())


class RustAnalyzer(unittest.TestCase):
    def test_errors_found_between_progress_lines(self):
        # rust-analyzer 1.96's output: progress ends in "\r", each
        # diagnostic follows it on the same physical line
        out = ("51/79 64% processing /k/module.rs   at crate panic_screen, "
               "file /k/panic_screen.rs: Error RustcHardError(\"E0432\") "
               "from LineCol { line: 32, col: 9 } to LineCol { line: 32, "
               "col: 12 }: unresolved import\r52/79 65% processing x   at "
               "crate kernel, file /k/fmt_buf.rs: WeakWarning "
               "Ra(\"inactive-code\", WeakWarning) from a to b: code is "
               "inactive\n\ndiagnostic scan complete\n")
        errors = rust_lint.rust_analyzer_errors(out)
        self.assertEqual(len(errors), 1)
        self.assertIn("panic_screen.rs: Error", errors[0])
        self.assertTrue(errors[0].endswith("unresolved import"))
        self.assertEqual(rust_lint.rust_analyzer_errors(
            "diagnostic scan complete\n"), [])


if __name__ == "__main__":
    unittest.main()
