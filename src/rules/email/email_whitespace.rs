//! SD406: the email value has leading or trailing whitespace.

use super::email_values;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailWhitespace;

static META: RuleMeta = RuleMeta {
    code: "SD406",
    name: "email-whitespace",
    severity: Severity::Error,
    weight: 78,
    needs: &[],
    summary: "The email value has leading or trailing whitespace",
    docs: r#"# SD406 email-whitespace

The email Kinde reads carries spaces, tabs or line breaks around the address (often from a
directory field typed by hand, or a claim rule that concatenates). Kinde matches emails exactly, so
`" dana@example.com"` does not match `dana@example.com`: the existing user is not found and JIT
provisioning may create a duplicate.

## Fix
Clean the value in the directory, or trim it in the IdP's claim transformation (Entra:
Transformation > Trim(); Okta: `String.trim(user.email)`).
"#,
};

impl Rule for EmailWhitespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for (source, v) in email_values(ctx, msg) {
            if v.value.is_empty() || v.value.trim() == v.value {
                continue;
            }
            out.push(finding(
                &META,
                format!("The email in {source} has surrounding whitespace: {:?}", v.value),
                vec![v.evidence(format!("email in {source}")), Evidence::new("trimmed", v.value.trim(), "comparison")],
                "Remove the whitespace in the directory or trim it in the IdP's claim transformation.",
            ));
        }
    }
}
