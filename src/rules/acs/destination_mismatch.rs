//! SD201: the Response's Destination is not Kinde's ACS URL.

use super::{ACS_FIX, acs_evidence};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct DestinationMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD201",
    name: "destination-mismatch",
    severity: Severity::Error,
    weight: 92,
    needs: &[Need::AcsUrl],
    summary: "The Response's Destination is not the connection's ACS URL",
    docs: r#"# SD201 destination-mismatch

`Response@Destination` names the URL the IdP meant the message for. When present, the receiver
must check it equals the URL where the message arrived and discard it otherwise (SAML core
§3.2.2); Kinde reports this as error 578 ("error validating SAML response", hint: check the ACS URL
at the IdP). The comparison is exact: a trailing slash, `http` for `https`, a different host case,
an explicit `:443`, a path in another case, an added query string, or the custom domain instead of
the `*.kinde.com` domain (or the other way round) all break it. The finding says which.

## Fix
Copy the ACS URL from Kinde's connection page into the IdP's Reply URL / ACS URL field exactly.
Entra ID: Basic SAML Configuration > Reply URL. Okta: Single sign-on URL. Google Workspace: ACS URL.
AD FS: relying party trust > Endpoints.

## Example
Destination `https://acme.kinde.com/login/saml/callback/` vs ACS `https://acme.kinde.com/login/saml/callback`: trailing slash added.
"#,
};

impl Rule for DestinationMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let (Some(acs), Some(dest)) = (&ctx.settings.acs_url, &msg.destination) else {
            return;
        };
        if msg.kind != MessageKind::Response || dest.value == acs.value {
            return;
        }
        let (evidence, why) = acs_evidence(acs, dest.evidence("Destination"));
        out.push(finding(
            &META,
            format!("Destination does not match the ACS URL: {why}"),
            evidence,
            ACS_FIX,
        ));
    }
}
