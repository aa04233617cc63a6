//! The hostile generators of `benches/scaling.rs`: each takes the scale (1, 2, 4) and returns the
//! input and a note on its size. Synthetic messages on reserved names (example.com, *.test);
//! digests and signature values are wrong on purpose (the work measured happens before any key
//! decides anything).

use base64::Engine;
use std::fmt::Write as _;

pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A `ds:Signature` over `#_a` with the given transforms and c14n PrefixList.
fn signature(references: usize, transforms: &str) -> String {
    let mut s = format!(
        "<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{EXC}\"/>\
         <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
    );
    for _ in 0..references {
        write!(
            s,
            "<ds:Reference URI=\"#_a\"><ds:Transforms>{transforms}</ds:Transforms>\
             <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
             <ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</ds:DigestValue></ds:Reference>"
        )
        .unwrap();
    }
    s.push_str("</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>");
    s
}

fn exc_transform(prefix_list: &str) -> String {
    let list = if prefix_list.is_empty() {
        String::new()
    } else {
        format!("<ec:InclusiveNamespaces xmlns:ec=\"{EXC}\" PrefixList=\"{prefix_list}\"/>")
    };
    format!(
        "<ds:Transform Algorithm=\"{ENVELOPED}\"/><ds:Transform Algorithm=\"{EXC}\">{list}</ds:Transform>"
    )
}

/// A Response whose assertion `_a` holds `sig` and then `body`; `root_decls` go on the Response.
fn response(root_decls: &str, sig: &str, body: &str) -> String {
    format!(
        "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\"{root_decls} ID=\"_r\" Version=\"2.0\" \
         IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>https://idp.example.com</saml:Issuer>\
         <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>\
         <saml:Assertion ID=\"_a\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\">\
         <saml:Issuer>https://idp.example.com</saml:Issuer>{sig}{body}</saml:Assertion></samlp:Response>"
    )
}

/// Exclusive C14N with a PrefixList naming every one of N prefixes, declared 250 to an element
/// (the attribute limit counts declarations) on nested wrappers around E elements.
pub fn gen_prefix_list(k: usize) -> (String, String) {
    let n = 2500 * k;
    let e = 1000 * k;
    let mut list = String::new();
    let mut body = String::new();
    let mut depth = 0;
    for i in 0..n {
        if i % 250 == 0 {
            if i > 0 {
                body.push('>');
            }
            body.push_str("<saml:Advice");
            depth += 1;
        }
        write!(body, " xmlns:p{i}=\"urn:example:p{i}\"").unwrap();
        write!(list, "p{i} ").unwrap();
    }
    body.push('>');
    list.push_str("#default");
    for i in 0..e {
        write!(body, "<saml:AttributeValue>v{i}</saml:AttributeValue>").unwrap();
    }
    body.push_str(&"</saml:Advice>".repeat(depth));
    let xml = response("", &signature(1, &exc_transform(&list)), &body);
    (xml, format!("{n} prefixes, {e} elements"))
}

/// The same PrefixList, with prefixes nobody declares (the 60 KB example shape).
pub fn gen_prefix_list_undeclared(k: usize) -> (String, String) {
    let n = 2500 * k;
    let e = 1000 * k;
    let list: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    let mut body = String::new();
    for i in 0..e {
        write!(body, "<saml:AttributeValue>v{i}</saml:AttributeValue>").unwrap();
    }
    let xml = response("", &signature(1, &exc_transform(&list.join(" "))), &body);
    (xml, format!("{n} prefixes, {e} elements"))
}

/// Many signatures (past the cap of 16), each with several References, all to one element.
pub fn gen_references(k: usize) -> (String, String) {
    let sigs = 250 * k;
    let mut body = String::new();
    for _ in 0..sigs {
        body.push_str(&signature(8, &exc_transform("")));
    }
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (xml, format!("{sigs} signatures × 8 references"))
}

/// One Reference with thousands of transforms.
pub fn gen_transforms(k: usize) -> (String, String) {
    let t = 20_000 * k;
    let transforms =
        format!("<ds:Transform Algorithm=\"{ENVELOPED}\"/>").repeat(t) + &exc_transform("");
    let xml = response("", &signature(1, &transforms), "<saml:Subject/>");
    (xml, format!("{t} transforms"))
}

/// Nested elements declaring 255 prefixes each, wide leaves using them (signed subtree).
pub fn gen_namespaces(k: usize) -> (String, String) {
    let depth = 30 * k;
    let leaves = 1000 * k;
    let mut body = String::new();
    for d in 0..depth {
        body.push_str("<saml:Advice");
        for p in 0..255 {
            write!(body, " xmlns:n{p}=\"urn:example:{d}:{p}\"").unwrap();
        }
        body.push('>');
    }
    for i in 0..leaves {
        let p = i % 255;
        write!(body, "<n{p}:leaf n{p}:a=\"{i}\"/>").unwrap();
    }
    body.push_str(&"</saml:Advice>".repeat(depth));
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (
        xml,
        format!("{depth} levels × 255 prefixes, {leaves} leaves"),
    )
}

/// Thousands of elements with IDs, duplicates among them, one signature.
pub fn gen_ids(k: usize) -> (String, String) {
    let e = 20_000 * k;
    let mut body = String::new();
    for i in 0..e {
        // Every tenth ID repeats the previous one: duplicate-ID detection has work to do.
        let id = if i % 10 == 9 { i - 1 } else { i };
        write!(
            body,
            "<saml:Attribute ID=\"_i{id}\" Id=\"_j{i}\" id=\"_k{i}\"/>"
        )
        .unwrap();
    }
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (xml, format!("{e} elements with 3 ID attributes"))
}

/// Elements at the attribute limit (256), prefixed and `xml:*` attributes mixed.
pub fn gen_attributes(k: usize) -> (String, String) {
    let e = 250 * k;
    let mut decls = String::new();
    for p in 0..16 {
        write!(decls, " xmlns:q{p}=\"urn:example:q{p}\"").unwrap();
    }
    let mut body = String::new();
    for i in 0..e {
        body.push_str("<saml:Attribute xml:lang=\"en\"");
        for a in 0..255 {
            write!(body, " q{}:a{a}=\"{i}\"", a % 16).unwrap();
        }
        body.push_str("/>");
    }
    let xml = response(&decls, &signature(1, &exc_transform("q1 q2 q3")), &body);
    (xml, format!("{e} elements × 256 attributes"))
}

/// An EncryptedAssertion offering N EncryptedKeys (none for our key) and N RetrievalMethods.
pub fn gen_encrypted_keys(k: usize) -> (String, String) {
    let n = 500 * k;
    let xenc = "http://www.w3.org/2001/04/xmlenc#";
    let garbage = base64::engine::general_purpose::STANDARD.encode([7u8; 256]);
    let mut keys = String::new();
    let mut methods = String::new();
    for i in 0..n {
        write!(
            keys,
            "<xenc:EncryptedKey Id=\"_k{i}\"><xenc:EncryptionMethod Algorithm=\"{xenc}rsa-1_5\"/>\
             <xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>"
        )
        .unwrap();
        write!(methods, "<ds:RetrievalMethod URI=\"#_k{i}\"/>").unwrap();
    }
    let xml = format!(
        "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" xmlns:xenc=\"{xenc}\" xmlns:ds=\"{DS}\" ID=\"_r\">\
         <saml:EncryptedAssertion><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"{xenc}aes128-cbc\"/>\
         <ds:KeyInfo>{methods}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue>\
         </xenc:CipherData></xenc:EncryptedData>{keys}</saml:EncryptedAssertion></samlp:Response>"
    );
    (xml, format!("{n} EncryptedKeys + {n} RetrievalMethods"))
}

/// A HAR with N AuthnRequests and N Responses answering none of them.
pub fn gen_har(k: usize) -> (String, String) {
    let n = 150 * k;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut entries = Vec::new();
    for i in 0..n {
        let request = format!(
            "<samlp:AuthnRequest xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" ID=\"_req{i:06}\" Version=\"2.0\" \
             IssueInstant=\"2026-01-01T00:00:00Z\" Destination=\"https://idp.example.com/sso\" \
             AssertionConsumerServiceURL=\"https://acme.kinde.test/login/saml/callback\">\
             <saml:Issuer>https://acme.kinde.test</saml:Issuer></samlp:AuthnRequest>"
        );
        let response = format!(
            "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" ID=\"_resp{i:06}\" Version=\"2.0\" \
             IssueInstant=\"2026-01-01T00:00:00Z\" InResponseTo=\"_other{i:06}\" \
             Destination=\"https://acme.kinde.test/login/saml/callback\"><saml:Issuer>https://idp.example.com</saml:Issuer>\
             <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Requester\"/></samlp:Status>\
             </samlp:Response>"
        );
        for (field, xml) in [("SAMLRequest", request), ("SAMLResponse", response)] {
            let body = format!(
                "{field}={}",
                b64.encode(xml).replace('+', "%2B").replace('=', "%3D")
            );
            entries.push(serde_json::json!({
                "startedDateTime": "2026-01-01T00:00:00.000Z",
                "request": {
                    "method": "POST",
                    "url": "https://acme.kinde.test/login/saml/callback",
                    "headers": [],
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}
                },
                "response": {"status": 200, "headers": [], "content": {"size": 0, "mimeType": "text/html"}}
            }));
        }
    }
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": entries}});
    (
        har.to_string(),
        format!("{n} requests + {n} unmatched responses"),
    )
}
