// SPDX-License-Identifier: MIT
//! `#[ktest(suite)]`: turn `#[test]` functions in a module into ktest cases.

use proc_macro::{Delimiter, Group, TokenStream, TokenTree};

/// Is `tt` the `[test]` group of a `#[test]` attribute?
fn is_test_attr(tt: &TokenTree) -> bool {
    match tt {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
            let inner: Vec<String> = g.stream().into_iter().map(|t| t.to_string()).collect();
            inner == ["test"]
        }
        _ => false,
    }
}

/// Removes the `#[test]` attributes from a module body and returns the
/// names of the functions that carried them.
fn strip_tests(body: TokenStream) -> (TokenStream, Vec<String>) {
    let tokens: Vec<TokenTree> = body.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut names = Vec::new();
    let mut pending = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if matches!(t, TokenTree::Punct(p) if p.as_char() == '#')
            && tokens.get(i + 1).is_some_and(is_test_attr)
        {
            pending = true;
            i += 2;
            continue;
        }
        if pending {
            if let TokenTree::Ident(id) = t {
                if id.to_string() == "fn" {
                    if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                        names.push(name.to_string());
                    }
                    pending = false;
                }
            }
        }
        out.push(t.clone());
        i += 1;
    }
    (out.into_iter().collect(), names)
}

pub(crate) fn ktest(attr: TokenStream, item: TokenStream) -> TokenStream {
    let suite = attr.to_string();
    if suite.is_empty() || !suite.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return crate::error("#[ktest(suite_name)]: give the suite a name");
    }
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let is_mod = tokens.iter().any(|t| matches!(t, TokenTree::Ident(i) if i.to_string() == "mod"));
    let body_at = tokens
        .iter()
        .rposition(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace));
    let (Some(at), true) = (body_at, is_mod) else {
        return crate::error("#[ktest] applies to an inline module: `mod tests { ... }`");
    };
    let TokenTree::Group(body) = tokens[at].clone() else {
        return crate::error("#[ktest]: no body");
    };
    let (mut stream, names) = strip_tests(body.stream());
    if names.is_empty() {
        return crate::error("#[ktest]: the module has no #[test] functions");
    }
    let mut extra = String::new();
    let mut cases = String::new();
    for n in &names {
        extra += &format!(
            "extern \"C\" fn __ktest_run_{n}(t: &mut ::kernel::ktest::Test) {{ {n}(t) }}\n"
        );
        cases += &format!("::kernel::ktest::Case::new(c\"{n}\", __ktest_run_{n}),\n");
    }
    extra += &format!(
        "static __KTEST_CASES: [::kernel::ktest::Case; {count}] = [{cases} ::kernel::ktest::Case::END];\n\
         static __KTEST_SUITE: ::kernel::ktest::Suite =\n\
             ::kernel::ktest::Suite::new(c\"{suite}\", &__KTEST_CASES);\n\
         ::kernel::__ktest_register!(__KTEST_SUITE);\n",
        count = names.len() + 1,
    );
    stream.extend(extra.parse::<TokenStream>().unwrap_or_default());
    let mut g = Group::new(Delimiter::Brace, stream);
    g.set_span(body.span());
    tokens[at] = TokenTree::Group(g);
    // the host build of the kernel crate (keel_host) has no test runner
    let mut out: TokenStream = "#[cfg(not(keel_host))]".parse().unwrap_or_default();
    out.extend(tokens);
    out
}
