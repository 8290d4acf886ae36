"""test_doc_paths.py - every repository path the docs name exists
(tests/doc_paths.py), and the checker's own verdicts on small fake docs."""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_paths  # noqa: E402


class TheDocs(unittest.TestCase):
    def test_named_paths_exist(self):
        bad = doc_paths.missing()
        self.assertEqual(bad, [], "\n".join(
            "%s:%d: %s does not exist (renamed or deleted?)" % b
            for b in bad))


class FakeTree(unittest.TestCase):
    """A tree with kernel/sched/core.c, drivers/net/e1000.c, docs/."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        for f in ("kernel/sched/core.c", "drivers/net/e1000.c",
                  "drivers/net/e1000_rs.rs", "docs/.keep"):
            path = os.path.join(self.root, f)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()

    def tearDown(self):
        self.tmp.cleanup()

    def verdict(self, text):
        with open(os.path.join(self.root, "docs", "x.md"), "w") as f:
            f.write(textwrap.dedent(text))
        return [p for _, _, p in doc_paths.missing(self.root)]

    def test_missing_file_is_reported(self):
        self.assertEqual(self.verdict("""
            The core is in `kernel/sched/core.c`; policies in
            kernel/sched/policy.c.
        """), ["kernel/sched/policy.c"])

    def test_line_numbers(self):
        self.verdict("x\n\nsee mm/gone.c\n")
        self.assertEqual(doc_paths.missing(self.root),
                         [("docs/x.md", 3, "mm/gone.c")])

    def test_existing_files_dirs_and_punctuation(self):
        self.assertEqual(self.verdict("""
            See kernel/sched/core.c. Also (drivers/net/), drivers/net,
            `drivers/net/e1000.c:120` and kernel/sched/core.c's lock.
        """), [])

    def test_globs(self):
        self.assertEqual(self.verdict("""
            drivers/net/e1000*.{c,rs}, kernel/sched/*.c
        """), [])
        self.assertEqual(self.verdict("kernel/sched/*.rs\n"),
                         ["kernel/sched/*.rs"])

    def test_not_paths(self):
        self.assertEqual(self.verdict("""
            https://github.com/torvalds/linux/blob/master/kernel/sched/fair.c
            Linux's kernel/sched/fair.c (Linux: include/linux/memblock.h)
            build/kernel/x.o, `drivers/net/e1000.o`, `kernel::sched::rq`
            | `nic_rx` | rust/c | 1.0 |
            tests/compile-fail/NN_name.rs
            1. Create `samples/rust/rust_hello.rs`:
        """), [])

    def test_only_known_top_level_dirs(self):
        self.assertEqual(self.verdict("keel/monitor.h, asm/io.h, a/b.c\n"),
                         [])

    def test_path_inside_another_is_one_path(self):
        self.assertEqual(self.verdict("arch/x86_64/include/asm/\n"),
                         ["arch/x86_64/include/asm/"])


if __name__ == "__main__":
    unittest.main()
