//! Outcomes and the rules that produce them, each tied to the sentence of the Kinde documents in
//! Kinde's documentation it rests on (quoted verbatim, file named, in [`super::basis`]), or to the
//! stated assumption where the documents do not decide. `docs/decision-table.md` is the table.

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
    /// A different identity that looks the same (rule L1; [`crate::identity::relate`]).
    Lookalike,
    /// Not equal even ignoring case and whitespace (paired by id or attribute).
    Different,
}

impl Cmp {
    /// Compares a stored Kinde value with what the IdP sends.
    pub fn of(kinde: &str, idp: &str) -> Cmp {
        use crate::identity::Relation;
        match crate::identity::relate(kinde, idp) {
            Relation::Exact => Cmp::Exact,
            Relation::Case => Cmp::Case,
            Relation::Space => Cmp::Space,
            Relation::Lookalike(_) => Cmp::Lookalike,
            Relation::Different => Cmp::Different,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Cmp::Exact => "exact",
            Cmp::Case => "case",
            Cmp::Space => "whitespace",
            Cmp::Lookalike => "lookalike",
            Cmp::Different => "different",
        }
    }
}

/// The row of the decision table (`docs/decision-table.md`, `sso-doctor explain R12`) an
/// outcome came from.
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
    /// Assumption U12: two Kinde users hold exactly the same email.
    U12Ambiguous,
    /// Project rule: paired only through the id column, the emails differ.
    X1IdOnly,
    /// Organisation self-joining off turns the outcome into "We can't find your account".
    G1SelfJoining,
    /// Project rule: the IdP identity only looks like a Kinde user's (or is unsafe on its own).
    L1Lookalike,
}

impl Rule {
    /// Every rule, in table order.
    pub const ALL: [Rule; 17] = [
        Rule::R1NotInDirectory,
        Rule::R2NoEmail,
        Rule::R3Suspended,
        Rule::R4Linked,
        Rule::R5PreMarch,
        Rule::R6LinkedCaseWarning,
        Rule::R7EnterpriseEmailDiffers,
        Rule::R8OtherConnection,
        Rule::R9Merged,
        Rule::R10TrustOffDuplicate,
        Rule::R11TrustOffNotFound,
        Rule::R12NearMiss,
        Rule::R13NoCandidate,
        Rule::U12Ambiguous,
        Rule::X1IdOnly,
        Rule::G1SelfJoining,
        Rule::L1Lookalike,
    ];
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
            (
                "kim@contoso.test",
                "\u{212A}im@contoso.test",
                Cmp::Lookalike,
            ),
            (
                "anna@contoso.test",
                "\u{0430}nna@contoso.test",
                Cmp::Lookalike,
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
}
