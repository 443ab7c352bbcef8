//! Text repair and lexing: the first step of reading a supplier name.
//!
//! Ledger names arrive damaged in a few recurring ways, each repaired here before any
//! matching: UTF-8 read as Windows-1252 and written back (`HOLLINGWORTHÂ´S`), escapes written out
//! as text (`HOLLINGWORTH\xB4S`), HTML entities (`Pennant Recycling &amp; Recovery`), accents,
//! curly and stray apostrophes (`N'HS`), and case. [`clean`] returns lower-case text in
//! which apostrophes are gone (so `Hollingworth's` and `Hollingworths` agree), `&` and `+` are
//! `and`, and the punctuation that carries structure (brackets, dashes, slashes, `*`,
//! commas) is kept for [`lex`].

/// Characters 0x80–0x9F of Windows-1252 (0 where the code page leaves a hole).
const CP1252_HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘',
    '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

/// The Windows-1252 byte for a character, if it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c && h != '\0')
        .map(|i| 0x80 + i as u8)
}

/// The character a Windows-1252 byte stands for.
fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => {
            let c = CP1252_HIGH[(b - 0x80) as usize];
            if c == '\0' {
                ' '
            } else {
                c
            }
        }
        _ => b as char,
    }
}

/// Undo "UTF-8 decoded as Windows-1252" (`Â´` → `´`, `â€™` → `’`) when the whole string
/// re-encodes to valid UTF-8 that is shorter; otherwise return it unchanged.
fn fix_mojibake(s: &str) -> Option<String> {
    if !s.chars().any(|c| matches!(c, 'Â' | 'Ã' | 'â' | 'Ä' | 'Å')) {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        bytes.push(cp1252_byte(c)?);
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (fixed.chars().count() < s.chars().count()).then_some(fixed)
}

/// Replace escapes written out as text, `\xB4`, by the Windows-1252 character.
fn unescape_hex(s: &str) -> Option<String> {
    if !s.contains("\\x") && !s.contains("\\X") {
        return None;
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && (b[i + 1] == b'x' || b[i + 1] == b'X')
            && b[i + 2].is_ascii_hexdigit()
            && b[i + 3].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap_or("20");
            let v = u8::from_str_radix(hex, 16).unwrap_or(b' ');
            out.push(cp1252_char(v));
            i += 4;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    Some(out)
}

/// Replace the HTML entities that appear in exported names.
fn unescape_entities(s: &str) -> Option<String> {
    if !s.contains('&') || !s.contains(';') {
        return None;
    }
    let mut out = s.to_string();
    for (from, to) in [
        ("&amp;", "&"),
        ("&AMP;", "&"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&#39;", "'"),
        ("&#039;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
    ] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    Some(out)
}

/// Fold one character to lower-case ASCII where a plain equivalent exists.
fn fold(c: char, out: &mut String) {
    match c {
        'a'..='z' | '0'..='9' => out.push(c),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' => out.push('a'),
        'æ' | 'Æ' => out.push_str("ae"),
        'ç' | 'Ç' | 'ć' | 'č' => out.push('c'),
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'į' | 'ı' => out.push('i'),
        'ð' | 'Ð' | 'ď' | 'đ' => out.push('d'),
        'ñ' | 'Ñ' | 'ń' | 'ň' => out.push('n'),
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'ő' => out.push('o'),
        'œ' | 'Œ' => out.push_str("oe"),
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' => out.push('u'),
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' | 'ŷ' => out.push('y'),
        'ŵ' | 'Ŵ' => out.push('w'),
        'ß' => out.push_str("ss"),
        'ł' | 'Ł' => out.push('l'),
        'š' | 'Š' | 'ś' => out.push('s'),
        'ž' | 'Ž' | 'ź' | 'ż' => out.push('z'),
        'ř' => out.push('r'),
        'þ' | 'Þ' => out.push_str("th"),
        c if c.is_alphabetic() => out.extend(c.to_lowercase()),
        c if c.is_numeric() => out.push(c),
        _ => out.push(' '),
    }
}

/// Repair and fold a raw name: encoding damage, entities, accents, apostrophes, case.
///
/// ```
/// use anchornet_resolve::text::clean;
/// assert_eq!(clean("HOLLINGWORTHÂ´S"), "hollingworths");
/// assert_eq!(clean("HOLLINGWORTH\\xB4S"), "hollingworths");
/// assert_eq!(clean("Pennant Recycling &amp; Recovery"), "pennant recycling  and  recovery");
/// ```
pub fn clean(raw: &str) -> String {
    let mut s: std::borrow::Cow<str> = raw.trim().into();
    if let Some(f) = unescape_hex(&s) {
        s = f.into();
    }
    if let Some(f) = fix_mojibake(&s) {
        s = f.into();
    }
    if let Some(f) = unescape_entities(&s) {
        s = f.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // `Living+ Ltd`: a `+` ending a word is `plus`; between words it is `and`.
        if c == '+'
            && out.ends_with(|p: char| p.is_alphanumeric())
            && chars.peek().is_none_or(|n| n.is_whitespace())
        {
            out.push_str(" plus ");
            continue;
        }
        match c {
            // Apostrophes (and the replacement character, which in these files almost
            // always stood for one) join the letters around them: Hollingworth's = Hollingworths.
            '\'' | '’' | '‘' | '´' | '`' | 'ʼ' | '′' | '\u{FFFD}' => {}
            '&' | '+' => out.push_str(" and "),
            '(' | ')' | '[' | ']' | '{' | '}' | '-' | '–' | '—' | '/' | '\\' | '*' | ',' | ';'
            | ':' | '.' | '|' => out.push(if c == '–' || c == '—' {
                '-'
            } else if c == '\\' || c == '|' {
                '/'
            } else if matches!(c, '[' | '{') {
                '('
            } else if matches!(c, ']' | '}') {
                ')'
            } else {
                c
            }),
            c if c.is_whitespace() => out.push(' '),
            c => fold(c, &mut out),
        }
    }
    out
}

/// One lexical item of a cleaned name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lex {
    /// A word: letters and digits.
    Word(String),
    /// `(` (also `[` `{`).
    Open,
    /// `)`.
    Close,
    /// A dash with space on a side (`X - Y`, `X -Y`), or a slash between words that are not
    /// an abbreviation (`MBC/INET`): what follows is usually a payment purpose or account.
    Dash,
    /// A hyphen inside a word (`HC-ONE`, `TRUST-ASHCROFT`), or a comma: a weak split point.
    Split,
    /// `T/A`, `trading as`: a trading name follows.
    TradingAs,
    /// `C/O`: the rest names someone else.
    CareOf,
    /// `*`: card-processor prefix (`PAYPAL *SHOP`) or merchant reference (`AMAZON*X1Y2`).
    Star,
}

/// Split a cleaned name into words and the punctuation that carries structure.
pub fn lex(s: &str) -> Vec<Lex> {
    let b = s.as_bytes();
    let mut out: Vec<Lex> = Vec::with_capacity(8);
    let mut i = 0;
    let n = b.len();
    let word_end = |mut j: usize| {
        while j < n && !is_sep(b[j]) {
            j += 1;
        }
        j
    };
    while i < n {
        let c = b[i];
        match c {
            b' ' | b'.' => i += 1,
            b'(' => {
                out.push(Lex::Open);
                i += 1;
            }
            b')' => {
                out.push(Lex::Close);
                i += 1;
            }
            b'*' => {
                out.push(Lex::Star);
                i += 1;
            }
            b',' | b';' | b':' => {
                out.push(Lex::Split);
                i += 1;
            }
            b'-' => {
                let space_before = i == 0 || b[i - 1] == b' ';
                let space_after = i + 1 >= n || b[i + 1] == b' ';
                if space_before || space_after {
                    out.push(Lex::Dash);
                } else {
                    out.push(Lex::Split);
                }
                i += 1;
            }
            b'/' => {
                // Look at the words touching the slash.
                let prev = match out.last() {
                    Some(Lex::Word(w)) if i > 0 && b[i - 1] != b' ' => Some(w.clone()),
                    _ => None,
                };
                let next_end = if i + 1 < n && !is_sep(b[i + 1]) {
                    word_end(i + 1)
                } else {
                    i + 1
                };
                let next = &s[i + 1..next_end];
                match (prev.as_deref(), next) {
                    (Some("t"), n2) if n2 == "a" || n2 == "as" || n2.starts_with('a') => {
                        out.pop();
                        out.push(Lex::TradingAs);
                        // `T/AThe Gig Cartel`: keep what follows the `a`.
                        let rest = &next[1..];
                        let rest = rest
                            .strip_prefix('s')
                            .filter(|_| next == "as")
                            .unwrap_or(rest);
                        if !rest.is_empty() && next != "as" {
                            out.push(Lex::Word(rest.to_string()));
                        }
                        i = next_end;
                    }
                    (Some("c"), "o") => {
                        out.pop();
                        out.push(Lex::CareOf);
                        i = next_end;
                    }
                    (Some(p), n2)
                        if !n2.is_empty()
                            && p.len() <= 3
                            && n2.len() <= 3
                            && p.len() + n2.len() <= 5
                            && p.bytes().all(|x| x.is_ascii_alphabetic())
                            && n2.bytes().all(|x| x.is_ascii_alphabetic()) =>
                    {
                        // `M/cr`, `A/C`: one abbreviation.
                        let joined = format!("{p}{n2}");
                        out.pop();
                        out.push(Lex::Word(joined));
                        i = next_end;
                    }
                    _ => {
                        out.push(Lex::Dash);
                        i += 1;
                    }
                }
            }
            _ => {
                let j = word_end(i);
                let w = &s[i..j];
                // `INN44014120`, `Ltd0798003774276`: letters glued to a long reference.
                let digits_from = w
                    .char_indices()
                    .find(|(_, c)| c.is_ascii_digit())
                    .map(|(k, _)| k)
                    .filter(|&k| {
                        k >= 2
                            && w[k..].len() >= 4
                            && w[k..].bytes().all(|b| b.is_ascii_digit())
                            && w[..k].bytes().all(|b| b.is_ascii_alphabetic())
                    });
                match digits_from {
                    Some(k) => {
                        out.push(Lex::Word(w[..k].to_string()));
                        out.push(Lex::Word(w[k..].to_string()));
                    }
                    None => out.push(Lex::Word(w.to_string())),
                }
                i = j;
            }
        }
    }
    // `trading as` spelt out, and a lone `TA` between two names
    // (`BRAMLEY SYSTEMS LTD TA QUILLPOINT`).
    let mut k = 1;
    while k < out.len() {
        let is_word = |l: &Lex, w: &str| matches!(l, Lex::Word(x) if x == w);
        if k + 1 < out.len() && is_word(&out[k], "trading") && is_word(&out[k + 1], "as") {
            out.splice(k..k + 2, [Lex::TradingAs]);
        } else if (is_word(&out[k], "ta") || is_word(&out[k], "tas"))
            && matches!(out.get(k + 1), Some(Lex::Word(_)))
            && matches!(out[k - 1], Lex::Word(_) | Lex::Close)
        {
            out[k] = Lex::TradingAs;
        }
        k += 1;
    }
    out
}

fn is_sep(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'.' | b'(' | b')' | b'*' | b',' | b';' | b':' | b'-' | b'/'
    )
}

/// Damerau–Levenshtein (optimal string alignment) distance of two byte strings, or
/// `max + 1` as soon as it is known to exceed `max`.
pub fn osa(a: &[u8], b: &[u8], max: usize) -> usize {
    const N: usize = 48;
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max || n >= N || m >= N {
        return max + 1;
    }
    // Three rows on the stack: this runs for many word pairs.
    let mut prev2 = [0usize; N];
    let mut prev = [0usize; N];
    let mut cur = [0usize; N];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Lex> {
        lex(&clean(s))
    }

    #[test]
    fn repairs() {
        assert_eq!(clean("HOLLINGWORTHÂ´S"), "hollingworths");
        assert_eq!(clean("Hollingworth's"), "hollingworths");
        assert_eq!(clean("HOLLINGWORTH\\xB4S"), "hollingworths");
        assert_eq!(clean("N'HS"), "nhs");
        assert_eq!(clean("Café Nero"), "cafe nero");
        assert_eq!(clean("A&B"), "a and b");
    }

    #[test]
    fn lexes_structure() {
        use Lex::*;
        let w = |s: &str| Word(s.to_string());
        assert_eq!(
            words("Bramley Ltd T/A Quillpoint"),
            vec![w("bramley"), w("ltd"), TradingAs, w("quillpoint")]
        );
        assert_eq!(
            words("Orla Sound Ltd T/AThe Night Shift"),
            vec![
                w("orla"),
                w("sound"),
                w("ltd"),
                TradingAs,
                w("the"),
                w("night"),
                w("shift")
            ]
        );
        assert_eq!(
            words("University of M/cr"),
            vec![w("university"), w("of"), w("mcr")]
        );
        assert_eq!(
            words("Wigan Mbc C/O Pensions"),
            vec![w("wigan"), w("mbc"), CareOf, w("pensions")]
        );
        assert_eq!(words("HC-ONE"), vec![w("hc"), Split, w("one")]);
        assert_eq!(words("A - B"), vec![w("a"), Dash, w("b")]);
        assert_eq!(words("MBC/WEB"), vec![w("mbc"), Dash, w("web")]);
        assert_eq!(words("X trading as Y"), vec![w("x"), TradingAs, w("y")]);
    }
}
