//! Outcomes and the rules that produce them, each tied to the sentence of the Kinde documents in
//! `shared/seeds/` it rests on (quoted verbatim, file named), or to the stated assumption of
//! `kinde.md` §5.3 where the documents do not decide.

use serde::Serialize;

/// The provisioning seed: how users get an enterprise identity (JIT, pre-provisioning, trust).
pub const SEED_PROVISIONING: &str = "kinde-provisioning-enterprise-users.txt";
/// The migration seed: moving email/password users to an enterprise connection.
pub const SEED_MIGRATION: &str = "kinde-email-to-enterprise-migration.txt";

/// What will happen to one person at their first SSO sign-in. Declaration order is report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The user already holds this connection's enterprise identity with the same email.
    Linked,
    /// Trusted emails combine the IdP identity with the existing user.
    Merged,
    /// No existing user; JIT creates one.
    JitCreated,
    /// A second Kinde user appears next to the existing one.
    DuplicateCreated,
    /// The user sees "We can't find your account".
    NotFound,
    /// No email reaches Kinde, so no user can be matched or created.
    NoEmail,
    /// Created before March 2025 with a differently capitalised stored email.
    PreMarchCase,
    /// The documents do not decide; the assumption is stated.
    Unknown,
    /// A Kinde user the directory export does not contain.
    NotInDirectory,
}

impl Outcome {
    pub const ALL: [Outcome; 9] = [
        Outcome::Linked,
        Outcome::Merged,
        Outcome::JitCreated,
        Outcome::DuplicateCreated,
        Outcome::NotFound,
        Outcome::NoEmail,
        Outcome::PreMarchCase,
        Outcome::Unknown,
        Outcome::NotInDirectory,
    ];

    /// Outcomes that fail the run unless `--fail-on` says otherwise (issue 5).
    pub const DEFAULT_FAIL_ON: [Outcome; 3] = [
        Outcome::DuplicateCreated,
        Outcome::NotFound,
        Outcome::NoEmail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Linked => "linked",
            Outcome::Merged => "merged",
            Outcome::JitCreated => "jit_created",
            Outcome::DuplicateCreated => "duplicate_created",
            Outcome::NotFound => "not_found",
            Outcome::NoEmail => "no_email",
            Outcome::PreMarchCase => "pre_march_case",
            Outcome::Unknown => "unknown",
            Outcome::NotInDirectory => "not_in_directory",
        }
    }

    /// A short human title for the text report.
    pub fn title(self) -> &'static str {
        match self {
            Outcome::Linked => "Linked to the existing enterprise identity",
            Outcome::Merged => "Merged via trusted emails",
            Outcome::JitCreated => "Created by JIT",
            Outcome::DuplicateCreated => "Duplicate user created",
            Outcome::NotFound => "\"We can't find your account\"",
            Outcome::NoEmail => "No email reaches Kinde",
            Outcome::PreMarchCase => "Pre-March-2025 capitalisation case",
            Outcome::Unknown => "Unknown (assumption stated)",
            Outcome::NotInDirectory => "Kinde user not in the IdP directory",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        let alias = match s.as_str() {
            "duplicate" => "duplicate_created",
            "jit" => "jit_created",
            "pre_march" => "pre_march_case",
            other => other,
        };
        Outcome::ALL.into_iter().find(|o| o.as_str() == alias)
    }

    /// Whether someone has to do something before this user signs in.
    pub fn needs_action(self) -> bool {
        !matches!(
            self,
            Outcome::Linked | Outcome::Merged | Outcome::JitCreated | Outcome::NotInDirectory
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How the IdP email compares with the Kinde value it was matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    /// Byte-for-byte equal.
    Exact,
    /// Equal ignoring capitalisation only.
    Case,
    /// Equal after trimming surrounding whitespace (and possibly ignoring case).
    Space,
    /// Not equal even ignoring case and whitespace (paired by id or attribute).
    Different,
}

impl Cmp {
    /// Compares a stored Kinde value with what the IdP sends.
    pub fn of(kinde: &str, idp: &str) -> Cmp {
        if kinde == idp {
            return Cmp::Exact;
        }
        let (kt, it) = (kinde.trim(), idp.trim());
        let folded_equal = super::email_key(kt) == super::email_key(it);
        let spaced = kt.len() != kinde.len() || it.len() != idp.len();
        match (kt == it, folded_equal, spaced) {
            (true, _, _) | (_, true, true) => Cmp::Space,
            (_, true, false) => Cmp::Case,
            _ => Cmp::Different,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Exact => "exact",
            Cmp::Case => "case",
            Cmp::Space => "whitespace",
            Cmp::Different => "different",
        }
    }
}

/// The row of the decision table (`kinde.md` §5.2/§5.3) an outcome came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Rule {
    R1NotInDirectory,
    R2NoEmail,
    R3Suspended,
    R4Linked,
    R5PreMarch,
    R6LinkedCaseWarning,
    R7EnterpriseEmailDiffers,
    R8OtherConnection,
    R9Merged,
    R10TrustOffDuplicate,
    R11TrustOffNotFound,
    R12NearMiss,
    R13NoCandidate,
    /// `kinde.md` §5.3 U12: two Kinde users hold exactly the same email.
    U12Ambiguous,
    /// Project rule: paired only through the id column, the emails differ.
    X1IdOnly,
    /// Organisation self-joining off turns the outcome into "We can't find your account".
    G1SelfJoining,
}

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
    fn compares_like_the_seeds_demand() {
        let cases = [
            ("a@example.com", "a@example.com", Cmp::Exact),
            (
                "Carla.Case@example.com",
                "carla.case@example.com",
                Cmp::Case,
            ),
            (
                "dev.space@example.com",
                "dev.space@example.com ",
                Cmp::Space,
            ),
            (" Dev@example.com", "dev@example.com", Cmp::Space),
            (
                "quinn@example.com",
                "quinn.smith@example.com",
                Cmp::Different,
            ),
        ];
        for (k, i, want) in cases {
            assert_eq!(Cmp::of(k, i), want, "{k:?} vs {i:?}");
        }
    }

    #[test]
    fn outcome_names_round_trip_and_order() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
            assert_eq!(Outcome::ALL[o.index()], o);
        }
        assert_eq!(Outcome::parse("Duplicate"), Some(Outcome::DuplicateCreated));
        assert_eq!(Outcome::parse("not-found"), Some(Outcome::NotFound));
        assert_eq!(Outcome::parse("nope"), None);
        assert!(Outcome::NoEmail.needs_action() && !Outcome::Merged.needs_action());
    }

    fn all_rules() -> Vec<Rule> {
        use Rule::*;
        vec![
            R1NotInDirectory,
            R2NoEmail,
            R3Suspended,
            R4Linked,
            R5PreMarch,
            R6LinkedCaseWarning,
            R7EnterpriseEmailDiffers,
            R8OtherConnection,
            R9Merged,
            R10TrustOffDuplicate,
            R11TrustOffNotFound,
            R12NearMiss,
            R13NoCandidate,
            U12Ambiguous,
            X1IdOnly,
            G1SelfJoining,
        ]
    }

    #[test]
    fn every_rule_has_a_seed_or_an_assumption() {
        for r in all_rules() {
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
            eprintln!("seeds not found at {}; quote check skipped", dir.display());
            return;
        };
        for r in all_rules() {
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
