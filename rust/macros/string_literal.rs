// SPDX-License-Identifier: MIT
//! The value of a string literal token, as the compiler reads it.
//!
//! `proc_macro` hands a literal over only as its source text
//! (`"O\"Brien"`, `r#"a"b"#`); `module!` needs the value to check it and
//! to emit it again. Pure string code, so it also builds on its own for
//! the host, where `host_tests` runs (the `rust-host` tier of `make
//! check`): `rustc --edition 2021 --test rust/macros/string_literal.rs`.

/// The value of a string literal from its source text: `"..."` with
/// Rust's escapes, or a raw `r"..."`/`r#"..."#`. Byte and C strings,
/// and anything else, are an error naming what was found.
pub(crate) fn unquote(lit: &str) -> Result<String, String> {
    if let Some(raw) = lit.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let fence = "#".repeat(hashes);
        return raw
            .strip_prefix(&fence)
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.strip_suffix(&fence))
            .and_then(|r| r.strip_suffix('"'))
            .map(str::to_string)
            .ok_or_else(|| format!("malformed raw string literal {lit}"));
    }
    let body = lit
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|_| lit.len() >= 2)
        .ok_or_else(|| format!("expected a string literal, found {lit}"))?;
    unescape(body)
}

/// Resolves the escapes of a plain string literal's body.
fn unescape(body: &str) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some(c @ ('\\' | '"' | '\'')) => out.push(c),
            Some('x') => out.push(hex_escape(&mut chars)?),
            Some('u') => out.push(unicode_escape(&mut chars)?),
            Some('\n') => {
                // line continuation: skip the newline and leading blanks
                let rest = chars.as_str().trim_start_matches([' ', '\t', '\n', '\r']);
                chars = rest.chars();
            }
            Some(c) => return Err(format!("unknown escape \\{c}")),
            None => return Err("string literal ends in a backslash".into()),
        }
    }
    Ok(out)
}

/// `\xHH` (after the `x`): two hex digits, at most 0x7f.
fn hex_escape(chars: &mut std::str::Chars<'_>) -> Result<char, String> {
    let digits: String = chars.take(2).collect();
    match u8::from_str_radix(&digits, 16) {
        Ok(v) if digits.len() == 2 && v <= 0x7f => Ok(char::from(v)),
        _ => Err(format!("bad \\x escape \\x{digits}")),
    }
}

/// `\u{H..}` (after the `u`): 1 to 6 hex digits naming a scalar value.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Result<char, String> {
    let rest = chars.as_str();
    let inner = rest
        .strip_prefix('{')
        .and_then(|r| r.split_once('}'))
        .map(|(digits, _)| digits)
        .ok_or("bad \\u escape: expected \\u{...}")?;
    let value = u32::from_str_radix(&inner.replace('_', ""), 16)
        .ok()
        .filter(|_| (1..=6).contains(&inner.len()))
        .and_then(char::from_u32)
        .ok_or_else(|| format!("bad \\u escape \\u{{{inner}}}"))?;
    *chars = rest[inner.len() + 2..].chars();
    Ok(value)
}

#[cfg(test)]
mod host_tests {
    use super::unquote;

    #[test]
    fn plain_string() {
        assert_eq!(unquote(r#""keel""#), Ok("keel".to_string()));
        assert_eq!(unquote(r#""""#), Ok(String::new()));
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(unquote(r#""O\"Brien""#), Ok("O\"Brien".to_string()));
        assert_eq!(unquote(r#""a\\b\n\t\r\0\'""#), Ok("a\\b\n\t\r\0'".to_string()));
    }

    #[test]
    fn hex_and_unicode_escapes() {
        assert_eq!(unquote(r#""\x41\x7f""#), Ok("A\x7f".to_string()));
        assert_eq!(unquote(r#""caf\u{e9} \u{1F980}""#), Ok("caf\u{e9} \u{1f980}".to_string()));
        assert!(unquote(r#""\x80""#).is_err(), "\\x is ASCII only");
        assert!(unquote(r#""\u{d800}""#).is_err(), "surrogates are not chars");
        assert!(unquote(r#""\u{}""#).is_err());
        assert!(unquote(r#""\u{1234567}""#).is_err());
    }

    #[test]
    fn line_continuation() {
        assert_eq!(unquote("\"one \\\n      two\""), Ok("one two".to_string()));
    }

    #[test]
    fn raw_strings_are_verbatim() {
        assert_eq!(unquote(r#"r"a\nb""#), Ok("a\\nb".to_string()));
        assert_eq!(unquote(r###"r##"say "#hi""##"###), Ok("say \"#hi\"".to_string()));
        assert!(unquote(r###"r##"unbalanced"#"###).is_err());
    }

    #[test]
    fn other_literals_are_rejected() {
        for lit in ["42", "'c'", r#"b"bytes""#, r#"c"cstr""#, "\"", r#""\q""#, "\"a\\\""] {
            assert!(unquote(lit).is_err(), "{lit} should be rejected");
        }
    }
}
