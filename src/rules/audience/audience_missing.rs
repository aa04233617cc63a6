//! SD302: the assertion restricts no audience.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct AudienceMissing;

static META: RuleMeta = RuleMeta {
    code: "SD302",
    name: "audience-missing",
    severity: Severity::Error,
    weight: 80,
    needs: &[],
    summary: "The assertion has Conditions but no AudienceRestriction",
    docs: r#"# SD302 audience-missing

The Web Browser SSO profile (profiles §4.1.4.2) says each bearer assertion MUST contain an
`AudienceRestriction` including the SP's unique identifier as an `Audience` (core §2.5.1.4 defines
the condition). Without one the assertion is valid for any SP that trusts the IdP, so a Web SSO SP
rejects it: Shibboleth SP and Spring Security SAML refuse it, ruby-saml and python3-saml in strict
mode fail their audience check when an SP entity ID is configured, and Kinde fails the sign-in.
Lenient setups (python3-saml with `strict = false`) let it pass, which is why the same IdP
configuration may "work" elsewhere.

The finding shows what the IdP sent: Conditions without any AudienceRestriction. (An
AudienceRestriction that names another SP is SD301.)

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
