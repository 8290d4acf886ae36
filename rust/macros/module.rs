// SPDX-License-Identifier: MIT
//! `module!`: parse `key: value,` pairs and register the module type.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// The tokens of `input` with invisible (None-delimited) groups opened:
/// a `macro_rules!` macro that forwards `$name:literal` wraps it in one.
fn flatten(input: TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tt in input {
        match tt {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                out.extend(flatten(g.stream()))
            }
            other => out.push(other),
        }
    }
    out
}

struct ModuleInfo {
    type_: String,
    name: String,
    author: String,
    description: String,
    license: String,
    load: String,
}

/// Reads `key: value,` pairs; values are an identifier (and `type` is
/// only that) or a string literal.
fn parse(input: TokenStream) -> Result<ModuleInfo, String> {
    let mut info = ModuleInfo {
        type_: String::new(),
        name: String::new(),
        author: String::new(),
        description: String::new(),
        license: String::new(),
        load: String::new(),
    };
    let mut it = flatten(input).into_iter().peekable();
    while let Some(tt) = it.next() {
        let key = match tt {
            TokenTree::Ident(i) => i.to_string(),
            other => return Err(format!("module!: expected a key, found `{}`", other)),
        };
        match it.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' => {}
            _ => return Err(format!("module!: expected `:` after `{}`", key)),
        }
        let value = match it.next() {
            Some(TokenTree::Ident(i)) => i.to_string(),
            // The type is pasted into the output as code, so it must be
            // the one identifier token the user wrote: a string would be
            // re-parsed as tokens of this macro, which the `unsafe_code`
            // lint does not look at (lints skip code made by a macro of
            // another crate), so `forbid(unsafe_code)` would not see an
            // `unsafe` block or a `#[link_section]` hidden in it.
            Some(TokenTree::Literal(_)) if key == "type" => {
                return Err("module!: `type` is the module's type name (an identifier), \
                            not a string"
                    .into())
            }
            Some(TokenTree::Literal(l)) => crate::string_literal::unquote(&l.to_string())
                .map_err(|e| format!("module!: `{}` wants a string literal: {}", key, e))?,
            _ => return Err(format!("module!: missing value for `{}`", key)),
        };
        let slot = match key.as_str() {
            "type" => &mut info.type_,
            "name" => &mut info.name,
            "author" => &mut info.author,
            "description" => &mut info.description,
            "license" => &mut info.license,
            "load" => &mut info.load,
            _ => return Err(format!("module!: unknown key `{}`", key)),
        };
        *slot = value;
        if let Some(TokenTree::Punct(p)) = it.peek() {
            if p.as_char() == ',' {
                it.next();
            }
        }
    }
    for (k, v) in [("type", &info.type_), ("name", &info.name), ("license", &info.license)] {
        if v.is_empty() {
            return Err(format!("module!: `{}` is required", k));
        }
    }
    if !matches!(info.load.as_str(), "" | "boot" | "on_demand") {
        return Err("module!: `load` is `boot` (default) or `on_demand`".into());
    }
    if !info.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("module!: `name` must be [A-Za-z0-9_]+".into());
    }
    Ok(info)
}

pub(crate) fn module(input: TokenStream) -> TokenStream {
    let info = match parse(input) {
        Ok(i) => i,
        // A constant that panics (error E0080, which the compile-fail
        // suite can match; `compile_error!` has no error code).
        Err(e) => {
            return format!("const _: () = ::core::panic!({:?});", e)
                .parse()
                .unwrap_or_else(|_| crate::error(&e))
        }
    };
    format!(
        r#"
        static __THIS_MODULE: ::kernel::module::ModuleSlot<{ty}> =
            ::kernel::module::ModuleSlot::new(c"{name}");
        ::kernel::__register_module!(__THIS_MODULE, c"{name}"{load});

        /// This module's name, author, description and license.
        #[allow(dead_code)]
        pub const MODULE_INFO: [&str; 4] = ["{name}", "{author}", "{desc}", "{license}"];

        /// Starts this module where there are no initcalls (the host
        /// build, `keel_host`): tools/sched-replay calls it.
        #[cfg(keel_host)]
        pub fn start_module() -> ::core::ffi::c_int {{
            __THIS_MODULE.init()
        }}

        /// The state of this module (for tests and introspection).
        #[allow(dead_code)]
        pub fn this_module() -> &'static ::kernel::module::ModuleSlot<{ty}> {{
            &__THIS_MODULE
        }}
        "#,
        ty = info.type_,
        name = info.name,
        author = info.author.escape_default(),
        desc = info.description.escape_default(),
        license = info.license.escape_default(),
        load = if info.load == "on_demand" { ", on_demand" } else { "" },
    )
    .parse()
    .unwrap_or_else(|_| crate::error("module!: internal error"))
}
