//! SD301: Kinde's Entity ID is not among the assertion's audiences.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::entity_id_differences;
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct AudienceMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD301",
    name: "audience-mismatch",
    severity: Severity::Error,
    weight: 88,
    needs: &[Need::SpEntityId],
    summary: "The assertion's Audience is not the connection's Entity ID",
    docs: r#"# SD301 audience-mismatch

`Conditions/AudienceRestriction/Audience` names who the assertion is for. Audiences inside one
restriction are alternatives; separate restrictions must all be met (SAML core §2.5.1.4). Kinde's
Entity ID must be an exact member of every AudienceRestriction, or the assertion is invalid.

Typical near misses the finding explains: a trailing slash, `spn:` prefixed by older Entra ID apps,
letter case, `http` versus `https`, or a URL in one place and Kinde's random-string Entity ID
(`5836g209gbhw09r8y0913`) in the other. Kinde's Entra guide notes that older Entra apps may need
`spn:` prepended to the Entity ID in Kinde.

## Fix
Make the IdP's Identifier / Audience URI / SP Entity ID equal the Entity ID in Kinde's connection,
exactly. Entra ID: Basic SAML Configuration > Identifier (Entity ID). Okta: Audience URI (SP Entity
ID). Google Workspace: Entity ID. AD FS: relying party identifier.
"#,
};

impl Rule for AudienceMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(sp) = &ctx.settings.sp_entity_id else {
            return;
        };
        for a in &msg.assertions {
            let Some(cond) = &a.conditions else { continue };
            for restriction in &cond.audience_restrictions {
                if restriction.iter().any(|aud| aud.value == sp.value) {
                    continue;
                }
                let mut evidence: Vec<Evidence> = restriction
                    .iter()
                    .map(|aud| aud.evidence("Audience"))
                    .collect();
                evidence.push(Evidence::new(
                    "configured SP Entity ID",
                    sp.value.clone(),
                    sp.source.clone(),
                ));
                let why = match restriction.as_slice() {
                    [] => "the AudienceRestriction is empty".to_string(),
                    [one] => entity_id_differences(&sp.value, &one.value).join("; "),
                    many => format!(
                        "none of the {} audiences matches; closest: {}",
                        many.len(),
                        closest(&sp.value, many)
                    ),
                };
                evidence.push(Evidence::new("difference", why.clone(), "comparison"));
                out.push(finding(
                    &META,
                    format!("Audience does not match the Entity ID: {why}"),
                    evidence,
                    "Set the IdP's Identifier / Audience URI to exactly the Entity ID in Kinde's connection (or change Kinde's Entity ID to what the IdP sends).",
                ));
            }
        }
    }
}

fn closest(expected: &str, audiences: &[crate::saml::Located<String>]) -> String {
    let folded = |s: &str| {
        s.trim()
            .trim_start_matches("spn:")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    audiences
        .iter()
        .find(|a| folded(&a.value) == folded(expected))
        .map(|a| {
            format!(
                "{} ({})",
                a.value,
                entity_id_differences(expected, &a.value).join("; ")
            )
        })
        .unwrap_or_else(|| "no near match".to_string())
}
