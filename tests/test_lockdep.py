"""Self-tests of tests/lockdep.py: which validator reports fail the tier."""

import textwrap
import unittest

import lockdep

LOG = textwrap.dedent("""\
    [    0.1] KTAP version 1
    [    0.1] 1..2
    [    0.1]     KTAP version 1
    [    0.1]     # Subtest: lockdep
    [    0.1]     1..1
    [    0.2] ======================================================
    [    0.2] WARNING: possible circular locking dependency detected
    [    0.2]     ok 1 spinlock_abba_is_reported
    [    0.2] ok 1 lockdep
    [    0.3]     KTAP version 1
    [    0.3]     # Subtest: buddy
    [    0.3]     1..1
    [    0.4] ======================================================
    [    0.4] WARNING: inconsistent lock state
    [    0.4] lock #3 ffffffff80000000 (first taken at f+0x1/0x2)
    [    0.4]     ok 1 buddy_alloc
    [    0.5] ok 2 buddy
    """)


class Attribution(unittest.TestCase):
    def test_reports_of_the_lockdep_suite_are_expected(self):
        found = lockdep.unexpected_reports(LOG)
        self.assertEqual([s for s, _ in found], ["buddy"])

    def test_a_report_carries_its_text(self):
        (_, body), = lockdep.unexpected_reports(LOG)
        self.assertIn("WARNING: inconsistent lock state", body)
        self.assertIn("lock #3 ffffffff80000000 (first taken at f+0x1/0x2)",
                      body)

    def test_a_report_before_any_suite_counts(self):
        found = lockdep.unexpected_reports(
            "[ 0.0] WARNING: held lock freed\n" + LOG)
        self.assertEqual([s for s, _ in found], ["(boot)", "buddy"])

    def test_a_clean_log_passes(self):
        self.assertEqual(lockdep.unexpected_reports(
            "KTAP version 1\n1..0\n"), [])


if __name__ == "__main__":
    unittest.main()
