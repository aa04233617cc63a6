//! Knowledge base: every error code, reason or event type sso-doctor recognises in IdP and Kinde
//! logs, mapped to a [`Cause`], a plain explanation and the fix (naming the Kinde connection
//! setting when one applies). Texts are our own summaries of `idp-logs-entra.md`,
//! `idp-logs-okta-google-adfs.md` and `kinde.md`; codes those notes mark as disputed say so.
//!
//! Lookups are per source because codes overlap in spelling (Entra `50011` vs an ADFS event id).

use super::cause::{Cause, Source};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One known code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub source: Source,
    /// The code as it appears in logs: `50011`, `INVALID_CREDENTIALS`, `MSIS7007`, `364`.
    pub code: &'static str,
    /// Short name, e.g. `InvalidReplyTo`.
    pub title: &'static str,
    pub cause: Cause,
    pub explanation: &'static str,
    pub fix: &'static str,
}

const fn e(
    source: Source,
    code: &'static str,
    title: &'static str,
    cause: Cause,
    explanation: &'static str,
    fix: &'static str,
) -> Entry {
    Entry {
        source,
        code,
        title,
        cause,
        explanation,
        fix,
    }
}

use Cause::*;
use Source::{Adfs, Entra, Google, Kinde, Okta};

/// Entra sign-in codes that are steps of a sign-in, not failures (reference §5.3).
pub const ENTRA_INTERRUPTS: [&str; 8] = [
    "50140", "50074", "50058", "50072", "50125", "50158", "50199", "90095",
];

#[rustfmt::skip]
static ENTRIES: &[Entry] = &[
    // ---- Microsoft Entra ID (AADSTS) ----
    e(Entra, "50011", "InvalidReplyTo", AcsUrlMismatch, "The ACS URL in Kinde's AuthnRequest is not a registered reply URL of the enterprise app.", "Entra: Single sign-on > Basic SAML Configuration > Reply URL must equal Kinde: ACS URL (or the custom-domain URL if Kinde uses a custom domain)."),
    e(Entra, "900971", "No reply address provided", AcsUrlMismatch, "No reply URL is registered or none was sent.", "Add Kinde: ACS URL as a Reply URL in Basic SAML Configuration."),
    e(Entra, "700016", "UnauthorizedClient_DoesNotMatchRequest", EntityIdNotFound, "No application in this tenant has the Issuer (Entity ID) Kinde sent, or the request went to the wrong tenant.", "Basic SAML Configuration > Identifier (Entity ID) must equal Kinde: Entity ID exactly; check Kinde: IdP metadata URL belongs to this tenant and app."),
    e(Entra, "70001", "UnauthorizedClient", EntityIdNotFound, "Disputed: Microsoft's code list says the application is disabled; the SAML support article describes an Issuer/Identifier mismatch.", "Compare Identifier with Kinde: Entity ID (a trailing slash counts); also check Properties > Enabled for users to sign in."),
    e(Entra, "650056", "Misconfigured application", EntityIdNotFound, "For SAML, the Issuer in the request is not a valid Identifier of the app.", "Fix Identifier (Entity ID) to equal Kinde: Entity ID; some older tenants need an `spn:` prefix."),
    e(Entra, "65005", "MisconfiguredApplication", EntityIdNotFound, "For SAML apps the Identifier (Entity ID) is wrong.", "Make Identifier (Entity ID) equal Kinde: Entity ID."),
    e(Entra, "500011", "InvalidResourceServicePrincipalNotFound", EntityIdNotFound, "The requested resource has no service principal in this tenant (app not added, or wrong tenant).", "Add the enterprise app in the right tenant; check the tenant in Kinde: IdP metadata URL."),
    e(Entra, "50107", "InvalidRealmUri", EntityIdNotFound, "The requested realm/identifier was not found (unconfirmed mapping; tied to Issuer mismatch for guest federation).", "Check the identifier requested (Kinde: Entity ID); for guest federation fix the Issuer URI under External Identities."),
    e(Entra, "50105", "EntitlementGrantsNotFound", UserNotAssigned, "The user is not assigned to the app; membership of nested groups does not count.", "Users and groups: assign the user or a directly-assigned group, or set Properties > Assignment required = No."),
    e(Entra, "50003", "MissingSigningKey", SigningCertificate, "The app has no usable SAML signing certificate.", "SAML Certificates: create a new certificate and make it active; then make sure Kinde: IdP metadata URL serves the new certificate."),
    e(Entra, "50146", "MissingCustomSigningKey", SigningCertificate, "The app-specific signing key is missing, expired or not yet valid.", "Renew and activate the SAML signing certificate; refresh Kinde: IdP metadata URL."),
    e(Entra, "76021", "ApplicationRequiresSignedRequests", SigningCertificate, "The app requires signed AuthnRequests but Kinde's request was unsigned.", "Turn off Require verification certificates, or set Kinde: Signing certificate + Sign request algorithm RSA-SHA256 and upload the public key as a verification certificate."),
    e(Entra, "50012", "AuthenticationFailed", SigningCertificate, "Certificate or client-assertion validation failed. Rare for Kinde SAML.", "Check the certificate named in the failure reason."),
    e(Entra, "700027", "Client assertion failed signature validation", SigningCertificate, "The app's certificate credential signature is invalid. Not SAML: OIDC client authentication.", "Fix the app credential of the Kinde OpenID / WS-Fed connection."),
    e(Entra, "75005", "Saml2MessageInvalid", BindingOrRequestMalformed, "Entra cannot parse or accept the SAML request (missing fields, encoding).", "Capture the request; check Kinde: Protocol binding, Name ID format and Sign request settings."),
    e(Entra, "750054", "SAMLRequest or SAMLResponse missing", BindingOrRequestMalformed, "No SAMLRequest in the query string for HTTP-Redirect.", "Check Kinde: Protocol binding and Sign in URL; start sign-in from Kinde (SP-initiated), not a bare IdP URL."),
    e(Entra, "75001", "BindingSerializationError", BindingOrRequestMalformed, "The SAML message binding failed.", "Check Kinde: Protocol binding; retry and capture the request."),
    e(Entra, "75003", "UnsupportedBindingError", BindingOrRequestMalformed, "A response binding other than HTTP-POST was requested.", "Make sure Kinde expects the response via HTTP-POST at its ACS URL."),
    e(Entra, "75008", "RequestDeniedError", BindingOrRequestMalformed, "The request had an unexpected Destination (disputed: Microsoft also says Destination is ignored).", "Check Kinde: Sign in URL and IdP metadata URL point at this tenant's endpoint."),
    e(Entra, "75011", "NoMatchedAuthnContextInOutputClaims", BindingOrRequestMalformed, "The request demands an AuthnContextClassRef the existing session cannot satisfy.", "Drop RequestedAuthnContext or send ForceAuthn=true; no matching Kinde setting is documented."),
    e(Entra, "75016", "Saml2AuthenticationRequestInvalidNameIDPolicy", BindingOrRequestMalformed, "The NameIDPolicy format is not accepted.", "Set Kinde: Name ID format to one Entra accepts (persistent, emailAddress, unspecified, transient)."),
    e(Entra, "7500529", "invalid SAML ID", BindingOrRequestMalformed, "The AuthnRequest ID starts with a digit or is malformed.", "Kinde-side request generation; contact Kinde support."),
    e(Entra, "900236", "InvalidRequestSamlPropertyUnsupported", BindingOrRequestMalformed, "The request sets a SAML property Entra does not support.", "Remove the property (unsupported Scoping / NameIDPolicy attributes); check Kinde upstream params."),
    e(Entra, "90015", "QueryStringTooLong", BindingOrRequestMalformed, "The URL query is too long (large redirect-binding request or RelayState).", "Trim upstream params; consider Kinde: Protocol binding HTTP-POST."),
    e(Entra, "53003", "BlockedByConditionalAccess", MfaOrConditionalAccess, "A conditional-access policy blocked token issuance.", "Review appliedConditionalAccessPolicies with result failure; adjust the policy or its exclusions."),
    e(Entra, "53000", "DeviceNotCompliant", MfaOrConditionalAccess, "Conditional access requires a compliant device.", "Fix device compliance (Intune) or adjust the policy."),
    e(Entra, "53001", "DeviceNotDomainJoined", MfaOrConditionalAccess, "Conditional access requires a domain-joined device.", "Use a joined device or adjust the policy."),
    e(Entra, "53002", "ApplicationUsedIsNotAnApprovedApp", MfaOrConditionalAccess, "Conditional access requires an approved client app.", "Use an approved app or adjust the policy."),
    e(Entra, "53004", "ProofUpBlockedDueToRisk", MfaOrConditionalAccess, "MFA registration was blocked because of risk.", "Remediate user risk; register MFA from a trusted context."),
    e(Entra, "530032", "BlockedByConditionalAccessOnSecurityPolicy", MfaOrConditionalAccess, "A tenant security policy blocked the request.", "Review tenant-level security policies."),
    e(Entra, "530035", "BlockedBySecurityDefaults", MfaOrConditionalAccess, "Security defaults blocked the request.", "Use modern authentication or move to conditional-access policies."),
    e(Entra, "50131", "ConditionalAccessFailed", MfaOrConditionalAccess, "Generic conditional-access failure (device state, suspicious activity, policy).", "Inspect the conditional-access details of the sign-in."),
    e(Entra, "50076", "UserStrongAuthClientAuthNRequired", MfaOrConditionalAccess, "MFA is now required; may be followed by a success in the same correlation id.", "User completes MFA; look for a later success with the same correlationId."),
    e(Entra, "50079", "UserStrongAuthEnrollmentRequired", MfaOrConditionalAccess, "The user must register for MFA.", "Have the user register security info."),
    e(Entra, "50078", "UserStrongAuthExpired", MfaOrConditionalAccess, "Earlier MFA is too old for the policy.", "Re-authenticate with MFA."),
    e(Entra, "50097", "DeviceAuthenticationRequired", MfaOrConditionalAccess, "Device authentication is required (often logged as an interrupt).", "Check device registration and conditional access; look for a later success."),
    e(Entra, "70043", "BadTokenDueToSignInFrequency", MfaOrConditionalAccess, "The conditional-access sign-in frequency expired the session.", "Sign in again; review the sign-in frequency control."),
    e(Entra, "50126", "InvalidUserNameOrPassword", BadCredentials, "Wrong username or password.", "User retries or resets the password; bursts across many users may be password spraying."),
    e(Entra, "50056", "Invalid or null password", BadCredentials, "No password stored for the user, or none supplied.", "User re-enters the password; check the account's authentication method."),
    e(Entra, "50053", "IdsLocked", AccountState, "The account is locked after failed attempts, or the IP is blocked (the failure reason says which).", "Wait for the lockout to end or unblock; investigate the IP."),
    e(Entra, "50057", "UserDisabled", AccountState, "The account is disabled.", "Users: enable sign-in (or re-enable the account in on-premises AD)."),
    e(Entra, "50055", "InvalidPasswordExpiredPassword", AccountState, "The password has expired.", "User resets the password (SSPR) or an admin resets it."),
    e(Entra, "50144", "InvalidPasswordExpiredOnPremPassword", AccountState, "The on-premises AD password has expired.", "Reset in AD, or SSPR with password writeback."),
    e(Entra, "50132", "SsoArtifactInvalidOrExpired", AccountState, "The session is invalid after a password change or expiry.", "Sign in again."),
    e(Entra, "50133", "SsoArtifactRevoked", AccountState, "The session was revoked after a password change.", "Sign in again."),
    e(Entra, "50135", "PasswordChangeCompromisedPassword", AccountState, "A password change is forced because of account risk.", "User changes the password; remediate the risk."),
    e(Entra, "50173", "FreshTokenNeeded", AccountState, "The grant was revoked (password change or admin revocation).", "Sign in again."),
    e(Entra, "50034", "UserAccountNotFound", UserNotFound, "The username is not in this tenant (typo or wrong tenant).", "Verify the UPN; add the user or invite them as a guest."),
    e(Entra, "51004", "UserAccountNotInDirectory", UserNotFound, "The user is not in the directory.", "Verify the UPN; add the user or invite them as a guest."),
    e(Entra, "501241", "Mandatory input missing", Other, "Entra could not build the SAML response: the Name ID source attribute is empty for this user.", "Attributes & Claims > Unique User Identifier (Name ID) source must be set for the user; this also feeds Kinde: Email key attribute."),
    e(Entra, "50124", "ClaimsTransformationInvalidInputParameter", Other, "A claims transformation is misconfigured.", "Fix the transformation in Attributes & Claims."),
    e(Entra, "50020", "UserUnauthorized", TenantOrGuest, "An external account is not present in the resource tenant.", "Invite the user as a guest, sign in with the right account, or assign the guest."),
    e(Entra, "16000", "InteractionRequired", TenantOrGuest, "An account from another IdP does not exist in this tenant.", "Add the external user; sign in with the right account."),
    e(Entra, "16003", "SsoUserAccountNotFoundInResourceTenant", TenantOrGuest, "The user was not explicitly added to the tenant.", "Invite or add the user."),
    e(Entra, "90072", "PassThroughUserMfaError", TenantOrGuest, "An external account is absent from the tenant so MFA cannot be satisfied, or an ImmutableID mismatch.", "Add the user as a guest; fix the sourceAnchor mismatch."),
    e(Entra, "50059", "MissingTenantRealmAndNoUserInformationProvided", TenantOrGuest, "The tenant could not be identified from the request.", "Use a tenant-specific endpoint: check Kinde: IdP metadata URL and Sign in URL."),
    e(Entra, "50128", "Invalid domain name", TenantOrGuest, "No tenant-identifying information was found.", "Use a tenant-specific endpoint in Kinde: Sign in URL; check the user's domain."),
    e(Entra, "90002", "InvalidTenantName", TenantOrGuest, "The tenant named in the request was not found.", "Fix the tenant id or domain in Kinde: IdP metadata URL / Sign in URL."),
    e(Entra, "500212", "NotAllowedByOutboundPolicyTenant", TenantOrGuest, "A cross-tenant access policy blocks the user.", "Adjust cross-tenant access settings."),
    e(Entra, "500213", "NotAllowedByInboundPolicyTenant", TenantOrGuest, "A cross-tenant access policy blocks the user.", "Adjust cross-tenant access settings."),
    e(Entra, "500021", "Tenant restrictions", TenantOrGuest, "A tenant-restriction header excludes this tenant.", "Allow the tenant in the proxy's tenant-restrictions list."),
    e(Entra, "65001", "DelegationDoesNotExist", Consent, "The user or admin has not consented. Rare for SAML.", "Grant admin consent (app > Permissions)."),
    e(Entra, "65004", "UserDeclinedConsent", Consent, "The user declined consent.", "Retry and consent, or grant admin consent."),
    e(Entra, "90094", "AdminConsentRequired", Consent, "Admin consent is needed.", "Grant tenant-wide admin consent."),
    e(Entra, "50000", "TokenIssuanceError", ThrottlingOrService, "A sign-in service problem.", "Retry; open a Microsoft support case if it persists."),
    e(Entra, "90033", "MsodsServiceUnavailable", ThrottlingOrService, "The directory service was unavailable.", "Retry later."),
    e(Entra, "90024", "RequestBudgetExceededError", ThrottlingOrService, "A transient error.", "Retry."),
    e(Entra, "90055", "TenantThrottlingError", ThrottlingOrService, "Too many requests; the tenant is throttled.", "Back off and retry."),
    e(Entra, "50196", "LoopDetected", ThrottlingOrService, "The client repeats the same request in a loop.", "Look for a redirect loop between Kinde and Entra (Kinde: ACS URL, Sign in URL)."),
    e(Entra, "50140", "KmsiInterrupt", InterruptNotFailure, "The \"Stay signed in?\" prompt: an expected step.", "None."),
    e(Entra, "50125", "PasswordResetRegistrationRequiredInterrupt", InterruptNotFailure, "Password-reset registration prompt.", "None unless no later success."),
    e(Entra, "50072", "UserStrongAuthEnrollmentRequiredInterrupt", InterruptNotFailure, "MFA enrolment prompt.", "None unless the user abandons."),
    e(Entra, "50074", "UserStrongAuthClientAuthNRequiredInterrupt", InterruptNotFailure, "MFA challenge step.", "Check the correlationId for a later success."),
    e(Entra, "50158", "ExternalSecurityChallenge", InterruptNotFailure, "Redirected to terms of use or external MFA.", "Check the correlationId for a later success."),
    e(Entra, "50199", "CmsiInterrupt", InterruptNotFailure, "The user confirms the app (mobile / webview).", "None."),
    e(Entra, "50058", "UserInformationNotProvided", InterruptNotFailure, "No SSO session yet (expected for passive requests or a first visit).", "None unless repeated with no interactive follow-up."),
    e(Entra, "90095", "AdminConsentRequiredRequestAccess", InterruptNotFailure, "The admin-consent workflow prompt was shown.", "Approve the request; not a hard failure."),
    e(Entra, "50013", "InvalidAssertion", Clock, "An assertion presented to Entra is expired, malformed or has the wrong issuer (not Kinde's AuthnRequest).", "Check token lifetimes and clock sync of the issuing system."),
    e(Entra, "76026", "RequestIssueTimeExpired", Clock, "The AuthnRequest IssueInstant is too old (disputed: Microsoft also says IssueInstant is not evaluated).", "Check the Kinde-side clock and cached requests; retry from a fresh sign-in."),
    e(Entra, "50008", "InvalidSamlToken", Other, "The SAML assertion from the user's federated IdP (e.g. AD FS) is missing or invalid: upstream of Entra, not Kinde.", "Fix the on-premises / federated IdP."),
    e(Entra, "81010", "DesktopSsoAuthTokenInvalid", Other, "The Seamless SSO Kerberos ticket is expired or invalid.", "Fix Seamless SSO / Kerberos."),
    e(Entra, "500014", "InvalidResourceServicePrincipalDisabled", Other, "The app's service principal is disabled.", "Properties > Enabled for users to sign in = Yes."),
    e(Entra, "7000112", "UnauthorizedClientApplicationDisabled", Other, "The application is disabled.", "Re-enable the app."),
    e(Entra, "7000215", "Invalid client secret", Other, "The OIDC client secret is wrong: applies to Kinde's Entra OpenID / WS-Fed connection, not SAML.", "Paste the secret Value (not the Secret ID) into the Kinde connection."),
    e(Entra, "7000222", "InvalidClientSecretExpiredKeysProvided", Other, "The OIDC client secret expired (not SAML).", "Create a new secret and update the Kinde connection."),
    // ---- Okta System Log (event types and outcome reasons) ----
    e(Okta, "app.generic.unauth_app_access_attempt", "User not assigned to app", UserNotAssigned, "The user tried to open an app they are not (fully) assigned to; they see \"403 App Not Assigned\".", "Okta app > Assignments: assign the user or their group. Kinde: none."),
    e(Okta, "application.policy.sign_on.deny_access", "App sign-on policy denied access", MfaOrConditionalAccess, "The app's sign-on / authentication policy blocked the user.", "Okta authentication policy rule for the app (zones, device, factors). Kinde: none."),
    e(Okta, "policy.evaluate_sign_on", "Sign-on policy evaluation", MfaOrConditionalAccess, "The sign-on policy denied the request (DENY); CHALLENGE is a step-up prompt.", "Okta sign-on / authentication policy rule for the app. Kinde: none."),
    e(Okta, "user.authentication.auth_via_mfa", "MFA verification failed", MfaOrConditionalAccess, "A factor verification failed (wrong code or rejected push).", "User retries; reset or re-enrol the factor. Kinde: none."),
    e(Okta, "user.mfa.okta_verify.deny_push", "Okta Verify push denied", MfaOrConditionalAccess, "The user rejected an Okta Verify push.", "User retries; investigate unexpected pushes. Kinde: none."),
    e(Okta, "security.request.blocked", "Request blocked", MfaOrConditionalAccess, "The request was blocked by a blocklist or network zone.", "Okta Network Zones / ThreatInsight blocklist. Kinde: none."),
    e(Okta, "user.account.lock", "Account locked", AccountState, "The account was locked after too many failures.", "Unlock the user in Okta; review the password-policy lockout."),
    e(Okta, "user.account.lock.limit", "Account locked (admin unlock needed)", AccountState, "The account is locked and needs an admin to unlock it.", "Unlock the user in Okta."),
    e(Okta, "system.org.rate_limit.violation", "Org rate limit", ThrottlingOrService, "Okta rate limits were hit.", "Review Okta rate-limit settings; reduce API callers."),
    e(Okta, "system.client.rate_limit.violation", "Client rate limit", ThrottlingOrService, "A client hit Okta rate limits.", "Review Okta rate-limit settings."),
    e(Okta, "INVALID_CREDENTIALS", "Invalid credentials", BadCredentials, "Wrong password (or factor code).", "Password reset; check the AD/LDAP agent delegation. Kinde: none."),
    e(Okta, "VERIFICATION_ERROR", "Verification error", UserNotFound, "Verification failed; one documented cause is an AD JIT sign-in with a username format other than the configured Okta username format.", "Okta directory integration: align the Okta username format with what users type. Kinde: none."),
    e(Okta, "LOCKED_OUT", "Locked out", AccountState, "Too many failures locked the account.", "Unlock in Okta; review the lockout policy. Kinde: none."),
    e(Okta, "UNKNOWN_USER", "Unknown user", UserNotFound, "No such Okta user.", "Create or import the Okta user, or fix the login. Kinde: none."),
    e(Okta, "PASSWORD_BASED_LOGIN_DISALLOWED", "Password login disallowed", AccountState, "A user sourced from a social / external IdP may not use a password.", "The user must sign in through their social / external IdP."),
    e(Okta, "GENERAL_NONSUCCESS", "General non-success", Other, "Okta's catch-all failure reason.", "Read displayMessage and debugData of the event."),
    // ---- Google Workspace SAML failure_type ----
    e(Google, "failure_app_not_configured_for_user", "App not configured for user", EntityIdNotFound, "Google maps this to the AuthnRequest's Issuer not matching the app's Entity ID (case-sensitive).", "Google SAML app Entity ID must equal Kinde: Entity ID exactly; if they match, check User access."),
    e(Google, "failure_app_not_enabled_for_user", "App not enabled for user", UserNotAssigned, "The app is OFF for the user's organisational unit or group.", "Google app > User access: ON for the user's OU or group. Kinde: none."),
    e(Google, "failure_invalid_sp_id", "Invalid SP id", EntityIdNotFound, "The SP id in the request or URL is not valid (mapping unconfirmed).", "Use the app's own SSO / start URL; align the Entity ID with Kinde: Entity ID."),
    e(Google, "failure_invalid_user_id_mapping", "Invalid user id mapping", BindingOrRequestMalformed, "The request asked for a Name ID mapping that is not valid (mapping unconfirmed).", "Make Kinde: Name ID format match the Google app's Name ID format."),
    e(Google, "failure_user_id_mapping_unavailable", "User id mapping unavailable", UserNotFound, "The directory field used as Name ID is empty for this user (mapping unconfirmed).", "Populate the field used as Name ID, or map Name ID to Primary email."),
    e(Google, "failure_malformed_request", "Malformed request", BindingOrRequestMalformed, "Google could not parse the SAML request.", "Check Kinde: Protocol binding and Sign request algorithm; Google ACS URL = Kinde: ACS URL."),
    e(Google, "failure_no_passive", "No passive", InterruptNotFailure, "A passive (no-UI) sign-in was requested and the user had no Google session.", "None."),
    e(Google, "failure_request_denied", "Request denied", MfaOrConditionalAccess, "The request was denied (mapping unconfirmed: likely Context-Aware Access or 2-Step Verification).", "Check Context-Aware Access and 2SV for the user."),
    e(Google, "failure_unknown", "Unknown failure", Other, "Google did not say why.", "Escalate to Google with id.time and uniqueQualifier."),
    // ---- AD FS (MSIS codes first; event ids as the fallback) ----
    e(Adfs, "MSIS7007", "Relying party trust unknown", EntityIdNotFound, "The requested relying party trust is unknown or the caller may not use it.", "RP trust Identifier must equal Kinde: Entity ID; Enable-AdfsRelyingPartyTrust if it is disabled."),
    e(Adfs, "MSIS7086", "Signed requests required", SigningCertificate, "The RP trust says requests will be signed but the request has no signature.", "Set Kinde: Signing certificate + private key so AuthnRequests are signed, or Set-AdfsRelyingPartyTrust -SignedSamlRequestsRequired $false."),
    e(Adfs, "MSIS1016", "Signed requests required", SigningCertificate, "Same condition as MSIS7086 (another AD FS version).", "As MSIS7086."),
    e(Adfs, "MSIS0038", "Invalid request signature", SigningCertificate, "The SAML message signature is invalid for the stated issuer.", "RP trust RequestSigningCertificate must be the certificate configured in Kinde; fix the chain / CRL."),
    e(Adfs, "MSIS7042", "Loop detected", Other, "The same browser session asked for too many tokens too fast; usually Kinde keeps rejecting the response.", "Check Kinde: Entity ID / audience, the certificate behind Kinde: IdP metadata URL and Kinde: Email key attribute."),
    e(Adfs, "MSIS7046", "RelayState missing or invalid", BindingOrRequestMalformed, "The RelayState protocol parameter is missing or invalid.", "Check Kinde: Protocol binding; start sign-in from Kinde."),
    e(Adfs, "MSIS7009", "Request malformed", BindingOrRequestMalformed, "The request is malformed or not valid (community reports only).", "Check Kinde: Protocol binding and Sign request algorithm."),
    e(Adfs, "MSIS7102", "Authentication method not supported", BindingOrRequestMalformed, "The requested authentication method is not supported (community reports only).", "Remove RequestedAuthnContext; check the RP's authentication policy."),
    e(Adfs, "MSIS7065", "No protocol handler", BindingOrRequestMalformed, "No protocol handler on that path (e.g. the IdP-initiated sign-on page is disabled).", "Start sign-in from Kinde (SP-initiated), or enable the IdP-initiated sign-on page."),
    e(Adfs, "MSIS7012", "Error processing the request", ThrottlingOrService, "A generic wrapper: the real cause is the inner exception (LDAP, account store).", "Fix the inner dependency (domain controller reachability, service account)."),
    e(Adfs, "MSIS3127", "WS-Trust request failed", Other, "A WS-Trust (active) request failed: not a SAML-P browser flow.", "Not a Kinde SAML problem."),
    e(Adfs, "364", "Federation passive request error", Other, "Error during a browser (passive) request; the cause is in the exception text.", "Read the MSIS code in the exception details."),
    e(Adfs, "320", "SAML signature verification failed", SigningCertificate, "The SAML message signature could not be verified.", "RP trust RequestSigningCertificate must match Kinde's signing certificate, or sign requests in Kinde."),
    e(Adfs, "321", "SAML request problem", BindingOrRequestMalformed, "Unconfirmed: commonly associated with SAML request / NameID policy problems.", "Check Kinde: Name ID format and Protocol binding."),
    e(Adfs, "342", "Token validation failed", BadCredentials, "Unconfirmed: commonly reported for bad password or locked account.", "User password; AD account state."),
    e(Adfs, "411", "Token validation failed", BadCredentials, "Bad password (or a locked account, see the reason).", "User password; AD account."),
    e(Adfs, "1201", "Application token issuance failed", UserNotAssigned, "AD FS refused to issue a token for the relying party (authorization rules).", "RP AccessControlPolicyName / IssuanceAuthorizationRules must permit the user or group."),
    e(Adfs, "1203", "Fresh credential validation failed", BadCredentials, "A password check failed.", "User password; AD account."),
    e(Adfs, "1210", "Extranet lockout", AccountState, "The user is locked out by extranet lockout.", "Reset-AdfsAccountLockout; review extranet lockout thresholds; AD unlock."),
    e(Adfs, "324", "Authorization failure", UserNotAssigned, "The caller is not authorised for the relying party.", "RP AccessControlPolicyName / IssuanceAuthorizationRules must permit the user or group."),
    e(Adfs, "516", "Account locked by bad-password count", AccountState, "Extranet lockout from bad passwords.", "Reset-AdfsAccountLockout; AD unlock."),
    e(Adfs, "315", "Claims-provider certificate chain failed", SigningCertificate, "Certificate chain build failed.", "Renew or repair AD FS certificates; then Kinde must re-read the IdP metadata URL."),
    e(Adfs, "316", "RP signing certificate chain failed", SigningCertificate, "The relying party's signing certificate chain could not be built.", "Fix the chain / CRL of the certificate configured in Kinde."),
    e(Adfs, "381", "Configured certificate expired or revoked", SigningCertificate, "A configured certificate is expired or revoked.", "Renew it; then Kinde must re-read the IdP metadata URL."),
    e(Adfs, "102", "Endpoints failed to start", ThrottlingOrService, "AD FS endpoints failed to start.", "Fix the AD FS service."),
    // ---- Kinde ----
    e(Kinde, "user.authentication_failed", "Kinde authentication failed", Unknown, "Kinde rejected a sign-in; the webhook carries no reason or connection.", "Join by user id to a Kinde users snapshot and by time to the IdP log; check Kinde: ACS URL, Entity ID, IdP metadata URL and Email key attribute."),
    e(Kinde, "578", "SAML response validation failed", AcsUrlMismatch, "Kinde failed to validate the SAML response on return.", "Check the ACS URL at the IdP equals Kinde: ACS URL."),
    e(Kinde, "1004", "SAML config not loaded", Other, "The custom SAML configuration could not be loaded for the redirect.", "Review the Kinde connection setup."),
    e(Kinde, "1959", "SAML response not decodable", BindingOrRequestMalformed, "The SAML response was not valid Base64.", "Check what the IdP posts to Kinde: ACS URL (HTTP-POST binding)."),
    e(Kinde, "3005", "Invalid profile values", Other, "The SAML callback was refused because the user profile has invalid values (guess: email attribute).", "Check Kinde: Email key attribute and the IdP's attribute mapping."),
    e(Kinde, "6722", "SAML provider configuration error", EntityIdNotFound, "A provider configuration error (also failed IdP-initiated attempts).", "Check Kinde: IdP metadata URL, Entity ID, certificate and ACS URL."),
    e(Kinde, "7558", "Callback token invalid", Other, "The callback token info is invalid.", "Retry the sign-in; contact Kinde if it persists."),
    e(Kinde, "8030", "Provider configuration failed on redirect", AcsUrlMismatch, "Provider configuration failed on redirect.", "Check Kinde: IdP metadata URL and the ACS URL at the IdP."),
    e(Kinde, "9055", "Provider config not found / RelayState", BindingOrRequestMalformed, "Provider configuration not found, or RelayState missing / invalid.", "Check the callback URL, Kinde: Entity ID and RelayState handling."),
    e(Kinde, "9364", "AuthnRequest not built", SigningCertificate, "Kinde could not build the AuthnRequest.", "Check Kinde: Signing certificate, private key and Sign request algorithm."),
];

fn index() -> &'static HashMap<(Source, &'static str), &'static Entry> {
    static INDEX: OnceLock<HashMap<(Source, &'static str), &'static Entry>> = OnceLock::new();
    INDEX.get_or_init(|| ENTRIES.iter().map(|e| ((e.source, e.code), e)).collect())
}

/// Every entry, in table order.
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

/// The entry for `code` as written by `source`, if known.
pub fn lookup(source: Source, code: &str) -> Option<&'static Entry> {
    // Borrowing the key as (Source, &str) relies on HashMap being covariant in its key type.
    let map: &HashMap<(Source, &str), &'static Entry> = index();
    map.get(&(source, code)).copied()
}

/// Cause for a failure code, `Unknown` when the code is not in the table.
pub fn cause_of(source: Source, code: &str) -> Cause {
    lookup(source, code).map_or(Cause::Unknown, |e| e.cause)
}

/// Resolves what a user typed (`AADSTS50011`, `50011`, `msis7007`, `INVALID_CREDENTIALS`,
/// `okta:LOCKED_OUT`, `kinde:578`) to an entry.
pub fn find(query: &str) -> Option<&'static Entry> {
    let q = query.trim();
    if let Some((prefix, rest)) = q.split_once(':') {
        let source = Source::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(prefix))?;
        return find_in(source, rest.trim());
    }
    let upper = q.to_ascii_uppercase();
    if let Some(num) = upper.strip_prefix("AADSTS") {
        return lookup(Source::Entra, num);
    }
    if upper.starts_with("MSIS") {
        return lookup(Source::Adfs, &upper);
    }
    // Bare words: try each source in a fixed order so the answer never depends on hashing.
    Source::ALL.into_iter().find_map(|s| find_in(s, q))
}

fn find_in(source: Source, code: &str) -> Option<&'static Entry> {
    lookup(source, code)
        .or_else(|| lookup(source, &code.to_ascii_uppercase()))
        .or_else(|| lookup(source, &code.to_ascii_lowercase()))
}

/// How the code is usually written, for display.
pub fn display_code(entry: &Entry) -> String {
    match entry.source {
        Source::Entra => format!("AADSTS{}", entry.code),
        Source::Adfs if entry.code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("AD FS event {}", entry.code)
        }
        Source::Kinde if entry.code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("Kinde error {}", entry.code)
        }
        _ => entry.code.to_string(),
    }
}

/// A multi-line explanation of `code` for `sso-doctor explain`, or None when unknown.
pub fn explain(code: &str) -> Option<String> {
    let entry = find(code)?;
    Some(format!(
        "{code} — {title}\nsource:  {source}\ncause:   {cause} ({summary})\nmeaning: {explanation}\nfix:     {fix}\n",
        code = display_code(entry),
        title = entry.title,
        source = entry.source,
        cause = entry.cause,
        summary = entry.cause.summary(),
        explanation = entry.explanation,
        fix = entry.fix,
    ))
}

/// Every known code with its one-line title, sorted by displayed code.
pub fn codes() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = ENTRIES.iter().map(|e| (e.code, e.title)).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_duplicate_keys() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(
                seen.insert((e.source, e.code)),
                "duplicate {:?}",
                (e.source, e.code)
            );
            assert!(!e.explanation.is_empty() && !e.fix.is_empty() && !e.title.is_empty());
        }
    }

    #[test]
    fn covers_enough_aadsts_codes() {
        let n = ENTRIES.iter().filter(|e| e.source == Source::Entra).count();
        assert!(n >= 80, "only {n} AADSTS codes");
        for code in ENTRA_INTERRUPTS {
            assert_eq!(
                cause_of(Source::Entra, code),
                Cause::InterruptNotFailure,
                "{code}"
            );
        }
    }

    #[test]
    fn maps_each_cause_family() {
        let cases = [
            (Source::Entra, "50011", Cause::AcsUrlMismatch),
            (Source::Entra, "700016", Cause::EntityIdNotFound),
            (Source::Entra, "50105", Cause::UserNotAssigned),
            (Source::Entra, "76021", Cause::SigningCertificate),
            (Source::Entra, "75005", Cause::BindingOrRequestMalformed),
            (Source::Entra, "53003", Cause::MfaOrConditionalAccess),
            (Source::Entra, "50126", Cause::BadCredentials),
            (Source::Entra, "50057", Cause::AccountState),
            (Source::Entra, "50034", Cause::UserNotFound),
            (Source::Entra, "65001", Cause::Consent),
            (Source::Entra, "76026", Cause::Clock),
            (Source::Entra, "50020", Cause::TenantOrGuest),
            (Source::Entra, "90055", Cause::ThrottlingOrService),
            (Source::Entra, "50140", Cause::InterruptNotFailure),
            (Source::Entra, "501241", Cause::Other),
            (Source::Entra, "12345678", Cause::Unknown),
            (Source::Okta, "INVALID_CREDENTIALS", Cause::BadCredentials),
            (
                Source::Okta,
                "app.generic.unauth_app_access_attempt",
                Cause::UserNotAssigned,
            ),
            (Source::Okta, "LOCKED_OUT", Cause::AccountState),
            (Source::Okta, "UNKNOWN_USER", Cause::UserNotFound),
            (
                Source::Google,
                "failure_app_not_configured_for_user",
                Cause::EntityIdNotFound,
            ),
            (
                Source::Google,
                "failure_app_not_enabled_for_user",
                Cause::UserNotAssigned,
            ),
            (
                Source::Google,
                "failure_no_passive",
                Cause::InterruptNotFailure,
            ),
            (Source::Adfs, "MSIS7007", Cause::EntityIdNotFound),
            (Source::Adfs, "MSIS7086", Cause::SigningCertificate),
            (Source::Adfs, "411", Cause::BadCredentials),
            (Source::Adfs, "1210", Cause::AccountState),
            (Source::Kinde, "578", Cause::AcsUrlMismatch),
        ];
        for (source, code, cause) in cases {
            assert_eq!(cause_of(source, code), cause, "{source} {code}");
        }
    }

    #[test]
    fn explain_accepts_common_spellings() {
        let text = explain("AADSTS50011").unwrap();
        assert!(text.starts_with("AADSTS50011 — InvalidReplyTo\n"), "{text}");
        assert!(text.contains("cause:   acs_url_mismatch"));
        assert!(text.contains("Kinde: ACS URL"));
        assert_eq!(explain("50011"), explain("aadsts50011"));
        assert!(explain("msis7007").unwrap().contains("entity_id_not_found"));
        assert!(
            explain("okta:locked_out")
                .unwrap()
                .contains("account_state")
        );
        assert!(explain("kinde:578").unwrap().starts_with("Kinde error 578"));
        assert!(explain("failure_no_passive").is_some());
        assert!(explain("AADSTS99999999").is_none());
        assert!(explain("").is_none());
    }

    #[test]
    fn codes_are_sorted_and_titled() {
        let list = codes();
        assert!(list.len() >= 100);
        assert!(list.windows(2).all(|w| w[0] <= w[1]));
        assert!(list.contains(&("50011", "InvalidReplyTo")));
    }
}
