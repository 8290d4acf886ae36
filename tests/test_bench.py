"""test_bench.py - self-tests of tools/bench.py's parsing and checks.

Run: python3 -m unittest discover -s tests -p 'test_*.py'
"""

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


class BenchTests(unittest.TestCase):
    def test_parse(self):
        results, errors = bench.parse_bench(LOG)
        self.assertEqual(results["page_alloc_free_order0"],
                         (83.125, "ns/op", 100000))
        self.assertEqual(results["boot_to_bench"], (512.25, "ms", 1))
        self.assertEqual(errors, {"kmalloc_kfree_64": "-ENOMEM"})

    def test_errors_zeros_and_gaps_are_problems(self):
        ok = bench.parse_bench(LOG.replace(
            "name=kmalloc_kfree_64 error=-ENOMEM",
            "name=kmalloc_kfree_64 value=1.5 unit=ns/op iters=10"))
        self.assertEqual(bench.check_results({"tcg": ok, "icount": ok}), [])
        bad = bench.parse_bench(LOG)
        self.assertTrue(bench.check_results({"tcg": bad}))
        zero = bench.parse_bench(LOG.replace("value=83.125", "value=0.000"))
        probs = bench.check_results({"tcg": zero})
        self.assertTrue(any("clock did not run" in p for p in probs))
        gap = bench.parse_bench(LOG.splitlines()[0])
        probs = bench.check_results({"tcg": ok, "icount": gap})
        self.assertTrue(any("missing" in p for p in probs))
        self.assertTrue(bench.check_results({"tcg": ({}, {})}))

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
            text = open(path).read()
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

