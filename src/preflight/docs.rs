//! What each preflight check compares and why, printed by `sso-doctor explain preflight` and
//! `sso-doctor explain preflight:CHECK` (e.g. `preflight:acs_url`).

/// (check name, explanation).
pub const CHECKS: &[(&str, &str)] = &[
    (
        "acs_url",
        "Every URL the IdP will post the Response to or put in Destination/Recipient must equal Kinde's ACS URL. \
SAML core §3.2.2 makes the receiver compare Destination with the URL the message arrived at; the Web Browser SSO \
profile §4.1.4.3/§4.1.4.5 requires Recipient to be that URL. Equal: ok. Different only in the letter case of \
scheme or host: warning (equivalent under RFC 3986 §6.2.2.1, but most SPs compare strings). Anything else, a trailing \
slash included: mismatch. Okta posts to the Single sign-on URL and writes Recipient and Destination from their own \
fields, so every one must be right (the worst wins); Entra, AD FS, Keycloak (without a fixed POST URL) and Ping post to \
the registered URL the AuthnRequest names, so one equal URL is enough (the best wins). Kinde's connection JSON has no \
ACS URL: not_checked unless --acs-url gives it.",
    ),
    (
        "entity_id",
        "Kinde's Entity ID must be one of the IdP's audience values (Okta Audience URI, Entra identifierUris, \
AD FS Identifier, Keycloak clientId, Ping entityId), compared as whole strings (SAML core §2.5.1.4: the Audience is a \
URI reference the SP compares with its own). A trailing slash is a mismatch. A difference of only the `spn:` prefix is a \
warning: Kinde's custom SAML guide notes that older Entra apps need it on both sides.",
    ),
    (
        "email_attribute",
        "Kinde reads the email from the attribute named exactly as its Email key attribute (blank means \
`email`), case-sensitively. Sent under that name: ok, or warning when filled from the UPN / login name rather than the \
mailbox. Sent only under another name (other case, a claim URI such as Entra's default emailaddress claim, an OID): \
mismatch, with the name to use. No attribute carries the email: missing.",
    ),
    (
        "name_id_format",
        "The NameID format the IdP is configured to send (Okta subjectNameIdFormat, Terraform \
subject_name_id_format, AD FS nameidentifier rule format, Keycloak's only when \"Force name ID format\" is on, Ping \
SAML_SUBJECT nameFormat) against Kinde's Name ID format. Different: mismatch (at_risk: Kinde reads the email from the \
attribute, but the NameID identifies the user's enterprise identity). Graph exports carry no format: not_checked.",
    ),
    (
        "idp_entity_id",
        "The IdP's entity ID (metadata entityID, Terraform entity_url, Okta idpIssuer when not templated) \
against the IdP Entity ID Kinde trusts (from saml_idp_metadata_xml or the TOML idp_entity_id). Different: mismatch (the \
Response Issuer will not match, SAML core §2.2.5).",
    ),
    (
        "signing_certificate",
        "Signing certificates only (metadata use=\"signing\" or no use; encryption keys are not \
signing keys). When the export names the active certificate (Terraform certificate; Entra's Verify key credential whose \
thumbprint equals preferredTokenSigningKeyThumbprint, hex case ignored), ok if Kinde trusts it, else mismatch. From \
metadata alone: ok when Kinde trusts every published signing certificate, warning when only some (a rollover in \
progress), mismatch when none. Certificates are compared by SHA-1 thumbprint of the DER.",
    ),
    (
        "certificate_expiry",
        "The certificates sign-in depends on (the active one, else the published ones, else those \
Kinde trusts), judged at --now: expired: mismatch (will_fail); within 30 days: warning.",
    ),
    (
        "signature",
        "What Kinde requires signed against what the IdP signs (Okta/Terraform responseSigned and \
assertionSigned, AD FS SamlResponseSignature AssertionOnly|MessageOnly|MessageAndAssertion, Keycloak \
saml.server.signature and saml.assertion.signature, Ping signAssertions / signResponseAsRequired). Over HTTP-POST every \
assertion must be protected by a signature on it or on the Response (profiles §4.1.3.5): signing neither is a mismatch, \
and so is leaving unsigned a part Kinde requires. Decision: a signature mismatch makes the verdict will_fail, since \
Kinde rejects such a Response.",
    ),
];

const VERDICT: &str = "Verdict: will_fail when acs_url, entity_id, email_attribute, signing_certificate, \
certificate_expiry or signature is mismatch or missing; else at_risk when any check is a warning or another check \
(name_id_format, idp_entity_id) is mismatch or missing; else ready. not_checked never changes the verdict: it means no \
given input can carry the value (missing means an input that can carry it lacks it). Exit codes: 0 ready, 1 at_risk or \
will_fail, 2 unusable input.";

/// `explain preflight` and `explain preflight:CHECK`.
pub fn explain(topic: &str) -> Option<String> {
    let t = topic.trim().to_ascii_lowercase();
    if t == "preflight" {
        let mut s = String::from(
            "# sso-doctor preflight\n\nCompares the IdP's SAML app configuration with the Kinde connection before anyone signs in.\n\n",
        );
        for (name, text) in CHECKS {
            s.push_str(&format!("## {name}\n{text}\n\n"));
        }
        s.push_str(VERDICT);
        s.push('\n');
        return Some(s);
    }
    let name = t
        .strip_prefix("preflight:")
        .or_else(|| t.strip_prefix("preflight."))?;
    CHECKS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| format!("# preflight check {n}\n\n{text}\n\n{VERDICT}\n"))
}
