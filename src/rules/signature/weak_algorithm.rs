//! SD704: SHA-1 signature or digest algorithms.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, SignatureInfo, element_anchor};

pub struct WeakAlgorithm;

static META: RuleMeta = RuleMeta {
    code: "SD704",
    name: "weak-algorithm",
    severity: Severity::Warning,
    weight: 38,
    needs: &[],
    summary: "A signature uses SHA-1 (signature or digest algorithm)",
    docs: r#"# SD704 weak-algorithm

The signature uses `rsa-sha1`, `dsa-sha1`, `ecdsa-sha1` or the `sha1` digest. SHA-1 has practical
collision attacks and many SPs and security reviews reject it; it survives in older IdP templates
(Auth0's old default, AD FS trusts set to SHA-1). Kinde lets admins pick RSA-SHA1 only for its own
requests.

## Fix
Switch the IdP application to SHA-256 (Entra: Signing algorithm SHA-256; AD FS:
`-SignatureAlgorithm http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`; Okta: Signature Algorithm
RSA-SHA256, Digest SHA256).
"#,
};

fn is_sha1(uri: &str) -> bool {
    let u = uri.to_ascii_lowercase();
    u.ends_with("#sha1")
        || u.ends_with("-sha1")
        || u.ends_with("#rsa-sha1")
        || u.ends_with("#dsa-sha1")
}

fn check_signature(label: &str, msg: &Message, sig: &SignatureInfo, out: &mut Vec<Finding>) {
    let mut weak: Vec<Evidence> = Vec::new();
    if let Some(m) = sig.signature_method.as_deref().filter(|m| is_sha1(m)) {
        weak.push(
            Evidence::new(
                "SignatureMethod",
                m,
                format!(
                    "{}/SignedInfo/SignatureMethod/@Algorithm",
                    msg.doc.path(sig.node)
                ),
            )
            .anchored(element_anchor(sig.node, sig.offset)),
        );
    }
    for d in sig.digest_methods.iter().filter(|d| is_sha1(d)) {
        weak.push(
            Evidence::new(
                "DigestMethod",
                d.clone(),
                format!(
                    "{}/SignedInfo/Reference/DigestMethod/@Algorithm",
                    msg.doc.path(sig.node)
                ),
            )
            .anchored(element_anchor(sig.node, sig.offset)),
        );
    }
    if weak.is_empty() {
        return;
    }
    out.push(finding(
        &META,
        format!("The {label} signature uses SHA-1"),
        weak,
        "Switch the IdP application's signing and digest algorithms to SHA-256.",
    ));
}

impl Rule for WeakAlgorithm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if let Some(sig) = &msg.signature {
            check_signature(msg.kind.name(), msg, sig, out);
        }
        for a in &msg.assertions {
            if let Some(sig) = &a.signature {
                check_signature("assertion", msg, sig, out);
            }
        }
    }
}
