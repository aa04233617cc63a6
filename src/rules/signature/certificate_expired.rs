//! SD715: an IdP certificate is expired, not yet valid, or weak.

use crate::dsig::verify::CertInfo;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time;

pub struct CertificateExpired;

static META: RuleMeta = RuleMeta {
    code: "SD715",
    name: "certificate-expired-or-weak",
    severity: Severity::Warning,
    weight: 45,
    needs: &[Need::Clock],
    summary: "A configured or received IdP certificate is outside its validity period or uses a weak key",
    docs: r#"# SD715 certificate-expired-or-weak

A configured IdP certificate, or the one the IdP sent in `KeyInfo`, is past its `notAfter` (or
before its `notBefore`) at the analysis clock, or its key is weak (RSA under 2048 bits). IdPs
commonly keep signing with an expired certificate, and many SPs accept it because SAML trust is in
the key, not the certificate dates. **Kinde's behaviour with expired IdP certificates is not
documented**, so this is a warning: it may work today and is a rollover waiting to happen.

## Fix
Create a new signing certificate at the IdP (Entra: SAML Signing Certificate > New certificate;
Okta: generate a new certificate), activate it, and update Kinde's connection with the new
metadata at the same time. Use RSA 2048 bits or more.
"#,
};

fn describe(c: &CertInfo, now: i64) -> Option<String> {
    let mut problems = Vec::new();
    if now > c.not_after {
        problems.push(format!(
            "expired {} ago ({})",
            time::human_duration(now - c.not_after),
            time::format(c.not_after)
        ));
    } else if now < c.not_before {
        problems.push(format!("not valid until {}", time::format(c.not_before)));
    }
    if c.weak {
        problems.push(format!("weak key ({})", c.key));
    }
    (!problems.is_empty()).then(|| problems.join(", "))
}

impl Rule for CertificateExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        if let Some(keys) = ctx.keys {
            for (cert, source) in keys.certs.iter().zip(&keys.cert_sources) {
                if let Some(why) = describe(&cert.info, now) {
                    out.push(finding(
                        &META,
                        format!("The configured IdP certificate {} is {why}", cert.info.subject),
                        vec![Evidence::new("configured certificate SHA-256", cert.info.sha256_fingerprint.clone(), source.clone())],
                        "Roll the IdP signing certificate over and update Kinde's connection with the new metadata at the same time.",
                    ));
                }
            }
        }
        let Some(security) = ctx.security else { return };
        let mut seen: Vec<&str> = Vec::new();
        for s in &security.signatures {
            let Some(k) = &s.keyinfo_cert else { continue };
            if s.keyinfo_matches.is_some() || seen.contains(&k.sha256_fingerprint.as_str()) {
                continue; // a configured certificate is reported above
            }
            seen.push(&k.sha256_fingerprint);
            if let Some(why) = describe(k, now) {
                out.push(finding(
                    &META,
                    format!("The certificate the IdP sent in KeyInfo ({}) is {why}", k.subject),
                    vec![Evidence::new("KeyInfo certificate SHA-256", k.sha256_fingerprint.clone(), "").anchored(s.anchor)],
                    "Roll the IdP signing certificate over and update Kinde's connection with the new metadata at the same time.",
                ));
            }
        }
    }
}
