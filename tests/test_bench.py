"""test_bench.py - self-tests of tools/bench.py's parsing and checks.

Run: python3 -m unittest discover -s tests -p 'test_*.py'
"""

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "tools"))
import bench  # noqa: E402

LOG = """[    0.100000] BENCH name=boot_to_bench value=512.250 unit=ms iters=1
[    0.200000] BENCH name=page_alloc_free_order0 value=83.125 unit=ns/op iters=100000
[    0.300000] BENCH name=kmalloc_kfree_64 error=-ENOMEM
[    0.300000] bench: 3 cases, 1 failed
"""


# What a loaded two-core host gave policy_guard_overhead under plain TCG:
# the guarded loop came out faster than the direct one.
LOADED = """[    1.000000] BENCH name=policy_direct_null_call value=10.500 unit=ns/op iters=1000000
[    1.000000] BENCH name=policy_guarded_null_call value=10.200 unit=ns/op iters=1000000
[    1.000000] BENCH name=policy_guard_overhead value=-0.300 unit=ns/op iters=1000000 derived=policy_guarded_null_call-policy_direct_null_call
[    1.000000] BENCH name=page_alloc_free_order0 value=83.125 unit=ns/op iters=100000
"""
QUIET = LOADED.replace("value=10.200", "value=14.500").replace(
    "value=-0.300", "value=4.000")


class BenchTests(unittest.TestCase):
    def test_parse(self):
        res = bench.parse_bench(LOG)
        self.assertEqual(res.values["page_alloc_free_order0"],
                         (83.125, "ns/op", 100000))
        self.assertEqual(res.values["boot_to_bench"], (512.25, "ms", 1))
        self.assertEqual(res.errors, {"kmalloc_kfree_64": "-ENOMEM"})
        res = bench.parse_bench(LOADED)
        self.assertEqual(res.values["policy_guard_overhead"][0], -0.3)
        self.assertEqual(res.derived["policy_guard_overhead"],
                         "policy_guarded_null_call-policy_direct_null_call")

    def test_each_bad_case_fails_alone(self):
        ok = bench.parse_bench(LOG.replace(
            "name=kmalloc_kfree_64 error=-ENOMEM",
            "name=kmalloc_kfree_64 value=1.5 unit=ns/op iters=10"))
        self.assertEqual(bench.judge({"tcg": ok, "icount": ok}), ({}, {}))
        failed, _ = bench.judge({"tcg": bench.parse_bench(LOG)})
        self.assertEqual(failed, {("kmalloc_kfree_64", "tcg"):
                                  "error -ENOMEM"})
        zero = bench.parse_bench(LOG.replace("value=83.125", "value=0.000"))
        failed, _ = bench.judge({"tcg": zero})
        self.assertIn("clock did not run",
                      failed[("page_alloc_free_order0", "tcg")])
        self.assertEqual(len(failed), 2)    # that one and the -ENOMEM one
        gap = bench.parse_bench(LOG.splitlines()[0])
        failed, _ = bench.judge({"tcg": ok, "icount": gap})
        self.assertEqual(failed[("kmalloc_kfree_64", "icount")], "missing")
        self.assertNotIn(("boot_to_bench", "icount"), failed)

    def test_derived_figure_at_or_below_zero_is_reported_as_measured(self):
        res = bench.parse_bench(LOADED)
        failed, noisy = bench.judge({"tcg": res, "icount shift=0": res})
        self.assertEqual(failed, {})
        # noisy under host time, a plain result under icount
        self.assertIn("policy_guarded_null_call - policy_direct_null_call",
                      noisy[("policy_guard_overhead", "tcg")])
        self.assertNotIn(("policy_guard_overhead", "icount shift=0"), noisy)
        recs = bench.make_records({"tcg": res}, failed, noisy, {})
        rec = [r for r in recs if r["name"] == "policy_guard_overhead"][0]
        self.assertEqual(rec["value"], -0.3)
        self.assertEqual(rec["inputs"], {"policy_guarded_null_call": 10.2,
                                         "policy_direct_null_call": 10.5})
        self.assertTrue(rec["noise_bound"])

    def test_noise_bound_only_near_no_effect(self):
        quiet = bench.parse_bench(QUIET)
        self.assertEqual(bench.judge({"tcg": quiet}), ({}, {}))
        small = bench.parse_bench(QUIET.replace("value=4.000",
                                                "value=0.900"))
        self.assertIn(("policy_guard_overhead", "tcg"),
                      bench.judge({"tcg": small})[1])
        ratio = ("BENCH name=nic_tx_64_c value=1000 unit=ns iters=1\n"
                 "BENCH name=nic_tx_64_rust value=1040 unit=ns iters=1\n"
                 "BENCH name=nic_tx_64 value=1.040 unit=rust/c iters=1 "
                 "derived=nic_tx_64_rust/nic_tx_64_c\n")
        self.assertIn("within 10 % of 1", bench.judge(
            {"tcg": bench.parse_bench(ratio)})[1][("nic_tx_64", "tcg")])
        far = ratio.replace("1040", "1500").replace("1.040", "1.500")
        self.assertEqual(bench.judge({"tcg": bench.parse_bench(far)}),
                         ({}, {}))

    def test_derived_without_its_inputs_fails(self):
        text = LOADED.splitlines()[2]
        failed, _ = bench.judge({"tcg": bench.parse_bench(text)})
        self.assertIn("missing", failed[("policy_guard_overhead", "tcg")])

    def test_bad_case_still_writes_docs_and_fails_run(self):
        per_mode = {m: bench.parse_bench(LOADED + LOG) for m in bench.MODES}
        failed, noisy = bench.judge(per_mode)
        recs = bench.make_records(per_mode, failed, noisy, dict(
            git_revision="abc", date="d", host="h"))
        with tempfile.TemporaryDirectory() as d:
            args = argparse.Namespace(out=os.path.join(d, "r.json"),
                                      doc=os.path.join(d, "b.md"),
                                      kernel=os.path.join(d, "keel.elf"))
            with contextlib.redirect_stdout(io.StringIO()) as out:
                rc = bench.report(args, recs, [])
            with open(args.doc) as f:
                doc = f.read()
            with open(args.out) as f:
                saved = json.load(f)
            self.assertEqual(rc, 1)
            self.assertIn("| `kmalloc_kfree_64` | - | failed | failed |",
                          doc)
            self.assertIn("| `policy_guard_overhead` | ns/op | -0.3 (noise) "
                          "| -0.3 |", doc)
            self.assertIn("`policy_guarded_null_call` 10.2, "
                          "`policy_direct_null_call` 10.5", doc)
            self.assertIn("- `kmalloc_kfree_64` [tcg]: error -ENOMEM", doc)
            self.assertIn("host-noise-bound: policy_guard_overhead [tcg]",
                          out.getvalue())
            self.assertIn({"name": "kmalloc_kfree_64", "qemu_mode": "tcg",
                           "error": "error -ENOMEM", "git_revision": "abc",
                           "date": "d", "host": "h"}, saved)
            # a failed boot leaves the docs alone
            os.remove(args.doc)
            with contextlib.redirect_stdout(io.StringIO()):
                rc = bench.report(args, recs, ["tcg: timeout after 1s"])
            self.assertEqual(rc, 1)
            self.assertFalse(os.path.exists(args.doc))

    def test_doc_update_keeps_prose_around_table(self):
        rec = [{"name": "x", "value": 2.5, "unit": "ns/op", "iters": 1,
                "qemu_mode": m, "git_revision": "abc", "date": "d"}
               for m in bench.MODES]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "b.md")
            with open(path, "w") as f:
                f.write("intro\n" + bench.BEGIN + "\nold\n" + bench.END +
                        "\nafter\n")
            bench.update_doc(path, bench.render_table(rec, "host"))
            with open(path) as f:
                text = f.read()
        self.assertTrue(text.startswith("intro\n"))
        self.assertTrue(text.endswith("\nafter\n"))
        self.assertNotIn("old", text)
        self.assertIn("| `x` | ns/op | 2.5 | 2.5 |", text)

    def test_ratios_cover_each_policy_variant(self):
        rec = []
        for mode in bench.MODES:
            for name, v in (("sched_pipe", 100.0), ("sched_pipe_rs", 105.0),
                            ("sched_pipe_eevdf", 90.0), ("alone", 1.0)):
                rec.append({"name": name, "value": v, "unit": "ns/op",
                            "iters": 1, "qemu_mode": mode,
                            "git_revision": "abc", "date": "d"})
        table = bench.render_table(rec, "host")
        cells = " | ".join(["1.050"] * len(bench.MODES) +
                           ["0.900"] * len(bench.MODES))
        self.assertIn("| `sched_pipe` | %s |" % cells, table)
        self.assertNotIn("| `alone` | -", table)

    def test_nic_table_compares_the_twins(self):
        rec = []
        for mode in bench.MODES:
            for impl, v in (("c", 1000.0), ("rust", 1020.0)):
                for case, _, _ in bench.NIC_ROWS:
                    rec.append({"name": "%s_%s" % (case, impl), "value": v,
                                "unit": "ns/frame", "iters": 1,
                                "qemu_mode": mode, "git_revision": "abc",
                                "date": "d"})
        table = bench.render_nic_table(rec, [("C", "x.o", 1234, 56)])
        self.assertIn("| transmit, 64-byte frames | 1,000 | 1,020 | "
                      "1,000,000 | 980,392 | 1.020 |", table)
        self.assertIn("| transmit, 64-byte frames | 1,000,000 pps | "
                      "980,392 pps | 1.020 |", table)
        self.assertIn("| UDP echo round trip, 64 bytes | 1.0 us | 1.0 us | "
                      "1.020 |", table)
        self.assertIn("| C `x.o` | 1234 | 56 |", table)
        self.assertTrue(table.startswith(bench.NIC_BEGIN))


if __name__ == "__main__":
    unittest.main()

