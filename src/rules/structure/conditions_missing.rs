//! SD105: an assertion without Conditions.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct ConditionsMissing;

static META: RuleMeta = RuleMeta {
    code: "SD105",
    name: "conditions-missing",
    severity: Severity::Error,
    weight: 81,
    needs: &[],
    summary: "An assertion has no Conditions (no validity window, no audience)",
    docs: r#"# SD105 conditions-missing

`Conditions` (core §2.5) carries the assertion's validity window (`NotBefore`, `NotOnOrAfter`)
and its `AudienceRestriction`. The Web Browser SSO profile (profiles §4.1.4.2) says each bearer
assertion MUST contain an AudienceRestriction naming the SP, which can only sit inside
Conditions, so an assertion without Conditions cannot meet the profile. SPs reject it: Shibboleth
SP and Spring Security SAML fail the audience check, python3-saml and ruby-saml in strict mode
report the missing audience, and Kinde fails the sign-in. Without it the assertion could be
replayed to any SP at any time.

## Fix
Configure the IdP to include Conditions with an AudienceRestriction holding Kinde's Entity ID. All
mainstream IdPs do this by default, so a missing element often means a hand-built or truncated
response.
"#,
};

impl Rule for ConditionsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in msg.assertions.iter().filter(|a| a.conditions.is_none()) {
            out.push(finding(
                &META,
                "The assertion has no Conditions: no validity window and no audience restriction",
                vec![a.evidence()],
                "Configure the IdP to include Conditions with NotBefore/NotOnOrAfter and an AudienceRestriction for Kinde's Entity ID.",
            ));
        }
    }
}
