//! What each decision-table row rests on: the sentence of the Kinde documents it follows
//! (quoted verbatim, file named) or, where the documents do not decide, the stated assumption.
//! `docs/decision-table.md` prints the same table for people.

use super::outcome::{Rule, SEED_MIGRATION, SEED_PROVISIONING};
use serde::Serialize;

/// What a rule rests on: the seed file and sentence, or the assumption where seeds are silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Basis {
    pub id: &'static str,
    /// Seed file name, or `None` when the documents do not decide.
    pub seed: Option<&'static str>,
    /// Verbatim sentence from the seed (empty when `seed` is `None`).
    pub quote: &'static str,
    /// The assumption made where the seed does not decide the case.
    pub assumption: Option<&'static str>,
}

const fn seeded(id: &'static str, seed: &'static str, quote: &'static str) -> Basis {
    Basis {
        id,
        seed: Some(seed),
        quote,
        assumption: None,
    }
}

const fn assumed(id: &'static str, assumption: &'static str) -> Basis {
    Basis {
        id,
        seed: None,
        quote: "",
        assumption: Some(assumption),
    }
}

const fn with_assumption(b: Basis, assumption: &'static str) -> Basis {
    Basis {
        assumption: Some(assumption),
        ..b
    }
}

impl Rule {
    /// The seed sentence (or assumption) the rule rests on.
    pub fn basis(self) -> Basis {
        use Rule::*;
        let (p, m) = (SEED_PROVISIONING, SEED_MIGRATION);
        match self {
            R1NotInDirectory => seeded(
                "R1",
                m,
                "After migration completion and verification, Trust email addresses can be turned OFF and email/password login disabled for migrated accounts.",
            ),
            R2NoEmail => with_assumption(
                seeded(
                    "R2",
                    m,
                    "Verify the Email key attribute matches the exact attribute name your IdP uses (e.g., emailaddress, emailAddress, email, or full claim URIs).",
                ),
                "U8: whether Kinde shows an error or creates a user without an email is not documented; treated as a failure",
            ),
            R3Suspended => assumed(
                "R3",
                "U7: suspended users are not covered by the documents; assumed the sign-in is refused",
            ),
            R4Linked => seeded(
                "R4",
                p,
                "Enter the user’s email as it appears in the identity provider directory.",
            ),
            R5PreMarch => seeded(
                "R5",
                m,
                "Users created in Kinde before March 2025 may experience an email capitalization mismatch that prevents proper syncing between their Kinde profile and Enterprise Connection identity.",
            ),
            R6LinkedCaseWarning => with_assumption(
                seeded(
                    "R6",
                    m,
                    "Ensure email addresses match exactly (case-sensitive) between Kinde and your IdP.",
                ),
                "U4: only users created before March 2025 are documented to have the capitalisation problem; assumed the existing identity still links, with a warning",
            ),
            R7EnterpriseEmailDiffers => assumed(
                "R7",
                "U5: the stored enterprise identity holds a different email; Kinde may key enterprise identities on the NameID or user-id attribute, which no snapshot carries",
            ),
            R8OtherConnection => with_assumption(
                seeded(
                    "R8",
                    p,
                    "However, users managed through enterprise connections can only have an enterprise identity.",
                ),
                "U6: an enterprise identity of another connection cannot be combined, so this connection makes a second profile (JIT on) or finds none (JIT off)",
            ),
            R9Merged => seeded(
                "R9",
                p,
                "When the user signs in with an SSO connection that provides an email that matches the pre-provisioned users email, we will automatically combine the users.",
            ),
            R10TrustOffDuplicate => seeded(
                "R10",
                m,
                "Maps the incoming SAML emailaddress to the existing Kinde user (when Trust email addresses is ON), preserving profile and permissions; or",
            ),
            R11TrustOffNotFound => with_assumption(
                seeded(
                    "R11",
                    m,
                    "Maps the incoming SAML emailaddress to the existing Kinde user (when Trust email addresses is ON), preserving profile and permissions; or",
                ),
                "U2: with neither trust nor JIT Kinde can neither map nor create the user; the exact message is not documented",
            ),
            R12NearMiss => seeded(
                "R12",
                m,
                "Verify that this user’s email address in Kinde exactly matches their email address in your identity provider (capitalization and structure must be identical).",
            ),
            R13NoCandidate => seeded(
                "R13",
                p,
                "The first time the user authenticates, Kinde creates a new user record for them with the identity information passed from your IdP.",
            ),
            U12Ambiguous => assumed(
                "U12",
                "U12: several Kinde users hold exactly this email; which one Kinde picks is not documented",
            ),
            X1IdOnly => with_assumption(
                seeded(
                    "X1",
                    p,
                    "All users must have an email address that matches their email with the IdP.",
                ),
                "paired with the Kinde user only through the id column; Kinde matches by email, so it will not find this user",
            ),
            G1SelfJoining => seeded(
                "G1",
                p,
                "If a user goes to sign in and encounters the ’We can’t find your account’ message, it could be because Self-joining for the organization is switched off.",
            ),
            L1Lookalike => with_assumption(
                seeded(
                    "L1",
                    m,
                    "Verify that this user’s email address in Kinde exactly matches their email address in your identity provider (capitalization and structure must be identical).",
                ),
                "U14: an identity that only looks like another (Unicode UTS #39 confusables, a compatibility character such as U+212A KELVIN SIGN, invisible or bidi characters, mixed scripts) is a different identity to Kinde's exact comparison, and may be an impersonation: it is never taken for the same person",
            ),
        }
    }
}

/// The seed sentences behind the fixes and the migration plan, quoted where they are used.
pub mod quotes {
    pub const DELETE_USER: &str = "Delete the affected user in Kinde.";
    pub const SSO_SIGN_IN: &str = "Have the user log in via their enterprise SSO.";
    pub const OVERRIDES: &str = "This does save you adding and linking users as per method 1 above, but it also overrides any existing identity information in Kinde (such as email or phone number) with the connection data from the IdP.";
    pub const IDENTITY_REMOVED: &str = "Their original email identity will be removed and from this point on they can only authenticate via the SSO connection.";
    pub const TEST_USER: &str =
        "Identify one existing Kinde user who has an email/password identity.";
    pub const PILOT: &str =
        "Test with a single user first, then expand to a pilot group before full rollout";
    pub const TRUST_ON: &str = "Enable Trust email addresses during migration to enable automatic mapping, then disable it after all users have migrated for improved security";
    pub const TRUST_OFF: &str = "After migration completion and verification, Trust email addresses can be turned OFF and email/password login disabled for migrated accounts.";
    pub const SELF_JOIN_FIX: &str = "Switch this on via Organization > Policies.";
    pub const MONITOR: &str =
        "Monitor authentication logs during and after migration to ensure successful user mapping";
    pub const DISABLE_ON_FAIL: &str =
        "Disable the Enterprise Connection in Kinde to prevent further issues.";
    pub const REVERT: &str = "Revert the test user back to email/password identity if needed.";
    pub const PRE_MARCH_TAKEAWAY: &str = "Users created in Kinde before March 2025 may require manual resolution due to email capitalization issues";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_seed_or_an_assumption() {
        for r in Rule::ALL {
            let b = r.basis();
            assert!(b.seed.is_some() || b.assumption.is_some(), "{r:?}");
            assert_eq!(b.seed.is_some(), !b.quote.is_empty(), "{r:?}");
        }
    }

    /// The quotes must be verbatim. The seeds live outside the crate (`../shared/seeds`), so the
    /// check runs wherever they are present and says so where they are not.
    #[test]
    fn quotes_are_verbatim_in_the_seeds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
        let (Some(p), Some(m)) = (read(SEED_PROVISIONING), read(SEED_MIGRATION)) else {
            // CI lays shared/ beside the clone: there a missing seed is a failure, not a skip.
            assert!(
                std::env::var_os("CI").is_none(),
                "seeds not found at {} (CI is set)",
                dir.display()
            );
            eprintln!("seeds not found at {}; quote check skipped", dir.display());
            return;
        };
        for r in Rule::ALL {
            let b = r.basis();
            match b.seed {
                Some(SEED_PROVISIONING) => assert!(p.contains(b.quote), "{r:?}: {}", b.quote),
                Some(SEED_MIGRATION) => assert!(m.contains(b.quote), "{r:?}: {}", b.quote),
                _ => {}
            }
        }
        use quotes::*;
        for q in [
            DELETE_USER,
            SSO_SIGN_IN,
            TEST_USER,
            PILOT,
            TRUST_ON,
            TRUST_OFF,
            MONITOR,
            DISABLE_ON_FAIL,
            REVERT,
            PRE_MARCH_TAKEAWAY,
        ] {
            assert!(m.contains(q), "{q}");
        }
        for q in [OVERRIDES, IDENTITY_REMOVED, SELF_JOIN_FIX] {
            assert!(p.contains(q), "{q}");
        }
    }
}
