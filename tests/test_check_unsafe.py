"""test_check_unsafe.py - verdicts of tools/check-unsafe.py on small
sources: what a reviewer would accept or reject, case by case."""

import importlib.util
import os
import tempfile
import textwrap
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "check_unsafe", os.path.join(ROOT, "tools", "check-unsafe.py"))
cu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cu)


def kernel(src):
    """Lines the kernel-crate audit complains about."""
    return [ln for ln, _ in cu.audit_kernel_source(textwrap.dedent(src))]


def safe(src, is_root=True):
    return [ln for ln, _ in cu.audit_safe_source(textwrap.dedent(src),
                                                 is_root)]


class KernelBlocks(unittest.TestCase):
    def test_safety_comment_just_above(self):
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY: no preconditions.
                unsafe { g() };
            }
        """), [])

    def test_missing_comment(self):
        self.assertEqual(kernel("""
            fn f() {
                let x = 1;
                unsafe { g() };
            }
        """), [4])

    def test_comment_spanning_lines(self):
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY: the pointer is valid because
                // the caller said so.
                unsafe { g() };
            }
        """), [])

    def test_blank_line_breaks_the_link(self):
        self.assertEqual(kernel("""
            // SAFETY: far away.

            unsafe impl Send for X {}
        """), [4])

    def test_ordinary_comment_is_not_enough(self):
        self.assertEqual(kernel("""
            fn f() {
                // g has no preconditions
                unsafe { g() };
            }
        """), [4])

    def test_comment_above_multiline_statement(self):
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY: request_irq copies the name.
                let ret =
                    unsafe { request_irq(1, h, name) };
            }
        """), [])

    def test_statement_start_stops_at_previous_statement(self):
        # the comment belongs to the statement before, not this one
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY: for the first call only.
                unsafe { a() };
                let ret =
                    unsafe { b() };
            }
        """), [6])

    def test_unsafe_inside_call_arguments(self):
        self.assertEqual(kernel("""
            fn f() {
                foo(
                    1,
                    // SAFETY: no preconditions.
                    unsafe { g() },
                    unsafe { h() },
                );
            }
        """), [7])

    def test_attribute_between_comment_and_item(self):
        self.assertEqual(kernel("""
            // SAFETY: immutable after link time.
            #[cfg(any())]
            unsafe impl Sync for X {}
        """), [])

    def test_unsafe_impl_without_comment(self):
        self.assertEqual(kernel("""
            /// Docs are not a safety argument.
            unsafe impl Sync for X {}
        """), [3])

    def test_words_in_strings_and_comments_do_not_count(self):
        self.assertEqual(kernel("""
            // an unsafe { } in prose
            /* unsafe { /* nested unsafe */ } */
            const A: &str = "unsafe { x }";
            const B: &str = r#"unsafe { "x" }"#;
            const C: char = '"';
            fn f<'a>(x: &'a u8) -> &'a u8 { x }
        """), [])

    def test_safety_inside_a_string_is_not_a_comment(self):
        self.assertEqual(kernel("""
            fn f() {
                let s = "// SAFETY: fake";
                unsafe { g() };
            }
        """), [4])

    def test_raw_identifier_is_not_the_keyword(self):
        self.assertEqual(kernel("fn f() { let r#unsafe = 1; }"), [])

    def test_unsafe_attribute_needs_comment(self):
        self.assertEqual(kernel("""
            #[unsafe(no_mangle)]
            extern "C" fn f() {}
        """), [2])


class ArgumentsByReference(unittest.TestCase):
    """A SAFETY comment or `# Safety` section states its own argument;
    one that points at another ("as above") is rejected."""

    def test_reference_phrases_fail(self):
        for phrase in ("as above.", "As above; also aligned.",
                       "as in read.", "as for Send.", "as with lock().",
                       "same as from_raw.", "see above.", "Ditto.",
                       "as from_raw, shared.", "as get_mut: P's lock.",
                       "as task() and data().", "as [`token_flag`]."):
            with self.subTest(phrase=phrase):
                self.assertEqual(kernel("""
                    fn f() {
                        // SAFETY: %s
                        unsafe { g() };
                    }
                """ % phrase), [3])

    def test_message_names_the_problem(self):
        problems = cu.audit_kernel_source("// SAFETY: as in read.\n"
                                          "unsafe impl Sync for X {}\n")
        self.assertEqual(len(problems), 1)
        self.assertEqual(problems[0][0], 1)
        self.assertIn("by reference", problems[0][1])
        self.assertIn("as in read", problems[0][1])

    def test_reference_on_the_line_after_the_marker(self):
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY:
                // as above.
                unsafe { g() };
            }
        """), [3])

    def test_block_comment_by_reference(self):
        self.assertEqual(kernel("""
            fn f() {
                /* SAFETY: same as in f. */
                unsafe { g() };
            }
        """), [3])

    def test_stated_arguments_pass(self):
        # "as" inside the argument, or starting an ordinary sentence,
        # is fine: only a leading reference is refused
        self.assertEqual(kernel("""
            fn f() {
                // SAFETY: `p` is valid as long as the guard lives, as
                // above the guard's lock is held (same as C).
                unsafe { g() };
                // SAFETY: as the caller promised, `p` came from kmalloc.
                unsafe { h() };
            }
        """), [])

    def test_tree_reports_file_and_line(self):
        with tempfile.TemporaryDirectory() as root:
            path = os.path.join(root, "rust/kernel/lib.rs")
            os.makedirs(os.path.dirname(path))
            with open(path, "w") as f:
                f.write("// SAFETY: no state.\nunsafe impl Send for X {}\n"
                        "// SAFETY: as above.\nunsafe impl Sync for X {}\n")
            problems, _ = cu.audit_tree(root)
            self.assertEqual(len(problems), 1)
            self.assertTrue(problems[0].startswith("rust/kernel/lib.rs:3: "),
                            problems[0])

    def test_safety_section_by_reference(self):
        self.assertEqual(kernel("""
            /// Tries to lock.
            ///
            /// # Safety
            ///
            /// As for [`Backend::lock`].
            unsafe fn try_lock(p: *mut u8) -> bool { false }
        """), [6])

    def test_safety_section_stated(self):
        self.assertEqual(kernel("""
            /// # Safety
            ///
            /// `p` points to a valid lock, as [`lock`] requires.
            unsafe fn try_lock(p: *mut u8) -> bool { false }
        """), [])


class KernelFunctions(unittest.TestCase):
    def test_unsafe_fn_with_safety_section(self):
        self.assertEqual(kernel("""
            /// Frees `p`.
            ///
            /// # Safety
            /// `p` came from kmalloc.
            #[inline]
            pub unsafe fn kfree(p: *mut u8) {}
        """), [])

    def test_unsafe_fn_without_safety_section(self):
        self.assertEqual(kernel("""
            /// Frees `p`. Safety: p came from kmalloc.
            pub unsafe fn kfree(p: *mut u8) {}
        """), [3])

    def test_plain_comment_is_not_a_doc_section(self):
        self.assertEqual(kernel("""
            // # Safety
            // p came from kmalloc.
            unsafe fn kfree(p: *mut u8) {}
        """), [4])

    def test_unsafe_trait_needs_safety_section(self):
        self.assertEqual(kernel("""
            /// A thing.
            pub unsafe trait Thing {}
            /// Another.
            ///
            /// # Safety
            /// Implementors promise.
            pub unsafe trait Other {}
        """), [3])

    def test_trait_impl_methods_inherit_the_contract(self):
        self.assertEqual(kernel("""
            // SAFETY: into/from are inverse.
            unsafe impl<T> Foreign for KBox<T> {
                unsafe fn from_foreign(p: *const u8) -> Self { todo() }
            }
        """), [])

    def test_inherent_impl_methods_need_docs(self):
        self.assertEqual(kernel("""
            impl<F> Guard<F> where F: for<'a> Fn(&'a u8) {
                /// Undocumented contract.
                pub unsafe fn raw(&self) {}
            }
        """), [4])

    def test_fn_pointer_type_has_no_obligation(self):
        self.assertEqual(kernel("""
            type RawRun = unsafe extern "C" fn(*mut u8);
            struct S { f: unsafe fn(u8) }
        """), [])

    def test_extern_unsafe_fn_definition_needs_docs(self):
        self.assertEqual(kernel("""
            pub unsafe extern "C" fn callback(p: *mut u8) {}
        """), [2])


class SafeCrates(unittest.TestCase):
    ROOT_OK = "#![no_std]\n#![forbid(unsafe_code)]\n"

    def test_clean_root(self):
        self.assertEqual(safe(self.ROOT_OK + "fn f() {}\n"), [])

    def test_any_unsafe_token_fails(self):
        self.assertEqual(safe(self.ROOT_OK + """
            // SAFETY: a comment does not make it allowed.
            fn f() { unsafe { g() } }
        """), [5])

    def test_unsafe_in_prose_and_strings_is_fine(self):
        self.assertEqual(safe(self.ROOT_OK + """
            // no unsafe here
            const S: &str = "unsafe";
        """), [])

    def test_root_needs_forbid(self):
        self.assertEqual(safe("#![no_std]\nfn f() {}\n"), [1])

    def test_deny_is_not_forbid(self):
        self.assertEqual(safe("#![deny(unsafe_code)]\n"), [1])

    def test_forbid_among_other_lints(self):
        self.assertEqual(safe("#![forbid(missing_docs, unsafe_code)]\n"), [])

    def test_submodule_needs_no_forbid(self):
        self.assertEqual(safe("fn f() {}\n", is_root=False), [])


class Tree(unittest.TestCase):
    def write(self, root, rel, text):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))

    def test_tree_roots_and_modules(self):
        with tempfile.TemporaryDirectory() as root:
            self.write(root, "rust/kernel/lib.rs", "//! k\n")
            self.write(root, "rust/macros/lib.rs",
                       "#![forbid(unsafe_code)]\nmod parse;\n")
            self.write(root, "rust/macros/parse.rs", "fn p() {}\n")
            self.write(root, "drivers/net/phy.rs", "fn probe() {}\n")
            problems, summary = cu.audit_tree(root)
            self.assertEqual(problems, ["drivers/net/phy.rs:1: crate root "
                                        "without #![forbid(unsafe_code)]"])
            self.assertIn("2 safe crates", summary)

    def test_empty_tree_fails(self):
        with tempfile.TemporaryDirectory() as root:
            problems, summary = cu.audit_tree(root)
            self.assertTrue(problems)
            self.assertIsNone(summary)

    def test_keel_tree_passes(self):
        problems, _ = cu.audit_tree(ROOT)
        self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
