//! SD104: an assertion without a Subject.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SubjectMissing;

static META: RuleMeta = RuleMeta {
    code: "SD104",
    name: "subject-missing",
    severity: Severity::Error,
    weight: 85,
    needs: &[],
    summary: "An assertion has no Subject, so it names no user",
    docs: r#"# SD104 subject-missing

An assertion that carries an AuthnStatement or AttributeStatement must have a `Subject` (SAML core
§2.7.2), and the Web SSO profile needs the Subject's bearer `SubjectConfirmation` to accept it.
Without a Subject there is no NameID and no confirmation: Kinde cannot tell who signed in.

## Fix
Check the IdP application's Name ID / subject configuration; re-capture the response in full if the
paste may be cut.
"#,
};

impl Rule for SubjectMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in msg.assertions.iter().filter(|a| a.subject.is_none()) {
            out.push(finding(
                &META,
                "The assertion has no Subject: no NameID and no subject confirmation",
                vec![a.evidence()],
                "Configure the IdP to issue a Subject with a NameID and a bearer SubjectConfirmation.",
            ));
        }
    }
}
