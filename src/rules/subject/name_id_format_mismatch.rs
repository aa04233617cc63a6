//! SD602: the NameID format is not the configured one.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct NameIdFormatMismatch;

const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

static META: RuleMeta = RuleMeta {
    code: "SD602",
    name: "name-id-format-mismatch",
    severity: Severity::Warning,
    weight: 52,
    needs: &[Need::NameIdFormat],
    summary: "The NameID Format is not the one the connection asks for",
    docs: r#"# SD602 name-id-format-mismatch

Kinde's connection sets a Name ID format (Unspecified, EmailAddress, Persistent, Transient) that it
requests in the AuthnRequest's `NameIDPolicy`. The IdP sent another format. Formats are compared on
their last token (`emailAddress`, `persistent`), so the 1.1/2.0 spelling drift in the specs and in
vendor docs (`…SAML:1.1:nameid-format:persistent` does not exist) is reported as a note, not as a
mismatch. A persistent or transient NameID is an opaque ID, not an email. When Kinde asks for a
format the IdP cannot issue, the IdP answers `InvalidNameIDPolicy` instead (see SD101).

## Fix
Set the Name ID format in Kinde to what the IdP issues, or change the IdP's NameID format for the
application (Okta: Name ID format; Entra: Unique User Identifier > Choose name identifier format).
"#,
};

fn token(uri: &str) -> String {
    uri.trim()
        .rsplit(':')
        .next()
        .unwrap_or(uri)
        .to_ascii_lowercase()
}

impl Rule for NameIdFormatMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(expected) = &ctx.settings.name_id_format else {
            return;
        };
        let Some(name_id) = msg.name_id() else { return };
        let sent = name_id
            .format
            .as_ref()
            .map_or(UNSPECIFIED, |f| f.value.as_str());
        if token(sent) == token(&expected.value) {
            return;
        }
        let mut evidence = vec![match &name_id.format {
            Some(f) => f.evidence("NameID Format"),
            None => Evidence::new("NameID Format", "(absent: unspecified)", "")
                .anchored(name_id.value.anchor()),
        }];
        evidence.push(Evidence::new(
            "configured Name ID format",
            expected.value.clone(),
            expected.source.clone(),
        ));
        evidence.push(name_id.value.evidence("NameID"));
        out.push(finding(
            &META,
            format!(
                "The NameID format is {} but the connection expects {}",
                token(sent),
                token(&expected.value)
            ),
            evidence,
            "Make Kinde's Name ID format and the IdP application's NameID format the same.",
        ));
    }
}
