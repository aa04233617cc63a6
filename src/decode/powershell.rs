//! DevTools' "Copy as PowerShell": `Invoke-WebRequest -Uri "https://…" … -Body "SAMLResponse=…"`.
//! PowerShell strings: in `"…"` a backtick escapes the next character (`` `n ``, `` `t ``… are
//! control characters) and `""` is a quote; in `'…'` only `''` is. The body goes to the form
//! step, or the URI to the URL step when the body holds no SAML field.

use super::form::url_carries_saml;
use super::message::{DecodeError, Layer, Next, Trail};

/// Whether the text is a PowerShell web request.
pub(crate) fn is_powershell(text: &str) -> bool {
    text.contains("Invoke-WebRequest") || text.contains("Invoke-RestMethod")
}

/// The PowerShell string literal that follows parameter `name`, if any.
fn parameter(text: &str, name: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&name.to_ascii_lowercase()) {
        let at = from + i + name.len();
        from = at;
        let rest = text[at..].trim_start();
        // `-Body ([System.Text.Encoding]::UTF8.GetBytes("…"))` for non-ASCII bodies.
        let rest = rest
            .strip_prefix("([System.Text.Encoding]::UTF8.GetBytes(")
            .unwrap_or(rest);
        if let Some(s) = string_at(rest) {
            return Some(s);
        }
    }
    None
}

fn string_at(s: &str) -> Option<String> {
    let mut it = s.chars().peekable();
    let q = it.next().filter(|c| *c == '"' || *c == '\'')?;
    let mut out = String::new();
    while let Some(c) = it.next() {
        if c == q {
            if it.peek() == Some(&q) {
                it.next();
                out.push(q);
                continue;
            }
            return Some(out);
        }
        if c == '`' && q == '"' {
            match it.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                '0' => out.push('\0'),
                x => out.push(x),
            }
            continue;
        }
        out.push(c);
    }
    None
}

/// The PowerShell step: the body (or URI) of a copied Invoke-WebRequest.
pub(crate) fn powershell_step(text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let body = parameter(text, "-Body");
    if let Some(b) = body.filter(|b| b.contains("SAMLResponse=") || b.contains("SAMLRequest=")) {
        return Ok(vec![(Layer::Form(b), trail.with_step("PowerShell -Body"))]);
    }
    match parameter(text, "-Uri") {
        Some(u) if url_carries_saml(&u) => {
            Ok(vec![(Layer::Url(u), trail.with_step("PowerShell -Uri"))])
        }
        _ => Err(DecodeError::NotSaml(
            "a PowerShell web request whose -Uri and -Body carry no SAMLRequest or SAMLResponse; \
             copy the POST to the ACS URL (or the redirect to the IdP) instead"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_shape_and_escapes() {
        let ps = "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\nInvoke-WebRequest -UseBasicParsing -Uri \"https://a.test/acs\" `\n-Method \"POST\" `\n-WebSession $session `\n-ContentType \"application/x-www-form-urlencoded\" `\n-Body \"SAMLResponse=PHN%2B&RelayState=`$r`\"1\"\"\"";
        assert!(is_powershell(ps));
        let next = powershell_step(ps, &Trail::default()).unwrap();
        let (Layer::Form(b), t) = &next[0] else {
            panic!()
        };
        assert_eq!(b, "SAMLResponse=PHN%2B&RelayState=$r\"1\"");
        assert_eq!(t.steps, ["PowerShell -Body"]);
        let get = "Invoke-WebRequest -Uri 'https://i.test/sso?SAMLRequest=a''b'";
        let next = powershell_step(get, &Trail::default()).unwrap();
        assert!(matches!(&next[0].0, Layer::Url(u) if u.ends_with("SAMLRequest=a'b")));
        assert!(
            powershell_step(
                "Invoke-WebRequest -Uri \"https://a.test/\"",
                &Trail::default()
            )
            .is_err()
        );
    }
}
