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
    let mut extra = String::new();
    for name in method_names(&body.stream()) {
        let konst = format!("HAS_{}", name.to_uppercase());
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
    } else {
        extra += "const USE_VTABLE_ATTR: () = ();\n";
    }
    let mut stream = body.stream();
    stream.extend(extra.parse::<TokenStream>().unwrap_or_default());
    let mut out: Vec<TokenTree> = tokens;
    let mut g = Group::new(Delimiter::Brace, stream);
    g.set_span(body.span());
    out[at] = TokenTree::Group(g);
    out.into_iter().collect()
}
