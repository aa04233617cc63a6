//! The sentences of each rule: what will happen to the person and why, and the fix.

use super::{Facts, difference};
use crate::provision::basis::quotes;
use crate::provision::outcome::{Outcome, Rule};
use crate::provision::simulate::{created_text, flags};
use crate::provision::users::IdentityType;

pub(super) fn explain(f: &Facts, rule: Rule) -> (String, String) {
    use Rule::*;
    match rule {
        R1NotInDirectory => not_in_directory(f),
        R2NoEmail => no_email(f),
        R3Suspended => (
            format!("{} is suspended. The documents do not say what an SSO sign-in does for a suspended user; assumed it is refused.", f.who),
            "Unsuspend the user before the migration if they should sign in; otherwise leave them out of the pilot.".into(),
        ),
        R4Linked => (
            format!("{} already holds this connection's enterprise identity \"{}\", identical to what the IdP sends: the sign-in links to it.", f.who, f.kinde),
            "None.".into(),
        ),
        R5PreMarch => pre_march(f),
        R6LinkedCaseWarning => (
            format!("{} holds this connection's enterprise identity \"{}\" but the IdP sends \"{}\" (capitalisation differs). The user was created after March 2025, for which the documents report no sync problem, so it is assumed to link; matching is still documented as case-sensitive.", f.who, f.kinde, f.idp),
            format!("Make both identical: set the directory email to \"{}\", or delete the enterprise identity and add it again as \"{}\".", f.kinde, f.idp),
        ),
        R7EnterpriseEmailDiffers => (
            format!("{} holds this connection's enterprise identity \"{}\", but the IdP sends \"{}\". Kinde may key enterprise identities on the NameID or user-id attribute, which no snapshot shows, so the outcome is unknown.", f.who, f.kinde, f.idp),
            format!("Make the enterprise identity hold the IdP's email exactly: delete it and add it again with \"{}\", or correct the directory.", f.idp),
        ),
        R8OtherConnection => other_connection(f),
        R9Merged => merged(f),
        R10TrustOffDuplicate => (
            format!("Trust email addresses is off, so \"{}\" is not mapped to {}, which has no enterprise identity; JIT creates a second user with the same email.", f.idp, f.who),
            "Turn Trust email addresses on for the migration, or add this connection's enterprise identity (holding the IdP email) to the existing user before they sign in.".into(),
        ),
        R11TrustOffNotFound => (
            format!("Trust email addresses and JIT provisioning are both off: \"{}\" is not mapped to {} and no user is created, so the user sees \"We can't find your account\".", f.idp, f.who),
            "Turn Trust email addresses on for the migration, or add this connection's enterprise identity (holding the IdP email) to the user before they sign in.".into(),
        ),
        R12NearMiss => near_miss(f),
        R13NoCandidate => no_candidate(f),
        U12Ambiguous => (
            format!("Several Kinde users hold exactly \"{}\" ({} and the users listed in the notes); which one Kinde picks is not documented.", f.idp, f.who),
            "Merge or delete the duplicate Kinde users so exactly one holds this email.".into(),
        ),
        X1IdOnly => (
            format!("{} was paired through the id column, but its email \"{}\" differs from the IdP's \"{}\". Kinde matches by email, so it will not find this user: {}.", f.who, f.kinde, f.idp, if f.s.jit { "JIT creates a second user" } else { "with JIT off the user sees \"We can't find your account\"" }),
            "Make the Kinde email and the directory email the same address before the user signs in.".into(),
        ),
        G1SelfJoining => self_joining(f),
        L1Lookalike => lookalike(f),
    }
}

fn not_in_directory(f: &Facts) -> (String, String) {
    (
        format!("{} is in the Kinde snapshot but not in the directory export, so it will not sign in through this connection; it keeps its current sign-in methods until email/password is disabled after the migration.", f.who),
        "Add the person to the IdP (and assign the application) or decide what happens to this Kinde user before email/password sign-in is disabled.".into(),
    )
}

fn no_email(f: &Facts) -> (String, String) {
    let attr = &f.s.email_attribute;
    let sent: Vec<&str> = f.record.map_or(Vec::new(), |r| {
        r.attributes.iter().map(|(n, _)| n.as_str()).collect()
    });
    let why = if f.d.has(flags::EMPTY_EMAIL) {
        format!("The IdP sends \"{attr}\" with an empty value")
    } else if sent.is_empty() {
        format!(
            "The IdP does not send the attribute \"{attr}\" (the connection's Email key attribute)"
        )
    } else {
        format!(
            "The IdP does not send the attribute \"{attr}\" (the connection's Email key attribute); it sends {}",
            sent.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let email_named = f.record.and_then(|r| {
        r.attributes.iter().find(|(n, v)| {
            *n != *attr
                && v.iter().any(|x| crate::identity::looks_like_email(x))
                && looks_like_email_attribute(n)
        })
    });
    let fix = match email_named {
        Some((n, _)) => format!(
            "Set the Email key attribute in Kinde to \"{n}\" (the attribute the IdP puts the email in), or make the IdP send the email as \"{attr}\"."
        ),
        None => format!(
            "Fill in the user's email in the IdP directory (Entra: the mail field) and make sure the IdP sends it as \"{attr}\"."
        ),
    };
    (
        format!(
            "{why}, so no email reaches Kinde and {} cannot be matched or created.",
            f.who
        ),
        fix,
    )
}

/// Attribute names that carry an email by convention (so renaming the key fixes the problem).
fn looks_like_email_attribute(name: &str) -> bool {
    crate::identity::is_email_attribute_name(name) || crate::identity::is_upn_attribute_name(name)
}

fn lookalike(f: &Facts) -> (String, String) {
    let then = if f.s.jit {
        "JIT creates a new user with this email"
    } else {
        "with JIT off the person sees \"We can't find your account\""
    };
    let l = super::lookalike_of(f);
    let why = l.as_ref().map_or(String::new(), |l| l.why.join("; "));
    match f.user {
        Some(_) => (
            format!(
                "Lookalike: the IdP sends \"{}\", which only looks like \"{}\" of {} ({why}). Kinde compares emails exactly, so it is a different identity, possibly an impersonation: it is not matched with {}, and {then}.",
                f.idp, f.kinde, f.who, f.who
            ),
            format!(
                "Check the directory entry before anyone signs in with it: if this is {}, retype the IdP email as \"{}\" (do not paste it); otherwise find out who created the lookalike entry and remove it.",
                f.who, f.kinde
            ),
        ),
        None => (
            format!(
                "Lookalike: the IdP email \"{}\" displays as \"{}\" but is not that text ({why}); {then}.",
                f.idp,
                l.as_ref().map_or("", |l| l.imitates.as_str())
            ),
            "Check the directory entry before anyone signs in with it: retype the email without the hidden characters, or remove the entry if nobody should have it.".into(),
        ),
    }
}

fn pre_march(f: &Facts) -> (String, String) {
    let created = f.user.and_then(created_text).unwrap_or_default();
    let mut fix = format!(
        "{} {} Kinde then creates the enterprise identity with the IdP's capitalisation (\"{}\"). The deleted user's roles, organisation memberships and history do not carry over: note them first and re-assign them.",
        quotes::DELETE_USER,
        quotes::SSO_SIGN_IN,
        f.idp
    );
    if !f.s.jit {
        fix.push_str(" JIT provisioning is off on this connection, so the re-creation needs it switched on (or the user re-added with an enterprise identity holding the IdP email).");
    }
    if !f.s.self_joining {
        fix.push_str(" Self-joining is off: add the recreated user to the organisation.");
    }
    (
        format!(
            "{} was created {created}, before March 2025, and its stored email \"{}\" differs from the IdP's \"{}\" only in capitalisation; the documents say such users may not sync with the enterprise identity.",
            f.who, f.kinde, f.idp
        ),
        fix,
    )
}

fn other_connection(f: &Facts) -> (String, String) {
    let other = f.user.and_then(|u| {
        u.identities
            .iter()
            .find(|i| i.kind == IdentityType::Enterprise)
            .and_then(|i| i.connection_id.as_deref())
    });
    let then = if f.s.jit {
        "JIT creates a second user profile for this connection (roles and permissions do not follow)"
    } else {
        "with JIT off the user sees \"We can't find your account\""
    };
    (
        format!("{} already holds an enterprise identity of another connection ({}). A user can hold only one enterprise identity, so this connection cannot attach to it: {then}.", f.who, other.unwrap_or("unknown id")),
        "Decide which connection the user signs in with; to move them to this one, delete the other enterprise identity first (or accept one profile per connection).".into(),
    )
}

fn merged(f: &Facts) -> (String, String) {
    let mut what = format!(
        "Trust email addresses is on and \"{}\" matches {} exactly: Kinde combines the users. Their original email identity will be removed and from then on they can only sign in via SSO; the profile's email and phone are overwritten with the IdP's data",
        f.idp, f.who
    );
    if let Some(p) = f.user.and_then(|u| u.phone.as_deref()) {
        what.push_str(&format!(" (the stored phone {p} is replaced)"));
    }
    let others: Vec<&str> = f.user.map_or(Vec::new(), |u| {
        u.identities
            .iter()
            .filter(|i| !matches!(i.kind, IdentityType::Email | IdentityType::Enterprise))
            .map(|i| i.kind.name())
            .collect()
    });
    if !others.is_empty() {
        what.push_str(&format!(
            "; its other identities ({}) are removed too",
            others.join(", ")
        ));
    }
    what.push('.');
    (what, "No action for the sign-in itself. Tell the user email/password sign-in stops, and check the IdP's email and phone values are the ones the profile should keep.".into())
}

fn near_miss(f: &Facts) -> (String, String) {
    let then = if f.s.jit {
        "JIT creates a second user"
    } else {
        "with JIT off the user sees \"We can't find your account\""
    };
    let diff = difference(f);
    let kind = if diff == "capitalisation" {
        "Case-insensitive near-match"
    } else {
        "Whitespace near-match"
    };
    (
        format!(
            "{kind}: Kinde has \"{}\" for {}, the IdP sends \"{}\"; they differ only in {diff}. Kinde matches emails exactly, so it does not find the existing user: {then}.",
            f.kinde, f.who, f.idp
        ),
        format!(
            "Make both identical before the user signs in: set the directory email to \"{}\" (or change the Kinde email to \"{}\"), then re-run this simulation.",
            f.kinde.trim(),
            f.idp.trim()
        ),
    )
}

fn no_candidate(f: &Facts) -> (String, String) {
    if f.s.jit {
        (
            format!("No Kinde user has \"{}\", not even ignoring case or whitespace: JIT provisioning creates a new user at the first sign-in.", f.idp),
            "None, unless this person should already have a Kinde account: then correct that account's email first.".into(),
        )
    } else {
        (
            format!(
                "No Kinde user has \"{}\" and JIT provisioning is off, so Kinde can neither find nor create the user: \"We can't find your account\".",
                f.idp
            ),
            format!(
                "Create the user first (import or API) with the email \"{}\", or tick \"Create a user record in Kinde\" (JIT) on the connection.",
                f.idp
            ),
        )
    }
}

fn self_joining(f: &Facts) -> (String, String) {
    let (before, rule) =
        f.d.before_g1
            .unwrap_or((Outcome::NotFound, Rule::G1SelfJoining));
    let reason = match before {
        Outcome::JitCreated | Outcome::DuplicateCreated => {
            "the user would be new, so not a member".to_string()
        }
        _ => format!(
            "{} is not a member of {}",
            f.who,
            f.s.organization.as_deref().unwrap_or("the organisation")
        ),
    };
    let (without, _) = explain(f, rule);
    (
        format!(
            "Organisation self-joining is off and {reason}, so instead of {} the user sees \"We can't find your account\". Without the block: {without}",
            before.as_str()
        ),
        format!(
            "{} (Allow org members to be auto-added), or add the user to the organisation before they sign in.",
            quotes::SELF_JOIN_FIX
        ),
    )
}
