//! SD728: a non-standard algorithm identifier, understood and used anyway.

use crate::dsig::algorithm::HashAlg;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, SignatureInfo, element_anchor};

pub struct NonstandardIdentifier;

static META: RuleMeta = RuleMeta {
    code: "SD728",
    name: "nonstandard-identifier",
    severity: Severity::Warning,
    weight: 12,
    needs: &[],
    summary: "A signature or configured certificate names an algorithm by a non-standard identifier",
    docs: r#"# SD728 nonstandard-identifier

An algorithm is named by an identifier the standards do not define, but whose meaning is not in
doubt, so sso-doctor used the intended algorithm and tells you:

- **DigestMethod** in a signature's `Reference` spelled in the wrong W3C namespace, such as
  `http://www.w3.org/2001/04/xmlenc#sha1` or `…/xmlenc#sha384` (seen from AD FS and proxies in
  front of it). XML-DSig 1.1 §6.2 and RFC 6931 §2.1 define SHA-1 as
  `http://www.w3.org/2000/09/xmldsig#sha1`, SHA-384 as
  `http://www.w3.org/2001/04/xmldsig-more#sha384`, SHA-256 and SHA-512 in the `xmlenc#`
  namespace, SHA-224 in `xmldsig-more#`. The digest is checked with the hash the name says.
- A configured IdP **certificate** whose `signatureAlgorithm` is an unknown OID (such as `0.0`),
  differs from `tbsCertificate.signature` (RFC 5280 §4.1.1.2 requires them equal), or is not
  strict DER. Like OpenSSL, sso-doctor still reads its public key: SAML verification trusts the
  configured key, not the certificate's own signature (as the SAML V2.0 Metadata Interoperability
  Profile has it: the key in metadata is trusted, the certificate around it is only a container).

How SPs behave differs: libxmlsec1-based SPs (python3-saml, lasso, xmlsec1 itself) refuse an
unknown DigestMethod URI ("transform not found"); some Java and .NET stacks map it by its
fragment. Kinde's behaviour with such identifiers is not documented: if sign-in fails with a
signature error while sso-doctor says the signature is valid, this is the likely difference.

## Fix
Ask the IdP administrator to use the standard identifiers (AD FS relying-party trust: signature
algorithm SHA-256, which writes `xmlenc#sha256`), and re-issue the signing certificate if its
signature algorithm is odd.
"#,
};

fn digest_evidence(msg: &Message, sig: &SignatureInfo) -> Vec<Evidence> {
    sig.digest_methods
        .iter()
        .filter_map(|uri| {
            let (hash, standard) = HashAlg::from_digest_uri_lenient(uri.trim())?;
            (!standard).then(|| {
                Evidence::new(
                    "DigestMethod",
                    format!(
                        "{uri} (read as {}; the standard identifier is {})",
                        hash.label(),
                        hash.digest_uri()
                    ),
                    format!(
                        "{}/SignedInfo/Reference/DigestMethod/@Algorithm",
                        msg.doc.path(sig.node)
                    ),
                )
                .anchored(element_anchor(sig.node, sig.offset))
            })
        })
        .collect()
}

impl Rule for NonstandardIdentifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let signatures = msg.signature.iter().map(|s| ("Response", s)).chain(
            msg.assertions
                .iter()
                .filter_map(|a| a.signature.as_ref().map(|s| ("assertion", s))),
        );
        for (label, sig) in signatures {
            let evidence = digest_evidence(msg, sig);
            if evidence.is_empty() {
                continue;
            }
            out.push(finding(
                &META,
                format!(
                    "The {label} signature names its digest by a non-standard identifier; \
                     checked with the hash it names"
                ),
                evidence,
                "Ask the IdP to use the standard DigestMethod identifier (XML-DSig 1.1 §6.2).",
            ));
        }
        let Some(keys) = ctx.keys else { return };
        for (cert, source) in keys.certs.iter().zip(&keys.cert_sources) {
            if cert.info.notes.is_empty() {
                continue;
            }
            let evidence = cert
                .info
                .notes
                .iter()
                .map(|n| Evidence::new("configured certificate", n.clone(), source.clone()))
                .collect();
            out.push(finding(
                &META,
                format!(
                    "A configured IdP certificate ({}) is odd; its key is used anyway",
                    cert.info.subject
                ),
                evidence,
                "Re-issue the IdP signing certificate with a standard signature algorithm.",
            ));
        }
    }
}
