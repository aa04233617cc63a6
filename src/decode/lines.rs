//! Name/value copies of a request's form data, one field per line: DevTools' parsed payload view
//! (`SAMLResponse: PHN…`, Chrome and Edge "Payload → view parsed", Firefox "Request → Form data")
//! and tab-separated `name<TAB>value` copies (a DevTools table or a spreadsheet pasted as text).
//! Each SAML field becomes a value for the base64 step, with the copy's RelayState.

use super::message::{DecodeError, Layer, Next, SAML_PARAMS, Trail};

/// How the name and the value of a line are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// `name: value` (DevTools' parsed view).
    Colon,
    /// `name<TAB>value`.
    Tab,
}

impl Separator {
    fn split(self, line: &str) -> Option<(&str, &str)> {
        let (name, value) = match self {
            Separator::Colon => line.split_once(':')?,
            Separator::Tab => line.split_once('\t')?,
        };
        let name = name.trim();
        (!name.is_empty() && !name.contains(char::is_whitespace)).then_some((name, value.trim()))
    }

    fn describe(self) -> &'static str {
        match self {
            Separator::Colon => "DevTools payload line",
            Separator::Tab => "tab-separated line",
        }
    }
}

/// Whether the text has a line naming a SAML field with this separator.
pub(crate) fn has_saml_line(text: &str, sep: Separator) -> bool {
    text.lines()
        .filter_map(|l| sep.split(l))
        .any(|(n, v)| SAML_PARAMS.contains(&n) && !v.is_empty())
}

/// The lines step: one value per SAML line.
pub(crate) fn lines_step(text: &str, sep: Separator, trail: &Trail) -> Result<Next, DecodeError> {
    let pairs: Vec<(usize, &str, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| sep.split(l).map(|(n, v)| (i + 1, n, v)))
        .collect();
    let relay = pairs
        .iter()
        .find(|(_, n, _)| *n == "RelayState")
        .map(|(_, _, v)| v.to_string());
    let out: Next = pairs
        .iter()
        .filter(|(_, n, _)| SAML_PARAMS.contains(n))
        .map(|(line, name, value)| {
            let mut t = trail.with_step(format!("{} {name} (line {line})", sep.describe()));
            t.parameter = Some(name.to_string());
            t.relay_state = relay.clone();
            (Layer::Value(value.to_string()), t)
        })
        .collect();
    if out.is_empty() {
        return Err(DecodeError::NotSaml(
            "name/value lines without a SAMLRequest or SAMLResponse field".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_view_and_tab_lines() {
        let copy = "SAMLResponse: PHNhbWw+\nRelayState: r1\n";
        assert!(has_saml_line(copy, Separator::Colon));
        let next = lines_step(copy, Separator::Colon, &Trail::default()).unwrap();
        let (Layer::Value(v), t) = &next[0] else {
            panic!()
        };
        assert_eq!(
            (v.as_str(), t.relay_state.as_deref()),
            ("PHNhbWw+", Some("r1"))
        );
        assert_eq!(t.steps, ["DevTools payload line SAMLResponse (line 1)"]);
        let tsv = "Name\tValue\nRelayState\tx\nSAMLRequest\tabc\n";
        assert!(has_saml_line(tsv, Separator::Tab) && !has_saml_line(tsv, Separator::Colon));
        let next = lines_step(tsv, Separator::Tab, &Trail::default()).unwrap();
        assert_eq!(next[0].1.steps, ["tab-separated line SAMLRequest (line 3)"]);
        assert!(!has_saml_line("SAMLResponse is: x", Separator::Colon));
    }
}
