"""test_check.py - self-tests of the test runner (tests/check.py, ktap.py).

Canned serial logs, shaped as kernel/ktest.c prints them, go through the
same judging code make check uses; each test states the verdict a human
would give. Run: python3 -m unittest discover -s tests -p 'test_*.py'
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402
import ktap  # noqa: E402


def log(*lines):
    """A serial log: each line behind a printk timestamp."""
    return "".join("[%5d.%06d] %s\n" % (i // 1000, i % 1000, l)
                   for i, l in enumerate(lines))


HEAD = ("keel 0.1 (abc) booting via PVH", "keel: 255 MiB RAM, 100 pages free")

PASSING = log(*HEAD,
              "KTAP version 1",
              "1..2",
              "    KTAP version 1",
              "    # Subtest: buddy",
              "    1..2",
              "    ok 1 alloc_free",
              "    ok 2 coalesce",
              "# buddy: pass:2 fail:0 skip:0 total:2",
              "ok 1 buddy",
              "    KTAP version 1",
              "    # Subtest: ktest_leak_check",
              "    1..1",
              "    ok 1 no_pages_or_objects_leaked",
              "# ktest_leak_check: pass:1 fail:0 skip:0 total:1",
              "ok 2 ktest_leak_check",
              "ktest: run finished, 0 failed")

FAILING = log(*HEAD,
              "KTAP version 1",
              "1..1",
              "    KTAP version 1",
              "    # Subtest: printk",
              "    1..3",
              "    ok 1 int_min",
              "    # ullong_max: EXPECTATION FAILED at lib/vsprintf_test.c:40",
              "    # Expected buf == \"18446744073709551615\"",
              "    not ok 2 ullong_max",
              "    ok 3 null_string # SKIP not written yet",
              "# printk: pass:1 fail:1 skip:1 total:3",
              "not ok 1 printk",
              "ktest: run finished, 1 failed")


class KtapTests(unittest.TestCase):
    def test_passing_run(self):
        v = ktap.judge_ktest(PASSING, ktap.EXIT_PASS)
        self.assertTrue(v.ok, v.problems)
        self.assertEqual([t.path for t in v.passed],
                         ["buddy.alloc_free", "buddy.coalesce",
                          "ktest_leak_check.no_pages_or_objects_leaked"])
        self.assertEqual(v.failed, [])

    def test_failing_case_with_diagnostics_and_skip(self):
        v = ktap.judge_ktest(FAILING, ktap.EXIT_FAIL)
        self.assertFalse(v.ok)
        self.assertEqual(v.problems, [])
        self.assertEqual([t.path for t in v.failed], ["printk.ullong_max"])
        self.assertEqual([t.path for t in v.skipped], ["printk.null_string"])
        self.assertEqual(v.skipped[0].skip_reason, "not written yet")
        ctx = "\n".join(ktap.case_context(v, v.failed[0]))
        self.assertIn("EXPECTATION FAILED at lib/vsprintf_test.c:40", ctx)
        self.assertIn("not ok 2 ullong_max", ctx)

    def test_exit_pass_with_failed_case_is_inconsistent(self):
        v = ktap.judge_ktest(FAILING, ktap.EXIT_PASS)
        self.assertTrue(any("exit 33" in p for p in v.problems))

    def test_exit_fail_without_failed_case_is_a_problem(self):
        v = ktap.judge_ktest(PASSING, ktap.EXIT_FAIL)
        self.assertFalse(v.ok)

    def test_missing_plan(self):
        text = PASSING.replace("] 1..2\n", "] \n")
        v = ktap.judge_ktest(text, ktap.EXIT_PASS)
        self.assertFalse(v.ok)
        self.assertTrue(any("missing test plan" in p for p in v.problems))

    def test_missing_suite_plan(self):
        text = PASSING.replace("]     1..2\n", "] \n")
        v = ktap.judge_ktest(text, ktap.EXIT_PASS)
        self.assertTrue(any("buddy: missing test plan" in p
                            for p in v.problems), v.problems)

    def test_no_ktap_at_all(self):
        v = ktap.judge_ktest(log(*HEAD), 0)
        self.assertFalse(v.ok)
        self.assertTrue(any("no KTAP output" in p for p in v.problems))

    def test_truncated_run_hang(self):
        cut = PASSING[:PASSING.index("    ok 2 coalesce")]
        v = ktap.judge_ktest(cut, None, timed_out=True)
        self.assertFalse(v.ok)
        self.assertEqual([t.path for t in v.passed], ["buddy.alloc_free"])
        self.assertTrue(any("timeout" in p for p in v.problems))
        self.assertTrue(any("no result line" in p for p in v.problems))

    def test_fewer_results_than_planned_even_with_exit_33(self):
        text = PASSING.replace("1..2\n", "1..3\n", 1)
        v = ktap.judge_ktest(text, ktap.EXIT_PASS)
        self.assertFalse(v.ok)
        self.assertTrue(any("2 results for 3 planned" in p
                            for p in v.problems), v.problems)

    def test_panic_outside_a_case(self):
        cut = PASSING[:PASSING.index("    KTAP version 1\n[", 200)]
        text = cut + log("Kernel panic - not syncing: oops",
                         "---[ end Kernel panic - not syncing: oops ]---")
        v = ktap.judge_ktest(text, ktap.EXIT_PANIC)
        self.assertFalse(v.ok)
        self.assertTrue(any("panic" in p for p in v.problems))

    def test_poweroff_instead_of_verdict(self):
        v = ktap.judge_ktest(PASSING, 0)
        self.assertFalse(v.ok)
        self.assertTrue(any("status 0" in p for p in v.problems))

    def test_reboot_restarts_ktap(self):
        v = ktap.judge_ktest(PASSING + PASSING, ktap.EXIT_PASS)
        self.assertTrue(any("restarted" in p for p in v.problems))

    def test_suite_ok_but_case_failed(self):
        text = FAILING.replace("] not ok 1 printk", "] ok 1 printk")
        v = ktap.judge_ktest(text, ktap.EXIT_FAIL)
        self.assertTrue(any("reported ok but a case failed" in p
                            for p in v.problems))

    def test_interleaved_warning_lands_in_case_context(self):
        text = FAILING.replace(
            "]     ok 1 int_min\n",
            "]     ok 1 int_min\n[    0.5] WARNING: x at a.c:1\n")
        v = ktap.judge_ktest(text, ktap.EXIT_FAIL)
        ctx = "\n".join(ktap.case_context(v, v.failed[0]))
        self.assertIn("WARNING: x at a.c:1", ctx)

    def test_timestamps_stripped_but_indent_kept(self):
        self.assertEqual(ktap.strip_timestamps("[    0.123456]     ok 1 a\n"),
                         ["    ok 1 a"])


class BootTests(unittest.TestCase):
    def test_good_boot(self):
        self.assertEqual(check.judge_boot(log(*HEAD), 0, False, "256M"), [])

    def test_ram_mismatch_fails(self):
        p = check.judge_boot(log(*HEAD), 0, False, "512M")
        self.assertTrue(any("255 MiB RAM, expected 512" in x for x in p))

    def test_ram_more_than_configured_fails(self):
        p = check.judge_boot(log(HEAD[0], "keel: 300 MiB RAM"), 0, False,
                             "256M")
        self.assertTrue(p)

    def test_gigabytes(self):
        self.assertEqual(check.mem_mib("8G"), 8192)
        self.assertEqual(check.judge_boot(
            log(HEAD[0], "keel: 8191 MiB RAM, 1 pages free"), None, False,
            "8G"), [])

    def test_no_banner_and_hang(self):
        p = check.judge_boot(log("garbage"), None, True, "256M")
        self.assertTrue(any("no banner" in x for x in p))
        self.assertTrue(any("timeout" in x for x in p))

    def test_panic_during_boot(self):
        p = check.judge_boot(log(*HEAD) + log("Kernel panic - not syncing: x"),
                             65, False, "256M")
        self.assertTrue(any("panic" in x for x in p))

    def test_reboot_is_caught(self):
        p = check.judge_boot(log(*HEAD) + log(*HEAD), 0, False, "256M")
        self.assertTrue(any("rebooted" in x for x in p))

    def test_lowmem_refusal(self):
        good = log(HEAD[0], "keel needs at least 32 MiB of RAM, this machine "
                   "has 24063 KiB; halting.")
        self.assertEqual(check.judge_lowmem(good, True), [])
        self.assertTrue(check.judge_lowmem(good, False))
        self.assertTrue(check.judge_lowmem(log(*HEAD), True))


class TidyTests(unittest.TestCase):
    def test_findings_deduplicated_across_translation_units(self):
        # a header finding is printed once per .c file that includes it
        root = check.ROOT
        out = ("%s/include/keel/phy.h:87:23: error: macro argument should "
               "be enclosed in parentheses [bugprone-macro-parentheses,"
               "-warnings-as-errors]\n#define SPEED_UNKNOWN -1\n" % root) * 2
        out += ("kernel/smp.c:40:6: warning: redundant 'arch_set_this_cpu' "
                "declaration [readability-redundant-declaration]\n"
                "   42 warnings generated.\n")
        self.assertEqual(check.tidy_findings(out), [
            "include/keel/phy.h:87:23: macro argument should be enclosed in "
            "parentheses [bugprone-macro-parentheses,-warnings-as-errors]",
            "kernel/smp.c:40:6: redundant 'arch_set_this_cpu' declaration "
            "[readability-redundant-declaration]"])
        self.assertEqual(check.tidy_findings("3 warnings generated.\n"), [])


class SanitizerTests(unittest.TestCase):
    def test_unexpected_report_is_a_problem(self):
        text = log("UBSAN: shift-out-of-bounds in a.c:3:9",
                   "shift exponent 40 is too large for 32-bit type 'int'")
        p = check.sanitizer_problems(text)
        self.assertEqual(len(p), 1)
        self.assertIn("a.c:3:9", p[0])
        self.assertIn("shift exponent 40", p[0])

    def test_expected_report_is_not(self):
        text = log("UBSAN (expected): shift-out-of-bounds in a.c:3:9",
                   "shift exponent 40 is too large for 32-bit type 'int'")
        self.assertEqual(check.sanitizer_problems(text), [])

    def suite_log(self, suite, case, report):
        return ["    # Subtest: " + suite, "    1..1",
                "==================", report, "next line",
                "    ok 1 " + case, "ok 1 " + suite]

    def test_kasan_and_lockdep_reports_belong_to_their_case(self):
        text = log(*self.suite_log("kasan", "use_after_kfree",
                                   "BUG: KASAN: slab-use-after-free in f"),
                   *self.suite_log("lockdep", "spinlock_abba_is_reported",
                                   "WARNING: inconsistent lock state"),
                   *self.suite_log("slab", "kfree_misuse_refused",
                                   "BUG: KASAN: double-free in g"))
        self.assertEqual(check.sanitizer_problems(text), [])

    def test_a_report_in_another_case_is_a_problem(self):
        text = log(*self.suite_log("buddy", "buddy_alloc",
                                   "BUG: KASAN: use-after-free in h"),
                   *self.suite_log("slab", "cache_stats_exact",
                                   "WARNING: held lock freed"))
        p = check.sanitizer_problems(text)
        self.assertEqual(len(p), 2)
        self.assertIn("use-after-free in h / next line (in buddy.buddy_alloc)",
                      p[0])
        self.assertIn("(in slab.cache_stats_exact)", p[1])

    def test_a_report_after_the_last_case_is_a_problem(self):
        text = log(*self.suite_log("kasan", "use_after_kfree", "x"),
                   "WARNING: possible circular locking dependency detected")
        self.assertEqual(len(check.sanitizer_problems(text)), 1)


class KtestRunsTests(unittest.TestCase):
    def runs(self, *argv):
        return check.ktest_runs(check.parse_args(list(argv)))

    def test_default_adds_cpu_max(self):
        self.assertEqual(self.runs(), [("qemu64", 1), ("qemu64", 2),
                                       ("qemu64", 4), ("max", 2)])

    def test_smp_alone_keeps_the_baseline_model(self):
        self.assertEqual(self.runs("--smp", "4"), [("qemu64", 4)])

    def test_cpu_picks_the_model(self):
        self.assertEqual(self.runs("--cpu", "max"), [("max", 2)])
        self.assertEqual(self.runs("--cpu", "max", "--smp", "1"),
                         [("max", 1)])

    def test_labels_keep_the_old_names(self):
        self.assertEqual(check.ktest_label("qemu64", 1), "")
        self.assertEqual(check.ktest_label("qemu64", 4), "-smp 4")
        self.assertEqual(check.ktest_label("max", 2), "max -smp 2")


class FormatTests(unittest.TestCase):
    def test_alignment_only_is_accepted(self):
        a = "#define A\t\t1\t/* x */\n\tint  b;\n"
        b = "#define A 1 /* x */\n\tint b;\n"
        self.assertEqual(check.format_problems(a, b), [])

    def test_indent_and_brace_changes_are_reported(self):
        a = "void f(void) {\n    return;\n}\n"
        b = "void f(void)\n{\n\treturn;\n}\n"
        self.assertTrue(check.format_problems(a, b))

    def test_long_lines(self):
        self.assertEqual(check.long_lines("\t" * 10 + "x;\nshort\n"), [1])
        self.assertEqual(check.long_lines('\t' * 10 + '"long string";'), [])


if __name__ == "__main__":
    unittest.main()
