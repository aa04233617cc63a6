//! SD111: a Response without ID, Status or StatusCode.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind, NS_PROTOCOL, element_anchor};

pub struct ResponseIncomplete;

static META: RuleMeta = RuleMeta {
    code: "SD111",
    name: "response-incomplete",
    severity: Severity::Error,
    weight: 86,
    needs: &[],
    summary: "The Response lacks a required ID, Status or StatusCode",
    docs: r#"# SD111 response-incomplete

Every SAML status response (core §3.2.2, `StatusResponseType`) MUST carry an `ID` attribute and a
`Status` element holding a `StatusCode` with a `Value` (core §3.2.2.1–3.2.2.2). Without an ID the
message cannot be referenced by a signature or checked for replay; without a StatusCode no SP can
tell success from failure. Schema-validating SPs reject the message outright (Shibboleth SP,
python3-saml's XSD check, Spring Security SAML), ruby-saml reports "Missing Status" / "Missing
StatusCode", and Kinde fails the sign-in. Real IdPs always send them, so their absence means a
hand-built, truncated or edited message.

## Fix
If the message comes from a custom or scripted IdP, add `ID`, and `<samlp:Status><samlp:StatusCode
Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` after the Issuer. Otherwise
capture the message again: it was cut or edited on the way.
"#,
};

impl Rule for ResponseIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if !matches!(
            msg.kind,
            MessageKind::Response | MessageKind::LogoutResponse
        ) {
            return;
        }
        let doc = &msg.doc;
        let root = element_anchor(msg.root, doc.nodes[msg.root].span.start);
        let mut missing: Vec<&str> = Vec::new();
        if msg.id.as_ref().is_none_or(|id| id.value.trim().is_empty()) {
            missing.push("the ID attribute");
        }
        match doc.child(msg.root, NS_PROTOCOL, "Status") {
            None => missing.push("the Status element"),
            Some(status) => match doc.child(status, NS_PROTOCOL, "StatusCode") {
                None => missing.push("Status/StatusCode"),
                Some(code) if doc.attr(code, "Value").is_none() => {
                    missing.push("StatusCode/@Value")
                }
                Some(_) => {}
            },
        }
        if missing.is_empty() {
            return;
        }
        out.push(finding(
            &META,
            format!("The {} has no {}", msg.kind.name(), missing.join(", no ")),
            vec![Evidence::new("missing", missing.join(", "), "").anchored(root)],
            "Make the IdP send the required ID and Status/StatusCode; if it normally does, capture the message again (it was cut or edited).",
        ));
    }
}
