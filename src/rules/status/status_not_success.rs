//! SD101: the IdP answered with an error status.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::status_meaning;
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, STATUS_PREFIX};

pub struct StatusNotSuccess;

static META: RuleMeta = RuleMeta {
    code: "SD101",
    name: "status-not-success",
    severity: Severity::Error,
    weight: 100,
    needs: &[],
    summary: "The IdP returned a status other than Success",
    docs: r#"# SD101 status-not-success

The Response's top-level `StatusCode` is not `urn:oasis:names:tc:SAML:2.0:status:Success`, so the
IdP itself refused or failed the sign-in and sent no usable assertion. The top-level code says whose
side failed (`Requester`: the request or the SP configuration; `Responder`: the IdP;
`VersionMismatch`), the nested second-level code says why (for example `InvalidNameIDPolicy`,
`AuthnFailed`, `UnknownPrincipal`, `RequestDenied`), and `StatusMessage` is free text for an operator.

Kinde cannot sign the user in from such a response: every other check is secondary.

## Fix
Read the second-level code and StatusMessage, then look at the IdP's sign-in log for the same time:
- `InvalidNameIDPolicy`: set Kinde's Name ID format to one the IdP issues (or allow it in the IdP).
- `UnknownPrincipal` / `RequestDenied`: assign the user to the application in the IdP.
- `AuthnFailed` / `NoAuthnContext`: the user could not authenticate as required (password, MFA).
- `Requester` alone: the IdP rejected Kinde's request (check the Entity ID and ACS URL in the IdP).

## Example
`<samlp:StatusCode Value="…:Requester"><samlp:StatusCode Value="…:InvalidNameIDPolicy"/></samlp:StatusCode>`
"#,
};

impl Rule for StatusNotSuccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(status) = &msg.status else { return };
        let top = status.code.value.trim();
        if top == format!("{STATUS_PREFIX}Success") {
            return;
        }
        let mut evidence = vec![status.code.evidence("top-level StatusCode")];
        let mut words = vec![format!("{} ({})", short(top), status_meaning(top))];
        for sub in &status.sub_codes {
            evidence.push(sub.evidence("second-level StatusCode"));
            words.push(format!(
                "{} ({})",
                short(&sub.value),
                status_meaning(&sub.value)
            ));
        }
        if let Some(m) = &status.message {
            evidence.push(m.evidence("StatusMessage"));
        }
        if !top.starts_with(STATUS_PREFIX) {
            evidence.push(Evidence::new(
                "note",
                "top-level code is not one of the four SAML 2.0 values",
                "SAML core §3.2.2.2",
            ));
        }
        let message_text = status
            .message
            .as_ref()
            .map(|m| format!(": \"{}\"", m.value.trim()))
            .unwrap_or_default();
        let fix = fix_for(
            status
                .sub_codes
                .first()
                .map(|s| s.value.as_str())
                .unwrap_or(top),
        );
        let (message, fix) = match msg.kind {
            crate::saml::MessageKind::LogoutResponse => (
                format!(
                    "The logout failed: the LogoutResponse{} reports {}{message_text}",
                    sender_of(ctx, msg).direction(),
                    words.join(" → ")
                ),
                "The logout did not complete at the side that answered: check its log for this time; the user may still have a session there.".to_string(),
            ),
            _ => (
                format!("The IdP refused the sign-in: {}{message_text}", words.join(" → ")),
                fix,
            ),
        };
        out.push(finding(&META, message, evidence, fix));
    }
}

fn sender_of(ctx: &Context, msg: &Message) -> crate::saml::Sender {
    let s = ctx.settings;
    msg.sender(
        s.idp_entity_id.as_ref().map(|v| v.value.as_str()),
        s.sp_entity_id.as_ref().map(|v| v.value.as_str()),
        s.acs_url.as_ref().map(|v| v.value.as_str()),
    )
}

fn short(uri: &str) -> &str {
    uri.trim().rsplit(':').next().unwrap_or(uri)
}

fn fix_for(code: &str) -> String {
    match short(code) {
        "InvalidNameIDPolicy" => "Set Kinde's Name ID format to one the IdP can issue (EmailAddress, Persistent, Unspecified), or allow the requested format in the IdP's application settings.".into(),
        "UnknownPrincipal" | "RequestDenied" => "Make sure the user exists in the IdP and is assigned to the Kinde application; then check the IdP's sign-in log for the policy that denied it.".into(),
        "AuthnFailed" => "The user failed to authenticate at the IdP (password, MFA, locked account); see the IdP sign-in log.".into(),
        "NoAuthnContext" => "The IdP cannot meet the requested authentication context; relax the requested context or enable the method (e.g. MFA) at the IdP.".into(),
        "NoPassive" => "The IdP needs user interaction; retry without passive authentication.".into(),
        "Requester" => "The IdP rejected Kinde's request: check that the IdP's application has Kinde's Entity ID and ACS URL exactly as Kinde shows them.".into(),
        "Responder" => "The IdP failed on its side: check the IdP's sign-in log and the application's configuration at the IdP.".into(),
        _ => "Look up the status code and StatusMessage in the IdP's sign-in log for this time and fix the cause it names.".into(),
    }
}
