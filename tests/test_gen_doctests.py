"""test_gen_doctests.py - tools/gen-doctests.py turns rustdoc's doctest
programs into ktest cases whose failures name the example's own line."""

import importlib.util
import os
import re
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "gen_doctests", os.path.join(ROOT, "tools", "gen-doctests.py"))
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

# What rustdoc 1.96 hands the test builder for an example at line 35 of
# rust/kernel/error.rs that ends in `Ok::<(), Error>(())`.
PROGRAM = """\
#![allow(unused)]
#[allow(unused_extern_crates)]
extern crate r#kernel;
fn main() { #[allow(non_snake_case)] fn _doctest_main_rust_kernel_error_rs_35_0() -> core::result::Result<(), impl core::fmt::Debug> {
use kernel::error::code::ENOMEM;

assert_eq!(ENOMEM.to_errno(), -12);
Ok::<(), Error>(())
} _doctest_main_rust_kernel_error_rs_35_0().unwrap() }
"""

PLAIN = """\
#![allow(unused)]
fn main() { #[allow(non_snake_case)] fn _doctest_main_rust_kernel_str_rs_6_0() {
assert!(true);
} _doctest_main_rust_kernel_str_rs_6_0() }
"""


class Generate(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.cwd = os.getcwd()
        os.chdir(ROOT)

    def tearDown(self):
        os.chdir(self.cwd)
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.dir, name + ".rs"), "w") as f:
            f.write(text)

    def test_assert_line_maps_to_the_example(self):
        self.write("rust_kernel_error_rs_35_0", PROGRAM)
        text, n = gen.generate(self.dir, "rust/kernel")
        self.assertEqual(n, 1)
        lines = text.splitlines()
        at = lines.index("assert_eq!(ENOMEM.to_errno(), -12);")
        # the assert is line 38 of error.rs (fence 35, then use, blank)
        offset = re.search(r"line!\(\) as i64 \+ (-?\d+)", text).group(1)
        self.assertEqual(at + 1 + int(offset), 38)
        self.assertIn("fn rust_kernel_error_rs_35_0(t: &mut Test) {", text)
        self.assertIn('t.fail("rust/kernel/error.rs", 35', text)
        self.assertIn("return Ok(())", text)

    def test_example_without_result(self):
        self.write("rust_kernel_str_rs_6_0", PLAIN)
        text, _ = gen.generate(self.dir, "rust/kernel")
        self.assertIn("_doctest_main_rust_kernel_str_rs_6_0(t);", text)
        self.assertNotIn("return Ok(())", text)

    def test_cases_in_file_and_line_order(self):
        self.write("rust_kernel_str_rs_6_0", PLAIN)
        self.write("rust_kernel_error_rs_35_0", PROGRAM)
        self.write("rust_kernel_error_rs_4_0", PROGRAM.replace(
            "error_rs_35_0", "error_rs_4_0"))
        text, _ = gen.generate(self.dir, "rust/kernel")
        names = re.findall(r"fn (rust_kernel_\w+)\(t:", text)
        self.assertEqual(names, ["rust_kernel_error_rs_4_0",
                                 "rust_kernel_error_rs_35_0",
                                 "rust_kernel_str_rs_6_0"])

    def test_refusals(self):
        self.write("rust_kernel_str_rs_6_0", "fn main() { }\n")
        with self.assertRaisesRegex(gen.DoctestError, "own fn main"):
            gen.generate(self.dir, "rust/kernel")
        os.remove(os.path.join(self.dir, "rust_kernel_str_rs_6_0.rs"))
        self.write("rust_nowhere_rs_1_0", PLAIN)
        with self.assertRaisesRegex(gen.DoctestError, "no source file"):
            gen.generate(self.dir, "rust/kernel")
        os.remove(os.path.join(self.dir, "rust_nowhere_rs_1_0.rs"))
        with self.assertRaisesRegex(gen.DoctestError, "no examples"):
            gen.generate(self.dir, "rust/kernel")


if __name__ == "__main__":
    unittest.main()
