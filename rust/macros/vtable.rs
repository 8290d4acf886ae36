// SPDX-License-Identifier: MIT
//! `#[vtable]`: record which trait methods an impl provides.

use proc_macro::{Delimiter, Group, TokenStream, TokenTree};

/// Names of the `fn`s declared at the top level of an item body.
fn method_names(body: &TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let mut prev_fn = false;
    for tt in body.clone() {
        match &tt {
            TokenTree::Ident(i) if prev_fn => {
                names.push(i.to_string());
                prev_fn = false;
            }
            TokenTree::Ident(i) => prev_fn = i.to_string() == "fn",
            _ => prev_fn = false,
        }
    }
    names
}

/// Items at the top level of an impl body that only `#[vtable]` may
/// write: the `HAS_*` constants and `USE_VTABLE_ATTR`, and item-level
/// macro invocations (`name!(..);`), which could expand to them where
/// this macro cannot see it. Returns what each offence is, and the names
/// of the constants written (not emitted again, so that the refusal is
/// the only error).
fn reserved_items(body: &TokenStream) -> (Vec<String>, Vec<String>) {
    const ITEM_START: [&str; 8] =
        ["fn", "const", "type", "pub", "unsafe", "async", "extern", "default"];
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    let mut found = Vec::new();
    let mut names = Vec::new();
    // Where the next item starts, and how the current one ends: a fn at
    // its body (a brace group), a macro at a brace group or `;`, a const
    // or type at `;`.
    let mut at_start = true;
    let mut ends_at_brace = false;
    let mut i = 0;
    while i < tokens.len() {
        let tt = &tokens[i];
        i += 1;
        if at_start {
            match tt {
                TokenTree::Punct(p) if p.as_char() == '#' => i += 1, // attribute
                TokenTree::Punct(p) if p.as_char() == ';' => {}
                TokenTree::Ident(k) if ITEM_START.contains(&k.to_string().as_str()) => {
                    at_start = false;
                    ends_at_brace = k.to_string() == "fn";
                    if k.to_string() == "const" {
                        if let Some(TokenTree::Ident(name)) = tokens.get(i) {
                            let name = name.to_string();
                            if name.starts_with("HAS_") || name == "USE_VTABLE_ATTR" {
                                found.push(format!("`{name}` is set by #[vtable]"));
                                names.push(name);
                            }
                        }
                    }
                }
                other => {
                    found.push(format!(
                        "the item-level macro invocation at `{other}` could define \
                         what #[vtable] sets"
                    ));
                    at_start = false;
                    ends_at_brace = true;
                }
            }
            continue;
        }
        match tt {
            TokenTree::Ident(k) if k.to_string() == "fn" => ends_at_brace = true,
            TokenTree::Punct(p) if p.as_char() == ';' => at_start = true,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && ends_at_brace => {
                at_start = true
            }
            _ => {}
        }
    }
    (found, names)
}

pub(crate) fn vtable(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    let is_trait =
        tokens.iter().any(|t| matches!(t, TokenTree::Ident(i) if i.to_string() == "trait"));
    let is_impl =
        tokens.iter().any(|t| matches!(t, TokenTree::Ident(i) if i.to_string() == "impl"));
    let body_at = tokens
        .iter()
        .rposition(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace));
    let (Some(at), true) = (body_at, is_trait || is_impl) else {
        return crate::error("#[vtable] applies to a trait or an impl block");
    };
    let TokenTree::Group(body) = tokens[at].clone() else {
        return crate::error("#[vtable]: no body");
    };
    // An impl that writes a HAS_* constant itself could claim a method
    // it does not define, and C would call the trait's default: refused
    // (error E0080, from a constant that panics; compile_error! has no
    // error code).
    let mut refused = String::new();
    let (offences, written) =
        if is_impl { reserved_items(&body.stream()) } else { (Vec::new(), Vec::new()) };
    for what in offences {
        refused += &format!(
            "const _: () = ::core::panic!({:?});\n",
            format!("#[vtable]: {what}; remove it (the impl's methods decide)")
        );
    }
    let mut extra = String::new();
    for name in method_names(&body.stream()) {
        let konst = format!("HAS_{}", name.to_uppercase());
        if written.contains(&konst) {
            continue;
        }
        if is_trait {
            extra += &format!(
                "/// Whether the implementation provides `{name}`.\nconst {konst}: bool = false;\n"
            );
        } else {
            extra += &format!("const {konst}: bool = true;\n");
        }
    }
    if is_trait {
        extra += "#[doc(hidden)]\nconst USE_VTABLE_ATTR: ();\n";
    } else if !written.iter().any(|n| n == "USE_VTABLE_ATTR") {
        extra += "const USE_VTABLE_ATTR: () = ();\n";
    }
    let mut stream = body.stream();
    stream.extend(extra.parse::<TokenStream>().unwrap_or_default());
    let mut out: Vec<TokenTree> = tokens;
    let mut g = Group::new(Delimiter::Brace, stream);
    g.set_span(body.span());
    out[at] = TokenTree::Group(g);
    let mut out: TokenStream = out.into_iter().collect();
    out.extend(refused.parse::<TokenStream>().unwrap_or_default());
    out
}
