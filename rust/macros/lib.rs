// SPDX-License-Identifier: MIT
//! keel's procedural macros: `module!`, `#[vtable]` and `#[ktest]`.
//!
//! Written against `proc_macro` alone (no `syn`/`quote`: keel builds
//! without crates.io). Each macro scans the token trees it needs and
//! emits new code as text, keeping the user's own tokens (and spans) as
//! they were so compiler errors still point at the user's code.

#![forbid(unsafe_code)]

mod ktest;
mod module;
mod string_literal;
mod vtable;

use proc_macro::TokenStream;

/// Declares a built-in kernel module:
///
/// ```ignore
/// module! {
///     type: RustMinimal,
///     name: "rust_minimal",
///     author: "keel",
///     description: "the smallest Rust module",
///     license: "MIT",
/// }
/// ```
///
/// `type` implements `kernel::Module`; its `init` runs with the C
/// initcalls, and dropping the returned value is the module's exit.
#[proc_macro]
pub fn module(input: TokenStream) -> TokenStream {
    module::module(input)
}

/// On a trait: adds `const HAS_<METHOD>: bool = false` for each method.
/// On an impl of such a trait: sets `HAS_<METHOD> = true` for each method
/// the impl defines, so the C operations table can leave the others NULL.
#[proc_macro_attribute]
pub fn vtable(attr: TokenStream, item: TokenStream) -> TokenStream {
    vtable::vtable(attr, item)
}

/// On a module: registers each `#[test] fn name(t: &mut kernel::ktest::Test)`
/// inside it as a case of the ktest suite named by the argument, run in
/// the same KTAP stream as the C tests: `#[ktest(my_suite)] mod tests {..}`.
#[proc_macro_attribute]
pub fn ktest(attr: TokenStream, item: TokenStream) -> TokenStream {
    ktest::ktest(attr, item)
}

/// Turns an error message into `compile_error!` tokens.
fn error(msg: &str) -> TokenStream {
    format!("::core::compile_error!({:?});", msg).parse().unwrap_or_default()
}
