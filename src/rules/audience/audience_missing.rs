//! SD302: the assertion restricts no audience.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct AudienceMissing;

static META: RuleMeta = RuleMeta {
    code: "SD302",
    name: "audience-missing",
    severity: Severity::Warning,
    weight: 42,
    needs: &[],
    summary: "The assertion has Conditions but no AudienceRestriction",
    docs: r#"# SD302 audience-missing

The Web Browser SSO profile (§4.1.4.2) requires each assertion to carry an `AudienceRestriction`
holding the SP's entity ID. Without one the assertion is valid for any SP that trusts the IdP, and
strict SPs reject it. Lenient libraries (python3-saml) let it pass, so it may work elsewhere and fail
at Kinde, or the reverse.

## Fix
Fill in the IdP's Identifier / Audience URI / SP Entity ID with Kinde's Entity ID; IdPs add the
AudienceRestriction from that field.
"#,
};

impl Rule for AudienceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in &msg.assertions {
            let Some(cond) = &a.conditions else { continue };
            if !cond.audience_restrictions.is_empty() {
                continue;
            }
            out.push(finding(
                &META,
                "The assertion restricts no audience: it names no SP it is meant for",
                vec![Evidence::new("AudienceRestriction", "", format!("{}/AudienceRestriction (absent)", msg.doc.path(cond.node))).anchored(element_anchor(cond.node, cond.offset))],
                "Set the IdP's Identifier / Audience URI to Kinde's Entity ID so it adds an AudienceRestriction.",
            ));
        }
    }
}
