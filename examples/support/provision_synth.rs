//! Deterministic synthetic data for fixtures, tests and benchmarks: `n` people, each in one of
//! 50 repeating scenario slots covering every outcome, written as a Kinde users export (NDJSON),
//! an API users page, an import CSV, an Entra directory CSV and normalised events. Reserved
//! domains only (`example.com`); ids in Kinde's shapes built from a hash of the index. The same
//! `n` always gives the same bytes.
//!
//! Every slot yields exactly one Kinde user and one directory row (the "orphan" slot pairs a
//! Kinde-only user with a directory-only person), so `n` people give `n` users and `n` rows.
//!
//! Dev-only: not part of the library. `examples/provision_gen.rs`, `benches/provision.rs` and
//! `tests/provision_synth.rs` include this file with `#[path]`; each uses part of it.
#![allow(dead_code)]

use sso_doctor::provision::Outcome;
use std::io::{self, Write};

/// The connection the synthetic users sign in through.
pub const CONNECTION_ID: &str = "conn_5e1f00c0de5e1f00c0de5e1f00c0de00";
/// Another connection, for the "enterprise identity elsewhere" slot.
pub const OTHER_CONNECTION_ID: &str = "conn_0the70000000000000000000000000000";
/// The organisation the connection signs users into.
pub const ORG: &str = "org_5e1f00c0de1";
/// The Entra email claim, used as the Email key attribute.
pub const EMAIL_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

/// Scenario of one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Merged,
    Linked,
    CaseNearMiss,
    SpaceNearMiss,
    PreMarchCase,
    PreMarchExact,
    OtherConnection,
    NoEmail,
    OrphanAndNew,
    Suspended,
    Social,
    NotMember,
    Phone,
    LinkedCaseWarning,
}

/// Scenario for person `i`: 50 slots, mostly clean merges as in a real migration.
pub fn scenario(i: u64) -> Scenario {
    use Scenario::*;
    match i % 50 {
        0..=29 => Merged,
        30..=35 => Linked,
        36 | 37 => CaseNearMiss,
        38 => SpaceNearMiss,
        39 | 40 => PreMarchCase,
        41 => PreMarchExact,
        42 => OtherConnection,
        43 => NoEmail,
        44 => OrphanAndNew,
        45 => Suspended,
        46 => Social,
        47 => NotMember,
        48 => Phone,
        _ => LinkedCaseWarning,
    }
}

/// The outcomes a person's scenario gives with trust on, JIT on, self-joining on, and the
/// snapshot carrying suspension (API pages).
pub fn expected(s: Scenario) -> &'static [Outcome] {
    use Scenario as S;
    match s {
        S::Merged | S::PreMarchExact | S::Social | S::NotMember | S::Phone => &[Outcome::Merged],
        S::Linked | S::LinkedCaseWarning => &[Outcome::Linked],
        S::CaseNearMiss | S::SpaceNearMiss | S::OtherConnection => &[Outcome::DuplicateCreated],
        S::PreMarchCase => &[Outcome::PreMarchCase],
        S::NoEmail => &[Outcome::NoEmail],
        S::OrphanAndNew => &[Outcome::NotInDirectory, Outcome::JitCreated],
        S::Suspended => &[Outcome::Unknown],
    }
}

/// 64-bit mix (splitmix64), so ids look random yet are reproducible.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hex32(i: u64, salt: u64) -> String {
    format!(
        "{:016x}{:016x}",
        mix(i ^ (salt << 40)),
        mix(i.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ salt)
    )
}

const FIRST: [&str; 8] = [
    "ada", "ben", "chen", "dana", "emil", "fatima", "gus", "hana",
];
const LAST: [&str; 8] = [
    "ames", "berg", "cruz", "diaz", "evans", "fox", "grant", "hill",
];

/// One synthetic person's two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub scenario: Scenario,
    pub kinde_id: String,
    pub first: &'static str,
    pub last: &'static str,
    /// The profile email as Kinde stores it.
    pub kinde_email: String,
    pub created_on: String,
    pub phone: Option<String>,
    pub suspended: bool,
    pub org: &'static str,
    /// (type, value, connection id)
    pub identities: Vec<(&'static str, String, Option<&'static str>)>,
    /// The directory's `mail` value ("" when empty).
    pub dir_mail: String,
    pub upn: String,
    pub object_id: String,
}

/// Builds person `i`.
pub fn person(i: u64) -> Person {
    use Scenario::*;
    let s = scenario(i);
    let (first, last) = (FIRST[(i % 8) as usize], LAST[((i / 8) % 8) as usize]);
    let base = format!("{first}.{last}.{i}@example.com");
    let capitalised = format!("{}{}", first[..1].to_ascii_uppercase(), &base[1..]);
    let email_id = |v: &str| vec![("email", v.to_string(), None)];
    let mut p = Person {
        scenario: s,
        kinde_id: format!("kp_{}", hex32(i, 1)),
        first,
        last,
        kinde_email: base.clone(),
        created_on: format!(
            "2025-{:02}-{:02}T{:02}:{:02}:00.000000+00:00",
            4 + i % 8,
            1 + i % 28,
            i % 24,
            i % 60
        ),
        phone: None,
        suspended: s == Suspended,
        org: if s == NotMember {
            "org_a11ce5b0b0e"
        } else {
            ORG
        },
        identities: email_id(&base),
        dir_mail: base.clone(),
        upn: base.clone(),
        object_id: format!("00000000-0000-4000-8000-{:012}", i),
    };
    match s {
        Linked => p.identities = vec![("enterprise", base.clone(), Some(CONNECTION_ID))],
        LinkedCaseWarning => {
            p.identities = vec![("enterprise", capitalised.clone(), Some(CONNECTION_ID))]
        }
        CaseNearMiss => {
            p.kinde_email = capitalised.clone();
            p.identities = email_id(&capitalised);
        }
        SpaceNearMiss => p.dir_mail = format!("{base} "),
        PreMarchCase => {
            p.created_on = format!("2024-11-{:02}T10:00:00.000000+00:00", 1 + i % 28);
            p.dir_mail = capitalised.clone();
        }
        PreMarchExact => p.created_on = "2025-01-15T10:00:00.000000+00:00".into(),
        OtherConnection => {
            p.identities = vec![("enterprise", base.clone(), Some(OTHER_CONNECTION_ID))]
        }
        NoEmail => p.dir_mail.clear(),
        OrphanAndNew => {
            // The Kinde user is someone who left; the directory row is a newcomer.
            p.dir_mail = format!("new.{first}.{last}.{i}@example.com");
            p.upn = p.dir_mail.clone();
        }
        Social => p.identities.push((
            "oauth2:google",
            base.clone(),
            Some("conn_9009le000000000000000000000000000"),
        )),
        Phone => p.phone = Some(format!("+1555555{:04}", i % 10_000)),
        Merged | Suspended | NotMember => {}
    }
    p
}

fn identities_json(p: &Person, conn_key: &str) -> String {
    let items: Vec<String> = p
        .identities
        .iter()
        .map(|(t, v, c)| {
            let c = c.map_or("null".to_string(), |c| format!("\"{c}\""));
            format!("{{\"type\":\"{t}\",\"identity\":\"{v}\",\"{conn_key}\":{c}}}")
        })
        .collect();
    format!("[{}]", items.join(","))
}

fn phone_json(p: &Person) -> String {
    p.phone
        .as_ref()
        .map_or("null".into(), |v| format!("\"{v}\""))
}

/// One export line (Kinde's `users.ndjson` shape).
pub fn export_line(p: &Person) -> String {
    format!(
        "{{\"id\":\"{}\",\"email\":\"{}\",\"phone\":{},\"username\":null,\"last_name\":\"{}\",\"created_on\":\"{}\",\"first_name\":\"{}\",\"identities\":{},\"external_id\":null,\"business_code\":\"bus_0c0ffee0123\",\"organizations\":[\"{}\"],\"email_verified\":true}}",
        p.kinde_id,
        p.kinde_email,
        phone_json(p),
        p.last,
        p.created_on,
        p.first,
        identities_json(p, "provider"),
        p.org
    )
}

/// One API user object (`GET /api/v1/users?expand=organizations,identities`).
pub fn api_user(p: &Person) -> String {
    format!(
        "{{\"id\":\"{}\",\"provided_id\":null,\"email\":\"{}\",\"phone\":{},\"username\":null,\"last_name\":\"{}\",\"first_name\":\"{}\",\"is_suspended\":{},\"picture\":null,\"total_sign_ins\":1,\"failed_sign_ins\":0,\"last_signed_in\":null,\"created_on\":\"{}\",\"organizations\":[\"{}\"],\"identities\":{}}}",
        p.kinde_id,
        p.kinde_email,
        phone_json(p),
        p.last,
        p.first,
        p.suspended,
        p.created_on,
        p.org,
        identities_json(p, "connection_id")
    )
}

/// Writes `n` users as the export NDJSON.
pub fn write_export(n: u64, w: &mut dyn Write) -> io::Result<()> {
    for i in 0..n {
        writeln!(w, "{}", export_line(&person(i)))?;
    }
    Ok(())
}

/// Writes `n` users as one API page, one user per line for readable diffs.
pub fn write_api_page(n: u64, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{{\"code\":\"OK\",\"message\":\"Success\",\"users\":[")?;
    for i in 0..n {
        let sep = if i + 1 < n { "," } else { "" };
        writeln!(w, "{}{sep}", api_user(&person(i)))?;
    }
    writeln!(w, "],\"next_token\":null}}")
}

/// Writes the import CSV for the people who had email/password accounts.
pub fn write_import_csv(n: u64, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "email,id,first_name,last_name,email_verified,phone,external_organization_id,role_key"
    )?;
    for i in 0..n {
        let p = person(i);
        if p.identities.iter().any(|(t, _, _)| *t == "email") {
            let phone = p.phone.as_deref().unwrap_or("");
            writeln!(
                w,
                "{},legacy-{i:07},{},{},TRUE,{phone},example-co,member",
                p.kinde_email, p.first, p.last
            )?;
        }
    }
    Ok(())
}

/// The 25 columns of Entra's "Download users" CSV.
pub const ENTRA_HEADER: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

const DEPARTMENTS: [&str; 5] = ["Finance", "Sales", "Engineering", "Support", "Legal"];

/// Writes the Entra directory export (CRLF, like the real download).
pub fn write_entra_csv(n: u64, w: &mut dyn Write) -> io::Result<()> {
    write!(w, "{ENTRA_HEADER}\r\n")?;
    for i in 0..n {
        let p = person(i);
        let mail = if p.dir_mail.ends_with(' ') {
            format!("\"{}\"", p.dir_mail)
        } else {
            p.dir_mail.clone()
        };
        write!(
            w,
            "{},{} {},{},{mail},{},{},Member,,{},True,US,,,United States,,,,,,,,,,,\r\n",
            p.upn,
            p.first,
            p.last,
            p.last,
            p.first,
            p.object_id,
            DEPARTMENTS[(i % 5) as usize]
        )?;
    }
    Ok(())
}

/// Writes normalised sign-in events for the directory people (every tenth signs in twice).
pub fn write_events(n: u64, w: &mut dyn Write) -> io::Result<()> {
    for i in 0..n {
        let p = person(i);
        let user = if p.dir_mail.is_empty() {
            String::new()
        } else {
            format!("\"user\":\"{}\",", p.dir_mail)
        };
        let times = if i % 10 == 0 { 2 } else { 1 };
        for t in 0..times {
            writeln!(
                w,
                "{{{user}\"source\":\"entra\",\"time\":\"2026-03-10T09:{:02}:{:02}Z\",\"result\":\"success\",\"ip\":\"192.0.2.{}\"}}",
                i % 60,
                t,
                i % 250
            )?;
        }
    }
    Ok(())
}

/// The settings file for the synthetic connection (trust on, JIT on, self-joining on).
pub fn conn_toml() -> String {
    format!(
        "[connection]\nid = \"{CONNECTION_ID}\"\nemail_attribute = \"{EMAIL_CLAIM}\"\ntrust_emails = true\njit_provisioning = true\n\n[organization]\nself_joining = true\n"
    )
}
