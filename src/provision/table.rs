//! The decision table as data: for every rule id the simulator prints (R1-R13, G1, X1, U12, L1) and
//! every assumption id its sentences cite (U1-U14), when it applies, the outcome and what it
//! rests on. `sso-doctor explain R12` prints one entry; [`markdown`] writes
//! `docs/decision-table.md`, and a unit test keeps that file equal to it.

use super::basis::Basis;
use super::outcome::{Rule, SEED_MIGRATION, SEED_PROVISIONING};

/// One row of the decision table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub rule: Rule,
    /// When the row applies (rows are tried in table order; the first match wins, then G1).
    pub when: &'static str,
    /// The outcome it gives.
    pub outcome: &'static str,
}

/// The rows, in the order the simulator tries them.
pub const ROWS: [Row; 17] = [
    row(
        Rule::R1NotInDirectory,
        "A Kinde user that no IdP record pairs with (only with a full directory export).",
        "`not_in_directory` (information: the user keeps email/password sign-in until it is switched off after the migration, then loses access).",
    ),
    row(
        Rule::R2NoEmail,
        "An IdP record without a non-empty value under the connection's Email key attribute.",
        "`no_email`: no user can be matched or created.",
    ),
    row(
        Rule::R3Suspended,
        "The matching Kinde user is suspended.",
        "`unknown`, assumed refused (U7).",
    ),
    row(
        Rule::R4Linked,
        "The user holds this connection's enterprise identity and its value equals the IdP email exactly.",
        "`linked`.",
    ),
    row(
        Rule::R5PreMarch,
        "This connection's enterprise identity or an email identity differs from the IdP email only in capitalisation, and the user was created before 1 March 2025 (U10).",
        "`pre_march_case`; fix: delete the user and let them sign in via SSO (JIT must be on; roles and history do not carry over).",
    ),
    row(
        Rule::R6LinkedCaseWarning,
        "This connection's enterprise identity differs from the IdP email only in capitalisation; the user was created on or after 1 March 2025.",
        "`linked`, with a warning (U4).",
    ),
    row(
        Rule::R7EnterpriseEmailDiffers,
        "This connection's enterprise identity holds a different email (whitespace or entirely different).",
        "`unknown` (U5).",
    ),
    row(
        Rule::R8OtherConnection,
        "The user holds an enterprise identity of another connection.",
        "JIT on: `duplicate_created` (a second profile); JIT off: `not_found` (U6).",
    ),
    row(
        Rule::R9Merged,
        "No enterprise identity (email, social, phone identities), the email matches exactly, Trust email addresses on.",
        "`merged`: the email identity is removed, SSO only from then on, the profile's email and phone are replaced by the IdP's (U1, U11).",
    ),
    row(
        Rule::R10TrustOffDuplicate,
        "As R9, but Trust email addresses off and JIT on.",
        "`duplicate_created`.",
    ),
    row(
        Rule::R11TrustOffNotFound,
        "As R9, but Trust email addresses off and JIT off.",
        "`not_found` (U2).",
    ),
    row(
        Rule::R12NearMiss,
        "No enterprise identity; the emails differ only in capitalisation (user created after March 2025) or surrounding whitespace (U3).",
        "JIT on: `duplicate_created`; JIT off: `not_found`. Both values are shown by name.",
    ),
    row(
        Rule::R13NoCandidate,
        "No Kinde user has the IdP email, not even ignoring case or whitespace.",
        "JIT on: `jit_created`; JIT off: `not_found` (U2).",
    ),
    row(
        Rule::U12Ambiguous,
        "Two or more Kinde users hold exactly the IdP email.",
        "`unknown` (U12); an exact match wins over near-duplicates, which are listed as existing duplicates.",
    ),
    row(
        Rule::X1IdOnly,
        "Paired with a Kinde user only through the id column (`--id-column` = provided_id); the emails differ.",
        "JIT on: `duplicate_created`; JIT off: `not_found`: Kinde matches by email, so it will not find the user.",
    ),
    row(
        Rule::G1SelfJoining,
        "Applied after the rows above: organisation self-joining is off and the person is not a member (every `jit_created` and `duplicate_created`; `linked` and `merged` non-members) (U9, U13).",
        "`not_found` (\"We can't find your account\").",
    ),
    row(
        Rule::L1Lookalike,
        "Tried before R3: the IdP email only looks like a Kinde user's (equal UTS #39 skeletons after dropping invisible characters, NFKC and case folding, but not equal), or carries on its own invisible, bidirectional-control, compatibility or mixed-script characters.",
        "JIT on: `jit_created`; JIT off: `not_found`; always flagged for review with the identity it imitates and why (U14), never merged or linked with the imitated user, never proposed for the pilot.",
    ),
];

const fn row(rule: Rule, when: &'static str, outcome: &'static str) -> Row {
    Row {
        rule,
        when,
        outcome,
    }
}

/// One assumption made where the documents do not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assumption {
    pub id: &'static str,
    pub case: &'static str,
    pub assume: &'static str,
    pub why: &'static str,
}

const fn assume(
    id: &'static str,
    case: &'static str,
    assume: &'static str,
    why: &'static str,
) -> Assumption {
    Assumption {
        id,
        case,
        assume,
        why,
    }
}

/// The assumptions, by id.
pub const ASSUMPTIONS: [Assumption; 14] = [
    assume(
        "U1",
        "Trust email addresses on, JIT off, exact email match.",
        "`merged` (R9).",
        "The provisioning document ties combining users to trust alone; the migration guide runs the migration with JIT on, so keep JIT on while migrating.",
    ),
    assume(
        "U2",
        "No match, or no trust, and JIT off.",
        "`not_found` (R11, R13); the exact message is not confirmed.",
        "Kinde can then neither find nor create the user.",
    ),
    assume(
        "U3",
        "The emails differ only in surrounding whitespace.",
        "Treated like a capitalisation difference (R12).",
        "The migration guide demands identical structure; whether Kinde trims values is not documented.",
    ),
    assume(
        "U4",
        "A user created after March 2025 whose enterprise identity differs from the IdP email only in capitalisation.",
        "`linked` with a warning (R6).",
        "Only users created before March 2025 are documented to have the capitalisation problem, while matching is documented as case-sensitive: hence the warning.",
    ),
    assume(
        "U5",
        "This connection's enterprise identity holds an entirely different email.",
        "`unknown` (R7).",
        "Kinde may key enterprise identities on the NameID or the user-id attribute, which no snapshot carries.",
    ),
    assume(
        "U6",
        "The user holds an enterprise identity of another connection.",
        "`duplicate_created` (JIT on) or `not_found` (JIT off) (R8).",
        "A user managed through enterprise connections can hold only an enterprise identity, and one per connection; a second profile does not carry roles over.",
    ),
    assume(
        "U7",
        "The Kinde user is suspended.",
        "`unknown`, assumed the sign-in is refused (R3).",
        "Suspended users are not covered by the documents.",
    ),
    assume(
        "U8",
        "No email reaches Kinde.",
        "`no_email`, treated as a failure (R2).",
        "Whether Kinde shows an error or creates a user without an email is not documented; matching is by email.",
    ),
    assume(
        "U9",
        "Organisation self-joining off and a user who is already a member.",
        "Only non-members are refused (G1); when membership cannot be checked, members are assumed.",
        "The provisioning document describes joining, not signing in as an existing member.",
    ),
    assume(
        "U10",
        "The \"before March 2025\" boundary.",
        "`created_on` earlier than 2025-03-01T00:00:00Z; users created within a day of it are flagged.",
        "The document gives no time zone.",
    ),
    assume(
        "U11",
        "A merged user who also holds social identities.",
        "All other identities are removed too (R9).",
        "Enterprise users can hold no other identity.",
    ),
    assume(
        "U12",
        "Several Kinde users hold the IdP email.",
        "An exact match wins and the others are listed as existing duplicates; two exact matches are `unknown`.",
        "Which user Kinde picks is not documented.",
    ),
    assume(
        "U13",
        "G1 refuses a sign-in that would have merged or created a user.",
        "Nothing is written to Kinde (no merge, no stray user).",
        "Not documented.",
    ),
    assume(
        "U14",
        "An IdP email that only looks like a Kinde user's: Cyrillic `а` for Latin `a`, U+212A KELVIN SIGN for `K`, a zero-width space, a right-to-left override.",
        "A different identity (L1): Kinde's exact comparison does not match it, so it is created (JIT on) or refused (JIT off), and it is reported as a lookalike of the user it imitates.",
        "Kinde documents exact, case-sensitive matching; folding such characters would merge an impersonator into a real account (Unicode TR #36, UTS #39; Boucher and Anderson, Trojan Source, 2021).",
    ),
];

/// The row of a rule.
pub fn row_of(rule: Rule) -> &'static Row {
    ROWS.iter().find(|r| r.rule == rule).unwrap_or(&ROWS[0])
}

fn seed_title(seed: &str) -> &'static str {
    match seed {
        SEED_PROVISIONING => "Provisioning users for enterprise connections",
        SEED_MIGRATION => "Moving users from email identity to Enterprise Identity",
        _ => "",
    }
}

fn rests_on(b: &Basis) -> String {
    let mut out = match b.seed {
        Some(seed) => format!("Kinde, \"{}\" ({seed}): \"{}\"", seed_title(seed), b.quote),
        None => "The documents do not decide.".to_string(),
    };
    if let Some(a) = b.assumption {
        out.push_str(&format!(" Assumption {a}"));
    }
    out
}

/// The text `sso-doctor explain ID` prints for a rule or assumption id (any case), or `None`.
pub fn explain(id: &str) -> Option<String> {
    let id = id.trim().to_ascii_uppercase();
    if let Some(r) = ROWS.iter().find(|r| r.rule.basis().id == id) {
        let b = r.rule.basis();
        return Some(format!(
            "{id}: simulator decision-table rule (sso-doctor simulate)\n\nWhen:     {}\nOutcome:  {}\nRests on: {}\n\nThe whole table: docs/decision-table.md#{}\n",
            r.when,
            r.outcome,
            rests_on(&b),
            id.to_ascii_lowercase()
        ));
    }
    let a = ASSUMPTIONS.iter().find(|a| a.id == id)?;
    Some(format!(
        "{id}: simulator assumption where Kinde's documents do not decide (sso-doctor simulate)\n\nCase:   {}\nAssume: {}\nWhy:    {}\n\nThe whole table: docs/decision-table.md#{}\n",
        a.case,
        a.assume,
        a.why,
        id.to_ascii_lowercase()
    ))
}

/// `docs/decision-table.md`, generated from the rows, their bases and the assumptions.
pub fn markdown() -> String {
    let mut md = String::from(
        "# The simulator's decision table\n\n\
<!-- Generated from src/provision/table.rs and src/provision/basis.rs; a unit test keeps it in\n\
step (SSO_DOCTOR_BLESS_DOCS=1 cargo test --lib provision::table rewrites it). -->\n\n\
`sso-doctor simulate` decides each person's first SSO sign-in with the rows below: the first\n\
row that matches wins, then G1 applies. Each rule id the simulator prints links here, and\n\
`sso-doctor explain R12` (any id below) prints the same entry in the terminal.\n\n\
The rules rest on two Kinde documents, quoted verbatim: \"Provisioning users for enterprise\n\
connections\" (`kinde-provisioning-enterprise-users.txt`) and \"Moving users from email\n\
identity to Enterprise Identity\" (`kinde-email-to-enterprise-migration.txt`). Where they do\n\
not decide, the assumption made is stated (U1-U14, at the end).\n\n## Rules\n",
    );
    for r in &ROWS {
        let b = r.rule.basis();
        let id = b.id;
        md.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### {id}\n\n- **When:** {}\n- **Outcome:** {}\n",
            id.to_ascii_lowercase(),
            r.when,
            r.outcome
        ));
        match b.seed {
            Some(seed) => md.push_str(&format!(
                "- **Rests on:** \"{}\" (`{seed}`):\n\n  > {}\n\n",
                seed_title(seed),
                b.quote
            )),
            None => md.push_str("- **Rests on:** the documents do not decide.\n"),
        }
        if let Some(a) = b.assumption {
            md.push_str(&format!("- **Assumption:** {a}\n"));
        }
    }
    md.push_str("\n## Assumptions where the documents do not decide\n");
    for a in &ASSUMPTIONS {
        md.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### {}\n\n- **Case:** {}\n- **Assume:** {}\n- **Why:** {}\n",
            a.id.to_ascii_lowercase(),
            a.id,
            a.case,
            a.assume,
            a.why
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_row_in_order() {
        let rules: Vec<Rule> = ROWS.iter().map(|r| r.rule).collect();
        assert_eq!(rules, Rule::ALL.to_vec());
    }

    #[test]
    fn every_id_the_simulator_prints_resolves() {
        for r in Rule::ALL {
            let b = r.basis();
            let text = explain(&b.id.to_ascii_lowercase()).unwrap();
            assert!(text.starts_with(&format!("{}:", b.id)), "{text}");
            // Assumption ids cited in the rule's own text resolve too.
            for word in b
                .assumption
                .unwrap_or("")
                .split(|c: char| !c.is_alphanumeric())
            {
                if word.len() > 1
                    && word.starts_with('U')
                    && word[1..].bytes().all(|c| c.is_ascii_digit())
                {
                    assert!(explain(word).is_some(), "{word} cited by {}", b.id);
                }
            }
        }
        assert!(explain("U7").unwrap().contains("suspended"));
        assert_eq!(explain("R99"), None);
        assert_eq!(explain("SD201"), None);
    }

    /// `docs/decision-table.md` is this module's [`markdown`]; bless with SSO_DOCTOR_BLESS_DOCS=1.
    #[test]
    fn docs_decision_table_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/decision-table.md");
        let want = markdown();
        if std::env::var_os("SSO_DOCTOR_BLESS_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is out of date: run SSO_DOCTOR_BLESS_DOCS=1 cargo test --lib provision::table",
            path.display()
        );
    }
}
