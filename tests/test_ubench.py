"""test_ubench.py - self-tests of tools/ubench/bench_linux.py's parsing
and table (make bench-linux itself boots two kernels: not in make check).

Run: python3 -m unittest discover -s tests -p 'test_*.py'
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "tools", "ubench"))
import bench_linux  # noqa: E402

KEEL_LOG = """UBENCH-INIT
[    1.200000] keel: unimplemented syscall 293 (pipe2) from 5 ubench
UBENCH name=getppid value=300.0 unit=ns min=290.5 iters=20000 reps=11
UBENCH name=pipe_pingpong error=ENOSYS call=pipe2
UBENCH name=udp_echo error=ENOSYS call=socket
UBENCH-END failed=1
"""
LINUX_LOG = """UBENCH name=getppid value=200.0 unit=ns min=199.0 iters=20000 reps=11
UBENCH name=pipe_pingpong value=5000.0 unit=ns min=4000.0 iters=2000 reps=11
UBENCH name=udp_echo server=ready port=7777
"""


class Parse(unittest.TestCase):
    def test_values_and_errors(self):
        r = bench_linux.parse(KEEL_LOG)
        self.assertEqual(r["getppid"], dict(value=300.0, unit="ns",
                                            min=290.5, iters=20000,
                                            reps=11))
        self.assertEqual(r["pipe_pingpong"],
                         dict(error="ENOSYS", call="pipe2"))
        self.assertEqual(r["udp_echo"], dict(error="ENOSYS", call="socket"))

    def test_server_probe_is_not_a_figure(self):
        # the host measures udp_echo; the guest's probe only says ready
        self.assertNotIn("udp_echo", bench_linux.parse(LINUX_LOG))


class Table(unittest.TestCase):
    def test_ratio_marks_keel_above_linux(self):
        fast, slow = dict(value=100.0), dict(value=250.0)
        self.assertEqual(bench_linux.ratio(fast, slow), "0.40")
        self.assertEqual(bench_linux.ratio(slow, fast), "**2.50 above**")
        self.assertEqual(bench_linux.ratio(dict(value=105.0), fast),
                         "1.05 above (noise)")
        self.assertEqual(bench_linux.ratio(dict(error="ENOSYS",
                                                call="pipe2"), fast), "-")
        self.assertEqual(bench_linux.ratio(None, fast), "-")

    def test_cell_says_why_a_figure_is_missing(self):
        self.assertEqual(bench_linux.cell(dict(error="ENOSYS",
                                               call="pipe2")),
                         "n/a: ENOSYS (pipe2)")
        self.assertEqual(bench_linux.cell(dict(value=1234.5, min=1000.0,
                                               reps=11)),
                         "1,234 (min 1,000)")

    def test_render_and_replace_section(self):
        results = {"tcg": {"keel": bench_linux.parse(KEEL_LOG),
                           "Linux": bench_linux.parse(LINUX_LOG)}}
        results["tcg"]["keel"]["boot_to_init"] = dict(value=900.0,
                                                      unit="ms")
        meta = dict(date="D", rev="R", host="H", uname={},
                    keel_kernel="build/keel.elf", keel_append="ip=x",
                    linux_package="linux-image-X 1", linux_append="quiet",
                    qemu="qemu ...", errors={("keel", "tcg"): "boom"})
        section = bench_linux.render(results, meta)
        self.assertIn("| `getppid` | ns | 300 (min 290.5) | "
                      "200 (min 199) | **1.50 above** |", section)
        self.assertIn("| `pipe_pingpong` | ns | n/a: ENOSYS (pipe2) | "
                      "5,000 (min 4,000) | - |", section)
        self.assertIn("| `boot_to_init` | ms | 900 | - | - |", section)
        self.assertIn("- keel [tcg]: boom", section)
        # boot figures come first, then ubench's in the order printed
        order = [l.split("`")[1] for l in section.splitlines()
                 if l.startswith("| `")]
        self.assertEqual(order[:3], ["boot_to_init", "boot_to_shell",
                                     "getppid"])
        with tempfile.TemporaryDirectory() as d:
            doc = os.path.join(d, "b.md")
            with open(doc, "w") as f:
                f.write("# B\n\nprose\n")
            bench_linux.update_doc(doc, section)
            bench_linux.update_doc(doc, section.replace("300", "301"))
            with open(doc) as f:
                text = f.read()
        self.assertTrue(text.startswith("# B\n\nprose\n"))
        self.assertEqual(text.count(bench_linux.BEGIN), 1)
        self.assertIn("301 (min", text)


if __name__ == "__main__":
    unittest.main()
