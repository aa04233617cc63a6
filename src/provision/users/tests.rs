//! Unit tests of the snapshot readers.

use super::*;
use crate::time::parse_millis;
use std::io::Write;

fn temp(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    (dir, path)
}

const PAGE: &str = r#"{"code":"OK","users":[{"id":"kp_1","provided_id":null,"email":"a@example.com",
  "phone":"+15555550100","is_suspended":true,"created_on":"2025-02-12T18:02:23.614638+00:00",
  "organizations":["org_1"],"identities":[{"type":"enterprise","identity":"a@example.com",
  "connection_id":"conn_1"},{"type":"oauth2:google","identity":"a@example.com","connection_id":"conn_g"}],
  "unknown_field":1}],"next_token":null}"#;

#[test]
fn detects_every_shape() {
    let cases: &[(&str, &str, SnapshotFormat)] = &[
        ("u.csv", "email,id\n", SnapshotFormat::ImportCsv),
        ("u.ndjson", "{}", SnapshotFormat::ExportNdjson),
        ("u.jsonl", "{}", SnapshotFormat::ExportNdjson),
        ("u.json", PAGE, SnapshotFormat::ApiPages),
        ("u.json", "[{\"users\":[]}]", SnapshotFormat::ApiPages),
        (
            "u.json",
            "{\"id\":\"kp_1\"}\n{\"id\":\"kp_2\"}\n",
            SnapshotFormat::ExportNdjson,
        ),
        (
            "u.json",
            "{\"users\":[]}\n{\"users\":[]}\n",
            SnapshotFormat::ApiPages,
        ),
        (
            "u.txt",
            "email,id\nx@example.com,1\n",
            SnapshotFormat::ImportCsv,
        ),
    ];
    for (name, text, want) in cases {
        let (_d, p) = temp(name, text);
        assert_eq!(detect_format(&p).unwrap(), *want, "{name}: {text}");
    }
}

#[test]
fn reads_api_page_with_identities() {
    let (_d, p) = temp("u.json", PAGE);
    let s = UsersSnapshot::read_files(&[p], None).unwrap();
    let u = &s.users[0];
    assert_eq!(u.id.as_deref(), Some("kp_1"));
    assert_eq!(u.is_suspended, Some(true));
    assert_eq!(u.phone.as_deref(), Some("+15555550100"));
    assert_eq!(u.organizations.as_ref().unwrap()[0].as_ref(), "org_1");
    assert_eq!(u.identities[0].kind, IdentityType::Enterprise);
    assert_eq!(u.identities[0].connection_id.as_deref(), Some("conn_1"));
    assert_eq!(
        u.identities[1].kind,
        IdentityType::Social("oauth2:google".into())
    );
    assert!(u.created_on.unwrap() < parse_millis("2025-03-01T00:00:00Z").unwrap());
    assert_eq!(s.source_of(u), format!("{} user #1", s.files[0].0));
}

#[test]
fn reads_pages_in_every_container() {
    let user = r#"{"id":"kp_1","email":"a@example.com"}"#;
    let texts = [
        format!("{{\"users\":[{user}]}}\n{{\"users\":[{user}]}}"),
        format!("[{{\"users\":[{user}]}},{{\"users\":[{user}]}}]"),
        format!("[{user},{user}]"),
        format!("{{\"results\":[{user},{user}]}}"),
    ];
    for t in texts {
        let (_d, p) = temp("u.json", &t);
        let s = UsersSnapshot::read_files(&[p], Some(SnapshotFormat::ApiPages)).unwrap();
        assert_eq!(s.users.len(), 2, "{t}");
        assert_eq!(s.users[1].position, 2);
    }
}

#[test]
fn reads_export_ndjson_with_provider_as_connection() {
    let text = "{\"id\":\"kp_1\",\"email\":\"a@example.com\",\"created_on\":\"2025-06-10T09:15:22+00:00\",\
        \"identities\":[{\"type\":\"enterprise\",\"identity\":\"a@example.com\",\"provider\":\"conn_1\"}],\
        \"external_id\":\"legacy-1\",\"business_code\":\"bus_1\",\"organizations\":[\"org_1\"],\"email_verified\":true}\n\
        \n{\"id\":\"kp_2\",\"email\":null,\"identities\":[]}\n";
    let (_d, p) = temp("users.ndjson", text);
    let s = UsersSnapshot::read_files(&[p], None).unwrap();
    assert_eq!(s.users.len(), 2);
    assert_eq!(s.users[0].provided_id.as_deref(), Some("legacy-1"));
    assert_eq!(
        s.users[0].identities[0].connection_id.as_deref(),
        Some("conn_1")
    );
    assert_eq!(s.users[0].is_suspended, None);
    assert_eq!(s.users[1].position, 3);
    assert_eq!(s.users[1].email, None);
}

#[test]
fn bad_rows_name_file_and_line() {
    let cases: &[(&str, &str, Option<u64>, &str)] = &[
        (
            "u.ndjson",
            "{\"id\":\"kp_1\"}\n{oops\n",
            Some(2),
            "not a JSON user",
        ),
        (
            "u.ndjson",
            "{\"email\":\"a@example.com\"}\n",
            Some(1),
            "no `id`",
        ),
        (
            "u.json",
            "{\"users\":[{\"id\":\"kp_1\"}]\n",
            Some(2),
            "not valid JSON",
        ),
        (
            "u.json",
            "{\"code\":\"OK\"}",
            None,
            "without a `users` array",
        ),
        (
            "u.csv",
            "mail,id\nx@example.com,1\n",
            Some(1),
            "no `email` column",
        ),
    ];
    for (name, text, line, msg) in cases {
        let (_d, p) = temp(name, text);
        let e = UsersSnapshot::read_files(&[p], None).unwrap_err();
        assert_eq!(e.line, *line, "{name}: {e}");
        assert!(e.message.contains(msg), "{name}: {e}");
    }
}

#[test]
fn reads_import_csv_as_email_identities() {
    let (_d, p) = temp(
        "users-import.csv",
        "\u{feff}email,id,first_name,phone\nCarla.Case@example.com,legacy-3,Carla,\n,legacy-4,NoEmail,+15555550101\n",
    );
    let s = UsersSnapshot::read_files(&[p], None).unwrap();
    assert_eq!(s.users.len(), 2);
    let u = &s.users[0];
    assert_eq!(u.id, None);
    assert_eq!(u.provided_id.as_deref(), Some("legacy-3"));
    assert_eq!(u.identities[0].kind, IdentityType::Email);
    assert_eq!(u.position, 2);
    assert_eq!(u.label(), "legacy-3");
    assert!(s.users[1].identities.is_empty());
    assert_eq!(s.users[1].phone.as_deref(), Some("+15555550101"));
}

#[test]
fn classifies_identity_types() {
    let cases = [
        ("email", IdentityType::Email),
        ("Phone", IdentityType::Phone),
        ("username", IdentityType::Username),
        ("enterprise", IdentityType::Enterprise),
        ("saml:custom", IdentityType::Enterprise),
        ("wsfed:azure_ad", IdentityType::Enterprise),
        (
            "oauth2:google",
            IdentityType::Social("oauth2:google".into()),
        ),
        ("passkey", IdentityType::Other("passkey".into())),
    ];
    for (raw, want) in cases {
        assert_eq!(IdentityType::classify(raw), want, "{raw}");
    }
}
