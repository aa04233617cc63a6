//! Writes the signature-verdict and profile fixtures of `fixtures/dsig/` (the files listed in
//! the "Signature verdicts" section of `fixtures/dsig/README.md`) from the test-only keys in
//! `fixtures/keys/`.
//!
//! ```text
//! cargo run --example make_verdict_fixtures
//! ```
//!
//! Signatures are deterministic (RSA PKCS#1 v1.5) and encryption uses a seeded RNG, so
//! re-running rewrites the same bytes.

#[path = "../tests/verdict/sign.rs"]
mod sign;

use sign::*;

struct Out {
    written: Vec<&'static str>,
}

impl Out {
    fn write(&mut self, name: &'static str, xml: &str) {
        sso_doctor::xml::Document::parse(xml, &sso_doctor::limits::Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::write(root().join("fixtures/dsig").join(name), xml).unwrap();
        self.written.push(name);
    }
}

const EVIL_ID: &str = "_evil-assertion";
const NS_ATTR: &str = "xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"";

/// The genuine assertion with `{marker}` replaced by `with`, signed by the IdP.
fn genuine_with(marker: &str, with: &str) -> String {
    let a = assertion(ASSERTION_ID, USER, USER).replace(marker, with);
    sign(
        &clean_except(&a, "{ASIG}"),
        "{ASIG}",
        ASSERTION_ID,
        &signer("idp-rsa"),
    )
}

fn main() {
    let mut out = Out {
        written: Vec::new(),
    };
    let idp = signer("idp-rsa");
    let attacker = signer("attacker-rsa");
    let genuine = genuine_with("{ASIG}", "{ASIG}");
    let evil = assertion(EVIL_ID, EVIL, EVIL);
    let evil_unsigned = clean(&evil);
    let evil_signed = sign(&clean_except(&evil, "{ASIG}"), "{ASIG}", EVIL_ID, &attacker);
    let resp = |assertions: &str| clean(&response(assertions));

    // #13.1: XSW3 with the forged assertion signed by the attacker's own key.
    let xsw3 = resp(&format!("{evil_signed}\n  {genuine}"));
    out.write("xsw3-attacker-signed.xml", &xsw3);
    out.write("xsw3-attacker-signed-no-cert.xml", &xsw3);

    // #13.2: several assertions, one signed (CVE-2022-41912 class), plain and encrypted.
    out.write(
        "two-assertions-one-signed.xml",
        &resp(&format!("{genuine}\n  {evil_unsigned}")),
    );
    let two_enc = resp(&format!(
        "{genuine}\n  {}",
        encrypted_assertion(&evil_unsigned, 1)
    ));
    out.write("two-assertions-second-encrypted.xml", &two_enc);
    out.write("two-assertions-second-encrypted-no-key.xml", &two_enc);
    // Control: the Response signature covers both, the encrypted one included.
    let plain_genuine = clean(&assertion(ASSERTION_ID, USER, USER));
    let both = response(&format!(
        "{plain_genuine}\n  {}",
        encrypted_assertion(&clean(&assertion("_second", USER, USER)), 2)
    ))
    .replace("{REXT}", "");
    out.write(
        "response-signed-second-encrypted.xml",
        &sign(&both, "{RSIG}", RESP_ID, &idp),
    );

    // #13.3 / #24: hiding places.
    let base = resp(&genuine);
    let subject = format!("<Subject {NS_ATTR}><NameID>{EVIL}</NameID></Subject>");
    out.write(
        "subject-in-keyinfo.xml",
        &base.replacen("<KeyInfo>", &format!("<KeyInfo>{subject}"), 1),
    );
    out.write(
        "nameid-in-signature-object.xml",
        &base.replacen(
            "</KeyInfo></Signature>",
            &format!("</KeyInfo><Object><NameID {NS_ATTR}>{EVIL}</NameID></Object></Signature>"),
            1,
        ),
    );
    out.write(
        "assertion-in-extensions-no-namespace.xml",
        &response(&evil_unsigned)
            .replace(
                "{REXT}",
                &format!("\n  <Extensions xmlns=\"\">{genuine}</Extensions>"),
            )
            .replace("{RSIG}", ""),
    );
    out.write(
        "assertion-in-status-detail.xml",
        &base.replacen(
            "</samlp:Status>",
            &format!(
                "  <samlp:StatusDetail>{evil_unsigned}</samlp:StatusDetail>\n  </samlp:Status>"
            ),
            1,
        ),
    );
    let saml1 = format!(
        "<Assertion xmlns=\"urn:oasis:names:tc:SAML:1.0:assertion\" AssertionID=\"_saml1\" MajorVersion=\"1\" MinorVersion=\"1\" Issuer=\"{ISSUER}\" IssueInstant=\"2026-03-10T09:15:04.496Z\"><AttributeStatement><Subject><NameIdentifier>{EVIL}</NameIdentifier></Subject></AttributeStatement></Assertion>"
    );
    out.write(
        "saml1-assertion-ahead.xml",
        &resp(&format!("{saml1}\n  {genuine}")),
    );
    let no_ns = evil_unsigned.replace(NS_ATTR, "xmlns=\"\"");
    out.write(
        "no-namespace-assertion-ahead.xml",
        &resp(&format!("{no_ns}\n  {genuine}")),
    );
    out.write(
        "unexpected-child-in-assertion.xml",
        &resp(&genuine_with(
            "{EXTRA}",
            &format!("\n    <x:Note xmlns:x=\"urn:example:test\">{EVIL}</x:Note>"),
        )),
    );
    // #13.6 controls: advice and a second, unused confirmation.
    let advice = clean(&assertion("_advice-1", USER, USER));
    out.write(
        "advice-assertion.xml",
        &resp(&genuine_with(
            "{ADVICE}",
            &format!("\n    <Advice>{advice}</Advice>"),
        )),
    );
    out.write(
        "second-confirmation-unused.xml",
        &resp(&genuine_with(
            "{CONFIRM}",
            "\n      <SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">\n        <SubjectConfirmationData NotOnOrAfter=\"2026-03-10T09:00:00.000Z\" NotBefore=\"2026-03-10T12:00:00.000Z\" Recipient=\"https://sp.example.com/acs\"/>\n      </SubjectConfirmation>\n      <SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"/>",
        )),
    );

    // #13.4: CDATA split of the NameID and of the email value.
    let split = |value: &str, at: &str| {
        let a = assertion(ASSERTION_ID, value, value);
        let signed = sign(&clean_except(&a, "{ASIG}"), "{ASIG}", ASSERTION_ID, &idp);
        resp(&signed.replacen(
            value,
            &value.replacen(at, &format!("{at}<![CDATA[]]>"), 1),
            1,
        ))
    };
    let long = "dana.reyes@example.com.evil.test";
    out.write("cdata-injection-nameid.xml", &split(long, "example.com"));
    let email_split = {
        let a = assertion(ASSERTION_ID, USER, long);
        let signed = sign(&clean_except(&a, "{ASIG}"), "{ASIG}", ASSERTION_ID, &idp);
        resp(&signed.replacen(
            &format!("{long}</AttributeValue>"),
            "dana.reyes@example.com<![CDATA[]]>.evil.test</AttributeValue>",
            1,
        ))
    };
    out.write("cdata-injection-email.xml", &email_split);

    // #24: two email attributes, an encrypted assertion Kinde cannot read.
    out.write(
        "email-attribute-duplicated.xml",
        &resp(&genuine_with(
            "{ATTRS}",
            &format!("\n      <Attribute Name=\"email\">\n        <AttributeValue>{EVIL}</AttributeValue>\n      </Attribute>"),
        )),
    );
    let encrypted = resp(&encrypted_assertion(&genuine, 3));
    out.write("encrypted-no-sp-key.xml", &encrypted);
    out.write("encrypted-expected-decrypted.xml", &encrypted);

    // #13 profile MUSTs, each on an otherwise clean signed message.
    out.write(
        "confirmation-not-yet-valid.xml",
        &resp(&genuine_with(
            "NotOnOrAfter=\"2026-03-10T09:20:04.496Z\" Recipient",
            "NotBefore=\"2026-03-10T09:40:00.000Z\" NotOnOrAfter=\"2026-03-10T09:45:00.000Z\" Recipient",
        )),
    );
    let no_authn = {
        let a = assertion(ASSERTION_ID, USER, USER);
        let start = a.find("\n    <AuthnStatement").unwrap();
        let end = a.find("</AuthnStatement>").unwrap() + "</AuthnStatement>".len();
        let a = format!("{}{}", &a[..start], &a[end..]);
        sign(&clean_except(&a, "{ASIG}"), "{ASIG}", ASSERTION_ID, &idp)
    };
    out.write("authn-statement-missing.xml", &resp(&no_authn));
    out.write(
        "response-without-status.xml",
        &base
            .replacen(&format!(" ID=\"{RESP_ID}\""), "", 1)
            .replacen(
                "\n  <samlp:Status>\n    <samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>\n  </samlp:Status>",
                "",
                1,
            ),
    );
    out.write(
        "status-code-missing.xml",
        &base.replacen(
            "\n    <samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>",
            "<samlp:StatusMessage>ok</samlp:StatusMessage>",
            1,
        ),
    );
    out.write("clean-assertion-signed.xml", &base);
    let plain = response(&clean(&assertion(ASSERTION_ID, USER, USER))).replace("{REXT}", "");
    out.write(
        "clean-response-signed.xml",
        &sign(&plain, "{RSIG}", RESP_ID, &idp),
    );
    let both = response(&genuine).replace("{REXT}", "");
    out.write(
        "clean-both-signed.xml",
        &sign(&both, "{RSIG}", RESP_ID, &idp),
    );

    // #15 / #19: a success with a warning only, and a failed logout answered by the IdP.
    let upper = {
        let a = assertion(ASSERTION_ID, USER, "Dana.Reyes@example.com");
        sign(&clean_except(&a, "{ASIG}"), "{ASIG}", ASSERTION_ID, &idp)
    };
    out.write("signed-warning-only.xml", &resp(&upper));
    out.write(
        "logout-response-failed.xml",
        &format!(
            r#"<samlp:LogoutResponse ID="_5c3a1e9f-7b2d-4f6a-8e0c-2d4f6a8b0c15" Version="2.0" IssueInstant="2026-03-10T09:15:04.512Z" Destination="https://acme.kinde.test/logout/saml" InResponseTo="_e1f3a5c7b9d24f6e8a0c2e4f6a8c0e2d" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">
  <Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{ISSUER}</Issuer>
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">
      <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/>
    </samlp:StatusCode>
    <samlp:StatusMessage>Session not found</samlp:StatusMessage>
  </samlp:Status>
</samlp:LogoutResponse>
"#
        ),
    );
    for name in &out.written {
        println!("wrote fixtures/dsig/{name}");
    }
}
