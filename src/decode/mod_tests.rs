//! The whole decoder, input to messages: every paste form, and the errors it gives.

use super::encode;
use super::*;

const XML: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1">é+/?</samlp:Response>"#;

fn one(input: &[u8]) -> DecodedMessage {
    let mut v = decode(input, &Limits::default()).unwrap();
    assert_eq!(v.len(), 1);
    v.remove(0)
}

#[test]
fn raw_xml_passes_through() {
    let m = one(XML.as_bytes());
    assert_eq!(m.xml, XML);
    assert_eq!(m.steps_line(), "raw XML");
}

#[test]
fn base64_forms() {
    let b = encode::base64(XML);
    assert_eq!(one(b.as_bytes()).xml, XML);
    let wrapped: String = b
        .as_bytes()
        .chunks(10)
        .map(|c| String::from_utf8_lossy(c) + "\n")
        .collect();
    assert_eq!(one(wrapped.as_bytes()).xml, XML);
    let unpadded = b.trim_end_matches('=');
    assert_eq!(one(unpadded.as_bytes()).xml, XML);
    let urlsafe = b.replace('+', "-").replace('/', "_");
    assert_eq!(one(urlsafe.as_bytes()).xml, XML);
    assert_eq!(one(format!("  \"{b}\"  ").as_bytes()).xml, XML);
}

#[test]
fn form_body_and_plus_handling() {
    let b = encode::base64(XML);
    assert!(b.contains('+'), "fixture should exercise '+': {b}");
    let body = format!("SAMLResponse={}&RelayState=abc", encode::url(&b));
    let m = one(body.as_bytes());
    assert_eq!(m.xml, XML);
    assert_eq!(m.relay_state.as_deref(), Some("abc"));
    assert!(m.steps.contains(&"url-decode".to_string()));
    // Unencoded base64 in a form body: '+' must stay '+'.
    let raw = format!("SAMLResponse={b}&RelayState=abc");
    assert_eq!(one(raw.as_bytes()).xml, XML);
    // '+' turned into spaces by a form decoder.
    let spaced = b.replace('+', " ");
    assert_eq!(one(spaced.as_bytes()).xml, XML);
    // Double encoding.
    let double = encode::url(&encode::url(&b));
    assert!(
        one(double.as_bytes())
            .steps_line()
            .contains("url-decode ×2")
    );
}

#[test]
fn redirect_url_is_inflated() {
    let url = format!(
        "https://idp.test/sso?SAMLRequest={}&RelayState=x",
        encode::redirect_value(XML)
    );
    let m = one(url.as_bytes());
    assert_eq!(m.xml, XML);
    assert_eq!(
        m.steps_line(),
        "query string → field SAMLRequest → url-decode → base64 → inflate"
    );
}

#[test]
fn zlib_and_gzip_streams() {
    assert_eq!(one(&encode::gzip(XML.as_bytes())).xml, XML);
    assert_eq!(one(&encode::zlib(XML.as_bytes())).xml, XML);
    let b = ::base64::engine::general_purpose::STANDARD.encode(encode::zlib(XML.as_bytes()));
    let m = one(b.as_bytes());
    assert_eq!(m.xml, XML);
    assert!(m.notes[0].contains("zlib"));
}

#[test]
fn utf16_and_bom() {
    let mut le = vec![0xFF, 0xFE];
    le.extend(XML.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(one(&le).xml, XML);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(XML.as_bytes());
    assert_eq!(one(&bom).xml, XML);
}

#[test]
fn html_autopost_page() {
    let page = format!(
        "<!DOCTYPE html><html><body><form method=\"post\" action=\"https://a.test/acs\">\
         <input type=\"hidden\" value=\"{}\" name=\"SAMLResponse\"/>\
         <input type=hidden name=RelayState value=\"r&amp;1\"></form></body></html>",
        encode::base64(XML).replace('+', "&#x2b;")
    );
    let m = one(page.as_bytes());
    assert_eq!(m.xml, XML);
    assert_eq!(m.relay_state.as_deref(), Some("r&1"));
}

#[test]
fn says_what_non_saml_looks_like() {
    let err = |s: &str| {
        decode(s.as_bytes(), &Limits::default())
            .unwrap_err()
            .to_string()
    };
    assert!(err("<html><head><title>Sign in</title></head></html>").contains("\"Sign in\""));
    assert!(err("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln").contains("JWT"));
    assert!(err("https://a.test/cb?code=1&state=2").contains("OAuth"));
    assert!(err("").contains("empty"));
}

#[test]
fn bad_input_gets_clear_errors() {
    let lim = Limits::default();
    let trunc = &encode::base64(XML)[..21];
    let e = decode(trunc.as_bytes(), &lim).unwrap_err().to_string();
    assert!(
        e.contains("truncated") || e.contains("not XML") || e.contains("DEFLATE"),
        "{e}"
    );
    let e = decode(b"not base64 at all!!", &lim)
        .unwrap_err()
        .to_string();
    assert!(e.contains("base64"), "{e}");
    let e = decode(b"<a>\xff\xfe</a>", &lim).unwrap_err().to_string();
    assert!(e.contains("UTF-8") && e.contains("offset 3"), "{e}");
    let corrupt = ::base64::engine::general_purpose::STANDARD.encode([0x78, 0x9c, 1, 2, 3, 4, 5]);
    assert!(decode(corrupt.as_bytes(), &lim).is_err());
}

#[test]
fn decompression_bomb_is_capped() {
    let zeros = vec![b' '; 40 * 1024 * 1024];
    let bomb = encode::gzip(&zeros);
    let e = decode(&bomb, &Limits::default()).unwrap_err();
    assert!(matches!(e, DecodeError::TooLarge { .. }), "{e}");
}

#[test]
fn errors_name_the_chain_of_steps() {
    let lim = Limits::default();
    let err = |s: &[u8]| decode(s, &lim).unwrap_err().to_string();
    let page = "<html><body><form action=\"https://a.test/acs\"><input name=SAMLResponse \
                value=\"aGVsbG8gd29ybGQ=\"></form></body></html>";
    let e = err(page.as_bytes());
    assert!(
        e.starts_with(
            "form field SAMLResponse of the HTML page (form 1, action https://a.test/acs) \
             → base64 → inflate failed: the base64 decoded to 11 bytes"
        ),
        "{e}"
    );
    let e = err(b"SAMLResponse=%21%21&RelayState=x");
    assert!(
        e.starts_with("field SAMLResponse → url-decode → base64 failed"),
        "{e}"
    );
    let e = err(&encode::gzip(b"hello"));
    assert!(e.starts_with("gunzip → base64 failed"), "{e}");
    let value = ::base64::engine::general_purpose::STANDARD.encode(encode::deflate_raw(b"plain"));
    let e = err(format!("SAMLResponse={value}").as_bytes());
    assert!(
        e.starts_with("field SAMLResponse → base64 → inflate → reading the result as XML failed"),
        "{e}"
    );
    let har = r#"{"log":{"entries":[{"request":{"method":"POST","url":"https://a.test/acs",
        "postData":{"text":"SAMLResponse=!!"}}}]}}"#;
    let e = err(har.as_bytes());
    assert!(
        e.starts_with(
            "HAR entry 1: POST https://a.test/acs: POST body → field SAMLResponse → base64 failed"
        ),
        "{e}"
    );
}

#[test]
fn markdown_fences_wrap_any_form_but_raw_xml_stays_raw() {
    let b = encode::base64(XML);
    let m = one(format!("see below\n```\n{b}\n```\n").as_bytes());
    assert_eq!(m.xml, XML);
    assert_eq!(m.steps_line(), "Markdown code fence (line 2) → base64");
    let xml_with_fence_line = "<a xmlns=\"urn:x\">\n```\n</a>";
    assert_eq!(one(xml_with_fence_line.as_bytes()).steps_line(), "raw XML");
}
