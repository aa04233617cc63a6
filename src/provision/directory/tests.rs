//! Unit tests of the directory and events readers.

use super::*;
use std::io::Write;

const EMAIL_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

fn temp(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    (dir, path)
}

fn opts() -> DirectoryOptions {
    DirectoryOptions {
        email_attribute: EMAIL_CLAIM.into(),
        ..Default::default()
    }
}

const ENTRA: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId\r\n\
    dev.space@example.com,Dev,Space,\"dev.space@example.com \",Dev,oid-4\r\n\
    jon.nomail@example.com,Jon,NoMail,,Jon,oid-10\r\n";

#[test]
fn entra_export_keeps_values_exact_and_flags_empty_mail() {
    let (_d, p) = temp("entra.csv", ENTRA);
    let r = read_directory(&p, &opts()).unwrap();
    assert_eq!(r.kind, DirectoryKind::Entra);
    assert_eq!(r.email_column, "mail");
    let dev = &r.records[0];
    assert_eq!(dev.email.as_deref(), Some("dev.space@example.com "));
    assert!(dev.email_attribute_present);
    assert!(dev.source.ends_with("entra.csv:2"), "{}", dev.source);
    assert_eq!(
        dev.subject_id, None,
        "ids are matched only with --id-column"
    );
    let jon = &r.records[1];
    assert_eq!(jon.email, None);
    assert!(!jon.email_attribute_present);
    // The directory's columns are not attributes the IdP sends; the UPN only pairs the row.
    assert!(jon.attributes.is_empty());
    assert!(jon.source.ends_with("entra.csv:3"), "{}", jon.source);
    assert_eq!(jon.name_id.as_deref(), Some("jon.nomail@example.com"));
}

#[test]
fn every_directory_shape_finds_its_columns() {
    // (file text, options tweak, kind, email column, first email, subject id)
    type Tweak = fn(&mut DirectoryOptions);
    type Case<'a> = (
        &'a str,
        Tweak,
        DirectoryKind,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );
    let none: Tweak = |_| {};
    let cases: Vec<Case> = vec![
        (
            ENTRA,
            |o| o.id_column = Some("objectId".into()),
            DirectoryKind::Entra,
            "mail",
            Some("dev.space@example.com "),
            Some("oid-4"),
        ),
        (
            "userPrincipalName,id\na@example.com,1\n",
            none,
            DirectoryKind::Entra,
            "userPrincipalName",
            Some("a@example.com"),
            None,
        ),
        (
            "id,status,login,email,firstName\n00u1,ACTIVE,a@example.com,A@example.com,A\n",
            |o| o.id_column = Some("id".into()),
            DirectoryKind::Okta,
            "email",
            Some("A@example.com"),
            Some("00u1"),
        ),
        (
            "Username,Primary email,Status\na@example.com,b@example.com,ACTIVE\n",
            none,
            DirectoryKind::Okta,
            "Primary email",
            Some("b@example.com"),
            None,
        ),
        (
            "Email,Employee\na@example.test,7\n",
            none,
            DirectoryKind::Generic,
            "Email",
            Some("a@example.test"),
            None,
        ),
        (
            "work_mail,emp\na@example.test,7\n",
            |o| {
                o.email_column = Some("work_mail".into());
                o.id_column = Some("emp".into());
            },
            DirectoryKind::Generic,
            "work_mail",
            Some("a@example.test"),
            Some("7"),
        ),
    ];
    for (text, tweak, kind, col, email, id) in cases {
        let (_d, p) = temp("dir.csv", text);
        let mut o = opts();
        tweak(&mut o);
        let r = read_directory(&p, &o).unwrap();
        assert_eq!((r.kind, r.email_column.as_str()), (kind, col), "{text}");
        assert_eq!(r.records[0].email.as_deref(), email, "{text}");
        assert_eq!(r.records[0].subject_id.as_deref(), id, "{text}");
    }
}

#[test]
fn renamed_attribute_sends_no_email() {
    let (_d, p) = temp("entra.csv", ENTRA);
    let mut o = opts();
    o.sent_as = Some("email".into());
    let r = read_directory(&p, &o).unwrap();
    let dev = &r.records[0];
    assert_eq!(dev.email, None);
    assert!(!dev.email_attribute_present);
    assert_eq!(dev.attributes[0].0, "email");
    // Sending it under the name Kinde reads changes nothing.
    o.sent_as = Some(EMAIL_CLAIM.into());
    let r = read_directory(&p, &o).unwrap();
    assert!(r.records[0].email_attribute_present);
}

#[test]
fn directory_errors_name_the_file() {
    let cases: &[(&str, DirectoryOptions, &str)] = &[
        ("a,b\n1,2\n", opts(), "no email column"),
        (
            "email\nx@example.com\n",
            DirectoryOptions {
                email_column: Some("mail".into()),
                ..opts()
            },
            "--email-column \"mail\"",
        ),
        (
            "email\nx@example.com\n",
            DirectoryOptions {
                id_column: Some("oid".into()),
                ..opts()
            },
            "--id-column \"oid\"",
        ),
    ];
    for (text, o, msg) in cases {
        let (_d, p) = temp("dir.csv", text);
        let e = read_directory(&p, o).unwrap_err();
        assert!(
            e.to_string().contains("dir.csv:1") && e.message.contains(msg),
            "{e}"
        );
    }
}

#[test]
fn events_shapes_become_deduplicated_records() {
    let text = format!(
        "{{\"user\":\"a@example.com\",\"result\":\"success\",\"extra\":{{\"x\":1}}}}\n\
         {{\"user\":\"a@example.com\"}}\n\
         {{\"kind\":\"summary\"}}\n\
         \n\
         {{\"user\":{{\"email\":\"B@example.com\",\"id\":\"u2\"}}}}\n\
         {{\"user\":\"c@example.com\",\"attributes\":{{\"email\":[\"c@example.com\"]}}}}\n\
         {{\"upn\":\"d@example.com\",\"attributes\":[{{\"name\":\"{EMAIL_CLAIM}\",\"values\":[\"D@example.com\"]}}]}}\n"
    );
    let (_d, p) = temp("events.ndjson", &text);
    let r = read_events(&p, EMAIL_CLAIM).unwrap();
    assert_eq!((r.lines, r.without_user, r.repeats), (6, 1, 1));
    let emails: Vec<Option<&str>> = r.records.iter().map(|x| x.email.as_deref()).collect();
    assert_eq!(
        emails,
        vec![
            Some("a@example.com"),
            Some("B@example.com"),
            None,
            Some("D@example.com")
        ]
    );
    assert!(r.records[0].source.ends_with("events.ndjson:1"));
    assert_eq!(r.records[1].subject_id.as_deref(), Some("u2"));
    let c = &r.records[2];
    assert!(!c.email_attribute_present);
    assert_eq!(c.attributes[0].0, "email");
    assert_eq!(c.name_id.as_deref(), Some("c@example.com"));
    assert!(r.records[3].email_attribute_present);
}

#[test]
fn bad_event_line_names_file_and_line() {
    let (_d, p) = temp("events.ndjson", "{\"user\":\"a@example.com\"}\n{nope\n");
    let e = read_events(&p, "email").unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("not a JSON event"), "{e}");
}
