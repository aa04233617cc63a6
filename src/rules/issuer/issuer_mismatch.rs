//! SD303: the Issuer is not the configured IdP Entity ID.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::entity_id_differences;
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::{Located, Message, MessageKind};

pub struct IssuerMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD303",
    name: "issuer-mismatch",
    severity: Severity::Error,
    weight: 86,
    needs: &[Need::IdpEntityId],
    summary: "The Issuer is not the IdP Entity ID the connection trusts",
    docs: r#"# SD303 issuer-mismatch

Every `Issuer` (on the Response and on each assertion) must equal the IdP entity ID the connection
was set up with, which Kinde takes from the IdP metadata. A mismatch usually means the response
comes from another IdP application or tenant (a test tenant, a second Okta app), the metadata in
Kinde is stale, or a different format of the same IdP's ID (`https://sts.windows.net/<tenant>/`
versus `https://login.microsoftonline.com/<tenant>/v2.0`; AD FS's `http://…/adfs/services/trust`,
often `http` even on HTTPS farms; Okta's `http://www.okta.com/<app id>`).

## Fix
Re-import the IdP metadata of the application users actually sign in through into Kinde's
connection (IdP metadata URL), or correct the IdP entity ID you compare with.
"#,
};

impl Rule for IssuerMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(idp) = &ctx.settings.idp_entity_id else {
            return;
        };
        // Requests are issued by Kinde, not the IdP: only responses and assertions are compared.
        let response_issuer = msg
            .issuer
            .as_ref()
            .filter(|_| msg.kind == MessageKind::Response);
        let issuers = response_issuer
            .into_iter()
            .map(|i| ("Response Issuer", i))
            .chain(
                msg.assertions
                    .iter()
                    .filter_map(|a| a.issuer.as_ref())
                    .map(|i| ("Assertion Issuer", i)),
            );
        let mut seen: Vec<&str> = Vec::new();
        for (label, issuer) in issuers {
            let value = issuer.value.trim();
            if value == idp.value || seen.contains(&value) {
                continue;
            }
            seen.push(value);
            out.push(mismatch(label, issuer, &idp.value, &idp.source));
        }
    }
}

fn mismatch(label: &str, issuer: &Located<String>, expected: &str, source: &str) -> Finding {
    let why = entity_id_differences(expected, issuer.value.trim()).join("; ");
    finding(
        &META,
        format!("{label} is not the configured IdP Entity ID: {why}"),
        vec![
            issuer.evidence(label),
            Evidence::new("configured IdP Entity ID", expected, source),
            Evidence::new("difference", why.clone(), "comparison"),
        ],
        "Re-import the metadata of the IdP application users sign in through into Kinde's connection, or correct the configured IdP Entity ID.",
    )
}
