//! SD110: no assertion carries an AuthnStatement.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct AuthnStatementMissing;

static META: RuleMeta = RuleMeta {
    code: "SD110",
    name: "authn-statement-missing",
    severity: Severity::Error,
    weight: 73,
    needs: &[],
    summary: "No assertion carries an AuthnStatement",
    docs: r#"# SD110 authn-statement-missing

The Web Browser SSO profile (profiles §4.1.4.2) says the set of bearer assertions in a Response
MUST contain at least one `AuthnStatement` (core §2.7.2) reflecting how the user authenticated to
the IdP; an assertion with only attributes says nothing about a sign-in. SPs reject such a
Response: Shibboleth SP ("no AuthnStatement"), Spring Security SAML, ruby-saml and python3-saml
look for the statement's `SessionIndex` and `AuthnInstant`, and Kinde fails the sign-in. It is met
when an attribute-query style template is used for SSO, or when a proxy strips statements.

Encrypted assertions that could not be decrypted are not judged.

## Fix
Configure the IdP application for SAML 2.0 Web Browser SSO (not attribute release only), so that
the assertion carries an AuthnStatement.
"#,
};

impl Rule for AuthnStatementMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let judged = matches!(msg.kind, MessageKind::Response | MessageKind::Assertion);
        if !judged || msg.assertions.is_empty() || !msg.encrypted_assertions.is_empty() {
            return;
        }
        if msg
            .assertions
            .iter()
            .any(|a| !a.authn_statements.is_empty())
        {
            return;
        }
        out.push(finding(
            &META,
            format!(
                "No assertion carries an AuthnStatement ({} assertion{} without one)",
                msg.assertions.len(),
                if msg.assertions.len() == 1 { "" } else { "s" }
            ),
            msg.assertions.iter().map(|a| a.evidence()).collect(),
            "Configure the IdP application for SAML 2.0 Web Browser SSO so the assertion carries an AuthnStatement.",
        ));
    }
}
