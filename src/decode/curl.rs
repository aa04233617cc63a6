//! DevTools' "Copy as cURL", in both dialects browsers offer: bash (`'…'`, `$'…'` ANSI-C quoting,
//! `\` line continuations) and Windows cmd (`^"…^"`, every special character caret-escaped, `^`
//! line continuations). The request body (`--data-raw`, `--data`, `-d`, `--data-binary`,
//! `--data-urlencode`; several are joined with `&` as curl does) goes to the form step, or the
//! URL to the URL step when the body holds no SAML field.

use super::form::url_carries_saml;
use super::message::{DecodeError, Layer, Next, Trail};

/// Whether the text is a curl command line.
pub(crate) fn is_curl(text: &str) -> bool {
    let t = text.trim_start();
    t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("curl ")) && t.len() > 5
}

/// Options whose next argument is their value (the ones DevTools writes, and common others).
const VALUE_OPTIONS: [&str; 14] = [
    "-H",
    "--header",
    "-b",
    "--cookie",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-X",
    "--request",
    "-u",
    "--user",
    "-o",
    "--output",
];
const DATA_OPTIONS: [&str; 6] = [
    "--data-raw",
    "--data",
    "-d",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
];

/// Splits a bash command line into words (quotes removed, escapes applied).
fn bash_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some('\n') => {}
                Some('\r') if it.peek() == Some(&'\n') => {
                    it.next();
                }
                Some(x) => cur.get_or_insert_default().push(x),
                None => {}
            },
            '\'' => {
                let w = cur.get_or_insert_default();
                loop {
                    match it.next() {
                        Some('\'') => break,
                        Some(x) => w.push(x),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '$' if it.peek() == Some(&'\'') => {
                it.next();
                let w = cur.get_or_insert_default();
                ansi_c(&mut it, w)?;
            }
            '"' => {
                let w = cur.get_or_insert_default();
                loop {
                    match it.next() {
                        Some('"') => break,
                        Some('\\') => match it.next() {
                            Some(x @ ('\\' | '$' | '`' | '"')) => w.push(x),
                            Some('\n') => {}
                            Some(x) => {
                                w.push('\\');
                                w.push(x);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(x) => w.push(x),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            c if c.is_whitespace() => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            c => cur.get_or_insert_default().push(c),
        }
    }
    words.extend(cur);
    Ok(words)
}

/// The body of a `$'…'` string, after its opening quote.
fn ansi_c(it: &mut std::iter::Peekable<std::str::Chars<'_>>, w: &mut String) -> Result<(), String> {
    loop {
        match it.next() {
            Some('\'') => return Ok(()),
            Some('\\') => {
                let e = it.next().ok_or("a $'…' string is not closed")?;
                let hex = |it: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize| {
                    let mut v = 0u32;
                    for _ in 0..n {
                        match it.peek().and_then(|c| c.to_digit(16)) {
                            Some(d) => {
                                v = v * 16 + d;
                                it.next();
                            }
                            None => break,
                        }
                    }
                    char::from_u32(v).unwrap_or('\u{FFFD}')
                };
                match e {
                    'n' => w.push('\n'),
                    'r' => w.push('\r'),
                    't' => w.push('\t'),
                    'x' => w.push(hex(it, 2)),
                    'u' => w.push(hex(it, 4)),
                    'U' => w.push(hex(it, 8)),
                    x => w.push(x),
                }
            }
            Some(x) => w.push(x),
            None => return Err("a $'…' string is not closed".into()),
        }
    }
}

/// Splits a cmd command line: cmd first drops each escaping `^` (and `^` line continuations),
/// then the program's argument parser (MSVCRT rules) splits on spaces outside `"…"`, with `\"`
/// and `""` (inside quotes) as a literal quote.
fn cmd_words(s: &str) -> Vec<String> {
    let mut line = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '^' => match it.next() {
                Some('\n') => {}
                Some('\r') if it.peek() == Some(&'\n') => {
                    it.next();
                }
                Some(x) => line.push(x),
                None => {}
            },
            c => line.push(c),
        }
    }
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut quoted = false;
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' if it.peek() == Some(&'"') => {
                it.next();
                cur.get_or_insert_default().push('"');
            }
            '"' if quoted && it.peek() == Some(&'"') => {
                it.next();
                cur.get_or_insert_default().push('"');
            }
            '"' => {
                quoted = !quoted;
                cur.get_or_insert_default();
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            c => cur.get_or_insert_default().push(c),
        }
    }
    words.extend(cur);
    words
}

/// The cURL step: the body (or URL) of a copied curl command.
pub(crate) fn curl_step(text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let cmd = text.contains("^\"") || text.contains(" ^\n") || text.contains(" ^\r\n");
    let dialect = if cmd { "cmd" } else { "bash" };
    let step = format!("cURL command ({dialect})");
    let words = if cmd {
        cmd_words(text)
    } else {
        bash_words(text).map_err(|e| DecodeError::invalid(step.clone(), e))?
    };
    let (mut url, mut data, mut options) = (None, Vec::new(), Vec::new());
    let mut args = words.iter().skip(1);
    while let Some(a) = args.next() {
        if let Some(d) = DATA_OPTIONS.iter().find(|d| a == *d) {
            data.extend(args.next().cloned());
            options.push(*d);
        } else if let Some((opt, v)) = a
            .split_once('=')
            .filter(|(o, _)| DATA_OPTIONS[..5].contains(o))
        {
            data.push(v.to_string());
            options.push(
                DATA_OPTIONS
                    .iter()
                    .find(|d| **d == opt)
                    .copied()
                    .unwrap_or("--data"),
            );
        } else if a == "--url" {
            url = args.next().cloned();
        } else if VALUE_OPTIONS.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') && url.is_none() {
            url = Some(a.clone());
        }
    }
    let body = data.join("&");
    if body.contains("SAMLResponse=") || body.contains("SAMLRequest=") {
        options.dedup();
        let t = trail.with_step(format!("{step} {}", options.join(" ")));
        return Ok(vec![(Layer::Form(body), t)]);
    }
    match url {
        Some(u) if url_carries_saml(&u) => Ok(vec![(
            Layer::Url(u),
            trail.with_step(format!("{step} URL")),
        )]),
        _ => Err(DecodeError::NotSaml(format!(
            "a curl command ({dialect}) whose URL and body carry no SAMLRequest or SAMLResponse; \
             copy the POST to the ACS URL (or the redirect to the IdP) instead"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(text: &str) -> (String, Vec<String>) {
        let next = curl_step(text, &Trail::default()).unwrap();
        match &next[0] {
            (Layer::Form(b), t) | (Layer::Url(b), t) => (b.clone(), t.steps.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bash_quoting() {
        let c = "curl 'https://a.test/acs' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  --data-raw $'SAMLResponse=PHN%2B\\x41\\'b&RelayState=r'";
        assert!(is_curl(c));
        let (b, steps) = body_of(c);
        assert_eq!(b, "SAMLResponse=PHN%2BA'b&RelayState=r");
        assert_eq!(steps, ["cURL command (bash) --data-raw"]);
        let (b, _) =
            body_of("curl \"https://a.test/acs\" -d \"SAMLResponse=a\\\"b\" --data 'RelayState=x'");
        assert_eq!(b, "SAMLResponse=a\"b&RelayState=x");
        let (u, steps) = body_of("curl 'https://i.test/sso?SAMLRequest=abc' -H 'x: y'");
        assert_eq!(
            (u.as_str(), steps[0].as_str()),
            (
                "https://i.test/sso?SAMLRequest=abc",
                "cURL command (bash) URL"
            )
        );
        assert!(curl_step("curl 'https://a.test/ -d 'x", &Trail::default()).is_err());
        assert!(curl_step("curl https://a.test/", &Trail::default()).is_err());
        assert!(!is_curl("curlé") && !is_curl("curl"));
    }

    #[test]
    fn cmd_quoting() {
        let c = "curl ^\"https://a.test/acs^\" ^\n  -H ^\"accept: text/html^\" ^\n  --data-raw ^\"SAMLResponse=PHN^%^2B^&RelayState=r^\"";
        let (b, steps) = body_of(c);
        assert_eq!(b, "SAMLResponse=PHN%2B&RelayState=r");
        assert_eq!(steps, ["cURL command (cmd) --data-raw"]);
        let (b, _) = body_of("curl ^\"https://a.test/^\" --data-raw ^\"SAMLResponse=a\\^\"b^\"");
        assert_eq!(b, "SAMLResponse=a\"b");
    }
}
